// One report in, one record out: sniff the format, extract the shared document,
// map it onto the template, check it. Batches, the store and the CLI call this.
import type { Diagnostic } from "./document.js";
import type { Format, ReportRecord } from "./record.js";
import type { Limits } from "./limits.js";

export interface ParseInput {
  bytes: Uint8Array;
  /** Path or URL, for messages. */
  name: string;
  path?: string | null;
  url?: string | null;
  /** HTTP Content-Type where the bytes came over HTTP. */
  contentType?: string;
  /** Force a format instead of sniffing it. */
  format?: Format;
  limits?: Partial<Limits>;
}

export type ParseOutcome =
  | { ok: true; record: ReportRecord; diagnostics: Diagnostic[]; attachments: { url: string; text: string }[] }
  | { ok: false; code: string; message: string };

/** Parses one report. Never throws for bad input: a failure comes back as { ok: false }. */
export declare function parseReport(input: ParseInput): Promise<ParseOutcome>;
