// The article container → paragraph and table blocks in document order.
// Block elements and <br> end a paragraph; inline elements join. A data table becomes a
// Table (exact grid, cells that start in each row with their spans); tables nested in
// its cells follow it as separate tables. A layout table (one cell holding the article,
// or cells holding whole sections and other tables) is walked through like a <div>.
import { cell, paragraph, type Block, type Cell, type Table } from "../../model/document.js";
import { simplifiedView } from "../../model/traditional.js";
import { BLOCK, Lines, isElement, isText, type AnyNode, type Element, type ParentNode } from "./dom.js";
import type { Stats } from "./body.js";

export const MAX_COLSPAN = 1000;
export const MAX_ROWSPAN = 65534;

export interface WalkContext {
  dropped: Set<Element>;
  stats: Map<ParentNode, Stats>;
  /** Tables already taken apart (isLayoutTable reads a table's rows, then buildTable does again). */
  raw?: Map<Element, RawTable>;
  /**
   * Where given, the pictures (`<img>`) met in the article, in order, each with the index
   * in the blocks it stands before: a picture in a paragraph's text stands after that
   * paragraph, a picture in a data table's cell after that table.
   */
  pictures?: ArticlePicture[];
  /** Pictures met in a data table's cells, placed once the table is. */
  inCells?: Element[];
}

/** An `<img>` of the article and the index in its blocks it stands before. */
export interface ArticlePicture {
  img: Element;
  at: number;
}

/** HTML's rules for parsing a non-negative integer: leading spaces, optional +, digits. */
function spanValue(v: string | undefined): number | null {
  if (v === undefined) return null;
  const m = /^[\t\n\f\r ]*\+?(\d+)/.exec(v);
  return m ? Number(m[1].length > 9 ? "999999999" : m[1]) : null;
}

interface RawRow {
  tr: Element | null;
  group: number;
  cells: Element[];
}

interface RawTable {
  rows: RawRow[];
  /** Text found in the table outside any cell (browsers move it before the table). */
  foster: string[];
  caption: string[];
  /** Tables directly in the table structure, outside cells. */
  loose: Element[];
}

/** Rows and cells of one table, not descending into cells or nested tables. */
function rawTable(table: Element, ctx: WalkContext): RawTable {
  const known = ctx.raw?.get(table);
  if (known) return known;
  const out = readRawTable(table, ctx);
  ctx.raw?.set(table, out);
  return out;
}

function readRawTable(table: Element, ctx: WalkContext): RawTable {
  const out: RawTable = { rows: [], foster: [], caption: [], loose: [] };
  let groups = 0;
  let implicit: RawRow | null = null;
  const foster = new Lines();
  type Item = { n: AnyNode; group: number; row: RawRow | null };
  const stack: Item[] = [];
  const pushChildren = (p: ParentNode, group: number, row: RawRow | null) => {
    for (let i = p.children.length - 1; i >= 0; i--) stack.push({ n: p.children[i], group, row });
  };
  pushChildren(table, 0, null);
  while (stack.length) {
    const { n, group, row } = stack.pop()!;
    if (isText(n)) {
      foster.add(n.data);
      continue;
    }
    if (!isElement(n) || ctx.dropped.has(n)) continue;
    switch (n.name) {
      case "thead":
      case "tbody":
      case "tfoot":
        implicit = null;
        foster.break();
        pushChildren(n, ++groups, null);
        break;
      case "tr": {
        implicit = null;
        foster.break();
        const r: RawRow = { tr: n, group, cells: [] };
        out.rows.push(r);
        pushChildren(n, group, r);
        break;
      }
      case "td":
      case "th": {
        foster.break();
        let r = row;
        if (!r) {
          if (!implicit || implicit.group !== group) {
            implicit = { tr: null, group, cells: [] };
            out.rows.push(implicit);
          }
          r = implicit;
        }
        r.cells.push(n);
        break;
      }
      case "table":
        foster.break();
        out.loose.push(n);
        break;
      case "caption":
        out.caption.push(cellLines(n, ctx, []).join(" "));
        break;
      case "colgroup":
      case "col":
        break;
      case "br":
        foster.break();
        break;
      default:
        // Wrappers portals leave inside tables (<form>, <span>, <div>): transparent.
        if (BLOCK.has(n.name)) foster.break();
        pushChildren(n, group, row);
    }
  }
  foster.break();
  out.foster = foster.lines;
  return out;
}

/** Lines of a cell's text; nested tables are collected, not read into the text. */
function cellLines(cellEl: Element, ctx: WalkContext, nested: Element[]): string[] {
  const lines = new Lines();
  const stack: (AnyNode | null)[] = [];
  for (let i = cellEl.children.length - 1; i >= 0; i--) stack.push(cellEl.children[i]);
  while (stack.length) {
    const n = stack.pop();
    if (n === null) {
      lines.break();
      continue;
    }
    if (n === undefined) break;
    if (isText(n)) {
      lines.add(n.data);
      continue;
    }
    if (!isElement(n) || ctx.dropped.has(n)) continue;
    if (n.name === "br") {
      lines.break();
      continue;
    }
    if (n.name === "table") {
      lines.break();
      nested.push(n);
      continue;
    }
    if (n.name === "img") {
      ctx.inCells?.push(n);
      continue;
    }
    const block = BLOCK.has(n.name);
    if (block) {
      lines.break();
      stack.push(null);
    }
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  lines.break();
  return lines.lines;
}

/** Word's invisible spacer row (`<tr height=0>` of empty cells) is not a printed row. */
function isSpacerRow(r: RawRow, texts: string[]): boolean {
  if (!r.tr) return false;
  const h = r.tr.attribs.height;
  const style = r.tr.attribs.style ?? "";
  const zero = (h !== undefined && /^\s*0+(?:px)?\s*$/i.test(h)) || /(?:^|;)\s*height\s*:\s*0(?:px|pt)?\s*(?:;|$)/i.test(style);
  return zero && texts.every((t) => t === "");
}

export interface BuiltTable {
  table: Table;
  before: string[];
  nested: Element[];
}

export function buildTable(tableEl: Element, ctx: WalkContext): BuiltTable {
  const raw = rawTable(tableEl, ctx);
  const nested: Element[] = [];
  const rows: Cell[][] = [];
  const kept: RawRow[] = [];
  const texts: string[][] = [];
  for (const r of raw.rows) {
    const t = r.cells.map((c) => cellLines(c, ctx, nested).join("\n"));
    if (isSpacerRow(r, t)) continue;
    kept.push(r);
    texts.push(t);
  }
  // Last row index of each row's group: a rowspan never reaches past its row group.
  const groupEnd: number[] = new Array(kept.length);
  for (let i = kept.length - 1; i >= 0; i--)
    groupEnd[i] = i + 1 < kept.length && kept[i + 1].group === kept[i].group ? groupEnd[i + 1] : i;
  for (let i = 0; i < kept.length; i++) {
    const r = kept[i];
    const left = groupEnd[i] - i + 1;
    rows.push(
      r.cells.map((c, j) => {
        const cs = spanValue(c.attribs.colspan);
        const colSpan = cs === null || cs < 1 ? 1 : Math.min(cs, MAX_COLSPAN);
        const rs = spanValue(c.attribs.rowspan);
        const rowSpan = rs === null ? 1 : rs === 0 ? left : Math.max(1, Math.min(rs, left, MAX_ROWSPAN));
        return cell(texts[i][j], rowSpan, colSpan);
      }),
    );
  }
  return {
    table: { kind: "table", rows, exactGrid: true },
    before: [...raw.caption.filter((c) => c !== ""), ...raw.foster],
    nested: [...nested, ...raw.loose],
  };
}

/**
 * A table used for page layout rather than data: declared presentational, a single cell
 * holding block content, or a cell that holds another table together with whole
 * paragraphs of text.
 */
export function isLayoutTable(tableEl: Element, ctx: WalkContext): boolean {
  if (tableEl.attribs.role === "presentation" || tableEl.attribs.role === "none") return true;
  const raw = rawTable(tableEl, ctx);
  // A loop, not flatMap: V8's flatMap was the costliest line of this function.
  const cells: Element[] = [];
  for (const r of raw.rows) for (const c of r.cells) cells.push(c);
  if (cells.length === 0) return false;
  for (const c of cells) {
    const s = ctx.stats.get(c);
    if (!s || s.tables === 0) {
      if (cells.length === 1 && s && (s.chars > 200 || hasBlockChild(c))) return true;
      continue;
    }
    // The cell holds a table: layout when it also holds real text or several blocks.
    const own = s.chars - tableChars(c, ctx);
    if (own > 200 || countBlockChildren(c) >= 3) return true;
    if (cells.length === 1) return true;
  }
  return false;
}

function hasBlockChild(el: Element): boolean {
  return el.children.some((n) => isElement(n) && BLOCK.has(n.name) && n.name !== "br");
}

function countBlockChildren(el: Element): number {
  let k = 0;
  for (const n of el.children) if (isElement(n) && BLOCK.has(n.name)) k++;
  return k;
}

/** Visible characters inside the tables directly nested in an element's subtree. */
function tableChars(el: Element, ctx: WalkContext): number {
  let total = 0;
  const stack: AnyNode[] = [...el.children];
  while (stack.length) {
    const n = stack.pop()!;
    if (!isElement(n)) continue;
    if (n.name === "table") {
      total += ctx.stats.get(n)?.chars ?? 0;
      continue;
    }
    for (const c of n.children) stack.push(c);
  }
  return total;
}

const WIDGET_WORDS =
  /^(?:[\s【】[\]()（）|｜:：>»·/]*(?:打印本页|打印此页|打印|关闭窗口|关闭本页|关闭|返回顶部|收藏本页|收藏|分享到|分享|字号|字体|大|中|小|默认|扫一扫|在手机上打开|手机扫码|保存))+[\s【】[\]()（）|｜:：/]*$/;
const WIDGET_STRONG = /打印|关闭|返回顶部|收藏|分享|字号|字体|扫一扫/;

/** A line that is only print/close/share/font-size buttons (【打印本页】【关闭窗口】, 字号：大 中 小). */
export function isWidgetLine(line: string): boolean {
  const matched = simplifiedView(line); // 【打印本頁】【關閉窗口】 as 【打印本页】【关闭窗口】
  return line.length <= 60 && WIDGET_STRONG.test(matched) && WIDGET_WORDS.test(matched);
}

/** Paragraphs and tables of the container, in document order. */
export function walkBlocks(container: ParentNode, context: WalkContext): Block[] {
  const ctx: WalkContext = { ...context, raw: context.raw ?? new Map(), inCells: context.pictures ? [] : undefined };
  const blocks: Block[] = [];
  const lines = new Lines();
  // Pictures met since the last paragraph ended: they stand after the paragraph they are in.
  const waiting: Element[] = [];
  const place = (imgs: Element[]) => {
    for (const img of imgs.splice(0)) ctx.pictures?.push({ img, at: blocks.length });
  };
  const flush = () => {
    lines.break();
    for (const l of lines.lines) if (!isWidgetLine(l)) blocks.push(paragraph(l));
    lines.lines.length = 0;
    place(waiting);
  };
  const emitTable = (root: Element) => {
    // The table, then its nested tables (depth first, in document order), each after its parent.
    const todo: Element[] = [root];
    while (todo.length) {
      const t = todo.pop()!;
      const built = buildTable(t, ctx);
      for (const l of built.before) blocks.push(paragraph(l));
      blocks.push(built.table);
      if (ctx.inCells) place(ctx.inCells);
      for (let i = built.nested.length - 1; i >= 0; i--) todo.push(built.nested[i]);
    }
  };
  const stack: (AnyNode | null)[] = [];
  for (let i = container.children.length - 1; i >= 0; i--) stack.push(container.children[i]);
  while (stack.length) {
    const n = stack.pop();
    if (n === null) {
      flush();
      continue;
    }
    if (n === undefined) break;
    if (isText(n)) {
      lines.add(n.data);
      continue;
    }
    if (!isElement(n) || ctx.dropped.has(n)) continue;
    if (n.name === "br") {
      flush();
      continue;
    }
    if (n.name === "img") {
      if (ctx.pictures) waiting.push(n);
      continue;
    }
    if (n.name === "table" && !isLayoutTable(n, ctx)) {
      flush();
      emitTable(n);
      continue;
    }
    const block = BLOCK.has(n.name);
    if (block) {
      flush();
      stack.push(null);
    }
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  flush();
  // Table indexes for diagnostics.
  let t = 0;
  for (const b of blocks) if (b.kind === "table") b.place = { table: t++ };
  return blocks;
}
