import { describe, expect, it } from "vitest";
import { cell, paragraph, type Document } from "../model/document.js";
import { readDate, readMeta } from "../normalizers/meta.js";
import { parseText } from "../extractors/text.js";

const doc = (...texts: string[]): Document => ({ blocks: texts.map((t) => paragraph(t)), meta: {}, diagnostics: [] });
const codes = (m: ReturnType<typeof readMeta>) => m.diagnostics.map((d) => d.code);

describe("organ, year, date and sections", () => {
  it("reads the organ and year from titles typed in different ways", () => {
    expect(readMeta(doc("关于东城区商务局2023年政府信息公开工作年度报告"))).toMatchObject({ organ: "东城区商务局", year: 2023 });
    expect(readMeta(doc("2022年度北京市东城区人民政府政府信息公开工作年度报告"))).toMatchObject({ organ: "北京市东城区人民政府", year: 2022 });
    expect(readMeta(doc("某某街道办事处", "二〇二一年政府信息公开工作年度报告", "一、总体情况"))).toMatchObject({ organ: "某某街道办事处", year: 2021 });
    expect(readMeta(doc("# 某某镇人民政府2020年度政府信息公开工作报告"))).toMatchObject({ organ: "某某镇人民政府", year: 2020 });
  });

  it("reads titles that print the year after the words (real report titles)", () => {
    const m = readMeta(doc("示例县民政局政府信息公开工作年度报告（2023年度）", "一、总体情况"));
    expect(m).toMatchObject({ organ: "示例县民政局", year: 2023, title: "示例县民政局政府信息公开工作年度报告（2023年度）" });
    expect(codes(m)).not.toContain("meta.noTitle");
    expect(readMeta(doc("示例县民政局政府信息公开工作年度报告(2021年)"))).toMatchObject({ organ: "示例县民政局", year: 2021 });
    expect(readMeta(doc("示例县民政局政府信息公开工作2022年度报告"))).toMatchObject({ organ: "示例县民政局", year: 2022 });
    // Words in the brackets other than the year are no title's year.
    expect(readMeta(doc("示例县民政局政府信息公开工作年度报告（征求意见稿）")).year).toBeNull();
  });

  it("takes no common noun for a body, nor 政府 into a body's name (real report openings)", () => {
    // 现向社会公布2021年石家庄市教育局政府信息公开工作年度报告: the body ends at 局, 政府 opens 政府信息公开.
    expect(readMeta(doc("石家庄市教育局", "根据《中华人民共和国政府信息公开条例》的有关规定，现向社会公布2021年石家庄市教育局政府信息公开工作年度报告。")).organ).toBe("石家庄市教育局");
    const preamble = "根据《中华人民共和国政府信息公开条例》要求，编制本年度报告。";
    // 决策部署落实情况 is a kind of information, not a body (署 ends some bodies' names: 行政公署).
    expect(readMeta(doc(preamble, "一、总体情况", "2022年，我单位全年主动公开各类政务信息430条。其中，主动公开部门文件27条，决策部署落实情况25条，行政许可信息23条。")).organ).toBeNull();
    // A zone's report speaking of itself as 开发区 names no one.
    expect(readMeta(doc(preamble, "一、总体情况", "2022年，开发区坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《条例》。")).organ).toBeNull();
  });

  it("takes the body named in full on a line above a preamble that names it relatively (real report opening)", () => {
    const preamble = "根据《中华人民共和国政府信息公开条例》相关要求，现公布区政府国资局2022年政府信息公开工作年度报告。";
    const m = readMeta(doc("浑南区国资局", preamble, "一、总体情况"));
    expect(m).toMatchObject({ organ: "浑南区国资局", year: 2022 });
    expect(m.provenance.organ.text).toBe("浑南区国资局");
    // A line above naming another body (or a level alone) is not the fuller name: the preamble's stands.
    expect(readMeta(doc("浑南区财政局", preamble, "一、总体情况")).organ).toBe("区政府国资局");
    expect(readMeta(doc("区国资局", preamble, "一、总体情况")).organ).toBe("区政府国资局");
    // Nor a line that is more than a name.
    expect(readMeta(doc("欢迎访问浑南区国资局，", preamble)).organ).toBe("区政府国资局");
  });

  it("reads the body from the overview's first sentence that says the year as 本年度 (a real township report's excerpt)", () => {
    const m = readMeta(doc("一、总体情况", "本年度,示例乡严格依照《中华人民共和国政府信息公开条例》,扎实推进政府信息公开工作。"));
    expect(m.organ).toBe("示例乡");
    expect(codes(m)).toContain("meta.organFromBody");
    // The body speaking of itself, or the whole county, names no one there.
    expect(readMeta(doc("一、总体情况", "本年度，我乡严格依照《条例》推进公开。")).organ).toBeNull();
    expect(readMeta(doc("一、总体情况", "本年度，全县严格落实《条例》。")).organ).toBeNull();
  });

  it("reads the body from the overview's first sentence after its sub-heading, with or without a comma (a real page store's excerpt)", () => {
    const period = "本报告数据统计期限为2022年1月1日至2022年12月31日。";
    const m = readMeta(doc("一、总体情况", period, "(一)主动公开情况。2022年示例市教育局全面推进政府信息公开工作,全年公开各类信息120条。"));
    expect(m.organ).toBe("示例市教育局");
    expect(codes(m)).toContain("meta.organFromBody");
    expect(readMeta(doc("一、总体情况", "2022年，示例县统计局认真贯彻落实《条例》。")).organ).toBe("示例县统计局");
    // The body speaking of itself, or relatively, names no one there.
    expect(readMeta(doc("一、总体情况", period, "(一)主动公开情况。2022年我局全面推进政府信息公开工作。")).organ).toBeNull();
    expect(readMeta(doc("一、总体情况", period, "(一)主动公开情况。2022年全市深入推进政府信息公开工作。")).organ).toBeNull();
    expect(readMeta(doc("一、总体情况", period, "(一)主动公开情况。2022年上半年全面推进政府信息公开工作。")).organ).toBeNull();
  });

  it("takes the signature's body over a contact sentence naming the office that answers for it (a district's 政务公开办公室)", () => {
    const preamble = "根据《中华人民共和国政府信息公开条例》要求，编制本报告。如对本报告有疑问，请联系：硚口区人民政府政务公开办公室，电话：027-83426505。";
    const m = readMeta(doc("2024年政府信息公开工作年度报告", preamble, "一、总体情况", "全年主动公开信息67条。", "硚口区商务局", "2025年1月13日"));
    expect(m.organ).toBe("硚口区商务局");
    expect(m.provenance.organ.text).toBe("硚口区商务局");
    // Without a signature the contact sentence still names the body it belongs to.
    expect(readMeta(doc("2024年政府信息公开工作年度报告", preamble, "一、总体情况", "全年主动公开信息67条。")).organ).toBe("硚口区人民政府");
  });

  it("reads the body from contact sentences worded 请联系： and 可与…联系 (real report openings)", () => {
    const preamble = "根据《中华人民共和国政府信息公开条例》要求，编制本年度报告。";
    const m = readMeta(doc(preamble, "本报告中所列数据统计期限为2023年1月1日至12月31日。如对本年度报告有疑问，请联系：杭州市滨江区人民政府长河街道办事处；联系电话：0571-86624908。"));
    expect(m.organ).toBe("杭州市滨江区人民政府长河街道办事处");
    // An office of the body: the body it belongs to.
    expect(readMeta(doc(preamble, "如对报告有任何疑问，请联系：涵江区教育局办公室（地址：涵江区新涵大街789号）。")).organ).toBe("涵江区教育局");
    expect(readMeta(doc(preamble, "如对本报告有疑问，可与内江市隆昌生态环境局联系（地址：四川省隆昌市康复西路）。")).organ).toBe("内江市隆昌生态环境局");
    // 请联系 with nothing that ends as a body's name names no one.
    expect(readMeta(doc(preamble, "如有疑问，请联系：0571-86624908。")).organ).toBeNull();
  });

  it("reads the year from the overview's first sentence only where nothing else states it", () => {
    const preamble = "根据《中华人民共和国政府信息公开条例》要求，编制本年度报告。";
    const m = readMeta(doc("某某街道政府信息公开工作年度报告", preamble, "一、总体情况", "（一）主动公开情况", "2022年，我单位全年主动公开各类政务信息430条。"));
    expect(m.year).toBe(2022);
    expect(m.diagnostics.find((d) => d.key === "year")).toMatchObject({ code: "meta.yearFromOverview", severity: "info" });
    // A sub-heading run into its sentence, as a page's text joins them.
    expect(readMeta(doc(preamble, "一、总体情况", "(一)主动公开情况2023年,官洲街道办事处认真贯彻落实条例。")).year).toBe(2023);
    // 2022年以来 (since 2022) and a year deep in the overview say nothing of the year reported on.
    expect(readMeta(doc(preamble, "一、总体情况", "2022年以来，丰收乡在县委的领导下推进公开。")).year).toBeNull();
    expect(readMeta(doc(preamble, "一、总体情况", "本年度工作平稳。", "2021年，我局完成了网站改版。")).year).toBeNull();
    // A statistics period wins over it.
    expect(readMeta(doc(preamble, "本报告所列数据统计期为2023年1月1日至2023年12月31日。", "一、总体情况", "2022年，我局坚持公开。")).year).toBe(2023);
     // A scan's reading that lost the heading's numeral (总体情况, 、总体情况 with 一 on a line of its own).
    expect(readMeta(doc(preamble, "总体情况", "2024年，本机关认真贯彻落实条例。")).year).toBe(2024);
    expect(readMeta(doc(preamble, "、总体情况", "一", "2020年，本机关认真贯彻落实条例。")).year).toBe(2020);
    // Another section's heading without its numeral is no overview.
    expect(readMeta(doc(preamble, "主动公开政府信息情况", "2024年，本机关主动公开。")).year).toBeNull();
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

describe("organ and year where the title does not give them (forms seen on real portals)", () => {

  it("a portal's home or contents link over the title, or run into it, is not part of the body's name (a page saved as Word or PDF with its menu)", () => {
    expect(readMeta(doc("首页", "硚口区商务局2024年政府", "信息公开工作年度报告", "一、总体情况"))).toMatchObject({ organ: "硚口区商务局", year: 2024 });
    expect(readMeta(doc("网站首页 | English", "硚口区商务局2024年政府信息公开工作年度报告", "一、总体情况"))).toMatchObject({ organ: "硚口区商务局", year: 2024 });
    // A column of links printed beside the article: its words on the title's first line.
    expect(readMeta(doc("目录首页硚口区商务局2024年政府信息公开工作年度报告", "一、总体情况")).organ).toBe("硚口区商务局");
    expect(readMeta(doc("首页>硚口区商务局2024年政府信息公开工作年度报告", "一、总体情况")).organ).toBe("硚口区商务局");
    // 政府信息公开 alone is the middle of a title wrapped on three lines, not navigation.
    expect(readMeta(doc("硚口区商务局2024年", "政府信息公开", "工作年度报告", "一、总体情况"))).toMatchObject({ organ: "硚口区商务局", year: 2024 });
  });

  it("a PDF's preamble not joined into paragraphs: the body from its contact sentence, lines further down", () => {
    const lines = [
      "目录首页",
      "2024年政府信息公开工作年度报告",
      "根据《中华人民共和国政府信息公开条例》（国务院令第711",
      "号，以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办",
      "函〔2021〕30号）要求，编制发布本报告。",
      "本报告内容包括：总体情况、主动公开政府信息情况、收到",
      "和处理政府信息公开申请情况、政府信息公开行政复议及行政诉讼情况、存在的主要问题及改进情",
      "况、其他事项。本报告的电子版可在人民政府门户网站（",
      "http://www.example.gov.cn）下载。如对本报告有疑问，请与环翠区商务局联系（地址：威",
      "海市文化中路59号）。",
      "一、总体情况",
      "本年度工作平稳。",
    ];
    const m = readMeta(doc(...lines));
    expect(m).toMatchObject({ organ: "环翠区商务局", year: 2024 });
    expect(m.diagnostics.find((d) => d.key === "organ")).toMatchObject({ code: "meta.organFromBody" });
    // Past the overview's first lines nothing is looked at: a body named in the sections' prose is not the report's.
    const late = readMeta(doc("2024年政府信息公开工作年度报告", "根据《条例》要求，编制本报告。", "一、总体情况", "本年度工作平稳。", "没有变化。", "仍无变化。", "二、主动公开政府信息情况", "无。", "三、收到和处理政府信息公开申请情况", "如有疑问，请与某某区财政局联系。"));
    expect(late.organ).toBeNull();
  });

  it("a body's name a converter garbled (³~ for 硚, a symbol bullet) is not read, and the reason said", () => {
    const m = readMeta(doc("³~口区商务局2024年政府信息公开工作年度报告", "一、总体情况", "2024年，³~口区商务局认真贯彻落实《条例》。"));
    expect(m).toMatchObject({ organ: null, year: 2024 });
    expect(m.diagnostics.find((d) => d.key === "organ")).toMatchObject({ code: "meta.organGarbled", severity: "warning" });
    expect(readMeta(doc("\uf0b7环翠区统计局2022年政府信息公开工作年度报告", "一、总体情况")).organ).toBe("环翠区统计局");
    expect(readMeta(doc("2019年政府信息公开工作年度报告", "一、总体情况", "2019年，街道办事处认真贯彻落实《条例》。")).organ).toBeNull();
  });

  it("a document that names no body, or states no year: the name it was found under, where that reads as its title and agrees", () => {
    const bare = () => doc("2024年政府信息公开工作年度报告", "一、总体情况", "2024年，我局认真贯彻落实《条例》。");
    // A file name, a portal's attachment label before it, an extension after it.
    const m = readMeta(bare(), { names: ["附件1：武汉市硚口区商务局2024年度政府信息公开工作年度报告.pdf"] });
    expect(m).toMatchObject({ organ: "武汉市硚口区商务局", year: 2024 });
    expect(m.diagnostics.find((d) => d.key === "organ")).toMatchObject({ code: "meta.organFromName", severity: "info" });
    expect(m.provenance.organ).toMatchObject({ text: "附件1：武汉市硚口区商务局2024年度政府信息公开工作年度报告.pdf" });
    expect(codes(m)).not.toContain("meta.noOrgan");
    // A name of another year is another report's: not taken.
    const other = readMeta(bare(), { names: ["硚口区商务局2023年政府信息公开工作年度报告.docx"] });
    expect(other.organ).toBeNull();
    expect(codes(other)).toContain("meta.noOrgan");
    // Names that are no title (a portal's file id, the sample's own naming) give nothing; the next one is tried.
    expect(readMeta(bare(), { names: ["P020250120391845.pdf", "2024-硚口区商务局.txt", "某县教育局2024年政府信息公开工作年度报告"] }).organ).toBe("某县教育局");
    // A name naming two years (a list of reports run together) gives nothing.
    expect(readMeta(bare(), { names: ["某县教育局2023年政府信息公开工作年度报告某县教育局2024年政府信息公开工作年度报告"] }).organ).toBeNull();
    // A title gathering several bodies' reports names no one body (nor the year of this one).
    for (const gathered of ["武汉市硚口区2024年各部门政府信息公开工作年度报告", "某县各乡镇2024年政府信息公开工作年度报告.pdf", "某市2024年政府信息公开工作年度报告汇总"])
      expect(codes(readMeta(bare(), { names: [gathered] }))).toEqual(expect.arrayContaining(["meta.noOrgan"]));
    // A document that names its body (here in its signature) keeps it; a name only adds the year it does not state.
    const signed = () => doc("政府信息公开工作年度报告", "一、总体情况", "本年度工作平稳。", "某县教育局", "2023年1月5日");
    const named = readMeta(signed(), { names: ["某县教育局2022年政府信息公开工作年度报告.pdf"] });
    expect(named).toMatchObject({ organ: "某县教育局", year: 2022 });
    expect(named.diagnostics.find((d) => d.key === "year")).toMatchObject({ code: "meta.yearFromName", severity: "info" });
    // ... and never from a name of another body.
    const another = readMeta(signed(), { names: ["某县财政局2022年政府信息公开工作年度报告.pdf"] });
    expect(another).toMatchObject({ organ: "某县教育局", year: null });
    expect(codes(another)).toContain("meta.noYear");
    // Without names: as before.
    expect(readMeta(bare()).organ).toBeNull();
  });

  it("a portal's label over the article is not part of the title, whether on its own line or joined to it", () => {
    expect(readMeta(doc("正文", "某某市 2025 年政府信息公开工作年度报告", "一、总体情况"))).toMatchObject({ organ: "某某市", year: 2025 });
    expect(readMeta(doc("正文某某市 2025 年政府信息公开工作年度报告", "一、总体情况"))).toMatchObject({ organ: "某某市", year: 2025 });
    expect(readMeta(doc("【全文】", "某某区财政局2023年政府信息公开工作年度报告"))).toMatchObject({ organ: "某某区财政局", year: 2023 });
  });

  it("a crawler's 标题: label before the title is not part of the organ", () => {
    const m = readMeta(doc("标题: 某某综合实验区2021年度政府信息公开工作年度报告", "发布时间: 2022-02-08 16:34", "一、总体情况"));
    expect(m).toMatchObject({ organ: "某某综合实验区", year: 2021, publishedOn: "2022-02-08" });
    expect(readMeta(doc("标题：某某县人民政府2020年政府信息公开工作年度报告")).organ).toBe("某某县人民政府");
  });

  it("reads the body's name from the line beside a title that does not name it, and from the lines a converter joined", () => {
    const m = readMeta(doc("2022年政府信息公开工作年度报告", "某某县某某镇人民政府", "一、总体情况"));
    expect(m).toMatchObject({ organ: "某某县某某镇人民政府", year: 2022 });
    expect(codes(m)).toContain("meta.organBesideTitle");
    expect(m.provenance.organ).toMatchObject({ text: "某某县某某镇人民政府", status: "printed" });
    // Over the title, the name is read as the title's first line (a title broken over two lines).
    expect(readMeta(doc("某某县某某镇人民政府", "2022年政府信息公开工作年度报告", "一、总体情况"))).toMatchObject({ organ: "某某县某某镇人民政府", year: 2022 });
    expect(readMeta(doc("2022年政府信息公开工作年度报告某某县某某镇人民政府2022年政府信息公开工作年度报告", "一、总体情况"))).toMatchObject({ organ: "某某县某某镇人民政府", year: 2022 });
    // The title printed again with another year is not the same title: no name is taken from it.
    expect(readMeta(doc("2022年政府信息公开工作年度报告某某镇人民政府2021年政府信息公开工作年度报告", "一、总体情况")).organ).toBeNull();
    // A line beside the title that is a sentence or a date is not a name.
    expect(readMeta(doc("2022年政府信息公开工作年度报告", "某某镇人民政府2023年1月20日", "一、总体情况")).organ).toBeNull();
  });

  it("a page's header line that the title repeats (the body's name cut) is not the title's first line", () => {
    // Real: 州乡村振兴局 over 湘西州乡村振兴局2023年度信息公开工作报告, read as 州乡村振兴局湘西州乡村振兴局.
    for (const d of [doc("州乡村振兴局", "湘西州乡村振兴局2023年度信息公开工作报告", "一、总体情况"), doc("州乡村振兴局湘西州乡村振兴局2023年度信息公开工作报告", "一、总体情况")])
      expect(readMeta(d)).toMatchObject({ organ: "湘西州乡村振兴局", year: 2023 });
    // A title broken over two lines repeats nothing: still joined.
    expect(readMeta(doc("某某市工业和信息化局", "2020年政府信息公开工作年度报告", "一、总体情况"))).toMatchObject({ organ: "某某市工业和信息化局", year: 2020 });
  });

  it("reads the body named before 特编制, and after 现将, never inside a cited document's title", () => {
    // Real preambles (绍兴市越城区东湖街道 2023, 茅坪回族镇 2022).
    const before = readMeta(doc("根据《中华人民共和国政府信息公开条例》的要求,某某市某某区某某街道特编制2023年政府信息公开年度报告。", "一、总体情况"));
    expect(before).toMatchObject({ organ: "某某市某某区某某街道", year: 2023 });
    const after = readMeta(doc("按照某某县人民政府办公室《关于做好2022年度政府信息公开年度报告编制公布工作的通知》文件要求,现将某某回族镇2022年度政府信息公开工作报告如下:", "一、总体情况"));
    expect(after).toMatchObject({ organ: "某某回族镇", year: 2022 });
    // 特向社会公布: the announcement's words, no body; 苏木 (Inner Mongolia's township) is a body.
    expect(readMeta(doc("根据《中华人民共和国政府信息公开条例》要求,特向社会公布2023年政府信息公开工作年度报告。", "一、总体情况"))).toMatchObject({ organ: null, year: 2023 });
    expect(readMeta(doc("某某中旗某某苏木2021年政府信息公开工作年度报告", "一、总体情况")).organ).toBe("某某中旗某某苏木");
    // The cited notice alone names no body and no year of this report.
    const cited = readMeta(doc("按照《关于做好2022年度政府信息公开年度报告编制公布工作的通知》要求,报告如下:", "一、总体情况"));
    expect(cited).toMatchObject({ organ: null, year: null });
  });

  it("reads the page's date from a row of its particulars table before the report (发布日期 | 2023-01-30 | 文号 |)", () => {
    const d: Document = {
      meta: {},
      diagnostics: [],
      blocks: [
        paragraph("某某镇2022年度政府信息公开工作年度报告"),
        { kind: "table", exactGrid: false, rows: [[cell("发布日期"), cell("2023-01-30"), cell("文 号"), cell("")]] },
        paragraph("一、总体情况"),
        paragraph("本年度工作平稳。"),
        { kind: "table", exactGrid: false, rows: [[cell("日期"), cell("2021-01-01")]] },
      ],
    };
    const m = readMeta(d);
    expect(m).toMatchObject({ organ: "某某镇", year: 2022, publishedOn: "2023-01-30", publishedOnFrom: "page-date-line" });
    // A table inside the report is not the page's particulars.
    const inside: Document = { ...d, blocks: [d.blocks[0], ...d.blocks.slice(2)] };
    expect(readMeta(inside).publishedOn).toBeNull();
  });

  it("reads the body and the year from the preamble that names the report", () => {
    const m = readMeta(doc("根据《中华人民共和国政府信息公开条例》要求，特编制某某市人民政府地方志办公室2023年政府信息公开工作年度报告。", "一、总体情况"));
    expect(m).toMatchObject({ organ: "某某市人民政府地方志办公室", year: 2023 });
    expect(codes(m)).toEqual(expect.arrayContaining(["meta.organFromBody", "meta.yearFromPreamble"]));
    expect(m.provenance.year).toMatchObject({ status: "printed", text: expect.stringContaining("2023年政府信息公开工作年度报告") });
    expect(readMeta(doc("根据《条例》规定，现公布区统计局2023年政府信息公开工作年度报告。", "一、总体情况"))).toMatchObject({ organ: "区统计局", year: 2023 });
    // The body speaking of itself names no one: the year is still the report's.
    const self = readMeta(doc("现公布本单位2024年政府信息公开工作年度报告。", "一、总体情况"));
    expect(self).toMatchObject({ organ: null, year: 2024 });
  });

  it("reads the year from the statistics period in the ways preambles state it, and only a whole calendar year", () => {
    for (const period of [
      "本报告所列数据的统计期限为2024年1月1日至2024年12月31日。",
      "所列数据的统计期限自2024年1月1日起至2024年12月31日。",
      "本年度报告中所列数据统计期限从2024年1月1日到12月31日止。",
      "所列统计数据时间范围为2024年1月1日至2024年12月31日。",
      "统计时限：2024年01月01日至2024年12月31日。",
    ]) {
      const m = readMeta(doc("某某局政府信息公开工作年度报告", period, "一、总体情况"));
      expect(m.year, period).toBe(2024);
      expect(codes(m)).toContain("meta.yearFromPeriod");
    }
    for (const period of ["统计期限为2023年1月1日至2024年12月31日。", "统计期限为2024年3月1日至2024年12月31日。", "统计期限为2024年1月1日至2024年6月30日。"]) {
      const m = readMeta(doc("某某局政府信息公开工作年度报告", period, "一、总体情况"));
      expect(m.year, period).toBeNull();
      expect(codes(m)).toContain("meta.noYear");
    }
    // The title's year wins over the period.
    expect(readMeta(doc("某某局2023年政府信息公开工作年度报告", "统计期限为2024年1月1日至2024年12月31日。")).year).toBe(2023);
  });

  it("never takes 我局, 本机关 or 该委 for the body's name (本溪 is a city)", () => {
    expect(readMeta(doc("政府信息公开工作年度报告", "如对本报告有疑问，请与我局办公室联系。", "一、总体情况")).organ).toBeNull();
    expect(readMeta(doc("政府信息公开工作年度报告", "如对本报告有疑问，请与本机关办公室联系。", "一、总体情况")).organ).toBeNull();
    expect(readMeta(doc("本溪市财政局2023年政府信息公开工作年度报告")).organ).toBe("本溪市财政局");
  });
});

describe("a title in a page's text, with the page's lines around it (real pages)", () => {
  const fromText = (...lines: string[]) => readMeta(parseText(lines.join("\n")));
  it("a menu line over the title is no part of it, nor the date line under it", () => {
    expect(fromText("二维码", "", "某某县政府惠民信息微信", "某某县2022年政府信息公开工作年度报告", "2023-01-31 09:05:00 来源: 某某县政务服务管理办公室", "根据《条例》规定,特向社会公布2022年度报告。", "一、总体情况"))
      .toMatchObject({ organ: "某某县", year: 2022 });
    expect(fromText("政府信息公开", "某某市某某区2016年政府信息公开工作年度报告", "来源:区人民政府办公室 时间:2017-01-12 10:01", "", "一、概述"))
      .toMatchObject({ organ: "某某市某某区", year: 2016, publishedOn: "2017-01-12" });
  });

  it("a page header's date joined before the title is not the report's year", () => {
    const m = fromText("某某市某某区人民政府 2019年12月3日星期二", "", "无障碍 无障碍 简体 | 繁体 长者模式", "", "某某市某某区2021年政府信息公开工作年度报告", "来源:某某区人民政府 发布时间:2022-03-01 15:20", "", "一、总体情况");
    expect(m).toMatchObject({ organ: "某某市某某区", year: 2021, publishedOn: "2022-03-01" });
    expect(readMeta(doc("某某区人民政府2019年12月3日星期二某某区2021年政府信息公开工作年度报告", "一、总体情况")).year).toBe(2021);
  });

  it("two years' titles run together (a portal's list of other years' reports printed beside the article) are no title; their words are no body's name", () => {
    // As chromium's print of such a page reads line by line: the article's title broken over
    // three lines, each joined to a line of the list beside it.
    const lines = [
      "瀍河回族区住房和城乡建设局 相关信息",
      "2023年政府信息公开工作年度 瀍河回族区住房和城乡建设局",
      "2022年政府信息公开工作年度报告 报告2023-01-10",
      "依据《中华人民共和国政府信息公开条例》，编制本报告。所列统计数据时间范围为2023年1月1日至2023年12月31日。",
      "一、总体情况",
    ];
    const m = readMeta(doc(...lines));
    expect(m.year).toBe(2023); // from the statistics period; 2022 (the list's) before
    expect(codes(m)).toContain("meta.yearFromPeriod");
    expect(m.organ ?? "").not.toMatch(/\d|年度/);
    // A year or a title's words in the lines before a title are never taken for the body.
    const run = readMeta(doc("局2024年政府信息公开工作年 硚口区经济信息化和科技创新局2023年政府信息公开工作年度报告", "一、总体情况"));
    expect(run.organ ?? "").not.toMatch(/\d|年度/);
  });

  it("a title and a statistics period of different years: the title's year is kept, and the two are said side by side", () => {
    const m = readMeta(doc("某某局2023年政府信息公开工作年度报告", "本报告所列数据统计期限为2022年1月1日至2022年12月31日。", "一、总体情况"));
    expect(m.year).toBe(2023);
    const said = m.diagnostics.find((d) => d.code === "meta.yearConflict");
    expect(said).toMatchObject({ severity: "warning", key: "year" });
    expect(said?.message).toContain("the title reads 2023");
    expect(said?.message).toContain("the statistics period 2022");
    expect(codes(readMeta(doc("某某局2023年政府信息公开工作年度报告", "本报告所列数据统计期限为2023年1月1日至2023年12月31日。", "一、总体情况")))).not.toContain("meta.yearConflict");
  });

  it("a title run on into a date and another line (a narrow print of a portal page) that the statistics period contradicts: the period's year", () => {
    const m = readMeta(doc("环翠区统计局2022年政府信息公开工作年度报告2023-01-发布时间：2025-01-20 来", "依据《条例》编制本报告。所列统计数据时间范围为2024年1月1日至2024年12月31日。", "一、总体情况"));
    expect(m.year).toBe(2024);
    expect(m.diagnostics.find((d) => d.code === "meta.yearConflict")?.message).toContain("the period's year is taken");
    expect(m.provenance.year.text).toBe("时间范围为2024年1月1日至2024年12月31日");
  });

  it("the file's own title names the body whole where the lines read as the title cut it or ran others into it", () => {
    const withTitle = (title: string, ...texts: string[]): Document => ({ ...doc(...texts), meta: { title } });
    const fileTitle = "硚口区经济信息化和科技创新局2024年政府信息公开工作年度报告_硚口区人民政府";
    const cut = readMeta(withTitle(fileTitle, "创新局2024年政府信息公开工作年度报告", "一、总体情况"));
    expect(cut.organ).toBe("硚口区经济信息化和科技创新局");
    expect(codes(cut)).toContain("meta.organFromFileTitle");
    const run = readMeta(withTitle("金水区文化路街道办事处2019年政府信息公开工作年度报告_金水区人民政府", "路街道办事 金水区文化路街道办事处2019年政府信息公开工作年度报告", "一、总体情况"));
    expect(run.organ).toBe("金水区文化路街道办事处");
    // A fuller name by its places (武汉市…) is the text's own: kept. Another year's file title says nothing.
    expect(readMeta(withTitle("硚口区商务局2024年政府信息公开工作年度报告", "武汉市硚口区商务局2024年政府信息公开工作年度报告", "一、总体情况")).organ).toBe("武汉市硚口区商务局");
    expect(readMeta(withTitle("硚口区经济信息化和科技创新局2023年政府信息公开工作年度报告", "创新局2024年政府信息公开工作年度报告", "一、总体情况")).organ).toBe("创新局");
  });

  it("a title broken over two lines is still one title", () => {
    expect(fromText("某某市工业和信息化局", "2020年政府信息公开工作年度报告", "一、总体情况")).toMatchObject({ organ: "某某市工业和信息化局", year: 2020 });
  });
});

describe("the body, where a compiling or contact office is named too (real pages)", () => {
  it("a province's report is the province's, not the office that compiled it or answers for it", () => {
    const m = readMeta(doc("根据《中华人民共和国政府信息公开条例》,特公布某某省2018年政府信息公开工作年度报告。", "本报告由某某省人民政府办公厅编制。如对本报告有疑问,请与某某省人民政府办公厅联系。", "一、概述"));
    expect(m).toMatchObject({ organ: "某某省", year: 2018 });
  });

  it("the overview's subject comes before the contact office, unless it is named by its level alone", () => {
    const m = readMeta(doc("根据《条例》规定编制本报告。如对本年度报告有疑问,请与某某县人民政府信息公开中心联系。", "一、总体情况", "2023年,某某县人民政府办公室以党的二十大精神为指引,全面贯彻落实…"));
    expect(m.organ).toBe("某某县人民政府办公室");
    const relative = readMeta(doc("根据《条例》编制本报告。如对本报告有疑问，请与某某区统计局联系。", "一、总体情况", "2024年，区统计局认真贯彻落实…"));
    expect(relative.organ).toBe("某某区统计局");
    // A university's office answers for the university.
    expect(readMeta(doc("某某工商大学", "2022-2023学年度信息公开工作报告", "如对本报告有疑问,请与某某工商大学党政办公室联系。")).organ).toBe("某某工商大学");
  });

  it("a viewer's page label before the title is no part of the body's name", () => {
    expect(readMeta(doc("Page 2 - 省交通运输厅2019年度政府信息公开工作年度报告", "目录"))).toMatchObject({ organ: "省交通运输厅", year: 2019 });
  });
});

describe("more wordings of real pages", () => {
  it("titles: 政府信息公开年度工作报告, and 信息公开年报 with the body after the year", () => {
    expect(readMeta(doc("某某乡人民政府2019年度政府信息公开年度工作报告", "一、概述"))).toMatchObject({ organ: "某某乡人民政府", year: 2019 });
    expect(readMeta(doc("2022年某某县卫生健康委员会信息公开年报", "一、总体情况"))).toMatchObject({ organ: "某某县卫生健康委员会", year: 2022 });
  });

  it("preambles: 现公开 the body's report, and the year before the body", () => {
    expect(readMeta(doc("根据《条例》规定,现公开某某街道办事处2022年政府信息公开工作年度报告", "一、总体情况"))).toMatchObject({ organ: "某某街道办事处", year: 2022 });
    expect(readMeta(doc("根据《条例》文件要求,现特向社会公布2024年某某镇人民政府信息公开工作年度报告。", "一、总体情况"))).toMatchObject({ organ: "某某镇人民政府", year: 2024 });
    // The year first with no body after it: no body.
    expect(readMeta(doc("根据《条例》要求,特向社会公布2023年政府信息公开工作年度报告。", "一、总体情况"))).toMatchObject({ organ: null, year: 2023 });
  });

  it("statistics periods: 数据时间为, 起止时间为, 时间段", () => {
    for (const p of ["报告中所列数据时间为2025年1月1日至2025年12月31日。", "各项数据核定的起止时间为2021年1月1日至12月31日。"])
      expect(readMeta(doc("政府信息公开工作年度报告", p, "一、总体情况")).year).toBe(Number(p.match(/\d{4}/)![0]));
  });

  it("page dates: opening the line before 来源, in brackets, after 生成日期/有效期", () => {
    const date = (line: string) => readMeta(doc("某某市2022年政府信息公开工作年度报告", line, "一、总体情况")).publishedOn;
    expect(date("2023-01-16 16:50:00 来源: 某某市政府")).toBe("2023-01-16");
    expect(date("发布日期:[2021-01-28]")).toBe("2021-01-28");
    expect(date("| 发文机构: | 生成日期/有效期: | 2022-01-29 14:59:17 | |")).toBe("2022-01-29");
    // A date in a sentence before 来源 is not the page's.
    expect(date("截至2022年12月31日，本机关来源：统计")).toBeNull();
  });
});

describe("the page's date line", () => {
  it("is read only where the date follows its label: an empty label joined to the preamble gives no date", () => {
    const empty = readMeta(doc("某某县信访局2021年政府信息公开工作年度报告", "发布时间: 本年度报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。", "一、总体情况"));
    expect(empty.publishedOn).toBeNull();
    expect(empty.diagnostics.map((d) => d.code)).toContain("meta.noDate");
    // A dashed date with the preamble joined after it: the label's date, not the period's first day.
    const joined = readMeta(doc("某某县信访局2021年政府信息公开工作年度报告", "发布时间：2022-01-30 15:52根据《条例》，本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。", "一、总体情况"));
    expect(joined.publishedOn).toBe("2022-01-30");
    expect(joined.diagnostics.find((d) => d.code === "meta.dateFromPageHeader")?.message).toContain('"发布时间：2022-01-30"');
    for (const line of ["发布时间: 2022-01-30 15:52", "发布日期：2022年1月30日", "发布时间：２０２２-０１-３０"])
      expect(readMeta(doc("某某县信访局2021年政府信息公开工作年度报告", line, "一、总体情况")).publishedOn, line).toBe("2022-01-30");
  });
});

describe("the body from a contact sentence", () => {
  it("is the body an office belongs to, not the office", () => {
    const office = (who: string) => readMeta(doc("政府信息公开工作年度报告", `如对本报告有疑问，请与${who}联系。`, "一、总体情况")).organ;
    expect(office("某某县某某镇人民政府党政办公室")).toBe("某某县某某镇人民政府");
    expect(office("某某区商务局办公室")).toBe("某某区商务局");
    expect(office("某某区发展和改革委员会综合科")).toBe("某某区发展和改革委员会");
    // A body that is itself called an office, with nothing of a body before it: kept as printed.
    expect(office("某某区人民政府办公室")).toBe("某某区人民政府");
    expect(office("某某区信访办公室")).toBe("某某区信访办公室");
    expect(office("本局办公室")).toBeNull();
  });
});

describe("the year stated without the body", () => {
  it("reads 关于2022年度政府信息公开情况的报告 as a title, and 现将…/汇报… in the preamble", () => {
    expect(readMeta(doc("关于2022年度政府信息公开情况的报告", "一、总体情况")).year).toBe(2022);
    for (const line of ["根据《条例》要求，现将2021年度政府信息公开工作情况报告如下：", "本报告根据《条例》要求，现结合我镇实际，汇报我镇2021年政府信息公开工作。"]) {
      const m = readMeta(doc(line, "一、总体情况"));
      expect(m.year, line).toBe(2021);
      expect(m.diagnostics.map((d) => d.code)).toContain("meta.yearFromPreamble");
      expect(m.organ).toBeNull();
    }
    // A cited notice's title is not the report's year.
    expect(readMeta(doc("根据《关于报告2019年政府信息公开工作的通知》要求，编制本报告。", "一、总体情况")).year).toBeNull();
  });
});
