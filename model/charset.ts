// Decoding bytes to text. Government files come in UTF-8, GB18030/GBK/GB2312, now and
// then UTF-16, and Big5 where a page was saved in Traditional characters; a wrong guess
// mangles every label, so decode in a fixed order: a byte-order mark, then a declared
// charset, then strict UTF-8, then GB18030 (or Big5 where the bytes read as a report only so).
import { isUtf8 } from "node:buffer";
import { createRequire } from "node:module";
import { TextDecoder } from "node:util";
import { simplifiedView } from "./traditional.js";

type Iconv = typeof import("iconv-lite");
let iconvLib: Iconv | undefined;
/** iconv-lite, loaded on first use (a CommonJS package, so synchronously): a file in UTF-8, as most are, never pays its load. */
const iconv = (): Iconv => (iconvLib ??= createRequire(import.meta.url)("iconv-lite") as Iconv);

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
  return iconv().encodingExists(l) ? l : null;
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
  if (encoding === "gb18030") {
    const fast = decodeGb18030Native(bytes);
    if (fast !== null) return fast;
  }
  return iconv().decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
}

/**
 * Node's own GB18030 decoder (ICU, WHATWG's mapping) where it gives what iconv-lite gives,
 * else null (the caller then decodes with iconv-lite). Compared over every 2- and 4-byte
 * code, the two differ only
 * - on 18 two-byte codes that GB18030-2022 moved out of the Private Use Area
 *   (A6D9-A6DF, A6EC, A6ED, A6F3 → U+FE10-FE19; FE59, FE61, FE66, FE67, FE6D, FE7E, FE90,
 *   FEA0 → U+9FB4-9FBB; iconv-lite keeps the PUA code points): the native text then
 *   holds one of those characters, and the page goes to iconv-lite;
 * - on bytes that are no GB18030 code (4-byte codes past U+FFFF's or U+10FFFF's, lone or
 *   truncated leads, 0xFF): the fatal native decoder throws on them, and iconv-lite reads
 *   the page with its own replacements.
 * test/charset-gb18030.test.ts holds the two to each other.
 */
export function decodeGb18030Native(bytes: Uint8Array): string | null {
  const decoder = gb18030Decoder();
  if (!decoder) return null;
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return null; // not valid GB18030: iconv-lite's replacements are the reference
  }
  return GB18030_REMAPPED.test(text) ? null : text;
}

/** What the 18 remapped two-byte codes (and only they, among valid codes) decode to natively. */
const GB18030_REMAPPED = /[\ufe10-\ufe19\u9fb4-\u9fbb]/;

let nativeGb18030: TextDecoder | null | undefined;
/** A fatal TextDecoder for GB18030, or null where Node was built without ICU's converters. */
function gb18030Decoder(): TextDecoder | null {
  if (nativeGb18030 === undefined) {
    try {
      // ignoreBOM: a U+FEFF at the start stays, as iconv-lite leaves it for GB18030.
      nativeGb18030 = new TextDecoder("gb18030", { fatal: true, ignoreBOM: true });
    } catch {
      nativeGb18030 = null;
    }
  }
  return nativeGb18030;
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
  const gb = decodeWith(bytes, "gb18030");
  if (hasBig5Trail(bytes)) {
    // Big5 and GBK share their byte ranges, so either decodes the other into characters:
    // Big5 is taken where it reads more of a report's words than GB18030 does.
    const big5 = decodeWith(bytes, "big5");
    if (reportWords(big5) > reportWords(gb)) return { text: big5, encoding: "big5", by: "sniffed" };
  }
  return { text: gb, encoding: "gb18030", by: "sniffed" };
}

/** Words every annual report prints many times, as matched (公開, 報告 read as 公开, 报告). */
const REPORT_WORDS = /政府|信息|公开|申请|报告|行政|年度/g;
/** How often a report's words stand in the start of a text, folded to Simplified. */
function reportWords(text: string): number {
  return simplifiedView(text.slice(0, 65536)).match(REPORT_WORDS)?.length ?? 0;
}

/**
 * Whether the bytes hold a double-byte code Big5 has and GB 2312's rows do not use: a
 * lead byte A1–F9 with a trail byte 40–7E (Big5's first trail range). Text in GB 2312's
 * characters has none, and is decoded once, as before.
 */
function hasBig5Trail(bytes: Uint8Array): boolean {
  for (let i = 0; i + 1 < bytes.length; i++) {
    const b = bytes[i];
    if (b < 0x80) continue;
    const t = bytes[i + 1];
    if (b >= 0xa1 && b <= 0xf9 && t >= 0x40 && t <= 0x7e) return true;
    i++;
  }
  return false;
}

/** Valid UTF-8 with multibyte sequences is almost never GBK text by accident. */
function hasMultibyte(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return true;
  return false;
}
