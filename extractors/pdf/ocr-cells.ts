// The second look at a scanned table: every cell of a ruled grid read again alone, cut
// tight out of the page picture (rules erased), once the layout has found the grid.
//
// A page read as a whole (ocr.ts) loses words: a label wrapped over two lines in its cell
// comes out in pieces or misread, and a number the Chinese model takes for characters
// ("71" as 池小) is no number. A cell alone is one block of text. Its crop is cut to the
// box of its marks (specks of the scan left out) and also made black and white below its
// own Otsu threshold (the grey halo of JPEG gone: thin digits such as 111 and 171, that the
// grey crop loses, stand clear). Tesseract reads it three times: its digits as one line
// (eng with a digit whitelist, --psm 7) from the grey crop and from the black and white one,
// and as Chinese text (chi_sim, --psm 6), from the grey crop where the page read a label,
// from the black and white one elsewhere. One Tesseract run per reading for all the cells
// of the document (a list of crops), so the models load once.
//
// What a cell then says:
//  - a number only where a digit reading gives it and another reading (the other digit
//    reading, the Chinese one, the page's) gives the same digits, all of them together sure
//    (AGREED: the chance that every one of them is wrong), no sure reading says another
//    number, and its ink is as wide as that many digits (a label read through a digit
//    whitelist gives digits too, as wide as characters, twice a digit's width). A full stop
//    after the digits is a speck or punctuation, not part of the number;
//  - a number the page reading took that the cell's readings contradict, surely: "?";
//  - a signed number the page read stays as read (the digit readings have no sign);
//  - one Chinese character the page read where the cell holds digits (11 as 上), surely
//    read by a digit reading but not agreed: "?";
//  - otherwise a label, as the cell's own Chinese reading gives it when that one is
//    surer than the page's, or as it was.
import { writeFileSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Cell, Document, Table } from "../../model/document.js";
import { isCjk } from "./geometry.js";
import { binarize, crop, marks, otsu, writePgm, type Gray } from "./scan-image.js";
import { readList, type ListReading } from "./scan-tools.js";

const hasCjk = (s: string) => [...s].some(isCjk);
/** A whole number or an amount, as a value cell prints it. */
const NUMBER = /^\d+(?:\.\d+)?$/;

export interface CellRereadOptions {
  /** Pixels per point of the pictures (dpi / 72). */
  scale: number;
  /** The marker of a number not read (ocr.ts UNSURE). */
  unsure: string;
  /** Agreeing readings must reach this together (ocr.ts AGREED). */
  agreed: number;
  deadline: number;
  dir: string;
}

export interface CellRereadResult {
  /** Cells read again. */
  cells: number;
  /** Numbers the cell's own readings settled where the page reading had none. */
  numbers: number;
  /** Numbers the page reading took that the cell's readings contradicted ("?" now). */
  contradicted: number;
  /** Characters the page read where the cell holds digits it could not read surely ("?" now). */
  unsure: number;
  /** Labels taken from the cell's own reading. */
  labels: number;
  /** Numbers of unruled tables left unsure ("?" now), with what the page read and where: each gets a diagnostic. */
  looseUnsure: { text: string; place: Cell["place"] }[];
  /** Boxes (points, top-left) of the cells now holding a number: their page-level doubts are settled. */
  settled: { page: number; x0: number; y0: number; x1: number; y1: number }[];
}

interface Crop {
  cell: Cell;
  page: number;
  file: string;
  /** The crop in black and white. */
  black: string;
  /** Ink box in the picture: width and height in pixels. */
  inkW: number;
  inkH: number;
  lines: number;
  /** A number of an unruled table, cut around its own word box: it stands only where its readings agree. */
  loose: boolean;
}

/**
 * The ink of a box, as rows: its bounding box and how many bands of text it holds, counting
 * only marks of at least minArea pixels (a speck of the scan beside a number would widen its
 * box past its digits' width, or count as a second line).
 */
function inkBox(g: Gray, x0: number, y0: number, x1: number, y1: number, minArea: number) {
  const mask = marks(g, x0, y0, x1, y1, minArea);
  const w = x1 - x0;
  let minX = Infinity, minY = Infinity, maxX = -1, maxY = -1, n = 0;
  const rows: number[] = [];
  for (let y = 0; y < y1 - y0; y++) {
    let r = 0;
    for (let x = 0; x < w; x++)
      if (mask[y * w + x]) {
        r++;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
      }
    rows.push(r);
    if (r) {
      n += r;
      if (y < minY) minY = y;
      maxY = y;
    }
  }
  if (n < 12) return null;
  // Bands of text: runs of inked rows, gaps of 3+ empty rows between them.
  let lines = 0, gap = 99;
  for (const r of rows) {
    if (r) {
      if (gap >= 3) lines++;
      gap = 0;
    } else gap++;
  }
  return { x0: x0 + minX, y0: y0 + minY, x1: x0 + maxX + 1, y1: y0 + maxY + 1, lines };
}

/** Every cell of the document's ruled tables read again from the pictures (page → picture). */
export async function rereadCells(doc: Document, pictures: Map<number, Gray>, o: CellRereadOptions): Promise<CellRereadResult> {
  const result: CellRereadResult = { cells: 0, numbers: 0, contradicted: 0, unsure: 0, labels: 0, looseUnsure: [], settled: [] };
  const crops: Crop[] = [];
  const folder = join(o.dir, "cells");
  // A mark smaller than about 1.1 pt square is a speck (a full stop is larger than that at
  // the sizes tables print, and a decimal point sits between digits, inside their box anyway).
  const speck = Math.max(4, Math.round((1.1 * o.scale) ** 2));
  await mkdir(folder, { recursive: true });
  try {
    for (const b of doc.blocks) {
      if (b.kind !== "table") continue;
      if (!(b as Table).exactGrid) {
        looseCrops(b as Table, pictures, o, speck, folder, crops, result);
        continue;
      }
      for (const row of b.rows)
        for (const cell of row) {
          const box = cell.place?.box, page = cell.place?.page;
          const g = page !== undefined ? pictures.get(page) : undefined;
          if (!box || !g || page === undefined) continue;
          // Inside the walls: the erased rules' margins and a little more.
          const x0 = Math.max(0, Math.round(box.x0 * o.scale) + 6), y0 = Math.max(0, Math.round(box.y0 * o.scale) + 6);
          const x1 = Math.min(g.width, Math.round(box.x1 * o.scale) - 6), y1 = Math.min(g.height, Math.round(box.y1 * o.scale) - 6);
          if (x1 - x0 < 8 || y1 - y0 < 8) continue;
          const ink = inkBox(g, x0, y0, x1, y1, speck);
          if (!ink) continue;
          const m = 4;
          const pic = crop(g, Math.max(x0, ink.x0 - m), Math.max(y0, ink.y0 - m), Math.min(x1, ink.x1 + m), Math.min(y1, ink.y1 + m), 12);
          const file = join(folder, `c${crops.length}.pgm`), black = join(folder, `b${crops.length}.pgm`);
          // Written at once: hundreds of small files, each an await through the thread pool, cost
          // more than the writing.
          writeFileSync(file, writePgm(pic));
          // The same crop in black and white, cut below its own paper-and-ink threshold:
          // the grey halo JPEG leaves round strokes goes, and thin digits (1, 7) stand clear.
          writeFileSync(black, writePgm(binarize(pic, Math.round(otsu(pic) * 0.75))));
          crops.push({ cell, page, file, black, inkW: ink.x1 - ink.x0, inkH: ink.y1 - ink.y0, lines: ink.lines, loose: false });
        }
    }
    if (!crops.length) return result;
    const grey = crops.map((c) => c.file), black = crops.map((c) => c.black);
    // The Chinese reading: a cell the page read as a label (two Chinese characters or more)
    // from the grey crop, whose strokes keep their shades; any other (a number, an unsure
    // one, a number taken for a character: 11 as 上) from the black and white one, as digits.
    const labelLike = (c: Crop) => [...c.cell.text].filter(isCjk).length >= 2;
    const chinese = crops.map((c) => (labelLike(c) ? c.file : c.black));
    const digits = "tessedit_char_whitelist=0123456789.";
    const [text, line, blackLine] = await Promise.all([
      readList(chinese, "chi_sim", 6, o.deadline, join(o.dir, "cells-text.txt"), ["preserve_interword_spaces=1"]),
      readList(grey, "eng", 7, o.deadline, join(o.dir, "cells-line.txt"), [digits]),
      readList(black, "eng", 7, o.deadline, join(o.dir, "cells-black.txt"), [digits]),
    ]);
    crops.forEach((c, i) => decide(c, text[i], line[i], blackLine[i], o, result));
    result.cells = crops.length;
    return result;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Whether a cell's ink is as wide as the digits read: a digit is about half as wide as it
 * is high (0.35–0.8 with the gaps between), a decimal point half that; a character of a
 * label is as wide as high.
 */
function shapedFor(c: Crop, digits: string): boolean {
  const perDigit = c.inkW / c.inkH / (digits.replace(".", "").length + (digits.includes(".") ? 0.5 : 0));
  return perDigit >= 0.3 && perDigit <= 0.85;
}

/** A reading's text as a number: a full stop or comma after the digits is a speck or punctuation, not a decimal point. */
const asNumber = (t: string) => t.replace(/[.,，。、]+$/, "");

function decide(c: Crop, text: ListReading | undefined, line: ListReading | undefined, blackLine: ListReading | undefined, o: CellRereadOptions, result: CellRereadResult): void {
  const cell = c.cell;
  const before = cell.text.trim();
  // A signed number (本年增/减): the cell's digit readings have no minus sign to give. In a
  // ruled cell the page's reading stands; in an unruled table its sign stands (both page
  // readings gave it) and its digits must be agreed like any other number's.
  const sign = c.loose && /^-\d/.test(before) ? "-" : "";
  if (!sign && /^-\d/.test(before)) return;
  const bare = before.slice(sign.length);
  const pageNumber = NUMBER.test(bare) && (cell.read?.confidence ?? 0) > 0 ? bare : null;
  const number = (r: ListReading | undefined) => (r && NUMBER.test(asNumber(r.text)) ? [{ text: asNumber(r.text), conf: r.conf }] : []);
  // Readings of digits: the cell's two digit readings (grey, black and white), its Chinese
  // one, the page's; each where it is a number.
  const lines = [...number(line), ...number(blackLine)];
  const readings = [...lines, ...number(text), ...(pageNumber ? [{ text: pageNumber, conf: Math.round((cell.read?.confidence ?? 0) * 100) }] : [])];
  if (c.lines === 1) {
    // A number one of the digit readings gives, with every reading that gives the same
    // digits: the chance that all of them are wrong together, each's confidence taken as
    // its chance of being right.
    let best: { text: string; sure: number; n: number } | undefined;
    for (const v of new Set(lines.map((r) => r.text))) {
      const agreeing = readings.filter((r) => r.text === v);
      const sure = 1 - agreeing.reduce((p, r) => p * (1 - r.conf / 100), 1);
      if (!best || sure > best.sure) best = { text: v, sure, n: agreeing.length };
    }
    if (best && best.n >= 2) {
      const v = best.text;
      const against = readings.some((r) => r.text !== v && r.conf >= 60);
      if (best.sure >= o.agreed && !against && shapedFor(c, v)) {
        if (sign + v !== before) result.numbers++;
        cell.text = sign + v;
        cell.read = { status: "ocr", confidence: Math.round(best.sure * 100) / 100 };
        if (c.cell.place?.box) result.settled.push({ page: c.page, ...c.cell.place.box });
        return;
      }
    }
  }
  if (c.loose) {
    // An unruled table's number: no cell walls vouch for it, so the page's reading alone
    // does not stand: unsure unless its own readings agreed above.
    unsureLoose(cell, o, result);
    return;
  }
  if (pageNumber) {
    // The page's number: kept unless the cell's own digit readings agree, surely, on another.
    const sure = lines.filter((r) => r.conf >= 80);
    if (sure.length === 2 && sure[0].text === sure[1].text && sure[0].text !== pageNumber) {
      cell.text = o.unsure;
      cell.read = { status: "ocr", confidence: 0 };
      result.contradicted++;
    }
    return;
  }
  if (before === o.unsure) return;
  // A number taken for a character (11 read 上 on the page): where the page read one
  // Chinese character, a digit reading gives a number the ink is shaped for, surely, and
  // the cell's own Chinese reading gives no Chinese at all, the cell holds a number it
  // could not read surely, not a label: "?", null with a diagnostic (as a label, it would
  // have made its row's label unknown and lost the whole row).
  const cjk = [...before].filter(isCjk).length;
  if (cjk === 1 && c.lines === 1 && !(text && hasCjk(text.text)) && lines.some((r) => r.conf >= 60 && shapedFor(c, r.text))) {
    cell.text = o.unsure;
    cell.read = { status: "ocr", confidence: 0 };
    result.unsure++;
    return;
  }
  // A label: the cell's own reading where it is surer than the page's. The cell's, read
  // alone as one block, is measured over its characters (a lone last character read unsure,
  // 请 of 信访举报投诉类申\n请, does not sink the rest); a page reading holding an unsure
  // mark ("?工.信访举报投诉类申": an item number it could not read) is sure of nothing.
  const pageConf = before.includes(o.unsure) ? 0 : (cell.read?.confidence ?? 0) * 100;
  if (text && hasCjk(text.text) && text.mean > pageConf && !/\d{2,}/.test(text.text.replace(/^\d+[.、．]/, ""))) {
    if (text.text !== cell.text) result.labels++;
    cell.text = text.text;
    cell.read = { status: "ocr", confidence: Math.round(text.mean) / 100 };
  }
}

/** An unruled table's number its own readings did not settle: "?", null with a diagnostic. */
function unsureLoose(cell: Cell, o: CellRereadOptions, result: CellRereadResult): void {
  const before = cell.text.trim();
  // A "?" of the page reading already has its diagnostic.
  if (before !== o.unsure) result.looseUnsure.push({ text: before, place: cell.place });
  cell.text = o.unsure;
  cell.read = { status: "ocr", confidence: 0 };
}

/**
 * The numbers of an unruled table, each cut out around its own word box (the layout puts a
 * value's box at its words): padded by a third of its height above and below and half of
 * it left and right, but never past halfway to the next value of its row or column (the
 * band the layout gives it). Its ink there must be its word's: ink well left or right of
 * the word box is a mark the page reading left out (a minus sign, a lost digit), and the
 * number is unsure. A cell whose number cannot be cut out (no box, no picture, no ink)
 * is unsure too.
 */
function looseCrops(t: Table, pictures: Map<number, Gray>, o: CellRereadOptions, speck: number, folder: string, crops: Crop[], result: CellRereadResult): void {
  const boxes = t.rows.map((row) => row.map((c) => (c.place?.box && isLooseNumber(c.text, o) ? c.place.box : undefined)));
  t.rows.forEach((row, r) =>
    row.forEach((cell, k) => {
      const text = cell.text.trim();
      if (!isLooseNumber(text, o)) return;
      const box = boxes[r][k], page = cell.place?.page;
      // A page of a mixed PDF read from its text layer: no picture, nothing to read again.
      if (page !== undefined && !pictures.has(page)) return;
      const g = page !== undefined ? pictures.get(page) : undefined;
      if (!box || !g || page === undefined) return unsureLoose(cell, o, result);
      const h = (box.y1 - box.y0) * o.scale;
      let x0 = box.x0 * o.scale - h * 0.5, x1 = box.x1 * o.scale + h * 0.5;
      let y0 = box.y0 * o.scale - h * 0.3, y1 = box.y1 * o.scale + h * 0.3;
      // Halfway to the neighbours: the values beside it in its row, above and below it in its column.
      for (const [j, nb] of boxes[r].entries()) {
        if (!nb || j === k) continue;
        if (nb.x1 <= box.x0) x0 = Math.max(x0, ((nb.x1 + box.x0) / 2) * o.scale);
        if (nb.x0 >= box.x1) x1 = Math.min(x1, ((nb.x0 + box.x1) / 2) * o.scale);
      }
      for (const [i, line] of boxes.entries()) {
        const nb = line[k];
        if (!nb || i === r) continue;
        if (nb.y1 <= box.y0) y0 = Math.max(y0, ((nb.y1 + box.y0) / 2) * o.scale);
        if (nb.y0 >= box.y1) y1 = Math.min(y1, ((nb.y0 + box.y1) / 2) * o.scale);
      }
      const X0 = Math.max(0, Math.round(x0)), Y0 = Math.max(0, Math.round(y0));
      const X1 = Math.min(g.width, Math.round(x1)), Y1 = Math.min(g.height, Math.round(y1));
      if (X1 - X0 < 8 || Y1 - Y0 < 8) return unsureLoose(cell, o, result);
      const ink = inkBox(g, X0, Y0, X1, Y1, speck);
      const side = h * 0.35;
      if (!ink || ink.x0 < box.x0 * o.scale - side || ink.x1 > box.x1 * o.scale + side) return unsureLoose(cell, o, result);
      const m = 4;
      const pic = crop(g, Math.max(X0, ink.x0 - m), Math.max(Y0, ink.y0 - m), Math.min(X1, ink.x1 + m), Math.min(Y1, ink.y1 + m), 12);
      const file = join(folder, `c${crops.length}.pgm`), black = join(folder, `b${crops.length}.pgm`);
      writeFileSync(file, writePgm(pic));
      writeFileSync(black, writePgm(binarize(pic, Math.round(otsu(pic) * 0.75))));
      crops.push({ cell, page, file, black, inkW: ink.x1 - ink.x0, inkH: ink.y1 - ink.y0, lines: ink.lines, loose: true });
    }),
  );
}

/** A value cell of an unruled table: one number, or the page's "?" for one. */
const isLooseNumber = (text: string, o: CellRereadOptions) => {
  const t = text.trim();
  return t === o.unsure || /^-?\d+(?:\.\d+)?$/.test(t);
};
