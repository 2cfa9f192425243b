// Forms of text that real portals and crawlers leave, met when xxgk was run over real
// reports kept in public repositories and page stores (none of those is committed: each
// case here is made from the fixture reports' own model, so the expected values are the
// model's, never the parser's).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as cheerio from "cheerio";
import { parseReport } from "../src/pipeline.js";
import type { ReportRecord } from "../model/record.js";

const read = async (text: string, name = "x.txt"): Promise<ReportRecord> => {
  const out = await parseReport({ bytes: Buffer.from(text), name });
  if (!out.ok) throw new Error(`${out.code}: ${out.message}`);
  return out.record;
};
const values = (r: ReportRecord) => ({ active: r.active, requests: r.requests, reviews: r.reviews });
const json = (p: string) => JSON.parse(readFileSync(p, "utf8"));

/** The record has the fixture's expected values, organ and year, and every null its diagnostic, keyed by its cell. */
function expectFixture(r: ReportRecord, expected: string): void {
  const exp = json(join("test/fixtures", expected));
  expect(values(r)).toEqual({ active: exp.active, requests: exp.requests, reviews: exp.reviews });
  expect({ organ: r.organ, year: r.year }).toEqual({ organ: exp.organ, year: exp.year });
  for (const [key, p] of Object.entries(r.provenance))
    if (p.status !== "printed" && p.status !== "split") expect(r.diagnostics.some((d) => d.key === key), key).toBe(true);
}

describe("pipe tables without their leading pipe (a cell followed by ` |`, as some page-to-text converters write)", () => {
  // Every markdown fixture, its pipe rows written as such a converter writes them.
  const manifest: { file: string; layout?: string; expected: string | null }[] = json("test/fixtures/manifest.json");
  const markdown = manifest.filter((e) => e.file.endsWith(".md") && e.expected);
  /**
   * `| a | b |` → `a | b |` (a row whose first cell is empty keeps a pipe first: ` | b |`);
   * the separator rules (`|---|`) dropped, as such converters write none.
   */
  const loose = (md: string) =>
    md
      .split("\n")
      .filter((l) => !/^\s*\|?\s*:?-{2,}/.test(l))
      .map((l) => l.replace(/^\s*\|\s*/, ""))
      .join("\n");

  it("has markdown fixtures to rewrite", () => expect(markdown.length).toBeGreaterThanOrEqual(5));

  for (const e of markdown)
    it(`${e.file} reads to its expected values`, async () => {
      const text = loose(readFileSync(join("test/fixtures", e.file), "utf8"));
      expect(text).toMatch(/^一、本年新收政府信息公开申请数量\s*\|/m);
      expectFixture(await read(text), e.expected!);
    });

  it("a section heading ended with a pipe stays a heading", async () => {
    const e = markdown[0];
    const text = loose(readFileSync(join("test/fixtures", e.file), "utf8")).replace(/^(#+\s*)?([一二三四五六]、[^\n|]*情况)\s*$/gm, "$2 |");
    expect(text).toMatch(/^三、收到和处理政府信息公开申请情况 \|$/m);
    const r = await read(text);
    expect(r.sections.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6]);
    const exp = json(join("test/fixtures", e.expected!));
    expect(values(r)).toEqual({ active: exp.active, requests: exp.requests, reviews: exp.reviews });
  });

  it("a stray line ending in a pipe is not a table: the title over it is still the title", async () => {
    const text = ["某某区商务局2024年政府信息公开工作年度报告 |", "", "一、总体情况", "", "本年度工作平稳 |"].join("\n");
    // The reader keeps both lines as prose: no table, the title its own paragraph.
    const { parseText } = await import("../extractors/text.js");
    const blocks = parseText(text).blocks;
    expect(blocks.some((b) => b.kind === "table")).toBe(false);
    expect(blocks[0]).toMatchObject({ kind: "paragraph", text: "某某区商务局2024年政府信息公开工作年度报告 |" });
    const loneTable = await parseReport({ bytes: Buffer.from(text + "\n二、主动公开政府信息情况\n规章 | 1 | 0 | 2 |\n"), name: "x.txt" });
    if (!loneTable.ok) throw new Error(loneTable.message);
    expect(loneTable.record.organ).toBe("某某区商务局");
    // One such row only: too few to be a pipe table, so its numbers are not read as cells.
    expect(loneTable.record.active).toMatchObject({ regulations: { issued: null, repealed: null, inForce: null } });
  });
});

describe("table cells one after another, each followed by a pipe (a page store's rendering)", () => {
  // Every markdown fixture's pipe rows written as such a store writes a table: no row marks,
  // each cell's text then a pipe, on its own line (`规章 |`), or on a line between lines of a
  // pipe alone (`规章`, `|`); a blank cell is a pipe alone.
  const manifest: { file: string; expected: string | null }[] = json("test/fixtures/manifest.json");
  const markdown = manifest.filter((e) => e.file.endsWith(".md") && e.expected);
  const cellsOfRow = (l: string) => l.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => c.trim());
  const rewrite = (md: string, form: "same-line" | "own-line") =>
    md
      .split("\n")
      .filter((l) => !/^\s*\|?\s*:?-{2,}/.test(l))
      .flatMap((l) => {
        if (!/^\s*\|/.test(l)) return [l];
        return cellsOfRow(l).flatMap((c) => (form === "same-line" ? [c ? `${c} |` : "|"] : c ? [c, "|"] : ["|"]));
      })
      .join("\n");

  it("has markdown fixtures to rewrite", () => expect(markdown.length).toBeGreaterThanOrEqual(5));

  for (const form of ["same-line", "own-line"] as const)
    for (const e of markdown)
      it(`${e.file}, each cell ${form === "same-line" ? "then a pipe on its line" : "and a pipe on lines of their own"}: its expected values`, async () => {
        const text = rewrite(readFileSync(join("test/fixtures", e.file), "utf8"), form);
        expect(text).toMatch(form === "same-line" ? /^规章 \|$/m : /^规章\n\|$/m);
        const r = await read(text);
        expectFixture(r, e.expected!);
        // A place is the text's own line: the row's label stands there.
        const line = r.provenance["requests.newReceived.total"]?.place?.line;
        if (line !== undefined) expect(text.split("\n")[line - 1]).toMatch(/本年新收政府信息公开申请数量/);
      });

  it("a text of whole pipe rows is left as it is", async () => {
    const e = markdown[0];
    const text = readFileSync(join("test/fixtures", e.file), "utf8");
    const r = await read(text);
    expect(r.diagnostics.some((d) => d.code === "text.separatedCells")).toBe(false);
  });
});

describe("table 4 printed as a table per group, each under its own heading (a converter's markdown)", () => {
  // 沭阳县人民政府 2025, as converted: ### 行政复议 / | 结果维持 | … | 总计 | / | 27 | 10 | 9 | 15 | 61 |, and so on.
  const manifest: { file: string; expected: string | null }[] = json("test/fixtures/manifest.json");
  const e = manifest.find((m) => m.file.endsWith(".md") && m.expected)!;
  const exp = json(join("test/fixtures", e.expected!));
  const groups: [string, string][] = [["行政复议", "administrativeReview"], ["行政诉讼（未经复议直接起诉）", "litigationDirect"], ["行政诉讼（复议后起诉）", "litigationAfterReview"]];
  const section4 = (only = [0, 1, 2]) =>
    ["## 四、政府信息公开行政复议、行政诉讼情况", ""]
      .concat(
        ...only.map((g) => {
          const v = exp.reviews[groups[g][1]];
          const cells = ["upheld", "corrected", "other", "pending", "total"].map((c) => (v[c] === null ? "" : String(v[c])));
          return [`### ${groups[g][0]}`, "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |", "|---|---|---|---|---|", `| ${cells.join(" | ")} |`, ""];
        }),
      )
      .join("\n");
  const rewrite = (only?: number[]) => {
    const md = readFileSync(join("test/fixtures", e.file), "utf8");
    const from = md.search(/^.*四、政府信息公开行政复议/m);
    const to = md.search(/^.*五、/m);
    expect(from).toBeGreaterThan(0);
    expect(to).toBeGreaterThan(from);
    return md.slice(0, from) + section4(only) + "\n" + md.slice(to);
  };

  it("reads the three groups into table 4's row", async () => {
    const r = await read(rewrite());
    expect(r.reviews).toEqual(exp.reviews);
    expect(values(r)).toEqual({ active: exp.active, requests: exp.requests, reviews: exp.reviews });
  });

  it("a group not printed is null, said for each of its cells", async () => {
    const r = await read(rewrite([0, 2]));
    expect(r.reviews.administrativeReview).toEqual(exp.reviews.administrativeReview);
    expect(r.reviews.litigationAfterReview).toEqual(exp.reviews.litigationAfterReview);
    expect(Object.values(r.reviews.litigationDirect).every((v) => v === null)).toBe(true);
    expect(r.diagnostics.filter((d) => d.key?.startsWith("reviews.litigationDirect.")).map((d) => d.code)).toEqual(Array(5).fill("row.missing"));
  });
});

describe("text run together, with blanks the page kept inside a row", () => {
  const base = "test/fixtures/inputs/rt-unique";
  const text = readFileSync(`${base}.runon.txt`, "utf8");
  const exp = json(`${base}.expected.json`);

  /** The row's run after its label, with a blank after the cells at `cuts` (true cell boundaries). */
  const spaced = (t: string, label: string, row: number[], cuts: number[]) => {
    const run = row.join("");
    expect(t).toContain(label + run);
    const pieces: string[] = [];
    let from = 0;
    for (const c of [...cuts, row.length]) {
      pieces.push(row.slice(from, c).join(""));
      from = c;
    }
    return t.replace(label + run, label + pieces.join(" "));
  };

  it("reads the rows exactly: a blank is a boundary no cell crosses, not the end of the row", async () => {
    let t = spaced(text, "一、本年新收政府信息公开申请数量", exp.requests.newReceived, [1]);
    t = spaced(t, "（七）总计", exp.requests.total, [1, 5]);
    t = spaced(t, "四、结转下年度继续办理", exp.requests.carriedForward, [2, 3, 4, 5, 6]);
    expect(t).not.toBe(text);
    const r = await read(t);
    expect(r.requests).toEqual(exp.requests);
    expect(r.requests.newReceived.every((v) => v !== null)).toBe(true);
    for (const key of ["requests.newReceived.naturalPerson", "requests.total.total", "requests.carriedForward.otherOrganization"])
      expect(r.provenance[key]?.status, key).toBe("split");
  });

  it("reads the same record as without the blanks", async () => {
    const plain = await read(text);
    const withBlanks = await read(spaced(text, "（七）总计", exp.requests.total, [3]));
    expect(values(withBlanks)).toEqual(values(plain));
  });
});

describe("text run together, its section headings worded otherwise", () => {
  const base = "test/fixtures/inputs/rt-unique";
  const text = readFileSync(`${base}.runon.txt`, "utf8");
  const exp = json(`${base}.expected.json`);
  const heading = "四、政府信息公开行政复议、行政诉讼情况";

  for (const worded of ["四、政府信息公开行政法复议、行政诉讼情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"])
    it(`finds 四 as ${worded}, so table 4 and the end of table 3 are read`, async () => {
      expect(text).toContain(heading);
      const r = await read(text.replace(heading, worded));
      expect(r.reviews).toEqual(exp.reviews);
      expect(r.requests).toEqual(exp.requests);
      expect(r.sections.map((s) => s.number)).toContain(4);
    });

  it("a row of table 3 numbered 四 is not taken for the heading", async () => {
    // 四、结转下年度继续办理 stands before the heading; with the heading's words gone, it is still a row.
    const r = await read(text.replace(heading, "四、复议诉讼"));
    expect(r.requests.carriedForward).toEqual(exp.requests.carriedForward);
  });
});

describe("reports written before the national template (on 2018 and earlier)", () => {
  // The shape of a provincial report of 2017: prose sections, a statistics table of its own
  // (指标名称 | 计量单位 | 本年度 | 历年累计), some of its rows sharing a template row's words.
  const old = (year: number) =>
    [
      `某某区人民政府${year}年度政府信息公开工作年度报告`,
      "",
      `根据《中华人民共和国政府信息公开条例》要求，编制本报告。本报告所列数据的统计期限自${year}年1月1日起至${year}年12月31日止。`,
      "",
      "一、概述",
      "",
      `${year}年，我区政府信息公开工作平稳有序，严格落实政府信息公开条例和省市有关要求，健全工作机制，完善审查制度，加强平台建设，主动回应社会关切，依法保障人民群众的知情权、参与权、表达权和监督权，各项工作取得新进展。`,
      "区政府办公室统筹协调全区政府信息公开工作，各部门明确分管领导和工作人员，形成了上下联动、协调配合的工作格局。",
      "",
      "二、主动公开政府信息情况",
      "",
      `${year}年主动公开政府信息1200条。`,
      "",
      "三、政府信息依申请公开办理情况",
      "",
      "全年收到政府信息公开申请12件，均按时答复。",
      "",
      "四、因政府信息公开申请行政复议、提起行政诉讼的情况",
      "",
      `${year}年未收到有关政府信息公开的行政复议申请和行政诉讼。`,
      "",
      "指标名称\t计量单位\t本年度\t历年累计",
      "主动公开政府信息数\t条\t1200\t9800",
      "收到申请数\t件\t12\t96",
      "行政复议数\t件\t0\t0",
      "行政诉讼数\t件\t0\t0",
      "",
    ].join("\n");

  /** As a crawler's get_text() saves the page: everything on one line, nothing between cells. */
  const runTogether = (text: string) => text.replace(/[\t\n]+/g, "");

  it("fails as pre-template, with the year, instead of a record of nulls under a template it never used", async () => {
    for (const year of [2016, 2017, 2018]) {
      const out = await parseReport({ bytes: Buffer.from(runTogether(old(year))), name: "x.txt" });
      expect(out.ok, String(year)).toBe(false);
      if (out.ok) continue;
      expect(out.code).toBe("pre-template");
      expect(out.message).toContain(`a report on ${year}`);
    }
  });

  it("a report of 2019 or later in the same shape is not refused for its year", async () => {
    const out = await parseReport({ bytes: Buffer.from(runTogether(old(2019))), name: "x.txt" });
    if (out.ok) expect(out.record.year).toBe(2019);
    else expect(out.code).not.toBe("pre-template");
  });

  it("a template report whose title says 2018 is still read where its tables show the template", async () => {
    const seed = readFileSync("data/samples/2024-硚口区商务局.txt", "utf8");
    const r = await read(seed.replace("硚口区商务局2024年政府", "硚口区商务局2018年政府"));
    expect(r.year).toBe(2018);
    expect(r.requests.newReceived.every((v) => v !== null)).toBe(true);
  });
});

describe("money in a column whose header prints its unit, or none", () => {
  const base = "test/fixtures/generated/g03-2019";
  const md = readFileSync(`${base}.md`, "utf8");
  const exp = json(`${base}.expected.json`);

  it("a 采购总金额 header in 万元 converts the amounts printed without a unit, exactly", async () => {
    expect(md).toContain("|采购总金额|");
    expect(exp.active.procurement.amountYuan).toBe(195300);
    const r = await read(md.replace("|采购总金额|", "|采购总金额（万元）|").replace("|195300|", "|19.53|"), "x.md");
    expect(r.active.procurement).toEqual(exp.active.procurement);
    expect(r.diagnostics.find((d) => d.key === "active.procurement.amountYuan")).toMatchObject({ code: "cell.unitConverted", severity: "info" });
    // A cell's own unit wins over its header's.
    const own = await read(md.replace("|采购总金额|", "|采购总金额（万元）|").replace("|195300|", "|195300元|"), "x.md");
    expect(own.active.procurement.amountYuan).toBe(195300);
  });

  it("an amount with no unit anywhere is read as 元 and said, so a report meaning 万元 can be found", async () => {
    const r = await read(md, "x.md");
    expect(r.active.procurement.amountYuan).toBe(195300);
    expect(r.diagnostics.find((d) => d.key === "active.procurement.amountYuan")).toMatchObject({ code: "cell.unitNotPrinted", severity: "warning" });
  });

  it("a fees header in 元 (the template says 万元) converts the fees", async () => {
    const t2021 = readFileSync("test/fixtures/generated/g01-2021.md", "utf8");
    const e2021 = json("test/fixtures/generated/g01-2021.expected.json");
    const header = /\|本年收费金额（单位：万元）\|/;
    expect(t2021).toMatch(header);
    const fee = e2021.active.fees.amountWanYuan as number;
    const printedFee = new RegExp(`\\|行政事业性收费\\|${String(fee).replace(".", "\\.")}\\|`);
    expect(t2021).toMatch(printedFee);
    const yuan = Math.round(fee * 10000);
    const r = await read(t2021.replace(header, "|本年收费金额（单位：元）|").replace(printedFee, `|行政事业性收费|${yuan}|`), "x.md");
    expect(r.active.fees.amountWanYuan).toBe(fee);
  });
});

describe("a change printed in words (the 2019 form's 本年增/减)", () => {
  it("减92 and 增加82 read as -92 and 82", async () => {
    const base = "test/fixtures/generated/g03-2019";
    const exp = json(`${base}.expected.json`);
    expect(exp.active.licensing.change).toBe(-92);
    expect(exp.active.otherServices.change).toBe(82);
    const md = readFileSync(`${base}.md`, "utf8");
    expect(md).toContain("|行政许可|867|-92|168|");
    const words = md.replace("|行政许可|867|-92|168|", "|行政许可|867|减92|168|").replace("|其他对外管理服务事项|385|82|91|", "|其他对外管理服务事项|385|增加82|91|");
    const r = await read(words, "x.md");
    expect(r.active).toEqual(exp.active);
  });
});

describe("a page saved or printed with its chrome, then turned into text", () => {
  const seed = readFileSync("data/samples/2024-硚口区商务局.txt", "utf8");
  const title = "硚口区商务局2024年政府信息公开工作年度报告";
  const body = seed.slice(seed.indexOf("依据《中华人民共和国政府信息公开条例》"));
  expect(seed).toContain("硚口区商务局2024年政府");

  it("a browser's print header (date, time, the page title with its site) before the title: the organ is the title's", async () => {
    const text = `12/6/26, 4:55 AM                        ${title}_政府信息公开年报_武汉市硚口区人民政府\n\n${title}\n${body}`;
    const r = await read(text);
    expect(r.organ).toBe("硚口区商务局");
    expect(r.year).toBe(2024);
  });

  it("a menu and breadcrumbs as list items, the title joined to the page's date line and the preamble: organ, year and date read", async () => {
    // Without the signature block at the end, the page's own date line is the date there is.
    const unsigned = body.slice(0, body.lastIndexOf("硚口区商务局"));
    const text = ["    • 首页", "    • 政务公开", "当前位置：", "    • 首页", "    • 政府信息公开年报", `${title} `, "来源： 时间：2025-01-20 15:07 ", unsigned].join("\n");
    const r = await read(text);
    expect({ organ: r.organ, year: r.year, publishedOn: r.publishedOn }).toEqual({ organ: "硚口区商务局", year: 2024, publishedOn: "2025-01-20" });
    const plain = await read(`${title}\n${unsigned}`);
    expect(values(r)).toEqual(values(plain));
  });

  it("a body's name beside a title is Han characters alone: a page title's tail is no name", async () => {
    const r = await read(`2024年政府信息公开工作年度报告_政府信息公开年报_某某管委会\n\n${body}`);
    expect(r.organ ?? "").not.toContain("_");
    expect(r.organ ?? "").not.toContain("管委会");
  });
});

describe("a fifth round of real report shapes (2026-12-07, evening)", () => {
  const G = "test/fixtures/generated";
  const tabs = (g: string) => readFileSync(join(G, `${g}.tabs.txt`), "utf8");
  const codesOf = (r: ReportRecord) => r.diagnostics.map((d) => d.code);

  it("a page holding the body's report and, below it, the year before's: the first is read whole, none of the second's rows taken", async () => {
    // g01 is 硚口区商务局's report on 2024, g10 the same body's on 2022: their rows print other numbers.
    const r = await read(`${tabs("g01-2021")}\n\n${tabs("g10-2021-results")}`);
    expectFixture(r, "generated/g01-2021.expected.json");
    expect(r.publishedOn).toBe("2025-01-13");
    const note = r.diagnostics.find((d) => d.code === "meta.secondReport");
    expect(note).toMatchObject({ severity: "warning" });
    expect(note!.message).toContain("硚口区商务局 2022 年政府信息公开工作年度报告");
    // The place is the second title's line.
    const lines = `${tabs("g01-2021")}\n\n${tabs("g10-2021-results")}`.split("\n");
    expect(lines[note!.place!.line! - 1]).toContain("2022 年政府信息公开工作年度报告");
  });

  it("a gathering of two bodies' reports, the first without a title: the first's tables alone", async () => {
    const r = await read(`${tabs("g09-2021-notitle")}\n\n${tabs("g06-2021-balance")}`);
    const exp = json(join(G, "g09-2021-notitle.expected.json"));
    expect(values(r)).toEqual({ active: exp.active, requests: exp.requests, reviews: exp.reviews });
    expect(codesOf(r)).toContain("meta.secondReport");
  });

  it("the report's own title printed again inside it (a page's running header) is no second report", async () => {
    const text = tabs("g01-2021");
    const title = " 硚口区商务局 2024 年政府信息公开工作年度报告";
    expect(text).toContain(title);
    const repeated = text.replace("三、收到和处理政府信息公开申请情况", `${title}\n\n三、收到和处理政府信息公开申请情况`).replace("一、总体情况", `一、总体情况\n\n${title}`);
    const r = await read(repeated);
    expectFixture(r, "generated/g01-2021.expected.json");
    expect(codesOf(r)).not.toContain("meta.secondReport");
  });

  it("row labels carrying the template's note in brackets are read as their rows (规章(设区的市…), 其他对外管理服务事项(指…))", async () => {
    const text = [
      "示例市生态环境局2020年政府信息公开工作年度报告",
      "二、主动公开政府信息情况",
      "第二十条第(一)项 | | | |",
      "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |",
      "规章(设区的市人民政府提供) | 1 | 2 | 3 |",
      "规范性文件(决定、公告、通告) | 4 | 5 | 6 |",
      "第二十条第(五)项 | | | |",
      "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |",
      "行政许可 | 7 | 8 | 9 |",
      "其他对外管理服务事项(指行政许可以外的事项) | 11 | 12 | 13 |",
    ].join("\n");
    const r = await read(text);
    expect(r.active).toMatchObject({
      regulations: { newlyMade: 1, newlyPublished: 2, totalPublished: 3 },
      normativeDocuments: { newlyMade: 4, newlyPublished: 5, totalPublished: 6 },
      licensing: { previousYear: 7, change: 8, decisions: 9 },
      otherServices: { previousYear: 11, change: 12, decisions: 13 },
    });
    expect(codesOf(r)).not.toContain("row.unmatched");
  });

  it("a signature straight after a table (no sections 五 and 六) is the report's end, not the table's cells", async () => {
    const text = [
      "示例县民政局2023年政府信息公开工作年度报告",
      "二、主动公开政府信息情况",
      "第二十条第(一)项 | | | |",
      "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
      "规章 | 0 | 0 | 0 |",
      "行政规范性文件 | 3 | 1 | 9 |",
      "",
      "示例县民政局",
      "2024年1月20日",
    ].join("\n");
    const r = await read(text);
    expect({ organ: r.organ, year: r.year, publishedOn: r.publishedOn }).toEqual({ organ: "示例县民政局", year: 2023, publishedOn: "2024-01-20" });
    expect(codesOf(r)).not.toContain("text.cellOrder");
  });
});

describe("a sixth round of real report shapes (2026-12-08)", () => {
  const codesOf = (r: ReportRecord) => r.diagnostics.map((d) => d.code);
  /** Cells one after another, each followed by a pipe on a line of its own, as a page store renders a table. */
  const separated = (rows: string[][]) => rows.flatMap((row) => [...row.flatMap((c) => [`${c} |`]), "|"]).join("\n");

  it("row labels glossed after a colon (规章：地方行政规章指…) are read as their rows", async () => {
    const text = [
      "示例开发区教育文化局2020年政府信息公开工作年度报告",
      "二、主动公开政府信息情况",
      separated([
        ["第二十条第(一)项"],
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章：地方政府规章，是指省、自治区、直辖市和设区的市的人民政府依照法定权限制定的规范。其名称一般称“规定”“办法”。", "2", "3", "5"],
        ["规范性文件：是指行政机关依照法定权限和程序制定并公开发布，涉及公民、法人和其他组织权利义务，在一定期限内反复适用的公文。", "4", "6", "7"],
        ["第二十条第(五)项"],
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政许可", "31", "2", "58"],
      ]),
    ].join("\n");
    const r = await read(text);
    expect(r.active).toMatchObject({
      regulations: { newlyMade: 2, newlyPublished: 3, totalPublished: 5 },
      normativeDocuments: { newlyMade: 4, newlyPublished: 6, totalPublished: 7 },
      licensing: { previousYear: 31, change: 2, decisions: 58 },
    });
    expect(r.diagnostics.filter((d) => d.key?.startsWith("active.regulations") || d.key?.startsWith("active.normativeDocuments"))).toEqual([]);
  });

  it("a text after a colon that holds a number is a sentence, not a gloss: no row is read from it", async () => {
    const text = [
      "示例开发区教育文化局2020年政府信息公开工作年度报告",
      "二、主动公开政府信息情况",
      "第二十条第(一)项 | | | |",
      "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |",
      "规章 | 2 | 3 | 5 |",
      "规范性文件：本年共制作12件 | 4 | 6 | 7 |",
    ].join("\n");
    const r = await read(text);
    expect(r.active).toMatchObject({
      regulations: { newlyMade: 2, newlyPublished: 3, totalPublished: 5 },
      normativeDocuments: { newlyMade: null, newlyPublished: null, totalPublished: null },
    });
    expect(r.diagnostics.find((d) => d.key === "active.normativeDocuments.newlyMade")?.code).toBe("row.missing");
  });
});

describe("a page's text with a blank line after every table cell, its paragraphs whole (a page store's rendering)", () => {
  const codesOf = (r: ReportRecord) => r.diagnostics.map((d) => d.code);
  const overview =
    "2020年，示例镇政务公开工作深入贯彻落实上级关于深化“放管服”改革的总体要求，围绕稳就业、保民生发布政策解读，涉及教育、医疗、卫生、农业等领域信息，全镇累计主动公开政府信息131条，其中通过政府网站公开信息86条，机构职能类信息5条，政务动态类信息41条。";
  const cells = [
    "第二十条第(一)项", "信息内容", "本年新", "制作数量", "本年新", "公开数量", "对外公开总数量",
    "规章(设区的市、自治州人民政府应提供相关数据)", "0", "0", "0",
    "规范性文件(行政机关制定发布的决定、公告、通告、意见、通知)", "27", "5", "61",
    "第二十条第(五)项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量",
    "行政许可", "14", "+2", "305",
    "其他对外管理服务事项", "8", "0", "42",
    "第二十条第(六)项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量",
    "行政处罚", "19", "-3", "7",
    "行政强制", "0", "0", "0",
  ];
  const page = (cellLines: string[], paragraph = overview) =>
    [
      "示例镇2020年政府信息公开工作年度报告",
      "发布时间:2021-01-22 10:05 来源:示例镇",
      "",
      "一、总体情况",
      "",
      paragraph,
      "",
      "二、主动公开政府信息情况",
      "",
      ...cellLines.flatMap((c) => [c, ""]),
      "五、存在的主要问题及改进情况",
      "",
      "信息公开工作人员业务水平有待提高。",
    ].join("\n");

  it("reads the rows in the page's order, numbers that differ included", async () => {
    const r = await read(page(cells));
    expect(r.active).toMatchObject({
      regulations: { newlyMade: 0, newlyPublished: 0, totalPublished: 0 },
      normativeDocuments: { newlyMade: 27, newlyPublished: 5, totalPublished: 61 },
      licensing: { previousYear: 14, change: 2, decisions: 305 },
      otherServices: { previousYear: 8, change: 0, decisions: 42 },
      penalties: { previousYear: 19, change: -3, decisions: 7 },
      coercion: { previousYear: 0, change: 0, decisions: 0 },
    });
    expect(codesOf(r)).toContain("text.doubleSpaced");
    expect(codesOf(r)).not.toContain("row.lineOrder");
    expect({ organ: r.organ, year: r.year }).toEqual({ organ: "示例镇", year: 2020 });
    // A place is the text's own line: the row's label stands there.
    const line = r.provenance["active.licensing.decisions"]?.place?.line;
    expect(page(cells).split("\n")[line! - 1]).toBe("行政许可");
  });

  /** A portal page's text as such a store saves it: each paragraph and each table cell on a line of its own, a blank line after each. */
  const pageText = (html: string) => {
    const $ = cheerio.load(html);
    const lines: string[] = [];
    const walk = (el: Parameters<typeof $>[0]) =>
      $(el)
        .children()
        .each((_, n) => {
          const tag = n.tagName.toLowerCase();
          if (tag === "script" || tag === "style") return;
          if (tag === "td" || tag === "th") lines.push($(n).text().replace(/\s+/g, ""));
          else if (["p", "h1", "h2", "h3", "h4", "div", "li"].includes(tag) && !$(n).find("table,p,div").length) {
            const t = $(n).text().trim();
            if (t) lines.push(t);
          } else walk(n);
        });
    walk("body");
    return lines.map((l) => `${l}\n`).join("\n");
  };
  const manifest: { file: string; expected: string | null }[] = json("test/fixtures/manifest.json");
  const pages = manifest.filter((e) => /generated\/g\d\d-[^/]*\.portal-utf-8\.html$/.test(e.file) && e.expected);

  it("has portal pages to render", () => expect(pages.length).toBeGreaterThanOrEqual(8));

  for (const e of pages)
    it(`${e.file} as that text: its expected values, or (a blank cell printed) no value that is not the page's`, async () => {
      const text = pageText(readFileSync(join("test/fixtures", e.file), "utf8"));
      const r = await read(text);
      const exp = json(join("test/fixtures", e.expected!));
      if (!/\n\n\n\n/.test(text.slice(text.indexOf("二、主动公开政府信息情况")))) {
        expectFixture(r, e.expected!);
        expect(codesOf(r)).toContain("text.doubleSpaced");
      } else {
        expect(codesOf(r)).not.toContain("text.doubleSpaced");
        const got = values(r) as Record<string, Record<string, unknown>>;
        for (const part of ["active", "requests", "reviews"] as const)
          for (const [k, v] of Object.entries(got[part]))
            for (const [c, x] of Object.entries(Array.isArray(v) ? { ...v } : (v as object)))
              if (x !== null) expect(x, `${part}.${k}.${c}`).toEqual((exp[part][k] as Record<string, unknown>)[c]);
      }
    });

  it("text whose paragraphs are broken at a page's width (pdftotext's) is read with suspicion, as before", async () => {
    const wrapped = overview.match(/.{1,40}/gu)!.join("\n");
    const r = await read(page(cells, wrapped));
    expect(codesOf(r)).not.toContain("text.doubleSpaced");
    expect(r.active.normativeDocuments).toEqual({ newlyMade: null, newlyPublished: null, totalPublished: null });
    expect(r.diagnostics.find((d) => d.key === "active.normativeDocuments.newlyMade")?.code).toBe("row.lineOrder");
  });

  it("two blank lines in a table (a blank cell, or a gap between tables: which, the text cannot say) leave the text as it is", async () => {
    const gap = [...cells.slice(0, 12), "", ...cells.slice(12)];
    const r = await read(page(gap));
    expect(codesOf(r)).not.toContain("text.doubleSpaced");
    expect(r.active.normativeDocuments).toEqual({ newlyMade: null, newlyPublished: null, totalPublished: null });
  });
});
