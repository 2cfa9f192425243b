// Finding links: report links and the next page on an HTML list page (cheerio selector
// and/or a pattern on the link text), items of a JSON list endpoint, and attachment
// links (.docx, .doc, .wps, .pdf) on an article page.
import * as cheerio from "cheerio";
import { decodePage } from "../../extractors/html/decode.js";
import { documentAddress, EMBEDDING } from "../../extractors/html/meta.js";
import type { JsonList, LinkRule } from "./config.js";
import type { ListedOn } from "../../model/provenance.js";
import { readDate } from "../../normalizers/meta.js";
import { simplifiedView } from "../../model/traditional.js";

export interface Link {
  url: string;
  text: string;
  /** The date the list page prints beside the link (its row, outside the link's own text), where exactly one is printed. */
  listedOn?: ListedOn;
}

const LIST_DATE = /(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)/g;

/** The one date printed in `text` (ISO 8601 and as printed), or undefined where there is none or several. */
export function dateIn(text: string, page: string): ListedOn | undefined {
  const found = new Map<string, string>();
  for (const m of text.normalize("NFKC").matchAll(LIST_DATE)) {
    const iso = readDate(m[2] !== undefined ? `${m[1]}-${m[2]}-${m[3]}` : `${m[1]}年${m[4]}月${m[5]}日`);
    if (iso) found.set(iso, m[0].trim());
  }
  if (found.size !== 1) return undefined;
  const [[date, printed]] = [...found];
  return { date, text: printed, page };
}

/** Decodes an HTML page as the extractor does (header charset, <meta>, then the bytes). */
export function decodeHtml(bytes: Uint8Array, contentType?: string): string {
  return decodePage(bytes, contentType, []).text;
}

/**
 * An absolute http(s) URL without its fragment, or null. A PDF viewer page's address
 * (`…/viewer.html?file=…`) is the document's it shows (documentAddress): a list or a page
 * linking a report through a viewer links the report.
 */
export function absolute(href: string | undefined, base: string): string | null {
  if (!href) return null;
  const h = href.trim();
  if (!h || /^(javascript|mailto|tel|data):/i.test(h) || h.startsWith("#")) return null;
  try {
    const u = new URL(documentAddress(new URL(h, base).href));
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    u.hash = "";
    return u.href;
  } catch {
    return null;
  }
}

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

/**
 * The date beside a link on a list page: in its row (the nearest li, tr, dd or p, else its
 * parent when that holds no other link), outside the link's own text.
 */
function dateBeside($: cheerio.CheerioAPI, a: Parameters<cheerio.CheerioAPI>[0], page: string): ListedOn | undefined {
  const $a = $(a as never);
  let row = $a.closest("li, tr, dd, p");
  if (row.length === 0) {
    const parent = $a.parent();
    if (parent.length === 0 || parent.find("a[href]").length !== 1) return undefined;
    row = parent;
  }
  if (row.find("a[href]").length > 1 && !row.is("tr, li")) return undefined;
  const clone = row.clone();
  clone.find("a[href]").remove();
  return dateIn(squash(clone.text()), page);
}

function matching($: cheerio.CheerioAPI, rule: LinkRule, base: string, page?: string): Link[] {
  const re = rule.text ? new RegExp(rule.text, "u") : null;
  const out: Link[] = [];
  const seen = new Set<string>();
  const els = $(rule.selector ?? "a[href]");
  els.each((_, el) => {
    // A selector may name the link's container: take the anchors inside it.
    const anchors = el.type === "tag" && el.name === "a" ? [el] : $(el).find("a[href]").toArray();
    for (const a of anchors) {
      const $a = $(a);
      const text = squash($a.text());
      const title = squash($a.attr("title") ?? "");
      // A portal's 繁体 pages print 年度報告, 下一頁: the text folded to Simplified matches the rule's 年度报告 too.
      if (re && !re.test(text) && !re.test(title) && !re.test(simplifiedView(text)) && !re.test(simplifiedView(title))) continue;
      const url = absolute($a.attr("href"), base);
      if (!url || seen.has(url)) continue;
      seen.add(url);
      const listedOn = page ? dateBeside($, a, page) : undefined;
      out.push({ url, text: title.length > text.length ? title : text, ...(listedOn ? { listedOn } : {}) });
    }
  });
  return out;
}

export interface ListPage {
  links: Link[];
  next: string | null;
}

/**
 * cheerio on htmlparser2 rather than parse5: a list page is only searched for links, and
 * htmlparser2's tree takes half the memory and a third of the time (a page of 100,000
 * links: 214 MB and 2 s against 397 MB and 5.7 s).
 */
const load = (html: string) => cheerio.load(html, { xml: { xmlMode: false, decodeEntities: true } });

export function parseListPage(html: string, pageUrl: string, reportLink: LinkRule, nextPage?: LinkRule): ListPage {
  const $ = load(html);
  const base = absolute($("base[href]").attr("href"), pageUrl) ?? pageUrl;
  const links = matching($, reportLink, base, pageUrl);
  let next: string | null = null;
  if (nextPage) {
    const cands = matching($, nextPage, base).filter((l) => l.url !== pageUrl);
    next = cands[0]?.url ?? null;
  }
  return { links, next };
}

/** Reads a dotted path (`data.list`, `result.items.0`) out of parsed JSON. */
export function at(value: unknown, path: string): unknown {
  if (!path) return value;
  let v: unknown = value;
  for (const key of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export class JsonListError extends Error {}

export function parseJsonList(text: string, cfg: JsonList, pageUrl: string): Link[] {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new JsonListError(`the list endpoint did not answer JSON: ${(e as Error).message}`);
  }
  const items = at(json, cfg.itemsPath);
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) throw new JsonListError(`${cfg.itemsPath || "(top)"} is not an array in the list endpoint's answer`);
  const re = cfg.titleMatch ? new RegExp(cfg.titleMatch, "u") : null;
  const out: Link[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const href = at(item, cfg.urlField);
    const title = at(item, cfg.titleField);
    const text = typeof title === "string" ? squash(title) : "";
    if (re && !re.test(text)) continue;
    const url = typeof href === "string" ? absolute(href, pageUrl) : null;
    if (!url || seen.has(url)) continue;
    seen.add(url);
    const date = cfg.dateField ? at(item, cfg.dateField) : undefined;
    const listedOn = typeof date === "string" ? dateIn(date, pageUrl) : undefined;
    out.push({ url, text, ...(listedOn ? { listedOn } : {}) });
  }
  return out;
}

/** The URL of page `n` of a JSON list. */
export function jsonPageUrl(cfg: JsonList, n: number): string {
  const u = new URL(cfg.url);
  if (cfg.nextPageParam) u.searchParams.set(cfg.nextPageParam, String(n));
  return u.href;
}

// Files a report may be: its text (Word, WPS, OpenDocument, RTF, PDF) or its tables as a workbook (.xlsx, .xls, WPS's .et).
export const ATTACHMENT_EXT = /\.(?:docx|doc|wps|odt|rtf|pdf|xlsx|xls|et)$/i;

export function isAttachmentUrl(url: string): boolean {
  try {
    const u = new URL(url);
    if (ATTACHMENT_EXT.test(decodeURIComponent(u.pathname))) return true;
    // Download scripts: ?file=xxx.pdf, ?filename=...
    for (const v of u.searchParams.values()) if (ATTACHMENT_EXT.test(v)) return true;
    return false;
  } catch {
    return false;
  }
}

/** Attachment links on an article page. */
export function attachmentLinks(html: string, pageUrl: string): Link[] {
  const $ = load(html);
  const base = absolute($("base[href]").attr("href"), pageUrl) ?? pageUrl;
  const out: Link[] = [];
  const seen = new Set<string>();
  // Links, and frames showing a document (a PDF in an iframe, often through a viewer page).
  $("a[href], iframe[src], frame[src], embed[src], object[data]").each((_, el) => {
    const tag = (el as { tagName?: string }).tagName?.toLowerCase() ?? "a";
    const url = absolute($(el).attr(tag === "a" ? "href" : (EMBEDDING[tag] ?? "src")), base);
    if (!url || seen.has(url) || !isAttachmentUrl(url)) return;
    seen.add(url);
    out.push({ url, text: squash(tag === "a" ? $(el).text() : ($(el).attr("title") ?? "")) });
  });
  return out;
}
