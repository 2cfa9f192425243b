// The portal list for `xxgk crawl`: a JSON file validated with zod. Unknown keys are
// errors (a typo in a cron job's config should fail loudly, not crawl the wrong thing).
import { readFileSync } from "node:fs";
import { z } from "zod";
import { isKnownRegionCode } from "../../normalizers/region.js";

const httpUrl = z
  .string()
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === "http:" || u.protocol === "https:";
    } catch {
      return false;
    }
  }, "must be an absolute http(s) URL");

const regex = z.string().refine((s) => {
  try {
    new RegExp(s, "u");
    return true;
  } catch {
    return false;
  }
}, "is not a valid regular expression");

/** A cheerio selector, a regular expression on the link text, or both (both must match). */
export const LinkRule = z
  .strictObject({ selector: z.string().min(1).optional(), text: regex.optional() })
  .refine((r) => r.selector !== undefined || r.text !== undefined, "give a selector, a text pattern, or both");
export type LinkRule = z.infer<typeof LinkRule>;

/** A JSON list endpoint: items at `itemsPath` (dotted), each with a URL and a title. */
export const JsonList = z.strictObject({
  url: httpUrl,
  itemsPath: z.string().default(""),
  urlField: z.string().default("url"),
  titleField: z.string().default("title"),
  /** The item's date field (the date the portal lists the report under), passed down as the list-page date. */
  dateField: z.string().optional(),
  /** Only items whose title matches this pattern are followed. */
  titleMatch: regex.optional(),
  /** Query parameter carrying the page number; without it only `url` is read. */
  nextPageParam: z.string().optional(),
  /** First page number (1 unless the endpoint counts from 0). */
  firstPage: z.number().int().min(0).max(1_000_000).default(1),
  maxPages: z.number().int().min(1).max(10_000).optional(),
});
export type JsonList = z.infer<typeof JsonList>;

/** The longest wait any setting may ask for: ten minutes (Node's timers stop at 2^31 - 1 ms). */
const MAX_WAIT_MS = 600_000;

const hostName = z.string().regex(/^[a-z0-9.-]+(:\d+)?$/i, "must be a host name, e.g. file.example.gov.cn");

export const Portal = z
  .strictObject({
    name: z.string().regex(/^[\w.\-\u4e00-\u9fff]+$/u, "letters, digits, _ . - only"),
    startUrls: z.array(httpUrl).default([]),
    reportLink: LinkRule.optional(),
    nextPage: LinkRule.optional(),
    jsonList: JsonList.optional(),
    /** Hosts besides the start URLs' (and the JSON list's) that links and redirects may go to. */
    allowedHosts: z.array(hostName).default([]),
    perHostIntervalMs: z.number().int().min(0).max(MAX_WAIT_MS).optional(),
    /** Most list pages read per run (each start URL's chain, and the JSON list, separately). */
    maxPages: z.number().int().min(1).max(10_000).default(20),
    /** Most links followed from one list page (a real list shows 15 to 100); the rest are counted, not followed. */
    maxLinksPerPage: z.number().int().min(1).max(100_000).default(1000),
    /** Most documents (articles, attachments) fetched per run; the rest are left for the next run, which picks them up. */
    maxDocuments: z.number().int().min(1).max(1_000_000).default(2000),
    /** GB/T 2260 code passed to ingest as a hint. */
    region: z.string().regex(/^\d{6}$/, "a six-digit GB/T 2260 code").refine(isKnownRegionCode, "not a GB/T 2260 division code").optional(),
    organ: z.string().min(1).optional(),
  })
  .refine((p) => p.startUrls.length > 0 || p.jsonList !== undefined, "give startUrls, a jsonList, or both")
  .refine((p) => p.startUrls.length === 0 || p.reportLink !== undefined, "startUrls need a reportLink rule");
export type Portal = z.infer<typeof Portal>;

export const CrawlConfig = z
  .strictObject({
    /** Sent as User-Agent; must name xxgk and a contact. Built from `contact` when absent. */
    userAgent: z.string().min(1).optional(),
    contact: z.string().min(3).optional(),
    /** Requests in flight over all hosts. */
    concurrency: z.number().int().min(1).max(256).default(4),
    /** Requests in flight per host. */
    perHostConcurrency: z.number().int().min(1).max(16).default(1),
    /** Default gap between request starts on one host (a portal may set its own). */
    perHostIntervalMs: z.number().int().min(0).max(MAX_WAIT_MS).default(1000),
    /** Per request, headers and body. */
    timeoutMs: z.number().int().min(1).max(MAX_WAIT_MS).default(30_000),
    /** Retries after the first attempt, on 5xx, network errors and timeouts. */
    retries: z.number().int().min(0).max(10).default(3),
    /** First backoff; doubles per retry, with up to 50% jitter. */
    retryBaseMs: z.number().int().min(0).max(MAX_WAIT_MS).default(1000),
    /** Longest Retry-After (429, 503) waited for within a run; a server asking for more is tried again next run. */
    maxRetryAfterMs: z.number().int().min(0).max(MAX_WAIT_MS).default(120_000),
    maxRedirects: z.number().int().min(0).max(20).default(5),
    /** Body size cap (defaults to limits.maxFileBytes). */
    maxFileBytes: z.number().int().min(1).max(2 ** 31 - 1).optional(),
    /** Runs after which a URL whose fetch keeps failing (5xx, 429, timeout) is given up. */
    maxAttempts: z.number().int().min(1).max(1000).default(5),
    portals: z.array(Portal).min(1),
  })
  .refine((c) => c.userAgent !== undefined || c.contact !== undefined, "give a userAgent naming a contact, or a contact")
  .refine((c) => new Set(c.portals.map((p) => p.name)).size === c.portals.length, "portal names must be unique");
export type CrawlConfig = z.infer<typeof CrawlConfig>;
export type CrawlConfigInput = z.input<typeof CrawlConfig>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Validates a parsed config; throws ConfigError naming every problem with its path, on one line. */
export function parseConfig(value: unknown, source = "config"): CrawlConfig {
  const r = CrawlConfig.safeParse(value);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(top)"}: ${i.message.replace(/\s+/g, " ")}`);
    throw new ConfigError(`${source} is not a valid portal list: ${problems.join("; ")}`);
  }
  return r.data;
}

export function loadConfig(path: string): CrawlConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    // A BOM is how some editors (Notepad) save UTF-8: not part of the JSON.
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new ConfigError(`${path} is not JSON: ${(e as Error).message}`);
  }
  return parseConfig(value, path);
}

/** The User-Agent sent: always names xxgk; the config's contact is kept. */
export function userAgentOf(c: Pick<CrawlConfig, "userAgent" | "contact">, version = "0.1"): string {
  if (c.userAgent) return /\bxxgk\b/i.test(c.userAgent) ? c.userAgent : `xxgk/${version} ${c.userAgent}`;
  return `xxgk/${version} (+${c.contact})`;
}

/** The hosts (host[:port]) a portal's requests may go to. */
export function portalHosts(p: Portal): Set<string> {
  const hosts = new Set<string>();
  for (const u of p.startUrls) hosts.add(new URL(u).host.toLowerCase());
  if (p.jsonList) hosts.add(new URL(p.jsonList.url).host.toLowerCase());
  for (const h of p.allowedHosts) hosts.add(h.toLowerCase());
  return hosts;
}
