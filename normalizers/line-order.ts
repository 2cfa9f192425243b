// Table 3 rows of converter-ordered text whose numbers stand on several lines, confirmed
// by the template's arithmetic or read as null.
//
// Text that does not keep the page's layout (pdftotext without -layout) writes a row's
// cells block by block (runs of lines between blank lines) in the converter's own order.
// The lines of one block keep the page's order; blocks usually do too, but not always: a
// real printing of 381 384 388 390 391 394 came out as six blocks 381, 391, 394, 384, 388, 390.
// (A converter writing every cell on a line of its own with no blank lines, LibreOffice's
// text export, writes them in the document's order: one block.) The numbers are
// the row's; their columns are not sure. Table 3's arithmetic can make them sure: each
// column's 一 + 二 = （七）总计 + 四 and （七）总计 = （一）…（六）, each row's six applicant
// columns add up to its 总计. A row whose every column is in an identity that holds (all of
// its terms read), and in none that fails, is read; any other is null (`row.lineOrder`).
// Rows of one block, and rows whose numbers are all the same (a row of zeros reads alike in
// any order), need no confirming.
import { OTHER_ROW_2019, OTHER_ROWS_2021, REQUEST_COLUMNS } from "../data/keys.js";
import type { RawRow } from "./assemble.js";
import { readCell } from "./values.js";

/** Whether a row's numbers stand in more than one of the converter's blocks (Cell.block) and are not all the same. */
export function spreadOverBlocks(raw: RawRow): boolean {
  const blocks = new Set<number>();
  const values = new Set<string>();
  raw.cells.forEach((c, i) => {
    const block = raw.refs[i]?.cell.block;
    if (c === null || block === undefined) return;
    blocks.add(block);
    values.add(c);
  });
  return blocks.size > 1 && values.size > 1;
}

/**
 * An identity over cells (row key, column): the first group's sum equals the second's.
 * Holding, it confirms the columns of `confirms` (default: every cell in it); failing, it
 * leaves every row in it unconfirmed.
 */
interface Identity {
  left: [string, number][];
  right: [string, number][];
  confirms?: [string, number][];
}

const OUTSIDE_RESULTS = new Set(["newReceived", "carriedOver", "total", "carriedForward"]);
const TOTAL_COLUMN = REQUEST_COLUMNS.length - 1;

function identities(keys: string[]): Identity[] {
  const threeOthers = OTHER_ROWS_2021.some((k) => keys.includes(k));
  const results = keys.filter((k) => !OUTSIDE_RESULTS.has(k) && !(k === OTHER_ROW_2019 && threeOthers));
  const out: Identity[] = [];
  for (let c = 0; c < REQUEST_COLUMNS.length; c++) {
    out.push({ left: [["newReceived", c], ["carriedOver", c]], right: [["total", c], ["carriedForward", c]] });
    out.push({ left: results.map((k) => [k, c]), right: [["total", c]] });
  }
  // A row's own total holds whatever the order of its six parts: it places only the total.
  for (const k of keys) out.push({ left: [...Array(TOTAL_COLUMN).keys()].map((c) => [k, c]), right: [[k, TOTAL_COLUMN]], confirms: [[k, TOTAL_COLUMN]] });
  return out;
}

/**
 * The provisional rows (keys of `raw`) the arithmetic does not confirm: each is to be read
 * as null. `raw` holds every table 3 row found, by key.
 */
export function unconfirmed(raw: Map<string, RawRow>, provisional: Set<string>): string[] {
  if (provisional.size === 0) return [];
  const value = (key: string, c: number): number | null => {
    const text = raw.get(key)?.cells[c];
    return text === null || text === undefined ? null : readCell(text, "count").value;
  };
  const sum = (cells: [string, number][]): number | null => {
    let s = 0;
    for (const [k, c] of cells) {
      const v = value(k, c);
      if (v === null) return null;
      s += v;
    }
    return s;
  };
  const held = new Set<string>();
  const failed = new Set<string>();
  for (const id of identities([...raw.keys()])) {
    const l = sum(id.left);
    const r = sum(id.right);
    if (l === null || r === null) continue;
    if (l === r) for (const [k, c] of id.confirms ?? [...id.left, ...id.right]) held.add(`${k}/${c}`);
    else for (const [k] of [...id.left, ...id.right]) failed.add(k);
  }
  return [...provisional].filter((k) => failed.has(k) || REQUEST_COLUMNS.some((_, c) => !held.has(`${k}/${c}`)));
}
