import { ExtractError } from "./document.js";
// Bounds on every parse. Hostile files exist (zip bombs, PDFs that hang a parser,
// pages nested 100,000 deep); when a bound trips, the file is recorded as failed.
export interface Limits {
  /** Largest input file read at all. */
  maxFileBytes: number;
  /** Largest size one zip entry may inflate to (DOCX parts, archive members). */
  maxZipEntryBytes: number;
  /** Largest total a zip may inflate to. */
  maxZipTotalBytes: number;
  /** Most entries a zip may hold. */
  maxZipEntries: number;
  /** Deepest element nesting an HTML page or XML part may have. */
  maxNestingDepth: number;
  /** Most pages of a PDF that are read. */
  maxPdfPages: number;
  /** Most bytes a PDF's compressed streams may inflate to, all together (decompression bombs). */
  maxPdfInflateBytes: number;
  /**
   * Wall-clock limit for one document's parse, every format: the application parses in a
   * worker of the parse pool (src/parse-pool.ts), ended at the limit. The readers also
   * check it between their steps (each linear in the bounded input), so a parse in the
   * caller's thread fails as timeout at the next check.
   */
  timeoutMs: number;
  /** Most pages of a scanned PDF (pages are images) that are read by OCR. */
  maxOcrPages: number;
  /** Wall-clock limit for OCR of one scanned PDF, every Tesseract and pdftoppm run killed at it. */
  ocrTimeoutMs: number;
  /** Most pixels (width × height) of an image file read by OCR, as its header states them. */
  maxImagePixels: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxFileBytes: 64 * 1024 * 1024,
  maxZipEntryBytes: 64 * 1024 * 1024,
  maxZipTotalBytes: 256 * 1024 * 1024,
  maxZipEntries: 10_000,
  maxNestingDepth: 512,
  maxPdfPages: 200,
  maxPdfInflateBytes: 512 * 1024 * 1024,
  timeoutMs: 30_000,
  maxOcrPages: 12,
  ocrTimeoutMs: 120_000,
  // An A4 page scanned at 600 dpi is 35 million pixels; a picture that says it is more than
  // twice that is a decompression bomb or no report page.
  maxImagePixels: 80_000_000,
};

/** A parse's wall-clock deadline (limits.timeoutMs from when the parse began). */
export class Deadline {
  private at: number;
  private ms: number;
  constructor(ms: number) {
    this.ms = ms;
    this.at = Date.now() + ms;
  }
  /** More time for a stage with its own bound (OCR of a scan: limits.ocrTimeoutMs). */
  extend(ms: number): void {
    this.ms += ms;
    this.at += ms;
  }
  /**
   * Throws a timeout failure once the deadline has passed. The message does not name the
   * file: the outermost layer (CLI, ingest summary) adds the name, once. (`_name` is
   * accepted for callers written before that rule, and ignored.)
   */
  check(_name?: string): void {
    if (Date.now() >= this.at) throw new ExtractError(`the parse took longer than ${+(this.ms / 1000).toFixed(3)}s (limits.timeoutMs)`, "timeout");
  }
}
