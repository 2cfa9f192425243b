// The template's own arithmetic (勾稽关系) and the narrative cross-check. A failing
// rule is a finding about the document; the values stay as printed. A rule whose
// operands include a null is not computed (the null already has its warning).
import { REQUEST_COLUMN_LABELS } from "../data/template.js";
import { OTHER_ROW_2019, OTHER_ROWS_2021, REQUEST_COLUMNS, REVIEW_GROUPS } from "../data/keys.js";
import type { Check, Requests, Reviews, Section } from "../model/record.js";
import { simplifiedView } from "../model/traditional.js";

const GROUP_NAMES: Record<string, string> = {
  administrativeReview: "行政复议",
  litigationDirect: "行政诉讼（未经复议直接起诉）",
  litigationAfterReview: "行政诉讼（复议后起诉）",
};

/** Rows whose sum is （七）总计, in the order the template prints them. */
function resultRows(requests: Requests): string[] {
  const base = Object.keys(requests).filter(
    (k) => !["newReceived", "carriedOver", "total", "carriedForward"].includes(k),
  );
  return base.filter((k) => k !== OTHER_ROW_2019 || !OTHER_ROWS_2021.some((o) => o in requests));
}

const sum = (xs: (number | null)[]): number | null => (xs.some((x) => x === null) ? null : (xs as number[]).reduce((a, b) => a + b, 0));

const cellOf = (requests: Requests) => (row: string, c: number) => requests[row]?.[c] ?? null;

/** requests.balance: per column, 一 + 二 = （七）总计 + 四. A 0 is a value like any other. */
export function checkBalance(requests: Requests): Check[] {
  const checks: Check[] = [];
  const col = cellOf(requests);
  REQUEST_COLUMNS.forEach((name, c) => {
    const a = col("newReceived", c);
    const b = col("carriedOver", c);
    const t = col("total", c);
    const f = col("carriedForward", c);
    if (a !== null && b !== null && t !== null && f !== null && a + b !== t + f)
      checks.push({
        rule: "requests.balance",
        severity: "error",
        message: `${REQUEST_COLUMN_LABELS[c]}: 一 (${a}) + 二 (${b}) = ${a + b}, but （七）总计 (${t}) + 四 (${f}) = ${t + f}`,
        where: `requests.carriedForward.${name}`,
      });
  });
  return checks;
}

/** requests.rowTotal: per row, the 总计 column = the six applicant columns. */
export function checkRowTotals(requests: Requests): Check[] {
  const checks: Check[] = [];
  for (const [row, values] of Object.entries(requests)) {
    const parts = sum(values.slice(0, 6));
    const total = values[6];
    if (parts !== null && total !== null && parts !== total)
      checks.push({
        rule: "requests.rowTotal",
        severity: "error",
        message: `${row}: the six applicant columns add up to ${parts}, but 总计 says ${total}`,
        where: `requests.${row}.total`,
      });
  }
  return checks;
}

/** requests.resultsTotal: per column, （七）总计 = （一）…（六） and their sub-rows. */
export function checkResultsTotals(requests: Requests): Check[] {
  const checks: Check[] = [];
  const col = cellOf(requests);
  const rows = resultRows(requests);
  REQUEST_COLUMNS.forEach((name, c) => {
    const parts = sum(rows.map((r) => col(r, c)));
    const total = col("total", c);
    if (parts !== null && total !== null && parts !== total)
      checks.push({
        rule: "requests.resultsTotal",
        severity: "error",
        message: `${REQUEST_COLUMN_LABELS[c]}: （一） to （六） add up to ${parts}, but （七）总计 says ${total}`,
        where: `requests.total.${name}`,
      });
  });
  return checks;
}

/** The three rules of table 3, in the registry's order. */
export function checkRequests(requests: Requests): Check[] {
  return [...checkBalance(requests), ...checkRowTotals(requests), ...checkResultsTotals(requests)];
}

export function checkReviews(reviews: Reviews): Check[] {
  const checks: Check[] = [];
  for (const g of REVIEW_GROUPS) {
    const r = reviews[g];
    const parts = sum([r.upheld, r.corrected, r.other, r.pending]);
    if (parts !== null && r.total !== null && parts !== r.total)
      checks.push({
        rule: "reviews.total",
        severity: "error",
        message: `${GROUP_NAMES[g]}: 维持 + 纠正 + 其他 + 尚未审结 = ${parts}, but 总计 says ${r.total}`,
        where: `reviews.${g}.total`,
      });
  }
  return checks;
}

/** Requests that are not disclosure requests: reviews, lawsuits, deputies' proposals. */
const OTHER_MATTERS = /复议|诉讼|提案|建议|议案|信访|投诉|举报|人大|政协/;

/** What the prose says about requests received: a count, or 0 for "未收到…申请". */
export function statedRequests(sections: Section[]): { count: number; evidence: string } | null {
  const text = sections
    .filter((s) => s.number <= 3)
    .map((s) => s.text)
    .join("\n")
    .normalize("NFKC");
  // Matched on the text folded to Simplified (收到…申請 as 收到…申请), quoted as printed.
  const view = simplifiedView(text);
  const statements: { index: number; count: number; evidence: string; matched: string }[] = [];
  const said = (m: RegExpExecArray, count: number) =>
    statements.push({ index: m.index, count, evidence: text.slice(m.index, m.index + m[0].length), matched: m[0] });
  for (const m of view.matchAll(/(?:未|没有|无)(?:新)?(?:收到|受理|接到)[^。；\n]{0,24}?申请/g)) said(m, 0);
  for (const m of view.matchAll(/(?:新收|收到|受理|接到)[^。；，,\n]{0,24}?申请[^。；，,\n]{0,8}?(\d+)\s*(?:件|个|条|例|份|次|宗)/g)) said(m, Number(m[1]));
  const first = statements.filter((s) => !OTHER_MATTERS.test(s.matched)).sort((a, b) => a.index - b.index)[0];
  return first ? { count: first.count, evidence: first.evidence } : null;
}

export function checkNarrative(sections: Section[], requests: Requests): Check[] {
  const stated = statedRequests(sections);
  const table = requests.newReceived?.[6] ?? null;
  if (!stated || table === null || stated.count === table) return [];
  // A text counting the year's requests with those carried over (共收到申请75件: 74 new, 1 carried) agrees.
  const carried = requests.carriedOver?.[6] ?? null;
  if (carried !== null && carried > 0 && stated.count === table + carried) return [];
  return [
    {
      rule: "narrative.requestsReceived",
      severity: "warning",
      message: `the text says ${stated.count} request${stated.count === 1 ? " was" : "s were"} received ("${stated.evidence}"), table 3 says ${table}`,
      where: "requests.newReceived.total",
    },
  ];
}
