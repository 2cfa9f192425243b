// Plain text as it arrives: encodings, markdown, and files that are not reports.
import { readFileSync } from "node:fs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { parseReport } from "../src/pipeline.js";
import { parseText } from "../extractors/text.js";

const seed = readFileSync("data/samples/2024-硚口区商务局.txt");
const parse = (bytes: Uint8Array, name = "x.txt") => parseReport({ bytes, name, path: name });

describe("text input", () => {
  it("reads GB18030 and UTF-16 text exactly as the UTF-8 original", async () => {
    const utf8 = await parse(seed);
    const gbk = await parse(iconv.encode(seed.toString("utf8"), "gb18030"));
    const utf16 = await parse(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(seed.toString("utf8"), "utf-16le")]));
    if (!utf8.ok || !gbk.ok || !utf16.ok) throw new Error("parse failed");
    for (const other of [gbk.record, utf16.record]) {
      expect(other.organ).toBe("硚口区商务局");
      // The one difference: an info note naming the encoding it was decoded from.
      expect(other.diagnostics.filter((d) => d.code === "text.encoding")).toEqual([expect.objectContaining({ severity: "info" })]);
      const same = (r: typeof other) => ({ ...r, source: null, diagnostics: r.diagnostics.filter((d) => d.code !== "text.encoding") });
      expect(same(other)).toEqual(same(utf8.record));
    }
  });

  it("keeps a body's name on a line of its own apart from the longer line under it (a real report opening)", async () => {
    // The name line over a preamble that names the body relatively: joined as one wrapped
    // paragraph, the name was lost and 区政府国资局 taken. A line wrapped at the page's width is
    // as long as the line after it; one less than half as long was not wrapped.
    const body = seed.toString("utf8");
    const text = `浑南区国资局\n根据《中华人民共和国政府信息公开条例》及《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）相关要求，现公布区政府国资局2022年政府信息公开工作年度报告。\n${body.slice(body.indexOf("一、总体情况"))}`;
    const out = await parse(Buffer.from(text));
    if (!out.ok) throw new Error(out.message);
    expect({ organ: out.record.organ, year: out.record.year }).toEqual({ organ: "浑南区国资局", year: 2022 });
    expect(out.record.provenance.organ.text).toBe("浑南区国资局");
    // A short line that runs on (ending in a comma), or one as long as the next, is still joined to it.
    const paras = (t: string) => parseText(t).blocks.map((b) => (b.kind === "paragraph" ? b.text : b.kind));
    const long = "根据《中华人民共和国政府信息公开条例》相关要求，现公布本机关2024年政府信息公开工作年度报告。";
    expect(paras(`浑南区国资局\n${long}`)).toEqual(["浑南区国资局", long]);
    expect(paras(`为进一步做好工作，\n${long}`)).toEqual([`为进一步做好工作，${long}`]);
    expect(paras(`本机关按照规定程序开展依申请公开工作\n规范了工作流程。`)).toEqual(["本机关按照规定程序开展依申请公开工作规范了工作流程。"]);
  });

  it("reads markdown pipe tables with detached headers and repeated group labels", async () => {
    const v = (a: number) => [a, a + 1, a + 2, a + 3, a + 4, a + 5].concat([6 * a + 15]);
    const md = [
      "# 某某区司法局2023年政府信息公开工作年度报告",
      "",
      "## 三、收到和处理政府信息公开申请情况",
      "",
      "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | | 申请人情况 | | | | | | |",
      "|---|---|---|---|---|---|---|---|---|",
      "| | | 自然人 | 法人或其他组织 | | | | | 总计 |",
      "| 一、本年新收政府信息公开申请数量 | | " + v(10).join(" | ") + " |",
      "| 三、本年度办理结果 | （一）予以公开 | " + v(20).join(" | ") + " |",
      "| 三、本年度办理结果 | （三）不予公开 1.属于国家秘密 | " + v(30).join(" | ") + " |",
      "",
      "| 三、本年度办理结果 | （三）不予公开 | 2.其他法律行政法规禁止公开 | " + v(40).join(" | ") + " |",
    ].join("\n");
    const out = await parse(Buffer.from(md), "x.md");
    if (!out.ok) throw new Error(out.message);
    expect(out.record.organ).toBe("某某区司法局");
    expect(out.record.requests.newReceived).toEqual(v(10));
    expect(out.record.requests.granted).toEqual(v(20));
    expect(out.record.requests["denied.stateSecret"]).toEqual(v(30));
    expect(out.record.requests["denied.prohibitedByLaw"]).toEqual(v(40));
    expect(out.record.requests.carriedOver).toEqual([null, null, null, null, null, null, null]);
  });

  it("fails empty, binary and non-report files with a reason", async () => {
    expect(await parse(new Uint8Array())).toMatchObject({ ok: false, code: "empty" });
    expect(await parse(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]), "a.bin")).toMatchObject({ ok: false, code: "binary" });
    const shopping = await parse(Buffer.from("今天去超市买了三斤苹果。\n明天再说。\n"));
    expect(shopping).toMatchObject({ ok: false, code: "not-a-report" });
  });

  it("keeps a report whose table 3 is cut off, with the missing rows named", async () => {
    const text = seed.toString("utf8");
    const cut = text.slice(0, text.indexOf("（四）无法提供"));
    const out = await parse(Buffer.from(cut));
    if (!out.ok) throw new Error(out.message);
    expect(out.record.requests.granted).toEqual([1, 0, 0, 0, 0, 0, 1]);
    expect(out.record.requests.total).toEqual([null, null, null, null, null, null, null]);
    expect(out.record.diagnostics).toEqual(expect.arrayContaining([
      expect.objectContaining({ code: "row.missing", key: "requests.total.total", message: expect.stringContaining("requests.total: row not found") }),
      expect.objectContaining({ code: "row.missing", key: "requests.unavailable.notHeld.naturalPerson", message: expect.stringContaining("requests.unavailable.notHeld: row not found") }),
      expect.objectContaining({ code: "table.missing", key: "reviews.litigationDirect.upheld", message: expect.stringContaining("reviews: table 4's data row not found") }),
    ]));
  });
});
