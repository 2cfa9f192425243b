// What an export writer is: a format name, a line for `--help`, and a function that
// streams records into a sink and returns how many it wrote.
import type { ReportRecord } from "../../model/record.js";
import type { Sink } from "./sink.js";

export interface ExportWriter {
  /** The `--format` value. */
  format: string;
  /** One line for `xxgk export --help`. */
  description: string;
  write(records: Iterable<{ id: number; record: ReportRecord }>, out: Sink): Promise<number>;
}
