// A report page whose tables are pictures linked from elsewhere (`<img src="/uploads/t2.png">`)
// does not hold them: read alone it has no tables. The crawler (which fetches the pictures
// from the portal) and a folder ingest (which finds them beside the page, as a browser's
// "Save as: complete" leaves them in `report_files/`) keep the page and its pictures
// together as one MHTML archive (RFC 2557), the format a browser saves a page with its
// pictures in. That archive is the document stored: it reads to the same record on every
// reparse, the review page can show it, and its sha256 is the same for the same page and
// pictures (no date in it, its boundary made from its contents), so a page fetched again
// unchanged is the document already held.
import { dirname, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { sha256 } from "../model/hash.js";
import { DEFAULT_LIMITS, type Limits } from "../model/limits.js";
import { imageType } from "../extractors/signatures.js";
import { sniff } from "../extractors/index.js";
import { linkedPictures } from "../extractors/html.js";
import { readBounded } from "./read-file.js";

/** A picture to keep with its page: the address the page names it by (absolute), its bytes. */
export interface PagePicture {
  url: string;
  bytes: Uint8Array;
}

const MIME: Record<string, string> = { JPEG: "image/jpeg", PNG: "image/png", TIFF: "image/tiff", GIF: "image/gif", BMP: "image/bmp" };

/**
 * The pictures a page's report may have as its tables, fetched by `get` (null where one
 * cannot be had); those whose bytes are no picture are dropped. Empty for any other page.
 * `url` is the page's own address (http(s): or file:), against which its `<img>` resolve.
 */
export async function picturesOfPage(
  page: { bytes: Uint8Array; url: string; contentType?: string; name: string },
  limits: Limits,
  get: (url: string) => Promise<Uint8Array | null>,
): Promise<PagePicture[]> {
  // Read only a page that shows a picture at all: the crawler and a folder ingest ask of every
  // page, and the parse that answers is about as costly as the document's own.
  if (!showsPicture(page.bytes)) return [];
  const addresses = linkedPictures(page.bytes, { name: page.name, limits, url: page.url, contentType: page.contentType });
  const out: PagePicture[] = [];
  for (const url of addresses) {
    const bytes = await get(url);
    if (bytes && imageType(bytes)) out.push({ url, bytes });
  }
  return out;
}

/** Whether the bytes hold an `<img` tag (any case; ASCII in every charset a page comes in but UTF-16). */
function showsPicture(bytes: Uint8Array): boolean {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = b.indexOf("<"); at >= 0 && at + 4 < b.length; at = b.indexOf("<", at + 1))
    if ((b[at + 1] | 0x20) === 0x69 && (b[at + 2] | 0x20) === 0x6d && (b[at + 3] | 0x20) === 0x67) return true;
  return false;
}

/** The page and its pictures as one MHTML archive: the page first, each picture after it by its address. */
export function archivePage(page: { bytes: Uint8Array; url: string; contentType?: string }, pictures: PagePicture[]): Uint8Array {
  const id = sha256(Buffer.concat([page.bytes, ...pictures.flatMap((p) => [Buffer.from(`\n${p.url}\n`), p.bytes])]));
  // Base64 never holds "-" or "=_": the boundary cannot occur inside a part.
  const boundary = `----=_xxgk_${id.slice(0, 32)}`;
  const charset = /;\s*charset\s*=\s*"?([\w.:-]+)/i.exec(page.contentType ?? "")?.[1];
  const part = (headers: string[], bytes: Uint8Array) =>
    [`--${boundary}`, ...headers, "Content-Transfer-Encoding: base64", "", Buffer.from(bytes).toString("base64").replace(/.{76}/g, "$&\r\n")].join("\r\n");
  const lines = [
    "From: <Saved by xxgk>",
    `Snapshot-Content-Location: ${page.url}`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/related; type="text/html"; boundary="${boundary}"`,
    "",
    part([`Content-Type: text/html${charset ? `; charset=${charset}` : ""}`, `Content-Location: ${page.url}`], page.bytes),
    ...pictures.map((p) => part([`Content-Type: ${MIME[imageType(p.bytes) ?? ""] ?? "application/octet-stream"}`, `Content-Location: ${p.url}`], p.bytes)),
    `--${boundary}--`,
    "",
  ];
  return new Uint8Array(Buffer.from(lines.join("\r\n"), "latin1"));
}

/**
 * A page file on disk with the pictures it shows from its own folder (a browser's "Save as:
 * complete" leaves them in `report_files/`): the archive of page and pictures, and the
 * pictures' paths; null for any other file, or a page that shows none from there. Each
 * picture is read under `maxBytes`; nothing outside the page's folder is read.
 */
export async function pageWithPicturesBeside(path: string, bytes: Uint8Array, maxBytes: number): Promise<{ bytes: Uint8Array; pictures: string[] } | null> {
  try {
    if (sniff(bytes, path).kind !== "html") return null;
  } catch {
    return null; // no format xxgk reads: the parse says why
  }
  const page = resolve(path);
  const folder = dirname(page) + sep;
  const url = pathToFileURL(page).href;
  const pictures = await picturesOfPage({ bytes, url, name: path }, DEFAULT_LIMITS, async (address) => {
    let file: string;
    try {
      file = fileURLToPath(address);
    } catch {
      return null; // not a file: address
    }
    if (!file.startsWith(folder)) return null;
    const got = readBounded(file, maxBytes);
    return got.ok ? got.bytes : null;
  });
  if (!pictures.length) return null;
  return { bytes: archivePage({ bytes, url }, pictures), pictures: pictures.map((p) => fileURLToPath(p.url)) };
}
