// Units of the hard-input work (issue 12): fragment sniffing, the run-on line cutter,
// labels detached from their numbers, numbered label variants, page chrome and page dates.
import { describe, expect, it } from "vitest";
import { cell, paragraph, type Cell, type Document, type Table } from "../model/document.js";
import { sniff } from "../extractors/index.js";
import { isRunOn, unrunLine } from "../extractors/runon.js";
import { attachLabelsBelow } from "../normalizers/detached.js";
import { LabelMatcher, numberedSimilarity } from "../normalizers/labels.js";
import { cleanText, foldLabel } from "../model/text.js";
import { REQUEST_ROW_DEFS } from "../data/template.js";
import { readMeta } from "../normalizers/meta.js";
import { sectionHeading } from "../model/sections.js";
import { statedReceived } from "../normalizers/split-hook.js";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("HTML fragments are sniffed as HTML", () => {
  it("by a first tag <p …> or <table>, without <html> or <body>", () => {
    expect(sniff(bytes('<p style="text-align:center"><b>某局2024年政府信息公开工作年度报告</b></p>'), "x")).toEqual({ kind: "html" });
    expect(sniff(bytes("<table><tr><td>规章</td></tr></table>"), "x")).toEqual({ kind: "html" });
    expect(sniff(bytes("\n  <span>一、总体情况</span><p>正文</p>"), "x.txt")).toEqual({ kind: "html" });
  });
  it("but text that merely mentions a tag stays text", () => {
    expect(sniff(bytes("一、总体情况\n本年度无申请。<注>见附件。"), "x.txt")).toEqual({ kind: "text" });
    expect(sniff(bytes("a < b and p > q"), "x")).toEqual({ kind: "text" });
  });
});

describe("a report run together on one line", () => {
  const line =
    "某局2024年政府信息公开工作年度报告根据《条例》编制本报告。一、总体情况本年度工作有序开展。二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章102" +
    "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况一、本年新收政府信息公开申请数量2100003（四）无法提供1.本机关不掌握相关政府信息20000022.没有现成信息需要另行制作0000000" +
    "四、政府信息公开行政复议、行政诉讼情况本年度情况如下。行政复议行政诉讼结果维持总计000001200300101五、存在的主要问题及改进情况无。六、其他需要报告的事项无。某局2025年1月2日";
  it("is recognised only when long and holding the section headings", () => {
    expect(isRunOn(line)).toBe(true);
    expect(isRunOn("一、总体情况二、主动公开政府信息情况")).toBe(false);
  });
  it("is cut into title, headings, prose and one line per table row, digits left whole", () => {
    const lines = unrunLine(line).filter(Boolean);
    expect(lines[0]).toBe("某局2024年政府信息公开工作年度报告");
    expect(lines).toContain("规章 102");
    expect(lines).toContain("一、本年新收政府信息公开申请数量 2100003");
    // the next item's number `2.` is not part of the digits before it
    expect(lines).toContain("1.本机关不掌握相关政府信息 2000002");
    expect(lines).toContain("2.没有现成信息需要另行制作 0000000");
    // table 4's digits on a line of their own, its header words apart; prose before it kept
    expect(lines).toContain("本年度情况如下。");
    expect(lines).toContain("000001200300101");
    expect(lines.slice(-2)).toEqual(["某局", "2025年1月2日"]);
  });
  it("keeps a sign or dash with its digits, so such a run is never cut (2019's 本年增/减)", () => {
    const l2019 = line.replace("规章102", "行政许可348-6672其他对外管理服务事项—12");
    const lines = unrunLine(l2019).filter(Boolean);
    expect(lines).toContain("行政许可 348-6672");
    expect(lines).toContain("其他对外管理服务事项 —12");
  });
});

describe("labels detached from their numbers", () => {
  const row = (...t: string[]): Cell[] => t.map((x) => cell(x));
  const doc = (rows: Cell[][]): Document => ({ blocks: [paragraph("三、收到和处理政府信息公开申请情况"), { kind: "table", rows, exactGrid: false } as Table], meta: {}, diagnostics: [] });
  const rowsOf = (d: Document) => (d.blocks[1] as Table).rows.map((r) => r.map((c) => c.text));
  it("pairs labels printed below their numbers when the run alternates strictly", () => {
    const d = doc([row("", "1", "2"), row("（一）予以公开", "", ""), row("", "3", "4"), row("（二）部分公开", "", "")]);
    expect(rowsOf(attachLabelsBelow(d).doc)).toEqual([["（一）予以公开", "1", "2"], ["（二）部分公开", "3", "4"]]);
  });
  it("pairs labels printed above their numbers in a converter's table (blank cells beside the label)", () => {
    const d = doc([row("（一）予以公开", "", ""), row("", "1", "2"), row("（二）部分公开", "", ""), row("", "3", "4")]);
    expect(rowsOf(attachLabelsBelow(d).doc)).toEqual([["（一）予以公开", "1", "2"], ["（二）部分公开", "3", "4"]]);
  });
  it("leaves a run that does not alternate as printed (two labels, then numbers: whose are they?)", () => {
    const rows = [row("（一）予以公开", "", ""), row("（二）部分公开", "", ""), row("", "3", "4")];
    expect(attachLabelsBelow(doc(rows)).attached).toBe(0);
    const rows2 = [row("", "1", "2"), row("", "3", "4"), row("（一）予以公开", "", "")];
    expect(attachLabelsBelow(doc(rows2)).attached).toBe(0);
  });
  it("passes over group labels alone on a row", () => {
    const d = doc([row("", "1", "2"), row("5.要求行政机关确认或重新出具已获取信息", "", ""), row("（六）其他处理", "", ""), row("", "3", "4"), row("3.其他", "", "")]);
    expect(rowsOf(attachLabelsBelow(d).doc)).toEqual([["5.要求行政机关确认或重新出具已获取信息", "1", "2"], ["（六）其他处理"], ["3.其他", "3", "4"]]);
  });
  it("never touches a real grid", () => {
    const d = doc([row("", "1", "2"), row("（一）予以公开", "", "")]);
    (d.blocks[1] as Table).exactGrid = true;
    expect(attachLabelsBelow(d).attached).toBe(0);
  });
});

describe("variant and misspelt labels", () => {
  const m = new LabelMatcher(REQUEST_ROW_DEFS);
  it("reads the issue's variants as their rows", () => {
    expect(m.match("2.其他法律行政止公开")?.key).toBe("denied.prohibitedByLaw");
    expect(m.match("4.无正当理由大量反复 申请")?.key).toBe("notProcessed.excessive");
    expect(m.match("1、属于国家秘密")?.key).toBe("denied.stateSecret");
    expect(m.match("3、补正后申请内容仍不明确")?.key).toBe("unavailable.stillUnclear");
  });
  it("needs the item number to agree: similar words under another number match nothing", () => {
    expect(numberedSimilarity(foldLabel("3.其他法律行政止公开"), foldLabel("2.其他法律行政法规禁止公开"))).toBe(0);
    expect(m.match("3.其他法律行政止公开")?.key).not.toBe("denied.prohibitedByLaw");
  });
  it("leaves a label too far from every row unmatched", () => {
    expect(m.match("2.其他事项")).toBeNull();
    expect(m.match("1.本单位自行掌握")).toBeNull();
  });
});

describe("sections renumbered", () => {
  it("are read by the template's own title", () => {
    expect(sectionHeading("五、政府信息公开行政复议、行政诉讼情况")?.number).toBe(4);
    expect(sectionHeading("三、主动公开政府信息情况")?.number).toBe(2);
    // a table-3 row is never a heading
    expect(sectionHeading("三、本年度办理结果")).toBeNull();
  });

  it("are read behind any character the text cleaning drops or turns to a space (the first-character test never rejects a heading)", () => {
    const title = "三、主动公开政府信息情况";
    const missed: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const text = `${String.fromCharCode(c)}${title}`;
      // What cleanText leaves of it, as sectionHeading reads it (a leading # and spaces go too).
      const cleaned = cleanText(text).replace(/^#+\s*/, "").trim();
      if (cleaned === title && sectionHeading(text)?.number !== 2) missed.push(`U+${c.toString(16)}`);
    }
    expect(missed).toEqual([]);
    expect(sectionHeading("[bookmark: _Toc1]三、主动公开政府信息情况")?.number).toBe(2);
    expect(sectionHeading("\u200b## 三、主动公开政府信息情况")?.number).toBe(2);
    expect(sectionHeading("\u3000\u3000三、主动公开政府信息情况")?.number).toBe(2);
  });
});

describe("page chrome and page dates", () => {
  const d = (texts: string[]): Document => ({ blocks: texts.map((t) => paragraph(t)), meta: {}, diagnostics: [] });
  const body = ["根据《条例》编制本报告。", "一、总体情况", "本年度工作有序开展。"];
  it("finds the title after the site's navigation, not a link to another year's report", () => {
    const m = readMeta(d(["某区教育局2023年政府信息公开工作年度报告", "首页 | 登录 | 注册", "当前位置：首页 > 政务公开", "某区商务局2024年政府信息公开工作年度报告", ...body]));
    expect([m.organ, m.year]).toEqual(["某区商务局", 2024]);
  });
  it("reads 发布日期 under the title when no date closes the report, and says so", () => {
    const m = readMeta(d(["某区商务局2024年政府信息公开工作年度报告", "发布日期：2025-01-29  来源：某区商务局", ...body]));
    expect(m.publishedOn).toBe("2025-01-29");
    expect(m.publishedOnFrom).toBe("page-date-line");
    const note = m.diagnostics.find((x) => x.code === "meta.dateFromPageHeader");
    expect(note?.message).toContain("发布日期");
    expect(m.provenance.publishedOn).toMatchObject({ status: "printed", text: "发布日期：2025-01-29 来源：某区商务局" });
  });
  it("prefers the closing date, in Chinese numerals too", () => {
    const m = readMeta(d(["某区商务局2024年政府信息公开工作年度报告", "发布日期：2025-01-29", ...body, "某区商务局", "二〇二四年一月二十六日"]));
    expect(m.publishedOn).toBe("2024-01-26");
    expect(m.publishedOnFrom).toBe("signature");
  });
});

describe("the narrative's figure", () => {
  it("is read when the report states one number of requests received", () => {
    expect(statedReceived([paragraph("2024年，本局共收到政府信息公开申请23件，上年结转1件。")])).toBe(23);
    expect(statedReceived([paragraph("收到政府信息公开申请23件。"), paragraph("新收到申请24件。")])).toBeNull();
  });
});

import { splitRunTogether } from "../normalizers/split-hook.js";
import { ACTIVE_2021 } from "../data/template.js";

describe("the split hook on a document", () => {
  const t = (rows: string[][], exactGrid = false): Table => ({ kind: "table", rows: rows.map((r) => r.map((x) => cell(x))), exactGrid });
  it("replaces a run by one cell per column, each marked read: split, and leaves real grids alone", () => {
    const doc: Document = {
      blocks: [paragraph("四、政府信息公开行政复议、行政诉讼情况"), t([["000001200300101"]])],
      meta: {},
      diagnostics: [],
    };
    const out = splitRunTogether(doc, ACTIVE_2021);
    const row = (out.doc.blocks[1] as Table).rows[0];
    expect(row.map((c) => c.text)).toEqual(["0", "0", "0", "0", "0", "1", "2", "0", "0", "3", "0", "0", "1", "0", "1"]);
    expect(row.every((c) => c.read?.status === "split")).toBe(true);
    expect((doc.blocks[1] as Table).rows[0]).toHaveLength(1); // the input is not changed
    const exact: Document = { ...doc, blocks: [doc.blocks[0], t([["000001200300101"]], true)] };
    expect(splitRunTogether(exact, ACTIVE_2021).doc).toBe(exact);
  });
  it("cuts table 2 only where the reader saw the text run together (a vanished blank is not a run)", () => {
    const blocks = [paragraph("二、主动公开政府信息情况"), t([["规章", "102"]])];
    const plain = splitRunTogether({ blocks, meta: {}, diagnostics: [] }, ACTIVE_2021);
    expect((plain.doc.blocks[1] as Table).rows[0].map((c) => c.text)).toEqual(["规章", "102"]);
    const run = splitRunTogether({ blocks, meta: {}, diagnostics: [{ severity: "info", message: "", source: "text:run-together" }] }, ACTIVE_2021);
    expect((run.doc.blocks[1] as Table).rows[0].map((c) => c.text)).toEqual(["规章", "1", "0", "2"]);
  });
});
