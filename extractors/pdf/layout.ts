// Page data (read.ts) → the shared Document blocks. Pure functions, no pdfjs.
//
// Per page:
//  1. Runs split into pieces (geometry.ts): at spaces a column apart ("16   21" is two
//     numbers), not inside letter-spaced text ("规 章", "4 1" are one word each).
//  2. Rules: collinear segments merged (LibreOffice draws each border twice, 0.5 pt apart;
//     Chromium draws one thin rectangle per cell edge); rules that cross form a component;
//     a component with ≥ 2 horizontal and ≥ 2 vertical rules is a LATTICE table. Its grid
//     is the distinct rule positions (closed where vertical rules run past the last
//     horizontal one: a row cut open by a page break); a unit-cell boundary that no rule
//     covers is a merge. A grid whose cells hold several columns' numbers (a frame, lines
//     under the rows) is not the table's: its text is left to the stream reader.
//  3. Pieces inside a lattice go to their cell; the rest become lines (baselines grouped
//     with a tolerance: digits sit up to ~1 pt off their label's baseline). A cell alone
//     across its rows that holds running text (a box drawn around the report, its tables
//     touching it) is the page's text: its pieces become lines and the grid is cut there
//     (withoutProse).
//  4. Running headers/footers (a line at the same place on most pages, digits ignored)
//     and page numbers (a lone number that is its page's last line) are dropped.
// Then the lines between lattice tables, run on over page breaks (the next page's lines
// moved up under the last line before the break), become STREAM tables (stream.ts) and
// paragraphs (a line that reaches the right margin and does not end a sentence joins
// the next). A lattice table that opens a page and has the column edges of the one that
// closed the previous page continues it: a repeated header row is dropped, a row cut by
// the break is one row, and a blank label cell under a label cell at the break continues
// that cell's row span.
import type { Block, Cell, Diagnostic, Place, Table } from "../../model/document.js";
import type { PageData, Segment } from "./read.js";
import { apply } from "./page-frame.js";
import { sectionHeading } from "../../model/sections.js";
import { cellText, gapBetween, isCjk, pieces, positions, toLines, type CellArea, type Line, type Part, type PartCell, type Piece } from "./geometry.js";
import { isNumber, MARKER, streamTables } from "./stream.js";


interface Rule {
  /** y of a horizontal rule, x of a vertical one. */
  pos: number;
  /** Extent along the rule. */
  a: number;
  b: number;
}

type PageBlock = { top: number; part: Part } | { top: number; lines: Line[] };

// ---------------------------------------------------------------- rules

const SAME = 1.6; // rules closer than this are one rule (double borders)
const TOUCH = 2.5; // rules that end this close to each other touch
const GRID = 4.5; // no row or column of a table is thinner than this

function mergeRules(segs: Segment[], horizontal: boolean): Rule[] {
  const raw = segs.map((s) => (horizontal ? { pos: s.y0, a: s.x0, b: s.x1 } : { pos: s.x0, a: s.y0, b: s.y1 }));
  raw.sort((p, q) => p.pos - q.pos);
  const clusters: { pos: number; items: Rule[] }[] = [];
  for (const s of raw) {
    const last = clusters[clusters.length - 1];
    if (last && s.pos - last.items[0].pos <= SAME) last.items.push(s);
    else clusters.push({ pos: s.pos, items: [s] });
  }
  const out: Rule[] = [];
  for (const cl of clusters) {
    const pos = cl.items.reduce((a, s) => a + s.pos, 0) / cl.items.length;
    const items = cl.items.sort((p, q) => p.a - q.a);
    let cur: Rule | undefined;
    for (const s of items) {
      if (cur && s.a <= cur.b + TOUCH) cur.b = Math.max(cur.b, s.b);
      else {
        if (cur) out.push(cur);
        cur = { pos, a: s.a, b: s.b };
      }
    }
    if (cur) out.push(cur);
  }
  return out.filter((r) => r.b - r.a > 3);
}

function find(parent: number[], i: number): number {
  while (parent[i] !== i) i = parent[i] = parent[parent[i]];
  return i;
}

/** Rule components that form grids: each a set of horizontal and vertical rules. */
function grids(hs: Rule[], vs: Rule[]): { h: Rule[]; v: Rule[] }[] {
  const n = hs.length + vs.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < hs.length; i++)
    for (let j = 0; j < vs.length; j++) {
      const h = hs[i], v = vs[j];
      if (v.pos >= h.a - TOUCH && v.pos <= h.b + TOUCH && h.pos >= v.a - TOUCH && h.pos <= v.b + TOUCH) parent[find(parent, i)] = find(parent, hs.length + j);
    }
  const groups = new Map<number, { h: Rule[]; v: Rule[] }>();
  for (let i = 0; i < n; i++) {
    const root = find(parent, i);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = { h: [], v: [] }));
    if (i < hs.length) g.h.push(hs[i]);
    else g.v.push(vs[i - hs.length]);
  }
  return [...groups.values()].filter((g) => g.h.length >= 2 && g.v.length >= 2);
}


/** How much of [a, b] the rules at `pos` cover. */
function coverage(rules: Rule[], pos: number, a: number, b: number): number {
  let covered = 0;
  for (const r of rules) {
    if (Math.abs(r.pos - pos) > GRID) continue;
    covered += Math.max(0, Math.min(b, r.b) - Math.max(a, r.a));
  }
  return covered / Math.max(b - a, 1e-6);
}

interface Lattice {
  xs: number[];
  ys: number[];
  /** Origin cell index per unit cell. */
  owner: number[][];
  cells: { r: number; c: number; rs: number; cs: number; pieces: Piece[] }[];
}

function lattice(g: { h: Rule[]; v: Rule[] }, textIn: (x0: number, x1: number, y0: number, y1: number) => boolean): Lattice | undefined {
  // Edges closer than GRID are one edge: HTML's separated borders (border="1" without
  // collapse) draw each cell's own frame, 2-4 pt from its neighbour's.
  const xs = positions(g.v.map((r) => r.pos), GRID);
  const ys = positions(g.h.map((r) => r.pos), GRID).reverse();
  // A row cut by a page break is drawn open: its vertical rules run past the last
  // horizontal rule (or start above the first, on the next page) and there is text
  // between. The grid ends where they end, across every column.
  const open = new Set<number>();
  const top = Math.max(...g.v.map((r) => r.b)), bottom = Math.min(...g.v.map((r) => r.a));
  if (top > ys[0] + GRID && textIn(xs[0], xs[xs.length - 1], ys[0], top)) ys.unshift(top), open.add(0);
  if (bottom < ys[ys.length - 1] - GRID && textIn(xs[0], xs[xs.length - 1], bottom, ys[ys.length - 1])) ys.push(bottom), open.add(ys.length - 1);
  const R = ys.length - 1, C = xs.length - 1;
  if (R < 1 || C < 1 || (R === 1 && C === 1)) return undefined;
  // Boundary present: vertical edge k between rows i..i+1; horizontal edge i between columns.
  const vEdge = (k: number, i: number) => coverage(g.v, xs[k], ys[i + 1], ys[i]) >= 0.5;
  const hEdge = (i: number, k: number) => open.has(i) || coverage(g.h, ys[i], xs[k], xs[k + 1]) >= 0.5;
  const owner = Array.from({ length: R }, () => new Array<number>(C).fill(-1));
  const cells: Lattice["cells"] = [];
  for (let r = 0; r < R; r++)
    for (let c = 0; c < C; c++) {
      if (owner[r][c] >= 0) continue;
      let cs = 1;
      while (c + cs < C && owner[r][c + cs] < 0 && !vEdge(c + cs, r)) cs++;
      let rs = 1;
      while (r + rs < R && Array.from({ length: cs }, (_, k) => c + k).every((k) => owner[r + rs][k] < 0 && !hEdge(r + rs, k))) rs++;
      const id = cells.length;
      cells.push({ r, c, rs, cs, pieces: [] });
      for (let i = r; i < r + rs; i++) for (let k = c; k < c + cs; k++) owner[i][k] = id;
    }
  return { xs, ys, owner, cells };
}

/**
 * A grid row in which only blank cells start while every other column is crossed by a
 * cell from above is not a row: a rule that ends one tall cell short of its neighbours
 * (Chromium's row-spanned cells in separated-border tables). The blank cells join the
 * cell above them and the row goes.
 */
function dropSliverRows(p: Part): void {
  for (let r = p.ys.length - 2; r > 0; r--) {
    const starting = p.cells.filter((c) => c.r === r);
    if (!starting.length || starting.some((c) => c.text !== "" || c.rs !== 1)) continue;
    const crossing = p.cells.filter((c) => c.r < r && c.r + c.rs > r);
    const width = [...starting, ...crossing].reduce((n, c) => n + c.cs, 0);
    if (width !== p.xs.length - 1 || !crossing.length) continue;
    const ups = starting.map((c) => p.cells.find((u) => u.r < r && u.r + u.rs === r && u.c === c.c && u.cs === c.cs));
    if (ups.some((u) => !u)) continue;
    ups.forEach((u) => u!.rs++);
    p.cells = p.cells.filter((c) => !starting.includes(c));
    for (const c of p.cells) {
      if (c.r < r && c.r + c.rs > r) c.rs--;
      else if (c.r > r) c.r--;
    }
    p.ys.splice(r + 1, 1);
  }
}

/** A wide cell alone across its rows holding at least this many lines, or PROSE_CHARS characters, holds prose, not a table's cell (withoutProse). */
const PROSE_LINES = 3;
const PROSE_CHARS = 200;
/** How a line of running text ends (a table's title or group label does not). */
const PROSE_END = /[。；！？]$/;

/**
 * A grid's wide cells that hold running text (a box drawn around the report, or around its
 * pages' text, with the tables inside touching it: the title, the preamble and the
 * sections became cells) are the page's text: their pieces go to the page's lines, and the
 * grid is cut at their rows. A wide cell spans the grid, or starts at its left edge and
 * spans half its columns, and is alone across its rows (beside it at most the empty frame
 * right of a narrower table); never a table's narrow label cell. What is left between such
 * rows is a table where it has a cell that is not alone; else it is text too (a heading
 * in the box between two tables).
 */
function withoutProse(l: Lattice, loose: Piece[]): Lattice[] {
  const R = l.ys.length - 1;
  const C = l.xs.length - 1;
  const alone = (c: Lattice["cells"][number]) => l.cells.every((o) => o === c || o.pieces.length === 0 || o.r + o.rs <= c.r || o.r >= c.r + c.rs);
  const prose = new Set<number>();
  for (const c of l.cells) {
    if (!(c.cs === C || (c.c === 0 && c.cs * 2 >= C)) || !alone(c)) continue;
    const text = toLines(c.pieces, 0).map((x) => x.text.trim()).filter(Boolean);
    const chars = text.reduce((n, x) => n + x.length, 0);
    // Running text: long, or holding one of the report's section headings, or sentences.
    const isProse = text.length >= PROSE_LINES || chars >= PROSE_CHARS || (text.length > 0 && (text.some((t) => sectionHeading(t) !== null) || PROSE_END.test(text[text.length - 1])));
    if (!isProse) continue;
    for (let r = c.r; r < c.r + c.rs; r++) prose.add(r);
  }
  if (!prose.size) return [l];
  const out: Lattice[] = [];
  let from = 0;
  for (let r = 0; r <= R; r++) {
    if (r < R && !prose.has(r)) continue;
    const cells = l.cells.filter((c) => c.r >= from && c.r + c.rs <= r);
    if (r > from && cells.some((c) => !alone(c))) out.push({ xs: l.xs, ys: l.ys.slice(from, r + 1), owner: [], cells: cells.map((c) => ({ ...c, r: c.r - from })) });
    else for (const c of cells) loose.push(...c.pieces);
    from = r + 1;
  }
  for (const c of l.cells) if (prose.has(c.r)) loose.push(...c.pieces);
  return out;
}

// ---------------------------------------------------------------- per page

interface PageLayout {
  page: number;
  blocks: PageBlock[];
  box: PageData["box"];
}

function layoutPage(p: PageData): PageLayout {
  const ps = pieces(p.runs);
  const hs = mergeRules(p.h, true);
  const vs = mergeRules(p.v, false);
  const textIn = (x0: number, x1: number, y0: number, y1: number) =>
    ps.some((q) => (q.x0 + q.x1) / 2 > x0 && (q.x0 + q.x1) / 2 < x1 && q.y + q.size * 0.3 > y0 && q.y + q.size * 0.3 < y1);
  const lats = grids(hs, vs)
    .map((g) => lattice(g, textIn))
    .filter((l): l is Lattice => !!l);
  const loose: Piece[] = [];
  for (const piece of ps) {
    const cx = (piece.x0 + piece.x1) / 2;
    const cy = piece.y + piece.size * 0.3;
    let placed = false;
    for (const l of lats) {
      if (cx < l.xs[0] || cx > l.xs[l.xs.length - 1] || cy > l.ys[0] || cy < l.ys[l.ys.length - 1]) continue;
      let c = l.xs.findIndex((x, k) => k > 0 && cx <= x) - 1;
      let r = l.ys.findIndex((y, k) => k > 0 && cy >= y) - 1;
      if (c < 0) c = 0;
      if (r < 0) r = 0;
      l.cells[l.owner[r][c]].pieces.push(piece);
      placed = true;
      break;
    }
    if (!placed) loose.push(piece);
  }
  // Rules that do not separate the columns (a frame, lines under the rows): a cell holding
  // a number an em or more after other text on its line is several cells. Such a grid
  // is not the table's: its text is read as an unruled table.
  const ruled = lats.filter((l) => {
    const crowded = l.cells.some((c) =>
      toLines(c.pieces, 0).some((line) => line.pieces.some((q, i) => i > 0 && isNumber(q.str) && gapBetween(line.pieces[i - 1], q) >= q.size * 0.9)),
    );
    if (crowded) loose.push(...l.cells.flatMap((c) => c.pieces));
    return !crowded;
  });
  const blocks: PageBlock[] = ruled.flatMap((l) => withoutProse(l, loose)).map((l) => {
    const part: Part = {
      page: p.page,
      xs: l.xs,
      ys: l.ys,
      exact: true,
      cells: l.cells.map((c) => ({ r: c.r, c: c.c, rs: c.rs, cs: c.cs, text: cellText(c.pieces), at: { page: p.page, x0: l.xs[c.c], x1: l.xs[c.c + c.cs], y0: l.ys[c.r + c.rs], y1: l.ys[c.r] } })),
    };
    dropSliverRows(part);
    return { top: l.ys[0], part };
  });
  const lines = toLines(loose, p.page);
  for (const line of lines) blocks.push({ top: line.y + line.size, lines: [line] });
  blocks.sort((a, b) => b.top - a.top);
  return { page: p.page, blocks, box: p.box };
}

// ---------------------------------------------------------------- running heads, page numbers

const PAGE_NUMBER = /^(?:[-—–－\s]*\d+[-—–－\s]*|第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+|page\s*\d+(?:\s*of\s*\d+)?)$/i;

function dropRunningHeads(pages: PageLayout[], diagnostics: Diagnostic[]): void {
  const key = (l: Line) => `${l.text.replace(/\d+/g, "#")}@${Math.round(l.y / 4)}`;
  const counts = new Map<string, number>();
  for (const p of pages) {
    const seen = new Set<string>();
    for (const b of p.blocks) if ("lines" in b) for (const l of b.lines) seen.add(key(l));
    for (const k of seen) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const minRepeat = Math.max(2, Math.ceil(pages.length * 0.5));
  let dropped = 0;
  for (const p of pages) {
    const h = p.box.y1 - p.box.y0;
    const lowest = Math.min(...p.blocks.map((b) => ("lines" in b ? b.lines[0].y : b.part.ys[b.part.ys.length - 1])));
    p.blocks = p.blocks.filter((b) => {
      if (!("lines" in b)) return true;
      const l = b.lines[0];
      const edge = l.y > p.box.y1 - h * 0.12 || l.y < p.box.y0 + h * 0.12;
      if (!edge) return true;
      const repeated = pages.length >= 2 && (counts.get(key(l)) ?? 0) >= minRepeat;
      // A page number is the last line of its page (a lone number above other lines is a value).
      const pageNo = l.y < p.box.y0 + h * 0.12 && l.y <= lowest + 1 && PAGE_NUMBER.test(l.text.trim());
      if (repeated || pageNo) dropped++;
      return !(repeated || pageNo);
    });
  }
  if (dropped) diagnostics.push({ severity: "info", source: "pdf:running-heads", message: `dropped ${dropped} running header/footer or page-number lines` });
}

// ---------------------------------------------------------------- paragraphs

const SENTENCE_END = /[。！？!?；;：:」』”）)]$/;

function paragraphs(lines: Line[], right: number, left: number): { text: string; page: number }[] {
  const out: { text: string; page: number }[] = [];
  let cur = "";
  let page = lines[0]?.page ?? 0;
  let prev: Line | undefined;
  for (const l of lines) {
    const text = l.text.trim();
    const continues =
      prev &&
      prev.x1 >= right - prev.size * 1.5 &&
      !SENTENCE_END.test(prev.text.trim()) &&
      prev.y - l.y < prev.size * 2.2 &&
      l.x0 <= left + l.size * 0.8;
    if (continues) {
      const a = cur[cur.length - 1] ?? "", b = text[0] ?? "";
      cur += isCjk(a) || isCjk(b) ? text : " " + text;
    } else {
      if (cur) out.push({ text: cur, page });
      cur = text;
      page = l.page;
    }
    prev = l;
  }
  if (cur) out.push({ text: cur, page });
  return out;
}

// ---------------------------------------------------------------- join pages, emit

const COL_TOL = 3;
const near = (a: number, b: number) => Math.abs(a - b) <= COL_TOL;

/** Same outer edges, and one part's column edges are a subset of the other's. */
function sameColumns(a: Part, b: Part): boolean {
  if (!near(a.xs[0], b.xs[0]) || !near(a.xs[a.xs.length - 1], b.xs[b.xs.length - 1])) return false;
  const sub = (p: number[], q: number[]) => p.every((x) => q.some((y) => near(x, y)));
  return sub(b.xs, a.xs) || sub(a.xs, b.xs);
}

/** A part's cells re-gridded on finer column edges (a page may lack edges no row on it uses). */
function regrid(p: Part, xs: number[]): PartCell[] {
  const idx = (x: number) => xs.reduce((best, y, k) => (Math.abs(y - x) < Math.abs(xs[best] - x) ? k : best), 0);
  return p.cells.map((c) => {
    const c0 = idx(p.xs[c.c]), c1 = idx(p.xs[c.c + c.cs]);
    return { ...c, c: c0, cs: Math.max(1, c1 - c0) };
  });
}

const rowsOf = (cells: PartCell[]) => {
  const rows: PartCell[][] = [];
  for (const c of cells) (rows[c.r] ??= []).push(c);
  return rows;
};
const rowKey = (row: PartCell[] | undefined) => (row ?? []).map((c) => `${c.c}:${c.cs}:${c.rs}:${c.text}`).join("|");
const isLabel = (s: string) => s !== "" && !isNumber(s.replace(/\s/g, ""));
const rowCount = (cells: PartCell[]) => cells.reduce((n, c) => Math.max(n, c.r + c.rs), 0);

/**
 * b continues a on the next page. b's leading rows that repeat a's header are dropped.
 * b's first row either continues a's last row (a row split by the page break: every
 * cell lines up with a cell of a's last row and is blank or continues a label, a label
 * opening with an item number never; an all-blank remnant of a split row counts too) or starts a new
 * row, where a blank cell under a label cell that reached a's bottom continues that
 * cell's row span.
 */
function joinParts(a: Part, b: Part): Part {
  const xs = a.xs.length >= b.xs.length ? a.xs : b.xs;
  const aCells = regrid(a, xs).map((c) => ({ ...c }));
  let bCells = regrid(b, xs);
  const aRows = rowCount(aCells);
  const ar = rowsOf(aCells), br = rowsOf(bCells);
  let k = 0;
  while (k < br.length && k < ar.length && rowKey(br[k]) === rowKey(ar[k]) && br[k].some((c) => c.text)) k++;
  if (k > 0 && br.slice(0, k).every((row) => row.every((c) => c.r + c.rs <= k))) bCells = bCells.filter((c) => c.r >= k).map((c) => ({ ...c, r: c.r - k }));
  const above = (c: PartCell) => aCells.find((u) => u.c === c.c && u.cs === c.cs && u.r + u.rs === aRows);
  const first = bCells.filter((c) => c.r === 0);
  const split =
    first.length > 0 &&
    first.every((c) => {
      const u = above(c);
      // A label opening with an item number (2.其他法律…, （四）…) is a new row's, never the rest of one cut by the break.
      return u && (c.text === "" || (isLabel(u.text) && isLabel(c.text) && !MARKER.test(c.text)));
    });
  // Left of b's first number: the label columns, where a blank cell can continue a span.
  const firstNum = Math.min(...first.filter((c) => c.text && !isLabel(c.text)).map((c) => c.c), xs.length);
  const merged = aCells;
  const shift = split ? aRows - 1 : aRows;
  for (const c of bCells) {
    if (c.r === 0) {
      const u = above(c);
      if (u && split) {
        if (c.text) u.text = u.text ? `${u.text}\n${c.text}` : c.text;
        u.rs += c.rs - 1;
        continue;
      }
      if (u && c.text === "" && isLabel(u.text) && (u.rs > 1 || u.c + u.cs <= firstNum)) {
        u.rs += c.rs;
        continue;
      }
      // A spanning label whose text itself runs over the break (（三）不 | 予公开): not a new item.
      if (u && isLabel(c.text) && isLabel(u.text) && (u.rs > 1 || c.rs > 1) && u.c + u.cs <= firstNum && !MARKER.test(c.text)) {
        u.text = `${u.text}\n${c.text}`;
        u.rs += c.rs;
        continue;
      }
    }
    merged.push({ ...c, r: c.r + shift });
  }
  const rows = rowCount(merged);
  return { page: a.page, xs, ys: [...a.ys, ...new Array<number>(Math.max(0, rows + 1 - a.ys.length)).fill(0)], cells: merged, exact: a.exact && b.exact };
}

/**
 * A cell's area in the Document's terms: its page, and its box with the origin at the
 * TOP-LEFT of that page (PDF user space has it bottom-left). The one conversion.
 */
export function topLeftBox(at: CellArea, page: Pick<PageData, "box" | "show">): Place {
  const r = (v: number) => Math.round(v * 100) / 100;
  const { box, show } = page;
  if (!show) return { page: at.page, box: { x0: r(at.x0 - box.x0), y0: r(box.y1 - at.y1), x1: r(at.x1 - box.x0), y1: r(box.y1 - at.y0) } };
  // A page read turned: the area's corners as the page is shown.
  const corners = [apply(show, at.x0, at.y0), apply(show, at.x1, at.y1)];
  const xs = corners.map((c) => c[0]), ys = corners.map((c) => c[1]);
  return { page: at.page, box: { x0: r(Math.min(...xs)), y0: r(Math.min(...ys)), x1: r(Math.max(...xs)), y1: r(Math.max(...ys)) } };
}

function toTable(p: Part, index: number, pageBoxes: Map<number, Pick<PageData, "box" | "show">>): Table {
  const rows: Cell[][] = Array.from({ length: p.ys.length - 1 }, () => []);
  for (const c of [...p.cells].sort((x, y) => x.r - y.r || x.c - y.c)) {
    const box = c.at && pageBoxes.get(c.at.page);
    const cell: Cell = c.at && box ? { text: c.text, rowSpan: c.rs, colSpan: c.cs, place: topLeftBox(c.at, box) } : { text: c.text, rowSpan: c.rs, colSpan: c.cs };
    if (c.unsettled && c.text === "") cell.read = { status: "unreadable" };
    rows[c.r].push(cell);
  }
  return { kind: "table", rows: rows.filter((r) => r.length), exactGrid: p.exact, place: { page: p.page, table: index } };
}

export function layout(pages: PageData[], diagnostics: Diagnostic[]): Block[] {
  const pageBoxes = new Map(pages.map((p) => [p.page, p]));
  const laid = pages.map(layoutPage);
  dropRunningHeads(laid, diagnostics);
  // Lines between ruled tables, over page breaks: the next page's lines are moved up to
  // follow the last line before the break, so an unruled table, a wrapped label or a
  // paragraph cut by the break reads as one. Those runs → stream tables and paragraphs.
  type Item = { kind: "part"; part: Part; opensPage: boolean } | { kind: "para"; text: string; page: number };
  const flat: Item[] = [];
  let streams = 0;
  let run: Line[] = [];
  let left = 0;
  let right = 0;
  const flush = () => {
    if (!run.length) return;
    const found = streamTables(run, right - left);
    let at = 0;
    for (const t of found) {
      for (const p of paragraphs(run.slice(at, t.at), right, left)) flat.push({ kind: "para", ...p });
      flat.push({ kind: "part", part: t.part, opensPage: false });
      const pages = [...new Set(run.slice(t.at, t.end).map((l) => l.page))];
      if (pages.length > 1) diagnostics.push({ severity: "info", source: "pdf:table-continued", message: `a table continues from page ${pages[0]} onto page ${pages.slice(1).join(", ")}`, place: { page: pages[1] } });
      streams++;
      at = t.end;
    }
    for (const p of paragraphs(run.slice(at), right, left)) flat.push({ kind: "para", ...p });
    run = [];
  };
  for (const p of laid) {
    const all = p.blocks.flatMap((b) => ("lines" in b ? b.lines : []));
    if (!run.length && all.length) {
      left = Math.min(...all.map((l) => l.x0));
      const xsRight = all.map((l) => l.x1).sort((a, b) => a - b);
      right = xsRight[Math.floor(xsRight.length * 0.9)];
    }
    // A run carried over from the page before continues a line pitch below its last line.
    const last = run[run.length - 1];
    const first = all[0];
    const shift = last && first ? last.y - last.size * 1.3 - first.y : 0;
    p.blocks.forEach((b, i) => {
      if ("lines" in b) run.push(...b.lines.map((l) => (shift ? moved(l, shift) : l)));
      else {
        flush();
        flat.push({ kind: "part", part: b.part, opensPage: i === 0 });
      }
    });
  }
  flush();
  // A warning, so a record read this way can be told and reviewed: without ruling lines
  // every row and column was inferred.
  if (streams) diagnostics.push({ severity: "warning", source: "table:inferred", message: `${streams} table part(s) had no ruling lines: their rows and columns were rebuilt from the positions of the text` });

  // A ruled table that opens a page and has the columns of the ruled table before it continues it.
  const joined: Item[] = [];
  for (const it of flat) {
    const last = joined[joined.length - 1];
    if (it.kind === "part" && it.opensPage && last?.kind === "part" && last.part.page !== it.part.page && last.part.labelCols === undefined && it.part.labelCols === undefined && sameColumns(last.part, it.part)) {
      diagnostics.push({ severity: "info", source: "pdf:table-continued", message: `a table continues from page ${last.part.page} onto page ${it.part.page}`, place: { page: it.part.page } });
      last.part = joinParts(last.part, it.part);
    } else joined.push(it);
  }
  let t = 0;
  return joined.map((it) => {
    if (it.kind === "para") return { kind: "paragraph" as const, text: it.text, place: { page: it.page } };
    for (const message of it.part.notes ?? []) diagnostics.push({ severity: "warning", source: "pdf:stream-table", message, place: { page: it.part.page, table: t } });
    return toTable(it.part, t++, pageBoxes);
  });
}

/** A line moved by dy (a page's lines placed after the previous page's). */
const moved = (l: Line, dy: number): Line => ({ ...l, y: l.y + dy, dy: (l.dy ?? 0) + dy, pieces: l.pieces.map((p) => ({ ...p, y: p.y + dy })) });
