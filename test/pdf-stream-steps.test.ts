// The named steps of the unruled-table reader (extractors/pdf/stream.ts) one at a time:
// what a value looks like, what opens an item, how a line falls into chunks, which lines
// are a table's rows.
import { describe, expect, it } from "vitest";
import type { Line, Piece } from "../extractors/pdf/geometry.js";
import { chunks, isDataLine, isNumber, MARKER, SECTION } from "../extractors/pdf/stream.js";
import { SIZE } from "./helpers/stream.js";

/** A line of pieces placed exactly: [text, x0, x1]. */
const line = (...ps: [string, number, number, number?][]): Line => {
  const pieces: Piece[] = ps.map(([str, x0, x1, track]) => ({ str, x0, x1, y: 500, size: SIZE, ...(track !== undefined ? { track } : {}) }));
  return { page: 1, y: 500, size: SIZE, x0: pieces[0].x0, x1: Math.max(...pieces.map((p) => p.x1)), text: ps.map((p) => p[0]).join(""), pieces };
};
const strs = (ps: Piece[]) => ps.map((p) => [p.str, p.x0, p.x1]);

describe("what a value looks like", () => {
  it("a number as printed: signed, with thousands separators, decimals, a count's unit, an amount's, full-width", () => {
    for (const s of ["12", "+3", "-12", "1,234", "1，234", "12.34", ".25", "12%", "3件", "12.5万元", "251000元", "１２", "１２．５"]) expect(isNumber(s), s).toBe(true);
  });

  it("a printed nothing: a dash, a slash, 无", () => {
    for (const s of ["—", "–", "-", "/", "／", "无", "空", "暂无"]) expect(isNumber(s), s).toBe(true);
  });

  it("not a value: words, numbers with words around them, two numbers, a dot alone", () => {
    for (const s of ["规章", "x12", "12a", "第3", "12 13", "3件以上", "12.", ".", "1.5.3", "—无", "无无", "12万"]) expect(isNumber(s), s).toBe(false);
  });

  it("a section heading opens with 一、 to 十、 (any count of them), at the start only", () => {
    for (const s of ["三、本年度办理结果", "十二、其他", "四、结转"]) expect(SECTION.test(s), s).toBe(true);
    for (const s of ["（三）不予公开", "第三、", "a、b", "3.其他"]) expect(SECTION.test(s), s).toBe(false);
  });

  it("an item opens with 1. / （三） / 四、 or a title 第二十条", () => {
    for (const s of ["1.属于国家秘密", "（三）不予公开", "四、结转下年度继续办理", "第二十条第（一）项"]) expect(MARKER.test(s), s).toBe(true);
    for (const s of ["规章", "其他", "属于第二十条"]) expect(MARKER.test(s), s).toBe(false);
  });
});

describe("a line's chunks", () => {
  it("pieces less than 0.9 em apart are one chunk, spaced where they are words apart; further apart, two", () => {
    // 规范 + 性 touch (one word); 文件 two em away is another chunk; a Latin word a third of an em away is spaced.
    expect(strs(chunks(line(["规范", 60, 84], ["性", 84.5, 96.5], ["文件", 120, 144], ["ab", 160, 172], ["cd", 176, 188])))).toEqual([
      ["规范性", 60, 96.5],
      ["文件", 120, 144],
      ["ab cd", 160, 188],
    ]);
  });

  it("two numbers are two values when a fifth of an em apart, however close the columns", () => {
    expect(strs(chunks(line(["行一", 60, 84], ["11", 200, 212], ["12", 215, 227], ["3", 227.5, 233.5])))).toEqual([
      ["行一", 60, 84],
      ["11", 200, 212],
      ["123", 215, 233.5],
    ]);
    // A number and a word that close are apart as well (a label set right against its value).
    expect(strs(chunks(line(["合计", 60, 84], ["7", 88, 94])))).toEqual([
      ["合计", 60, 84],
      ["7", 88, 94],
    ]);
  });

  it("a chunk keeps the widest letter spacing of its pieces", () => {
    expect(chunks(line(["规 范", 60, 90, 3], ["性", 92, 104, 0]))[0].track).toBe(3);
    expect(chunks(line(["规", 60, 72, 0], ["范性", 74, 104, 2]))[0].track).toBe(2);
  });
});

describe("a table row's line", () => {
  const cs = (...ss: string[]) => ss.map((str, i): Piece => ({ str, x0: 60 + i * 60, x1: 100 + i * 60, y: 500, size: SIZE }));
  it("a label and then nothing but values", () => {
    expect(isDataLine(cs("行一", "1", "2"))).toBe(true);
    expect(isDataLine(cs("（一）", "予以公开", "1", "—"))).toBe(true);
    expect(isDataLine(cs("1", "2"))).toBe(true);
  });

  it("not: a label alone, values alone in one chunk, words after a number, no number", () => {
    expect(isDataLine(cs("行一"))).toBe(false);
    expect(isDataLine(cs("12"))).toBe(false);
    expect(isDataLine(cs("申请", "14374", "件，上年结转", "853"))).toBe(false);
    expect(isDataLine(cs("行一", "甲", "乙"))).toBe(false);
  });
});
