// The intermediate document every extractor produces, whatever the format: ordered
// blocks of paragraphs and tables. The template mapping is written once against this
// form (normalizers/), never per format. Think mammoth's document model: small, plain.

/** Where something came from in its file, so every diagnostic can point at it. */
export interface Place {
  /** 1-based line in a text file. */
  line?: number;
  /** 1-based page of a PDF. */
  page?: number;
  /** Index of the table in the document (0-based) and row within it. */
  table?: number;
  row?: number;
  /**
   * Position on the page in PDF points, origin TOP-LEFT of the page (y grows downwards),
   * as the record's places are. The PDF reader converts from PDF user space (origin
   * bottom-left) once, in extractors/pdf/layout.ts (`topLeftBox`).
   */
  box?: { x0: number; y0: number; x1: number; y1: number };
}

export interface Cell {
  /** Text as printed; lines inside the cell joined with "\n". Empty string for a blank cell. */
  text: string;
  /** Merges as the source states them (HTML rowspan/colspan, w:vMerge/w:gridSpan, PDF ruling). */
  rowSpan: number;
  colSpan: number;
  /**
   * How a value was read when it is not plainly printed: split from digits run together, or
   * OCR'd from an image; `unreadable` where the reader knows the cell holds something it
   * could not settle (digits run together that the arithmetic leaves open), so it is null
   * as unread, never as a blank.
   */
  read?: { status: "split" | "ocr" | "unreadable"; confidence?: number };
  place?: Place;
  /**
   * In a table whose cells stand in a converter's order (Table.converterOrder): the run of
   * lines between blank lines (the converter's text block) the cell came from. The lines of
   * one block keep the page's order; blocks need not (normalizers/line-order.ts).
   */
  block?: number;
}

export interface Table {
  kind: "table";
  /**
   * Rows as printed. Each row lists the cells that START in it, left to right (the
   * HTML convention): a cell covered by a merge from above is not repeated.
   */
  rows: Cell[][];
  /**
   * True when the extractor knows the real grid (DOCX, HTML, PDF with ruling lines):
   * every cell, blank or not, is present. False when rows were rebuilt from text,
   * where a blank cell may have vanished or a row may be shifted.
   */
  exactGrid: boolean;
  /**
   * Rebuilt from text whose cells stand in the order a converter wrote them (no tabs, pipes
   * or page columns: pdftotext without -layout writes in its reading order), so its rows
   * may not come in the table's order: the mapping reads such a table with suspicion.
   */
  converterOrder?: boolean;
  place?: Place;
}

export interface Paragraph {
  kind: "paragraph";
  text: string;
  place?: Place;
}

export type Block = Paragraph | Table;

export type Severity = "error" | "warning" | "info";

/** A message about the input, attached to the file and place it came from (vfile habit). */
export interface Diagnostic {
  severity: Severity;
  message: string;
  /** Short machine name of the concern, e.g. "docx:tracked-changes". */
  source: string;
  place?: Place;
}

export interface DocumentMeta {
  /** The page or file title where the format states one (HTML <title>, DOCX core title). */
  title?: string;
  /** A publication date the container states (an HTML page's date), ISO 8601. */
  publishedOn?: string;
  /** Where the container states that date: a <meta> of the page, or a labelled line (发布日期：…); `text` as printed. */
  publishedOnFrom?: { kind: "meta" | "line"; text: string };
  /** Links to the real report (DOCX/PDF attachments of an HTML page), absolute where known. */
  attachments?: { url: string; text: string }[];
  /** Pages in a PDF. */
  pages?: number;
  /** Pages of a PDF read by OCR from their images (a mixed PDF's others are read from their text layer). */
  ocrPages?: number[];
  /** Who runs the site the page is on, as its footer prints it (主办单位：…): a hint of where the body sits. */
  site?: { owner: string; text: string };
}

export interface Document {
  blocks: Block[];
  meta: DocumentMeta;
  diagnostics: Diagnostic[];
}

/**
 * The failure code of a portal page that is not a report itself: the report is in the
 * files it links. Stored like a failure (with the links), never counted as one.
 */
export const ATTACHMENTS_ONLY = "attachments-only";

/** A failure that stops one file: the message names the reason, the caller names the file. */
export class ExtractError extends Error {
  constructor(
    message: string,
    /** Stable code for the store and summaries: "empty", "binary", "zip-bomb", "scanned", "timeout", ... */
    readonly code: string,
  ) {
    super(message);
    this.name = "ExtractError";
  }
}

export function paragraph(text: string, place?: Place): Paragraph {
  return place ? { kind: "paragraph", text, place } : { kind: "paragraph", text };
}

export function cell(text: string, rowSpan = 1, colSpan = 1, place?: Place): Cell {
  return place ? { text, rowSpan, colSpan, place } : { text, rowSpan, colSpan };
}

/**
 * A cell a reader left unread on purpose: the page prints a number there but the reader
 * cannot tell which (stacked, wrapped or set off its row). Null in the record, with a
 * warning; never a blank.
 */
export function unsettledCell(place?: Place): Cell {
  return { ...cell("", 1, 1, place), read: { status: "unreadable" } };
}

/** Whether a reader left a cell unread on purpose (unsettledCell, a PDF cell the layout could not settle). */
export const isUnsettled = (c: Cell): boolean => c.read?.status === "unreadable";

/**
 * The grid column each cell of a table starts in (0-based), row by row: rows list only the
 * cells that start in them, so a column covered by a row span from above is skipped.
 */
export function startColumns(t: Table): number[][] {
  /** Columns still covered by a row span from above: column → rows left. */
  const covered = new Map<number, number>();
  return t.rows.map((row) => {
    const cols: number[] = [];
    let col = 0;
    for (const c of row) {
      while ((covered.get(col) ?? 0) > 0) col++;
      cols.push(col);
      const rs = Math.max(1, c.rowSpan || 1);
      const cs = Math.max(1, c.colSpan || 1);
      if (rs > 1) for (let k = 0; k < cs; k++) covered.set(col + k, rs);
      col += cs;
    }
    for (const [c, left] of covered) if (left <= 1) covered.delete(c);
    else covered.set(c, left - 1);
    return cols;
  });
}
