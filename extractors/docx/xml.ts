// XML of a DOCX part → an ordered tree (docx/node.ts), bounded in depth, with namespace
// prefixes rewritten to the usual ones (w:, mc:, m:) whatever the file declares.
//
// Read by docx/scan.ts, which builds the tree fast-xml-parser would, several times
// faster; a part it does not take on (a DTD, CDATA, HTML entities, odd names) is read
// by fast-xml-parser itself and its tree converted, so every part reads the same.
import { XMLParser } from "fast-xml-parser";
import { ExtractError } from "../../model/document.js";
import { XNode } from "./node.js";
import { Unsupported, scanXml } from "./scan.js";

export { XNode, attr, child, find, kids, tagOf, textOf } from "./node.js";

/** XML parts are UTF-8 or UTF-16 (with a BOM); anything else is read as UTF-8. */
export function decodeXml(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder("utf-16le").decode(buf);
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder("utf-16be").decode(buf);
  return new TextDecoder("utf-8").decode(buf);
}

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

/** The prefix renaming a part needs (undefined when it uses the usual prefixes). */
export function renamerFor(xml: string): ((name: string) => string) | undefined {
  const map = prefixMap(xml);
  return map ? renamer(map) : undefined;
}

/** Parses one part. Throws ExtractError "too-deep" past maxDepth, "corrupt" for a DTD or broken XML. */
export function parseXml(xml: string, part: string, maxDepth: number): XNode[] {
  // OOXML never carries a DTD; refusing one rules out entity-expansion tricks.
  if (/<!DOCTYPE/i.test(xml.slice(0, 4096))) throw new ExtractError(`${part}: a DTD in a DOCX part is not allowed`, "corrupt");
  const rename = renamerFor(xml);
  try {
    return scanXml(xml, { part, maxDepth, rename });
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
  }
  return parseReference(xml, part, maxDepth, rename);
}

/** fast-xml-parser's preserveOrder form: one key naming the element (or "#text"), ":@" for attributes. */
type FxpNode = { [tag: string]: FxpNode[] | string | Record<string, string> } & { ":@"?: Record<string, string> };

/** The part through fast-xml-parser, its tree converted: what the scanner does not take on. */
export function parseReference(xml: string, part: string, maxDepth: number, rename?: (name: string) => string): XNode[] {
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
  let tree: FxpNode[];
  try {
    tree = parser.parse(xml) as FxpNode[];
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    if (/nested tags/i.test(msg)) throw new ExtractError(`${part}: elements are nested deeper than ${maxDepth} (limits.maxNestingDepth)`, "too-deep");
    if (e instanceof RangeError) throw new ExtractError(`${part}: elements are nested too deep to read`, "too-deep");
    throw new ExtractError(`${part}: not well-formed XML: ${msg}`, "corrupt");
  }
  return convert(tree);
}

/** fast-xml-parser's nodes as XNodes (iterative: the tree may be as deep as the limit allows). */
function convert(tree: FxpNode[]): XNode[] {
  const out: XNode[] = [];
  const todo: { from: FxpNode[]; into: XNode[] }[] = [{ from: tree, into: out }];
  for (let job = todo.pop(); job; job = todo.pop()) {
    for (const n of job.from) {
      let tag = "";
      for (const k in n) if (k !== ":@") { tag = k; break; }
      const value = n[tag];
      if (tag === "#text") {
        job.into.push(XNode.textNode(String(value)));
        continue;
      }
      const attrs = n[":@"];
      const node = XNode.parsed(tag, [], attrs ? new Map(Object.entries(attrs).map(([k, v]) => [k, String(v)])) : null);
      job.into.push(node);
      if (Array.isArray(value)) todo.push({ from: value, into: node.children });
    }
  }
  return out;
}
