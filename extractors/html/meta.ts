// Page metadata: the article's title, its publication date, its attachment links.
import { ATTACHMENT_HREF } from "./body.js";
import { isElement, isHidden, normLine, textOf, type AnyNode, type Element, type ParentNode } from "./dom.js";
import type { PageInfo } from "./page.js";
import { execPrinted, simplifiedView } from "../../model/traditional.js";

const SITE_SEGMENT =
  /(?:人民政府|人民政府网|人民政府门户网站|政府网|门户网站|网站|政府门户|政务网|政务服务网|官网|首页|信息公开平台|政府信息公开|政务公开)$/;

/** `<title>` minus the site-name segments portals append (`_XX区人民政府`, ` - XX市政府网`). */
export function cleanTitle(raw: string): { text: string; siteOnly: boolean } | null {
  const t = normLine(raw);
  if (!t) return null;
  const segments = t
    .split(/\s*(?:[_|｜]|——|--|\s[-–—]\s)\s*/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (segments.length === 0) return null;
  const article = segments.find((s) => !SITE_SEGMENT.test(simplifiedView(s)));
  return article ? { text: article, siteOnly: false } : { text: segments[0], siteOnly: true };
}

const compact = (s: string) => s.replace(/\s+/g, "");

/** Chain from the root down to the node. */
function chain(n: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (let p: AnyNode | null = n; p; p = p.parent) out.push(p);
  return out.reverse();
}

/** -1 when a comes before b in document order, 1 after, 0 when one contains the other. */
function order(a: AnyNode, b: AnyNode): number {
  const ca = chain(a);
  const cb = chain(b);
  let i = 0;
  while (i < ca.length && i < cb.length && ca[i] === cb[i]) i++;
  if (i === ca.length || i === cb.length) return 0;
  const parent = ca[i - 1] as ParentNode;
  return parent.children.indexOf(ca[i] as never) < parent.children.indexOf(cb[i] as never) ? -1 : 1;
}

function contains(outer: AnyNode, inner: AnyNode): boolean {
  for (let p: AnyNode | null = inner; p; p = p.parent) if (p === outer) return true;
  return false;
}

/**
 * The article's title: a heading (h1-h3, .title) that matches the page's stated title
 * (`<meta name="ArticleTitle">`, `<title>` minus the site name), else that stated
 * article title, else the heading nearest above the article, else the `<title>`.
 */
const TITLE_META = new Set(["articletitle", "og:title", "title"]);

export function pickTitle(page: PageInfo, container: ParentNode): string | undefined {
  const metaTitle = page.metas
    .filter((m) => TITLE_META.has((m.attribs.name ?? m.attribs.property ?? "").toLowerCase()))
    .map((m) => normLine(m.attribs.content ?? ""))
    .find((s) => s.length > 0);
  const docTitle = cleanTitle(page.title);
  const reference = compact(metaTitle ?? (docTitle && !docTitle.siteOnly ? docTitle.text : ""));

  const headings: { el: Element; text: string; rank: number }[] = [];
  for (const el of page.headings) {
    const text = normLine(textOf(el).replace(/\n/g, " "));
    if (text.length < 4 || text.length > 150) continue;
    headings.push({ el, text, rank: el.name === "h1" ? 0 : el.name === "h2" ? 1 : el.name === "h3" ? 3 : 2 });
  }
  if (reference) {
    const strong = headings.filter((h) => {
      const c = compact(h.text);
      return c === reference || (reference.length >= 6 && c.includes(reference)) || (c.length >= 6 && reference.includes(c));
    });
    if (strong.length) return strong.reduce((a, b) => (b.text.length > a.text.length ? b : a)).text;
    if (metaTitle) return metaTitle;
  }
  // The heading nearest above the article (or first inside it), within the article's wrapper.
  let zone: AnyNode = container;
  for (let k = 0; k < 3; k++) {
    const p: ParentNode | null = zone.parent;
    if (!p || !isElement(p) || p.name === "body" || p.name === "html") break;
    zone = p;
  }
  const near = headings
    .filter((h) => contains(zone, h.el) && (contains(container, h.el) || order(h.el, container) < 0))
    .sort((a, b) => a.rank - b.rank);
  if (near.length) {
    // The best rank; among those, the nearest above the article, else the first inside it.
    const top = near.filter((h) => h.rank === near[0].rank);
    const above = top.filter((h) => !contains(container, h.el));
    return (above.length ? above[above.length - 1] : top[0]).text;
  }
  return docTitle?.text;
}

const META_DATE = new Set([
  "pubdate", "publishdate", "publish_date", "publish-date", "publishtime", "firstpublishedtime", "article:published_time",
  "dc.date", "dc.date.issued", "dcterms.issued", "og:release_date", "releasedate", "date",
]);

const DATE = String.raw`(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})`;
const LABELS: RegExp[] = [
  ...["发布时间", "发布日期", "发文日期", "公开日期", "公布日期", "发表时间", "生成日期", "成文日期"].map(
    (l) => new RegExp(`${l}\\s*[:：]?\\s*${DATE}`),
  ),
  new RegExp(String.raw`(?<![\u4e00-\u9fff])(?:日期|时间)\s*[:：]\s*${DATE}`),
];

function isoDate(y: string, m: string, d: string): string | undefined {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  if (year < 1990 || year > 2100 || month < 1 || month > 12 || day < 1) return undefined;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > days) return undefined;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

const halfWidthDigits = (s: string) => s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/** A date the page states for itself, and how: a <meta> (PubDate, ...) or a labelled line (发布时间：...), with what it printed. */
export function pickPublishedOn(page: PageInfo, root: ParentNode): { date: string; from: "meta" | "line"; text: string } | undefined {
  for (const m of page.metas) {
    const key = (m.attribs.name ?? m.attribs.property ?? m.attribs.itemprop ?? "").toLowerCase();
    if (!META_DATE.has(key)) continue;
    const content = m.attribs.content ?? "";
    const d = new RegExp(DATE).exec(halfWidthDigits(content));
    const iso = d && isoDate(d[1], d[2], d[3]);
    if (iso) return { date: iso, from: "meta", text: `<meta ${m.attribs.name ? "name" : m.attribs.property ? "property" : "itemprop"}="${key}" content="${normLine(content)}">` };
  }
  const text = halfWidthDigits(textOf(root).replace(/\n/g, " "));
  for (const re of LABELS) {
    // Matched on the text folded to Simplified (發佈日期), the line kept as printed.
    const d = execPrinted(re, text);
    const iso = d && isoDate(d[1], d[2], d[3]);
    if (iso) return { date: iso, from: "line", text: normLine(d[0]) };
  }
  return undefined;
}

export interface Attachment {
  url: string;
  text: string;
}

/** The base a relative link resolves against: <base href> over the page URL. */
export function pageBase(page: PageInfo, url: string | undefined): string | undefined {
  const base = page.baseHref;
  try {
    if (base) return new URL(base, url).href;
  } catch {
    /* a relative <base> without a page URL: ignore it */
  }
  return url;
}

function resolve(href: string, base: string | undefined): string {
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

/** Elements that show a document inside the page, and the attribute naming it. */
export const EMBEDDING: Readonly<Record<string, string>> = { iframe: "src", frame: "src", embed: "src", object: "data" };

/**
 * The document a link or a frame shows: a PDF viewer page (pdf.js's `…/viewer.html?file=…`,
 * which portals put in an iframe or link) stands for the file its `file` parameter names,
 * resolved against the viewer's own address, as the viewer resolves it; any other address
 * is itself.
 */
export function documentAddress(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (!/(?:^|\/)viewer\.html?$/i.test(u.pathname) && !/\/pdfjs?\//i.test(u.pathname)) return url;
  const file = u.searchParams.get("file");
  if (!file || !ATTACHMENT_HREF.test(file)) return url;
  try {
    return new URL(file, u).href;
  } catch {
    return url;
  }
}

/** An address that may be a PDF viewer's (documentAddress): its document is named in its query. */
const VIEWER = /viewer\.html?|\/pdfjs?\//i;

/**
 * Documents a subtree links or shows: `<a>` to .doc/.docx/.wps/.pdf/.xls/.xlsx/.zip, and
 * `<iframe>`, `<embed>`, `<object>` showing one (a PDF embedded in the article, often through
 * a viewer page: documentAddress). Dropped elements are skipped, frames excepted (dropped
 * as never content, they are where a page shows its document) unless hidden.
 */
export function findAttachments(region: ParentNode, dropped: Set<Element>, base: string | undefined): Attachment[] {
  const out: Attachment[] = [];
  const seen = new Set<string>();
  const add = (href: string, n: Element, text: () => string) => {
    if (!href || /^(?:javascript|mailto|data):/i.test(href)) return false;
    // Resolving is the costly part (a URL object a link, a page's hundreds of menu links):
    // only an address that names a document or a viewer can resolve to one.
    const bare = href.replace(/[\t\n\r]/g, "");
    if (!ATTACHMENT_HREF.test(bare) && !VIEWER.test(bare)) return false;
    const url = documentAddress(resolve(href, base));
    if (!ATTACHMENT_HREF.test(url)) return false;
    if (!seen.has(url)) {
      seen.add(url);
      out.push({ url, text: text() || normLine(n.attribs.title ?? "") || decodeURIComponentSafe(url.split(/[?#]/)[0].split("/").pop() ?? "") });
    }
    return true;
  };
  const stack: AnyNode[] = [...region.children].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (!isElement(n)) continue;
    const shows = EMBEDDING[n.name];
    if (shows) {
      if (!isHidden(n)) add((n.attribs[shows] ?? "").trim(), n, () => "");
      continue;
    }
    if (dropped.has(n)) continue;
    if (n.name === "a" && add((n.attribs.href ?? "").trim(), n, () => normLine(textOf(n).replace(/\n/g, " ")))) continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Images in a subtree, skipping dropped elements. */
export function countImages(region: ParentNode, dropped: Set<Element>): number {
  let k = 0;
  const stack: AnyNode[] = [...region.children];
  while (stack.length) {
    const n = stack.pop()!;
    if (!isElement(n) || dropped.has(n)) continue;
    if (n.name === "img") k++;
    for (const c of n.children) stack.push(c);
  }
  return k;
}
