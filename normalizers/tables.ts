// Mapping the document's tables onto the template: written once, for every format.
// Rows are read by their labels, not by position, so a table split across pages, rows
// glued to group labels, header rows repeated or tables cut in pieces all read alike.
// A row's values are fitted to the template's column count; where the text cannot say
// which cell is which (a shifted row, a vanished blank), the values are null and a
// diagnostic says why. Nothing is guessed.
//
// The steps: tableRows (the document's tables as rows, each cell knowing its table, row
// and column after merged cells are expanded) → RowMapper, one row at a time (a label
// row waits for its numbers, numbers find their label, a wrapped row is joined) → the
// raw cells of each template row → assemble.ts reads every cell into the record's
// values, provenance and diagnostics.
import {
  ACTIVE_2019,
  ACTIVE_2021,
  ACTIVE_HEADERS,
  REQUEST_ROW_DEFS,
  REVIEW_HEADERS,
  TEMPLATE_CITATIONS,
  type ActiveRowDef,
} from "../data/template.js";
import { isUnsettled, startColumns, type Block, type Cell, type Document, type Place } from "../model/document.js";
import { REQUEST_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS } from "../data/keys.js";
import { ACTIVE_COLUMN_HEADER_WORDS, ACTIVE_COLUMN_LABELS, REVIEW_GROUP_LABELS } from "../data/columns.js";
import type { Active2019, Active2021, Requests, Reviews, Template } from "../model/record.js";
import type { ProvenanceEntry, RecordDiagnostic } from "../model/provenance.js";
import { hasWord, LabelMatcher } from "./labels.js";
import { cleanText, fold, ITEM_NUMBER, joinWrapped } from "../model/text.js";
import { sectionHeading } from "../model/sections.js";
import { isBlank, isValueLike, unitPrinted, type Unit } from "./values.js";
import { assembleActive, assembleRequests, assembleReviews, Notes, placeText, rowPlace, type CellRef, type RawRow } from "./assemble.js";

import { splitRunTogether } from "./split-hook.js";
import { attachLabelsBelow } from "./detached.js";
import { spreadOverBlocks, unconfirmed } from "./line-order.js";

export interface TablesResult {
  template: Template;
  /** How the template was decided, for the diagnostics when it was not from table 2. */
  templateBy: "table2" | "rows" | "citation" | "year" | "default";
  active: Active2021 | Active2019;
  requests: Requests;
  reviews: Reviews;
  /** Template rows found in the document (0 means no report tables at all). */
  rowsFound: number;
  /** Cell key → where and how its value was read (every cell key of the three tables). */
  provenance: Record<string, ProvenanceEntry>;
  diagnostics: RecordDiagnostic[];
}

/** Table 4's data row: three groups of five. */
export const REVIEW_CELLS = REVIEW_GROUPS.length * REVIEW_COLUMNS.length;
/** A row label read from this score on is the row's own (below: similar, and said so). */
const SURE = 0.9;
/** Label lines kept waiting for their numbers, and how many of the last are joined at most. */
const PENDING_KEPT = 12;
const PENDING_JOINED = 6;
/** A label longer than this (folded) is prose, not a row label: no unmatched-row note. */
const UNMATCHED_LABEL_MAX = 40;

/** A cell the reader left unread on purpose (its numbers could not be placed): not a blank. */
const unsettled = (r: CellRef | undefined) => r !== undefined && isUnsettled(r.cell);

/** A template row read as null, for the reason given (its cells could not be trusted). */
const nullRow = (width: number, place: Place, reason: NonNullable<RawRow["reason"]>): RawRow => ({
  cells: new Array(width).fill(null),
  refs: new Array(width).fill(undefined),
  place,
  reason,
});

interface RowView {
  cells: string[];
  /** Each cell's origin, parallel to `cells`. */
  refs: CellRef[];
  exact: boolean;
  /** From a table whose cells stand in a converter's order (Table.converterOrder). */
  converterOrder: boolean;
  place: Place;
  section: number | null;
  /** Table 4's group (0–2, REVIEW_GROUPS) a heading over this row's table names, where a report prints each group as a table of its own. */
  reviewGroup?: number;
}

type Target =
  | { table: "active"; def: ActiveRowDef }
  | { table: "requests"; key: string }
  | { table: "reviews" };

interface OpenRow {
  target: Target;
  values: string[];
  refs: (CellRef | undefined)[];
  expected: number;
  exact: boolean;
  place: Place;
  /** Opened by waiting label lines, this many of them left unused before the label taken (see `doubtful`). */
  leftover?: number;
  /** From a table whose cells stand in a converter's order (Table.converterOrder). */
  converterOrder: boolean;
  /** A number printed against the row's label (`…申请数量541`: a cell set left with no padding), where the label ends in one. */
  besideLabel?: string;
}

/** A number at the end of a row's label (digits, after NFKC folds full-width ones): the first cell's, printed against it. */
const BESIDE_LABEL = /\p{Script=Han}\s*(\d+)\s*$/u;

const ACTIVE_MATCHER = new LabelMatcher([...ACTIVE_2021, ...ACTIVE_2019.filter((d) => !ACTIVE_2021.some((e) => e.key === d.key))]);
const REQUEST_MATCHER = new LabelMatcher(REQUEST_ROW_DEFS);

/**
 * What one cell says about the form of table 2: a 2019 or 2021 column header, or a
 * row only the 2019 form has. Header words are matched fuzzily (a typo allowed), which
 * is slow, and cell texts repeat across reports: each text is judged once (bounded).
 */
const evidence = new Map<string, { h2019: number; h2021: number; row2019: number }>();
function templateEvidence(t: string) {
  let e = evidence.get(t);
  if (!e) {
    const m = ACTIVE_MATCHER.match(t);
    e = {
      h2019: ACTIVE_HEADERS["2019"].some((w) => hasWord(t, w)) ? 1 : 0,
      h2021: ACTIVE_HEADERS["2021"].some((w) => hasWord(t, w)) ? 1 : 0,
      row2019: m && (m.key === "otherServices" || m.key === "procurement") && m.score >= 0.9 ? 1 : 0,
    };
    if (evidence.size > 20_000) evidence.clear();
    evidence.set(t, e);
  }
  return e;
}

/** Decide the form of table 2 from the document itself. */
export function detectTemplate(blocks: Block[], year: number | null): { template: Template; by: TablesResult["templateBy"] } {
  let h2019 = 0;
  let h2021 = 0;
  let rows2019 = 0;
  const prose: string[] = [];
  for (const b of blocks) {
    if (b.kind === "paragraph") {
      prose.push(b.text);
      continue;
    }
    for (const row of b.rows)
      for (const c of row) {
        const t = c.text;
        if (!t || isValueLike(t)) continue;
        const e = templateEvidence(t);
        h2019 += e.h2019;
        h2021 += e.h2021;
        rows2019 += e.row2019;
      }
  }
  if (h2019 !== h2021) return { template: h2019 > h2021 ? "2019" : "2021", by: "table2" };
  if (rows2019 > 0) return { template: "2019", by: "rows" };
  const text = fold(prose.join("\n"));
  const cites2019 = TEMPLATE_CITATIONS["2019"].some((c) => text.includes(fold(c)));
  const cites2021 = TEMPLATE_CITATIONS["2021"].some((c) => text.includes(fold(c)));
  if (cites2019 !== cites2021) return { template: cites2019 ? "2019" : "2021", by: "citation" };
  if (year !== null) return { template: year <= 2020 ? "2019" : "2021", by: "year" };
  return { template: "2021", by: "default" };
}

/**
 * Flatten the document's tables into rows, each knowing the section it stands in. A
 * cell's column is counted after merged cells are expanded: a cell covered by a row span
 * from above is skipped over, and a cell spanning columns takes the first of them. So
 * `col` is the column of the printed grid, whatever the format stated as spans.
 */
function tableRows(blocks: Block[]): RowView[] {
  const rows: RowView[] = [];
  let section: number | null = null;
  let tableIndex = 0;
  let group: number | undefined;
  for (const b of blocks) {
    if (b.kind === "paragraph") {
      const h = sectionHeading(b.text);
      if (h) section = h.number;
      group = section === 4 ? reviewGroupHeading(b.text) : undefined;
      continue;
    }
    const tableGroup = group;
    group = undefined;
    const columns = startColumns(b);
    b.rows.forEach((row, r) => {
      // The table's place, then the first cell's over it, then the row's own; never a box.
      // (Copied key by key: a spread and a delete made every row's place a slow object.)
      const place: Place = {};
      for (const from of [b.place, row[0]?.place])
        if (from) for (const k in from) if (k !== "box") (place as Record<string, unknown>)[k] = from[k as keyof Place];
      place.table = tableIndex;
      place.row = r;
      const refs: CellRef[] = row.map((cell, i) => ({ cell, table: tableIndex, row: r, col: columns[r][i], tablePlace: b.place }));
      rows.push({ cells: row.map((c: Cell) => cleanText(c.text).trim()), refs, exact: b.exactGrid, converterOrder: b.converterOrder === true, place, section, ...(tableGroup !== undefined ? { reviewGroup: tableGroup } : {}) });
    });
    tableIndex++;
  }
  return rows;
}

/**
 * The group of table 4 a heading names alone (行政复议, 行政诉讼（未经复议直接起诉）, 行政诉讼（复议后起诉）),
 * as a converter writes a table 4 printed as three tables; undefined for any other text.
 */
function reviewGroupHeading(text: string): number | undefined {
  const t = fold(text.replace(/^#+\s*/, "")).replace(/[()（）]/g, "");
  if (t.length > 16) return undefined;
  // 行政复议 alone; a lawsuit group with or without 行政诉讼 before it.
  const g = REVIEW_GROUPS.findIndex((key, i) => t === fold(REVIEW_GROUP_LABELS[key]) || (i > 0 && t === `行政诉讼${fold(REVIEW_GROUP_LABELS[key])}`));
  return g === -1 ? undefined : g;
}

/** Split a row into its label cells and its value cells (which start at `start`). */
function splitRow(cells: string[]): { labels: string[]; values: string[]; start: number } {
  const firstValue = cells.findIndex(isValueLike);
  const end = firstValue === -1 ? cells.length : firstValue;
  let lastLabel = -1;
  for (let i = 0; i < end; i++) if (!isBlank(cells[i])) lastLabel = i;
  const labels = cells.slice(0, lastLabel + 1).filter((c) => !isBlank(c));
  if (firstValue === -1 && lastLabel === -1) return { labels: [], values: [], start: cells.length };
  return { labels, values: cells.slice(lastLabel + 1), start: lastLabel + 1 };
}

/**
 * Fit printed value cells to the template's column count. Extra cells may only be
 * blanks at the ends (a shifted row, a merged label's placeholder, a spanned value), or,
 * with `spans` (table 2), the copies of a spanned last value (writtenOut);
 * if more than one way of dropping them is possible and the ways disagree, the row
 * cannot be read.
 */
export function fitValues(values: string[], expected: number, spans = false): { cells: string[]; start: number } | { problem: string } {
  if (values.length === expected) return { cells: values, start: 0 };
  const spanned = spans ? writtenOut(values, expected) : null;
  if (spanned) return spanned;
  if (values.length < expected)
    return { problem: `${values.length} value cell${values.length === 1 ? "" : "s"} where ${expected} are expected; which are missing cannot be told` };
  const excess = values.length - expected;
  let lead = 0;
  while (lead < values.length && isBlank(values[lead])) lead++;
  let trail = 0;
  while (trail < values.length && isBlank(values[values.length - 1 - trail])) trail++;
  const options: string[][] = [];
  const first = Math.max(0, excess - trail);
  for (let k = first; k <= Math.min(excess, lead); k++) options.push(values.slice(k, k + expected));
  if (options.length === 0)
    return { problem: `${values.length} value cells where ${expected} are expected, and the extra cells are not blank` };
  const distinct = new Set(options.map((o) => o.map((c) => (isBlank(c) ? "" : c)).join("\u0001")));
  if (distinct.size === 1) return { cells: options[0], start: first };
  return {
    problem: `${values.length} cells where ${expected} are expected, with blanks at both ends; which blank is a value cannot be told`,
  };
}

/**
 * A table 2 row's last value cell spanning columns (本年处理决定数量 over three, the 2019
 * form's 采购总金额 over two), as converters that unmerge cells write it: its text again
 * in every column it spans (docling's markdown, pandas' read_html, an unmerged
 * spreadsheet: 行政许可 | 99 | 99 | 99). Where the row ends in a run of one text and, that
 * run taken as one cell, has the template's count, the run is that cell. Only table 2,
 * whose template spans value cells: a wide row of tables 3 and 4 ending in equal numbers
 * (其他 and 总计 both 5) with a cell too many is no span.
 */
function writtenOut(values: string[], expected: number): { cells: string[]; start: number } | null {
  const last = values[values.length - 1]?.trim() ?? "";
  if (isBlank(last)) return null;
  let run = 1;
  while (run < values.length && values[values.length - 1 - run].trim() === last) run++;
  const kept = values.length - run + 1;
  if (run < 2 || kept !== expected) return null;
  // The run's first cell is the value's own: the cells kept stand where they are printed.
  return { cells: values.slice(0, kept), start: 0 };
}

/** Where a template row's cells go, and how many it has. */
function describe(t: Target): string {
  return t.table === "active" ? `active.${t.def.key}` : t.table === "requests" ? `requests.${t.key}` : "reviews";
}
const expectedOf = (t: Target) => (t.table === "active" ? t.def.columns.length : t.table === "requests" ? REQUEST_COLUMNS.length : REVIEW_CELLS);

/** The column of table 2 a header cell names (its words alone: see ACTIVE_COLUMN_HEADER_WORDS), or null. */
function headerColumn(text: string): string | null {
  const t = fold(text);
  let found: string | null = null;
  for (const [key, words] of Object.entries(ACTIVE_COLUMN_HEADER_WORDS)) {
    if (!words.some((w) => t.includes(w))) continue;
    if (found !== null) return null; // the words of two columns: names neither
    found = key;
  }
  return found;
}

/**
 * A block header of table 2 (信息内容 | 本年处理决定数量 | …): the columns it names, in
 * printed order, when every one of its cells after 信息内容 names a column. Null for any
 * other row, and for a header whose cells are not all clear (wrapped, cut, a word unknown):
 * the template's own columns are read then, as before.
 */
export function activeHeader(cells: string[]): { keys: string[]; width: number } | null {
  const first = cells.findIndex((c) => !isBlank(c));
  if (first === -1 || fold(cells[first]) !== "信息内容") return null;
  let end = cells.length;
  while (end > first + 1 && isBlank(cells[end - 1])) end--;
  const keys: string[] = [];
  for (let i = first + 1; i < end; i++) {
    const key = isBlank(cells[i]) ? null : headerColumn(cells[i]);
    if (key === null || keys.includes(key)) return null;
    keys.push(key);
  }
  // `width`: the cells after 信息内容, blanks included (a page's pipe rows pad a one-column block to the table's width).
  return keys.length ? { keys, width: cells.length - first - 1 } : null;
}

/** A cell OCR read as a number its own readings contradicted (extractors/pdf/ocr-cells.ts): "?". */
const OCR_CONTRADICTED = /^\s*[?？]\s*$/;

/** An item number inside a label, not at its start (…国家秘密2.其他…); ITEM_CUT cuts before each. */
const INNER_ITEM = /.(?:\d{1,2}[.、．](?!\d)|[（(][一二三四五六七八九十]+[)）])/;
const ITEM_CUT = /(?=\d{1,2}[.、．](?!\d)|[（(][一二三四五六七八九十]+[)）])/;

const sameColumns = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((k, i) => k === b[i]);
const columnNames = (keys: readonly string[]) => keys.map((k) => ACTIVE_COLUMN_LABELS[k] ?? k).join("、");

/**
 * The mapping's state, one document at a time: the row whose numbers are being read
 * (`open`), the label lines waiting for numbers (`pending`), a row with numbers and an
 * unknown label held one row (`unmatched`), whether table 4's headers were seen, and
 * the raw cells found for each template row. `step` takes one row; `end` closes.
 */
class RowMapper {
  readonly activeRaw = new Map<string, RawRow>();
  readonly requestRaw = new Map<string, RawRow>();
  /** Table 3 rows of converter-ordered text read from several blocks: sure only where the arithmetic confirms them (line-order.ts). */
  readonly spread = new Set<string>();
  reviewsRaw: RawRow | null = null;
  rowsFound = 0;
  private open: OpenRow | null = null;
  private pending: string[] = [];
  private reviewContext = false;
  /** Table 4's groups printed as tables of their own, by group (see reviewGroupHeading): read into one row at the end. */
  private readonly reviewParts = new Map<number, { values: string[]; refs: CellRef[]; place: Place }>();
  /** The last template row kept from a table rebuilt from text (not an exact grid): see unsettleLastKept. */
  private lastKept: { map: Map<string, RawRow>; key: string; target: Target } | null = null;
  /** Tables of text (document table indexes) whose numbers stood before their first row label: see keep. */
  private readonly scrambledTables = new Set<number>();
  /**
   * The last block header of table 2 and the item (第二十条第（N）项) of the first row read
   * under it: it heads that block's rows only (see headerFor).
   */
  private header: { keys: string[]; width: number; exact: boolean; item: number | null; section: number | null } | null = null;
  /** Rows stepped so far (to tell what was kept at the row just before). */
  private steps = 0;
  /**
   * The row kept last, when its numbers were given to a label among waiting label lines
   * with other lines left unused before it, and at which step: should numbers without a
   * label follow at once, those lines may have held both rows' labels (a converter weaving
   * a group label into them: （四）无2.没有现成信息需要另 / 法提供行制作 / 3.补正后…), and which
   * numbers are whose cannot be told.
   */
  private doubtful: { map: Map<string, RawRow>; key: string; target: Target; step: number; lines: string } | null = null;
  /** A row with numbers whose label matches no template row, kept one row: the next row may be the rest of its label alone (a label cut by a page break after its numbers). */
  private unmatched: { labels: string[]; values: string[]; refs: CellRef[]; row: RowView } | null = null;

  constructor(
    private readonly activeDefs: ActiveRowDef[],
    private readonly notes: Notes,
  ) {}

  /** One row of the document's tables. */
  step(row: RowView): void {
    this.steps++;
    const { labels, values, start } = splitRow(row.cells);
    if (labels.length === 0 && values.length === 0) return;
    const refs = row.refs.slice(start);
    if (this.unmatched) {
      if (!refs.some(unsettled) && this.joinCutLabel(labels, values)) return;
      this.dropUnmatched();
    }
    const rowText = row.cells.join("");
    if (REVIEW_HEADERS.some((w) => rowText.includes(w))) this.reviewContext = true;
    if (this.header && row.section !== null && row.section !== this.header.section) this.header = null;
    const header = labels.length > 0 && values.every(isBlank) ? activeHeader(row.cells) : null;
    if (header) {
      this.finish();
      this.header = { ...header, exact: row.exact, item: null, section: row.section };
    }
    if (labels.length > 0 && values.length === 0) return this.labelOnly(labels);
    if (labels.length === 0) return this.numbersOnly(values, refs, row);
    return this.labelled(labels, values, refs, row);
  }

  /** After the last row. */
  end(): void {
    this.dropUnmatched();
    this.finish();
    this.joinReviewParts();
  }

  /** Table 4 printed as a table per group: its one row, a group not printed null (row.missing). */
  private joinReviewParts(): void {
    if (!this.reviewParts.size) return;
    if (this.reviewsRaw) {
      this.notes.add("table.printedTwice", "warning", "table 4 printed both whole and as a table per group: the whole one is kept");
      return;
    }
    const raw: RawRow = { cells: [], refs: [], place: this.reviewParts.values().next().value!.place, cellReasons: [] };
    REVIEW_GROUPS.forEach((g, gi) => {
      const part = this.reviewParts.get(gi);
      for (let c = 0; c < REVIEW_COLUMNS.length; c++) {
        raw.cells.push(part ? part.values[c] : null);
        raw.refs.push(part?.refs[c]);
        raw.cellReasons!.push(part ? undefined : { code: "row.missing", message: `reviews.${g}: table 4 is printed as a table per group, and this group's is not found; its values are null` });
      }
    });
    this.rowsFound++;
    this.reviewsRaw = raw;
  }

  // ---- the kinds of row

  /** A held row's label continued alone on this row: the two are one row. */
  private joinCutLabel(labels: string[], values: string[]): boolean {
    const held = this.unmatched!;
    const rest = labels.join("");
    if (!(labels.length > 0 && values.every(isBlank) && !ITEM_NUMBER.test(rest))) return false;
    const m = this.resolve([joinWrapped(held.labels[held.labels.length - 1], rest), joinWrapped(held.labels.join(""), rest)]);
    if (!m || m.score < SURE) return false;
    this.unmatched = null;
    this.finish();
    this.open = this.opened(m.target, held.values, held.refs, held.row);
    this.finish();
    return true;
  }

  /**
   * A header row, a group label, or a label wrapped before its numbers. Either way the
   * open row is over: numbers after a new label never continue an earlier row.
   */
  private labelOnly(labels: string[]): void {
    this.finish();
    this.addPending(labels.join(""));
  }

  /**
   * Numbers with no label: the rest of a wrapped row, table 4's data row, or a row whose
   * label was wrapped onto lines of its own.
   */
  private numbersOnly(values: string[], refs: CellRef[], row: RowView): void {
    const open = this.open;
    // A row the reader could not settle (cells left unreadable) takes no more numbers: where they belong is not known.
    if (open && open.values.length < open.expected && !row.exact && !open.refs.some(unsettled)) {
      open.values.push(...values);
      open.refs.push(...refs);
      if (open.values.length >= open.expected) this.finish();
      return;
    }
    this.finish();
    if (this.continueWrapped(values, refs, row)) return;
    const nonBlank = values.filter((v) => !isBlank(v)).length;
    const inReviews = row.section === 4 || (row.section === null && this.reviewContext);
    if (inReviews && row.reviewGroup !== undefined && values.length === REVIEW_COLUMNS.length && !this.reviewParts.has(row.reviewGroup)) {
      this.reviewParts.set(row.reviewGroup, { values, refs, place: row.place });
      this.pending = [];
      return;
    }
    const viaPending = this.pending.length && !inReviews ? this.resolve(this.pendingCandidates([])) : null;
    const rival = viaPending ? this.rivalLabel(viaPending) : null;
    if (viaPending && rival) {
      // Text that lists several row labels and then numbers (pdftotext reorders cells):
      // which label owns the numbers cannot be told.
      this.notes.add("row.ambiguous", "warning",
        `numbers "${values.join(" ")}" follow several row labels ("${rival}", "${viaPending.label}"); which row they belong to cannot be told, so they were not read${placeText(row.place)}`,
        { place: rowPlace(row.place) });
      this.pending = [];
      this.unsettleLastKept(values, row);
      return;
    }
    if (viaPending) {
      this.open = this.opened(viaPending.target, values, refs, row);
      this.open.leftover = this.pending.length - (this.pendingCandidates([]).indexOf(viaPending.label) + 1);
      if (this.open.leftover > 0) this.leftoverLines = this.pending.slice(0, this.open.leftover).join(" / ");
    }
    else if (inReviews || nonBlank >= REVIEW_CELLS) this.open = this.opened({ table: "reviews" }, values, refs, row);
    else {
      this.notes.add("row.noLabel", "warning", `numbers without a row label were not read: "${values.join(" ")}"${placeText(row.place)}`, { place: rowPlace(row.place) });
      this.doubtLast(values, row);
      this.pending = [];
      // Numbers before any row of their table was read: in text, the order is not the rows'.
      const table = refs.find((r) => r)?.table;
      if (!this.lastKept && table !== undefined && row.converterOrder) this.scrambledTables.add(table);
      this.unsettleLastKept(values, row);
      return;
    }
    this.pending = [];
    this.closeIfFull(row);
  }

  /** A label with values. */
  private labelled(labels: string[], values: string[], refs: CellRef[], row: RowView): void {
    this.finish();
    const two = this.twoRowLabels(labels.join(""));
    if (two && values.some((v) => !isBlank(v))) {
      // Two rows' labels in one (a reader that joined a row cut by a page break to the next
      // one): whose numbers these are cannot be told.
      this.notes.add("row.ambiguous", "warning",
        `numbers "${values.join(" ")}" stand beside the labels of two rows ("${two.join("\", \"")}"); which row they belong to cannot be told, so they were not read${placeText(row.place)}`,
        { place: rowPlace(row.place) });
      this.pending = [];
      return;
    }
    const last = labels[labels.length - 1];
    // A number printed against the label (规章7, …申请数量541) is no part of it: the label without it is a candidate too.
    const beside = BESIDE_LABEL.exec(last.normalize("NFKC"));
    const bare = beside ? last.normalize("NFKC").slice(0, beside.index + beside[0].length - beside[1].length).trimEnd() : null;
    const m = this.resolve([last, labels.join(""), ...this.pendingCandidates(labels), ...(bare ? [bare] : [])]);
    // The rest of the row above cut by a page break: its label's last words (已获取信息) and
    // the digits of its numbers wrapped there.
    if ((!m || m.score < SURE) && values.some((v) => !isBlank(v)) && this.continueWrapped(values, refs, row)) return;
    if ((!m || m.score < SURE) && values.every(isBlank) && !refs.some(unsettled)) {
      // No template row (or only a similar one), and no numbers: the first part of a
      // label cut off from its numbers (wrapped onto a row of its own, or a row split by
      // a page break: 行政规范性文 | 件 24 30 35), as a label-only row would be. Taken as
      // the similar row, its cells would read "blank" where the document prints numbers.
      this.addPending(labels.join(""));
      return;
    }
    this.pending = [];
    if (!m) {
      const nonBlank = values.filter((v) => !isBlank(v)).length;
      if ((row.section === 4 || this.reviewContext) && nonBlank >= REVIEW_CELLS && !this.reviewsRaw) {
        this.open = this.opened({ table: "reviews" }, values, refs, row);
        this.finish();
      } else if (nonBlank > 0) this.unmatched = { labels, values, refs, row };
      return;
    }
    this.open = this.opened(m.target, values, refs, row);
    if (beside && m.target.table !== "reviews") this.open.besideLabel = beside[1];
    if (m.score < SURE)
      this.notes.add("row.similarLabel", "warning", `row label "${labels.join("")}" read as ${describe(m.target)} (similar, not equal)${placeText(row.place)}`, { place: rowPlace(row.place) });
    this.closeIfFull(row);
  }

  // ---- open rows

  private opened(target: Target, values: string[], refs: (CellRef | undefined)[], row: RowView): OpenRow {
    return { target, values: [...values], refs: [...refs], expected: expectedOf(target), exact: row.exact, place: row.place, converterOrder: row.converterOrder };
  }

  /** An exact grid's row is whole; a rebuilt row is whole once it has its cells. */
  private closeIfFull(row: RowView): void {
    if (this.open && (this.open.values.length >= this.open.expected || row.exact)) this.finish();
  }

  /**
   * The columns a table 2 row's block header prints, where they are not the template's
   * own for the row (a block headed in the other form's words, one column where the
   * template has three): the row is then read by the header. Null: read by the template.
   * A header heads the rows of one block: the first row under it sets the block. A header
   * of text is trusted only as wide as the row (see below); a grid's always.
   */
  private headerFor(def: ActiveRowDef): string[] | "unsure" | null {
    const h = this.header;
    if (!h) return null;
    if (h.item === null) h.item = def.item;
    else if (h.item !== def.item) {
      this.header = null;
      return null;
    }
    if (sameColumns(h.keys, def.columns)) return null;
    // A header row of text narrower than the template's row may be one the reader cut short
    // (a cell per line, a blank line lost), not a block printing fewer columns: where what it
    // names agrees with the template's first columns, the template is read; where not, which
    // is right cannot be told.
    if (!h.exact && h.width < def.columns.length) return h.keys.every((k, i) => def.columns[i] === k) ? null : "unsure";
    return h.keys;
  }

  /** Fit the open row's values to its columns and keep them. */
  private finish(): void {
    const o = this.open;
    this.open = null;
    if (!o) return;
    const printed = o.target.table === "active" ? this.headerFor(o.target.def) : null;
    if (printed === "unsure") {
      const h = this.header!;
      const message = `${describe(o.target)}: its block's header prints ${columnNames(h.keys)}, not the template's ${columnNames((o.target as { def: ActiveRowDef }).def.columns)}, in a row of text that may be cut short; which column a number is in cannot be told${placeText(o.place)}; the row is read as null`;
      this.keep(o, nullRow(o.expected, o.place, { code: "row.headerUnclear", message }));
      return;
    }
    if (printed && o.target.table === "active") return this.keepByHeader(o, o.target.def, printed);
    const fitted = fitValues(o.values, o.expected, o.target.table === "active");
    if ("problem" in fitted) {
      const reason = { code: "row.unfit", message: `${describe(o.target)}: ${fitted.problem}${placeText(o.place)}; the row is read as null` };
      this.keep(o, nullRow(o.expected, o.place, reason));
      return;
    }
    const raw: RawRow = { cells: fitted.cells, refs: o.refs.slice(fitted.start, fitted.start + o.expected), place: o.place };
    if (o.besideLabel !== undefined && isBlank(raw.cells[0] ?? "x")) this.takeBesideLabel(o, raw, o.besideLabel);
    this.keep(o, raw);
  }

  /**
   * A row whose label ends in a number and whose first cell is blank: a cell set left with
   * no padding prints its number against the label (`二、上年结转政府信息公开申请数量541`),
   * and the cell reads blank. Never blank (nothing would say the page prints a number): a
   * table 3 row's number is the first cell's where the row's printed total confirms it (the
   * total less the other five columns, a blank one 0, is that number; status `split`), else
   * that cell is null, unread, and said.
   */
  private takeBesideLabel(o: OpenRow, raw: RawRow, n: string): void {
    const name = `${describe(o.target)}.${o.target.table === "active" ? o.target.def.columns[0] : REQUEST_COLUMNS[0]}`;
    // The other five columns (a blank one counts 0: the row's own arithmetic holds so) and a printed total.
    const whole = (c: string | null) => (c !== null && /^\d+$/.test(c.trim()) ? Number(c.trim()) : null);
    const others = raw.cells.slice(1, -1).map((c) => (c !== null && isBlank(c) ? 0 : whole(c)));
    const total = whole(raw.cells[raw.cells.length - 1]);
    const confirmed =
      o.target.table === "requests" &&
      raw.cells.length === REQUEST_COLUMNS.length &&
      total !== null &&
      others.every((v) => v !== null) &&
      total - others.reduce((a: number, b) => a + b!, 0) === Number(n);
    const ref = raw.refs[0];
    if (confirmed) {
      raw.cells[0] = n;
      if (ref) raw.refs[0] = { ...ref, cell: { ...ref.cell, text: n, read: { status: "split" } } };
      this.notes.add("cell.besideLabel", "info", `${name}: ${n}, printed against the row's label, is this cell's: the row's total less its other columns is ${n}${placeText(o.place)}`, { key: name, place: rowPlace(o.place) });
      return;
    }
    raw.cells[0] = null;
    raw.cellReasons = raw.cells.map((_, i) =>
      i === 0
        ? { code: "cell.besideLabel", message: `${name}: the row's label ends in ${n}, a number printed against it, and this cell reads blank; whether ${n} is this cell's cannot be told${o.target.table === "requests" ? " (the row's total does not confirm it)" : ""}${placeText(o.place)}; read as null` }
        : undefined,
    );
  }

  /**
   * A table 2 row read by its block's header: each printed column's value goes to the
   * template column of the same name; a template column the header does not print is
   * null (`column.notPrinted`), and a printed column the template does not have is not
   * read. Without this, a row printing only 处理决定数量 under the 2019 form (three
   * columns) had its number read as the first column's, 上一年项目数量.
   */
  private keepByHeader(o: OpenRow, def: ActiveRowDef, printed: string[]): void {
    const row = `active.${def.key}`;
    const fitted = fitValues(o.values, printed.length, true);
    if ("problem" in fitted) {
      const reason = { code: "row.unfit", message: `${row}: ${fitted.problem} by its block's header (${columnNames(printed)})${placeText(o.place)}; the row is read as null` };
      this.keep(o, nullRow(o.expected, o.place, reason));
      return;
    }
    const shared = def.columns.filter((c) => printed.includes(c));
    const raw: RawRow = { cells: [], refs: [], place: o.place, cellReasons: [] };
    for (const c of def.columns) {
      const j = printed.indexOf(c);
      raw.cells.push(j === -1 ? null : fitted.cells[j]);
      raw.refs.push(j === -1 ? undefined : o.refs[fitted.start + j]);
      raw.cellReasons!.push(
        j !== -1
          ? undefined
          : shared.length
            ? { code: "column.notPrinted", message: `${row}.${c}: this row's block header prints ${columnNames(printed)}, not ${columnNames([c])}${placeText(o.place)}; read as null` }
            : {
                code: "column.otherForm",
                message: `${row}.${c}: this row's block header prints ${columnNames(printed)}, none of this form's columns for the row (${columnNames(def.columns)})${placeText(o.place)}; its numbers were not read`,
              },
      );
    }
    this.keep(o, raw);
  }

  /**
   * Numbers left over with no row to take them, in a table rebuilt from text (pdftotext
   * without -layout writes cells in its reading order, column blocks before rows): the
   * order of this table's numbers is not the rows' order, so the row read just before
   * them may hold numbers of other rows. It is read as null, and said.
   */
  private unsettleLastKept(values: string[], row: RowView): void {
    const last = this.lastKept;
    this.lastKept = null;
    if (!last || !row.converterOrder) return;
    const raw = last.map.get(last.key);
    if (!raw || raw.reason) return;
    const message = `${describe(last.target)}: numbers "${values.join(" ")}" are left over after it with no row of their own${placeText(row.place)}: the text does not keep the rows' order, so its values may be another row's; the row is read as null`;
    last.map.set(last.key, nullRow(raw.cells.length, raw.place, { code: "row.scrambled", message }));
  }

  /** Label lines left unused by the last row opened from waiting lines (for the message of doubtLast). */
  private leftoverLines = "";

  /** Numbers without a label right after a row whose label was taken among other waiting lines, or a row read by OCR: that row is null (see `doubtful`). */
  private doubtLast(values: string[], row: RowView): void {
    const d = this.doubtful;
    this.doubtful = null;
    if (!d || this.steps - d.step > 1) return;
    const raw = d.map.get(d.key);
    if (!raw || raw.reason) return;
    const message = d.lines
      ? `${describe(d.target)}: numbers "${values.join(" ")}" follow it with no label of their own, and the label lines above both (${d.lines}) may hold two rows' labels; which numbers are whose cannot be told${placeText(row.place)}; the row is read as null`
      : `${describe(d.target)}: numbers "${values.join(" ")}" follow it with no label of their own in a table read by OCR, where a row's numbers may stand in the row next to it; which numbers are whose cannot be told${placeText(row.place)}; the row is read as null`;
    d.map.set(d.key, nullRow(raw.cells.length, raw.place, { code: "row.ambiguous", message }));
  }

  /** The table 3 or 4 row kept last: its target, key, step, whether from an exact grid, its document table and page. */
  private lastRow: { target: Target; key: string; step: number; exact: boolean; table: number | undefined; page: number | undefined } | null = null;

  /**
   * Numbers without a label at once after a table 3 or 4 row, each standing under one of
   * its numbers: the rest of numbers wrapped in their cells (table 4's narrow cells: １ / ２ / ０,
   * 17 / 9; a row cut by a page break: 18 on one page, 5 on the next), which the reader
   * gave a row of their own. In a ruled grid only across a page break (inside a page a
   * ruled cell keeps its lines). Joined where the template's arithmetic holds for the
   * joined numbers and not for the first line alone (table 3: the row's total; table 4:
   * each group's); where neither holds, the row is null (row.wrapped): the first line's
   * digits are never taken for the numbers. False: not such numbers, or the first line
   * holds alone (read as before).
   */
  private continueWrapped(values: string[], refs: CellRef[], row: RowView): boolean {
    const last = this.lastRow;
    if (!last || this.steps - last.step !== 1 || refs.find((r) => r)?.table !== last.table) return false;
    if ((row.exact || last.exact) && !(row.place.page !== undefined && last.page !== undefined && row.place.page !== last.page)) return false;
    const t = last.target;
    const map = t.table === "requests" ? this.requestRaw : null;
    const first = t.table === "requests" ? map!.get(last.key) : t.table === "reviews" ? this.reviewsRaw : undefined;
    if (!first || first.reason) return false;
    const n = first.cells.length;
    const digits = (c: string | null) => (c ?? "").replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/\s+/g, "");
    const lower = values.map(digits);
    const upper = first.cells.map(digits);
    if (lower.length !== n || !lower.some((c) => c !== "") || lower.some((c, i) => c !== "" && (!/^\d+$/.test(c) || !/^\d+$/.test(upper[i])))) return false;
    const num = (c: string) => (c === "" ? 0 : /^\d+$/.test(c) ? Number(c) : NaN);
    const holds = (cells: string[]) => {
      const v = cells.map(num);
      if (v.some(Number.isNaN)) return false;
      if (t.table === "requests") return v[0] + v[1] + v[2] + v[3] + v[4] + v[5] === v[6];
      return REVIEW_GROUPS.every((_, g) => {
        const w = v.slice(g * REVIEW_COLUMNS.length, (g + 1) * REVIEW_COLUMNS.length);
        return w[0] + w[1] + w[2] + w[3] === w[4];
      });
    };
    if (holds(upper)) return false;
    const joined = upper.map((u, i) => u + lower[i]);
    const name = describe(t);
    const where = `${placeText(first.place)}${placeText(row.place)}`;
    let raw: RawRow;
    if (!holds(joined)) {
      const message = `${name}: a line of numbers ("${values.filter((c) => !isBlank(c)).join(" ")}") stands under its numbers${where}, each under one of them: numbers wrapped in their cells, or another row's; the template's arithmetic confirms neither, so the row is read as null`;
      raw = nullRow(n, first.place, { code: "row.wrapped", message });
    } else {
      this.notes.add("table.wrappedJoined", "info", `${name}: numbers wrapped onto a line of their own${where} joined (${upper.map((u, i) => (lower[i] ? `${u}+${lower[i]}` : null)).filter(Boolean).join(", ")}), as the template's arithmetic confirms`, { place: rowPlace(first.place) });
      const joinedRefs = first.refs.map((r, i) => (r && lower[i] ? { ...r, cell: { ...r.cell, text: joined[i], read: { status: "split" as const } } } : r));
      raw = { cells: joined.map((c, i) => (lower[i] ? c : first.cells[i])), refs: joinedRefs, place: first.place };
    }
    if (map) map.set(last.key, raw);
    else this.reviewsRaw = raw;
    this.lastRow = null;
    this.pending = [];
    return true;
  }

  /** A template row's cells, once; printed twice with different values, its cells are null. */
  private keep(o: OpenRow, raw: RawRow): void {
    this.rowsFound++;
    const t = o.target;
    this.doubtful = null;
    const table = o.refs.find((r) => r)?.table;
    if (!raw.reason && table !== undefined && this.scrambledTables.has(table)) {
      // A table of text whose numbers came before any label: its rows' numbers may be the next row's.
      const message = `${describe(t)}: in this table numbers stand before the first row label (text that does not keep the rows' order, as pdftotext without -layout writes), so a row's numbers may be another row's${placeText(o.place)}; the row is read as null`;
      raw = nullRow(raw.cells.length, raw.place, { code: "row.scrambled", message });
    }
    // Converter-ordered text whose row stands in several blocks: a table 3 row waits for the
    // arithmetic (confirmSpreadRows); tables 2 and 4 have none that could confirm the order of
    // a row's numbers (table 4's totals hold in any order of their parts): not read.
    const spread = !raw.reason && o.converterOrder && spreadOverBlocks(raw);
    if (spread && t.table !== "requests") {
      const message = `${describe(t)}: ${SPREAD_OVER_BLOCKS}, and nothing in table ${t.table === "active" ? 2 : 4} can confirm their columns${placeText(o.place)}; the row is read as null`;
      raw = nullRow(raw.cells.length, raw.place, { code: "row.lineOrder", message });
    }
    if (t.table === "reviews") {
      if (this.reviewsRaw) this.notes.add("table.printedTwice", "warning", `table 4 printed twice${placeText(o.place)}: the first one is kept`, { place: rowPlace(o.place) });
      else {
        this.reviewsRaw = raw;
        this.lastRow = { target: t, key: "", step: this.steps, exact: o.exact, table: o.refs.find((r) => r)?.table, page: o.place.page };
      }
      return;
    }
    const map = t.table === "active" ? this.activeRaw : this.requestRaw;
    const key = t.table === "active" ? t.def.key : t.key;
    const prev = map.get(key);
    this.lastRow = t.table === "requests" && !prev ? { target: t, key, step: this.steps, exact: o.exact, table: o.refs.find((r) => r)?.table, page: o.place.page } : null;
    if (!prev) {
      map.set(key, raw);
      if (spread && t.table === "requests") this.spread.add(key);
      if (o.leftover) this.doubtful = { map, key, target: t, step: this.steps, lines: this.leftoverLines };
      // A row of a table read by OCR with a cell the reader could not settle (or read as "?"): a stamp or a
      // skew can put a row's numbers in the next (a rule erased, two rows' cells merged);
      // numbers left without a label at once after it say so.
      else if (o.refs.some((r) => r?.cell.read?.status === "ocr") && o.refs.some((r) => unsettled(r) || OCR_CONTRADICTED.test(r?.cell.text ?? ""))) this.doubtful = { map, key, target: t, step: this.steps, lines: "" };
      this.lastKept = o.exact ? null : { map, key, target: t };
      return;
    }
    const same = prev.cells.length === raw.cells.length && prev.cells.every((c, i) => (c ?? "") === (raw.cells[i] ?? ""));
    if (!same) {
      const message = `${t.table}.${key} is printed twice with different values${placeText(prev.place)}${placeText(o.place)}: both are set to null`;
      map.set(key, { cells: raw.cells.map(() => null), refs: raw.cells.map(() => undefined), place: o.place, reason: { code: "row.printedTwice", message } });
    }
  }

  // ---- labels

  private target(label: string): { target: Target; score: number } | null {
    const a = ACTIVE_MATCHER.match(label);
    const r = REQUEST_MATCHER.match(label);
    if (r && (!a || r.score >= a.score)) return { target: { table: "requests", key: r.key }, score: r.score };
    if (a) {
      const def = this.activeDefs.find((d) => d.key === a.key);
      if (!def) return null; // a 2019-only row in a 2021 table 2: reported as unread
      return { target: { table: "active", def }, score: a.score };
    }
    return null;
  }

  /**
   * The labels of two template rows in one label text (1.属于国家秘密2.其他法律行政法规禁止公开),
   * cut at the item numbers inside it, or one a line (行政处罚 / 行政强制); null when it holds one (a group label and its row:
   * （三）不予公开1.属于国家秘密, （六）其他处理1.申请人…).
   */
  private twoRowLabels(label: string): string[] | null {
    // Lines of one label cell that each name a row of their own (行政处罚 / 行政强制): two
    // rows' labels in one cell, where a page's rule between them was not seen (chromium's
    // landscape print of a page whose row under it is blank).
    const lines = label.split("\n").map((l) => l.trim()).filter((l) => l.length >= 2);
    if (lines.length >= 2) {
      const named = new Map<string, string>();
      for (const l of lines) {
        const m = this.target(l);
        if (m && m.score >= SURE && !named.has(describe(m.target))) named.set(describe(m.target), l);
      }
      if (named.size >= 2) return [...named.values()];
    }
    if (!INNER_ITEM.test(label)) return null;
    const parts = label.split(ITEM_CUT).filter((p) => p.length >= 4);
    if (parts.length < 2) return null;
    const found = new Map<string, string>();
    for (const p of parts) {
      const m = this.target(p);
      if (m && m.score >= SURE && !found.has(describe(m.target))) found.set(describe(m.target), p);
    }
    if (found.has("requests.other") && [...found.keys()].some((k) => k.startsWith("requests.other."))) found.delete("requests.other");
    return found.size >= 2 ? [...found.values()] : null;
  }

  /** Try label readings from the most specific (the last cell) to the widest. */
  private resolve(candidates: string[]): { target: Target; score: number; label: string } | null {
    let best: { target: Target; score: number; label: string } | null = null;
    for (const c of candidates) {
      const m = this.target(c);
      if (!m) continue;
      if (m.score >= SURE) return { target: m.target, score: m.score, label: c };
      if (!best || m.score > best.score) best = { target: m.target, score: m.score, label: c };
    }
    return best;
  }

  /**
   * Another complete row label among the pending lines before the one that matched (a
   * group label of the matched row, such as （六）其他处理 over other.*, does not count).
   */
  private rivalLabel(m: { target: Target; label: string }): string | null {
    const used = this.pendingCandidates([]).indexOf(m.label) + 1; // lines the match took
    const earlier = this.pending.slice(0, Math.max(0, this.pending.length - used));
    for (let i = 0; i < earlier.length; i++)
      for (let j = i + 1; j <= earlier.length; j++) {
        const t = this.target(earlier.slice(i, j).reduce(joinWrapped, ""));
        if (!t || t.score < SURE) continue;
        const key = describe(t.target);
        if (key === describe(m.target)) continue;
        if (key === "requests.other" && describe(m.target).startsWith("requests.other.")) continue;
        return earlier.slice(i, j).join("");
      }
    return null;
  }

  /** A label waiting for its numbers (the last PENDING_KEPT kept). */
  private addPending(label: string): void {
    this.pending.push(label);
    if (this.pending.length > PENDING_KEPT) this.pending.shift();
  }

  /** The waiting labels joined, last line first, then the last two, ...; `tail` appended. */
  private pendingCandidates(tail: string[]): string[] {
    const out: string[] = [];
    for (let k = 1; k <= Math.min(this.pending.length, PENDING_JOINED); k++) {
      const joined = this.pending.slice(this.pending.length - k).reduce(joinWrapped, "");
      out.push(tail.length ? joinWrapped(joined, tail.join("")) : joined);
    }
    return out;
  }

  /** The held row is not continued: its numbers are not read (said so where it stands in tables 2 to 4). */
  private dropUnmatched(): void {
    if (!this.unmatched) return;
    const { labels, values, row } = this.unmatched;
    this.unmatched = null;
    if (row.section !== null && row.section >= 2 && row.section <= 4 && values.some((v) => !isBlank(v)) && labels.join("").length <= UNMATCHED_LABEL_MAX)
      this.notes.add("row.unmatched", "warning", `row "${labels.join(" ")}" matches no template row; its values were not read${placeText(row.place)}`, { place: rowPlace(row.place) });
  }
}

const TEMPLATE_BY: Record<Exclude<TablesResult["templateBy"], "table2">, string> = {
  rows: "table 2's rows",
  citation: "the template cited in the text",
  year: "the report's year",
  default: "default",
};

/** Table 2's money columns, by key, and the words their header starts with. */
const MONEY_HEADERS: [string, string][] = [
  ["amountYuan", "采购总金额"],
  ["amountWanYuan", "收费金额"],
];
/** A unit in brackets after a header's words: （万元）, (单位：元). */
const HEADER_UNIT = /^[^()]{0,4}\((?:单位:?)?(万元|元)\)/;

/**
 * The unit each money column's header prints (采购总金额（万元）, 本年收费金额（单位：元）), for
 * cells that print none. A column whose headers print two units gets none.
 */
export function headerUnits(blocks: Block[]): Partial<Record<string, Unit>> {
  const found = new Map<string, Set<Unit>>();
  for (const b of blocks) {
    if (b.kind !== "table") continue;
    for (const row of b.rows)
      for (const c of row) {
        if (c.text.length > 40 || !c.text.includes("金额")) continue;
        const t = fold(c.text);
        for (const [col, words] of MONEY_HEADERS) {
          const at = t.indexOf(words);
          if (at === -1) continue;
          const u = HEADER_UNIT.exec(t.slice(at + words.length));
          if (!u) continue;
          if (!found.has(col)) found.set(col, new Set());
          found.get(col)!.add(unitPrinted(u[1])!);
        }
      }
  }
  const out: Partial<Record<string, Unit>> = {};
  for (const [col, units] of found) if (units.size === 1) out[col] = [...units][0];
  return out;
}

/** Why a row of converter-ordered text over several blocks is in doubt (row.lineOrder). */
const SPREAD_OVER_BLOCKS =
  "its numbers stand in several blocks of text that does not keep the page's order (pdftotext without -layout writes a row's cells block by block, not always left to right)";

/** Table 3 rows of converter-ordered text read from several blocks that the arithmetic does not confirm: null, said. */
function confirmSpreadRows(raw: Map<string, RawRow>, spread: Set<string>): void {
  for (const key of unconfirmed(raw, spread)) {
    const row = raw.get(key)!;
    const message = `requests.${key}: ${SPREAD_OVER_BLOCKS}, and table 3's arithmetic does not confirm their columns${placeText(row.place)}; the row is read as null`;
    raw.set(key, nullRow(row.cells.length, row.place, { code: "row.lineOrder", message }));
  }
}

/**
 * Map a document's tables onto the template. `provenance` is where the cells' entries go
 * (the pipeline passes the metadata's, so the record's map is filled once, not copied).
 */
export function mapTables(doc: Document, year: number | null, provenance: Record<string, ProvenanceEntry> = {}): TablesResult {
  const notes = new Notes();
  const { template, by } = detectTemplate(doc.blocks, year);
  const activeDefs = template === "2021" ? ACTIVE_2021 : ACTIVE_2019;
  const mapper = new RowMapper(activeDefs, notes);
  // Converter markdown's detached labels joined to their numbers, then digits run together
  // cut by the template's arithmetic, before rows are matched.
  const split = splitRunTogether(attachLabelsBelow(doc).doc, activeDefs);
  for (const n of split.notes) notes.add(n.code, n.severity, n.message, { key: n.key });
  for (const row of tableRows(split.doc.blocks)) mapper.step(row);
  mapper.end();
  confirmSpreadRows(mapper.requestRaw, mapper.spread);

  const active = assembleActive(activeDefs, mapper.activeRaw, provenance, notes, headerUnits(split.doc.blocks));
  const requests = assembleRequests(template, mapper.requestRaw, provenance, notes);
  const reviews = assembleReviews(mapper.reviewsRaw, provenance, notes);
  if (by !== "table2" && mapper.rowsFound > 0)
    notes.add("template.inferred", "warning", `template ${template} decided by ${TEMPLATE_BY[by]}: table 2's column headers were not found`, { key: "template" });
  return { template, templateBy: by, active, requests, reviews, rowsFound: mapper.rowsFound, provenance, diagnostics: notes.list };
}
