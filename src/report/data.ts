// What the quality report page is drawn from. The store fills QualityData from SQLite
// (src/quality.ts); buildReportRows turns stored records into the rows the page reads.
import type { ReportRecord } from "../../model/record.js";
import { sha256 } from "../../model/hash.js";
import { diagnosticsOf, unreadCells } from "../record-access.js";

export interface ReportRow {
  id: number; // report id in the store (a re-parse or a new copy gives the report another)
  /**
   * What the report is across runs: its report key (body and year) where both were read,
   * else its document's bytes (`document <sha256>`). Re-parsing, or a better copy arriving,
   * keeps it; "changes since the last report" compare by it.
   */
  key: string;
  /** A digest of what the report says (body, year, date and every cell): tells a report whose values changed. */
  digest: string;
  organ: string | null;
  year: number | null;
  template: "2021" | "2019";
  format: "docx" | "pdf" | "html" | "text";
  province: string | null;
  city: string | null;
  county: string | null;
  regionCode: string | null;
  sourcePath: string | null;
  sourceUrl: string | null;
  /** A document inside a zip archive: the archive's path and the member's name (sourcePath is `archive!/member`). */
  zipMember?: { archive: string; member: string } | null;
  checks: { rule: string; severity: "error" | "warning"; message: string; where: string }[];
  warnings: string[];
  /** Cells the document shows that could not be read (null, not printed blank): src/record-access.ts unreadCells. */
  unreadCells: number;
  ingestedAt: string; // ISO time
}

export interface FailureRow {
  path: string | null;
  /** A member of a zip archive that failed: the archive's path and the member's name. */
  zipMember?: { archive: string; member: string } | null;
  url: string | null;
  code: string;
  message: string;
  at: string;
}

export interface QualityData {
  generatedAt: string; // ISO time
  reports: ReportRow[];
  failures: FailureRow[];
  /** Portal pages whose report is in their attachments (`attachments-only`): not failures, listed apart. */
  containers?: FailureRow[];
  rules: string[]; // every rule that is evaluated (so a rule that never fails still shows 100%)
  previous?: Snapshot | null; // the last report's snapshot
}

/**
 * What a quality page keeps for the next one to compare with: each report's key and the
 * digest of its values, and the keys of the reports that failed a check. A snapshot kept
 * by an older xxgk holds store ids instead (`reportIds`, `failingReportIds`).
 */
export interface Snapshot {
  generatedAt: string;
  reports?: Record<string, string>;
  failing?: string[];
  reportIds?: number[];
  failingReportIds?: number[];
}

/** The key of a report whose body and year were not read: its document, by its bytes. */
export const documentKey = (record: ReportRecord): string => `document ${record.source.sha256}`;

/** What a report says, digested: its body, year, date and cells (not its places, notes or checks). */
export function valuesDigest(r: ReportRecord): string {
  const said = JSON.stringify([r.organ, r.year, r.publishedOn, r.template, r.active, r.requests, r.reviews]);
  return sha256(Buffer.from(said, "utf8")).slice(0, 16);
}

/** One row per stored record, in the order given. */
export function buildReportRows(
  records: { id: number; record: ReportRecord; ingestedAt: string; key?: string }[],
  zipMemberOf: (path: string) => { archive: string; member: string } | null = () => null,
): ReportRow[] {
  return records.map(({ id, record: r, ingestedAt, key }) => ({
    id,
    key: key ?? documentKey(r),
    digest: valuesDigest(r),
    organ: r.organ,
    year: r.year,
    template: r.template,
    format: r.source.format,
    province: r.region?.province ?? null,
    city: r.region?.city ?? null,
    county: r.region?.county ?? null,
    regionCode: r.region?.code ?? null,
    sourcePath: r.source.path,
    sourceUrl: r.source.url,
    zipMember: r.source.path ? zipMemberOf(r.source.path) : null,
    checks: r.checks.map((c) => ({ rule: c.rule, severity: c.severity, message: c.message, where: c.where })),
    // The notes that need a look (a blank cell or an unprinted date is `info`: nothing is wrong).
    warnings: diagnosticsOf(r).filter((d) => d.severity !== "info").map((d) => d.message),
    unreadCells: unreadCells(r).length,
    ingestedAt,
  }));
}
