// Plain text as real conversions leave it. Four layouts, told apart line by line:
//  - cells-per-line: each table cell on its own tab-led line, a blank line between
//    rows, a cell's wrapped text on following lines without a tab (DOCX → text);
//  - tab-rows: one table row per line, cells split by tabs, some rows shifted;
//  - markdown: pipe tables (PDF → markdown converters), `#` headings;
//  - pdf-text: no tabs at all; prose and labels broken at the page width, a table
//    row's cells split by spaces, blank cells gone (PDF → text).
// Each becomes the shared Document; tables from text are never `exactGrid`.
import { ExtractError, cell, paragraph, unsettledCell, type Block, type Cell, type Document, type Paragraph, type Table } from "../model/document.js";
import { decode } from "../model/charset.js";
import { cleanText, ITEM_NUMBER, joinWrapped } from "../model/text.js";
import { sectionHeading } from "../model/sections.js";
import { simplifiedView } from "../model/traditional.js";
import type { Extractor, SyncExtractor } from "./types.js";
import { isRunOn, RUN_TOGETHER, unrunLine } from "./runon.js";
import { REVIEW_COLUMN_LABELS } from "../data/columns.js";

/** The reader, synchronous (plain JavaScript end to end): it may run in the caller's thread under a hard limit (src/in-thread.ts). */
export const readText: SyncExtractor = (bytes, options) => {
  if (bytes.length === 0) throw new ExtractError("the file is empty", "empty");
  if (bytes.length > options.limits.maxFileBytes)
    throw new ExtractError(`the file is larger than ${options.limits.maxFileBytes} bytes`, "too-large");
  if (looksBinary(bytes)) throw new ExtractError("the file is binary, not text", "binary");
  const decoded = decode(bytes, null);
  options.deadline?.check();
  const doc = parseText(decoded.text);
  options.deadline?.check();
  if (decoded.encoding !== "utf-8")
    doc.diagnostics.push({ severity: "info", message: `decoded as ${decoded.encoding}`, source: "text:encoding" });
  return doc;
};

export const extractText: Extractor = async (bytes, options) => readText(bytes, options);

/** NUL bytes or many control characters: not a text file (GBK and UTF-16 with a BOM pass). */
export function looksBinary(bytes: Uint8Array): boolean {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return false;
  const n = Math.min(bytes.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  }
  return control > n * 0.02;
}

const TABLE_LIKE = /\t/;
/** A list item's mark at a line's start (• ● ▪ ◆ ■ ►), as menus and breadcrumbs are saved. */
const BULLET = /^\s*[•●▪◆■►]/;
/** A markdown pipe row: `| 规章 | 0 | 0 | 0 |`. */
const PIPE_ROW = /^\s*\|.*\|\s*$/;
/**
 * A pipe row without its leading pipe, as some page-to-text converters write a table (each
 * cell followed by ` |`: `规章 | 0 | 0 | 0 |`, a one-cell row `第二十条第（一）项 |`): text,
 * then a pipe that ends the line (trailing blanks aside), no tab. Read as a row only in a
 * text with at least LOOSE_ROWS_AT_LEAST such lines of two cells or more, so a stray line
 * ending in a pipe elsewhere stays prose. (Plain scans, not regular expressions: a pattern
 * of optional runs around a required character backtracks quadratically on long prose.)
 */
function isLoosePipeRow(l: string): boolean {
  const first = l.indexOf("|");
  if (first <= 0 || l.includes("\t") || l.slice(0, first).trim() === "") return false;
  return l.trimEnd().endsWith("|");
}
/** A loose pipe row of two cells or more, each of the first two with text. */
function isLoosePipeRowOfCells(l: string): boolean {
  if (!isLoosePipeRow(l)) return false;
  const first = l.indexOf("|");
  const second = l.indexOf("|", first + 1);
  return second > first && l.slice(first + 1, second).trim() !== "";
}
const LOOSE_ROWS_AT_LEAST = 3;
const PIPE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

export function parseText(text: string): Document {
  let lines = text.replace(/\r\n?/g, "\n").split("\n").map(cleanText);
  const diagnostics: Document["diagnostics"] = [];
  const spaced = cellsBetweenBlankLines(lines);
  const separated = rowsFromSeparatedCells(spaced ? spaced.lines : lines);
  if (separated.runs) {
    lines = separated.lines;
    diagnostics.push(
      spaced
        ? {
            severity: "info",
            message: "a page's text with a blank line after every table cell, paragraphs saved whole (not broken at a page's width, as pdftotext breaks them): rows rebuilt in the page's order, a row starting at each label",
            source: DOUBLE_SPACED,
            place: { line: spaced.first + 1 },
          }
        : {
            severity: "info",
            message: "table cells one after another, each followed by a pipe (a page store's rendering): rows rebuilt in the page's order, a row starting at each label",
            source: SEPARATED_CELLS,
            place: { line: separated.first + 1 },
          },
    );
  }
  const runOn = lines.findIndex(isRunOn);
  if (runOn !== -1) {
    // A whole report on one line, cells run together: cut back into lines first.
    lines = lines.flatMap((l) => (isRunOn(l) ? unrunLine(l) : [l]));
    diagnostics.push({
      severity: "info",
      message: "the text runs the report together on one line (no separators between table cells); digit runs are cut by the template's arithmetic",
      source: RUN_TOGETHER,
      place: { line: runOn + 1 },
    });
  }
  const tabbed = lines.some((l) => TABLE_LIKE.test(l));
  let looseRows = 0;
  for (const l of lines) if (l.includes("|") && isLoosePipeRowOfCells(l) && ++looseRows >= LOOSE_ROWS_AT_LEAST) break;
  // A section heading such a converter ended with a pipe (`四、政府信息公开行政复议、行政诉讼情况 |`) stays a heading.
  const isLooseRow = (l: string) => isLoosePipeRow(l) && !sectionHeading(l.replace(/\|\s*$/, ""));
  const isPipeRow = looseRows >= LOOSE_ROWS_AT_LEAST ? (l: string) => PIPE_ROW.test(l) || isLooseRow(l) : (l: string) => PIPE_ROW.test(l);
  const columned = !tabbed && keepsColumns(lines);
  const blocks = tabbed ? parseTabbed(lines, isPipeRow) : parsePlain(lines, columned, isPipeRow);
  if (!tabbed && blocks.some((b) => b.kind === "table" && !pipeTables.has(b))) {
    // Tables rebuilt from text without tabs or pipes: the cells come in the order the
    // converter wrote them, which is not always the rows' (pdftotext without -layout
    // writes in its reading order): said once, as a warning, so such records can be told.
    diagnostics.push({
      severity: "warning",
      message: columned
        ? "tables rebuilt from text that keeps the page's columns (pdftotext -layout): numbers set off their row's line were not read"
        : "tables rebuilt from text without tabs or page columns (pdftotext without -layout, a cell per line): the cells stand in the order the converter wrote them, which may not be the rows' order; where the PDF or its pdftotext -layout text exists, read that",
      source: "text:cell-order",
    });
  }
  return { blocks, meta: {}, diagnostics };
}

// ---- cells one after another, a blank line after each ---------------------------

/** The source of the note saying a page's text had a blank line after every cell (see cellsBetweenBlankLines). */
export const DOUBLE_SPACED = "text:double-spaced";

/** Han characters on a line, at least, for the line to be a paragraph saved whole (no PDF text line is that long). */
const WHOLE_PARAGRAPH_HAN = 80;

/**
 * A page's text as some page stores save it: every paragraph on a line of its own and every
 * table cell too, a blank line after each (`规章`, ``, `34`, ``, `4`, …). Read as pdftotext
 * writes a PDF (blank lines part blocks, whose order may not be the rows'), each number is a
 * block of its own and a row whose numbers differ is null (`row.lineOrder`). Such text keeps
 * the page's order, so its tables are read as a page store's cells between pipes are: the
 * blank line after each cell of sections 二 to 四 becomes a pipe alone, and
 * rowsFromSeparatedCells rebuilds the rows. Only where the text cannot be pdftotext's: a
 * paragraph is saved whole on one line (WHOLE_PARAGRAPH_HAN Han characters or more: pdftotext
 * breaks lines at the page's width), no two lines of those sections stand together, and no
 * two blank lines do (a second blank line could be a blank cell or a gap between tables:
 * which one cannot be told, so such text is left as it is). A blank line after a sentence
 * (…。) or a heading parts prose, not cells, and stays.
 */
function cellsBetweenBlankLines(lines: string[]): { lines: string[]; first: number } | null {
  if (lines.some((l) => l.includes("|") || l.includes("\t"))) return null;
  if (!lines.some((l) => (l.match(/\p{Script=Han}/gu)?.length ?? 0) >= WHOLE_PARAGRAPH_HAN)) return null;
  const from = lines.findIndex((l) => sectionHeading(l)?.number === 2);
  if (from < 0) return null;
  let to = lines.findIndex((l, i) => i > from && (sectionHeading(l)?.number ?? 0) >= 5);
  if (to < 0) to = lines.length;
  while (to > from && lines[to - 1].trim() === "") to--;
  let filled = 0;
  for (let i = from; i < to; i++) {
    const blank = lines[i].trim() === "";
    if (!blank) filled++;
    if (i + 1 < to && blank === (lines[i + 1].trim() === "")) return null;
  }
  if (filled < SEPARATED_RUN_AT_LEAST * 2) return null;
  const out = [...lines];
  // Up to the blank line after the last cell, where there is one (before 五's heading).
  for (let i = from + 1; i <= to && i < lines.length; i++) {
    const before = lines[i - 1].trim();
    if (lines[i].trim() === "" && !/[。！？!?]$/.test(before) && !sectionHeading(before)) out[i] = "|";
  }
  return { lines: out, first: from + 1 };
}

// ---- cells one after another, each followed by a pipe --------------------------

/** The source of the note saying a text's cells were separated by pipes alone (see rowsFromSeparatedCells). */
export const SEPARATED_CELLS = "text:separated-cells";

const PIPE_ONLY = /^\s*\|[\s|]*$/;
const ENDS_WITH_PIPE = /\|\s*$/;
/** A table value as such pages print it: a number (with separators, a sign, a unit), or a dash or slash for none. */
const VALUE_TOKEN = /^(?:[+\-−]?[\d０-９][\d０-９,，.．]*\s*(?:万元|元)?|[-—–/／])$/;
/** Table 4's column headers: a value after one starts the data row. */
const REVIEW_HEADS = new Set(Object.values(REVIEW_COLUMN_LABELS));
/** Cell lines in a run at least, for the run to be read as such a table. */
const SEPARATED_RUN_AT_LEAST = 8;

/**
 * A page store's text of a table (and some page-to-text converters'): every cell's text
 * followed by a pipe, the cells one after another, one per line (`规章 |`, `0 |`, `0 |`, and
 * `第二十条第(一)项 | |||` for a cell spanning columns) or on lines of their own between
 * lines holding a pipe alone (`规章`, `|`, `0`, `|`); rows are not marked. The cells keep
 * the page's order, so each run of such lines is rewritten as pipe rows, a row starting at
 * each cell that is not a value (a label) and taking the values and blanks after it: a
 * blank cell keeps its place. Each rebuilt row stands on the line of its first cell, the
 * run's other lines left empty, so places keep the text's line numbers. A line of two
 * cells or more with text (`规章 | 0 | 0 | 0 |`) is a pipe row of its own: a run holding
 * such lines is left as it is.
 */
function rowsFromSeparatedCells(lines: string[]): { lines: string[]; runs: number; first: number } {
  const n = lines.length;
  const isCellLine = (i: number) => {
    const l = lines[i];
    if (sectionHeading(l.replace(/\|[\s|]*$/, ""))) return false;
    return ENDS_WITH_PIPE.test(l) || (l.trim() !== "" && i + 1 < n && PIPE_ONLY.test(lines[i + 1]));
  };
  let out: string[] | null = null;
  let runs = 0;
  let first = -1;
  for (let i = 0; i < n; ) {
    if (!lines[i].includes("|") && !(i + 1 < n && PIPE_ONLY.test(lines[i + 1]))) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && isCellLine(j)) j++;
    if (j - i >= SEPARATED_RUN_AT_LEAST && lines.slice(i, j).every((l) => l.split("|").filter((t) => t.trim() !== "").length <= 1)) {
      out ??= [...lines];
      rewriteRun(out, i, j);
      runs++;
      if (first < 0) first = i;
    }
    i = Math.max(j, i + 1);
  }
  return { lines: out ?? lines, runs, first };
}

/** Rewrites lines [from, to) of `out` (see rowsFromSeparatedCells). */
function rewriteRun(out: string[], from: number, to: number): void {
  // The run's cells, each with the line its text starts on.
  const cells: { text: string; line: number }[] = [];
  let text = "";
  let line = -1;
  for (let i = from; i < to; i++) {
    const parts = out[i].split("|");
    parts.forEach((part, k) => {
      const t = part.trim();
      if (t) {
        text = joinWrapped(text, t);
        if (line < 0) line = i;
      }
      if (k < parts.length - 1) {
        cells.push({ text, line: line < 0 ? i : line });
        text = "";
        line = -1;
      }
    });
  }
  if (text) cells.push({ text, line });
  const rows: { cells: string[]; line: number }[] = [];
  let header = false;
  for (const c of cells) {
    const label = c.text !== "" && !VALUE_TOKEN.test(simplifiedView(c.text));
    // Values after a column header of table 4 (…尚未审结, 总计) are its data row, a row of
    // numbers of its own (a row label takes the values after it; a header takes none).
    const afterHeader = header && !label && c.text !== "";
    if (label || !rows.length || afterHeader) rows.push({ cells: [], line: c.line });
    rows[rows.length - 1].cells.push(c.text);
    if (label) header = REVIEW_HEADS.has(simplifiedView(c.text.replace(/\s+/g, "")));
    else if (afterHeader) header = false;
  }
  for (let i = from; i < to; i++) out[i] = "";
  // A line holds one cell with text at most (the run's condition), so no two rows start on one line.
  for (const r of rows) out[r.line] = `| ${r.cells.join(" | ")} |`;
}

// ---- cells-per-line and tab-rows ------------------------------------------------

/** Blanks or form feeds before a line's first tab. */
const LEAD_BEFORE_TAB = /^[ \f\v]+\t/;

function parseTabbed(lines: string[], isPipeRow: (line: string) => boolean): Block[] {
  const blocks: Block[] = [];
  let table: Table | null = null;
  let row: Cell[] = [];
  /** The last line was part of the table (a cell line or its continuation). */
  let inCell = false;

  const endRow = () => {
    if (table && row.length) table.rows.push(row);
    row = [];
  };
  const endTable = () => {
    endRow();
    if (table && table.rows.length) blocks.push(table);
    table = null;
  };
  const startTable = (line: number): Table => (table ??= { kind: "table", rows: [], exactGrid: false, place: { line } });

  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    // Spaces or a page break (form feed) before a line's first tab are not a cell: a
    // cell line indented, or opening a page, is still that cell (read as an empty first
    // cell, the row would split and its numbers land in other columns).
    const line = LEAD_BEFORE_TAB.test(raw) ? raw.replace(LEAD_BEFORE_TAB, "\t") : raw;
    if (!line.includes("\t") && isPipeRow(line)) {
      endTable();
      inCell = false;
      pushPipeRow(blocks, line, lineNo);
      return;
    }
    // A line holding only a tab is an empty cell (a blank value, or a merge placeholder);
    // only a line without a tab ends a row.
    if (line.trim() === "" && !line.includes("\t")) {
      endRow();
      inCell = false;
      return;
    }
    const singleCell = /^\t[^\t]*$/.test(line);
    if (singleCell) {
      startTable(lineNo);
      row.push(cell(line.slice(1).trim(), 1, 1, { line: lineNo }));
      inCell = true;
      return;
    }
    if (line.includes("\t")) {
      // One row per line, cells split by tabs.
      endRow();
      startTable(lineNo).rows.push(line.split("\t").map((t) => cell(t.trim(), 1, 1, { line: lineNo })));
      inCell = false;
      return;
    }
    if (inCell && row.length) {
      // A cell's text wrapped onto the next line (`商业\n企业`).
      const last = row[row.length - 1];
      last.text = last.text ? `${last.text}\n${line.trim()}` : line.trim();
      return;
    }
    endTable();
    pushParagraph(blocks, line, lineNo);
  });
  endTable();
  return blocks;
}

// ---- markdown pipe rows (in any layout) ----------------------------------------

function pushPipeRow(blocks: Block[], line: string, lineNo: number) {
  if (PIPE_RULE.test(line)) return;
  const inner = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  const cells = inner.split("|").map((t) => cell(t.replace(/<br\s*\/?>/gi, "\n").trim(), 1, 1, { line: lineNo }));
  // Pipe rows separated only by blank lines or separator rules stay one table.
  const last = blocks[blocks.length - 1];
  if (last && last.kind === "table" && pipeTables.has(last)) last.rows.push(cells);
  else {
    const t: Table = { kind: "table", rows: [cells], exactGrid: false, place: { line: lineNo } };
    pipeTables.add(t);
    blocks.push(t);
  }
}
const pipeTables = new WeakSet<Table>();

// ---- pdf-text (no tabs) --------------------------------------------------------

/**
 * Text from a PDF: blocks are separated by blank lines; inside a block, lines are
 * broken at the page width. In sections 二 to 四 a block that is not prose is a table:
 * each line a row, cells split by spaces.
 */
/** `columned`: the text keeps the page's columns (pdftotext -layout): see unsettleOffsetNumbers. */
function parsePlain(lines: string[], columned: boolean, isPipeRow: (line: string) => boolean): Block[] {
  const groups: { lines: string[]; start: number }[] = [];
  let cur: { lines: string[]; start: number } | null = null;
  lines.forEach((line, i) => {
    // Headings, pipe rows, markdown headings and list items (a page's menu and breadcrumbs
    // saved as text: • 首页) stand alone even without blank lines around them.
    if (isPipeRow(line) || /^\s*#{1,6}\s/.test(line) || BULLET.test(line) || sectionHeading(line)) {
      if (cur) groups.push(cur);
      groups.push({ lines: [line], start: i + 1 });
      cur = null;
      return;
    }
    if (line.trim() === "") {
      if (cur) groups.push(cur);
      cur = null;
      return;
    }
    (cur ??= { lines: [], start: i + 1 }).lines.push(line);
  });
  if (cur) groups.push(cur);

  const blocks: Block[] = [];
  let section: number | null = null;
  let table: Table | null = null;
  const endTable = () => {
    if (table && table.rows.length) blocks.push(table);
    table = null;
  };

  for (let gi = 0; gi < groups.length; gi++) {
    const g = groups[gi];
    const first = g.lines[0];
    if (isPipeRow(first)) {
      endTable();
      pushPipeRow(blocks, first, g.start);
      continue;
    }
    const heading = /^\s*#{1,6}\s+(.*)$/.exec(first);
    const joined = g.lines.map((l) => l.trim()).reduce(joinWrapped, "");
    const h = sectionHeading(heading ? heading[1] : joined);
    if (h) {
      endTable();
      section = h.number;
      blocks.push(paragraph(heading ? heading[1].trim() : joined, { line: g.start }));
      continue;
    }
    if (heading) {
      endTable();
      blocks.push(paragraph(heading[1].trim(), { line: g.start }));
      continue;
    }
    if (section !== null && section >= 2 && section <= 4 && g.lines.length > 1 && isProse(g.lines)) {
      // A converter that writes no blank lines (LibreOffice's text export: a paragraph
      // or a table cell per line) leaves a table's cells inside the prose around them:
      // the group is read again as its prose and cell runs, each on its own.
      const parts = cellRuns(g.lines, g.start);
      if (parts.length > 1) {
        groups.splice(gi + 1, 0, ...parts);
        continue;
      }
    }
    if (section !== null && section >= 2 && section <= 4 && !isProse(g.lines) && !isSignature(g.lines)) {
      table ??= { kind: "table", rows: [], exactGrid: false, ...(columned ? {} : { converterOrder: true }), place: { line: g.start } };
      const rows = g.lines.map((l, k) => splitSpaced(l).map((t) => (columned ? cell(t, 1, 1, { line: g.start + k }) : { ...cell(t, 1, 1, { line: g.start + k }), block: gi })));
      if (columned) unsettleOffsetNumbers(rows);
      for (const cells of rows) if (cells.length) table.rows.push(cells);
      continue;
    }
    endTable();
    // Prose: lines broken at the page width join; a line ending a sentence ends a paragraph.
    let para = "";
    let lastLine = "";
    let start = g.start;
    g.lines.forEach((l, k) => {
      const t = l.trim();
      // A numbered item, or any line after a finished sentence (a signature, a date), starts
      // anew; so does a report's title, and the line after it (a page's menu line over the
      // title, 灵川县政府惠民信息微信, is no part of it).
      if (para && (startsItem(t) || /[。！？]$/.test(para) || isTitleLine(t) || isTitleLine(lastLine) || notWrapped(lastLine, t))) {
        blocks.push(paragraph(para, { line: start }));
        para = "";
        start = g.start + k;
      }
      para = joinWrapped(para, t);
      lastLine = t;
    });
    if (para) blocks.push(paragraph(para, { line: start }));
  }
  endTable();
  return blocks;
}

/**
 * A short line before one more than twice as long was not broken at the page's width (a
 * line wrapped there is as long as the lines after it): the body's name on a line of its
 * own over the preamble (浑南区国资局 / 根据《…》…现公布区政府国资局…) is no part of it. A line
 * ending in a comma or a colon runs on.
 */
const notWrapped = (line: string, next: string) => line.length <= 20 && next.length > line.length * 2 && !/[，,、；;：:（(《“]$/.test(line);

/** A report's title on a line of its own (…2022年政府信息公开工作年度报告, …信息公开年报). */
const isTitleLine = (t: string) => t.length <= 60 && /(?:19|20)\d\d\s*年/.test(t) && /信息公开.{0,10}(?:报告|年报)$/.test(simplifiedView(t));

/**
 * A signature block: the body's name (a line or two) over the date, nothing else. After a
 * table in section 二–四 (a report without 五 and 六, or text that lost their headings) it is
 * the report's end, not the table's cells: a date is no value of the template's.
 */
const isSignature = (lines: string[]) =>
  lines.length <= 3 && SIGNATURE_DATE.test(lines[lines.length - 1].trim()) && lines.slice(0, -1).every((l) => /^\p{Script=Han}{2,30}$/u.test(l.trim()));
const SIGNATURE_DATE = /^(?:\d{4}|[〇零一二三四五六七八九OＯ]{4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$/;

/** A line that could be one table cell: short, no sentence in it. */
const cellLike = (l: string) => l.trim().length <= 30 && !/[。！？；]/.test(l);
/** A table number as text prints it (digits, full-width too, with separators), or a dash or slash for none. */
const NUMBER_TOKEN = /^(?:[+\-−]?[\d０-９][\d０-９,，.]*|[-—/／])$/;
const isNumberToken = (t: string) => NUMBER_TOKEN.test(t);
const DIGITS = /^[+\-−]?[\d０-９]/;

/**
 * A group cut into its prose and its runs of cell lines: a run of 4+ short lines without
 * a sentence, 2+ of them numbers alone, is table cells; the rest stays prose. One part
 * (the group itself) where there is no such run.
 */
function cellRuns(lines: string[], start: number): { lines: string[]; start: number }[] {
  const parts: { lines: string[]; start: number }[] = [];
  let i = 0;
  let prose: { lines: string[]; start: number } | null = null;
  while (i < lines.length) {
    let j = i;
    while (j < lines.length && cellLike(lines[j])) j++;
    const run = lines.slice(i, j);
    if (run.length >= 4 && run.filter((l) => isNumberToken(l.trim()) && DIGITS.test(l.trim())).length >= 2) {
      if (prose) parts.push(prose);
      prose = null;
      parts.push({ lines: run, start: start + i });
      i = j;
      continue;
    }
    const end = Math.max(j, i + 1);
    for (let k = i; k < end; k++) (prose ??= { lines: [], start: start + k }).lines.push(lines[k]);
    i = end;
  }
  if (prose) parts.push(prose);
  return parts;
}

/**
 * Whether text keeps a PDF page's columns (`pdftotext -layout` and its like): many lines
 * whose words are set apart by runs of blanks. Text broken only at the page width (plain
 * pdftotext) separates words by one blank.
 */
function keepsColumns(lines: string[]): boolean {
  let filled = 0;
  let columned = 0;
  for (const l of lines) {
    const t = l.trim();
    if (!t) continue;
    filled++;
    if (/\S {3,}\S/.test(t)) columned++;
  }
  return columned >= 10 && columned >= filled * 0.15;
}

const isNumberCell = (c: Cell) => isNumberToken(c.text);

/**
 * Text that keeps the page's columns sets a number where the PDF set it: centred in a
 * tall cell, it stands a line above or below its row's label (`36` over `规章  199  456`),
 * and a number wrapped in a narrow cell is cut over two lines. Read line by line, those
 * numbers would land in other columns or other rows. A row whose label line has a line of
 * numbers alone next to it is therefore not read: its numbers become unsettled cells (null,
 * said), and the lines of numbers alone beside it are dropped. Rows whose numbers all
 * stand on their label's line are read as they are.
 */
function unsettleOffsetNumbers(rows: Cell[][]): void {
  const numbersOnly = rows.map((r) => r.length > 0 && r.every(isNumberCell));
  const labelled = rows.map((r) => r.some((c) => !isNumberCell(c)) && r.some(isNumberCell));
  const drop = new Set<number>();
  rows.forEach((r, k) => {
    if (!labelled[k]) return;
    const beside = [k - 1, k + 1].filter((j) => numbersOnly[j]);
    if (!beside.length) return;
    const count = r.filter(isNumberCell).length + beside.reduce((n, j) => n + rows[j].length, 0);
    const labels = r.filter((c) => !isNumberCell(c));
    const place = r.find(isNumberCell)?.place;
    rows[k] = [...labels, ...Array.from({ length: count }, () => unsettledCell(place))];
    for (const j of beside) drop.add(j);
  });
  // Lines of numbers alone one under the other (table 4's row, set over two lines): which
  // number stands in which column cannot be told from the order; one row, unsettled.
  rows.forEach((r, k) => {
    if (drop.has(k) || !numbersOnly[k] || !numbersOnly[k + 1] || drop.has(k + 1)) return;
    let end = k + 1;
    while (numbersOnly[end + 1] && !drop.has(end + 1)) end++;
    const count = rows.slice(k, end + 1).reduce((n, x) => n + x.length, 0);
    const place = r[0]?.place;
    rows[k] = Array.from({ length: count }, () => unsettledCell(place));
    for (let j = k + 1; j <= end; j++) drop.add(j);
  });
  // Emptied, not removed: the caller's rows keep their lines (an empty row is skipped).
  for (const j of drop) rows[j] = [];
}

/** A new numbered item inside a block of wrapped prose. */
const startsItem = (t: string): boolean => ITEM_NUMBER.test(t);

/** Prose, not table rows: sentences (。) or lines as long as the page is wide. */
function isProse(lines: string[]): boolean {
  const text = lines.join("");
  if (/[。！？]/.test(text)) return true;
  return lines.length > 1 && lines.every((l) => l.trim().length >= 30) && !/\d\s+\d/.test(text);
}

/**
 * Split a pdf-text line into cells: runs of spaces separate cells, but a space inside
 * a label (`结果 维持`, `(一) 予以公开`) does not. Numbers are always their own cells.
 */
function splitSpaced(line: string): string[] {
  const tokens = line.trim().split(/\s+/).filter(Boolean);
  const out: string[] = [];
  for (const tok of tokens) {
    const prev = out[out.length - 1];
    if (prev !== undefined && !isNumberToken(tok) && !isNumberToken(prev)) out[out.length - 1] = joinWrapped(prev, tok);
    else out.push(tok);
  }
  return out;
}

function pushParagraph(blocks: Block[], line: string, lineNo: number) {
  const t = line.replace(/^\s*#{1,6}\s+/, "").trim();
  if (t) blocks.push(paragraph(t, { line: lineNo }) as Paragraph);
}
