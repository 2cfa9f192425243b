// The review page's script (served from this server only; the CSP allows no other).
// Document text reaches the page only as textContent or as server-escaped HTML.
const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
const typing = (e) => e.target instanceof Element && e.target.closest("input, select, textarea");

async function post(url, body) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
  const data = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok || data.error) throw new Error(data.error ?? `HTTP ${res.status}`);
  return data;
}

// ---- the queue ----------------------------------------------------------------------------
function queuePage() {
  const rows = [...document.querySelectorAll("tr.qrow")];
  let at = Math.max(0, rows.findIndex((r) => r.classList.contains("selected")));
  const select = (n) => {
    if (!rows.length) return;
    rows[at]?.classList.remove("selected");
    at = Math.max(0, Math.min(rows.length - 1, n));
    rows[at].classList.add("selected");
    rows[at].scrollIntoView({ block: "nearest" });
  };
  rows.forEach((r, n) => r.addEventListener("click", () => select(n)));
  document.querySelectorAll("form.filters select").forEach((s) => s.addEventListener("change", () => s.form.submit()));
  document.addEventListener("keydown", (e) => {
    if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "j") select(at + 1);
    else if (e.key === "k") select(at - 1);
    else if (e.key === "Enter" && rows[at]) location.href = rows[at].dataset.href;
    else return;
    e.preventDefault();
  });
}

// ---- the PDF side -------------------------------------------------------------------------
function pdfViewer(view) {
  const canvas = document.getElementById("pdfcanvas");
  const hl = document.getElementById("hl");
  const pageno = document.getElementById("pageno");
  let doc = null;
  let page = 1;
  let scale = 1.25;
  let box = null; // [x0, y0, x1, y1] in PDF points, top-left origin, on `boxPage`
  let boxPage = null;
  let rendering = Promise.resolve();
  const ready = (async () => {
    const pdfjs = await import("/static/pdfjs/pdf.mjs");
    pdfjs.GlobalWorkerOptions.workerSrc = "/static/pdfjs/pdf.worker.mjs";
    doc = await pdfjs.getDocument({
      url: view.dataset.src,
      isEvalSupported: false,
      cMapUrl: "/static/pdfjs/cmaps/",
      cMapPacked: true,
      standardFontDataUrl: "/static/pdfjs/standard_fonts/",
    }).promise;
    await draw();
  })();
  async function draw() {
    rendering = rendering.then(async () => {
      const p = await doc.getPage(page);
      const vp = p.getViewport({ scale });
      const ratio = window.devicePixelRatio || 1;
      canvas.width = Math.floor(vp.width * ratio);
      canvas.height = Math.floor(vp.height * ratio);
      canvas.style.width = `${Math.floor(vp.width)}px`;
      canvas.style.height = `${Math.floor(vp.height)}px`;
      await p.render({ canvas, canvasContext: canvas.getContext("2d"), viewport: vp, transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null }).promise;
      pageno.textContent = `page ${page} / ${doc.numPages}`;
      view.dataset.page = String(page);
      view.dataset.rendered = String(page);
      placeBox();
    });
    return rendering;
  }
  function placeBox() {
    if (!box || boxPage !== page) {
      hl.hidden = true;
      return;
    }
    const [x0, y0, x1, y1] = box;
    hl.style.left = `${x0 * scale - 2}px`;
    hl.style.top = `${y0 * scale - 2}px`;
    hl.style.width = `${(x1 - x0) * scale + 4}px`;
    hl.style.height = `${(y1 - y0) * scale + 4}px`;
    hl.hidden = false;
    hl.scrollIntoView({ block: "center", inline: "nearest" });
  }
  return {
    ready,
    async turn(d) {
      await ready;
      const to = Math.max(1, Math.min(doc.numPages, page + d));
      if (to !== page) (page = to), await draw();
    },
    async zoom(f) {
      await ready;
      scale = Math.max(0.5, Math.min(4, scale * f));
      await draw();
    },
    async show(place) {
      await ready;
      box = place?.box ?? null;
      boxPage = place?.page ?? null;
      if (place?.page && place.page !== page) (page = place.page), await draw();
      else placeBox();
    },
  };
}

// ---- the document side (HTML, DOCX, text) ----------------------------------------------------
function docViewer(view) {
  return {
    show(place) {
      view.querySelectorAll(".hl").forEach((n) => n.classList.remove("hl"));
      if (!place) return;
      let el = null;
      if (place.table && place.row && place.col)
        el = view.querySelector(`table[data-table="${place.table}"] td[data-row="${place.row}"][data-col="${place.col}"]`);
      if (!el && place.line) el = view.querySelector(`[data-line="${place.line}"]`);
      if (el) {
        el.classList.add("hl");
        el.scrollIntoView({ block: "center" });
      }
    },
    turn() {},
    zoom() {},
  };
}

// ---- one report -------------------------------------------------------------------------------
function reportPage() {
  const main = document.querySelector("main.split");
  const id = main.dataset.report;
  let cells = JSON.parse(document.getElementById("cells").textContent);
  const panel = document.getElementById("panel");
  const form = document.getElementById("correct");
  const fValue = document.getElementById("f-value");
  const fWhy = document.getElementById("f-why");
  const msg = document.getElementById("f-msg");
  const pdfView = document.getElementById("pdfview");
  const docView = document.getElementById("docview");
  const source = pdfView ? pdfViewer(pdfView) : docView ? docViewer(docView) : { show() {}, turn() {}, zoom() {} };
  let current = null;

  const tdOf = (key) => document.querySelector(`#tables td.cell[data-key="${CSS.escape(key)}"]`);
  const text = (elId, s) => (document.getElementById(elId).textContent = s);
  const placeText = (p) =>
    !p
      ? "not recorded"
      : [p.page && `page ${p.page}`, p.box && `box ${p.box.map((n) => Math.round(n)).join(",")}`, p.table && `table ${p.table}`, p.row && `row ${p.row}`, p.col && `col ${p.col}`, p.line && `line ${p.line}`]
          .filter(Boolean)
          .join(" · ");

  function select(key, focusForm = false) {
    const c = cells[key];
    if (!c) return;
    document.querySelectorAll("#tables td.sel").forEach((n) => n.classList.remove("sel"));
    const td = tdOf(key);
    td?.classList.add("sel");
    td?.scrollIntoView({ block: "nearest" });
    current = key;
    panel.hidden = false;
    panel.dataset.key = key;
    text("p-label", c.label);
    text("p-key", key);
    text("p-value", c.value === null ? "null" : String(c.value));
    text("p-status", c.status + (c.correction?.status === "review" ? " (to recheck: the machine's value changed since)" : ""));
    text("p-text", c.text === null ? "(no provenance recorded)" : c.text === "" ? "(blank)" : c.text);
    text("p-place", placeText(c.place));
    text("p-machine", c.correction ? `${c.correction.machine ?? "null"} (corrected: ${c.correction.why})` : c.value === null ? "null" : String(c.value));
    const notes = document.getElementById("p-notes");
    notes.replaceChildren(
      ...[...c.checks.map((k) => [k.severity, `${k.rule}: ${k.message}`]), ...c.diagnostics.map((d) => [d.severity, `${d.code}: ${d.message}`])].map(([sev, s]) => {
        const li = document.createElement("li");
        li.className = sev === "error" ? "bad" : sev === "warning" ? "warn" : "";
        li.textContent = s;
        return li;
      }),
    );
    fValue.value = c.correction ? (c.value === null ? "null" : String(c.value)) : "";
    fWhy.value = c.correction?.why ?? "";
    msg.textContent = "";
    document.getElementById("f-undo").disabled = !c.correction;
    const pl = document.getElementById("placeinfo");
    if (pl) pl.textContent = c.place?.box ? "" : "no box recorded for this cell";
    source.show(c.place);
    if (focusForm) fValue.focus();
  }

  function refresh(data) {
    document.getElementById("tables").innerHTML = data.tables; // rendered and escaped by the server
    document.getElementById("checks").innerHTML = data.checks;
    if (typeof data.copies === "string") document.getElementById("copies").innerHTML = data.copies; // likewise
    cells = data.cells;
    if (current) select(current);
  }

  document.getElementById("tables").addEventListener("click", (e) => {
    const td = e.target instanceof Element && e.target.closest("td.cell");
    if (td) select(td.dataset.key);
  });
  document.getElementById("checks").addEventListener("click", (e) => {
    const a = e.target instanceof Element && e.target.closest("a.goto");
    if (!a) return;
    e.preventDefault();
    select(a.dataset.key);
  });

  // Copies side by side: take one copy's value (the server writes the reason naming it).
  document.getElementById("copies").addEventListener("click", async (e) => {
    const t = e.target instanceof Element ? e.target : null;
    const goto = t?.closest("a.goto");
    if (goto) {
      e.preventDefault();
      select(goto.dataset.key);
      return;
    }
    const use = t?.closest("button.use");
    if (!use) return;
    const cmsg = document.getElementById("copies-msg");
    const why = document.getElementById("copies-why")?.value ?? "";
    try {
      refresh(await post(`/api/report/${id}/choose`, { key: use.dataset.key, document: Number(use.dataset.document), why }));
      document.getElementById("copies-msg").textContent = "saved";
      select(use.dataset.key);
    } catch (err) {
      cmsg.textContent = err.message;
    }
  });

  // The document's organ, year, publication date: the report is re-keyed, so the page is loaded again.
  const meta = document.getElementById("meta");
  const mmsg = document.getElementById("m-msg");
  meta?.addEventListener("submit", async (e) => {
    e.preventDefault();
    mmsg.textContent = "saving…";
    const v = (elId) => document.getElementById(elId).value;
    try {
      await post(`/api/report/${id}/document`, { organ: v("m-organ"), year: v("m-year"), publishedOn: v("m-published"), why: v("m-why") });
      location.reload();
    } catch (err) {
      mmsg.textContent = err.message;
    }
  });
  document.getElementById("m-undo")?.addEventListener("click", async () => {
    try {
      await post(`/api/report/${id}/document/undo`, {});
      location.reload();
    } catch (err) {
      mmsg.textContent = err.message;
    }
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!current) return;
    msg.textContent = "saving…";
    try {
      refresh(await post(`/api/report/${id}/correct`, { key: current, value: fValue.value, why: fWhy.value }));
      msg.textContent = "saved";
    } catch (err) {
      msg.textContent = err.message;
    }
  });
  async function undo() {
    if (!current) return;
    try {
      refresh(await post(`/api/report/${id}/undo`, { key: current }));
      msg.textContent = "undone";
    } catch (err) {
      msg.textContent = err.message;
    }
  }
  document.getElementById("f-undo").addEventListener("click", undo);

  const reviewedBtn = document.getElementById("reviewed");
  async function toggleReviewed() {
    const now = reviewedBtn.dataset.reviewed !== "1";
    try {
      const res = await post(`/api/report/${id}/reviewed`, { reviewed: now });
      reviewedBtn.dataset.reviewed = now ? "1" : "0";
      reviewedBtn.textContent = now ? "✓ reviewed (r: undo)" : "mark report reviewed (r)";
      if (now) location.href = res.next ? `/report/${res.next}` : "/";
    } catch (err) {
      reviewedBtn.textContent = err.message;
    }
  }
  reviewedBtn.addEventListener("click", toggleReviewed);

  function nextFlagged() {
    const flagged = [...document.querySelectorAll("#tables td.cell.flagged")];
    if (!flagged.length) return;
    const at = flagged.findIndex((td) => td.dataset.key === current);
    select(flagged[(at + 1) % flagged.length].dataset.key, true);
  }

  document.getElementById("prev")?.addEventListener("click", () => source.turn(-1));
  document.getElementById("next")?.addEventListener("click", () => source.turn(1));
  document.getElementById("zoomin")?.addEventListener("click", () => source.zoom(1.25));
  document.getElementById("zoomout")?.addEventListener("click", () => source.zoom(0.8));

  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (typing(e)) {
      if (e.key === "Escape") e.target.blur();
      return;
    }
    const keys = {
      n: nextFlagged,
      Enter: () => current && select(current, true),
      Escape: () => (panel.hidden = true),
      u: undo,
      r: toggleReviewed,
      "[": () => source.turn(-1),
      "]": () => source.turn(1),
      "+": () => source.zoom(1.25),
      "=": () => source.zoom(1.25),
      "-": () => source.zoom(0.8),
      q: () => (location.href = "/"),
    };
    const f = keys[e.key];
    if (!f) return;
    e.preventDefault();
    f();
  });
  // Opened from another copy's "show source": that cell selected, its place shown.
  const m = /^#cell=(.+)$/.exec(location.hash);
  if (m) select(decodeURIComponent(m[1]));
  window.xxgkReady = source.ready ?? Promise.resolve();
}

if (document.body.dataset.page === "queue") queuePage();
else if (document.body.dataset.page === "report") reportPage();
