// Exports for researchers: JSON lines (one contract record per line), long CSV (one
// row per report × table × row × column: what R and pandas load), and wide CSV (one
// row per report, one column per cell, stable names from the contract's keys).
// Rows are streamed, never built in memory.
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import type { Store } from "./store.js";
import { cellsOf } from "./store.js";
import { ACTIVE_2019, ACTIVE_2021, REQUEST_ROW_DEFS } from "../data/template.js";
import { REQUEST_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS, TOP_LEVEL_KEYS, type ReportRecord } from "./record.js";

export type ExportFormat = "csv" | "jsonl" | "wide-csv";

/** RFC 4180: quote fields holding a comma, quote or line break; double the quotes. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const csvLine = (fields: unknown[]) => fields.map(csvField).join(",") + "\r\n";

const LONG_HEADER = ["report_id", "organ", "year", "region_code", "province", "city", "county", "template", "format", "source_path", "source_url", "sha256", "table", "row", "column", "value"];
const ID_HEADER = ["report_id", "organ", "year", "published_on", "region_code", "province", "city", "county", "template", "format", "source_path", "source_url", "sha256", "checks_failed", "warnings"];

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
  const rows = ["newReceived", "carriedOver", ...REQUEST_ROW_DEFS.map((d) => d.key).filter((k) => k !== "newReceived" && k !== "carriedOver")];
  for (const r of rows) for (const c of REQUEST_COLUMNS) cols.push(`requests.${r}.${c}`);
  for (const g of REVIEW_GROUPS) for (const c of REVIEW_COLUMNS) cols.push(`reviews.${g}.${c}`);
  return cols;
}

function ids(id: number, r: ReportRecord) {
  return [id, r.organ, r.year, r.region?.code, r.region?.province, r.region?.city, r.region?.county, r.template, r.source.format, r.source.path, r.source.url, r.source.sha256];
}

async function write(out: WriteStream | NodeJS.WriteStream, s: string) {
  if (!out.write(s)) await once(out, "drain");
}

export async function exportRecords(store: Store, format: ExportFormat, outPath?: string): Promise<number> {
  const out = outPath ? createWriteStream(outPath) : process.stdout;
  let n = 0;
  // A BOM so Excel opens the Chinese text as UTF-8; R and pandas skip it.
  if (format !== "jsonl") await write(out, "\ufeff");
  if (format === "csv") await write(out, csvLine(LONG_HEADER));
  const wide = format === "wide-csv" ? wideColumns() : [];
  if (format === "wide-csv") await write(out, csvLine([...ID_HEADER, ...wide]));
  for (const { id, record } of store.records()) {
    n++;
    if (format === "jsonl") {
      const ordered: Record<string, unknown> = {};
      for (const k of TOP_LEVEL_KEYS) ordered[k] = (record as Record<string, unknown>)[k];
      await write(out, JSON.stringify(ordered) + "\n");
    } else if (format === "csv") {
      const head = ids(id, record);
      for (const [tbl, row, col, v] of cellsOf(record)) await write(out, csvLine([...head, tbl, row, col, v]));
    } else {
      const values = new Map(cellsOf(record).map(([t, r, c, v]) => [`${t}.${r}.${c}`, v]));
      const head = ids(id, record);
      head.splice(3, 0, record.publishedOn);
      await write(out, csvLine([...head, record.checks.length, record.warnings.length, ...wide.map((c) => values.get(c) ?? null)]));
    }
  }
  if (outPath) {
    (out as WriteStream).end();
    await once(out, "finish");
  }
  return n;
}
