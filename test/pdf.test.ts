// The PDF extractor: exact grids from ruled tables LibreOffice and Chromium printed,
// tables joined across page breaks, unruled tables rebuilt row by row, paragraphs,
// running heads, and every way a PDF fails (scan, password, truncation, timeout, bounds).
// Fixtures: scripts/make-pdf-cases.ts → test/fixtures/pdf-cases/ (*.grid.json is the data
// the HTML was written from, never the extractor's own output).
import { spawnSync } from "node:child_process";
import { deflateSync } from "node:zlib";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { extractPdf } from "../extractors/pdf.js";
import { ParsePool, workerFile } from "../src/parse-pool.js";
import type { Document } from "../model/document.js";
import { DEFAULT_LIMITS, type Limits } from "../model/limits.js";
import { failure, paragraphs, tables } from "./helpers/document.js";
import { parseReport } from "../src/pipeline.js";
import { cellsOf } from "../model/cells.js";

const dir = "test/fixtures/pdf-cases/";
const read = (f: string) => new Uint8Array(readFileSync(dir + f));
const extract = (f: string | Uint8Array, limits: Partial<Limits> = {}) =>
  extractPdf(typeof f === "string" ? read(f) : f, { name: typeof f === "string" ? f : "file.pdf", limits: { ...DEFAULT_LIMITS, ...limits } });

type G = [string, number, number][][][];
const expected = (f: string): G => JSON.parse(readFileSync(dir + f.replace(/\.pdf$/, ".grid.json"), "utf8"));
/** Tables as [text, rowSpan, colSpan] per origin cell; a PDF cannot tell a wrapped line from a typed break, so "\n" is dropped. */
const grids = (d: Document): G => tables(d).map((t) => t.rows.map((r) => r.map((c) => [c.text.replace(/\n/g, ""), c.rowSpan, c.colSpan])));

const pool = new ParsePool({ jobs: 1 });
afterAll(() => pool.close());

describe("ruled tables (lattice)", () => {
  for (const f of ["lattice.pdf", "pagebreak.pdf", "chromium.pdf", "nonembedded.pdf"])
    it(`${f}: every table exactly as the source wrote it (text, rowSpan, colSpan)`, async () => {
      const d = await extract(f);
      expect(grids(d)).toEqual(expected(f));
      expect(tables(d).every((t) => t.exactGrid)).toBe(true);
    });

  it("joins lines inside a cell with \\n and CJK glyphs with nothing", async () => {
    const d = await extract("lattice.pdf");
    const [, req, rev] = tables(d);
    // 社会公益组织 wraps over three lines in its narrow column.
    expect(req.rows[2].map((c) => c.text)).toEqual(["商业企业", "科研\n机构", "社会\n公益\n组织", "法律服务\n机构", "其他"]);
    expect(req.rows[5][0]).toMatchObject({ text: "三、本年\n度办理结\n果", rowSpan: 22, colSpan: 1 });
    expect(rev.rows[3].map((c) => c.text)).toEqual(expected("lattice.pdf")[2][3].map((c) => c[0]));
    // Blank cells are "" and stay in place.
    expect(tables(d)[0].rows[2].map((c) => c.text)).toEqual(["规章", "16", "", "21"]);
  });

  it("a table broken across pages is one table: a split row is one row, a spanning label keeps its span", async () => {
    for (const f of ["lattice.pdf", "pagebreak.pdf"]) {
      const d = await extract(f);
      expect(tables(d)).toHaveLength(3);
      expect(d.diagnostics.some((x) => x.source === "pdf:table-continued")).toBe(true);
    }
    // lattice.pdf breaks the row 3.要求提供公开出版物 between 出版 and 物.
    const d = await extract("lattice.pdf");
    const row = tables(d)[1].rows.find((r) => r.some((c) => c.text.startsWith("3.要求提供")))!;
    expect(row.map((c) => c.text)).toEqual(["3.要求提供公开出版\n物", "584", "590", "595", "598", "604", "609", "612"]);
    expect(tables(d)[1].rows.find((r) => r[0]?.text.startsWith("（五"))![0].rowSpan).toBe(5);
  });

  it("Chromium: the <thead> repeated on the next page is dropped, the running header and page numbers are gone", async () => {
    const d = await extract("chromium.pdf");
    expect(tables(d)[1].rows.filter((r) => r.some((c) => c.text === "申请人情况"))).toHaveLength(1);
    expect(paragraphs(d)).not.toContain("某某区人民政府门户网站");
    expect(paragraphs(d).filter((p) => /^\d+$/.test(p))).toEqual([]);
    expect(d.diagnostics.some((x) => x.source === "pdf:running-heads")).toBe(true);
  });

  it("a non-embedded Chinese font (STSong-Light) still yields its text: the CMaps are loaded", async () => {
    const bytes = readFileSync(dir + "nonembedded.pdf").toString("latin1");
    expect(bytes).toContain("/BaseFont /STSong-Light");
    expect(bytes).not.toMatch(/FontFile/);
    const d = await extract("nonembedded.pdf");
    expect(paragraphs(d)).toEqual(["某某局政府信息公开工作年度报告", "本年度，我局认真贯彻落实政府信息公开条例。", "二、收到和处理政府信息公开申请情况"]);
  });
});

describe("paragraphs", () => {
  it("in reading order, lines broken at the page width joined, tables in place", async () => {
    const d = await extract("lattice.pdf");
    const shape = d.blocks.map((b) => (b.kind === "paragraph" ? b.text.slice(0, 12) : `T${b.place?.table}`));
    expect(shape.slice(0, 6)).toEqual(["某某区商务局2024年政", "一、总体情况", "1、本年度，我局坚持以习", "二、主动公开政府信息情况", "T0", "三、收到和处理政府信息公"]);
    // The paragraph runs over three printed lines, broken inside 《中华人民共和国…》.
    expect(paragraphs(d)[2]).toBe(
      "1、本年度，我局坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《中华人民共和国政府信息公开条例》，围绕中心工作，持续深化政务公开，主动回应社会关切，不断提升政务服务水平。",
    );
    expect(paragraphs(d).slice(-4)).toEqual(["五、存在的主要问题及改进情况", "一是公开内容还不够全面，二是解读形式较为单一。下一步，我局将进一步加强培训，提高公开质量。", "六、其他需要报告的事项", "本年度未收取信息处理费。"]);
    expect(d.meta).toEqual({ pages: 3, title: "某某区商务局2024年政府信息公开工作年度报告" });
  });
});

describe("unruled tables (stream)", () => {
  it("borderless.pdf: every row with numbers comes back with its label and its values in their columns, blanks included", async () => {
    const d = await extract("borderless.pdf");
    const ts = tables(d);
    expect(ts.length).toBeGreaterThan(0);
    expect(ts.every((t) => !t.exactGrid)).toBe(true);
    // The record says its tables were inferred (a warning), a ruled PDF's does not.
    expect(d.diagnostics.filter((x) => x.source === "table:inferred").map((x) => x.severity)).toEqual(["warning"]);
    expect((await extract("lattice.pdf")).diagnostics.some((x) => x.source === "table:inferred" || x.source === "pdf:stream-table")).toBe(false);
    const ours = ts.flatMap((t) => t.rows.map((r) => r.map((c) => c.text.replace(/\n/g, ""))));
    const want = expected("borderless.pdf")
      .flat()
      .filter((r) => r.some((c) => /^\d+(\.\d+)?$/.test(c[0])));
    let checked = 0;
    for (const row of want) {
      const texts = row.map((c) => c[0]);
      const firstValue = texts.findIndex((t) => /^\d+(\.\d+)?$/.test(t) || t === "");
      const labels = texts.slice(0, Math.max(firstValue, 0));
      const values = texts.slice(Math.max(firstValue, 0));
      if (values.length < 7) continue; // table 2's one-value rows (colspan 3) are checked below
      // Table 4's one number row too: a blank there is placed by the column head above it.
      const hit = ours.find((r) => r.slice(-values.length).join("|") === values.join("|"));
      expect(hit, `row ${texts.join(" ")}`).toBeDefined();
      const last = labels[labels.length - 1];
      if (last) expect(hit!.join(""), `label of ${texts.join(" ")}`).toContain(last.slice(-4));
      checked++;
    }
    expect(checked).toBe(26); // 25 rows of table 3 and the number row of table 4
    expect(ours.find((r) => r[0] === "规章")).toEqual(["规章", "16", "", "21"]);
  });
});

// The shared report fixtures (another generator, test/fixtures/manifest.json): every PDF
// with ruled tables extracts exactly to its grid.json; unruled ones row by row.
const MANIFEST = "test/fixtures/manifest.json";
interface ManifestEntry {
  file: string;
  format: string;
  layout: string;
  grid?: string;
}
const manifestPdfs: ManifestEntry[] = (JSON.parse(readFileSync(MANIFEST, "utf8")) as ManifestEntry[]).filter((e) => e.format === "pdf" && e.grid);
const fixtureGrid = (e: ManifestEntry): G =>
  (JSON.parse(readFileSync(join("test/fixtures", e.grid!), "utf8")) as { rows: { text: string; rowSpan: number; colSpan: number }[][] }[]).map((t) =>
    t.rows.map((r) => r.map((c) => [c.text.replace(/\n/g, ""), c.rowSpan, c.colSpan])),
  );
const extractFixture = (e: ManifestEntry) =>
  extractPdf(new Uint8Array(readFileSync(join("test/fixtures", e.file))), { name: e.file, limits: DEFAULT_LIMITS });

describe("report fixtures (manifest.json)", () => {
  it("holds ruled and unruled PDFs", () => {
    expect(manifestPdfs.filter((x) => !x.layout.includes("noborder")).length).toBeGreaterThan(0);
    expect(manifestPdfs.filter((x) => x.layout.includes("noborder")).length).toBeGreaterThan(0);
  });

  for (const e of manifestPdfs.filter((x) => !x.layout.includes("noborder")))
    it(`${e.file} (${e.layout}): tables exactly as generated`, async () => {
      const d = await extractFixture(e);
      expect(grids(d)).toEqual(fixtureGrid(e));
      expect(tables(d).every((t) => t.exactGrid)).toBe(true);
    });

  for (const e of manifestPdfs.filter((x) => x.layout.includes("noborder")))
    it(`${e.file} (${e.layout}): every row of table 3 with its values in place, in its own row`, async () => {
      const d = await extractFixture(e);
      expect(tables(d).every((t) => !t.exactGrid)).toBe(true);
      const ours = tables(d).flatMap((t) => t.rows.map((r) => r.map((c) => c.text.replace(/\n/g, ""))));
      const want = fixtureGrid(e)[1].filter((r) => r.length >= 8 && /^\d/.test(r[r.length - 1][0]));
      expect(want.length).toBeGreaterThanOrEqual(20);
      // Rows in the printed order, each after the one before: values found in another
      // row (a row's numbers given to its neighbour) do not count.
      let at = -1;
      for (const row of want) {
        const values = row.slice(-7).map((c) => c[0]);
        const label = row.slice(0, -7).map((c) => c[0]).filter(Boolean).pop() ?? "";
        const k = ours.findIndex((r, i) => i > at && r.slice(-7).join("|") === values.join("|"));
        expect(k > at, `row ${row.map((c) => c[0]).join(" ")}`).toBe(true);
        // Its own label, where the row has one of its own (a sub-row's label shows its tail).
        const ownLabel = ours[k].slice(0, -7).join("");
        if (ownLabel) expect(ownLabel, `label of ${row.map((c) => c[0]).join(" ")}`).toContain(label.slice(-3));
        at = k;
      }
    });
});

describe("failures", () => {
  it("an OCR'd scan (invisible text over a picture of the page): read by this OCR, the layer set aside; without Tesseract from the layer, with a warning", async () => {
    const bytes = readFileSync("test/fixtures/pdf-cases/ocr.pdf");
    // The page is page 1 of lattice.pdf as a picture: its values are lattice.pdf's.
    const lattice = await parseReport({ bytes: readFileSync("test/fixtures/pdf-cases/lattice.pdf"), name: "lattice.pdf" });
    if (!lattice.ok) throw new Error(lattice.message);
    const printed = new Map(cellsOf(lattice.record).map(([t, r, c, v]) => [`${t}.${r}.${c}`, v]));
    const own = await parseReport({ bytes, name: "ocr.pdf", limits: { timeoutMs: 240_000 } });
    if (!own.ok) throw new Error(own.message);
    const read = cellsOf(own.record).filter(([, , , v]) => v !== null);
    expect(read.filter(([t, r, c, v]) => printed.get(`${t}.${r}.${c}`) !== v)).toEqual([]);
    expect(read.length).toBeGreaterThanOrEqual(50); // 62 here; the layer gives 2
    expect(own.record.diagnostics.find((d) => d.code === "pdf.ocrLayer")).toMatchObject({ severity: "info", message: expect.stringContaining("read by OCR here instead") });

    const before = process.env.XXGK_TESSERACT;
    process.env.XXGK_TESSERACT = "/nonexistent/tesseract";
    try {
      const d = await extract("ocr.pdf");
      const w = d.diagnostics.filter((x) => x.source === "pdf:ocr-layer");
      expect(w).toHaveLength(1);
      expect(w[0]).toMatchObject({ severity: "warning", place: { page: 1 } });
      expect(w[0].message).toContain("invisible layer over an image");
      expect(w[0].message).toContain("numbers are read from that layer");
      expect(paragraphs(d).join("")).toContain("政府信息公开");
      for (const f of ["lattice.pdf", "borderless.pdf", "chromium.pdf", "nonembedded.pdf"])
        expect((await extract(f)).diagnostics.some((x) => x.source === "pdf:ocr-layer")).toBe(false);
      // Its layer runs two labels together (规章行政规范 | 性文件) over numbers stacked in two
      // lines (16 _ 21 / 24 30 35): none of that row is read, and its cells say so: unread,
      // never "blank" where the page prints 30 and 35.
      const out = await parseReport({ bytes, name: "ocr.pdf" });
      expect(out.ok).toBe(true);
      if (!out.ok) return;
      const prov = out.record.provenance as Record<string, { status: string }>;
      for (const k of ["issued", "repealed", "inForce"]) {
        const key = `active.normativeDocuments.${k}`;
        expect([key, (out.record.active.normativeDocuments as Record<string, number | null>)[k], prov[key].status]).toEqual([key, null, "unreadable"]);
        expect(out.record.diagnostics.some((x) => x.key === key && x.severity === "warning")).toBe(true);
      }
    } finally {
      if (before === undefined) delete process.env.XXGK_TESSERACT;
      else process.env.XXGK_TESSERACT = before;
    }
  }, 240_000);

  it("a scan (pages are images, no text layer) without Tesseract → scanned", async () => {
    // With Tesseract the scan is read by OCR (test/ocr.test.ts); here the setting points at none.
    const before = process.env.XXGK_TESSERACT;
    process.env.XXGK_TESSERACT = "/nonexistent/tesseract";
    const e = await failure(extract("scanned.pdf")).finally(() => (before === undefined ? delete process.env.XXGK_TESSERACT : (process.env.XXGK_TESSERACT = before)));
    expect(e.code).toBe("scanned");
    expect(e.message).toContain("no text layer (scanned)");
  });

  it("a password → encrypted", async () => {
    expect((await failure(extract("encrypted.pdf"))).code).toBe("encrypted");
  });

  it("locked only against copying, printing and changes (an owner password, no password to open: as portals publish) → read as the file itself", async () => {
    const work = mkdtempSync(join(tmpdir(), "xxgk-locked-"));
    try {
      const source = "test/fixtures/reports/r2021.lo.pdf";
      const own = await parseReport({ bytes: readFileSync(source), name: "r2021.lo.pdf" });
      if (!own.ok) throw new Error(own.message);
      // AES-256, and the older RC4 128-bit most portals' files still carry.
      for (const how of [["256"], ["128", "--use-aes=n"]]) {
        const out = join(work, `locked-${how[0]}.pdf`);
        const r = spawnSync("qpdf", ["--allow-weak-crypto", "--encrypt", "", "owner-secret", ...how, "--extract=n", "--print=none", "--modify=none", "--", source, out]);
        expect(r.status, r.stderr.toString()).toBe(0);
        expect(readFileSync(out).toString("latin1")).toContain("/Encrypt");
        const locked = await parseReport({ bytes: readFileSync(out), name: "r2021.lo.pdf" });
        if (!locked.ok) throw new Error(`${how[0]}: ${locked.code}: ${locked.message}`);
        expect(cellsOf(locked.record), how[0]).toEqual(cellsOf(own.record));
        expect([locked.record.organ, locked.record.year, locked.record.publishedOn]).toEqual([own.record.organ, own.record.year, own.record.publishedOn]);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("truncated, not a PDF, empty, too large", async () => {
    expect((await failure(extract("truncated.pdf"))).code).toBe("corrupt-pdf");
    expect((await failure(extract(new TextEncoder().encode("<html>not a pdf</html>")))).code).toBe("corrupt-pdf");
    expect((await failure(extract(new Uint8Array(0)))).code).toBe("empty");
    expect((await failure(extract("lattice.pdf", { maxFileBytes: 1000 }))).code).toBe("too-large");
    // A PDF header and garbage.
    expect((await failure(extract(new TextEncoder().encode("%PDF-1.7\n" + "x".repeat(2000))))).code).toBe("corrupt-pdf");
  });

  it("reads only limits.maxPdfPages pages and says so", async () => {
    const d = await extract("lattice.pdf", { maxPdfPages: 1 });
    expect(d.meta.pages).toBe(3);
    expect(d.diagnostics.find((x) => x.source === "pdf:pages-limit")).toMatchObject({ severity: "warning" });
    expect(paragraphs(d)).not.toContain("六、其他需要报告的事项");
    expect(paragraphs(d)).toContain("一、总体情况");
  });

  it("a stream that inflates past limits.maxPdfInflateBytes (a Flate bomb) → too-large; the next document reads", async () => {
    // A page whose content stream is 4 MB of path operators, deflated to a few KB.
    const content = deflateSync(Buffer.from("0 0 m 1 1 l S\n".repeat(300_000)));
    const objs = [
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
    ];
    const parts: Buffer[] = [Buffer.from("%PDF-1.7\n")];
    const offsets: number[] = [];
    const size = () => parts.reduce((n, b) => n + b.length, 0);
    objs.forEach((o, i) => {
      offsets.push(size());
      parts.push(Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`));
    });
    offsets.push(size());
    parts.push(Buffer.from(`4 0 obj\n<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`), content, Buffer.from("\nendstream\nendobj\n"));
    const xref = size();
    parts.push(Buffer.from(`xref\n0 5\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`));
    const bomb = new Uint8Array(Buffer.concat(parts));
    const e = await failure(extract(bomb, { maxPdfInflateBytes: 1_000_000 }));
    expect(e.code).toBe("too-large");
    expect(e.message).toContain("limits.maxPdfInflateBytes");
    // Under the default budget the same file is no bomb: it reads (a page with no text).
    expect((await failure(extract(bomb))).code).toBe("no-text");
    expect(tables(await extract("lattice.pdf"))).toHaveLength(3);
  });

  it("a parse over limits.timeoutMs: its worker is ended → timeout; the next document gets a fresh worker", async () => {
    // Loading the readers and pdfjs alone takes longer than 50 ms: the pool's clock (started
    // when the document is handed over) ends the worker before the reader's own deadline
    // check, which comes only after pdfjs has read every page.
    // A PDF's hard limit is timeoutMs + ocrTimeoutMs (it may turn out to be a scan): no OCR time here.
    const e = await pool.parse({ bytes: read("lattice.pdf"), name: "lattice.pdf", limits: { timeoutMs: 50, ocrTimeoutMs: 0 } });
    expect(e).toMatchObject({ ok: false, code: "timeout" });
    expect(e.ok || e.message).toContain("its worker was ended");
    const next = await pool.parse({ bytes: read("lattice.pdf"), name: "lattice.pdf" });
    expect(next.ok || next.message).toBe(true);
  });

  it("the caller's bytes stay usable (pdfjs and the worker get copies)", async () => {
    const bytes = read("nonembedded.pdf");
    await extract(bytes);
    await pool.parse({ bytes, name: "nonembedded.pdf" });
    expect(bytes.byteLength).toBeGreaterThan(1000);
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe("%PDF-");
  });
});

describe("the parse worker", () => {
  it("is parse-worker.js next to the compiled module, parse-worker.ts through tsx from sources", () => {
    expect(workerFile("file:///anywhere/dist/src/parse-pool.js")).toBe("file:///anywhere/dist/src/parse-worker.js");
    // From sources: tsx is resolved from the module's own place, wherever the repository is.
    const here = new URL("../src/parse-pool.ts", import.meta.url).href;
    const dev = decodeURIComponent(workerFile(here));
    expect(dev.startsWith("data:text/javascript,")).toBe(true);
    expect(dev).toContain(JSON.stringify(new URL("../src/parse-worker.ts", import.meta.url).href));
  });

  it("compiled JS runs the worker too", () => {
    const out = resolve("node_modules/.cache/xxgk-pool-test");
    rmSync(out, { recursive: true, force: true });
    try {
      const tsc = spawnSync(process.execPath, [resolve("node_modules/typescript/bin/tsc"), "-p", "tsconfig.json", "--outDir", out], { encoding: "utf8" });
      expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
      expect(existsSync(join(out, "src/parse-worker.js"))).toBe(true);
      writeFileSync(join(out, "package.json"), '{"type":"module"}');
      const script = `import { ParsePool } from ${JSON.stringify(join(out, "src/parse-pool.js"))};
import { readFileSync } from "node:fs";
const pool = new ParsePool({ jobs: 1 });
const o = await pool.parse({ bytes: readFileSync(${JSON.stringify(resolve("test/fixtures/reports/r2019.lo.pdf"))}), name: "r2019.lo.pdf" });
console.log(o.ok ? o.record.source.format + " " + o.record.year : o.code);
await pool.close();`;
      const tmp = mkdtempSync(join(out, "run-"));
      writeFileSync(join(tmp, "run.mjs"), script);
      const run = spawnSync(process.execPath, [join(tmp, "run.mjs")], { encoding: "utf8", timeout: 60_000 });
      expect(run.stderr).toBe("");
      expect(run.stdout.trim()).toBe("pdf 2020");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("numbers cut at a page's edge", () => {
  const page = (runs: { str: string; x: number; w: number }[]) => ({
    page: 1,
    box: { x0: 0, y0: 0, x1: 595.3, y1: 841.9 },
    runs: runs.map((r) => ({ ...r, y: 700, size: 12 })),
    h: [],
    v: [],
    images: 0,
    largestImage: 0,
    hiddenText: 0,
    shownText: runs.length,
  });

  it("turns the number at the run's cut end into unread digits, keeping the run's other numbers and its length", async () => {
    const { cutAtPageEdge } = await import("../extractors/pdf/build.js");
    const p = page([
      { str: "2291 2698 1501", x: 500.3, w: 101.1 }, // past the right edge: its last number is cut
      { str: "14", x: 579.3, w: 15.2 }, // ends 0.8 pt from the edge (the rest re-printed away)
      { str: "123", x: 300, w: 22.8 }, // inside: kept
      { str: "规章", x: 590, w: 24 }, // a label past the edge: no number, kept
      { str: "88 45", x: -6, w: 40 }, // past the left edge: its first number is cut
    ]);
    expect(cutAtPageEdge([p])).toEqual([{ page: 1, count: 3 }]);
    expect(p.runs.map((r) => r.str)).toEqual(["2291 2698 ????", "??", "123", "规章", "?? 45"]);
  });
});
