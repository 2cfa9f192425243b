// normLine reads a line in one scan (extractors/html/dom.ts); here it is held to the regex
// passes it replaces, on lines made of every whitespace and zero-width character among
// wide and narrow ones, and to the implementation it replaced (a clean-line check, then
// the regexes), copied below, on many generated lines.
import { describe, expect, it } from "vitest";
import { normLine } from "../extractors/html/dom.js";

const WIDE = /[\u1100-\u115f\u2e80-\u2fff\u3001-\u303f\u3040-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff60\uffe0-\uffe6]/;
/**
 * The rule as regex passes: each whitespace run becomes one space, or nothing where it
 * holds a line break between two wide characters; trimmed. (Zero-width characters removed first.)
 */
function collapseRuns(s: string): string {
  return s
    .replace(/\s+/g, (run: string, offset: number, all: string) => {
      if (run.includes("\n") || run.includes("\r")) {
        const a = all[offset - 1];
        const b = all[offset + run.length];
        if (a !== undefined && b !== undefined && WIDE.test(a) && WIDE.test(b)) return "";
      }
      return " ";
    })
    .trim();
}

/** normLine as it was, every line through the regexes. */
function reference(raw: string): string {
  return collapseRuns(raw.replace(/[\u200b-\u200d\u2060\ufeff]/g, ""));
}

// Every character \s matches, the zero-width ones, and ordinary ones (with neighbours of each).
const SPACES = [..."\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff"];
for (let c = 0x2000; c <= 0x200a; c++) SPACES.push(String.fromCharCode(c));
const ZERO = ["\u200b", "\u200c", "\u200d", "\u2060", "\u200e", "\u200f", "\u00ad"];
const OTHER = [..."a1,.-（）。收到申请件", "\u0008", "\u001f", "\u009f", "\u00a1", "\u167f", "\u1681", "\u1fff", "\u200e", "\u2027", "\u202a", "\u202e", "\u2030", "\u205e", "\u2061", "\u2fff", "\u3001", "\ufefe", "\ufeff", "\uff01"];
const ALPHABET = [...SPACES, ...ZERO, ...OTHER, " ", " ", "x", "中", "文"];

describe("normLine", () => {
  it("gives what the regex passes give, on every single character and on 20,000 random lines", () => {
    const bad: string[] = [];
    const check = (s: string) => {
      if (normLine(s) !== reference(s)) bad.push(JSON.stringify(s));
    };
    for (const c of ALPHABET) for (const d of ALPHABET) for (const s of [c, c + d, `a${c}b`, `中${c}${d}文`, `${c}x${d}`]) check(s);
    let seed = 1;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      let s = "";
      const n = Math.floor(rnd() * 12);
      for (let k = 0; k < n; k++) s += ALPHABET[Math.floor(rnd() * ALPHABET.length)];
      check(s);
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });

  it("gives what the implementation before the one scan gave, on 200,000 generated lines", () => {
    const bad: string[] = [];
    let seed = 12345;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), Math.floor((seed / 2 ** 31) * n));
    // Whole words too, so that lines look like a report's: runs of text between runs of space.
    const WORDS = ["收到申请", "行政复议", "12", "0", "（一）", "政府信息公开", "a", "Total", "件", "。"];
    for (let i = 0; i < 200_000; i++) {
      let s = "";
      const n = rnd(i % 10 === 0 ? 60 : 16);
      for (let k = 0; k < n; k++) s += rnd(3) === 0 ? WORDS[rnd(WORDS.length)] : ALPHABET[rnd(ALPHABET.length)];
      if (normLine(s) !== normLineBeforeOneScan(s)) bad.push(JSON.stringify(s));
    }
    // Every code unit, alone and between wide and narrow characters and line breaks.
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [ch, `中\n${ch}`, `${ch}\n文`, ` ${ch} `, `a\r\n${ch}\n\u200bb`, `${ch}${ch}`])
        if (normLine(s) !== normLineBeforeOneScan(s)) bad.push(JSON.stringify(s));
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });
});

/** normLine before the one scan (dom.ts up to the change): the clean-line check, then regex passes. Kept as the reference. */
const ZERO_WIDTH_BEFORE = /[\u200b-\u200d\u2060\ufeff]/g;
const SPACE_RUN_BEFORE = /\s+/g;
function normLineBeforeOneScan(raw: string): string {
  if (isCleanBeforeOneScan(raw)) return raw;
  let s = raw;
  if (ZERO_WIDTH_BEFORE.test(s)) s = s.replace(ZERO_WIDTH_BEFORE, "");
  ZERO_WIDTH_BEFORE.lastIndex = 0;
  if (s.indexOf("\n") < 0 && s.indexOf("\r") < 0) return s.replace(SPACE_RUN_BEFORE, " ").trim();
  return collapseRuns(s);
}

function isCleanBeforeOneScan(s: string): boolean {
  const n = s.length;
  if (n === 0) return true;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (i === 0 || i === n - 1 || s.charCodeAt(i - 1) === 32) return false;
      continue;
    }
    if (c < 32) {
      if (c >= 9 && c <= 13) return false;
      continue;
    }
    if (c < 0xa0) continue;
    if (
      c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200d) || c === 0x2028 || c === 0x2029 || c === 0x202f ||
      c === 0x205f || c === 0x2060 || c === 0x3000 || c === 0xfeff
    )
      return false;
  }
  return true;
}
