// A purpose-built XML scanner for DOCX parts: the same tree fast-xml-parser gives with
// the options docx/xml.ts used (preserveOrder, text untrimmed, entities and numeric
// references decoded, comments, declarations and processing instructions dropped),
// built in one pass of indexOf calls, with attributes kept as written until asked for.
// It reads what Word, WPS, LibreOffice and pandoc write; anything else (a DTD, CDATA,
// an entity beyond the five XML ones, a name no OOXML part uses, a tag with no end) it
// does not guess at: it gives up with Unsupported and the caller reads the part with
// fast-xml-parser, whose behaviour this one copies (test/docx-xml.test.ts holds the two
// side by side).
//
// The copied behaviour, where it is not plain XML: CR and CRLF read as LF; text is kept
// verbatim, whitespace too, and text interrupted by a comment is one text node; text
// outside any element is dropped before an opening tag but kept before a closing one;
// a closing tag closes the innermost open element whatever its name; a self-closing
// element's name is renamed twice (fast-xml-parser applies its tag transform again there).
import { ExtractError } from "../../model/document.js";
import { DANGEROUS_NAMES, XNode, type AttributeReader } from "./node.js";

/** The scanner met something it leaves to the reference parser. */
export class Unsupported extends Error {}

/** Names OOXML uses: an optional prefix, then a name, ASCII only. */
const PLAIN_NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/;
/** fast-xml-parser's attribute pattern, kept as is so names and values split the same way. */
const ATTRIBUTE = /([^\s=]+)\s*(=\s*(?:"([^"]*)"|'([^']*)'))?/g;
/** What an HTML entity's name looks like (every name in fast-xml-parser's tables does). */
const ENTITY_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
/** JavaScript's \s, which fast-xml-parser splits a tag's name from its attributes at. */
const SPACE = /\s/;

export interface ScanOptions {
  part: string;
  maxDepth: number;
  /** Prefix renaming (xmlns declared under other prefixes), or undefined when the part uses the usual ones. */
  rename?: (name: string) => string;
}

/** Parses a part into its top-level nodes. Throws Unsupported, or ExtractError "too-deep". */
export function scanXml(source: string, options: ScanOptions): XNode[] {
  // Property names fast-xml-parser refuses outright: let it say so.
  if (source.includes("__proto__") || source.includes("constructor") || source.includes("prototype")) throw new Unsupported("reserved name");
  const xml = source.indexOf("\r") >= 0 ? source.replace(/\r\n?/g, "\n") : source;
  const rename = options.rename;
  const decoder = new Decoder();
  const attributes: AttributeReader = {
    parse(src: string): Map<string, string> {
      const out = new Map<string, string>();
      for (const m of src.matchAll(ATTRIBUTE)) {
        const value = m[3] ?? m[4];
        if (value === undefined) continue;
        let name = rename ? rename(m[1]) : m[1];
        if (DANGEROUS_NAMES.has(name)) name = `__${name}`;
        out.set(name, decoder.decode(value));
      }
      return out;
    },
  };
  // Names as the tree carries them: [opening or closing tag, self-closing tag].
  const names = new Map<string, [string, string]>();
  const nameOf = (raw: string, selfClosing: boolean): string => {
    let known = names.get(raw);
    if (!known) {
      const once = rename ? rename(raw) : raw;
      const twice = rename ? rename(once) : once;
      for (const n of [raw, once, twice]) if (!PLAIN_NAME.test(n) || DANGEROUS_NAMES.has(n)) throw new Unsupported(`name ${raw}`);
      known = [once, twice];
      names.set(raw, known);
    }
    return known[selfClosing ? 1 : 0];
  };

  const root = XNode.element("!xml", null, null);
  const stack: XNode[] = [];
  let current = root;
  let pending = ""; // text before a comment, continued after it
  let i = 0;
  const n = xml.length;
  const saveText = (text: string) => {
    const value = text.indexOf("&") >= 0 ? decoder.decode(text) : text;
    if (value !== "") current.children.push(XNode.textNode(value));
  };

  for (;;) {
    const lt = xml.indexOf("<", i);
    if (lt < 0) break; // text after the last tag belongs to nothing
    const c1 = xml.charCodeAt(lt + 1);
    if (c1 === 47 /* / */) {
      const gt = xml.indexOf(">", lt);
      if (gt < 0) throw new Unsupported("closing tag not closed");
      const text = pending + xml.slice(i, lt);
      pending = "";
      if (text !== "") saveText(text);
      current = stack.pop() ?? root;
      i = gt + 1;
      continue;
    }
    if (c1 === 33 /* ! */) {
      if (xml.charCodeAt(lt + 2) !== 45 || xml.charCodeAt(lt + 3) !== 45) throw new Unsupported("DTD or CDATA");
      const end = xml.indexOf("-->", lt + 4);
      if (end < 0) throw new Unsupported("comment not closed");
      pending += xml.slice(i, lt);
      i = end + 3;
      continue;
    }
    if (c1 === 63 /* ? */) {
      const close = tagEnd(xml, lt + 1, true);
      const text = pending + xml.slice(i, lt);
      pending = "";
      if (text !== "") saveText(text);
      // fast-xml-parser reads a version from every instruction's attributes: 1.1 lets
      // numeric references to control characters through.
      const data = xml.slice(lt + 1, close);
      const sep = data.search(SPACE);
      if (sep >= 0) {
        const attrs = attributes.parse(data.slice(sep + 1).trimStart());
        if (attrs.size) decoder.xmlVersion = (Number(attrs.get("version")) || 1.0) === 1.1 ? 1.1 : 1.0;
      }
      i = close + 2;
      continue;
    }
    // An opening or self-closing tag.
    const gt = tagEnd(xml, lt + 1, false);
    if (current !== root) {
      const text = pending + xml.slice(i, lt);
      if (text !== "") saveText(text);
    }
    pending = "";
    let nameEnd = lt + 1;
    while (nameEnd < gt && isNameChar(xml.charCodeAt(nameEnd))) nameEnd++;
    let selfClosing = false;
    let attrSource: string | null = null;
    if (nameEnd === gt) {
      // <w:p>
    } else if (xml.charCodeAt(nameEnd) === 47 /* / */ && nameEnd === gt - 1) {
      selfClosing = true; // <w:br/>
    } else if (SPACE.test(xml[nameEnd])) {
      let a = nameEnd + 1;
      while (a < gt && SPACE.test(xml[a])) a++;
      let b = gt;
      if (b > a && xml.charCodeAt(b - 1) === 47) {
        selfClosing = true;
        b--;
      }
      // Only attributes with a value count, and a value needs "=".
      if (b > a && xml.indexOf("=", a) < b) attrSource = xml.slice(a, b);
    } else throw new Unsupported("unusual tag");
    const node = XNode.element(nameOf(xml.slice(lt + 1, nameEnd), selfClosing), attrSource, attrSource === null ? null : attributes);
    if (selfClosing) current.children.push(node);
    else {
      if (stack.length > options.maxDepth)
        throw new ExtractError(`${options.part}: elements are nested deeper than ${options.maxDepth} (limits.maxNestingDepth)`, "too-deep");
      stack.push(current);
      current.children.push(node);
      current = node;
    }
    i = gt + 1;
  }
  return root.children;
}

/** Letters, digits, _ . - : (the characters of the names PLAIN_NAME accepts). */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 58) || c === 95 || c === 46 || c === 45;
}

/**
 * Where a tag ends: its ">" (or the "?" of "?>" for an instruction), quoted values
 * skipped whole, as fast-xml-parser finds it.
 */
function tagEnd(xml: string, from: number, instruction: boolean): number {
  for (let k = from; k < xml.length; k++) {
    const c = xml.charCodeAt(k);
    if (c === 34 || c === 39) {
      k = xml.indexOf(c === 34 ? '"' : "'", k + 1);
      if (k < 0) break;
    } else if (instruction ? c === 63 && xml.charCodeAt(k + 1) === 62 : c === 62) return k;
  }
  throw new Unsupported("tag not closed");
}

/**
 * Entity references as fast-xml-parser decodes them (@nodable/entities, numeric
 * references allowed): the five XML entities and numeric references; any other name is
 * left to the reference parser, whose HTML entity table this one does not copy (a token
 * no table could hold, such as `& ;`, stays as typed).
 */
class Decoder {
  xmlVersion: 1.0 | 1.1 = 1.0;

  decode(s: string): string {
    let i = s.indexOf("&");
    if (i < 0) return s;
    const len = s.length;
    let out = "";
    let last = 0;
    while (i < len) {
      if (s.charCodeAt(i) !== 38) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < len && s.charCodeAt(j) !== 59 && j - i <= 32) j++;
      if (j >= len || s.charCodeAt(j) !== 59 || j === i + 1) {
        i++;
        continue;
      }
      const token = s.slice(i + 1, j);
      let replacement: string | undefined;
      if (token.charCodeAt(0) === 35) replacement = this.numeric(token);
      else if (token === "amp") replacement = "&";
      else if (token === "lt") replacement = "<";
      else if (token === "gt") replacement = ">";
      else if (token === "quot") replacement = '"';
      else if (token === "apos") replacement = "'";
      else if (ENTITY_NAME.test(token)) throw new Unsupported(`entity &${token};`);
      // else no entity of any table: left as typed, as fast-xml-parser leaves it
      if (replacement === undefined) {
        i++;
        continue;
      }
      out += s.slice(last, i) + replacement;
      last = i = j + 1;
    }
    return last === 0 ? s : out + s.slice(last);
  }

  /** A numeric reference: the character, "" where XML forbids it, undefined to leave the text as it is. */
  private numeric(token: string): string | undefined {
    const second = token.charCodeAt(1);
    const cp = second === 120 || second === 88 ? parseInt(token.slice(2), 16) : parseInt(token.slice(1), 10);
    if (Number.isNaN(cp) || cp < 0 || cp > 0x10ffff) return undefined;
    if (cp === 0 || (cp >= 0xd800 && cp <= 0xdfff)) return "";
    if (this.xmlVersion === 1.0 && cp >= 0x01 && cp <= 0x1f && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) return "";
    return String.fromCodePoint(cp);
  }
}
