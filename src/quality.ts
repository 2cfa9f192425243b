// Gathers the quality report's data from the store and renders it (src/report/).
// The page compares itself with the last one: a snapshot is kept in the meta table.
import type { Store } from "./store.js";
import { buildReportRows, type FailureRow, type QualityData } from "./report/data.js";
import { renderQualityReport, snapshotOf } from "./report/html.js";
import type { ReportRecord } from "../model/record.js";
import { withCorrections } from "./corrections.js";

/** Every rule xxgk evaluates, so a rule that never fails still shows 100%. */
export const RULES = [
  "requests.balance",
  "requests.rowTotal",
  "requests.resultsTotal",
  "reviews.total",
  "narrative.requestsReceived",
  "crossYear.carriedOver",
  "crossYear.inForce",
];

export function qualityData(store: Store): QualityData {
  const records: { id: number; record: ReportRecord; ingestedAt: string }[] = [];
  // With corrections on top: the page's checks are those of the corrected values.
  for (const { id, record, parsedAt } of withCorrections(store.db, store.records())) records.push({ id, record, ingestedAt: parsedAt });
  const failures = store.db
    .prepare("SELECT locator, code, message, at FROM failures WHERE is_current = 1 ORDER BY at")
    .all() as { locator: string; code: string; message: string; at: string }[];
  const prev = store.db.prepare("SELECT value FROM meta WHERE key = 'quality.snapshot'").get() as { value: string } | undefined;
  return {
    generatedAt: new Date().toISOString(),
    reports: buildReportRows(records),
    failures: failures.map(
      (f): FailureRow => ({
        path: /^https?:/.test(f.locator) ? null : f.locator,
        url: /^https?:/.test(f.locator) ? f.locator : null,
        code: f.code,
        message: f.message,
        at: f.at,
      }),
    ),
    rules: RULES,
    previous: prev ? JSON.parse(prev.value) : null,
  };
}

/** The page, and the snapshot stored for the next one's "changes since the last report". */
export function qualityPage(store: Store): string {
  const data = qualityData(store);
  const html = renderQualityReport(data);
  store.db
    .prepare("INSERT INTO meta (key, value) VALUES ('quality.snapshot', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
    .run(JSON.stringify(snapshotOf(data)));
  return html;
}
