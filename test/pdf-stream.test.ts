// Unruled tables from text positions alone (extractors/pdf/stream.ts), on hand-placed
// text: the cases real borderless PDFs mix, one at a time.
import { describe, expect, it } from "vitest";
import { pieces } from "../extractors/pdf/geometry.js";
import { median, streamPart, streamTables } from "../extractors/pdf/stream.js";
import { linesOf, rows } from "./helpers/stream.js";

describe("unruled tables", () => {
  it("a row's numbers set at the top, middle and bottom of a tall row stay in that row", () => {
    const p = streamPart(
      linesOf(
        ["信息内容", 60, 500], ["甲数", 200, 500], ["乙数", 260, 500], ["丙数", 320, 500],
        ["1.第一行的标签文字很长", 60, 480], ["11", 200, 480],
        ["需要换行", 60, 466], ["12", 260, 466],
        ["13", 320, 452],
        ["2.第二行", 60, 430], ["21", 200, 430], ["22", 260, 430], ["23", 320, 430],
      ),
      1,
    );
    expect(rows(p)).toEqual([
      ["信息内容", "甲数", "乙数", "丙数"],
      ["1.第一行的标签文字很长需要换行", "11", "12", "13"],
      ["2.第二行", "21", "22", "23"],
    ]);
    expect(p.exact).toBe(false);
  });

  it("a column blank in every row keeps its place from its head; a blank cell stays blank", () => {
    const p = streamPart(
      linesOf(
        ["信息内容", 60, 500], ["甲数", 200, 500], ["乙数", 260, 500], ["丙数", 320, 500],
        ["行一", 60, 480], ["11", 200, 480], ["13", 320, 480],
        ["行二", 60, 460], ["21", 200, 460], ["23", 320, 460],
        ["行三", 60, 440], ["23", 320, 440],
      ),
      1,
    );
    expect(rows(p).slice(1)).toEqual([
      ["行一", "11", "", "13"],
      ["行二", "21", "", "23"],
      ["行三", "", "", "23"],
    ]);
  });

  it("a label row with no numbers does not take its neighbour's numbers", () => {
    const p = streamPart(
      linesOf(
        ["信息内容", 60, 500], ["甲数", 200, 500], ["乙数", 260, 500],
        ["行一", 60, 480], ["11", 200, 480], ["12", 260, 480],
        ["行二", 60, 460],
        ["行三", 60, 440], ["31", 200, 440], ["32", 260, 440],
      ),
      1,
    );
    expect(rows(p).slice(1)).toEqual([
      ["行一", "11", "12"],
      ["行二", "", ""],
      ["行三", "31", "32"],
    ]);
  });

  it("a group label beside its items spans their rows; the items keep their own labels", () => {
    const p = streamPart(
      linesOf(
        ["信息内容", 60, 500], ["甲数", 200, 500], ["乙数", 260, 500],
        ["（三）", 60, 480], ["1.其一", 110, 480], ["11", 200, 480], ["12", 260, 480],
        ["不予公", 60, 466],
        ["开", 60, 452], ["2.其二", 110, 460], ["21", 200, 460], ["22", 260, 460],
        ["3.其三", 110, 440], ["31", 200, 440], ["32", 260, 440],
        ["四、结转", 60, 420], ["41", 200, 420], ["42", 260, 420],
      ),
      1,
    );
    const group = p.cells.find((c) => c.text.replace(/\n/g, "") === "（三）不予公开");
    expect(group).toMatchObject({ r: 1, c: 0, rs: 3 });
    expect(rows(p).slice(1)).toEqual([
      ["（三）不予公开", "1.其一", "11", "12"],
      ["2.其二", "21", "22"],
      ["3.其三", "31", "32"],
      ["四、结转", "41", "42"],
    ]);
  });

  it("a line that opens a new item is a new row even right under a full line", () => {
    const p = streamPart(
      linesOf(
        ["信息内容", 60, 500], ["甲数", 200, 500],
        ["1.一二三四五六七八九十", 60, 480], ["11", 200, 480],
        ["2.其二", 60, 466], ["21", 200, 466],
      ),
      1,
    );
    expect(rows(p).slice(1)).toEqual([
      ["1.一二三四五六七八九十", "11"],
      ["2.其二", "21"],
    ]);
  });

  it("a number wrapped inside its cell is one number: lines in a cell closer than lines of neighbouring cells", () => {
    const p = streamPart(
      linesOf(
        ["信息内容", 60, 500], ["甲数", 200, 500], ["乙数", 260, 500],
        ["1.一二三四五六七八九十", 60, 480], ["１４６", 200, 480], ["12", 260, 480],
        ["续", 60, 468], ["８６", 200, 468],
        ["2.其二", 60, 450], ["21", 200, 450], ["22", 260, 450],
      ),
      1,
    );
    expect(rows(p).slice(1)).toEqual([
      ["1.一二三四五六七八九十续", "１４６８６", "12"],
      ["2.其二", "21", "22"],
    ]);
  });

  it("a number wrapped inside its cell is one number: no other row could own the second line", () => {
    const p = streamPart(
      linesOf(
        ["信息内容", 60, 500], ["甲数", 200, 500], ["乙数", 260, 500],
        ["行一", 60, 480], ["１４６", 200, 480], ["12", 260, 480],
        ["８６", 200, 468],
        ["行二", 60, 456], ["21", 200, 456], ["22", 260, 456],
      ),
      1,
    );
    expect(rows(p).slice(1)).toEqual([
      ["行一", "１４６８６", "12"],
      ["行二", "21", "22"],
    ]);
    expect(p.notes).toBeUndefined();
  });

  it("letter-spaced runs are words, numbers in one run a column apart are numbers", () => {
    const run = (str: string, x: number, w: number) => ({ str, x, y: 500, w, size: 12 });
    expect(pieces([run("4 1", 210, 15), run("规 范 性 文 件", 36, 72), run("- 6 0", 333, 22)]).map((p) => p.str)).toEqual(["41", "规范性文件", "-60"]);
    // Digits ½ em each: the 29 pt the run is wider by are two column gaps.
    const cols = pieces([run("3996 4044 4098", 318, 101)]);
    expect(cols.map((p) => p.str)).toEqual(["3996", "4044", "4098"]);
    expect(cols[1].x0).toBeCloseTo(318 + 24 + 14.5, 0);
    // Single digits far apart stay apart.
    expect(pieces([run("1 2", 300, 50)]).map((p) => p.str)).toEqual(["1", "2"]);
  });

  it("a header printed again after a page break is dropped: one table; a different header starts a part", () => {
    const head = (y: number): [string, number, number][] => [["信息内容", 60, y], ["甲数", 200, y], ["乙数", 260, y]];
    const found = streamTables(
      linesOf(
        ...head(700), ["行一", 60, 680], ["11", 200, 680], ["12", 260, 680], ["行二", 60, 660], ["21", 200, 660], ["22", 260, 660],
        ...head(640), ["行三", 60, 620], ["31", 200, 620], ["32", 260, 620],
        ["信息内容", 60, 600], ["丙数", 230, 600], ["行四", 60, 580], ["41", 230, 580],
      ),
      500,
    );
    expect(found.map((t) => rows(t.part))).toEqual([
      [["信息内容", "甲数", "乙数"], ["行一", "11", "12"], ["行二", "21", "22"], ["行三", "31", "32"]],
      [["信息内容", "丙数"], ["行四", "41"]],
    ]);
  });

  it("two rows' labels read as one cell (numbers stacked in several columns) give no number, and a note", () => {
    // Labels set right against the value columns: each line looks full, so the two read as one cell.
    const p = streamPart(
      linesOf(
        ["信息内容", 60, 500], ["甲数", 200, 500], ["乙数", 260, 500],
        ["行政处罚", 150, 480], ["131", 200, 480], ["134", 260, 480],
        ["行政强制", 150, 468], ["140", 200, 468], ["141", 260, 468],
      ),
      1,
    );
    const texts = p.cells.map((c) => c.text);
    for (const joined of ["131140", "134141"]) expect(texts).not.toContain(joined);
    expect(texts.filter((t) => /^\d+$/.test(t))).toEqual([]);
    expect(p.notes?.join(" ")).toContain("may be two rows");
  });
});

describe("median", () => {
  it("is the middle value, and no value has none (it used to be 10, a font size from nowhere)", () => {
    expect(median([12, 9, 10.5])).toBe(10.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow();
  });
});
