// Reports: one per body and year. A body's report for a year is often several documents
// (a portal page, its DOCX and PDF, a re-upload); report_records holds one row per report,
// report_documents its documents best first, and a report of two or more documents its
// consolidated record (normalizers/copies.ts) with consolidated_cells and
// consolidated_checks. A report of one document (most) is that document's own rows, not a
// copy (migration 10); the report_cells and report_checks views give every report's rows.
// Kept up to date as documents come, go or change body or year (the reports' triggers mark
// them in report_dirty), and each report's cross-year checks as the ingest service works
// them out. The store's documents are reached through ReportDocuments only.
import { cellsOf } from "../model/cells.js";
import type { Check, ReportRecord } from "../model/record.js";
import { consolidate } from "../normalizers/copies.js";
import { withCrossYear } from "../normalizers/crossyear.js";
import { placeColumns, provenanceOf } from "./record-access.js";
import { CELL_COLUMNS, CHECK_COLUMNS } from "./stored-form.js";
import type { Statements } from "./statements.js";

/** What the reports need of the store's documents (src/store.ts gives it). */
export interface ReportDocuments {
  recordOf(reportId: number): ReportRecord | null;
  latestOfYear(organKey: string, year: number): { id: number; record: ReportRecord } | null;
  replaceCrossYearChecks(reportId: number, checks: Check[]): void;
  setMeta(key: string, value: string): void;
  transaction<T>(fn: () => T): T;
}

const now = () => new Date().toISOString();

export class ReportLedger {
  constructor(
    private readonly sql: Statements,
    private readonly documents: ReportDocuments,
  ) {}

  /**
   * Brings report_records up to date: every report one of whose documents came, went or
   * changed body or year since (the triggers of reports mark them in report_dirty), and
   * the `also` units (their documents' checks changed), are consolidated again. With
   * `upTo`, a report of more documents than that stays marked (consolidating every copy
   * of a report at each new copy is quadratic: 400 copies of one report in a batch); the
   * marked ones are consolidated when the store is closed, or on the next writing open
   * after a crash.
   */
  sync(also: Iterable<string> = [], opts: { upTo?: number } = {}): void {
    const dirty = new Set<string>(also);
    for (const r of this.sql.get("SELECT unit FROM report_dirty").all() as { unit: string }[]) dirty.add(r.unit);
    if (!dirty.size) return;
    this.documents.transaction(() => {
      // Counted no further than upTo + 1: whether a report is over the bound is all that is
      // asked, and counting all 600 copies of one report at every save was quadratic.
      const count = this.sql.get("SELECT count(*) AS n FROM (SELECT 1 FROM reports WHERE organ_key = ? AND year = ? AND is_current = 1 LIMIT ?)");
      for (const u of dirty) {
        const bar = u.lastIndexOf("|");
        if (opts.upTo !== undefined && !u.startsWith("doc:") && (count.get(u.slice(0, bar), Number(u.slice(bar + 1)), opts.upTo + 1) as { n: number }).n > opts.upTo) {
          this.sql.get("INSERT OR IGNORE INTO report_dirty (unit) VALUES (?)").run(u);
          continue;
        }
        this.refreshUnit(u);
        this.sql.get("DELETE FROM report_dirty WHERE unit = ?").run(u);
      }
    });
  }

  /** Whether some reports wait to be consolidated (marked, not yet refreshed). */
  hasDirty(): boolean {
    return this.sql.get("SELECT 1 FROM report_dirty LIMIT 1").get() !== undefined;
  }

  /** Forgets which reports were marked to consolidate again (the caller refreshes what it knows changed). */
  forgetDirty(): void {
    this.sql.get("DELETE FROM report_dirty").run();
  }

  /** Consolidates every report again (after a migration, or when asked). */
  rebuild(): void {
    this.documents.transaction(() => {
      for (const t of ["report_records", "report_documents", "consolidated_cells", "consolidated_checks"]) this.sql.db.exec(`DELETE FROM ${t}`);
      this.sql.db.exec(`INSERT OR IGNORE INTO report_dirty (unit) SELECT CASE WHEN organ_key IS NOT NULL AND year IS NOT NULL THEN organ_key || '|' || year ELSE 'doc:' || id END
                    FROM reports WHERE is_current = 1`);
      this.sync();
      this.documents.setMeta("report_records", "fresh");
    });
  }

  /** The unit of a body's year. */
  static unitOf(bodyKey: string, year: number): string {
    return `${bodyKey}|${year}`;
  }

  private refreshUnit(unit: string): void {
    const old = this.sql.get("SELECT report_id FROM report_records WHERE unit = ?").get(unit) as { report_id: number } | undefined;
    if (old) this.dropReport(old.report_id);
    let docs: { id: number; year: number | null }[];
    if (unit.startsWith("doc:")) docs = this.sql.get("SELECT id, year FROM reports WHERE id = ? AND is_current = 1 AND (organ_key IS NULL OR year IS NULL)").all(Number(unit.slice(4))) as never;
    else {
      const bar = unit.lastIndexOf("|");
      docs = this.sql.get("SELECT id, year FROM reports WHERE organ_key = ? AND year = ? AND is_current = 1 ORDER BY id").all(unit.slice(0, bar), Number(unit.slice(bar + 1))) as never;
    }
    if (!docs.length) return;
    // A report of one document (most reports) is that document: its record, cells and
    // checks are the document's own rows, not copies (record_json NULL, migration 10).
    if (docs.length === 1) return this.writeReport(unit, { id: docs[0].id, documents: [docs[0].id], year: docs[0].year, consolidated: null });
    const checks = this.sql.get("SELECT rule, severity, message, where_ AS \"where\" FROM checks WHERE report_id = ? ORDER BY rowid");
    const copies = docs.map((d) => {
      const record = this.documents.recordOf(d.id) as ReportRecord;
      record.checks = checks.all(d.id) as Check[];
      return { id: d.id, record };
    });
    let c: { record: ReportRecord; best: number; documents: number[]; filled: Map<string, number> };
    // consolidated_cells values, flat: the stored form's cell columns, then document_id.
    let rows: (string | number | null)[] | null = null;
    try {
      c = consolidate(copies);
      const r = c.record;
      rows = [];
      for (const [tbl, row, col, v] of cellsOf(r)) {
        const k = `${tbl}.${row}.${col}`;
        const p = provenanceOf(r, k);
        rows.push(tbl, row, col, v, p?.status ?? null, p?.text ?? null, ...placeColumns(p?.place), c.filled.get(k) ?? c.best);
      }
    } catch {
      // A record stored by an older xxgk in a shape the consolidation cannot read: the
      // report is its newest document as stored (its cells rows), not a guess.
      const newest = copies[copies.length - 1];
      c = { record: newest.record, best: newest.id, documents: copies.map((d) => d.id).reverse(), filled: new Map() };
    }
    const found = Array.isArray(c.record.checks) ? c.record.checks : [];
    this.writeReport(unit, { id: c.best, documents: c.documents, year: c.record.year ?? null, consolidated: { json: JSON.stringify(c.record), checks: found, cells: rows } });
  }

  /**
   * Writes one report's rows: report_records and report_documents, and for a report
   * consolidated from two or more documents its record_json, consolidated_cells (`cells`:
   * flat values of CELL_COLUMNS and document_id; null: the cells of its best document as
   * stored) and consolidated_checks. `consolidated` null: a report of one document, which
   * is that document's rows (the report_cells and report_checks views read them).
   * `year` is used for a report of one unplaced document.
   */
  private writeReport(
    unit: string,
    r: { id: number; documents: number[]; year: number | null; consolidated: { json: string; checks: Check[]; cells: (string | number | null)[] | null } | null },
  ): void {
    const id = r.id;
    // Another unit's row may still name this document as its best (re-keyed between units): it is stale.
    const clash = this.sql.get("SELECT unit FROM report_records WHERE report_id = ?").get(id) as { unit: string } | undefined;
    if (clash) this.dropReport(id);
    const key = unit.startsWith("doc:") ? null : unit.slice(0, unit.lastIndexOf("|"));
    const year = unit.startsWith("doc:") ? r.year : Number(unit.slice(unit.lastIndexOf("|") + 1));
    const c = r.consolidated;
    this.sql.get("INSERT INTO report_records (report_id, unit, body_key, year, documents, record_json, refreshed_at) VALUES (?,?,?,?,?,?,?)").run(
      id, unit, key, year, r.documents.length, c?.json ?? null, now(),
    );
    this.sql.insertRows("report_documents", ["document_id", "rank"], id, r.documents.flatMap((d, i) => [d, i + 1]));
    if (!c) return;
    if (c.cells) this.sql.insertRows("consolidated_cells", [...CELL_COLUMNS, "document_id"], id, c.cells);
    else
      this.sql.get(`INSERT INTO consolidated_cells (report_id, ${CELL_COLUMNS.join(", ")}, document_id) SELECT report_id, ${CELL_COLUMNS.join(", ")}, report_id FROM cells WHERE report_id = ?`).run(id);
    this.sql.insertRows("consolidated_checks", CHECK_COLUMNS, id, c.checks.flatMap((k) => [k.rule, k.severity, k.message, k.where]));
  }

  private dropReport(reportId: number): void {
    for (const t of ["report_records", "report_documents", "consolidated_cells", "consolidated_checks"]) this.sql.get(`DELETE FROM ${t} WHERE report_id = ?`).run(reportId);
  }

  /**
   * One record per report (consolidated; a one-document report's is its document's, with
   * the checks stored on it), grouped like records({ byReport }) would be after reportsOf.
   */
  *records(): Generator<{ id: number; record: ReportRecord; parsedAt: string; reportKey: string | null }> {
    const checks = this.sql.get("SELECT rule, severity, message, where_ AS \"where\" FROM checks WHERE report_id = ? ORDER BY rowid");
    for (const row of this.sql.get(
      `SELECT rr.report_id AS id, COALESCE(rr.record_json, r.record_json) AS record_json, rr.record_json IS NULL AS own, r.parsed_at, rr.body_key, rr.year
       FROM report_records rr JOIN reports r ON r.id = rr.report_id
       ORDER BY rr.body_key IS NULL, rr.body_key, rr.year, rr.report_id`,
    ).iterate() as Iterable<{ id: number; record_json: string; own: number; parsed_at: string; body_key: string | null; year: number | null }>) {
      const record = JSON.parse(row.record_json) as ReportRecord;
      if (row.own) record.checks = checks.all(row.id) as Check[];
      yield { id: row.id, record, parsedAt: row.parsed_at, reportKey: row.body_key !== null && row.year !== null ? `${row.body_key}|${row.year}` : null };
    }
  }

  /**
   * A body's report for a year as the dataset holds it: the consolidated record where two
   * or more documents carry it, else its one document's. Null when the body has no current
   * document for that year. (A report left marked for consolidation is read as last
   * consolidated, or, never consolidated, as its newest document.)
   */
  ofYear(bodyKey: string, year: number): ReportRecord | null {
    const row = this.sql.get(
      "SELECT COALESCE(rr.record_json, r.record_json) AS record_json FROM report_records rr JOIN reports r ON r.id = rr.report_id WHERE rr.unit = ?",
    ).get(ReportLedger.unitOf(bodyKey, year)) as { record_json: string } | undefined;
    return row ? (JSON.parse(row.record_json) as ReportRecord) : (this.documents.latestOfYear(bodyKey, year)?.record ?? null);
  }

  /**
   * Sets the cross-year checks of a body's report for a year. They are the report's: kept on
   * its newest current document (the one consolidation takes them from; an older copy
   * keeps none, so none goes stale), and, for a report consolidated from two or more
   * documents, in its consolidated record and checks as well.
   */
  setCrossYearChecks(bodyKey: string, year: number, checks: Check[], opts: { everyCopy?: boolean } = {}): void {
    const newest = this.sql.get("SELECT id FROM reports WHERE organ_key = ? AND year = ? AND is_current = 1 ORDER BY id DESC LIMIT 1").get(bodyKey, year) as
      | { id: number }
      | undefined;
    if (!newest) return;
    // Written only where they change: most saves find none and hold none (no year before),
    // and rewriting a consolidated record (~30 KB of JSON) at each new copy of a report
    // made a batch of copies quadratic.
    const same = (held: Check[]) => held.length === checks.length && held.every((k, i) => k.rule === checks[i].rule && k.message === checks[i].message && k.where === checks[i].where && k.severity === checks[i].severity);
    const CROSS_YEAR = "rule LIKE 'crossYear.%'";
    if (!same(this.sql.get(`SELECT rule, severity, message, where_ AS "where" FROM checks WHERE report_id = ? AND ${CROSS_YEAR} ORDER BY rowid`).all(newest.id) as Check[]))
      this.documents.replaceCrossYearChecks(newest.id, checks);
    // An older copy holds none. Kept so, only the document that was the newest before can
    // hold some, and only its rows are looked at (every copy's rows, at each new copy, made
    // a batch of copies quadratic); `everyCopy` where documents joined the report from
    // another (re-keying, a person's correction of a document's body or year).
    if (opts.everyCopy)
      this.sql.get(`DELETE FROM checks WHERE ${CROSS_YEAR} AND report_id IN (SELECT id FROM reports WHERE organ_key = ? AND year = ? AND is_current = 1 AND id <> ?)`).run(bodyKey, year, newest.id);
    else {
      const before = this.sql.get("SELECT id FROM reports WHERE organ_key = ? AND year = ? AND is_current = 1 AND id < ? ORDER BY id DESC LIMIT 1").get(bodyKey, year, newest.id) as { id: number } | undefined;
      if (before) this.sql.get(`DELETE FROM checks WHERE report_id = ? AND ${CROSS_YEAR}`).run(before.id);
    }
    const rr = this.sql.get("SELECT report_id, record_json FROM report_records WHERE unit = ?").get(ReportLedger.unitOf(bodyKey, year)) as
      | { report_id: number; record_json: string | null }
      | undefined;
    if (!rr || rr.record_json === null) return;
    if (same(this.sql.get(`SELECT rule, severity, message, where_ AS "where" FROM consolidated_checks WHERE report_id = ? AND ${CROSS_YEAR} ORDER BY rowid`).all(rr.report_id) as Check[])) return;
    const record = JSON.parse(rr.record_json) as ReportRecord;
    record.checks = withCrossYear(record.checks, checks);
    this.sql.get("UPDATE report_records SET record_json = ? WHERE report_id = ?").run(JSON.stringify(record), rr.report_id);
    this.sql.get("DELETE FROM consolidated_checks WHERE report_id = ?").run(rr.report_id);
    this.sql.insertRows("consolidated_checks", CHECK_COLUMNS, rr.report_id, record.checks.flatMap((k) => [k.rule, k.severity, k.message, k.where]));
  }
}
