// PDF extractor: a PDF's bytes → the shared Document.
//
// 1. Bounds here: empty, over limits.maxFileBytes, no %PDF- header → ExtractError.
// 2. The rest in a worker (pdf/pool.ts, pdf/worker.ts) killed after limits.timeoutMs:
//    pdfjs-dist reads text runs with positions and the operator list's ruling lines
//    (pdf/read.ts), at most limits.maxPdfPages pages (a warning names the rest), its
//    streams inflating to at most limits.maxPdfInflateBytes.
// 3. Layout (pdf/layout.ts, pdf/geometry.ts): ruled tables become exact grids with
//    merges from missing rule segments; unruled tables are rebuilt from text positions
//    (pdf/stream.ts, exactGrid false); a table broken across pages is one table;
//    running heads and page numbers dropped; other lines become paragraphs.
// 4. A PDF whose pages are all images (a scan) is read by OCR (pdf/ocr.ts) where
//    Tesseract is installed; without it, it fails as "scanned" saying what to install.
// Failures: "scanned" (images, no text layer, no Tesseract), "no-text", "encrypted", "corrupt-pdf",
// "timeout", "too-large", "empty".
import { ExtractError } from "../model/document.js";
import type { Extractor } from "./types.js";
import { pdfPool } from "./pdf/pool.js";
import { looksLikePdf } from "./signatures.js";
import { ocrPdf } from "./pdf/ocr.js";

export { closePdfWorkers } from "./pdf/pool.js";

/** A PDF header in the first KB (some files carry junk before it, as readers allow). */

export const extractPdf: Extractor = async (bytes, options) => {
  const { name, limits } = options;
  if (bytes.byteLength === 0) throw new ExtractError(`${name}: the file is empty`, "empty");
  if (bytes.byteLength > limits.maxFileBytes)
    throw new ExtractError(`${name}: ${bytes.byteLength} bytes is over the ${limits.maxFileBytes}-byte limit (limits.maxFileBytes)`, "too-large");
  if (!looksLikePdf(bytes)) throw new ExtractError(`${name}: not a PDF: no %PDF- header`, "corrupt-pdf");
  try {
    return await pdfPool().run(bytes, limits.maxPdfPages, limits.timeoutMs, limits.maxPdfInflateBytes);
  } catch (e) {
    // Every page an image, no text layer: read by OCR where Tesseract is installed.
    if (e instanceof ExtractError && e.code === "scanned") return ocrPdf(bytes, limits);
    throw e;
  }
};
