// What a page says about itself outside the article's text, gathered in one walk of the
// whole tree: its <title>, <meta> and <base> tags, the headings that may title the article
// (read by meta.ts), and its footers, where portals print who runs the site (read by site.ts).
import { isElement, textOf, type Element, type ParentNode } from "./dom.js";

export interface PageInfo {
  /** Text of the first <title>. */
  title: string;
  metas: Element[];
  baseHref: string | undefined;
  /** h1-h3 and .title-like elements outside nav/footer/links/lists/tables, in document order. */
  headings: Element[];
  /** The outermost footer-like elements (<footer>, class or id saying foot, copyright, bottom), in document order. */
  footers: Element[];
}

/** Elements whose headings never title the article (menus, link lists, tables, the footer). */
const NOT_TITLE_ANCESTOR = new Set(["nav", "footer", "a", "li", "ul", "ol", "table", "head", "select"]);
const HEADING_CLASS = /title|biaoti/i;
/** Class or id of the blocks portals put their footer in. */
const FOOTER_HINT = /foot|copyright|banquan|bottom/i;

function isFooter(el: Element): boolean {
  const { class: cls, id } = el.attribs;
  return el.name === "footer" || (cls !== undefined && FOOTER_HINT.test(cls)) || (id !== undefined && FOOTER_HINT.test(id));
}

function isHeading(el: Element): boolean {
  const name = el.name;
  if (name === "h1" || name === "h2" || name === "h3") return true;
  // Most elements have no class and no id: no regex run on an empty string for them.
  const { class: cls, id } = el.attribs;
  return (cls !== undefined && HEADING_CLASS.test(cls)) || (id !== undefined && HEADING_CLASS.test(id));
}

/**
 * One walk in document order, scripts and styles left out. <title>, <meta> and <base> are
 * read and not entered; a footer is noted once, with what it holds (a footer inside a
 * footer is not another), and walked on for headings and tags like any element.
 */
export function readPage(root: ParentNode): PageInfo {
  const info: PageInfo = { title: "", metas: [], baseHref: undefined, headings: [], footers: [] };
  let seenTitle = false;
  // Each node with its ancestors' verdicts: under an element that bans titles, inside a footer.
  // Only elements are pushed: text, comments and directives say nothing here.
  const stack: { n: Element; banned: boolean; inFooter: boolean }[] = [];
  const pushChildren = (p: ParentNode, banned: boolean, inFooter: boolean) => {
    for (let i = p.children.length - 1; i >= 0; i--) {
      const c = p.children[i];
      if (isElement(c)) stack.push({ n: c, banned, inFooter });
    }
  };
  pushChildren(root, false, false);
  while (stack.length) {
    const { n, banned, inFooter } = stack.pop()!;
    if (n.name === "script" || n.name === "style") continue;
    const footer = !inFooter && isFooter(n);
    if (footer) info.footers.push(n);
    switch (n.name) {
      case "title":
        if (!seenTitle) info.title = textOf(n);
        seenTitle = true;
        continue;
      case "meta":
        info.metas.push(n);
        continue;
      case "base":
        if (info.baseHref === undefined && n.attribs.href) info.baseHref = n.attribs.href;
        continue;
    }
    if (!banned && isHeading(n)) info.headings.push(n);
    pushChildren(n, banned || NOT_TITLE_ANCESTOR.has(n.name), inFooter || footer);
  }
  return info;
}
