// Documents to reports: a researcher's unit is a report (one body, one year), and a
// report often arrives as several documents (a portal page, its DOCX and PDF, a
// re-upload). The exports and the quality page take their records through reportsOf.
import { consolidate } from "../normalizers/copies.js";
import type { ReportRecord } from "../model/record.js";

export type StoredDocument = {
  id: number;
  record: ReportRecord;
  parsedAt: string;
  reportKey: string | null;
  /** sha256 of every document of the report (its places are theirs); absent: the record's own. */
  shas?: string[];
};

/**
 * One record per report: the documents of one body's report for one year (a portal page,
 * its DOCX and PDF) read together by normalizers/copies.ts; a document whose body or year
 * was not read is a report of its own. Needs the documents grouped (store.records({ byReport })).
 */
export function* reportsOf(documents: Iterable<StoredDocument>): Generator<StoredDocument> {
  let group: StoredDocument[] = [];
  const flush = function* () {
    if (group.length === 1) yield group[0];
    else if (group.length > 1) {
      const c = consolidate(group);
      const best = group.find((d) => d.id === c.best)!;
      yield { ...best, record: c.record, shas: group.map((d) => d.record.source.sha256) };
    }
    group = [];
  };
  for (const d of documents) {
    if (d.reportKey === null || group.length === 0 || group[0].reportKey !== d.reportKey) yield* flush();
    group.push(d);
  }
  yield* flush();
}

