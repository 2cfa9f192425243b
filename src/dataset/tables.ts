// The dataset as typed tables: what a researcher loads into pandas, R or DuckDB. Each
// table is a list of typed columns and a way to turn one stored record into rows, so
// the Data Package's Table Schemas, the Parquet schema and the CSV headers all come
// from one definition and cannot disagree.
import { codebook, type CodebookEntry } from "../../model/codebook.js";
import { cellMap, cellsOf } from "../../model/cells.js";
import type { DocumentPlace, ReportRecord } from "../../model/record.js";
import { citationColumns, CITATION_FIELDS } from "../citation.js";

/** Table Schema's types (specs.frictionlessdata.io/table-schema), the ones this dataset uses. */
export type FieldType = "integer" | "number" | "string" | "date";

export interface Field {
  name: string;
  type: FieldType;
  description: string;
}

export interface StoredReport {
  id: number;
  /** The record with its corrections applied (src/corrections.ts withCorrections). */
  record: ReportRecord;
  /** The record as the machine read it, where it differs (a corrected report). */
  machine?: ReportRecord;
  /** The corrected cells, by cell key (none: nothing corrected). */
  corrected?: ReadonlyMap<string, unknown>;
  /** Every place the report's documents were seen (src/citation.ts). */
  places?: DocumentPlace[];
}

export interface DatasetTable {
  /** Resource name in the Data Package, file stem of its CSV. */
  name: string;
  title: string;
  fields: Field[];
  primaryKey: string[];
  /** `[field, table it refers to, that table's field]`. */
  foreignKeys: [string, string, string][];
  /** The table's rows for one stored report, values in `fields` order. */
  rowsOf(report: StoredReport): unknown[][];
}

/** The report's identifying columns: one list, shared by every table that starts with them. */
const ID_FIELDS: [Field, (s: StoredReport) => unknown][] = [
  [{ name: "report_id", type: "integer", description: "the report's id in this dataset" }, (s) => s.id],
  [{ name: "organ", type: "string", description: "the issuing body as the report names itself" }, (s) => s.record.organ],
  [{ name: "year", type: "integer", description: "the year the report covers (not the year it was published)" }, (s) => s.record.year],
  [{ name: "published_on", type: "date", description: "the date printed on the report, ISO 8601" }, (s) => s.record.publishedOn],
  [{ name: "region_code", type: "string", description: "GB/T 2260 code of the issuing body's division (text: keep leading digits as printed)" }, (s) => s.record.region?.code],
  [{ name: "province", type: "string", description: "province of the division" }, (s) => s.record.region?.province],
  [{ name: "city", type: "string", description: "city of the division" }, (s) => s.record.region?.city],
  [{ name: "county", type: "string", description: "county or district of the division" }, (s) => s.record.region?.county],
  [{ name: "template", type: "string", description: "the national template of table 2: 2021 (国办公开办函〔2021〕30号) or 2019 (〔2019〕60号)" }, (s) => s.record.template],
  [{ name: "format", type: "string", description: "the source document's format: docx, pdf, html or text" }, (s) => s.record.source.format],
  [{ name: "source_path", type: "string", description: "the file the report was read from" }, (s) => s.record.source.path],
  [{ name: "source_url", type: "string", description: "the URL the report was fetched from" }, (s) => s.record.source.url],
  [{ name: "sha256", type: "string", description: "sha256 of the source document's bytes" }, (s) => s.record.source.sha256],
];

const fieldOfKey = (e: CodebookEntry): Field => ({
  name: e.key,
  type: e.type,
  description: `${e.group ? e.group + " · " : ""}${e.row} · ${e.column} (${e.unit}; table ${e.table}; templates ${e.templates.join(", ")})`,
});

/** One row per report: its identifying columns, then one column per cell key (the wide form). */
export function reportsTable(): DatasetTable {
  const keys = codebook();
  return {
    name: "reports",
    title: "Reports, one row each, one column per cell of the template",
    fields: [
      ...ID_FIELDS.map(([f]) => f),
      { name: "checks_failed", type: "integer", description: "how many of the template's arithmetic rules the report fails" },
      { name: "corrected_cells", type: "integer", description: "how many cells a person corrected (the cells table has each machine value)" },
      ...CITATION_FIELDS.map(({ name, type, description }) => ({ name, type, description })),
      ...keys.map(fieldOfKey),
    ],
    primaryKey: ["report_id"],
    foreignKeys: [],
    rowsOf(s) {
      const values = cellMap(s.record);
      const cite = citationColumns(s.record, s.places);
      return [[
        ...ID_FIELDS.map(([, value]) => value(s)), s.record.checks.length, s.corrected?.size ?? 0,
        ...CITATION_FIELDS.map((f) => cite[f.name]), ...keys.map((e) => values.get(e.key) ?? null),
      ]];
    },
  };
}

/** One row per report × cell (the long form). */
export function cellsTable(): DatasetTable {
  return {
    name: "cells",
    title: "Cells, one row per report and cell key",
    fields: [
      { name: "report_id", type: "integer", description: "the report (reports.report_id)" },
      { name: "key", type: "string", description: "the cell key (codebook.key)" },
      { name: "value", type: "number", description: "the value as printed (or as corrected); empty where the document shows none" },
      { name: "corrected", type: "integer", description: "1 where a person's correction replaced the machine's reading, else 0" },
      { name: "machine_value", type: "number", description: "the value as the machine read it (equal to value where not corrected)" },
    ],
    primaryKey: ["report_id", "key"],
    foreignKeys: [
      ["report_id", "reports", "report_id"],
      ["key", "codebook", "key"],
    ],
    rowsOf: (s) => {
      const machine = s.corrected?.size && s.machine ? cellMap(s.machine) : null;
      return cellsOf(s.record).map(([t, r, c, v]) => {
        const key = `${t}.${r}.${c}`;
        const fixed = machine !== null && s.corrected!.has(key);
        return [s.id, key, v, fixed ? 1 : 0, fixed ? machine!.get(key) : v];
      });
    },
  };
}

/** One row per place a report's documents were seen: a path, a zip member or a URL. */
export function placesTable(): DatasetTable {
  return {
    name: "places",
    title: "Places: every path, zip member and URL where a report's documents were seen, for citing them",
    fields: [
      { name: "report_id", type: "integer", description: "the report (reports.report_id)" },
      { name: "kind", type: "string", description: "path (a file), zip (a member of a zip archive), url (fetched by the crawler) or bytes (given without either)" },
      { name: "path", type: "string", description: "the file's path (zip: archive!/member)" },
      { name: "url", type: "string", description: "the URL the bytes were fetched from" },
      { name: "archive", type: "string", description: "zip: the archive's path" },
      { name: "member", type: "string", description: "zip: the member's name inside the archive" },
      { name: "sha256", type: "string", description: "sha256 of the document's bytes seen there" },
      { name: "first_seen", type: "string", description: "when these bytes were first met here (ISO 8601, UTC)" },
      { name: "last_seen", type: "string", description: "when these bytes were last met here (ISO 8601, UTC)" },
      { name: "retrieved_at", type: "string", description: "url: when the crawler last fetched these bytes (ISO 8601, UTC)" },
      { name: "last_modified", type: "string", description: "url: the server's Last-Modified header, as sent" },
      { name: "listed_on", type: "date", description: "url: the date the portal's list page printed beside the link" },
    ],
    primaryKey: [],
    foreignKeys: [["report_id", "reports", "report_id"]],
    rowsOf: (s) =>
      (s.places ?? []).map((p) => [s.id, p.kind, p.path, p.url, p.archive, p.member, p.sha256, p.firstSeen, p.lastSeen, p.retrievedAt, p.lastModified, p.listedOn]),
  };
}

/** One row per failed arithmetic rule of a report. */
export function checksTable(): DatasetTable {
  return {
    name: "checks",
    title: "Failed checks of the template's arithmetic (findings about the source, not corrections)",
    fields: [
      { name: "report_id", type: "integer", description: "the report (reports.report_id)" },
      { name: "rule", type: "string", description: "the rule, e.g. requests.balance" },
      { name: "severity", type: "string", description: "error or warning" },
      { name: "where", type: "string", description: "the cell key or row the rule points at" },
      { name: "message", type: "string", description: "what fails, in figures" },
    ],
    primaryKey: [],
    foreignKeys: [["report_id", "reports", "report_id"]],
    rowsOf: (s) => s.record.checks.map((c) => [s.id, c.rule, c.severity, c.where, c.message]),
  };
}

/** The codebook as a table (no report rows: written once). */
export function codebookTable(): DatasetTable & { rows(): unknown[][] } {
  return {
    name: "codebook",
    title: "Codebook: every cell key with the template's printed row and column",
    fields: [
      { name: "key", type: "string", description: "the cell key of the record contract" },
      { name: "table", type: "integer", description: "the template's table: 2, 3 or 4" },
      { name: "templates", type: "string", description: "templates whose tables print the cell (space-separated)" },
      { name: "group", type: "string", description: "the heading the row sits under" },
      { name: "row", type: "string", description: "the row's label as printed" },
      { name: "column", type: "string", description: "the column's header as printed" },
      { name: "unit", type: "string", description: "件, 万元 or 元" },
      { name: "type", type: "string", description: "integer or number" },
    ],
    primaryKey: ["key"],
    foreignKeys: [],
    rowsOf: () => [],
    rows: () => codebook().map((e) => [e.key, e.table, e.templates.join(" "), e.group, e.row, e.column, e.unit, e.type]),
  };
}
