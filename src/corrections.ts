// Corrections: a person's reading of a cell, stored apart from machine output and
// applied on top of it by one function (applyCorrections), so views, exports, checks
// and the review page all see the same corrected record. A correction belongs to a
// report (body key, year), not to a document: it survives `reparse` and new copies.
// When the machine value under a correction changes, the correction is flagged
// `review` (it still applies, and says so); nothing is ever silently dropped.
// A document whose organ or year the machine could not read takes a person's reading of
// its metadata (correctDocument), by its bytes. The SQL is the store's
// (src/review-ledger.ts, store.ledger): this file holds the rules.
import { codebook } from "../model/codebook.js";
import { cellMap, setCell } from "../model/cells.js";
import type { Check, ReportRecord } from "../model/record.js";
import { runRecordRules } from "../normalizers/rules.js";
import { resolveRegion } from "../normalizers/region.js";
import {
  parseReportKey,
  type Correction,
  type CorrectionStatus,
  type DocumentCorrection,
  type ReportKey,
  type ReviewLedger,
  type StoredReport,
} from "./review-ledger.js";

export type { Correction, CorrectionStatus, DocumentCorrection, ReportKey };

/** Anything holding the store's ledger: a Store (src/store.ts). */
export interface Ledgered {
  readonly ledger: ReviewLedger;
}

/** What a correction did to one cell of a record. */
export interface CorrectedCell {
  id: number;
  machine: number | null;
  corrected: number | null;
  why: string;
  by: string | null;
  /** `review`: the machine's value changed since the correction was made. */
  status: "active" | "review";
  /** The machine value when the correction was made. */
  machineWhenMade: number | null;
}


// ---- cell keys ----------------------------------------------------------------

let KEYS: Map<string, { type: "integer" | "number" }> | null = null;
/** Every cell key of the codebook, with its type. */
export function cellKeys(): Map<string, { type: "integer" | "number" }> {
  return (KEYS ??= new Map(codebook().map((e) => [e.key, { type: e.type }])));
}

/** Why a key or value cannot be a correction, or null when they can. */
export function correctionProblem(cellKey: string, value: number | null): string | null {
  const entry = cellKeys().get(cellKey);
  if (!entry) return `${cellKey} is not a cell key of the codebook (xxgk codebook lists them, e.g. requests.denied.stateSecret.total)`;
  if (value === null) return null;
  if (!Number.isFinite(value)) return `the value must be a number or null`;
  if (entry.type === "integer" && !Number.isInteger(value)) return `${cellKey} is a count: the value must be a whole number, not ${value}`;
  if (entry.type === "integer" && value < 0) return `${cellKey} is a count: the value cannot be negative, not ${value}`;
  // Past 2^53 a number is not kept as typed (9007199254740993 would be stored as …992).
  if (Math.abs(value) > Number.MAX_SAFE_INTEGER) return `the value ${value} is too large to be stored exactly`;
  return null;
}

/** Reads a value as typed on the command line or in the review page: a number, or `null`. */
export function parseCorrectionValue(text: string): number | null | undefined {
  const t = text.trim();
  if (/^(null|空)$/i.test(t)) return null;
  if (!/^[-+]?\d+(\.\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/** The machine's value of a cell in a record; undefined when the record has no such cell (the other template). */
export function cellValue(record: ReportRecord, cellKey: string): number | null | undefined {
  return cellMap(record).get(cellKey);
}

/** The rules computed from one record's own tables (normalizers/checks.ts); the rest (cross-year) are kept as stored. */
const TEMPLATE_RULE = /^(requests|reviews|narrative)\./;

/** The template's checks, run on a record's (corrected) values. */
export function templateChecks(record: ReportRecord): Check[] {
  return runRecordRules({ requests: record.requests, reviews: record.reviews, sections: record.sections });
}

const same = (a: number | null | undefined, b: number | null | undefined) => (a ?? null) === (b ?? null);

/**
 * The record with the report's current corrections on top: corrected values in place, the
 * template's checks re-run on them (cross-year checks kept as stored), and which cells were
 * corrected, with the machine's value and the reason. A correction whose cell this record
 * does not have (the other template's form) is not applied. With no correction, the record
 * comes back unchanged (the same object).
 */
export function applyCorrections(
  record: ReportRecord,
  corrections: readonly Correction[],
): { record: ReportRecord; corrected: Map<string, CorrectedCell> } {
  const corrected = new Map<string, CorrectedCell>();
  const current = corrections.filter((c) => c.status === "active" || c.status === "review");
  if (current.length === 0) return { record, corrected };
  const out = structuredClone(record);
  for (const c of current) {
    const machine = cellValue(record, c.cellKey);
    if (machine === undefined) continue;
    setCell(out, c.cellKey, c.value);
    corrected.set(c.cellKey, {
      id: c.id,
      machine,
      corrected: c.value,
      why: c.why,
      by: c.by,
      status: c.status === "review" || !same(machine, c.machineValue) ? "review" : "active",
      machineWhenMade: c.machineValue,
    });
  }
  if (corrected.size > 0) out.checks = [...templateChecks(out), ...record.checks.filter((k) => !TEMPLATE_RULE.test(k.rule))];
  return { record: out, corrected };
}

// ---- the store of corrections --------------------------------------------------

/** The current record of a report (its latest current document), or null. */
export function currentRecordOf(s: Ledgered, key: ReportKey): { id: number; record: ReportRecord } | null {
  return s.ledger.currentRecordOf(key);
}

/**
 * The body key for BODY as a user types it: the key itself, the organ's name as stored,
 * or its bare name, among the current reports of that year. Throws a one-line reason when
 * nothing or more than one body matches.
 */
export function resolveBody(s: Ledgered, body: string, year: number): string {
  const keys = s.ledger.bodyKeysNamed(body, year);
  if (keys.length === 1) return keys[0];
  if (keys.length === 0) throw new Error(`no report of ${body} for ${year} in the database (give the organ as stored, or its key from xxgk corrections / the views' organ_key)`);
  throw new Error(`${body} names ${keys.length} bodies in ${year}: ${keys.join(", ")}; give one of these keys`);
}

/** Corrections of one report, or of every report; the current ones (active, review) unless `all`. */
export function listCorrections(s: Ledgered, opts: { report?: ReportKey; all?: boolean } = {}): Correction[] {
  return s.ledger.corrections(opts);
}

/** Every current correction, by report ("bodyKey\u0000year"), for applying over many records. */
export function correctionsByReport(s: Ledgered): Map<string, Correction[]> {
  const out = new Map<string, Correction[]>();
  for (const c of listCorrections(s)) {
    const k = reportKeyString({ bodyKey: c.bodyKey, year: c.year });
    (out.get(k) ?? out.set(k, []).get(k)!).push(c);
  }
  return out;
}
export const reportKeyString = (k: ReportKey) => `${k.bodyKey}\u0000${k.year}`;

export interface NewCorrection {
  bodyKey: string;
  year: number;
  cellKey: string;
  value: number | null;
  why: string;
  by?: string | null;
}

/**
 * Stores a correction of a report's cell (the cell's earlier correction becomes
 * `superseded`), with the machine's current value. Throws a one-line reason when the key,
 * the value or the report is wrong.
 */
export function addCorrection(s: Ledgered, c: NewCorrection, at = new Date().toISOString()): Correction {
  const problem = correctionProblem(c.cellKey, c.value);
  if (problem) throw new Error(problem);
  if (!c.why.trim()) throw new Error("a correction needs a reason (--why): what the document shows and where");
  const current = currentRecordOf(s, c);
  if (!current) throw new Error(`no current report of ${c.bodyKey} for ${c.year}`);
  const machine = cellValue(current.record, c.cellKey);
  if (machine === undefined) throw new Error(`the ${current.record.template} template has no cell ${c.cellKey}`);
  return s.ledger.addCorrection({
    bodyKey: c.bodyKey,
    year: c.year,
    cellKey: c.cellKey,
    value: c.value,
    why: c.why.trim(),
    by: c.by?.trim() || null,
    createdAt: at,
    machineValue: machine,
  });
}

/**
 * Undoes the current correction of a cell: it becomes `withdrawn`, and the one it
 * superseded (if any) is current again. Returns the withdrawn correction, or null.
 */
export function undoCorrection(s: Ledgered, key: ReportKey, cellKey: string): Correction | null {
  return s.ledger.withdrawCorrection(key, cellKey);
}

/**
 * Flags `review` every current correction whose cell the machine now reads differently
 * from when the correction was made (a reparse, a new copy of the report). Returns the
 * corrections newly flagged. Corrections of a report no longer in the store are flagged too.
 */
export function flagChangedCorrections(s: Ledgered): Correction[] {
  const flagged: Correction[] = [];
  for (const c of listCorrections(s).filter((c) => c.status === "active")) {
    const cur = currentRecordOf(s, c);
    const machine = cur ? cellValue(cur.record, c.cellKey) : undefined;
    if (machine !== undefined && same(machine, c.machineValue)) continue;
    flagged.push({ ...c, status: "review" });
  }
  if (flagged.length) s.ledger.flagForReview(flagged.map((c) => c.id));
  return flagged;
}

/**
 * flagChangedCorrections on a store that may have no corrections yet (it creates nothing):
 * for `ingest` and `reparse`, which change machine values under existing corrections.
 */
export function flagChangedIfAny(s: Ledgered): Correction[] {
  return s.ledger.hasCorrections() ? flagChangedCorrections(s) : [];
}

/** Accepts a correction flagged `review` as it stands, against today's machine value. */
export function confirmCorrection(s: Ledgered, id: number): void {
  const c = s.ledger.correction(id);
  if (!c) throw new Error(`no correction ${id}`);
  const cur = currentRecordOf(s, c);
  const machine = cur ? cellValue(cur.record, c.cellKey) : undefined;
  s.ledger.confirmCorrection(id, machine ?? null);
}

// ---- review marks ----------------------------------------------------------------

export function markReviewed(s: Ledgered, key: ReportKey, reviewed: boolean, by?: string | null): void {
  if (reviewed) s.ledger.markReviewed(key, new Date().toISOString(), by ?? null);
  else s.ledger.unmarkReviewed(key);
}

export function reviewedReports(s: Ledgered): Set<string> {
  return new Set(s.ledger.reviewedReports().map(reportKeyString));
}

// ---- a document's metadata ---------------------------------------------------------

export interface NewDocumentCorrection {
  /** The document: its sha256 (or 8+ hex digits of it), or the path or URL it was ingested from. */
  document: string;
  organ?: string | null;
  year?: number | null;
  publishedOn?: string | null;
  why: string;
  by?: string | null;
}

/** The sha256 of the stored document a user names (a sha256 or 8+ hex digits of it, a path, a URL); a one-line reason otherwise. */
export function resolveDocument(s: Ledgered, name: string): string {
  const found = s.ledger.documentsNamed(name.trim());
  if (found.length === 1) return found[0];
  if (found.length === 0) throw new Error(`no stored document ${name} (give its sha256, 8 hex digits of it at least, or the path or URL it was ingested from)`);
  throw new Error(`${name} names ${found.length} documents: ${found.map((x) => x.slice(0, 12)).join(", ")}; give more of the sha256`);
}

/** Why these metadata cannot be a document correction, or null when they can. */
export function documentCorrectionProblem(c: { organ?: string | null; year?: number | null; publishedOn?: string | null; why: string }): string | null {
  if (c.organ == null && c.year == null && c.publishedOn == null) return "give the organ, the year or the publication date (--organ, --year, --published-on)";
  if (c.organ != null && (!c.organ.trim() || c.organ.trim().length > 100)) return "the organ must be a name of 1 to 100 characters";
  if (c.year != null && !(Number.isInteger(c.year) && c.year >= 2000 && c.year <= 2100)) return `the year must be a year the reports cover (2000-2100), not ${c.year}`;
  if (c.publishedOn != null) {
    const t = new Date(`${c.publishedOn}T00:00:00Z`);
    const ok = /^\d{4}-\d{2}-\d{2}$/.test(c.publishedOn) && !isNaN(t.getTime()) && t.toISOString().slice(0, 10) === c.publishedOn;
    if (!ok) return `the publication date must be a date YYYY-MM-DD, not ${c.publishedOn}`;
  }
  if (!c.why.trim()) return "a correction needs a reason (--why): where the document shows it";
  return null;
}

/** What applies a document's metadata: the ingest service (re-keying, cross-year checks). */
export interface MetadataApplier {
  readonly store: Ledgered;
  applyDocumentCorrection(sha: string): { reportId: number } | null;
}

/**
 * Stores a person's organ, year or publication date of a document (its earlier one becomes
 * `superseded`) and applies it through the ingest service: the report is re-keyed to its
 * body and year and its cross-year checks re-run. Throws a one-line reason when the
 * document or a value is wrong.
 */
export function correctDocument(service: MetadataApplier, c: NewDocumentCorrection, at = new Date().toISOString()): DocumentCorrection {
  const problem = documentCorrectionProblem(c);
  if (problem) throw new Error(problem);
  const sha = resolveDocument(service.store, c.document);
  if (!service.store.ledger.currentReportOfDocument(sha)) throw new Error(`document ${sha.slice(0, 12)} has no current report (it was not read as a report): nothing to key`);
  const made = service.store.ledger.addDocumentCorrection({
    sha256: sha,
    organ: c.organ?.trim() ?? null,
    year: c.year ?? null,
    publishedOn: c.publishedOn ?? null,
    why: c.why.trim(),
    by: c.by?.trim() || null,
    createdAt: at,
  });
  service.applyDocumentCorrection(sha);
  return made;
}

/** Withdraws a document's metadata correction and applies what is current then (the one before, or the machine's reading). */
export function undoDocumentCorrection(service: MetadataApplier, document: string): DocumentCorrection | null {
  const sha = resolveDocument(service.store, document);
  const undone = service.store.ledger.withdrawDocumentCorrection(sha);
  if (undone) service.applyDocumentCorrection(sha);
  return undone;
}

/** The record with a document's metadata correction on top (the organ, year, publishedOn it gives). */
export function withDocumentMetadata(record: ReportRecord, c: DocumentCorrection | null): ReportRecord {
  if (!c) return record;
  const out = { ...record };
  if (c.organ !== null) {
    out.organ = c.organ;
    // A region the machine could not place, placed by the organ's name (as the ingest service keys it).
    if (!out.region) out.region = resolveRegion({ organ: c.organ, title: null, text: "" }).region;
  }
  if (c.year !== null) out.year = c.year;
  if (c.publishedOn !== null) out.publishedOn = c.publishedOn;
  return out;
}

// ---- CSV for spreadsheets --------------------------------------------------------

export const CSV_COLUMNS = ["id", "body_key", "year", "cell_key", "value", "why", "by", "created_at", "machine_value", "status"] as const;

const csvField = (v: unknown): string => {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) && isNaN(Number(s)) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Every correction (history included), one per line, RFC 4180 with a BOM so Excel reads the Chinese. */
export function correctionsCsv(s: Ledgered): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const c of listCorrections(s, { all: true }))
    lines.push([c.id, c.bodyKey, c.year, c.cellKey, c.value === null ? "null" : c.value, c.why, c.by, c.createdAt, c.machineValue, c.status].map(csvField).join(","));
  return "\ufeff" + lines.join("\r\n") + "\r\n";
}

/** RFC 4180 rows (quoted fields, doubled quotes, CRLF or LF), a leading BOM skipped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') (field += '"'), i++;
        else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (quoted) throw new Error("a quoted field is not closed");
  if (field !== "" || row.length) row.push(field), rows.push(row);
  return rows.filter((r) => !(r.length === 1 && r[0] === ""));
}

export interface ImportResult {
  added: number;
  withdrawn: number;
  unchanged: number;
  /** One line per refused row: `line N: reason`. */
  problems: string[];
}

/**
 * Takes corrections back from a spreadsheet (the columns of `correctionsCsv`; `id`,
 * `created_at`, `machine_value` are informative). A row equal to the cell's current
 * correction changes nothing; a row with status `withdrawn` withdraws it; any other row
 * becomes the cell's correction. A bad row is refused with its line and reason; the
 * others are taken.
 */
export function importCorrections(s: Ledgered, text: string, by?: string | null): ImportResult {
  const res: ImportResult = { added: 0, withdrawn: 0, unchanged: 0, problems: [] };
  const rows = parseCsv(text);
  if (rows.length === 0) throw new Error("the file is empty");
  const header = rows[0].map((h) => h.trim());
  for (const need of ["body_key", "year", "cell_key", "value", "why"])
    if (!header.includes(need)) throw new Error(`the header has no ${need} column (expected ${CSV_COLUMNS.join(",")})`);
  const col = (r: string[], name: string) => r[header.indexOf(name)]?.trim() ?? "";
  rows.slice(1).forEach((r, i) => {
    const line = i + 2;
    try {
      const year = Number(col(r, "year"));
      if (!Number.isInteger(year)) throw new Error(`year ${col(r, "year")} is not a year`);
      const bodyKey = col(r, "body_key");
      const cellKey = col(r, "cell_key");
      const value = parseCorrectionValue(col(r, "value") || "null");
      if (value === undefined) throw new Error(`value ${col(r, "value")} is not a number or null`);
      const status = col(r, "status") || "active";
      if (!["active", "review", "superseded", "withdrawn"].includes(status)) throw new Error(`status ${status} is not active, review, superseded or withdrawn`);
      if (status === "superseded") return void res.unchanged++;
      const current = listCorrections(s, { report: { bodyKey, year } }).find((c) => c.cellKey === cellKey);
      if (status === "withdrawn") {
        if (current && same(current.value, value)) undoCorrection(s, { bodyKey, year }, cellKey), res.withdrawn++;
        else res.unchanged++;
        return;
      }
      if (current && same(current.value, value) && current.why === col(r, "why")) return void res.unchanged++;
      addCorrection(s, { bodyKey, year, cellKey, value, why: col(r, "why"), by: col(r, "by") || by || null });
      res.added++;
    } catch (e) {
      res.problems.push(`line ${line}: ${(e as Error).message}`);
    }
  });
  return res;
}

// ---- applying over the store's records ----------------------------------------------

/** A stored record with its report's corrections applied. */
export interface CorrectedReport {
  id: number;
  record: ReportRecord;
  parsedAt: string;
  /** The record as the machine read it (the same object as `record` when nothing is corrected). */
  machine: ReportRecord;
  corrected: Map<string, CorrectedCell>;
  /** The report's key, or null when no body or year is known (such a report cannot be corrected yet). */
  key: ReportKey | null;
  /** A person's organ, year or publication date of the document, applied to `record`; null when none. */
  document: DocumentCorrection | null;
}

/**
 * The one place corrections meet stored records: every export, view and the review page
 * take records through here. `records` is the store's iterator of current records (with
 * their report keys, store.records()); the corrections are read from the same store.
 */
export function* withCorrections(s: Ledgered, records: Iterable<StoredReport>): Generator<CorrectedReport> {
  // A database from before corrections existed (read-only, so never migrated): nothing to apply.
  if (!s.ledger.hasCorrections()) {
    for (const r of records) yield { id: r.id, record: r.record, parsedAt: r.parsedAt, machine: r.record, corrected: new Map<string, CorrectedCell>(), key: null, document: null };
    return;
  }
  const all = correctionsByReport(s);
  const docs = new Map(s.ledger.documentCorrections().map((d) => [d.sha256, d]));
  for (const r of records) {
    const key = parseReportKey(r.reportKey);
    const document = docs.get(r.record.source.sha256) ?? null;
    const machine = withDocumentMetadata(r.record, document);
    const { record, corrected } = key ? applyCorrections(machine, all.get(reportKeyString(key)) ?? []) : { record: machine, corrected: new Map<string, CorrectedCell>() };
    yield { id: r.id, record, parsedAt: r.parsedAt, machine: r.record, corrected, key, document };
  }
}
