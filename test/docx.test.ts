// The DOCX extractor, the zip reader under it and the legacy .doc/.wps route: exact grids
// from files LibreOffice wrote, odd OOXML as Word writes it, hostile archives.
// Fixtures: scripts/make-docx-cases.ts → test/fixtures/docx-cases/.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { extractDocx } from "../extractors/docx.js";
import { isOleCompound, looksLikeZip as isZip } from "../extractors/signatures.js";
import { extractLegacyWord } from "../extractors/legacy-word.js";
import { ExtractError, type Document, type Table } from "../model/document.js";
import { DEFAULT_LIMITS, type Limits } from "../model/limits.js";
import { isUnsafeEntryName, ZipArchive } from "../model/zip.js";
import { bySource, failure, grid, paragraphs, tables } from "./helpers/document.js";

const dir = "test/fixtures/docx-cases/";
const read = (f: string) => readFileSync(dir + f);
/** Small zip caps so the bomb fixtures stay small: 1 MB an entry, 2 MB in all, 10 entries. */
const SMALL: Partial<Limits> = { maxZipEntryBytes: 1_000_000, maxZipTotalBytes: 2_000_000, maxZipEntries: 10 };
const extract = (f: string | Uint8Array, limits: Partial<Limits> = {}) =>
  extractDocx(typeof f === "string" ? read(f) : f, { name: typeof f === "string" ? f : "file.docx", limits: { ...DEFAULT_LIMITS, ...limits } });

const shape = (d: Document) => d.blocks.map((b) => (b.kind === "paragraph" ? `P:${b.text}` : `T${b.place?.table}`));


/** Every row of a grid covers the same number of columns once row spans are counted. */
function widths(rows: [string, number, number][][] | (string | number)[][][]): number[] {
  const carry: number[] = [];
  return rows.map((row, r) => {
    let w = 0;
    for (let i = 0; i < carry.length; i++) if (carry[i] > r) w += 1;
    for (const c of row) {
      const [, rs, cs] = c as [string, number, number];
      w += cs;
      for (let k = 0; k < cs; k++) carry.push(r + rs);
    }
    return w;
  });
}

describe("tables written by LibreOffice (the 2021 template, from HTML with rowspan/colspan)", () => {
  const expected = JSON.parse(read("lo-template.grid.json").toString("utf8")) as [string, number, number][][][];

  it("extracts the exact grid of all three tables", async () => {
    const d = await extract("lo-template.docx");
    expect(tables(d).map(grid)).toEqual(expected);
    expect(tables(d).every((t) => t.exactGrid)).toBe(true);
  });

  it("keeps the template's merges: 三 over 22 rows, （三） over 8, 法人或其他组织 and 未经复议直接起诉 over 5 columns", async () => {
    const [, req, rev] = tables(await extract("lo-template.docx"));
    const find = (t: Table, text: string) => t.rows.flat().find((c) => c.text === text);
    expect(find(req, "三、本年度办理结果")).toMatchObject({ rowSpan: 22, colSpan: 1 });
    expect(find(req, "（三）不予公开")).toMatchObject({ rowSpan: 8, colSpan: 1 });
    expect(find(req, "法人或其他组织")).toMatchObject({ rowSpan: 1, colSpan: 5 });
    expect(find(rev, "未经复议直接起诉")).toMatchObject({ rowSpan: 1, colSpan: 5 });
    // Continuation cells are not repeated: the row after 三's first row starts with （二）.
    expect(req.rows[6][0].text).toBe("（二）部分公开\n（区分处理的，只计这一情形，不计其他情形）");
    expect(req.rows[8].length).toBe(8);
    expect(widths(grid(req) as [string, number, number][][]).every((w) => w === 10)).toBe(true);
  });

  it("keeps blank cells, dashes, slashes, spaced and full-width numbers as printed", async () => {
    const [active, req] = tables(await extract("lo-template.docx"));
    expect(active.rows[3].map((c) => c.text)).toEqual(["行政规范性文件", "1 2", "", "１５"]);
    expect(active.rows[9].map((c) => c.text)).toEqual(["行政事业性收费", "—"]);
    expect(req.rows[3].map((c) => c.text)).toEqual(["一、本年新收政府信息公开申请数量", "0", "0", "", "0", "/", "0", "0"]);
  });

  it("keeps the paragraphs around the tables in document order, and the title", async () => {
    const d = await extract("lo-template.docx");
    expect(shape(d)).toEqual([
      "P:某某区2024年政府信息公开工作年度报告",
      "P:一、总体情况",
      "P:本年度，我区认真贯彻落实。",
      "P:二、主动公开政府信息情况",
      "T0",
      "P:三、收到和处理政府信息公开申请情况",
      "T1",
      "P:四、政府信息公开行政复议、行政诉讼情况",
      "T2",
      "P:五、存在的主要问题及改进情况",
      "P:无。",
    ]);
    expect(d.meta.title).toBe("某某区2024年政府信息公开工作年度报告");
    expect(d.diagnostics.filter((x) => x.severity !== "info")).toEqual([]);
  });
});

describe("OOXML as Word writes it", () => {
  it("reads tracked changes as accepted: insertions kept, deletions, moves away and deleted rows dropped", async () => {
    const d = await extract("tracked.docx");
    expect(paragraphs(d)).toEqual(["正文插入"]);
    expect(tables(d).map(grid)).toEqual([
      [
        [["项目", 1, 1], ["数量", 1, 1]],
        [["行政许可", 1, 1], ["8", 1, 1]],
        [["行政处罚", 1, 1], ["12", 1, 1]],
        [["行政强制", 1, 1], ["3", 1, 1]],
      ],
    ]);
    const note = bySource(d, "docx:tracked-changes");
    expect(note).toHaveLength(1);
    expect(note[0].message).toContain("1 deleted row(s) dropped");
  });

  it("takes a text box's text once (mc:Choice, not also mc:Fallback), after its paragraph or in its cell", async () => {
    const d = await extract("textbox.docx");
    expect(paragraphs(d)).toEqual(["标题前标题后", "框内文字"]);
    expect(tables(d).map(grid)).toEqual([[[["单元格\n格内框", 1, 1], ["5", 1, 1]]]]);
    expect(bySource(d, "docx:text-box")[0].message).toMatch(/^2 text box/);
  });

  it("emits a nested table right after its parent, keeping the parent cell's own text and the nested merge", async () => {
    const d = await extract("nested.docx");
    expect(shape(d)).toEqual(["T0", "T1", "P:之间", "T2"]);
    expect(tables(d).map(grid)).toEqual([
      [
        [["外A", 1, 1], ["外B", 1, 1]],
        [["外C", 1, 1], ["格内文字\n格内文字后", 1, 1]],
      ],
      [[["内1", 2, 1], ["内2", 1, 1]], [["内3", 1, 1]]],
      [[["第三表", 1, 1]]],
    ]);
    expect(bySource(d, "docx:nested-table")[0].place).toEqual({ table: 0 });
  });

  it("follows grid columns through w:gridBefore/w:gridAfter: the merge lands on the cell that starts in that column", async () => {
    const d = await extract("gridbefore.docx");
    expect(tables(d).map(grid)).toEqual([
      [
        [["", 1, 1], ["甲", 2, 1], ["乙", 1, 1]],
        [["丙", 1, 1], ["丁", 1, 1]],
        [["戊", 1, 2], ["", 1, 1]],
      ],
    ]);
    expect(bySource(d, "docx:grid-before")[0].place).toEqual({ table: 0, row: 0 });
    expect(bySource(d, "docx:grid-after")[0].place).toEqual({ table: 0, row: 2 });
  });

  it("keeps field results and drops instructions (simple, complex, nested, without result); reads tabs, breaks, symbols, hyphens, entities", async () => {
    const d = await extract("fields.docx");
    expect(paragraphs(d)).toEqual(["第3页", "2024年", "A外B", "无结果止"]);
    expect(tables(d).map(grid)).toEqual([
      [
        [["一\t二\n三", 1, 1], ["×xy-z", 1, 1]],
        [["一&<全　角", 1, 1], ["１２ ３４５", 1, 1]],
        [["—", 1, 1], ["/", 1, 1]],
      ],
    ]);
    expect(d.meta.title).toBe("某某局2024年政府信息公开工作年度报告");
    expect(bySource(d, "docx:fields")[0].message).toMatch(/^5 field/);
  });

  it("keeps repeated header rows (w:tblHeader) and both halves of a table split at a page break", async () => {
    const d = await extract("header-split.docx");
    expect(tables(d).map(grid)).toEqual([
      [[["信息内容", 1, 1], ["数量", 1, 1]], [["规章", 1, 1], ["1", 1, 1]]],
      [[["信息内容", 1, 1], ["数量", 1, 1]], [["行政许可", 1, 1], ["2", 1, 1]]],
    ]);
    expect(bySource(d, "docx:header-rows").map((x) => x.place)).toEqual([
      { table: 0, row: 0 },
      { table: 1, row: 0 },
    ]);
  });

  it("joins a cell's paragraphs with \\n, drops empty ones, keeps text of a merged-away cell, reads hMerge and content controls", async () => {
    const d = await extract("cells.docx");
    expect(tables(d).map(grid)).toEqual([
      [
        [["（二）部分公开\n（区分处理的）\n残留", 2, 1], ["1", 1, 1]],
        [["2", 1, 1]],
        [["左", 1, 2]],
        [["控件", 1, 1], ["", 1, 1]],
      ],
      [[["孤", 1, 1]]],
    ]);
    const merges = bySource(d, "docx:merge");
    expect(merges.map((x) => x.place)).toEqual([
      { table: 0, row: 1 },
      { table: 1, row: 0 },
    ]);
  });

  it("does not merge a continuation into a cell of another width; merges by start column, not cell index", async () => {
    const d = await extract("merge-width.docx");
    expect(tables(d).map(grid)).toEqual([
      [
        [["宽", 1, 2], ["右", 1, 1]],
        [["窄", 1, 1], ["中", 1, 1], ["右2\n右3", 2, 1]],
        [["底", 1, 2]],
      ],
    ]);
    expect(bySource(d, "docx:merge").map((x) => [x.severity, x.place])).toEqual([
      ["warning", { table: 0, row: 1 }],
      ["warning", { table: 0, row: 2 }],
    ]);
  });

  it("reads another namespace prefix and the main part _rels/.rels names", async () => {
    const d = await extract("prefix.docx");
    expect(shape(d)).toEqual(["P:前缀", "T0"]);
    expect(tables(d).map(grid)).toEqual([[[["格", 1, 1]]]]);
  });

  it("returns a document without tables with a warning", async () => {
    const d = await extract("no-tables.docx");
    expect(shape(d)).toEqual(["P:只有文字。", "P:第二段"]);
    expect(bySource(d, "docx:no-tables")).toMatchObject([{ severity: "warning" }]);
  });
});

describe("hostile and broken archives", () => {
  it("refuses an entry that declares more than the entry cap, before inflating", async () => {
    const e = await failure(extract("bomb-declared.docx", SMALL));
    expect(e.code).toBe("zip-bomb");
    expect(e.message).toContain("declares");
    // Under the default caps the same file is fine: the refusal is the cap, not the file.
    expect(paragraphs(await extract("bomb-declared.docx"))).toEqual(["x"]);
  });

  it("refuses an entry that lies about its size, while inflating", async () => {
    const e = await failure(extract("bomb-lying.docx", SMALL));
    expect(e.code).toBe("zip-bomb");
    expect(e.message).toMatch(/inflates past 1000000 bytes.*declares 1000/);
    // With room to inflate, the lie itself is caught.
    const e2 = await failure(extract("bomb-lying.docx"));
    expect(e2.code).toBe("corrupt-zip");
    expect(e2.message).toContain("declares 1000");
  });

  it("refuses entries declaring more than the total cap, and counts real bytes across reads", async () => {
    expect((await failure(extract("bomb-total.docx", SMALL))).code).toBe("zip-bomb");
    const zip = ZipArchive.open(read("bomb-total.docx"), { maxEntryBytes: 1_000_000, maxTotalBytes: 3_000_000, maxEntries: 10 });
    for (const n of [1, 2, 3]) expect(zip.read(`word/media/pad${n}.bin`).length).toBe(900_000);
    let err: unknown;
    try {
      zip.read("word/media/pad1.bin");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExtractError);
    expect((err as ExtractError).code).toBe("zip-bomb");
    expect((err as ExtractError).message).toContain("in total");
  });

  it("refuses more entries than the cap", async () => {
    const e = await failure(extract("many-entries.docx", SMALL));
    expect(e.code).toBe("zip-bomb");
    expect(e.message).toContain("21 entries");
  });

  it("refuses a truncated zip and a damaged entry as corrupt-zip", async () => {
    expect((await extract("good.docx")).blocks.length).toBe(2);
    const t = await failure(extract("truncated.docx"));
    expect(t.code).toBe("corrupt-zip");
    const d = await failure(extract("damaged.docx"));
    expect(d.code).toBe("corrupt-zip");
    expect(d.message).toContain("word/document.xml");
    // Cut anywhere, never anything but a clean refusal.
    const good = read("good.docx");
    for (let n = 1; n < good.length; n += 37) {
      const e = await failure(extract(good.subarray(0, n)));
      expect(["corrupt-zip", "not-docx"]).toContain(e.code);
    }
  });

  it("refuses a zip without word/document.xml as not-docx, and non-zip bytes", async () => {
    expect((await failure(extract("no-document.docx"))).code).toBe("not-docx");
    expect((await failure(extract(Buffer.from("<html><body>hi</body></html>")))).code).toBe("corrupt-zip");
    expect((await failure(extract(new Uint8Array(0)))).code).toBe("empty");
    expect((await failure(extract(read("lo-template.doc")))).code).toBe("not-docx");
  });

  it("fails a DOCX with tables nested 100,000 deep cleanly at the nesting bound", async () => {
    const e = await failure(extract("nesting-bomb.docx"));
    expect(e.code).toBe("too-deep");
    expect(e.message).toContain(String(DEFAULT_LIMITS.maxNestingDepth));
  });

  it("lists entries and reads one by name; flags unsafe names", () => {
    const zip = ZipArchive.open(read("tracked.docx"), { maxEntryBytes: 1e6, maxTotalBytes: 1e6, maxEntries: 10 });
    expect(zip.entries.map((e) => e.name)).toEqual(["[Content_Types].xml", "_rels/.rels", "word/document.xml"]);
    expect(zip.read("WORD\\Document.xml").toString("utf8")).toContain("<w:body>");
    expect(zip.find("nope.xml")).toBeUndefined();
    expect(["../x", "/etc/passwd", "C:/x", "a/../../b", "a\\..\\b"].every(isUnsafeEntryName)).toBe(true);
    expect(["word/document.xml", "报告/2024.docx", "a..b/c"].some(isUnsafeEntryName)).toBe(false);
  });

  it("sniffs zip and OLE compound files by content", () => {
    expect(isZip(read("good.docx"))).toBe(true);
    expect(isOleCompound(read("good.docx"))).toBe(false);
    expect(isOleCompound(read("lo-template.doc"))).toBe(true);
    expect(isZip(read("lo-template.doc"))).toBe(false);
    expect(isZip(Buffer.from("PK"))).toBe(false);
  });
});

describe("legacy .doc and .wps through LibreOffice", () => {
  const saved = process.env.XXGK_SOFFICE;
  afterEach(() => {
    if (saved === undefined) delete process.env.XXGK_SOFFICE;
    else process.env.XXGK_SOFFICE = saved;
  });
  const legacy = (bytes: Uint8Array, limits: Partial<Limits> = {}, name = "report.doc") =>
    extractLegacyWord(bytes, { name, limits: { ...DEFAULT_LIMITS, ...limits } });
  /** g01-2021 read from a file LibreOffice made of its DOCX: the fixture's organ, year and every value, recorded as docx. */
  async function readsAsG01(bytes: Uint8Array, name: string) {
    const { parseReport } = await import("../src/pipeline.js");
    const out = await parseReport({ bytes, name });
    if (!out.ok) throw new Error(`${out.code}: ${out.message}`);
    const exp = JSON.parse(readFileSync("test/fixtures/generated/g01-2021.expected.json", "utf8"));
    const read = (r: typeof exp) => ({ organ: r.organ, year: r.year, active: r.active, requests: r.requests, reviews: r.reviews });
    expect(out.record.source.format).toBe("docx");
    expect(read(out.record)).toEqual(read(exp));
    return out.record;
  }

  it("a .doc converted by soffice gives the same tables as its DOCX, and leaves no temp folder", async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith("xxgk-legacy-")).length;
    const fromDoc = await legacy(read("lo-template.doc"));
    const fromDocx = await extract("lo-template.docx");
    expect(tables(fromDoc).map(grid)).toEqual(tables(fromDocx).map(grid));
    expect(tables(fromDoc).map(grid)).toEqual(JSON.parse(read("lo-template.grid.json").toString("utf8")));
    expect(bySource(fromDoc, "docx:converted")).toHaveLength(1);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith("xxgk-legacy-")).length).toBe(before);
  });

  it("an OpenDocument text (.odt) is sniffed as such, converted by LibreOffice, and reads as its DOCX does", async () => {
    const work = mkdtempSync(join(tmpdir(), "xxgk-odt-test-"));
    try {
      const profile = `-env:UserInstallation=file://${join(work, "profile")}`;
      writeFileSync(join(work, "report.docx"), read("lo-template.docx"));
      execFileSync("soffice", [profile, "--headless", "--convert-to", "odt", "--outdir", work, join(work, "report.docx")], { stdio: "pipe", timeout: 120_000 });
      const odt = readFileSync(join(work, "report.odt"));
      const { sniff } = await import("../extractors/index.js");
      expect(sniff(odt, "report.zip").kind).toBe("odt");
      const { extractOpenDocument } = await import("../extractors/legacy-word.js");
      const fromOdt = await extractOpenDocument(odt, { name: "report.odt", limits: DEFAULT_LIMITS });
      expect(tables(fromOdt).map(grid)).toEqual(JSON.parse(read("lo-template.grid.json").toString("utf8")));
      expect(bySource(fromOdt, "docx:converted")[0].message).toContain("OpenDocument text");
      // Before, such a file failed as "not a DOCX: no word/document.xml in the archive".
      execFileSync("soffice", [profile, "--headless", "--convert-to", "odt", "--outdir", work, "test/fixtures/generated/g01-2021.lo.docx"], { stdio: "pipe", timeout: 120_000 });
      await readsAsG01(readFileSync(join(work, "g01-2021.lo.odt")), "g01-2021.odt");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 300_000);

  it("a Rich Text file (.rtf, as Word and WPS save it) is sniffed as such, converted by LibreOffice, and reads as its DOCX does", async () => {
    // Before, it was read as plain text: its control words and escapes, no report (not-a-report).
    const work = mkdtempSync(join(tmpdir(), "xxgk-rtf-test-"));
    try {
      const profile = `-env:UserInstallation=file://${join(work, "profile")}`;
      execFileSync("soffice", [profile, "--headless", "--convert-to", "rtf", "--outdir", work, "test/fixtures/generated/g01-2021.lo.docx"], { stdio: "pipe", timeout: 120_000 });
      const rtf = readFileSync(join(work, "g01-2021.lo.rtf"));
      expect(rtf.subarray(0, 5).toString("latin1")).toBe("{\\rtf");
      const { sniff } = await import("../extractors/index.js");
      expect(sniff(rtf, "report.doc").kind).toBe("rtf");
      const record = await readsAsG01(rtf, "g01-2021.rtf");
      expect(record.diagnostics.find((d) => d.code === "docx.converted")?.message).toContain("Rich Text Format");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 300_000);

  it("without LibreOffice, fails with the reason to install it", async () => {
    process.env.XXGK_SOFFICE = "/nonexistent";
    const e = await failure(legacy(read("lo-template.doc")));
    expect(e.message).toBe("legacy Word binary file: install LibreOffice to read it");
    expect(e.code).toBe("needs-libreoffice");
  });

  describe("a misbehaving soffice", () => {
    let fake = "";
    afterEach(() => {
      if (fake) rmSync(fake, { recursive: true, force: true });
      fake = "";
    });
    const script = (body: string) => {
      fake = mkdtempSync(join(tmpdir(), "xxgk-fake-soffice-"));
      const p = join(fake, "soffice");
      writeFileSync(p, `#!/bin/sh\n${body}\n`);
      chmodSync(p, 0o755);
      return p;
    };

    it("exits 0 without writing a DOCX: convert-failed, not a crash", async () => {
      process.env.XXGK_SOFFICE = script("echo 'Error: source file could not be loaded' >&2; exit 0");
      const e = await failure(legacy(read("lo-template.doc")));
      expect(e.code).toBe("convert-failed");
      expect(e.message).toContain("source file could not be loaded");
    });

    it("hangs: killed at limits.timeoutMs", async () => {
      process.env.XXGK_SOFFICE = script("sleep 30");
      const t0 = Date.now();
      const e = await failure(legacy(read("lo-template.doc"), { timeoutMs: 300 }));
      expect(e.code).toBe("timeout");
      expect(Date.now() - t0).toBeLessThan(5000);
    });

    it("writes only under its fixed names: the file's own name never reaches the command line", async () => {
      process.env.XXGK_SOFFICE = script('for a in "$@"; do echo "$a"; done > "$(dirname "$0")/args"; exit 0');
      await failure(legacy(read("lo-template.doc"), {}, "../../evil;rm -rf x.wps"));
      const args = readFileSync(join(fake, "args"), "utf8").trim().split("\n");
      expect(args.at(-1)).toMatch(/\/input\.wps$/);
      expect(args.join(" ")).not.toContain("evil");
      expect(args[0]).toMatch(/^-env:UserInstallation=file:\/\/\/.*xxgk-legacy-/);
    });
  });
});

// Report fixtures made by the fixture generator (test/fixtures/reports/manifest.json, or
// test/fixtures/manifest.json): every DOCX (and the legacy .doc) it lists must extract to
// exact, rectangular grids; where a *.grid.json describes the tables, exactly to it; where
// only an expected record is given, the pipeline must read that record from the tables.
// Both manifests are committed (a missing one fails, never skips); an unknown shape fails
// loudly rather than passing vacuously.
const MANIFESTS = ["test/fixtures/manifest.json", "test/fixtures/reports/manifest.json"];
type GridCell = { text: string; rowSpan?: number; colSpan?: number } | [string, number?, number?];
type Entry = string | { file?: string; path?: string; name?: string; format?: string; grid?: string; expected?: string };
interface Fixture {
  file: string;
  grid?: string;
  expected?: string;
}

function docxFixtures(manifest: string): Fixture[] {
  const base = manifest.slice(0, manifest.lastIndexOf("/") + 1);
  const raw = JSON.parse(readFileSync(manifest, "utf8")) as Entry[] | { fixtures?: Entry[]; files?: Entry[] };
  const entries = Array.isArray(raw) ? raw : (raw.fixtures ?? raw.files);
  if (!Array.isArray(entries)) throw new Error(`${manifest}: no list of fixtures found (keys: ${Object.keys(raw).join(", ")})`);
  const path = (p: string) => (existsSync(p) ? p : base + p);
  const out: Fixture[] = [];
  for (const e of entries) {
    const file = typeof e === "string" ? e : (e.file ?? e.path ?? e.name ?? "");
    if (!/\.(docx|doc|wps)$/i.test(file)) continue;
    const candidates = [...(typeof e !== "string" && e.grid ? [e.grid] : []), file.replace(/\.(docx|doc|wps)$/i, ".grid.json"), file + ".grid.json"].map(path);
    const grid = candidates.find((p) => existsSync(p));
    const expected = typeof e !== "string" && e.expected ? path(e.expected) : undefined;
    if (!grid && !expected) throw new Error(`${file}: neither a grid.json (looked for ${candidates.join(", ")}) nor an expected record`);
    out.push({ file: path(file), grid, expected });
  }
  return out;
}

function expectedTables(gridFile: string): [string, number, number][][][] {
  const raw = JSON.parse(readFileSync(gridFile, "utf8")) as unknown;
  const list = Array.isArray(raw) ? raw : (raw as { tables?: unknown }).tables;
  if (!Array.isArray(list)) throw new Error(`${gridFile}: unknown shape (expected an array of tables or { tables })`);
  return list.map((t) => {
    const rows = Array.isArray(t) ? t : (t as { rows?: unknown }).rows;
    if (!Array.isArray(rows)) throw new Error(`${gridFile}: a table without rows`);
    return rows.map((r: GridCell[]) =>
      r.map((c) => (Array.isArray(c) ? [c[0], c[1] ?? 1, c[2] ?? 1] : [c.text, c.rowSpan ?? 1, c.colSpan ?? 1]) as [string, number, number]),
    );
  });
}

describe("generated report fixtures", () => {
  // .doc/.wps fixtures are read through LibreOffice, which the tests need (.ci/run installs it).
  const all = () => MANIFESTS.flatMap(docxFixtures);
  const read1 = (f: Fixture) =>
    (/\.(doc|wps)$/i.test(f.file) ? extractLegacyWord : extractDocx)(readFileSync(f.file), { name: f.file, limits: DEFAULT_LIMITS });

  it("extracts every DOCX/.doc fixture to exact, rectangular grids, and to its grid.json where there is one", async () => {
    const list = all();
    expect(list.length).toBeGreaterThan(0);
    for (const f of list) {
      const d = await read1(f);
      const ts = tables(d);
      expect(ts.length, f.file).toBeGreaterThanOrEqual(3);
      for (const t of ts) {
        expect(t.exactGrid).toBe(true);
        const w = widths(grid(t) as [string, number, number][][]);
        expect(new Set(w).size, `${f.file} table ${t.place?.table}: row widths ${w.join(",")}`).toBe(1);
      }
      expect(d.diagnostics.filter((x) => x.severity !== "info"), f.file).toEqual([]);
      if (f.grid) expect(ts.map(grid), f.file).toEqual(expectedTables(f.grid));
    }
  });

  it("gives the expected record through the pipeline for every DOCX/.doc fixture", async () => {
    const { parseReport } = await import("../src/pipeline.js");
    const keys = ["template", "organ", "year", "publishedOn", "active", "requests", "reviews"] as const;
    for (const f of all().filter((x) => x.expected)) {
      const out = await parseReport({ bytes: readFileSync(f.file), name: f.file });
      if (!out.ok) throw new Error(`${f.file}: ${out.code}: ${out.message}`);
      const want = JSON.parse(readFileSync(f.expected!, "utf8")) as Record<string, unknown>;
      const got = out.record as unknown as Record<string, unknown>;
      for (const k of keys) expect(got[k], `${f.file}: ${k}`).toEqual(want[k]);
    }
  });

  it("reads a legacy .doc fixture to the same tables as the DOCX of the same report", async () => {
    const docs = all().filter((f) => /\.doc$/i.test(f.file));
    let compared = 0;
    for (const f of docs) {
      const sibling = f.file.replace(/\.[^.]*\.doc$/i, ".lo.docx");
      if (!existsSync(sibling)) continue;
      compared++;
      const fromDoc = tables(await read1(f)).map(grid);
      const fromDocx = tables(await extractDocx(readFileSync(sibling), { name: sibling, limits: DEFAULT_LIMITS })).map(grid);
      expect(fromDoc, f.file).toEqual(fromDocx);
    }
    expect(compared).toBeGreaterThan(0);
  });
});
