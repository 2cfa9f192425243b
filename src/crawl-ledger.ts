// The crawler's ledger: what it knows of every URL (crawl_urls), the links between pages
// (crawl_links), every request (crawl_fetches) and every run (crawl_runs), persisted on
// the store's own connection. The store owns every SQL statement: the crawler (src/crawl/)
// calls these methods and never touches the database. The tables are made by the one list
// of migrations (src/migrations.ts), with every other table.
//
// A row is written only after what it records is committed (the blob on disk, the ingest
// in the store), so a run killed at any moment leaves rows that are all true; a URL that
// was in progress has no new row and is simply fetched again by the next run.
import { foundAs, type FoundAs, type ListedOn } from "../model/provenance.js";
import type Database from "better-sqlite3";
import { Statements } from "./statements.js";

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

/** What the ledger knows of one URL (a row of crawl_urls). */
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

/** A URL's new state: the four that identify it, and any fields that changed. */
export type UrlUpdate = Partial<UrlRow> & Pick<UrlRow, "url" | "portal" | "kind" | "status">;

/** A link found on a page. */
export interface LinkOut {
  url: string;
  text?: string | null;
  /** The date the list page printed beside the link (for an attachment: beside the link to its page). */
  listedOn?: ListedOn | null;
  /** An attachment's: the title of the page that links it (as read, else as listed). */
  pageTitle?: string | null;
}

/** A crawl_links row as read. */
type LinkRow = { url: string; text: string | null; listed_on: string | null; page_title: string | null };
const linkOf = (r: LinkRow) => ({ url: r.url, text: r.text, listedOn: r.listed_on ? (JSON.parse(r.listed_on) as ListedOn) : null, pageTitle: r.page_title });

/** One HTTP exchange (its retries and redirects counted in `requests`). */
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

const now = () => new Date().toISOString();

/** A URL's fields before anything is known of them. */
const BLANK: Omit<UrlRow, "url" | "portal" | "kind" | "status"> = {
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
};

/**
 * The crawl state of one database, on the store's connection (made by `Store.crawl`). One
 * crawl at a time holds it (the crawl lock); `runId` is the run being recorded.
 */
export class CrawlLedger {
  private readonly statements: Statements;
  private currentRun: number | null = null;

  constructor(private readonly db: Database.Database) {
    this.statements = new Statements(db);
  }

  private sql(text: string): Database.Statement {
    return this.statements.get(text);
  }

  /** The run being recorded (from `startRun`), or null before. */
  get runId(): number | null {
    return this.currentRun;
  }

  /** What is known of a URL, or undefined when it was never recorded. */
  url(url: string): UrlRow | undefined {
    return this.sql("SELECT * FROM crawl_urls WHERE url = ?").get(url) as UrlRow | undefined;
  }

  /** The portals of the crawl's configuration, in its order: a URL two of them list is filed under the first. */
  private portalOrder: readonly string[] = [];

  /** Sets the configuration's portal order (see `files`). */
  orderPortals(names: readonly string[]): void {
    this.portalOrder = names;
  }

  /**
   * The portal a URL is filed under when `portal` meets it and `filed` holds it: the one
   * listed first in the configuration (one not in it comes last), so that the same crawl
   * files every URL alike whichever portal happens to reach it first.
   */
  files(filed: string, portal: string): string {
    const rank = (p: string) => {
      const i = this.portalOrder.indexOf(p);
      return i < 0 ? Infinity : i;
    };
    return rank(portal) < rank(filed) ? portal : filed;
  }

  /** The first-ranked portal that has met each URL this run (see `meet`). */
  private readonly metBy = new Map<string, string>();

  /**
   * A portal meets a URL (lists it, links it, or resumes it). Whatever else happens to the
   * URL, it is filed under the first-ranked portal that met it this run: a row already
   * written (by another portal, or by an earlier run killed half-way) is re-filed now, and
   * every later `saveUrl` keeps it there. Without this, which portal a URL is filed under
   * would depend on which portal reached it first, or on where an earlier run was killed.
   */
  meet(url: string, portal: string): void {
    const met = this.metBy.get(url);
    const best = met === undefined ? portal : this.files(met, portal);
    this.metBy.set(url, best);
    const prev = this.url(url);
    if (prev && this.files(prev.portal, best) !== prev.portal) this.sql("UPDATE crawl_urls SET portal = ? WHERE url = ?").run(best, url);
  }

  /**
   * Records a URL's state; fields not given keep their previous value (or null). The kind
   * that first recorded a URL keeps it; the portal is the one `files` says among the row's,
   * the update's and those that met it this run.
   */
  saveUrl(update: UrlUpdate): void {
    const prev = this.url(update.url);
    const met = this.metBy.get(update.url);
    let portal = prev ? this.files(prev.portal, update.portal) : update.portal;
    if (met !== undefined) portal = this.files(portal, met);
    const row: UrlRow = { ...BLANK, ...(prev ?? {}), ...update, portal, kind: prev?.kind ?? update.kind };
    this.sql(`
      INSERT INTO crawl_urls (url, portal, kind, status, etag, last_modified, sha256, last_status, attempts, last_error, fetched_at, final_url, content_type, ingest_status, ingest_code, report_id)
      VALUES (@url, @portal, @kind, @status, @etag, @last_modified, @sha256, @last_status, @attempts, @last_error, @fetched_at, @final_url, @content_type, @ingest_status, @ingest_code, @report_id)
      ON CONFLICT (url) DO UPDATE SET
        portal = excluded.portal, status = excluded.status, etag = excluded.etag, last_modified = excluded.last_modified, sha256 = excluded.sha256,
        last_status = excluded.last_status, attempts = excluded.attempts, last_error = excluded.last_error,
        fetched_at = excluded.fetched_at, final_url = excluded.final_url, content_type = excluded.content_type,
        ingest_status = excluded.ingest_status, ingest_code = excluded.ingest_code, report_id = excluded.report_id`).run(row);
  }

  /** Records a page's links and then its state, in one transaction: both, or neither. */
  saveUrlWithLinks(update: UrlUpdate, links: readonly LinkOut[]): void {
    this.db
      .transaction(() => {
        this.insertLinks(update.url, links);
        this.saveUrl(update);
      })
      .immediate();
  }

  /** Records the links found on a page (a link already known is kept as it was). */
  addLinks(parent: string, children: readonly LinkOut[]): void {
    this.db.transaction(() => this.insertLinks(parent, children)).immediate();
  }

  private insertLinks(parent: string, children: readonly LinkOut[]): void {
    const ins = this.sql("INSERT OR IGNORE INTO crawl_links (parent_url, child_url, text, listed_on, page_title) VALUES (?, ?, ?, ?, ?)");
    for (const c of children) ins.run(parent, c.url, c.text ?? null, c.listedOn ? JSON.stringify(c.listedOn) : null, c.pageTitle ?? null);
  }

  /** How the first recorded link to a URL found it (its text, the list page's date, its page's title), empty where none is recorded. */
  linkTo(child: string): FoundAs {
    const r = this.sql("SELECT child_url AS url, text, listed_on, page_title FROM crawl_links WHERE child_url = ? ORDER BY rowid LIMIT 1").get(child) as LinkRow | undefined;
    if (!r) return {};
    const l = linkOf(r);
    return foundAs({ listedOn: l.listedOn, linkText: l.text, pageTitle: l.pageTitle });
  }

  /** The links recorded from a page, in the order first found. */
  linksFrom(parent: string): ReturnType<typeof linkOf>[] {
    return (this.sql("SELECT child_url AS url, text, listed_on, page_title FROM crawl_links WHERE parent_url = ? ORDER BY rowid").all(parent) as LinkRow[]).map(linkOf);
  }

  /**
   * URLs an older build marked `gone` on a status that is not 404 or 410 (a 429, a 403):
   * failed again with a fresh count, so this run tries them. Returns how many.
   */
  reviveTransient(): number {
    return this.sql("UPDATE crawl_urls SET status = 'failed', attempts = 0 WHERE status = 'gone' AND (last_status IS NULL OR last_status NOT IN (404, 410))").run()
      .changes;
  }

  /** A portal's documents (not list pages) left unfinished by earlier runs: fetched, failed or blocked, oldest first. */
  unfinished(portal: string): UrlRow[] {
    return this.sql(
      "SELECT * FROM crawl_urls WHERE portal = ? AND kind != 'list' AND status IN ('fetched', 'failed', 'blocked') ORDER BY rowid",
    ).all(portal) as UrlRow[];
  }

  /** Records one HTTP exchange under the current run. */
  logFetch(f: FetchLog): void {
    this.sql(
      `INSERT INTO crawl_fetches (run_id, url, final_url, fetched_at, status, sha256, bytes, headers, error, requests)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      this.currentRun,
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

  /** Opens a run (this process, now); the fetches logged from here on belong to it. */
  startRun(): number {
    const r = this.sql("INSERT INTO crawl_runs (pid, started_at) VALUES (?, ?)").run(process.pid, now());
    return (this.currentRun = Number(r.lastInsertRowid));
  }

  /** Closes the current run with its outcome and summary (nothing when no run was started). */
  finishRun(ok: boolean, summary: unknown): void {
    if (this.currentRun === null) return;
    this.sql("UPDATE crawl_runs SET finished_at = ?, ok = ?, summary = ? WHERE id = ?").run(now(), ok ? 1 : 0, JSON.stringify(summary), this.currentRun);
  }
}
