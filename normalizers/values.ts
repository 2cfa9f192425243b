// Reading one table cell as a number. The rule of the contract: a blank cell is null,
// not 0; `-`, `—`, `/`, `无` are null too; a number with more around it gives the
// number, and what else the cell says is reported. Nothing is ever guessed.
import { fold } from "../model/text.js";

export type ValueKind = "count" | "signed" | "amount";
export type Unit = "wanYuan" | "yuan";
/** A unit as printed (万元, 元), and back. */
export const UNIT_PRINTED: Record<Unit, string> = { wanYuan: "万元", yuan: "元" };
export const unitPrinted = (word: string): Unit | null => (word === "万元" ? "wanYuan" : word === "元" ? "yuan" : null);

/** How a cell reads, in the record's terms (model/provenance.ts ValueStatus, less split/ocr, which come from Cell.read). */
export type CellStatus = "printed" | "blank" | "dash" | "note" | "unreadable";

export interface CellReading {
  value: number | null;
  status: CellStatus;
  /** Why the value is null, or what else the cell held; becomes a diagnostic. */
  note?: string;
  /** The diagnostic's stable code (docs/record.md), with `note`. */
  code?: string;
}

/** Dashes, slashes and 无: printed to say "nothing", read as null. */
const NOTHING = /^(?:[-－—–―‐‑/／\\、]+|无|空|暂无)$/;
/** A value's place whose content the reader could not read (OCR's "?", a PDF's digits cut at its page's edge, one "?" a digit): a value cell, read as null. */
const UNREAD = /^[?？]+$/;
/** A number at the start of a cell: sign, digits with optional thousands commas, decimals. */
const NUMBER = /^([+＋\-−－]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?/;
/** What may follow a number in a value cell without making it a label. */
const TRAILER = /^(?:万元|元|件|个|项|条|次|家|人|份|宗|起|%)?(?:[(（\[【].*[)）\]】])?$/;
/** A count's unit after the number (3件): part of the count, not something more the cell says. */
const COUNT_UNIT = /^(?:件|个|项|条|次|家|人|份|宗|起)$/;

function normalizeCell(text: string): string {
  // fold() removes all whitespace, so digits typed with spaces ("1 2") read as one number;
  // that only happens inside one cell, where the spaces cannot separate two columns.
  // A change printed in words (增3, 减4, 减少4: the 2019 form's 本年增/减) is a signed number.
  const t = fold(text).replace(/，/g, ",");
  return WORD_SIGN.test(t) ? t.replace(WORD_SIGN, (w) => (w[0] === "增" ? "+" : "-")) : t;
}
/** 增 / 增加 / 减 / 减少 right before a number. */
const WORD_SIGN = /^(?:增加?|减少?)(?=\d)/;

/** Whether a cell reads as a value (a number, or a printed "nothing"), not a label. */
const valueLike = new Map<string, boolean>();
export function isValueLike(text: string): boolean {
  // Most cells a mapping asks about are labels, which open with a Han character, or blanks:
  // those are answered from their first character past ASCII spaces, before the cache (whose
  // lookup hashes each new cell text). A value opens with a sign, a digit, a dash, ?, the
  // 无, 空 or 暂 (暂无) of a printed "nothing", or the 增/减 of a change in words; fold() keeps a
  // Han character first.
  const i = pastAsciiSpaces(text);
  if (i === text.length) return false; // empty or ASCII spaces only: folds to nothing
  const c = text.charCodeAt(i);
  if (c >= 0x4e00 && c <= 0x9fff && c !== 0x65e0 /* 无 */ && c !== 0x7a7a /* 空 */ && c !== 0x6682 /* 暂 */ && c !== 0x589e /* 增 */ && c !== 0x51cf /* 减 */) return false;
  let v = valueLike.get(text);
  if (v === undefined) {
    v = computeValueLike(text);
    if (valueLike.size > 50_000) valueLike.clear();
    valueLike.set(text, v);
  }
  return v;
}

function computeValueLike(text: string): boolean {
  const t = normalizeCell(text);
  if (t === "") return false;
  if (NOTHING.test(t) || UNREAD.test(t)) return true;
  const m = NUMBER.exec(t);
  if (!m) return false;
  return TRAILER.test(t.slice(m[0].length));
}

export function isBlank(text: string): boolean {
  // Most cells are empty, or open with a character folding keeps (a digit, a Han character,
  // `（`): those are answered from their first character past ASCII spaces, without folding
  // (NFKC is the costly part of reading a cell). Only the rest are folded.
  const i = pastAsciiSpaces(text);
  if (i === text.length) return true; // empty, or ASCII spaces only: fold() removes them all
  return keptByFold(text.charCodeAt(i)) ? false : normalizeCell(text) === "";
}

/** Where a cell's text starts past its leading ASCII white space (text.length: nothing else). */
function pastAsciiSpaces(text: string): number {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && (c < 9 || c > 13)) break;
    i++;
  }
  return i;
}

/**
 * Whether fold() keeps this character, whatever follows it: printable ASCII but the
 * quotes it drops and the `[` a marker opens with; a full-width form (NFKC makes it that
 * printable ASCII) but the full-width quotes; a Han character.
 */
function keptByFold(c: number): boolean {
  if (c > 32 && c < 127) return c !== 34 && c !== 39 && c !== 91;
  if (c >= 0xff01 && c <= 0xff5e) return c !== 0xff02 && c !== 0xff07;
  return c >= 0x4e00 && c <= 0x9fff;
}

/**
 * Read a cell. `unit` is the unit the record key names (fees in 万元, procurement in
 * 元); a unit printed in the cell is converted to it.
 */
export function readCell(text: string, kind: ValueKind, unit?: Unit, headerUnit?: Unit | null): CellReading {
  // Counts are most of a record's ~200 cells and their texts repeat ("0", "1", ""): each
  // text is read once (bounded). A reading is never changed by its callers.
  if (kind !== "count" || unit !== undefined) return read(text, kind, unit, headerUnit ?? null);
  let r = countReadings.get(text);
  if (r === undefined) {
    r = read(text, kind, unit);
    if (countReadings.size > 50_000) countReadings.clear();
    countReadings.set(text, r);
  }
  return r;
}
const countReadings = new Map<string, CellReading>();

function read(text: string, kind: ValueKind, unit?: Unit, headerUnit: Unit | null = null): CellReading {
  const raw = text.trim();
  const t = normalizeCell(text);
  const unreadable = (code: string, note: string): CellReading => ({ value: null, status: "unreadable", code, note });
  if (t === "") return { value: null, status: "blank", code: "cell.blank", note: "blank" };
  if (NOTHING.test(t)) return { value: null, status: "dash", code: "cell.dash", note: `printed as "${raw}"` };
  if (UNREAD.test(t)) return unreadable("cell.notNumber", `a value the reader could not read ("${raw}": digits OCR was not sure of, or cut at a PDF page's edge; the document's notes say which)`);
  const m = NUMBER.exec(t);
  if (!m) return unreadable("cell.notNumber", `not a number: "${raw}"`);
  const sign = m[1] === "" || m[1] === "+" || m[1] === "＋" ? 1 : -1;
  const intPart = m[2].replace(/,/g, "");
  // No count or amount of a report runs to 13 digits: that is several numbers run together
  // (cells with no padding between them, printed as one run of digits).
  if (intPart.length > 12) return unreadable("cell.runTogether", `${intPart.length} digits in one cell, too many for one value (numbers of several cells run together?): "${raw}"`);
  const frac = m[3] ?? "";
  let value = sign * Number(frac ? `${intPart}.${frac}` : intPart);
  const rest = t.slice(m[0].length);
  // Each note with its code; the first code names the reading's diagnostic.
  const notes: { code: string; note: string }[] = [];
  if (m[1] === "+" || m[1] === "＋") notes.push({ code: "cell.signed", note: `printed with a sign: "${raw}"` });
  if (sign < 0 && kind !== "signed") return unreadable("cell.negative", `negative where a count is expected: "${raw}"`);

  const printedUnit = unitPrinted(/^万?元/.exec(rest)?.[0] ?? "");
  // A unit the column's header printed (采购总金额（万元）) holds for a cell that prints none.
  const cellUnit = printedUnit ?? (unit ? headerUnit : null);
  if (cellUnit && unit && cellUnit !== unit) {
    // Convert exactly in decimal: 12.34万元 → 123400元; 251000元 → 25.1万元.
    value = cellUnit === "wanYuan" ? scale(value, 4) : scale(value, -4);
    notes.push({ code: "cell.unitConverted", note: `"${raw}"${printedUnit ? "" : ` (in ${UNIT_PRINTED[cellUnit]}, as its column's header says)`} converted to ${UNIT_PRINTED[unit]}` });
  } else if (!cellUnit && unit === "yuan" && value !== 0) {
    // 元 is the record's unit, not the template's (the 2019 template prints no unit for
    // 采购总金额): a report may mean 万元.
    notes.push({ code: "cell.unitNotPrinted", note: `no unit printed in the cell or its column's header; read as 元 (where the report means 万元, the value is 10,000 times too small)` });
  } else if (printedUnit && !unit) {
    notes.push({ code: "cell.unitInCount", note: `unit printed in a count cell: "${raw}"` });
  }
  const extra = printedUnit ? rest.replace(/^万?元/, "") : rest;
  const says = extra !== "" && !COUNT_UNIT.test(extra);
  if (says) notes.push({ code: "cell.note", note: `cell also says "${extra}" (read ${value})` });
  if (kind !== "amount" && !Number.isInteger(value)) return unreadable("cell.notWhole", `not a whole number: "${raw}"`);
  if (rest && !TRAILER.test(rest)) return unreadable("cell.notNumber", `not a number: "${raw}"`);
  const status: CellStatus = says ? "note" : "printed";
  if (!notes.length) return { value, status };
  const main = notes.find((n) => n.code === "cell.note") ?? notes[0];
  return { value, status, code: main.code, note: notes.map((n) => n.note).join("; ") };
}

/** Multiply by 10^exp without binary floating-point noise. */
function scale(v: number, exp: number): number {
  const [mant, e = "0"] = v.toExponential().split("e");
  return Number(`${mant}e${Number(e) + exp}`);
}
