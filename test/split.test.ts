// The splitter of digits run together (normalizers/split.ts): every cut it keeps fits the
// template's arithmetic, ambiguity ends as null with the candidates, and a long run stays
// bounded. Expected values here come from the rows written out, never from the splitter.
import { describe, expect, it } from "vitest";
import { budget, cutRun, splitActiveRow, splitTable3, splitTable4 } from "../normalizers/split.js";

const T3 = [false, false, false, false, false, false, true];
const RESULTS_2021 = [
  "granted", "partiallyGranted",
  "denied.stateSecret", "denied.prohibitedByLaw", "denied.endangersSafety", "denied.thirdPartyRights",
  "denied.internalAffairs", "denied.processInformation", "denied.enforcementCaseFile", "denied.administrativeQuery",
  "unavailable.notHeld", "unavailable.needsCreation", "unavailable.stillUnclear",
  "notProcessed.petition", "notProcessed.duplicate", "notProcessed.publication", "notProcessed.excessive", "notProcessed.confirmation",
  "other.overdueCorrection", "other.overdueFee", "other.other",
];
const rowOf = (xs: number[]) => [...xs, xs.reduce((a, b) => a + b, 0)];

describe("cutRun", () => {
  it("cuts seven digits into seven cells one way", () => {
    expect(cutRun(["2100003"], 7, T3, budget())).toEqual([[2, 1, 0, 0, 0, 0, 3]]);
  });
  it("never gives a cell a leading zero", () => {
    // 1|005 and 10|05 would need a leading zero
    expect(cutRun(["1005"], 2, [false, false], budget())).toEqual([[100, 5]]);
    expect(cutRun(["100"], 2, [false, false], budget())).toEqual([[10, 0]]);
  });
  it("keeps only cuts whose last cell is the sum of the others", () => {
    // 12 + 3 = 15; 1|2|3 → 6 no.
    expect(cutRun(["123015"], 4, [false, false, false, true], budget())).toEqual([[12, 3, 0, 15]]);
  });
  it("does not cut across a space the source printed", () => {
    expect(cutRun(["21", "00003"], 7, T3, budget())).toEqual([[2, 1, 0, 0, 0, 0, 3]]);
    expect(cutRun(["123"], 2, [false, false], budget())).toEqual([[1, 23], [12, 3]]);
    expect(cutRun(["1", "23"], 2, [false, false], budget())).toEqual([[1, 23]]);
  });
  it("returns nothing when no cut fits (never a forced fit)", () => {
    expect(cutRun(["2100004"], 7, T3, budget())).toEqual([]);
  });
  it("stops at its budget on a long run", () => {
    const b = budget(10_000);
    cutRun(["1".repeat(60)], 30, new Array(30).fill(false), b);
    expect(b.exceeded).toBe(true);
  });
});

describe("splitTable4", () => {
  it("reads the issue's fifteen digits", () => {
    const r = splitTable4(["000001200300101"]);
    expect(r.values.get("reviews")).toEqual([0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 0, 0, 1, 0, 1]);
    expect(r.notes).toEqual([]);
  });
  it("leaves ambiguous cells null and lists the candidates", () => {
    // group 1: 1 1 0 10 12 | or 11 0 1 0 12 ... digits "11010120000000000000" are several
    const digits = "1101012" + "00000" + "00000";
    const r = splitTable4([digits]);
    const v = r.values.get("reviews")!;
    const cands = cutRun([digits], 15, Array.from({ length: 15 }, (_, i) => i % 5 === 4), budget());
    expect(cands.length).toBeGreaterThan(1);
    // the cells every candidate agrees on are kept, the others are null
    for (let i = 0; i < 15; i++) {
      const vals = new Set(cands.map((c) => c[i]));
      expect(v[i]).toBe(vals.size === 1 ? cands[0][i] : null);
    }
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0].code).toBe("cell.splitAmbiguous");
    expect(r.notes[0].message).toContain(cands[0].join("|"));
  });
});

describe("splitActiveRow", () => {
  it("reads a one-column row", () => {
    expect(splitActiveRow("licensing", ["2087"], 1).values.get("licensing")).toEqual([2087]);
  });
  it("leaves 规范性文件3150 null with its candidates (three columns, no arithmetic)", () => {
    const r = splitActiveRow("normativeDocuments", ["3150"], 3);
    expect(r.values.get("normativeDocuments")).toEqual([null, null, null]);
    expect(r.notes[0]).toMatchObject({ code: "cell.splitAmbiguous", key: "active.normativeDocuments", severity: "warning" });
    for (const c of ["3|1|50", "3|15|0", "31|5|0"]) expect(r.notes[0].message).toContain(c);
  });
  it("reads 000 as three zeros", () => {
    expect(splitActiveRow("regulations", ["000"], 3).values.get("regulations")).toEqual([0, 0, 0]);
  });
});

describe("splitTable3", () => {
  // A table written out row by row, the arithmetic holding.
  function table(results: Record<string, number[]>, carriedOver: number[], carriedForward: number[]) {
    const rows = new Map<string, number[]>();
    for (const k of RESULTS_2021) rows.set(k, rowOf(results[k] ?? [0, 0, 0, 0, 0, 0]));
    const total = Array.from({ length: 7 }, (_, c) => RESULTS_2021.reduce((a, k) => a + rows.get(k)![c], 0));
    const co = rowOf(carriedOver);
    const cf = rowOf(carriedForward);
    const nr = total.map((t, c) => t + cf[c] - co[c]);
    rows.set("newReceived", nr);
    rows.set("carriedOver", co);
    rows.set("total", total);
    rows.set("carriedForward", cf);
    return rows;
  }

  it("settles every row jointly when the arithmetic leaves one answer", () => {
    const rows = table({ granted: [12, 3, 0, 0, 1, 0], "unavailable.notHeld": [2, 0, 0, 0, 0, 0], "other.other": [0, 1, 0, 0, 0, 0] }, [1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]);
    const runs = [...rows].map(([key, v]) => ({ key, tokens: [v.join("")] }));
    const r = splitTable3({ runs, fixed: new Map(), resultRows: RESULTS_2021 });
    for (const [key, v] of rows) expect(r.values.get(key), key).toEqual(v);
    expect(r.notes).toEqual([]);
  });

  it("uses the other rows: a row ambiguous alone is settled by the column sums", () => {
    // granted "111213": alone 1|1|1|2|1|... several cuts; the column sums pick one.
    const rows = table({ granted: [1, 11, 0, 0, 0, 0], partiallyGranted: [0, 0, 0, 0, 0, 1] }, [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]);
    const alone = cutRun([rows.get("granted")!.join("")], 7, T3, budget());
    expect(alone.length).toBeGreaterThan(1);
    const fixed = new Map([...rows].filter(([k]) => k !== "granted"));
    const r = splitTable3({ runs: [{ key: "granted", tokens: [rows.get("granted")!.join("")] }], fixed, resultRows: RESULTS_2021 });
    expect(r.values.get("granted")).toEqual(rows.get("granted"));
    expect(r.notes).toEqual([]);
  });

  it("leaves the cells the arithmetic cannot settle null, naming the candidates", () => {
    // Two rows, both run together, whose cuts trade digits between them.
    const rows = table({ granted: [1, 11, 0, 0, 0, 0], partiallyGranted: [11, 1, 0, 0, 0, 0] }, [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]);
    const fixed = new Map([...rows].filter(([k]) => k !== "granted" && k !== "partiallyGranted"));
    const runs = ["granted", "partiallyGranted"].map((key) => ({ key, tokens: [rows.get(key)!.join("")] }));
    const r = splitTable3({ runs, fixed, resultRows: RESULTS_2021 });
    const g = r.values.get("granted")!;
    const p = r.values.get("partiallyGranted")!;
    // Whatever is settled is right; whatever is not is null.
    g.forEach((v, i) => v !== null && expect(v).toBe(rows.get("granted")![i]));
    p.forEach((v, i) => v !== null && expect(v).toBe(rows.get("partiallyGranted")![i]));
    expect(g.some((v) => v === null)).toBe(true);
    const note = r.notes.find((n) => n.key === "requests.granted")!;
    expect(note.code).toBe("cell.splitAmbiguous");
    expect(note.message).toContain(rows.get("granted")!.join("|"));
  });

  it("uses the narrative's figure to choose among cuts", () => {
    const rows = table({ granted: [1, 11, 0, 0, 0, 0], partiallyGranted: [11, 1, 0, 0, 0, 0] }, [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]);
    const runs = [...rows].map(([key, v]) => ({ key, tokens: [v.join("")] }));
    const without = splitTable3({ runs, fixed: new Map(), resultRows: RESULTS_2021 });
    const withIt = splitTable3({ runs, fixed: new Map(), resultRows: RESULTS_2021, statedReceived: rows.get("newReceived")![6] });
    for (const [key, v] of rows) withIt.values.get(key)!.forEach((x, i) => x !== null && expect(x).toBe(v[i]));
    const nulls = (r: typeof without) => [...r.values.values()].flat().filter((x) => x === null).length;
    expect(nulls(withIt)).toBeLessThanOrEqual(nulls(without));
  });

  it("gives null, not a forced fit, when the source's own sums disagree", () => {
    const rows = table({ granted: [2, 0, 0, 0, 0, 0] }, [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]);
    rows.set("total", [3, 0, 0, 0, 0, 0, 3]); // the report's （七） does not match its rows
    const runs = [...rows].map(([key, v]) => ({ key, tokens: [v.join("")] }));
    const r = splitTable3({ runs, fixed: new Map(), resultRows: RESULTS_2021 });
    for (const v of r.values.values()) expect(v.every((x) => x === null)).toBe(true);
    expect(r.notes.every((n) => n.code === "cell.splitImpossible")).toBe(true);
    expect(r.notes.map((n) => n.key)).toContain("requests.total");
  });

  it("stays bounded on long runs and says so", () => {
    const runs = RESULTS_2021.map((key) => ({ key, tokens: ["1".repeat(40)] }));
    const r = splitTable3({ runs, fixed: new Map(), resultRows: RESULTS_2021, budget: budget(50_000) });
    for (const v of r.values.values()) expect(v.every((x) => x === null)).toBe(true);
    expect(r.notes.length).toBeGreaterThan(0);
  });
});
