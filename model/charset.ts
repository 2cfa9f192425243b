// Decoding bytes to text. Government files come in UTF-8, GB18030/GBK/GB2312 and
// now and then UTF-16; a wrong guess mangles every label, so decode in a fixed order:
// a byte-order mark, then a declared charset, then strict UTF-8, then GB18030.
import { isUtf8 } from "node:buffer";
import iconv from "iconv-lite";

export interface Decoded {
  text: string;
  /** The encoding used, lower case ("utf-8", "gb18030", "utf-16le", ...). */
  encoding: string;
  /** How the encoding was decided. */
  by: "bom" | "declared" | "sniffed";
}

/** Names portals declare, mapped to the decoder that reads them all correctly. */
function canonical(label: string): string | null {
  const l = label.trim().toLowerCase().replace(/^["']|["']$/g, "");
  if (l === "utf8" || l === "utf-8") return "utf-8";
  // GB2312 and GBK are subsets of GB18030: pages labelled gb2312 often use GBK characters.
  if (["gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"].includes(l)) return "gb18030";
  if (l === "big5" || l === "big5-hkscs") return "big5";
  if (l === "utf-16le" || l === "utf-16be" || l === "utf-16") return l === "utf-16" ? "utf-16le" : l;
  return iconv.encodingExists(l) ? l : null;
}

/**
 * The decoder a charset label names (lower case, e.g. "utf-8", "gb18030"), or null for a
 * label no decoder knows. Callers use it to tell an unknown label from one the bytes contradict.
 */
export function canonicalCharset(label: string): string | null {
  return canonical(label);
}

export function decodeWith(bytes: Uint8Array, encoding: string): string {
  if (encoding === "utf-8") {
    // Buffer's decoder is TextDecoder's (same replacement of bad bytes) minus BOM stripping, done here.
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return Buffer.from(bytes.buffer, bytes.byteOffset + bom, bytes.byteLength - bom).toString("utf8");
  }
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
}

export function isValidUtf8(bytes: Uint8Array): boolean {
  // node:buffer isUtf8 (simdutf) validates as TextDecoder's fatal mode does, without decoding.
  return isUtf8(bytes);
}

/**
 * Decode bytes. `declared` is a charset named by the container (HTTP header, <meta>);
 * it is trusted only when the bytes agree with it: a page that says UTF-8 but is not
 * valid UTF-8 is read as GB18030 (and the caller is told through `by`).
 */
export function decode(bytes: Uint8Array, declared?: string | null): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: decodeWith(bytes.subarray(3), "utf-8"), encoding: "utf-8", by: "bom" };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: decodeWith(bytes.subarray(2), "utf-16le"), encoding: "utf-16le", by: "bom" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: decodeWith(bytes.subarray(2), "utf-16be"), encoding: "utf-16be", by: "bom" };
  const utf8 = isValidUtf8(bytes);
  const named = declared ? canonical(declared) : null;
  if (named && !(named === "utf-8" && !utf8) && !(named === "gb18030" && utf8 && hasMultibyte(bytes)))
    return { text: decodeWith(bytes, named), encoding: named, by: "declared" };
  if (utf8) return { text: decodeWith(bytes, "utf-8"), encoding: "utf-8", by: "sniffed" };
  return { text: decodeWith(bytes, "gb18030"), encoding: "gb18030", by: "sniffed" };
}

/** Valid UTF-8 with multibyte sequences is almost never GBK text by accident. */
function hasMultibyte(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return true;
  return false;
}
