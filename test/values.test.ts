import { describe, expect, it } from "vitest";
import { isBlank, isValueLike, readCell } from "../normalizers/values.js";
import { fold } from "../model/text.js";

describe("reading a cell", () => {
  it("reads plain, full-width, spaced and comma-grouped numbers", () => {
    expect(readCell("17", "count")).toEqual({ value: 17, status: "printed" });
    expect(readCell("１２３", "count")).toEqual({ value: 123, status: "printed" });
    expect(readCell(" 1 2 ", "count")).toEqual({ value: 12, status: "printed" });
    expect(readCell("1,234", "count")).toEqual({ value: 1234, status: "printed" });
    expect(readCell("1，234", "count")).toEqual({ value: 1234, status: "printed" });
  });

  it("reads a run of 13+ digits (several cells' numbers run together) as null, saying so; 12 digits still read", () => {
    const r = readCell("39453996404440984155420624444", "count");
    expect(r.value).toBeNull();
    expect(r.note).toContain("29 digits in one cell");
    expect(readCell("123456789012", "count")).toEqual({ value: 123456789012, status: "printed" });
  });

  it("reads blanks and printed nothings as null, saying which", () => {
    expect(readCell("", "count")).toEqual({ value: null, status: "blank", code: "cell.blank", note: "blank" });
    expect(readCell("\u00a0", "count").value).toBeNull();
    for (const t of ["-", "—", "/", "无", "／", "——"]) {
      const r = readCell(t, "count");
      expect(r.value).toBeNull();
      expect(r.note).toContain(t);
    }
  });

  it("gives the number of a cell that says more, and reports the rest", () => {
    const r = readCell("55（含自然失效29件）", "count");
    expect(r.value).toBe(55);
    expect(r.note).toContain("含自然失效29件");
    const plus = readCell("+3", "signed");
    expect(plus.value).toBe(3);
    expect(plus.note).toContain("+3");
    expect(readCell("-4", "signed").value).toBe(-4);
    expect(readCell("-4", "count").value).toBeNull();
  });

  it("converts a printed unit to the key's unit exactly", () => {
    expect(readCell("251000元", "amount", "wanYuan").value).toBe(25.1);
    expect(readCell("12.34万元", "amount", "yuan").value).toBe(123400);
    expect(readCell("0.35", "amount", "wanYuan")).toEqual({ value: 0.35, status: "printed" });
    expect(readCell("3.5", "count").value).toBeNull();
  });

  it("reads a change printed in words (增3, 减4, 减少4) as a signed number, and never as a count", () => {
    expect(readCell("减4", "signed")).toMatchObject({ value: -4, status: "printed" });
    expect(readCell("减少 18", "signed").value).toBe(-18);
    expect(readCell("增3", "signed")).toMatchObject({ value: 3, code: "cell.signed" });
    expect(readCell("增加12", "signed").value).toBe(12);
    expect(readCell("减4", "count")).toMatchObject({ value: null, code: "cell.negative" });
    expect(isValueLike("减4")).toBe(true);
    expect(isValueLike("增 3")).toBe(true);
  });

  it("tells value cells from labels that start with a number", () => {
    expect(isValueLike("1.属于国家秘密")).toBe(false);
    expect(isValueLike("2.重复申请")).toBe(false);
    expect(isValueLike("3")).toBe(true);
    expect(isValueLike("—")).toBe(true);
    expect(isValueLike("55（含自然失效29件）")).toBe(true);
    expect(isValueLike("")).toBe(false);
  });

  it("a value OCR could not read (\"?\") holds a value's place, and reads as null, not a number", () => {
    // The row's first value unread must not become part of its label (6 values for 7 columns).
    expect(isValueLike("?")).toBe(true);
    expect(isValueLike("？")).toBe(true);
    expect(isValueLike("?属于")).toBe(false);
    expect(readCell("?", "count")).toMatchObject({ value: null, status: "unreadable", code: "cell.notNumber" });
  });
});

// isBlank and isValueLike answer most cells from their first character, without folding
// (normalizers/values.ts): these hold the shortcuts to what folding the whole cell gives.
describe("the first-character shortcuts of isBlank and isValueLike", () => {
  it("isBlank agrees with folding the whole cell, for every character of the BMP with spaces before and endings after", () => {
    const disagree: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      for (const s of [ch, ` ${ch}`, `\t${ch}1`, `${ch}】`, ` ${ch} `]) {
        const folded = fold(s).replace(/，/g, ",") === "";
        if (isBlank(s) !== folded) disagree.push(`U+${c.toString(16)} in ${JSON.stringify(s)}`);
      }
    }
    expect(disagree.slice(0, 10)).toEqual([]);
  });

  it("isValueLike: a cell opening with a Han character is a label, but for the 无, 空 and 暂无 of a printed nothing and a change in words", () => {
    const valueLikeHan: string[] = [];
    for (let c = 0x4e00; c <= 0x9fff; c++) if (isValueLike(`${String.fromCharCode(c)}12`) || isValueLike(` ${String.fromCharCode(c)}项`)) valueLikeHan.push(String.fromCharCode(c));
    // 减12 and 增12 are changes (the 2019 form's 本年增/减); 无 and 空 alone are value-like (below),
    // followed by more they are labels like any other.
    expect(valueLikeHan).toEqual(["减", "增"]);
    for (const label of ["减免", "增加", " 减 ", "增值税12"]) expect(isValueLike(label), label).toBe(false);
    for (const nothing of ["无", " 空", "\t暂无", "  无  "]) expect(isValueLike(nothing), nothing).toBe(true);
    for (const blank of ["", "   ", "\t\n"]) expect(isValueLike(blank)).toBe(false);
    expect(isValueLike(" 12件")).toBe(true);
  });
});
