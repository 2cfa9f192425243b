// What the review page shows, read from the store: the queue of reports needing a look
// (most severe first) and one report with its corrections, provenance and checks. The
// store is opened read-only; a second connection writes only corrections and review marks.
import Database from "better-sqlite3";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { sha256 } from "../../model/hash.js";
import { codebook, type CodebookEntry } from "../../model/codebook.js";
import { cellsOf } from "../../model/cells.js";
import type { Check, ReportRecord } from "../../model/record.js";
import type { ProvenanceEntry, RecordDiagnostic } from "../../model/provenance.js";
import {
  correctionsByReport,
  reportKeyString,
  reviewedReports,
  withCorrections,
  type CorrectedCell,
  type CorrectedReport,
  type ReportKey,
} from "../corrections.js";

/** Record v2's fields, read where present (records from before v2 have neither). */
export interface V2Fields {
  provenance?: Record<string, ProvenanceEntry>;
  diagnostics?: RecordDiagnostic[];
}
export const provenanceOf = (r: ReportRecord) => (r as ReportRecord & V2Fields).provenance ?? {};
export const diagnosticsOf = (r: ReportRecord) => (r as ReportRecord & V2Fields).diagnostics ?? [];

export class ReviewData {
  /** Read-only: every query of reports, cells and checks. */
  readonly ro: Database.Database;
  /** Writes corrections and review marks, nothing else. */
  readonly rw: Database.Database;

  constructor(readonly path: string) {
    this.rw = new Database(path, { fileMustExist: true });
    this.rw.pragma("busy_timeout = 5000");
    try {
      if (!this.rw.prepare("SELECT 1 FROM sqlite_master WHERE name = 'reports'").get()) throw new Error("not an xxgk database (no reports table)");
    } catch (e) {
      this.rw.close();
      throw e;
    }
    this.ro = new Database(path, { readonly: true, fileMustExist: true });
    this.ro.pragma("busy_timeout = 5000");
  }

  close(): void {
    this.ro.close();
    this.rw.close();
  }

  /** Current records with stored checks (the template's and cross-year), as the store gives them. */
  *records(where = "", ...args: unknown[]): Generator<{ id: number; record: ReportRecord; parsedAt: string }> {
    const checks = this.ro.prepare('SELECT rule, severity, message, where_ AS "where" FROM checks WHERE report_id = ? ORDER BY rowid');
    const rows = this.ro.prepare(`SELECT id, record_json, parsed_at FROM reports WHERE is_current = 1 ${where} ORDER BY id`).all(...args) as {
      id: number;
      record_json: string;
      parsed_at: string;
    }[];
    for (const row of rows) {
      const record = JSON.parse(row.record_json) as ReportRecord;
      record.checks = checks.all(row.id) as Check[];
      yield { id: row.id, record, parsedAt: row.parsed_at };
    }
  }

  corrected(where = "", ...args: unknown[]): Generator<CorrectedReport> {
    return withCorrections(this.ro, this.records(where, ...args));
  }

  report(id: number): CorrectedReport | null {
    for (const r of this.corrected("AND id = ?", id)) return r;
    return null;
  }

  reviewed(): Set<string> {
    return reviewedReports(this.ro);
  }

  /** The stored bytes of a report's document (checked against its sha256), or null. */
  sourceOf(id: number): { bytes: Uint8Array; format: string; name: string } | null {
    const row = this.ro
      .prepare("SELECT v.sha256, r.format, s.locator FROM reports r JOIN versions v ON v.id = r.version_id JOIN sources s ON s.id = v.source_id WHERE r.id = ?")
      .get(id) as { sha256: string; format: string; locator: string } | undefined;
    if (!row || !/^[0-9a-f]{64}$/.test(row.sha256)) return null;
    // Read beside the database as BlobStore keeps them, without creating anything there.
    const file = join(dirname(resolve(this.path)), "blobs", row.sha256.slice(0, 2), row.sha256.slice(2));
    if (!existsSync(file)) return null;
    const bytes = readFileSync(file);
    if (sha256(bytes) !== row.sha256) return null;
    return { bytes, format: row.format, name: row.locator };
  }
}

// ---- the queue -------------------------------------------------------------------------

export interface QueueRow {
  id: number;
  organ: string | null;
  year: number | null;
  regionCode: string | null;
  regionName: string | null;
  format: string;
  errors: number;
  warnings: number;
  /** Null cells that need a look (a blank cell the document prints blank is not one). */
  nulls: number;
  corrections: number;
  /** Corrections whose machine value changed since they were made. */
  toRecheck: number;
  rules: string[];
  reviewed: boolean;
  key: ReportKey | null;
}

export interface QueueFilter {
  year?: number;
  region?: string;
  body?: string;
  rule?: string;
  /** `todo` (default): needing a look and not marked reviewed; `reviewed`; `all`. */
  status?: "todo" | "reviewed" | "all";
}

/** Cells of a record the reader could not read: null, and not a blank the document prints. */
export function nullCells(record: ReportRecord): string[] {
  const prov = provenanceOf(record);
  return cellsOf(record)
    .filter(([, , , v]) => v === null)
    .map(([t, r, c]) => `${t}.${r}.${c}`)
    .filter((k) => prov[k]?.status !== "blank");
}

export function queueRowOf(r: CorrectedReport, reviewed: Set<string>): QueueRow {
  const checks = r.record.checks;
  const diags = diagnosticsOf(r.record);
  return {
    id: r.id,
    organ: r.record.organ,
    year: r.record.year,
    regionCode: r.record.region?.code ?? null,
    regionName: r.record.region?.name ?? null,
    format: r.record.source.format,
    errors: checks.filter((c) => c.severity === "error").length + diags.filter((d) => d.severity === "error").length,
    warnings: checks.filter((c) => c.severity === "warning").length + diags.filter((d) => d.severity === "warning").length,
    nulls: nullCells(r.record).length,
    corrections: r.corrected.size,
    toRecheck: [...r.corrected.values()].filter((c) => c.status === "review").length,
    rules: [...new Set(checks.map((c) => c.rule))],
    reviewed: r.key !== null && reviewed.has(reportKeyString(r.key)),
    key: r.key,
  };
}

/**
 * Every current report's queue row. Counted in SQL (checks, diagnostics, unread cells) so a
 * large store lists fast; a report with corrections is read whole, its checks re-run on the
 * corrected values (withCorrections), since corrections change what fails.
 */
export function queueRows(data: ReviewData): QueueRow[] {
  const reviewed = data.reviewed();
  const corrected = new Set(
    (data.ro.prepare(
      `SELECT r.id FROM reports r JOIN corrections k ON k.body_key = r.organ_key AND k.year = r.year AND k.status IN ('active', 'review') WHERE r.is_current = 1`,
    ).all() as { id: number }[]).map((r) => r.id),
  );
  const rows = data.ro
    .prepare(
      `SELECT r.id, r.organ, r.organ_key, r.year, r.region_code, r.region_name, r.format,
         (SELECT count(*) FROM checks c WHERE c.report_id = r.id AND c.severity = 'error')
           + (SELECT count(*) FROM json_each(r.record_json, '$.diagnostics') d WHERE json_extract(d.value, '$.severity') = 'error') AS errors,
         (SELECT count(*) FROM checks c WHERE c.report_id = r.id AND c.severity = 'warning')
           + (SELECT count(*) FROM json_each(r.record_json, '$.diagnostics') d WHERE json_extract(d.value, '$.severity') = 'warning') AS warnings,
         (SELECT count(*) FROM cells c WHERE c.report_id = r.id AND c.value IS NULL
            AND coalesce(json_extract(r.record_json, '$.provenance."' || c.tbl || '.' || c.row || '.' || c.col || '".status'), '') != 'blank') AS nulls,
         (SELECT group_concat(DISTINCT c.rule) FROM checks c WHERE c.report_id = r.id) AS rules
       FROM reports r WHERE r.is_current = 1 ORDER BY r.id`,
    )
    .all() as {
    id: number; organ: string | null; organ_key: string | null; year: number | null; region_code: string | null; region_name: string | null;
    format: string; errors: number; warnings: number; nulls: number; rules: string | null;
  }[];
  const whole = new Map([...data.corrected(corrected.size ? `AND id IN (${[...corrected].join(",")})` : "AND 0")].map((r) => [r.id, queueRowOf(r, reviewed)]));
  return rows.map((r) => {
    const w = whole.get(r.id);
    if (w) return w;
    const key = r.organ_key !== null && r.year !== null ? { bodyKey: r.organ_key, year: r.year } : null;
    return {
      id: r.id,
      organ: r.organ,
      year: r.year,
      regionCode: r.region_code,
      regionName: r.region_name,
      format: r.format,
      errors: r.errors,
      warnings: r.warnings,
      nulls: r.nulls,
      corrections: 0,
      toRecheck: 0,
      rules: r.rules ? r.rules.split(",") : [],
      reviewed: key !== null && reviewed.has(reportKeyString(key)),
      key,
    };
  });
}

export const needsLook = (q: QueueRow) => q.errors + q.warnings + q.nulls + q.toRecheck > 0;

/** Most severe first: failed error checks, then warnings, then nulls; then by id. */
export const bySeverity = (a: QueueRow, b: QueueRow) =>
  b.toRecheck - a.toRecheck || b.errors - a.errors || b.warnings - a.warnings || b.nulls - a.nulls || a.id - b.id;

export interface Queue {
  rows: QueueRow[];
  counts: { reports: number; needLook: number; toReview: number; reviewed: number; errors: number; warnings: number; nulls: number; corrections: number };
  years: number[];
  rules: string[];
}

export function queue(data: ReviewData, f: QueueFilter): Queue {
  const all = queueRows(data);
  const look = all.filter(needsLook);
  const counts = {
    reports: all.length,
    needLook: look.length,
    toReview: look.filter((q) => !q.reviewed).length,
    reviewed: all.filter((q) => q.reviewed).length,
    errors: look.filter((q) => q.errors > 0).length,
    warnings: look.filter((q) => q.warnings > 0).length,
    nulls: look.filter((q) => q.nulls > 0).length,
    corrections: all.reduce((n, q) => n + q.corrections, 0),
  };
  const status = f.status ?? "todo";
  const rows = all
    .filter((q) => (status === "todo" ? needsLook(q) && !q.reviewed : status === "reviewed" ? q.reviewed : true))
    .filter((q) => f.year === undefined || q.year === f.year)
    .filter((q) => !f.region || (q.regionCode ?? "").startsWith(f.region))
    .filter((q) => !f.body || (q.organ ?? "").includes(f.body))
    .filter((q) => !f.rule || q.rules.includes(f.rule))
    .sort(bySeverity);
  return {
    rows,
    counts,
    years: [...new Set(all.map((q) => q.year).filter((y): y is number => y !== null))].sort(),
    rules: [...new Set(all.flatMap((q) => q.rules))].sort(),
  };
}

// ---- one report --------------------------------------------------------------------------

/** What the page knows about one cell: value, status, printed text, place, notes. */
export interface CellView {
  key: string;
  value: number | null;
  /** printed | blank | dash | note | split | ocr | unreadable | corrected | null (no provenance: not read) */
  status: string;
  text: string | null;
  place: ProvenanceEntry["place"] | null;
  diagnostics: { code: string; severity: string; message: string }[];
  checks: { rule: string; severity: string; message: string }[];
  correction: CorrectedCell | null;
  flagged: boolean;
}

let CODEBOOK: Map<string, CodebookEntry> | null = null;
export const codebookByKey = () => (CODEBOOK ??= new Map(codebook().map((e) => [e.key, e])));

export function cellViews(r: CorrectedReport): CellView[] {
  const prov = provenanceOf(r.machine);
  const diags = diagnosticsOf(r.machine);
  return cellsOf(r.record).map(([t, row, c, value]) => {
    const key = `${t}.${row}.${c}`;
    const p = prov[key];
    const correction = r.corrected.get(key) ?? null;
    const checks = r.record.checks.filter((k) => k.where === key).map((k) => ({ rule: k.rule, severity: k.severity, message: k.message }));
    const diagnostics = diags.filter((d) => d.key === key).map((d) => ({ code: d.code, severity: d.severity, message: d.message }));
    const status = correction ? "corrected" : (p?.status ?? (value === null ? "null" : "printed"));
    const unread = value === null && !correction && p?.status !== "blank";
    return {
      key,
      value,
      status,
      text: p?.text ?? null,
      place: p?.place ?? null,
      diagnostics,
      checks,
      correction,
      flagged: checks.length > 0 || unread || correction?.status === "review" || diagnostics.some((d) => d.severity !== "info"),
    };
  });
}

export { correctionsByReport };
