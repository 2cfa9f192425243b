// The template's arithmetic, through the rule registry: a 0 is a value like any other
// (a balance that fails only through zeros is still a failure), and every list of rules
// (the pipeline's, the quality page's) is the registry's.
import { describe, expect, it } from "vitest";
import { REQUEST_COLUMNS, REQUEST_ROWS, OTHER_ROWS_2021, type Requests, type Reviews } from "../model/record.js";
import { CHECK_RULES, CROSS_YEAR_RULES, RECORD_RULES, runRecordRules } from "../normalizers/rules.js";
import { RULES } from "../src/quality.js";

/** A table 3 that adds up: every row 0 but the ones given, totals computed. */
function requests(rows: Record<string, number[]> = {}): Requests {
  const out: Requests = {};
  for (const k of [...REQUEST_ROWS, ...OTHER_ROWS_2021]) {
    const six = rows[k] ?? [0, 0, 0, 0, 0, 0];
    out[k] = [...six, six.reduce((a, b) => a + b, 0)];
  }
  return out;
}
const group = (upheld: number, corrected: number, other: number, pending: number, total: number) => ({ upheld, corrected, other, pending, total });
const reviews = (g = group(0, 0, 0, 0, 0)): Reviews => ({ administrativeReview: g, litigationDirect: group(0, 0, 0, 0, 0), litigationAfterReview: group(0, 0, 0, 0, 0) });
const run = (r: Requests, v: Reviews = reviews()) => runRecordRules({ requests: r, reviews: v, sections: [] });

describe("check rules", () => {
  it("an all-zero report passes every rule", () => {
    expect(run(requests())).toEqual([]);
  });

  it("fails a balance whose operands are zeros: 0 + 0 ≠ 1 + 0", () => {
    // 一 and 二 are 0, （七）总计 says 1 (with a result row to match it), 四 is 0.
    const r = requests({ granted: [1, 0, 0, 0, 0, 0], total: [1, 0, 0, 0, 0, 0] });
    expect(run(r).map((c) => `${c.rule} ${c.where}`)).toEqual([
      "requests.balance requests.carriedForward.naturalPerson",
      "requests.balance requests.carriedForward.total",
    ]);
  });

  it("fails a balance where 四 is 0 and 一 is not", () => {
    const r = requests({ newReceived: [2, 0, 0, 0, 0, 0] });
    expect(run(r).filter((c) => c.rule === "requests.balance").map((c) => c.where)).toEqual([
      "requests.carriedForward.naturalPerson",
      "requests.carriedForward.total",
    ]);
  });

  it("fails a row total and a results total made of zeros", () => {
    const r = requests();
    r.granted = [0, 0, 0, 0, 0, 0, 3];
    const found = run(r).map((c) => `${c.rule} ${c.where}`);
    expect(found).toContain("requests.rowTotal requests.granted.total");
    expect(found).toContain("requests.resultsTotal requests.total.total");
  });

  it("fails a review group whose parts are zeros but whose total is not", () => {
    expect(run(requests(), reviews(group(0, 0, 0, 0, 2))).map((c) => `${c.rule} ${c.where}`)).toEqual(["reviews.total reviews.administrativeReview.total"]);
  });

  it("does not compute a rule with a null operand (the null has its own diagnostic)", () => {
    const r = requests({ total: [1, 0, 0, 0, 0, 0] });
    r.newReceived = [null, 0, 0, 0, 0, 0, null];
    expect(run(r).filter((c) => c.rule === "requests.balance" && c.where.endsWith("naturalPerson"))).toEqual([]);
  });

  it("is one registry: names unique, the quality page's list and the scopes derived from it", () => {
    const names = CHECK_RULES.map((r) => r.rule);
    expect(new Set(names).size).toBe(names.length);
    expect(RULES).toEqual(names);
    expect([...RECORD_RULES, ...CROSS_YEAR_RULES].map((r) => r.rule).sort()).toEqual([...names].sort());
    for (const r of CHECK_RULES) expect(r.description.length).toBeGreaterThan(10);
    expect(REQUEST_COLUMNS.length).toBe(7);
  });
});

describe("docs/record.md", () => {
  it("lists every check rule of the registry", async () => {
    const { readFileSync } = await import("node:fs");
    const docs = readFileSync("docs/record.md", "utf8");
    for (const r of CHECK_RULES) expect([r.rule, docs.includes(`| \`${r.rule}\` | ${r.scope} | ${r.severity} |`)]).toEqual([r.rule, true]);
  });
});
