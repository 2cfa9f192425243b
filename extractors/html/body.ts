// Finding the article in a portal page. One iterative post-order pass over the tree:
// - drops what is never the report (scripts, nav/header/footer/aside, hidden elements,
//   share/print/font-size/breadcrumb widgets);
// - per element, counts content characters (text outside links, table text, attachment
//   link text) and chrome characters (link text, short lines like 发布时间/来源/版权所有);
// - picks the candidate container (div/article/section/main/td/center/body) with the
//   highest content − chrome; portal hints (#zoom, .TRS_Editor, ...) add 5% but
//   are never required. Ties go to the deeper, earlier element.
import { simplifiedView } from "../../model/traditional.js";
import { BLOCK, CHROME, NEVER, classAndId, isElement, isHidden, isText, visibleLength, type AnyNode, type Element, type ParentNode } from "./dom.js";

export interface Stats {
  /** Visible characters in the subtree (after drops). */
  chars: number;
  /** Characters that read as the article. */
  content: number;
  /** Characters that read as page furniture (links, info lines, copyright). */
  chrome: number;
  tables: number;
  images: number;
}

export interface Analysis {
  /** Elements dropped with their subtree. */
  dropped: Set<Element>;
  stats: Map<ParentNode, Stats>;
  /** The chosen article container (the document root when nothing scored). */
  container: ParentNode;
  score: number;
}

const CANDIDATE = new Set(["div", "article", "section", "main", "td", "center", "body"]);

/** Class/id words of common article containers: a bonus, never a requirement. */
const HINT = /(?:^|[\s_-])(?:zoom|article|trs_editor|content|view|pages_content|wzcon|artcon|article-content|text|detail|main-text|nr|zw)(?:$|[\s_-])/i;
const HINT_ID = /^(?:zoom|content|article|fontzoom|UCAP-CONTENT|ivs_content|vsb_content|detail)$/i;

/** Class/id words of widgets: dropped when small and table-free. */
const WIDGET =
  /(?:^|[\s_-])(?:share|bdshare|bshare|jiathis|print|fenxiang|toolbar|tools?|fontsize|font-size|zihao|breadcrumbs?|crumbs?|position|location|weizhi|dqwz|pager|paging|comment|qrcode|ewm)(?:$|[\s_-]|box|bar|wrap)/i;

/** Short lines that are page furniture, not report text. */
const CHROME_TEXT =
  /发布时间|发布日期|发布机构|信息来源|来源[:：]|浏览次数|阅读次数|浏览量|点击数|访问次数|字号[:：]|字体[:：]|打印本页|打印此页|【打印】|关闭窗口|【关闭】|分享到|扫一扫|当前位置|您的位置|您现在的位置|所在位置|版权所有|主办单位|承办单位|主办[:：]|承办[:：]|技术支持|网站标识码|ICP备|公网安备|Copyright|©|网站地图|联系我们|设为首页|加入收藏|无障碍|长者模式|适老化|索引号|主题分类|上一篇|下一篇/i;

const SENTENCE = /[，。；！？,;]/;

/** What a table cell with content adds beyond its text: tables are the report's substance. */
const CELL_BONUS = 2;

export const ATTACHMENT_HREF = /\.(?:docx?|wps|odt|rtf|pdf|xlsx?|zip)(?:$|[?#&;])/i;

export function isAttachmentLink(el: Element): boolean {
  const href = el.attribs.href;
  return el.name === "a" && href !== undefined && ATTACHMENT_HREF.test(href.trim());
}

interface Frame {
  el: Element | null; // null for the document root
  node: ParentNode;
  i: number;
  link: 0 | 1 | 2; // 0 none, 1 ordinary link, 2 attachment link
  block: boolean;
  stats: Stats;
  // inline text awaiting the nearest block: its visible length, link part, attachment part
  inlineText: string;
  inlineChars: number;
  inlineLink: number;
  inlineAttach: number;
}

function newStats(): Stats {
  return { chars: 0, content: 0, chrome: 0, tables: 0, images: 0 };
}

function flushInline(f: Frame): void {
  if (f.inlineChars === 0) return;
  const plain = f.inlineChars - f.inlineLink - f.inlineAttach;
  const chromeLine = f.inlineChars < 200 && CHROME_TEXT.test(simplifiedView(f.inlineText));
  if (chromeLine) f.stats.chrome += plain;
  // A short line without sentence punctuation (a title, a label, a number) weighs half a
  // sentence: an article's wrapper holding its title line does not outweigh the article.
  else if (f.inlineChars < 60 && !SENTENCE.test(f.inlineText)) f.stats.content += plain / 2;
  else f.stats.content += plain;
  f.stats.chrome += f.inlineLink;
  f.stats.content += f.inlineAttach;
  f.inlineText = "";
  f.inlineChars = f.inlineLink = f.inlineAttach = 0;
}

/** A widget by its class or id (share, print, font size, breadcrumbs ...), never the page's main elements. */
function isWidget(el: Element): boolean {
  const words = classAndId(el);
  return words !== "" && WIDGET.test(words) && !/^(?:body|html|main|article)$/.test(el.name);
}

export function analyse(root: ParentNode): Analysis {
  const dropped = new Set<Element>();
  const stats = new Map<ParentNode, Stats>();
  let best: { node: ParentNode; score: number } | null = null;
  let body: Element | null = null;

  const rootFrame: Frame = {
    el: null, node: root, i: 0, link: 0, block: true, stats: newStats(), inlineText: "", inlineChars: 0, inlineLink: 0, inlineAttach: 0,
  };
  const stack: Frame[] = [rootFrame];
  while (stack.length) {
    const f = stack[stack.length - 1];
    if (f.i < f.node.children.length) {
      const n: AnyNode = f.node.children[f.i++];
      if (isText(n)) {
        const len = visibleLength(n.data);
        if (len === 0) {
          if (f.inlineChars) f.inlineText += " ";
          continue;
        }
        f.stats.chars += len;
        if (f.inlineText.length < 400) f.inlineText += n.data;
        f.inlineChars += len;
        if (f.link === 1) f.inlineLink += len;
        else if (f.link === 2) f.inlineAttach += len;
        continue;
      }
      if (!isElement(n)) continue;
      const name = n.name;
      if (name === "body") body = n;
      if (NEVER.has(name) || CHROME.has(name) || isHidden(n)) {
        dropped.add(n);
        continue;
      }
      if (name === "img") {
        f.stats.images++;
        continue;
      }
      if (name === "br") {
        if (f.inlineChars) f.inlineText += "\n";
        continue;
      }
      const block = BLOCK.has(name);
      if (block) flushInline(f);
      stack.push({
        el: n,
        node: n,
        i: 0,
        link: name === "a" && n.attribs.href !== undefined ? (isAttachmentLink(n) ? 2 : 1) : f.link,
        block,
        stats: newStats(),
        inlineText: "",
        inlineChars: 0,
        inlineLink: 0,
        inlineAttach: 0,
      });
      continue;
    }
    // Post-order: the element is complete.
    stack.pop();
    const el = f.el;
    if (!el) {
      flushInline(f);
      break;
    }
    const parent = stack[stack.length - 1];
    if (el.name === "table") f.stats.tables++;
    // The cheap tests first (every element comes here; most are large or have no class or id).
    if (f.stats.tables === 0 && f.stats.chars < 200 && isWidget(el)) {
      dropped.add(el);
      continue;
    }
    if (f.block) {
      flushInline(f);
      if ((el.name === "td" || el.name === "th") && f.stats.content > 0) f.stats.content += CELL_BONUS;
    } else {
      // Inline: its text joins the parent's line.
      if (parent.inlineText.length < 400) parent.inlineText += f.inlineText;
      parent.inlineChars += f.inlineChars;
      parent.inlineLink += f.inlineLink;
      parent.inlineAttach += f.inlineAttach;
    }
    const s = f.stats;
    stats.set(el, s);
    const ps = parent.stats;
    ps.chars += s.chars;
    ps.content += s.content;
    ps.chrome += s.chrome;
    ps.tables += s.tables;
    ps.images += s.images;
    if (CANDIDATE.has(el.name)) {
      let score = s.content - s.chrome;
      if (score > 0 && (HINT.test(el.attribs.class ?? "") || HINT_ID.test(el.attribs.id ?? ""))) score *= 1.05;
      if (!best || score > best.score) best = { node: el, score };
    }
  }
  stats.set(root, rootFrame.stats);
  const container = best && best.score > 0 ? best.node : (body ?? root);
  return { dropped, stats, container, score: best?.score ?? 0 };
}

/**
 * The article's surroundings, for attachment links and images: climb from the container
 * while the parent is still mostly content (not the whole page's link-heavy wrapper).
 */
export function articleRegion(a: Analysis): ParentNode {
  let node = a.container;
  for (let k = 0; k < 4; k++) {
    const p = node.parent;
    if (!p || !isElement(p) || p.name === "body" || p.name === "html") break;
    const s = a.stats.get(p);
    if (!s) break;
    if (s.chrome > 0.4 * (s.content + s.chrome)) break;
    node = p;
  }
  return node;
}
