// Checks across a body's consecutive years: what one year carries forward, the next
// carries over; what was in force, plus what was issued, minus what was repealed, is
// in force now. Stored and reported like the template's own checks, and re-run when a
// year arrives later.
import { REQUEST_COLUMN_LABELS } from "../data/template.js";
import { REQUEST_COLUMNS } from "../data/keys.js";
import type { Check, ReportRecord } from "../model/record.js";


/** Consecutive years of one body: the only pair these rules judge. */
const consecutive = (previous: ReportRecord, current: ReportRecord) =>
  previous.year !== null && current.year !== null && current.year === previous.year + 1;

/** Checks on `current` given the same body's report for the year before (both rules). */
export function crossYearChecks(previous: ReportRecord, current: ReportRecord): Check[] {
  return [...checkCarriedOver(previous, current), ...checkInForce(previous, current)];
}

/** crossYear.carriedOver: this year's 上年结转 = last year's 结转下年度继续办理. */
export function checkCarriedOver(previous: ReportRecord, current: ReportRecord): Check[] {
  if (!consecutive(previous, current)) return [];
  const checks: Check[] = [];
  const over = current.requests.carriedOver;
  const forward = previous.requests.carriedForward;
  REQUEST_COLUMNS.forEach((col, c) => {
    const a = over?.[c] ?? null;
    const b = forward?.[c] ?? null;
    if (a !== null && b !== null && a !== b)
      checks.push({
        rule: "crossYear.carriedOver",
        severity: "error",
        message: `${REQUEST_COLUMN_LABELS[c]}: ${current.year} 上年结转 says ${a}, but ${previous.year} 结转下年度继续办理 says ${b}`,
        where: `requests.carriedOver.${col}`,
      });
  });
  return checks;
}

/** crossYear.inForce: last year's 现行有效 + 制发 − 废止 = this year's 现行有效 (2021 form). */
export function checkInForce(previous: ReportRecord, current: ReportRecord): Check[] {
  if (!consecutive(previous, current)) return [];
  const checks: Check[] = [];
  if (current.template === "2021" && previous.template === "2021") {
    for (const row of ["regulations", "normativeDocuments"] as const) {
      const now = current.active[row];
      const before = previous.active[row].inForce;
      if (now.inForce === null || before === null || now.issued === null || now.repealed === null) continue;
      const expected = before + now.issued - now.repealed;
      if (now.inForce !== expected)
        checks.push({
          rule: "crossYear.inForce",
          severity: "error",
          message: `${row === "regulations" ? "规章" : "行政规范性文件"}: ${previous.year} 现行有效 ${before} + ${current.year} 制发 ${now.issued} − 废止 ${now.repealed} = ${expected}, but ${current.year} 现行有效 says ${now.inForce}`,
          where: `active.${row}.inForce`,
        });
    }
  }
  return checks;
}

/**
 * A report's checks with its cross-year findings replaced by `crossYear`, in the order a
 * consolidated record keeps them: the template's own, then the cross-year ones, then
 * what its copies disagree on (`copies.*`).
 */
export function withCrossYear<T extends { rule: string }>(checks: readonly T[], crossYear: readonly T[]): T[] {
  const own = checks.filter((c) => !c.rule.startsWith("crossYear."));
  const at = own.findIndex((c) => c.rule.startsWith("copies."));
  return at < 0 ? [...own, ...crossYear] : [...own.slice(0, at), ...crossYear, ...own.slice(at)];
}
