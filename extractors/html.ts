// HTML extractor: a portal article page → the shared Document.
//
// 1. Bounds and format: size over limits.maxFileBytes, empty or binary input → ExtractError.
// 2. Charset: HTTP header, else <meta> prescan of the first 4 KB, checked by decode().
// 3. Parse with htmlparser2 (cheerio's parser) under limits.maxNestingDepth.
// 4. Find the article container by content, drop page chrome (html/body.ts).
// 5. Paragraphs and exact-grid tables in document order (html/blocks.ts).
// 6. One walk of the whole page for its <title>, <meta>s, headings and footers (html/page.ts);
//    from them the title and publication date, and the attachment links (html/meta.ts); the
//    site's owner from the footer (html/site.ts).
// 7. An article whose tables hold no number but that has pictures the file holds (data:
//    URIs; an MHTML archive's parts, extractors/mhtml.ts), in a page that names
//    information disclosure: the pictures read by OCR where they stand (extractors/pictures.ts),
//    by the full reader only (the in-thread reader hands such a page to a worker).
import { ExtractError, type Diagnostic, type Document, type DocumentMeta } from "../model/document.js";
import { NeedsFullReader, type ExtractOptions, type Extractor, type SyncExtractor } from "./types.js";
import { analyse, articleRegion } from "./html/body.js";
import { walkBlocks, type ArticlePicture } from "./html/blocks.js";
import { heldPictures, type Resources } from "./html/pictures.js";
import { picturesPdf, readPlacedPictures, type PlacedPicture, type PicturesSaid } from "./pictures.js";
import { namesDisclosure } from "../model/text.js";
import { decodePage, refuseBinary } from "./html/decode.js";
import { isElement, parseBounded, type Element } from "./html/dom.js";
import { countImages, findAttachments, pageBase, pickPublishedOn, pickTitle } from "./html/meta.js";
import { readPage } from "./html/page.js";
import { siteOwner } from "./html/site.js";

/** Markup that makes text an HTML page (or fragment) rather than plain text. */
const MARKUP = /<(?:!doctype\s+html|html|head|body|meta|title|div|p|table|tr|td|span|a|br|h[1-6]|font|center|article|section|script|style|link)\b/i;

/** HTML with no <html> and no <body>: the article's markup alone. */
export function isFragment(html: string): boolean {
  const head = html.slice(0, 65536);
  return !/<(?:html|body)[\s>]/i.test(head) && !/<frameset[\s>]/i.test(head);
}

/** A page read, and the pictures to read by OCR where its tables hold no number (none where nothing is to be read). */
export interface ArticleRead {
  doc: Document;
  pictures: PlacedPicture[];
  said: PicturesSaid;
  /** The note for a page with no tables whose pictures turn out too small to hold one. */
  noTables: Diagnostic | null;
  /**
   * Where the page may be a report whose tables are pictures (no table holds a number, it
   * names information disclosure): the addresses of its pictures the file does not hold,
   * for a caller that can fetch them and read the page with them (src/page-archive.ts).
   */
  linked: string[];
}

/** The readers of a format whose document is a page (HTML, an MHTML archive's page), from its one reading step. */
export interface PageReaders {
  /**
   * Synchronous (plain JavaScript end to end): it may run in the caller's thread under a
   * hard limit (src/in-thread.ts). A page whose tables are pictures the file holds is left
   * to the full reader (NeedsFullReader), which runs OCR.
   */
  readInThread: SyncExtractor;
  /** The full reader: the page, and by OCR the pictures that may be its tables. */
  extract: Extractor;
  /** The PDF the page's table pictures are read as (the pages its record's places name), made again without OCR; null where none are read. */
  picturesPdf: (bytes: Uint8Array, options: ExtractOptions) => Promise<Uint8Array | null>;
}

export function pageReaders(read: (bytes: Uint8Array, options: ExtractOptions) => ArticleRead): PageReaders {
  return {
    readInThread: (bytes, options) => {
      const page = read(bytes, options);
      if (page.pictures.length) throw new NeedsFullReader(`${page.pictures.length} picture(s) that may be the report's tables, read by OCR`);
      return page.doc;
    },
    extract: async (bytes, options) => withPictures(read(bytes, options), options),
    picturesPdf: async (bytes, options) => {
      const page = read(bytes, options);
      return page.pictures.length ? picturesPdf(page.pictures, options.limits) : null;
    },
  };
}

const html = pageReaders((bytes, options) => readArticle(bytes, options));
export const readHtml = html.readInThread;
export const extractHtml = html.extract;
export const htmlPicturesPdf = html.picturesPdf;

/**
 * The pictures a page links from elsewhere that may be its report's tables (no table of its
 * article holds a number, it names information disclosure), resolved against `url`: what
 * a crawler or a folder ingest fetches to read the page with them. Empty for any other page,
 * and for bytes that are no page. Never throws.
 */
export function linkedPictures(bytes: Uint8Array, options: ExtractOptions): string[] {
  try {
    return readArticle(bytes, options).linked.slice(0, 2 * options.limits.maxOcrPages);
  } catch {
    return [];
  }
}

/** The page's document, its table pictures read by OCR and placed where they stand. */
export async function withPictures(read: ArticleRead, options: ExtractOptions): Promise<Document> {
  const { doc, pictures } = read;
  if (!pictures.length) return doc;
  options.deadline?.extend(options.limits.ocrTimeoutMs);
  const ocr = await readPlacedPictures(pictures, doc.blocks, options.limits, read.said);
  if (!ocr) return read.noTables ? { ...doc, diagnostics: [...doc.diagnostics, read.noTables] } : doc;
  return { blocks: ocr.blocks, meta: { ...doc.meta, ocrPages: ocr.ocrPages }, diagnostics: [...doc.diagnostics, ...ocr.diagnostics] };
}

/**
 * Reads a page: its article's paragraphs and tables and its metadata, and (where its tables
 * hold no number) the pictures it holds that may be them. `resources` are the files the
 * page came with (an MHTML archive's parts), by URL and Content-ID.
 */
export function readArticle(bytes: Uint8Array, options: ExtractOptions, resources?: Resources): ArticleRead {
  const { name, limits } = options;
  if (bytes.byteLength === 0) throw new ExtractError(`the file is empty`, "empty");
  if (bytes.byteLength > limits.maxFileBytes)
    throw new ExtractError(`${bytes.byteLength} bytes is over the ${limits.maxFileBytes}-byte limit (limits.maxFileBytes)`, "too-large");
  refuseBinary(bytes, name);

  const diagnostics: Diagnostic[] = [];
  const decoded = decodePage(bytes, options.contentType, diagnostics);
  let html = decoded.text;
  if (html.trim() === "") throw new ExtractError(`the page holds only whitespace`, "empty");
  if (!MARKUP.test(html.slice(0, 65536)))
    throw new ExtractError(`not an HTML page: no HTML markup in the text`, "not-html");
  // A fragment (an article's HTML saved alone, no <body>) reads as the same bytes in a page would.
  if (isFragment(html)) html = `<html><body>\n${html}\n</body></html>`;

  options.deadline?.check();
  const { root, parser } = parseBounded(html, limits.maxNestingDepth);
  options.deadline?.check();
  if (parser === "parse5")
    diagnostics.push({
      severity: "info",
      source: "html:reparsed",
      message: `nesting over ${limits.maxNestingDepth} as read by the fast parser (unclosed tags); read again by the standard HTML algorithm`,
    });

  const analysis = analyse(root);
  const { container, dropped } = analysis;
  options.deadline?.check();
  const pictures: ArticlePicture[] = [];
  const blocks = walkBlocks(container, { dropped, stats: analysis.stats, pictures });
  options.deadline?.check();
  const tables = blocks.filter((b) => b.kind === "table").length;

  const page = readPage(root);
  const meta: DocumentMeta = {};
  const title = pickTitle(page, container);
  if (title) meta.title = title;
  const publishedOn = pickPublishedOn(page, root);
  if (publishedOn) {
    meta.publishedOn = publishedOn.date;
    meta.publishedOnFrom = { kind: publishedOn.from, text: publishedOn.text };
  }

  const site = siteOwner(page.footers);
  if (site) meta.site = site;

  const base = pageBase(page, options.url);
  const region = articleRegion(analysis);
  let attachments = findAttachments(region, dropped, base);
  if (attachments.length === 0 && tables === 0) {
    // The article may list its files outside its own box: look at the whole page.
    attachments = findAttachments(root, dropped, base);
    if (attachments.length)
      diagnostics.push({
        severity: "info",
        source: "html:attachments-outside-article",
        message: `${attachments.length} attachment link(s) found outside the article container; they may be page furniture`,
      });
  }
  if (attachments.length) meta.attachments = attachments;

  diagnostics.push({
    severity: "info",
    source: "html:article",
    message: `article container: ${describe(container)}; ${decoded.encoding} (${decoded.by}); ${blocks.length - tables} paragraph(s), ${tables} table(s)`,
  });
  const doc: Document = { blocks, meta, diagnostics };
  const images = tables === 0 ? countImages(region, dropped) : 0;
  const noTables = (more: string): Diagnostic => ({
    severity: "warning",
    source: "html:no-tables",
    message:
      `the page itself has no tables: ${attachments.length} attachment link(s) and ${images} image(s) found in the article` +
      (attachments.length ? "; the report is likely in an attachment" : images ? `; the tables may be images${more}` : ""),
  });

  // Tables pasted as pictures: where no table holds a number, in a page that names
  // information disclosure (a notice with photographs is not OCR'd for nothing), the
  // pictures the file holds are read by the full reader.
  const numbered = tables > 0 && blocks.some((b) => b.kind === "table" && b.rows.some((r) => r.some((c) => /\d/.test(c.text))));
  const text = () => [page.title, title ?? "", ...blocks.map((b) => (b.kind === "paragraph" ? b.text : ""))].join("");
  const found = !numbered && pictures.length > 0 && !attachments.length && namesDisclosure(text()) ? heldPictures(pictures, base, resources) : null;
  const none = tables ? "the page's tables hold no number" : "the page has no tables";
  const notHeld = found?.notHeld ? `${found.notHeld} linked from elsewhere, which the file does not hold` : "";
  if (found?.held.length) {
    const said: PicturesSaid = { source: "html:pictures", none, total: pictures.length, where: "in its article", more: notHeld };
    const tooSmall = `: ${found.held.length} held by the file, none big enough to hold a table${notHeld ? `, ${notHeld}` : ""}`;
    return { doc, pictures: found.held, said, noTables: tables ? null : noTables(tooSmall), linked: found.linked };
  }
  if (tables === 0) diagnostics.push(noTables(notHeld ? `: ${notHeld} (save the page with its pictures, as MHTML, to have them read)` : ""));
  return { doc, pictures: [], said: { source: "html:pictures", none, total: 0, where: "" }, noTables: null, linked: found?.linked ?? [] };
}

function describe(node: unknown): string {
  const n = node as Element;
  if (!n || typeof n !== "object" || !("type" in n) || !isElement(n)) return "the whole document";
  const id = n.attribs.id ? `#${n.attribs.id}` : "";
  const cls = n.attribs.class ? "." + n.attribs.class.trim().split(/\s+/).join(".") : "";
  return `<${n.name}${id}${cls}>`;
}
