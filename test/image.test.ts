// Image files (extractors/image.ts): a report's pages as JPEG, PNG or TIFF pictures, read by
// OCR as the PDF img2pdf makes of them. The pictures are made here by poppler's pdftoppm
// from a scanned fixture (test/fixtures/scans), one page each, and held to that fixture's
// truth: every value read is the printed one, every null has a diagnostic.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imageSize } from "../extractors/image.js";
import { mayNeedOcr, sniff } from "../extractors/index.js";
import { imageType } from "../extractors/signatures.js";
import { cellsOf } from "../model/cells.js";
import type { ReportRecord } from "../model/record.js";
import { parseReport } from "../src/pipeline.js";
import { extractDocx } from "../extractors/docx.js";
import { DEFAULT_LIMITS } from "../model/limits.js";
import type { Table } from "../model/document.js";
import { withoutTool } from "./helpers/without-tool.js";
import { problems } from "./helpers/truth.js";
import { openStore } from "../src/store.js";
import { describeSummary, ingestPaths } from "../src/ingest.js";
import { startServer } from "../src/serve/server.js";

const SCAN = "test/fixtures/scans/r2021.chromium.scan200.pdf";
const truth = JSON.parse(readFileSync("test/fixtures/reports/r2021.expected.json", "utf8")) as ReportRecord;
const wanted = new Map(cellsOf(truth).map(([t, r, c, v]) => [`${t}.${r}.${c}`, v]));

let dir: string;
/** Page `page` of the scan as a picture: pdftoppm's own file (p-N.ext). */
function picture(page: number, dpi: number, format: "jpeg" | "png" | "tiff", extra: string[] = []): string {
  const stem = join(dir, `${format}${page}`);
  execFileSync("pdftoppm", ["-r", String(dpi), `-${format}`, ...extra, "-f", String(page), "-l", String(page), SCAN, stem]);
  const made = readdirSync(dir).find((f) => f.startsWith(`${format}${page}-`));
  if (!made) throw new Error(`pdftoppm made no ${format} of page ${page}`);
  return join(dir, made);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "xxgk-image-test-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Values read, wrong ones and nulls no diagnostic explains, against the scan's truth. */
function judge(r: ReportRecord) {
  let read = 0;
  const wrong: string[] = [];
  const silent: string[] = [];
  for (const [t, row, c, v] of cellsOf(r)) {
    const k = `${t}.${row}.${c}`;
    if (v === null) {
      if (!r.diagnostics.some((d) => d.key === k)) silent.push(k);
      continue;
    }
    read++;
    if (v !== wanted.get(k)) wrong.push(`${k}: ${v}, printed ${wanted.get(k)}`);
  }
  return { read, wrong, silent };
}

async function parsed(file: string) {
  const o = await parseReport({ bytes: new Uint8Array(readFileSync(file)), name: file, limits: { timeoutMs: 240_000 } });
  if (!o.ok) throw new Error(`${file}: ${o.code}: ${o.message}`);
  return o.record;
}

describe("image files are read by OCR", () => {
  it("a JPEG of table 3's page: its values as printed, its size read from the JPEG's frame header", async () => {
    const file = picture(2, 150, "jpeg", ["-gray"]);
    expect(sniff(readFileSync(file), "page.txt").kind).toBe("image"); // by the bytes, not the name
    const r = await parsed(file);
    const { read, wrong, silent } = judge(r);
    expect(wrong).toEqual([]);
    expect(silent).toEqual([]);
    // 140 of the page's values read on this machine (table 3's rows on it, less the unsure).
    expect(read).toBeGreaterThanOrEqual(120);
    expect(r.source.format).toBe("pdf");
    const said = r.diagnostics.find((d) => d.code === "image.converted");
    // A US-letter page at 150 dpi is 1275 × 1650 pixels.
    expect(said?.message).toContain("a JPEG image of 1275 × 1650 pixels");
    expect(said?.severity).toBe("info");
    expect(r.diagnostics.some((d) => d.code === "ocr.read")).toBe(true);
  }, 180_000);

  it("a small PNG of the last page (a screenshot's size): table 4 and the signature's date, as printed", async () => {
    const file = picture(3, 110, "png");
    const r = await parsed(file);
    const { wrong, silent } = judge(r);
    expect(wrong).toEqual([]);
    expect(silent).toEqual([]);
    const reviews = cellsOf(r).filter(([t, , , v]) => t === "reviews" && v !== null);
    expect(reviews.length).toBe(cellsOf(truth).filter(([t]) => t === "reviews").length);
    expect(r.publishedOn).toBe(truth.publishedOn);
    expect(r.diagnostics.find((d) => d.code === "image.converted")?.message).toContain("a PNG image of 935 × 1210 pixels");
  }, 180_000);

  it("a TIFF of the first page: the report's year, its size read from its first directory", async () => {
    const file = picture(1, 150, "tiff", ["-tiffcompression", "lzw"]);
    expect(imageType(readFileSync(file))).toBe("TIFF");
    const r = await parsed(file);
    expect(r.year).toBe(truth.year);
    expect(r.diagnostics.find((d) => d.code === "image.converted")?.message).toContain("a TIFF image of 1275 × 1650 pixels");
    expect(judge(r).wrong).toEqual([]);
    expect(judge(r).silent).toEqual([]);
  }, 180_000);

  it("in a folder, read only with --images (a logo failing at once); shown on the review page as the PDF it was read as", async () => {
    const folder = mkdtempSync(join(dir, "batch-"));
    const pictures = join(folder, "pictures");
    mkdirSync(pictures);
    writeFileSync(join(pictures, "scan-page-2.jpg"), readFileSync(picture(2, 150, "jpeg", ["-gray"])));
    // Logos: the first page at 200 pixels high.
    execFileSync("pdftoppm", ["-scale-to", "200", "-png", "-f", "1", "-l", "1", SCAN, join(dir, "logo")]);
    const logo = readFileSync(join(dir, readdirSync(dir).find((f) => f.startsWith("logo"))!));
    for (let i = 1; i <= 7; i++) writeFileSync(join(pictures, `logo${i}.png`), logo);
    const db = join(folder, "x.sqlite");
    const store = openStore(db);
    // Without --images: every picture skipped, said so; a reason shared by many lists five and counts the rest.
    const before = await ingestPaths(store, [pictures]);
    expect([before.ingested, before.failed.length, before.skipped.length]).toEqual([0, 0, 8]);
    const told = describeSummary(before, db).split("\n");
    expect(told.filter((l) => l.includes("a PNG image: pictures in folders are read by OCR only with --images"))).toHaveLength(6);
    expect(told).toContain("  … and 2 more — a PNG image: pictures in folders are read by OCR only with --images (or name the file itself)");
    const summary = await ingestPaths(store, [pictures], { images: true });
    store.close();
    expect(summary.ingested).toBe(1);
    expect(summary.failed.map((f) => f.code)).toEqual(new Array(7).fill("not-a-report"));
    const server = await startServer({ db, port: 0, host: "127.0.0.1" });
    try {
      const res = await fetch(`${server.url}source/1`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      const pdf = new Uint8Array(await res.arrayBuffer());
      expect(Buffer.from(pdf.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
      const out = join(folder, "shown.pdf");
      writeFileSync(out, pdf);
      // The A4 page the record's places are on (595 × 842 points).
      expect(execFileSync("pdfinfo", [out]).toString()).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    } finally {
      await server.close();
    }
  }, 180_000);
});

describe("a Word report whose tables were pasted as pictures (LibreOffice's DOCX, scripts/make-picture-docx.ts)", () => {
  const DOCX = "test/fixtures/docx-cases/pictures.docx";
  const without = <T>(name: string, fn: () => Promise<T>) => withoutTool(name, dir, fn);

  it("reads the pictures' tables by OCR, its organ from its own text: the printed values, the truth's metadata", async () => {
    const o = await parseReport({ bytes: new Uint8Array(readFileSync(DOCX)), name: DOCX, limits: { timeoutMs: 240_000 } });
    if (!o.ok) throw new Error(`${o.code}: ${o.message}`);
    const r = o.record;
    expect(problems(r, truth)).toEqual([]);
    // 192 of the 200 printed values on this machine.
    expect(judge(r).read).toBeGreaterThanOrEqual(180);
    expect(r.source.format).toBe("docx");
    expect(r.diagnostics.find((d) => d.code === "docx.pictures")?.message).toMatch(/^the document has no tables but 3 picture\(s\) in its text: 3 read by OCR/);
    // The organ is the document's own text (the OCR of the same name in a picture reads 研口); the date is OCR's, and said so.
    expect(r.provenance?.organ?.status).toBe("printed");
    expect(r.diagnostics.filter((d) => d.code === "ocr.metaText").map((d) => d.key)).toEqual(["publishedOn"]);
  }, 240_000);

  it("puts each picture's tables where the picture stands among the paragraphs", async () => {
    const doc = await extractDocx(new Uint8Array(readFileSync(DOCX)), { name: DOCX, limits: DEFAULT_LIMITS });
    const at = (f: (b: (typeof doc.blocks)[number]) => boolean) => doc.blocks.findIndex(f);
    const title = at((b) => b.kind === "paragraph" && b.text.startsWith("硚口区商务局2024年"));
    const closing = at((b) => b.kind === "paragraph" && b.text.startsWith("五、存在的主要问题"));
    const tables = doc.blocks.map((b, i) => (b.kind === "table" ? i : -1)).filter((i) => i >= 0);
    expect(tables.length).toBeGreaterThanOrEqual(3);
    expect(title).toBeGreaterThanOrEqual(0);
    expect(Math.min(...tables)).toBeGreaterThan(title);
    expect(Math.max(...tables)).toBeLessThan(closing);
    // Cells name the picture they were read from (1-based, in order).
    const pages = new Set(doc.blocks.flatMap((b) => (b.kind === "table" ? (b as Table).rows.flat().map((c) => c.place?.page) : [])));
    expect([...pages].filter((p) => p !== undefined).sort()).toEqual([1, 2, 3]);
  }, 240_000);

  it("the review page's PDF of its pictures: the pages its places name, made again without OCR; none for a DOCX read from its own tables", async () => {
    const { docxPicturesPdf } = await import("../extractors/docx.js");
    const pdf = await without("XXGK_TESSERACT", () => docxPicturesPdf(new Uint8Array(readFileSync(DOCX)), { name: DOCX, limits: DEFAULT_LIMITS }));
    expect(pdf).not.toBeNull();
    const file = join(dir, "pictures-shown.pdf");
    writeFileSync(file, pdf!);
    const info = execFileSync("pdfinfo", [file]).toString();
    expect(info).toMatch(/Pages:\s+3\n/); // pictures 1-3, the pages the record's places name
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    const TABLES = "test/fixtures/docx-cases/lo-template.docx";
    expect(await docxPicturesPdf(new Uint8Array(readFileSync(TABLES)), { name: TABLES, limits: DEFAULT_LIMITS })).toBeNull();
  });

  it("saved as a legacy .doc (LibreOffice's Word 97): read through its DOCX, the pictures' tables to the truth; its review PDF the same three pictures", async () => {
    const made = mkdtempSync(join(dir, "doc-"));
    writeFileSync(join(made, "pictures.docx"), readFileSync(DOCX));
    execFileSync(process.env.XXGK_SOFFICE ?? "soffice", [`-env:UserInstallation=file://${join(made, "profile")}`, "--headless", "--convert-to", "doc:MS Word 97", "--outdir", made, join(made, "pictures.docx")], { stdio: "pipe", timeout: 120_000 });
    const doc = new Uint8Array(readFileSync(join(made, "pictures.doc")));
    expect(sniff(doc, "pictures.doc").kind).toBe("legacy-word");
    const o = await parseReport({ bytes: doc, name: "pictures.doc", limits: { timeoutMs: 240_000 } });
    if (!o.ok) throw new Error(`${o.code}: ${o.message}`);
    expect(problems(o.record, truth)).toEqual([]);
    expect(judge(o.record).read).toBeGreaterThanOrEqual(180); // 192 here, as the DOCX
    const { legacyPicturesPdf } = await import("../extractors/legacy-word.js");
    const pdf = await legacyPicturesPdf(doc, { name: "pictures.doc", limits: DEFAULT_LIMITS });
    writeFileSync(join(made, "shown.pdf"), pdf!);
    expect(execFileSync("pdfinfo", [join(made, "shown.pdf")]).toString()).toMatch(/Pages:\s+3\n/);
  }, 240_000);

  it("where OCR cannot run, fails as scanned, saying the tables are pictures and what to install", async () => {
    for (const tool of ["XXGK_TESSERACT", "XXGK_IMG2PDF"]) {
      const o = await without(tool, () => parseReport({ bytes: new Uint8Array(readFileSync(DOCX)), name: DOCX }));
      expect(o.ok).toBe(false);
      if (o.ok) continue;
      expect(o.code).toBe("scanned");
      expect(o.message).toMatch(/^the document has no tables but 3 picture\(s\) that may be them, read by OCR, which cannot run here: .*no-such-tool\) was not found \(install the Debian packages /);
    }
  }, 60_000);

  it("a picture in the cell of a table laying the page out (no table holds a number): read, and placed after that table", async () => {
    const FILE = "test/fixtures/docx-cases/pictures-in-cell.docx";
    const doc = await extractDocx(new Uint8Array(readFileSync(FILE)), { name: FILE, limits: DEFAULT_LIMITS });
    const kinds = doc.blocks.map((b) => b.kind);
    expect(kinds.indexOf("table")).toBeGreaterThan(0); // the layout table, after the title
    const o = await parseReport({ bytes: new Uint8Array(readFileSync(FILE)), name: FILE, limits: { timeoutMs: 240_000 } });
    if (!o.ok) throw new Error(`${o.code}: ${o.message}`);
    const { wrong, silent } = judge(o.record);
    expect(wrong).toEqual([]);
    expect(silent).toEqual([]);
    // The picture is the last page: table 4 (15 values) and the date.
    expect(cellsOf(o.record).filter(([t, , , v]) => t === "reviews" && v !== null)).toHaveLength(15);
    expect(o.record.publishedOn).toBe(truth.publishedOn);
    expect(o.record.diagnostics.find((d) => d.code === "docx.pictures")?.message).toMatch(/^the document's tables hold no number but 1 picture\(s\) in its text: 1 read by OCR/);
  }, 240_000);

  it("printed to PDF (LibreOffice): the pages whose pictures may hold a table are OCR'd, the others read from their text", async () => {
    const PDF = "test/fixtures/pdf-cases/pictures.pdf";
    const o = await parseReport({ bytes: new Uint8Array(readFileSync(PDF)), name: PDF, limits: { timeoutMs: 240_000 } });
    if (!o.ok) throw new Error(`${o.code}: ${o.message}`);
    const r = o.record;
    const { read, wrong, silent } = judge(r);
    expect(wrong).toEqual([]);
    expect(silent).toEqual([]);
    expect(read).toBeGreaterThanOrEqual(180); // 191 on this machine
    // Organ, year, date and region the truth's: the title above page 1's picture is the text
    // layer's (OCR reads its 硚口 as 研口), the date OCR's reading of page 3's picture.
    expect(problems(r, truth)).toEqual([]);
    expect(r.provenance?.organ?.text).toBe("硚口区商务局2024年政府信息公开工作年度报告");
    // Page 2 is a picture alone (a scanned page); pages 1 and 3 carry text and a picture.
    expect(r.diagnostics.find((d) => d.code === "pdf.tablePictures")?.message).toBe(
      "no table in the text, but pages 1, 3 carry a picture big enough to hold one: read by OCR inside the picture, the text layer elsewhere",
    );
    // Without Tesseract it reads as before: its text alone, which holds no table.
    const before = await without("XXGK_TESSERACT", () => parseReport({ bytes: new Uint8Array(readFileSync(PDF)), name: PDF }));
    expect(before.ok ? "read" : before.code).toBe("no-tables");
  }, 240_000);

  it("a page's picture counts where it covers a tenth of the page or more, on a page with text, in a PDF naming information disclosure", async () => {
    const { picturePages } = await import("../extractors/pdf/build.js");
    const page = (n: number, share: number, text: string) => ({
      page: n, box: { x0: 0, y0: 0, x1: 600, y1: 800 }, runs: text ? [{ str: text, x: 10, y: 10, w: 60, size: 12 }] : [],
      h: [], v: [], images: 1, largestImage: share * 600 * 800, hiddenText: 0, shownText: text ? 1 : 0,
    });
    const pages = (title: string) => [page(1, 0.02, title), page(2, 0.1, "一、总体情况"), page(3, 0.5, ""), page(4, 0.09, "二、主动公开"), page(5, 0.6, "三、收到和处理")];
    expect(picturePages({ pages: pages("区商务局2024年政府信 息公开工作年度报告"), numPages: 5, notes: [] } as never).map((p) => p.page)).toEqual([2, 5]);
    expect(picturePages({ pages: pages("區商務局2024年政府資訊公開工作年度報告"), numPages: 5, notes: [] } as never).map((p) => p.page)).toEqual([2, 5]);
    // A notice with photographs: its pictures are not read.
    expect(picturePages({ pages: pages("关于召开全区商务工作会议的通知"), numPages: 5, notes: [] } as never)).toEqual([]);
  });

  it("pictures are left alone beside a table holding numbers, and in a text that names no disclosure (LibreOffice's DOCX)", async () => {
    // Made here by LibreOffice: the scan's table page as a picture, (a) after a table of
    // numbers in a report, (b) in a notice. Tesseract is pointed away: any OCR would fail the read.
    const page = readFileSync(picture(2, 150, "jpeg", ["-gray"])).toString("base64");
    const img = `<p><img src="data:image/jpeg;base64,${page}" width="600"></p>`;
    const made = mkdtempSync(join(dir, "lo-"));
    const docx = (name: string, body: string) => {
      writeFileSync(join(made, `${name}.html`), `<html><head><meta charset="utf-8"></head><body>${body}</body></html>`);
      execFileSync(process.env.XXGK_SOFFICE ?? "soffice", [`-env:UserInstallation=file://${join(made, "profile")}`, "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", made, join(made, `${name}.html`)], { stdio: "pipe", timeout: 120_000 });
      return new Uint8Array(readFileSync(join(made, `${name}.docx`)));
    };
    const withTable = docx("table", `<p>区商务局2024年政府信息公开工作年度报告</p><table border="1"><tr><td>规章</td><td>3</td><td>0</td><td>12</td></tr></table>${img}`);
    const notice = docx("notice", `<p>关于召开全区商务工作会议的通知</p>${img}`);
    await without("XXGK_TESSERACT", async () => {
      const a = await extractDocx(withTable, { name: "table.docx", limits: DEFAULT_LIMITS });
      expect(a.diagnostics.some((d) => d.source === "docx:pictures" || d.source === "ocr:read")).toBe(false);
      expect(a.blocks.filter((b) => b.kind === "table")).toHaveLength(1);
      const b = await extractDocx(notice, { name: "notice.docx", limits: DEFAULT_LIMITS });
      expect(b.diagnostics.find((d) => d.source === "docx:no-tables")?.message).toBe(
        "the document has no tables: paragraphs only (and 1 picture(s), not read: the text does not name information disclosure)",
      );
    });
  }, 180_000);
});

describe("xxgk ingest --images", () => {
  it("reads pictures in a folder only when given; without it says how", () => {
    const folder = mkdtempSync(join(dir, "cli-"));
    const pictures = join(folder, "in");
    mkdirSync(pictures);
    // A logo-sized picture: read with --images, it fails at once as not-a-report (no OCR runs).
    execFileSync("pdftoppm", ["-scale-to", "120", "-png", "-f", "1", "-l", "1", SCAN, join(pictures, "logo")]);
    const db = join(folder, "x.sqlite");
    const cli = (...args: string[]) => spawnSync(process.execPath, ["dist/src/cli.js", "ingest", pictures, "--db", db, ...args], { encoding: "utf8" });
    const without = cli();
    expect(without.status).toBe(0);
    expect(without.stdout).toMatch(/0 ingested, 0 already present, 0 failed/);
    expect(without.stdout).toMatch(/logo-1\.png — a PNG image: pictures in folders are read by OCR only with --images/);
    const withImages = cli("--images");
    expect(withImages.status).toBe(1); // a new failure
    expect(withImages.stdout).toMatch(/logo-1\.png — not-a-report: a PNG image of \d+ × 120 pixels: too small to hold a page of a report/);
  }, 60_000);
});

describe("image files that cannot be read fail with one line", () => {
  const png = (width: number, height: number, rest: number[] = []) => {
    const b = Buffer.alloc(64);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).copy(b);
    b.write("IHDR", 12, "latin1");
    b.writeUInt32BE(width, 16);
    b.writeUInt32BE(height, 20);
    Buffer.from(rest).copy(b, 24);
    return new Uint8Array(b);
  };

  it("bytes no decoder reads: corrupt-image, one line, without img2pdf's Python objects", async () => {
    const o = await parseReport({ bytes: png(800, 600, [8, 0, 0, 0, 0, 1, 2, 3]), name: "bad.png" });
    expect(o.ok).toBe(false);
    if (o.ok) return;
    expect(o.code).toBe("corrupt-image");
    expect(o.message).toMatch(/^the PNG image could not be read: img2pdf/);
    expect(o.message).not.toMatch(/[\n<>]/);
  });

  it("a picture whose header states more pixels than limits.maxImagePixels, or too few for a page: failed before any program runs", async () => {
    const before = process.env.XXGK_IMG2PDF;
    process.env.XXGK_IMG2PDF = join(dir, "no-such-img2pdf");
    try {
      const o = await parseReport({ bytes: png(100_000, 100_000), name: "bomb.png" });
      expect(o.ok ? "read" : `${o.code}: ${o.message}`).toBe(
        "too-large: a PNG image of 100000 × 100000 pixels, over the 80000000-pixel limit (limits.maxImagePixels)",
      );
      // A logo's size: not a page, said without running anything.
      const logo = await parseReport({ bytes: png(240, 80), name: "logo.png" });
      expect(logo.ok ? "read" : `${logo.code}: ${logo.message}`).toBe("not-a-report: a PNG image of 240 × 80 pixels: too small to hold a page of a report (not read by OCR)");
      // Under the limit, the same (missing) img2pdf is what stops it: said as what to install.
      const small = await parseReport({ bytes: png(800, 600), name: "page.png" });
      expect(small.ok).toBe(false);
      if (small.ok) return;
      expect(small.code).toBe("scanned");
      expect(small.message).toContain("no-such-img2pdf) was not found (install the Debian packages img2pdf tesseract-ocr");
    } finally {
      if (before === undefined) delete process.env.XXGK_IMG2PDF;
      else process.env.XXGK_IMG2PDF = before;
    }
  });
});

describe("image headers", () => {
  const bytes = (...parts: (number[] | string)[]) => new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p)))));
  const le16 = (n: number) => [n & 0xff, n >> 8];
  const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];

  it("each format is told by its signature, and its size read where its header holds it", () => {
    const gif = bytes("GIF89a", le16(640), le16(480), [0, 0, 0, 0]);
    const bmp = bytes("BM", new Array(16).fill(0), le32(300), le32(-200 >>> 0), [0, 0, 0, 0]);
    // A JPEG with an APP0 segment (16 bytes) before its baseline frame header (SOF0).
    const jpeg = bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], new Array(14).fill(0), [0xff, 0xc0, 0x00, 0x11, 0x08, 0x04, 0xb0, 0x03, 0x20, 0x01], new Array(8).fill(0));
    // A little-endian TIFF whose first directory (at 8) holds ImageWidth as SHORT and ImageLength as LONG.
    const entry = (tag: number, type: number, value: number) => [...le16(tag), ...le16(type), ...le32(1), ...le32(value)];
    const tiff = bytes("II*", [0, 8, 0, 0, 0], le16(3), entry(254, 4, 0), entry(256, 3, 1700), entry(257, 4, 2200), le32(0));
    const tiffCut = bytes("MM", [0, 42, 0, 0, 0, 8], [0, 1]);
    expect([gif, bmp, jpeg, tiff].map((b) => imageType(b))).toEqual(["GIF", "BMP", "JPEG", "TIFF"]);
    expect(imageSize(gif, "GIF")).toEqual({ width: 640, height: 480 });
    expect(imageSize(bmp, "BMP")).toEqual({ width: 300, height: 200 }); // a top-down bitmap states its height negative
    expect(imageSize(jpeg, "JPEG")).toEqual({ width: 800, height: 1200 });
    // A phone's photo: stored lying (4032 × 3024), its EXIF Orientation 6 (turn 90°) shows it upright.
    const exif = bytes("MM", [0, 42, 0, 0, 0, 8], [0, 1], [0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0], [0, 0, 0, 0]);
    const photo = bytes([0xff, 0xd8, 0xff, 0xe1], [0, 2 + 6 + exif.length], "Exif\0\0", [...exif], [0xff, 0xc0, 0x00, 0x11, 0x08, 0x0b, 0xd0, 0x0f, 0xc0, 0x03], new Array(8).fill(0));
    expect(imageSize(photo, "JPEG")).toEqual({ width: 3024, height: 4032 });
    expect(imageSize(tiff, "TIFF")).toEqual({ width: 1700, height: 2200 });
    expect(imageSize(tiffCut, "TIFF")).toBeNull();
    for (const b of [gif, bmp, jpeg, tiff]) expect(sniff(b, "x.bin").kind).toBe("image");
    // Text that opens with an image's letters is text.
    expect(sniff(new TextEncoder().encode("BM 2024年政府信息公开工作年度报告"), "x.txt").kind).toBe("text");
  });

  it("a parse of an image, like a PDF's, gets OCR's time beside the document's; text does not", () => {
    expect(mayNeedOcr(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], new Array(20).fill(0)), "a.jpg")).toBe(true);
    expect(mayNeedOcr(bytes("%PDF-1.7\n"), "a.pdf")).toBe(true);
    expect(mayNeedOcr(new TextEncoder().encode("2024年政府信息公开工作年度报告"), "a.txt")).toBe(false);
  });
});
