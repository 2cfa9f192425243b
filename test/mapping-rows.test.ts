// The row mapper (normalizers/tables.ts) on small hand-made documents: how the form of
// table 2 is decided, how printed cells are fitted to the template's columns, and what
// becomes of rows the template does not expect (no label, an unknown label, a label
// listed with others, a table printed twice). Each case states what a document's table
// must become; the values are distinct so a cell read into the wrong place cannot pass.
import { describe, expect, it } from "vitest";
import { cell, paragraph, type Block, type Cell, type Document } from "../model/document.js";
import { detectTemplate, fitValues, mapTables } from "../normalizers/tables.js";

const table = (exactGrid: boolean, ...rows: (string | Cell)[][]): Block => ({
  kind: "table",
  exactGrid,
  rows: rows.map((r) => r.map((c) => (typeof c === "string" ? cell(c) : c))),
});
const doc = (...blocks: Block[]): Document => ({ meta: {}, diagnostics: [], blocks });
const seven = (a: number) => [0, 1, 2, 3, 4, 5, 6].map((i) => String(a + i));
const nums = (a: number) => [0, 1, 2, 3, 4, 5, 6].map((i) => a + i);
const codes = (r: ReturnType<typeof mapTables>, code: string) => r.diagnostics.filter((d) => d.code === code);

describe("the form of table 2", () => {
  const row = (label: string, ...values: string[]) => table(true, [label, ...values]);

  it("its column heads decide it, by the count of each form's heads", () => {
    expect(detectTemplate([table(true, ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"])], 2024)).toEqual({ template: "2019", by: "table2" });
    expect(detectTemplate([table(true, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])], 2019)).toEqual({ template: "2021", by: "table2" });
    // One head of each form: no decision from heads, the year decides.
    expect(detectTemplate([table(true, ["信息内容", "本年新制作数量", "本年制发件数"])], 2024)).toEqual({ template: "2021", by: "year" });
  });

  it("without heads, a row only the 2019 form has decides it (read surely, not merely a similar label)", () => {
    expect(detectTemplate([row("政府集中采购", "3", "5")], 2024)).toEqual({ template: "2019", by: "rows" });
    expect(detectTemplate([row("其他对外管理服务事", "1", "+2", "3")], 2024)).toEqual({ template: "2019", by: "rows" });
    // Similar (0.85) is not sure enough; a row both forms have is no evidence.
    expect(detectTemplate([row("其他对外管里服务事项", "1", "2", "3")], 2024)).toEqual({ template: "2021", by: "year" });
    expect(detectTemplate([row("行政许可证", "1", "2", "3")], 2020)).toEqual({ template: "2019", by: "year" });
    // Numbers are no evidence of anything.
    expect(detectTemplate([row("行政许可", "本年新制作数量")], 2024)).toEqual({ template: "2019", by: "table2" });
  });

  it("without heads or such rows, the template the text cites, then the year, then 2021", () => {
    const cites = (t: string) => [paragraph(`按照国办公开办函${t}要求编制。`), row("行政许可", "1")];
    expect(detectTemplate(cites("〔2019〕60号"), 2024)).toEqual({ template: "2019", by: "citation" });
    expect(detectTemplate(cites("〔2021〕30号"), 2019)).toEqual({ template: "2021", by: "citation" });
    expect(detectTemplate([paragraph("〔2019〕60号与〔2021〕30号"), row("行政许可", "1")], 2020)).toEqual({ template: "2019", by: "year" });
    expect(detectTemplate([row("行政许可", "1")], 2020)).toEqual({ template: "2019", by: "year" });
    expect(detectTemplate([row("行政许可", "1")], 2021)).toEqual({ template: "2021", by: "year" });
    expect(detectTemplate([row("行政许可", "1")], null)).toEqual({ template: "2021", by: "default" });
  });

  it("a form not read from table 2's heads is said so in a warning, naming how it was decided", () => {
    const r = mapTables(doc(table(true, ["行政许可", "9"])), 2024);
    expect(r.template).toBe("2021");
    expect(r.templateBy).toBe("year");
    expect(r.active.licensing).toEqual({ decisions: 9 });
    expect(codes(r, "template.inferred")).toStrictEqual([
      { code: "template.inferred", severity: "warning", message: "template 2021 decided by the report's year: table 2's column headers were not found", key: "template" },
    ]);
    const byRows = mapTables(doc(table(true, ["政府集中采购", "3", "5"])), 2024);
    expect(codes(byRows, "template.inferred")[0].message).toBe("template 2019 decided by table 2's rows: table 2's column headers were not found");
    const byCitation = mapTables(doc(paragraph("依据〔2019〕60号"), table(true, ["行政许可", "1", "2", "3"])), 2024);
    expect(codes(byCitation, "template.inferred")[0].message).toBe("template 2019 decided by the template cited in the text: table 2's column headers were not found");
    const byDefault = mapTables(doc(table(true, ["行政许可", "9"])), null);
    expect(codes(byDefault, "template.inferred")[0].message).toBe("template 2021 decided by default: table 2's column headers were not found");
    // Read from the heads: nothing to say. No template row at all: nothing to say either (the document fails as no-tables).
    expect(codes(mapTables(doc(table(true, ["信息内容", "本年制发件数"], ["规章", "9"])), 2024), "template.inferred")).toEqual([]);
    const none = mapTables(doc(table(true, ["甲", "乙"])), 2024);
    expect(none.rowsFound).toBe(0);
    expect(codes(none, "template.inferred")).toEqual([]);
  });
});

describe("fitting printed cells to the template's columns", () => {
  it("as many cells as columns: as printed", () => {
    expect(fitValues(["1", "", "3"], 3)).toEqual({ cells: ["1", "", "3"], start: 0 });
  });

  it("fewer cells: which are missing cannot be told", () => {
    expect(fitValues(["1"], 3)).toEqual({ problem: "1 value cell where 3 are expected; which are missing cannot be told" });
    expect(fitValues(["1", "2"], 3)).toEqual({ problem: "2 value cells where 3 are expected; which are missing cannot be told" });
  });

  it("extra blank cells at one end are dropped, the cells kept where they stand", () => {
    expect(fitValues(["", "1", "2", "3"], 3)).toEqual({ cells: ["1", "2", "3"], start: 1 });
    expect(fitValues(["1", "2", "3", "", ""], 3)).toEqual({ cells: ["1", "2", "3"], start: 0 });
    // All blank: every reading is the same.
    expect(fitValues(["", "", "", ""], 3)).toEqual({ cells: ["", "", ""], start: 0 });
  });

  it("extra cells that are not blank, or blanks at both ends that give two readings, cannot be fitted", () => {
    expect(fitValues(["1", "2", "3", "4"], 3)).toEqual({ problem: "4 value cells where 3 are expected, and the extra cells are not blank" });
    expect(fitValues(["", "1", "2", ""], 3)).toEqual({ problem: "4 cells where 3 are expected, with blanks at both ends; which blank is a value cannot be told" });
  });

  it("table 2's spanned last value written out in every column it spans (an unmerging converter): the copies are one cell", () => {
    // 行政许可 | 99 | 99 | 99 (本年处理决定数量 over three columns); 采购项目数量 | 采购总金额 over two.
    expect(fitValues(["99", "99", "99"], 1, true)).toEqual({ cells: ["99"], start: 0 });
    expect(fitValues(["734", "-166", "-166"], 2, true)).toEqual({ cells: ["734", "-166"], start: 0 });
    expect(fitValues(["", "5", "5"], 2, true)).toEqual({ cells: ["", "5"], start: 0 });
    // Copies that differ are no span; nor a run that leaves too few cells.
    expect(fitValues(["99", "98", "99"], 1, true)).toEqual({ problem: "3 value cells where 1 are expected, and the extra cells are not blank" });
    expect(fitValues(["5", "5", "5"], 2, true)).toEqual({ problem: "3 value cells where 2 are expected, and the extra cells are not blank" });
    // Only where asked (table 2): a wide row of table 3 ending in equal numbers, a cell too many, is no span.
    expect(fitValues(["1", "0", "0", "0", "0", "0", "5", "5"], 7)).toEqual({ problem: "8 value cells where 7 are expected, and the extra cells are not blank" });
  });

  it("a row that cannot be fitted is null, the warning naming the template row and where it stands", () => {
    const r = mapTables(
      doc(
        table(true, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "1", "2"]),
        table(true, ["（一）予以公开", ...seven(10).slice(1)]),
        table(true, ["行政复议"], ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14"]),
      ),
      2024,
    );
    expect(r.active.regulations).toEqual({ issued: null, repealed: null, inForce: null });
    expect(r.requests.granted).toEqual([null, null, null, null, null, null, null]);
    const about = (key: string) => r.diagnostics.filter((d) => d.key === key).map((d) => d.message);
    expect(about("active.regulations.issued")).toEqual([
      "active.regulations: 2 value cells where 3 are expected; which are missing cannot be told (document table 1, row 2); the row is read as null",
    ]);
    expect(about("requests.granted.total")).toEqual([
      "requests.granted: 6 value cells where 7 are expected; which are missing cannot be told (document table 2, row 1); the row is read as null",
    ]);
    expect(about("reviews.litigationAfterReview.total")).toEqual([
      "reviews: 14 value cells where 15 are expected; which are missing cannot be told (document table 3, row 2); the row is read as null",
    ]);
  });

  it("a value is placed by the printed grid: a group label spanning two rows and two columns covers both in the next row", () => {
    const r = mapTables(
      doc(table(true, ["信息内容", "", "", "本年制发件数", "本年废止件数", "现行有效件数"], [cell("（一）", 2, 2), "规章", "3", "4", "5"], ["行政规范性文件", "6", "7", "8"])),
      2024,
    );
    expect(r.active.regulations).toEqual({ issued: 3, repealed: 4, inForce: 5 });
    expect(r.provenance["active.regulations.issued"].place).toEqual({ table: 1, row: 2, col: 4 });
    expect(r.active.normativeDocuments).toEqual({ issued: 6, repealed: 7, inForce: 8 });
    expect(r.provenance["active.normativeDocuments.issued"].place).toEqual({ table: 1, row: 3, col: 4 });
    expect(r.rowsFound).toBe(2);
  });

  it("a row's values after an extra blank cell are placed where they are printed", () => {
    const r = mapTables(doc(table(true, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "", "3", "4", "5"])), 2024);
    expect(r.active.regulations).toEqual({ issued: 3, repealed: 4, inForce: 5 });
    expect(r.provenance["active.regulations.issued"]).toEqual({ text: "3", status: "printed", place: { table: 1, row: 2, col: 3 } });
    expect(r.provenance["active.regulations.inForce"]).toEqual({ text: "5", status: "printed", place: { table: 1, row: 2, col: 5 } });
  });

  it("a row's place is its table's page and its first cell's line; the messages say it", () => {
    const t: Block = { ...table(false, [cell("规章", 1, 1, { line: 41 }), cell("1"), cell("2")]), place: { page: 3 } };
    const r = mapTables(doc(paragraph("二、主动公开政府信息情况"), t), 2024);
    expect(r.diagnostics.find((d) => d.key === "active.regulations.issued")).toMatchObject({
      code: "row.unfit",
      message: expect.stringContaining("(page 3, line 41, document table 1, row 1)"),
      place: { page: 3, table: 1, row: 1, line: 41 },
    });
  });
});

describe("rows the template does not expect", () => {
  it("a blank row between a row's wrapped numbers does not cut the row", () => {
    const v = seven(60);
    const r = mapTables(doc(table(false, ["（一）予以公开", ...v.slice(0, 4)], ["", ""], v.slice(4))), 2024);
    expect(r.requests.granted).toEqual(nums(60));
  });

  it("an exact grid's row is whole: a short row is not continued by the next table's numbers", () => {
    const r = mapTables(doc(table(true, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "1", "2"]), table(false, ["3"])), 2024);
    expect(r.active.regulations).toEqual({ issued: null, repealed: null, inForce: null });
    expect(codes(r, "row.noLabel")).toHaveLength(1);
  });

  it("a blank row is nothing: no value, no note", () => {
    const r = mapTables(doc(table(true, ["信息内容", "本年处理决定数量"], ["行政许可", "9"], ["", ""], [], ["行政处罚", "10"])), 2024);
    expect(r.active.licensing).toEqual({ decisions: 9 });
    expect(r.active.penalties).toEqual({ decisions: 10 });
    expect(r.diagnostics.filter((d) => d.code.startsWith("row.") && !d.key?.startsWith("requests.") && !d.key?.startsWith("active."))).toEqual([]);
    expect(r.rowsFound).toBe(2);
  });

  it("numbers without a row label outside table 4 are not read, and a warning quotes them", () => {
    const r = mapTables(doc(paragraph("三、收到和处理政府信息公开申请情况"), table(true, ["（一）予以公开", ...seven(10)], ["1", "2", "3"])), 2024);
    expect(r.requests.granted).toEqual(nums(10));
    expect(codes(r, "row.noLabel")).toStrictEqual([
      { code: "row.noLabel", severity: "warning", message: 'numbers without a row label were not read: "1 2 3" (document table 1, row 2)', place: { table: 1, row: 2 } },
    ]);
    expect(r.reviews.administrativeReview.upheld).toBeNull();
  });

  it("table 4's heads seen in another section do not make a label-less row there table 4's", () => {
    const r = mapTables(doc(paragraph("三、收到和处理政府信息公开申请情况"), table(true, ["行政复议"], ["1", "2", "3"])), 2024);
    expect(codes(r, "row.noLabel")).toHaveLength(1);
    expect(codes(r, "row.unfit")).toEqual([]);
  });

  it("an unknown row cut off before its label's rest: a rest that reads as no row does not join it", () => {
    const r = mapTables(doc(paragraph("二、主动公开政府信息情况"), table(false, ["地方性法规", "5", "6", "7"], ["备注", "", "", ""], ["行政许可", "9"])), 2024);
    expect(r.active.licensing).toEqual({ decisions: 9 });
    expect(codes(r, "row.unmatched")).toHaveLength(1);
  });

  it("a label-less row of fifteen cells in table 3 is not table 4's data row when some are blank", () => {
    const cells = ["1", "", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"];
    const r = mapTables(doc(paragraph("三、收到和处理政府信息公开申请情况"), table(true, ["（一）予以公开", ...seven(10)], cells)), 2024);
    expect(r.reviews.administrativeReview).toEqual({ upheld: null, corrected: null, other: null, pending: null, total: null });
    expect(codes(r, "row.noLabel")).toHaveLength(1);
  });

  it("table 4's data row is read in section 四 even with blanks, and after table 4's heads where no section is named", () => {
    const cells = ["1", "", "3", "4", "8", "", "", "", "", "", "11", "12", "13", "14", "50"];
    const inSection = mapTables(doc(paragraph("四、政府信息公开行政复议、行政诉讼情况"), table(true, cells)), 2024);
    expect(inSection.reviews.administrativeReview).toEqual({ upheld: 1, corrected: null, other: 3, pending: 4, total: 8 });
    expect(inSection.reviews.litigationAfterReview.total).toBe(50);
    const afterHeads = mapTables(doc(table(true, ["行政复议", "行政诉讼"], cells)), 2024);
    expect(afterHeads.reviews.administrativeReview).toEqual({ upheld: 1, corrected: null, other: 3, pending: 4, total: 8 });
    // Without either, fifteen numbers are table 4's data row all the same; with blanks they are not.
    const full = mapTables(doc(table(true, Array.from({ length: 15 }, (_, i) => String(i + 1)))), 2024);
    expect(full.reviews.litigationAfterReview).toEqual({ upheld: 11, corrected: 12, other: 13, pending: 14, total: 15 });
    const neither = mapTables(doc(table(true, cells)), 2024);
    expect(neither.reviews.administrativeReview.upheld).toBeNull();
    expect(codes(neither, "row.noLabel")).toHaveLength(1);
  });

  it("table 4's data row under an unknown label is read in section 四; elsewhere it is an unmatched row", () => {
    const cells = ["1", "2", "3", "4", "10", "5", "6", "7", "8", "26", "9", "11", "13", "14", "47"];
    const r = mapTables(doc(paragraph("四、政府信息公开行政复议、行政诉讼情况"), table(true, ["数量", ...cells])), 2024);
    expect(r.reviews.litigationDirect).toEqual({ upheld: 5, corrected: 6, other: 7, pending: 8, total: 26 });
    const elsewhere = mapTables(doc(paragraph("三、收到和处理政府信息公开申请情况"), table(true, ["数量", ...cells])), 2024);
    expect(elsewhere.reviews.litigationDirect.upheld).toBeNull();
    expect(codes(elsewhere, "row.unmatched")).toStrictEqual([
      { code: "row.unmatched", severity: "warning", message: 'row "数量" matches no template row; its values were not read (document table 1, row 1)', place: { table: 1, row: 1 } },
    ]);
  });

  it("an unknown label with numbers is named in tables 2 to 4 only, and only when it reads as a label", () => {
    const unknown = (section: string | null, label: string, values = ["5", "6", "7"]) =>
      codes(mapTables(doc(...(section ? [paragraph(section)] : []), table(true, ["规章", "1", "2", "3"], [label, ...values], ["行政许可", "9"])), 2024), "row.unmatched");
    expect(unknown("二、主动公开政府信息情况", "地方性法规")).toHaveLength(1);
    expect(unknown("二、主动公开政府信息情况", "地方性法规", ["5", "", ""])).toHaveLength(1);
    expect(unknown("二、主动公开政府信息情况", "本年度共收到各类申请并依法依规全部办结，其中涉及多个部门联合答复的申请另行统计说明如下")).toEqual([]);
    expect(unknown("一、总体情况", "地方性法规")).toEqual([]);
    expect(unknown("五、存在的主要问题及改进情况", "地方性法规")).toEqual([]);
    expect(unknown(null, "地方性法规")).toEqual([]);
    // In section 四 too, where three numbers under an unknown label are no table 4 row.
    expect(unknown("四、政府信息公开行政复议、行政诉讼情况", "地方性法规")).toHaveLength(1);
    // Forty characters is still a label; forty-one is prose.
    expect(unknown("二、主动公开政府信息情况", "甲".repeat(40))).toHaveLength(1);
    expect(unknown("二、主动公开政府信息情况", "甲".repeat(41))).toEqual([]);
    // A label with only blanks after it waits for its numbers: nothing to say.
    expect(unknown("二、主动公开政府信息情况", "地方性法规", ["", "", ""])).toEqual([]);
  });

  it("an unknown label printed in two cells is quoted with its cells apart, the blank between them left out", () => {
    const r = mapTables(doc(paragraph("二、主动公开政府信息情况"), table(true, ["地方性", "", "法规", "5", "6", "7"])), 2024);
    expect(codes(r, "row.unmatched").map((d) => d.message)).toEqual(['row "地方性 法规" matches no template row; its values were not read (document table 1, row 1)']);
  });

  it("a row only the 2019 form has, in a 2021 report, is not read (and does not stop the mapping)", () => {
    const r = mapTables(
      doc(paragraph("二、主动公开政府信息情况"), table(true, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "1", "2", "3"], ["其他对外管理服务事项", "4", "5", "6"], ["行政许可", "7"])),
      2024,
    );
    expect(r.template).toBe("2021");
    expect(r.active.regulations).toEqual({ issued: 1, repealed: 2, inForce: 3 });
    expect(r.active.licensing).toEqual({ decisions: 7 });
    expect(r.active).not.toHaveProperty("otherServices");
    expect(codes(r, "row.unmatched")).toHaveLength(1);
  });

  it("a label read as similar, not equal, is read and said so", () => {
    const r = mapTables(doc(table(true, ["1.属于国家秘蜜", ...seven(31)])), 2024);
    expect(r.requests["denied.stateSecret"]).toEqual(nums(31));
    expect(codes(r, "row.similarLabel")).toStrictEqual([
      { code: "row.similarLabel", severity: "warning", message: 'row label "1.属于国家秘蜜" read as requests.denied.stateSecret (similar, not equal) (document table 1, row 1)', place: { table: 1, row: 1 } },
    ]);
    const sure = mapTables(doc(table(true, ["1.属于国家秘密", ...seven(31)])), 2024);
    expect(codes(sure, "row.similarLabel")).toEqual([]);
    // At the threshold (0.9) a label is the row's own: no note.
    const atThreshold = mapTables(doc(table(true, ["信息内容", "本年处理决定数量"], ["行政许可证", "9"])), 2024);
    expect(atThreshold.active.licensing).toEqual({ decisions: 9 });
    expect(codes(atThreshold, "row.similarLabel")).toEqual([]);
    // The note quotes the whole label, its cells joined.
    const group = mapTables(doc(table(true, ["（三）不予公开", "1.属于国家秘蜜", ...seven(31)])), 2024);
    expect(codes(group, "row.similarLabel").map((d) => d.message)).toEqual([
      'row label "（三）不予公开1.属于国家秘蜜" read as requests.denied.stateSecret (similar, not equal) (document table 1, row 1)',
    ]);
  });

  it("numbers after several row labels listed one under another: which row owns them cannot be told", () => {
    const r = mapTables(doc(table(false, ["（一）予以公开"], ["（二）部分公开"], seven(20))), 2024);
    expect(r.requests.granted).toEqual([null, null, null, null, null, null, null]);
    expect(r.requests.partiallyGranted).toEqual([null, null, null, null, null, null, null]);
    expect(codes(r, "row.ambiguous")).toStrictEqual([
      {
        code: "row.ambiguous",
        severity: "warning",
        message: 'numbers "20 21 22 23 24 25 26" follow several row labels ("（一）予以公开", "（二）部分公开"); which row they belong to cannot be told, so they were not read (document table 1, row 3)',
        place: { table: 1, row: 3 },
      },
    ]);
    // A group label over its item is no rival: the item owns the numbers.
    const group = mapTables(doc(table(false, ["（六）其他处理"], ["3.其他"], seven(40))), 2024);
    expect(group.requests["other.other"]).toEqual(nums(40));
    expect(codes(group, "row.ambiguous")).toEqual([]);
    // A label wrapped over two lines is one label, not two.
    const wrapped = mapTables(doc(table(false, ["1.申请人无正当理由逾期不补正、行政机关不再处理"], ["其政府信息公开申请"], seven(50))), 2024);
    expect(wrapped.requests["other.overdueCorrection"]).toEqual(nums(50));
    expect(codes(wrapped, "row.ambiguous")).toEqual([]);
  });

  it("one label cell whose lines each name a row (行政处罚 / 行政强制, a rule between them not seen): whose number it is cannot be told", () => {
    // As chromium's landscape print of a page gave it, the row under 行政处罚 blank.
    const r = mapTables(doc(table(true, ["信息内容", "本年处理决定数量"], ["行政处罚\n行政强制", "76"])), 2024);
    expect(r.active.penalties).toEqual({ decisions: null });
    expect(r.active.coercion).toEqual({ decisions: null });
    expect(codes(r, "row.ambiguous").map((d) => d.message)).toEqual([
      'numbers "76" stand beside the labels of two rows ("行政处罚", "行政强制"); which row they belong to cannot be told, so they were not read (document table 1, row 2)',
    ]);
    // A label wrapped over lines names one row: read.
    const wrapped = mapTables(doc(table(true, ["信息内容", "本年处理决定数量"], ["行政\n处罚", "76"])), 2024);
    expect(wrapped.active.penalties).toEqual({ decisions: 76 });
  });

  it("a row's numbers wrapped over three lines of text are one row", () => {
    const v = seven(60);
    const r = mapTables(doc(table(false, ["（一）予以公开", ...v.slice(0, 3)], v.slice(3, 5), v.slice(5))), 2024);
    expect(r.requests.granted).toEqual(nums(60));
    expect(r.diagnostics.filter((d) => d.key?.startsWith("requests.granted."))).toEqual([]);
  });

  it("a row printed twice with the same values is read once, without a note; table 4 printed twice keeps the first", () => {
    const review = (a: number) => Array.from({ length: 15 }, (_, i) => String(a + i));
    const r = mapTables(
      doc(
        table(true, ["信息内容", "本年处理决定数量"], ["行政许可", "9"], ["行政许可", "9"]),
        paragraph("四、政府信息公开行政复议、行政诉讼情况"),
        table(true, review(100)),
        table(true, review(200)),
      ),
      2024,
    );
    expect(r.active.licensing).toEqual({ decisions: 9 });
    expect(r.diagnostics.filter((d) => d.key === "active.licensing.decisions")).toEqual([]);
    expect(r.reviews.administrativeReview.upheld).toBe(100);
    expect(codes(r, "table.printedTwice")).toStrictEqual([
      { code: "table.printedTwice", severity: "warning", message: "table 4 printed twice (document table 3, row 1): the first one is kept", place: { table: 3, row: 1 } },
    ]);
    expect(r.rowsFound).toBe(4);
  });

  it("a row printed twice, once unreadable and once read, is null: the two cannot both be right", () => {
    const r = mapTables(doc(table(true, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "1", "2"], ["规章", "1", "2", "3"])), 2024);
    expect(r.active.regulations).toEqual({ issued: null, repealed: null, inForce: null });
    expect(r.diagnostics.filter((d) => d.key === "active.regulations.issued").map((d) => d.code)).toEqual(["row.printedTwice"]);
  });
});

describe("a number printed against its row's label", () => {
  // A cell set left with no padding (a browser's print of a borderless page) prints its
  // number against the label: 二、上年结转政府信息公开申请数量541 | (blank) | 544 | … The cell
  // read blank ("nothing is wrong") where the page prints 541.
  const row = (label: string, first: string, rest: string[]) => doc(paragraph("三、收到和处理政府信息公开申请情况"), table(true, [label, first, ...rest]));
  const rest = (a: number) => [a + 3, a + 7, a + 1, a + 2, a + 5].map(String);
  const total = (a: number, first: number) => String(first + [a + 3, a + 7, a + 1, a + 2, a + 5].reduce((x, y) => x + y, 0));

  it("is the first cell's where the row's total confirms it (status split, said)", () => {
    const r = mapTables(row("二、上年结转政府信息公开申请数量541", "", [...rest(500), total(500, 541)]), 2024);
    expect(r.requests.carriedOver).toEqual([541, 503, 507, 501, 502, 505, 541 + 503 + 507 + 501 + 502 + 505]);
    expect(r.provenance["requests.carriedOver.naturalPerson"]).toMatchObject({ text: "541", status: "split" });
    expect(codes(r, "cell.besideLabel")).toMatchObject([{ severity: "info", key: "requests.carriedOver.naturalPerson" }]);
    // Blank columns count 0 in the row's arithmetic (科研机构 and 社会公益组织 printed blank).
    const blanks = mapTables(row("二、上年结转政府信息公开申请数量541", "", ["503", "", "", "502", "505", String(541 + 503 + 502 + 505)]), 2024);
    expect(blanks.requests.carriedOver).toEqual([541, 503, null, null, 502, 505, 541 + 503 + 502 + 505]);
    // Full-width digits too.
    expect(mapTables(row("二、上年结转政府信息公开申请数量５４１", "", [...rest(500), total(500, 541)]), 2024).requests.carriedOver[0]).toBe(541);
  });

  it("is unread, never blank, where the total does not confirm it or the row has none", () => {
    const r = mapTables(row("二、上年结转政府信息公开申请数量540", "", [...rest(500), total(500, 541)]), 2024);
    expect(r.requests.carriedOver[0]).toBeNull();
    expect(r.requests.carriedOver.slice(1)).toEqual([503, 507, 501, 502, 505, 541 + 503 + 507 + 501 + 502 + 505]);
    expect(r.provenance["requests.carriedOver.naturalPerson"].status).toBe("unreadable");
    expect(codes(r, "cell.besideLabel")).toMatchObject([{ severity: "warning", key: "requests.carriedOver.naturalPerson" }]);
    expect(codes(r, "cell.blank").filter((d) => d.key === "requests.carriedOver.naturalPerson")).toEqual([]);
    // A blank total confirms nothing.
    expect(mapTables(row("二、上年结转政府信息公开申请数量541", "", [...rest(500), ""]), 2024).requests.carriedOver[0]).toBeNull();
    // Table 2 has no total: unread.
    const a = mapTables(doc(table(true, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章7", "", "2", "9"])), 2024);
    expect(a.active.regulations).toEqual({ issued: null, repealed: 2, inForce: 9 });
    expect(a.diagnostics.find((d) => d.key === "active.regulations.issued")).toMatchObject({ code: "cell.besideLabel", severity: "warning" });
  });

  it("a label ending in a number beside a first cell that prints one is read as printed", () => {
    const r = mapTables(row("二、上年结转政府信息公开申请数量2", "541", [...rest(500), total(500, 541)]), 2024);
    expect(r.requests.carriedOver[0]).toBe(541);
    expect(codes(r, "cell.besideLabel")).toEqual([]);
  });
});
