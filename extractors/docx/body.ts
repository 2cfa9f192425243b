// word/document.xml's body → paragraphs and exact-grid tables in document order.
//
// Read directly from OOXML rather than through mammoth's HTML: mammoth lines vertical
// merges up by cell index (a row with w:gridBefore shifts every merge below it), ignores
// gridBefore/gridAfter, reads text boxes from mc:Fallback and gives no hook for where
// things were. Here the grid is built from grid columns: each w:tc starts at the column
// after the previous one (plus gridBefore) and covers gridSpan columns; a w:vMerge
// continuation extends the cell above that starts at the same column with the same span.
import { cell, paragraph, type Block, type Cell, type Diagnostic, type Table } from "../../model/document.js";
import { attr, child, kids, tagOf, textOf, type XNode } from "./xml.js";

/** What the walk met, for diagnostics. */
interface Counts {
  inserted: number;
  deleted: number;
  movedFrom: number;
  deletedRows: number;
  textBoxes: number;
  fields: number;
  symbols: number;
  altChunks: number;
}

type Item = { kind: "p"; text: string } | { kind: "tbl"; node: XNode } | { kind: "picture"; rid: string };

/** A picture in the body's flow (or in a table's cell: then it stands after that table): its relationship id, and the index in `blocks` it stands before. */
export interface BodyPicture {
  rid: string;
  at: number;
}

interface Field {
  result: boolean;
}

export class BodyReader {
  readonly blocks: Block[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** Pictures in the body's flow and in tables' cells, in order (a report whose tables were pasted as pictures). */
  readonly pictures: BodyPicture[] = [];
  /** Pictures met in the paragraph being read (the walk takes them after the paragraph). */
  private met: string[] = [];
  /** Pictures met in the cells of the table being built (placed after it). */
  private inCells: string[] = [];
  private readonly counts: Counts = { inserted: 0, deleted: 0, movedFrom: 0, deletedRows: 0, textBoxes: 0, fields: 0, symbols: 0, altChunks: 0 };
  private fields: Field[] = [];
  private tableIndex = 0;
  private unbalancedFields = false;

  read(body: XNode): void {
    const items: Item[] = [];
    this.walkBlocks(kids(body), items);
    this.endFields();
    this.emitItems(items);
    this.summarise();
  }

  /** Paragraphs (non-empty), pictures where they stand, and tables (or layout tables' contents), in order. */
  private emitItems(items: Item[]): void {
    for (const it of items) {
      if (it.kind === "p") {
        const text = it.text.trim();
        if (text) this.blocks.push(paragraph(text));
      } else if (it.kind === "picture") this.pictures.push({ rid: it.rid, at: this.blocks.length });
      else this.emitTableOrLayout(it.node);
    }
  }

  // ---------------------------------------------------------------- block level

  private walkBlocks(list: XNode[], out: Item[]): void {
    for (const n of list) {
      const tag = tagOf(n);
      switch (tag) {
        case "w:p": {
          const floats: XNode[] = [];
          this.met = [];
          const text = this.inline(kids(n), floats);
          out.push({ kind: "p", text });
          // Pictures in the paragraph follow its text (a picture's own paragraph has none).
          for (const rid of this.met) out.push({ kind: "picture", rid });
          // Text boxes anchored in the paragraph follow it as their own paragraphs.
          for (const box of floats) this.withOwnFields(() => this.walkBlocks(kids(box), out));
          break;
        }
        case "w:tbl":
          out.push({ kind: "tbl", node: n });
          break;
        case "w:sdt": {
          const content = child(n, "w:sdtContent");
          if (content) this.walkBlocks(kids(content), out);
          break;
        }
        case "w:customXml":
        case "w:smartTag":
        case "w:ins":
        case "w:moveTo":
          if (tag === "w:ins") this.counts.inserted++;
          this.walkBlocks(kids(n), out);
          break;
        case "w:del":
          this.counts.deleted++;
          break;
        case "w:moveFrom":
          this.counts.movedFrom++;
          break;
        case "mc:AlternateContent": {
          const branch = chooseBranch(n);
          if (branch) this.walkBlocks(kids(branch), out);
          break;
        }
        case "w:altChunk":
          this.counts.altChunks++;
          break;
        default:
          // w:sectPr, w:bookmarkStart/End, w:proofErr, w:permStart, ...: no text.
          break;
      }
    }
  }

  // ---------------------------------------------------------------- inline level

  /** The text of a paragraph's content; text boxes met on the way go to floats. */
  private inline(list: XNode[], floats: XNode[]): string {
    let s = "";
    for (const n of list) {
      const tag = tagOf(n);
      switch (tag) {
        case "w:r":
          s += this.run(kids(n), floats);
          break;
        case "w:hyperlink":
        case "w:smartTag":
        case "w:customXml":
        case "w:dir":
        case "w:bdo":
        case "w:fldSimple":
        case "w:moveTo":
        case "w:ins":
          if (tag === "w:ins") this.counts.inserted++;
          if (tag === "w:fldSimple") this.counts.fields++;
          s += this.inline(kids(n), floats);
          break;
        case "w:sdt": {
          const content = child(n, "w:sdtContent");
          if (content) s += this.inline(kids(content), floats);
          break;
        }
        case "w:del":
          this.counts.deleted++;
          break;
        case "w:moveFrom":
          this.counts.movedFrom++;
          break;
        case "mc:AlternateContent": {
          const branch = chooseBranch(n);
          if (branch) s += this.inline(kids(branch), floats);
          break;
        }
        case "m:oMathPara":
        case "m:oMath":
          if (this.visible()) s += mathText(kids(n));
          break;
        default:
          break;
      }
    }
    return s;
  }

  private run(list: XNode[], floats: XNode[]): string {
    let s = "";
    for (const n of list) {
      const tag = tagOf(n);
      switch (tag) {
        case "w:t":
          if (this.visible()) s += textOf(n).replace(/\u00ad/g, "");
          break;
        case "w:tab":
        case "w:ptab":
          if (this.visible()) s += "\t";
          break;
        case "w:br":
        case "w:cr":
          if (this.visible()) s += "\n";
          break;
        case "w:noBreakHyphen":
          if (this.visible()) s += "-";
          break;
        case "w:softHyphen":
          break;
        case "w:sym":
          this.counts.symbols++;
          if (this.visible()) s += symbol(attr(n, "w:font"), attr(n, "w:char"));
          break;
        case "w:fldChar":
          this.fieldChar(attr(n, "w:fldCharType"));
          break;
        case "w:instrText":
        case "w:delText":
        case "w:delInstrText":
          break;
        case "w:drawing":
        case "w:pict":
        case "w:object":
          collectTextBoxes(kids(n), floats, this.counts);
          collectPictures(kids(n), this.met);
          break;
        case "mc:AlternateContent": {
          const branch = chooseBranch(n);
          if (branch) s += this.run(kids(branch), floats);
          break;
        }
        // w:ruby: the base text is what is printed in line.
        case "w:ruby": {
          const base = child(n, "w:rubyBase");
          if (base) s += this.inline(kids(base), floats);
          break;
        }
        default:
          break;
      }
    }
    return s;
  }

  // ---------------------------------------------------------------- fields

  /** Text shows when every open field is past its instruction (in its result). */
  private visible(): boolean {
    for (const f of this.fields) if (!f.result) return false;
    return true;
  }

  private fieldChar(type: string | undefined): void {
    if (type === "begin") {
      this.counts.fields++;
      this.fields.push({ result: false });
    } else if (type === "separate") {
      const top = this.fields[this.fields.length - 1];
      if (top) top.result = true;
    } else if (type === "end") {
      if (this.fields.pop() === undefined) this.unbalancedFields = true;
    }
  }

  /** Fields never cross a cell or text box: each starts with none open, and restores the outer state. */
  private withOwnFields<T>(f: () => T): T {
    const outer = this.fields;
    this.fields = [];
    try {
      return f();
    } finally {
      this.endFields();
      this.fields = outer;
    }
  }

  private endFields(): void {
    if (this.fields.length) this.unbalancedFields = true;
    this.fields = [];
  }

  // ---------------------------------------------------------------- tables

  /**
   * A table used for layout (isLayoutTable: a border box around the report, a column of
   * links beside the article) is no table: its cells' paragraphs, pictures and tables are
   * read in order as the body's, so the title, the dates and the sections inside it are
   * read as the report's. Any other table is a table.
   */
  private emitTableOrLayout(node: XNode): void {
    if (!isLayoutTable(node)) return this.emitTable(node);
    // The cell holding most text is the article's; short cells beside it in its row (a
    // column of links, 目录) are the page's, not the report's. Rows above and below it (a
    // title row) are read.
    const rows = rowsOf(kids(node)).map((tr) => cellsOf(kids(tr)));
    const length = new Map(rows.flat().map((tc) => [tc, textLength(tc)]));
    let main: XNode | null = null;
    for (const [tc, n] of length) if (main === null || n > length.get(main)!) main = tc;
    let beside = 0;
    const read: XNode[] = [];
    for (const row of rows)
      for (const tc of row) {
        const n = length.get(tc)!;
        if (tc !== main && row.includes(main!) && !holdsTable(tc) && n <= LAYOUT_TEXT) {
          if (n > 0) beside++;
          continue;
        }
        read.push(tc);
      }
    this.diagnostics.push({
      severity: "info",
      source: "docx:layout-table",
      message:
        "a table holding the report's text (a box around it, or a column beside it): its cells are read as the body" +
        (beside ? `; ${beside} short cell(s) beside the article's (links, a menu) are not read` : ""),
    });
    for (const tc of read) {
      const items: Item[] = [];
      this.withOwnFields(() => this.walkBlocks(kids(tc), items));
      this.emitItems(items);
    }
  }

  /** A table, then the tables nested in its cells (each followed by its own nested ones). */
  private emitTable(node: XNode): void {
    const index = this.tableIndex++;
    const table: Table = { kind: "table", rows: [], exactGrid: true, place: { table: index } };
    this.blocks.push(table);
    const nested: XNode[] = [];
    this.buildGrid(node, table, index, nested);
    for (const rid of this.inCells.splice(0)) this.pictures.push({ rid, at: this.blocks.length });
    if (nested.length)
      this.diagnostics.push({
        severity: "info",
        source: "docx:nested-table",
        message: `${nested.length} table(s) nested in the cells of table ${index}: each follows it as its own table`,
        place: { table: index },
      });
    for (const n of nested) this.emitTableOrLayout(n);
  }

  private buildGrid(node: XNode, table: Table, index: number, nested: XNode[]): void {
    // Cells of the previous row by starting grid column, pointing at the cell they belong to.
    let above = new Map<number, { span: number; origin: Cell }>();
    const headerRows: number[] = [];
    for (const tr of rowsOf(kids(node))) {
      const trPr = child(tr, "w:trPr");
      if (trPr && child(trPr, "w:del")) {
        this.counts.deletedRows++;
        continue;
      }
      if (trPr && child(trPr, "w:ins")) this.counts.inserted++;
      const r = table.rows.length;
      const row: Cell[] = [];
      const here = new Map<number, { span: number; origin: Cell }>();
      if (trPr) {
        const header = child(trPr, "w:tblHeader");
        if (header && !isOff(attr(header, "w:val"))) headerRows.push(r);
      }
      let col = 0;
      const before = count(trPr && child(trPr, "w:gridBefore"));
      if (before > 0) {
        row.push(cell("", 1, before));
        col = before;
        this.diag("info", "docx:grid-before", `row ${r} starts ${before} grid column(s) in (w:gridBefore): a blank cell stands for them`, index, r);
      }
      let last: Cell | undefined;
      for (const tc of cellsOf(kids(tr))) {
        const tcPr = child(tc, "w:tcPr");
        if (tcPr && child(tcPr, "w:cellDel")) {
          this.counts.deleted++;
          continue;
        }
        const span = Math.max(1, count(tcPr && child(tcPr, "w:gridSpan")) || 1);
        const text = this.cellText(tc, nested);
        const vMerge = tcPr && child(tcPr, "w:vMerge");
        const hMerge = tcPr && child(tcPr, "w:hMerge");
        if (hMerge && attr(hMerge, "w:val") !== "restart" && last) {
          // Legacy horizontal merge: this cell widens the one to its left.
          last.colSpan += span;
          if (text) last.text = last.text ? `${last.text}\n${text}` : text;
          col += span;
          continue;
        }
        if (vMerge && attr(vMerge, "w:val") !== "restart") {
          const up = above.get(col);
          if (up && up.span === span) {
            up.origin.rowSpan++;
            if (text) {
              up.origin.text = up.origin.text ? `${up.origin.text}\n${text}` : text;
              this.diag("warning", "docx:merge", `row ${r}: a cell merged into the one above still holds text ("${clip(text)}"); kept on the merged cell`, index, r);
            }
            here.set(col, up);
            col += span;
            last = up.origin;
            continue;
          }
          this.diag(
            "warning",
            "docx:merge",
            up
              ? `row ${r}, column ${col}: a vertical merge continues a cell of another width (${up.span} vs ${span} columns); read as a cell of its own`
              : `row ${r}, column ${col}: a vertical merge continues no cell above; read as a cell of its own`,
            index,
            r,
          );
        }
        const c = cell(text, 1, span);
        row.push(c);
        here.set(col, { span, origin: c });
        last = c;
        col += span;
      }
      const after = count(trPr && child(trPr, "w:gridAfter"));
      if (after > 0) {
        row.push(cell("", 1, after));
        this.diag("info", "docx:grid-after", `row ${r} ends ${after} grid column(s) early (w:gridAfter): a blank cell stands for them`, index, r);
      }
      table.rows.push(row);
      above = here;
    }
    if (headerRows.length)
      this.diag("info", "docx:header-rows", `table ${index}: row(s) ${headerRows.join(", ")} repeat as header rows on each page (w:tblHeader); kept as printed once`, index, headerRows[0]);
  }

  /** A cell's paragraphs (non-empty ones) joined with "\n"; tables in it go to nested. */
  private cellText(tc: XNode, nested: XNode[]): string {
    const items: Item[] = [];
    this.withOwnFields(() => this.walkBlocks(kids(tc), items));
    const lines: string[] = [];
    for (const it of items) {
      if (it.kind === "tbl") nested.push(it.node);
      else if (it.kind === "p") {
        const t = it.text.trim();
        if (t) lines.push(t);
      } else this.inCells.push(it.rid); // a picture in a layout table's cell: placed after the table
    }
    return lines.join("\n");
  }

  private diag(severity: Diagnostic["severity"], source: string, message: string, table: number, row?: number): void {
    this.diagnostics.push({ severity, source, message, place: row === undefined ? { table } : { table, row } });
  }

  private summarise(): void {
    const c = this.counts;
    const d = this.diagnostics;
    if (c.inserted || c.deleted || c.movedFrom || c.deletedRows)
      d.push({
        severity: "info",
        source: "docx:tracked-changes",
        message: `tracked changes read as accepted: ${c.inserted} insertion(s) kept, ${c.deleted} deletion(s) and ${c.movedFrom} move(s) away dropped, ${c.deletedRows} deleted row(s) dropped`,
      });
    if (c.textBoxes)
      d.push({ severity: "info", source: "docx:text-box", message: `${c.textBoxes} text box(es): their text follows the paragraph or cell text they are anchored in` });
    if (c.fields) d.push({ severity: "info", source: "docx:fields", message: `${c.fields} field(s): results kept, instructions dropped` });
    if (this.unbalancedFields)
      d.push({ severity: "warning", source: "docx:fields", message: "a field is not closed (or closed twice): text inside it may be missing" });
    if (c.symbols) d.push({ severity: "info", source: "docx:symbols", message: `${c.symbols} symbol character(s) (w:sym) mapped to Unicode where known` });
    if (c.altChunks)
      d.push({ severity: "warning", source: "docx:alt-chunk", message: `${c.altChunks} imported chunk(s) (w:altChunk, e.g. pasted HTML) are not read` });
  }
}

// ---------------------------------------------------------------- helpers

/** Elements with this tag (w:tr, w:tc) among `list`, through content controls, custom XML and alternate content. */
function unwrapped(tag: "w:tr" | "w:tc", list: XNode[]): XNode[] {
  const out: XNode[] = [];
  for (const n of list) {
    const t = tagOf(n);
    if (t === tag) out.push(n);
    else if (t === "w:sdt") {
      const content = child(n, "w:sdtContent");
      if (content) out.push(...unwrapped(tag, kids(content)));
    } else if (t === "w:customXml") out.push(...unwrapped(tag, kids(n)));
    else if (t === "mc:AlternateContent") {
      const b = chooseBranch(n);
      if (b) out.push(...unwrapped(tag, kids(b)));
    }
  }
  return out;
}

/** Rows of a table. */
const rowsOf = (list: XNode[]) => unwrapped("w:tr", list);

/** A cell's own text past which, beside a table in it, the cell is a page's frame rather than a table's cell (as extractors/html/blocks.ts). */
const LAYOUT_TEXT = 200;

/**
 * A table used for page layout rather than data (the rule of the HTML reader's
 * isLayoutTable): a single cell holding a table, or several paragraphs, or more than
 * LAYOUT_TEXT characters (a border box around the report); or a cell holding a table
 * together with such text (the article beside a column of links). A data table whose cell
 * holds a small table (a header split in two) stays a table.
 */
function isLayoutTable(tbl: XNode): boolean {
  const cells: XNode[] = [];
  for (const tr of rowsOf(kids(tbl))) cells.push(...cellsOf(kids(tr)));
  // Only a one-cell table or a cell holding a table can be layout: a data table's text is never counted.
  for (const tc of cells) {
    const tables = holdsTable(tc);
    if (cells.length !== 1 && !tables) continue;
    if (tables && cells.length === 1) return true;
    let paragraphs = 0;
    let chars = 0;
    for (const n of kids(tc)) {
      if (tagOf(n) !== "w:p") continue;
      const length = textLength(n);
      if (length > 0) paragraphs++;
      chars += length;
    }
    if (paragraphs >= 3 || chars > LAYOUT_TEXT) return true;
  }
  return false;
}

/** Whether a cell holds a table. */
const holdsTable = (tc: XNode) => kids(tc).some((n) => tagOf(n) === "w:tbl");

/** Characters of text (w:t) anywhere under a node. */
function textLength(n: XNode): number {
  if (tagOf(n) === "w:t") return textOf(n).length;
  let total = 0;
  for (const c of kids(n)) total += textLength(c);
  return total;
}
/** Cells of a row. */
const cellsOf = (list: XNode[]) => unwrapped("w:tc", list);

/** Always mc:Choice when there is one (Word writes the same content in both), else mc:Fallback. */
function chooseBranch(n: XNode): XNode | undefined {
  return child(n, "mc:Choice") ?? child(n, "mc:Fallback");
}

/**
 * The relationship ids of the pictures inside a drawing or VML shape: DrawingML's
 * `a:blip r:embed`, VML's `v:imagedata r:id` (an mc:AlternateContent read once, by its
 * chosen branch). Pictures inside a text box are its paragraphs' own.
 */
function collectPictures(list: XNode[], out: string[]): void {
  for (const n of list) {
    const tag = tagOf(n);
    if (tag === "#text" || tag === "w:txbxContent") continue;
    if (tag === "a:blip") {
      const rid = attr(n, "r:embed");
      if (rid) out.push(rid);
    } else if (tag === "v:imagedata") {
      const rid = attr(n, "r:id");
      if (rid) out.push(rid);
    } else if (tag === "mc:AlternateContent") {
      const b = chooseBranch(n);
      if (b) collectPictures(kids(b), out);
    } else collectPictures(kids(n), out);
  }
}

/** Text box contents inside a drawing or VML shape, each taken once. */
function collectTextBoxes(list: XNode[], out: XNode[], counts: Counts): void {
  for (const n of list) {
    const tag = tagOf(n);
    if (tag === "#text") continue;
    if (tag === "w:txbxContent") {
      out.push(n);
      counts.textBoxes++;
    } else if (tag === "mc:AlternateContent") {
      const b = chooseBranch(n);
      if (b) collectTextBoxes(kids(b), out, counts);
    } else collectTextBoxes(kids(n), out, counts);
  }
}

function mathText(list: XNode[]): string {
  let s = "";
  for (const n of list) {
    const tag = tagOf(n);
    if (tag === "m:t") s += textOf(n);
    else if (tag !== "#text" && tag !== "w:rPr" && tag !== "m:rPr") s += mathText(kids(n));
  }
  return s;
}

function count(n: XNode | undefined): number {
  if (!n) return 0;
  const v = Number.parseInt(attr(n, "w:val") ?? "", 10);
  return Number.isFinite(v) && v > 0 ? Math.min(v, 1000) : 0;
}

function isOff(v: string | undefined): boolean {
  return v === "0" || v === "false" || v === "off";
}

function clip(s: string): string {
  return s.length > 20 ? s.slice(0, 20) + "…" : s;
}

const SYMBOL_FONT: Record<number, string> = {
  0x22: "∀", 0x24: "∃", 0x27: "∋", 0x2a: "∗", 0x2d: "−", 0x40: "≅", 0x5c: "∴", 0x5e: "⊥",
  0xa3: "≤", 0xa5: "∞", 0xb0: "°", 0xb1: "±", 0xb3: "≥", 0xb4: "×", 0xb7: "•", 0xb8: "÷",
  0xb9: "≠", 0xba: "≡", 0xbb: "≈", 0xbc: "…", 0xbe: "—", 0xd6: "√", 0xd7: "⋅", 0xae: "→",
};
const SYMBOL_GREEK_UPPER = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
const SYMBOL_GREEK_LOWER = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
const WINGDINGS: Record<number, string> = { 0x6c: "●", 0x6e: "■", 0x6f: "□", 0x9f: "•", 0xa8: "□", 0xfb: "✗", 0xfc: "✓", 0xfd: "☒", 0xfe: "☑" };

/** A w:sym character: fonts' private-use codes (F000–F0FF) mapped to Unicode where known. */
function symbol(font: string | undefined, hex: string | undefined): string {
  const code = Number.parseInt(hex ?? "", 16);
  if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff) return "";
  const low = code >= 0xf000 && code <= 0xf0ff ? code - 0xf000 : code;
  const f = (font ?? "").toLowerCase();
  if (f === "symbol" && low < 0x100) {
    if (SYMBOL_FONT[low]) return SYMBOL_FONT[low];
    if (low >= 0x41 && low <= 0x5a) return SYMBOL_GREEK_UPPER[low - 0x41];
    if (low >= 0x61 && low <= 0x7a) return SYMBOL_GREEK_LOWER[low - 0x61];
    if (low >= 0x20 && low < 0x7f) return String.fromCharCode(low);
  }
  if (f.startsWith("wingdings") && WINGDINGS[low]) return WINGDINGS[low];
  return String.fromCodePoint(code);
}
