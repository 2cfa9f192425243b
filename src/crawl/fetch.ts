// One document over HTTP with Node's own fetch, the way an unattended crawler must:
// a timeout per request (headers and body), retries with exponential backoff and
// jitter on 5xx, 429, network errors and timeouts (never on another 4xx), a server's
// Retry-After honoured (seconds or an HTTP date, capped: a longer wait is left to the
// next run rather than spent idle or ignored), redirects followed by
// hand and only within the portal's hosts, a cap on the body size, conditional
// requests, and every request through the host scheduler.
import type { HostScheduler } from "./queue.js";

export type FailCode =
  | "http-4xx"
  | "http-429"
  | "http-5xx"
  | "timeout"
  | "network"
  | "too-large"
  | "too-many-redirects"
  | "bad-redirect"
  | "bad-url";

export type FetchOutcome =
  | {
      kind: "ok";
      status: number;
      url: string;
      finalUrl: string;
      bytes: Uint8Array;
      headers: Record<string, string>;
      contentType?: string;
      etag?: string;
      lastModified?: string;
      /** Requests made (retries and redirect hops included). */
      requests: number;
      redirects: string[];
    }
  | { kind: "not-modified"; status: 304; url: string; finalUrl: string; headers: Record<string, string>; requests: number; redirects: string[] }
  | {
      kind: "failed";
      status: number | null;
      url: string;
      finalUrl: string;
      headers?: Record<string, string>;
      code: FailCode;
      reason: string;
      /** A 404 or 410, a body over the cap, a bad redirect: trying again later will not help. */
      permanent: boolean;
      requests: number;
      redirects: string[];
    }
  | {
      kind: "blocked";
      url: string;
      finalUrl: string;
      code: "robots" | "off-host";
      reason: string;
      requests: number;
      redirects: string[];
    };

export interface FetcherOptions {
  userAgent: string;
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  maxRedirects: number;
  maxBytes: number;
  scheduler: HostScheduler;
  /** Longest wait a Retry-After header may impose (ms); a server asking for more is tried again next run. */
  maxRetryAfterMs?: number;
}

export interface FetchRequest {
  url: string;
  /** host[:port] (or a bare host name, any port) that the URL and every redirect must stay on. */
  allowedHosts: Set<string>;
  etag?: string | null;
  lastModified?: string | null;
  /** Asked before each hop (robots.txt): null to go on, or the reason the URL may not be fetched. */
  gate?: (url: URL) => Promise<string | null>;
  /** Told of every request made, with its HTTP status (null: no answer). */
  onRequest?: (url: string, status: number | null) => void;
}

export function hostAllowed(url: URL, hosts: Set<string>): boolean {
  const host = url.host.toLowerCase();
  return hosts.has(host) || hosts.has(url.hostname.toLowerCase());
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type Attempt =
  | { type: "response"; status: number; headers: Record<string, string>; bytes?: Uint8Array; location?: string }
  | { type: "error"; code: "timeout" | "network" | "too-large"; reason: string; status?: number; headers?: Record<string, string> };

function headersOf(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((v, k) => (out[k] = v));
  return out;
}

async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    /* already closed */
  }
}

function errorCode(e: unknown): { code: "timeout" | "network"; reason: string } {
  const err = e as { name?: string; message?: string; cause?: { name?: string; code?: string; message?: string } };
  if (err?.name === "TimeoutError" || err?.cause?.name === "TimeoutError") return { code: "timeout", reason: "timed out" };
  const cause = err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
  return { code: "network", reason: `network error: ${cause}` };
}

/** A Retry-After header in ms from now (delta seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return null;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

export class Fetcher {
  constructor(readonly opts: FetcherOptions) {}

  /** One request (no redirect following), body read under the timeout and the size cap. */
  private async once(url: URL, headers: Record<string, string>): Promise<Attempt> {
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, { redirect: "manual", headers, signal });
    } catch (e) {
      return { type: "error", ...errorCode(e) };
    }
    const h = headersOf(res.headers);
    if (REDIRECTS.has(res.status) || res.status === 304 || res.status >= 400 || res.status < 200 || res.status >= 300) {
      await discard(res);
      return { type: "response", status: res.status, headers: h, location: res.headers.get("location") ?? undefined };
    }
    const max = this.opts.maxBytes;
    const declared = Number(res.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > max) {
      await discard(res);
      return { type: "error", code: "too-large", reason: `the body is ${declared} bytes, over the ${max}-byte cap`, status: res.status, headers: h };
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      if (res.body) {
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          total += value.byteLength;
          if (total > max) {
            await reader.cancel().catch(() => undefined);
            return { type: "error", code: "too-large", reason: `the body passed the ${max}-byte cap`, status: res.status, headers: h };
          }
          chunks.push(value);
        }
      }
    } catch (e) {
      const c = errorCode(e);
      return { type: "error", code: c.code, reason: `${c.reason} while reading the body`, status: res.status, headers: h };
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.byteLength;
    }
    return { type: "response", status: res.status, headers: h, bytes };
  }

  private backoff(retry: number): number {
    const base = this.opts.retryBaseMs * 2 ** (retry - 1);
    return base * (1 + Math.random() * 0.5);
  }

  async fetch(req: FetchRequest): Promise<FetchOutcome> {
    const redirects: string[] = [];
    let requests = 0;
    let current: URL;
    try {
      current = new URL(req.url);
    } catch {
      return { kind: "failed", status: null, url: req.url, finalUrl: req.url, code: "bad-url", reason: "not a URL", permanent: true, requests, redirects };
    }
    const base = { url: req.url };
    const seen = new Set<string>();
    for (let hop = 0; ; hop++) {
      const finalUrl = current.href;
      if (!hostAllowed(current, req.allowedHosts)) {
        const reason = hop === 0 ? `${current.host} is not one of the portal's hosts` : `redirect to ${finalUrl} leaves the portal's hosts; not followed`;
        return { kind: "blocked", ...base, finalUrl, code: "off-host", reason, requests, redirects };
      }
      if (req.gate) {
        const why = await req.gate(current);
        if (why) return { kind: "blocked", ...base, finalUrl, code: "robots", reason: why, requests, redirects };
      }
      seen.add(finalUrl);
      const headers: Record<string, string> = {
        "user-agent": this.opts.userAgent,
        accept: "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8",
        "accept-language": "zh-CN,zh;q=0.9",
      };
      if (req.etag) headers["if-none-match"] = req.etag;
      if (req.lastModified) headers["if-modified-since"] = req.lastModified;

      let attempt: Attempt;
      /** A Retry-After over the cap: not waited for in this run. */
      let tooLong: number | null = null;
      for (let retry = 0; ; retry++) {
        attempt = await this.opts.scheduler.run(current.host.toLowerCase(), () => this.once(current, headers));
        requests++;
        req.onRequest?.(finalUrl, attempt.type === "response" ? attempt.status : (attempt.status ?? null));
        const transient =
          (attempt.type === "error" && attempt.code !== "too-large") || (attempt.type === "response" && (attempt.status >= 500 || attempt.status === 429));
        if (!transient) break;
        const asked = attempt.type === "response" ? retryAfterMs(attempt.headers["retry-after"]) : null;
        const cap = this.opts.maxRetryAfterMs ?? 60_000;
        if (asked !== null && asked > cap) {
          tooLong = asked;
          break;
        }
        // The whole host was asked to wait, not only this URL.
        if (asked !== null) this.opts.scheduler.holdOff(current.host.toLowerCase(), asked);
        if (retry >= this.opts.retries) break;
        await sleep(Math.max(asked ?? 0, this.backoff(retry + 1)));
      }
      const tries = `after ${requests - hop} attempt${requests - hop === 1 ? "" : "s"}`;
      if (attempt.type === "error") {
        const permanent = attempt.code === "too-large";
        const reason = permanent ? attempt.reason : `${attempt.reason} (${tries})`;
        return { kind: "failed", status: attempt.status ?? null, ...base, finalUrl, headers: attempt.headers, code: attempt.code, reason, permanent, requests, redirects };
      }
      const { status, headers: got } = attempt;
      if (REDIRECTS.has(status)) {
        if (!attempt.location)
          return { kind: "failed", status, ...base, finalUrl, headers: got, code: "bad-redirect", reason: `${status} without a Location header`, permanent: true, requests, redirects };
        let next: URL;
        try {
          next = new URL(attempt.location, current);
        } catch {
          return { kind: "failed", status, ...base, finalUrl, headers: got, code: "bad-redirect", reason: `${status} to an unreadable Location: ${attempt.location}`, permanent: true, requests, redirects };
        }
        next.hash = "";
        if (next.protocol !== "http:" && next.protocol !== "https:")
          return { kind: "failed", status, ...base, finalUrl, headers: got, code: "bad-redirect", reason: `${status} to a non-HTTP URL ${next.href}`, permanent: true, requests, redirects };
        if (seen.has(next.href) || hop >= this.opts.maxRedirects)
          return { kind: "failed", status, ...base, finalUrl, headers: got, code: "too-many-redirects", reason: seen.has(next.href) ? `redirect loop at ${next.href}` : `more than ${this.opts.maxRedirects} redirects`, permanent: true, requests, redirects };
        redirects.push(next.href);
        current = next;
        continue;
      }
      if (status === 304) return { kind: "not-modified", status: 304, ...base, finalUrl, headers: got, requests, redirects };
      const later = tooLong !== null ? `; Retry-After ${Math.ceil(tooLong / 1000)} s is over the ${Math.round((this.opts.maxRetryAfterMs ?? 60_000) / 1000)} s cap: tried again next run` : "";
      if (status === 429)
        return { kind: "failed", status, ...base, finalUrl, headers: got, code: "http-429", reason: `HTTP 429 Too Many Requests (${tries}${later})`, permanent: false, requests, redirects };
      if (status >= 400 && status < 500) {
        // Only 404 and 410 say the document is gone; 401, 403 and the rest may pass (a firewall, a login wall).
        const gone = status === 404 || status === 410;
        return { kind: "failed", status, ...base, finalUrl, headers: got, code: "http-4xx", reason: `HTTP ${status}`, permanent: gone, requests, redirects };
      }
      if (status >= 500)
        return { kind: "failed", status, ...base, finalUrl, headers: got, code: "http-5xx", reason: `HTTP ${status} (${tries}${later})`, permanent: false, requests, redirects };
      if (status < 200 || status >= 300 || !attempt.bytes)
        return { kind: "failed", status, ...base, finalUrl, headers: got, code: "http-4xx", reason: `unexpected HTTP ${status}`, permanent: true, requests, redirects };
      return {
        kind: "ok",
        status,
        ...base,
        finalUrl,
        bytes: attempt.bytes,
        headers: got,
        contentType: got["content-type"],
        etag: got["etag"],
        lastModified: got["last-modified"],
        requests,
        redirects,
      };
    }
  }
}
