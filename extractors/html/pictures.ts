// The article's pictures (`<img>`) and the bytes the file itself holds of them: a data: URI's
// own, or a part of the archive the page came in (an MHTML file's parts, by URL or
// Content-ID). A picture linked from elsewhere (`src="/uploads/t2.png"` in a page saved
// alone) is not held: nothing is fetched here.
import type { Element } from "./dom.js";
import type { ArticlePicture } from "./blocks.js";
import type { PlacedPicture } from "../pictures.js";

/** The bytes of a resource held beside the page, asked for by absolute URL or by `cid:` Content-ID; null where none is held. */
export type Resources = (key: string) => Uint8Array | null;

export interface HeldPictures {
  held: PlacedPicture[];
  /** Pictures whose bytes the file does not hold (linked from elsewhere, or a URI not decoded). */
  notHeld: number;
  /** The addresses of those linked from elsewhere (a thumbnail's full-size picture first), resolved against the page's base, in order, each once. */
  linked: string[];
}

/**
 * The address a picture shows: portals' lazy loaders keep it in `data-original` or
 * `data-src` (UEditor in `_src`) and put a placeholder in `src`.
 */
export function pictureAddress(img: Element): string | undefined {
  const a = img.attribs;
  for (const v of [a["data-original"], a["data-src"], a._src, a.src]) if (v && v.trim()) return v.trim();
  return undefined;
}

const PICTURE_FILE = /\.(?:jpe?g|png|gif|bmp|tiff?)(?:$|[?#])/i;

/**
 * Where a picture may be had, best first: the full-size picture a thumbnail links to (an
 * `<img>` inside `<a href="…/t2.png">`, as portals' editors wrap a shrunk table), then the
 * picture shown.
 */
export function pictureAddresses(img: Element): string[] {
  const out: string[] = [];
  for (let n = img.parent, up = 0; n && up < 3; n = n.parent, up++) {
    const el = n as Element;
    if (el.type === "tag" && el.name === "a") {
      const href = el.attribs.href?.trim();
      if (href && PICTURE_FILE.test(href)) out.push(href);
      break;
    }
  }
  const shown = pictureAddress(img);
  if (shown !== undefined && !out.includes(shown)) out.push(shown);
  return out;
}

/** The pictures whose bytes the file holds, with where each stands; the rest counted. */
export function heldPictures(pictures: ArticlePicture[], base: string | undefined, resources: Resources | undefined): HeldPictures {
  const held: PlacedPicture[] = [];
  const linked = new Set<string>();
  let notHeld = 0;
  for (const p of pictures) {
    const addresses = pictureAddresses(p.img);
    const isData = (a: string) => a.slice(0, 5).toLowerCase() === "data:";
    let bytes: Uint8Array | null = null;
    for (const a of addresses) {
      bytes = isData(a) ? dataUriBytes(a) : resources ? resource(a, base, resources) : null;
      if (bytes?.byteLength) break;
    }
    if (bytes?.byteLength) {
      held.push({ at: p.at, bytes });
      continue;
    }
    notHeld++;
    // Every address it may be had at, best first: a thumbnail is kept with its full-size picture.
    for (const a of addresses) if (!isData(a)) linked.add(absolute(a, base));
  }
  return { held, notHeld, linked: [...linked] };
}

function resource(address: string, base: string | undefined, resources: Resources): Uint8Array | null {
  if (/^cid:/i.test(address)) return resources(`cid:${address.slice(4).replace(/^<|>$/g, "")}`);
  const url = absolute(address, base);
  return resources(url) ?? (url === address ? null : resources(address));
}

/** An address resolved against the page's base; as written where it cannot be. */
function absolute(address: string, base: string | undefined): string {
  try {
    return new URL(address, base).href;
  } catch {
    return address;
  }
}

/** The bytes of a data: URI (base64 or percent-encoded), null where it is not one. */
export function dataUriBytes(uri: string): Uint8Array | null {
  const comma = uri.indexOf(",");
  if (comma < 0) return null;
  const head = uri.slice(5, comma);
  const body = uri.slice(comma + 1);
  // Percent-escapes decoded to the bytes they stand for (unescape: %XX to the code unit XX, which latin1 writes as that byte).
  const text = body.includes("%") ? unescape(body) : body;
  if (/;\s*base64\s*$/i.test(head)) return new Uint8Array(Buffer.from(text.replace(/\s+/g, ""), "base64"));
  return new Uint8Array(Buffer.from(text, "latin1"));
}
