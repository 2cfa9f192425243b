// The store side of what people add to the machine's reading: cell corrections, review
// marks, document metadata corrections (organ, year, publishedOn), and the reads the
// review page makes. Every SQL statement of src/corrections.ts and src/serve/ lives here;
// the Store constructs one on its own connection (store.ledger). The rules about what a
// correction may be and how it applies are the domain's (src/corrections.ts), not here.
import type Database from "better-sqlite3";
import { Statements } from "./statements.js";
import type { Check, Region, ReportRecord } from "../model/record.js";

export type CorrectionStatus = "active" | "review" | "superseded" | "withdrawn";

/** A person's value for one cell of a report (a body's key and a year). */
export interface Correction {
  id: number;
  bodyKey: string;
  year: number;
  cellKey: string;
  value: number | null;
  why: string;
  by: string | null;
  createdAt: string;
  machineValue: number | null;
  status: CorrectionStatus;
}

/** A report as corrections name it: the body's key and the year. */
export interface ReportKey {
  bodyKey: string;
  year: number;
}

/**
 * A person's reading of a document's metadata, by the document's bytes (sha256): a value
 * given replaces the machine's, null leaves the machine's reading as it is.
 */
export interface DocumentCorrection {
  id: number;
  sha256: string;
  organ: string | null;
  year: number | null;
  publishedOn: string | null;
  why: string;
  by: string | null;
  createdAt: string;
  status: "active" | "superseded" | "withdrawn";
}

/** A current record as the review page and the exports read it. */
export interface StoredReport {
  id: number;
  record: ReportRecord;
  parsedAt: string;
  /** `organKey|year`, or null when the body or year is not known. */
  reportKey: string | null;
}

interface Row {
  id: number;
  body_key: string;
  year: number;
  cell_key: string;
  value: number | null;
  why: string;
  by: string | null;
  created_at: string;
  machine_value: number | null;
  status: CorrectionStatus;
}
const fromRow = (r: Row): Correction => ({
  id: r.id,
  bodyKey: r.body_key,
  year: r.year,
  cellKey: r.cell_key,
  value: r.value,
  why: r.why,
  by: r.by,
  createdAt: r.created_at,
  machineValue: r.machine_value,
  status: r.status,
});

interface DocRow {
  id: number;
  sha256: string;
  organ: string | null;
  year: number | null;
  published_on: string | null;
  why: string;
  by: string | null;
  created_at: string;
  status: DocumentCorrection["status"];
}
const fromDocRow = (r: DocRow): DocumentCorrection => ({
  id: r.id,
  sha256: r.sha256,
  organ: r.organ,
  year: r.year,
  publishedOn: r.published_on,
  why: r.why,
  by: r.by,
  createdAt: r.created_at,
  status: r.status,
});

/** One row of the review queue as counted in SQL. */
export interface QueueCounts {
  id: number;
  organ: string | null;
  organ_key: string | null;
  year: number | null;
  region_code: string | null;
  region_name: string | null;
  format: string;
  errors: number;
  warnings: number;
  nulls: number;
  rules: string | null;
}

export const reportKeyOf = (organKey: string | null, year: number | null): string | null =>
  organKey !== null && year !== null ? `${organKey}|${year}` : null;

/** `organKey|year` back to its parts (the key may itself hold `|`: the year is after the last one). */
export function parseReportKey(k: string | null): ReportKey | null {
  if (k === null) return null;
  const at = k.lastIndexOf("|");
  const year = Number(k.slice(at + 1));
  return at > 0 && Number.isInteger(year) ? { bodyKey: k.slice(0, at), year } : null;
}

export class ReviewLedger {
  private readonly statements: Statements;
  constructor(private readonly db: Database.Database) {
    this.statements = new Statements(db);
  }

  private sql(text: string): Database.Statement {
    return this.statements.get(text);
  }

  private tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** Tables found to exist: a table is never dropped while a store is open, so once seen it is not looked up again (ingest asks per document). */
  private readonly tablesSeen = new Set<string>();

  private hasTable(name: string): boolean {
    if (this.tablesSeen.has(name)) return true;
    const found = this.sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
    if (found) this.tablesSeen.add(name);
    return found;
  }

  /** Whether the database has the corrections' tables (a read-only database from before them has not). */
  hasCorrections(): boolean {
    return this.hasTable("corrections");
  }

  /** Whether the database has the document corrections' table. */
  hasDocumentCorrections(): boolean {
    return this.hasTable("document_corrections");
  }

  // ---- reports as corrections see them ----

  /** The current record of a report (its latest current document), or null. */
  currentRecordOf(key: ReportKey): { id: number; record: ReportRecord } | null {
    const row = this.sql("SELECT id, record_json FROM reports WHERE organ_key = ? AND year = ? AND is_current = 1 ORDER BY id DESC LIMIT 1").get(
      key.bodyKey, key.year,
    ) as { id: number; record_json: string } | undefined;
    return row ? { id: row.id, record: JSON.parse(row.record_json) as ReportRecord } : null;
  }

  /** Body keys of the current reports of a year whose key, stored organ name or bare name is `body`. */
  bodyKeysNamed(body: string, year: number): string[] {
    return (this.sql(
      "SELECT DISTINCT organ_key FROM reports WHERE is_current = 1 AND year = ? AND organ_key IS NOT NULL AND (organ_key = ? OR organ = ? OR organ_bare = ?)",
    ).all(year, body, body, body) as { organ_key: string }[]).map((r) => r.organ_key);
  }

  // ---- cell corrections ----

  /** Corrections of one report, or of every report; the current ones (active, review) unless `all`. */
  corrections(opts: { report?: ReportKey; all?: boolean } = {}): Correction[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (opts.report) {
      where.push("body_key = ? AND year = ?");
      args.push(opts.report.bodyKey, opts.report.year);
    }
    if (!opts.all) where.push("status IN ('active', 'review')");
    return (this.sql(`SELECT * FROM corrections ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY body_key, year, cell_key, id`).all(...args) as Row[]).map(fromRow);
  }

  correction(id: number): Correction | null {
    const r = this.sql("SELECT * FROM corrections WHERE id = ?").get(id) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  /** Stores a cell's correction, the cell's earlier current one becoming `superseded`: one transaction. */
  addCorrection(c: Omit<Correction, "id" | "status">): Correction {
    return this.tx(() => {
      this.sql("UPDATE corrections SET status = 'superseded' WHERE body_key = ? AND year = ? AND cell_key = ? AND status IN ('active', 'review')").run(
        c.bodyKey, c.year, c.cellKey,
      );
      const info = this.sql(
        "INSERT INTO corrections (body_key, made_under, year, cell_key, value, why, by, created_at, machine_value, status) VALUES (?,?,?,?,?,?,?,?,?, 'active')",
      ).run(c.bodyKey, c.bodyKey, c.year, c.cellKey, c.value, c.why, c.by, c.createdAt, c.machineValue);
      return this.correction(Number(info.lastInsertRowid))!;
    });
  }

  /** The cell's current correction becomes `withdrawn` and the one it superseded current again; null when there is none. */
  withdrawCorrection(key: ReportKey, cellKey: string): Correction | null {
    return this.tx(() => {
      const cur = this.sql(
        "SELECT * FROM corrections WHERE body_key = ? AND year = ? AND cell_key = ? AND status IN ('active', 'review') ORDER BY id DESC LIMIT 1",
      ).get(key.bodyKey, key.year, cellKey) as Row | undefined;
      if (!cur) return null;
      this.sql("UPDATE corrections SET status = 'withdrawn' WHERE id = ?").run(cur.id);
      const prev = this.sql(
        "SELECT id FROM corrections WHERE body_key = ? AND year = ? AND cell_key = ? AND status = 'superseded' ORDER BY id DESC LIMIT 1",
      ).get(key.bodyKey, key.year, cellKey) as { id: number } | undefined;
      if (prev) this.sql("UPDATE corrections SET status = 'active' WHERE id = ?").run(prev.id);
      return fromRow({ ...cur, status: "withdrawn" });
    });
  }

  /** Flags these corrections `review` (the machine's value under them changed), in one transaction. */
  flagForReview(ids: number[]): void {
    this.tx(() => {
      for (const id of ids) this.sql("UPDATE corrections SET status = 'review' WHERE id = ?").run(id);
    });
  }

  /** A correction accepted against today's machine value. */
  confirmCorrection(id: number, machineValue: number | null): void {
    this.sql("UPDATE corrections SET status = 'active', machine_value = ? WHERE id = ?").run(machineValue, id);
  }

  /** Ids of the current reports that have a current correction. */
  correctedReportIds(): number[] {
    return (this.sql(
      "SELECT DISTINCT r.id FROM reports r JOIN corrections k ON k.body_key = r.organ_key AND k.year = r.year AND k.status IN ('active', 'review') WHERE r.is_current = 1",
    ).all() as { id: number }[]).map((r) => r.id);
  }

  // ---- review marks ----

  markReviewed(key: ReportKey, at: string, by: string | null): void {
    this.sql(
      "INSERT INTO review_marks (body_key, year, reviewed_at, by) VALUES (?,?,?,?) ON CONFLICT(body_key, year) DO UPDATE SET reviewed_at = excluded.reviewed_at, by = excluded.by",
    ).run(key.bodyKey, key.year, at, by);
  }

  unmarkReviewed(key: ReportKey): void {
    this.sql("DELETE FROM review_marks WHERE body_key = ? AND year = ?").run(key.bodyKey, key.year);
  }

  reviewedReports(): ReportKey[] {
    return (this.sql("SELECT body_key, year FROM review_marks").all() as { body_key: string; year: number }[]).map((r) => ({ bodyKey: r.body_key, year: r.year }));
  }

  // ---- document metadata corrections ----

  /** The document's current metadata correction, or null. */
  documentCorrection(sha: string): DocumentCorrection | null {
    if (!this.hasDocumentCorrections()) return null;
    const r = this.sql("SELECT * FROM document_corrections WHERE sha256 = ? AND status = 'active' ORDER BY id DESC LIMIT 1").get(sha) as DocRow | undefined;
    return r ? fromDocRow(r) : null;
  }

  /** Every current document correction by sha256 (every one, history included, with `all`). */
  documentCorrections(opts: { all?: boolean } = {}): DocumentCorrection[] {
    if (!this.hasDocumentCorrections()) return [];
    return (this.sql(`SELECT * FROM document_corrections ${opts.all ? "" : "WHERE status = 'active'"} ORDER BY id`).all() as DocRow[]).map(fromDocRow);
  }

  /** Stores a document's metadata correction (its earlier one becomes `superseded`). */
  addDocumentCorrection(c: Omit<DocumentCorrection, "id" | "status">): DocumentCorrection {
    return this.tx(() => {
      this.sql("UPDATE document_corrections SET status = 'superseded' WHERE sha256 = ? AND status = 'active'").run(c.sha256);
      const info = this.sql(
        "INSERT INTO document_corrections (sha256, organ, year, published_on, why, by, created_at, status) VALUES (?,?,?,?,?,?,?, 'active')",
      ).run(c.sha256, c.organ, c.year, c.publishedOn, c.why, c.by, c.createdAt);
      return fromDocRow(this.sql("SELECT * FROM document_corrections WHERE id = ?").get(Number(info.lastInsertRowid)) as DocRow);
    });
  }

  /** Withdraws the document's current metadata correction (the one it superseded is current again); null when none. */
  withdrawDocumentCorrection(sha: string): DocumentCorrection | null {
    return this.tx(() => {
      const cur = this.sql("SELECT * FROM document_corrections WHERE sha256 = ? AND status = 'active' ORDER BY id DESC LIMIT 1").get(sha) as DocRow | undefined;
      if (!cur) return null;
      this.sql("UPDATE document_corrections SET status = 'withdrawn' WHERE id = ?").run(cur.id);
      const prev = this.sql("SELECT id FROM document_corrections WHERE sha256 = ? AND status = 'superseded' ORDER BY id DESC LIMIT 1").get(sha) as { id: number } | undefined;
      if (prev) this.sql("UPDATE document_corrections SET status = 'active' WHERE id = ?").run(prev.id);
      return fromDocRow({ ...cur, status: "withdrawn" });
    });
  }

  /** The sha256 of the stored documents whose sha256 starts with `prefix` (8 hex digits at least) or whose place is `locator`. */
  documentsNamed(prefixOrLocator: string): string[] {
    const hex = /^[0-9a-f]{8,64}$/i.test(prefixOrLocator) ? prefixOrLocator.toLowerCase() : null;
    const rows = this.sql(
      `SELECT DISTINCT v.sha256 FROM versions v JOIN sources s ON s.id = v.source_id
       WHERE (? IS NOT NULL AND substr(v.sha256, 1, length(?)) = ?) OR s.locator = ? OR s.path = ?`,
    ).all(hex, hex, hex, prefixOrLocator, prefixOrLocator) as { sha256: string }[];
    return rows.map((r) => r.sha256);
  }

  /** The current report of a document's bytes: its id, the machine's record and its key columns. */
  currentReportOfDocument(sha: string): { id: number; record: ReportRecord } | null {
    const row = this.sql("SELECT id, record_json FROM reports WHERE sha256 = ? AND is_current = 1").get(sha) as { id: number; record_json: string } | undefined;
    return row ? { id: row.id, record: JSON.parse(row.record_json) as ReportRecord } : null;
  }

  /** Sets the columns a report is keyed and listed by (organ, year, published_on); its record_json, the machine's reading, stays. */
  setReportMetadata(reportId: number, m: { organ: string | null; year: number | null; publishedOn: string | null }): void {
    this.sql("UPDATE reports SET organ = ?, year = ?, published_on = ? WHERE id = ?").run(m.organ, m.year, m.publishedOn, reportId);
  }

  /** Sets the region columns of a report (a region placed from a person's organ name), or clears them. */
  setReportRegion(reportId: number, region: Region | null, by: string | null, confidence: string | null): void {
    this.sql(
      "UPDATE reports SET region_code = ?, region_name = ?, province = ?, city = ?, county = ?, region_by = ?, region_confidence = ? WHERE id = ?",
    ).run(region?.code ?? null, region?.name ?? null, region?.province ?? null, region?.city ?? null, region?.county ?? null, by, confidence, reportId);
  }

  // ---- what the review page reads ----

  /** Current records (checks as stored), in id order; only these ids when given. */
  *currentReports(ids?: readonly number[]): Generator<StoredReport> {
    const checks = this.sql('SELECT rule, severity, message, where_ AS "where" FROM checks WHERE report_id = ? ORDER BY rowid');
    const base = "SELECT id, record_json, parsed_at, organ_key, year FROM reports WHERE is_current = 1";
    type R = { id: number; record_json: string; parsed_at: string; organ_key: string | null; year: number | null };
    const rows: R[] =
      ids === undefined
        ? (this.sql(`${base} ORDER BY id`).all() as R[])
        : ids.flatMap((id) => (this.sql(`${base} AND id = ?`).all(id) as R[]));
    for (const row of rows) {
      const record = JSON.parse(row.record_json) as ReportRecord;
      record.checks = checks.all(row.id) as Check[];
      yield { id: row.id, record, parsedAt: row.parsed_at, reportKey: reportKeyOf(row.organ_key, row.year) };
    }
  }

  /** The ids of the current documents of one report (body key, year), oldest first. */
  documentsOfReport(key: ReportKey): number[] {
    return (this.sql("SELECT id FROM reports WHERE organ_key = ? AND year = ? AND is_current = 1 ORDER BY id").all(key.bodyKey, key.year) as { id: number }[]).map((r) => r.id);
  }

  /** Report keys (`organKey|year`) with more than one current document. */
  reportsWithCopies(): string[] {
    return (this.sql(
      "SELECT organ_key, year FROM reports WHERE is_current = 1 AND organ_key IS NOT NULL AND year IS NOT NULL GROUP BY organ_key, year HAVING count(*) > 1",
    ).all() as { organ_key: string; year: number }[]).map((r) => reportKeyOf(r.organ_key, r.year)!);
  }

  /** A report's document: its sha256, format and the place it was first seen. */
  documentOf(reportId: number): { sha256: string; format: string; locator: string } | null {
    return (this.sql("SELECT r.sha256, r.format, s.locator FROM reports r JOIN versions v ON v.id = r.version_id JOIN sources s ON s.id = v.source_id WHERE r.id = ?").get(
      reportId,
    ) as { sha256: string; format: string; locator: string } | undefined) ?? null;
  }

  /** Every current report's queue counts: failed checks and diagnostics by severity, unread cells (not printed blank), failed rules. */
  queueCounts(): QueueCounts[] {
    return this.sql(
      `SELECT r.id, r.organ, r.organ_key, r.year, r.region_code, r.region_name, r.format,
         (SELECT count(*) FROM checks c WHERE c.report_id = r.id AND c.severity = 'error')
           + (SELECT count(*) FROM json_each(r.record_json, '$.diagnostics') d WHERE json_extract(d.value, '$.severity') = 'error') AS errors,
         (SELECT count(*) FROM checks c WHERE c.report_id = r.id AND c.severity = 'warning')
           + (SELECT count(*) FROM json_each(r.record_json, '$.diagnostics') d WHERE json_extract(d.value, '$.severity') = 'warning') AS warnings,
         (SELECT count(*) FROM cells c WHERE c.report_id = r.id AND c.value IS NULL
            AND coalesce(json_extract(r.record_json, '$.provenance."' || c.tbl || '.' || c.row || '.' || c.col || '".status'), '') != 'blank') AS nulls,
         (SELECT group_concat(DISTINCT c.rule) FROM checks c WHERE c.report_id = r.id) AS rules
       FROM reports r WHERE r.is_current = 1 ORDER BY r.id`,
    ).all() as QueueCounts[];
  }
}
