// A record as the store writes it: its JSON text and the values of its rows (cells,
// sections, checks, diagnostics), made once. The parse worker makes it beside the record
// (src/parse-worker.ts), so the writer's thread, the one that limits a batch, neither
// serialises the record nor walks its 200 provenance entries, and the record itself does
// not cross between threads: a string and flat arrays of numbers and strings copy far
// faster than the record's thousands of small objects (src/parse-pool.ts).
//
// Rows are flat: `cells` holds CELL_WIDTH values per cell, one after another, in the
// columns the store names (CELL_COLUMNS without report_id, which the store adds).
import { cellsOf } from "../model/cells.js";
import type { Region, ReportRecord } from "../model/record.js";
import type { RecordPlace } from "../model/provenance.js";
import { diagnosticsOf, placeColumns, provenanceOf } from "./record-access.js";

type Value = string | number | null;

/** The columns of `cells` a stored form gives values for (report_id is the store's). */
export const CELL_COLUMNS = ["tbl", "row", "col", "value", "status", "text", "page", "box", "table_no", "row_no", "col_no", "line"] as const;
export const SECTION_COLUMNS = ["number", "title", "text"] as const;
export const CHECK_COLUMNS = ["rule", "severity", "message", "where_"] as const;
export const DIAGNOSTIC_COLUMNS = ["code", "severity", "key", "message", "page", "box", "table_no", "row_no", "col_no", "line"] as const;

export interface StoredForm {
  /** JSON.stringify(record): the reports row's record_json. */
  json: string;
  /** What the reports row keeps in its own columns. */
  head: {
    format: string;
    template: string;
    organ: string | null;
    year: number | null;
    publishedOn: string | null;
    region: Region | null;
  };
  /** Row values, flat, in the order of the *_COLUMNS above. */
  cells: Value[];
  sections: Value[];
  checks: Value[];
  diagnostics: Value[];
}

/** The stored form of a record. Pure: the same record gives the same form on any thread. */
export function storedForm(r: ReportRecord): StoredForm {
  const cells: Value[] = [];
  for (const [tbl, row, col, v] of cellsOf(r)) {
    const p = provenanceOf(r, cellKey(tbl, row, col));
    cells.push(tbl, row, col, v, p?.status ?? null, p?.text ?? null);
    pushPlace(cells, p?.place);
  }
  const sections: Value[] = [];
  for (const s of r.sections) sections.push(s.number, s.title, s.text);
  const checks: Value[] = [];
  for (const c of r.checks) checks.push(c.rule, c.severity, c.message, c.where);
  const diagnostics: Value[] = [];
  for (const d of diagnosticsOf(r)) diagnostics.push(d.code, d.severity, d.key ?? null, d.message, ...placeColumns(d.place));
  return {
    json: JSON.stringify(r),
    head: {
      format: r.source.format,
      template: r.template,
      organ: r.organ,
      year: r.year,
      publishedOn: r.publishedOn,
      region: r.region,
    },
    cells,
    sections,
    checks,
    diagnostics,
  };
}

/** Pushes placeColumns(p) onto `out`, one by one (a record has 200 cells). */
function pushPlace(out: Value[], p: RecordPlace | undefined): void {
  if (!p) out.push(null, null, null, null, null, null);
  else out.push(...placeColumns(p));
}

// Cell keys (`requests.granted.total`) come from one small set, the template's: each is
// made once and kept, so looking a cell's provenance up hashes a string already hashed
// rather than a new one (200 cells a record, on the thread that parses).
const keys = new Map<string, Map<string, Map<string, string>>>();
function cellKey(tbl: string, row: string, col: string): string {
  let rows = keys.get(tbl);
  if (!rows) keys.set(tbl, (rows = new Map()));
  let cols = rows.get(row);
  if (!cols) {
    if (rows.size >= 1000) rows.clear(); // a record of v1 or a hostile one: never more than the template's rows kept
    rows.set(row, (cols = new Map()));
  }
  let key = cols.get(col);
  if (key === undefined) cols.set(col, (key = `${tbl}.${row}.${col}`));
  return key;
}

/** The rule of every check of a stored form, in order. */
export function checkRules(form: StoredForm): string[] {
  const out: string[] = [];
  for (let i = 0; i < form.checks.length; i += CHECK_COLUMNS.length) out.push(form.checks[i] as string);
  return out;
}

/**
 * Gives `to` the record of `from` as a property read only when asked: a worker's outcome
 * parses its JSON then, and most callers (a batch's summary) never ask.
 */
export function withRecordOf<T extends object>(to: T, from: { readonly record: ReportRecord }): T & { record: ReportRecord } {
  return Object.defineProperty(to, "record", { get: () => from.record, enumerable: true, configurable: true }) as T & { record: ReportRecord };
}
