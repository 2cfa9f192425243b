// Where an unruled table starts and ends on a page, and what its columns and head rows
// are (extractors/pdf/stream.ts: streamTables, then streamPart's columns and heads), on
// hand-placed text: prose that cites numbers, a section heading after a table, a group
// label set alone between rows, column heads that span columns, numbers set off their heads.
import { describe, expect, it } from "vitest";
import type { Line, Piece } from "../extractors/pdf/geometry.js";
import { streamPart, streamTables } from "../extractors/pdf/stream.js";
import { linesOf, rows, SIZE } from "./helpers/stream.js";

const WIDTH = 500;
const tablesOf = (lines: Line[]) => streamTables(lines, WIDTH).map((t) => ({ at: t.at, end: t.end, rows: rows(t.part) }));
/** A line from pieces placed exactly (x0 and x1 given): for numbers that touch or overlap. */
const exact = (y: number, ps: [string, number, number][]): Line => {
  const pieces: Piece[] = ps.map(([str, x0, x1]) => ({ str, x0, x1, y, size: SIZE }));
  return { page: 1, y, size: SIZE, x0: pieces[0].x0, x1: Math.max(...pieces.map((p) => p.x1)), text: ps.map((p) => p[0]).join(" "), pieces };
};

describe("where an unruled table is", () => {
  it("prose is no table, even when it cites numbers", () => {
    expect(
      tablesOf(
        linesOf(
          ["本年度共收到政府信息公开申请14件，上年结转3件，全部按时办结。", 60, 700],
          ["其中予以公开", 60, 680], ["9", 136, 680], ["件，部分公开", 144, 680], ["2", 220, 680], ["件。", 228, 680],
        ),
      ),
    ).toEqual([]);
  });

  it("two lines whose numbers stand in columns are a table; the same numbers scattered are not", () => {
    expect(tablesOf(linesOf(["甲", 60, 700], ["1", 200, 700], ["2", 260, 700], ["乙乙乙乙", 60, 680], ["3", 200, 680], ["4", 260, 680]))).toEqual([
      { at: 0, end: 2, rows: [["甲", "1", "2"], ["乙乙乙乙", "3", "4"]] },
    ]);
    expect(tablesOf(linesOf(["甲", 60, 700], ["1", 120, 700], ["2", 180, 700], ["乙乙乙乙", 60, 680], ["3", 200, 680], ["4", 290, 680]))).toEqual([]);
  });

  it("one line is a table only when it is a wide row (four numbers or more)", () => {
    expect(tablesOf(linesOf(["总计", 60, 700], ["1", 200, 700], ["2", 230, 700], ["3", 260, 700], ["6", 290, 700]))).toEqual([
      { at: 0, end: 1, rows: [["总计", "1", "2", "3", "6"]] },
    ]);
    expect(tablesOf(linesOf(["总计", 60, 700], ["1", 200, 700], ["2", 230, 700], ["3", 260, 700]))).toEqual([]);
  });

  it("a gap of several lines between rows ends a table: two tables", () => {
    const found = tablesOf(
      linesOf(
        ["行一", 60, 700], ["11", 200, 700], ["12", 260, 700], ["行二", 60, 680], ["21", 200, 680], ["22", 260, 680],
        ["行三", 60, 580], ["31", 200, 580], ["32", 260, 580], ["行四", 60, 560], ["41", 200, 560], ["42", 260, 560],
      ),
    );
    expect(found).toEqual([
      { at: 0, end: 2, rows: [["行一", "11", "12"], ["行二", "21", "22"]] },
      { at: 2, end: 4, rows: [["行三", "31", "32"], ["行四", "41", "42"]] },
    ]);
  });

  it("a table ends at a wide line of prose or a sentence right under its last row", () => {
    const two = (y: number): [string, number, number][] => [["行一", 60, y], ["11", 200, y], ["12", 260, y], ["行二", 60, y - 20], ["21", 200, y - 20], ["22", 260, y - 20]];
    const ends = (...more: [string, number, number][]) => streamTables(linesOf(...two(700), ...more), WIDTH).map((t) => [t.at, t.end]);
    expect(ends(["本年度政府信息公开工作中存在的主要问题是部分栏目更新不及时", 60, 664])).toEqual([[0, 2]]);
    expect(ends(["无。", 60, 670])).toEqual([[0, 2]]);
    // A short line just under the last row is the end of its label: it belongs to the table.
    expect(ends(["续行", 60, 668])).toEqual([[0, 3]]);
    // Not one wider than a cell, nor one further down.
    expect(ends(["一二三四五六七八九十一二三四五六七八九十一", 60, 668])).toEqual([[0, 2]]);
    expect(ends(["续行", 60, 650])).toEqual([[0, 2]]);
    // A row after a tall gap (five lines) is still the table's: rows may be tall.
    expect(tablesOf(linesOf(...two(700), ["行三", 60, 620], ["31", 200, 620], ["32", 260, 620]))).toEqual([
      { at: 0, end: 3, rows: [["行一", "11", "12"], ["行二", "21", "22"], ["行三", "31", "32"]] },
    ]);
  });

  it("numbers stand in columns set right or centred as well as left", () => {
    const right = linesOf(["甲", 60, 700], ["1", 206, 700], ["45", 262, 700], ["乙乙", 60, 680], ["123", 194, 680], ["6", 268, 680]);
    expect(tablesOf(right)).toEqual([{ at: 0, end: 2, rows: [["甲", "1", "45"], ["乙乙", "123", "6"]] }]);
    const centred = linesOf(["甲", 60, 700], ["1", 203, 700], ["45", 262, 700], ["乙乙", 60, 680], ["123", 197, 680], ["6", 265, 680]);
    expect(tablesOf(centred)).toEqual([{ at: 0, end: 2, rows: [["甲", "1", "45"], ["乙乙", "123", "6"]] }]);
  });

  it("a group label alone between rows (三、本年度办理结果) stays in the table; a section heading after it ends it", () => {
    expect(
      tablesOf(
        linesOf(
          ["信息内容", 60, 700], ["甲数", 200, 700], ["乙数", 260, 700],
          ["（一）予以公开", 60, 680], ["11", 200, 680], ["12", 260, 680],
          ["三、本年度办理结果", 60, 660],
          ["（二）部分公开", 60, 646], ["21", 200, 646], ["22", 260, 646],
          ["四、政府信息公开行政复议、行政诉讼情况", 60, 620],
          ["本年度无行政复议。", 60, 600],
        ),
      ),
    ).toEqual([
      {
        at: 0,
        end: 4,
        rows: [["信息内容", "甲数", "乙数"], ["（一）予以公开", "11", "12"], ["三、本年度办理结果", "", ""], ["（二）部分公开", "21", "22"]],
      },
    ]);
  });

  it("head lines above the first row are taken back up to the section heading; the tail of the last label is kept", () => {
    const page = linesOf(
      ["本机关现将本年度政府信息公开工作情况报告如下。", 60, 740],
      ["三、收到和处理政府信息公开申请情况", 60, 710],
      ["申请人情况", 235, 690],
      ["信息内容", 60, 674], ["自然人", 220, 674], ["法人", 290, 674],
      ["1.第一行", 60, 654], ["11", 230, 654], ["12", 290, 654],
      ["2.第二行的标签很长很长很长", 60, 634], ["21", 230, 634], ["22", 290, 634],
      ["的续行", 60, 620],
      ["四、政府信息公开行政复议、行政诉讼情况", 60, 560],
    );
    const found = streamTables(page, WIDTH);
    expect(found.map((t) => [t.at, t.end])).toEqual([[2, 7]]);
    const p = found[0].part;
    // 申请人情况 stands over both value columns: a row of its own, spanning them, over the heads.
    expect(p.cells.filter((c) => c.r === 0)).toEqual([
      { r: 0, c: 0, rs: 1, cs: 1, text: "" },
      { r: 0, c: 1, rs: 1, cs: 2, text: "申请人情况" },
    ]);
    expect(rows(p)).toEqual([
      ["", "申请人情况"],
      ["信息内容", "自然人", "法人"],
      ["1.第一行", "11", "12"],
      ["2.第二行的标签很长很长很长的续行", "21", "22"],
    ]);
    expect(p.labelCols).toBe(1);
    // Column edges: the label column's start, then between the value columns' bands.
    expect(p.xs).toEqual([60, 229, (242 + 290) / 2, 303]);
  });
});

describe("an unruled table's columns and heads", () => {
  it("numbers of two columns that touch (no padding) are two columns, cut between them", () => {
    const p = streamPart(
      [
        exact(500, [["信息内容", 60, 108], ["甲", 200, 212], ["乙", 214, 226]]),
        exact(480, [["行一", 60, 84], ["12", 200, 212.6], ["34", 212, 224]]),
        exact(460, [["行二", 60, 84], ["5", 206, 212], ["6", 218, 224]]),
      ],
      1,
    );
    expect(rows(p)).toEqual([["信息内容", "甲", "乙"], ["行一", "12", "34"], ["行二", "5", "6"]]);
    expect(p.xs).toEqual([60, 199, 212.3, 225]);
  });

  it("a column whose numbers stand right of its head, under no head, is that head's column", () => {
    const p = streamPart(
      linesOf(["信息内容", 60, 500], ["甲数", 200, 500], ["乙数", 300, 500], ["行一", 60, 480], ["11", 200, 480], ["12", 330, 480], ["行二", 60, 460], ["21", 200, 460], ["22", 330, 460]),
      1,
    );
    expect(rows(p)).toEqual([["信息内容", "甲数", "乙数"], ["行一", "11", "12"], ["行二", "21", "22"]]);
    expect(p.xs).toEqual([60, 199, (212 + 330) / 2, 343]);
  });

  it("numbers of one column set left in one row and right in another are that column's, under its head", () => {
    const p = streamPart(
      linesOf(["信息内容", 60, 500], ["甲数", 200, 500], ["总计", 380, 500], ["行一", 60, 480], ["11", 200, 480], ["1", 380, 480], ["行二", 60, 460], ["21", 200, 460], ["9", 398, 460]),
      1,
    );
    expect(rows(p)).toEqual([["信息内容", "甲数", "总计"], ["行一", "11", "1"], ["行二", "21", "9"]]);
    expect(p.xs).toEqual([60, 199, (212 + 380) / 2, 405]);
  });

  it("a head over two columns with heads of its own under it: a row of spanning heads over the column heads", () => {
    const p = streamPart(
      linesOf(
        ["自然人", 200, 684], ["法人或其他组织", 250, 684], ["总计", 380, 684],
        ["商业", 260, 668], ["科研", 320, 668],
        ["（一）予以公开", 60, 650], ["11", 204, 650], ["12", 266, 650], ["13", 326, 650], ["36", 386, 650],
        ["（二）部分公开", 60, 634], ["21", 204, 634], ["22", 266, 634], ["23", 326, 634], ["66", 386, 634],
      ),
      1,
    );
    expect(p.cells.filter((c) => c.r <= 1)).toEqual([
      { r: 0, c: 0, rs: 1, cs: 1, text: "" },
      { r: 0, c: 1, rs: 1, cs: 1, text: "" },
      { r: 0, c: 2, rs: 1, cs: 2, text: "法人或其他组织" },
      { r: 0, c: 4, rs: 1, cs: 1, text: "" },
      { r: 1, c: 0, rs: 1, cs: 1, text: "" },
      { r: 1, c: 1, rs: 1, cs: 1, text: "自然人" },
      { r: 1, c: 2, rs: 1, cs: 1, text: "商业" },
      { r: 1, c: 3, rs: 1, cs: 1, text: "科研" },
      { r: 1, c: 4, rs: 1, cs: 1, text: "总计" },
    ]);
    expect(rows(p).slice(2)).toEqual([
      ["（一）予以公开", "11", "12", "13", "36"],
      ["（二）部分公开", "21", "22", "23", "66"],
    ]);
  });

  it("a column blank in every row whose head is printed on two lines is one column", () => {
    const p = streamPart(
      linesOf(
        ["信息内容", 60, 500], ["甲数", 200, 500], ["本年", 260, 500], ["丙数", 320, 500],
        ["废止数", 254, 486],
        ["行一", 60, 470], ["11", 200, 470], ["13", 320, 470],
        ["行二", 60, 450], ["21", 200, 450], ["23", 320, 450],
      ),
      1,
    );
    expect(p.cells.filter((c) => c.r === 0).map((c) => c.text)).toEqual(["信息内容", "甲数", "本年\n废止数", "丙数"]);
    expect(rows(p).slice(1)).toEqual([["行一", "11", "", "13"], ["行二", "21", "", "23"]]);
  });

  it("a head's words a few points apart over one column are one head", () => {
    const p = streamPart(linesOf(["信息内容", 60, 500], ["本年", 200, 500], ["废止", 228, 500], ["行一", 60, 480], ["123456", 206, 480], ["行二", 60, 460], ["654321", 206, 460]), 1);
    expect(p.cells.filter((c) => c.r === 0).map((c) => c.text)).toEqual(["信息内容", "本年废止"]);
    expect(rows(p).slice(1)).toEqual([["行一", "123456"], ["行二", "654321"]]);
  });

  it("a title over the head row belongs to the head, not to the rows", () => {
    const p = streamPart(linesOf(["第二十条第（一）项", 60, 520], ["信息内容", 60, 500], ["甲数", 200, 500], ["乙数", 260, 500], ["规章", 60, 480], ["3", 200, 480], ["4", 260, 480]), 1);
    expect(p.cells.filter((c) => c.r === 0).map((c) => c.text)).toEqual(["第二十条第（一）项\n信息内容", "甲数", "乙数"]);
    expect(rows(p)).toEqual([["第二十条第（一）项信息内容", "甲数", "乙数"], ["规章", "3", "4"]]);
  });

  it("table 4: numbers under heads with no label column; a head over two columns spans them; a number wrapped in its cell is one", () => {
    const p = streamPart(
      linesOf(["行政复议", 200, 520], ["维持", 200, 500], ["纠正", 240, 500], ["总计", 280, 500], ["1", 204, 480], ["2", 244, 480], ["１２３", 280, 480], ["４", 280, 468]),
      1,
    );
    expect(p.labelCols).toBe(0);
    expect(p.cells.map(({ at, ...c }) => c)).toEqual([
      { r: 0, c: 0, rs: 1, cs: 2, text: "行政复议" },
      { r: 0, c: 2, rs: 1, cs: 1, text: "" },
      { r: 1, c: 0, rs: 1, cs: 1, text: "维持" },
      { r: 1, c: 1, rs: 1, cs: 1, text: "纠正" },
      { r: 1, c: 2, rs: 1, cs: 1, text: "总计" },
      { r: 2, c: 0, rs: 1, cs: 1, text: "1" },
      { r: 2, c: 1, rs: 1, cs: 1, text: "2" },
      { r: 2, c: 2, rs: 1, cs: 1, text: "１２３４" },
    ]);
    // Each value's area on its page: its extent, from its baseline down 0.2 em and up 0.8 em.
    const at = (text: string) => p.cells.find((c) => c.text === text)?.at;
    expect(at("1")).toEqual({ page: 1, x0: 204, x1: 210, y0: 480 - 0.2 * SIZE, y1: 480 + 0.8 * SIZE });
    expect(at("2")).toEqual({ page: 1, x0: 244, x1: 250, y0: 480 - 0.2 * SIZE, y1: 480 + 0.8 * SIZE });
    expect(at("１２３４")).toMatchObject({ page: 1, x0: 280, x1: 316 });
  });
});
