// Table 3 rows of converter-ordered text over several blocks: read only where the
// template's arithmetic confirms every column (normalizers/line-order.ts).
import { describe, expect, it } from "vitest";
import { spreadOverBlocks, unconfirmed } from "../normalizers/line-order.js";
import type { RawRow } from "../normalizers/assemble.js";
import { REQUEST_ROWS } from "../data/keys.js";

/** A row whose cells came from the given blocks (one block for all when `blocks` is a number). */
function row(values: number[], blocks: number | number[]): RawRow {
  const b = (i: number) => (typeof blocks === "number" ? blocks : blocks[i]);
  return {
    cells: values.map(String),
    refs: values.map((v, i) => ({ cell: { text: String(v), rowSpan: 1, colSpan: 1, place: { line: i }, block: b(i) }, table: 0, row: 0, col: i })),
    place: { line: 0 },
  };
}

/** A consistent table 3 (2021 form): every column's identities hold. */
function table(): Map<string, number[]> {
  const t = new Map<string, number[]>();
  const r = (k: string, parts: number[]) => t.set(k, [...parts, parts.reduce((a, b) => a + b, 0)]);
  r("newReceived", [381, 384, 388, 390, 391, 394]);
  r("carriedOver", [1, 2, 3, 4, 5, 6]);
  for (const k of REQUEST_ROWS) if (!["newReceived", "carriedOver", "total", "carriedForward"].includes(k)) r(k, [0, 0, 0, 0, 0, 0]);
  for (const k of ["other.overdueCorrection", "other.overdueFee", "other.other"]) r(k, [0, 0, 0, 0, 0, 0]);
  r("granted", [300, 300, 300, 300, 300, 300]);
  r("total", [300, 300, 300, 300, 300, 300]);
  r("carriedForward", [82, 86, 91, 94, 96, 100]);
  return t;
}
const raw = (t: Map<string, number[]>, spread: Record<string, number[]> = {}) =>
  new Map([...t].map(([k, v]) => [k, row(v, spread[k] ?? 0)]));

describe("rows of converter-ordered text over several blocks", () => {
  it("are spread only where their numbers stand in two blocks or more and differ", () => {
    expect(spreadOverBlocks(row([1, 2, 3], [0, 1, 2]))).toBe(true);
    expect(spreadOverBlocks(row([1, 2, 3], 4))).toBe(false);
    expect(spreadOverBlocks(row([0, 0, 0], [0, 1, 2]))).toBe(false); // zeros read alike in any order
  });

  it("are confirmed when every column's identities hold", () => {
    const t = table();
    expect(unconfirmed(raw(t), new Set(["carriedOver", "newReceived"]))).toEqual([]);
  });

  it("are not when the blocks came out of order (381 384 388 390 391 394 as 381 391 394 384 388 390)", () => {
    const t = table();
    const printed = t.get("newReceived")!;
    t.set("newReceived", [printed[0], printed[4], printed[5], printed[1], printed[2], printed[3], printed[6]]);
    // The row's own total still holds: it places only the total.
    expect(unconfirmed(raw(t), new Set(["newReceived"]))).toEqual(["newReceived"]);
    // Another spread row in the failing identities cannot be told right from wrong either.
    expect(unconfirmed(raw(t), new Set(["newReceived", "carriedOver"]))).toEqual(["newReceived", "carriedOver"]);
    // A spread row in none of them still reads.
    expect(unconfirmed(raw(t), new Set(["newReceived", "granted"]))).toEqual(["newReceived"]);
  });

  it("are not when a column cannot be checked (a row of its identity unread)", () => {
    const t = table();
    const r = raw(t);
    const f = r.get("carriedForward")!;
    r.set("carriedForward", { ...f, cells: f.cells.map((c, i) => (i === 2 ? null : c)) });
    // Column 2 of carriedOver is in the balance only, which has a null: not confirmed.
    expect(unconfirmed(r, new Set(["carriedOver"]))).toEqual(["carriedOver"]);
    // A result row is also in （七）总计's identity, which still holds.
    expect(unconfirmed(r, new Set(["granted"]))).toEqual([]);
  });
});
