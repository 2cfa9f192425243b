// One crawl run over every portal: list pages (conditionally), new article pages, their
// attachments; each document kept as a blob, ingested, and recorded in crawl_urls only
// once both are committed. Portals run side by side; every request goes through the
// host scheduler, so one slow portal never holds up the others.
import { foundAs, type FoundAs, type ListedOn } from "../../model/provenance.js";
import PQueue from "p-queue";
import { portalHosts, userAgentOf, type CrawlConfig, type Portal } from "./config.js";
import { Fetcher, hostAllowed, type FetchOutcome } from "./fetch.js";
import { DEFAULT_LIMITS } from "../../model/limits.js";
import { HostScheduler } from "./queue.js";
import { robotsVerdict, verdictOf, type HostRobots } from "./robots.js";
import { BlobStore } from "../blobs.js";
import type { CrawlLedger, LinkOut, UrlKind, UrlRow, UrlStatus } from "../crawl-ledger.js";
import {
  attachmentLinks,
  decodeHtml,
  isAttachmentUrl,
  jsonPageUrl,
  JsonListError,
  parseJsonList,
  parseListPage,
  absolute,
  type Link,
} from "./lists.js";
import { decode } from "../../model/charset.js";
import { ATTACHMENTS_ONLY } from "../../model/document.js";
import { charsetOfContentType } from "../../extractors/html/decode.js";

/** What the crawler needs from the store: its ingestOne (tests pass a fake). */
import type { IngestInput, IngestResult } from "../store.js";
export type { IngestInput, IngestResult };
export interface Ingestor {
  ingestOne(input: IngestInput): Promise<IngestResult>;
}

export interface Failure {
  url: string;
  kind: UrlKind | "robots";
  reason: string;
}

export interface PortalSummary {
  portal: string;
  listPages: { fetched: number; notModified: number; failed: number };
  /**
   * Documents (articles, attachments) fetched this run; known ones not fetched again; resumed
   * from a killed run; pictures fetched with report pages whose tables are pictures (kept
   * with their page, src/page-archive.ts).
   */
  documents: { fetched: number; unchanged: number; resumed: number; pictures: number };
  /**
   * Ingest outcomes of the documents fetched: new reports; new copies of reports already
   * stored (another document gives the same body's report for the same year: a page and
   * its attachment, a re-upload); bytes already in the store; pages whose report is in
   * attachments.
   */
  reports: { new: number; copies: number; present: number; containers: number };
  /**
   * Work left for the next run by the caps: documents not fetched once `maxDocuments` were
   * (`documents`), and new links on a list page past `maxLinksPerPage` (`links`). The next
   * run reads the same lists and picks them up.
   */
  left: { documents: number; links: number };
  /** HTTP requests made for this portal (retries, redirects and robots.txt included). */
  requests: number;
  newReports: { url: string; reportId?: number; organ?: string | null; year?: number | null }[];
  /** The new copies of reports already stored (counted in `reports.copies`, not as new reports). */
  newCopies: { url: string; reportId?: number; organ?: string | null; year?: number | null }[];
  failed: Failure[];
  skipped: { url: string; reason: string }[];
  robots: { host: string; note: string }[];
}

export interface CrawlSummary {
  ok: boolean;
  db: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  requests: number;
  portals: PortalSummary[];
}

export interface Progress {
  requests: number;
  documents: number;
  newReports: number;
  failed: number;
  pending: number;
}

export interface CrawlOptions {
  config: CrawlConfig;
  /** The crawl state, kept by the store (Store.crawl). */
  ledger: CrawlLedger;
  dbPath: string;
  blobs: BlobStore;
  ingestor: Ingestor;
  /** Body size cap. */
  maxBytes: number;
  onProgress?: (p: Progress) => void;
}

const isoNow = () => new Date().toISOString();

const FINAL: ReadonlySet<UrlStatus> = new Set(["done", "gone", "refused"]);

function newSummary(name: string): PortalSummary {
  return {
    portal: name,
    listPages: { fetched: 0, notModified: 0, failed: 0 },
    documents: { fetched: 0, unchanged: 0, resumed: 0, pictures: 0 },
    reports: { new: 0, copies: 0, present: 0, containers: 0 },
    left: { documents: 0, links: 0 },
    requests: 0,
    newReports: [],
    newCopies: [],
    failed: [],
    skipped: [],
    robots: [],
  };
}

function looksHtml(contentType: string | undefined, bytes: Uint8Array): boolean {
  if (contentType) {
    if (/html|xml/i.test(contentType)) return true;
    if (!/text\/plain|octet-stream/i.test(contentType)) return false;
  }
  const head = Buffer.from(bytes.subarray(0, 512)).toString("latin1").trimStart().toLowerCase();
  return head.startsWith("<!doctype html") || head.startsWith("<html") || /<(head|body|meta|div|p)\b/.test(head);
}

interface PortalCtx {
  portal: Portal;
  hosts: Set<string>;
  hints: { region?: string; organ?: string } | undefined;
  s: PortalSummary;
  /** Documents from the lists (and earlier runs) fetched so far this run, against `maxDocuments`. */
  fetched: number;
  /** Documents in progress for this portal; list reading waits while it is full (the queue is streamed, never held whole). */
  work: PQueue;
}

export class Crawler {
  private readonly state: CrawlLedger;
  private readonly scheduler: HostScheduler;
  private readonly fetcher: Fetcher;
  private readonly agentToken = "xxgk";
  private readonly robots = new Map<string, Promise<HostRobots>>();
  /** Documents claimed this run: a URL found twice is handled once. */
  private readonly claims = new Map<string, Promise<void>>();
  /** Ingests in flight by sha256: the same bytes under a second URL wait for the first and come back `present`. */
  private readonly ingesting = new Map<string, Promise<unknown>>();
  private inFlight = 0;
  private readonly totals = { requests: 0, documents: 0, newReports: 0, failed: 0 };

  constructor(private readonly o: CrawlOptions) {
    this.state = o.ledger;
    const c = o.config;
    this.scheduler = new HostScheduler({ concurrency: c.concurrency, perHostConcurrency: c.perHostConcurrency, defaultIntervalMs: c.perHostIntervalMs });
    this.fetcher = new Fetcher({
      userAgent: userAgentOf(c),
      timeoutMs: c.timeoutMs,
      retries: c.retries,
      retryBaseMs: c.retryBaseMs,
      maxRedirects: c.maxRedirects,
      maxBytes: o.maxBytes,
      maxRetryAfterMs: c.maxRetryAfterMs,
      scheduler: this.scheduler,
    });
  }

  private progress(): void {
    this.o.onProgress?.({ ...this.totals, pending: this.inFlight });
  }

  private fail(ctx: PortalCtx, f: Failure): void {
    ctx.s.failed.push(f);
    this.totals.failed++;
    this.progress();
  }

  async run(): Promise<CrawlSummary> {
    const started = new Date();
    this.state.startRun();
    this.state.orderPortals(this.o.config.portals.map((p) => p.name));
    // URLs an older build judged gone on a 429, 503-like or other passing 4xx: tried again.
    this.state.reviveTransient();
    // Only what dead writers left: a concurrent ingest's temp files are its own.
    this.o.blobs.sweepTemp();
    const ctxs: PortalCtx[] = this.o.config.portals.map((p) => {
      const hosts = portalHosts(p);
      for (const h of hosts) {
        if (p.perHostIntervalMs !== undefined) this.scheduler.setInterval(h, p.perHostIntervalMs, true);
      }
      const hints = p.region || p.organ ? { ...(p.region ? { region: p.region } : {}), ...(p.organ ? { organ: p.organ } : {}) } : undefined;
      const width = Math.max(4, 2 * this.o.config.concurrency);
      return { portal: p, hosts, hints, s: newSummary(p.name), fetched: 0, work: new PQueue({ concurrency: width }) };
    });
    await Promise.all(ctxs.map((ctx) => this.crawlPortal(ctx)));
    const finished = new Date();
    const summary: CrawlSummary = {
      ok: ctxs.every((c) => c.s.failed.length === 0),
      db: this.o.dbPath,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
      requests: this.totals.requests,
      portals: ctxs.map((c) => c.s),
    };
    this.state.finishRun(summary.ok, summary);
    return summary;
  }

  /** Queues one document, waiting while the portal's queue is full (a list of 100,000 links is never held as 100,000 tasks). */
  private async enqueue(ctx: PortalCtx, url: string, kind: "article" | "attachment", found: FoundAs = {}): Promise<void> {
    await ctx.work.onSizeLessThan(ctx.work.concurrency);
    void ctx.work.add(() => this.claim(ctx, url, kind, found));
  }

  private async crawlPortal(ctx: PortalCtx): Promise<void> {
    // Documents an earlier run left unfinished (killed, or a transient failure).
    // Each is found again as the link to it was (its text, the list page's date: kept in crawl_links).
    for (const row of this.state.unfinished(ctx.portal.name)) await this.enqueue(ctx, row.url, row.kind === "attachment" ? "attachment" : "article", this.state.linkTo(row.url));
    const visited = new Set<string>();
    const chains: Promise<void>[] = [];
    for (const start of ctx.portal.startUrls) {
      chains.push(
        (async () => {
          let url: string | null = start;
          for (let n = 0; url && n < ctx.portal.maxPages && !visited.has(url); n++) {
            visited.add(url);
            const page = await this.listPage(ctx, url, "html");
            for (const l of page.links) await this.enqueue(ctx, l.url, "article", foundAs({ listedOn: l.listedOn, linkText: l.text }));
            url = page.next;
          }
        })(),
      );
    }
    const jl = ctx.portal.jsonList;
    if (jl) {
      chains.push(
        (async () => {
          const pages = jl.nextPageParam ? (jl.maxPages ?? ctx.portal.maxPages) : 1;
          for (let n = 0; n < pages; n++) {
            const url = jsonPageUrl(jl, jl.firstPage + n);
            if (visited.has(url)) break;
            visited.add(url);
            const page = await this.listPage(ctx, url, "json");
            for (const l of page.links) await this.enqueue(ctx, l.url, "article", foundAs({ listedOn: l.listedOn, linkText: l.text }));
            if (page.found === 0 || page.failed) break;
          }
        })(),
      );
    }
    await Promise.all(chains);
    // Every link is queued once the chains are done; attachments are queued by their
    // pages, which are in the queue until their attachments are handled.
    await ctx.work.onIdle();
  }

  /** Whether a URL would be fetched this run (not finished, not given up): the links a list page's cap counts. */
  private toDo(url: string): boolean {
    if (this.claims.has(url)) return false;
    const row = this.state.url(url);
    if (!row) return true;
    if (FINAL.has(row.status)) return false;
    return !(row.status === "failed" && row.attempts >= this.o.config.maxAttempts);
  }

  /** The links of a list page kept in crawl_links: its first `maxLinksPerPage`, and those followed this run. */
  private recordLinks(ctx: PortalCtx, url: string, found: Link[], followed: Link[]): void {
    const keep = new Map<string, Link>();
    for (const l of found.slice(0, ctx.portal.maxLinksPerPage)) keep.set(l.url, l);
    for (const l of followed) keep.set(l.url, l);
    this.state.addLinks(url, [...keep.values()]);
  }

  /** At most `maxLinksPerPage` of the links still to do; the rest counted as left for the next run. */
  private capLinks(ctx: PortalCtx, links: Link[]): Link[] {
    const cap = ctx.portal.maxLinksPerPage;
    const out: Link[] = [];
    for (const l of links) {
      this.state.meet(l.url, ctx.portal.name);
      if (this.claims.has(l.url)) continue;
      if (!this.toDo(l.url)) {
        // Known and finished (or given up): counted once, as the document queue would.
        const row = this.state.url(l.url)!;
        if (FINAL.has(row.status)) ctx.s.documents.unchanged++;
        else ctx.s.skipped.push({ url: l.url, reason: `given up after ${row.attempts} failed runs: ${row.last_error}` });
        this.claims.set(l.url, Promise.resolve());
        continue;
      }
      if (out.length < cap) out.push(l);
      else ctx.s.left.links++;
    }
    return out;
  }

  // ---- robots.txt ---------------------------------------------------------------

  private robotsFor(ctx: PortalCtx, url: URL): Promise<HostRobots> {
    const key = `${url.protocol}//${url.host.toLowerCase()}`;
    let p = this.robots.get(key);
    if (!p) {
      p = this.fetchRobots(ctx, url, key);
      this.robots.set(key, p);
    }
    return p;
  }

  private async fetchRobots(ctx: PortalCtx, url: URL, key: string): Promise<HostRobots> {
    const robotsUrl = `${key}/robots.txt`;
    const res = await this.fetcher.fetch({
      url: robotsUrl,
      allowedHosts: new Set([url.host.toLowerCase()]),
      onRequest: () => this.countRequest(ctx),
    });
    this.log(res);
    let verdict: HostRobots;
    if (res.kind === "ok") verdict = verdictOf({ status: res.status, body: res.bytes }, this.agentToken);
    else if (res.kind === "failed" && res.status !== null) verdict = verdictOf({ status: res.status, body: new Uint8Array() }, this.agentToken);
    else if (res.kind === "failed") verdict = verdictOf({ status: null, error: res.reason }, this.agentToken);
    else verdict = { kind: "allow-all", status: null, note: `robots.txt ${res.kind === "blocked" ? res.reason : "not modified"}: every path allowed` };
    const host = url.host.toLowerCase();
    if (verdict.kind === "disallow-all") {
      ctx.s.robots.push({ host, note: verdict.note });
      this.fail(ctx, { url: robotsUrl, kind: "robots", reason: verdict.note });
    } else if (verdict.kind === "allow-all") ctx.s.robots.push({ host, note: verdict.note });
    else if (verdict.crawlDelay !== undefined) {
      const ms = Math.min(verdict.crawlDelay * 1000, 60_000);
      this.scheduler.setInterval(host, ms, false);
      ctx.s.robots.push({ host, note: `Crawl-delay ${verdict.crawlDelay}s: at least ${ms} ms between requests` });
    }
    return verdict;
  }

  private gate(ctx: PortalCtx) {
    return async (u: URL): Promise<string | null> => {
      const v = await this.robotsFor(ctx, u);
      const path = u.pathname + u.search;
      if (robotsVerdict(v, path)) return null;
      return v.kind === "disallow-all" ? v.note : `robots.txt disallows ${path}`;
    };
  }

  private countRequest(ctx: PortalCtx): void {
    ctx.s.requests++;
    this.totals.requests++;
    this.progress();
  }

  private log(res: FetchOutcome, sha?: string): void {
    this.state.logFetch({
      url: res.url,
      finalUrl: res.finalUrl,
      status: res.kind === "ok" || res.kind === "not-modified" || res.kind === "failed" ? res.status : null,
      sha256: sha ?? null,
      bytes: res.kind === "ok" ? res.bytes.byteLength : null,
      headers: res.kind === "blocked" ? null : (res.headers ?? null),
      error: res.kind === "failed" || res.kind === "blocked" ? res.reason : null,
      requests: res.requests,
    });
  }

  // ---- list pages -----------------------------------------------------------------

  /** A list page's links to follow (still to do, at most `maxLinksPerPage`), `found` on it in all, and its next page. */
  private async listPage(ctx: PortalCtx, url: string, kind: "html" | "json"): Promise<{ links: Link[]; found: number; next: string | null; failed?: boolean }> {
    const none = { links: [], found: 0, next: null, failed: true };
    if (!hostAllowed(new URL(url), ctx.hosts)) {
      ctx.s.skipped.push({ url, reason: "list page off the portal's hosts" });
      return none;
    }
    const row = this.state.url(url);
    const cached = row?.sha256 && this.o.blobs.has(row.sha256) ? row : null;
    const res = await this.fetcher.fetch({
      url,
      allowedHosts: ctx.hosts,
      etag: cached?.etag,
      lastModified: cached?.last_modified,
      gate: this.gate(ctx),
      onRequest: () => this.countRequest(ctx),
    });
    let bytes: Uint8Array | null = null;
    let contentType: string | undefined;
    let base = url;
    const t = isoNow();
    if (res.kind === "ok") {
      const blob = this.o.blobs.put(res.bytes);
      this.log(res, blob.sha256);
      this.state.saveUrl({
        url, portal: ctx.portal.name, kind: "list", status: "done",
        etag: res.etag ?? null, last_modified: res.lastModified ?? null, sha256: blob.sha256, last_status: res.status,
        attempts: 0, last_error: null, fetched_at: t, final_url: res.finalUrl, content_type: res.contentType ?? null,
      });
      ctx.s.listPages.fetched++;
      bytes = res.bytes;
      contentType = res.contentType;
      base = res.finalUrl;
    } else if (res.kind === "not-modified" && cached) {
      this.log(res);
      this.state.saveUrl({ url, portal: ctx.portal.name, kind: "list", status: "done", last_status: 304, attempts: 0, last_error: null, fetched_at: t });
      ctx.s.listPages.notModified++;
      bytes = this.o.blobs.get(cached.sha256!);
      contentType = cached.content_type ?? undefined;
      base = cached.final_url ?? url;
    } else if (res.kind === "blocked") {
      this.log(res);
      this.state.saveUrl({ url, portal: ctx.portal.name, kind: "list", status: res.code === "robots" ? "blocked" : "refused", last_error: res.reason, final_url: res.finalUrl });
      ctx.s.skipped.push({ url, reason: res.reason });
      return none;
    } else {
      this.log(res);
      const reason = res.kind === "failed" ? res.reason : "304 Not Modified to an unconditional request";
      this.state.saveUrl({
        url, portal: ctx.portal.name, kind: "list", status: "failed",
        last_status: res.status, attempts: (row?.attempts ?? 0) + 1, last_error: reason, fetched_at: t,
      });
      ctx.s.listPages.failed++;
      this.fail(ctx, { url, kind: "list", reason });
      return none;
    }
    if (!bytes) return none;
    try {
      if (kind === "json") {
        const text = decode(bytes, charsetOfContentType(contentType) ?? "utf-8").text;
        const found = parseJsonList(text, ctx.portal.jsonList!, base);
        const links = this.capLinks(ctx, found);
        this.recordLinks(ctx, url, found, links);
        return { links, found: found.length, next: null };
      }
      const html = decodeHtml(bytes, contentType);
      const page = parseListPage(html, base, ctx.portal.reportLink!, ctx.portal.nextPage);
      const links = this.capLinks(ctx, page.links);
      this.recordLinks(ctx, url, page.links, links);
      return { links, found: page.links.length, next: page.next };
    } catch (e) {
      const reason = e instanceof JsonListError ? e.message : `the list page could not be read: ${(e as Error).message}`;
      ctx.s.listPages.failed++;
      this.fail(ctx, { url, kind: "list", reason });
      return none;
    }
  }

  // ---- documents ------------------------------------------------------------------

  private claim(ctx: PortalCtx, url: string, kind: "article" | "attachment", found: FoundAs = {}): Promise<void> {
    this.state.meet(url, ctx.portal.name);
    let p = this.claims.get(url);
    if (!p) {
      this.inFlight++;
      p = this.document(ctx, url, kind, found)
        .catch((e: unknown) => this.fail(ctx, { url, kind, reason: `crawler error: ${(e as Error).message ?? String(e)}` }))
        .finally(() => {
          this.inFlight--;
          this.progress();
        });
      this.claims.set(url, p);
    }
    return p;
  }

  /** `found`: how the link to it was found (the list page's date beside it; an attachment's link text). */
  private async document(ctx: PortalCtx, url: string, kind: "article" | "attachment", found: FoundAs = {}): Promise<void> {
    const { listedOn } = found;
    const { s } = ctx;
    const name = ctx.portal.name;
    const row = this.state.url(url);
    if (row && FINAL.has(row.status)) {
      s.documents.unchanged++; // filed under the first-ranked portal that met it (CrawlLedger.meet)
      return;
    }
    if (row?.status === "failed" && row.attempts >= this.o.config.maxAttempts) {
      s.skipped.push({ url, reason: `given up after ${row.attempts} failed runs: ${row.last_error}` });
      return;
    }
    if (row?.status === "fetched" && row.sha256 !== null && this.o.blobs.has(row.sha256)) {
      // Stored and ingested by a run that was stopped before its attachments were all handled.
      s.documents.resumed++;
      await this.children(ctx, url, this.state.linksFrom(url).slice(0, ctx.portal.maxLinksPerPage));
      this.state.saveUrl({ url, portal: name, kind, status: "done" });
      return;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      s.skipped.push({ url, reason: "not a URL" });
      return;
    }
    if (!hostAllowed(parsed, ctx.hosts)) {
      s.skipped.push({ url, reason: `${parsed.host} is not one of the portal's hosts (add it to allowedHosts to follow it)` });
      return;
    }
    // An article's attachments complete it and are not counted; every other fetch is.
    if (kind === "article") {
      if (ctx.fetched >= ctx.portal.maxDocuments) {
        s.left.documents++;
        return;
      }
      ctx.fetched++;
    }
    const res = await this.fetcher.fetch({ url, allowedHosts: ctx.hosts, gate: this.gate(ctx), onRequest: () => this.countRequest(ctx) });
    const t = isoNow();
    if (res.kind === "blocked") {
      this.log(res);
      this.state.saveUrl({ url, portal: name, kind, status: res.code === "robots" ? "blocked" : "refused", last_error: res.reason, final_url: res.finalUrl, fetched_at: t });
      s.skipped.push({ url, reason: res.reason });
      return;
    }
    if (res.kind !== "ok") {
      this.log(res);
      const reason = res.kind === "failed" ? res.reason : "304 Not Modified to an unconditional request";
      const status: UrlStatus = res.kind === "failed" && res.permanent ? (res.code === "http-4xx" ? "gone" : "refused") : "failed";
      this.state.saveUrl({ url, portal: name, kind, status, last_status: res.status, attempts: (row?.attempts ?? 0) + 1, last_error: reason, final_url: res.finalUrl, fetched_at: t });
      this.fail(ctx, { url, kind, reason });
      return;
    }
    // A report page whose tables are pictures on the portal: the pictures fetched and kept
    // with the page as one archive, the document stored and read (src/page-archive.ts).
    const archived = kind === "article" && looksHtml(res.contentType, res.bytes) ? await this.withPictures(ctx, res) : null;
    const blob = this.o.blobs.put(archived ?? res.bytes);
    this.log(res, blob.sha256);
    s.documents.fetched++;
    this.totals.documents++;
    let ing: IngestResult;
    try {
      const hints = ctx.hints || Object.keys(found).length ? { ...ctx.hints, ...found } : undefined;
      ing = await this.ingest({
        bytes: archived ?? res.bytes, sha256: blob.sha256, url: res.finalUrl, ...(archived ? {} : { contentType: res.contentType }), ...(hints ? { hints } : {}),
        retrievedAt: t, lastModified: res.lastModified ?? null,
      });
    } catch (e) {
      const reason = `ingest failed: ${(e as Error).message ?? String(e)}`;
      this.state.saveUrl({ url, portal: name, kind, status: "failed", sha256: blob.sha256, last_status: res.status, attempts: (row?.attempts ?? 0) + 1, last_error: reason, final_url: res.finalUrl, fetched_at: t });
      this.fail(ctx, { url, kind, reason });
      return;
    }
    // Only pages found on a list have attachments (an attachment never does: no cycles).
    const children = kind === "article" && !isAttachmentUrl(url) && looksHtml(res.contentType, res.bytes) ? this.attachmentsOf(ctx.portal.maxLinksPerPage, res.bytes, res.contentType, res.finalUrl, ing) : [];
    // `present` with a code: these bytes failed before (this parser read them already): a failure still, not a report.
    const failedBefore = ing.status === "present" && ing.code !== undefined;
    const ingestError = ing.status === "failed" || failedBefore ? `${ing.code}: ${ing.message}` : null;
    if (ing.status === "ingested" && ing.copy) {
      s.reports.copies++;
      s.newCopies.push({ url, reportId: ing.reportId, organ: ing.record?.organ ?? null, year: ing.record?.year ?? null });
    } else if (ing.status === "ingested") {
      s.reports.new++;
      this.totals.newReports++;
      s.newReports.push({ url, reportId: ing.reportId, organ: ing.record?.organ ?? null, year: ing.record?.year ?? null });
    } else if (ing.status === "present" && !failedBefore) s.reports.present++;
    else if (ing.code === ATTACHMENTS_ONLY || (kind === "article" && children.length > 0)) s.reports.containers++;
    else this.fail(ctx, { url, kind, reason: `not read as a report: ${ingestError}` });
    const full: Partial<UrlRow> & Pick<UrlRow, "url" | "portal" | "kind" | "status"> = {
      url, portal: name, kind, status: "done",
      etag: res.etag ?? null, last_modified: res.lastModified ?? null, sha256: blob.sha256, last_status: res.status,
      attempts: 0, last_error: ingestError, fetched_at: t, final_url: res.finalUrl, content_type: res.contentType ?? null,
      ingest_status: failedBefore ? "failed" : ing.status, ingest_code: ing.code ?? null, report_id: ing.reportId ?? null,
    };
    if (children.length === 0) {
      this.state.saveUrl(full);
      return;
    }
    // Each attachment is found with its page's list date and its own link text, kept with the
    // link for a later run; the only attachment of a page also with the page's title (as a
    // page of attachments reads, else as its list link says). A page of several may gather
    // several bodies' reports under one title (某县2024年各部门政府信息公开工作年度报告).
    const pageTitle = children.length === 1 ? (ing.title ?? found.linkText ?? null) : null;
    const linked = children.map((c) => ({ ...c, listedOn: listedOn ?? null, pageTitle }));
    this.state.saveUrlWithLinks({ ...full, status: "fetched" }, linked);
    await this.children(ctx, url, linked);
    this.state.saveUrl({ url, portal: name, kind, status: "done" });
  }

  /** The page and the pictures it shows as its tables, as one MHTML archive; null where it shows none (or none could be fetched). */
  private async withPictures(ctx: PortalCtx, res: Extract<FetchOutcome, { kind: "ok" }>): Promise<Uint8Array | null> {
    const { archivePage, picturesOfPage } = await import("../page-archive.js");
    const pictures = await picturesOfPage({ bytes: res.bytes, url: res.finalUrl, contentType: res.contentType, name: res.finalUrl }, DEFAULT_LIMITS, async (url) => {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        return null;
      }
      if (!/^https?:$/.test(u.protocol) || !hostAllowed(u, ctx.hosts)) return null;
      const got = await this.fetcher.fetch({ url, allowedHosts: ctx.hosts, gate: this.gate(ctx), onRequest: () => this.countRequest(ctx) });
      this.log(got);
      return got.kind === "ok" ? got.bytes : null;
    });
    if (!pictures.length) return null;
    ctx.s.documents.pictures += pictures.length;
    return archivePage({ bytes: res.bytes, url: res.finalUrl, contentType: res.contentType }, pictures);
  }

  /** The store's ingest, one at a time per sha256 (two URLs serving one PDF in one crawl store it once). */
  private ingest(input: IngestInput & { sha256: string }): Promise<IngestResult> {
    const key = input.sha256;
    const before = this.ingesting.get(key) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(() => this.o.ingestor.ingestOne(input));
    this.ingesting.set(key, mine);
    void mine.catch(() => undefined).finally(() => {
      if (this.ingesting.get(key) === mine) this.ingesting.delete(key);
    });
    return mine;
  }

  private attachmentsOf(cap: number, bytes: Uint8Array, contentType: string | undefined, pageUrl: string, ing: IngestResult): Link[] {
    const out = new Map<string, Link>();
    for (const a of ing.attachments ?? []) {
      const url = absolute(a.url, pageUrl);
      if (url && isAttachmentUrl(url)) out.set(url, { url, text: a.text });
    }
    try {
      for (const a of attachmentLinks(decodeHtml(bytes, contentType), pageUrl)) if (!out.has(a.url)) out.set(a.url, a);
    } catch {
      /* the ingest's list stands */
    }
    out.delete(pageUrl);
    // A page with more attachment links than a list page may have is not a report page: the first ones only.
    return [...out.values()].slice(0, cap);
  }

  /** A page's attachments, each found as its link was (kept in crawl_links, so a resumed run gives the same). */
  private async children(ctx: PortalCtx, parent: string, links: LinkOut[]): Promise<void> {
    await Promise.all(links.map((l) => (l.url === parent ? Promise.resolve() : this.claim(ctx, l.url, "attachment", foundAs({ listedOn: l.listedOn, linkText: l.text, pageTitle: l.pageTitle })))));
  }
}

export type { UrlRow };
