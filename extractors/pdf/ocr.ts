// Scanned PDFs (every page a picture, no text layer) read by OCR, into the same Document
// a text PDF gives, so the template mapping is shared.
//
// 1. Pages → greyscale pictures with poppler's pdftoppm (-gray, PGM): a native renderer that
//    writes plain pixels this module reads without an image library (pdfjs would need a
//    canvas package in Node), at OCR_DPI. At most limits.maxOcrPages pages; the whole
//    document within limits.ocrTimeoutMs, every child process killed at that deadline.
// 2. Per page: a page whose reading looks like print read on its side or upside down
//    (uprightPage: Chinese found, little of it read with confidence) is turned upright by
//    Tesseract's orientation detection and read again, and kept so only where the turned
//    reading is surely better (`ocr:turned`). Then (scan-image.ts): the skew found and undone (up to 8°; a page found at that
//    edge may be turned further, and none of its numbers is read), the ruling lines
//    found as long runs of ink (one shorter than 1.5 in only from wall to wall: bars of
//    characters at one height are no rule), then painted white so Tesseract reads only text.
// 3. Tesseract twice on the page (scan-tools.ts): chi_sim for the text, and eng with a
//    digit whitelist for the numbers. A number stands only where two readings give the
//    same digits with enough confidence together (AGREED); one neither confirmed nor
//    contradicted gets a third reading, its box alone (one Tesseract run per page over a
//    list of crops); a date line whose numbers are still unsure is read again whole
//    (ocr-dates.ts). Otherwise the place holds "?", which the mapping reads as "not a
//    number": null, with a diagnostic. Never a guessed number. Numbers in unruled tables
//    and ruled cells holding several numbers are "?" too (toDocument).
// 4. The words become text runs and the rules segments in PDF user space (points, origin
//    bottom-left), and the text PDF's own layout (layout.ts) builds the Document: ruled
//    tables as exact grids with merges, unruled ones by the stream logic, paragraphs.
// 5. Every table cell carries read: { status: "ocr", confidence }, and the Document an
//    "ocr:read" diagnostic saying the record was read by OCR.
// 6. Every cell of a ruled grid is read again alone from the picture (ocr-cells.ts): a
//    number stands there only where two readings agree surely; a surer label replaces
//    the page's; a page number its cell's readings contradict becomes "?". An empty cell
//    of an unruled table with print under it in the picture is unread, not blank
//    (ocr-blanks.ts).
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExtractError, type Cell, type Diagnostic, type Document, type Place } from "../../model/document.js";
import type { Limits } from "../../model/limits.js";
import { isCjk } from "./geometry.js";
import { layout } from "./layout.js";
import { rereadCells, type CellRereadResult } from "./ocr-cells.js";
import { inkedBlanks } from "./ocr-blanks.js";
import { confirmDates, type DateWord } from "./ocr-dates.js";
import { rereadLines } from "./ocr-lines.js";
import type { PageData, Segment, TextRun } from "./read.js";
import { crop, eraseRules, heaviestBand, MAX_SKEW_DEG, quarterTurn, readPgm, rotate, rules, skewAngle, writePgm, type Gray } from "./scan-image.js";
import { MissingTool, OCR_PACKAGES, pdfinfoCommand, pdftoppmCommand, run, tesseract, tesseractCommand, type OcrWord } from "./scan-tools.js";

/** Resolution pages are rendered at for OCR (scans are mostly 150–300 dpi). */
export const OCR_DPI = 200;
/** Below this confidence (0–100) in either reading, a number is not taken. */
export const MIN_NUMBER_CONFIDENCE = 75;
/** The text a number OCR could not be sure of is given: not a number, so null with a diagnostic. */
export const UNSURE = "?";

const hasCjk = (s: string) => [...s].some(isCjk);
const digitsOf = (s: string) => s.replace(/[^0-9-]/g, "");
/**
 * Two readings that agree, as one confidence (0–1): the chance that not both are wrong,
 * each's confidence taken as its chance of being right.
 */
const both = (a: number, b: number) => 1 - (1 - a / 100) * (1 - b / 100);
/** A table's number is taken when its agreeing readings reach this. */
export const AGREED = 0.95;

interface Kept {
  w: OcrWord;
  str: string;
  conf: number;
}

/** A plain number as a table prints it, or an item marker (1. 2、). */
const NUMERIC = /^[-+]?\d[\d,]*(?:\.\d+)?[.、．]?$/;
const MARKER_ONLY = /^\d{1,2}[.、．]$/;

export interface OcrPage {
  page: number;
  skewDeg: number;
  words: OcrWord[];
  data: PageData;
  /** Numbers not taken (the two readings differ or are unsure), for diagnostics; boxes in points, origin top-left. */
  unsure: { text: string; box: Segment }[];
  /** The page straightened, its rules erased: what the cells are read again from. */
  picture?: Gray;
}

/**
 * Whether OCR can run here (Tesseract and pdftoppm answer): a mixed PDF's image pages are
 * OCR'd only then; otherwise its text pages are read alone, as before. Asked each time (the
 * tools are set by environment variables, and a look costs milliseconds).
 */
export async function ocrAvailable(): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  try {
    await run(tesseractCommand(), ["--version"], deadline);
    await run(pdftoppmCommand(), ["-v"], deadline);
    return true;
  } catch {
    return false;
  }
}

/** The failure when OCR cannot run here: what to install. */
function missing(what: string): ExtractError {
  return new ExtractError(`no text layer (scanned): the pages are images and OCR cannot run: ${what} was not found (install the Debian packages ${OCR_PACKAGES})`, "scanned");
}

/**
 * A mixed PDF: pages read from their text layer, and the pages (numbers) that are images
 * only. Only those are OCR'd, and laid out with the text pages, so a table running from a
 * text page onto a scanned one is one table.
 */
export interface MixedPdf {
  text: PageData[];
  scanned: number[];
  /**
   * Pages with text and a picture that may hold a table (scanned holds them too): OCR is
   * taken inside the picture only, the text layer everywhere else on the page (a title
   * printed above a pasted table stays as printed, never OCR's reading of it).
   */
  pictured?: PageData[];
  diagnostics: Diagnostic[];
  numPages: number;
  title?: string;
}

export async function ocrPdf(bytes: Uint8Array, limits: Limits, mixed?: MixedPdf): Promise<Document> {
  const deadline = Date.now() + limits.ocrTimeoutMs;
  const dir = await mkdtemp(join(tmpdir(), "xxgk-ocr-"));
  try {
    const pdf = join(dir, "in.pdf");
    await writeFile(pdf, bytes);
    // Tesseract first: without it there is nothing to render for.
    try {
      await run(tesseractCommand(), ["--version"], deadline);
    } catch (e) {
      if (e instanceof MissingTool) throw missing(`Tesseract (${tesseractCommand()})`);
      throw e;
    }
    const last = Math.max(1, limits.maxOcrPages);
    try {
      if (!mixed) await run(pdftoppmCommand(), ["-gray", "-r", String(OCR_DPI), "-f", "1", "-l", String(last + 1), pdf, join(dir, "p")], deadline);
      // Only the scanned pages of a mixed PDF (one past the cap, to know there were more).
      else for (const n of mixed.scanned.slice(0, last + 1)) await run(pdftoppmCommand(), ["-gray", "-r", String(OCR_DPI), "-f", String(n), "-l", String(n), pdf, join(dir, "p")], deadline);
    } catch (e) {
      if (e instanceof MissingTool) throw missing(`pdftoppm (${pdftoppmCommand()})`);
      if (e instanceof ExtractError) throw e;
      throw new ExtractError(`the scanned PDF's pages could not be rendered: ${(e as Error).message}`, "corrupt-pdf");
    }
    const info = mixed ? undefined : await run(pdfinfoCommand(), [pdf], deadline).catch(() => undefined);
    const numPages = mixed?.numPages ?? (Number(/^Pages:\s+(\d+)/m.exec(info?.toString("latin1") ?? "")?.[1]) || undefined);
    const files = (await readdir(dir)).filter((f) => /^p-\d+\.pgm$/.test(f)).sort((a, b) => pageNo(a) - pageNo(b));
    const diagnostics: Diagnostic[] = [...(mixed?.diagnostics ?? [])];
    if (files.length > last) {
      diagnostics.push({ severity: "warning", source: "ocr:pages-limit", message: `only the first ${last} ${mixed ? "scanned " : ""}pages were read by OCR (limits.maxOcrPages)`, place: { page: pageNo(files[last]) } });
      for (const f of files.slice(last))
        if (mixed) diagnostics.push({ severity: "warning", source: "pdf:scanned-page", message: `page ${pageNo(f)} has no text layer (an image: scanned?); its content is not read (limits.maxOcrPages)`, place: { page: pageNo(f) } });
      files.length = last;
    }
    const pages: OcrPage[] = [];
    for (const f of files) {
      const img = readPgm(await readFile(join(dir, f)));
      await rm(join(dir, f));
      const text = mixed?.pictured?.find((p) => p.page === pageNo(f));
      // A page with a text layer is drawn upright: its picture is not turned.
      const { page, turns } = text ? { page: await ocrPage(img, pageNo(f), dir, deadline), turns: 0 } : await uprightPage(img, pageNo(f), dir, deadline);
      if (turns)
        diagnostics.push({
          severity: "info",
          source: "ocr:turned",
          message: `page ${page.page} was scanned ${turns === 2 ? "upside down" : "on its side"}: it was read turned ${turns * 90}° clockwise (its places are on the page so turned)`,
          place: { page: page.page },
        });
      pages.push(text ? withTextOutsidePicture(page, text) : page);
    }
    const doc = toDocument(pages, diagnostics, numPages, mixed?.text);
    if (mixed?.title) doc.meta.title = mixed.title;
    const pictures = new Map(pages.map((p) => [p.page, p.picture]));
    for (const p of pages) p.picture = undefined;
    const again = await rereadCells(doc, pictures as Map<number, Gray>, { scale: OCR_DPI / 72, unsure: UNSURE, agreed: AGREED, deadline, dir });
    inkedBlanks(doc, pictures as Map<number, Gray>, OCR_DPI / 72, doc.diagnostics);
    settle(doc, again);
    guardLabels(doc, new Set(pages.map((p) => p.page)));
    unreadTurnedPast(doc, pages);
    return doc;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const pageNo = (f: string) => Number(/(\d+)\.pgm$/.exec(f)![1]);

/**
 * A page with text and a picture: OCR's words, rules and doubts inside the picture, the
 * text layer's runs and rules outside it. The OCR'd page is in points from the page box's
 * corner, y up, as the text layer is from its own origin.
 */
function withTextOutsidePicture(ocrd: OcrPage, text: PageData): OcrPage {
  const b = text.largestImageBox;
  if (!b) return ocrd;
  const dx = text.box.x0, dy = text.box.y0;
  const pic = { x0: b.x0 - dx, y0: b.y0 - dy, x1: b.x1 - dx, y1: b.y1 - dy };
  const inPicture = (x: number, y: number) => x >= pic.x0 && x <= pic.x1 && y >= pic.y0 && y <= pic.y1;
  const runIn = (r: TextRun) => inPicture(r.x + r.w / 2, r.y + r.size / 3);
  const segIn = (g: Segment) => inPicture((g.x0 + g.x1) / 2, (g.y0 + g.y1) / 2);
  const shift = <T extends { x: number; y: number }>(r: T): T => ({ ...r, x: r.x - dx, y: r.y - dy });
  const shiftSeg = (g: Segment): Segment => ({ x0: g.x0 - dx, x1: g.x1 - dx, y0: g.y0 - dy, y1: g.y1 - dy });
  const H = ocrd.data.box.y1;
  return {
    ...ocrd,
    data: {
      ...ocrd.data,
      runs: [...ocrd.data.runs.filter(runIn), ...text.runs.map(shift).filter((r) => !runIn(r))],
      h: [...ocrd.data.h.filter(segIn), ...text.h.map(shiftSeg).filter((g) => !segIn(g))],
      v: [...ocrd.data.v.filter(segIn), ...text.v.map(shiftSeg).filter((g) => !segIn(g))],
    },
    // Doubts are boxes with the origin top-left.
    unsure: ocrd.unsure.filter((u) => inPicture((u.box.x0 + u.box.x1) / 2, H - (u.box.y0 + u.box.y1) / 2)),
  };
}

/**
 * Of the Chinese characters OCR read on a page, how many, and how many with confidence
 * (60 or more). Upright scanned fixture pages: 66–92% of 100–500 characters; the same
 * pages on their side or upside down: at most 5%.
 */
function cjkReading(p: OcrPage): { all: number; sure: number } {
  let all = 0, sure = 0;
  for (const r of p.data.runs as (TextRun & { conf?: number })[]) {
    let n = 0;
    for (const ch of r.str) if (isCjk(ch)) n++;
    all += n;
    if ((r.conf ?? 0) >= 60) sure += n;
  }
  return { all, sure };
}

/** A reading that looks like print read on its side or upside down: Chinese found, little of it sure. */
const looksTurned = (r: { all: number; sure: number }) => r.all >= 20 && r.sure < r.all * 0.25;

/**
 * How many quarter turns clockwise set a page upright, as Tesseract's orientation and
 * script detection (--psm 0, osd.traineddata) sees it; 0 where it sees the page upright,
 * null where it cannot tell (too little text, no osd data).
 */
async function orientationTurns(img: Gray, dir: string, page: number, deadline: number): Promise<number | null> {
  const file = join(dir, `osd-${page}.pgm`);
  await writeFile(file, writePgm(img));
  try {
    const out = (await run(tesseractCommand(), [file, "-", "--psm", "0"], deadline)).toString("utf8");
    const m = /^Rotate:\s*(0|90|180|270)\s*$/m.exec(out);
    return m ? Number(m[1]) / 90 : null;
  } catch (e) {
    if (e instanceof ExtractError) throw e; // out of time
    return null;
  } finally {
    await rm(file, { force: true });
  }
}

/**
 * A page read upright: as scanned, or, where that reading looks like print on its side or
 * upside down, turned as orientation detection says (upside down where it sees the page
 * upright: what it tells least well apart) and read again. The turned reading is kept
 * only where it is surely better (half its Chinese sure, and more than before); else the
 * first stands. One more Tesseract reading at most, for such pages only.
 */
async function uprightPage(img: Gray, page: number, dir: string, deadline: number): Promise<{ page: OcrPage; turns: number }> {
  const first = await ocrPage(img, page, dir, deadline);
  const before = cjkReading(first);
  if (!looksTurned(before)) return { page: first, turns: 0 };
  const seen = await orientationTurns(img, dir, page, deadline);
  if (seen === null) return { page: first, turns: 0 };
  const turns = seen === 0 ? 2 : seen;
  const turned = await ocrPage(quarterTurn(img, turns), page, dir, deadline);
  const after = cjkReading(turned);
  return after.sure >= after.all * 0.5 && after.sure > before.sure ? { page: turned, turns } : { page: first, turns: 0 };
}

/** One page picture → words, rules and runs. */
export async function ocrPage(raw: Gray, page: number, dir: string, deadline: number): Promise<OcrPage> {
  const skewDeg = skewAngle(raw);
  const img = rotate(raw, skewDeg);
  const found = rules(img, Math.round(OCR_DPI * 0.35), Math.round(OCR_DPI * 0.06), Math.round(OCR_DPI * 0.1), Math.round(OCR_DPI * 1.5));
  const clean = eraseRules(img, found);
  const file = join(dir, `clean-${page}.pgm`);
  await writeFile(file, writePgm(clean));
  // Sparse text (--psm 11): a table page is cells apart, not a block of lines; on the
  // scanned fixtures it reads 70% of the values where one block (--psm 6) read 58%.
  const [sparse, digits] = await Promise.all([
    tesseract(file, "chi_sim", 11, deadline, ["preserve_interword_spaces=1"]),
    tesseract(file, "eng", 11, deadline, ["tessedit_char_whitelist=0123456789- "]),
  ]);
  await rm(file);
  const s = 72 / OCR_DPI;
  const H = img.height * s;
  const runs: TextRun[] = [];
  const unsure: OcrPage["unsure"] = [];
  // A place's box: points, origin top-left, as every place in the Document.
  const boxOf = (w: OcrWord): Segment => ({ x0: w.left * s, y0: w.top * s, x1: (w.left + w.width) * s, y1: (w.top + w.height) * s });
  const kept: Kept[] = [];
  const push = (w: OcrWord, str: string): Kept => {
    const k = { w, str, conf: str === UNSURE ? 0 : w.conf };
    kept.push(k);
    return k;
  };
  const disputed: { entry: Kept; w: OcrWord; t: string }[] = [];
  const heights = sparse.filter((w) => hasCjk(w.text)).map((w) => w.height).sort((a, b) => a - b);
  const typical = heights.length ? heights[heights.length >> 1] : OCR_DPI / 7;
  const inside = (w: OcrWord, d: OcrWord) => {
    const cx = d.left + d.width / 2, cy = d.top + d.height / 2, m = w.height * 0.3;
    return cx > w.left - m && cx < w.left + w.width + m && cy > w.top - m && cy < w.top + w.height + m;
  };
  // Inside a ruled table: between two vertical rules that run past the word.
  const inTable = (w: OcrWord) => {
    const cy = w.top + w.height / 2;
    const across = found.v.filter((r) => r.y0 <= cy && r.y1 >= cy);
    return across.some((r) => r.x0 <= w.left) && across.some((r) => r.x0 >= w.left + w.width);
  };
  // The labels of borderless tables: each line beside numbers read again alone (ocr-lines.ts).
  const { words: text } = await rereadLines(clean, sparse, digits, inTable, dir, page, deadline);
  const covered = new Set<OcrWord>();
  for (const w of text) {
    const under = digits.filter((d) => inside(w, d));
    for (const d of under) covered.add(d);
    // Quote marks and commas Tesseract hangs on a number (”4616) are specks, not print.
    const t = /\d/.test(w.text) && !/[\u4e00-\u9fff]/.test(w.text) ? w.text.replace(/^[“”"'‘’`,，.。、:：;；|｜!]+|[“”"'‘’`,，:：;；|｜!]+$/g, "") : w.text;
    if (!t) continue;
    const cjk = hasCjk(t);
    // Marks alone, read with little confidence: specks and the ends of erased rules.
    if (/^[\p{P}\p{S}]+$/u.test(t) && w.conf < 70 && !under.length) continue;
    const startsNumber = /^[-+]?\d/.test(t);
    if (cjk && !(startsNumber && !/^\d+[.、．]/.test(t))) {
      push(w, t);
      continue;
    }
    if (!/\d/.test(t) && !cjk) {
      // Letters or marks: a confident word stays (a label in Latin letters); a doubtful
      // one where the digit reading saw a number is an unreadable number.
      if (w.conf >= 60 && !under.length) push(w, t);
      else if (under.length && w.height >= typical * 0.5) {
        push(w, UNSURE);
        unsure.push({ text: t, box: boxOf(w) });
      }
      continue;
    }
    // A number: both readings must give the same digits, together sure. Outside a ruled
    // table (a year or a date in the text), the digit reading runs on into the words
    // around, so there its digits need only contain the number's.
    const other = under.sort((a, b) => a.left - b.left);
    const seen = other.map((d) => digitsOf(d.text)).join("");
    const table = inTable(w);
    const least = other.length ? Math.min(...other.map((d) => d.conf)) : 0;
    const agree =
      NUMERIC.test(t) &&
      other.length > 0 &&
      (table ? digitsOf(t) === seen && least >= 10 && both(w.conf, least) >= AGREED : seen.includes(digitsOf(t)) && w.conf >= MIN_NUMBER_CONFIDENCE);
    if (agree) push({ ...w, conf: table ? 100 * both(w.conf, least) : w.conf }, t);
    else if (MARKER_ONLY.test(t)) {
      // An item's number before its label (1. 2、): not a value; unsure, it is left out
      // and the label is matched by its words.
      if (other.length && digitsOf(other[0].text).startsWith(digitsOf(t)) && w.conf >= MIN_NUMBER_CONFIDENCE) push(w, t);
    } else if (NUMERIC.test(t) && !(table && other.some((d) => d.conf >= 60 && digitsOf(d.text) !== digitsOf(t)))) {
      // Not confirmed, not contradicted by a sure digit reading: a third reading decides.
      disputed.push({ entry: push(w, UNSURE), w, t });
    } else {
      push(w, UNSURE);
      unsure.push({ text: t, box: boxOf(w) });
    }
  }
  // The third reading: each disputed number's box alone, digits only (one Tesseract run
  // for all of a page's boxes, listed in a file).
  if (disputed.length) {
    const third = await readBoxes(clean, disputed.map((d) => d.w), dir, page, deadline, disputed.map((d) => between(d.w, text)));
    disputed.forEach((d, i) => {
      const r = third[i];
      if (r && digitsOf(r.text) === digitsOf(d.t) && r.conf >= 10 && d.w.conf >= 10 && both(d.w.conf, r.conf) >= AGREED) {
        d.entry.str = d.t;
        d.entry.conf = 100 * both(d.w.conf, r.conf);
      }
    });
    // A date whose numbers the digit reading could not confirm (ocr-dates.ts): its line read
    // again alone; where that reading gives the same date, its numbers stand.
    const left = new Map(disputed.filter((d) => d.entry.str === UNSURE).map((d) => [d.entry, d.t]));
    if (left.size) {
      const outside = kept.filter((k) => !inTable(k.w));
      const words: DateWord[] = outside.map((k) => ({ w: k.w, read: left.get(k) ?? k.str, unsure: left.has(k), conf: left.has(k) ? k.w.conf : k.conf }));
      const confirmed = await confirmDates(clean, words, AGREED, dir, page, deadline);
      words.forEach((d, i) => {
        const conf = confirmed.get(d);
        if (conf === undefined) return;
        outside[i].str = d.read;
        outside[i].conf = conf;
      });
    }
    for (const d of disputed) if (d.entry.str === UNSURE) unsure.push({ text: d.t, box: boxOf(d.w) });
  }
  // Digits the text reading did not see at all: a mark of text height there is unreadable.
  for (const d of digits)
    if (!covered.has(d) && d.height >= typical * 0.5 && d.conf >= 30) {
      push(d, UNSURE);
      unsure.push({ text: d.text, box: boxOf(d) });
    }
  for (const k of joinWords(kept)) {
    const { str, conf } = k;
    const w = hasCjk(str) ? ownLine(clean, k.w, typical) : k.w;
    const r: TextRun & { conf: number } = { str, x: w.left * s, y: H - (w.top + w.height) * s, w: w.width * s, size: w.height * s * (hasCjk(str) ? 1.05 : 1.4), conf };
    runs.push(r);
  }
  const toSeg = (r: { x0: number; y0: number; x1: number; y1: number }): Segment => ({ x0: r.x0 * s, x1: r.x1 * s, y0: H - r.y1 * s, y1: H - r.y0 * s });
  const data: PageData = {
    page,
    box: { x0: 0, y0: 0, x1: img.width * s, y1: H },
    runs,
    h: found.h.map(toSeg),
    v: found.v.map(toSeg),
    images: 1,
    largestImage: img.width * s * H,
    hiddenText: 0,
    shownText: runs.length,
  };
  return { page, skewDeg, words: text.map((w) => ({ ...w })), data, unsure, picture: clean };
}

/**
 * A line of text whose box Tesseract drew taller than a line (over part of the line below
 * or above: seen in turned scans of tables without rules), cut to its own line, the box's
 * heaviest band of ink. The box's height places the line in its row; a box reaching into
 * the next row puts a row's label beside the next row's numbers.
 */
function ownLine(img: Gray, w: OcrWord, typical: number): OcrWord {
  if (w.height <= typical * 1.4) return w;
  const band = heaviestBand(img, w.left, w.top, w.left + w.width, w.top + w.height, Math.max(2, Math.round(typical * 0.2)));
  // Only a box over ink of another line: a box padded with white is where Tesseract put
  // it (the layout's tolerances are set on such boxes).
  if (!band || band.bottom - band.top < typical * 0.5 || band.share > 0.95) return w;
  return { ...w, top: band.top, height: band.bottom - band.top };
}

/**
 * The room a word has on its line: from the end of the word before it to the start of the
 * word after it (Tesseract boxes a number loosely: 13 of 2025年1月13日 reached over 日, and its
 * crop read 138). The word's own box where no neighbour cuts into it.
 */
function between(w: OcrWord, words: OcrWord[]): { x0: number; x1: number } {
  const middle = w.left + w.width / 2;
  let x0 = 0, x1 = Infinity;
  for (const o of words) {
    if (o === w || o.line !== w.line || o.top > w.top + w.height || o.top + o.height < w.top) continue;
    if (o.left > middle) x1 = Math.min(x1, o.left);
    else if (o.left + o.width < middle) x0 = Math.max(x0, o.left + o.width);
  }
  return { x0, x1 };
}

/** Each box cut out of the page (a margin around, a white border), read alone for digits. */
async function readBoxes(img: Gray, boxes: OcrWord[], dir: string, page: number, deadline: number, room?: { x0: number; x1: number }[]): Promise<({ text: string; conf: number } | undefined)[]> {
  const files: string[] = [];
  for (const [i, b] of boxes.entries()) {
    const mx = Math.round(b.height * 0.15), my = Math.round(b.height * 0.2), border = 12;
    // Not past the start of the next word on its line (a number's box reaching over the unit
    // after it, 13 over 日, is cut there), nor padded over the end of the word before (which
    // is not cut into: its box reached over the number's first digit, 月 over the 1 of 13).
    const r = room?.[i] ?? { x0: 0, x1: Infinity };
    const x0 = Math.max(0, b.left - mx, Math.min(r.x0, b.left)), y0 = Math.max(0, b.top - my);
    const x1 = Math.min(img.width, b.left + b.width + mx, Math.max(r.x1, b.left + 1)), y1 = Math.min(img.height, b.top + b.height + my);
    const f = join(dir, `box-${page}-${i}.pgm`);
    await writeFile(f, writePgm(crop(img, x0, y0, x1, y1, border)));
    files.push(f);
  }
  const list = join(dir, `boxes-${page}.txt`);
  await writeFile(list, files.join("\n") + "\n");
  try {
    const out = await run(tesseractCommand(), [list, "stdout", "-l", "eng", "--psm", "7", "-c", "tessedit_char_whitelist=0123456789- ", "tsv"], deadline, { OMP_THREAD_LIMIT: "1" });
    const read: ({ text: string; conf: number } | undefined)[] = boxes.map(() => undefined);
    for (const row of out.toString("utf8").split("\n")) {
      const f = row.split("\t");
      if (f.length < 12 || f[0] !== "5" || !f[11].trim()) continue;
      const k = Number(f[1]) - 1;
      const prev = read[k];
      read[k] = prev ? { text: prev.text + f[11].trim(), conf: Math.min(prev.conf, +f[10]) } : { text: f[11].trim(), conf: +f[10] };
    }
    return read;
  } finally {
    await Promise.all([list, ...files].map((f) => rm(f, { force: true })));
  }
}

/**
 * Words of one Tesseract line that touch (a gap under an em) and are not numbers are one
 * run, as a text PDF prints a label: Tesseract boxes CJK punctuation loosely, and a label
 * in pieces would look like several cells to the layout. Numbers stay runs of their own.
 */
function joinWords(kept: Kept[]): Kept[] {
  const isNum = (k: { str: string }) => k.str === UNSURE || NUMERIC.test(k.str);
  const out: typeof kept = [];
  // An item's number and its label, boxed apart by Tesseract (often as two lines: 1. and
  // 属于国家秘密), are one run as the page prints them ("1.属于国家秘密"); apart, the
  // layout takes the numbers and the labels for two columns of labels.
  const opens = (m: Kept, k: Kept) => {
    if (!(MARKER_ONLY.test(m.str) || (/^\d{1,2}$/.test(m.str) && /^[.、．]/.test(k.str)))) return false;
    if (isNum(k) || !hasCjk(k.str) || k.w.left <= m.w.left) return false;
    const h = Math.max(m.w.height, k.w.height), gap = k.w.left - (m.w.left + m.w.width);
    const dy = Math.abs(m.w.top + m.w.height / 2 - (k.w.top + k.w.height / 2));
    return gap > -h * ITEM_JOIN.overlapEm && gap < k.w.height * ITEM_JOIN.gapEm && dy < k.w.height * ITEM_JOIN.offsetEm;
  };
  for (const m of kept) {
    const label = kept.filter((k) => k !== m && opens(m, k)).sort((a, b) => a.w.left - b.w.left)[0];
    if (label) m.w = { ...m.w, line: label.w.line };
  }
  const byLine = new Map<string, typeof kept>();
  for (const k of kept) {
    const l = byLine.get(k.w.line) ?? [];
    l.push(k);
    byLine.set(k.w.line, l);
  }
  for (const line of byLine.values()) {
    line.sort((a, b) => a.w.left - b.w.left);
    let cur: (typeof kept)[number] | undefined;
    for (const k of line) {
      // An unsure item number touching its label (?属于国家秘密): not a value; the label
      // is matched by its words.
      if (cur && cur.str === UNSURE && !isNum(k) && hasCjk(k.str) && k.w.left - (cur.w.left + cur.w.width) < Math.max(cur.w.height, k.w.height)) {
        cur = k;
        continue;
      }
      if (cur && opens(cur, k)) {
        // The label's band: an item number's box is a digit's height, or stretched by a speck.
        cur = { w: { ...cur.w, top: k.w.top, height: k.w.height, width: k.w.left + k.w.width - cur.w.left }, str: cur.str + k.str, conf: Math.min(cur.conf, k.conf) };
        continue;
      }
      if (cur && !isNum(cur) && !isNum(k) && k.w.left - (cur.w.left + cur.w.width) < Math.max(cur.w.height, k.w.height)) {
        const top = Math.min(cur.w.top, k.w.top), bottom = Math.max(cur.w.top + cur.w.height, k.w.top + k.w.height);
        cur = { w: { ...cur.w, top, height: bottom - top, width: k.w.left + k.w.width - cur.w.left }, str: cur.str + k.str, conf: Math.min(cur.conf, k.conf) };
        continue;
      }
      if (cur) out.push(cur);
      cur = k;
    }
    if (cur) out.push(cur);
  }
  return out;
}

/** A label's text but for the item number opening it (1.属于国家秘密): a label, not digits among characters. */
const labelOf = (t: string) => t.replace(/^\s*\d{1,2}[.、．](?=\s*[\u4e00-\u9fff])/, "");

/** An item number and the label after it are one run within these (in the label's heights). */
const ITEM_JOIN = {
  /** the label starts at most this far right of the number's end … */
  gapEm: 1.2,
  /** … or overlaps it by no more than this; */
  overlapEm: 0.2,
  /** their middles this close vertically. */
  offsetEm: 0.5,
} as const;

/** Pages read → the Document, through the text PDF's layout. */
export function toDocument(pages: OcrPage[], diagnostics: Diagnostic[], numPages = pages.length, textPages: PageData[] = []): Document {
  const blocks = layout(
    [...textPages, ...pages.map((p) => p.data)].sort((a, b) => a.page - b.page),
    diagnostics,
  );
  // A cell is OCR's where it stands on a page read by OCR (all of them, in a scan; in a
  // mixed PDF, a cell of a text page is the text layer's, as in any text PDF).
  const ocrd = new Set(pages.map((p) => p.page));
  const isOcr = (c: Cell) => (c.place?.page === undefined ? !textPages.length : ocrd.has(c.place.page));
  // Confidence of a cell: the least of the words it is made of (a number's is the lesser of its two readings).
  const conf = new Map<string, number>();
  for (const p of pages)
    for (const r of p.data.runs) {
      const c = (r as TextRun & { conf?: number }).conf;
      if (c !== undefined) conf.set(r.str, Math.min(conf.get(r.str) ?? 100, c));
    }
  for (const b of blocks) {
    if (b.kind !== "table") continue;
    for (const row of b.rows) for (const c of row) if (isOcr(c)) markCell(c, conf);
    // Unruled tables: rebuilt from word positions by the stream logic. A cell holding one
    // number (or the page's "?" for one) is read again around its own word box
    // (ocr-cells.ts) and stands only where those readings agree; any other cell with digits
    // in it (two numbers, digits among characters) is no value OCR can vouch for.
    // A ruled cell with two numbers in it: a rule the picture lost; not one value.
    for (const row of b.rows)
      for (const c of row) {
        if (!isOcr(c)) continue;
        const numbers = c.text.split(/\s+/).filter((x) => x === UNSURE || NUMERIC.test(x));
        const single = numbers.length === 1 && c.text.trim() === numbers[0];
        const why =
          !b.exactGrid && /\d/.test(labelOf(c.text)) && !single
            ? "an unruled table, in a cell that is not one number"
            : numbers.length > 1
              ? `a${b.exactGrid ? " ruled" : "n unruled"} cell holding several numbers${b.exactGrid ? " (a rule lost in the picture?)" : ""}`
              : "";
        if (!why) continue;
        diagnostics.push({ severity: "warning", source: "ocr:unsure", message: `page ${b.place?.page}: "${c.text.replace(/\n/g, " ")}" is in ${why}; it is left as "${UNSURE}", not a value`, place: { ...b.place, ...c.place } });
        c.text = UNSURE;
        c.read = { status: "ocr", confidence: 0 };
      }
  }
  const unsure = pages.reduce((n, p) => n + p.unsure.length, 0);
  for (const p of pages)
    for (const u of p.unsure)
      diagnostics.push({ severity: "warning", source: "ocr:unsure", message: `page ${p.page}: OCR could not be sure of a number here (read "${u.text}"); it is left as "${UNSURE}", not a value`, place: { page: p.page, box: u.box } });
  const skew = pages.filter((p) => p.skewDeg !== 0).map((p) => `${p.page} (${p.skewDeg}°)`);
  diagnostics.unshift({
    severity: "warning",
    source: "ocr:read",
    message:
      `read by OCR (Tesseract, chi_sim) from page images: ${pages.length} page${pages.length === 1 ? "" : "s"}${textPages.length ? ` (${pages.map((p) => p.page).join(", ")}; the others from their text layer)` : ""} at ${OCR_DPI} dpi; ` +
      `numbers taken only where two readings agree (${unsure} not sure, left unread)` +
      (skew.length ? `; pages straightened: ${skew.join(", ")}` : ""),
  });
  if (!blocks.some((b) => b.kind === "table")) diagnostics.push({ severity: "warning", source: "pdf:no-tables", message: "no tables were found: paragraphs only" });
  return { blocks, meta: { pages: numPages, ocrPages: pages.map((p) => p.page) }, diagnostics };
}

/**
 * After the cells were read again alone: a doubt of the page reading inside a cell that now
 * holds a sure number is settled (its warning goes), and the summary says what was done.
 */
function settle(doc: Document, r: CellRereadResult): void {
  const within = (p: Place | undefined) => {
    const b = p?.box;
    if (!b || p?.page === undefined) return false;
    const cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
    return r.settled.some((c) => c.page === p.page && cx >= c.x0 && cx <= c.x1 && cy >= c.y0 && cy <= c.y1);
  };
  doc.diagnostics = doc.diagnostics.filter((d) => !(d.source === "ocr:unsure" && within(d.place)));
  for (const u of r.looseUnsure)
    doc.diagnostics.push({ severity: "warning", source: "ocr:unsure", message: `page ${u.place?.page}: "${u.text}" in an unruled table was not confirmed by reading it again around its own box; it is left as "${UNSURE}", not a value`, place: u.place });
  const left = doc.diagnostics.filter((d) => d.source === "ocr:unsure").length;
  const read = doc.diagnostics.find((d) => d.source === "ocr:read");
  if (read)
    read.message =
      read.message.replace(/\(\d+ not sure, left unread\)/, `(${left} not sure, left unread)`) +
      `; every ruled cell and every number of an unruled table read again alone (${r.cells} cells: ${r.numbers} numbers settled, ${r.contradicted} contradicted and left unread, ${r.looseUnsure.length} unruled numbers not confirmed and left unread, ${r.unsure} read as characters by the page and left unread, ${r.labels} labels re-read)`;
}

/**
 * A row of an unruled table whose label reaches over another row's numbers: the label is
 * not surely this row's alone. The layout joins label lines it takes for one wrapped label
 * (a line whose item number OCR lost runs into the label above it), and such a label,
 * lines of two or three rows, can match the template row of any of them, giving this
 * row's numbers to another. Its numbers are "?" (null with a diagnostic), never read into
 * a row they may not be.
 */
export function guardLabels(doc: Document, ocrd: Set<number>): void {
  const isValue = (c: Cell) => c.text.trim() === UNSURE || NUMERIC.test(c.text.trim());
  for (const b of doc.blocks) {
    if (b.kind !== "table" || b.exactGrid) continue;
    const rows = b.rows.map((row) => {
      const first = row.findIndex(isValue);
      const label = first > 0 ? row[first - 1] : undefined;
      const values = first < 0 ? [] : row.slice(first).filter((c) => isValue(c) && c.place?.box);
      return { row, label: label && label.rowSpan === 1 && label.place?.box && ocrd.has(label.place.page ?? -1) ? label : undefined, values };
    });
    for (const r of rows) {
      const box = r.label?.place?.box;
      if (!box || !r.values.length) continue;
      const over = rows.some(
        (o) =>
          o !== r &&
          o.values.some((v) => {
            const vb = v.place!.box!, cy = (vb.y0 + vb.y1) / 2;
            return v.place!.page === r.label!.place!.page && cy > box.y0 + GUARD_SLACK_PT && cy < box.y1 - GUARD_SLACK_PT;
          }),
      );
      if (!over) continue;
      for (const c of r.values) {
        if (c.text.trim() === UNSURE) continue;
        doc.diagnostics.push({ severity: "warning", source: "ocr:unsure", message: `page ${c.place?.page}: "${c.text}" is in a row of an unruled table whose label "${r.label!.text.replace(/\n/g, " ")}" reaches over another row's numbers (lines of two rows run together?); it is left as "${UNSURE}", not a value`, place: { ...b.place, ...c.place } });
        c.text = UNSURE;
        c.read = { status: "ocr", confidence: 0 };
      }
    }
  }
}
/**
 * A page found turned as far as the skew search looks (MAX_SKEW_DEG) may be turned further:
 * straightened only in part, its rows run into each other across the page (a page turned 5°,
 * straightened by 4°, read 63 wrong values). None of its tables' numbers is taken: each is "?",
 * and an empty cell is unread, not blank.
 */
function unreadTurnedPast(doc: Document, pages: OcrPage[]): void {
  const past = new Set(pages.filter((p) => Math.abs(p.skewDeg) >= MAX_SKEW_DEG - 0.1).map((p) => p.page));
  if (!past.size) return;
  for (const b of doc.blocks) {
    if (b.kind !== "table") continue;
    for (const row of b.rows)
      for (const c of row) {
        const page = c.place?.page ?? b.place?.page;
        if (page === undefined || !past.has(page)) continue;
        // An empty cell is no sure blank there either: its number may have run into another cell.
        if (c.text.trim() === "") c.read = { status: "unreadable" };
        else if (NUMERIC.test(c.text.trim())) {
          c.text = UNSURE;
          c.read = { status: "ocr", confidence: 0 };
        }
      }
  }
  for (const page of past)
    doc.diagnostics.push({ severity: "warning", source: "ocr:unsure", message: `page ${page} is turned ${MAX_SKEW_DEG}° or more, as far as the reader looks: it may be turned further and read askew, so none of its tables' numbers is taken ("${UNSURE}")`, place: { page } });
}

/** A label's box reaches over a number when the number's middle is this far inside it (points). */
const GUARD_SLACK_PT = 1;

function markCell(c: Cell, conf: Map<string, number>): void {
  const parts = c.text.split(/\s+/).filter(Boolean);
  const known = parts.map((p) => conf.get(p)).filter((x): x is number => x !== undefined);
  c.read = known.length ? { status: "ocr", confidence: Math.round(Math.min(...known)) / 100 } : { status: "ocr" };
}
