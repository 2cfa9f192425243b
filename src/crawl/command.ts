// `xxgk crawl --config portals.json [--db FILE] [--json]`: the command and the function
// behind it. runCrawl takes the lock, opens the store (the crawl state is kept by it, on
// its one connection), runs every portal and returns the summary; the command prints it and sets
// the exit code (0: nothing failed, 1: something failed, 2: the crawl could not run).
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { ConfigError, loadConfig, parseConfig, type CrawlConfig, type CrawlConfigInput } from "./config.js";
import { Crawler, type CrawlSummary, type Ingestor, type PortalSummary, type Progress } from "./crawler.js";
import { acquireLock, CrawlLockedError } from "./lock.js";
import { DEFAULT_LIMITS } from "../../model/limits.js";
import { openStore, StoreOpenError } from "../store.js";
import { IngestService } from "../ingest-service.js";
import { printable } from "../printable.js";
import { jobsOption } from "../jobs.js";
import type { ParseFn } from "../ingest-service.js";

export type { CrawlSummary, PortalSummary, Ingestor, Progress };
export { CrawlLockedError, ConfigError };

export const DEFAULT_DB = "data/xxgk.sqlite";

export interface RunCrawlOptions {
  /** A path to the portal list (JSON), or the list itself. */
  config: string | CrawlConfig | CrawlConfigInput;
  /** SQLite database (created if missing); blobs go to `blobs/` beside it. */
  db?: string;
  /** Where documents are ingested; the store on `db` unless given (tests pass a fake; the crawl state is still the store's). */
  ingestor?: Ingestor;
  onProgress?: (p: Progress) => void;
  /** How documents are parsed (default in this thread; the CLI passes its worker pool's parse). */
  parse?: ParseFn;
}

/** Runs one crawl. Throws ConfigError for a bad portal list, CrawlLockedError when another crawl holds the database. */
export async function runCrawl(options: RunCrawlOptions): Promise<CrawlSummary> {
  const config: CrawlConfig = typeof options.config === "string" ? loadConfig(options.config) : parseConfig(options.config);
  const dbPath = options.db ?? DEFAULT_DB;
  mkdirSync(dirname(resolve(dbPath)), { recursive: true });
  const lock = acquireLock(dbPath);
  let store: ReturnType<typeof openStore> | null = null;
  try {
    store = openStore(dbPath);
    const ingestor: Ingestor = options.ingestor ?? new IngestService(store, options.parse ? { parse: options.parse } : {});
    const crawler = new Crawler({
      config,
      ledger: store.crawl,
      dbPath,
      blobs: store.blobs,
      ingestor,
      maxBytes: config.maxFileBytes ?? DEFAULT_LIMITS.maxFileBytes,
      onProgress: options.onProgress,
    });
    return await crawler.run();
  } finally {
    store?.close();
    lock.release();
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The per-portal summary as printed at the end of a run. */
export function describeCrawl(s: CrawlSummary): string {
  const lines: string[] = [];
  for (const p of s.portals) {
    const parts = [
      plural(p.reports.new, "new report"),
      ...(p.reports.copies ? [`${plural(p.reports.copies, "new copy", "new copies")} of reports stored`] : []),
      `${p.reports.present} already stored`,
      `${p.documents.unchanged} unchanged`,
      `lists ${p.listPages.fetched} fetched, ${p.listPages.notModified} not modified`,
      plural(p.failed.length, "failure"),
      `${p.skipped.length} skipped`,
      plural(p.requests, "request"),
    ];
    if (p.reports.containers) parts.splice(2, 0, `${p.reports.containers} pages with the report in attachments`);
    if (p.documents.resumed) parts.splice(3, 0, `${p.documents.resumed} resumed`);
    if (p.documents.pictures) parts.push(`${plural(p.documents.pictures, "picture")} fetched with report pages whose tables are pictures`);
    lines.push(`${printable(p.portal)}: ${parts.join(", ")}`);
    if (p.left.documents || p.left.links) {
      const what = [
        p.left.documents ? `${plural(p.left.documents, "document")} past the cap of documents per run (maxDocuments)` : "",
        p.left.links ? `${plural(p.left.links, "link")} past the cap of links per list page (maxLinksPerPage)` : "",
      ].filter(Boolean);
      lines.push(`  left    for the next run: ${what.join("; ")}`);
    }
    const t = printable;
    const who = (r: { organ?: string | null; year?: number | null }) => (r.organ || r.year ? `  (${t(r.organ ?? "?")} ${r.year ?? "?"})` : "");
    for (const r of p.newReports) lines.push(`  new     ${t(r.url)}${who(r)}`);
    for (const r of p.newCopies) lines.push(`  copy    ${t(r.url)}${who(r)}`);
    for (const f of p.failed) lines.push(`  failed  ${t(f.url)}  ${t(f.reason)}`);
    for (const k of p.skipped) lines.push(`  skipped ${t(k.url)}  ${t(k.reason)}`);
    for (const r of p.robots) lines.push(`  robots  ${t(r.host)}  ${t(r.note)}`);
  }
  const news = s.portals.reduce((n, p) => n + p.reports.new, 0);
  const failed = s.portals.reduce((n, p) => n + p.failed.length, 0);
  lines.push(
    `crawl finished in ${(s.durationMs / 1000).toFixed(1)} s: ${plural(s.portals.length, "portal")}, ${plural(news, "new report")}, ` +
      `${plural(failed, "failure")}, ${plural(s.requests, "request")}; database ${printable(s.db)}`,
  );
  return lines.join("\n");
}

function progressLine(): ((p: Progress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return (p) => {
    const t = Date.now();
    if (t - last < 100) return;
    last = t;
    const line = `crawl: ${p.requests} requests, ${p.documents} documents, ${p.newReports} new reports, ${p.failed} failed, ${p.pending} in progress`;
    process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 100) - 1)}\x1b[K`);
  };
}

export function registerCrawlCommand(program: Command): Command {
  return program
    .command("crawl")
    .description("fetch new reports from the portals in a portal list (politely, resumably) and ingest them")
    .requiredOption("--config <file>", "portal list (JSON); see docs/crawl.md")
    .option("--db <file>", "SQLite database", DEFAULT_DB)
    .option("--json", "print the run's summary as JSON (for monitoring)")
    .addOption(jobsOption())
    .action(async (opts: { config: string; db: string; json?: boolean; jobs?: number }) => {
      // The state is consistent at every moment: an interrupt just stops (the lock is
      // released by the exit handler) and the next run resumes.
      const stop = (code: number) => () => process.exit(code);
      process.once("SIGINT", stop(130));
      process.once("SIGTERM", stop(143));
      process.once("SIGHUP", stop(129));
      const onProgress = progressLine();
      let summary: CrawlSummary;
      const pool = new (await import("../parse-pool.js")).ParsePool({ jobs: opts.jobs });
      try {
        summary = await runCrawl({ config: opts.config, db: opts.db, onProgress, parse: (input) => pool.parse(input) });
      } catch (e) {
        if (onProgress) process.stderr.write("\r\x1b[K");
        // One line, whatever went wrong (a bad portal list, a locked or unreadable database,
        // a disk that filled up): the state is consistent, the next run resumes. The stack
        // only when asked for (XXGK_DEBUG=1).
        const known = e instanceof ConfigError || e instanceof CrawlLockedError;
        if (!known && process.env.XXGK_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
        if (e instanceof StoreOpenError) process.stderr.write(`xxgk crawl: ${printable(opts.db)}: ${printable(e.message)}\n`);
        else {
          const code = (e as { code?: unknown }).code;
          const db = !known && typeof code === "string" && code.startsWith("SQLITE_") ? `${opts.db}: ` : "";
          process.stderr.write(`xxgk crawl: ${printable(db + ((e as Error)?.message ?? String(e)))}\n`);
        }
        process.exitCode = 2;
        return;
      } finally {
        await pool.close();
      }
      if (onProgress) process.stderr.write("\r\x1b[K");
      process.stdout.write(opts.json ? JSON.stringify(summary, null, 2) + "\n" : describeCrawl(summary) + "\n");
      process.exitCode = summary.ok ? 0 : 1;
    });
}
