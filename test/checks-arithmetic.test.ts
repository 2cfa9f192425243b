// The template's arithmetic (normalizers/checks.ts directly; test/checks.test.ts tests it through the rule registry), on tables built here from their definition (never from the
// checks' code): a consistent table passes, each broken relation is found once, where it is.
// Zeros are everywhere on purpose: a 0 is a value, not a missing one.
import { describe, expect, it } from "vitest";
import { checkNarrative, checkRequests, checkReviews, statedRequests } from "../normalizers/checks.js";
import { OTHER_ROW_2019, OTHER_ROWS_2021, REQUEST_COLUMNS, REQUEST_ROWS } from "../data/keys.js";
import type { Requests, Reviews, Section } from "../model/record.js";

const NOT_RESULTS = ["newReceived", "carriedOver", "total", "carriedForward"];

/** A consistent table: result rows with small numbers and zeros, totals and balance made to agree. */
function table(form: "2019" | "2021"): Requests {
  const rows = [...REQUEST_ROWS, ...(form === "2021" ? OTHER_ROWS_2021 : [OTHER_ROW_2019])];
  const results = rows.filter((r) => !NOT_RESULTS.includes(r));
  const t: Requests = {};
  results.forEach((r, i) => {
    const six = [0, 1, 2, 3, 4, 5].map((c) => (i * 3 + c * 5) % 4); // zeros among them
    t[r] = [...six, six.reduce((a, b) => a + b, 0)];
  });
  const col = (c: number) => results.reduce((a, r) => a + (t[r][c] as number), 0);
  t.total = REQUEST_COLUMNS.map((_, c) => col(c));
  t.carriedOver = REQUEST_COLUMNS.map((_, c) => (c === 6 ? 0 : 0));
  t.carriedForward = REQUEST_COLUMNS.map((_, c) => (c % 2 === 0 ? 0 : 1));
  // 一 + 二 = 总计 + 四
  t.newReceived = REQUEST_COLUMNS.map((_, c) => (t.total[c] as number) + (t.carriedForward[c] as number) - (t.carriedOver[c] as number));
  t.carriedOver[6] = t.carriedOver.slice(0, 6).reduce((a, b) => (a as number) + (b as number), 0);
  t.carriedForward[6] = t.carriedForward.slice(0, 6).reduce((a, b) => (a as number) + (b as number), 0);
  t.newReceived[6] = t.newReceived.slice(0, 6).reduce((a, b) => (a as number) + (b as number), 0);
  return t;
}
const copy = (t: Requests): Requests => JSON.parse(JSON.stringify(t));

describe("requests arithmetic", () => {
  for (const form of ["2019", "2021"] as const)
    it(`a consistent ${form} table, zeros included, passes every rule`, () => {
      expect(checkRequests(table(form))).toEqual([]);
    });

  it("a broken balance is found in its column, with the numbers, even where a term is 0", () => {
    const t = copy(table("2019"));
    // Column 0 has 二 = 0 and 四 = 0: the balance is 一 = 总计. Break it by moving 一 and its row total.
    expect(t.carriedOver[0]).toBe(0);
    expect(t.carriedForward[0]).toBe(0);
    (t.newReceived[0] as number)++;
    (t.newReceived[6] as number)++;
    const found = checkRequests(t);
    // Its column, and the 总计 column (一's row total moved with it).
    expect(found.map((c) => [c.rule, c.where])).toEqual([
      ["requests.balance", "requests.carriedForward.naturalPerson"],
      ["requests.balance", "requests.carriedForward.total"],
    ]);
    expect(found[0].severity).toBe("error");
    expect(found[0].message).toContain(`一 (${t.newReceived[0]}) + 二 (0) = ${t.newReceived[0]}`);
    expect(found[0].message).toContain(`（七）总计 (${t.total[0]}) + 四 (0) = ${t.total[0]}`);
  });

  it("a row whose six columns do not add up to its 总计 is found on that row", () => {
    const t = copy(table("2021"));
    t.granted[6] = (t.granted[6] as number) + 2;
    t.total[6] = (t.total[6] as number) + 2; // keeps the results total of column 总计
    t.newReceived[6] = (t.newReceived[6] as number) + 2; // and its balance
    const found = checkRequests(t).map((c) => [c.rule, c.where]);
    expect(found).toContainEqual(["requests.rowTotal", "requests.granted.total"]);
    expect(found).toContainEqual(["requests.rowTotal", "requests.total.total"]);
    expect(found).toContainEqual(["requests.rowTotal", "requests.newReceived.total"]);
    expect(found.filter(([rule]) => rule !== "requests.rowTotal")).toEqual([]);
  });

  it("results that do not add up to （七）总计 are found in their column", () => {
    const t = copy(table("2021"));
    t["other.overdueFee"][3] = (t["other.overdueFee"][3] as number) + 1;
    t["other.overdueFee"][6] = (t["other.overdueFee"][6] as number) + 1;
    const found = checkRequests(t).map((c) => [c.rule, c.where]);
    expect(found).toEqual([
      ["requests.resultsTotal", "requests.total.publicInterestOrganization"],
      ["requests.resultsTotal", "requests.total.total"],
    ]);
  });

  it("the 2019 row （六）其他 counts in the results; beside the 2021 rows it does not", () => {
    const t19 = copy(table("2019"));
    t19.other[1] = (t19.other[1] as number) + 1;
    t19.other[6] = (t19.other[6] as number) + 1;
    expect(checkRequests(t19).map((c) => c.where)).toEqual(["requests.total.commercialEnterprise", "requests.total.total"]);
    const t21 = copy(table("2021"));
    t21.other = [9, 9, 9, 9, 9, 9, 54];
    expect(checkRequests(t21)).toEqual([]);
  });

  it("a relation with a null among its terms is not computed", () => {
    const t = copy(table("2019"));
    t.newReceived[0] = null;
    (t.granted[2] as number) += 5; // would break row 2's total and column 2's results …
    t.granted[6] = null; // … but the row total is null
    t.total[2] = null; // and so is the column's
    expect(checkRequests(t).filter((c) => c.where !== "requests.total.total")).toEqual([]);
  });
});

describe("requests arithmetic: what mutation testing found unguarded", () => {
  it("the balance's message adds 一 + 二 and 总计 + 四 (terms that are not 0)", () => {
    const t = copy(table("2019"));
    // Column 1 (商业企业): 四 = 1. Give 二 a value too, then break the balance by one.
    t.carriedOver[1] = 2;
    t.carriedOver[6] = (t.carriedOver[6] as number) + 2;
    const found = checkRequests(t).filter((c) => c.where === "requests.carriedForward.commercialEnterprise");
    const [a, b, tot, f] = [t.newReceived[1], 2, t.total[1], t.carriedForward[1]] as number[];
    expect(f).toBe(1);
    expect(found.map((c) => c.message)).toEqual([`商业企业: 一 (${a}) + 二 (${b}) = ${a + b}, but （七）总计 (${tot}) + 四 (${f}) = ${tot + f}`]);
  });

  it("a null 二 or 四 leaves the balance uncomputed", () => {
    for (const row of ["carriedOver", "carriedForward"]) {
      const t = copy(table("2019"));
      (t.newReceived[3] as number) += 4; // would break column 3's balance …
      (t.newReceived[6] as number) += 4;
      t[row][3] = null; // … but one of its terms is not printed
      expect(checkRequests(t).map((c) => c.where)).not.toContain("requests.carriedForward.publicInterestOrganization");
      // (and with the term printed, the same numbers are found)
      t[row][3] = 0;
      expect(checkRequests(t).map((c) => c.where)).toContain("requests.carriedForward.publicInterestOrganization");
    }
  });

  it("row and results totals: the message names the sums; a null result row leaves its column uncomputed", () => {
    const t = copy(table("2021"));
    t.granted[0] = (t.granted[0] as number) + 1;
    const row = checkRequests(t).find((c) => c.rule === "requests.rowTotal")!;
    expect(row.message).toBe(`granted: the six applicant columns add up to ${(t.granted.slice(0, 6) as number[]).reduce((x, y) => x + y, 0)}, but 总计 says ${t.granted[6]}`);
    const col = checkRequests(t).find((c) => c.rule === "requests.resultsTotal")!;
    expect(col).toMatchObject({ severity: "error", where: "requests.total.naturalPerson" });
    expect(col.message).toBe(`自然人: （一） to （六） add up to ${(t.total[0] as number) + 1}, but （七）总计 says ${t.total[0]}`);
    const u = copy(table("2021"));
    u["denied.stateSecret"][4] = null;
    expect(checkRequests(u).map((c) => c.where)).not.toContain("requests.total.legalServiceProvider");
  });
});

describe("reviews arithmetic", () => {
  const group = (upheld: number, corrected: number, other: number, pending: number) => ({ upheld, corrected, other, pending, total: upheld + corrected + other + pending });
  const reviews = (): Reviews => ({ administrativeReview: group(0, 1, 0, 2), litigationDirect: group(0, 0, 0, 0), litigationAfterReview: group(3, 0, 1, 0) });

  it("consistent groups pass; a group whose parts do not add up to 总计 is found, named", () => {
    expect(checkReviews(reviews())).toEqual([]);
    const r = reviews();
    r.litigationDirect.total = 1;
    const found = checkReviews(r);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: "reviews.total", severity: "error", where: "reviews.litigationDirect.total" });
    expect(found[0].message).toBe("行政诉讼（未经复议直接起诉）: 维持 + 纠正 + 其他 + 尚未审结 = 0, but 总计 says 1");
  });

  it("a null part or total: not computed", () => {
    const r = reviews();
    r.administrativeReview.pending = null;
    r.litigationAfterReview.total = null;
    expect(checkReviews(r)).toEqual([]);
  });
});

describe("the narrative beside table 3", () => {
  const sections = (text: string, number = 1): Section[] => [{ number, title: "一、总体情况", text }];
  const requests = (n: number | null): Requests => ({ newReceived: [0, 0, 0, 0, 0, 0, n] });

  it("reads the first statement about disclosure requests, not reviews or proposals", () => {
    expect(statedRequests(sections("本年度收到行政复议申请2件。全年共收到政府信息公开申请15件。"))).toEqual({ count: 15, evidence: "收到政府信息公开申请15件" });
    expect(statedRequests(sections("本年度未收到政府信息公开申请。"))).toMatchObject({ count: 0 });
    expect(statedRequests(sections("全年共收到政府信息公开申请15件。", 4))).toBeNull();
    // The first statement in the text, whichever pattern found it.
    expect(statedRequests(sections("本年度新收政府信息公开申请3件。其中第四季度未收到申请。"))).toMatchObject({ count: 3 });
    // Words between 申请 and the number.
    expect(statedRequests(sections("本年度收到政府信息公开申请共15件。"))).toMatchObject({ count: 15 });
  });

  it("warns when the text and table 3 disagree, and only then", () => {
    expect(checkNarrative(sections("全年共收到政府信息公开申请15件。"), requests(15))).toEqual([]);
    expect(checkNarrative(sections("全年共收到政府信息公开申请15件。"), requests(null))).toEqual([]);
    const found = checkNarrative(sections("全年共收到政府信息公开申请1件。"), requests(0));
    expect(found).toEqual([
      {
        rule: "narrative.requestsReceived",
        severity: "warning",
        message: 'the text says 1 request was received ("收到政府信息公开申请1件"), table 3 says 0',
        where: "requests.newReceived.total",
      },
    ]);
    expect(checkNarrative(sections("本年度未收到政府信息公开申请。"), requests(3))[0].message).toContain("the text says 0 requests were received");
  });

  it("agrees with a text that counts the requests carried over with the new ones", () => {
    const withCarried = (fresh: number, carried: number | null): Requests => ({ newReceived: [0, 0, 0, 0, 0, 0, fresh], carriedOver: [0, 0, 0, 0, 0, 0, carried] });
    expect(checkNarrative(sections("全年共收到政府信息公开申请75件。"), withCarried(74, 1))).toEqual([]);
    // Neither the new requests nor new + carried over: it still warns.
    expect(checkNarrative(sections("全年共收到政府信息公开申请76件。"), withCarried(74, 1))).toHaveLength(1);
    expect(checkNarrative(sections("全年共收到政府信息公开申请75件。"), withCarried(74, null))).toHaveLength(1);
  });
});
