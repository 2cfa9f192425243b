// The tree a DOCX part is read into, and the helpers the body reader walks it with.
//
// One small class for elements and text alike (V8 keeps every node the same shape, so
// the walk's property reads stay fast). Attributes are kept as the tag wrote them and
// parsed on first use: a Word body has tens of thousands of elements, and the reader
// looks at the attributes of a few dozen (w:val of merges and spans, field characters,
// symbols), so parsing them all was most of the cost of reading a DOCX.

/** Names the tree must never carry as object keys (fast-xml-parser renames or refuses them too). */
export const DANGEROUS_NAMES = new Set(["hasOwnProperty", "toString", "valueOf", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__"]);

/** What a node needs to parse its attributes when asked: the part's attribute renaming and entity decoding. */
export interface AttributeReader {
  parse(source: string): Map<string, string>;
}

const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();
const NO_CHILDREN: XNode[] = Object.freeze([]) as unknown as XNode[];

export class XNode {
  private attrs: Map<string, string> | null;
  private constructor(
    /** The element's name with the usual prefix (w:, mc:, m:), or "#text" for text. */
    readonly tag: string,
    readonly children: XNode[],
    /** A text node's text (entities decoded); "" for an element. */
    readonly text: string,
    private attrSource: string | null,
    private readonly reader: AttributeReader | null,
    attrs: Map<string, string> | null,
  ) {
    this.attrs = attrs;
  }

  static element(tag: string, attrSource: string | null, reader: AttributeReader | null): XNode {
    return new XNode(tag, [], "", attrSource, reader, null);
  }

  /** An element whose attributes are already parsed (the reference parser's output). */
  static parsed(tag: string, children: XNode[], attrs: Map<string, string> | null): XNode {
    return new XNode(tag, children, "", null, null, attrs);
  }

  static textNode(text: string): XNode {
    return new XNode("#text", NO_CHILDREN, text, null, null, null);
  }

  attr(name: string): string | undefined {
    return this.attributes().get(name);
  }

  /** Every attribute with a value, by name as renamed. */
  attributes(): ReadonlyMap<string, string> {
    if (this.attrSource !== null) {
      this.attrs = this.reader!.parse(this.attrSource);
      this.attrSource = null;
    }
    return this.attrs ?? NO_ATTRIBUTES;
  }
}

export function tagOf(n: XNode): string {
  return n.tag;
}

/** The children of an element (of the element named `tag` only, when given). */
export function kids(n: XNode, tag?: string): XNode[] {
  return tag === undefined || tag === n.tag ? n.children : NO_CHILDREN;
}

export function attr(n: XNode, name: string): string | undefined {
  return n.attr(name);
}

/** First child element with that tag. */
export function child(n: XNode, tag: string): XNode | undefined {
  for (const c of n.children) if (c.tag === tag) return c;
  return undefined;
}

/** All text directly under an element (its #text children). */
export function textOf(n: XNode): string {
  let s = "";
  for (const c of n.children) if (c.tag === "#text") s += c.text;
  return s;
}

/** First element with that tag anywhere in the list (depth-first). */
export function find(list: XNode[], tag: string): XNode | undefined {
  for (const n of list) {
    if (n.tag === tag) return n;
    const inner = find(n.children, tag);
    if (inner) return inner;
  }
  return undefined;
}
