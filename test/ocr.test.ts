// Scanned PDFs read by OCR (extractors/pdf/ocr.ts): every page a picture, no text layer.
// Fixtures: scripts/make-scan-fixtures.ts → test/fixtures/scans/, ruled and borderless report
// fixtures of both templates printed as greyscale JPEGs (150 and 200 dpi, turned up to 1°, grain and
// specks), each held to its source's expected record: every value read is the printed
// one, every value not read is null with a warning naming its row. Never a wrong number.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closePdfWorkers, extractPdf } from "../extractors/pdf.js";
import { guardLabels, OCR_DPI, UNSURE } from "../extractors/pdf/ocr.js";
import { inkedBlanks } from "../extractors/pdf/ocr-blanks.js";
import { confirmDates } from "../extractors/pdf/ocr-dates.js";
import { binarize, eraseRules, heaviestBand, marks, MAX_SKEW_DEG, otsu, quarterTurn, readPgm, rotate, rules, skewAngle, writePgm, type Gray } from "../extractors/pdf/scan-image.js";
import { run } from "../extractors/pdf/scan-tools.js";
import { cellsOf } from "../model/cells.js";
import { cell, type Diagnostic, type Document, type Table } from "../model/document.js";
import type { ReportRecord } from "../model/record.js";
import { DEFAULT_LIMITS, type Limits } from "../model/limits.js";
import { parseReport } from "../src/pipeline.js";
import { failure } from "./helpers/document.js";

const dir = "test/fixtures/scans";
/** Scanned fixtures whose signature date is read (each read date must be the printed one). */
const DATES_READ = 6;
/**
 * Scanned fixtures whose year is read (each the printed one): all 9 since a year the title
 * or the overview prints with its digits unsure is read again on its line (ocr-dates.ts)
 * and an overview heading that lost its numeral opens the overview; 6 before.
 */
const YEARS_READ = 9;
interface Scan { file: string; source: string; template: string; expected: string; dpi: number; rotation: number; tables: "ruled" | "borderless"; turns?: number[]; textPages?: number[] }
const scans = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Scan[];
/** Scans (every page a picture) of ruled tables; mixed PDFs (some pages text) apart. */
const ruled = scans.filter((s) => s.tables === "ruled" && !s.textPages);
const mixed = scans.filter((s) => s.textPages);
const bytes = (f: string) => new Uint8Array(readFileSync(join(dir, f)));
const extract = (f: string, limits: Partial<Limits> = {}) => extractPdf(bytes(f), { name: f, limits: { ...DEFAULT_LIMITS, ...limits } });
const tablesOf = (d: Document) => d.blocks.filter((b): b is Table => b.kind === "table");

/** Runs fn with the Tesseract command pointed elsewhere (the XXGK_TESSERACT setting). */
async function withTesseract<T>(cmd: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env.XXGK_TESSERACT;
  process.env.XXGK_TESSERACT = cmd;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.XXGK_TESSERACT;
    else process.env.XXGK_TESSERACT = before;
  }
}

afterAll(() => closePdfWorkers());

describe("scanned report fixtures", () => {
  it("cover both templates, 150 and 200 dpi, turned both ways, ruled and borderless tables", () => {
    for (const kind of ["ruled", "borderless"]) {
      const these = scans.filter((s) => s.tables === kind && !s.textPages);
      expect(new Set(these.map((s) => s.template))).toEqual(new Set(["2021", "2019"]));
      expect(new Set(these.map((s) => s.dpi))).toEqual(new Set([150, 200]));
      expect(these.some((s) => s.rotation > 0) && these.some((s) => s.rotation < 0)).toBe(true);
    }
    for (const s of scans) expect(readFileSync(join(dir, s.file)).length).toBeLessThan(600 * 1024);
  });

  const totals = { read: 0, wanted: 0, wrong: 0, exactFixtures: 0, dates: 0, years: 0 };
  // Each fixture is read once (OCR is the test's time), by whichever test needs it first.
  const outcomes = new Map<string, ReturnType<typeof parseReport>>();
  const parsed = (s: Scan) => {
    if (!outcomes.has(s.file)) outcomes.set(s.file, parseReport({ bytes: bytes(s.file), name: s.file, limits: { timeoutMs: 240_000 } }));
    return outcomes.get(s.file)!;
  };
  /** Printed values of a fixture, and how many of them the record holds as printed. */
  const tally = (s: Scan, r: ReportRecord) => {
    const w = JSON.parse(readFileSync(join(dir, s.expected), "utf8"));
    const wanted = new Map(cellsOf(w).map(([t, row, c, v]) => [`${t}.${row}.${c}`, v]));
    let read = 0, shown = 0;
    for (const [t, row, c, v] of cellsOf(r)) {
      const x = wanted.get(`${t}.${row}.${c}`) ?? null;
      if (x !== null) shown++;
      if (v !== null && v === x) read++;
    }
    return { read, shown };
  };
  for (const s of scans) {
    it(`${s.file}: no wrong value; every value not read is null with a warning`, { timeout: 240_000 }, async () => {
      const out = await parsed(s);
      if (!out.ok) throw new Error(`${s.file}: ${out.code} ${out.message}`);
      const r = out.record;
      const w = JSON.parse(readFileSync(join(dir, s.expected), "utf8"));
      expect(r.template).toBe(w.template);
      // The year from the OCR'd title, and the date from its signature: the printed ones, or none.
      expect([w.year, null]).toContain(r.year);
      expect([w.publishedOn, null]).toContain(r.publishedOn);
      if (r.publishedOn !== null) totals.dates++;
      if (r.year !== null) totals.years++;
      expect(r.diagnostics.some((x) => x.code === "ocr.read" && x.message.includes("read by OCR"))).toBe(true);
      // Pages fed to the scanner on their side or upside down are said to be read turned upright, and no other.
      const turned = (s.turns ?? []).flatMap((t, k) => (t ? [{ page: k + 1, by: (4 - t) * 90 }] : []));
      expect(r.diagnostics.filter((x) => x.code === "ocr.turned").map((x) => ({ page: x.place?.page, by: Number(/turned (\d+)°/.exec(x.message)?.[1]) }))).toEqual(turned);
      // Values read from the image say so; names read from it are flagged as OCR'd text.
      for (const [k, p] of Object.entries(r.provenance)) if (p.status === "ocr" && k.includes(".")) expect(p.confidence, k).toBeGreaterThan(0);
      // (The title is on page 1: printed text where that page has a text layer, in a mixed PDF.)
      if (r.organ !== null) expect(r.provenance.organ.status).toBe(s.textPages?.includes(1) ? "printed" : "ocr");
      if (r.checks.length) expect(r.diagnostics.some((x) => x.code === "ocr.checksFail" && x.severity === "error")).toBe(true);
      const wanted = new Map(cellsOf(w).map(([t, row, c, v]) => [`${t}.${row}.${c}`, v]));
      const wrong: string[] = [];
      const saidBlank: string[] = [];
      let read = 0, shown = 0;
      for (const [t, row, c, v] of cellsOf(r)) {
        const k = `${t}.${row}.${c}`, x = wanted.get(k) ?? null;
        if (x !== null) shown++;
        if (v === null) {
          // Every value printed but not read is null with a diagnostic keyed by its own cell,
          // one that says something is wrong: "blank" (info) would say nothing is printed.
          if (x !== null) {
            expect([k, r.diagnostics.some((d) => d.key === k)]).toEqual([k, true]);
            if (!r.diagnostics.some((d) => d.key === k && d.severity !== "info")) saidBlank.push(k);
          }
          continue;
        }
        if (v === x) read++;
        else wrong.push(`${k}: read ${v}, printed ${x}`);
      }
      expect(wrong).toEqual([]);
      // No printed value is said to be blank (r2021.noborder.scan200 said so of a row that
      // came out with no number, 7 cells, before ocr-blanks.ts looked under its label).
      expect(saidBlank).toEqual([]);
      if (s.tables === "borderless") {
        // Unruled tables: every number stands only where its readings around its own word
        // box agree (before, every one was "?"). An all-null reader must not pass: at least
        // what the fixtures read now (136/200 and 174/198 since each label line beside
        // numbers is read again alone and item numbers join their labels; 102 and 146
        // before). Most of the rest are rows the layout still does not assemble (a wrapped
        // label's tail taken for a row of its own, a group label garbled), not unsure numbers.
        // 156 and 153 (the scan turned 2.4°) since a label box reaching over the next line
        // is cut to its own line; the turned one read 141 with 2 wrong before pages were
        // straightened past 1.5°.
        const least: Record<string, number> = { "r2021.noborder.scan200.pdf": 156, "r2019.noborder.scan150.pdf": 174, "r2021.noborder.turned200.pdf": 153 };
        expect(read).toBeGreaterThanOrEqual(least[s.file] ?? Math.ceil(shown * 0.65));
        // Each value read is OCR's, as sure as agreeing readings must be together (AGREED).
        for (const [t, row, c, v] of cellsOf(r)) {
          if (v === null) continue;
          const p = r.provenance[`${t}.${row}.${c}`];
          expect([`${t}.${row}.${c}`, p?.status, (p?.confidence ?? 0) >= 0.95]).toEqual([`${t}.${row}.${c}`, "ocr", true]);
        }
        return;
      }
      // An all-null reader must not pass: nearly every printed value is read (each fixture
      // reads 99.5% or more since rules, cell crops and digit readings were mended; 84–94%
      // before, 70% before every ruled cell was read again alone).
      expect(read).toBeGreaterThanOrEqual(Math.floor(shown * 0.99));
      if (s.textPages) return;
      totals.read += read;
      totals.wanted += shown;
      if (read === shown) totals.exactFixtures++;
    });
  }
  it("most ruled scanned fixtures read exactly: every printed value, none null", { timeout: 600_000 }, async () => {
    const exact: string[] = [];
    for (const s of ruled) {
      const out = await parsed(s);
      if (!out.ok) throw new Error(`${s.file}: ${out.code} ${out.message}`);
      const { read, shown } = tally(s, out.record);
      if (read === shown) exact.push(s.file);
    }
    // 3 of the 4 (r2021.chromium.scan200 leaves one value, 11, unsure: null with a warning).
    expect(exact.length).toBeGreaterThanOrEqual(3);
    // Dates: a disputed day read again in the room its neighbours leave it (13 of 13日 boxed
    // over 日), and a date line whose numbers are still unsure read again whole
    // (ocr-dates.ts): DATES_READ of the scans read their date; none did before.
    expect(totals.dates).toBeGreaterThanOrEqual(DATES_READ);
    expect(totals.years).toBeGreaterThanOrEqual(YEARS_READ);
  });
  afterAll(() => {
    console.log(`OCR fixtures: ${totals.read} of ${totals.wanted} printed values read, ${totals.exactFixtures} of ${ruled.length} ruled fixtures exactly, 0 wrong; ${totals.dates} of ${scans.length} dates read, ${totals.years} years`);
  });
});

describe("an unruled OCR'd table whose label reaches over another row's numbers", () => {
  // A label of three lines run together (一、本年新收… / 二、上年结转… / 三、…予以公开, their
  // item numbers lost by the page reading) beside the second row's numbers: it could
  // match the template row of any of the three, so those numbers are "?", never read
  // into another row. The rows whose labels stand on their own lines are kept.
  const cell = (text: string, y0: number, y1: number, x0: number) => ({ text, rowSpan: 1, colSpan: 1, read: { status: "ocr" as const, confidence: 0.99 }, place: { page: 1, box: { x0, y0, x1: x0 + 20, y1 } } });
  const doc = (): Document => ({
    blocks: [
      {
        kind: "table",
        exactGrid: false,
        rows: [
          [cell("", 589, 601, 58), cell("3945", 589, 599, 277)],
          [cell("、本年新收政府信息公开申请数量\n、上年结转政府信息公开申请数量\n、本年(一)予以公开", 589, 639, 72), cell("351", 608, 618, 277)],
          [cell("(二)部分公开", 645, 658, 120), cell("51", 663, 673, 277)],
        ],
        place: { page: 1 },
      } as Table,
    ],
    meta: { pages: 1 },
    diagnostics: [],
  });
  it("leaves that row's numbers unread with a warning at each; other rows stand", () => {
    const d = doc();
    guardLabels(d, new Set([1]));
    const rows = tablesOf(d)[0].rows;
    expect(rows.map((r) => r[r.length - 1].text)).toEqual(["3945", UNSURE, "51"]);
    expect(d.diagnostics.filter((x) => x.source === "ocr:unsure").map((x) => x.place?.box?.y0)).toEqual([608]);
  });
  it("leaves pages read from their text layer alone", () => {
    const d = doc();
    guardLabels(d, new Set([2]));
    expect(tablesOf(d)[0].rows[1][1].text).toBe("351");
  });
});

describe("the Document from a scan", () => {
  it("ruled tables as exact grids, every cell marked as OCR'd with its confidence, a diagnostic saying so; at most limits.maxOcrPages pages", { timeout: 120_000 }, async () => {
    // Two of the three pages (one OCR run serves both checks: the test's time is Tesseract's).
    const d = await extract(scans[0].file, { maxOcrPages: 2 });
    const ts = tablesOf(d);
    expect(ts.length).toBeGreaterThanOrEqual(2);
    expect(ts.some((t) => t.exactGrid)).toBe(true);
    expect(ts.every((t) => (t.place?.page ?? 0) <= 2)).toBe(true);
    const cells = ts.flatMap((t) => t.rows.flat());
    expect(cells.every((c) => c.read?.status === "ocr")).toBe(true);
    const numbers = cells.filter((c) => /^\d+$/.test(c.text));
    expect(numbers.length).toBeGreaterThan(50);
    for (const c of numbers) expect(c.read?.confidence).toBeGreaterThanOrEqual(0.75);
    // A number OCR was not sure of is "?" with confidence 0, and a warning with its place.
    for (const c of cells.filter((x) => x.text === UNSURE)) expect(c.read?.confidence ?? 0).toBe(0);
    const unsure = d.diagnostics.filter((x) => x.source === "ocr:unsure");
    expect(unsure.length).toBeGreaterThan(0);
    for (const u of unsure) expect(u.place?.page).toBeGreaterThanOrEqual(1);
    expect(d.diagnostics[0]).toMatchObject({ source: "ocr:read", severity: "warning" });
    expect(d.diagnostics[0].message).toContain(`${OCR_DPI} dpi`);
    expect(d.meta.pages).toBe(3);
    expect(d.diagnostics.some((x) => x.source === "ocr:pages-limit" && x.message.includes("limits.maxOcrPages"))).toBe(true);
    // Titles from the OCR'd first page.
    const first = d.blocks.find((b) => b.kind === "paragraph");
    expect(first && first.kind === "paragraph" && first.text).toContain("政府信息公开工作年度报告");
  });

  it("a borderless scan: unruled tables whose numbers stand only where they were read again and agreed; the rest \"?\" with a warning at its place", { timeout: 120_000 }, async () => {
    const s = scans.find((x) => x.tables === "borderless")!;
    const d = await extract(s.file);
    const ts = tablesOf(d);
    expect(ts.length).toBeGreaterThan(0);
    expect(ts.some((t) => t.exactGrid)).toBe(false);
    const cells = ts.flatMap((t) => t.rows.flat());
    const numbers = cells.filter((c) => /^-?\d+(?:\.\d+)?$/.test(c.text));
    expect(numbers.length).toBeGreaterThan(50);
    // Every number read: OCR's, agreed by readings together at least AGREED (0.95) sure.
    for (const c of numbers) expect([c.text, c.read?.status, (c.read?.confidence ?? 0) >= 0.95]).toEqual([c.text, "ocr", true]);
    const unsure = cells.filter((c) => c.text === UNSURE);
    expect(unsure.length).toBeGreaterThan(0);
    for (const c of unsure) expect(c.read?.confidence ?? 0).toBe(0);
    // Each "?" has a warning at its own place (page reading's, or the re-read's).
    const warned = d.diagnostics.filter((x) => x.source === "ocr:unsure");
    const near = (a: { x0: number; y0: number; x1: number; y1: number }, b?: { x0: number; y0: number; x1: number; y1: number }) =>
      !!b && (a.x0 + a.x1) / 2 >= b.x0 - 2 && (a.x0 + a.x1) / 2 <= b.x1 + 2 && (a.y0 + a.y1) / 2 >= b.y0 - 6 && (a.y0 + a.y1) / 2 <= b.y1 + 6;
    for (const c of unsure.filter((x) => x.place?.box)) expect(warned.some((w) => w.place?.page === c.place?.page && near(c.place!.box!, w.place?.box))).toBe(true);
    expect(d.diagnostics[0].message).toContain("every number of an unruled table read again alone");
  });

  it("a mixed PDF: only its image pages OCR'd, laid out with its text pages (a table runs from the text page onto the scanned one)", { timeout: 120_000 }, async () => {
    const s = mixed[0];
    const d = await extract(s.file);
    const text = new Set(s.textPages), all = [1, 2, 3];
    expect(d.meta.ocrPages).toEqual(all.filter((p) => !text.has(p)));
    expect(d.diagnostics.some((x) => x.source === "pdf:scanned-page")).toBe(false);
    expect(d.diagnostics[0].message).toContain("the others from their text layer");
    const cells = tablesOf(d).flatMap((t) => t.rows.flat()).filter((c) => c.place?.page !== undefined);
    // A text page's cells are the text layer's (not marked); a scanned page's are OCR's.
    for (const c of cells) expect([c.place!.page, c.read?.status]).toEqual([c.place!.page, text.has(c.place!.page!) ? undefined : "ocr"]);
    // One table holds cells of a text page and of a scanned page.
    const spans = tablesOf(d).map((t) => new Set(t.rows.flat().map((c) => c.place?.page).filter((p) => p !== undefined)));
    expect(spans.some((p) => [...p].some((x) => text.has(x!)) && [...p].some((x) => !text.has(x!)))).toBe(true);
    // Without Tesseract: the text pages alone, each image page skipped with a warning.
    const bare = await withTesseract("/nonexistent/tesseract", () => extract(s.file));
    expect(bare.diagnostics.filter((x) => x.source === "pdf:scanned-page").map((x) => x.place?.page)).toEqual(all.filter((p) => !text.has(p)));
    expect(tablesOf(bare).flatMap((t) => t.rows.flat()).some((c) => c.read)).toBe(false);
  });

  it("stops at limits.ocrTimeoutMs, killing Tesseract, and leaves no temporary files", { timeout: 60_000 }, async () => {
    // In a temporary folder of its own: other test files OCR at the same time, in /tmp.
    const own = mkdtempSync(join(tmpdir(), "xxgk-ocr-test-"));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = own;
    try {
      expect(tmpdir()).toBe(own);
      const e = await failure(extract(scans[1].file, { ocrTimeoutMs: 1500 }));
      expect(e.code).toBe("timeout");
      expect(e.message).toContain("limits.ocrTimeoutMs");
      expect(readdirSync(own)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(own, { recursive: true, force: true });
    }
  });

  it("without Tesseract a scan fails as scanned, saying what to install", async () => {
    const e = await withTesseract("/nonexistent/tesseract", () => failure(extract(scans[0].file)));
    expect(e.code).toBe("scanned");
    expect(e.message).toContain("no text layer (scanned)");
    expect(e.message).toContain("tesseract-ocr tesseract-ocr-chi-sim");
    expect(e.message).toContain("/nonexistent/tesseract");
  });

  it("a page with a text layer is never OCR'd", async () => {
    // Tesseract missing: a text PDF reads as before, with no cell marked as OCR'd.
    const d = await withTesseract("/nonexistent/tesseract", () =>
      extractPdf(new Uint8Array(readFileSync(`test/fixtures/reports/${scans[0].source}`)), { name: scans[0].source, limits: DEFAULT_LIMITS }),
    );
    expect(tablesOf(d).length).toBeGreaterThan(0);
    expect(tablesOf(d).flatMap((t) => t.rows.flat()).some((c) => c.read)).toBe(false);
    expect(d.diagnostics.some((x) => x.source.startsWith("ocr:"))).toBe(false);
  });
});

describe("a scan turned further than the reader looks", () => {
  it("takes none of a page's numbers, calls none of its cells blank, and says why", { timeout: 240_000 }, async () => {
    // r2021.noborder.pdf rendered, each page turned 10° (past MAX_SKEW_DEG), wrapped by img2pdf.
    const work = mkdtempSync(join(tmpdir(), "xxgk-ocr-test-"));
    try {
      execFileSync("pdftoppm", ["-gray", "-r", "200", "test/fixtures/reports/r2021.noborder.pdf", join(work, "p")]);
      const pages = readdirSync(work).filter((f) => f.endsWith(".pgm")).sort();
      for (const f of pages) writeFileSync(join(work, `t-${f}`), writePgm(rotate(readPgm(readFileSync(join(work, f))), -10)));
      execFileSync("img2pdf", ["--output", join(work, "turned.pdf"), ...pages.map((f) => join(work, `t-${f}`))]);
      const out = await parseReport({ bytes: readFileSync(join(work, "turned.pdf")), name: "turned.pdf", path: "turned.pdf" });
      if (!out.ok) throw new Error(out.message);
      const r = out.record;
      expect(r.diagnostics.filter((d) => d.code === "ocr.unsure" && d.message.includes(`turned ${MAX_SKEW_DEG}° or more`)).length).toBe(pages.length);
      for (const [t, row, c, v] of cellsOf(r)) {
        const k = `${t}.${row}.${c}`;
        expect([k, v]).toEqual([k, null]);
        expect([k, r.diagnostics.some((d) => d.key === k && d.severity !== "info")]).toEqual([k, true]);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe("the page picture", () => {
  it("turns by quarter turns pixel for pixel, clockwise", () => {
    // 3 wide, 2 high: 1 2 3 / 4 5 6.
    const g: Gray = { width: 3, height: 2, px: Uint8Array.from([1, 2, 3, 4, 5, 6]) };
    expect(quarterTurn(g, 1)).toEqual({ width: 2, height: 3, px: Uint8Array.from([4, 1, 5, 2, 6, 3]) });
    expect(quarterTurn(g, 2)).toEqual({ width: 3, height: 2, px: Uint8Array.from([6, 5, 4, 3, 2, 1]) });
    expect(quarterTurn(g, 3)).toEqual({ width: 2, height: 3, px: Uint8Array.from([3, 6, 2, 5, 1, 4]) });
    expect(quarterTurn(quarterTurn(g, 1), 3)).toEqual(g);
    expect(quarterTurn(g, 4)).toBe(g);
  });

  /** A white page with a ruled 3×3 grid whose middle row's two right cells are merged. */
  function grid(): Gray {
    const width = 800, height = 600, px = new Uint8Array(width * height).fill(255);
    const line = (x0: number, y0: number, x1: number, y1: number) => {
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) px[y * width + x] = 20;
    };
    for (const y of [100, 200, 300, 400]) line(100, y, 700, y + 1);
    for (const x of [100, 300, 700]) line(x, 100, x + 1, 400);
    line(500, 100, 501, 200);
    line(500, 300, 501, 400);
    // Text-like marks: short strokes that are no rules.
    for (let k = 0; k < 10; k++) line(120 + k * 15, 150, 128 + k * 15, 152);
    return { width, height, px };
  }

  it("finds the skew and undoes it", () => {
    const g = grid();
    for (const deg of [0.7, -0.9, 2.4, -3.6, 6.2]) {
      // rotate(g, -deg) turns the page by deg; skewAngle says deg, and rotate(·, deg) undoes it.
      const found = skewAngle(rotate(g, -deg));
      expect(Math.abs(found - deg)).toBeLessThanOrEqual(0.15);
    }
    expect(skewAngle(g)).toBe(0);
  });

  it("confirms a date's unsure numbers only where the line, read again, gives the same date", async () => {
    // The page read 2025年1月13日 with 13 unconfirmed; the picture here is blank paper, so the
    // second reading gives nothing: 13 stays unsure. The same words with no unsure number
    // are not read again at all.
    const blank: Gray = { width: 400, height: 80, px: new Uint8Array(400 * 80).fill(255) };
    const word = (text: string, left: number, unsure = false) => ({ w: { left, top: 20, width: 30, height: 30, conf: 95, text, line: "1.1.1.1" }, read: text, unsure, conf: 95 });
    const words = [word("2025", 10), word("年", 60), word("1", 100), word("月", 140), word("13", 180, true), word("日", 230)];
    const dir = mkdtempSync(join(tmpdir(), "xxgk-ocr-test-"));
    try {
      expect((await confirmDates(blank, words, 0.95, dir, 1, Date.now() + 60_000)).size).toBe(0);
      expect((await confirmDates(blank, words.map((d) => ({ ...d, unsure: false })), 0.95, dir, 1, Date.now() + 60_000)).size).toBe(0);
      expect(readdirSync(dir).filter((f) => f.startsWith("date-"))).toHaveLength(1); // one crop, for the first call only
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("finds a box's own line of text: its heaviest band of ink, and the share of the box's ink in it", () => {
    const width = 200, height = 120;
    const px = new Uint8Array(width * height).fill(255);
    const fill = (x0: number, y0: number, x1: number, y1: number) => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) px[y * width + x] = 30;
    };
    fill(10, 20, 190, 50); // a line of text across the box
    fill(10, 70, 60, 80); // part of the next line reaching into it
    const g = { width, height, px };
    const band = heaviestBand(g, 0, 0, width, height, 4)!;
    expect([band.top, band.bottom]).toEqual([20, 50]);
    expect(band.share).toBeCloseTo((180 * 30) / (180 * 30 + 50 * 10), 5);
    // Rows closer than minGap are one band; a blank box has none.
    expect(heaviestBand(g, 0, 0, width, height, 25)).toMatchObject({ top: 20, bottom: 80, share: 1 });
    expect(heaviestBand(g, 0, 90, width, 120, 4)).toBeNull();
  });

  it("an empty cell of an unruled OCR'd table with print under it is unread, not blank; one with none stays blank", () => {
    // Page 1 at 1 pixel per point: two rows of numbers at 100–112 and 130–142, columns at 200–220 and 250–270.
    const width = 300, height = 200;
    const px = new Uint8Array(width * height).fill(255);
    for (let y = 102; y < 110; y++) for (let x = 252; x < 268; x++) px[y * width + x] = 20; // print the reading missed (row 1, column 2)
    const at = (x0: number, y0: number) => ({ page: 1, box: { x0, y0, x1: x0 + 20, y1: y0 + 12 } });
    const num = (t: string, x0: number, y0: number) => ({ ...cell(t, 1, 1, at(x0, y0)), read: { status: "ocr" as const, confidence: 0.99 } });
    const blank = () => ({ ...cell(""), read: { status: "ocr" as const } });
    const table: Table = {
      kind: "table",
      exactGrid: false,
      rows: [
        [cell("1.属于国家秘密"), num("81", 200, 100), blank()],
        [cell("2.其他法律行政法规禁止公开"), num("98", 200, 130), num("100", 250, 130)],
        [cell("3.危及“三安全一稳定”"), blank(), num("101", 250, 160)],
      ],
      place: { page: 1 },
    };
    const doc: Document = { blocks: [table], meta: {}, diagnostics: [] };
    const said: Diagnostic[] = [];
    expect(inkedBlanks(doc, new Map([[1, { width, height, px }]]), 1, said)).toBe(1);
    expect(table.rows[0][2].read?.status).toBe("unreadable");
    expect(table.rows[0][2].place).toMatchObject({ page: 1 });
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ severity: "warning", source: "ocr:unsure", place: { page: 1 } });
    // Nothing printed under row 3's first column: blank it stays.
    expect(table.rows[2][1].read?.status).toBe("ocr");
    // A part of the table with no number at all (the layout cut it off): its rows are looked
    // at across their labels' middles, under the page's columns.
    for (let y = 182; y < 190; y++) for (let x = 202; x < 218; x++) px[y * width + x] = 20;
    const part: Table = {
      kind: "table",
      exactGrid: false,
      rows: [
        [cell("1.信访举报投诉类申请", 1, 1, { page: 1, box: { x0: 40, y0: 180, x1: 150, y1: 192 } }), blank(), blank()],
        [cell("2.重复申请", 1, 1, { page: 1, box: { x0: 40, y0: 30, x1: 100, y1: 42 } }), blank(), blank()],
      ],
      place: { page: 1 },
    };
    doc.blocks.push(part);
    const more: Diagnostic[] = [];
    expect(inkedBlanks(doc, new Map([[1, { width, height, px }]]), 1, more)).toBe(2);
    expect(part.rows[0].slice(1).map((c) => c.read?.status)).toEqual(["unreadable", "unreadable"]);
    expect(part.rows[1].slice(1).map((c) => c.read?.status)).toEqual(["ocr", "ocr"]); // nothing printed beside it
    // A ruled table (an exact grid) is not looked at: its blank cells are read again alone elsewhere.
    const ruledTable: Table = { ...table, exactGrid: true, rows: [[cell("x"), num("81", 200, 100), blank()]] };
    expect(inkedBlanks({ blocks: [ruledTable], meta: {}, diagnostics: [] }, new Map([[1, { width, height, px }]]), 1, [])).toBe(0);
  });

  it("finds ruling lines, with the gap of a merged cell, and not text strokes", () => {
    // Lines two pixels thick (100–101): found at 100.5 give or take the pair of pixel rows looked at together.
    const r = rules(grid(), 70, 12);
    const near = (got: number[], want: number[]) => expect(got.length === want.length && got.every((v, i) => Math.abs(v - want[i]) <= 1.5)).toBe(true);
    near(r.h.map((x) => x.y0).sort((a, b) => a - b), [100.5, 200.5, 300.5, 400.5]);
    near(r.v.map((x) => x.x0).sort((a, b) => a - b), [100.5, 300.5, 500.5, 500.5, 700.5]);
    const mid = r.v.filter((x) => Math.abs(x.x0 - 500.5) <= 1.5).sort((a, b) => a.y0 - b.y0);
    near(mid.flatMap((x) => [x.y0, x.y1]), [100, 201, 300, 401]);
  });

  it("finds rules that reach the picture's edges (a table picture fitted to the page's width)", () => {
    const width = 600, height = 300, px = new Uint8Array(width * height).fill(255);
    const line = (x0: number, y0: number, x1: number, y1: number) => {
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) px[y * width + x] = 20;
    };
    // The table's frame on the picture's left and right edges, rows from edge to edge.
    for (const y of [0, 100, 200, 298]) line(0, y, width - 1, y + 1);
    for (const x of [0, 300, 598]) line(x, 0, x + 1, height - 1);
    const r = rules({ width, height, px }, 70, 12);
    // Each where it is drawn (give or take the pair of pixel rows looked at together), end to end.
    const at = (got: number[], want: number[]) => expect(got.length === want.length && got.every((v, i) => Math.abs(v - want[i]) <= 1.5), `${got} ~ ${want}`).toBe(true);
    at(r.h.map((x) => x.y0), [0.5, 100.5, 200.5, 298.5]);
    at(r.v.map((x) => x.x0), [0.5, 300.5, 598.5]);
    expect(r.h.map((x) => [x.x0, x.x1])).toEqual(new Array(4).fill([0, width - 1]));
    expect(r.v.map((x) => [x.y0, x.y1])).toEqual(new Array(3).fill([0, height - 1]));
  });

  it("finds the short walls of a one-row table, between two horizontal rules, and no text stroke as short", () => {
    const width = 600, height = 300, px = new Uint8Array(width * height).fill(255);
    const line = (x0: number, y0: number, x1: number, y1: number) => {
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) px[y * width + x] = 20;
    };
    // A row 40 px high (rules at 100 and 140), walls at 100, 250, 400, 550; a stroke of 30 px inside a cell.
    line(100, 100, 550, 101);
    line(100, 140, 550, 141);
    for (const x of [100, 250, 400, 550]) line(x, 100, x + 1, 141);
    line(170, 105, 171, 135);
    // Another stroke as long as a wall, touching neither rule.
    line(300, 200, 301, 241);
    const g = { width, height, px };
    expect(rules(g, 70, 12).v).toEqual([]);
    const r = rules(g, 70, 12, 20);
    expect(r.v.map((x) => Math.round(x.x0)).sort((a, b) => a - b)).toEqual([101, 251, 401, 551]);
  });

  it("finds a one-row table's wall that runs on into the text under the table, and no text stroke between its rules", () => {
    const width = 600, height = 300, px = new Uint8Array(width * height).fill(255);
    const line = (x0: number, y0: number, x1: number, y1: number) => {
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) px[y * width + x] = 20;
    };
    // A row 50 px high (rules at 100 and 150), walls at 100, 250, 400, 550; under the wall at
    // 250, 8 px below the bottom rule, a paragraph's character: strokes crossing the wall's line.
    line(100, 100, 550, 101);
    line(100, 150, 550, 151);
    for (const x of [100, 250, 400, 550]) line(x, 100, x + 1, 151);
    for (const y of [160, 166, 172, 178, 184]) line(240, y, 262, y + 1);
    // A stroke inside a cell, 4 px short of each rule: no wall.
    line(320, 106, 321, 145);
    const r = rules({ width, height, px }, 70, 12, 20);
    expect(r.v.map((x) => Math.round(x.x0)).sort((a, b) => a - b)).toEqual([101, 251, 401, 551]);
    const wall = r.v.find((x) => Math.round(x.x0) === 251)!;
    expect(wall.y1).toBeLessThanOrEqual(153);
  });

  it("ends a wall at the rule it stops at, not at a character standing just past it (a merged cell's label)", () => {
    const width = 600, height = 400, px = new Uint8Array(width * height).fill(255);
    const line = (x0: number, y0: number, x1: number, y1: number) => {
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) px[y * width + x] = 20;
    };
    // Rules at 100, 200, 300; the wall at 250 stops at 200 (the row below is one merged cell),
    // where a character's upright stroke stands 6 px under the rule, 30 px long, on the wall's line.
    for (const y of [100, 200, 300]) line(100, y, 550, y + 1);
    for (const x of [100, 550]) line(x, 100, x + 1, 301);
    line(250, 100, 251, 201);
    line(250, 208, 251, 237);
    const r = rules({ width, height, px }, 70, 12, 20);
    const wall = r.v.find((x) => Math.round(x.x0) === 251)!;
    expect([wall.y0, wall.y1 <= 203]).toEqual([100, true]);
    // Nothing of it stands under the rule: the merged cell keeps its text.
    expect(r.v.filter((x) => Math.round(x.x0) === 251 && x.y1 > 203)).toEqual([]);
  });

  it("takes no bars of characters at one height for a rule: a short run stands only between two walls, or continuing a rule", () => {
    const width = 900, height = 300, px = new Uint8Array(width * height).fill(255);
    const line = (x0: number, y0: number, x1: number, y1: number) => {
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) px[y * width + x] = 20;
    };
    // A ruled row (rules at 100 and 200, walls at 100, 400, 700), and inside its first cell
    // four bars of characters 27 px long, 3 px apart, at one height (三安全一): 117 px, nearly all ink.
    line(100, 100, 700, 101);
    line(100, 200, 700, 201);
    for (const x of [100, 400, 700]) line(x, 100, x + 1, 201);
    for (let k = 0; k < 4; k++) line(130 + k * 30, 150, 156 + k * 30, 152);
    // A short rule from wall to wall under the second cell, and a piece of the top rule's
    // line broken off 20 px past the last wall, 3 px lower (a rule the scan broke).
    line(400, 170, 700, 171);
    line(722, 103, 800, 104);
    const g = { width, height, px };
    // Without the floor, the bars are a rule; with it, only the rules stand.
    expect(rules(g, 70, 12).h.some((r) => Math.abs(r.y0 - 151) <= 2)).toBe(true);
    const found = rules(g, 70, 12, 20, 300);
    expect(found.h.map((r) => Math.round(r.y0)).sort((a, b) => a - b)).toEqual([101, 104, 171, 201]);
    // The bars are not erased.
    const clean = eraseRules(g, found);
    let ink = 0;
    for (let x = 130; x <= 246; x++) if (clean.px[151 * width + x] < 140) ink++;
    expect(ink).toBe(4 * 27);
  });

  it("erases a rule a few pixels off level along its length, and keeps the strokes of text that sits close to it", () => {
    const width = 800, height = 200, px = new Uint8Array(width * height).fill(255);
    // A rule falling 4 px over 600 px (2 px thick), and a text stroke 3 px above its right end.
    const y = (x: number) => 100 + Math.round(((x - 100) * 4) / 600);
    for (let x = 100; x <= 700; x++) for (const d of [0, 1]) px[(y(x) + d) * width + x] = 20;
    for (let x = 650; x <= 660; x++) for (let yy = y(x) - 25; yy <= y(x) - 3; yy++) px[yy * width + x] = 20;
    const g = { width, height, px };
    const found = rules(g, 70, 12);
    expect(found.h.length).toBe(1);
    const clean = eraseRules(g, found);
    const ink = (x0: number, y0: number, x1: number, y1: number) => {
      let n = 0;
      for (let yy = y0; yy <= y1; yy++) for (let x = x0; x <= x1; x++) if (clean.px[yy * width + x] < 140) n++;
      return n;
    };
    // No rule left, at either end or in the middle.
    for (const x of [100, 400, 640, 700]) expect(ink(x, y(x) - 1, x, y(x) + 2)).toBe(0);
    // The stroke's foot stays: its lowest pixel rows, 3 px above the rule, are still ink.
    expect(ink(650, y(650) - 5, 660, y(650) - 3)).toBe(33);
  });

  it("tells a cell's marks from the specks of the scan", () => {
    const width = 100, height = 40, px = new Uint8Array(width * height).fill(255);
    // A digit-like stroke (3×20), a decimal point (3×3) and a speck (1×2) far to the right.
    for (let y = 10; y < 30; y++) for (let x = 10; x < 13; x++) px[y * width + x] = 30;
    for (let y = 27; y < 30; y++) for (let x = 20; x < 23; x++) px[y * width + x] = 30;
    px[15 * width + 90] = px[16 * width + 90] = 30;
    const kept = marks({ width, height, px }, 0, 0, width, height, 8);
    const at = (x: number, y: number) => kept[y * width + x];
    expect([at(11, 20), at(21, 28), at(90, 15)]).toEqual([1, 1, 0]);
    expect(kept.reduce((n, v) => n + v, 0)).toBe(60 + 9);
  });

  it("cuts a crop in black and white between its paper and its ink, whatever the scan's contrast", () => {
    // Paper at 230 with grain, ink at 90 (a pale scan), a halo of 170 round the strokes.
    const width = 60, height = 20, px = new Uint8Array(width * height);
    for (let i = 0; i < px.length; i++) px[i] = 225 + (i % 7);
    for (let y = 5; y < 15; y++) for (let x = 10; x < 50; x++) px[y * width + x] = x % 10 < 4 ? 90 : x % 10 === 4 ? 170 : 228;
    const g = { width, height, px };
    const cut = otsu(g);
    expect(cut).toBeGreaterThanOrEqual(90);
    expect(cut).toBeLessThan(225);
    const black = binarize(g, Math.round(cut * 0.75));
    expect(new Set(black.px)).toEqual(new Set([0, 255]));
    // The strokes stay black, the halo and the paper go white.
    expect([black.px[10 * width + 11], black.px[10 * width + 14], black.px[2 * width + 2]]).toEqual([0, 255, 255]);
  });

  it("reads back the PGM it writes", () => {
    const g = grid();
    const back = readPgm(writePgm(g));
    expect([back.width, back.height]).toEqual([g.width, g.height]);
    expect(Buffer.from(back.px).equals(Buffer.from(g.px))).toBe(true);
  });
});

describe("outside programs", () => {
  it("a run past its deadline is killed and fails as timeout", async () => {
    const t = Date.now();
    await expect(run("sleep", ["20"], Date.now() + 300)).rejects.toMatchObject({ code: "timeout" });
    expect(Date.now() - t).toBeLessThan(10_000);
  });

  it("Tesseract has the Chinese model the reader needs", async () => {
    expect((await run("tesseract", ["--list-langs"], Date.now() + 30_000)).toString()).toContain("chi_sim");
  });
});
