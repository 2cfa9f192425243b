// Bytes → text for an HTML page: the charset the HTTP header or a <meta> declares, checked
// against the bytes by src/charset.ts, and a diagnostic when the two disagree.
import { canonicalCharset, decode, type Decoded } from "../../model/charset.js";
import { ExtractError, type Diagnostic } from "../../model/document.js";

/** How far into the bytes a <meta> charset is looked for (browsers prescan 1024; portals put it later). */
const PRESCAN_BYTES = 4096;

/** The charset parameter of a Content-Type value (`text/html; charset=gb2312`), or null. */
export function charsetOfContentType(value: string | undefined | null): string | null {
  if (!value) return null;
  const m = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(value);
  return m ? m[2] : null;
}

/**
 * The charset a <meta> declares in the first bytes: `<meta charset="gbk">` or
 * `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`. Bytes are read
 * as Latin-1 (ASCII-compatible, never fails); comments are skipped.
 */
export function prescanMetaCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, PRESCAN_BYTES))
    .toString("latin1")
    .replace(/<!--[\s\S]*?(?:-->|$)/g, "");
  const metas = head.match(/<meta\b[^>]*>/gi);
  if (!metas) return null;
  for (const tag of metas) {
    const direct = /\bcharset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)/i.exec(tag);
    if (direct) return direct[1];
  }
  return null;
}

const MAGIC: [string, number[]][] = [
  ["a PDF file", [0x25, 0x50, 0x44, 0x46]],
  ["a zip archive (DOCX/XLSX/ZIP)", [0x50, 0x4b, 0x03, 0x04]],
  ["an OLE2 file (DOC/XLS/WPS)", [0xd0, 0xcf, 0x11, 0xe0]],
  ["a PNG image", [0x89, 0x50, 0x4e, 0x47]],
  ["a GIF image", [0x47, 0x49, 0x46, 0x38]],
  ["a JPEG image", [0xff, 0xd8, 0xff]],
  ["a RAR archive", [0x52, 0x61, 0x72, 0x21]],
  ["a 7z archive", [0x37, 0x7a, 0xbc, 0xaf]],
  ["a gzip stream", [0x1f, 0x8b]],
];

/** Throws ExtractError("binary") for bytes that are plainly another format. */
export function refuseBinary(bytes: Uint8Array, name: string): void {
  for (const [what, sig] of MAGIC) {
    if (bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b))
      throw new ExtractError(`not an HTML page: the bytes are ${what}`, "binary");
  }
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (!utf16) {
    const n = Math.min(bytes.length, 1024);
    for (let i = 0; i < n; i++)
      if (bytes[i] === 0) throw new ExtractError(`not an HTML page: NUL bytes in the first 1 KB (binary data)`, "binary");
  }
}

export interface DecodedPage extends Decoded {
  /** The charset label that was declared, and where; null when none was. */
  declared: { label: string; from: "header" | "meta" } | null;
}

/**
 * Decode a page: the header's charset wins over the <meta> one, as in browsers (a label
 * no decoder knows is skipped, with a warning). decode() refuses a declaration the bytes
 * contradict; that is reported as html:charset-mismatch naming both.
 */
export function decodePage(bytes: Uint8Array, contentType: string | undefined, diagnostics: Diagnostic[]): DecodedPage {
  const candidates: { label: string; from: "header" | "meta" }[] = [];
  const header = charsetOfContentType(contentType);
  if (header) candidates.push({ label: header, from: "header" });
  const meta = prescanMetaCharset(bytes);
  if (meta) candidates.push({ label: meta, from: "meta" });
  const whereOf = (from: "header" | "meta") => (from === "header" ? "the HTTP Content-Type header" : "a <meta> tag");
  let declared: DecodedPage["declared"] = null;
  let known: string | null = null;
  for (const c of candidates) {
    known = canonicalCharset(c.label);
    if (known) {
      declared = c;
      break;
    }
    diagnostics.push({
      severity: "warning",
      source: "html:charset-unknown",
      message: `${whereOf(c.from)} declares charset "${c.label}", which no decoder knows; ignored`,
    });
  }
  const decoded = decode(bytes, declared ? declared.label : null);
  if (declared && known && decoded.by === "sniffed") {
    diagnostics.push({
      severity: "warning",
      source: "html:charset-mismatch",
      message: `${whereOf(declared.from)} declares charset "${declared.label}" but the bytes are not ${known}; read as ${decoded.encoding}`,
    });
  } else if (declared && known && decoded.by === "bom" && known !== decoded.encoding) {
    diagnostics.push({
      severity: "info",
      source: "html:charset-mismatch",
      message: `${whereOf(declared.from)} declares charset "${declared.label}" but a byte-order mark says ${decoded.encoding}; the mark wins`,
    });
  }
  return { ...decoded, declared };
}
