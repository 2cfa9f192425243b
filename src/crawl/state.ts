// Crawl state, in the same SQLite database as the reports (tables crawl_*). A row is
// written only after what it records is committed (the blob on disk, the ingest in the
// store), so a run killed at any moment leaves rows that are all true; a URL that was
// in progress has no new row and is simply fetched again by the next run.
import type { Database } from "better-sqlite3";
import { migrate } from "../migrations.js";

export type UrlKind = "list" | "article" | "attachment";

/**
 * done      fetched, stored and ingested, links handled: never fetched again
 * fetched   stored and ingested, its attachments not all handled yet: resumed from the blob
 * failed    a 5xx, timeout or network error: tried again next run (until maxAttempts)
 * gone      a 404 or 410: not tried again (a 429, 401, 403… is `failed`)
 * refused   a redirect off the portal's hosts, a body over the cap: not tried again
 * blocked   robots.txt disallows it: checked again each run (robots.txt may change)
 */
export type UrlStatus = "done" | "fetched" | "failed" | "gone" | "refused" | "blocked";

export interface UrlRow {
  url: string;
  portal: string;
  kind: UrlKind;
  status: UrlStatus;
  etag: string | null;
  last_modified: string | null;
  sha256: string | null;
  last_status: number | null;
  attempts: number;
  last_error: string | null;
  fetched_at: string | null;
  final_url: string | null;
  content_type: string | null;
  ingest_status: string | null;
  ingest_code: string | null;
  report_id: number | null;
}

// The crawl_* tables are made by the store's migrations (src/migrations.ts), with every other table.

const now = () => new Date().toISOString();

export interface FetchLog {
  url: string;
  finalUrl?: string | null;
  status: number | null;
  sha256?: string | null;
  bytes?: number | null;
  headers?: Record<string, string> | null;
  error?: string | null;
  requests: number;
}

export class CrawlState {
  private readonly getStmt;
  private readonly upsertStmt;
  private readonly linkStmt;
  private readonly childrenStmt;
  private readonly fetchStmt;
  private readonly pendingStmt;
  runId: number | null = null;

  constructor(readonly db: Database) {
    db.pragma("journal_mode = WAL");
    // As the store: durable across a killed process; a power cut may lose the last rows.
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 10000");
    // The tables come from the one list of migrations (a no-op when the store has opened the file).
    migrate(db);
    this.getStmt = db.prepare("SELECT * FROM crawl_urls WHERE url = ?");
    this.upsertStmt = db.prepare(`
      INSERT INTO crawl_urls (url, portal, kind, status, etag, last_modified, sha256, last_status, attempts, last_error, fetched_at, final_url, content_type, ingest_status, ingest_code, report_id)
      VALUES (@url, @portal, @kind, @status, @etag, @last_modified, @sha256, @last_status, @attempts, @last_error, @fetched_at, @final_url, @content_type, @ingest_status, @ingest_code, @report_id)
      ON CONFLICT (url) DO UPDATE SET
        status = excluded.status, etag = excluded.etag, last_modified = excluded.last_modified, sha256 = excluded.sha256,
        last_status = excluded.last_status, attempts = excluded.attempts, last_error = excluded.last_error,
        fetched_at = excluded.fetched_at, final_url = excluded.final_url, content_type = excluded.content_type,
        ingest_status = excluded.ingest_status, ingest_code = excluded.ingest_code, report_id = excluded.report_id`);
    this.linkStmt = db.prepare("INSERT OR IGNORE INTO crawl_links (parent_url, child_url, text) VALUES (?, ?, ?)");
    this.childrenStmt = db.prepare("SELECT child_url AS url, text FROM crawl_links WHERE parent_url = ? ORDER BY rowid");
    this.fetchStmt = db.prepare(`
      INSERT INTO crawl_fetches (run_id, url, final_url, fetched_at, status, sha256, bytes, headers, error, requests)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.pendingStmt = db.prepare(
      "SELECT * FROM crawl_urls WHERE portal = ? AND kind != 'list' AND status IN ('fetched', 'failed', 'blocked') ORDER BY rowid",
    );
  }

  get(url: string): UrlRow | undefined {
    return this.getStmt.get(url) as UrlRow | undefined;
  }

  /** Writes a URL's row; fields not given keep their previous value (or null). */
  put(row: Partial<UrlRow> & Pick<UrlRow, "url" | "portal" | "kind" | "status">): void {
    const prev = this.get(row.url);
    const merged: UrlRow = {
      etag: null,
      last_modified: null,
      sha256: null,
      last_status: null,
      attempts: 0,
      last_error: null,
      fetched_at: null,
      final_url: null,
      content_type: null,
      ingest_status: null,
      ingest_code: null,
      report_id: null,
      ...(prev ?? {}),
      ...row,
      // The portal that first found a URL keeps it.
      portal: prev?.portal ?? row.portal,
      kind: prev?.kind ?? row.kind,
    };
    this.upsertStmt.run(merged);
  }

  /** Writes a row and the links from it in one transaction. */
  putWithLinks(row: Parameters<CrawlState["put"]>[0], links: { url: string; text?: string | null }[]): void {
    this.db.transaction(() => {
      for (const l of links) this.linkStmt.run(row.url, l.url, l.text ?? null);
      this.put(row);
    })();
  }

  link(parent: string, child: string, text?: string | null): void {
    this.linkStmt.run(parent, child, text ?? null);
  }

  links(parent: string, children: { url: string; text?: string | null }[]): void {
    this.db.transaction(() => {
      for (const c of children) this.linkStmt.run(parent, c.url, c.text ?? null);
    })();
  }

  children(parent: string): { url: string; text: string | null }[] {
    return this.childrenStmt.all(parent) as { url: string; text: string | null }[];
  }

  /**
   * Rows an older build marked `gone` on a status that is not 404 or 410 (a 429, a 403):
   * failed again with a fresh count, so this run tries them. Returns how many.
   */
  reviveTransient(): number {
    return this.db
      .prepare("UPDATE crawl_urls SET status = 'failed', attempts = 0 WHERE status = 'gone' AND (last_status IS NULL OR last_status NOT IN (404, 410))")
      .run().changes;
  }

  /** A portal's documents left unfinished by earlier runs. */
  pending(portal: string): UrlRow[] {
    return this.pendingStmt.all(portal) as UrlRow[];
  }

  logFetch(f: FetchLog): void {
    this.fetchStmt.run(
      this.runId,
      f.url,
      f.finalUrl ?? null,
      now(),
      f.status,
      f.sha256 ?? null,
      f.bytes ?? null,
      f.headers ? JSON.stringify(f.headers) : null,
      f.error ?? null,
      f.requests,
    );
  }

  startRun(): number {
    const r = this.db.prepare("INSERT INTO crawl_runs (pid, started_at) VALUES (?, ?)").run(process.pid, now());
    this.runId = Number(r.lastInsertRowid);
    return this.runId;
  }

  finishRun(ok: boolean, summary: unknown): void {
    if (this.runId === null) return;
    this.db
      .prepare("UPDATE crawl_runs SET finished_at = ?, ok = ?, summary = ? WHERE id = ?")
      .run(now(), ok ? 1 : 0, JSON.stringify(summary), this.runId);
  }
}

export { now as isoNow };
