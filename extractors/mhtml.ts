// MHTML (RFC 2557, `.mht` / `.mhtml`): a web page saved with its pictures in one file, as a
// MIME multipart/related message. Browsers save a page so ("Save as: Webpage, single
// file"), and so does Word's "Single File Web Page", which portals then serve as `.doc`.
// The page is read by the HTML reader (extractors/html.ts) as it would be alone; the other
// parts are what the page's `<img>` name, so a report whose tables were pasted as pictures
// is read from them by OCR (extractors/pictures.ts). The record says `html`.
//
// 1. The message's headers: `Content-Type: multipart/related` and its boundary.
// 2. The parts between the boundary lines, each with its own headers; at most
//    limits.maxZipEntries (the bound on an archive's members).
// 3. The page: the part the `start` parameter names by Content-ID, else the first
//    text/html part. Its charset from its own Content-Type, else as a page's.
// 4. The other parts by Content-Location (resolved to an absolute URL) and Content-ID,
//    decoded (base64, quoted-printable) only when the page's reader asks for one.
import { ExtractError } from "../model/document.js";
import type { ExtractOptions } from "./types.js";
import { pageReaders, readArticle, type ArticleRead } from "./html.js";
import type { Resources } from "./html/pictures.js";

/** A part of the message: its headers (names lower-cased, folded lines joined) and its body as written. */
interface Part {
  headers: Map<string, string>;
  /** The body's bytes as latin1 text (one character a byte), before its transfer encoding is undone. */
  body: string;
}

const mhtml = pageReaders(readArchive);
export const readMhtml = mhtml.readInThread;
export const extractMhtml = mhtml.extract;
export const mhtmlPicturesPdf = mhtml.picturesPdf;

function readArchive(bytes: Uint8Array, options: ExtractOptions): ArticleRead {
  const { limits } = options;
  if (bytes.byteLength === 0) throw new ExtractError("the file is empty", "empty");
  if (bytes.byteLength > limits.maxFileBytes)
    throw new ExtractError(`${bytes.byteLength} bytes is over the ${limits.maxFileBytes}-byte limit (limits.maxFileBytes)`, "too-large");
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const message = splitHead(text, 0);
  const type = message.headers.get("content-type") ?? "";
  if (!/^\s*multipart\/related\b/i.test(type)) throw new ExtractError(`not an MHTML archive: its Content-Type is ${type.trim() || "missing"}, not multipart/related`, "corrupt");
  const boundary = param(type, "boundary");
  if (!boundary) throw new ExtractError("the MHTML archive's Content-Type names no boundary between its parts", "corrupt");
  const parts = splitParts(message.body, boundary, limits.maxZipEntries);
  options.deadline?.check();

  const start = param(type, "start");
  const isHtml = (p: Part) => /^\s*text\/html\b/i.test(p.headers.get("content-type") ?? "");
  const page = (start && parts.find((p) => contentId(p) === start.replace(/^<|>$/g, ""))) || parts.find(isHtml);
  if (!page) throw new ExtractError(`the MHTML archive holds no web page: none of its ${parts.length} part(s) is text/html`, "not-html");

  const url = location(page) ?? message.headers.get("snapshot-content-location")?.trim() ?? options.url;
  const resources = partResources(parts, page, url);
  const html = decodeBody(page);
  const charset = param(page.headers.get("content-type") ?? "", "charset");
  const read = readArticle(html, { ...options, url, contentType: charset ? `text/html; charset=${charset}` : options.contentType }, resources.get);
  read.doc.diagnostics.unshift({
    severity: "info",
    source: "mhtml:archive",
    message: `an MHTML archive (a web page saved with its resources${saver(message.headers.get("from"))}): the page is its part ${parts.indexOf(page) + 1} of ${parts.length}${url ? ` (${url})` : ""}; ${resources.count} other part(s) that its page may show`,
  });
  return read;
}

/** Who saved the archive, as its From header says (`<Saved by Blink>`, `<Saved by xxgk>`). */
const saver = (from: string | undefined): string => {
  const by = /saved by ([^<>]{1,40})/i.exec(from ?? "")?.[1]?.trim();
  return by ? `, saved by ${by}` : "";
};

/** The headers (to the first blank line) and what follows, from `from`. */
function splitHead(text: string, from: number): Part {
  const end = /\r?\n\r?\n/g;
  end.lastIndex = from;
  const m = end.exec(text);
  const head = m ? text.slice(from, m.index) : text.slice(from);
  const headers = new Map<string, string>();
  // Folded lines (starting with a space or a tab) continue the header before them.
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body: m ? text.slice(m.index + m[0].length) : "" };
}

/** A parameter of a header's value (`boundary="----=_NextPart_01"`), unquoted. */
function param(value: string, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, "i").exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** The parts between `--boundary` lines, to the closing `--boundary--` (or the end). */
function splitParts(body: string, boundary: string, max: number): Part[] {
  const parts: Part[] = [];
  const delimiter = `--${boundary}`;
  // A boundary line starts a line: at the body's start or after a line break.
  let at = body.startsWith(delimiter) ? 0 : body.indexOf(`\n${delimiter}`);
  if (at < 0) throw new ExtractError("the MHTML archive has no part: its boundary line never appears", "corrupt");
  if (at > 0) at += 1;
  for (;;) {
    const after = at + delimiter.length;
    if (body.startsWith("--", after)) break; // the closing boundary
    const lineEnd = body.indexOf("\n", after);
    if (lineEnd < 0) break;
    const next = body.indexOf(`\n${delimiter}`, lineEnd);
    const content = body.slice(lineEnd + 1, next < 0 ? body.length : next > 0 && body[next - 1] === "\r" ? next - 1 : next);
    parts.push(splitHead(content, 0));
    if (parts.length > max) throw new ExtractError(`the MHTML archive has more than ${max} parts (limits.maxZipEntries, the bound on an archive's members)`, "too-large");
    if (next < 0) break;
    at = next + 1;
  }
  if (!parts.length) throw new ExtractError("the MHTML archive has no part", "corrupt");
  return parts;
}

const contentId = (p: Part): string | undefined => p.headers.get("content-id")?.trim().replace(/^<|>$/g, "");
const location = (p: Part): string | undefined => p.headers.get("content-location")?.trim() || undefined;

/** The parts other than the page, by absolute URL and `cid:`, each decoded when first asked for. */
function partResources(parts: Part[], page: Part, base: string | undefined): { get: Resources; count: number } {
  const byKey = new Map<string, Part>();
  for (const p of parts) {
    if (p === page) continue;
    const where = location(p);
    if (where) {
      let url = where;
      try {
        url = new URL(where, base).href;
      } catch {
        /* a relative location with no base: as written */
      }
      if (!byKey.has(url)) byKey.set(url, p);
    }
    const id = contentId(p);
    if (id && !byKey.has(`cid:${id}`)) byKey.set(`cid:${id}`, p);
  }
  const decoded = new Map<Part, Uint8Array>();
  const get: Resources = (key) => {
    const p = byKey.get(key);
    if (!p) return null;
    let bytes = decoded.get(p);
    if (!bytes) decoded.set(p, (bytes = decodeBody(p)));
    return bytes;
  };
  return { get, count: parts.length - 1 };
}

/** A part's bytes, its transfer encoding undone (base64, quoted-printable; 7bit, 8bit and binary as written). */
function decodeBody(p: Part): Uint8Array {
  const encoding = (p.headers.get("content-transfer-encoding") ?? "").trim().toLowerCase();
  if (encoding === "base64") return new Uint8Array(Buffer.from(p.body, "base64"));
  if (encoding === "quoted-printable") return quotedPrintable(p.body);
  return new Uint8Array(Buffer.from(p.body, "latin1"));
}

/** Quoted-printable (RFC 2045): `=` at a line's end joins it to the next, `=XX` is the byte XX. */
export function quotedPrintable(text: string): Uint8Array {
  const joined = text.replace(/=[ \t]*\r?\n/g, "");
  const out = Buffer.alloc(joined.length);
  let n = 0;
  for (let i = 0; i < joined.length; i++) {
    const c = joined.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      out[n++] = parseInt(joined.slice(i + 1, i + 3), 16);
      i += 2;
    } else out[n++] = c & 0xff;
  }
  return new Uint8Array(out.buffer, out.byteOffset, n);
}
