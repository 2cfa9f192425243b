// The second look at a borderless table's labels: each line of text the page reading found
// beside numbers, read again alone as one line, cut out of the page picture.
//
// Read as a sparse page (--psm 11), Tesseract drops the one-stroke numerals that open a
// row's label (一、本年新收… comes out 、本年新收…, 二、 as "=", dropped as a mark) and
// garbles short group labels (度办理结 as 度办于). Without its item number a label no
// longer starts an item, and the stream layout runs it into the label above: rows are not
// assembled and their values are lost. A line cut out alone and read as one line
// (--psm 7) keeps them. The cut reaches left and right over ink that touches the line (a
// gap narrower than LINE.joinGapEm), so a numeral the page reading lost is inside it, but
// a group label a column away is not.
//
// Which lines: two Chinese characters or more, no number among its words, outside any
// ruled table (ruled cells are read again alone, ocr-cells.ts), with a number of the digit
// reading to its right within a few line heights (a row's label or its wrapped line;
// prose and headings have none).
//
// The line's reading replaces the page's where it is about as sure (LINE.minConf, and not
// much less sure than the page's, LINE.worseBy) and reads no number: labels only ever
// decide which template row a row's numbers go to, and a row whose label matches none is
// left unread, never read into another.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { isCjk } from "./geometry.js";
import { INK, writePgm, type Gray } from "./scan-image.js";
import { readListWords, type OcrWord } from "./scan-tools.js";

/** Tolerances of the line re-read, in line heights (em) of the line. */
const LINE = {
  /** A number this many line heights above or below the line's middle, to its right, makes it a table's line. */
  numbersNearEm: 2.5,
  /** The cut reaches at most this far left of the page's words (a numeral it lost) … */
  reachLeftEm: 1.6,
  /** … and this far right. */
  reachRightEm: 0.8,
  /** … over ink no farther than this from the line's own (a wider gap is the next column). */
  joinGapEm: 0.6,
  /** Above and below the line's band. */
  padEm: 0.25,
  /** Stop this short of another word of the page on the line's band. */
  neighbourEm: 0.15,
  /** The line's reading is taken at this mean confidence (0–100) or more … */
  minConf: 70,
  /** … unless it is this much less sure than the page's reading of the same words. */
  worseBy: 10,
  /** Rows of paper this many line heights deep end a line's band of ink. */
  rowGapEm: 0.15,
  /** White border around a cut, pixels. */
  border: 12,
} as const;

const cjkCount = (s: string) => [...s].filter(isCjk).length;
const PURE_NUMBER = /^[-+]?\d[\d,.]*$/;
/** An item's number before its label (1. 2、 or a lone 3), which the page reading boxes apart from it. */
const ITEM = /^\d{1,2}[.、．]?$/;
/** A number in a line's words, but for an item number opening it. */
const numberIn = (ws: OcrWord[]) => ws.some((w, i) => PURE_NUMBER.test(w.text) && !(i === 0 && ITEM.test(w.text)));
/** Mean confidence over characters: a lone character read unsure weighs as one. */
const meanConf = (ws: OcrWord[]) => {
  const n = ws.reduce((k, w) => k + [...w.text].length, 0);
  return n ? ws.reduce((k, w) => k + w.conf * [...w.text].length, 0) / n : 0;
};
const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export interface LineRereadResult {
  /** The page's words with the lines read again replaced by their new words. */
  words: OcrWord[];
  /** Lines read again, and how many of them were taken. */
  lines: number;
  taken: number;
}

/**
 * The page's text words, with each label line beside numbers read again alone (one
 * Tesseract run for all the page's lines). `ruled` says whether a word stands inside a
 * ruled table.
 */
export async function rereadLines(img: Gray, text: OcrWord[], digits: OcrWord[], ruled: (w: OcrWord) => boolean, dir: string, page: number, deadline: number): Promise<LineRereadResult> {
  const byLine = new Map<string, OcrWord[]>();
  for (const w of text) byLine.set(w.line, [...(byLine.get(w.line) ?? []), w]);
  const numbers = digits.filter((d) => d.conf >= 60 && /\d/.test(d.text));
  const cuts: { line: string; words: OcrWord[]; x0: number; x1: number; y0: number; file: string; inkTop: number; inkBottom: number }[] = [];
  for (const [line, ws] of byLine) {
    ws.sort((a, b) => a.left - b.left);
    const str = ws.map((w) => w.text).join("");
    if (cjkCount(str) < 2 || numberIn(ws) || ws.some(ruled)) continue;
    const top = mid(ws.map((w) => w.top)), bottom = mid(ws.map((w) => w.top + w.height));
    const h = Math.max(4, bottom - top), cy = (top + bottom) / 2;
    const left = ws[0].left, right = Math.max(...ws.map((w) => w.left + w.width));
    if (!numbers.some((d) => d.left >= right && Math.abs(d.top + d.height / 2 - cy) <= h * LINE.numbersNearEm)) continue;
    // The line's band of ink: Tesseract's boxes may reach into the line above or below.
    const [inkTop, inkBottom] = inkBand(img, Math.round(left), Math.round(right), Math.round(top), Math.round(bottom), h);
    const y0 = Math.max(0, Math.round(inkTop - h * LINE.padEm)), y1 = Math.min(img.height, Math.round(inkBottom + h * LINE.padEm));
    // Other words on the line's band bound the cut.
    const band = [...text, ...numbers].filter((w) => w.line !== line && w.top < bottom - h * 0.3 && w.top + w.height > top + h * 0.3);
    // An item number just before the line (its own word on the page: 1. apart from
    // 属于国家秘密) is no bound: the cut takes it in, and the line reads as printed.
    const item = (w: OcrWord) => ITEM.test(w.text) && w.left + w.width <= left + h * 0.2 && w.left >= left - h * LINE.reachLeftEm;
    const before = Math.max(0, ...band.filter((w) => w.left + w.width <= left + h * 0.2 && !item(w)).map((w) => w.left + w.width + h * LINE.neighbourEm));
    const after = Math.min(img.width, ...band.filter((w) => w.left >= right - h * 0.2).map((w) => w.left - h * LINE.neighbourEm));
    const items = band.filter(item);
    const start = items.length ? Math.min(left, ...items.map((w) => w.left)) : left;
    const x0 = reach(img, y0, y1, start, -1, Math.max(before, start - h * LINE.reachLeftEm), h * LINE.joinGapEm);
    const x1 = reach(img, y0, y1, right, 1, Math.min(after, right + h * LINE.reachRightEm), h * LINE.joinGapEm);
    if (x1 - x0 < 8 || y1 - y0 < 8) continue;
    const b = LINE.border, w = x1 - x0 + 2 * b, hh = y1 - y0 + 2 * b;
    const px = new Uint8Array(w * hh).fill(255);
    for (let y = y0; y < y1; y++) px.set(img.px.subarray(y * img.width + x0, y * img.width + x1), (y - y0 + b) * w + b);
    const file = join(dir, `line-${page}-${cuts.length}.pgm`);
    writeFileSync(file, writePgm({ width: w, height: hh, px }));
    cuts.push({ line, words: ws, x0, x1, y0, file, inkTop, inkBottom });
  }
  if (!cuts.length) return { words: text, lines: 0, taken: 0 };
  const read = await readListWords(cuts.map((c) => c.file), "chi_sim", 7, deadline, join(dir, `lines-${page}.txt`), ["preserve_interword_spaces=1"]);
  const replaced = new Map<string, OcrWord[]>();
  cuts.forEach((c, i) => {
    const ws = read[i] ?? [];
    if (!ws.length) return;
    const str = ws.map((w) => w.text).join("");
    const conf = meanConf(ws);
    if (!cjkCount(str) || numberIn(ws) || conf < LINE.minConf || conf < meanConf(c.words) - LINE.worseBy) return;
    const b = LINE.border;
    // Each word's box within the line's band of ink (a word boxed over the whole cut would
    // set the label's baseline below its line).
    replaced.set(
      c.line,
      ws.map((w) => {
        const t = Math.max(c.inkTop, w.top - b + c.y0), bt = Math.min(c.inkBottom, w.top - b + c.y0 + w.height);
        return { ...w, left: w.left - b + c.x0, top: t, height: Math.max(1, bt - t), line: c.line };
      }),
    );
  });
  // The page's item numbers a taken line's cut took in are read in it now.
  const within = (w: OcrWord) => {
    const cx = w.left + w.width / 2, cy = w.top + w.height / 2;
    return ITEM.test(w.text) && cuts.some((c) => replaced.has(c.line) && c.line !== w.line && cx > c.x0 && cx < c.x1 && cy > c.inkTop && cy < c.inkBottom);
  };
  return { words: text.flatMap((w) => (replaced.has(w.line) ? (w === byLine.get(w.line)![0] ? replaced.get(w.line)! : []) : within(w) ? [] : [w])), lines: cuts.length, taken: replaced.size };
}

/**
 * From `from` (a pixel column at the line's edge), outward (dir -1 left, +1 right) no
 * farther than `limit`: the last column of ink reached over gaps narrower than `gap`.
 */
function reach(img: Gray, y0: number, y1: number, from: number, dir: -1 | 1, limit: number, gap: number): number {
  let edge = Math.round(from), empty = 0;
  const end = Math.round(limit);
  for (let x = Math.round(from); dir < 0 ? x > end : x < end; x += dir) {
    let ink = 0;
    for (let y = y0; y < y1; y++) if (img.px[y * img.width + x] < INK) ink++;
    if (ink >= 2) {
      edge = dir < 0 ? x : x + 1;
      empty = 0;
    } else if (++empty >= gap) break;
  }
  return Math.max(0, Math.min(img.width, dir < 0 ? Math.min(edge, Math.round(from)) - 2 : Math.max(edge, Math.round(from)) + 2));
}

/**
 * The rows of ink of a line, between `left` and `right`: from the middle of its words' band
 * outward while rows hold ink (gaps of under LINE.rowGapEm bridged), no farther than the
 * band and a little (LINE.padEm).
 */
function inkBand(img: Gray, left: number, right: number, top: number, bottom: number, h: number): [number, number] {
  const inked = (y: number) => {
    let n = 0;
    for (let x = Math.max(0, left); x < Math.min(img.width, right); x++) if (img.px[y * img.width + x] < INK) n++;
    return n >= 2;
  };
  const gap = Math.max(2, Math.round(h * LINE.rowGapEm));
  const walk = (from: number, dir: -1 | 1, limit: number) => {
    let edge = from, empty = 0;
    for (let y = from; dir < 0 ? y >= limit : y <= limit; y += dir) {
      if (inked(y)) (edge = y), (empty = 0);
      else if (++empty >= gap) break;
    }
    return edge;
  };
  const mid = Math.round((top + bottom) / 2);
  const lo = Math.max(0, Math.round(top - h * LINE.padEm)), hi = Math.min(img.height - 1, Math.round(bottom + h * LINE.padEm));
  return [walk(mid, -1, lo), walk(mid, 1, hi) + 1];
}
