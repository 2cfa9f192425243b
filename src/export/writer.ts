// What an export writer is: a format name, a line for `--help`, and a function that
// writes records and returns how many it wrote. A stream writer writes to a sink (a file
// or stdout); a file or folder writer needs a path (Parquet, a data package).
import type { DocumentPlace, ReportRecord } from "../../model/record.js";
import type { ReportFilter } from "../dataset/filter.js";
import type { Sink } from "./sink.js";

/**
 * What a writer is given: each report's record with corrections applied (src/corrections.ts),
 * its places, and where a person corrected it, the machine's record and the corrected cell keys.
 */
export type StoredRecords = Iterable<{
  id: number;
  record: ReportRecord;
  machine?: ReportRecord;
  corrected?: ReadonlyMap<string, unknown>;
  /** Every place the report's documents were seen (src/citation.ts). */
  places?: DocumentPlace[];
}>;

export interface ExportOptions {
  filter?: ReportFilter;
  /** Every document (a report arrived as a page, a DOCX and a PDF gives three); by default one record per report. */
  documents?: boolean;
  /** A data package's licence id. */
  license?: string;
  /** The build that read the documents, recorded where a format has room for it. */
  parser?: string;
}

interface WriterBase {
  /** The `--format` value. */
  format: string;
  /** One line for `xxgk export --help`. */
  description: string;
}

export interface StreamWriter extends WriterBase {
  to: "stream";
  write(records: StoredRecords, out: Sink): Promise<number>;
}

export interface PathWriter extends WriterBase {
  /** `file`: one file at the path; `folder`: files inside the path (created). */
  to: "file" | "folder";
  write(records: StoredRecords, outPath: string, options: ExportOptions): Promise<number>;
}

export type ExportWriter = StreamWriter | PathWriter;
