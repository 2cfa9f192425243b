// Unruled tables: a table drawn without ruling lines, rebuilt from text positions alone
// (the "stream" approach). Pure functions over the lines of one page.
//
// Columns. Value columns are the bands the numbers of the data lines occupy (numbers of
// one column overlap however they are aligned); a header word over no band is a column
// of its own (a column blank in every row). Label columns start where label fragments
// start, left of the first band.
// Label cells. Fragments of one label column form a block: a fragment continues the one
// above it when that line was full (text wraps only at the cell's edge), it does not open
// a new item (1. / （三） / 四、) and it is about a line below.
// Rows. A block with another block to its right at the same height is a group label
// (三、本年度办理结果); the others are row labels. Each value column's numbers are matched
// to the row labels in reading order, each to the nearest label, at most one per label:
// an order-preserving assignment, so numbers set at the top, middle or bottom of a tall
// row all land in it, and a blank cell stays blank. Numbers no label claims form rows of
// their own (table 4's data row). Lines with words over the value columns are header rows.
import { ITEM_NUMBER } from "../../model/text.js";
import { simplifiedView } from "../../model/traditional.js";
import { gapBetween, positions, spaced, type CellArea, type Line, type Part, type PartCell, type Piece } from "./geometry.js";

// A count may carry its unit (3件, 12.5万元); 无 and dashes print "none"; "?" (one a digit)
// holds the place of a value that could not be read (cut at the page's edge: build.ts).
/** The units a count or an amount may carry after its digits. */
const UNITS = "%|件|个|项|条|次|家|人|份|宗|起|万元|元";
const NUMERIC = new RegExp(`^[-+]?(?:\\d[\\d,，]*(?:\\.\\d+)?|\\.\\d+)(?:${UNITS})?$|^(?:[—–\\-/／]|无|空|暂无|\\?+)$`);
/** A unit alone (drawn as a word of its own after its number: joinsUnit). */
const UNIT = new RegExp(`^(?:${UNITS})$`);
/** A value as printed: a number (full-width digits too) or a dash or slash for none. */
export const isNumber = (s: string) => NUMERIC.test(ASCII.test(s) ? s : simplifiedView(s.normalize("NFKC")));
const ASCII = /^[\x20-\x7e]*$/;

/** A section heading of the report (一、总体情况): never a table row when it stands alone. */
export const SECTION = /^[一二三四五六七八九十]+、/;

/** A line of prose: it ends a sentence (no table cell of the template does). */
const SENTENCE = /[。！？]\s*$/;

/**
 * Every tolerance of the unruled-table reader, named once (as layout.ts names its own).
 * `…Em` are in font sizes, `…Pt` in PDF points, `…Width` fractions of the text width,
 * `…Pitch` multiples of the line pitch; plain numbers are counts.
 */
const T = {
  /** Two numbers this far apart (or more) are two values, however close the columns. */
  numbersApartEm: 0.2,
  /** Pieces closer than this are one chunk; this far apart a new cell or fragment opens. */
  chunkGapEm: 0.9,
  /** Pieces closer than this touch: one word ("本年增" "/" "减"). */
  touchEm: 0.12,
  /** A line with this many chunks is tabular even without a number. */
  tabularChunks: 3,
  /** A line narrower than this share of the text width is short (a label's tail, a cell). */
  shortLineWidth: 0.4,
  /** A single-chunk line wider than this share of the text width is prose. */
  proseLineWidth: 0.6,
  /** A vertical gap wider than this ends a table (rows may be tall) … */
  tableGapEm: 7,
  /** … or, between lines that do not look tabular, a run of prose. */
  proseGapEm: 3.2,
  /** Numbers this close below a line make it part of the table. */
  numbersNextEm: 2.5,
  /** A trailing short line this close below the last data line belongs to its row. */
  tailLineEm: 2,
  /** A row with this many numbers is wide: a table however its lines align. */
  wideRowNumbers: 4,
  /** Chunks whose left, right (or, at twice this, centre) edges are this close are aligned. */
  alignPt: 2.5,
  /** This share of chunks aligned makes the lines columnar. */
  alignedShare: 0.6,
  /** Lines looked back over for a table's head. */
  lookBackLines: 6,
  /** A head's line may stand this many times the table's row pitch above the next line. */
  headerPitch: 1.15,
  /** Slack at edges: overlaps, the label area's end, merged spans. */
  edgeSlackPt: 0.5,
  /** A text's top, bottom and middle from its baseline. */
  ascentEm: 0.8,
  descentEm: 0.2,
  middleEm: 0.3,
  /** One text this far above another stands above it (stacked heads, the next fragment). */
  stackedEm: 0.5,
  /** A band joins a column this many times nearer than the next one, plus this many points. */
  nearestRatio: 2,
  nearestPt: 2,
  /** A head over no band has room for a column of its own where the space beside it is this many gaps between columns. */
  roomGaps: 1.5,
  /** A label piece after a gap this wide (at a recurring start) opens a fragment. */
  labelStartEm: 0.15,
  /** Label starts this close are one start. */
  labelStartPt: 2.5,
  /** Label column starts this close are one column. */
  labelColumnPt: 4,
  /** A fragment reaching its column's edge within this (em, plus points) is a full line that wraps. */
  fullLineEm: 2.5,
  fullLinePt: 3,
  /** Horizontal slack when a fragment lies below another. */
  overlapSlackPt: 2,
  /** The smallest line pitch counted, and the one assumed when none is seen. */
  pitchMinEm: 0.9,
  defaultPitchEm: 1.25,
  /** A fragment continues the one above it within this many line pitches. */
  continuePitch: 1.35,
  /** A block overlapping another to its right by this much is a group label. */
  groupOverlapEm: 0.3,
  /** Rows padded apart: their lines this much more than a line pitch apart. */
  paddedEm: 0.1,
  /** Two lines a line apart: at least this far, at most this many pitches. */
  lineApartMinEm: 0.6,
  lineApartMaxPitch: 1.15,
  /** A number no row owns, a line of this many font sizes (or a line pitch) from a row's number in its column, makes that number doubtful. */
  strayLineEm: 1.4,
  /** A wrapped number's two pieces are wider than the column's widest content by this. */
  wrapExcessEm: 0.5,
  /** One fit clearly better than the next by this much. */
  clearFitEm: 0.3,
  /** A number this far below a row's top starts a row of its own. */
  rowReachEm: 1.9,
  /** How far a number may stand from its row's label. */
  labelReachEm: 2.5,
} as const;


/** What opens an item of a list in a label: 1. / （三） / 四、, or a title 第二十条第（五）项. */
export const MARKER = new RegExp(`${ITEM_NUMBER.source}|^第[一二三四五六七八九十]+条`);

/** A line's chunks: pieces separated by a gap of about an em (numbers always apart). */
export function chunks(l: Line): Piece[] {
  const out: Piece[] = [];
  for (const p of l.pieces) {
    const last = out[out.length - 1];
    // Two numbers are two values however close (narrow columns); other pieces under an em apart are one chunk.
    const numbers = last && (isNumber(p.str) || isNumber(last.str)) && p.x0 - last.x1 > l.size * T.numbersApartEm;
    if (last && joinsUnit(last, p, l.size)) out[out.length - 1] = withUnit(last, p);
    else if (last && !numbers && p.x0 - last.x1 < l.size * T.chunkGapEm) out[out.length - 1] = merge(last, p);
    else out.push({ ...p });
  }
  return out;
}

/**
 * A unit drawn as a word of its own just after its number, within a chunk's gap (184719 元,
 * 18.5 万元): the number's, as a cell printing 184719元 holds it, so the value keeps its unit.
 */
const joinsUnit = (last: Piece, p: Piece, size: number) => UNIT.test(p.str) && /\d$/.test(last.str) && isNumber(last.str) && p.x0 - last.x1 < size * T.chunkGapEm;
const withUnit = (a: Piece, unit: Piece): Piece => ({ ...a, str: a.str + unit.str, x1: Math.max(a.x1, unit.x1) });

const merge = (a: Piece, b: Piece): Piece => ({ ...a, str: a.str + (spaced(a, b) ? " " : "") + b.str, x1: Math.max(a.x1, b.x1), track: Math.max(a.track ?? 0, b.track ?? 0) });

/**
 * A table row's line: a label (or a number) and then values, nothing but values after
 * the first of them. Prose that cites numbers ("申请 14374 件，上年结转 853 件") goes on
 * with words.
 */
export const isDataLine = (cs: Piece[]) => {
  const first = cs.findIndex((c, i) => i > 0 && isNumber(c.str));
  return cs.length >= 2 && first > 0 && cs.slice(first).every((c) => isNumber(c.str));
};

/**
 * Runs of consecutive lines that look tabular: a stretch that holds at least two lines
 * with two or more chunks, one of them a number, and no long single-chunk line (prose).
 */
export function streamTables(lines: Line[], textWidth: number): { at: number; end: number; part: Part }[] {
  const info = lines.map((l) => ({ l, cs: chunks(l) }));
  const out: { at: number; end: number; part: Part }[] = [];
  let i = 0;
  while (i < info.length) {
    if (!isDataLine(info[i].cs) && !(info[i].cs.length >= T.tabularChunks)) {
      i++;
      continue;
    }
    // Grow: lines that are multi-chunk, or short single chunks between them.
    let j = i;
    let lastData = isDataLine(info[i].cs) ? i : -1;
    while (j + 1 < info.length) {
      const n = info[j + 1];
      const gap = info[j].l.y - n.l.y;
      // Rows may be tall (a set row height, a label over several lines beside them): a
      // line that looks tabular may follow a wider gap than prose would.
      const tabular = isDataLine(n.cs) || n.cs.every((c) => isNumber(c.str)) || n.cs.length >= 2 || n.l.x1 - n.l.x0 < textWidth * T.shortLineWidth;
      if (gap > n.l.size * (tabular ? T.tableGapEm : T.proseGapEm)) break;
      // 三、… alone on a line is a section heading, unless a row of numbers follows at
      // once (三、本年度办理结果, a group label set in the middle of its rows).
      const numbersNext = info.slice(j + 2, j + 4).some((x) => (isDataLine(x.cs) || x.cs.every((c) => isNumber(c.str))) && n.l.y - x.l.y < n.l.size * T.numbersNextEm);
      const heading = SECTION.test(n.l.text) && !numbersNext;
      const prose = (n.cs.length === 1 && (n.l.x1 - n.l.x0 > textWidth * T.proseLineWidth || heading)) || SENTENCE.test(n.l.text);
      if (prose) break;
      j++;
      // Numbers alone on a line inside a table are a row's values set off its label's line.
      if (isDataLine(n.cs) || n.cs.every((c) => isNumber(c.str))) lastData = j;
    }
    const dataCount = info.slice(i, lastData + 1).filter((x) => isDataLine(x.cs)).length;
    // Trailing short lines (the end of a wrapped label) belong to the last row.
    while (lastData >= 0 && lastData + 1 < info.length && lastData + 1 <= j && !isDataLine(info[lastData + 1].cs) && info[lastData + 1].cs.length === 1 && info[lastData].l.y - info[lastData + 1].l.y < info[lastData].l.size * T.tailLineEm && info[lastData + 1].l.x1 - info[lastData + 1].l.x0 < textWidth * T.shortLineWidth)
      lastData++;
    const wide = lastData >= 0 && info.slice(i, lastData + 1).some((x) => x.cs.filter((c) => isNumber(c.str)).length >= T.wideRowNumbers);
    // Numbers of a table line up in columns; numbers in prose do not.
    const numChunks = info.slice(i, lastData + 1).filter((x) => isDataLine(x.cs)).map((x) => x.cs.filter((c) => isNumber(c.str)));
    const lined = (c: Piece, other: Piece) => Math.abs(c.x0 - other.x0) < T.alignPt || Math.abs(c.x1 - other.x1) < T.alignPt || Math.abs(c.x0 + c.x1 - other.x0 - other.x1) < T.alignPt * 2;
    const all = numChunks.flat();
    const aligned = all.filter((c) => numChunks.some((line) => !line.includes(c) && line.some((o) => lined(c, o)))).length;
    const columnar = all.length > 0 && aligned >= all.length * T.alignedShare;
    // Or a header line of three chunks or more stands over them.
    const headed = info.slice(i, lastData + 1).some((x) => !isDataLine(x.cs) && x.cs.length >= T.tabularChunks);
    if (lastData < 0 || (dataCount < 2 && !wide) || (dataCount >= 2 && !columnar && !wide && !headed)) {
      i = Math.max(i + 1, j + 1);
      continue;
    }
    // Header lines: up to 6 non-data lines just before, when they have chunks in the table's columns.
    // A header row stands as far from the next as the table's rows stand from each other
    // (tall rows, cells with padding), however wide that is beside prose's line gap; a
    // line of several chunks (column heads) as far as a tabular line may below (tableGapEm).
    const pitch = rowPitch(info.slice(i, lastData + 1).map((x) => x.l));
    let start = i;
    while (start > 0 && i - start < T.lookBackLines) {
      const prev = info[start - 1];
      const gap = prev.l.y - info[start].l.y;
      const reach = prev.cs.length >= 2 ? prev.l.size * T.tableGapEm : Math.max(prev.l.size * T.proseGapEm, pitch * T.headerPitch);
      if (gap > reach || SENTENCE.test(prev.l.text) || (prev.cs.length === 1 && (prev.l.x1 - prev.l.x0 > textWidth * T.proseLineWidth || SECTION.test(prev.l.text)))) break;
      if (prev.cs.length < 2 && prev.l.x1 - prev.l.x0 > textWidth * T.shortLineWidth) break;
      start--;
    }
    // A header inside the table (table 2's small tables) starts a part with its own columns.
    let at = start;
    for (const section of sections(info.slice(start, lastData + 1).map((x) => x.l))) {
      out.push({ at, end: at + section.length, part: streamPart(section, section[0].page) });
      at += section.length;
    }
    i = lastData + 1;
  }
  return out;
}

/** The most common distance between one line of a table and the next (the median; 0 for one line). */
function rowPitch(lines: Line[]): number {
  const gaps = lines.slice(1).map((l, k) => lines[k].y - l.y).filter((g) => g > 0);
  return gaps.length ? median(gaps) : 0;
}

// ---------------------------------------------------------------- one table

/** Which lines hold values (numbers right of a label), and those values' pieces. */
function valuesOf(lines: Line[]): { isValueLine: boolean[]; valuePieces: { p: Piece; line: number }[] } {
  // A data line, or numbers alone (a row's values set lower or higher than its label).
  const isValueLine = lines.map((l) => {
    const cs = chunks(l);
    return isDataLine(cs) || (cs.length > 0 && cs.every((c) => isNumber(c.str)));
  });
  const valuePieces: { p: Piece; line: number }[] = [];
  lines.forEach((l, i) => {
    if (!isValueLine[i]) return;
    // The label is what precedes the first number.
    const first = l.pieces.findIndex((p) => isNumber(p.str));
    const labelEnd = Math.max(-Infinity, ...l.pieces.slice(0, first).map((p) => p.x1));
    for (const p of l.pieces.slice(first)) if (isNumber(p.str) && p.x0 >= labelEnd - T.edgeSlackPt) valuePieces.push({ p, line: i });
  });
  return { isValueLine, valuePieces };
}

/**
 * A table's lines cut where a header line (words over the value columns) follows rows of
 * values: each piece has its own column heads, so its own columns.
 */
function sections(input: Line[]): Line[][] {
  const lines = input.map((l) => ({ ...l, pieces: touching(l.pieces) }));
  const { isValueLine, valuePieces } = valuesOf(lines);
  if (!valuePieces.length) return [input];
  const valueStart = Math.min(...valuePieces.map((v) => v.p.x0));
  const isHeader = lines.map((l, i) => !isValueLine[i] && l.pieces.some((p) => !isNumber(p.str) && (p.x0 + p.x1) / 2 >= valueStart - 1));
  // A header zone that repeats the first one (the header printed again on the next page)
  // continues the table; a different one starts a part.
  const zoneText = (i: number) => {
    let t = "";
    for (let k = i; k < lines.length && isHeader[k]; k++) t += lines[k].text;
    return t.replace(/\s+/g, "");
  };
  const firstZone = isHeader.indexOf(true);
  const first = firstZone >= 0 ? zoneText(firstZone) : "";
  const out: Line[][] = [[]];
  let values = false;
  input.forEach((l, i) => {
    if (isHeader[i] && values && !(i > 0 && !isHeader[i - 1] && zoneText(i) === first)) {
      out.push([]);
      values = false;
    }
    out[out.length - 1].push(l);
    if (isValueLine[i]) values = true;
  });
  // A piece without values joins the one before it.
  const merged: Line[][] = [];
  let start = 0;
  for (const sec of out) {
    const has = sec.some((_, k) => isValueLine[start + k]);
    if (!has && merged.length) merged[merged.length - 1].push(...sec);
    else if (!has) merged.push(sec);
    else if (merged.length && !merged[merged.length - 1].some((l) => isValueLine[input.indexOf(l)])) merged[merged.length - 1].push(...sec);
    else merged.push(sec);
    start += sec.length;
  }
  return merged;
}

/** A chunk of a table line: label text, a value, or a header word. */
interface Frag {
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
  /** Index of its line in the table. */
  line: number;
}

/** A label cell: fragments of one label column, top to bottom. */
interface Block {
  col: number;
  frags: Frag[];
  top: number;
  bottom: number;
  group: boolean;
}

type RowItem =
  | { kind: "header"; top: number; lines: number[] }
  | { kind: "label"; top: number; block: Block; values: (Frag | undefined)[]; unsettled?: Set<number> }
  | { kind: "values"; top: number; values: (Frag | undefined)[] };

const textTop = (f: { y: number; size: number }) => f.y + f.size * T.ascentEm;
const textBottom = (f: { y: number; size: number }) => f.y - f.size * T.descentEm;
const middle = (f: { y: number; size: number }) => f.y + f.size * T.middleEm;

/** One unruled table from its lines (top to bottom): columns, cells, rows, then the grid. */
export function streamPart(input: Line[], page: number): Part {
  // Pieces that touch are one word ("本年增" "/" "减"), unless both are numbers.
  const lines = input.map((l) => ({ ...l, pieces: touching(l.pieces) }));
  const size = median(lines.map((l) => l.size));
  const notes: string[] = [];
  const { isValueLine, valuePieces, runs } = readableValues(lines, notes);
  const bands = valueColumns(lines, isValueLine, valuePieces);
  const split = splitLines(lines, bands, isValueLine, valuePieces);
  const labels = labelBlocks(lines, split, bands[0][0], size);
  const { claimed, loose, unsettled } = assignValues(split, labels, bands.length, size, notes);
  unsettleRuns(runs, lines, labels, bands, claimed, unsettled, size);
  const items = rowItems(lines, split, labels, claimed, loose, bands.length, size, unsettled);
  const grid = gridOf(items, split, labels, bands.length, size, lines);
  const xs = [...labels.starts, bands[0][0] - 1];
  for (let k = 1; k < bands.length; k++) xs.push((bands[k - 1][1] + bands[k][0]) / 2);
  xs.push(bands[bands.length - 1][1] + 1);
  const ys = [...grid.tops, Math.min(...lines.map((l) => l.y)) - 3];
  return { page, xs, ys, cells: grid.cells, exact: false, labelCols: labels.starts.length, ...(notes.length ? { notes } : {}) };
}

/**
 * The values of valuesOf, less runs of digits that span the numbers of several columns
 * on another row: cells with no space between them whose numbers the PDF writer printed
 * as one run ("772577767824"). What that run says cannot be split; it is not read (a note
 * says so) and its cells stay blank.
 */
function readableValues(lines: Line[], notes: string[]): ReturnType<typeof valuesOf> & { runs: { p: Piece; line: number }[] } {
  const { isValueLine, valuePieces } = valuesOf(lines);
  const overlap = (a: Piece, b: Piece) => Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > T.edgeSlackPt;
  const runs: { p: Piece; line: number }[] = [];
  const kept = valuePieces.filter((v) => {
    const perLine = new Map<number, number>();
    for (const o of valuePieces) if (o.line !== v.line && overlap(o.p, v.p)) perLine.set(o.line, (perLine.get(o.line) ?? 0) + 1);
    if (![...perLine.values()].some((n) => n >= 2)) return true;
    runs.push(v);
    return false;
  });
  // Where every number would go, none is dropped (nothing else says where the columns
  // are): the values are read as they are, and no note claims otherwise.
  if (!kept.length) return { isValueLine, valuePieces, runs: [] };
  for (const { p } of runs)
    notes.push(`"${p.str}" spans the numbers of several columns on another row: several cells' numbers run together (no space between the cells); it was not read`);
  return { isValueLine, valuePieces: kept, runs };
}

/**
 * The cells a run of digits that was not read stands over (readableValues): in the row
 * whose label shares its line (else the nearest label within reach), every value column
 * it crosses that holds no number is unread, not blank. In the row whose label shares its
 * line, a column that took a number from another line loses it too: the unread run stands
 * where that cell's number is printed (14374 wrapped in a narrow cell as 1437 / 4, the
 * 1437 over two columns' width: the 4 alone was read as the total).
 */
function unsettleRuns(runs: { p: Piece; line: number }[], lines: Line[], labels: Labels, bands: Span[], claimed: Claimed, unsettled: Unsettled, size: number): void {
  for (const { p, line } of runs) {
    const f: Frag = { text: p.str, x0: p.x0, x1: p.x1, y: lines[line].y, size: p.size, line };
    const own = labels.rowLabels.find((l) => l.frags.some((x) => x.line === line));
    const label = own ?? labels.rowLabels.filter((l) => distance(f, l) <= size * REACH).sort((a, b) => distance(f, a) - distance(f, b))[0];
    if (!label) continue;
    const vs = claimed.get(label)!;
    bands.forEach((b, k) => {
      if (!crosses(p, b)) return;
      // A number the row took keeps its cell unless the run is on the row's own label line
      // and the number is from another line (a row within reach owns its own numbers).
      if (vs[k] && (!own || vs[k]!.line === line)) return;
      vs[k] = undefined;
      if (!unsettled.has(label)) unsettled.set(label, new Set());
      unsettled.get(label)!.add(k);
    });
  }
}

type Span = [number, number];
const crosses = (a: { x0: number; x1: number }, b: Span) => Math.min(b[1], a.x1) - Math.max(b[0], a.x0) > 0;

/**
 * The value columns, left to right, as x spans. Numbers of one column overlap however
 * they are aligned: their bands. A column head with nothing narrower under it is a
 * leaf: the bands under a leaf are one column, and a leaf over no band is a column blank
 * in every row (stacked words of one head merge). Where there are heads every column has
 * one: a band under no head (a number set right under a head set left) joins the
 * nearest column, a headed band with its head's width or a head over no band, when that
 * one is clearly the nearest, nothing lies between and no line has numbers in both.
 */
function valueColumns(lines: Line[], isValueLine: boolean[], valuePieces: { p: Piece; line: number }[]): Span[] {
  let bands = valueBands(valuePieces);
  const valueStart = bands[0][0];
  const heads: Piece[] = [];
  lines.forEach((l, i) => {
    if (!isValueLine[i]) for (const p of l.pieces) if (!isNumber(p.str) && (p.x0 + p.x1) / 2 >= valueStart - 1) heads.push(p);
  });
  const leaves = heads.filter((h) => !heads.some((u) => u.y < h.y - h.size * T.stackedEm && u.x1 > h.x0 && u.x0 < h.x1 && u.x1 - u.x0 < h.x1 - h.x0 - 1));
  // Bands with numbers on one line are never one column.
  const linesIn = (b: Span) => new Set(valuePieces.filter((v) => crosses(v.p, b)).map((v) => v.line));
  const shareALine = (bs: Span[]) => {
    const seen = new Set<number>();
    for (const b of bs)
      for (const l of linesIn(b)) {
        if (seen.has(l)) return true;
        seen.add(l);
      }
    return false;
  };
  for (const h of leaves) {
    const under = bands.filter((b) => crosses(h, b));
    if (under.length < 2 || shareALine(under)) continue;
    const joined: Span = [Math.min(...under.map((b) => b[0])), Math.max(...under.map((b) => b[1]))];
    bands = [...bands.filter((b) => !under.includes(b)), joined].sort((a, b) => a[0] - b[0]);
  }
  // A head over no band is a column blank in every row, where there is room for one: set in
  // the gap between two columns' contents, above their heads, with no more space beside it
  // than one gap between columns holds, it spans columns (行政诉讼 centred over table 4's ten
  // columns, between 总计 and 结果维持, in cells wider than their contents).
  const extents = bands.map((b): Span => {
    const hs = leaves.filter((h) => crosses(h, b));
    return [Math.min(b[0], ...hs.map((h) => h.x0)), Math.max(b[1], ...hs.map((h) => h.x1))];
  });
  const gaps = extents.slice(1).map((e, k) => e[0] - extents[k][1]).filter((g) => g > 0);
  // And it stands above its neighbours' heads, on a level of its own: a blank column's head
  // shares a line with theirs (or is centred among their lines).
  const spans = (h: Piece) => {
    const k = extents.findLastIndex((e) => e[1] <= h.x0);
    const left = extents[k];
    const right = extents[k + 1];
    if (!left || !right || right[0] < h.x1 || gaps.length < 2) return false;
    const beside = heads.filter((u) => u !== h && (crosses(u, left) || crosses(u, right)));
    if (!beside.length || beside.some((u) => u.y >= h.y - h.size * T.stackedEm)) return false;
    return right[0] - left[1] - (h.x1 - h.x0) < median(gaps) * T.roomGaps;
  };
  const lonely = mergeSpans(leaves.filter((h) => !bands.some((b) => crosses(h, b)) && !spans(h)).map((h): Span => [h.x0, h.x1]));
  if (leaves.length) {
    type Column = { span: Span; bands: Span[] };
    const columns: Column[] = [
      ...bands.filter((b) => leaves.some((h) => crosses(h, b))).map((b) => {
        const hs = leaves.filter((h) => crosses(h, b));
        return { span: [Math.min(b[0], ...hs.map((h) => h.x0)), Math.max(b[1], ...hs.map((h) => h.x1))] as Span, bands: [b] };
      }),
      ...lonely.map((l) => ({ span: l, bands: [] as Span[] })),
    ];
    for (const b of bands.filter((x) => !leaves.some((h) => crosses(h, x)))) {
      const gap = (s: Span) => (s[0] >= b[1] ? s[0] - b[1] : b[0] >= s[1] ? b[0] - s[1] : 0);
      const byGap = [...columns].sort((p, q) => gap(p.span) - gap(q.span));
      const best = byGap[0];
      if (!best || (byGap[1] && gap(byGap[1].span) < gap(best.span) * T.nearestRatio + T.nearestPt)) continue;
      const lo = Math.min(b[0], best.span[0]), hi = Math.max(b[1], best.span[1]);
      if (bands.some((o) => o !== b && !best.bands.includes(o) && o[0] < hi && o[1] > lo)) continue;
      if (shareALine([b, ...best.bands])) continue;
      best.bands.push(b);
      best.span = [lo, hi];
    }
    bands = [
      ...bands.filter((b) => !columns.some((c) => c.bands.includes(b))),
      ...columns.filter((c) => c.bands.length).map((c): Span => [Math.min(...c.bands.map((b) => b[0])), Math.max(...c.bands.map((b) => b[1]))]),
      ...columns.filter((c) => !c.bands.length).map((c) => c.span),
    ];
  }
  return bands.sort((a, b) => a[0] - b[0]);
}

/** The table's lines taken apart: label fragments, values (with their column), header words and header lines. */
interface Split {
  /** Label fragments of the rows (not of header lines). */
  labelFrags: Frag[];
  values: (Frag & { band: number })[];
  /** Per line: words over the value columns (first and last column they cross). */
  headerWords: (Frag & { b0: number; b1: number })[][];
  /** Per line: label text of header lines. */
  headerLabels: Frag[][];
  isHeader: boolean[];
}

/**
 * Each line's pieces → label fragments (split where a label column recurs or an item
 * marker opens, a gap before it), values and header words. Header lines have words over
 * the value columns and no values; label-only lines above the first of them (titles) go
 * with it, label-only lines after it are labels.
 */
function splitLines(lines: Line[], bands: Span[], isValueLine: boolean[], valuePieces: { p: Piece; line: number }[]): Split {
  const valueStart = bands[0][0];
  const inValueArea = (p: Piece) => (p.x0 + p.x1) / 2 >= valueStart - 1;
  const bandOf = (x: number) => {
    let best = 0;
    let bestD = Infinity;
    bands.forEach((b, k) => {
      const d = x < b[0] ? b[0] - x : x > b[1] ? x - b[1] : 0;
      if (d < bestD) [best, bestD] = [k, d];
    });
    return best;
  };
  // Label columns seen: where label pieces start after a gap, at places used on two lines or more.
  const startsSeen: { x: number; line: number }[] = [];
  lines.forEach((l, i) => {
    let prev: Piece | undefined;
    for (const p of l.pieces) {
      if (inValueArea(p)) break;
      if (!prev || gapBetween(prev, p) >= p.size * T.labelStartEm) startsSeen.push({ x: p.x0, line: i });
      prev = p;
    }
  });
  const recurring = positions(startsSeen.map((s) => s.x), T.labelStartPt).filter((x) => new Set(startsSeen.filter((s) => Math.abs(s.x - x) <= T.labelStartPt).map((s) => s.line)).size >= 2);

  const valueSets = lines.map(() => new Set<Piece>());
  for (const v of valuePieces) valueSets[v.line].add(v.p);
  const labels: Frag[] = [];
  const values: (Frag & { band: number })[] = [];
  const headerWords: (Frag & { b0: number; b1: number })[][] = lines.map(() => []);
  const headerLabels: Frag[][] = lines.map(() => []);
  const frag = (p: Piece, line: number): Frag => ({ text: p.str, x0: p.x0, x1: p.x1, y: p.y, size: p.size, line });
  lines.forEach((l, i) => {
    const valueSet = valueSets[i];
    let cur: Piece | undefined;
    const label: Piece[] = [];
    for (const p of l.pieces) {
      if (inValueArea(p) || valueSet.has(p)) break;
      const gap = cur ? gapBetween(cur, p) : Infinity;
      // A new cell: after a wide gap, at an item marker (a run of its own), or after a gap at a column start seen on other lines.
      const opens = gap >= p.size * T.chunkGapEm || MARKER.test(p.str) || (gap >= p.size * T.labelStartEm && recurring.some((x) => Math.abs(x - p.x0) <= T.labelStartPt));
      if (cur && !opens) cur = merge(cur, p);
      else {
        if (cur) label.push(cur);
        cur = { ...p };
      }
    }
    if (cur) label.push(cur);
    const words: (Frag & { b0: number; b1: number })[] = [];
    for (const p of l.pieces.filter((q) => valueSet.has(q) || inValueArea(q))) {
      // A value, or a number on a line of its own: a value of a label-less row.
      if (valueSet.has(p) || (isNumber(p.str) && !isValueLine[i])) {
        values.push({ ...frag(p, i), band: bandOf((p.x0 + p.x1) / 2) });
        continue;
      }
      const over = bands.map((b, k) => (crosses(p, b) ? k : -1)).filter((k) => k >= 0);
      const b0 = over.length ? over[0] : bandOf((p.x0 + p.x1) / 2);
      const b1 = over.length ? over[over.length - 1] : b0;
      const last = words[words.length - 1];
      if (last && last.b0 === last.b1 && b0 === b1 && b0 === last.b0 && p.x0 - last.x1 < p.size * T.chunkGapEm) Object.assign(last, { text: merge({ ...last, str: last.text }, p).str, x1: p.x1 });
      else words.push({ ...frag(p, i), b0, b1 });
    }
    headerWords[i] = words;
    for (const p of label) (words.length && !valueSet.size ? headerLabels[i] : labels).push(frag(p, i));
  });

  const valueLines = new Set(values.map((v) => v.line));
  const isHeader = lines.map((_, i) => headerWords[i].length > 0 && !valueLines.has(i));
  const firstHeader = isHeader.indexOf(true);
  const firstValue = Math.min(...values.map((v) => v.line));
  if (firstHeader >= 0 && firstHeader < firstValue)
    for (let i = 0; i < firstHeader; i++)
      if (!valueLines.has(i)) {
        isHeader[i] = true;
        headerLabels[i].push(...labels.filter((f) => f.line === i));
      }
  return { labelFrags: labels.filter((f) => !isHeader[f.line]), values, headerWords, headerLabels, isHeader };
}

/** The label cells: blocks, their columns, which are row labels, and how far apart lines stand. */
interface Labels {
  blocks: Block[];
  rowLabels: Block[];
  /** Label columns' starts (x), left to right. */
  starts: number[];
  /** Baseline distance of lines inside one cell. */
  linePitch: number;
  /** Lines of neighbouring cells stand measurably further apart than lines in a cell. */
  padded: boolean;
}

/**
 * Label fragments → blocks. A fragment continues the block whose last line is the
 * nearest one above it over the same stretch of the page (a wrapped line may be centred
 * or indented), when that line was full (text wraps only at the cell's edge), the
 * fragment opens no new item and it is about a line below. A block with another block to
 * its right at the same height is a group label (三、本年度办理结果); the others are row
 * labels.
 */
function labelBlocks(lines: Line[], split: Split, valueStart: number, size: number): Labels {
  const { labelFrags, isHeader, headerLabels } = split;
  const allStarts = positions(labelFrags.map((f) => f.x0), T.labelColumnPt);
  const headerYs = lines.filter((_, i) => isHeader[i]).map((l) => l.y);
  const boundary = (f: Frag) => Math.min(valueStart, ...allStarts.filter((s) => s > f.x1 - 1));
  const full = (f: Frag) => f.x1 >= boundary(f) - (f.size * T.fullLineEm + T.fullLinePt);
  const sorted = [...labelFrags].sort((a, b) => b.y - a.y || a.x0 - b.x0);
  // The nearest fragment below each fragment over its stretch, and the nearest line above
  // that has it below (sorted top to bottom, the last one set is the nearest).
  const below = new Map<Frag, Frag>();
  const above = new Map<Frag, Frag>();
  sorted.forEach((p, i) => {
    const n = sorted.slice(i + 1).find((f) => f.y < p.y - p.size * T.stackedEm && f.x1 > p.x0 - T.overlapSlackPt && f.x0 < boundary(p) - 1);
    if (!n) return;
    below.set(p, n);
    above.set(n, p);
  });
  let pitch = Infinity;
  // Lines of one cell are at least about an em apart; closer pairs are of different cells.
  for (const [p, n] of below) if (p.y - n.y >= Math.min(p.size, n.size) * T.pitchMinEm) pitch = Math.min(pitch, p.y - n.y);
  if (!isFinite(pitch)) pitch = size * T.defaultPitchEm;
  const blocks: Block[] = [];
  const blockOf = new Map<Frag, Block>();
  for (const f of sorted) {
    const p = above.get(f);
    const continues = p && !MARKER.test(f.text) && full(p) && p.y - f.y <= pitch * T.continuePitch && !headerYs.some((y) => y < p.y && y > f.y);
    const open = p && blockOf.get(p)?.frags.at(-1) === p;
    if (p && open && continues) {
      const b = blockOf.get(p)!;
      b.frags.push(f);
      b.bottom = textBottom(f);
      blockOf.set(f, b);
    } else {
      const b: Block = { col: 0, frags: [f], top: textTop(f), bottom: textBottom(f), group: false };
      blocks.push(b);
      blockOf.set(f, b);
    }
  }
  // Label columns: where blocks start; none when nothing is left of the values (table 4).
  const starts = positions(blocks.map((b) => b.frags[0].x0), T.labelColumnPt);
  const headerText = lines.some((_, i) => isHeader[i] && headerLabels[i].length > 0);
  if (!starts.length && headerText) starts.push(Math.min(...lines.map((l) => l.x0)));
  for (const b of blocks) b.col = starts.reduce((best, s, k) => (Math.abs(s - b.frags[0].x0) < Math.abs(starts[best] - b.frags[0].x0) ? k : best), 0);
  const overlap = (a: Block, b: Block) => Math.min(a.top, b.top) - Math.max(a.bottom, b.bottom);
  for (const b of blocks) b.group = blocks.some((o) => o.col > b.col && overlap(b, o) > size * T.groupOverlapEm);
  const rowLabels = blocks.filter((b) => !b.group).sort((a, b) => b.top + b.bottom - a.top - a.bottom);
  // Lines in one cell vs lines of neighbouring cells (evidence of cell padding).
  const sameBlock = [...below].filter(([p, n]) => blockOf.get(p) === blockOf.get(n)).map(([p, n]) => p.y - n.y);
  const acrossBlocks = [...below].filter(([p, n]) => blockOf.get(p) !== blockOf.get(n) && blockOf.get(p)!.frags.at(-1) === p && blockOf.get(n)!.frags[0] === n).map(([p, n]) => p.y - n.y);
  const linePitch = sameBlock.length ? Math.min(...sameBlock) : pitch;
  const padded = sameBlock.length > 0 && acrossBlocks.length > 0 && Math.min(...acrossBlocks) > linePitch + size * T.paddedEm;
  return { blocks, rowLabels, starts, linePitch, padded };
}

type Claimed = Map<Block, (Frag | undefined)[]>;
/** Cells a row's label leaves empty on purpose (what stands there could not be settled): unread, never blank. */
type Unsettled = Map<Block, Set<number>>;

/** Two pieces dy apart stand on lines next to each other in one cell: not one line, not further than the cell's line pitch. */
const lineApart = (dy: number, linePitch: number, size: number) => Math.abs(dy) >= size * T.lineApartMinEm && Math.abs(dy) <= linePitch * T.lineApartMaxPitch;

/**
 * Whether upper and lower can be one number wrapped in its cell. Text wraps only where a
 * line is full: the upper piece is as wide as the column's widest one-line content, give
 * or take a character; and the two joined are wider than that (else the number would
 * have fitted: two rows' numbers, not one wrapped).
 */
function couldWrap(upper: Frag, lower: Frag, widest: number): boolean {
  const w = (f: Frag) => f.x1 - f.x0;
  return w(upper) >= widest - upper.size - T.edgeSlackPt && w(upper) + w(lower) > widest + upper.size * T.wrapExcessEm;
}

/** A wrapped number's pieces as the one number (upper line first). */
const joinPieces = <F extends Frag>(upper: F, lower: Frag): F => ({ ...upper, text: upper.text + lower.text, x0: Math.min(upper.x0, lower.x0), x1: Math.max(upper.x1, lower.x1) });

/** The widest thing set on one line in a value column: its numbers and its own head words. */
function widestIn(split: Split, band: number): number {
  const widths = split.values.filter((v) => v.band === band).map((v) => v.x1 - v.x0);
  for (const words of split.headerWords) for (const w of words) if (w.b0 === band && w.b1 === band) widths.push(w.x1 - w.x0);
  return Math.max(0, ...widths);
}

/**
 * Each value column's numbers matched to the row labels in order (assign). A number no
 * row took, right above or below one a row took in its column, is one number wrapped
 * inside a narrow cell (１４６ / ８６) when lines inside a cell are measurably closer than
 * lines of neighbouring cells, or when no other row could own it; without that evidence
 * the two cannot be told from two rows' numbers: the cell is left blank, with a note.
 */
function assignValues(split: Split, labels: Labels, B: number, size: number, notes: string[]): { claimed: Claimed; loose: (Frag & { band: number })[]; unsettled: Unsettled } {
  const { values } = split;
  const { rowLabels, linePitch, padded } = labels;
  const claimed: Claimed = new Map(rowLabels.map((b) => [b, new Array(B).fill(undefined)]));
  const unsettled: Unsettled = new Map();
  const unsettle = (b: Block, band: number) => {
    if (!unsettled.has(b)) unsettled.set(b, new Set());
    unsettled.get(b)!.add(band);
  };
  const loose: (Frag & { band: number })[] = [];
  for (let k = 0; k < B; k++) {
    const ns = values.filter((v) => v.band === k).sort((a, b) => b.y - a.y);
    const match = assign(ns, rowLabels, size);
    ns.forEach((n, i) => {
      const lb = match[i];
      if (lb === undefined) loose.push(n);
      else claimed.get(rowLabels[lb])![k] = n;
    });
  }
  type Near = { b: Block; vs: (Frag | undefined)[]; a: Frag };
  // A label with numbers stacked a line apart in two columns or more is rather two rows
  // read as one label (lines of two cells taken for one cell's): none of its numbers is
  // read, and a note says why. (One wrapped number stacks in one column.)
  const stackedIn = (b: Block) =>
    new Set(loose.filter((n) => { const a = claimed.get(b)![n.band]; return a && lineApart(a.y - n.y, linePitch, size); }).map((n) => n.band));
  for (const b of rowLabels) {
    const bands = stackedIn(b);
    if (bands.size < 2) continue;
    const vs = claimed.get(b)!;
    // None of the row is read: every value cell of it is unread, not blank.
    for (let k = 0; k < B; k++) {
      unsettle(b, k);
      vs[k] = undefined;
    }
    for (const n of [...loose]) if (bands.has(n.band) && Math.abs(middle(n) - (b.top + b.bottom) / 2) <= b.top - b.bottom + linePitch) loose.splice(loose.indexOf(n), 1);
    notes.push(`"${blockText(b).replace(/\n/g, "")}" has numbers stacked a line apart in ${bands.size} columns: it may be two rows' labels read as one; its numbers were not read`);
  }
  for (const n of [...loose]) {
    // The row whose number it continues: of the numbers just above and below it, the one
    // whose pair with it stands where that row's other numbers stand (a wrapped number
    // straddles its row's line when centred, starts on it when set at the top).
    const near = [...claimed]
      .map(([b, vs]) => ({ b, vs, a: vs[n.band] }))
      .filter((x): x is Near => !!x.a && lineApart(x.a.y - n.y, linePitch, size) && Math.min(x.a.x1, n.x1) - Math.max(x.a.x0, n.x0) > 0);
    const rowLine = (x: Near) => {
      const others = x.vs.filter((v, k): v is Frag => !!v && k !== n.band).map((v) => v.y);
      return others.length ? median(others) : (x.b.frags[0].y + x.b.frags[x.b.frags.length - 1].y) / 2;
    };
    const fit = (x: Near) => Math.min(Math.abs(rowLine(x) - (x.a.y + n.y) / 2), Math.abs(rowLine(x) - Math.max(x.a.y, n.y)));
    const widest = widestIn(split, n.band);
    const fits = near.filter((x) => (x.a.y > n.y ? couldWrap(x.a, n, widest) : couldWrap(n, x.a, widest))).sort((p, q) => fit(p) - fit(q));
    if (!fits.length) {
      // Stacked on a row's number, a line apart, and no row owns it: the widths do not prove
      // a wrap, yet nothing else explains it (full-width digits break anywhere: ２４ / ４ for
      // ２４４, the row's line holding the ４). The row's number may be the rest of it. A
      // line apart by the font's size too: the cells' line pitch may be misjudged.
      const stacked = [...claimed]
        .map(([b, vs]) => ({ b, vs, a: vs[n.band] }))
        .filter((x): x is Near => !!x.a && (lineApart(x.a.y - n.y, linePitch, size) || lineApart(x.a.y - n.y, size * T.strayLineEm, size)) && Math.min(x.a.x1, n.x1) - Math.max(x.a.x0, n.x0) > 0);
      if (!stacked.length) continue;
      loose.splice(loose.indexOf(n), 1);
      for (const x of stacked) {
        x.vs[n.band] = undefined;
        unsettle(x.b, n.band);
      }
      notes.push(`"${n.text}" stands a line apart from "${stacked.map((x) => x.a.text).join('", "')}" in its column, and no row owns it: part of that number wrapped in its cell or another row's, the layout cannot tell; the cell is left unread`);
      continue;
    }
    loose.splice(loose.indexOf(n), 1);
    const { b, vs, a } = fits[0];
    const [upper, lower] = a.y > n.y ? [a, n] : [n, a];
    const homeless = rowLabels.every((o) => o === b || distance(n, o) > size * REACH || claimed.get(o)![n.band] !== undefined);
    const clear = fits.length === 1 || fit(fits[1]) - fit(fits[0]) > size * T.clearFitEm;
    if ((padded || homeless) && clear) vs[n.band] = joinPieces(upper, lower);
    else {
      for (const x of clear ? [fits[0]] : fits) {
        x.vs[n.band] = undefined;
        unsettle(x.b, n.band);
      }
      notes.push(`"${upper.text}" and "${lower.text}" stand one above the other in the row of "${blockText(b).replace(/\n/g, "")}": one number wrapped in its cell or two rows' numbers cannot be told apart without ruling lines; the cell is left blank`);
    }
  }
  return { claimed, loose, unsettled };
}

/**
 * The table's rows, top to bottom: header zones, row labels with their numbers, and
 * rows of numbers no label owns (table 4's). Among those, pieces stacked in one column a
 * line apart, the upper one full, where every other column shows one number there, are
 * one number wrapped in its cell (１ / ２ / ０).
 */
function rowItems(lines: Line[], split: Split, labels: Labels, claimed: Claimed, loose: (Frag & { band: number })[], B: number, size: number, unsettled: Unsettled): RowItem[] {
  const { isHeader } = split;
  const items: RowItem[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    if (!isHeader[i]) continue;
    const zone = [i];
    while (i + 1 < lines.length && isHeader[i + 1]) zone.push(++i);
    // The header printed again after a page break is dropped.
    const text = zone.map((k) => lines[k].text).join("").replace(/\s+/g, "");
    if (seen.has(text)) continue;
    seen.add(text);
    items.push({ kind: "header", top: lines[zone[0]].y + lines[zone[0]].size, lines: zone });
  }
  for (const b of labels.rowLabels) {
    const vs = claimed.get(b)!;
    items.push({ kind: "label", top: Math.max(b.top, ...vs.filter((v) => v).map((v) => textTop(v!))), block: b, values: vs, unsettled: unsettled.get(b) });
  }
  const rest = [...loose].sort((a, b) => b.y - a.y);
  const lastLine = new Map<Frag, number>(); // a joined number's lowest line
  for (let i = 0; i + 1 < rest.length; i++) {
    const upper = rest[i];
    const upperY = lastLine.get(upper) ?? upper.y;
    const j = rest.findIndex((v, k) => k > i && v.band === upper.band);
    if (j < 0) continue;
    const lower = rest[j];
    const stacked = (k: number) => rest.filter((v) => v.band === k && v.y <= upper.y + size && v.y >= lower.y - size).length;
    if (!lineApart(upperY - lower.y, labels.linePitch, size) || !couldWrap(upper, lower, widestIn(split, upper.band))) continue;
    if (Array.from({ length: B }, (_, k) => k).some((k) => k !== upper.band && stacked(k) > 1)) continue;
    rest[i] = joinPieces(upper, lower);
    lastLine.set(rest[i], lower.y);
    rest.splice(j, 1);
    i--;
  }
  let row: (Frag | undefined)[] | undefined;
  let rowTop = 0;
  for (const v of rest) {
    if (!row || row[v.band] || rowTop - middle(v) > size * T.rowReachEm) {
      row = new Array(B).fill(undefined);
      rowTop = textTop(v);
      items.push({ kind: "values", top: rowTop, values: row });
    }
    row[v.band] = v;
  }
  return items.sort((a, b) => b.top - a.top);
}

/**
 * Rows → origin cells on the grid (label columns, then value columns) and each grid
 * row's top. A header zone is one row of column heads, under a row of the words that
 * span several columns (申请人情况) where there are any. Group labels span from the first
 * row at or below their top down to the next row that has a label in their column or
 * left of it, another group starting there, or a header.
 */
function gridOf(items: RowItem[], split: Split, labels: Labels, B: number, size: number, lines: Line[]): { cells: PartCell[]; tops: number[] } {
  /** A value's area on its own page (a line moved to follow the page before is moved back). */
  const areaOf = (f: Frag): CellArea => {
    const line = lines[f.line];
    const dy = line?.dy ?? 0;
    return { page: line?.page ?? 0, x0: f.x0, x1: f.x1, y0: textBottom(f) - dy, y1: textTop(f) - dy };
  };
  /** A label's area: its lines on the page its first line is on. */
  const labelArea = (b: Block): CellArea | undefined => {
    const areas = b.frags.map(areaOf);
    const page = areas[0]?.page;
    const own = areas.filter((a) => a.page === page);
    if (!own.length) return undefined;
    return { page, x0: Math.min(...own.map((a) => a.x0)), x1: Math.max(...own.map((a) => a.x1)), y0: Math.min(...own.map((a) => a.y0)), y1: Math.max(...own.map((a) => a.y1)) };
  };
  const { headerWords, headerLabels } = split;
  const L = labels.starts.length;
  const cells: PartCell[] = [];
  const tops: number[] = [];
  const rowOf = new Map<RowItem, number>();
  for (const it of items) {
    rowOf.set(it, tops.length);
    if (it.kind === "header") {
      const ws = it.lines.flatMap((i) => headerWords[i]);
      const labelText = it.lines.flatMap((i) => headerLabels[i]).map((f) => f.text).join("\n");
      const spanning = ws.filter((w) => w.b1 > w.b0).sort((a, b) => a.b0 - b.b0 || b.y - a.y);
      if (spanning.length) {
        const r = tops.length;
        tops.push(it.top);
        if (L) cells.push({ r, c: 0, rs: 1, cs: L, text: "" });
        let next = 0;
        for (const w of spanning) {
          if (w.b0 < next) continue;
          for (; next < w.b0; next++) cells.push({ r, c: L + next, rs: 1, cs: 1, text: "" });
          const same = spanning.filter((s) => s.b0 === w.b0 && s.b1 === w.b1);
          cells.push({ r, c: L + w.b0, rs: 1, cs: w.b1 - w.b0 + 1, text: same.map((s) => s.text).join("\n") });
          next = w.b1 + 1;
        }
        for (; next < B; next++) cells.push({ r, c: L + next, rs: 1, cs: 1, text: "" });
      }
      const r = tops.length;
      tops.push(spanning.length ? it.top - 0.01 : it.top);
      if (L) cells.push({ r, c: 0, rs: 1, cs: L, text: labelText });
      for (let k = 0; k < B; k++) {
        const own = ws.filter((w) => w.b0 === k && w.b1 === k).sort((a, b) => b.y - a.y || a.x0 - b.x0);
        cells.push({ r, c: L + k, rs: 1, cs: 1, text: own.map((w) => w.text).join("\n") });
      }
      continue;
    }
    const r = tops.length;
    tops.push(it.top);
    if (it.kind === "label") {
      const at = labelArea(it.block);
      cells.push({ r, c: it.block.col, rs: 1, cs: L - it.block.col, text: blockText(it.block), ...(at ? { at } : {}) });
    }
    const unread = it.kind === "label" ? it.unsettled : undefined;
    it.values.forEach((v, k) =>
      cells.push(v ? { r, c: L + k, rs: 1, cs: 1, text: v.text, at: areaOf(v) } : { r, c: L + k, rs: 1, cs: 1, text: "", ...(unread?.has(k) ? { unsettled: true } : {}) }),
    );
  }
  const R = tops.length;

  const groups = labels.blocks
    .filter((b) => b.group)
    .map((g) => ({ g, r0: items.find((it) => it.kind !== "header" && it.top <= g.top + size * T.stackedEm) }))
    .filter((x): x is { g: Block; r0: RowItem } => !!x.r0)
    .map(({ g, r0 }) => ({ g, r0: rowOf.get(r0)! }));
  const isHeaderRow = new Set(items.filter((it) => it.kind === "header").flatMap((it) => [rowOf.get(it)!, rowOf.get(it)! + 1]));
  for (const { g, r0 } of groups) {
    let r1 = r0 + 1;
    while (
      r1 < R &&
      !isHeaderRow.has(r1) &&
      !cells.some((c) => c.r === r1 && c.c <= g.col && c.c < L && c.text !== "") &&
      !groups.some((o) => o.g !== g && o.r0 === r1 && o.g.col <= g.col)
    )
      r1++;
    const right = Math.min(L, ...cells.filter((c) => c.r === r0 && c.c > g.col && c.c < L).map((c) => c.c), ...groups.filter((o) => o.r0 === r0 && o.g.col > g.col).map((o) => o.g.col));
    // The group's columns must be free in every row it spans.
    const free = (row: number) => !cells.some((c) => c.r <= row && c.r + c.rs > row && c.c < right && c.c + c.cs > g.col);
    let rs = 0;
    while (r0 + rs < r1 && free(r0 + rs)) rs++;
    if (rs && right > g.col) cells.push({ r: r0, c: g.col, rs, cs: right - g.col, text: blockText(g) });
  }
  fillLabelColumns(cells, R, L);
  return { cells, tops };
}

/** Label columns no cell covers get blank cells, so every row spans the grid. */
function fillLabelColumns(cells: PartCell[], rows: number, labelCols: number): void {
  for (let row = 0; row < rows; row++)
    for (let c = 0; c < labelCols; c++)
      if (!cells.some((x) => x.r <= row && x.r + x.rs > row && x.c <= c && x.c + x.cs > c)) cells.push({ r: row, c, rs: 1, cs: 1, text: "" });
  cells.sort((a, b) => a.r - b.r || a.c - b.c);
}


function blockText(b: Block): string {
  return b.frags.map((f) => f.text).join("\n");
}

/** How far a number may stand from its row's label, in font sizes. */
const REACH = T.labelReachEm;

/** Vertical distance from a number's middle to a label's text band (0 inside it). */
function distance(n: Frag, l: Block): number {
  const y = middle(n);
  return y < l.bottom ? l.bottom - y : y > l.top ? y - l.top : 0;
}

/**
 * Numbers (top to bottom) matched to row labels (top to bottom) in order, each label
 * taking at most one: the assignment with the least total distance from each number to
 * its label's text band; a number further than 2.5 lines from every label stays
 * unmatched. A number printed on the first line of a row's label belongs to that row or
 * to none: it is never moved up or down to make room (a number wrapped in its cell,
 * １４６ / ８６, under a row blank in its column would otherwise shift both pieces one
 * row up: two wrong numbers). Only the first line: a label's later lines may run on past
 * a page break beside the next row's numbers. Returns each number's
 * label index or undefined.
 */
function assign(ns: Frag[], ls: Block[], size: number): (number | undefined)[] {
  const LIMIT = size * REACH;
  const own = ns.map((n) => ls.findIndex((l) => l.frags[0].line === n.line));
  const cost = (i: number, k: number) => {
    if (own[i] !== -1 && own[i] !== k) return Infinity;
    const n = ns[i];
    const l = ls[k];
    const d = distance(n, l);
    return d > LIMIT ? Infinity : d + Math.abs(middle(n) - (l.top + l.bottom) / 2) * 0.01;
  };
  const N = ns.length, M = ls.length;
  // f[i][k]: least cost placing the first i numbers with the first k labels.
  const f = Array.from({ length: N + 1 }, () => new Array<number>(M + 1).fill(Infinity));
  const how = Array.from({ length: N + 1 }, () => new Array<number>(M + 1).fill(0));
  f[0][0] = 0;
  for (let i = 0; i <= N; i++)
    for (let k = 0; k <= M; k++) {
      const here = f[i][k];
      if (here === Infinity) continue;
      if (k < M && here < f[i][k + 1]) [f[i][k + 1], how[i][k + 1]] = [here, 1]; // label k takes none
      if (i < N && here + LIMIT < f[i + 1][k]) [f[i + 1][k], how[i + 1][k]] = [here + LIMIT, 2]; // number i unmatched
      if (i < N && k < M) {
        const c = here + cost(i, k);
        if (c < f[i + 1][k + 1]) [f[i + 1][k + 1], how[i + 1][k + 1]] = [c, 3];
      }
    }
  const out: (number | undefined)[] = new Array(N).fill(undefined);
  let i = N, k = M;
  while (i > 0 || k > 0) {
    const h = how[i][k];
    if (h === 1) k--;
    else if (h === 2) i--;
    else {
      out[i - 1] = k - 1;
      i--;
      k--;
    }
  }
  return out;
}

function touching(ps: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of ps) {
    const last = out[out.length - 1];
    // A run that opens an item (2. / （二）) starts its own cell even touching the text before
    // it (cells with no padding, text set right).
    if (last && joinsUnit(last, p, p.size)) out[out.length - 1] = withUnit(last, p);
    else if (last && gapBetween(last, p) < p.size * T.touchEm && !(isNumber(p.str) && isNumber(last.str)) && !MARKER.test(p.str)) out[out.length - 1] = merge(last, p);
    else out.push(p);
  }
  return out;
}

/**
 * The bands numbers occupy: numbers that overlap (by more than half a point) are one
 * column's; a band holding two numbers of one line (columns whose numbers touch, with
 * no padding) is cut between them.
 */
function valueBands(values: { p: Piece; line: number }[]): Span[] {
  const groups: { p: Piece; line: number }[][] = [];
  let end = -Infinity;
  for (const v of [...values].sort((a, b) => a.p.x0 - b.p.x0)) {
    if (groups.length && v.p.x0 < end - T.edgeSlackPt) groups[groups.length - 1].push(v);
    else groups.push([v]);
    end = groups[groups.length - 1].length === 1 ? v.p.x1 : Math.max(end, v.p.x1);
  }
  const out: Span[] = [];
  const queue = groups;
  while (queue.length) {
    const g = queue.shift()!;
    const onLine = new Map<number, Piece>();
    let cut: number | undefined;
    for (const { p, line } of g) {
      const other = onLine.get(line);
      if (other) {
        const [l, r] = other.x0 < p.x0 ? [other, p] : [p, other];
        cut = (l.x1 + r.x0) / 2;
        break;
      }
      onLine.set(line, p);
    }
    const centre = (v: { p: Piece }) => (v.p.x0 + v.p.x1) / 2;
    const left = cut === undefined ? [] : g.filter((v) => centre(v) < cut!);
    const right = cut === undefined ? [] : g.filter((v) => centre(v) >= cut!);
    if (left.length && right.length) queue.unshift(left, right);
    else out.push([Math.min(...g.map((v) => v.p.x0)), Math.max(...g.map((v) => v.p.x1))]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** Overlapping spans merged, left to right. */
function mergeSpans(spans: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [a, b] of [...spans].sort((p, q) => p[0] - q[0])) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + T.edgeSlackPt) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** The middle value; a median of nothing is a bug in the caller (every caller passes lines or pieces). */
export function median(xs: number[]): number {
  if (xs.length === 0) throw new Error("median of no values");
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}


