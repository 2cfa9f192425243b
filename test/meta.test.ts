import { describe, expect, it } from "vitest";
import { paragraph, type Document } from "../model/document.js";
import { readDate, readMeta } from "../normalizers/meta.js";

const doc = (...texts: string[]): Document => ({ blocks: texts.map((t) => paragraph(t)), meta: {}, diagnostics: [] });

describe("organ, year, date and sections", () => {
  it("reads the organ and year from titles typed in different ways", () => {
    expect(readMeta(doc("关于东城区商务局2023年政府信息公开工作年度报告"))).toMatchObject({ organ: "东城区商务局", year: 2023 });
    expect(readMeta(doc("2022年度北京市东城区人民政府政府信息公开工作年度报告"))).toMatchObject({ organ: "北京市东城区人民政府", year: 2022 });
    expect(readMeta(doc("某某街道办事处", "二〇二一年政府信息公开工作年度报告", "一、总体情况"))).toMatchObject({ organ: "某某街道办事处", year: 2021 });
    expect(readMeta(doc("# 某某镇人民政府2020年度政府信息公开工作报告"))).toMatchObject({ organ: "某某镇人民政府", year: 2020 });
  });

  it("reads the closing date in digits or Chinese numerals, past a page number", () => {
    expect(readDate("2025年1月13日")).toBe("2025-01-13");
    expect(readDate("二〇二三年一月十五日")).toBe("2023-01-15");
    expect(readDate("2024年2月30日")).toBeNull();
    const m = readMeta(doc("某局2024年政府信息公开工作年度报告", "六、其他需要报告的事项", "无。", "某局", "二〇二五年一月三十一日", "3"));
    expect(m.publishedOn).toBe("2025-01-31");
    expect(m.sections).toEqual([{ number: 6, title: "其他需要报告的事项", text: "无。" }]);
  });

  it("says what it could not read instead of guessing", () => {
    const m = readMeta(doc("政府信息公开工作年度报告", "一、总体情况", "本年度工作平稳。"));
    expect(m.organ).toBeNull();
    expect(m.year).toBeNull();
    expect(m.publishedOn).toBeNull();
    expect(m.diagnostics.map((d) => [d.code, d.severity, d.key])).toEqual(expect.arrayContaining([
      ["meta.noOrgan", "warning", "organ"],
      ["meta.noYear", "warning", "year"],
      ["meta.noDate", "info", "publishedOn"],
    ]));
    expect(m.provenance).toMatchObject({ organ: { status: "unreadable" }, year: { status: "unreadable" }, publishedOn: { status: "unreadable" } });
  });
});
