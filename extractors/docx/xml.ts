// XML of a DOCX part → an ordered tree, bounded in depth, with namespace prefixes
// rewritten to the usual ones (w:, mc:, m:) whatever the file declares.
import { XMLParser } from "fast-xml-parser";
import { ExtractError } from "../../model/document.js";

/** fast-xml-parser's preserveOrder form: one key naming the element (or "#text"), ":@" for attributes. */
export type XNode = { [tag: string]: XNode[] | string | Record<string, string> | undefined } & { ":@"?: Record<string, string> };

const CANONICAL: Record<string, string> = {
  "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "w",
  "http://purl.oclc.org/ooxml/wordprocessingml/main": "w",
  "http://schemas.openxmlformats.org/markup-compatibility/2006": "mc",
  "http://schemas.openxmlformats.org/officeDocument/2006/math": "m",
  "http://purl.oclc.org/ooxml/officeDocument/math": "m",
};

/**
 * Prefixes declared on the root element, mapped to the usual ones. Null when the file
 * already uses them (the common case: no renaming work at all).
 */
function prefixMap(xml: string): Map<string, string> | null {
  const start = xml.search(/<[A-Za-z_]/);
  if (start < 0) return null;
  const end = xml.indexOf(">", start);
  const root = xml.slice(start, end < 0 ? undefined : end);
  const map = new Map<string, string>();
  let needed = false;
  const taken = new Set<string>();
  for (const m of root.matchAll(/xmlns(?::([\w.-]+))?\s*=\s*["']([^"']*)["']/g)) {
    const prefix = m[1] ?? "";
    const canon = CANONICAL[m[2]];
    if (canon) {
      map.set(prefix, canon);
      taken.add(canon);
      if (prefix !== canon) needed = true;
    }
  }
  // A prefix spelled like a canonical one but bound elsewhere must not be mistaken for it.
  for (const m of root.matchAll(/xmlns:([\w.-]+)\s*=\s*["']([^"']*)["']/g)) {
    if (!CANONICAL[m[2]] && taken.has(m[1])) {
      map.set(m[1], `x-${m[1]}`);
      needed = true;
    }
  }
  return needed ? map : null;
}

function renamer(map: Map<string, string>): (name: string) => string {
  const dflt = map.get("");
  return (name) => {
    const i = name.indexOf(":");
    if (i < 0) return dflt && name !== "xmlns" ? `${dflt}:${name}` : name;
    const to = map.get(name.slice(0, i));
    return to ? to + name.slice(i) : name;
  };
}

/** Parses one part. Throws ExtractError "too-deep" past maxDepth, "corrupt" for a DTD or broken XML. */
export function parseXml(xml: string, part: string, maxDepth: number): XNode[] {
  // OOXML never carries a DTD; refusing one rules out entity-expansion tricks.
  if (/<!DOCTYPE/i.test(xml.slice(0, 4096))) throw new ExtractError(`${part}: a DTD in a DOCX part is not allowed`, "corrupt");
  const map = prefixMap(xml);
  const rename = map ? renamer(map) : undefined;
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "",
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: true,
    htmlEntities: true, // also resolves numeric references (&#x4E00;), which the XML-only mode leaves as typed
    ignoreDeclaration: true,
    ignorePiTags: true,
    maxNestedTags: maxDepth,
    ...(rename ? { transformTagName: rename, transformAttributeName: rename } : {}),
  });
  try {
    return parser.parse(xml) as XNode[];
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    if (/nested tags/i.test(msg)) throw new ExtractError(`${part}: elements are nested deeper than ${maxDepth} (limits.maxNestingDepth)`, "too-deep");
    if (e instanceof RangeError) throw new ExtractError(`${part}: elements are nested too deep to read`, "too-deep");
    throw new ExtractError(`${part}: not well-formed XML: ${msg}`, "corrupt");
  }
}

export function tagOf(n: XNode): string {
  for (const k in n) if (k !== ":@") return k;
  return "";
}

export function kids(n: XNode, tag?: string): XNode[] {
  const v = n[tag ?? tagOf(n)];
  return Array.isArray(v) ? v : [];
}

export function attr(n: XNode, name: string): string | undefined {
  return n[":@"]?.[name];
}

/** First child element with that tag. */
export function child(n: XNode, tag: string): XNode | undefined {
  for (const c of kids(n)) if (tag in c) return c;
  return undefined;
}

/** All text directly under an element (its #text children). */
export function textOf(n: XNode): string {
  let s = "";
  for (const c of kids(n)) {
    const t = c["#text"];
    if (typeof t === "string") s += t;
  }
  return s;
}

/** First element with that tag anywhere in the list (depth-first). */
export function find(list: XNode[], tag: string): XNode | undefined {
  for (const n of list) {
    if (tag in n) return n;
    const inner = find(kids(n), tag);
    if (inner) return inner;
  }
  return undefined;
}
