// Text placed on a page by hand, for the unruled-table reader's tests (extractors/pdf/stream.ts).
import type { Line, Part, Piece } from "../../extractors/pdf/geometry.js";

export const SIZE = 12;

/** A piece's width: CJK one em a character, ASCII (digits) half an em. */
export const widthOf = (str: string) => [...str].reduce((w, ch) => w + (/[\x00-\x7f]/.test(ch) ? SIZE / 2 : SIZE), 0);

/** Pieces placed as [text, x, y] (one page), grouped into lines top to bottom. */
export function linesOf(...placed: [string, number, number][]): Line[] {
  const ps: Piece[] = placed.map(([str, x, y]) => ({ str, x0: x, x1: x + widthOf(str), y, size: SIZE }));
  const ys = [...new Set(ps.map((p) => p.y))].sort((a, b) => b - a);
  return ys.map((y) => {
    const pieces = ps.filter((p) => p.y === y).sort((a, b) => a.x0 - b.x0);
    return { page: 1, pieces, y, x0: pieces[0].x0, x1: Math.max(...pieces.map((p) => p.x1)), size: SIZE, text: pieces.map((p) => p.str).join(" ") };
  });
}

/** Rows as texts (newlines dropped), origin cells only. */
export function rows(p: Part): string[][] {
  const out: string[][] = [];
  for (const c of [...p.cells].sort((a, b) => a.r - b.r || a.c - b.c)) (out[c.r] ??= []).push(c.text.replace(/\n/g, ""));
  return out;
}
