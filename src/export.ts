// Exports for researchers, as a registry of writers (one file each, src/export/): the
// CLI's `--format` choices and their help come from this list, so adding a format is
// adding a writer here. Rows are streamed from the store, never built in memory; a file
// is written beside its target and renamed into place.
import type { Store } from "./store.js";
import { Sink } from "./export/sink.js";
import { longCsv } from "./export/long-csv.js";
import { wideCsv } from "./export/wide-csv.js";
import { jsonl } from "./export/jsonl.js";
import type { ExportWriter } from "./export/writer.js";

export { csvField, csvText } from "./export/csv.js";
export type { ExportWriter };

/** Every export format, in the order `--help` lists them. */
export const EXPORT_WRITERS: readonly ExportWriter[] = [jsonl, longCsv, wideCsv];

export type ExportFormat = string;

/** The writer of a format, or undefined. */
export const writerFor = (format: string) => EXPORT_WRITERS.find((w) => w.format === format);

/** Every current record of the store in `format`, to `outPath` (default stdout). Returns the number of reports written. */
export async function exportRecords(store: Store, format: ExportFormat, outPath?: string): Promise<number> {
  const writer = writerFor(format);
  if (!writer) throw new Error(`unknown export format "${format}" (one of ${EXPORT_WRITERS.map((w) => w.format).join(", ")})`);
  const out = await Sink.open(outPath);
  try {
    const n = await writer.write(store.records(), out);
    await out.close();
    return n;
  } catch (e) {
    out.abort();
    throw e;
  }
}
