// The last step of the mapping (normalizers/assemble.ts) on hand-made raw rows: what a
// template row's cells become in the record (values, provenance, diagnostics), and how
// places are written. Each case states one rule of docs/record.md: a value the document
// does not show is null with a diagnostic keyed by its cell, and every cell says where
// it was read (1-based table/row/col, page and box, line).
import { describe, expect, it } from "vitest";
import { ACTIVE_2019, ACTIVE_2021 } from "../data/template.js";
import { cell, type Cell } from "../model/document.js";
import { OTHER_ROWS_2021, REQUEST_COLUMNS, REQUEST_ROWS, REVIEW_COLUMNS, REVIEW_GROUPS } from "../model/record.js";
import type { ProvenanceEntry } from "../model/provenance.js";
import { assembleActive, assembleRequests, assembleReviews, cellPlace, Notes, placeText, rowPlace, type CellRef, type RawRow } from "../normalizers/assemble.js";

/** A found row: cells of table `table` (0-based), row `row`, starting at column `col0`. */
function found(texts: (string | Cell)[], at: { table: number; row: number; col0?: number }): RawRow {
  const cells = texts.map((t) => (typeof t === "string" ? cell(t) : t));
  return {
    cells: cells.map((c) => c.text),
    refs: cells.map((c, i): CellRef => ({ cell: c, table: at.table, row: at.row, col: (at.col0 ?? 1) + i })),
    place: { table: at.table, row: at.row },
  };
}

function run<T>(f: (prov: Record<string, ProvenanceEntry>, notes: Notes) => T) {
  const prov: Record<string, ProvenanceEntry> = {};
  const notes = new Notes();
  const out = f(prov, notes);
  return { out, prov, diagnostics: notes.list, about: (key: string) => notes.list.filter((d) => d.key === key) };
}

describe("places", () => {
  it("a document place in words is 1-based for tables and rows, as a reader counts them", () => {
    expect(placeText({ page: 2, line: 5, table: 0, row: 3 })).toBe(" (page 2, line 5, document table 1, row 4)");
    expect(placeText({ table: 2 })).toBe(" (document table 3)");
    expect(placeText({ row: 0 })).toBe(" (row 1)");
    // Nowhere known: nothing is said, not an empty pair of brackets.
    expect(placeText(undefined)).toBe("");
    expect(placeText({})).toBe("");
  });

  it("a row's place in the record: page and line as printed, table and row 1-based, nothing else", () => {
    expect(rowPlace({ page: 3, table: 0, row: 1, line: 7 })).toStrictEqual({ page: 3, table: 1, row: 2, line: 7 });
    expect(rowPlace({ table: 4, row: 0 })).toStrictEqual({ table: 5, row: 1 });
    expect(rowPlace({ line: 12 })).toStrictEqual({ line: 12 });
    expect(rowPlace({ page: 1 })).toStrictEqual({ page: 1 });
    // A box is a cell's, never a row's; no place at all is no place.
    expect(rowPlace({ box: { x0: 1, y0: 2, x1: 3, y1: 4 } })).toBeUndefined();
    expect(rowPlace(undefined)).toBeUndefined();
  });

  it("a cell's place: its own page and box, else its table's page; table/row/col 1-based; its line", () => {
    const ref = (c: Cell, tablePage?: number): CellRef => ({ cell: c, table: 1, row: 4, col: 2, ...(tablePage ? { tablePlace: { page: tablePage } } : {}) });
    const box = { x0: 10, y0: 20, x1: 30, y1: 40 };
    expect(cellPlace(ref(cell("5", 1, 1, { box }), 4))).toStrictEqual({ page: 4, box: [10, 20, 30, 40], table: 2, row: 5, col: 3 });
    // A table broken across pages: the cell's own page, not the page the table starts on.
    expect(cellPlace(ref(cell("5", 1, 1, { page: 2, box }), 4))).toStrictEqual({ page: 2, box: [10, 20, 30, 40], table: 2, row: 5, col: 3 });
    expect(cellPlace(ref(cell("5", 1, 1, { line: 9 })))).toStrictEqual({ table: 2, row: 5, col: 3, line: 9 });
    expect(cellPlace(ref(cell("5")))).toStrictEqual({ table: 2, row: 5, col: 3 });
  });

  it("a diagnostic names its cell and place only when they are known", () => {
    const notes = new Notes();
    notes.add("row.noLabel", "warning", "numbers without a label");
    notes.add("cell.blank", "info", "blank", { key: "active.licensing.decisions", place: { table: 1, row: 3 } });
    expect(notes.list).toStrictEqual([
      { code: "row.noLabel", severity: "warning", message: "numbers without a label" },
      { code: "cell.blank", severity: "info", message: "blank", key: "active.licensing.decisions", place: { table: 1, row: 3 } },
    ]);
  });
});

describe("a template row's cells", () => {
  const licensing2019 = ACTIVE_2019.filter((d) => d.key === "licensing");

  it("a row not found: every value null, each with one row.missing warning, and no place to point at", () => {
    const { out, prov, diagnostics } = run((p, n) => assembleActive(ACTIVE_2021.slice(0, 1), new Map(), p, n));
    expect(out).toStrictEqual({ regulations: { issued: null, repealed: null, inForce: null } });
    expect(prov["active.regulations.issued"]).toStrictEqual({ text: "", status: "unreadable" });
    expect(diagnostics).toStrictEqual(
      ["issued", "repealed", "inForce"].map((c) => ({
        code: "row.missing",
        severity: "warning",
        message: "active.regulations: row not found in table 2; its values are null",
        key: `active.regulations.${c}`,
      })),
    );
  });

  it("a row that could not be read keeps its reason and points at the row", () => {
    const raw = new Map<string, RawRow>([
      ["regulations", { cells: [null, null, null], refs: [undefined, undefined, undefined], place: { page: 2, table: 1, row: 6 }, reason: { code: "row.unfit", message: "4 value cells where 3 are expected" } }],
    ]);
    const { out, prov, about } = run((p, n) => assembleActive(ACTIVE_2021.slice(0, 1), raw, p, n));
    expect(out).toStrictEqual({ regulations: { issued: null, repealed: null, inForce: null } });
    expect(prov["active.regulations.inForce"]).toStrictEqual({ text: "", status: "unreadable", place: { page: 2, table: 2, row: 7 } });
    expect(about("active.regulations.inForce")).toStrictEqual([
      { code: "row.unfit", severity: "warning", message: "4 value cells where 3 are expected", key: "active.regulations.inForce", place: { page: 2, table: 2, row: 7 } },
    ]);
  });

  it("a printed value has its text and place and no diagnostic; a blank is null with an info note at its cell", () => {
    const raw = new Map([["regulations", found(["3", "", " 1\n 2  件 "], { table: 1, row: 2 })]]);
    const { out, prov, diagnostics } = run((p, n) => assembleActive(ACTIVE_2021.slice(0, 1), raw, p, n));
    expect(out).toStrictEqual({ regulations: { issued: 3, repealed: null, inForce: 12 } });
    expect(prov["active.regulations.issued"]).toStrictEqual({ text: "3", status: "printed", place: { table: 2, row: 3, col: 2 } });
    // The text as printed, its whitespace collapsed to single spaces and trimmed.
    expect(prov["active.regulations.inForce"]).toStrictEqual({ text: "1 2 件", status: "printed", place: { table: 2, row: 3, col: 4 } });
    expect(diagnostics).toStrictEqual([
      { code: "cell.blank", severity: "info", message: "active.regulations.repealed: blank; read as null", key: "active.regulations.repealed", place: { table: 2, row: 3, col: 3 } },
    ]);
  });

  it("a note on a value that was read does not say it was read as null", () => {
    const raw = new Map([["fees", found(["251000元"], { table: 1, row: 9 })]]);
    const fees = ACTIVE_2021.filter((d) => d.key === "fees");
    const { out, diagnostics } = run((p, n) => assembleActive(fees, raw, p, n));
    expect(out).toStrictEqual({ fees: { amountWanYuan: 25.1 } });
    expect(diagnostics).toStrictEqual([
      { code: "cell.unitConverted", severity: "info", message: 'active.fees.amountWanYuan: "251000元" converted to 万元', key: "active.fees.amountWanYuan", place: { table: 2, row: 10, col: 2 } },
    ]);
  });

  it("only the 2019 增/减 column may be negative: a negative count is null with a warning", () => {
    const raw = new Map([["licensing", found(["7", "-2", "-9"], { table: 1, row: 7 })]]);
    const { out, about } = run((p, n) => assembleActive(licensing2019, raw, p, n));
    expect(out).toStrictEqual({ licensing: { previousYear: 7, change: -2, decisions: null } });
    expect(about("active.licensing.change")).toEqual([]);
    expect(about("active.licensing.decisions")).toStrictEqual([
      expect.objectContaining({ code: "cell.negative", severity: "warning", message: expect.stringContaining("; read as null") }),
    ]);
  });

  it("a cell the reader could not settle is unread (null, a warning), never a blank or its digits", () => {
    const unsettled: Cell = { ...cell("772577"), read: { status: "unreadable" } };
    const raw = new Map([["regulations", found(["3", unsettled, "5"], { table: 1, row: 2 })]]);
    const { out, prov, about } = run((p, n) => assembleActive(ACTIVE_2021.slice(0, 1), raw, p, n));
    expect(out).toStrictEqual({ regulations: { issued: 3, repealed: null, inForce: 5 } });
    expect(prov["active.regulations.repealed"]).toStrictEqual({ text: "772577", status: "unreadable", place: { table: 2, row: 3, col: 3 } });
    expect(about("active.regulations.repealed")).toStrictEqual([
      {
        code: "cell.unsettled",
        severity: "warning",
        message: "active.regulations.repealed: the reader could not settle this cell (see the row's note); read as null",
        key: "active.regulations.repealed",
        place: { table: 2, row: 3, col: 3 },
      },
    ]);
  });

  it("how the reader read a value (OCR and its confidence) is kept only where a value was read", () => {
    const ocr = (t: string): Cell => ({ ...cell(t), read: { status: "ocr", confidence: 0.8 } });
    const raw = new Map([["regulations", found([ocr("6"), ocr("—"), ocr("")], { table: 0, row: 1 })]]);
    const { prov } = run((p, n) => assembleActive(ACTIVE_2021.slice(0, 1), raw, p, n));
    expect(prov["active.regulations.issued"]).toStrictEqual({ text: "6", status: "ocr", confidence: 0.8, place: { table: 1, row: 2, col: 2 } });
    expect(prov["active.regulations.repealed"]).toStrictEqual({ text: "—", status: "dash", place: { table: 1, row: 2, col: 3 } });
    expect(prov["active.regulations.inForce"]).toStrictEqual({ text: "", status: "blank", place: { table: 1, row: 2, col: 4 } });
  });

  it("a row read from text with no cell origins is placed by its row; with no place at all, by nothing", () => {
    const raw = new Map<string, RawRow>([
      ["regulations", { cells: ["1", "2", "3"], refs: [], place: { line: 40 } }],
      ["normativeDocuments", { cells: ["4", "5", "6"], refs: [], place: {} }],
    ]);
    const { out, prov } = run((p, n) => assembleActive(ACTIVE_2021.slice(0, 2), raw, p, n));
    expect(out).toStrictEqual({ regulations: { issued: 1, repealed: 2, inForce: 3 }, normativeDocuments: { issued: 4, repealed: 5, inForce: 6 } });
    expect(prov["active.regulations.repealed"]).toStrictEqual({ text: "2", status: "printed", place: { line: 40 } });
    expect(prov["active.normativeDocuments.repealed"]).toStrictEqual({ text: "5", status: "printed" });
  });

  it("a row with fewer cells than the template reads its missing cells as unread, never as a neighbour's", () => {
    const raw = new Map<string, RawRow>([["regulations", { cells: ["1"], refs: [], place: { table: 0, row: 3 } }]]);
    const { out, about } = run((p, n) => assembleActive(ACTIVE_2021.slice(0, 1), raw, p, n));
    expect(out).toStrictEqual({ regulations: { issued: 1, repealed: null, inForce: null } });
    expect(about("active.regulations.inForce")).toStrictEqual([expect.objectContaining({ code: "row.missing", place: { table: 1, row: 4 } })]);
  });
});

describe("table 3's rows", () => {
  const seven = (a: number) => REQUEST_COLUMNS.map((_, i) => String(a + i));
  const row = (a: number) => found(seven(a), { table: 2, row: 5 });
  const before = REQUEST_ROWS.slice(0, REQUEST_ROWS.indexOf("total"));

  it("no table 3 at all: every cell null with one table.missing warning, rows in the template's order", () => {
    const { out, diagnostics } = run((p, n) => assembleRequests("2021", new Map(), p, n));
    const rows = [...before, ...OTHER_ROWS_2021, "total", "carriedForward"];
    expect(Object.keys(out)).toEqual(rows);
    for (const r of rows) expect(out[r]).toEqual(REQUEST_COLUMNS.map(() => null));
    const keys = rows.flatMap((r) => REQUEST_COLUMNS.map((c) => `requests.${r}.${c}`));
    expect(diagnostics.map((d) => d.key)).toEqual(keys);
    for (const d of diagnostics) expect(d).toMatchObject({ code: "table.missing", severity: "warning", message: "requests: table 3 not found; all its values are null" });
  });

  it("a 2019 report without table 3 has （六） as one row", () => {
    const { out } = run((p, n) => assembleRequests("2019", new Map(), p, n));
    expect(Object.keys(out)).toEqual([...before, "other", "total", "carriedForward"]);
  });

  it("a row missing from a table 3 that was found is row.missing, named", () => {
    const { out, about } = run((p, n) => assembleRequests("2021", new Map([["newReceived", row(10)]]), p, n));
    expect(out.newReceived).toEqual([10, 11, 12, 13, 14, 15, 16]);
    expect(about("requests.granted.total")).toStrictEqual([
      { code: "row.missing", severity: "warning", message: "requests.granted: row not found in table 3; its values are null", key: "requests.granted.total" },
    ]);
  });

  it("（六） takes the form the document prints, whatever the template: one of the three rows means three", () => {
    const three = run((p, n) => assembleRequests("2019", new Map([["other.other", row(30)]]), p, n));
    expect(Object.keys(three.out).filter((k) => k.startsWith("other"))).toEqual([...OTHER_ROWS_2021]);
    expect(three.out["other.other"]).toEqual([30, 31, 32, 33, 34, 35, 36]);
    expect(three.about("requests.other.overdueFee.total")).toEqual([expect.objectContaining({ code: "row.missing" })]);
    const one = run((p, n) => assembleRequests("2021", new Map([["other", row(40)]]), p, n));
    expect(Object.keys(one.out).filter((k) => k.startsWith("other"))).toEqual(["other"]);
    expect(one.out.other).toEqual([40, 41, 42, 43, 44, 45, 46]);
    expect(one.diagnostics.filter((d) => d.code === "row.bothForms")).toEqual([]);
  });

  it("（六） printed both as one row and as three: the three are kept, and a warning says so", () => {
    const { out, diagnostics } = run((p, n) => assembleRequests("2019", new Map([["other", row(40)], ["other.overdueFee", row(50)]]), p, n));
    expect(Object.keys(out).filter((k) => k.startsWith("other"))).toEqual([...OTHER_ROWS_2021]);
    expect(out["other.overdueFee"]).toEqual([50, 51, 52, 53, 54, 55, 56]);
    expect(diagnostics.filter((d) => d.code === "row.bothForms")).toStrictEqual([
      { code: "row.bothForms", severity: "warning", message: "requests: （六）其他处理 is printed both as one row and as three; the three rows are kept", key: "requests.other" },
    ]);
  });
});

describe("table 4's data row", () => {
  it("fifteen cells, three groups of five in the template's order", () => {
    const cells = Array.from({ length: 15 }, (_, i) => String(100 + i));
    const { out } = run((p, n) => assembleReviews(found(cells, { table: 3, row: 2, col0: 0 }), p, n));
    REVIEW_GROUPS.forEach((g, gi) => REVIEW_COLUMNS.forEach((c, ci) => expect(out[g][c]).toBe(100 + gi * 5 + ci)));
  });

  it("not found: fifteen nulls, each with one table.missing warning", () => {
    const { out, diagnostics } = run((p, n) => assembleReviews(null, p, n));
    for (const g of REVIEW_GROUPS) expect(Object.values(out[g])).toEqual([null, null, null, null, null]);
    expect(diagnostics).toHaveLength(15);
    for (const d of diagnostics) expect(d).toMatchObject({ code: "table.missing", message: "reviews: table 4's data row not found; all its values are null" });
  });
});
