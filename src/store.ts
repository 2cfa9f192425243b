// The SQLite store (better-sqlite3). One transaction per document: a crash or Ctrl-C
// mid-batch leaves every finished document stored and nothing half-written. The
// bytes' sha256 is a document's identity: the same bytes twice add nothing; changed
// bytes at the same path are a new version of the same source. Bytes are kept in a
// content-addressed folder beside the database so a better parser can re-run them.
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { BlobStore } from "./blobs.js";
import { wideViewSql } from "./views.js";
import { parseReport, type ParseOutcome } from "./pipeline.js";
import { sha256 } from "../model/hash.js";
import { cellsOf } from "../model/cells.js";
import { PARSER_VERSION } from "./version.js";
import { REQUEST_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS, type Check, type ReportRecord } from "../model/record.js";
import { crossYearChecks } from "../normalizers/crossyear.js";
import { bareName, organKey } from "../normalizers/organ.js";

/**
 * The schema version this code writes, kept in `PRAGMA user_version`. A database made by
 * an older xxgk is brought up to date by MIGRATIONS on open (each step in its own
 * transaction); one made by a newer xxgk is refused rather than guessed at.
 */
export const STORE_SCHEMA_VERSION = 3;

/** Version 1: the tables and views. */
const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS sources (
  id INTEGER PRIMARY KEY,
  locator TEXT NOT NULL UNIQUE,          -- the path or URL the document came from
  path TEXT, url TEXT,
  first_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  content_type TEXT,
  seen_at TEXT NOT NULL,
  UNIQUE (source_id, sha256)
);
CREATE INDEX IF NOT EXISTS versions_sha ON versions(sha256);
CREATE TABLE IF NOT EXISTS reports (
  id INTEGER PRIMARY KEY,
  version_id INTEGER NOT NULL REFERENCES versions(id),
  parser_version TEXT NOT NULL,
  parsed_at TEXT NOT NULL,
  is_current INTEGER NOT NULL DEFAULT 1,  -- 0: an older version of the source, or a record from an older parser
  format TEXT NOT NULL,
  template TEXT NOT NULL,
  organ TEXT, organ_bare TEXT, organ_key TEXT,
  year INTEGER, published_on TEXT,
  region_code TEXT, region_name TEXT, province TEXT, city TEXT, county TEXT,
  region_by TEXT, region_confidence TEXT,
  record_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_version ON reports(version_id);
CREATE INDEX IF NOT EXISTS reports_organ ON reports(organ_key, year);
CREATE INDEX IF NOT EXISTS reports_region_organ ON reports(region_code, organ_bare);
CREATE TABLE IF NOT EXISTS cells (
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  tbl TEXT NOT NULL,                     -- active | requests | reviews
  row TEXT NOT NULL,                     -- e.g. regulations, denied.stateSecret, litigationDirect
  col TEXT NOT NULL,                     -- e.g. issued, naturalPerson, pending
  value REAL,                            -- NULL: the document shows none (see warnings)
  PRIMARY KEY (report_id, tbl, row, col)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sections (
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  number INTEGER NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS checks (
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  rule TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL, where_ TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS checks_report ON checks(report_id);
CREATE TABLE IF NOT EXISTS warnings (
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  message TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS failures (
  id INTEGER PRIMARY KEY,
  version_id INTEGER REFERENCES versions(id),
  locator TEXT, sha256 TEXT,
  code TEXT NOT NULL, message TEXT NOT NULL,
  parser_version TEXT NOT NULL, at TEXT NOT NULL,
  is_current INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);

CREATE VIEW IF NOT EXISTS v_reports AS
  SELECT r.id AS report_id, r.organ, r.organ_key, r.year, r.published_on, r.template, r.format,
         r.region_code, r.region_name, r.province, r.city, r.county, r.region_by, r.region_confidence,
         s.path AS source_path, s.url AS source_url, v.sha256, r.parser_version, r.parsed_at,
         (SELECT count(*) FROM checks c WHERE c.report_id = r.id) AS checks_failed,
         (SELECT count(*) FROM warnings w WHERE w.report_id = r.id) AS warnings
  FROM reports r JOIN versions v ON v.id = r.version_id JOIN sources s ON s.id = v.source_id
  WHERE r.is_current = 1;
CREATE VIEW IF NOT EXISTS v_cells AS
  SELECT vr.report_id, vr.organ, vr.year, vr.region_code, vr.province, vr.city, vr.county, vr.template, vr.format,
         vr.source_path, vr.source_url, vr.sha256, c.tbl AS "table", c.row, c.col AS "column", c.value
  FROM cells c JOIN v_reports vr ON vr.report_id = c.report_id;
CREATE VIEW IF NOT EXISTS v_checks AS
  SELECT vr.report_id, vr.organ, vr.year, vr.region_code, c.rule, c.severity, c.message, c.where_ AS "where"
  FROM checks c JOIN v_reports vr ON vr.report_id = c.report_id;
CREATE VIEW IF NOT EXISTS v_failures AS
  SELECT locator, sha256, code, message, parser_version, at FROM failures WHERE is_current = 1;
`;

/**
 * Schema steps, in order: `MIGRATIONS[i]` takes a database from version i+1 to i+2 (a
 * fresh database runs SCHEMA_V1 and then every step). Append; never edit a released step.
 */
const MIGRATIONS: { to: number; why: string; sql: string }[] = [
  {
    to: 2,
    why: "versions.format (the format a version was read as); indexes so failure look-ups stay O(log n)",
    sql: `
      ALTER TABLE versions ADD COLUMN format TEXT;
      UPDATE versions SET format = (SELECT r.format FROM reports r WHERE r.version_id = versions.id ORDER BY r.id DESC LIMIT 1);
      CREATE INDEX IF NOT EXISTS failures_sha ON failures(sha256);
      CREATE INDEX IF NOT EXISTS failures_version ON failures(version_id);
      CREATE INDEX IF NOT EXISTS failures_locator ON failures(locator);
    `,
  },
  {
    to: 3,
    why: "v_wide: one row per current report, one column per cell (the wide CSV's columns)",
    sql: wideViewSql(),
  },
];

/** One document to store: its bytes and where they came from. */
export interface IngestInput {
  /** The document's bytes; their sha256 is its identity. */
  bytes: Uint8Array;
  /** File path (or `archive.zip!/member`), shown in messages and kept in `sources`. */
  path?: string | null;
  /** URL the bytes were fetched from; when given, the source is the URL, not the path. */
  url?: string | null;
  /** HTTP Content-Type where the bytes came over HTTP (helps sniff the format). */
  contentType?: string;
  /** What the caller knows beyond the document, e.g. `{ region: "420104" }` from `--region` or a portal. */
  hints?: { region?: string | null; organ?: string | null };
  /** The bytes' sha256 where the caller has already computed it (the crawler, for its blob). */
  sha256?: string;
}

/** What `ingestOne` did with one document. */
export interface IngestResult {
  /**
   * `ingested`: parsed and stored (a new report). `present`: these bytes were stored
   * before (as a report, or as a failure by this parser version); nothing was added, and
   * `code`/`message` are set when they had failed. `failed`: not read as a report; the
   * failure is stored with `code` and `message`.
   */
  status: "ingested" | "present" | "failed";
  /** sha256 of the bytes (hex); "" from `recordFailure`, whose bytes were never read. */
  sha256: string;
  /** The stored report (ingested, or present as a report). */
  reportId?: number;
  /** Why it failed, e.g. `empty`, `corrupt`, `not-a-report`, `too-large`. */
  code?: string;
  message?: string;
  /** How many checks failed (template arithmetic and cross-year), when ingested. */
  checksFailed?: number;
  /** Rule of every failed check, when ingested. */
  failedRules?: string[];
  /** The contract record, when ingested. */
  record?: ReportRecord;
  /** Links to attachments found on an HTML page (the crawler follows them). */
  attachments?: { url: string; text: string }[];
}

const now = () => new Date().toISOString();

/**
 * parseReport, with a throw (a parser bug met by one document) turned into that
 * document's failure, so one document never stops a batch; the bytes are kept, so a
 * fixed parser can read it again (`xxgk reparse`).
 */
async function safeParse(input: Parameters<typeof parseReport>[0], parse: Parse = parseReport): Promise<ParseOutcome> {
  try {
    return await parse(input);
  } catch (e) {
    return { ok: false, code: "internal", message: `the parser failed on this document (a bug): ${(e as Error)?.message ?? String(e)}` };
  }
}
const BATCH = 50;

/** How a document is parsed: parseReport in this thread, or a worker pool's parse (src/parse-pool.ts). */
export type Parse = (input: Parameters<typeof parseReport>[0]) => Promise<ParseOutcome>;

/**
 * The store: one SQLite file (WAL, synchronous=NORMAL, foreign keys on) plus the
 * documents' bytes in `blobs/` beside it. Open with `openStore`; not safe to share one
 * Store between threads, but several processes may open one file (writers queue on
 * SQLite's lock, `busy_timeout` 5 s).
 */
export class Store {
  readonly db: Database.Database;
  /** The documents' bytes by sha256, beside the database (shared with the crawler). */
  readonly blobs: BlobStore;
  private readonly statements = new Map<string, Database.Statement>();

  /** A prepared statement, compiled once per store (preparing costs more than running). */
  private sql(text: string): Database.Statement {
    let st = this.statements.get(text);
    if (!st) this.statements.set(text, (st = this.db.prepare(text)));
    return st;
  }

  constructor(readonly path: string) {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    this.db = new Database(path);
    try {
      this.db.pragma("busy_timeout = 5000");
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
      // Checkpoint (and fsync) every ~32 MB of WAL instead of 4 MB: fewer syncs in a batch.
      this.db.pragma("wal_autocheckpoint = 8192");
      this.db.pragma("foreign_keys = ON");
      this.migrate();
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.blobs = BlobStore.besideDb(path);
  }

  /** The schema version of the open database (`PRAGMA user_version`). */
  schemaVersion(): number {
    return this.db.pragma("user_version", { simple: true }) as number;
  }

  private migrate(): void {
    const at = this.schemaVersion();
    if (at > STORE_SCHEMA_VERSION)
      throw new Error(`made by a newer xxgk (store schema ${at}; this xxgk knows up to ${STORE_SCHEMA_VERSION}): update xxgk`);
    if (at === STORE_SCHEMA_VERSION) return;
    // BEGIN IMMEDIATE: two processes opening a fresh file do not both migrate it.
    this.db.transaction(() => {
      const now = this.schemaVersion();
      if (now === 0) {
        this.db.exec(SCHEMA_V1);
        this.db.pragma("user_version = 1");
      }
      for (const m of MIGRATIONS) {
        if (this.schemaVersion() >= m.to) continue;
        this.db.exec(m.sql);
        this.db.pragma(`user_version = ${m.to}`);
      }
    }).immediate();
  }

  /** Closes the database. Every finished document is already committed. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  /** The stored bytes of a document, or null when not kept (or damaged: BlobStore.get checks the hash). */
  readBytes(sha: string): Uint8Array | null {
    return this.blobs.get(sha);
  }


  /**
   * Parses and stores one document, all of it in one transaction. Never throws for bad
   * input: a document that cannot be read is stored as a failure with its reason
   * (`status: "failed"`). The same bytes seen before add nothing (`status: "present"`);
   * changed bytes at a known path or URL become a new version of that source, and its
   * earlier record stops being current. Throws only when the database itself fails.
   */
  async ingestOne(input: IngestInput, parse: Parse = parseReport): Promise<IngestResult> {
    const sha = input.sha256 ?? sha256(input.bytes);
    const locator = input.url ?? input.path ?? `sha256:${sha}`;
    // The same bytes already handled by this parser version: nothing to add.
    const seen = this.sql(
        `SELECT (SELECT r.id FROM reports r JOIN versions v ON v.id = r.version_id WHERE v.sha256 = ? AND r.is_current = 1 LIMIT 1) AS report,
                (SELECT f.id FROM failures f WHERE f.sha256 = ? AND f.is_current = 1 AND f.parser_version = ? LIMIT 1) AS failure`,
      )
      .get(sha, sha, PARSER_VERSION) as { report: number | null; failure: number | null };
    if (seen.report !== null) return { status: "present", sha256: sha, reportId: seen.report };
    if (seen.failure !== null) {
      const f = this.sql("SELECT code, message FROM failures WHERE id = ?").get(seen.failure) as { code: string; message: string };
      return { status: "present", sha256: sha, code: f.code, message: f.message };
    }

    const name = input.url ?? input.path ?? sha;
    const outcome = await safeParse({
      bytes: input.bytes,
      name,
      path: input.path ?? null,
      url: input.url ?? null,
      contentType: input.contentType,
      hints: input.hints,
      sha256: sha,
    }, parse);
    // Kept (content-addressed, temp file then rename, not fsynced) so `xxgk reparse` can read it again.
    this.blobs.put(input.bytes, sha);
    return this.save(outcome, { sha, locator, input });
  }

  /**
   * Records a file that was never read into bytes (too large, unreadable, a folder that
   * cannot be listed): a failure by path, with no version. Replaces an earlier such
   * failure of the same path.
   */
  recordFailure(f: { path: string; code: string; message: string }): IngestResult {
    const t = now();
    this.db.transaction(() => {
      this.sql("UPDATE failures SET is_current = 0 WHERE locator = ? AND version_id IS NULL").run(f.path);
      this.sql("INSERT INTO failures (version_id, locator, sha256, code, message, parser_version, at) VALUES (NULL,?,NULL,?,?,?,?)")
        .run(f.path, f.code, f.message, PARSER_VERSION, t);
    }).immediate();
    return { status: "failed", sha256: "", code: f.code, message: f.message };
  }

  /** Writes one parse outcome in one transaction (all its rows, or none). */
  save(outcome: ParseOutcome, at: { sha: string; locator: string; input: IngestInput }): IngestResult {
    const { sha, locator, input } = at;
    const t = now();
    const write = this.db.transaction((): IngestResult => {
      const versionId = this.versionOf(locator, input, sha, t);
      if (!outcome.ok) {
        this.sql("UPDATE failures SET is_current = 0 WHERE sha256 = ?").run(sha);
        this.sql("INSERT INTO failures (version_id, locator, sha256, code, message, parser_version, at) VALUES (?,?,?,?,?,?,?)")
          .run(versionId, locator, sha, outcome.code, outcome.message, PARSER_VERSION, t);
        return { status: "failed", sha256: sha, code: outcome.code, message: outcome.message, attachments: outcome.attachments };
      }
      this.sql("UPDATE versions SET format = ? WHERE id = ?").run(outcome.record.source.format, versionId);
      const reportId = this.insertReport(versionId, outcome, t);
      const crossYear = this.refreshCrossYear(reportId);
      const checks = [...outcome.record.checks, ...crossYear];
      return {
        status: "ingested",
        sha256: sha,
        reportId,
        checksFailed: checks.length,
        failedRules: checks.map((c) => c.rule),
        record: outcome.record,
        attachments: outcome.attachments,
      };
    });
    return write.immediate();
  }

  private versionOf(locator: string, input: IngestInput, sha: string, t: string): number {
    this.sql("INSERT INTO sources (locator, path, url, first_seen) VALUES (?,?,?,?) ON CONFLICT(locator) DO NOTHING")
      .run(locator, input.path ?? null, input.url ?? null, t);
    const source = (this.sql("SELECT id FROM sources WHERE locator = ?").get(locator) as { id: number }).id;
    this.sql("INSERT INTO versions (source_id, sha256, size, content_type, seen_at) VALUES (?,?,?,?,?) ON CONFLICT(source_id, sha256) DO NOTHING")
      .run(source, sha, input.bytes.length, input.contentType ?? null, t);
    const version = (this.sql("SELECT id FROM versions WHERE source_id = ? AND sha256 = ?").get(source, sha) as { id: number }).id;
    // A new version (or a re-parse) supersedes this source's earlier records.
    this.sql("UPDATE reports SET is_current = 0 WHERE version_id IN (SELECT id FROM versions WHERE source_id = ?)")
      .run(source);
    this.sql("UPDATE failures SET is_current = 0 WHERE version_id IN (SELECT id FROM versions WHERE source_id = ?)").run(source);
    this.sql("UPDATE failures SET is_current = 0 WHERE locator = ? AND version_id IS NULL").run(locator);
    return version;
  }

  private insertReport(versionId: number, outcome: Extract<ParseOutcome, { ok: true }>, t: string): number {
    const r = outcome.record;
    const region = r.region;
    const bare = r.organ ? bareName(r.organ, [region?.province, region?.city, region?.county]) : null;
    const info = this.sql(
        `INSERT INTO reports (version_id, parser_version, parsed_at, format, template, organ, organ_bare, year, published_on,
           region_code, region_name, province, city, county, region_by, region_confidence, record_json)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      )
      .run(
        versionId, PARSER_VERSION, t, r.source.format, r.template, r.organ, bare, r.year, r.publishedOn,
        region?.code ?? null, region?.name ?? null, region?.province ?? null, region?.city ?? null, region?.county ?? null,
        outcome.region.by, outcome.region.confidence, JSON.stringify(r),
      );
    const id = Number(info.lastInsertRowid);
    // Rows go in BATCH rows per statement: one call per row was half of a save.
    this.insertMany("cells", ["report_id", "tbl", "row", "col", "value"], cellsOf(r).map((c) => [id, ...c]));
    const sec = this.sql("INSERT INTO sections (report_id, number, title, text) VALUES (?,?,?,?)");
    for (const s of r.sections) sec.run(id, s.number, s.title, s.text);
    this.insertMany("checks", ["report_id", "rule", "severity", "message", "where_"], r.checks.map((c) => [id, c.rule, c.severity, c.message, c.where]));
    this.insertMany("warnings", ["report_id", "message"], r.warnings.map((w) => [id, w]));
    // Rekey the region's bodies only when this name is new to it.
    const known = this.sql("SELECT organ_key FROM reports WHERE region_code IS ? AND organ_bare = ? AND id != ? AND organ_key IS NOT NULL LIMIT 1").get(
      region?.code ?? null, bare, id,
    ) as { organ_key: string } | undefined;
    if (known) this.sql("UPDATE reports SET organ_key = ? WHERE id = ?").run(known.organ_key, id);
    else this.rekeyOrgans(region?.code ?? null);
    return id;
  }

  /** Inserts rows BATCH at a time (one statement per BATCH rows, then one per leftover row). */
  private insertMany(table: string, cols: string[], rows: (string | number | null)[][]): void {
    const one = `(${cols.map(() => "?").join(",")})`;
    const head = `INSERT INTO ${table} (${cols.join(", ")}) VALUES `;
    let i = 0;
    if (rows.length >= BATCH) {
      const many = this.sql(head + Array(BATCH).fill(one).join(","));
      for (; i + BATCH <= rows.length; i += BATCH) many.run(rows.slice(i, i + BATCH).flat());
    }
    if (i < rows.length) {
      const single = this.sql(head + one);
      for (; i < rows.length; i++) single.run(rows[i]);
    }
  }

  /** Recompute organ keys of a region: a full name arriving after its abbreviation links both. */
  private rekeyOrgans(regionCode: string | null): void {
    const rows = this.sql("SELECT DISTINCT organ_bare FROM reports WHERE organ_bare IS NOT NULL AND region_code IS ?")
      .all(regionCode) as { organ_bare: string }[];
    const names = rows.map((r) => r.organ_bare);
    const upd = this.sql("UPDATE reports SET organ_key = ? WHERE organ_bare = ? AND region_code IS ?");
    for (const n of names) upd.run(organKey(regionCode, n, names), n, regionCode);
  }

  /** Re-run cross-year checks around a report (its year before and after); returns those on it. */
  private refreshCrossYear(reportId: number): Check[] {
    const me = this.sql("SELECT organ_key, year FROM reports WHERE id = ?").get(reportId) as { organ_key: string | null; year: number | null };
    if (!me.organ_key || me.year === null) return [];
    // The latest current report of each neighbouring year (a body-year read twice, from
    // two sources, is compared once: through its newest record).
    const latest = this.sql(
      "SELECT id, year, record_json FROM reports WHERE organ_key = ? AND year = ? AND is_current = 1 ORDER BY id DESC LIMIT 1",
    );
    const rows = [me.year - 1, me.year, me.year + 1]
      .map((y) => latest.get(me.organ_key, y) as { id: number; year: number; record_json: string } | undefined)
      .filter((r): r is { id: number; year: number; record_json: string } => r !== undefined);
    const del = this.sql("DELETE FROM checks WHERE report_id = ? AND rule LIKE 'crossYear.%'");
    const ins = this.sql("INSERT INTO checks (report_id, rule, severity, message, where_) VALUES (?,?,?,?,?)");
    let mine: Check[] = [];
    for (const cur of rows) {
      const prev = rows.find((p) => p.year === cur.year - 1);
      del.run(cur.id);
      if (!prev) continue;
      const found = crossYearChecks(JSON.parse(prev.record_json), JSON.parse(cur.record_json));
      for (const c of found) ins.run(cur.id, c.rule, c.severity, c.message, c.where);
      if (cur.id === reportId) mine = found;
    }
    return mine;
  }

  /**
   * Current records (one per source: its latest version, by the latest parse), in id
   * order, streamed from the database; `checks` as stored (the template's and the
   * cross-year ones). Do not write to the store while iterating.
   */
  *records(): Generator<{ id: number; record: ReportRecord; parsedAt: string }> {
    const checks = this.sql("SELECT rule, severity, message, where_ AS \"where\" FROM checks WHERE report_id = ? ORDER BY rowid");
    for (const row of this.sql("SELECT id, record_json, parsed_at FROM reports WHERE is_current = 1 ORDER BY id").iterate() as Iterable<{
      id: number;
      record_json: string;
      parsed_at: string;
    }>) {
      const record = JSON.parse(row.record_json) as ReportRecord;
      record.checks = checks.all(row.id) as Check[];
      yield { id: row.id, record, parsedAt: row.parsed_at };
    }
  }

  /**
   * Re-run the current parser over the stored bytes of every document last read by
   * another parser version. Old records stay as history (is_current = 0). Returns
   * what changed per document: cells, checks, or the outcome itself.
   */
  async reparse(onChange?: (c: ReparseChange) => void, parse: Parse = parseReport): Promise<ReparseChange[]> {
    const stale = this.sql(
        `SELECT v.id AS version_id, v.sha256, v.content_type, s.locator, s.path, s.url,
                (SELECT r.id FROM reports r WHERE r.version_id = v.id AND r.is_current = 1) AS report_id,
                (SELECT f.code FROM failures f WHERE f.version_id = v.id AND f.is_current = 1) AS failure,
                coalesce((SELECT r.parser_version FROM reports r WHERE r.version_id = v.id AND r.is_current = 1),
                         (SELECT f.parser_version FROM failures f WHERE f.version_id = v.id AND f.is_current = 1)) AS parser_version
         FROM versions v JOIN sources s ON s.id = v.source_id`,
      )
      .all() as {
      version_id: number; sha256: string; content_type: string | null; locator: string; path: string | null; url: string | null;
      report_id: number | null; failure: string | null; parser_version: string | null;
    }[];
    const changes: ReparseChange[] = [];
    for (const v of stale) {
      if (v.parser_version === null || v.parser_version === PARSER_VERSION) continue;
      const bytes = this.readBytes(v.sha256);
      if (!bytes) {
        const c: ReparseChange = { locator: v.locator, from: v.parser_version, changed: false, notes: ["bytes not kept; cannot re-run"] };
        changes.push(c);
        onChange?.(c);
        continue;
      }
      const before = v.report_id !== null ? (JSON.parse((this.sql("SELECT record_json FROM reports WHERE id = ?").get(v.report_id) as { record_json: string }).record_json) as ReportRecord) : null;
      const outcome = await safeParse({ bytes, name: v.locator, path: v.path, url: v.url, contentType: v.content_type ?? undefined }, parse);
      this.save(outcome, { sha: v.sha256, locator: v.locator, input: { bytes, path: v.path, url: v.url, contentType: v.content_type ?? undefined } });
      const notes = diffRecords(before, v.failure, outcome);
      const c: ReparseChange = { locator: v.locator, from: v.parser_version, changed: notes.length > 0, notes };
      changes.push(c);
      onChange?.(c);
    }
    return changes;
  }

  /** How many current reports, current failures, sources, versions and current cells are stored. */
  counts(): { reports: number; failures: number; sources: number; versions: number; cells: number } {
    const one = (sql: string) => (this.sql(sql).get() as { n: number }).n;
    return {
      reports: one("SELECT count(*) AS n FROM reports WHERE is_current = 1"),
      failures: one("SELECT count(*) AS n FROM failures WHERE is_current = 1"),
      sources: one("SELECT count(*) AS n FROM sources"),
      versions: one("SELECT count(*) AS n FROM versions"),
      cells: one("SELECT count(*) AS n FROM cells c JOIN reports r ON r.id = c.report_id WHERE r.is_current = 1"),
    };
  }
}

export interface ReparseChange {
  locator: string;
  from: string;
  changed: boolean;
  notes: string[];
}

/** What differs between an old record (or failure) and a new parse: cells, checks, outcome. */
export function diffRecords(before: ReportRecord | null, beforeFailure: string | null, after: ParseOutcome): string[] {
  if (!before) return after.ok ? [`now read (was failed: ${beforeFailure})`] : beforeFailure === after.code ? [] : [`failure ${beforeFailure} → ${after.code}`];
  if (!after.ok) return [`now fails: ${after.code} ${after.message}`];
  const notes: string[] = [];
  const old = new Map(cellsOf(before).map(([t, r, c, v]) => [`${t}.${r}.${c}`, v]));
  const now = new Map(cellsOf(after.record).map(([t, r, c, v]) => [`${t}.${r}.${c}`, v]));
  for (const k of new Set([...old.keys(), ...now.keys()])) if (old.get(k) !== now.get(k)) notes.push(`${k}: ${old.get(k) ?? "null"} → ${now.get(k) ?? "null"}`);
  for (const f of ["organ", "year", "publishedOn", "template"] as const)
    if (before[f] !== after.record[f]) notes.push(`${f}: ${before[f]} → ${after.record[f]}`);
  const key = (c: Check) => `${c.rule} ${c.where}`;
  const oldChecks = new Set(before.checks.map(key));
  const newChecks = new Set(after.record.checks.map(key));
  for (const c of newChecks) if (!oldChecks.has(c)) notes.push(`check now fails: ${c}`);
  for (const c of oldChecks) if (!newChecks.has(c)) notes.push(`check now passes: ${c}`);
  return notes;
}

/**
 * Opens (creating when missing: parent folder, file, schema) the store at `dbPath`, and
 * migrates an older schema. Throws with a readable message when the file is not a
 * database or was made by a newer xxgk.
 */
export function openStore(dbPath: string): Store {
  return new Store(dbPath);
}
