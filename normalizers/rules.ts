// The check rules, registered once: the pipeline runs the record-scope rules from this
// list, the store's cross-year refresh the crossYear ones, the quality page and
// docs/record.md list them. A new rule is one entry here.
import type { Check, Requests, Reviews, ReportRecord, Section } from "../model/record.js";
import { checkBalance, checkNarrative, checkResultsTotals, checkReviews, checkRowTotals } from "./checks.js";
import { checkCarriedOver, checkInForce } from "./crossyear.js";

/** What a record-scope rule reads: one record's tables and sections. */
export interface RecordInput {
  requests: Requests;
  reviews: Reviews;
  sections: Section[];
}

interface RuleBase {
  /** The name each failing check carries (`checks[].rule`). */
  rule: string;
  severity: Check["severity"];
  description: string;
}
export type RecordRule = RuleBase & { scope: "record"; run: (r: RecordInput) => Check[] };
export type CrossYearRule = RuleBase & { scope: "crossYear"; run: (previous: ReportRecord, current: ReportRecord) => Check[] };
export type CheckRule = RecordRule | CrossYearRule;

export const CHECK_RULES: readonly CheckRule[] = [
  { rule: "requests.balance", scope: "record", severity: "error", description: "Per column of table 3: 一 + 二 = （七）总计 + 四 (the template's own note).", run: (r) => checkBalance(r.requests) },
  { rule: "requests.rowTotal", scope: "record", severity: "error", description: "Per row of table 3: the 总计 column = the six applicant columns.", run: (r) => checkRowTotals(r.requests) },
  { rule: "requests.resultsTotal", scope: "record", severity: "error", description: "Per column of table 3: （七）总计 = （一）…（六） and their sub-rows.", run: (r) => checkResultsTotals(r.requests) },
  { rule: "reviews.total", scope: "record", severity: "error", description: "Per group of table 4: 总计 = 维持 + 纠正 + 其他 + 尚未审结.", run: (r) => checkReviews(r.reviews) },
  { rule: "narrative.requestsReceived", scope: "record", severity: "warning", description: "The requests the text says were received = table 3's 一 总计 (or 一 + 二 总计, where the text counts those carried over too).", run: (r) => checkNarrative(r.sections, r.requests) },
  { rule: "crossYear.carriedOver", scope: "crossYear", severity: "error", description: "This year's 上年结转 = the same body's 结转下年度继续办理 of the year before.", run: checkCarriedOver },
  { rule: "crossYear.inForce", scope: "crossYear", severity: "error", description: "Last year's 现行有效 + this year's 制发 − 废止 = this year's 现行有效 (2021 form).", run: checkInForce },
];

export const RECORD_RULES = CHECK_RULES.filter((r): r is RecordRule => r.scope === "record");
export const CROSS_YEAR_RULES = CHECK_RULES.filter((r): r is CrossYearRule => r.scope === "crossYear");

/** Every record-scope rule on one record, in the registry's order. */
export function runRecordRules(input: RecordInput): Check[] {
  return RECORD_RULES.flatMap((r) => r.run(input));
}
