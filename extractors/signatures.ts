// What a file is, from its first bytes: portals serve PDFs as .htm and DOCX as .doc,
// so the format registry (index.ts) decides by content, with these checks. Each is one
// format's `sniff`, held by that format's registry entry. Kept apart from the
// extractors so routing a batch of text never loads pdfjs.
export { looksLikeZip } from "../model/zip.js";

/** What every sniff sees of a file: its bytes and name, and the cheap views several need. */
export interface Probe {
  bytes: Uint8Array;
  name: string;
  /** The first 4 KiB as latin1, lower-cased (markup is ASCII whatever the charset). */
  head: string;
  /** NUL bytes or many control characters (extractors/text.ts looksBinary). */
  binary: boolean;
}

/** A `%PDF-` header in the first 1 KiB (some writers put junk before it). */
export function looksLikePdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString("latin1").includes("%PDF-");
}

/** The image formats read by OCR (extractors/image.ts), by their signatures. */
const IMAGE_SIGNATURES: readonly [name: string, signature: readonly number[]][] = [
  ["JPEG", [0xff, 0xd8, 0xff]],
  ["PNG", [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ["TIFF", [0x49, 0x49, 0x2a, 0x00]],
  ["TIFF", [0x4d, 0x4d, 0x00, 0x2a]],
  ["GIF", [0x47, 0x49, 0x46, 0x38]],
  ["BMP", [0x42, 0x4d]],
];

/** The image format the bytes open with (JPEG, PNG, TIFF, GIF, BMP), or null. */
export function imageType(bytes: Uint8Array): string | null {
  for (const [name, sig] of IMAGE_SIGNATURES) if (bytes.length > sig.length && sig.every((b, i) => bytes[i] === b)) return name;
  return null;
}

/** A picture (a scanned page, a photo or screenshot of a report's tables): binary, with an image signature. */
export const looksLikeImage = (p: Probe): boolean => p.binary && imageType(p.bytes) !== null;

/**
 * An OpenDocument text (.odt, as LibreOffice and WPS save it): a zip whose first member is
 * `mimetype`, stored uncompressed, holding this type (the format's own rule).
 */
export function isOpenDocumentText(probe: Probe): boolean {
  return probe.head.startsWith("pk\x03\x04") && probe.head.includes("mimetypeapplication/vnd.oasis.opendocument.text");
}

/**
 * An Office Open XML workbook (.xlsx, as Excel, WPS and LibreOffice save it): a zip whose
 * central directory names xl/workbook.xml (and no word/document.xml: a Word file is read as one).
 */
export function isSpreadsheetML(probe: Probe): boolean {
  if (!probe.head.startsWith("pk\x03\x04")) return false;
  const b = Buffer.from(probe.bytes.buffer, probe.bytes.byteOffset, probe.bytes.byteLength);
  return b.indexOf("xl/workbook.xml", 0, "latin1") >= 0 && b.indexOf("word/document.xml", 0, "latin1") < 0;
}

/**
 * Rich Text Format (.rtf, as Word, WPS and LibreOffice save it): text that opens with the
 * group `{\rtf` (a UTF-8 BOM and white space before it allowed). Read as text, its control
 * words and hex-escaped GBK would be no report.
 */
export const isRichText = (probe: Probe): boolean => /^(?:\xef\xbb\xbf)?\s*\{\\rtf/.test(probe.head);

const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** The OLE compound-file signature of legacy .doc and .wps (and encrypted DOCX). */
export function isOleCompound(bytes: Uint8Array): boolean {
  return bytes.length >= OLE.length && OLE.every((b, i) => bytes[i] === b);
}

const utf16 = (s: string) => Buffer.from(s, "utf16le");
const WORKBOOK_STREAMS = [utf16("Workbook"), utf16("Book\0")];
const WORD_STREAM = utf16("WordDocument");

/**
 * A legacy workbook (.xls, WPS's .et): an OLE compound file whose directory names a
 * Workbook (BIFF8) or Book (BIFF5) stream and no WordDocument stream (a Word file holding
 * an Excel object names both: it is a Word file).
 */
export function isLegacyWorkbook(probe: Probe): boolean {
  if (!isOleCompound(probe.bytes)) return false;
  const b = Buffer.from(probe.bytes.buffer, probe.bytes.byteOffset, probe.bytes.byteLength);
  return WORKBOOK_STREAMS.some((s) => b.indexOf(s) >= 0) && b.indexOf(WORD_STREAM) < 0;
}

/** Tags that open an HTML page, or a fragment of one (an article's HTML saved alone). */
const HTML_HEAD = /<(?:!doctype\s+html|html|head|body|meta|table|div|article)[\s>]/;
const FRAGMENT_START = /^(?:\ufeff|\xef\xbb\xbf)?\s*<(?:p|span|h[1-6]|font|center|section|br|strong|b|ul|ol|li|tbody|tr|td|style|img|a|o:p)[\s>/]/i;
const CLOSING = /<\/(?:p|td|tr|span|div|h[1-6]|li|strong|font)>/gi;

/**
 * HTML by its first bytes: a page's opening tags, or a fragment (it starts with `<p …>`
 * or `<table>` and carries no `<html>` or `<body>`), or text full of closing tags. The
 * name only breaks ties (`.html`, `.shtml`).
 */
export function looksLikeHtml(p: Probe): boolean {
  if (p.binary) return false;
  if (HTML_HEAD.test(p.head) || /\.s?html?$/i.test(p.name)) return true;
  if (FRAGMENT_START.test(p.head)) return true;
  return (p.head.match(CLOSING) ?? []).length >= 3;
}

/**
 * An MHTML archive (a web page saved with its pictures): a MIME message whose headers, before
 * the first blank line, say multipart/related.
 */
export function looksLikeMhtml(p: Probe): boolean {
  const blank = p.head.search(/\r?\n\r?\n/);
  const head = blank < 0 ? p.head : p.head.slice(0, blank);
  return /^\s*[a-z][\w-]*:/.test(head) && /(?:^|\n)content-type:\s*multipart\/related\b/.test(head);
}

/** Anything that is not binary: the last entry, read as plain text. */
export const looksLikeText = (p: Probe): boolean => !p.binary;
