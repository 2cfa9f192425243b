// The template mapping on hand-built documents: each case is a way real files
// differ from the template, with distinct values so a wrong cell cannot pass.
import { describe, expect, it } from "vitest";
import { cell, paragraph, type Block, type Document } from "../model/document.js";
import { buildRecord, parseReport } from "../src/pipeline.js";
import { REQUEST_COLUMNS, type ReportRecord } from "../model/record.js";

const row = (...texts: string[]) => texts.map((t) => cell(t));
const table = (exactGrid: boolean, ...rows: string[][]): Block => ({ kind: "table", exactGrid, rows: rows.map((r) => row(...r)) });
const seq = (start: number) => [0, 1, 2, 3, 4, 5].map((i) => start + i);
const withTotal = (xs: number[]) => [...xs, xs.reduce((a, b) => a + b, 0)].map(String);

/** A consistent 2021 report: distinct values, every rule holds. */
function requestRows(): [string, string[]][] {
  return [
    ["（一）予以公开", withTotal(seq(11))],
    ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", withTotal(seq(21))],
    ["1.属于国家秘密", withTotal(seq(31))],
    ["2.其他法律行政法规禁止公开", withTotal(seq(41))],
    ["3.危及“三安全一稳定”", withTotal(seq(51))],
    ["4.保护第三方合法权益", withTotal(seq(61))],
    ["5.属于三类内部事务信息", withTotal(seq(71))],
    ["6.属于四类过程性信息", withTotal(seq(81))],
    ["7.属于行政执法案卷", withTotal(seq(91))],
    ["8.属于行政查询事项", withTotal(seq(101))],
    ["1.本机关不掌握相关政府信息", withTotal(seq(111))],
    ["2.没有现成信息需要另行制作", withTotal(seq(121))],
    ["3.补正后申请内容仍不明确", withTotal(seq(131))],
    ["1.信访举报投诉类申请", withTotal(seq(141))],
    ["2.重复申请", withTotal(seq(151))],
    ["3.要求提供公开出版物", withTotal(seq(161))],
    ["4.无正当理由大量反复申请", withTotal(seq(171))],
    ["5.要求行政机关确认或重新出具已获取信息", withTotal(seq(181))],
    ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", withTotal(seq(191))],
    ["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", withTotal(seq(201))],
    ["3.其他", withTotal(seq(211))],
  ];
}
function totals(): { total: number[]; carriedOver: number[]; carriedForward: number[]; newReceived: number[] } {
  const rows = requestRows().map(([, v]) => v.map(Number));
  const total = [0, 1, 2, 3, 4, 5, 6].map((c) => rows.reduce((a, r) => a + r[c], 0));
  const carriedOver = [2, 3, 4, 5, 6, 7].map((x) => x * 10);
  carriedOver.push(carriedOver.reduce((a, b) => a + b, 0));
  const carriedForward = [1, 2, 3, 4, 5, 6].map((x) => x * 3);
  carriedForward.push(carriedForward.reduce((a, b) => a + b, 0));
  const newReceived = total.map((t, c) => t + carriedForward[c] - carriedOver[c]);
  return { total, carriedOver, carriedForward, newReceived };
}

function report(opts: { requests?: Block[]; active?: Block[]; reviews?: Block[]; prose3?: string } = {}): Document {
  const t = totals();
  const requests =
    opts.requests ??
    [
      table(
        true,
        ["一、本年新收政府信息公开申请数量", ...t.newReceived.map(String)],
        ["二、上年结转政府信息公开申请数量", ...t.carriedOver.map(String)],
        ...requestRows().map(([l, v], i) => (i === 0 ? ["三、本年度办理结果", l, ...v] : [l, ...v])),
        ["（七）总计", ...t.total.map(String)],
        ["四、结转下年度继续办理", ...t.carriedForward.map(String)],
      ),
    ];
  return {
    meta: {},
    diagnostics: [],
    blocks: [
      paragraph("测试区商务局2024年政府信息公开工作年度报告"),
      paragraph("一、总体情况"),
      paragraph("本年度工作概述。"),
      paragraph("二、主动公开政府信息情况"),
      ...(opts.active ?? [
        table(
          true,
          ["第二十条第（一）项"],
          ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
          ["规章", "3", "4", "5"],
          ["行政规范性文件", "6", "7", "8"],
          ["信息内容", "本年处理决定数量"],
          ["行政许可", "9"],
          ["行政处罚", "10"],
          ["行政强制", "11"],
          ["信息内容", "本年收费金额（单位：万元）"],
          ["行政事业性收费", "12.5"],
        ),
      ]),
      paragraph("三、收到和处理政府信息公开申请情况"),
      paragraph(opts.prose3 ?? "本年度共收到政府信息公开申请" + t.newReceived[6] + "件。"),
      ...requests,
      paragraph("四、政府信息公开行政复议、行政诉讼情况"),
      ...(opts.reviews ?? [
        table(
          true,
          ["行政复议", "行政诉讼"],
          ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
          ["1", "2", "3", "4", "10", "5", "6", "7", "8", "26", "9", "11", "13", "14", "47"],
        ),
      ]),
      paragraph("五、存在的主要问题及改进情况"),
      paragraph("无。"),
      paragraph("六、其他需要报告的事项"),
      paragraph("无。"),
      paragraph("测试区商务局"),
      paragraph("2025年1月20日"),
    ],
  };
}

function build(doc: Document): ReportRecord {
  const out = buildRecord(doc, { bytes: new Uint8Array([1]), name: "t" }, "docx");
  if (!out.ok) throw new Error(out.message);
  return out.record;
}

/**
 * Table 3 of the consistent report, with `middle` standing for its rows from （一）予以公开
 * to the last of （六）其他处理 (given the rows: label and values): the way a case prints them.
 */
function requestsTable(exact: boolean, middle: (rows: [string, string[]][]) => string[][]): Block {
  const t = totals();
  return table(exact,
    ["一、本年新收政府信息公开申请数量", ...t.newReceived.map(String)],
    ["二、上年结转政府信息公开申请数量", ...t.carriedOver.map(String)],
    ...middle(requestRows()),
    ["（七）总计", ...t.total.map(String)],
    ["四、结转下年度继续办理", ...t.carriedForward.map(String)]);
}
const labelled = (rows: [string, string[]][]) => rows.map(([l, v]) => [l, ...v]);

describe("mapping onto the template", () => {
  it("reads a consistent report exactly, with no failed check", () => {
    const r = build(report());
    const t = totals();
    expect(r.organ).toBe("测试区商务局");
    expect(r.year).toBe(2024);
    expect(r.publishedOn).toBe("2025-01-20");
    expect(r.template).toBe("2021");
    expect(r.active).toEqual({
      regulations: { issued: 3, repealed: 4, inForce: 5 },
      normativeDocuments: { issued: 6, repealed: 7, inForce: 8 },
      licensing: { decisions: 9 },
      penalties: { decisions: 10 },
      coercion: { decisions: 11 },
      fees: { amountWanYuan: 12.5 },
    });
    expect(r.requests.newReceived).toEqual(t.newReceived);
    expect(r.requests["denied.enforcementCaseFile"]).toEqual(withTotal(seq(91)).map(Number));
    expect(r.requests["other.other"]).toEqual(withTotal(seq(211)).map(Number));
    expect(r.requests.total).toEqual(t.total);
    expect(r.reviews.litigationDirect).toEqual({ upheld: 5, corrected: 6, other: 7, pending: 8, total: 26 });
    expect(r.reviews.litigationAfterReview.total).toBe(47);
    expect(r.checks).toEqual([]);
  });

  it("names each failed rule with its place, and keeps the printed values", () => {
    const t = totals();
    const bad = [...t.carriedForward];
    bad[2] += 1; // 科研机构 carried forward off by one: balance and rowTotal both fail
    const doc = report({
      requests: [
        table(
          true,
          ["一、本年新收政府信息公开申请数量", ...t.newReceived.map(String)],
          ["二、上年结转政府信息公开申请数量", ...t.carriedOver.map(String)],
          ...requestRows().map(([l, v]) => [l, ...v]),
          ["（七）总计", ...t.total.map(String)],
          ["四、结转下年度继续办理", ...bad.map(String)],
        ),
      ],
      reviews: [table(true, ["行政复议"], ["1", "2", "3", "4", "11", "5", "6", "7", "8", "26", "9", "11", "13", "14", "47"])],
    });
    const r = build(doc);
    expect(r.requests.carriedForward[2]).toBe(bad[2]);
    const got = r.checks.map((c) => `${c.rule} ${c.where}`).sort();
    expect(got).toEqual(
      [
        "requests.balance requests.carriedForward.researchInstitution",
        "requests.rowTotal requests.carriedForward.total",
        "reviews.total reviews.administrativeReview.total",
      ].sort(),
    );
    expect(r.checks.find((c) => c.rule === "reviews.total")!.message).toContain("11");
  });

  it("checks the narrative count against table 3", () => {
    const r = build(report({ prose3: "本年度新收到政府信息公开申请3件，均已办结。" }));
    const c = r.checks.filter((x) => x.rule === "narrative.requestsReceived");
    expect(c).toHaveLength(1);
    expect(c[0].message).toContain("3");
    const zero = build(report({ prose3: "本年度未收到政府信息公开申请。" }));
    expect(zero.checks.some((x) => x.rule === "narrative.requestsReceived")).toBe(true);
  });

  it("reads labels with typos, other brackets and glued group labels", () => {
    const t = totals();
    const rows = requestRows().map(([l, v]) => [l.replace("（", "(").replace("）", ")").replace("属于国家秘密", "属于国家秘蜜"), ...v]);
    const r = build(
      report({
        requests: [
          table(
            false,
            ["一、本年新收政府信息公开申请数量", ...t.newReceived.map(String)],
            ["二、上年结转政府信息公开申请数量", ...t.carriedOver.map(String)],
            ...rows.map((x, i) => (i >= 2 && i <= 9 ? ["三、本年度办理结果（三）不予公开" + x[0], ...x.slice(1)] : x)),
            ["(七)总计", ...t.total.map(String)],
            ["四、结转下年度继续办理", ...t.carriedForward.map(String)],
          ),
        ],
      }),
    );
    expect(r.requests["denied.stateSecret"]).toEqual(withTotal(seq(31)).map(Number));
    expect(r.requests.granted).toEqual(withTotal(seq(11)).map(Number));
    expect(r.checks).toEqual([]);
  });

  it("joins numbers wrapped onto the next line and labels wrapped before their numbers", () => {
    const t = totals();
    const rows = requestRows();
    const r = build(
      report({
        requests: [
          table(false, ["一、本年新收政府信息公开申请数量", ...t.newReceived.slice(0, 6).map(String)], [String(t.newReceived[6])]),
          table(false, ["二、上年结转政府信息公开申请数量", ...t.carriedOver.map(String)]),
          table(
            false,
            ...rows.flatMap(([l, v]): string[][] =>
              l.length > 20 ? [[l.slice(0, 12)], [l.slice(12)], v.slice(0, 6), v.slice(6)] : [[l, ...v]],
            ),
            ["（七）总计", ...t.total.map(String)],
            ["四、结转下年度继续办理", ...t.carriedForward.map(String)],
          ),
        ],
      }),
    );
    expect(r.requests.newReceived).toEqual(t.newReceived);
    expect(r.requests["other.overdueFee"]).toEqual(withTotal(seq(201)).map(Number));
    expect(r.requests["notProcessed.confirmation"]).toEqual(withTotal(seq(181)).map(Number));
    expect(r.checks).toEqual([]);
  });

  it("reads a label cut after its numbers (its rest alone on the next row), and a label cut before them", () => {
    const t = totals();
    const rows = requestRows();
    const blanks = ["", "", "", "", "", "", ""];
    const r = build(
      report({
        requests: [
          table(false, ["一、本年新收政府信息公开申请数量", ...t.newReceived.map(String)], ["二、上年结转政府信息公开申请数量", ...t.carriedOver.map(String)]),
          table(
            false,
            ...rows.flatMap(([l, v]): string[][] =>
              // Long labels cut in two: first part with the numbers, rest alone below it (blank cells);
              // the 2. row the other way round.
              l.startsWith("1.申请人") ? [[l.slice(0, 13), ...v], [l.slice(13), ...blanks]] : l.startsWith("2.申请人") ? [[l.slice(0, 13), ...blanks], [l.slice(13), ...v]] : [[l, ...v]],
            ),
            ["（七）总计", ...t.total.map(String)],
            ["四、结转下年度继续办理", ...t.carriedForward.map(String)],
          ),
        ],
      }),
    );
    expect(r.requests["other.overdueCorrection"]).toEqual(withTotal(seq(191)).map(Number));
    expect(r.requests["other.overdueFee"]).toEqual(withTotal(seq(201)).map(Number));
    expect(r.requests["other.other"]).toEqual(withTotal(seq(211)).map(Number));
    expect(r.checks).toEqual([]);
    expect(r.diagnostics.filter((d) => d.code === "row.unmatched")).toEqual([]);
  });

  it("never guesses which cell of a shifted text row is blank", () => {
    const t = totals();
    const v = withTotal(seq(11));
    const r = build(
      report({
        requests: [
          table(
            false,
            ["一、本年新收政府信息公开申请数量", "", ...t.newReceived.map(String), ""], // shifted: extras are blanks at both ends, one reading
            ["（一）予以公开", "", "", ...v.slice(1), ""], // a real blank and a shift: two readings
            ["（二）部分公开", ...v.slice(0, 6)], // a blank vanished in text
          ),
        ],
      }),
    );
    expect(r.requests.newReceived).toEqual(t.newReceived);
    expect(r.requests.granted).toEqual([null, null, null, null, null, null, null]);
    expect(r.requests.partiallyGranted).toEqual([null, null, null, null, null, null, null]);
    const about = (key: string) => r.diagnostics.filter((d) => d.key === key);
    for (const c of REQUEST_COLUMNS) {
      expect(about(`requests.granted.${c}`)).toEqual([expect.objectContaining({ code: "row.unfit", severity: "warning", message: expect.stringContaining("cannot be told") })]);
      expect(about(`requests.partiallyGranted.${c}`)).toEqual([expect.objectContaining({ code: "row.unfit", message: expect.stringContaining("6 value cells") })]);
      expect(about(`requests.carriedOver.${c}`)).toEqual([expect.objectContaining({ code: "row.missing", message: expect.stringContaining("not found") })]);
      expect(r.provenance[`requests.granted.${c}`]).toMatchObject({ status: "unreadable" });
    }
  });

  it("reads real blanks and printed dashes in a grid as null, with a warning each", () => {
    const r = build(
      report({
        active: [
          table(true, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "3", "", "—"], ["行政规范性文件", "6", "7", "8"],
            ["行政许可", "9", "", ""], ["行政处罚", "/"], ["行政强制", "11"], ["行政事业性收费", "251000元"]),
        ],
      }),
    );
    expect(r.active).toMatchObject({
      regulations: { issued: 3, repealed: null, inForce: null },
      licensing: { decisions: 9 },
      penalties: { decisions: null },
      fees: { amountWanYuan: 25.1 },
    });
    expect(r.diagnostics).toEqual(expect.arrayContaining([
      expect.objectContaining({ code: "cell.blank", severity: "info", key: "active.regulations.repealed" }),
      expect.objectContaining({ code: "cell.dash", severity: "info", key: "active.regulations.inForce", message: expect.stringContaining('printed as "—"') }),
      expect.objectContaining({ code: "cell.dash", key: "active.penalties.decisions", message: expect.stringContaining('printed as "/"') }),
      expect.objectContaining({ code: "cell.unitConverted", severity: "info", key: "active.fees.amountWanYuan" }),
    ]));
    expect(r.provenance["active.regulations.issued"]).toEqual({ text: "3", status: "printed", place: { table: 1, row: 2, col: 2 } });
    expect(r.provenance["active.regulations.repealed"]).toMatchObject({ text: "", status: "blank", place: { table: 1, row: 2, col: 3 } });
    expect(r.provenance["active.regulations.inForce"]).toMatchObject({ text: "—", status: "dash", place: { col: 4 } });
    expect(r.provenance["active.fees.amountWanYuan"]).toMatchObject({ text: "251000元", status: "printed" });
  });

  it("reads the 2019 table 2 in its five blocks and （六） as one row", () => {
    const t = totals();
    const rows = requestRows();
    const other = [0, 1, 2, 3, 4, 5, 6].map((c) => rows.slice(18).reduce((a, [, v]) => a + Number(v[c]), 0));
    const r = build(
      report({
        active: [
          table(true, ["第二十条第（一）项"], ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"], ["规章", "1", "2", "3"], ["规范性文件", "4", "5", "6"],
            ["第二十条第（五）项"], ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], ["行政许可", "7", "-2", "9"], ["其他对外管理服务事项", "10", "+3", "12"],
            ["第二十条第（六）项"], ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], ["行政处罚", "13", "14", "15"], ["行政强制", "16", "17", "18"],
            ["第二十条第（八）项"], ["信息内容", "上一年项目数量", "本年增/减"], ["行政事业性收费", "19", "20"],
            ["第二十条第（九）项"], ["信息内容", "采购项目数量", "采购总金额"], ["政府集中采购", "21", "22.5万元"]),
        ],
        requests: [
          table(true,
            ["一、本年新收政府信息公开申请数量", ...t.newReceived.map(String)],
            ["二、上年结转政府信息公开申请数量", ...t.carriedOver.map(String)],
            ...rows.slice(0, 18).map(([l, v]) => [l, ...v]),
            ["（六）其他处理", ...other.map(String)],
            ["（七）总计", ...t.total.map(String)],
            ["四、结转下年度继续办理", ...t.carriedForward.map(String)]),
        ],
      }),
    );
    expect(r.template).toBe("2019");
    expect(r.active).toEqual({
      regulations: { newlyMade: 1, newlyPublished: 2, totalPublished: 3 },
      normativeDocuments: { newlyMade: 4, newlyPublished: 5, totalPublished: 6 },
      licensing: { previousYear: 7, change: -2, decisions: 9 },
      otherServices: { previousYear: 10, change: 3, decisions: 12 },
      penalties: { previousYear: 13, change: 14, decisions: 15 },
      coercion: { previousYear: 16, change: 17, decisions: 18 },
      fees: { previousYear: 19, change: 20 },
      procurement: { projects: 21, amountYuan: 225000 },
    });
    expect(r.requests.other).toEqual(other);
    expect(r.requests["other.other"]).toBeUndefined();
    expect(r.checks).toEqual([]);
  });

  it("reads a table 2 row by its block's header where the header prints other columns than the template's", () => {
    const diag = (r: ReportRecord, key: string) => r.diagnostics.filter((d) => d.key === key).map((d) => d.code);
    // A real 2022 report: block (一) headed in the 2019 form's words, the others in the 2021
    // form's (one column), and the trailing empty cells of a page's pipe rendering.
    const mixed = build(
      report({
        active: [
          table(true, ["第二十条第（一）项", "", "", ""], ["信息内容", "本年新 制作数量", "本年新 公开数量", "对外公开总数量"], ["规章", "1", "2", "3"], ["规范性文件", "4", "5", "6"],
            ["第二十条第（五）项", "", "", ""], ["信息内容", "处理决定数量", "", ""], ["行政许可", "117", "", ""],
            ["第二十条第（六）项", "", "", ""], ["信息内容", "处理决定数量", "", ""], ["行政处罚", "27", "", ""], ["行政强制", "8", "", ""],
            ["第二十条第（八）项", "", "", ""], ["信息内容", "本年度收费金额(单位:万元)", "", ""], ["行政事业性收费", "3.5", "", ""]),
        ],
      }),
    );
    expect(mixed.template).toBe("2019");
    expect(mixed.active).toEqual({
      regulations: { newlyMade: 1, newlyPublished: 2, totalPublished: 3 },
      normativeDocuments: { newlyMade: 4, newlyPublished: 5, totalPublished: 6 },
      // Before: 117, 27 and 8 were read as 上一年项目数量, the first of the 2019 form's three columns.
      licensing: { previousYear: null, change: null, decisions: 117 },
      otherServices: { previousYear: null, change: null, decisions: null },
      penalties: { previousYear: null, change: null, decisions: 27 },
      coercion: { previousYear: null, change: null, decisions: 8 },
      // The 2021 form's fee amount has no column in the 2019 form: not read, and said.
      fees: { previousYear: null, change: null },
      procurement: { projects: null, amountYuan: null },
    });
    expect(diag(mixed, "active.licensing.previousYear")).toEqual(["column.notPrinted"]);
    expect(diag(mixed, "active.penalties.change")).toEqual(["column.notPrinted"]);
    expect(diag(mixed, "active.fees.previousYear")).toEqual(["column.otherForm"]);
    expect(mixed.provenance["active.licensing.decisions"]).toMatchObject({ text: "117", status: "printed", place: { col: 2 } });

    // A 2021 report whose block (一) keeps the 2019 headings: those are other quantities
    // (本年新公开数量 is not 本年废止件数), so nothing of the block is read into the 2021 columns.
    const old = build(
      report({
        active: [
          table(true, ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"], ["规章", "3", "4", "5"], ["行政规范性文件", "6", "7", "8"],
            ["信息内容", "本年处理决定数量"], ["行政许可", "9"], ["行政处罚", "10"], ["行政强制", "11"],
            ["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", "12.5"],
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]),
        ],
      }),
    );
    expect(old.template).toBe("2021");
    expect(old.active.regulations).toEqual({ issued: null, repealed: null, inForce: null });
    expect(diag(old, "active.regulations.repealed")).toEqual(["column.otherForm"]);
    expect(old.active).toMatchObject({ licensing: { decisions: 9 }, penalties: { decisions: 10 }, coercion: { decisions: 11 }, fees: { amountWanYuan: 12.5 } });

    // A header heads its own block only: rows of the next block printed without a header
    // of their own are read by the template, not by the previous block's header.
    const headless = build(
      report({
        active: [
          table(true, ["信息内容", "本年制发件数"], ["规章", "3"], ["行政规范性文件", "6"],
            ["行政许可", "9"], ["行政处罚", "10"], ["行政强制", "11"], ["行政事业性收费", "12.5"]),
        ],
      }),
    );
    expect(headless.active).toMatchObject({ regulations: { issued: 3, repealed: null, inForce: null }, licensing: { decisions: 9 }, fees: { amountWanYuan: 12.5 } });
    expect(diag(headless, "active.regulations.inForce")).toEqual(["column.notPrinted"]);
    // A header whose words are not all clear (cut, unknown) is not used: the template's columns are read.
    const unclear = build(
      report({
        active: [table(true, ["信息内容", "本年新", "制作", "数量"], ["规章", "3", "4", "5"], ["行政规范性文件", "6", "7", "8"])],
      }),
    );
    expect(unclear.active.regulations).toEqual({ issued: 3, repealed: 4, inForce: 5 });
  });

  it("in text, reads by a block header padded to the table's width, and not by one the reader may have cut", async () => {
    const page = (block5: string) =>
      [
        "某区某局2022年度政府信息公开工作年度报告",
        "一、总体情况",
        "本年度工作概述。",
        "二、主动公开政府信息情况",
        "第二十条第(一)项 | |||",
        "信息内容 | 本年新 制作数量 | 本年新 公开数量 | 对外公开总数量 |",
        "规章 | 1 | 2 | 3 |",
        "规范性文件 | 4 | 5 | 6 |",
        "第二十条第(五)项 | |||",
        block5,
        "行政许可 | 117 | ||",
        "三、收到和处理政府信息公开申请情况",
        "无。",
      ].join("\n");
    const read = async (text: string) => {
      const out = await parseReport({ bytes: Buffer.from(text), name: "t.txt" });
      if (!out.ok) throw new Error(out.message);
      return out.record;
    };
    // The page's pipe rows pad the one-column block to the table's width: read by its header.
    const padded = await read(page("信息内容 | 处理决定数量 | ||"));
    expect(padded.active).toMatchObject({ licensing: { previousYear: null, change: null, decisions: 117 } });
    // A header row as narrow as its words may be a row the reader cut: not trusted. Where it
    // contradicts the template's columns, the row is null, never 117 as 上一年项目数量.
    const narrow = await read(page("信息内容 | 处理决定数量 |"));
    expect(narrow.active).toMatchObject({ licensing: { previousYear: null, change: null, decisions: null } });
    expect(narrow.diagnostics.filter((d) => d.key === "active.licensing.previousYear").map((d) => d.code)).toEqual(["row.headerUnclear"]);
    // Where what it names is the template's first column, the template's columns are read.
    const prefix = await read(page("信息内容 | 上一年项目数量 |").replace("行政许可 | 117 | ||", "行政许可 | 117 | 3 | 120 |"));
    expect(prefix.active).toMatchObject({ licensing: { previousYear: 117, change: 3, decisions: 120 } });
  });

  it("never gives a row the numbers after label lines that may hold two rows' labels, with a second row of numbers after them", () => {
    // A converter (PDF → markdown) wove the group label 无法提供 into two row labels, and
    // wrote the two rows' numbers after all the label lines.
    const rows = requestRows();
    const at = rows.findIndex(([l]) => l.startsWith("2.没有现成信息"));
    const r = build(
      report({
        requests: [
          requestsTable(false, (rs) => [
            ...labelled(rs.slice(0, at)),
            ["（四）无2.没有现成信息需要另"], ["法提供行制作"], ["3.补正后申请内容仍不"], ["明确"],
            rs[at][1], rs[at + 1][1],
            ...labelled(rs.slice(at + 2)),
          ]),
        ],
      }),
    );
    // Before: 3.补正后申请内容仍不明确 took the first numbers (those of 需要另行制作).
    expect(r.requests["unavailable.stillUnclear"]).toEqual(Array(7).fill(null));
    expect(r.diagnostics.find((d) => d.key === "requests.unavailable.stillUnclear.total")?.code).toBe("row.ambiguous");
    expect(r.requests["unavailable.notHeld"]).toEqual(rows[at - 1][1].map(Number));
    // A label taken among waiting lines that held nothing else keeps its numbers.
    const plain = build(
      report({
        requests: [
          requestsTable(false, (rs) => [...labelled(rs.slice(0, at + 1)), ["3.补正后申请内容仍不"], ["明确"], rs[at + 1][1], ...labelled(rs.slice(at + 2))]),
        ],
      }),
    );
    expect(plain.requests["unavailable.stillUnclear"]).toEqual(rows[at + 1][1].map(Number));
  });

  it("never reads numbers beside the labels of two rows in one cell as either row's", () => {
    const rows = requestRows();
    const at = rows.findIndex(([l]) => l.startsWith("1.属于国家秘密"));
    const r = build(
      report({
        requests: [
          requestsTable(true, (rs) => [...labelled(rs.slice(0, at)), ["（三）不予公开", "1.属于国家秘密\n2.其他法律行政法规禁止公开", ...rs[at][1]], ...labelled(rs.slice(at + 2))]),
        ],
      }),
    );
    expect(r.requests["denied.stateSecret"]).toEqual(Array(7).fill(null));
    expect(r.requests["denied.prohibitedByLaw"]).toEqual(Array(7).fill(null));
    expect(r.diagnostics.some((d) => d.code === "row.ambiguous" && d.message.includes("2.其他法律行政法规禁止公开"))).toBe(true);
    // A group label glued to its row's label is one row: read.
    expect(r.requests["denied.thirdPartyRights"]).toEqual(rows[at + 3][1].map(Number));
    const glued = build(report({ requests: [table(true, ["（三）不予公开1.属于国家秘密", ...rows[at][1]])] }));
    expect(glued.requests["denied.stateSecret"]).toEqual(rows[at][1].map(Number));
  });

  it("in a table read by OCR, a row with a contradicted cell is null when numbers without a label follow it at once", () => {
    // A real scan with a red stamp over table 2's rules: the rows' cells were merged, 行政许可's
    // label lost, its 298 read in 其他对外管理服务事项's row and its 716 left in a row of its own.
    const ocr = (text: string) => ({ ...cell(text), read: { status: "ocr" as const, confidence: 1 } });
    const active = (...rows: ReturnType<typeof cell>[][]) =>
      build(report({ active: [{ kind: "table", exactGrid: true, rows: [row("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"), ...rows] }] }));
    const stamped = active([cell("其他对外管理服务事项"), ocr("0"), ocr("?"), ocr("298")], [cell(""), ocr("716"), cell(""), cell("")]);
    expect(stamped.active).toMatchObject({ otherServices: { previousYear: null, change: null, decisions: null } });
    expect(stamped.diagnostics.find((d) => d.key === "active.otherServices.decisions")?.code).toBe("row.ambiguous");
    // Settled cells, or no stray numbers after the row: read as before.
    expect(active([cell("其他对外管理服务事项"), ocr("0"), ocr("5"), ocr("298")], [cell(""), ocr("716"), cell(""), cell("")]).active).toMatchObject({ otherServices: { decisions: 298 } });
    expect(active([cell("其他对外管理服务事项"), ocr("0"), ocr("?"), ocr("298")]).active).toMatchObject({ otherServices: { previousYear: 0, decisions: 298 } });
  });

  it("places a value by its column after merged cells are expanded, and keeps how the reader read it", () => {
    // A label spanning two rows covers column 1 of the second row: its cells start at column 2.
    const ocr = { ...cell("6"), read: { status: "ocr" as const, confidence: 0.87 } };
    const split = { ...cell("7"), read: { status: "split" as const } };
    const active: Block = {
      kind: "table",
      exactGrid: true,
      rows: [
        [cell("第二十条", 1, 1), cell("信息内容"), cell("本年制发件数"), cell("本年废止件数"), cell("现行有效件数")],
        [cell("（一）", 2, 1), cell("规章"), cell("3"), cell("4"), cell("5")],
        [cell("行政规范性文件"), ocr, split, cell("8")],
        [cell("行政许可", 1, 2), cell("9", 1, 3)],
      ],
    };
    const r = build(report({ active: [active] }));
    expect(r.active.normativeDocuments).toEqual({ issued: 6, repealed: 7, inForce: 8 });
    expect(r.provenance["active.regulations.issued"].place).toEqual({ table: 1, row: 2, col: 3 });
    expect(r.provenance["active.normativeDocuments.issued"]).toEqual({ text: "6", status: "ocr", confidence: 0.87, place: { table: 1, row: 3, col: 3 } });
    expect(r.provenance["active.normativeDocuments.repealed"]).toEqual({ text: "7", status: "split", place: { table: 1, row: 3, col: 4 } });
    expect(r.provenance["active.normativeDocuments.inForce"].place).toEqual({ table: 1, row: 3, col: 5 });
    // A spanning label takes two columns; the value after it starts at the third.
    expect(r.active.licensing.decisions).toBe(9);
    expect(r.provenance["active.licensing.decisions"].place).toEqual({ table: 1, row: 4, col: 3 });
  });

  it("sets a row printed twice with different values to null", () => {
    const r = build(report({ active: [table(true, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "3", "4", "5"], ["规章", "3", "4", "6"])] }));
    expect(r.active.regulations).toEqual({ issued: null, repealed: null, inForce: null });
    for (const c of ["issued", "repealed", "inForce"])
      expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: "row.printedTwice", key: `active.regulations.${c}`, message: expect.stringContaining("printed twice") }));
  });

  it("fails a document with no template table, and one that is no report", () => {
    const noTables = buildRecord({ meta: {}, diagnostics: [], blocks: [paragraph("测试局2024年政府信息公开工作年度报告"), paragraph("一、总体情况")] }, { bytes: new Uint8Array([1]), name: "x" }, "docx");
    expect(noTables).toMatchObject({ ok: false, code: "no-tables" });
    const notReport = buildRecord({ meta: {}, diagnostics: [], blocks: [paragraph("今天天气很好。")] }, { bytes: new Uint8Array([1]), name: "x" }, "text");
    expect(notReport).toMatchObject({ ok: false, code: "not-a-report" });
  });
});

describe("the narrative statement", () => {
  it("ignores counts of reviews, lawsuits and proposals", async () => {
    const { statedRequests } = await import("../normalizers/checks.js");
    const s = (text: string) => statedRequests([{ number: 3, title: "收到和处理政府信息公开申请情况", text }]);
    expect(s("本年度收到行政复议申请1件。本年度共收到政府信息公开申请12件。")).toEqual({ count: 12, evidence: "收到政府信息公开申请12件" });
    expect(s("收到人大建议申请5件。")).toBeNull();
    expect(s("本年度未收到政府信息公开申请。")?.count).toBe(0);
  });
});
