// Exports for researchers: JSON lines (one contract record per line), long CSV (one
// row per report × table × row × column: what R and pandas load), and wide CSV (one
// row per report, one column per cell, stable names from the contract's keys).
// Rows are streamed, never built in memory.
import { createWriteStream, renameSync, rmSync, type WriteStream } from "node:fs";
import type { Store } from "./store.js";
import { cellsOf, wideColumns } from "../model/cells.js";
import { matchesFilter, type ReportFilter } from "./dataset/filter.js";
import { withCorrections } from "./corrections.js";
import { REQUEST_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS, TOP_LEVEL_KEYS, type ReportRecord } from "../model/record.js";

export type ExportFormat = "csv" | "jsonl" | "wide-csv";

/** RFC 4180: quote fields holding a comma, quote or line break; double the quotes. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const csvLine = (fields: unknown[]) => fields.map(csvField).join(",") + "\r\n";

/** A report's identifying columns: header name and value, from one list so they never drift apart. */
type IdColumn = [name: string, value: (id: number, r: ReportRecord) => unknown];
const SOURCE_IDS: IdColumn[] = [
  ["report_id", (id) => id],
  ["organ", (_, r) => r.organ],
  ["year", (_, r) => r.year],
  ["region_code", (_, r) => r.region?.code],
  ["province", (_, r) => r.region?.province],
  ["city", (_, r) => r.region?.city],
  ["county", (_, r) => r.region?.county],
  ["template", (_, r) => r.template],
  ["format", (_, r) => r.source.format],
  ["source_path", (_, r) => r.source.path],
  ["source_url", (_, r) => r.source.url],
  ["sha256", (_, r) => r.source.sha256],
];
const LONG_IDS = SOURCE_IDS;
const WIDE_IDS: IdColumn[] = [
  ...SOURCE_IDS.slice(0, 3),
  ["published_on", (_, r) => r.publishedOn],
  ...SOURCE_IDS.slice(3),
  ["checks_failed", (_, r) => r.checks.length],
  ["warnings", (_, r) => r.warnings.length],
];
// `corrected`: 1 where a person's correction replaced what the machine read (`machine_value`).
const LONG_HEADER = [...LONG_IDS.map(([n]) => n), "table", "row", "column", "value", "corrected", "machine_value"];
const ID_HEADER = WIDE_IDS.map(([n]) => n);
const idValues = (cols: IdColumn[], id: number, r: ReportRecord) => cols.map(([, value]) => value(id, r));

/**
 * A sink that respects back-pressure and turns stream errors (a folder that does not
 * exist, a full disk) into rejected promises instead of uncaught 'error' events. A file
 * is written beside its target and renamed into place at the end, so a failed or
 * interrupted export never leaves a half file under the requested name.
 */
class Sink {
  private error: Error | null = null;
  private constructor(
    private readonly out: WriteStream | NodeJS.WriteStream,
    private readonly tmp: string | null,
    private readonly target: string | null,
  ) {
    out.on("error", (e: Error) => (this.error ??= e));
  }

  static async open(outPath?: string): Promise<Sink> {
    if (!outPath) return new Sink(process.stdout, null, null);
    const tmp = `${outPath}.tmp-${process.pid}`;
    const out = createWriteStream(tmp);
    await new Promise<void>((resolve, reject) => {
      out.once("open", () => resolve());
      out.once("error", (e: NodeJS.ErrnoException) => reject(new Error(`${outPath}: cannot write: ${e.code === "ENOENT" ? "no such folder" : e.code ?? e.message}`)));
    });
    return new Sink(out, tmp, outPath);
  }

  async write(s: string): Promise<void> {
    if (this.error) throw this.error;
    if (!this.out.write(s)) {
      await new Promise<void>((resolve, reject) => {
        const onErr = (e: Error) => reject(e);
        this.out.once("error", onErr);
        this.out.once("drain", () => {
          this.out.off("error", onErr);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    if (!this.tmp || !this.target) return;
    const out = this.out as WriteStream;
    out.end();
    await new Promise<void>((resolve, reject) => {
      if (this.error) return reject(this.error);
      out.once("finish", () => resolve());
      out.once("error", reject);
    });
    renameSync(this.tmp, this.target);
  }

  abort(): void {
    if (!this.tmp) return;
    (this.out as WriteStream).destroy();
    rmSync(this.tmp, { force: true });
  }
}

/**
 * Writes every current record of the store: `jsonl` one contract record per line;
 * `csv` long form, one row per report × table × row × column; `wide-csv` one row per
 * report. CSV is RFC 4180 (CRLF line ends, quotes doubled) in UTF-8 with a BOM. Rows
 * are streamed one report at a time. Returns the number of reports written.
 */
export async function exportRecords(store: Store, format: ExportFormat, outPath?: string, filter: ReportFilter = {}): Promise<number> {
  const out = await Sink.open(outPath);
  let n = 0;
  try {
    // A BOM so Excel opens the Chinese text as UTF-8; R and pandas skip it.
    if (format !== "jsonl") await out.write("\ufeff");
    if (format === "csv") await out.write(csvLine(LONG_HEADER));
    const wide = format === "wide-csv" ? wideColumns() : [];
    if (format === "wide-csv") await out.write(csvLine([...ID_HEADER, ...wide]));
    // Corrections apply here, at the one loop every export takes its records from.
    for (const { id, record, machine, corrected } of withCorrections(store.db, store.records())) {
      if (!matchesFilter(record, filter)) continue;
      n++;
      if (format === "jsonl") {
        const ordered: Record<string, unknown> = {};
        for (const k of TOP_LEVEL_KEYS) ordered[k] = (record as Record<string, unknown>)[k];
        await out.write(JSON.stringify(ordered) + "\n");
      } else if (format === "csv") {
        // The identifying fields are the same on each of a report's rows: quote them once.
        const head = idValues(LONG_IDS, id, record).map(csvField).join(",") + ",";
        let chunk = "";
        const machineValues = corrected.size ? new Map(cellsOf(machine).map(([t, r, c, v]) => [`${t}.${r}.${c}`, v])) : null;
        for (const [tbl, row, col, v] of cellsOf(record)) {
          const key = `${tbl}.${row}.${col}`;
          const fix = corrected.has(key);
          chunk += head + csvField(tbl) + "," + csvField(row) + "," + csvField(col) + "," + csvField(v) + "," + (fix ? "1" : "0") + "," + csvField(fix ? machineValues!.get(key) : v) + "\r\n";
        }
        await out.write(chunk);
      } else {
        const values = new Map(cellsOf(record).map(([t, r, c, v]) => [`${t}.${r}.${c}`, v]));
        await out.write(csvLine([...idValues(WIDE_IDS, id, record), ...wide.map((c) => values.get(c) ?? null)]));
      }
    }
    await out.close();
  } catch (e) {
    out.abort();
    throw e;
  }
  return n;
}
