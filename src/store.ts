// The SQLite store (better-sqlite3): it persists and queries, nothing else (parsing and
// the cross-year refresh are the ingest service's, src/ingest-service.ts). One
// transaction per document (a batch commits them in groups, CommitGroup): a crash or
// Ctrl-C mid-batch leaves every committed document stored and nothing half-written. The bytes' sha256 is a document's identity, held by
// unique indexes (one current report, one current failure per sha256) that the inserts
// rely on, so two processes storing the same bytes at once store them once. Bytes are
// kept in a content-addressed folder beside the database so a better parser can re-run them.
import "./sqlite-uri.js";
import Database from "better-sqlite3";
import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { BlobStore } from "./blobs.js";
import { CrawlLedger } from "./crawl-ledger.js";
import type { ParseHints, ParseOutcome } from "./pipeline.js";
import { cellsOf } from "../model/cells.js";
import type { Check, DocumentPlace, Region, ReportRecord } from "../model/record.js";
import { foundAs, type FoundAs, type ListedOn } from "../model/provenance.js";
import { checkSchema, migrate, NewerSchemaError, schemaVersionOf, STORE_SCHEMA_VERSION } from "./migrations.js";
import { placeColumns, provenanceOf } from "./record-access.js";
import { CELL_COLUMNS, CHECK_COLUMNS, checkRules, DIAGNOSTIC_COLUMNS, SECTION_COLUMNS, storedForm, withRecordOf, type StoredForm } from "./stored-form.js";
import { extrasOf } from "./worker-outcome.js";
import { ReviewLedger } from "./review-ledger.js";
import { ReportLedger } from "./report-ledger.js";
import { Statements } from "./statements.js";
import { printedName } from "../normalizers/organ.js";

export { STORE_SCHEMA_VERSION, NewerSchemaError };

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
  /** What the caller knows beyond the document (ParseInput's hints: `--region`, a portal's list date, link text, linking page's title). */
  hints?: ParseHints;
  /** A member of a zip archive: the archive's path and the member's name (`path` is `archive!/member`). */
  member?: { archive: string; name: string };
  /** When the bytes were fetched (ISO 8601), for crawled bytes. */
  retrievedAt?: string | null;
  /** The server's Last-Modified header for crawled bytes, as sent. */
  lastModified?: string | null;
  /** The bytes' sha256 where the caller has already computed it (the crawler, for its blob). */
  sha256?: string;
}

/** What ingesting one document did. */
export interface IngestResult {
  /**
   * `ingested`: parsed and stored (a new report). `present`: these bytes were stored
   * before (as a report, or as a failure by this parser identity); nothing was added
   * but the place they were seen, and `code`/`message` are set when they had failed.
   * `failed`: not read as a report; the failure is stored with `code` and `message`.
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
  /**
   * When ingested: true where another document already stored gives the same body's report
   * for the same year (a portal page and its attachment, a re-upload), so this one is a new
   * copy of a stored report rather than a new report. Not set for a report whose body or
   * year was not read.
   */
  copy?: boolean;
  /** The contract record, when ingested. */
  record?: ReportRecord;
  /** Links to attachments found on an HTML page (the crawler follows them). */
  attachments?: { url: string; text: string }[];
  /** A page of attachments (`attachments-only`): its title as read (the crawler names its attachments with it). */
  title?: string;
  /** What a region hint did to a stored report's body (placed it), in words. */
  note?: string;
  /** A region hint not applied (it contradicts the document, or a person's decision), in words. */
  warning?: string;
}

/** Where a document's bytes were seen and who read them, for `saveOutcome`. */
export interface SaveAt {
  sha: string;
  locator: string;
  input: IngestInput;
  /** The parser identity that produced the outcome (src/version.ts). */
  parser: string;
  /** `reparse`: the outcome replaces the current record of these bytes (by another parser). */
  replace?: boolean;
}

/** A stored document read by another parser identity: what `reparse` re-runs. */
export interface StaleDocument {
  sha256: string;
  locator: string;
  path: string | null;
  url: string | null;
  contentType: string | null;
  reportId: number | null;
  failure: string | null;
  parser: string;
  /** What the ingest knew beyond the bytes (the list page's date, the link's text): given to the parse again. */
  hints: FoundAs | null;
}

/** versions.found_as of an input: the hints its reading depends on, as JSON; null where it has none. */
function foundAsJson(input: IngestInput): string | null {
  const h = foundAs(input.hints ?? {});
  return Object.keys(h).length ? JSON.stringify(h) : null;
}

export interface StoreOptions {
  /**
   * Open for reading only (`export`, `report`): never creates, migrates or writes; works
   * on a read-only file or folder. A database older than this build is read as it is
   * only when its schema is current; otherwise the caller is told to run a writing command.
   */
  readonly?: boolean;
}

const now = () => new Date().toISOString();

/**
 * A batch commits every COMMIT_GROUP.docs documents, or COMMIT_GROUP.ms after its first
 * uncommitted one, whichever comes first: a commit rewrites the pages of every index a
 * document touched, and per document that was a fifth of the writer's time. The time
 * bound keeps the write lock short for other processes (a crawl, a second ingest) waiting
 * on the database, even while a slow document parses.
 */
export const COMMIT_GROUP = { docs: 32, ms: 250 } as const;

/**
 * Documents' transactions committed together; one open group at a time on a connection.
 * Each group has a generation number; `whenCommitted` runs a callback once the group that
 * held a document's save is committed, and never when that group was lost (rolled back by
 * SQLite, or its connection closed), so whatever is told of a document (a batch's summary,
 * its progress) is what the database holds.
 */
export class CommitGroup {
  private open = false;
  private docs = 0;
  private timer: NodeJS.Timeout | null = null;
  private gen = 0;
  private committed = 0;
  private readonly lost = new Set<number>();
  private waiting: { gen: number; fn: () => void }[] = [];
  /** Why a commit failed (a full disk): the next `begin` throws it, so the batch stops. */
  private failure: unknown = null;

  constructor(
    private readonly db: Database.Database,
    private readonly limits: { docs: number; ms: number },
  ) {}

  /** Opens the group's transaction unless open (call before a document's save); returns the group's generation. */
  begin(): number {
    if (this.failure) throw this.failure;
    if (this.open) return this.gen;
    if (this.db.inTransaction) return this.committed; // inside a caller's transaction: its commit is not ours to tell
    this.db.exec("BEGIN IMMEDIATE");
    this.open = true;
    this.docs = 0;
    this.gen++;
    this.timer = setTimeout(() => this.commit(), this.limits.ms);
    this.timer.unref();
    return this.gen;
  }

  /** One more document saved in the group: committed when the group is full. */
  saved(): void {
    if (this.open && ++this.docs >= this.limits.docs) this.commit();
  }

  /** Runs `fn` once generation `gen` is committed (now, if it is); never if it was lost. */
  whenCommitted(gen: number, fn: () => void): void {
    if (this.lost.has(gen)) return;
    if (gen <= this.committed) fn();
    else this.waiting.push({ gen, fn });
  }

  /** Commits what the group holds (nothing when it holds nothing), then runs what waited on it. */
  commit(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.open) return;
    this.open = false;
    const waiting = this.waiting;
    this.waiting = [];
    // SQLite rolls a transaction back itself on some errors (a full disk), and a closed
    // connection has none: what the group held is not stored, and is not told as stored.
    if (!this.db.open || !this.db.inTransaction) {
      this.lost.add(this.gen);
      return;
    }
    try {
      this.db.exec("COMMIT");
    } catch (e) {
      this.failure ??= e;
      this.lost.add(this.gen);
      try {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
      } catch {
        // the connection is gone: nothing to roll back
      }
      return;
    }
    this.committed = this.gen;
    for (const w of waiting) w.fn();
  }

  /** Commits and ends the group. */
  close(): void {
    this.commit();
  }
}

/** A user error about the database file itself (not a database, a folder, newer schema): one line, exit 2. */
export class StoreOpenError extends Error {
  override name = "StoreOpenError";
}

/**
 * The store: one SQLite file (WAL, synchronous=NORMAL, foreign keys on) plus the
 * documents' bytes in `blobs/` beside it. Open with `openStore`; not safe to share one
 * Store between threads, but several processes may open one file (writers queue on
 * SQLite's lock, `busy_timeout` 5 s).
 */
export class Store {
  readonly db: Database.Database;
  readonly readonly: boolean;
  private blobStore: BlobStore | null = null;
  private crawlLedger: CrawlLedger | null = null;
  private readonly statements: Statements;

  /** A prepared statement, compiled once per connection (preparing costs more than running). */
  private sql(text: string): Database.Statement {
    return this.statements.get(text);
  }

  constructor(readonly path: string, opts: StoreOptions = {}) {
    this.readonly = opts.readonly ?? false;
    this.db = this.readonly ? openReadOnly(path) : openWritable(path);
    this.statements = new Statements(this.db);
  }

  private reportLedger: ReportLedger | null = null;
  /** Reports: one per body and year, consolidated from their documents, with their cross-year checks (src/report-ledger.ts). */
  get reports(): ReportLedger {
    return (this.reportLedger ??= new ReportLedger(this.statements, this));
  }

  private reviewLedger: ReviewLedger | null = null;
  /** What people add to the machine's reading (corrections, review marks, document metadata), on this connection. */
  get ledger(): ReviewLedger {
    return (this.reviewLedger ??= new ReviewLedger(this.db));
  }

  /** The documents' bytes by sha256, beside the database (shared with the crawler); the folder is made on first use. */
  get blobs(): BlobStore {
    return (this.blobStore ??= BlobStore.besideDb(this.path));
  }

  /** The crawler's state (crawl_* tables) on this store's connection: the crawler's only way to the database. */
  get crawl(): CrawlLedger {
    return (this.crawlLedger ??= new CrawlLedger(this.db));
  }

  /** The schema version of the open database (`PRAGMA user_version`). */
  schemaVersion(): number {
    return schemaVersionOf(this.db);
  }

  /** Closes the database. Every finished document is already committed. */
  close(): void {
    if (!this.db.open) return;
    // Reports left marked (large ones, see ReportLedger.sync) are consolidated before closing.
    if (!this.readonly) {
      try {
        this.reports.sync();
      } catch {
        // Left marked: the next writing open consolidates them.
      }
    }
    this.db.close();
  }

  /** Runs `fn` in one IMMEDIATE transaction (nested: a savepoint): all its writes, or none. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * Commits a batch's documents together (see CommitGroup): `saved()` after each
   * document's transaction, `close()` at the end. Each document stays all-or-nothing (its
   * transaction is a savepoint inside the group's); a process killed mid-group loses the
   * whole uncommitted group, never part of a document, and a re-run reads those again.
   */
  commitGroup(limits: { docs: number; ms: number } = COMMIT_GROUP): CommitGroup {
    return new CommitGroup(this.db, limits);
  }

  /** The stored bytes of a document, or null when not kept (or damaged: BlobStore.get checks the hash). */
  readBytes(sha: string): Uint8Array | null {
    return this.blobs.get(sha);
  }

  /** Keeps a document's bytes (content-addressed, temp file then rename) so `reparse` can read them again. */
  keepBytes(bytes: Uint8Array, sha: string): void {
    this.blobs.put(bytes, sha);
  }

  /**
   * What is stored for these bytes: the current report (any parser), or the current
   * failure when `parser` made it (an older parser's failure is to be read again).
   */
  lookup(sha: string, parser: string): { reportId: number } | { failure: { code: string; message: string } } | null {
    const r = this.sql("SELECT id FROM reports WHERE sha256 = ? AND is_current = 1").get(sha) as { id: number } | undefined;
    if (r) return { reportId: r.id };
    const f = this.sql("SELECT code, message FROM failures WHERE sha256 = ? AND is_current = 1 AND parser_version = ?").get(sha, parser) as
      | { code: string; message: string }
      | undefined;
    return f ? { failure: f } : null;
  }

  /**
   * Records that these (already stored) bytes were seen at `locator` (again): a known place
   * gets its last_seen moved (one UPDATE, nothing read), a new one a source and a version.
   */
  notePlace(sha: string, locator: string, input: IngestInput): void {
    const t = now();
    const moved = this.sql(
      `UPDATE versions SET last_seen = ?, retrieved_at = coalesce(?, retrieved_at), http_last_modified = coalesce(?, http_last_modified),
         listed_on = coalesce(?, listed_on), found_as = coalesce(found_as, ?)
       WHERE sha256 = ? AND source_id = (SELECT id FROM sources WHERE locator = ?)`,
    ).run(t, input.retrievedAt ?? null, input.lastModified ?? null, input.hints?.listedOn?.date ?? null, foundAsJson(input), sha, locator);
    if (moved.changes > 0) return;
    this.transaction(() => this.versionOf(locator, input, sha, t));
  }

  /**
   * Records a file that was never read into bytes (too large, unreadable, a folder that
   * cannot be listed): a failure by path, with no version. Replaces an earlier such
   * failure of the same path.
   */
  recordFailure(f: { path: string; code: string; message: string }, parser: string): IngestResult {
    const t = now();
    this.transaction(() => {
      this.sql("UPDATE failures SET is_current = 0 WHERE locator = ? AND version_id IS NULL").run(f.path);
      this.sql("INSERT INTO failures (version_id, locator, sha256, code, message, parser_version, at) VALUES (NULL,?,NULL,?,?,?,?)")
        .run(f.path, f.code, f.message, parser, t);
    });
    return { status: "failed", sha256: "", code: f.code, message: f.message };
  }

  /**
   * Writes one parse outcome in one transaction (all its rows, or none). The claim of
   * the bytes is the insert itself: a unique index allows one current report (and one
   * current failure) per sha256, so when another process stored the same bytes first
   * the insert adds nothing and the result is `present`. With `replace` (reparse) the
   * current record of the bytes gives way first.
   */
  saveOutcome(outcome: ParseOutcome, at: SaveAt): IngestResult {
    const { sha, locator, input, parser } = at;
    const t = now();
    return this.transaction((): IngestResult => {
      // A reparse reads stored bytes again: not a sighting, so the place's last_seen stays.
      const { versionId, sourceId } = this.versionOf(locator, input, sha, t, !at.replace);
      if (!outcome.ok) {
        // An older parser's failure of these bytes gives way; this parser's stays (the unique index).
        this.sql("UPDATE failures SET is_current = 0 WHERE sha256 = ? AND is_current = 1 AND parser_version != ?").run(sha, parser);
        if (at.replace) this.sql("UPDATE reports SET is_current = 0 WHERE sha256 = ? AND is_current = 1").run(sha);
        const ins = this.sql(
          `INSERT INTO failures (version_id, locator, sha256, code, message, parser_version, at) VALUES (?,?,?,?,?,?,?)
           ON CONFLICT (sha256) WHERE is_current = 1 AND sha256 IS NOT NULL DO NOTHING`,
        ).run(versionId, locator, sha, outcome.code, outcome.message, parser, t);
        const page = { attachments: outcome.attachments, ...(outcome.title ? { title: outcome.title } : {}) };
        if (ins.changes === 0) return { status: "present", sha256: sha, code: outcome.code, message: outcome.message, ...page };
        return { status: "failed", sha256: sha, code: outcome.code, message: outcome.message, ...page };
      }
      if (at.replace) this.sql("UPDATE reports SET is_current = 0 WHERE sha256 = ? AND is_current = 1").run(sha);
      // Made by the parse worker where there was one; here otherwise.
      const form = extrasOf(outcome)?.form ?? storedForm(outcome.record);
      const reportId = this.insertReport(versionId, sha, outcome, form, parser, t);
      if (reportId === null) {
        const id = (this.sql("SELECT id FROM reports WHERE sha256 = ? AND is_current = 1").get(sha) as { id: number }).id;
        return { status: "present", sha256: sha, reportId: id };
      }
      this.sql("UPDATE versions SET format = ? WHERE id = ?").run(form.head.format, versionId);
      // A new version (or a re-parse) supersedes this source's earlier records, and its failures.
      this.sql("UPDATE reports SET is_current = 0 WHERE is_current = 1 AND id != ? AND version_id IN (SELECT id FROM versions WHERE source_id = ?)")
        .run(reportId, sourceId);
      this.sql("UPDATE failures SET is_current = 0 WHERE is_current = 1 AND (sha256 = ? OR version_id IN (SELECT id FROM versions WHERE source_id = ?))")
        .run(sha, sourceId);
      this.sql("UPDATE failures SET is_current = 0 WHERE locator = ? AND version_id IS NULL").run(locator);
      const rules = checkRules(form);
      // The record as a property read when asked: a worker's outcome parses its JSON only then.
      return withRecordOf({ status: "ingested", sha256: sha, reportId, checksFailed: rules.length, failedRules: rules, attachments: outcome.attachments }, outcome);
    });
  }

  private versionOf(locator: string, input: IngestInput, sha: string, t: string, seen = true): { versionId: number; sourceId: number } {
    const place = placeKind(input);
    this.sql("INSERT INTO sources (locator, path, url, first_seen, kind, archive, member) VALUES (?,?,?,?,?,?,?) ON CONFLICT(locator) DO NOTHING")
      .run(locator, input.path ?? null, input.url ?? null, t, place.kind, place.archive, place.member);
    const sourceId = (this.sql("SELECT id FROM sources WHERE locator = ?").get(locator) as { id: number }).id;
    // Met again (a re-run, a re-fetch): the place's last sighting moves; its first stays.
    this.sql(
      `INSERT INTO versions (source_id, sha256, size, content_type, seen_at, last_seen, retrieved_at, http_last_modified, listed_on, found_as) VALUES (?,?,?,?,?,?,?,?,?,?)
       ON CONFLICT(source_id, sha256) DO UPDATE SET last_seen = CASE WHEN ? THEN excluded.last_seen ELSE last_seen END, retrieved_at = coalesce(excluded.retrieved_at, retrieved_at),
         http_last_modified = coalesce(excluded.http_last_modified, http_last_modified), listed_on = coalesce(excluded.listed_on, listed_on),
         found_as = coalesce(found_as, excluded.found_as)`,
    ).run(sourceId, sha, input.bytes.length, input.contentType ?? null, t, t, input.retrievedAt ?? null, input.lastModified ?? null, input.hints?.listedOn?.date ?? null, foundAsJson(input), seen ? 1 : 0);
    const versionId = (this.sql("SELECT id FROM versions WHERE source_id = ? AND sha256 = ?").get(sourceId, sha) as { id: number }).id;
    return { versionId, sourceId };
  }

  /** Inserts the report and its rows; null when the bytes already have a current report (the unique index). */
  private insertReport(versionId: number, sha: string, outcome: Extract<ParseOutcome, { ok: true }>, form: StoredForm, parser: string, t: string): number | null {
    const h = form.head;
    const region = h.region;
    const info = this.sql(
        `INSERT INTO reports (version_id, sha256, parser_version, parsed_at, format, template, organ, year, published_on,
           region_code, region_name, province, city, county, region_by, region_confidence, record_json)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
         ON CONFLICT (sha256) WHERE is_current = 1 DO NOTHING`,
      )
      .run(
        versionId, sha, parser, t, h.format, h.template, h.organ, h.year, h.publishedOn,
        region?.code ?? null, region?.name ?? null, region?.province ?? null, region?.city ?? null, region?.county ?? null,
        outcome.region.by, outcome.region.confidence, form.json,
      );
    if (info.changes === 0) return null;
    const id = Number(info.lastInsertRowid);
    this.statements.insertRows("cells", CELL_COLUMNS, id, form.cells);
    this.statements.insertRows("sections", SECTION_COLUMNS, id, form.sections);
    this.statements.insertRows("checks", CHECK_COLUMNS, id, form.checks);
    this.statements.insertRows("diagnostics", DIAGNOSTIC_COLUMNS, id, form.diagnostics);
    return id;
  }

  // ---- organ keys (the service decides them; the store keeps them) ----

  /** A report's region code and organ name. */
  organOf(reportId: number): { regionCode: string | null; organ: string | null; province: string | null; city: string | null; county: string | null } {
    return this.sql("SELECT region_code AS regionCode, organ, province, city, county FROM reports WHERE id = ?").get(reportId) as never;
  }

  /** Sets a report's bare organ name (the name without its region). */
  setOrganBare(reportId: number, bare: string | null): void {
    this.sql("UPDATE reports SET organ_bare = ? WHERE id = ?").run(bare, reportId);
  }

  /** The organ key another report of the region already has under this bare name, if any (a body kept apart, KEPT_APART, is not its name's). */
  knownOrganKey(regionCode: string | null, bare: string | null, exceptId: number): string | null {
    const row = this.sql("SELECT organ_key FROM reports WHERE region_code IS ? AND organ_bare = ? AND id != ? AND organ_key IS NOT NULL AND organ_key NOT GLOB '*#[0-9]*' LIMIT 1").get(
      regionCode, bare, exceptId,
    ) as { organ_key: string } | undefined;
    return row?.organ_key ?? null;
  }

  setOrganKey(reportId: number, key: string | null): void {
    this.sql("UPDATE reports SET organ_key = ? WHERE id = ?").run(key, reportId);
  }

  /** Every bare organ name of a region. */
  organNames(regionCode: string | null): string[] {
    return (this.sql("SELECT DISTINCT organ_bare FROM reports WHERE organ_bare IS NOT NULL AND region_code IS ?").all(regionCode) as { organ_bare: string }[]).map(
      (r) => r.organ_bare,
    );
  }

  /** The organ keys the reports of a region hold, by bare name (every distinct key, null included, of that name's reports). */
  regionOrganKeys(regionCode: string | null): Map<string, (string | null)[]> {
    const out = new Map<string, (string | null)[]>();
    for (const r of this.sql("SELECT DISTINCT organ_bare, organ_key FROM reports WHERE organ_bare IS NOT NULL AND region_code IS ?").all(regionCode) as { organ_bare: string; organ_key: string | null }[]) {
      const keys = out.get(r.organ_bare);
      if (keys) keys.push(r.organ_key);
      else out.set(r.organ_bare, [r.organ_key]);
    }
    return out;
  }

  /** Sets the organ key of every report of a region with this bare name (but those kept apart from its body: KEPT_APART). */
  setRegionOrganKey(regionCode: string | null, bare: string, key: string): void {
    this.sql("UPDATE reports SET organ_key = ? WHERE organ_bare = ? AND region_code IS ? AND (organ_key IS NULL OR organ_key NOT GLOB '*#[0-9]*')").run(key, bare, regionCode);
  }

  /** The first current document of one body's year stored before a document (its id below `beforeId`), or null. */
  firstDocumentOfKeyYear(key: string, year: number, beforeId: number): number | null {
    const row = this.sql("SELECT id FROM reports WHERE organ_key = ? AND year = ? AND id < ? AND is_current = 1 ORDER BY id LIMIT 1").get(key, year, beforeId) as { id: number } | undefined;
    return row?.id ?? null;
  }

  // ---- bodies: decisions people made (src/bodies.ts, the ingest service consults them) ----

  /** The canonical name a person gave for one of these names (`xxgk bodies alias`), if any. */
  aliasOf(names: (string | null)[]): string | null {
    const st = this.sql("SELECT canonical FROM body_aliases WHERE name = ?");
    for (const n of names) {
      if (!n) continue;
      const row = st.get(n) as { canonical: string } | undefined;
      if (row) return row.canonical;
    }
    return null;
  }

  setAlias(name: string, canonical: string, by: string | null): void {
    this.sql("INSERT INTO body_aliases (name, canonical, by, created_at) VALUES (?,?,?,?) ON CONFLICT(name) DO UPDATE SET canonical = excluded.canonical, by = excluded.by, created_at = excluded.created_at")
      .run(name, canonical, by, now());
    // A name that was canonical for others now points on: theirs follow.
    this.sql("UPDATE body_aliases SET canonical = ? WHERE canonical = ?").run(canonical, name);
  }

  /** Removes a name's alias decision; the canonical it pointed at, or null where it had none. */
  removeAlias(name: string): string | null {
    const row = this.sql("SELECT canonical FROM body_aliases WHERE name = ?").get(name) as { canonical: string } | undefined;
    if (!row) return null;
    this.sql("DELETE FROM body_aliases WHERE name = ?").run(name);
    return row.canonical;
  }

  /** How many names are aliases of this canonical name. */
  aliasCount(canonical: string): number {
    return (this.sql("SELECT count(*) AS n FROM body_aliases WHERE canonical = ?").get(canonical) as { n: number }).n;
  }

  /** Removes the region decisions of these names (of the given sources); how many were removed. */
  removeRegionDecisions(names: readonly string[], sources: readonly ("person" | "hint" | "alias")[]): number {
    const st = this.sql(`DELETE FROM body_regions WHERE name = ? AND source IN (${sources.map(() => "?").join(",")})`);
    let n = 0;
    for (const name of new Set(names)) n += st.run(name, ...sources).changes;
    return n;
  }

  /** Adds one diagnostic to a stored document (once: the same code and message are not added twice). */
  addDiagnostic(reportId: number, d: { code: string; severity: "info" | "warning" | "error"; key: string | null; message: string }): void {
    const seen = this.sql("SELECT 1 FROM diagnostics WHERE report_id = ? AND code = ? AND message = ?").get(reportId, d.code, d.message);
    if (!seen) this.sql("INSERT INTO diagnostics (report_id, code, severity, key, message) VALUES (?,?,?,?,?)").run(reportId, d.code, d.severity, d.key, d.message);
  }

  /** Whether a current document of this organ key exists. */
  hasBody(key: string): boolean {
    return this.sql("SELECT 1 FROM reports WHERE organ_key = ? AND is_current = 1 LIMIT 1").get(key) !== undefined;
  }

  /** The region decided for a body of one of these names whose documents place it in `fromRegion` (null: nowhere). */
  regionDecisionFor(names: (string | null)[], fromRegion: string | null): { code: string; source: "person" | "hint" | "alias" } | null {
    const st = this.sql("SELECT region_code AS code, source FROM body_regions WHERE name = ? AND from_region = ?");
    for (const n of names) {
      if (!n) continue;
      const row = st.get(n, fromRegion ?? "") as { code: string; source: "person" | "hint" | "alias" } | undefined;
      if (row) return row;
    }
    return null;
  }

  setRegionDecision(d: { name: string; fromRegion: string | null; code: string; source: "person" | "hint" | "alias"; by?: string | null }): void {
    this.sql(
      `INSERT INTO body_regions (name, from_region, region_code, source, by, created_at) VALUES (?,?,?,?,?,?)
       ON CONFLICT(name, from_region) DO UPDATE SET region_code = excluded.region_code, source = excluded.source, by = excluded.by, created_at = excluded.created_at`,
    ).run(d.name, d.fromRegion ?? "", d.code, d.source, d.by ?? null, now());
  }

  /** The region code the document itself gives (its record), not a decision applied on top. */
  documentRegionOf(reportId: number): string | null {
    return ((this.sql("SELECT json_extract(record_json, '$.region.code') AS code FROM reports WHERE id = ?").get(reportId) as { code: string | null } | undefined)?.code) ?? null;
  }

  /** The sha256 of a report's document. */
  shaOfReport(reportId: number): string | null {
    return (this.sql("SELECT sha256 FROM reports WHERE id = ?").get(reportId) as { sha256: string | null } | undefined)?.sha256 ?? null;
  }

  /** Places a report's body (the region columns; the record keeps what the document said). */
  /** Places a stored document (a decision's region, or the document's own back): `by` says which; nothing placed, no `by`. */
  setReportRegion(reportId: number, region: Region | null, by: string | null): void {
    this.sql("UPDATE reports SET region_code = ?, region_name = ?, province = ?, city = ?, county = ?, region_by = ?, region_confidence = ? WHERE id = ?").run(
      region?.code ?? null, region?.name ?? null, region?.province ?? null, region?.city ?? null, region?.county ?? null, region ? by : null, region ? "high" : null, reportId,
    );
  }

  /** Current documents whose body answers to `name`: its key, its name as printed, or its bare name. */
  documentsOfBody(name: string): { id: number; organ: string | null; organBare: string | null; organKey: string | null; regionCode: string | null; docRegion: string | null; year: number | null }[] {
    return this.sql(
      `SELECT id, organ, organ_bare AS organBare, organ_key AS organKey, region_code AS regionCode, year,
              json_extract(record_json, '$.region.code') AS docRegion
       FROM reports WHERE is_current = 1 AND (organ_key = @n OR organ = @n OR organ_bare = @n OR replace(organ, ' ', '') = @n) ORDER BY id`,
    ).all({ n: name }) as never;
  }

  /** Every current document's unit (organ_key|year, or doc:ID). */
  documentUnits(): Map<number, { key: string | null; year: number | null }> {
    const rows = this.sql("SELECT id, organ_key AS key, year FROM reports WHERE is_current = 1").all() as { id: number; key: string | null; year: number | null }[];
    return new Map(rows.map((r) => [r.id, { key: r.key, year: r.year }]));
  }

  /** Current document ids, oldest first. */
  currentDocumentIds(): number[] {
    return (this.sql("SELECT id FROM reports WHERE is_current = 1 ORDER BY id").all() as { id: number }[]).map((r) => r.id);
  }

  /** Forgets every current document's organ key (a re-key decides them again, oldest first). */
  clearOrganKeys(): void {
    this.sql("UPDATE reports SET organ_key = NULL WHERE is_current = 1").run();
  }

  /**
   * Moves the corrections and review mark of one body's year to a new key (a body re-keyed).
   * Where the new key already has a correction of the same cell, the newer stays and the
   * older is superseded; returns what was superseded so it can be said.
   */
  moveBodyYear(fromKey: string, year: number, toKey: string): { moved: number; superseded: { id: number; cellKey: string }[] } {
    const moved = this.sql("UPDATE corrections SET body_key = ? WHERE body_key = ? AND year = ?").run(toKey, fromKey, year).changes;
    const superseded = this.settleCorrections(toKey, year);
    this.sql("UPDATE OR IGNORE review_marks SET body_key = ? WHERE body_key = ? AND year = ?").run(toKey, fromKey, year);
    this.sql("DELETE FROM review_marks WHERE body_key = ? AND year = ?").run(fromKey, year);
    return { moved, superseded };
  }

  /**
   * Gives a body's year back the corrections made under it that a merge had moved to
   * `fromKey` (a bodies decision undone, its documents keyed `toKey` again while others stay
   * under `fromKey`). On both keys each cell's newest correction not withdrawn is then the
   * current one, as before the merge: one superseded by the merge is current again.
   */
  returnCorrections(fromKey: string, year: number, toKey: string): number {
    const moved = this.sql("UPDATE corrections SET body_key = ? WHERE body_key = ? AND year = ? AND made_under = ?").run(toKey, fromKey, year, toKey).changes;
    if (moved) for (const key of [fromKey, toKey]) this.settleCorrections(key, year);
    return moved;
  }

  /**
   * Each cell's newest correction not withdrawn is current (active, or review as it was);
   * the others superseded. Returns the corrections it superseded. (Every write keeps this
   * so: a new correction supersedes the cell's current one, a withdrawn one gives way to the
   * one it superseded; only moving corrections between keys needs it done again.)
   */
  private settleCorrections(key: string, year: number): { id: number; cellKey: string }[] {
    const rows = this.sql("SELECT id, cell_key AS cellKey, status FROM corrections WHERE body_key = ? AND year = ? AND status <> 'withdrawn' ORDER BY id DESC").all(key, year) as {
      id: number;
      cellKey: string;
      status: string;
    }[];
    const seen = new Set<string>();
    const superseded: { id: number; cellKey: string }[] = [];
    for (const r of rows) {
      const current = !seen.has(r.cellKey);
      seen.add(r.cellKey);
      if (current && r.status === "superseded") this.sql("UPDATE corrections SET status = 'active' WHERE id = ?").run(r.id);
      else if (!current && r.status !== "superseded") {
        this.sql("UPDATE corrections SET status = 'superseded' WHERE id = ?").run(r.id);
        superseded.push({ id: r.id, cellKey: r.cellKey });
      }
    }
    return superseded;
  }

  /** The bodies: one row per organ key, with names, region, years and counts (reports and documents). */
  bodies(regionPrefix?: string): { key: string; name: string; names: string[]; aliases: string[]; regionCode: string | null; regionName: string | null; years: number[]; reports: number; documents: number }[] {
    const rows = this.sql(
      `SELECT organ_key AS key, organ, region_code AS regionCode, province, city, county, region_name AS regionName, year
       FROM reports WHERE is_current = 1 AND organ_key IS NOT NULL ORDER BY organ_key, year, id`,
    ).all() as { key: string; organ: string | null; regionCode: string | null; regionName: string | null; province: string | null; city: string | null; county: string | null; year: number | null }[];
    const aliases = this.sql("SELECT name, canonical FROM body_aliases ORDER BY name").all() as { name: string; canonical: string }[];
    // An alias is a name as printed: it is listed under the bodies whose documents print it
    // (硚口区经信局 under 硚口区's body, not under every region's body of the canonical name);
    // one no document prints yet, under every body of its canonical name (it is waiting for them).
    const printedIn = new Map<string, Set<string>>();
    for (const a of aliases) printedIn.set(a.name, new Set());
    for (const r of rows) if (r.organ) printedIn.get(printedName(r.organ))?.add(r.key);
    const listed = (a: { name: string; canonical: string }, key: string, name: string) => a.canonical === name && (printedIn.get(a.name)!.size === 0 || printedIn.get(a.name)!.has(key));
    const out = new Map<string, { key: string; name: string; names: string[]; aliases: string[]; regionCode: string | null; regionName: string | null; years: number[]; reports: number; documents: number }>();
    for (const r of rows) {
      if (regionPrefix && !(r.regionCode ?? "").startsWith(regionPrefix)) continue;
      let b = out.get(r.key);
      if (!b) {
        const name = r.key.slice(r.key.indexOf(":") + 1).replace(/#\d+$/, "");
        const place = [r.province, r.city && r.city !== r.province ? r.city : null, r.county].filter(Boolean).join("");
        b = { key: r.key, name, names: [], aliases: aliases.filter((a) => listed(a, r.key, name)).map((a) => a.name), regionCode: r.regionCode, regionName: place || r.regionName, years: [], reports: 0, documents: 0 };
        out.set(r.key, b);
      }
      // A document that places its body nowhere (a scan counted with its copy) gives way to one that does.
      if (b.regionCode === null && r.regionCode !== null) {
        b.regionCode = r.regionCode;
        b.regionName = [r.province, r.city && r.city !== r.province ? r.city : null, r.county].filter(Boolean).join("") || r.regionName;
      }
      if (r.organ && !b.names.includes(r.organ)) b.names.push(r.organ);
      if (r.year !== null && !b.years.includes(r.year)) b.years.push(r.year);
      b.documents++;
    }
    for (const b of out.values()) b.reports = (this.sql("SELECT count(*) AS n FROM report_records WHERE body_key = ?").get(b.key) as { n: number }).n;
    return [...out.values()];
  }

  // ---- cross-year checks (computed by the service, kept here) ----

  /** A report's organ key and year. */
  keyYearOf(reportId: number): { organKey: string | null; year: number | null } {
    return this.sql("SELECT organ_key AS organKey, year FROM reports WHERE id = ?").get(reportId) as never;
  }

  /** A document's key and year, and whether it is counted with another report's copy by its values (region_by `copy`). */
  unitOf(reportId: number): { organKey: string | null; year: number | null; copy: boolean } {
    const r = this.sql("SELECT organ_key AS organKey, year, region_by IS 'copy' AS copy FROM reports WHERE id = ?").get(reportId) as { organKey: string | null; year: number | null; copy: number };
    return { ...r, copy: r.copy === 1 };
  }

  /**
   * Whether another current document gives the same body's report for the same year as
   * this one (its organ key and year): this document is then a copy of a stored report (a
   * portal page and its attachment, a re-upload), not a new report.
   */
  isCopyOfStoredReport(reportId: number): boolean {
    return (
      this.sql(
        "SELECT 1 FROM reports r JOIN reports me ON me.id = ? WHERE me.organ_key IS NOT NULL AND me.year IS NOT NULL AND r.organ_key = me.organ_key AND r.year = me.year AND r.id <> me.id AND r.is_current = 1 LIMIT 1",
      ).get(reportId) !== undefined
    );
  }

  // ---- copies told by their values (a scan whose body or year OCR could not read) ----

  /** Whether a document was read by OCR (its record says `ocr.read`). */
  readByOcr(reportId: number): boolean {
    return this.sql("SELECT 1 FROM diagnostics WHERE report_id = ? AND code = 'ocr.read' LIMIT 1").get(reportId) !== undefined;
  }

  /**
   * The latest current documents (at most `limit`) other than `exceptId` printing this 本年新收
   * total (migration 13's partial index), with their key and year and whether OCR read them
   * (its partial index of OCR'd documents).
   */
  documentsWithNewReceivedTotal(
    value: number,
    exceptId: number,
    limit: number,
    /** Only documents whose body key starts so (a region's `420104:`): filtered before the limit, not after it. */
    keyPrefix: string | null = null,
  ): { id: number; key: string | null; year: number | null; ocr: number; copy: number }[] {
    return this.sql(
      `SELECT r.id, r.organ_key AS key, r.year, EXISTS (SELECT 1 FROM diagnostics d WHERE d.report_id = r.id AND d.code = 'ocr.read') AS ocr, r.region_by IS 'copy' AS copy
       FROM cells c JOIN reports r ON r.id = c.report_id
       WHERE c.tbl = 'requests' AND c.row = 'newReceived' AND c.col = 'total' AND c.value = @value AND r.is_current = 1 AND r.id <> @exceptId
         AND (@keyPrefix IS NULL OR substr(r.organ_key, 1, length(@keyPrefix)) = @keyPrefix)
       ORDER BY c.report_id DESC LIMIT @limit`,
    ).all({ value, exceptId, keyPrefix, limit }) as never;
  }

  /** One cell of a document by its key (tbl.row.col), null where not read or not there. */
  cellValue(reportId: number, key: string): number | null {
    const [tbl, row, col] = [key.slice(0, key.indexOf(".")), key.slice(key.indexOf(".") + 1, key.lastIndexOf(".")), key.slice(key.lastIndexOf(".") + 1)];
    const r = this.sql("SELECT value FROM cells WHERE report_id = ? AND tbl = ? AND row = ? AND col = ?").get(reportId, tbl, row, col) as { value: number | null } | undefined;
    return r?.value ?? null;
  }

  /** A document's cells, by key (tbl.row.col), null where not read. */
  cellValues(reportId: number): Map<string, number | null> {
    const out = new Map<string, number | null>();
    for (const c of this.sql("SELECT tbl, row, col, value FROM cells WHERE report_id = ?").all(reportId) as { tbl: string; row: string; col: string; value: number | null }[])
      out.set(`${c.tbl}.${c.row}.${c.col}`, c.value);
    return out;
  }

  /** Current documents that may not tell their report themselves (read by OCR, no year or body read, unplaced), and those counted with a copy by their values before. */
  weakDocuments(): { id: number; matched: boolean }[] {
    return (
      this.sql(
        `SELECT id, EXISTS (SELECT 1 FROM diagnostics d WHERE d.report_id = r.id AND d.code = 'copies.matchedByValues') AS matched
         FROM reports r WHERE is_current = 1 AND (year IS NULL OR organ_key IS NULL OR organ_key LIKE 'unplaced:%' OR region_by IS 'copy'
           OR EXISTS (SELECT 1 FROM diagnostics d WHERE d.report_id = r.id AND d.code IN ('ocr.read', 'copies.matchedByValues'))) ORDER BY id`,
      ).all() as { id: number; matched: number }[]
    ).map((r) => ({ id: r.id, matched: r.matched === 1 }));
  }

  /** Whether another current document than this one is keyed to this body. */
  bodyHasOtherDocuments(key: string, exceptId: number): boolean {
    return this.sql("SELECT 1 FROM reports WHERE organ_key = ? AND id <> ? AND is_current = 1 LIMIT 1").get(key, exceptId) !== undefined;
  }

  /**
   * Counts a document in the report another document is counted in (a copy told by its
   * values): its key, year, bare name and region are that document's, the region said to
   * come from the copy (`region_by` = `copy`); what it read stays in its record.
   */
  countWith(reportId: number, twinId: number): void {
    this.sql(
      `UPDATE reports SET (organ_key, year, organ_bare, region_code, region_name, province, city, county, region_by, region_confidence) =
         (SELECT t.organ_key, t.year, t.organ_bare, t.region_code, t.region_name, t.province, t.city, t.county, CASE WHEN t.region_code IS NULL THEN NULL ELSE 'copy' END, t.region_confidence
          FROM reports t WHERE t.id = @twin)
       WHERE id = @id AND (organ_key, year, organ_bare, region_code) IS NOT (SELECT organ_key, year, organ_bare, region_code FROM reports WHERE id = @twin)`,
    ).run({ id: reportId, twin: twinId });
  }

  /** Sets a document's year column (its key is the service's to work out again). */
  setDocumentYear(reportId: number, year: number | null): void {
    this.sql("UPDATE reports SET year = ? WHERE id = ? AND year IS NOT ?").run(year, reportId, year);
  }

  /** Replaces a document's machine notes of one code (a note the ingest service adds after the parse). */
  replaceDiagnostic(reportId: number, code: string, note: { severity: "info" | "warning"; key?: string | null; message: string } | null): void {
    this.sql("DELETE FROM diagnostics WHERE report_id = ? AND code = ?").run(reportId, code);
    if (note) this.sql("INSERT INTO diagnostics (report_id, code, severity, key, message) VALUES (?,?,?,?,?)").run(reportId, code, note.severity, note.key ?? null, note.message);
  }

  /** The id of the latest current report of a body for a year, or null (no record read: most years have no neighbour to compare). */
  latestIdOfYear(organKey: string, year: number): number | null {
    const row = this.sql("SELECT id FROM reports WHERE organ_key = ? AND year = ? AND is_current = 1 ORDER BY id DESC LIMIT 1").get(organKey, year) as
      | { id: number }
      | undefined;
    return row?.id ?? null;
  }

  /** The latest current report of a body for a year (a body-year read from two sources is compared through its newest record). */
  latestOfYear(organKey: string, year: number): { id: number; record: ReportRecord } | null {
    const row = this.sql("SELECT id, record_json FROM reports WHERE organ_key = ? AND year = ? AND is_current = 1 ORDER BY id DESC LIMIT 1").get(
      organKey, year,
    ) as { id: number; record_json: string } | undefined;
    return row ? { id: row.id, record: JSON.parse(row.record_json) as ReportRecord } : null;
  }

  /** Replaces a report's cross-year checks (`crossYear.*`) with these. */
  replaceCrossYearChecks(reportId: number, checks: Check[]): void {
    this.sql("DELETE FROM checks WHERE report_id = ? AND rule LIKE 'crossYear.%'").run(reportId);
    const ins = this.sql("INSERT INTO checks (report_id, rule, severity, message, where_) VALUES (?,?,?,?,?)");
    for (const c of checks) ins.run(reportId, c.rule, c.severity, c.message, c.where);
  }

  /** The checks stored on a report (the template's and the cross-year ones), in the order stored. */
  checksOf(reportId: number): Check[] {
    return this.sql("SELECT rule, severity, message, where_ AS \"where\" FROM checks WHERE report_id = ? ORDER BY rowid").all(reportId) as Check[];
  }

  // ---- reading ----

  /**
   * Current records (one per document: its latest version, by the latest parse), in id
   * order, streamed from the database; `checks` as stored (the template's and the
   * cross-year ones). Do not write to the store while iterating.
   */
  *records(opts: { byReport?: boolean } = {}): Generator<{ id: number; record: ReportRecord; parsedAt: string; reportKey: string | null }> {
    const checks = this.sql("SELECT rule, severity, message, where_ AS \"where\" FROM checks WHERE report_id = ? ORDER BY rowid");
    // byReport: the documents of one report (one body's organ_key, one year) come one after another.
    const order = opts.byReport ? "organ_key IS NULL, organ_key, year, id" : "id";
    for (const row of this.sql(`SELECT id, record_json, parsed_at, organ_key, year FROM reports WHERE is_current = 1 ORDER BY ${order}`).iterate() as Iterable<{
      id: number;
      record_json: string;
      parsed_at: string;
      organ_key: string | null;
      year: number | null;
    }>) {
      const record = JSON.parse(row.record_json) as ReportRecord;
      record.checks = checks.all(row.id) as Check[];
      const reportKey = row.organ_key !== null && row.year !== null ? `${row.organ_key}|${row.year}` : null;
      yield { id: row.id, record, parsedAt: row.parsed_at, reportKey };
    }
  }

  /** A stored record by report id (as parsed; checks as in the record). */
  recordOf(reportId: number): ReportRecord | null {
    const row = this.sql("SELECT record_json FROM reports WHERE id = ?").get(reportId) as { record_json: string } | undefined;
    return row ? (JSON.parse(row.record_json) as ReportRecord) : null;
  }

  /**
   * Every stored document whose current record or failure was made by another parser
   * identity: one row per sha256 (the place it was first seen), in the order stored.
   */
  staleDocuments(parser: string): StaleDocument[] {
    const rows = this.sql(
      `SELECT d.sha256, d.report_id AS reportId, d.failure, d.parser,
              s.locator, s.path, s.url, v.content_type AS contentType, v.found_as AS hints
       FROM (SELECT sha256, id AS report_id, NULL AS failure, parser_version AS parser, version_id FROM reports WHERE is_current = 1
             UNION ALL
             SELECT sha256, NULL, code, parser_version, version_id FROM failures
              WHERE is_current = 1 AND sha256 IS NOT NULL AND version_id IS NOT NULL
                AND sha256 NOT IN (SELECT sha256 FROM reports WHERE is_current = 1)) d
       JOIN versions v ON v.id = d.version_id JOIN sources s ON s.id = v.source_id
       WHERE d.parser != ?
       ORDER BY v.id`,
    ).all(parser) as (Omit<StaleDocument, "hints"> & { hints: string | null })[];
    return rows.map((r) => ({ ...r, hints: r.hints ? (JSON.parse(r.hints) as FoundAs) : null }));
  }

  /**
   * Every place these bytes were seen (paths, zip members, URLs), first seen first: the
   * places of a report are those of all its documents' bytes.
   */
  placesOf(shas: readonly string[]): DocumentPlace[] {
    const one = this.sql(
      `SELECT s.kind, s.path, s.url, s.archive, s.member, v.sha256, v.seen_at AS firstSeen, coalesce(v.last_seen, v.seen_at) AS lastSeen,
              v.retrieved_at AS retrievedAt, v.http_last_modified AS lastModified, v.listed_on AS listedOn
       FROM versions v JOIN sources s ON s.id = v.source_id WHERE v.sha256 = ? ORDER BY v.seen_at, v.id`,
    );
    const out: DocumentPlace[] = [];
    for (const sha of new Set(shas)) out.push(...(one.all(sha) as DocumentPlace[]));
    if (shas.length > 1) out.sort((a, b) => (a.firstSeen < b.firstSeen ? -1 : a.firstSeen > b.firstSeen ? 1 : 0));
    for (const p of out) p.kind ??= p.url ? "url" : p.path ? "path" : "bytes";
    return out;
  }

  /** The archive and member name of a place that is a member of a zip archive (by its locator), or null. */
  zipMember(locator: string): { archive: string; member: string } | null {
    const row = this.sql("SELECT archive, member FROM sources WHERE locator = ? AND kind = 'zip'").get(locator) as { archive: string; member: string } | undefined;
    return row && row.archive !== null && row.member !== null ? row : null;
  }

  /** Current failures, oldest first. */
  currentFailures(): { locator: string; code: string; message: string; at: string }[] {
    return this.sql("SELECT locator, code, message, at FROM failures WHERE is_current = 1 ORDER BY at").all() as never;
  }

  /** A value kept in the meta table, or null. */
  getMeta(key: string): string | null {
    return ((this.sql("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined)?.value) ?? null;
  }

  /** Keeps a value in the meta table (a writable store only). */
  setMeta(key: string, value: string): void {
    this.sql("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
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

/** What kind of place a document was met at: a URL, a zip member, a path, or bare bytes. */
function placeKind(input: IngestInput): { kind: DocumentPlace["kind"]; archive: string | null; member: string | null } {
  if (input.url) return { kind: "url", archive: null, member: null };
  if (input.member) return { kind: "zip", archive: input.member.archive, member: input.member.name };
  const path = input.path ?? null;
  if (path === null) return { kind: "bytes", archive: null, member: null };
  const bang = path.indexOf("!/");
  return bang > 0 ? { kind: "zip", archive: path.slice(0, bang), member: path.slice(bang + 2) } : { kind: "path", archive: null, member: null };
}

/** Why a path cannot be a database, in words, before SQLite is asked (a folder, a device, /proc). */
function notAFile(path: string, mustExist: boolean): string | null {
  const abs = resolve(path);
  if (abs === "/proc" || abs === "/sys" || abs.startsWith("/proc/") || abs.startsWith("/sys/")) return "not a database file (a kernel file)";
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return mustExist ? "no such database (ingest something first)" : null;
    if (code === "EACCES" || code === "EPERM") return "permission denied";
    if (code === "ENOTDIR") return "a part of the path is not a folder";
    return code ?? String(e);
  }
  if (st.isDirectory()) return "is a folder, not a database file";
  if (!st.isFile()) return "not a regular file";
  return null;
}

/** SQLite's messages about a file that is not ours, in words. */
function sqliteReason(e: unknown): string {
  const err = e as { code?: string; message?: string };
  if (err.code === "SQLITE_NOTADB") return "not a database (file is not a SQLite database)";
  if (err.code === "SQLITE_CANTOPEN") return "cannot open the file";
  if (err.code === "SQLITE_READONLY" || err.code === "SQLITE_READONLY_DIRECTORY") return "read-only (cannot write the database or its folder)";
  if (err.code === "SQLITE_CORRUPT") return "the database is damaged (corrupt)";
  return err.message ?? String(e);
}

function openWritable(path: string): Database.Database {
  const why = notAFile(path, false);
  if (why) throw new StoreOpenError(why);
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StoreOpenError(`cannot make its folder: ${code === "EACCES" || code === "EPERM" ? "permission denied" : code ?? String(e)}`);
  }
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (e) {
    throw new StoreOpenError(sqliteReason(e));
  }
  // Two processes opening a fresh file at once: switching it to WAL takes a lock the busy
  // handler does not wait for, so SQLITE_BUSY there is waited out here (bounded).
  const until = Date.now() + 10_000;
  for (;;) {
    try {
      db.pragma("busy_timeout = 5000");
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      // Checkpoint (and fsync) every ~32 MB of WAL instead of 4 MB: fewer syncs in a batch.
      db.pragma("wal_autocheckpoint = 8192");
      db.pragma("foreign_keys = ON");
      migrate(db);
      return db;
    } catch (e) {
      if ((e as { code?: string }).code === "SQLITE_BUSY" && Date.now() < until) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25 + Math.random() * 50);
        continue;
      }
      db.close();
      if (e instanceof NewerSchemaError) throw new StoreOpenError(e.message);
      throw new StoreOpenError(sqliteReason(e));
    }
  }
}

/**
 * Opens for reading only: never creates the file, writes nothing (no -wal or -shm made
 * where the folder is read-only: then SQLite is told the file is immutable).
 */
class OlderSchema extends Error {}

function openReadOnly(path: string): Database.Database {
  const why = notAFile(path, true);
  if (why) throw new StoreOpenError(why);
  const attempt = (p: string): Database.Database => {
    const db = new Database(p, { readonly: true, fileMustExist: true });
    try {
      db.pragma("busy_timeout = 5000");
      checkSchema(db);
      const at = schemaVersionOf(db);
      if (at < STORE_SCHEMA_VERSION)
        throw new OlderSchema(`made by an older xxgk (store schema ${at}; this xxgk writes ${STORE_SCHEMA_VERSION}): run \`xxgk ingest\` or \`xxgk reparse\` on it once to bring it up to date`);
      db.prepare("SELECT count(*) FROM reports").get();
      return db;
    } catch (e) {
      db.close();
      throw e;
    }
  };
  try {
    return attempt(path);
  } catch (e) {
    if (e instanceof OlderSchema) {
      // Made by an older xxgk: bring it up to date once where it can be written, then read.
      try {
        openStore(path).close();
      } catch {
        throw new StoreOpenError(e.message);
      }
      return openReadOnly(path);
    }
    if (e instanceof NewerSchemaError) throw new StoreOpenError(e.message);
    const code = (e as { code?: string }).code;
    // A WAL database in a read-only folder: the shared-memory file cannot be made. Read it as immutable.
    if (code === "SQLITE_CANTOPEN" || code === "SQLITE_READONLY" || code === "SQLITE_READONLY_DIRECTORY" || code === "SQLITE_READONLY_CANTINIT") {
      try {
        return attempt(`file:${encodeURI(resolve(path)).replace(/\?/g, "%3f").replace(/#/g, "%23")}?immutable=1`);
      } catch (e2) {
        if (e2 instanceof NewerSchemaError || e2 instanceof OlderSchema) throw new StoreOpenError(e2.message);
        throw new StoreOpenError(sqliteReason(e2));
      }
    }
    throw new StoreOpenError(sqliteReason(e));
  }
}

/**
 * Opens (creating when missing: parent folder, file, schema) the store at `dbPath`, and
 * migrates an older schema; with `{ readonly: true }` opens an existing database for
 * reading only. Throws StoreOpenError, with a one-line reason, when the path is not a
 * database (a folder, a PDF, a kernel file) or was made by a newer xxgk.
 */
export function openStore(dbPath: string, opts: StoreOptions = {}): Store {
  const store = new Store(dbPath, opts);
  // A database migrated to report_records: its reports are consolidated once, on the first writing open.
  if (!store.readonly && store.getMeta("report_records") === "stale") store.reports.rebuild();
  else if (!store.readonly && store.reports.hasDirty()) store.reports.sync();
  return store;
}
