// CSV as spreadsheets and R/pandas read it: RFC 4180 fields, and text guarded against
// formula injection (a cell a spreadsheet would run is written with a leading ').
import type { DocumentPlace, ReportRecord } from "../../model/record.js";
import { citationColumns, CITATION_FIELDS } from "../citation.js";

/** RFC 4180: quote fields holding a comma, quote or line break; double the quotes. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A text field for a spreadsheet: one starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return would be run as a formula by Excel, LibreOffice or Google Sheets, so
 * it gets a leading `'` (the usual rule, OWASP's "CSV injection"). Numbers are not text:
 * a negative number in a numeric column is written as it is (csvField).
 */
export function csvText(v: string | null | undefined): string {
  if (v === null || v === undefined) return "";
  return csvField(/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
}

/** A line of fields already written with csvField/csvText. */
export const csvLine = (fields: string[]) => fields.join(",") + "\r\n";

/** A column of a report's identifying fields: header, whether it holds text, and its value (from the record, or its places). */
export type IdColumn = [
  name: string,
  kind: "text" | "number",
  value: (id: number, r: ReportRecord, places?: readonly DocumentPlace[]) => string | number | null | undefined,
];

export const SOURCE_IDS: IdColumn[] = [
  ["report_id", "number", (id) => id],
  ["organ", "text", (_, r) => r.organ],
  ["year", "number", (_, r) => r.year],
  ["region_code", "text", (_, r) => r.region?.code],
  ["province", "text", (_, r) => r.region?.province],
  ["city", "text", (_, r) => r.region?.city],
  ["county", "text", (_, r) => r.region?.county],
  ["template", "text", (_, r) => r.template],
  ["format", "text", (_, r) => r.source.format],
  ["source_path", "text", (_, r) => r.source.path],
  ["source_url", "text", (_, r) => r.source.url],
  ["sha256", "text", (_, r) => r.source.sha256],
];

/** Where the report's documents were seen and where its date was read (src/citation.ts). */
export const CITATION_IDS: IdColumn[] = CITATION_FIELDS.map(({ name, type }) => [
  name,
  type === "integer" ? "number" : "text",
  (_, r, places) => citationColumns(r, places)[name],
]);

/** The identifying fields of a report, written (text guarded, numbers as they are). */
export const idFields = (cols: IdColumn[], id: number, r: ReportRecord, places?: readonly DocumentPlace[]): string[] =>
  cols.map(([, kind, value]) => {
    const v = value(id, r, places);
    return kind === "text" ? csvText(v === null || v === undefined ? null : String(v)) : csvField(v);
  });
