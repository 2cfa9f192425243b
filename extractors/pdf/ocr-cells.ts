// The second look at a scanned table: every cell of a ruled grid read again alone, cut
// tight out of the page picture (rules erased), once the layout has found the grid.
//
// A page read as a whole (ocr.ts) loses words: a label wrapped over two lines in its cell
// comes out in pieces or misread, and a number the Chinese model takes for characters
// ("71" as 池小) is no number. A cell alone is one block of text: Tesseract reads it
// as such (chi_sim, --psm 6), and its digits twice more (eng with a digit whitelist, one
// line --psm 7 and one word --psm 8). One Tesseract run per reading for all the cells of
// the document (a list of crops), so the models load once.
//
// What a cell then says:
//  - a number only where two of its readings give the same digits, together sure
//    (AGREED), the one-line reading among them, no sure reading says another number, and
//    its ink is as wide as that many digits (a label read through a digit whitelist gives
//    digits too, as wide as characters, twice a digit's width);
//  - a number the page reading took that the cell's readings contradict, surely: "?";
//  - otherwise a label, as the cell's own Chinese reading gives it when that one is
//    surer than the page's, or as it was.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Cell, Document, Table } from "../../model/document.js";
import { isCjk } from "./geometry.js";
import { INK, writePgm, type Gray } from "./scan-image.js";
import { readList, type ListReading } from "./scan-tools.js";

const hasCjk = (s: string) => [...s].some(isCjk);
/** A whole number or an amount, as a value cell prints it. */
const NUMBER = /^\d+(?:\.\d+)?$/;
/** Two readings that agree, as one confidence (0–1), as in ocr.ts. */
const both = (a: number, b: number) => 1 - (1 - a / 100) * (1 - b / 100);

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
  /** Labels taken from the cell's own reading. */
  labels: number;
  /** Boxes (points, top-left) of the cells now holding a number: their page-level doubts are settled. */
  settled: { page: number; x0: number; y0: number; x1: number; y1: number }[];
}

interface Crop {
  cell: Cell;
  page: number;
  file: string;
  /** Ink box in the picture: width and height in pixels. */
  inkW: number;
  inkH: number;
  lines: number;
}

/** The ink of a box, as rows: its bounding box and how many bands of text it holds. */
function inkBox(g: Gray, x0: number, y0: number, x1: number, y1: number) {
  let minX = Infinity, minY = Infinity, maxX = -1, maxY = -1, n = 0;
  const rows: number[] = [];
  for (let y = y0; y < y1; y++) {
    let r = 0;
    for (let x = x0; x < x1; x++)
      if (g.px[y * g.width + x] < INK) {
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
  return { x0: minX, y0: minY, x1: maxX + 1, y1: maxY + 1, lines };
}

function crop(g: Gray, x0: number, y0: number, x1: number, y1: number, border: number): Gray {
  const w = x1 - x0 + 2 * border, h = y1 - y0 + 2 * border;
  const px = new Uint8Array(w * h).fill(255);
  for (let y = y0; y < y1; y++) px.set(g.px.subarray(y * g.width + x0, y * g.width + x1), (y - y0 + border) * w + border);
  return { width: w, height: h, px };
}

/** Every cell of the document's ruled tables read again from the pictures (page → picture). */
export async function rereadCells(doc: Document, pictures: Map<number, Gray>, o: CellRereadOptions): Promise<CellRereadResult> {
  const result: CellRereadResult = { cells: 0, numbers: 0, contradicted: 0, labels: 0, settled: [] };
  const crops: Crop[] = [];
  const folder = join(o.dir, "cells");
  await mkdir(folder, { recursive: true });
  try {
    for (const b of doc.blocks) {
      if (b.kind !== "table" || !(b as Table).exactGrid) continue;
      for (const row of b.rows)
        for (const cell of row) {
          const box = cell.place?.box, page = cell.place?.page;
          const g = page !== undefined ? pictures.get(page) : undefined;
          if (!box || !g || page === undefined) continue;
          // Inside the walls: the erased rules' margins and a little more.
          const x0 = Math.max(0, Math.round(box.x0 * o.scale) + 6), y0 = Math.max(0, Math.round(box.y0 * o.scale) + 6);
          const x1 = Math.min(g.width, Math.round(box.x1 * o.scale) - 6), y1 = Math.min(g.height, Math.round(box.y1 * o.scale) - 6);
          if (x1 - x0 < 8 || y1 - y0 < 8) continue;
          const ink = inkBox(g, x0, y0, x1, y1);
          if (!ink) continue;
          const m = 4;
          const pic = crop(g, Math.max(x0, ink.x0 - m), Math.max(y0, ink.y0 - m), Math.min(x1, ink.x1 + m), Math.min(y1, ink.y1 + m), 12);
          const file = join(folder, `c${crops.length}.pgm`);
          await writeFile(file, writePgm(pic));
          crops.push({ cell, page, file, inkW: ink.x1 - ink.x0, inkH: ink.y1 - ink.y0, lines: ink.lines });
        }
    }
    if (!crops.length) return result;
    const files = crops.map((c) => c.file);
    const digits = "tessedit_char_whitelist=0123456789.";
    const [text, line, word] = await Promise.all([
      readList(files, "chi_sim", 6, o.deadline, join(o.dir, "cells-text.txt"), ["preserve_interword_spaces=1"]),
      readList(files, "eng", 7, o.deadline, join(o.dir, "cells-line.txt"), [digits]),
      readList(files, "eng", 8, o.deadline, join(o.dir, "cells-word.txt"), [digits]),
    ]);
    crops.forEach((c, i) => decide(c, text[i], line[i], word[i], o, result));
    result.cells = crops.length;
    return result;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function decide(c: Crop, text: ListReading | undefined, line: ListReading | undefined, word: ListReading | undefined, o: CellRereadOptions, result: CellRereadResult): void {
  const cell = c.cell;
  const before = cell.text.trim();
  const pageNumber = NUMBER.test(before) && (cell.read?.confidence ?? 0) > 0 ? before : null;
  const oneLine = c.lines === 1;
  // Readings of digits: the cell's two, its Chinese one when it is a number, the page's.
  const l = line && NUMBER.test(line.text) ? line : undefined;
  const others: { text: string; conf: number }[] = [];
  if (word && NUMBER.test(word.text)) others.push(word);
  if (text && NUMBER.test(text.text)) others.push(text);
  if (pageNumber) others.push({ text: pageNumber, conf: Math.round((cell.read?.confidence ?? 0) * 100) });
  if (l && oneLine) {
    const agreeing = others.filter((r) => r.text === l.text);
    const best = agreeing.reduce((m, r) => Math.max(m, both(l.conf, r.conf)), 0);
    const against = others.some((r) => r.text !== l.text && r.conf >= 60);
    // A digit is about half as wide as it is high (0.35–0.8 with the gaps between); a
    // character of a label is as wide as high.
    const perDigit = c.inkW / c.inkH / l.text.replace(".", "").length;
    const shaped = perDigit >= 0.3 && perDigit <= 0.85;
    if (agreeing.length && best >= o.agreed && !against && shaped) {
      if (l.text !== before) result.numbers++;
      cell.text = l.text;
      cell.read = { status: "ocr", confidence: Math.round(best * 100) / 100 };
      if (c.cell.place?.box) result.settled.push({ page: c.page, ...c.cell.place.box });
      return;
    }
  }
  if (pageNumber) {
    // The page's number: kept unless the cell's own readings agree, surely, on another.
    const sure = [l, word].filter((r): r is ListReading => !!r && NUMBER.test(r.text) && r.conf >= 80);
    if (sure.length === 2 && sure[0].text === sure[1].text && sure[0].text !== pageNumber) {
      cell.text = o.unsure;
      cell.read = { status: "ocr", confidence: 0 };
      result.contradicted++;
    }
    return;
  }
  if (before === o.unsure) return;
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
