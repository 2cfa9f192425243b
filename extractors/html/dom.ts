// Parsing with a depth bound, and the small DOM and text helpers the HTML extractor shares.
//
// htmlparser2 (cheerio's own HTML parser, installed with it) builds the tree: it is
// about 3x faster than parse5 on Word-pasted report pages and its tokenizer is a loop,
// not recursion. Its open-element stack grows by unshift (O(depth) per tag), so the
// depth is checked on every open tag and parsing stops at the bound: a page nested
// 100,000 deep costs no more than one nested to the bound.
import * as cheerio from "cheerio";
import { Parser } from "htmlparser2";
import { adapter } from "parse5-htmlparser2-tree-adapter";
import { DomHandler, type Document as DomDocument, type Element, type AnyNode, type ParentNode } from "domhandler";
import { ExtractError } from "../../model/document.js";

class BoundedHandler extends DomHandler {
  constructor(private readonly maxDepth: number) {
    super(null, { withStartIndices: false, withEndIndices: false });
  }
  override onopentag(name: string, attribs: { [key: string]: string }): void {
    // tagStack holds the document root, then one entry per open element.
    if (this.tagStack.length > this.maxDepth)
      throw new ExtractError(`elements are nested deeper than ${this.maxDepth} (limits.maxNestingDepth)`, "too-deep");
    super.onopentag(name, attribs);
  }
}

export interface Parsed {
  root: DomDocument;
  /** "htmlparser2", or "parse5" when the fast parser's nesting tripped the bound. */
  parser: "htmlparser2" | "parse5";
}

/**
 * Parse under the depth bound. htmlparser2 does not apply every implied end tag of the
 * HTML standard (an unclosed <p> with an unclosed <font> inside nests each following
 * paragraph one level deeper), so when its nesting trips the bound the page is parsed
 * again by the standard's own algorithm (parse5, cheerio's default parser), which builds
 * the nesting a browser would, bounded the same way through the tree adapter.
 */
export function parseBounded(html: string, maxDepth: number): Parsed {
  const handler = new BoundedHandler(maxDepth);
  const parser = new Parser(handler, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  try {
    parser.end(html);
    return { root: handler.root, parser: "htmlparser2" };
  } catch (e) {
    if (!(e instanceof ExtractError) || e.code !== "too-deep") throw e;
  }
  return { root: parseStandard(html, maxDepth), parser: "parse5" };
}

function parseStandard(html: string, maxDepth: number): DomDocument {
  // Depth of each pushed element, from its parent's (cached; a walk up when not known).
  const depthOf = new WeakMap<ParentNode, number>();
  const depth = (node: ParentNode): number => {
    let d = 0;
    for (let p: ParentNode | null = node; p; p = p.parent) {
      const known = depthOf.get(p);
      if (known !== undefined) return d + known;
      d++;
    }
    return d;
  };
  const treeAdapter: typeof adapter = {
    ...adapter,
    onItemPush(element: Element): void {
      const d = depth(element);
      depthOf.set(element, d);
      // The document and <html> sit above <body>'s content: allow for them.
      if (d > maxDepth + 1) throw new ExtractError(`elements are nested deeper than ${maxDepth} (limits.maxNestingDepth)`, "too-deep");
    },
  };
  const $ = cheerio.load(html, { treeAdapter });
  return $.root()[0] as DomDocument;
}

export type { Element, AnyNode, ParentNode, DomDocument };

export function isElement(n: AnyNode): n is Element {
  return n.type === "tag" || n.type === "script" || n.type === "style";
}

export function isText(n: AnyNode): n is AnyNode & { data: string } {
  return n.type === "text";
}

/** Elements that start and end a line of text. */
export const BLOCK = new Set([
  "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "dir", "div",
  "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
  "hgroup", "hr", "html", "legend", "li", "listing", "main", "menu", "nav", "ol", "p", "plaintext", "pre", "section",
  "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "xmp",
]);

/** Never content: dropped with everything inside. */
export const NEVER = new Set([
  "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
  "canvas", "select", "button", "input", "textarea", "option", "optgroup", "datalist", "audio", "video", "map",
  "head", "title", "link", "meta", "base",
]);

/** Page chrome by element name. */
export const CHROME = new Set(["nav", "header", "footer", "aside"]);

/**
 * Wide (East Asian) characters, by UTF-16 code unit: a source line break between two of
 * them renders as nothing. (U+1100-115F, U+2E80-2FFF, U+3001-303F, U+3040-4DBF, U+4E00-9FFF,
 * U+F900-FAFF, U+FE30-FE4F, U+FF01-FF60, U+FFE0-FFE6.)
 */
function isWide(c: number): boolean {
  if (c < 0x1100) return false;
  if (c <= 0x115f) return true; // Hangul Jamo
  if (c < 0x2e80) return false;
  if (c <= 0x4dbf) return c !== 0x3000; // CJK radicals to Extension A; U+3000 is a space
  if (c < 0x4e00) return false;
  if (c <= 0x9fff) return true; // CJK Unified Ideographs
  return (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff01 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6);
}

/** What normLine makes of a character. */
const enum Kind {
  Visible,
  /** White space other than a line break: \s's U+0009, 000B, 000C, space, U+00A0, 1680, 2000-200A, 2028, 2029, 202F, 205F, 3000. */
  Space,
  /** \n or \r. */
  Break,
  /** Removed: U+200B-200D, U+2060, U+FEFF. */
  ZeroWidth,
}

function kindOf(c: number): Kind {
  if (c === 32) return Kind.Space;
  if (c < 32) return c === 10 || c === 13 ? Kind.Break : c >= 9 && c <= 12 ? Kind.Space : Kind.Visible;
  if (c < 0xa0) return Kind.Visible;
  if (c === 0xa0 || c === 0x1680 || c === 0x3000) return Kind.Space;
  if (c < 0x2000) return Kind.Visible;
  if (c <= 0x200a || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f) return Kind.Space;
  if (c <= 0x200d || c === 0x2060 || c === 0xfeff) return Kind.ZeroWidth;
  return Kind.Visible;
}

/**
 * One printed line from raw text: zero-width characters go; whitespace runs collapse to
 * one space, except a run holding a source line break between two wide characters, which
 * disappears (CSS Text segment-break rule: Word wraps its HTML in the middle of Chinese
 * text); trimmed. One scan; a line with nothing to change is given back as it is.
 */
export function normLine(raw: string): string {
  const n = raw.length;
  let out = ""; // the line so far, up to raw[from]
  let from = 0;
  let last = -1; // the last visible character's code (-1: none yet)
  let run = -1; // where the current run of whitespace and zero-width characters began (-1: not in one)
  let spaces = 0; // whitespace characters in the run
  let breaks = false; // the run holds \n or \r
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    const kind = kindOf(c);
    if (kind !== Kind.Visible) {
      if (run < 0) run = i;
      if (kind !== Kind.ZeroWidth) spaces++;
      if (kind === Kind.Break) breaks = true;
      continue;
    }
    if (run >= 0) {
      // The run ends at a visible character: it becomes one space, or nothing (at the start,
      // only zero-width characters, a line break between wide characters). A lone space stays.
      const gap = last < 0 || spaces === 0 || (breaks && isWide(last) && isWide(c)) ? "" : " ";
      if (!(gap === " " && i - run === 1 && raw.charCodeAt(run) === 32)) {
        out += raw.slice(from, run) + gap;
        from = i;
      }
      run = -1;
      spaces = 0;
      breaks = false;
    }
    last = c;
  }
  if (run >= 0) return out + raw.slice(from, run); // a trailing run goes
  return from === 0 ? raw : out + raw.slice(from);
}

/** Non-whitespace characters in a string. */
export function visibleLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x20 && c !== 0xa0 && c !== 0x3000 && c !== 0xfeff && !(c >= 0x2000 && c <= 0x200d)) n++;
  }
  return n;
}

/** Accumulates raw text; break() ends a line. */
export class Lines {
  readonly lines: string[] = [];
  private buf = "";
  add(text: string): void {
    this.buf += text;
  }
  break(): void {
    if (this.buf === "") return;
    const line = normLine(this.buf);
    this.buf = "";
    if (line) this.lines.push(line);
  }
}

export function attr(el: Element, name: string): string | undefined {
  return el.attribs[name];
}

export function classAndId(el: Element): string {
  const c = el.attribs.class;
  const i = el.attribs.id;
  return c && i ? `${c} ${i}` : (c ?? i ?? "");
}

/** Hidden by its own attributes (inline style display:none / visibility:hidden, `hidden`). */
export function isHidden(el: Element): boolean {
  if (el.attribs.hidden !== undefined) return true;
  const style = el.attribs.style;
  if (style === undefined || !/none|hidden/i.test(style)) return false;
  return /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b/i.test(style);
}

/** Text of a subtree, lines joined with "\n" (iterative; for titles and small elements). */
export function textOf(root: ParentNode, skip?: (el: Element) => boolean): string {
  const lines = new Lines();
  const stack: (AnyNode | null)[] = [...root.children].reverse();
  while (stack.length) {
    const n = stack.pop();
    if (n === null) {
      lines.break();
      continue;
    }
    if (n === undefined) break;
    if (isText(n)) lines.add(n.data);
    else if (isElement(n)) {
      if (NEVER.has(n.name) || (skip && skip(n))) continue;
      if (n.name === "br") {
        lines.break();
        continue;
      }
      const block = BLOCK.has(n.name);
      if (block) {
        lines.break();
        stack.push(null);
      }
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
  }
  lines.break();
  return lines.lines.join("\n");
}
