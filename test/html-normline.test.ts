// normLine answers a line with nothing to collapse or remove by one scan (isClean in
// extractors/html/dom.ts); here it is held to the three regex passes it skips, on lines
// made of every whitespace and zero-width character among wide and narrow ones.
import { describe, expect, it } from "vitest";
import { normLine } from "../extractors/html/dom.js";

const WIDE = /[\u1100-\u115f\u2e80-\u2fff\u3001-\u303f\u3040-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff60\uffe0-\uffe6]/;
/** normLine as it was, every line through the regexes. */
function reference(raw: string): string {
  const s = raw.replace(/[\u200b-\u200d\u2060\ufeff]/g, "");
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
});
