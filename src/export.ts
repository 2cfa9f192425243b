// Exports for researchers, as a registry of writers (one file each, src/export/): the
// CLI's `--format` choices and their help come from this list, so adding a format is
// adding a writer here. Rows are streamed from the store, never built in memory; a file
// is written beside its target and renamed into place.
import type { Store } from "./store.js";
import { Sink } from "./export/sink.js";
import { longCsv } from "./export/long-csv.js";
import { wideCsv } from "./export/wide-csv.js";
import { jsonl } from "./export/jsonl.js";
import { parquet } from "./export/parquet.js";
import { datapackage } from "./export/datapackage.js";
import type { ExportOptions, ExportWriter, StoredRecords } from "./export/writer.js";
import { matchesFilter, type ReportFilter } from "./dataset/filter.js";
import { reportsOf, type StoredDocument } from "./reports.js";
import { withCorrections } from "./corrections.js";
import { withPlaces } from "./citation.js";

export { csvField, csvText } from "./export/csv.js";
export type { ExportWriter };

/** Every export format, in the order `--help` lists them. */
export const EXPORT_WRITERS: readonly ExportWriter[] = [jsonl, longCsv, wideCsv, parquet, datapackage];

export type ExportFormat = string;

/** The writer of a format, or undefined. */
export const writerFor = (format: string) => EXPORT_WRITERS.find((w) => w.format === format);

/** The records a filter takes (every record without one). */
function* filtered(records: StoredRecords, filter: ReportFilter | undefined): StoredRecords {
  for (const r of records) if (!filter || matchesFilter(r.record, filter)) yield r;
}

/**
 * Every current record of the store that `options.filter` takes, in `format`, to
 * `outPath` (default stdout, for stream formats). Returns the number of reports written.
 */
export async function exportRecords(store: Store, format: ExportFormat, outPath?: string, options: ExportOptions = {}): Promise<number> {
  const writer = writerFor(format);
  if (!writer) throw new Error(`unknown export format "${format}" (one of ${EXPORT_WRITERS.map((w) => w.format).join(", ")})`);
  // Corrections apply here, at the one place every export takes its records from.
  const documents = options.documents ? store.records() : reportsOf(store.records({ byReport: true }));
  // Every place the report's documents were seen (src/citation.ts): the documents' sha256s
  // are noted as they pass, and taken back by id after the corrections are applied.
  const shas = new Map<number, readonly string[]>();
  const noted = (function* () {
    for (const d of documents as Iterable<StoredDocument>) {
      if (d.shas) shas.set(d.id, d.shas);
      yield d;
    }
  })();
  const take = (id: number) => {
    const s = shas.get(id);
    shas.delete(id);
    return s;
  };
  const records = filtered(withPlaces(store, withCorrections(store, noted), (r) => take(r.id)), options.filter);
  if (writer.to !== "stream") {
    if (!outPath) throw new Error(`--format ${format} writes a ${writer.to}: give it --out`);
    return writer.write(records, outPath, options);
  }
  const out = await Sink.open(outPath);
  try {
    const n = await writer.write(records, out);
    await out.close();
    return n;
  } catch (e) {
    out.abort();
    throw e;
  }
}
