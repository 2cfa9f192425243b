// Gathers the quality report's data from the store and renders it (src/report/).
// The page compares itself with the last one: a snapshot is kept in the meta table,
// when the database can be written (a read-only one is reported on all the same).
import type { Store } from "./store.js";
import { buildReportRows, documentKey, type FailureRow, type QualityData } from "./report/data.js";
import { renderQualityReport, snapshotOf } from "./report/html.js";
import type { ReportRecord } from "../model/record.js";
import { ATTACHMENTS_ONLY } from "../model/document.js";
import { CHECK_RULES } from "../normalizers/rules.js";
import { withCorrections } from "./corrections.js";
import { reportsOf } from "./reports.js";

/** Every rule xxgk evaluates, so a rule that never fails still shows 100%: from the registry (normalizers/rules.ts). */
export const RULES = CHECK_RULES.map((r) => r.rule);

const SNAPSHOT = "quality.snapshot";

export function qualityData(store: Store): QualityData {
  const records: { id: number; record: ReportRecord; ingestedAt: string; key: string }[] = [];
  // One row per report (its copies read together), corrections on top: the page's checks
  // are those of the corrected values. A report is known across runs by its report key
  // (body and year), else by its document's bytes: never by its store id, which a
  // re-parse or a better copy changes.
  const reports = [...reportsOf(store.records({ byReport: true }))];
  const keys = new Map(reports.map((r) => [r.id, r.reportKey !== null ? `report ${r.reportKey}` : documentKey(r.record)]));
  for (const { id, record, parsedAt } of withCorrections(store, reports)) records.push({ id, record, ingestedAt: parsedAt, key: keys.get(id)! });
  const prev = store.getMeta(SNAPSHOT);
  const failures = store.currentFailures().map(
    (f): FailureRow => ({
      path: /^https?:/.test(f.locator) ? null : f.locator,
      url: /^https?:/.test(f.locator) ? f.locator : null,
      zipMember: store.zipMember(f.locator),
      code: f.code,
      message: f.message,
      at: f.at,
    }),
  );
  return {
    generatedAt: new Date().toISOString(),
    // A document inside a zip is shown by its archive and member name (the store knows which places are members).
    reports: buildReportRows(records, (path) => store.zipMember(path)),
    failures: failures.filter((f) => f.code !== ATTACHMENTS_ONLY),
    containers: failures.filter((f) => f.code === ATTACHMENTS_ONLY),
    rules: RULES,
    previous: prev ? JSON.parse(prev) : null,
  };
}

/** The page, and the snapshot to keep for the next one's "changes since the last report". */
export function qualityPage(store: Store): { html: string; snapshot: string } {
  const data = qualityData(store);
  return { html: renderQualityReport(data), snapshot: JSON.stringify(snapshotOf(data)) };
}

/** Keeps the snapshot in a writable store (the next page compares itself with it). */
export function keepSnapshot(store: Store, snapshot: string): void {
  store.setMeta(SNAPSHOT, snapshot);
}
