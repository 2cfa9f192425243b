// Blank cells of tables without rules read by OCR, looked at in the picture.
//
// In a scan of a table without rules, a row's numbers are placed by their height on the
// page; a number Tesseract did not see at all (91 read as the character 引 and dropped)
// leaves its cell empty, and an empty cell reads as blank (`cell.blank`, info: nothing
// printed), which would say the report prints nothing where it prints a number. So each
// empty cell is looked at in the straightened picture, across its column (the span of the
// numbers standing in it) and the middle of the row's numbers:
// print there makes the cell unread (null, with a warning), never blank.
//
// A row that came out with no number at all is looked at across the middle of its label's
// lines (a header row has no label: it is not looked at).
import { startColumns, unsettledCell, type Cell, type Diagnostic, type Document, type Table } from "../../model/document.js";
import { inkIn, type Gray } from "./scan-image.js";

/** Tolerances, in points (a page is read at 72 points to the inch). */
export const BLANK_LOOK = {
  /** Of a row's height, the middle part looked at (the rest may hold the next row's ink). */
  rowMiddle: 0.5,
  /** At most this much of a row is looked at, around its middle (a wrapped label makes a row tall). */
  maxHalfPt: 6,
  /** A column's span is narrowed by this at each side (a neighbour's digits may reach into it). */
  insetPt: 1.5,
  /** A share of dark pixels above this is print, not grain left by JPEG or scanning. */
  inkShare: 0.02,
} as const;

const VALUE = /^(?:\?|[-+]?\d[\d,]*(?:\.\d+)?)$/;

/** An x span of a page, in points. */
interface Span {
  x0: number;
  x1: number;
}

/** A span widened to take in a box (a new one where there is none). */
const widen = (s: Span | undefined, box: Span): Span => (s ? { x0: Math.min(s.x0, box.x0), x1: Math.max(s.x1, box.x1) } : { x0: box.x0, x1: box.x1 });

/**
 * Marks each empty cell with print under it, of the unruled tables on pages read by OCR, as
 * unread (`read.status: "unreadable"`), and says so. `scale`: pixels per point.
 * Returns how many cells were marked.
 */
export function inkedBlanks(doc: Document, pictures: Map<number, Gray>, scale: number, diagnostics: Diagnostic[]): number {
  let marked = 0;
  const tables = doc.blocks.filter((b): b is Table => b.kind === "table" && !b.exactGrid);
  const isValue = (c: Cell) => !!c.place?.box && c.place.page !== undefined && VALUE.test(c.text.trim());
  // The page's value columns: the spans of every number (or "?") of its unruled tables, those
  // that overlap as one. The layout may cut one printed table in parts, and a part whose rows
  // have no number has no columns of its own to look under.
  const bands = new Map<number, Span[]>();
  for (const b of tables)
    for (const row of b.rows)
      for (const c of row) {
        if (!isValue(c)) continue;
        const list = bands.get(c.place!.page!) ?? [];
        const k = list.findIndex((s) => Math.min(s.x1, c.place!.box!.x1) > Math.max(s.x0, c.place!.box!.x0));
        if (k >= 0) list[k] = widen(list[k], c.place!.box!);
        else list.push(widen(undefined, c.place!.box!));
        bands.set(c.place!.page!, list);
      }
  for (const b of tables) {
    const columns = startColumns(b);
    // Each value column's span: the boxes of the numbers (or "?") standing in it.
    const spans = new Map<number, Span>();
    b.rows.forEach((row, r) =>
      row.forEach((c, i) => {
        if (isValue(c) && (c.colSpan || 1) === 1) spans.set(columns[r][i], widen(spans.get(columns[r][i]), c.place!.box!));
      }),
    );
    b.rows.forEach((row, r) => {
      // The row's height: its numbers' boxes; in a row with none, its label's (the lines it stands on).
      const numbers = row.filter(isValue);
      const label = numbers.length ? undefined : row.findLast((c) => c.text.trim() !== "" && c.place?.box && c.place.page !== undefined && (c.rowSpan || 1) === 1);
      const own = numbers.length ? numbers : label ? [label] : [];
      const page = own[0]?.place?.page;
      const picture = page === undefined ? undefined : pictures.get(page);
      if (!picture || !own.every((c) => c.place!.page === page)) return;
      const y0 = Math.min(...own.map((c) => c.place!.box!.y0));
      const y1 = Math.max(...own.map((c) => c.place!.box!.y1));
      const mid = (y0 + y1) / 2;
      const half = Math.min(((y1 - y0) * BLANK_LOOK.rowMiddle) / 2, BLANK_LOOK.maxHalfPt);
      const inked = (span: Span) =>
        inkIn(picture, (span.x0 + BLANK_LOOK.insetPt) * scale, (mid - half) * scale, (span.x1 - BLANK_LOOK.insetPt) * scale, (mid + half) * scale) > BLANK_LOOK.inkShare;
      const mark = (c: Cell, span: Span) => {
        const box = { x0: span.x0, y0: mid - half, x1: span.x1, y1: mid + half };
        Object.assign(c, unread(c, page!, box));
        diagnostics.push({ severity: "warning", source: "ocr:unsure", message: `page ${page}: a cell of an unruled table came out empty where the picture shows print (a number the reading missed, or read into another row); it is left unread, not blank`, place: { page, box } });
        marked++;
      };
      // Each empty cell (after the label, in a row with no number) whose column shows print.
      const from = label ? row.indexOf(label) + 1 : 0;
      if (!label || spans.size) {
        row.forEach((c, i) => {
          const span = spans.get(columns[r][i]);
          if (i >= from && span && empty(c) && inked(span)) mark(c, span);
        });
        return;
      }
      // A row with no number in a part of the table with no columns of its own: the page's,
      // right of the label (which is which cell the layout did not say: all of them, if any
      // shows print).
      const printed = (bands.get(page!) ?? []).filter((s) => s.x0 >= label.place!.box!.x1 && inked(s));
      if (!printed.length) return;
      const span = printed.reduce<Span | undefined>((w, s) => widen(w, s), undefined)!;
      for (const c of row.slice(from)) if (empty(c)) mark(c, span);
    });
  }
  return marked;
}

const empty = (c: Cell) => c.text.trim() === "" && c.read?.status !== "unreadable" && (c.colSpan || 1) === 1;

function unread(c: Cell, page: number, box: { x0: number; y0: number; x1: number; y1: number }): Cell {
  return { ...unsettledCell({ ...c.place, page, box }), rowSpan: c.rowSpan, colSpan: c.colSpan };
}
