// The record v2 fields the store, the exports and the report read (provenance,
// diagnostics), through one small typed accessor. It tolerates a v1 record (no
// provenance; `warnings: string[]`), so records stored before v2 still load, and each
// old warning becomes a diagnostic with the code `note.legacy`.
import type { ProvenanceEntry, RecordDiagnostic, RecordPlace } from "../model/provenance.js";
import type { ReportRecord } from "../model/record.js";
import { cellsOf } from "../model/cells.js";

type AnyRecord = ReportRecord & { provenance?: Record<string, ProvenanceEntry>; diagnostics?: RecordDiagnostic[]; warnings?: string[] };

/** How and where the cell `key` (e.g. `requests.granted.total`) was read, when the record says. */
export function provenanceOf(r: ReportRecord, key: string): ProvenanceEntry | undefined {
  return (r as AnyRecord).provenance?.[key];
}

/** The record's notes as diagnostics (a v1 record's warnings as `note.legacy`). */
export function diagnosticsOf(r: ReportRecord): RecordDiagnostic[] {
  const a = r as AnyRecord;
  if (Array.isArray(a.diagnostics)) return a.diagnostics;
  return (a.warnings ?? []).map((message) => ({ code: "note.legacy", severity: "warning" as const, message }));
}

/** A place as the store's columns: page, box (JSON), table_no, row_no, col_no, line. */
export function placeColumns(p: RecordPlace | undefined): [number | null, string | null, number | null, number | null, number | null, number | null] {
  if (!p) return [null, null, null, null, null, null];
  return [p.page ?? null, p.box ? JSON.stringify(p.box) : null, p.table ?? null, p.row ?? null, p.col ?? null, p.line ?? null];
}

/**
 * The cells a record could not read: null, and not a cell the document prints blank (a
 * blank is null too, with an `info` note: nothing is wrong). What "needs a look" counts,
 * on the quality page and the review page alike.
 */
export function unreadCells(r: ReportRecord): string[] {
  const prov = (r as AnyRecord).provenance;
  const out: string[] = [];
  for (const [t, row, c, v] of cellsOf(r)) {
    if (v !== null) continue;
    const key = `${t}.${row}.${c}`;
    if (prov?.[key]?.status !== "blank") out.push(key);
  }
  return out;
}
