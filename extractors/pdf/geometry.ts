// Shared geometry of a PDF page's text: pieces (runs split at whitespace), lines (pieces
// on one baseline), and a table on one page (Part) before pages are joined. Pure.
import type { TextRun } from "./read.js";

export interface Piece {
  str: string;
  x0: number;
  x1: number;
  /** Baseline. */
  y: number;
  size: number;
  /** Letter spacing: the extra gap between its characters (pt), where the text is spaced out. */
  track?: number;
}

/** The gap between two pieces beyond their letter spacing: what says they are apart. */
export const gapBetween = (a: Piece, b: Piece) => b.x0 - a.x1 - Math.max(a.track ?? 0, b.track ?? 0);

/** A table on one page, before pages are joined: cells on a grid of edges. */
export interface Part {
  page: number;
  /** Column edges, left to right. */
  xs: number[];
  /** Row edges, top to bottom (descending y). */
  ys: number[];
  cells: PartCell[];
  exact: boolean;
  /** Unruled tables: how many of the columns hold labels (the rest hold values). */
  labelCols?: number;
  /** What the layout could not tell (each becomes a warning). */
  notes?: string[];
}

export interface PartCell {
  r: number;
  c: number;
  rs: number;
  cs: number;
  text: string;
  /** Where the cell's text stands: its page and extent in that page's user space (origin bottom-left). */
  at?: CellArea;
  /** Left empty on purpose: what stood there could not be settled (a part's note says why); unread, not blank. */
  unsettled?: boolean;
}

/** An area of one page in PDF user space (points, origin bottom-left), before any page is moved. */
export interface CellArea {
  page: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface Line {
  page: number;
  /** How far the line was moved up or down to follow the page before (layout.ts `moved`); its own page's y is y − dy. */
  dy?: number;
  pieces: Piece[];
  y: number;
  x0: number;
  x1: number;
  size: number;
  text: string;
}

export const isCjk = (ch: string) => {
  const c = ch.codePointAt(0) ?? 0;
  return (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef) || (c >= 0x3000 && c <= 0x303f) || (c >= 0x20000 && c <= 0x2ffff) || c === 0x201c || c === 0x201d;
};

// ---------------------------------------------------------------- pieces

/** Runs split at whitespace, each piece's extent estimated from character widths (CJK 1 em, others ½ em). */
export function pieces(runs: TextRun[]): Piece[] {
  const out: Piece[] = [];
  for (const r of runs) {
    if (!r.str.trim()) continue;
    if (!/\s/.test(r.str)) {
      out.push({ str: r.str, x0: r.x, x1: r.x + r.w, y: r.y, size: r.size });
      continue;
    }
    // Glyphs at their natural width (CJK and full-width 1 em, others ½ em); what the run
    // is wider by goes to its spaces.
    const chars = [...r.str];
    const natural = chars.map((ch) => (/\s/.test(ch) ? 0 : (isCjk(ch) ? 1 : 0.5) * r.size));
    const spaces = chars.filter((ch) => /\s/.test(ch)).length;
    const excess = r.w - natural.reduce((a, b) => a + b, 0);
    const tokens = r.str.trim().split(/\s+/);
    // Letter-spaced text (规 章, 4 1, - 6 0): single characters a fraction of an em
    // apart are one word; a number's digits are never split.
    if (tokens.length > 1 && tokens.every((t) => [...t].length === 1) && excess / (tokens.length - 1) < r.size * 0.4) {
      out.push({ str: tokens.join(""), x0: r.x, x1: r.x + r.w, y: r.y, size: r.size, track: Math.max(0, excess / (tokens.length - 1)) });
      continue;
    }
    const widths = excess > 0 ? chars.map((ch, i) => (/\s/.test(ch) ? excess / spaces : natural[i])) : chars.map((ch) => (isCjk(ch) ? 1 : 0.5) * (r.w / chars.reduce((n, c) => n + (isCjk(c) ? 1 : 0.5), 0)));
    let x = r.x;
    let cur = "";
    let start = x;
    chars.forEach((ch, i) => {
      if (/\s/.test(ch)) {
        if (cur) out.push({ str: cur, x0: start, x1: x, y: r.y, size: r.size });
        cur = "";
      } else {
        if (!cur) start = x;
        cur += ch;
      }
      x += widths[i];
    });
    if (cur) out.push({ str: cur, x0: start, x1: x, y: r.y, size: r.size });
  }
  return out;
}

/** Distinct positions, positions closer than `tol` merged (mean). */
export function positions(values: number[], tol: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v - last[0] <= tol) last.push(v);
    else out.push([v]);
  }
  return out.map((g) => g.reduce((a, b) => a + b, 0) / g.length);
}


/** Pieces grouped into lines: baselines within a third of the font size are one line. */
export function toLines(ps: Piece[], page: number): Line[] {
  const sorted = [...ps].sort((p, q) => q.y - p.y || p.x0 - q.x0);
  const lines: Piece[][] = [];
  for (const p of sorted) {
    const last = lines[lines.length - 1];
    const ref = last?.[0];
    if (ref && Math.abs(ref.y - p.y) <= Math.max(ref.size, p.size) * 0.35) last.push(p);
    else lines.push([p]);
  }
  return lines.map((l) => {
    l.sort((p, q) => p.x0 - q.x0);
    const size = Math.max(...l.map((p) => p.size));
    // The line's baseline: its most common (labels, not the digits off by a point).
    return { page, pieces: l, y: l[0].y, x0: l[0].x0, x1: Math.max(...l.map((p) => p.x1)), size, text: joinLine(l) };
  });
}

/**
 * Whether two neighbouring pieces of a line are words apart: Latin/digits a fifth of an em
 * apart; CJK next to anything only a whole em apart (Word and LibreOffice space digits
 * from CJK by a fraction of an em: "2024 年" is "2024年").
 */
export function spaced(prev: Piece, p: Piece): boolean {
  const cjk = (isCjk(prev.str[prev.str.length - 1]) ? 1 : 0) + (isCjk(p.str[0]) ? 1 : 0);
  return gapBetween(prev, p) > p.size * [0.2, 1, 1.5][cjk];
}

/** Pieces of one line joined, a space where they are words apart. */
export function joinLine(l: Piece[]): string {
  let s = "";
  let prev: Piece | undefined;
  for (const p of l) {
    if (prev) {
      if (spaced(prev, p)) s += " ";
    }
    s += p.str;
    prev = p;
  }
  return s;
}

export function cellText(ps: Piece[]): string {
  return toLines(ps, 0)
    .map((l) => l.text.trim())
    .filter(Boolean)
    .join("\n");
}
