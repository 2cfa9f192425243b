// What every extractor takes and gives. One module per format in this folder turns
// bytes into the shared intermediate Document (src/document.ts); nothing here knows
// the template.
import type { Document } from "../model/document.js";
import type { Deadline, Limits } from "../model/limits.js";

export interface ExtractOptions {
  /** The file's path or URL, for messages. */
  name: string;
  limits: Limits;
  /** HTTP Content-Type header where the bytes came over HTTP (charset for HTML). */
  contentType?: string;
  /** The page URL, to resolve attachment links of an HTML page. */
  url?: string;
  /** Checked between steps by the readers that run in this thread (limits.timeoutMs). */
  deadline?: Deadline;
}

/**
 * An extractor. It throws ExtractError (src/document.ts) with a clear reason when the
 * file cannot be read (empty, corrupt, scanned, a bound tripped); it never returns a
 * half-read document silently: what it could not read goes to diagnostics.
 */
export type Extractor = (bytes: Uint8Array, options: ExtractOptions) => Promise<Document>;

/**
 * A reader that is plain synchronous JavaScript end to end (no process, no pdfjs, no
 * awaited I/O): one call does all its work, so it can be stopped at a hard limit in the
 * caller's own thread (src/in-thread.ts) instead of in a worker.
 */
export type SyncExtractor = (bytes: Uint8Array, options: ExtractOptions) => Document;

/**
 * Thrown by a SyncExtractor where this document needs what only the format's full reader
 * does (OCR of pictures that may be its tables): the caller reads it with `extract` in a
 * worker instead (src/in-thread.ts gives it to the pool). Never a failure of the file.
 */
export class NeedsFullReader extends Error {
  constructor(why: string) {
    super(why);
    this.name = "NeedsFullReader";
  }
}
