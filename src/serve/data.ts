// What the review page shows, read from the store: the queue of reports needing a look
// (most severe first), one report with its corrections, provenance and checks, and the
// copies of a report side by side where they disagree. Every read goes through the
// store's methods (store.records, store.ledger); the reading store is opened read-only and
// a second, writing store takes only corrections, review marks and document metadata
// (applied through the ingest service).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { sha256 } from "../../model/hash.js";
import { codebook, type CodebookEntry } from "../../model/codebook.js";
import { cellMap, cellsOf } from "../../model/cells.js";
import type { ReportRecord } from "../../model/record.js";
import type { ProvenanceEntry, RecordDiagnostic } from "../../model/provenance.js";
import { consolidate } from "../../normalizers/copies.js";
import { unreadCells } from "../record-access.js";
import { openStore, type Store } from "../store.js";
import { IngestService } from "../ingest-service.js";
import { reportsOf } from "../reports.js";
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
  readonly ro: Store;
  /** Writes corrections, review marks and document metadata, nothing else. */
  readonly rw: Store;

  constructor(readonly path: string) {
    // Read-only first: a file that is not an xxgk database is refused before anything writes to it.
    this.ro = openStore(path, { readonly: true });
    try {
      this.rw = openStore(path);
    } catch (e) {
      this.ro.close();
      throw e;
    }
  }

  close(): void {
    this.ro.close();
    this.rw.close();
  }

  /** The ingest service on the writing store: applies a document's metadata (re-keying, cross-year checks). */
  service(): IngestService {
    return new IngestService(this.rw);
  }

  /** Current records with corrections on top; only these ids when given. */
  corrected(ids?: readonly number[]): Generator<CorrectedReport> {
    return withCorrections(this.ro, this.ro.ledger.currentReports(ids));
  }

  report(id: number): CorrectedReport | null {
    for (const r of this.corrected([id])) return r;
    return null;
  }

  reviewed(): Set<string> {
    return reviewedReports(this.ro);
  }

  /** The stored bytes of a report's document (checked against its sha256), or null. */
  sourceOf(id: number): { bytes: Uint8Array; format: string; name: string } | null {
    const row = this.ro.ledger.documentOf(id);
    if (!row || !/^[0-9a-f]{64}$/.test(row.sha256)) return null;
    // Read beside the database as BlobStore keeps them, without creating anything there.
    const file = join(dirname(resolve(this.path)), "blobs", row.sha256.slice(0, 2), row.sha256.slice(2));
    if (!existsSync(file)) return null;
    const bytes = readFileSync(file);
    if (sha256(bytes) !== row.sha256) return null;
    return { bytes, format: row.format, name: row.locator };
  }

  /**
   * The report as the exports and the quality page see it: its documents read together
   * (src/reports.ts reportsOf), corrections on top; null when it has no current document.
   */
  wholeReport(key: ReportKey): CorrectedReport | null {
    const docs = [...this.ro.ledger.currentReports(this.ro.ledger.documentsOfReport(key))];
    for (const r of withCorrections(this.ro, reportsOf(docs))) return r;
    return null;
  }

  /** The report's documents when it arrived as several whose values differ, read together (normalizers/copies.ts); else null. */
  copies(key: ReportKey): CopiesView | null {
    const ids = this.ro.ledger.documentsOfReport(key);
    if (ids.length < 2) return null;
    const docs = [...this.ro.ledger.currentReports(ids)];
    const c = consolidate(docs.map((d) => ({ id: d.id, record: d.record })));
    if (c.disagreements.length === 0) return null;
    const byId = new Map(docs.map((d) => [d.id, d.record]));
    const documents = c.documents.map((id) => {
      const r = byId.get(id)!;
      return { id, format: r.source.format, sha256: r.source.sha256, name: r.source.path ?? r.source.url ?? r.source.sha256.slice(0, 12) };
    });
    const cells = c.disagreements.map((d) => ({
      key: d.where,
      values: c.documents.map((id) => {
        const r = byId.get(id)!;
        const p = provenanceOf(r)[d.where];
        return { document: id, value: cellMap(r).get(d.where) ?? null, status: p?.status ?? null, text: p?.text ?? null, place: p?.place ?? null };
      }),
    }));
    return { best: c.best, documents, cells };
  }
}

/** A report's copies side by side: each disagreeing cell with every document's value and place. */
export interface CopiesView {
  /** The copy the report's values come from (normalizers/copies.ts rankCopies). */
  best: number;
  documents: { id: number; format: string; sha256: string; name: string }[];
  cells: {
    key: string;
    values: { document: number; value: number | null; status: string | null; text: string | null; place: ProvenanceEntry["place"] | null }[];
  }[];
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
    nulls: unreadCells(r.record).length,
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
  const corrected = data.ro.ledger.hasCorrections() ? data.ro.ledger.correctedReportIds() : [];
  const rows = data.ro.ledger.queueCounts();
  const whole = new Map([...(corrected.length ? data.corrected(corrected) : [])].map((r) => [r.id, queueRowOf(r, reviewed)]));
  // Copies of one report that print different values: a warning on each of them.
  const disagree = new Set<number>();
  for (const k of data.ro.ledger.reportsWithCopies()) {
    const at = k.lastIndexOf("|");
    const key = { bodyKey: k.slice(0, at), year: Number(k.slice(at + 1)) };
    if (data.copies(key)) for (const id of data.ro.ledger.documentsOfReport(key)) disagree.add(id);
  }
  const withCopies = (q: QueueRow): QueueRow =>
    disagree.has(q.id) ? { ...q, warnings: q.warnings + 1, rules: [...new Set([...q.rules, "copies.disagree"])] } : q;
  return rows.map((r) => {
    const w = whole.get(r.id);
    if (w) return withCopies(w);
    const key = r.organ_key !== null && r.year !== null ? { bodyKey: r.organ_key, year: r.year } : null;
    return withCopies({
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
    });
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
  // The rows are documents (each copy of a report is listed, with its own findings); the
  // counts are of reports, as the exports and the quality page count them: a report of
  // five copies is one report, its corrections (carried by every copy's row) counted once.
  const unitOf = (q: QueueRow) => (q.key ? reportKeyString(q.key) : `doc:${q.id}`);
  const byReport = new Map<string, QueueRow[]>();
  for (const q of all) {
    const unit = unitOf(q);
    const g = byReport.get(unit);
    if (g) g.push(q);
    else byReport.set(unit, [q]);
  }
  // A report of several documents is judged as the quality page and the exports see it: its
  // copies read together (a cell one copy could not read is another's), so a copy's own
  // nulls or notes do not make a whole report "need a look". Its documents are listed as
  // they are, and only while the report needs a look.
  const reviewed = data.reviewed();
  const whole = new Map<string, QueueRow>();
  for (const [unit, g] of byReport) {
    if (g.length < 2 || !g[0].key) continue;
    const r = data.wholeReport(g[0].key);
    if (r) whole.set(unit, queueRowOf(r, reviewed));
  }
  const reportRows = [...byReport].map(([unit, g]) => whole.get(unit) ?? g[0]);
  const counts = {
    reports: reportRows.length,
    needLook: reportRows.filter(needsLook).length,
    toReview: reportRows.filter((q) => needsLook(q) && !q.reviewed).length,
    reviewed: reportRows.filter((q) => q.reviewed).length,
    errors: reportRows.filter((q) => q.errors > 0).length,
    warnings: reportRows.filter((q) => q.warnings > 0).length,
    nulls: reportRows.filter((q) => q.nulls > 0).length,
    corrections: reportRows.reduce((n, q) => n + q.corrections, 0),
  };
  const reportNeedsLook = (q: QueueRow) => needsLook(whole.get(unitOf(q)) ?? q);
  const status = f.status ?? "todo";
  const rows = all
    .filter((q) => (status === "todo" ? needsLook(q) && reportNeedsLook(q) && !q.reviewed : status === "reviewed" ? q.reviewed : true))
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
