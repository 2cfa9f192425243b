// GB18030 pages are read by Node's own decoder where it gives what iconv-lite gives, and by
// iconv-lite otherwise (model/charset.ts, decodeGb18030Native). Here the two together are held
// to iconv-lite alone: on every two-byte code, every four-byte code, the codes on which the
// decoders disagree, and on invalid and truncated bytes.
import { describe, expect, it } from "vitest";
import iconv from "iconv-lite";
import { decode, decodeGb18030Native, decodeWith } from "../model/charset.js";

const reference = (bytes: Uint8Array) => iconv.decode(Buffer.from(bytes), "gb18030");
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** The 18 two-byte codes GB18030-2022 moved out of the Private Use Area, where the decoders differ. */
const REMAPPED = ["a6d9", "a6da", "a6db", "a6dc", "a6dd", "a6de", "a6df", "a6ec", "a6ed", "a6f3", "fe59", "fe61", "fe66", "fe67", "fe6d", "fe7e", "fe90", "fea0"];

describe("GB18030: the native decoder with iconv-lite as fallback", () => {
  it("disagrees with iconv-lite, among two-byte codes, on the 18 remapped ones only (raw native decoder)", () => {
    const raw = new TextDecoder("gb18030");
    const differ: string[] = [];
    for (let a = 0x81; a <= 0xfe; a++)
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const bytes = new Uint8Array([a, b]);
        if (raw.decode(bytes) !== reference(bytes)) differ.push(hex(bytes));
      }
    expect(differ).toEqual(REMAPPED);
  });

  it("equals iconv-lite on every two-byte code, the native path taken for all but the remapped ones", () => {
    const bad: string[] = [];
    const slow: string[] = [];
    for (let a = 0x81; a <= 0xfe; a++)
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        // Alone, and between ASCII and a common character (中 = D6D0).
        for (const bytes of [new Uint8Array([a, b]), new Uint8Array([0x41, a, b, 0xd6, 0xd0, 0x0a])]) {
          if (decodeWith(bytes, "gb18030") !== reference(bytes)) bad.push(hex(bytes));
        }
        if (decodeGb18030Native(new Uint8Array([a, b])) === null) slow.push(hex(new Uint8Array([a, b])));
      }
    expect(bad).toEqual([]);
    expect(slow).toEqual(REMAPPED);
  });

  it("reads a page holding a remapped code as iconv-lite does (the fallback)", () => {
    for (const code of REMAPPED) {
      const bytes = new Uint8Array([...Buffer.from("<p>", "latin1"), 0xd6, 0xd0, ...Buffer.from(code, "hex"), 0xce, 0xc4, ...Buffer.from("</p>", "latin1")]);
      expect(decodeGb18030Native(bytes)).toBeNull();
      expect(decodeWith(bytes, "gb18030")).toBe(reference(bytes));
    }
  });

  it("equals iconv-lite on every four-byte code (row by row), natively inside U+0080-FFFF and U+10000-10FFFF", () => {
    const bad: string[] = [];
    const native: string[] = [];
    for (let a = 0x81; a <= 0xfe; a++)
      for (let b = 0x30; b <= 0x39; b++) {
        // One row: every code a b xx yy, each also decoded alone at the row's edges.
        const row = new Uint8Array(126 * 10 * 4);
        let k = 0;
        for (let c = 0x81; c <= 0xfe; c++)
          for (let d = 0x30; d <= 0x39; d++) {
            row[k++] = a;
            row[k++] = b;
            row[k++] = c;
            row[k++] = d;
          }
        if (decodeWith(row, "gb18030") !== reference(row)) bad.push(`${hex(row.subarray(0, 2))}xxxx`);
        if (decodeGb18030Native(row) !== null) native.push(hex(row.subarray(0, 2)));
      }
    expect(bad).toEqual([]);
    // Rows wholly in the BMP range (81 30 … 84 30) and the supplementary range (90 30 … e3 31) read
    // natively, but for 82 35, which holds the four-byte codes of U+9FB4-9FBB (the check for the
    // remapped codes sends it to iconv-lite, which reads it the same).
    const expected: string[] = [];
    for (let a = 0x81; a <= 0xfe; a++)
      for (let b = 0x30; b <= 0x39; b++) {
        if (a === 0x82 && b === 0x35) continue;
        const whole = (a < 0x84 || (a === 0x84 && b === 0x30)) || (a >= 0x90 && (a < 0xe3 || (a === 0xe3 && b <= 0x31)));
        if (whole) expected.push(hex(new Uint8Array([a, b])));
      }
    expect(native).toEqual(expected);
  });

  it("equals iconv-lite on each four-byte code at the edges of the valid ranges", () => {
    const codes = ["81308130", "8431a439", "8431a530", "84319533", "8f39fe39", "90308130", "e3329a35", "e3329a36", "fe39fe39"];
    for (const c of codes) {
      const bytes = Buffer.from(`41${c}42`, "hex");
      expect(decodeWith(bytes, "gb18030"), c).toBe(reference(bytes));
    }
  });

  it("equals iconv-lite on invalid and truncated bytes", () => {
    const cases = [
      "80", "ff", "41ff42", "81", "8130", "813081", "8120", "81304120", "8130812041", "817f", "81ff", "81fe81", "c1",
      "d6d0ce", "d6d0ce41", "d6", "8431a5", "84319533", "a1a1ff", "fe39fe", "8130ff30", "81308130ff", "3081",
    ];
    for (const c of cases) {
      const bytes = Buffer.from(c, "hex");
      expect(decodeWith(bytes, "gb18030"), c).toBe(reference(bytes));
    }
    // Every lead byte followed by every byte that cannot follow it (and by nothing).
    const bad: string[] = [];
    for (let a = 0x80; a <= 0xff; a++) {
      for (let b = 0; b <= 0xff; b++) {
        if ((b >= 0x40 && b <= 0xfe && b !== 0x7f) || (b >= 0x30 && b <= 0x39)) continue;
        const bytes = new Uint8Array([0x41, a, b, 0x42]);
        if (decodeWith(bytes, "gb18030") !== reference(bytes)) bad.push(hex(bytes));
      }
      const end = new Uint8Array([0x41, a]);
      if (decodeWith(end, "gb18030") !== reference(end)) bad.push(hex(end));
    }
    expect(bad).toEqual([]);
  });

  it("equals iconv-lite on 3,000 random byte strings mixing valid, remapped and invalid codes", () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), Math.floor((seed / 2 ** 31) * n));
    const pieces = [
      [0x41], [0x0a], [0x3c, 0x70, 0x3e], [0xd6, 0xd0], [0xce, 0xc4], [0xa1, 0xa1], [0x81, 0x30, 0x81, 0x30], [0x95, 0x32, 0x82, 0x36],
      [0xa6, 0xd9], [0xfe, 0x59], [0x80], [0xff], [0x81], [0x81, 0x30], [0x84, 0x31, 0xa5, 0x30], [0xe3, 0x32, 0x9a, 0x36],
    ];
    const bad: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const parts: number[] = [];
      const n = rnd(12);
      for (let k = 0; k < n; k++) parts.push(...pieces[rnd(pieces.length)]);
      const bytes = new Uint8Array(parts);
      if (decodeWith(bytes, "gb18030") !== reference(bytes)) bad.push(hex(bytes));
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });

  it("decode() sniffs and reads a GBK page as before", () => {
    const bytes = iconv.encode("<html><body><p>中文政府信息公开工作年度报告</p></body></html>", "gbk");
    expect(decode(bytes)).toEqual({ text: reference(bytes), encoding: "gb18030", by: "sniffed" });
    expect(decode(bytes, "gb2312")).toEqual({ text: reference(bytes), encoding: "gb18030", by: "declared" });
  });
});
