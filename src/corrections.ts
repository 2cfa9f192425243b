// Corrections: a person's reading of a cell, stored apart from machine output and
// applied on top of it by one function (applyCorrections), so views, exports, checks
// and the review page all see the same corrected record. A correction belongs to a
// report (body key, year), not to a document: it survives `reparse` and new copies.
// When the machine value under a correction changes, the correction is flagged
// `review` (it still applies, and says so); nothing is ever silently dropped.
import type Database from "better-sqlite3";
import { codebook } from "../model/codebook.js";
import { cellMap, setCell } from "../model/cells.js";
import type { Check, ReportRecord } from "../model/record.js";
import { runRecordRules } from "../normalizers/rules.js";


export type CorrectionStatus = "active" | "review" | "superseded" | "withdrawn";

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

/** A report as corrections name it: the body's key and the year. */
export interface ReportKey {
  bodyKey: string;
  year: number;
}

/** The current record of a report (its latest current document), or null. */
export function currentRecordOf(db: Database.Database, key: ReportKey): { id: number; record: ReportRecord } | null {
  const row = db
    .prepare("SELECT id, record_json FROM reports WHERE organ_key = ? AND year = ? AND is_current = 1 ORDER BY id DESC LIMIT 1")
    .get(key.bodyKey, key.year) as { id: number; record_json: string } | undefined;
  return row ? { id: row.id, record: JSON.parse(row.record_json) as ReportRecord } : null;
}

/**
 * The body key for BODY as a user types it: the key itself, the organ's name as stored,
 * or its bare name, among the current reports of that year. Throws a one-line reason when
 * nothing or more than one body matches.
 */
export function resolveBody(db: Database.Database, body: string, year: number): string {
  const rows = db
    .prepare(
      "SELECT DISTINCT organ_key FROM reports WHERE is_current = 1 AND year = ? AND organ_key IS NOT NULL AND (organ_key = ? OR organ = ? OR organ_bare = ?)",
    )
    .all(year, body, body, body) as { organ_key: string }[];
  if (rows.length === 1) return rows[0].organ_key;
  if (rows.length === 0) throw new Error(`no report of ${body} for ${year} in the database (give the organ as stored, or its key from xxgk corrections / the views' organ_key)`);
  throw new Error(`${body} names ${rows.length} bodies in ${year}: ${rows.map((r) => r.organ_key).join(", ")}; give one of these keys`);
}

/** Corrections of one report, or of every report; the current ones (active, review) unless `all`. */
export function listCorrections(db: Database.Database, opts: { report?: ReportKey; all?: boolean } = {}): Correction[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (opts.report) {
    where.push("body_key = ? AND year = ?");
    args.push(opts.report.bodyKey, opts.report.year);
  }
  if (!opts.all) where.push("status IN ('active', 'review')");
  const sql = `SELECT * FROM corrections ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY body_key, year, cell_key, id`;
  return (db.prepare(sql).all(...args) as Row[]).map(fromRow);
}

/** Every current correction, by report ("bodyKey\u0000year"), for applying over many records. */
export function correctionsByReport(db: Database.Database): Map<string, Correction[]> {
  const out = new Map<string, Correction[]>();
  for (const c of listCorrections(db)) {
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
export function addCorrection(db: Database.Database, c: NewCorrection, at = new Date().toISOString()): Correction {
  const problem = correctionProblem(c.cellKey, c.value);
  if (problem) throw new Error(problem);
  if (!c.why.trim()) throw new Error("a correction needs a reason (--why): what the document shows and where");
  const current = currentRecordOf(db, c);
  if (!current) throw new Error(`no current report of ${c.bodyKey} for ${c.year}`);
  const machine = cellValue(current.record, c.cellKey);
  if (machine === undefined) throw new Error(`the ${current.record.template} template has no cell ${c.cellKey}`);
  return db.transaction(() => {
    db.prepare("UPDATE corrections SET status = 'superseded' WHERE body_key = ? AND year = ? AND cell_key = ? AND status IN ('active', 'review')").run(
      c.bodyKey, c.year, c.cellKey,
    );
    const info = db
      .prepare("INSERT INTO corrections (body_key, year, cell_key, value, why, by, created_at, machine_value, status) VALUES (?,?,?,?,?,?,?,?, 'active')")
      .run(c.bodyKey, c.year, c.cellKey, c.value, c.why.trim(), c.by?.trim() || null, at, machine);
    return fromRow(db.prepare("SELECT * FROM corrections WHERE id = ?").get(Number(info.lastInsertRowid)) as Row);
  }).immediate();
}

/**
 * Undoes the current correction of a cell: it becomes `withdrawn`, and the one it
 * superseded (if any) is current again. Returns the withdrawn correction, or null.
 */
export function undoCorrection(db: Database.Database, key: ReportKey, cellKey: string): Correction | null {
  return db.transaction(() => {
    const cur = db
      .prepare("SELECT * FROM corrections WHERE body_key = ? AND year = ? AND cell_key = ? AND status IN ('active', 'review') ORDER BY id DESC LIMIT 1")
      .get(key.bodyKey, key.year, cellKey) as Row | undefined;
    if (!cur) return null;
    db.prepare("UPDATE corrections SET status = 'withdrawn' WHERE id = ?").run(cur.id);
    const prev = db
      .prepare("SELECT id FROM corrections WHERE body_key = ? AND year = ? AND cell_key = ? AND status = 'superseded' ORDER BY id DESC LIMIT 1")
      .get(key.bodyKey, key.year, cellKey) as { id: number } | undefined;
    if (prev) db.prepare("UPDATE corrections SET status = 'active' WHERE id = ?").run(prev.id);
    return fromRow({ ...cur, status: "withdrawn" });
  }).immediate();
}

/**
 * Flags `review` every current correction whose cell the machine now reads differently
 * from when the correction was made (a reparse, a new copy of the report). Returns the
 * corrections newly flagged. Corrections of a report no longer in the store are flagged too.
 */
export function flagChangedCorrections(db: Database.Database): Correction[] {
  const flagged: Correction[] = [];
  const flag = db.prepare("UPDATE corrections SET status = 'review' WHERE id = ?");
  const active = listCorrections(db).filter((c) => c.status === "active");
  db.transaction(() => {
    for (const c of active) {
      const cur = currentRecordOf(db, c);
      const machine = cur ? cellValue(cur.record, c.cellKey) : undefined;
      if (machine !== undefined && same(machine, c.machineValue)) continue;
      flag.run(c.id);
      flagged.push({ ...c, status: "review" });
    }
  }).immediate();
  return flagged;
}

/**
 * flagChangedCorrections on a store that may have no corrections yet (it creates nothing):
 * for `ingest` and `reparse`, which change machine values under existing corrections.
 */
export function flagChangedIfAny(db: Database.Database): Correction[] {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'corrections'").get() !== undefined;
  return has ? flagChangedCorrections(db) : [];
}

/** Accepts a correction flagged `review` as it stands, against today's machine value. */
export function confirmCorrection(db: Database.Database, id: number): void {
  const c = db.prepare("SELECT * FROM corrections WHERE id = ?").get(id) as Row | undefined;
  if (!c) throw new Error(`no correction ${id}`);
  const cur = currentRecordOf(db, { bodyKey: c.body_key, year: c.year });
  const machine = cur ? cellValue(cur.record, c.cell_key) : undefined;
  db.prepare("UPDATE corrections SET status = 'active', machine_value = ? WHERE id = ?").run(machine ?? null, id);
}

// ---- review marks ----------------------------------------------------------------

export function markReviewed(db: Database.Database, key: ReportKey, reviewed: boolean, by?: string | null): void {
  if (reviewed)
    db.prepare("INSERT INTO review_marks (body_key, year, reviewed_at, by) VALUES (?,?,?,?) ON CONFLICT(body_key, year) DO UPDATE SET reviewed_at = excluded.reviewed_at, by = excluded.by").run(
      key.bodyKey, key.year, new Date().toISOString(), by ?? null,
    );
  else db.prepare("DELETE FROM review_marks WHERE body_key = ? AND year = ?").run(key.bodyKey, key.year);
}

export function reviewedReports(db: Database.Database): Set<string> {
  const rows = db.prepare("SELECT body_key, year FROM review_marks").all() as { body_key: string; year: number }[];
  return new Set(rows.map((r) => reportKeyString({ bodyKey: r.body_key, year: r.year })));
}

// ---- CSV for spreadsheets --------------------------------------------------------

export const CSV_COLUMNS = ["id", "body_key", "year", "cell_key", "value", "why", "by", "created_at", "machine_value", "status"] as const;

const csvField = (v: unknown): string => {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) && isNaN(Number(s)) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Every correction (history included), one per line, RFC 4180 with a BOM so Excel reads the Chinese. */
export function correctionsCsv(db: Database.Database): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const c of listCorrections(db, { all: true }))
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
export function importCorrections(db: Database.Database, text: string, by?: string | null): ImportResult {
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
      const current = listCorrections(db, { report: { bodyKey, year } }).find((c) => c.cellKey === cellKey);
      if (status === "withdrawn") {
        if (current && same(current.value, value)) undoCorrection(db, { bodyKey, year }, cellKey), res.withdrawn++;
        else res.unchanged++;
        return;
      }
      if (current && same(current.value, value) && current.why === col(r, "why")) return void res.unchanged++;
      addCorrection(db, { bodyKey, year, cellKey, value, why: col(r, "why"), by: col(r, "by") || by || null });
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
  /** The report's key, or null when the machine read no body or year (such a report cannot be corrected yet). */
  key: ReportKey | null;
}

/**
 * The one place corrections meet stored records: every export, view and the review page
 * take records through here. `records` is the store's iterator of current records; the
 * corrections and body keys are read from `db` (the same database).
 */
export function* withCorrections(
  db: Database.Database,
  records: Iterable<{ id: number; record: ReportRecord; parsedAt: string }>,
): Generator<CorrectedReport> {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'corrections'").get() !== undefined;
  // A database from before corrections existed (read-only, so never migrated): nothing to apply.
  if (!hasTable) {
    for (const s of records) yield { id: s.id, record: s.record, parsedAt: s.parsedAt, machine: s.record, corrected: new Map<string, CorrectedCell>(), key: null };
    return;
  }
  const all = correctionsByReport(db);
  const keyOf = db.prepare("SELECT organ_key FROM reports WHERE id = ?");
  for (const s of records) {
    const organKey = (keyOf.get(s.id) as { organ_key: string | null } | undefined)?.organ_key ?? null;
    const key = organKey !== null && s.record.year !== null ? { bodyKey: organKey, year: s.record.year } : null;
    const { record, corrected } = key ? applyCorrections(s.record, all.get(reportKeyString(key)) ?? []) : { record: s.record, corrected: new Map<string, CorrectedCell>() };
    yield { id: s.id, record, parsedAt: s.parsedAt, machine: s.record, corrected, key };
  }
}
