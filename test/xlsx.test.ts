// Workbooks (.xlsx): portals link a report's tables as a spreadsheet, and the crawler
// follows such links; before, every one failed as "not a DOCX". Real files from a real
// tool: LibreOffice Calc saves the generated report pages as workbooks (the page's text a
// row per line, its tables with their merges), and a workbook of the tables alone under a
// title; each is judged against its fixture's truth (made from the generators' models).
// Then the parts a spreadsheet program writes that a page has no form for: shared strings
// in runs, binary fractions, date-styled serials, formulas never computed, hidden sheets.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReport } from "../src/pipeline.js";
import { sniff } from "../extractors/index.js";
import { readXlsx } from "../extractors/xlsx.js";
import { DEFAULT_LIMITS } from "../model/limits.js";
import type { Table } from "../model/document.js";
import type { ReportRecord } from "../model/record.js";
import { printedRead, problems } from "./helpers/truth.js";
import { openStore } from "../src/store.js";
import { ingestPaths } from "../src/ingest.js";
import { makeZip } from "./helpers/zip.js";

const out = mkdtempSync(join(tmpdir(), "xxgk-xlsx-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** LibreOffice Calc headless, a profile of its own: HTML pages in, workbooks out. */
function calc(files: string[]): void {
  execFileSync("soffice", [`-env:UserInstallation=file://${join(out, "profile")}`, "--headless", "--infilter=HTML (StarCalc)", "--convert-to", "xlsx", "--outdir", out, ...files], { stdio: "pipe", timeout: 240_000 });
}

const PAGES = readdirSync("test/fixtures/generated").filter((f) => /^g\d+-.*\.portal-utf-8\.html$/.test(f));
const truthOf = (page: string) => join("test/fixtures/generated", page.replace(/\.portal-utf-8\.html$/, ".expected.json"));

describe("workbooks LibreOffice Calc saved from report pages", () => {
  beforeAll(() => {
    // The tables alone under a title, as a body's 统计表 is: no date, no text around them.
    const page = readFileSync("test/fixtures/generated/g01-2021.portal-utf-8.html", "utf8");
    const tables = page.match(/<table[\s\S]*?<\/table>/g)!;
    writeFileSync(join(out, "tables-only.html"), `<html><head><meta charset="utf-8"></head><body><p>硚口区商务局2024年政府信息公开工作年度报告统计表</p>${tables.join("<p></p>")}</body></html>`);
    calc([...PAGES.map((p) => join("test/fixtures/generated", p)), join(out, "tables-only.html")]);
  }, 300_000);

  it("read every printed value of every page exactly, with its body, year, date and region", async () => {
    expect(PAGES.length).toBeGreaterThanOrEqual(10);
    let printed = 0;
    let read = 0;
    const found: string[] = [];
    for (const p of PAGES) {
      const file = join(out, p.replace(/\.html$/, ".xlsx"));
      const o = await parseReport({ bytes: readFileSync(file), name: file, path: file });
      if (!o.ok) {
        found.push(`${p}: not read (${o.code}: ${o.message})`);
        continue;
      }
      expect(o.record.source.format).toBe("docx");
      const want = JSON.parse(readFileSync(truthOf(p), "utf8")) as ReportRecord;
      const c = printedRead(o.record, want);
      printed += c.printed;
      read += c.read;
      found.push(...problems(o.record, want).map((x) => `${p}: ${x}`));
      // Places name the workbook's tables, rows and columns, as for any format with tables.
      const place = (o.record as ReportRecord & { provenance: Record<string, { place?: { table?: number; row?: number; col?: number } }> }).provenance["requests.newReceived.total"]?.place;
      if (want.requests.newReceived[6] !== null) expect(place).toMatchObject({ table: expect.any(Number), row: expect.any(Number), col: expect.any(Number) });
    }
    expect(found).toEqual([]);
    expect(read).toBe(printed);
    expect(printed).toBeGreaterThan(1900);
  });

  it("a workbook of the tables alone: every value, the body and year from its title", async () => {
    const file = join(out, "tables-only.xlsx");
    const o = await parseReport({ bytes: readFileSync(file), name: basename(file), path: file });
    expect(o.ok).toBe(true);
    if (!o.ok) return;
    const want = JSON.parse(readFileSync(truthOf("g01-2021.portal-utf-8.html"), "utf8")) as ReportRecord;
    expect(printedRead(o.record, want).read).toBe(printedRead(o.record, want).printed);
    // The workbook prints no date: null, said; nothing else differs.
    expect(problems(o.record, want)).toEqual([expect.stringMatching(/^organ\/year\/date\/region \["硚口区商务局",2024,null,"420104"\]/)]);
    expect(o.record.diagnostics.some((d) => d.key === "publishedOn")).toBe(true);
  });
});

describe("legacy workbooks (.xls) LibreOffice Calc saved", () => {
  const pages = ["g01-2021.portal-utf-8.html", "g04-2019-blanks.portal-utf-8.html"];
  const dir = join(out, "xls");
  beforeAll(() => {
    execFileSync("mkdir", ["-p", dir]);
    execFileSync("soffice", [`-env:UserInstallation=file://${join(out, "profile")}`, "--headless", "--infilter=HTML (StarCalc)", "--convert-to", "xls", "--outdir", dir, ...pages.map((p) => join("test/fixtures/generated", p))], {
      stdio: "pipe",
      timeout: 240_000,
    });
  }, 300_000);

  it("are told from Word's binary files by their streams, converted to XLSX and read exactly", async () => {
    for (const p of pages) {
      const file = join(dir, p.replace(/\.html$/, ".xls"));
      const bytes = new Uint8Array(readFileSync(file));
      expect(sniff(bytes, basename(file)).kind).toBe("legacy-excel");
      const o = await parseReport({ bytes, name: basename(file), path: file });
      expect(o.ok, o.ok ? "" : o.message).toBe(true);
      if (!o.ok) continue;
      const want = JSON.parse(readFileSync(truthOf(p), "utf8")) as ReportRecord;
      expect(problems(o.record, want)).toEqual([]);
      expect(printedRead(o.record, want).read).toBe(printedRead(o.record, want).printed);
      expect(o.record.diagnostics.map((d) => d.code)).toContain("xlsx.converted");
    }
    // A legacy Word file is still one.
    expect(sniff(new Uint8Array(readFileSync("test/fixtures/generated/g03-2019.lo.doc")), "g03.doc").kind).toBe("legacy-word");
  }, 120_000);
});

describe("workbooks in archives", () => {
  it("a .zip holding a workbook reads it (before: skipped as no report file); a workbook renamed .zip is a report", async () => {
    const dir = join(out, "zips");
    execFileSync("mkdir", ["-p", dir]);
    const book = readFileSync(join(out, "g01-2021.portal-utf-8.xlsx"));
    writeFileSync(join(dir, "reports.zip"), makeZip([{ name: "统计表/硚口区商务局2024年统计表.xlsx", data: book }, { name: "说明.png", data: "x" }]));
    writeFileSync(join(dir, "renamed.zip"), readFileSync(join(out, "g09-2021-notitle.portal-utf-8.xlsx")));
    const store = openStore(join(dir, "x.sqlite"));
    try {
      const s = await ingestPaths(store, [join(dir, "reports.zip"), join(dir, "renamed.zip")]);
      expect([s.ingested, s.failed.length]).toEqual([2, 0]);
      expect(s.skipped.map((k) => k.path)).toEqual([`${join(dir, "reports.zip")}!/说明.png`]);
      expect(s.skipped[0].reason).toContain("XLSX");
    } finally {
      store.close();
    }
  });
});

// ---- a workbook's parts, written as a spreadsheet program writes them -------------------------

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
function workbook(sheets: { name: string; xml: string; state?: string }[], opts: { strings?: string; styles?: string; date1904?: boolean } = {}): Buffer {
  const rels = sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join("");
  return makeZip([
    { name: "[Content_Types].xml", data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
    {
      name: "xl/workbook.xml",
      data: `<?xml version="1.0"?><workbook ${NS}><workbookPr${opts.date1904 ? ' date1904="1"' : ""}/><sheets>${sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ""} r:id="rId${i + 1}"/>`).join("")}</sheets></workbook>`,
    },
    { name: "xl/_rels/workbook.xml.rels", data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>` },
    ...(opts.strings ? [{ name: "xl/sharedStrings.xml", data: `<?xml version="1.0"?><sst ${NS}>${opts.strings}</sst>` }] : []),
    ...(opts.styles ? [{ name: "xl/styles.xml", data: `<?xml version="1.0"?><styleSheet ${NS}>${opts.styles}</styleSheet>` }] : []),
    ...sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: `<?xml version="1.0"?><worksheet ${NS}>${s.xml}</worksheet>` })),
  ]);
}
const read = (bytes: Buffer) => readXlsx(new Uint8Array(bytes), { name: "t.xlsx", limits: DEFAULT_LIMITS });
const texts = (t: Table) => t.rows.map((r) => r.map((c) => (c.read ? `?${c.read.status}` : c.text)));

describe("the parts of a workbook", () => {
  it("is sniffed as a workbook, not as a Word file", () => {
    const bytes = workbook([{ name: "S", xml: "<sheetData/>" }]);
    expect(sniff(new Uint8Array(bytes), "统计表.xlsx").kind).toBe("xlsx");
    expect(sniff(new Uint8Array(bytes), "统计表.docx").kind).toBe("xlsx");
  });

  it("shows numbers as the sheet does (15 digits), dates and percentages by their style, strings of runs whole", () => {
    const styles = '<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="176"/><xf numFmtId="10"/></cellXfs>';
    const strings = '<si><t>政府集中采购</t></si><si><r><t>行政</t></r><r><rPr><b/></rPr><t>许可</t></r><rPh><t>ギョウセイ</t></rPh></si>';
    const xml =
      "<sheetData>" +
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>18.469999999999999</v></c><c r="C1"><v>261</v></c></row>' +
      '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" s="1"><v>45670</v></c><c r="C2" s="2"><v>45670</v></c></row>' +
      '<row r="3"><c r="A3" t="inlineStr"><is><t>比例</t></is></c><c r="B3" s="3"><v>0.125</v></c><c r="C3"><f>SUM(C1:C2)</f><v>522</v></c></row>' +
      "</sheetData>";
    const doc = read(workbook([{ name: "表", xml }], { strings, styles }));
    const [t] = doc.blocks.filter((b): b is Table => b.kind === "table");
    expect(texts(t)).toEqual([
      ["政府集中采购", "18.47", "261"],
      ["行政许可", "2025年1月13日", "2025年1月13日"],
      ["比例", "12.5%", "522"],
    ]);
    expect(t.exactGrid).toBe(true);
  });

  it("a formula with no computed value is left unread (null with a note), never worked out", () => {
    const xml = '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>行政许可</t></is></c><c r="B1"><v>5</v></c><c r="C1"><f>B1*2</f></c></row></sheetData>';
    const doc = read(workbook([{ name: "S", xml }]));
    const [t] = doc.blocks.filter((b): b is Table => b.kind === "table");
    expect(texts(t)).toEqual([["行政许可", "5", "?unreadable"]]);
    expect(doc.diagnostics.map((d) => d.source)).toContain("xlsx:uncomputed");
  });

  it("a merged title is a paragraph; a label merged down keeps its rows in the table; empty rows part tables; hidden sheets are not read", () => {
    const xml =
      "<sheetData>" +
      '<row r="1"><c r="A1" t="inlineStr"><is><t>某局2024年政府信息公开工作年度报告统计表</t></is></c></row>' +
      '<row r="2"><c r="A2" t="inlineStr"><is><t>行政复议</t></is></c><c r="B2" t="inlineStr"><is><t>结果维持</t></is></c><c r="C2"><v>1</v></c></row>' +
      '<row r="3"><c r="B3" t="inlineStr"><is><t>结果纠正</t></is></c><c r="C3"><v>2</v></c></row>' +
      '<row r="5"><c r="A5" t="inlineStr"><is><t>乙</t></is></c><c r="B5"><v>3</v></c></row>' +
      '</sheetData><mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="A2:A3"/></mergeCells>';
    const hidden = '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>旧表</t></is></c><c r="B1"><v>99</v></c></row></sheetData>';
    const doc = read(workbook([{ name: "S", xml }, { name: "H", xml: hidden, state: "hidden" }]));
    expect(doc.blocks.map((b) => b.kind)).toEqual(["paragraph", "table", "table"]);
    expect(doc.blocks[0]).toMatchObject({ text: "某局2024年政府信息公开工作年度报告统计表" });
    const [first, second] = doc.blocks.filter((b): b is Table => b.kind === "table");
    expect(first.rows.map((r) => r.map((c) => [c.text, c.rowSpan, c.colSpan]))).toEqual([
      [["行政复议", 2, 1], ["结果维持", 1, 1], ["1", 1, 1]],
      [["结果纠正", 1, 1], ["2", 1, 1]],
    ]);
    expect(texts(second)).toEqual([["乙", "3"]]);
    expect(doc.diagnostics.map((d) => d.source)).toContain("xlsx:hidden-sheet");
    expect(JSON.stringify(doc.blocks)).not.toContain("旧表");
  });

  it("a merge naming the whole sheet costs nothing: clipped to the cells that hold something", () => {
    const xml = '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c><c r="B1"><v>1</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="B1:XFD1048576"/></mergeCells>';
    const doc = read(workbook([{ name: "S", xml }]));
    const [t] = doc.blocks.filter((b): b is Table => b.kind === "table");
    expect(t.rows.map((r) => r.map((c) => [c.text, c.rowSpan, c.colSpan]))).toEqual([[["甲", 1, 1], ["1", 1, 1]]]);
  });

  it("a broken workbook fails with one reason: no workbook part", async () => {
    const bytes = makeZip([{ name: "xl/workbook.xml.bak", data: "x" }, { name: "xl/workbook.xml/", data: "" }]);
    const o = await parseReport({ bytes: new Uint8Array(bytes), name: "bad.xlsx" });
    expect(o.ok).toBe(false);
    if (!o.ok) expect(o.message).toMatch(/xl\/workbook\.xml/);
  });
});
