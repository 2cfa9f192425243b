// The review page's HTML, rendered on the server. Every text from a document (organ
// names, cells, messages, file names) goes through `esc`; data for the page's script goes
// in a JSON block that is never executed (`jsonBlock` escapes `<`). No inline script,
// no inline style, no event-handler attribute: the Content-Security-Policy forbids them.
import type { Block, Document } from "../../model/document.js";
import { REQUEST_COLUMNS } from "../../model/record.js";
import type { CorrectedReport } from "../corrections.js";
import { cellViews, codebookByKey, type CellView, type CopiesView, type Queue, type QueueFilter } from "./data.js";

/** Escapes text for HTML content and quoted attribute values. */
export function esc(v: unknown): string {
  return String(v ?? "").replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON for a `<script type="application/json">` block: nothing in it can close the element. */
export function jsonBlock(id: string, data: unknown): string {
  const json = JSON.stringify(data).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  return `<script type="application/json" id="${esc(id)}">${json}</script>`;
}

function layout(title: string, csrf: string, body: string, page: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${esc(csrf)}">
<title>${esc(title)} · xxgk review</title>
<link rel="stylesheet" href="/static/app.css">
<script type="module" src="/static/app.js"></script>
</head><body data-page="${esc(page)}">
${body}
</body></html>`;
}

const fmt = (v: number | null) => (v === null ? "∅" : String(v));

// ---- the queue ---------------------------------------------------------------------------

export function queuePage(q: Queue, f: QueueFilter, csrf: string): string {
  const c = q.counts;
  const sel = (name: string, options: [string, string][], value: string | undefined) =>
    `<label>${esc(name)} <select name="${esc(name)}">${options
      .map(([v, label]) => `<option value="${esc(v)}"${v === (value ?? "") ? " selected" : ""}>${esc(label)}</option>`)
      .join("")}</select></label>`;
  const filters = `<form class="filters" method="get" action="/">
${sel("status", [["todo", "to review"], ["reviewed", "reviewed"], ["all", "all"]], f.status ?? "todo")}
${sel("year", [["", "any year"], ...q.years.map((y): [string, string] => [String(y), String(y)])], f.year === undefined ? "" : String(f.year))}
<label>region <input name="region" value="${esc(f.region ?? "")}" size="6" placeholder="35"></label>
<label>body <input name="body" value="${esc(f.body ?? "")}" size="12"></label>
${sel("rule", [["", "any rule"], ...q.rules.map((r): [string, string] => [r, r])], f.rule ?? "")}
<button type="submit">filter</button></form>`;
  const rows = q.rows
    .map(
      (r, i) => `<tr class="qrow${i === 0 ? " selected" : ""}" data-href="/report/${r.id}">
<td><a href="/report/${r.id}">${esc(r.organ ?? "(body not read)")}</a></td><td>${esc(r.year ?? "?")}</td>
<td>${esc(r.regionCode ?? "")} ${esc(r.regionName ?? "")}</td><td>${esc(r.format)}</td>
<td class="n${r.errors ? " bad" : ""}">${r.errors}</td><td class="n${r.warnings ? " warn" : ""}">${r.warnings}</td><td class="n">${r.nulls}</td>
<td class="n">${r.corrections}${r.toRecheck ? ` <span class="warn">(${r.toRecheck} to recheck)</span>` : ""}</td>
<td>${r.rules.map((x) => `<code>${esc(x)}</code>`).join(" ")}</td><td>${r.reviewed ? "✓" : ""}</td></tr>`,
    )
    .join("\n");
  const body = `<header><h1>xxgk review</h1>
<p class="counts"><b id="count-todo">${c.toReview}</b> to review · ${c.needLook} need a look of ${c.reports} reports ·
${c.errors} with failed checks · ${c.warnings} with warnings · ${c.nulls} with unread cells · ${c.reviewed} reviewed · ${c.corrections} corrections</p>
<p class="keys">j/k move · Enter open</p></header>
${filters}
<table class="queue"><thead><tr><th>body</th><th>year</th><th>region</th><th>format</th><th>errors</th><th>warnings</th><th>unread</th><th>corrections</th><th>rules failed</th><th>reviewed</th></tr></thead>
<tbody>${rows || `<tr><td colspan="10" class="empty">nothing here${f.status === "todo" || !f.status ? " to review" : ""}</td></tr>`}</tbody></table>`;
  return layout("queue", csrf, body, "queue");
}

// ---- one report ----------------------------------------------------------------------------

function cellTd(v: CellView): string {
  const cls = ["cell", `st-${v.status}`];
  if (v.checks.length) cls.push("fail");
  if (v.flagged) cls.push("flagged");
  if (v.correction?.status === "review") cls.push("recheck");
  const title = v.correction ? `machine: ${fmt(v.correction.machine)}; ${v.correction.why}` : v.checks.map((c) => c.message).join("; ");
  return `<td class="${cls.join(" ")}" data-key="${esc(v.key)}" tabindex="-1" title="${esc(title)}">${esc(fmt(v.value))}</td>`;
}

/** The template's tables with every value and its status; failed checks on their cells. */
export function tablesHtml(r: CorrectedReport): string {
  const views = new Map(cellViews(r).map((v) => [v.key, v]));
  const book = codebookByKey();
  const label = (key: string) => book.get(key)?.row ?? key;
  const active = Object.entries(r.record.active)
    .map(([row, cols]) => {
      const keys = Object.keys(cols).map((c) => `active.${row}.${c}`);
      return `<tr><th>${esc(label(keys[0]))}</th>${keys
        .map((k) => `<td class="colname">${esc(book.get(k)?.column ?? k.split(".").pop())}</td>${cellTd(views.get(k)!)}`)
        .join("")}</tr>`;
    })
    .join("\n");
  const colHeads = REQUEST_COLUMNS.map((c) => `<th>${esc(book.get(`requests.newReceived.${c}`)?.column ?? c)}</th>`).join("");
  const requests = Object.keys(r.record.requests)
    .map((row) => {
      const keys = REQUEST_COLUMNS.map((c) => `requests.${row}.${c}`);
      const group = book.get(keys[0])?.group;
      return `<tr><th>${group && row.includes(".") ? `<span class="group">${esc(group)}</span> ` : ""}${esc(label(keys[0]))}</th>${keys.map((k) => cellTd(views.get(k)!)).join("")}</tr>`;
    })
    .join("\n");
  const groups = Object.keys(r.record.reviews);
  const reviewCols = Object.keys(r.record.reviews[groups[0] as keyof typeof r.record.reviews]);
  const reviews = groups
    .map((g) => {
      const keys = reviewCols.map((c) => `reviews.${g}.${c}`);
      return `<tr><th>${esc(label(keys[0]))}</th>${keys.map((k) => cellTd(views.get(k)!)).join("")}</tr>`;
    })
    .join("\n");
  const reviewHeads = reviewCols.map((c) => `<th>${esc(book.get(`reviews.${groups[0]}.${c}`)?.column ?? c)}</th>`).join("");
  return `<h3>二、主动公开政府信息情况</h3><table class="tpl t2"><tbody>${active}</tbody></table>
<h3>三、收到和处理政府信息公开申请情况</h3><table class="tpl t3"><thead><tr><th></th>${colHeads}</tr></thead><tbody>${requests}</tbody></table>
<h3>四、政府信息公开行政复议、行政诉讼情况</h3><table class="tpl t4"><thead><tr><th></th>${reviewHeads}</tr></thead><tbody>${reviews}</tbody></table>`;
}

/** The failed checks, each naming its cell. */
export function checksHtml(r: CorrectedReport): string {
  if (r.record.checks.length === 0) return `<p class="ok" id="checks-ok">all checks pass</p>`;
  return `<ul class="checks">${r.record.checks
    .map((c) => `<li class="${c.severity === "error" ? "bad" : "warn"}" data-key="${esc(c.where)}"><code>${esc(c.rule)}</code> <a href="#" class="goto" data-key="${esc(c.where)}">${esc(c.where)}</a>: ${esc(c.message)}</li>`)
    .join("")}</ul>`;
}

/** Per cell, what the side panel shows; read by the page's script, never executed. */
export function cellData(r: CorrectedReport): Record<string, Omit<CellView, "key">> {
  const out: Record<string, Omit<CellView, "key">> = {};
  const book = codebookByKey();
  for (const v of cellViews(r)) {
    const { key, ...rest } = v;
    const e = book.get(key);
    out[key] = { ...rest, label: e ? `${e.group ? e.group + " · " : ""}${e.row} · ${e.column}` : key } as Omit<CellView, "key">;
  }
  return out;
}

/** Where a value is printed, in words (page and box, table row column, line). */
function placeWords(p: CopiesView["cells"][number]["values"][number]["place"]): string {
  if (!p) return "place not recorded";
  const box = p.box ? `box ${p.box.map((n) => Math.round(n)).join(",")}` : null;
  return [p.page && `page ${p.page}`, box, p.table && `table ${p.table}`, p.row && `row ${p.row}`, p.col && `col ${p.col}`, p.line && `line ${p.line}`]
    .filter(Boolean)
    .join(" · ");
}

/**
 * A report's copies side by side where they print different values: per disagreeing cell,
 * every document's value and place, a link showing that document's source at the cell, a
 * button taking that copy's value (a correction whose reason names the copy), and the
 * report's current value (the best copy's, or a correction).
 */
export function copiesHtml(r: CorrectedReport, copies: CopiesView | null): string {
  if (!copies) return "";
  const book = codebookByKey();
  const label = (key: string) => {
    const e = book.get(key);
    return e ? `${e.group ? e.group + " · " : ""}${e.row} · ${e.column}` : key;
  };
  const views = new Map(cellViews(r).map((v) => [v.key, v]));
  const heads = copies.documents
    .map(
      (d) => `<th data-document="${d.id}">${d.id === r.id ? "this document" : `<a href="/report/${d.id}">document ${d.id}</a>`}<br><span class="meta">${esc(d.format)} · ${esc(d.sha256.slice(0, 12))}${d.id === copies.best ? " · best copy" : ""}</span><br><span class="meta name" title="${esc(d.name)}">${esc(d.name.split(/[\\/]/).pop())}</span></th>`,
    )
    .join("");
  const rows = copies.cells
    .map((c) => {
      const v = views.get(c.key);
      const best = c.values.find((x) => x.document === copies.best)?.value ?? null;
      const now = v?.correction
        ? `${esc(fmt(v.value))} <span class="meta">(corrected: ${esc(v.correction.why)})</span>`
        : `${esc(fmt(best))} <span class="meta">(the best copy's)</span>`;
      const tds = c.values
        .map(
          (x) => `<td class="copy${v?.correction && v.value === x.value ? " chosen" : ""}" data-document="${x.document}"><b class="v">${esc(fmt(x.value))}</b>${x.status && x.status !== "printed" ? ` <span class="meta">${esc(x.status)}</span>` : ""}
<br><span class="meta">${esc(placeWords(x.place))}</span><br><a class="show" href="/report/${x.document}#cell=${encodeURIComponent(c.key)}">show source</a>
<button type="button" class="use" data-key="${esc(c.key)}" data-document="${x.document}">use this</button></td>`,
        )
        .join("");
      return `<tr data-key="${esc(c.key)}"><th><a href="#" class="goto" data-key="${esc(c.key)}">${esc(label(c.key))}</a><br><code>${esc(c.key)}</code></th>${tds}<td class="now">${now}</td></tr>`;
    })
    .join("\n");
  return `<h3>copies of this report disagree on ${copies.cells.length} cell${copies.cells.length === 1 ? "" : "s"}</h3>
<p class="meta">Each document's value, where it prints it, and its source. "use this" stores that copy's value as the report's correction (the reason names the copy); to type another value, click the cell in the tables below.</p>
<label>why (added to the reason) <input id="copies-why" placeholder="e.g. the PDF is the signed original"></label> <span id="copies-msg" role="status"></span>
<table class="copies"><thead><tr><th>cell</th>${heads}<th>the report now</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The document's metadata: what the machine read, a person's correction, and the form to set them. */
export function documentMetaHtml(r: CorrectedReport): string {
  const m = r.machine;
  const c = r.document;
  const unkeyed = r.key === null;
  const cur = (v: unknown) => esc(v ?? "");
  return `<details id="docmeta"${unkeyed ? " open" : ""}><summary>document: organ ${esc(r.record.organ ?? "not read")} · year ${esc(r.record.year ?? "not read")} · published ${esc(r.record.publishedOn ?? "not read")}${c ? " (corrected)" : ""}</summary>
${unkeyed ? `<p class="warn" id="docmeta-why">The machine could not read this document's ${[m.organ === null && "organ", m.year === null && "year"].filter(Boolean).join(" and ") || "body"}: it is not keyed to a report, so its cells cannot be corrected. Set them from what the document shows.</p>` : ""}
<p class="meta">machine read: organ ${esc(m.organ ?? "—")} · year ${esc(m.year ?? "—")} · published ${esc(m.publishedOn ?? "—")}${c ? ` · corrected: ${esc(c.why)}${c.by ? ` (${esc(c.by)})` : ""}` : ""}</p>
<form id="meta" autocomplete="off">
<label>organ <input id="m-organ" value="${cur(c?.organ)}" placeholder="${esc(m.organ ?? "as the document names it")}"></label>
<label>year <input id="m-year" value="${cur(c?.year)}" size="5" placeholder="${esc(m.year ?? "YYYY")}"></label>
<label>published <input id="m-published" value="${cur(c?.publishedOn)}" size="10" placeholder="${esc(m.publishedOn ?? "YYYY-MM-DD")}"></label>
<label>why <input id="m-why" placeholder="where the document shows it"></label>
<button type="submit" id="m-save">save</button> <button type="button" id="m-undo"${c ? "" : " disabled"}>undo</button> <span id="m-msg" role="status"></span>
</form></details>`;
}

export interface ReportPageInput {
  report: CorrectedReport;
  reviewed: boolean;
  /** The report's copies where they disagree, or null. */
  copies?: CopiesView | null;
  /** pdf: drawn by pdf.js from /source/ID; other formats: the document rendered here; null: bytes not kept. */
  source: { kind: "pdf" } | { kind: "document"; html: string } | { kind: "missing"; why: string };
  next: number | null;
}

export function reportPage(p: ReportPageInput, csrf: string): string {
  const r = p.report;
  const title = `${r.record.organ ?? "(body not read)"} · ${r.record.year ?? "?"}`;
  const source =
    p.source.kind === "pdf"
      ? `<div class="pdfbar"><button id="prev" type="button" title="previous page ([)">‹</button> <span id="pageno">…</span> <button id="next" type="button" title="next page (])">›</button>
<button id="zoomout" type="button" title="zoom out (-)">−</button> <button id="zoomin" type="button" title="zoom in (+)">+</button> <span id="placeinfo"></span></div>
<div id="pdfview" data-src="/source/${r.id}"><canvas id="pdfcanvas"></canvas><div id="hl" hidden></div></div>`
      : p.source.kind === "document"
        ? `<div id="docview">${p.source.html}</div>`
        : `<p class="missing">${esc(p.source.why)}</p>`;
  const body = `<header><a href="/" id="back">← queue</a> <h1>${esc(title)}</h1>
<span class="meta">${esc(r.record.source.format)} · template ${esc(r.record.template)} · ${esc(r.record.region?.name ?? "region not placed")} · ${esc(r.record.source.path ?? r.record.source.url ?? "")}</span>
<button id="reviewed" type="button" data-reviewed="${p.reviewed ? "1" : "0"}"${r.key ? "" : " disabled"}>${p.reviewed ? "✓ reviewed (r: undo)" : "mark report reviewed (r)"}</button>
<p class="keys">n next flagged cell · Enter edit · Esc close · u undo · r reviewed · [ ] pages · − + zoom · q queue</p></header>
<main class="split" data-report="${r.id}" data-next="${p.next ?? ""}" data-correctable="${r.key ? "1" : "0"}">
<section id="source" data-kind="${esc(p.source.kind)}">${source}</section>
<section id="right">
${documentMetaHtml(r)}
<div id="copies">${copiesHtml(r, p.copies ?? null)}</div>
<div id="checks">${checksHtml(r)}</div>
<div id="tables">${tablesHtml(r)}</div>
</section>
<aside id="panel" hidden>
<h2 id="p-label"></h2><p><code id="p-key"></code></p>
<dl><dt>value</dt><dd id="p-value"></dd><dt>status</dt><dd id="p-status"></dd><dt>printed</dt><dd id="p-text"></dd><dt>place</dt><dd id="p-place"></dd><dt>machine</dt><dd id="p-machine"></dd></dl>
<ul id="p-notes"></ul>
<form id="correct" autocomplete="off"><label>value <input id="f-value" name="value" placeholder="number or null"></label>
<label>why <input id="f-why" name="why" placeholder="what the page shows, where"></label>
<button type="submit" id="f-save">save</button> <button type="button" id="f-undo">undo</button> <span id="f-msg" role="status"></span></form>
</aside>
</main>
${jsonBlock("cells", cellData(r))}`;
  return layout(title, csrf, body, "report");
}

// ---- a non-PDF source, rendered from the document model --------------------------------------

/**
 * The document's own tables and paragraphs, escaped, with the places record v2 names:
 * `data-table`/`data-row`/`data-col` (1-based, merged cells expanded) and `data-line`.
 */
export function documentHtml(doc: Document): string {
  let tableNo = 0;
  const out: string[] = [];
  for (const b of doc.blocks as Block[]) {
    if (b.kind === "paragraph") {
      out.push(`<p${b.place?.line ? ` data-line="${b.place.line}"` : ""}>${esc(b.text)}</p>`);
      continue;
    }
    tableNo++;
    const taken: boolean[][] = [];
    const rows = b.rows.map((cells, ri) => {
      taken[ri] ??= [];
      let col = 0;
      const tds = cells.map((c) => {
        while (taken[ri][col]) col++;
        const at = col + 1;
        for (let dr = 0; dr < Math.max(1, c.rowSpan); dr++)
          for (let dc = 0; dc < Math.max(1, c.colSpan); dc++) (taken[ri + dr] ??= [])[col + dc] = true;
        col += Math.max(1, c.colSpan);
        const span = `${c.rowSpan > 1 ? ` rowspan="${c.rowSpan}"` : ""}${c.colSpan > 1 ? ` colspan="${c.colSpan}"` : ""}`;
        return `<td data-row="${ri + 1}" data-col="${at}"${span}>${esc(c.text)}</td>`;
      });
      return `<tr>${tds.join("")}</tr>`;
    });
    out.push(`<table class="doc" data-table="${tableNo}">${rows.join("")}</table>`);
  }
  return out.join("\n");
}

/** A text file's lines, numbered, escaped. */
export function textHtml(text: string): string {
  return `<ol class="lines">${text
    .split(/\r\n|\r|\n/)
    .map((l, i) => `<li data-line="${i + 1}">${esc(l)}</li>`)
    .join("")}</ol>`;
}

export function messagePage(title: string, message: string, csrf = ""): string {
  return layout(title, csrf, `<header><a href="/">← queue</a><h1>${esc(title)}</h1></header><p>${esc(message)}</p>`, "message");
}
