// What a file is, from its first bytes: portals serve PDFs as .htm and DOCX as .doc,
// so the router (index.ts) and the extractors decide by content, with these checks.
// Kept apart from the extractors so routing a batch of text never loads pdfjs.
export { looksLikeZip } from "../model/zip.js";

/** A `%PDF-` header in the first 1 KiB (some writers put junk before it). */
export function looksLikePdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString("latin1").includes("%PDF-");
}

const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** The OLE compound-file signature of legacy .doc and .wps (and encrypted DOCX). */
export function isOleCompound(bytes: Uint8Array): boolean {
  return bytes.length >= OLE.length && OLE.every((b, i) => bytes[i] === b);
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
export function looksLikeHtml(bytes: Uint8Array, name: string): boolean {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString("latin1").toLowerCase();
  if (HTML_HEAD.test(head) || /\.s?html?$/i.test(name)) return true;
  if (FRAGMENT_START.test(head)) return true;
  return (head.match(CLOSING) ?? []).length >= 3;
}
