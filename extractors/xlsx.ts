// XLSX reader: a workbook (Office Open XML spreadsheet) → the shared Document.
//
// Portals link a report's tables as a spreadsheet (…统计表.xlsx) beside or instead of its
// text, and the crawler follows such links. A workbook holds exact cells, so nothing is
// rebuilt from layout: each sheet's rows are read as the sheet stores them.
//
// 1. Bounds as for DOCX: empty, over limits.maxFileBytes, the zip's own limits.
// 2. xl/workbook.xml: the sheets in tab order, their parts by the workbook's relationships;
//    a hidden sheet is not read (said in a note).
// 3. xl/sharedStrings.xml: the strings cells refer to (a rich string's runs joined).
// 4. xl/styles.xml: which cell styles show a date or a percentage.
// 5. Each sheet's cells as text (cellText): a number as the workbook stores it, to 15
//    significant digits as a spreadsheet shows it (18.469999999999999 is 18.47); a date as
//    2024年1月13日; a formula by the value it last computed, and a formula with no computed
//    value left unread (null with a note), never worked out here.
// 6. The sheet cut into blocks (sheetBlocks): a row whose only text spans the sheet's width
//    (a merged title or heading), or is a section heading (一、…情况), is a paragraph; empty
//    rows part tables; the other rows, in runs, are exact-grid tables with their merges.
import { ExtractError, cell, paragraph, unsettledCell, type Block, type Cell, type Diagnostic, type Document, type DocumentMeta } from "../model/document.js";
import type { Limits } from "../model/limits.js";
import { sectionHeading } from "../model/sections.js";
import { openZip, type ZipArchive } from "../model/zip.js";
import { looksLikeZip } from "./signatures.js";
import type { Extractor, ExtractOptions, SyncExtractor } from "./types.js";
import { attr, child, decodeXml, kids, parseXml, tagOf, textOf, type XNode } from "./docx/xml.js";
import { relationshipsOf } from "./docx/rels.js";
import { coreTitle } from "./docx/core.js";

/** A sheet's used range is bounded: a report's tables fill a few hundred rows; a hostile merge could name a million. */
export const SHEET_BOUNDS = { maxRows: 5000, maxCols: 200 } as const;

/** The built-in number formats that show a date (ECMA-376 18.8.30). */
const DATE_FORMATS = new Set([14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58]);
const PERCENT_FORMATS = new Set([9, 10]);

export const readXlsx: SyncExtractor = (bytes, options) => {
  const { limits } = options;
  if (bytes.byteLength === 0) throw new ExtractError(`the file is empty`, "empty");
  if (bytes.byteLength > limits.maxFileBytes)
    throw new ExtractError(`${bytes.byteLength} bytes is over the ${limits.maxFileBytes}-byte limit (limits.maxFileBytes)`, "too-large");
  if (!looksLikeZip(bytes)) throw new ExtractError(`not an XLSX: the bytes are not a zip archive`, "corrupt-zip");
  const zip = openZip(bytes, limits);
  const diagnostics: Diagnostic[] = [];
  const book = zip.find("xl/workbook.xml");
  if (!book) throw new ExtractError(`not an XLSX: no xl/workbook.xml in the archive`, "corrupt");
  const workbook = rootOf(parseXml(decodeXml(zip.read(book)), book.name, limits.maxNestingDepth), "workbook");
  if (!workbook) throw new ExtractError(`xl/workbook.xml has no workbook element: not a spreadsheet`, "corrupt");
  const date1904 = /^(1|true)$/.test(attr(child(workbook, "workbookPr") ?? workbook, "date1904") ?? "");
  const parts = new Map((relationshipsOf(zip, book.name, limits) ?? []).map((r) => [r.id, r.part]));
  const strings = sharedStrings(zip, limits);
  const styles = cellStyles(zip, limits, diagnostics);
  options.deadline?.check();

  const blocks: Block[] = [];
  let tableIndex = 0;
  for (const sheet of kids(child(workbook, "sheets") ?? workbook).filter((n) => tagOf(n) === "sheet")) {
    const name = attr(sheet, "name") ?? "?";
    if ((attr(sheet, "state") ?? "visible") !== "visible") {
      diagnostics.push({ severity: "info", source: "xlsx:hidden-sheet", message: `sheet ${name} is hidden: not read` });
      continue;
    }
    const part = parts.get(attr(sheet, "r:id") ?? "");
    const entry = part ? zip.find(part) : undefined;
    if (!entry) {
      diagnostics.push({ severity: "warning", source: "xlsx:missing-sheet", message: `sheet ${name}: its part is not in the archive; not read` });
      continue;
    }
    const root = rootOf(parseXml(decodeXml(zip.read(entry)), entry.name, limits.maxNestingDepth), "worksheet");
    options.deadline?.check();
    if (!root) continue;
    const grid = readSheet(root, name, { strings, styles, date1904 }, diagnostics);
    for (const b of sheetBlocks(grid, () => tableIndex++)) blocks.push(b);
  }
  if (!blocks.some((b) => b.kind === "table")) diagnostics.push({ severity: "warning", source: "xlsx:no-tables", message: `the workbook has no table: no sheet holds rows of several cells` });
  const meta: DocumentMeta = {};
  const title = coreTitle(zip, undefined, limits, diagnostics, "xlsx:core");
  if (title) meta.title = title;
  return { blocks, meta, diagnostics };
};

export const extractXlsx: Extractor = async (bytes, options: ExtractOptions) => readXlsx(bytes, options);

// ---- the workbook's parts ----------------------------------------------------------------

/** The root element named `name` (any namespace prefix). */
function rootOf(tree: XNode[], name: string): XNode | undefined {
  return tree.find((n) => tagOf(n) === name || tagOf(n).endsWith(`:${name}`));
}

/** The text of a string item (<si>, <is>): its <t>, or its runs' <t> joined; phonetic runs (<rPh>) left out. */
function stringItem(si: XNode): string {
  let out = "";
  for (const k of si.children) {
    const tag = tagOf(k);
    if (tag === "t") out += textOf(k);
    else if (tag === "r") for (const t of k.children) if (tagOf(t) === "t") out += textOf(t);
  }
  return out;
}

function sharedStrings(zip: ZipArchive, limits: Limits): string[] {
  const entry = zip.find("xl/sharedStrings.xml");
  if (!entry) return [];
  const root = rootOf(parseXml(decodeXml(zip.read(entry)), entry.name, limits.maxNestingDepth), "sst");
  return root ? root.children.filter((n) => tagOf(n) === "si").map(stringItem) : [];
}

type Shown = "date" | "percent" | "number";

/** What each cell style (the `s` index of a cell) shows a number as. */
function cellStyles(zip: ZipArchive, limits: Limits, diagnostics: Diagnostic[]): Shown[] {
  const entry = zip.find("xl/styles.xml");
  if (!entry) return [];
  try {
    const root = rootOf(parseXml(decodeXml(zip.read(entry)), entry.name, limits.maxNestingDepth), "styleSheet");
    if (!root) return [];
    const custom = new Map<number, string>();
    for (const f of kids(child(root, "numFmts") ?? root).filter((n) => tagOf(n) === "numFmt")) custom.set(Number(attr(f, "numFmtId")), attr(f, "formatCode") ?? "");
    const xfs = child(root, "cellXfs");
    return (xfs ? xfs.children.filter((n) => tagOf(n) === "xf") : []).map((xf) => {
      const id = Number(attr(xf, "numFmtId") ?? 0);
      const code = custom.get(id);
      if (code !== undefined) return shownBy(code);
      return DATE_FORMATS.has(id) ? "date" : PERCENT_FORMATS.has(id) ? "percent" : "number";
    });
  } catch (e) {
    if (e instanceof ExtractError && (e.code === "zip-bomb" || e.code === "corrupt-zip")) throw e;
    diagnostics.push({ severity: "warning", source: "xlsx:styles", message: `xl/styles.xml is unreadable (${(e as Error).message}); dates are shown as numbers` });
    return [];
  }
}

/** A custom format code: a date where it has a year, month or day part (outside quotes and brackets; m beside h or s is minutes); a percentage where it shows %. */
function shownBy(code: string): Shown {
  const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\.|_.|\*./g, "");
  if (/[yd]/i.test(bare) || (/m/i.test(bare) && !/[hs]/i.test(bare))) return "date";
  if (bare.includes("%")) return "percent";
  return "number";
}


// ---- one sheet -------------------------------------------------------------------------

interface SheetContext {
  strings: string[];
  styles: Shown[];
  date1904: boolean;
}

/** A sheet's cells: text by row and column (0-based), merges as rectangles. */
export interface SheetGrid {
  name: string;
  cells: Map<number, Map<number, Cell>>;
  merges: { r0: number; c0: number; r1: number; c1: number }[];
  rows: number;
  cols: number;
}

/** `B12` → [11, 1]; null for anything else. */
export function cellRef(ref: string): [number, number] | null {
  const m = /^\$?([A-Z]{1,3})\$?(\d{1,7})$/.exec(ref.toUpperCase());
  if (!m) return null;
  let col = 0;
  for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
  return [Number(m[2]) - 1, col - 1];
}

function readSheet(root: XNode, name: string, ctx: SheetContext, diagnostics: Diagnostic[]): SheetGrid {
  const cells = new Map<number, Map<number, Cell>>();
  let rows = 0;
  let cols = 0;
  let clipped = false;
  let uncomputed = 0;
  const data = child(root, "sheetData");
  let nextRow = 0;
  for (const row of data ? data.children : []) {
    if (tagOf(row) !== "row") continue;
    const r = attr(row, "r") ? Number(attr(row, "r")) - 1 : nextRow;
    nextRow = r + 1;
    let nextCol = 0;
    for (const c of row.children) {
      if (tagOf(c) !== "c") continue;
      const at = attr(c, "r") ? cellRef(attr(c, "r")!) : [r, nextCol];
      if (!at) continue;
      const [ri, ci] = at;
      nextCol = ci + 1;
      const read = cellText(c, ctx);
      if (read === null) uncomputed++;
      else if (read.trim() === "") continue;
      if (ri >= SHEET_BOUNDS.maxRows || ci >= SHEET_BOUNDS.maxCols) {
        clipped = true;
        continue;
      }
      let line = cells.get(ri);
      if (!line) cells.set(ri, (line = new Map()));
      line.set(ci, read === null ? unsettledCell() : cell(read));
      rows = Math.max(rows, ri + 1);
      cols = Math.max(cols, ci + 1);
    }
  }
  const merges: SheetGrid["merges"] = [];
  for (const m of kids(child(root, "mergeCells") ?? root).filter((n) => tagOf(n) === "mergeCell")) {
    const [a, b] = (attr(m, "ref") ?? "").split(":");
    const from = a ? cellRef(a) : null;
    const to = b ? cellRef(b) : from;
    if (!from || !to) continue;
    // Clipped to the cells that hold something: a merge reaching past them adds nothing to read.
    const r0 = Math.min(from[0], to[0]);
    const c0 = Math.min(from[1], to[1]);
    if (r0 >= rows || c0 >= cols) continue;
    merges.push({ r0, c0, r1: Math.min(Math.max(from[0], to[0]), rows - 1), c1: Math.min(Math.max(from[1], to[1]), cols - 1) });
  }
  if (clipped) diagnostics.push({ severity: "warning", source: "xlsx:too-large", message: `sheet ${name}: cells past row ${SHEET_BOUNDS.maxRows} or column ${SHEET_BOUNDS.maxCols} were not read` });
  if (uncomputed)
    diagnostics.push({ severity: "warning", source: "xlsx:uncomputed", message: `sheet ${name}: ${uncomputed} formula cell(s) hold no computed value (the workbook was never recalculated); read as unread, not worked out` });
  return { name, cells, merges, rows, cols };
}

/** A cell's text as the sheet shows it; "" for an empty cell; null for a formula with no computed value. */
export function cellText(c: XNode, ctx: SheetContext): string | null {
  const type = attr(c, "t") ?? "n";
  const v = child(c, "v");
  const value = v ? textOf(v) : "";
  if (type === "inlineStr") {
    const is = child(c, "is");
    return is ? stringItem(is) : "";
  }
  if (!v) return child(c, "f") ? null : "";
  switch (type) {
    case "s":
      return ctx.strings[Number(value)] ?? "";
    case "str":
    case "e":
      return value;
    case "b":
      return value === "1" ? "TRUE" : "FALSE";
    case "d":
      return isoDate(value) ?? value;
    default: {
      const n = Number(value);
      if (value.trim() === "" || !Number.isFinite(n)) return value;
      const shown = ctx.styles[Number(attr(c, "s") ?? 0)] ?? "number";
      if (shown === "date") return serialDate(n, ctx.date1904) ?? numberText(n);
      if (shown === "percent") return `${numberText(n * 100)}%`;
      return numberText(n);
    }
  }
}

/** A number as a spreadsheet shows it in its General format: 15 significant digits, no exponent for a report's sizes. */
export function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const s = Number(n.toPrecision(15));
  return Math.abs(s) >= 1e-6 || s === 0 ? String(s) : s.toPrecision(15).replace(/\.?0+e/, "e");
}

/** A date serial (days since 1899-12-30, or 1904-01-01) as 2024年1月13日; null outside 1950–2100. */
function serialDate(n: number, date1904: boolean): string | null {
  const days = Math.floor(n) + (date1904 ? 1462 : 0);
  const d = new Date(Date.UTC(1899, 11, 30) + days * 86_400_000);
  const y = d.getUTCFullYear();
  if (y < 1950 || y > 2100) return null;
  return `${y}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

function isoDate(s: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  return m ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : null;
}

// ---- a sheet into paragraphs and tables -----------------------------------------------------

/**
 * The sheet's rows as blocks, top to bottom. A row with one cell of text that spans the
 * width the sheet uses (a merged title or heading) or that is a section heading is a
 * paragraph; an empty row ends a table; runs of the other rows are tables, exact grids
 * (every cell there, blank or not), columns trimmed to those the run uses.
 */
export function sheetBlocks(g: SheetGrid, nextTable: () => number): Block[] {
  const mergeAt = new Map<string, SheetGrid["merges"][number]>();
  const covered = new Set<string>();
  /** Rows a merge from a row above reaches down into: part of that merge's table even where they hold nothing of their own. */
  const reached = new Set<number>();
  for (const m of g.merges) {
    mergeAt.set(`${m.r0},${m.c0}`, m);
    for (let r = m.r0; r <= m.r1; r++) {
      if (r > m.r0) reached.add(r);
      for (let c = m.c0; c <= m.c1; c++) if (r !== m.r0 || c !== m.c0) covered.add(`${r},${c}`);
    }
  }
  /** The one cell of text of row r where the row is a paragraph, else null. */
  const lone = (r: number, inTable: boolean): Cell | null => {
    const line = g.cells.get(r);
    if (!line || line.size !== 1) return null;
    const [[c, only]] = [...line];
    if (only.read || reached.has(r)) return null;
    const m = mergeAt.get(`${r},${c}`);
    const spansSheet = m !== undefined && m.r0 === m.r1 && m.c1 - m.c0 + 1 >= Math.max(2, Math.ceil(g.cols * 0.8));
    // Before any table (a title, a preamble): a line of words, not a row label over blank cells.
    const prose = !inTable && only.text.trim().length >= 8 && !/\d/.test(only.text.replace(/\d{4}年/g, ""));
    return spansSheet || prose || sectionHeading(only.text) !== null ? only : null;
  };
  const blocks: Block[] = [];
  let run: number[] = [];
  const flush = () => {
    if (run.length) blocks.push(tableOf(g, run, mergeAt, covered, nextTable()));
    run = [];
  };
  for (let r = 0; r < g.rows; r++) {
    const empty = (g.cells.get(r)?.size ?? 0) === 0;
    if (empty && !(run.length && reached.has(r))) {
      flush();
      continue;
    }
    const p = empty ? null : lone(r, run.length > 0);
    if (p) {
      flush();
      blocks.push(paragraph(p.text.replace(/\s+/g, " ").trim()));
      continue;
    }
    run.push(r);
  }
  flush();
  return blocks;
}

function tableOf(g: SheetGrid, rows: number[], mergeAt: Map<string, SheetGrid["merges"][number]>, covered: Set<string>, index: number): Block {
  let c0 = Infinity;
  let c1 = -1;
  for (const r of rows) {
    for (const c of g.cells.get(r)?.keys() ?? []) {
      const m = mergeAt.get(`${r},${c}`);
      c0 = Math.min(c0, c);
      c1 = Math.max(c1, m ? m.c1 : c);
    }
  }
  const last = rows[rows.length - 1];
  const out: Cell[][] = rows.map((r, i) => {
    const line: Cell[] = [];
    for (let c = c0; c <= c1; c++) {
      if (covered.has(`${r},${c}`)) continue;
      const m = mergeAt.get(`${r},${c}`);
      const rowSpan = m ? Math.min(m.r1, last) - r + 1 : 1;
      const colSpan = m ? Math.min(m.c1, c1) - c + 1 : 1;
      const found = g.cells.get(r)?.get(c);
      const place = { table: index, row: i };
      line.push(found?.read ? { ...found, rowSpan, colSpan, place } : cell(found?.text ?? "", rowSpan, colSpan, place));
    }
    return line;
  });
  return { kind: "table", rows: out, exactGrid: true, place: { table: index } };
}
