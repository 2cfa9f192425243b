// Read result → Document: the checks that make a file fail (no text: a scan) and the
// diagnostics for what was read only in part. Runs in the PDF worker.
import { ExtractError, type Diagnostic, type Document } from "../../model/document.js";
import { namesDisclosure } from "../../model/text.js";
import { layout } from "./layout.js";
import { isNumber } from "./stream.js";
import { readPdf, type PageData, type ReadResult } from "./read.js";

const hasText = (p: PageData) => p.runs.some((t) => t.str.trim());

/**
 * Characters no report's text is made of: controls, private use, Braille, dingbats and
 * other symbol blocks, CJK Extension A and compatibility squares, the replacement
 * character. A font embedded without a map to Unicode (no ToUnicode, a subset's glyph ids
 * as its codes) comes out as these: glyph 1, 2, 3 … as the control characters U+0001 …,
 * or codes that land in rare blocks (a PostScript round trip of a chromium print, ps2pdf:
 * ✁✂✄☎ for 硚口区商, its digits dingbats too).
 */
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u25a0-\u25ff\u2600-\u27bf\u2800-\u28ff\u3300-\u33ff\u3400-\u4dbf\ue000-\uf8ff\ufffd]/g;

/**
 * A Latin letter with a mark (Latin-1 Supplement, Latin Extended-A) standing between two
 * Chinese characters or their punctuation: what a font's wrong map to Unicode makes of some
 * of its glyphs while the rest decode (Ghostscript re-writing a chromium print, as PDF
 * printers built on it and PDF/A converters do: 商务局 came out 商ó局, 报告 ç告,
 * （一） ÿ一Ā). No report prints one so: a pinyin or a foreign name stands among Latin letters.
 */
const MISMAPPED = /(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f](?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])/g;

/** Mismapped letters on a page at which its map to Unicode is taken as wrong: the one Ghostscript rewrite of r2021.chromium.pdf shows dozens a page. */
const LEAST_MISMAPPED = 3;

/**
 * A text layer that does not decode to text: a fifth or more of its characters (at least
 * 20) are of no report's text (fonts without a map to Unicode), or some of its glyphs
 * decode to letters set among Chinese characters (a wrong map: where some glyphs decode to
 * the wrong characters, a digit may too). Such a page is read by OCR where it can be, as a
 * scanned one is; its text is never read (its digits are glyph ids: a "0" there is
 * whatever glyph came 48th).
 */
export function garbledText(p: PageData): boolean {
  const text = p.runs.map((t) => t.str).join("").replace(/\s+/g, "");
  if (text.length < 20) return false;
  if ((text.match(NOT_TEXT)?.length ?? 0) >= 0.2 * text.length) return true;
  return (text.match(MISMAPPED)?.length ?? 0) >= LEAST_MISMAPPED;
}

/**
 * The least number of filled shapes (not rules) on a page with no text for its text to be
 * taken as drawn in outlines ("converted to curves", as some offices do so a report cannot
 * be copied, or Ghostscript's -dNoOutputFonts): every glyph is a shape or several. A
 * LibreOffice report page so drawn has 1,600–1,900; its last page, a signature and a date,
 * 96; a page of a logo or an emblem alone may reach this, and is then read by OCR for nothing.
 */
const OUTLINED_SHAPES = 40;

/** A page with no text whose drawing is many filled shapes: its text drawn as outlines. */
export const outlinedText = (p: PageData): boolean => !hasText(p) && (p.shapes ?? 0) >= OUTLINED_SHAPES;

/** Pages that show text: read from their text layer, never by OCR. */
export const withTextLayer = (r: ReadResult) => r.pages.filter((p) => hasText(p) && !garbledText(p));

/**
 * The ways a page's text may be drawn with no characters to read: glyph ids (garbledText)
 * or outlines (outlinedText). Such pages are read by OCR, as scanned pages are.
 */
const UNREADABLE_TEXT = [
  { source: "pdf:garbled-text", is: garbledText, what: "does not decode to readable characters (fonts embedded without a map to Unicode, or with a wrong one)" },
  { source: "pdf:outlined-text", is: outlinedText, what: "is drawn as outlines (converted to curves), not as characters" },
] as const;

const pagesSaid = (pages: PageData[]) => `page${pages.length > 1 ? "s" : ""} ${pages.map((p) => p.page).join(", ")}`;

/** The kinds of unreadable text among `pages`, each with its pages and its words ("the text of pages 1, 2 is drawn as outlines …"). */
export function unreadableText(pages: PageData[]): { source: string; pages: PageData[]; said: string }[] {
  return UNREADABLE_TEXT.flatMap((k) => {
    const these = pages.filter(k.is);
    return these.length ? [{ source: k.source, pages: these, said: `the text of ${pagesSaid(these)} ${k.what}` }] : [];
  });
}

/** The unreadable text of `pages` as one phrase (its kinds joined), or "" where there is none. */
export const unreadableSaid = (pages: PageData[]) => unreadableText(pages).map((k) => k.said).join("; ");

/** Warnings that pages' unreadable text was read by OCR instead. */
export const readByOcrInstead = (pages: PageData[]): Diagnostic[] =>
  unreadableText(pages).map((k) => ({ severity: "warning", source: k.source, message: `${k.said}: read by OCR, as scanned pages are`, place: { page: k.pages[0].page } }));

/** Pages with images and no text at all (scanned pages), and pages whose text has no characters to read: OCR reads them where it can. */
export const scannedPages = (r: ReadResult) => r.pages.filter((p) => (p.images > 0 && !hasText(p)) || garbledText(p) || outlinedText(p));

/**
 * The least share of its page a picture covers where it may hold a table (a table pasted as
 * a screenshot covers a third of a page or more; a seal or a logo a hundredth).
 */
export const TABLE_PICTURE_SHARE = 0.1;

/**
 * Pages with text and a picture big enough to hold a table (a Word report with its tables
 * pasted as pictures, printed to PDF), in a PDF whose text names information disclosure
 * (信息公开, 資訊公開: a report's title does): a notice or a brochure with photographs,
 * fetched beside the reports, is not OCR'd page by page for nothing.
 */
export const picturePages = (r: ReadResult) => {
  // The pictures first (a comparison a page): most PDFs have none, and their text is never joined.
  const pictured = withTextLayer(r).filter((p) => p.largestImage >= TABLE_PICTURE_SHARE * Math.abs((p.box.x1 - p.box.x0) * (p.box.y1 - p.box.y0)));
  if (!pictured.length || !namesDisclosure(r.pages.map((p) => p.runs.map((t) => t.str).join("")).join(""))) return [];
  return pictured;
};


/**
 * Pages whose text is drawn invisibly over a picture of the page: a scan OCR'd by other
 * software (a scanner's "searchable PDF"). Its numbers are that software's reading, taken
 * on no one's agreement.
 */
export const ocrLayerPages = (r: ReadResult) => withTextLayer(r).filter((p) => p.hiddenText > 0 && p.shownText === 0 && p.images > 0);

/** A page's text turned by this many degrees (counterclockwise, page-frame.ts), in words. */
const TURNS: Record<number, string> = { 90: "turned a quarter to the left (its lines run bottom to top)", 180: "upside down", 270: "turned a quarter to the right (its lines run top to bottom)" };

/**
 * What the reading noticed about the text pages: pages over the limit, invisible OCR layers
 * (`layersSetAside`: those pages are read by this OCR instead, pdf.ts), text drawn turned.
 */
export function readDiagnostics(r: ReadResult, layersSetAside = false): Diagnostic[] {
  const diagnostics: Diagnostic[] = r.notes.map((message) => ({ severity: "warning", source: "pdf:pages-limit", message }));
  const ocr = ocrLayerPages(r).map((p) => p.page);
  const pages = `page${ocr.length > 1 ? "s" : ""} ${ocr.join(", ")}: the text is an invisible layer over an image of the page (OCR of a scan by other software)`;
  if (ocr.length && layersSetAside)
    diagnostics.push({ severity: "info", source: "pdf:ocr-layer", message: `${pages}; read by OCR here instead (numbers taken where two readings agree), the layer set aside`, place: { page: ocr[0] } });
  else if (ocr.length)
    diagnostics.push({ severity: "warning", source: "pdf:ocr-layer", message: `${pages}; numbers are read from that layer and may differ from what the page shows`, place: { page: ocr[0] } });
  const turned = new Map<number, PageData[]>();
  for (const p of withTextLayer(r)) if (p.turned) turned.set(p.turned, [...(turned.get(p.turned) ?? []), p]);
  for (const [deg, ps] of turned)
    diagnostics.push({
      severity: "info",
      source: "pdf:turned-text",
      message: `page${ps.length > 1 ? "s" : ""} ${ps.map((p) => p.page).join(", ")}: the text is drawn ${TURNS[deg]} on the page as shown (a wide table printed sideways); read with the page turned upright, boxes given on the page as shown`,
      place: { page: ps[0].page },
    });
  return diagnostics;
}

/**
 * How near a page's left or right edge a number's run may end before it counts as cut
 * there (points). Real layouts keep a margin; a table set wider than the page (LibreOffice
 * saving an HTML table wider than A4) has its last column's digits past the edge, where
 * no viewer shows them and pdfjs returns only those inside (14069 read as 140). The same
 * at the edge of the rectangle the text is clipped to: a browser prints a page wider than
 * the paper clipped to the printable area and leaves out the glyphs past it (14374 printed
 * as 143, the 3 reaching 2 pt past the clip).
 */
const PAGE_EDGE_PT = 2;
/**
 * How near a clip's edge a number's run may end before it counts as cut there, in font
 * sizes (or PAGE_EDGE_PT, whichever is more): a glyph is left out where it lies wholly past
 * the clip, and a digit's ink starts up to a quarter of an em after its origin (a
 * full-width digit's, centred in its em), so the run before it may end that far inside.
 * A number whose last digit crosses the edge is shown in part: null too.
 */
const CLIP_EDGE_EM = 0.3;
/**
 * A clip cuts text only where some text on the page runs past its edge by more than this
 * (points): a table squeezed to the printable area's width ends at its edge, its last
 * column's numbers flush with it and whole (2577 ending 0.5 pt inside).
 */
const CLIP_CROSS_PT = 0.2;
/**
 * Numbers whose run reaches the page's left or right edge, or the edge of a clip text is
 * shown in (a run that starts inside the clip, at its height) where text on the page runs
 * past that edge: their digits past it are
 * cut, so the number at that end of the run (its last word at the right edge, its first at
 * the left; a run may hold several cells' numbers) becomes an unread value, each digit a
 * "?" (the run keeps its length, so the other words keep their places): null with a
 * diagnostic, never the digits left inside the page. Changes the pages' runs; returns the
 * pages where it did, with counts.
 */
export function cutAtPageEdge(pages: PageData[]): { page: number; count: number }[] {
  const out: { page: number; count: number }[] = [];
  for (const p of pages) {
    let count = 0;
    const inClip = (t: { x: number; y: number }, c: { x0: number; y0: number; x1: number; y1: number }) => t.y >= c.y0 && t.y <= c.y1 && t.x >= c.x0 - PAGE_EDGE_PT && t.x < c.x1;
    const cutting = (p.textClips ?? []).filter((c) => p.runs.some((t) => t.str.trim() !== "" && inClip(t, c) && t.x + t.w > c.x1 + CLIP_CROSS_PT));
    for (const t of p.runs) {
      if (!DIGIT.test(t.str)) continue;
      const end = t.x + t.w;
      const words = t.str.split(/(\s+)/);
      const last = words.findLastIndex((w) => w.trim() !== "");
      // A clip's edge cuts only where the run ends in a number (a line of prose reaches the printable area's edge).
      const clipped = last !== -1 && isNumber(words[last]) && cutting.some((c) => inClip(t, c) && end > c.x1 - Math.max(PAGE_EDGE_PT, t.size * CLIP_EDGE_EM));
      const right = end > p.box.x1 - PAGE_EDGE_PT || clipped;
      const left = t.x < p.box.x0 + PAGE_EDGE_PT;
      if (!right && !left) continue;
      const at = right ? last : words.findIndex((w) => w.trim() !== "");
      if (at === -1 || !DIGIT.test(words[at])) continue;
      words[at] = words[at].replace(/./gu, "?");
      t.str = words.join("");
      count++;
    }
    if (count) out.push({ page: p.page, count });
  }
  return out;
}

/** A digit, ASCII or full-width (１４６８６). */
const DIGIT = /[0-9０-９]/;

export function buildDocument(r: ReadResult): Document {
  const withText = withTextLayer(r);
  const images = r.pages.reduce((n, p) => n + p.images, 0);
  const unreadable = unreadableSaid(r.pages);
  if (withText.length === 0) {
    if (unreadable) throw new ExtractError(`${unreadable}; OCR is not done`, "scanned");
    if (images > 0) throw new ExtractError("no text layer (scanned): the pages are images; OCR is not done", "scanned");
    throw new ExtractError("the PDF has no text layer: no text and no images were found on its pages", "no-text");
  }
  const diagnostics = readDiagnostics(r);
  for (const p of r.pages) {
    if (withText.includes(p)) continue;
    const [kind] = unreadableText([p]);
    if (kind) diagnostics.push({ severity: "warning", source: kind.source, message: `${kind.said}; its content is not read`, place: { page: p.page } });
    else if (p.images > 0) diagnostics.push({ severity: "warning", source: "pdf:scanned-page", message: `page ${p.page} has no text layer (an image: scanned?); its content is not read`, place: { page: p.page } });
  }
  for (const { page, count } of cutAtPageEdge(r.pages))
    diagnostics.push({
      severity: "warning",
      source: "pdf:past-page-edge",
      message: `page ${page}: ${count} number${count > 1 ? "s run" : " runs"} to or past the page's edge (a table set wider than the page): the digits past it are cut, so ${count > 1 ? "they are" : "it is"} read as null`,
      place: { page },
    });
  const blocks = layout(r.pages, diagnostics);
  if (!blocks.some((b) => b.kind === "table"))
    diagnostics.push({ severity: "warning", source: "pdf:no-tables", message: "no tables were found: paragraphs only" });
  const meta: Document["meta"] = { pages: r.numPages };
  if (r.title) meta.title = r.title;
  return { blocks, meta, diagnostics };
}

/** Read and lay out in this thread (the worker's job; tests of layout may call it directly). */
export async function extractInThread(bytes: Uint8Array, maxPages: number): Promise<Document> {
  return buildDocument(await readPdf(bytes, maxPages));
}
