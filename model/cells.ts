// Cell keys of the contract (docs/record.md, "Cell keys"): every value of a record,
// named `table.row.column`. The store's cells, the wide view and every export list
// cells through these two functions, so they agree on names and order.
import { ACTIVE_2019, ACTIVE_2021, REQUEST_ROW_DEFS } from "../data/template.js";
import { REQUEST_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS } from "../data/keys.js";
import type { ReportRecord } from "./record.js";

/** Every cell of a record as (table, row, column, value), in the contract's order. */
export function cellsOf(r: ReportRecord): [string, string, string, number | null][] {
  const out: [string, string, string, number | null][] = [];
  for (const [row, cols] of Object.entries(r.active)) for (const [col, v] of Object.entries(cols)) out.push(["active", row, col, v as number | null]);
  for (const [row, values] of Object.entries(r.requests)) values.forEach((v, i) => out.push(["requests", row, REQUEST_COLUMNS[i], v]));
  for (const g of REVIEW_GROUPS) for (const c of REVIEW_COLUMNS) out.push(["reviews", g, c, r.reviews[g][c]]);
  return out;
}

/** Every cell column a wide row can have, both templates, both forms of （六）. */
export function wideColumns(): string[] {
  const cols: string[] = [];
  const active = new Map<string, Set<string>>();
  for (const d of [...ACTIVE_2021, ...ACTIVE_2019]) {
    const s = active.get(d.key) ?? new Set<string>();
    d.columns.forEach((c) => s.add(c));
    active.set(d.key, s);
  }
  for (const [row, set] of active) for (const c of set) cols.push(`active.${row}.${c}`);
  for (const { key } of REQUEST_ROW_DEFS) for (const c of REQUEST_COLUMNS) cols.push(`requests.${key}.${c}`);
  for (const g of REVIEW_GROUPS) for (const c of REVIEW_COLUMNS) cols.push(`reviews.${g}.${c}`);
  return cols;
}


/** A cell key's parts: `requests.denied.stateSecret.total` → requests / denied.stateSecret / total. */
export function splitCellKey(key: string): { table: string; row: string; column: string } {
  const first = key.indexOf(".");
  const last = key.lastIndexOf(".");
  return { table: key.slice(0, first), row: key.slice(first + 1, last), column: key.slice(last + 1) };
}

/** Every cell of a record by its key. */
export function cellMap(r: ReportRecord): Map<string, number | null> {
  return new Map(cellsOf(r).map(([t, row, c, v]) => [`${t}.${row}.${c}`, v]));
}

/** Sets one cell of a record by its key (the record's own shape: active rows, requests arrays, reviews groups). */
export function setCell(r: ReportRecord, key: string, value: number | null): void {
  const { table, row, column } = splitCellKey(key);
  if (table === "requests") {
    const i = (REQUEST_COLUMNS as readonly string[]).indexOf(column);
    if (i < 0 || !r.requests[row]) throw new Error(`no cell ${key} in this record`);
    r.requests[row][i] = value;
    return;
  }
  const group = (table === "active" ? r.active : table === "reviews" ? r.reviews : undefined) as Record<string, Record<string, number | null>> | undefined;
  if (!group?.[row] || !(column in group[row])) throw new Error(`no cell ${key} in this record`);
  group[row][column] = value;
}
