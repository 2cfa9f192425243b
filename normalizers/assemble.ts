// The last step of the mapping: each template row's raw cells read into the record's
// values, with the provenance of every cell key (text, status, place) and a diagnostic
// for every note, every null value among them (docs/record.md).
import type { ActiveRowDef } from "../data/template.js";
import type { Cell, Place } from "../model/document.js";
import { OTHER_ROW_2019, OTHER_ROWS_2021, REQUEST_COLUMNS, REQUEST_ROWS, REVIEW_COLUMNS, REVIEW_GROUPS } from "../data/keys.js";
import type { Active2019, Active2021, Requests, Reviews, Template } from "../model/record.js";
import type { DiagnosticSeverity, ProvenanceEntry, RecordDiagnostic, RecordPlace } from "../model/provenance.js";
import { readCell, type CellReading, type Unit, type ValueKind } from "./values.js";

/** A cell of the document's tables and where it stands (0-based; columns after merged cells are expanded). */
export interface CellRef {
  cell: Cell;
  table: number;
  row: number;
  col: number;
  /** The table's own place (its page, its first line). */
  tablePlace?: Place;
}

/** A template row as found: its value cells' texts (null: not readable) and where each came from. */
export interface RawRow {
  cells: (string | null)[];
  refs: (CellRef | undefined)[];
  place: Place;
  /** Why the cells are null, where the whole row could not be read. */
  reason?: { code: string; message: string };
  /** Why one cell is null where the rest of its row was read (parallel to `cells`). */
  cellReasons?: ({ code: string; message: string } | undefined)[];
}

/** The diagnostics of one mapping, in the order they were made. */
export class Notes {
  readonly list: RecordDiagnostic[] = [];
  add(code: string, severity: DiagnosticSeverity, message: string, at: { key?: string; place?: RecordPlace } = {}): void {
    const d: RecordDiagnostic = { code, severity, message };
    if (at.key !== undefined) d.key = at.key;
    if (at.place !== undefined) d.place = at.place;
    this.list.push(d);
  }
}

/** A document place (0-based table and row) in words, for messages. */
export function placeText(p: Place | undefined): string {
  if (!p) return "";
  const parts: string[] = [];
  if (p.page !== undefined) parts.push(`page ${p.page}`);
  if (p.line !== undefined) parts.push(`line ${p.line}`);
  if (p.table !== undefined) parts.push(`document table ${p.table + 1}`);
  if (p.row !== undefined) parts.push(`row ${p.row + 1}`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

/** A row's document place (0-based table and row) → the record's place (1-based; page and line as they are). */
export function rowPlace(p: Place | undefined): RecordPlace | undefined {
  if (!p) return undefined;
  const out: RecordPlace = {};
  if (p.page !== undefined) out.page = p.page;
  if (p.table !== undefined) out.table = p.table + 1;
  if (p.row !== undefined) out.row = p.row + 1;
  if (p.line !== undefined) out.line = p.line;
  return Object.keys(out).length ? out : undefined;
}

/** Where one cell was read: its page and box (PDF), table/row/col, its line (text). */
export function cellPlace(ref: CellRef): RecordPlace {
  const own = ref.cell.place ?? {};
  const out: RecordPlace = {};
  const page = own.page ?? ref.tablePlace?.page;
  if (page !== undefined) out.page = page;
  if (own.box) out.box = [own.box.x0, own.box.y0, own.box.x1, own.box.y1];
  out.table = ref.table + 1;
  out.row = ref.row + 1;
  out.col = ref.col + 1;
  if (own.line !== undefined) out.line = own.line;
  return out;
}

/** The cell as printed, whitespace collapsed. */
const printed = (text: string) => (HAS_SPACE.test(text) ? text.replace(/\s+/g, " ").trim() : text);
const HAS_SPACE = /\s/;

const SEVERITY: Record<string, DiagnosticSeverity> = {
  "cell.blank": "info",
  "cell.dash": "info",
  "cell.signed": "info",
  "cell.unitConverted": "info",
};

/**
 * Read one cell of a found row (or note why it has no value) into its provenance and,
 * where there is something to say, a diagnostic keyed by the cell.
 */
function readInto(
  row: RawRow | undefined,
  i: number,
  key: string,
  kind: ValueKind,
  missing: { code: string; message: string },
  prov: Record<string, ProvenanceEntry>,
  notes: Notes,
  unit?: Unit,
  headerUnit?: Unit | null,
): number | null {
  const text = row ? row.cells[i] : null;
  const ref = row?.refs[i];
  if (text === null || text === undefined) {
    const reason = row?.cellReasons?.[i] ?? row?.reason ?? missing;
    const place = ref ? cellPlace(ref) : rowPlace(row?.place);
    prov[key] = { text: ref ? printed(ref.cell.text) : "", status: "unreadable", ...(place ? { place } : {}) };
    notes.add(reason.code, "warning", reason.message, { key, ...(place ? { place } : {}) });
    return null;
  }
  const place = ref ? cellPlace(ref) : rowPlace(row!.place);
  const how = ref?.cell.read;
  if (how?.status === "unreadable") {
    // The reader saw something here it could not settle (its own note says why): unread, not blank.
    prov[key] = { text: printed(ref!.cell.text), status: "unreadable", ...(place ? { place } : {}) };
    notes.add("cell.unsettled", "warning", `${key}: the reader could not settle this cell (see the row's note); read as null`, { key, ...(place ? { place } : {}) });
    return null;
  }
  const r: CellReading = readCell(text, kind, unit, headerUnit);
  const entry: ProvenanceEntry = { text: printed(ref ? ref.cell.text : text), status: r.value !== null && how ? how.status : r.status };
  if (place) entry.place = place;
  if (r.value !== null && how?.confidence !== undefined) entry.confidence = how.confidence;
  prov[key] = entry;
  if (r.note) notes.add(r.code ?? "cell.note", SEVERITY[r.code ?? ""] ?? "warning", `${key}: ${r.note}${r.value === null ? "; read as null" : ""}`, { key, ...(place ? { place } : {}) });
  return r.value;
}

/**
 * The cell keys of a row (`requests.total` → `requests.total.naturalPerson`, …), made once
 * per process: a key string made afresh for each of a record's ~200 cells had to be
 * hashed and interned again at every store into the provenance map.
 */
const rowKeys = new Map<string, Map<readonly string[], Map<string, string[]>>>();
function cellKeys(table: string, row: string, columns: readonly string[]): string[] {
  // By the columns too (the template's own constant lists): table 2's rows have other
  // columns in the 2019 form.
  let byColumns = rowKeys.get(table);
  if (!byColumns) rowKeys.set(table, (byColumns = new Map()));
  let byRow = byColumns.get(columns);
  if (!byRow) byColumns.set(columns, (byRow = new Map()));
  let keys = byRow.get(row);
  if (!keys) byRow.set(row, (keys = columns.map((c) => `${table}.${row}.${c}`)));
  return keys;
}

/**
 * `headerUnits`: the unit a column's header printed (`采购总金额（万元）`), by the column's key
 * (amountYuan), for cells that print none.
 */
export function assembleActive(
  defs: ActiveRowDef[],
  raw: Map<string, RawRow>,
  prov: Record<string, ProvenanceEntry>,
  notes: Notes,
  headerUnits: Partial<Record<string, Unit>> = {},
): Active2021 | Active2019 {
  const out: Record<string, Record<string, number | null>> = {};
  for (const def of defs) {
    const row = raw.get(def.key);
    const missing = { code: "row.missing", message: `active.${def.key}: row not found in table 2; its values are null` };
    out[def.key] = {};
    const keys = cellKeys("active", def.key, def.columns);
    def.columns.forEach((col, i) => {
      const unit = def.units?.[col];
      const kind: ValueKind = unit ? "amount" : col === "change" ? "signed" : "count";
      out[def.key][col] = readInto(row, i, keys[i], kind, missing, prov, notes, unit, headerUnits[col]);
    });
  }
  return out as unknown as Active2021 | Active2019;
}

export function assembleRequests(template: Template, raw: Map<string, RawRow>, prov: Record<string, ProvenanceEntry>, notes: Notes): Requests {
  const hasOne = raw.has(OTHER_ROW_2019);
  const hasThree = OTHER_ROWS_2021.some((k) => raw.has(k));
  let otherRows: string[];
  if (hasOne && hasThree) {
    notes.add("row.bothForms", "warning", "requests: （六）其他处理 is printed both as one row and as three; the three rows are kept", { key: "requests.other" });
    otherRows = [...OTHER_ROWS_2021];
  } else if (hasOne) otherRows = [OTHER_ROW_2019];
  else if (hasThree) otherRows = [...OTHER_ROWS_2021];
  else otherRows = template === "2019" ? [OTHER_ROW_2019] : [...OTHER_ROWS_2021];

  const keys = [...REQUEST_ROWS.slice(0, REQUEST_ROWS.indexOf("total")), ...otherRows, "total", "carriedForward"];
  const none = keys.every((k) => !raw.has(k));
  const out: Requests = {};
  for (const key of keys) {
    const missing = none
      ? { code: "table.missing", message: "requests: table 3 not found; all its values are null" }
      : { code: "row.missing", message: `requests.${key}: row not found in table 3; its values are null` };
    const cells = cellKeys("requests", key, REQUEST_COLUMNS);
    out[key] = REQUEST_COLUMNS.map((_, i) => readInto(raw.get(key), i, cells[i], "count", missing, prov, notes));
  }
  return out;
}

export function assembleReviews(raw: RawRow | null, prov: Record<string, ProvenanceEntry>, notes: Notes): Reviews {
  const missing = { code: "table.missing", message: "reviews: table 4's data row not found; all its values are null" };
  const out: Record<string, Record<string, number | null>> = {};
  REVIEW_GROUPS.forEach((g, gi) => {
    out[g] = {};
    const keys = cellKeys("reviews", g, REVIEW_COLUMNS);
    REVIEW_COLUMNS.forEach((c, ci) => {
      out[g][c] = readInto(raw ?? undefined, gi * REVIEW_COLUMNS.length + ci, keys[ci], "count", missing, prov, notes);
    });
  });
  return out as unknown as Reviews;
}
