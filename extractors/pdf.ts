// PDF extractor: a PDF's bytes → the shared Document.
//
// 1. Bounds here: empty, over limits.maxFileBytes, no %PDF- header → ExtractError.
// 2. pdfjs-dist reads text runs with positions and the operator list's ruling lines
//    (pdf/read.ts), at most limits.maxPdfPages pages (a warning names the rest), its
//    streams inflating to at most limits.maxPdfInflateBytes. It runs in the calling
//    thread: the application parses every document in a worker of the parse pool
//    (src/parse-pool.ts), which is ended at limits.timeoutMs, so a PDF that hangs
//    pdfjs costs a worker, never the batch.
// 3. Layout (pdf/layout.ts, pdf/geometry.ts): ruled tables become exact grids with
//    merges from missing rule segments; unruled tables are rebuilt from text positions
//    (pdf/stream.ts, exactGrid false); a table broken across pages is one table;
//    running heads and page numbers dropped; other lines become paragraphs.
// 4. A PDF whose pages are all images (a scan) is read by OCR (pdf/ocr.ts) where
//    Tesseract is installed; without it, it fails as "scanned" saying what to install.
//    A mixed PDF's image-only pages are OCR'd too and laid out with its text pages
//    (never a page with a text layer); without Tesseract they are skipped with a warning.
//    A PDF whose text holds no table but whose pages carry pictures big enough to hold one
//    (a Word report with its tables pasted as pictures, printed to PDF) has those pages
//    OCR'd the same way (`pdf.tablePictures`); without Tesseract it reads as before.
// Failures: "scanned" (images, no text layer, no Tesseract), "no-text", "encrypted",
// "corrupt-pdf" (what pdfjs could not read), "timeout", "too-large", "empty". An error
// thrown by the layout code is not the file's fault: it leaves as it is, and the pipeline
// stores it as "internal" (a bug).
import { ExtractError, type Document } from "../model/document.js";
import type { Extractor } from "./types.js";
import { buildDocument, ocrLayerPages, picturePages, readByOcrInstead, readDiagnostics, scannedPages, unreadableSaid, withTextLayer } from "./pdf/build.js";
import { inflateTripped, readPdf, startInflateBudget, tuneWorkerThread, type ReadResult } from "./pdf/read.js";
import { looksLikePdf } from "./signatures.js";
import { ocrAvailable, ocrPdf } from "./pdf/ocr.js";

let tuned = false;

export const extractPdf: Extractor = async (bytes, options) => {
  const { limits, deadline } = options;
  if (bytes.byteLength === 0) throw new ExtractError(`the file is empty`, "empty");
  if (bytes.byteLength > limits.maxFileBytes)
    throw new ExtractError(`${bytes.byteLength} bytes is over the ${limits.maxFileBytes}-byte limit (limits.maxFileBytes)`, "too-large");
  if (!looksLikePdf(bytes)) throw new ExtractError(`not a PDF: no %PDF- header`, "corrupt-pdf");
  // The synchronous, budgeted inflate is what bounds a decompression bomb (read.ts).
  if (!tuned) {
    tuneWorkerThread();
    tuned = true;
  }
  startInflateBudget(limits.maxPdfInflateBytes ?? Infinity);
  let read: ReadResult | undefined;
  try {
    // pdfjs may detach the buffer it is given: it gets a copy, the caller's bytes stay usable.
    read = await readPdf(new Uint8Array(bytes), limits.maxPdfPages);
    // Over the inflate budget, what was read is not the document (a stream came out empty).
    const tripped = inflateTripped();
    if (tripped) throw new ExtractError(tripped, "too-large");
    deadline?.check();
    // Some pages text, some images only (a mixed PDF): the image pages read by OCR and laid
    // out with the text pages, where Tesseract is installed; without it they are skipped
    // with a warning each (buildDocument). Pages with text and a picture big enough to hold
    // a table, in a PDF whose text holds no table (a Word report whose tables were pasted as
    // pictures, printed to PDF), are read by OCR the same way.
    let scanned = scannedPages(read), text = withTextLayer(read);
    const r = read;
    // Pages a scanner's software OCR'd (an invisible text layer over the page's picture) are
    // read by this OCR where it runs: its numbers are taken only where two readings agree,
    // the layer's on no one's word (a fixture's layer gave 2 values, this OCR 62, 0 wrong).
    const layered = ocrLayerPages(read);
    const setAside = layered.length > 0 && (await ocrAvailable());
    if (setAside) {
      text = text.filter((p) => !layered.includes(p));
      scanned = [...scanned, ...layered].sort((a, b) => a.page - b.page);
      if (!text.length) {
        deadline?.extend(limits.ocrTimeoutMs);
        const doc = await ocrPdf(bytes, limits);
        doc.diagnostics.unshift(...readDiagnostics(read, true));
        return doc;
      }
    }
    // The text's own layout is made only where it is returned or where picture pages wait on
    // whether it holds a table (a mixed PDF without them goes to OCR as it did).
    let doc: Document | undefined;
    const layout = () => (doc ??= buildDocument(r));
    const candidates = picturePages(read).filter((p) => !setAside || !layered.includes(p));
    const picturedPages = candidates.length && !layout().blocks.some((b) => b.kind === "table") ? candidates : [];
    const pictured = picturedPages.map((p) => p.page);
    if (((scanned.length && text.length) || pictured.length) && (await ocrAvailable())) {
      deadline?.extend(limits.ocrTimeoutMs);
      const diagnostics = readDiagnostics(read, setAside);
      diagnostics.push(...readByOcrInstead(read.pages));
      if (pictured.length)
        diagnostics.push({
          severity: "info",
          source: "pdf:table-pictures",
          message: `no table in the text, but page${pictured.length > 1 ? "s" : ""} ${pictured.join(", ")} carr${pictured.length > 1 ? "y" : "ies"} a picture big enough to hold one: read by OCR inside the picture, the text layer elsewhere`,
          place: { page: pictured[0] },
        });
      return ocrPdf(bytes, limits, {
        text: text.filter((p) => !pictured.includes(p.page)),
        scanned: [...new Set([...scanned.map((p) => p.page), ...pictured])].sort((a, b) => a - b),
        pictured: picturedPages,
        diagnostics,
        numPages: read.numPages,
        title: read.title,
      });
    }
    return layout();
  } catch (e) {
    // Every page an image, no text layer: read by OCR where Tesseract is installed, within
    // its own bound (limits.ocrTimeoutMs, every child process killed at it).
    if (e instanceof ExtractError && e.code === "scanned") {
      deadline?.extend(limits.ocrTimeoutMs);
      // Pages whose text has no characters to read (glyph ids, outlines) are read by OCR as
      // scanned ones are, and said so.
      const unreadable = read ? unreadableSaid(read.pages) : "";
      if (!unreadable) return ocrPdf(bytes, limits);
      try {
        const doc = await ocrPdf(bytes, limits);
        doc.diagnostics.unshift(...readByOcrInstead(read!.pages));
        return doc;
      } catch (o) {
        if (o instanceof ExtractError && o.code === "scanned")
          throw new ExtractError(`${unreadable}; OCR, which would read it, cannot run here: ${o.message.replace(/^.*?cannot run(?: here)?: /, "")}`, "scanned");
        throw o;
      }
    }
    throw e;
  }
};

/** Nothing to close any more: pdfjs runs in the caller's thread (kept so callers need not change). */
export async function closePdfWorkers(): Promise<void> {}
