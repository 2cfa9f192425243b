// The frame a page is read in. Layout reads lines left to right, top to bottom, so a page's
// text must stand upright in the coordinates it is given. Most pages draw it so in PDF user
// space. Two kinds do not:
// - a landscape page kept portrait in its MediaBox, with /Rotate 90 telling viewers to turn
//   it: its text is drawn turned in user space and stands upright only as shown;
// - a page drawn turned with no /Rotate at all (a wide table printed sideways), which a
//   reader turns the paper to read.
// The reading frame is the page as shown (its /Rotate applied), turned again by the
// direction most of its text runs in where that is not upright. A cell's box is given
// in the page as shown (`show`), which is where a viewer and the review page draw it.

/** An affine map [a, b, c, d, e, f]: (x, y) → (a x + c y + e, b x + d y + f), as PDF writes them. */
export type M = [number, number, number, number, number, number];

export const IDENTITY: M = [1, 0, 0, 1, 0, 0];

/** m after n: the map that applies n, then m. */
export const mul = (m: M, n: M): M => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

export const apply = (m: M, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

/** The inverse of an invertible affine map. */
export function invert(m: M): M {
  const det = m[0] * m[3] - m[1] * m[2];
  const a = m[3] / det, b = -m[1] / det, c = -m[2] / det, d = m[0] / det;
  return [a, b, c, d, -(a * m[4] + c * m[5]), -(b * m[4] + d * m[5])];
}

/** A text run as pdfjs gives it: its characters and its text space → user space map. */
export interface RawRun {
  str: string;
  transform: M;
}

export interface PageFrame {
  /** User space → the reading frame (y up, the page's corner at 0, 0). */
  reading: M;
  /** The page box in the reading frame. */
  box: { x0: number; y0: number; x1: number; y1: number };
  /** The reading frame → the page as shown, in points from its top-left corner (y down). */
  show: M;
  /** The page's /Rotate, and how far its text is turned beyond that (degrees counterclockwise): each 0, 90, 180 or 270. */
  rotate: number;
  turned: number;
}

/**
 * A run's direction within this many degrees of a quarter turn counts as that quarter
 * turn; runs further off (a stamp's arc, a skewed caption) count for none.
 */
const QUARTER_TOLERANCE_DEG = 10;

/** The quarter turn (0, 90, 180, 270) a run's baseline runs in under `m`, or null when it is not near one. */
function quarter(m: M): number | null {
  const deg = (Math.atan2(m[1], m[0]) * 180) / Math.PI;
  const q = Math.round(deg / 90) * 90;
  if (Math.abs(deg - q) > QUARTER_TOLERANCE_DEG) return null;
  return ((q % 360) + 360) % 360;
}

/** Printed characters (not spaces) of a run: how much it says about its page's direction. */
const weight = (s: string) => s.replace(/\s/g, "").length;

/**
 * The frame to read a page in, from its /Rotate, the user space → shown page map of a viewer at scale 1 (pdfjs `getViewport({ scale: 1 })`:
 * y down, origin top-left, its /Rotate applied; `shownHeight` its height) and its text runs.
 * Null where the page is read as drawn: not rotated, and its text mostly upright (the
 * coordinates every other page is read in, unchanged).
 */
export function pageFrame(rotate: number, viewport: M, shownWidth: number, shownHeight: number, runs: readonly RawRun[]): PageFrame | null {
  // User space → the shown page with y up (origin bottom-left).
  const shown: M = mul([1, 0, 0, -1, 0, shownHeight], viewport);
  const by = new Map<number, number>();
  let total = 0;
  for (const r of runs) {
    const w = weight(r.str);
    if (!w) continue;
    total += w;
    const q = quarter(mul(shown, r.transform));
    if (q !== null) by.set(q, (by.get(q) ?? 0) + w);
  }
  let turned = 0;
  for (const [q, w] of by) if (q !== 0 && w * 2 > total) turned = q;
  const rot = ((rotate % 360) + 360) % 360;
  if (rot === 0 && turned === 0) return null;
  // Turn the shown page back by `turned`, its corner kept at the origin.
  const back: M =
    turned === 90 ? [0, -1, 1, 0, 0, shownWidth] : turned === 180 ? [-1, 0, 0, -1, shownWidth, shownHeight] : turned === 270 ? [0, 1, -1, 0, shownHeight, 0] : IDENTITY;
  const [w, h] = turned === 90 || turned === 270 ? [shownHeight, shownWidth] : [shownWidth, shownHeight];
  return {
    reading: mul(back, shown),
    box: { x0: 0, y0: 0, x1: w, y1: h },
    show: mul([1, 0, 0, -1, 0, shownHeight], invert(back)),
    rotate: rot,
    turned,
  };
}
