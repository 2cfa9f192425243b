// Mapping the document's tables onto the template: written once, for every format.
// Rows are read by their labels, not by position, so a table split across pages, rows
// glued to group labels, header rows repeated or tables cut in pieces all read alike.
// A row's values are fitted to the template's column count; where the text cannot say
// which cell is which (a shifted row, a vanished blank), the values are null and a
// warning says why. Nothing is guessed.
import type { Block, Document, Place } from "../model/document.js";
import {
  ACTIVE_2019,
  ACTIVE_2021,
  ACTIVE_HEADERS,
  REQUEST_ROW_DEFS,
  REVIEW_HEADERS,
  SECTION_TITLES,
  TEMPLATE_CITATIONS,
  type ActiveRowDef,
} from "../data/template.js";
import {
  OTHER_ROW_2019,
  OTHER_ROWS_2021,
  REQUEST_COLUMNS,
  REQUEST_ROWS,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
  type Active2019,
  type Active2021,
  type Requests,
  type Reviews,
  type Template,
} from "../model/record.js";
import { hasWord, LabelMatcher } from "./labels.js";
import { cleanText, fold, ITEM_NUMBER, joinWrapped } from "../model/text.js";
import { sectionHeading } from "../model/sections.js";
import { isBlank, isValueLike, readCell, type ValueKind } from "./values.js";
import { splitRunTogether } from "./split-hook.js";
import { attachLabelsBelow } from "./detached.js";

export interface TablesResult {
  template: Template;
  /** How the template was decided, for the warnings when it was not from table 2. */
  templateBy: "table2" | "rows" | "citation" | "year" | "default";
  active: Active2021 | Active2019;
  requests: Requests;
  reviews: Reviews;
  /** Template rows found in the document (0 means no report tables at all). */
  rowsFound: number;
  warnings: string[];
}

interface RowView {
  cells: string[];
  exact: boolean;
  place: Place;
  section: number | null;
}

type Target =
  | { table: "active"; def: ActiveRowDef }
  | { table: "requests"; key: string }
  | { table: "reviews" };

interface OpenRow {
  target: Target;
  values: string[];
  expected: number;
  exact: boolean;
  place: Place;
}

const ACTIVE_MATCHER = new LabelMatcher([...ACTIVE_2021, ...ACTIVE_2019.filter((d) => !ACTIVE_2021.some((e) => e.key === d.key))]);
const REQUEST_MATCHER = new LabelMatcher(REQUEST_ROW_DEFS);
export function placeText(p: Place | undefined): string {
  if (!p) return "";
  const parts: string[] = [];
  if (p.page !== undefined) parts.push(`page ${p.page}`);
  if (p.line !== undefined) parts.push(`line ${p.line}`);
  if (p.table !== undefined) parts.push(`document table ${p.table + 1}`);
  if (p.row !== undefined) parts.push(`row ${p.row + 1}`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

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

/** Flatten the document's tables into rows, each knowing the section it stands in. */
function tableRows(blocks: Block[]): RowView[] {
  const rows: RowView[] = [];
  let section: number | null = null;
  let tableIndex = 0;
  for (const b of blocks) {
    if (b.kind === "paragraph") {
      const h = sectionHeading(b.text);
      if (h) section = h.number;
      continue;
    }
    b.rows.forEach((row, r) => {
      const place: Place = { ...(b.place ?? {}), ...(row[0]?.place ?? {}), table: tableIndex, row: r };
      delete place.box;
      rows.push({ cells: row.map((c) => cleanText(c.text).trim()), exact: b.exactGrid, place, section });
    });
    tableIndex++;
  }
  return rows;
}

/** Split a row into its label cells and its value cells. */
function splitRow(cells: string[]): { labels: string[]; values: string[] } {
  const firstValue = cells.findIndex(isValueLike);
  const end = firstValue === -1 ? cells.length : firstValue;
  let lastLabel = -1;
  for (let i = 0; i < end; i++) if (!isBlank(cells[i])) lastLabel = i;
  const labels = cells.slice(0, lastLabel + 1).filter((c) => !isBlank(c));
  if (firstValue === -1 && lastLabel === -1) return { labels: [], values: [] };
  return { labels, values: cells.slice(lastLabel + 1) };
}

/**
 * Fit printed value cells to the template's column count. Extra cells may only be
 * blanks at the ends (a shifted row, a merged label's placeholder, a spanned value);
 * if more than one way of dropping them is possible and the ways disagree, the row
 * cannot be read.
 */
export function fitValues(values: string[], expected: number): { cells: string[] } | { problem: string } {
  if (values.length === expected) return { cells: values };
  if (values.length < expected)
    return { problem: `${values.length} value cell${values.length === 1 ? "" : "s"} where ${expected} are expected; which are missing cannot be told` };
  const excess = values.length - expected;
  let lead = 0;
  while (lead < values.length && isBlank(values[lead])) lead++;
  let trail = 0;
  while (trail < values.length && isBlank(values[values.length - 1 - trail])) trail++;
  const options: string[][] = [];
  for (let k = Math.max(0, excess - trail); k <= Math.min(excess, lead); k++) options.push(values.slice(k, k + expected));
  if (options.length === 0)
    return { problem: `${values.length} value cells where ${expected} are expected, and the extra cells are not blank` };
  const distinct = new Set(options.map((o) => o.map((c) => (isBlank(c) ? "" : c)).join("\u0001")));
  if (distinct.size === 1) return { cells: options[0] };
  return {
    problem: `${values.length} cells where ${expected} are expected, with blanks at both ends; which blank is a value cannot be told`,
  };
}

export function mapTables(doc: Document, year: number | null): TablesResult {
  const warnings: string[] = [];
  const { template, by } = detectTemplate(doc.blocks, year);
  const activeDefs = template === "2021" ? ACTIVE_2021 : ACTIVE_2019;
  // Hook (inputs): digits run together are cut by the template's arithmetic first.
  const split = splitRunTogether(attachLabelsBelow(doc).doc, activeDefs);
  warnings.push(...split.notes.map((n) => n.message));
  const rows = tableRows(split.doc.blocks);

  const activeRaw = new Map<string, { cells: (string | null)[]; place: Place }>();
  const requestRaw = new Map<string, { cells: (string | null)[]; place: Place }>();
  let reviewsRaw: { cells: (string | null)[]; place: Place } | null = null;
  let rowsFound = 0;

  let open: OpenRow | null = null;
  let pending: string[] = [];
  let reviewContext = false;

  const store = (o: OpenRow, cells: (string | null)[]) => {
    rowsFound++;
    const t = o.target;
    if (t.table === "reviews") {
      if (reviewsRaw) warnings.push(`table 4 printed twice${placeText(o.place)}: the first one is kept`);
      else reviewsRaw = { cells, place: o.place };
      return;
    }
    const map = t.table === "active" ? activeRaw : requestRaw;
    const key = t.table === "active" ? t.def.key : t.key;
    const prev = map.get(key);
    if (!prev) {
      map.set(key, { cells, place: o.place });
      return;
    }
    const same = prev.cells.length === cells.length && prev.cells.every((c, i) => (c ?? "") === (cells[i] ?? ""));
    if (!same) {
      warnings.push(
        `${t.table}.${key} is printed twice with different values${placeText(prev.place)}${placeText(o.place)}: both are set to null`,
      );
      map.set(key, { cells: cells.map(() => null), place: o.place });
    }
  };

  const finish = (o: OpenRow | null) => {
    if (!o) return;
    const fitted = fitValues(o.values, o.expected);
    const where = o.target.table === "active" ? `active.${o.target.def.key}` : o.target.table === "requests" ? `requests.${o.target.key}` : "reviews";
    if ("problem" in fitted) {
      warnings.push(`${where}: ${fitted.problem}${placeText(o.place)}; the row is read as null`);
      store(o, new Array(o.expected).fill(null));
      return;
    }
    store(o, fitted.cells);
  };

  const expectedOf = (t: Target) =>
    t.table === "active" ? t.def.columns.length : t.table === "requests" ? REQUEST_COLUMNS.length : 15;

  const target = (label: string): { target: Target; score: number } | null => {
    const a = ACTIVE_MATCHER.match(label);
    const r = REQUEST_MATCHER.match(label);
    if (r && (!a || r.score >= a.score)) return { target: { table: "requests", key: r.key }, score: r.score };
    if (a) {
      const def = activeDefs.find((d) => d.key === a.key);
      if (!def) return null; // a 2019-only row in a 2021 table 2: reported below as unread
      return { target: { table: "active", def }, score: a.score };
    }
    return null;
  };

  /** Try label readings from the most specific (the last cell) to the widest. */
  const resolve = (candidates: string[]): { target: Target; score: number; label: string } | null => {
    let best: { target: Target; score: number; label: string } | null = null;
    for (const c of candidates) {
      const m = target(c);
      if (!m) continue;
      if (m.score >= 0.9) return { ...m, label: c };
      if (!best || m.score > best.score) best = { ...m, label: c };
    }
    return best;
  };

  /**
   * Another complete row label among the pending lines before the one that matched (a
   * group label of the matched row, such as （六）其他处理 over other.*, does not count).
   */
  const rivalLabel = (m: { target: Target; label: string }): string | null => {
    const used = pendingCandidates([]).indexOf(m.label) + 1; // lines the match took
    const earlier = pending.slice(0, Math.max(0, pending.length - used));
    for (let i = 0; i < earlier.length; i++)
      for (let j = i + 1; j <= earlier.length; j++) {
        const t = target(earlier.slice(i, j).reduce(joinWrapped, ""));
        if (!t || t.score < 0.9) continue;
        const key = describe(t.target);
        if (key === describe(m.target)) continue;
        if (key === "requests.other" && describe(m.target).startsWith("requests.other.")) continue;
        return earlier.slice(i, j).join("");
      }
    return null;
  };

  /** A label waiting for its numbers (the last 12 kept). */
  const addPending = (label: string) => {
    pending.push(label);
    if (pending.length > 12) pending.shift();
  };

  const pendingCandidates = (tail: string[]): string[] => {
    const out: string[] = [];
    for (let k = 1; k <= Math.min(pending.length, 6); k++) {
      const joined = pending.slice(pending.length - k).reduce(joinWrapped, "");
      out.push(tail.length ? joinWrapped(joined, tail.join("")) : joined);
    }
    return out;
  };

  // A row with numbers whose label matches no template row, kept one row: the next row may
  // be the rest of its label alone (a label cut by a page break after its numbers).
  let unmatched: { labels: string[]; values: string[]; row: RowView } | null = null;
  const dropUnmatched = () => {
    if (!unmatched) return;
    const { labels, values, row } = unmatched;
    unmatched = null;
    if (row.section !== null && row.section >= 2 && row.section <= 4 && values.some((v) => !isBlank(v)) && labels.join("").length <= 40)
      warnings.push(`row "${labels.join(" ")}" matches no template row; its values were not read${placeText(row.place)}`);
  };

  for (const row of rows) {
    const { labels, values } = splitRow(row.cells);
    if (labels.length === 0 && values.length === 0) continue;
    if (unmatched) {
      const rest = labels.join("");
      const held: { labels: string[]; values: string[]; row: RowView } = unmatched;
      if (labels.length > 0 && values.every(isBlank) && !ITEM_NUMBER.test(rest)) {
        const m = resolve([joinWrapped(held.labels[held.labels.length - 1], rest), joinWrapped(held.labels.join(""), rest)]);
        if (m && m.score >= 0.9) {
          unmatched = null;
          finish(open);
          open = { target: m.target, values: [...held.values], expected: expectedOf(m.target), exact: held.row.exact, place: held.row.place };
          finish(open);
          open = null;
          continue;
        }
      }
      dropUnmatched();
    }
    const rowText = row.cells.join("");
    if (REVIEW_HEADERS.some((w) => rowText.includes(w))) reviewContext = true;

    if (labels.length > 0 && values.length === 0) {
      // A header row, a group label, or a label wrapped before its numbers. Either way the
      // open row is over: numbers after a new label never continue an earlier row.
      finish(open);
      open = null;
      addPending(labels.join(""));
      continue;
    }

    if (labels.length === 0) {
      // Numbers with no label: the rest of a wrapped row, table 4's data row, or a row
      // whose label was wrapped onto lines of its own.
      if (open && open.values.length < open.expected && !row.exact) {
        open.values.push(...values);
        if (open.values.length >= open.expected) {
          finish(open);
          open = null;
        }
        continue;
      }
      finish(open);
      open = null;
      const nonBlank = values.filter((v) => !isBlank(v)).length;
      const inReviews = row.section === 4 || (row.section === null && reviewContext);
      const viaPending = pending.length && !inReviews ? resolve(pendingCandidates([])) : null;
      const rival = viaPending ? rivalLabel(viaPending) : null;
      if (viaPending && rival) {
        // Text that lists several row labels and then numbers (pdftotext reorders cells):
        // which label owns the numbers cannot be told.
        warnings.push(
          `numbers "${values.join(" ")}" follow several row labels ("${rival}", "${viaPending.label}"); which row they belong to cannot be told, so they were not read${placeText(row.place)}`,
        );
        pending = [];
        continue;
      }
      if (viaPending) {
        open = { target: viaPending.target, values: [...values], expected: expectedOf(viaPending.target), exact: row.exact, place: row.place };
      } else if (inReviews || nonBlank >= 15) {
        open = { target: { table: "reviews" }, values: [...values], expected: 15, exact: row.exact, place: row.place };
      } else {
        warnings.push(`numbers without a row label were not read: "${values.join(" ")}"${placeText(row.place)}`);
        pending = [];
        continue;
      }
      pending = [];
      if (open.values.length >= open.expected || row.exact) {
        finish(open);
        open = null;
      }
      continue;
    }

    // A label with values.
    finish(open);
    open = null;
    const last = labels[labels.length - 1];
    const candidates = [last, labels.join(""), ...pendingCandidates(labels)];
    const m = resolve(candidates);
    if (!m && values.every(isBlank)) {
      // No template row, and no numbers: the first part of a label cut off from its
      // numbers (a row split by a page break), as a label-only row would be.
      addPending(labels.join(""));
      continue;
    }
    pending = [];
    if (!m) {
      const nonBlank = values.filter((v) => !isBlank(v)).length;
      if ((row.section === 4 || reviewContext) && nonBlank >= 15 && !reviewsRaw) {
        open = { target: { table: "reviews" }, values: [...values], expected: 15, exact: row.exact, place: row.place };
        finish(open);
        open = null;
      } else if (nonBlank > 0) unmatched = { labels, values, row };
      continue;
    }
    open = { target: m.target, values: [...values], expected: expectedOf(m.target), exact: row.exact, place: row.place };
    if (m.score < 0.9) warnings.push(`row label "${labels.join("")}" read as ${describe(m.target)} (similar, not equal)${placeText(row.place)}`);
    if (open.values.length >= open.expected || row.exact) {
      finish(open);
      open = null;
    }
  }
  dropUnmatched();
  finish(open);

  // ---- assemble, reading every cell ----
  const active = assembleActive(activeDefs, activeRaw, warnings);
  const requests = assembleRequests(template, requestRaw, warnings);
  const reviews = assembleReviews(reviewsRaw, warnings);
  if (by !== "table2" && rowsFound > 0)
    warnings.push(`template ${template} decided by ${by === "rows" ? "table 2's rows" : by === "citation" ? "the template cited in the text" : by === "year" ? "the report's year" : "default"}: table 2's column headers were not found`);
  return { template, templateBy: by, active, requests, reviews, rowsFound, warnings };
}

function describe(t: Target): string {
  return t.table === "active" ? `active.${t.def.key}` : t.table === "requests" ? `requests.${t.key}` : "reviews";
}

function read(text: string | null, kind: ValueKind, where: string, warnings: string[], unit?: "wanYuan" | "yuan"): number | null {
  if (text === null) return null;
  const r = readCell(text, kind, unit);
  if (r.note) warnings.push(`${where}: ${r.note}${r.value === null ? "; read as null" : ""}`);
  return r.value;
}

function assembleActive(
  defs: ActiveRowDef[],
  raw: Map<string, { cells: (string | null)[]; place: Place }>,
  warnings: string[],
): Active2021 | Active2019 {
  const out: Record<string, Record<string, number | null>> = {};
  for (const def of defs) {
    const row = raw.get(def.key);
    if (!row) warnings.push(`active.${def.key}: row not found in table 2; its values are null`);
    out[def.key] = {};
    def.columns.forEach((col, i) => {
      const where = `active.${def.key}.${col}`;
      const unit = def.units?.[col];
      const kind: ValueKind = unit ? "amount" : col === "change" ? "signed" : "count";
      out[def.key][col] = row ? read(row.cells[i], kind, where, warnings, unit) : null;
    });
  }
  return out as unknown as Active2021 | Active2019;
}

function assembleRequests(template: Template, raw: Map<string, { cells: (string | null)[]; place: Place }>, warnings: string[]): Requests {
  const hasOne = raw.has(OTHER_ROW_2019);
  const hasThree = OTHER_ROWS_2021.some((k) => raw.has(k));
  let otherRows: string[];
  if (hasOne && hasThree) {
    warnings.push("requests: （六）其他处理 is printed both as one row and as three; the three rows are kept");
    otherRows = [...OTHER_ROWS_2021];
  } else if (hasOne) otherRows = [OTHER_ROW_2019];
  else if (hasThree) otherRows = [...OTHER_ROWS_2021];
  else otherRows = template === "2019" ? [OTHER_ROW_2019] : [...OTHER_ROWS_2021];

  const keys = [...REQUEST_ROWS.slice(0, REQUEST_ROWS.indexOf("total")), ...otherRows, "total", "carriedForward"];
  const out: Requests = {};
  const missing: string[] = [];
  for (const key of keys) {
    const row = raw.get(key);
    if (!row) missing.push(key);
    out[key] = REQUEST_COLUMNS.map((col, i) => (row ? read(row.cells[i], "count", `requests.${key}.${col}`, warnings) : null));
  }
  if (missing.length === keys.length) warnings.push("requests: table 3 not found; all its values are null");
  else for (const k of missing) warnings.push(`requests.${k}: row not found in table 3; its values are null`);
  return out;
}

function assembleReviews(raw: { cells: (string | null)[]; place: Place } | null, warnings: string[]): Reviews {
  if (!raw) warnings.push("reviews: table 4's data row not found; all its values are null");
  const out: Record<string, Record<string, number | null>> = {};
  REVIEW_GROUPS.forEach((g, gi) => {
    out[g] = {};
    REVIEW_COLUMNS.forEach((c, ci) => {
      out[g][c] = raw ? read(raw.cells[gi * 5 + ci], "count", `reviews.${g}.${c}`, warnings) : null;
    });
  });
  return out as unknown as Reviews;
}
