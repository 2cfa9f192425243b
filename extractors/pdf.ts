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
// Failures: "scanned" (images, no text layer), "no-text", "encrypted", "corrupt-pdf",
// "timeout", "too-large", "empty".
import { ExtractError } from "../model/document.js";
import type { Extractor } from "./types.js";
import { pdfPool } from "./pdf/pool.js";
import { looksLikePdf } from "./signatures.js";

export { closePdfWorkers } from "./pdf/pool.js";

export const extractPdf: Extractor = async (bytes, options) => {
  const { name, limits } = options;
  if (bytes.byteLength === 0) throw new ExtractError(`the file is empty`, "empty");
  if (bytes.byteLength > limits.maxFileBytes)
    throw new ExtractError(`${bytes.byteLength} bytes is over the ${limits.maxFileBytes}-byte limit (limits.maxFileBytes)`, "too-large");
  if (!looksLikePdf(bytes)) throw new ExtractError(`not a PDF: no %PDF- header`, "corrupt-pdf");
  return pdfPool().run(bytes, limits.maxPdfPages, limits.timeoutMs, limits.maxPdfInflateBytes);
};
