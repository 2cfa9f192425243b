// Rows of an unruled table (extractors/pdf/stream.ts: labels, numbers matched to labels),
// on hand-placed text: labels wrapped over lines, a label that is not continued, numbers
// no label can reach, numbers run together across columns, and a number wrapped in its cell.
import { describe, expect, it } from "vitest";
import { streamPart } from "../extractors/pdf/stream.js";
import { linesOf, rows } from "./helpers/stream.js";

describe("rows of an unruled table", () => {
  it("a label wrapped over full lines is one cell; a line under a short one is a row of its own", () => {
    // Values start at x=250: a label line reaching x ≥ 217 is full (it wrapped at the cell's edge).
    const p = streamPart(
      linesOf(
        ["信息内容", 60, 500], ["甲数", 250, 500], ["乙数", 310, 500],
        ["1.一二三四五六七八九十一二三", 60, 480], ["11", 250, 480], ["12", 310, 480],
        ["四五六七八九十一二三四五六七", 60, 466],
        ["八九", 60, 452],
        ["短标签", 60, 430], ["21", 250, 430], ["22", 310, 430],
        ["另一行", 60, 416],
      ),
      1,
    );
    expect(rows(p)).toEqual([
      ["信息内容", "甲数", "乙数"],
      ["1.一二三四五六七八九十一二三四五六七八九十一二三四五六七八九", "11", "12"],
      ["短标签", "21", "22"],
      ["另一行", "", ""],
    ]);
    expect(p.cells.find((c) => c.text.startsWith("1."))?.text).toBe("1.一二三四五六七八九十一二三\n四五六七八九十一二三四五六七\n八九");
  });

  it("a line further below a full line than the label's line pitch is the next row's label", () => {
    const p = streamPart(
      linesOf(
        ["信息内容", 60, 500], ["甲数", 250, 500],
        ["1.一二三四五六七八九十一二三", 60, 480], ["11", 250, 480],
        ["四五六七八九十一二三四五六七", 60, 466],
        ["八九", 60, 438], ["21", 250, 438],
      ),
      1,
    );
    expect(rows(p)).toEqual([
      ["信息内容", "甲数"],
      ["1.一二三四五六七八九十一二三四五六七八九十一二三四五六七", "11"],
      ["八九", "21"],
    ]);
  });

  it("group labels span their items' rows down to the next group or a row labelled in their column", () => {
    const p = streamPart(
      linesOf(
        ["信息内容", 60, 500], ["甲数", 300, 500], ["乙数", 340, 500],
        ["（一）予以公开", 60, 480], ["11", 300, 480], ["12", 340, 480],
        ["（三）不予", 60, 460], ["1.国家秘密", 130, 460], ["21", 300, 460], ["22", 340, 460],
        ["公开", 60, 446], ["2.法律禁止", 130, 440], ["31", 300, 440], ["32", 340, 440],
        ["3.三安全", 130, 420], ["41", 300, 420], ["42", 340, 420],
        ["（四）无法", 60, 400], ["1.不掌握", 130, 400], ["51", 300, 400], ["52", 340, 400],
        ["提供", 60, 386], ["2.需制作", 130, 380], ["61", 300, 380], ["62", 340, 380],
        ["（七）总计", 60, 360], ["71", 300, 360], ["72", 340, 360],
      ),
      1,
    );
    expect(p.labelCols).toBe(2);
    expect(p.cells.filter((c) => c.c < 2).map((c) => [c.r, c.c, c.rs, c.cs, c.text.replace(/\n/g, "")])).toEqual([
      [0, 0, 1, 2, "信息内容"],
      [1, 0, 1, 2, "（一）予以公开"],
      [2, 0, 3, 1, "（三）不予公开"],
      [2, 1, 1, 1, "1.国家秘密"],
      [3, 1, 1, 1, "2.法律禁止"],
      [4, 1, 1, 1, "3.三安全"],
      [5, 0, 2, 1, "（四）无法提供"],
      [5, 1, 1, 1, "1.不掌握"],
      [6, 1, 1, 1, "2.需制作"],
      [7, 0, 1, 2, "（七）总计"],
    ]);
    expect(rows(p).map((r) => r.slice(-2))).toEqual([["甲数", "乙数"], ["11", "12"], ["21", "22"], ["31", "32"], ["41", "42"], ["51", "52"], ["61", "62"], ["71", "72"]]);
  });

  it("a value's area is on its own page: a row moved to follow the page before is moved back", () => {
    const lines = linesOf(
      ["信息内容", 60, 500], ["甲数", 200, 500],
      ["行一", 60, 480], ["11", 200, 480],
      ["行二", 60, 460], ["21", 200, 460],
    );
    // 行二 was printed at the top of page 2 (y 760) and moved down by 300 to follow page 1's rows.
    lines[2] = { ...lines[2], page: 2, dy: -300 };
    const p = streamPart(lines, 1);
    const at = (text: string) => p.cells.find((c) => c.text === text)?.at;
    expect(at("11")).toEqual({ page: 1, x0: 200, x1: 212, y0: 480 - 2.4, y1: 480 + 9.6 });
    expect(at("21")).toEqual({ page: 2, x0: 200, x1: 212, y0: 760 - 2.4, y1: 760 + 9.6 });
  });

  it("a number wrapped in its cell is one number where rows are padded (lines in a cell closer than lines of two cells)", () => {
    const p = streamPart(
      linesOf(
        ["信息内容", 60, 520], ["甲数", 200, 520], ["乙数", 260, 520],
        ["行零很长很长的标签", 60, 496], ["01", 200, 496], ["02", 260, 496],
        ["续", 60, 484],
        ["行一", 60, 460], ["１４６", 200, 460], ["12", 260, 460],
        ["８６", 200, 448],
        ["行二", 60, 424], ["21", 200, 424], ["22", 260, 424],
      ),
      1,
    );
    expect(rows(p).slice(1)).toEqual([["行零很长很长的标签续", "01", "02"], ["行一", "１４６８６", "12"], ["行二", "21", "22"]]);
    expect(p.notes).toBeUndefined();
  });

  it("an item number opens a cell of its own even right against the text before it", () => {
    const line = (y: number, ps: [string, number, number][]) => ({
      page: 1, y, size: 12, x0: ps[0][1], x1: ps[ps.length - 1][2], text: ps.map((q) => q[0]).join(""),
      pieces: ps.map(([str, x0, x1]) => ({ str, x0, x1, y, size: 12 })),
    });
    const p = streamPart([line(500, [["信息内容", 60, 108], ["甲数", 200, 224]]), line(480, [["（三）不予公开", 60, 144], ["1.属于国家秘密", 144, 188], ["5", 200, 206]])], 1);
    expect(rows(p)).toEqual([["信息内容", "甲数"], ["（三）不予公开", "1.属于国家秘密", "5"]]);
    expect(p.labelCols).toBe(2);
  });

  it("a label column that starts at the same place on several lines opens a cell there, even a few points after the text before it", () => {
    const p = streamPart(
      linesOf(["信息内容", 60, 500], ["甲数", 200, 500], ["（一）类", 60, 480], ["甲项", 112, 480], ["11", 200, 480], ["（二）类", 60, 460], ["乙项", 112, 460], ["21", 200, 460]),
      1,
    );
    expect(p.labelCols).toBe(2);
    expect(rows(p).slice(1)).toEqual([["（一）类", "甲项", "11"], ["（二）类", "乙项", "21"]]);
  });

  it("a group label over groups spans all their rows; each inner group spans its own items", () => {
    const p = streamPart(
      linesOf(
        ["信息内容", 60, 500], ["甲数", 300, 500], ["乙数", 340, 500],
        ["三、办理", 60, 480], ["（一）予以公开", 110, 480], ["11", 300, 480], ["12", 340, 480],
        ["结果", 60, 466],
        ["（三）不予", 110, 460], ["1.国家秘密", 180, 460], ["21", 300, 460], ["22", 340, 460],
        ["公开", 110, 446], ["2.法律禁止", 180, 440], ["31", 300, 440], ["32", 340, 440],
        ["（四）其他", 110, 420], ["41", 300, 420], ["42", 340, 420],
        ["四、结转", 60, 400], ["51", 300, 400], ["52", 340, 400],
      ),
      1,
    );
    expect(p.labelCols).toBe(3);
    expect(p.cells.filter((c) => c.c < 3).map((c) => [c.r, c.c, c.rs, c.cs, c.text.replace(/\n/g, "")])).toEqual([
      [0, 0, 1, 3, "信息内容"],
      [1, 0, 4, 1, "三、办理结果"],
      [1, 1, 1, 2, "（一）予以公开"],
      [2, 1, 2, 1, "（三）不予公开"],
      [2, 2, 1, 1, "1.国家秘密"],
      [3, 2, 1, 1, "2.法律禁止"],
      [4, 1, 1, 2, "（四）其他"],
      [5, 0, 1, 3, "四、结转"],
    ]);
    expect(rows(p).map((r) => r.slice(-2))).toEqual([["甲数", "乙数"], ["11", "12"], ["21", "22"], ["31", "32"], ["41", "42"], ["51", "52"]]);
  });

  it("a group label's span stops at a head row inside the table", () => {
    const p = streamPart(
      linesOf(
        ["信息内容", 60, 500], ["甲数", 300, 500],
        ["（三）不予", 60, 480], ["1.国家秘密", 130, 480], ["21", 300, 480],
        ["公开", 60, 466], ["2.法律禁止", 130, 460], ["31", 300, 460],
        ["项目", 60, 440], ["丙数", 300, 440],
        ["3.三安全", 130, 420], ["41", 300, 420],
      ),
      1,
    );
    expect(p.cells.filter((c) => c.c < 2).map((c) => [c.r, c.c, c.rs, c.cs, c.text.replace(/\n/g, "")])).toEqual([
      [0, 0, 1, 2, "信息内容"],
      [1, 0, 2, 1, "（三）不予公开"],
      [1, 1, 1, 1, "1.国家秘密"],
      [2, 1, 1, 1, "2.法律禁止"],
      [3, 0, 1, 2, "项目"],
      [4, 0, 1, 1, ""],
      [4, 1, 1, 1, "3.三安全"],
    ]);
  });

  it("rows of numbers with no labels (table 4's) a line apart in every column are two rows, not wrapped numbers", () => {
    const head: [string, number, number][] = [["维", 200, 500], ["正", 240, 500], ["计", 280, 500]];
    const tight = streamPart(linesOf(...head, ["１２", 200, 480], ["２３", 240, 480], ["３４", 280, 480], ["４５", 200, 468], ["５６", 240, 468], ["６７", 280, 468]), 1);
    expect(rows(tight).slice(1)).toEqual([["１２", "２３", "３４"], ["４５", "５６", "６７"]]);
    const apart = streamPart(linesOf(...head, ["１", 200, 480], ["２", 240, 480], ["３", 280, 480], ["４", 200, 450], ["５", 240, 450], ["６", 280, 450]), 1);
    expect(rows(apart).slice(1)).toEqual([["１", "２", "３"], ["４", "５", "６"]]);
  });

  it("numbers out of reach of every label are a row of their own, never a label's", () => {
    const p = streamPart(
      linesOf(
        ["信息内容", 60, 500], ["甲数", 200, 500], ["乙数", 260, 500],
        ["行一", 60, 480], ["11", 200, 480], ["12", 260, 480],
        ["行二", 60, 460], ["21", 200, 460], ["22", 260, 460],
        ["91", 200, 400], ["92", 260, 400],
      ),
      1,
    );
    expect(rows(p)).toEqual([["信息内容", "甲数", "乙数"], ["行一", "11", "12"], ["行二", "21", "22"], ["", "91", "92"]]);
  });

  it("digits run together over several columns are not read: its row's cells stay blank, and a note says so", () => {
    const p = streamPart(
      linesOf(
        ["信息内容", 60, 500], ["甲数", 200, 500], ["乙数", 260, 500], ["丙数", 320, 500],
        ["行一", 60, 480], ["11", 200, 480], ["12", 260, 480], ["13", 320, 480],
        ["行二", 60, 460], ["212223242526", 200, 460],
        ["行三", 60, 440], ["31", 200, 440], ["32", 260, 440], ["33", 320, 440],
      ),
      1,
    );
    const r = rows(p);
    expect(r.find((x) => x[0] === "行一")).toEqual(["行一", "11", "12", "13"]);
    expect(r.find((x) => x[0] === "行二")).toEqual(["行二", "", "", ""]);
    expect(r.find((x) => x[0] === "行三")).toEqual(["行三", "31", "32", "33"]);
    // Its digits are given to no column of any labelled row.
    expect(r.filter((x) => x[0] !== "").flat()).not.toContain("212223242526");
    expect(p.notes).toEqual([
      '"212223242526" spans the numbers of several columns on another row: several cells\' numbers run together (no space between the cells); it was not read',
    ]);
  });

  // Rows set one line apart with no padding, a number wrapped over two lines in its cell
  // (１４６ / ８６), and the row above blank in that column. The order-preserving assignment
  // gave the first line to the row above and the second to the number's own row: two wrong
  // numbers (行零 = １４６, 行一 = ８６). A number on a label's first line now belongs to that
  // row or to none (stream.ts assign).
  it("a number wrapped in its cell under a row blank in that column stays in its own row", () => {
    const p = streamPart(
      linesOf(
        ["信息内容", 60, 520], ["甲数", 200, 520], ["乙数", 260, 520],
        ["行零", 60, 492], ["02", 260, 492],
        ["行一", 60, 480], ["１４６", 200, 480], ["12", 260, 480],
        ["８６", 200, 468],
        ["行二", 60, 456], ["21", 200, 456], ["22", 260, 456],
      ),
      1,
    );
    const r = rows(p);
    // Never a wrong number: 行零's cell is blank; 行一's is the wrapped number or, if that cannot be told, blank.
    expect(r.find((x) => x[0] === "行零")).toEqual(["行零", "", "02"]);
    expect(["１４６８６", ""]).toContain(r.find((x) => x[0] === "行一")?.[1]);
  });
});
