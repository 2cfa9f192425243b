// The format registry: which reader reads a file, decided by its bytes, not its name
// (portals serve PDFs as .htm and DOCX as .doc); the name only breaks ties.
//
// One entry per format: `kind` (what the file is), `format` (what the record says it
// was read as: the contract's vocabulary, model/record.ts), `sniff` (a cheap test of
// the first bytes, from signatures.ts) and `extract` (the reader, loaded on first use:
// a batch of text never pays for pdfjs). Entries are tried in order; the first whose
// sniff says yes reads the file. Adding a format: its reader's file, and one line here.
import { ExtractError } from "../model/document.js";
import type { Format } from "../model/record.js";
import type { ExtractOptions, Extractor, SyncExtractor } from "./types.js";
import { looksBinary } from "./text.js";
import { isLegacyWorkbook, isOleCompound, isOpenDocumentText, isRichText, isSpreadsheetML, looksLikeHtml, looksLikeImage, looksLikeMhtml, looksLikePdf, looksLikeText, looksLikeZip, type Probe } from "./signatures.js";

export interface FormatEntry<K extends string = string> {
  kind: K;
  /** The record's `source.format` for a file of this kind. */
  format: Format;
  sniff: (probe: Probe) => boolean;
  /** Loads the reader (dynamic import) and returns it. */
  extract: () => Promise<Extractor>;
  /**
   * The same reader as a synchronous function, for formats read by plain JavaScript alone:
   * a one-document command reads them in its own thread (src/in-thread.ts) without starting
   * a worker. Absent where reading needs pdfjs, a zip stream or another process.
   */
  readInThread?: () => Promise<SyncExtractor>;
  /**
   * Read by OCR where its pages or tables are pictures: a parse gets limits.ocrTimeoutMs
   * beyond limits.timeoutMs. A test of the bytes where only some files of the format may
   * be (an HTML page holds pictures only as data: URIs).
   */
  ocr?: true | ((bytes: Uint8Array) => boolean);
  /**
   * For a format whose record may be read from pictures: the PDF its record's places
   * (`page`, `box`) fall on, made again without OCR (the review page shows it); null where
   * this file's record was read from its own text. A PDF is its own.
   */
  placesPdf?: () => Promise<PlacesPdf>;
}

/** The PDF a document's places fall on (see FormatEntry.placesPdf). */
export type PlacesPdf = (bytes: Uint8Array, options: ExtractOptions) => Promise<Uint8Array | null>;

/** The entry, its reader loaded once: a dynamic import of a module already loaded still costs ~8 µs a call. */
const entry = <K extends string>(e: FormatEntry<K>): FormatEntry<K> => {
  let loaded: Extractor | undefined;
  return { ...e, extract: async () => (loaded ??= await e.extract()) };
};

export const FORMATS = [
  entry({ kind: "pdf", format: "pdf", sniff: (p) => looksLikePdf(p.bytes), extract: async () => (await import("./pdf.js")).extractPdf, ocr: true, placesPdf: async () => async (bytes) => bytes }),
  // Before DOCX: an OpenDocument text is a zip too.
  entry({ kind: "odt", format: "docx", sniff: isOpenDocumentText, extract: async () => (await import("./legacy-word.js")).extractOpenDocument, ocr: true, placesPdf: async () => (await import("./legacy-word.js")).openDocumentPicturesPdf }),
  // A workbook (…统计表.xlsx, linked beside a report): its sheets' cells, read as a Word file's tables are (the record says docx, as for .odt).
  entry({ kind: "xlsx", format: "docx", sniff: isSpreadsheetML, extract: async () => (await import("./xlsx.js")).extractXlsx, readInThread: async () => (await import("./xlsx.js")).readXlsx }),
  // A DOCX whose tables are pictures is read by OCR (extractors/docx/pictures.ts).
  entry({ kind: "docx", format: "docx", sniff: (p) => looksLikeZip(p.bytes), extract: async () => (await import("./docx.js")).extractDocx, ocr: true, placesPdf: async () => (await import("./docx.js")).docxPicturesPdf }),
  // A legacy workbook (.xls, .et): saved as XLSX by LibreOffice (with Calc), then read as one. Before legacy Word: both are OLE files.
  entry({ kind: "legacy-excel", format: "docx", sniff: isLegacyWorkbook, extract: async () => (await import("./legacy-word.js")).extractLegacyWorkbook }),
  entry({ kind: "legacy-word", format: "docx", sniff: (p) => isOleCompound(p.bytes), extract: async () => (await import("./legacy-word.js")).extractLegacyWord, ocr: true, placesPdf: async () => (await import("./legacy-word.js")).legacyPicturesPdf }),
  // A picture of a report's pages (JPEG, PNG, TIFF, GIF, BMP): read by OCR as a PDF, so its record says pdf.
  entry({ kind: "image", format: "pdf", sniff: looksLikeImage, extract: async () => (await import("./image.js")).extractImage, ocr: true, placesPdf: async () => async (bytes, o) => (await import("./image.js")).imageAsPdf(bytes, Date.now() + o.limits.timeoutMs) }),
  // A web page saved with its pictures (a browser's .mhtml, Word's .mht, served as .doc): read as its page, so its record says html.
  entry({ kind: "mhtml", format: "html", sniff: looksLikeMhtml, extract: async () => (await import("./mhtml.js")).extractMhtml, readInThread: async () => (await import("./mhtml.js")).readMhtml, ocr: true, placesPdf: async () => (await import("./mhtml.js")).mhtmlPicturesPdf }),
  // Rich Text, as Word and WPS save it: converted to DOCX by LibreOffice, before text (it is text).
  entry({ kind: "rtf", format: "docx", sniff: isRichText, extract: async () => (await import("./legacy-word.js")).extractRichText, ocr: true, placesPdf: async () => (await import("./legacy-word.js")).richTextPicturesPdf }),
  // A page whose tables are pictures it holds (data: URIs) is read by OCR (extractors/html.ts).
  entry({ kind: "html", format: "html", sniff: looksLikeHtml, extract: async () => (await import("./html.js")).extractHtml, readInThread: async () => (await import("./html.js")).readHtml, ocr: holdsDataUri, placesPdf: async () => (await import("./html.js")).htmlPicturesPdf }),
  entry({ kind: "text", format: "text", sniff: looksLikeText, extract: async () => (await import("./text.js")).extractText, readInThread: async () => (await import("./text.js")).readText }),
] as const;

/** What a file can be: one of the registry's kinds. */
export type Kind = (typeof FORMATS)[number]["kind"];

// Every format of the record contract has a reader (a compile error here otherwise).
type Unread = Exclude<Format, (typeof FORMATS)[number]["format"]>;
const everyFormatRead: [Unread] extends [never] ? true : Unread = true;
void everyFormatRead;

export interface Sniffed {
  kind: Kind;
}

const BY_KIND = new Map<string, FormatEntry>(FORMATS.map((e) => [e.kind, e]));

/** The registry entry of a kind (a record format is also a kind). */
export function formatEntry(kind: Kind): FormatEntry {
  const e = BY_KIND.get(kind);
  if (!e) throw new ExtractError(`no reader for ${kind}`, "unsupported");
  return e;
}

/** The record format a kind is read as (legacy Word is read as the DOCX LibreOffice makes of it). */
export const recordFormat = (kind: Kind): Format => formatEntry(kind).format;

export function sniff(bytes: Uint8Array, name: string): Sniffed {
  const probe: Probe = {
    bytes,
    name,
    head: Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString("latin1").toLowerCase(),
    binary: looksBinary(bytes),
  };
  const found = FORMATS.find((e) => e.sniff(probe));
  if (found) return { kind: found.kind };
  if (/\.(docx?|wps|pdf)$/i.test(name))
    throw new ExtractError(`the file is named ${name.split(".").pop()} but its bytes are not that format`, "corrupt");
  throw new ExtractError(`the file is binary and not a format xxgk reads (${[...new Set(FORMATS.map((e) => (e.format === "text" ? "text" : e.format.toUpperCase())))].join(", ")})`, "binary");
}

/** Whether these bytes are of a format that may be read by OCR (its parse gets limits.ocrTimeoutMs more); false for bytes no format reads. */
export function mayNeedOcr(bytes: Uint8Array, name: string): boolean {
  try {
    const ocr = formatEntry(sniff(bytes, name).kind).ocr;
    return typeof ocr === "function" ? ocr(bytes) : ocr === true;
  } catch {
    return false;
  }
}

/** Whether a page holds a data: URI (a picture its article may show). */
function holdsDataUri(bytes: Uint8Array): boolean {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return b.indexOf("data:") >= 0 || b.indexOf("DATA:") >= 0;
}

/** The reader of a kind, loaded on first use. */
export async function extractorFor(kind: Kind): Promise<Extractor> {
  return formatEntry(kind).extract();
}
