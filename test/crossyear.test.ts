import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseReport } from "../src/pipeline.js";
import { crossYearChecks, withCrossYear } from "../normalizers/crossyear.js";
import type { ReportRecord } from "../model/record.js";

async function sample(): Promise<ReportRecord> {
  const path = "data/samples/2024-环翠区商务局.txt";
  const out = await parseReport({ bytes: readFileSync(path), name: path });
  if (!out.ok) throw new Error(out.message);
  return out.record;
}

describe("cross-year checks", () => {
  it("passes consecutive years that agree and flags the columns that do not", async () => {
    const cur = await sample(); // 行政规范性文件: issued 0, repealed 1, in force 2
    const prev = structuredClone(cur);
    prev.year = 2023;
    prev.active.normativeDocuments.inForce = 3; // 3 + 0 − 1 = 2: agrees
    expect(crossYearChecks(prev, cur)).toEqual([]);

    prev.requests.carriedForward = [0, 4, 0, 0, 0, 0, 4];
    prev.active.regulations.inForce = 5; // 5 + 0 − 0 ≠ 0
    const checks = crossYearChecks(prev, cur);
    expect(checks.map((c) => `${c.rule} ${c.where}`).sort()).toEqual([
      "crossYear.carriedOver requests.carriedOver.commercialEnterprise",
      "crossYear.carriedOver requests.carriedOver.total",
      "crossYear.inForce active.regulations.inForce",
    ]);
  });

  it("compares only consecutive years", async () => {
    const cur = await sample();
    const prev = structuredClone(cur);
    prev.year = 2022;
    prev.requests.carriedForward = [9, 9, 9, 9, 9, 9, 54];
    expect(crossYearChecks(prev, cur)).toEqual([]);
  });

  it("replaces a report's cross-year findings in place: after the template's own, before what its copies disagree on", () => {
    const k = (rule: string) => ({ rule });
    const old = [k("requests.balance"), k("crossYear.inForce"), k("copies.disagree"), k("crossYear.carriedOver")];
    expect(withCrossYear(old, [k("crossYear.carriedOver")]).map((c) => c.rule)).toEqual(["requests.balance", "crossYear.carriedOver", "copies.disagree"]);
    expect(withCrossYear(old, []).map((c) => c.rule)).toEqual(["requests.balance", "copies.disagree"]);
    expect(withCrossYear([k("reviews.total")], [k("crossYear.inForce")]).map((c) => c.rule)).toEqual(["reviews.total", "crossYear.inForce"]);
  });
});
