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
