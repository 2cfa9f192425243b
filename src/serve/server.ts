// `xxgk serve`: the review page on hono + @hono/node-server. Safety first: binds
// 127.0.0.1 by default and refuses any other address without a token; checks the Host
// header (no DNS rebinding); every state-changing request carries the page's CSRF token
// and a same-origin Origin; a strict Content-Security-Policy (scripts from this server
// only, none inline); the store opened read-only, a second connection writing only
// corrections, review marks and document metadata (through the ingest service). Everything (pdf.js included) is served from this machine.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { Hono, type Context } from "hono";
import { serve, type ServerType } from "@hono/node-server";
import { addCorrection, correctDocument, markReviewed, parseCorrectionValue, reportKeyString, undoCorrection, undoDocumentCorrection } from "../corrections.js";
import { queue, ReviewData, type QueueFilter } from "./data.js";
import { checksHtml, cellData, copiesHtml, documentHtml, messagePage, queuePage, reportPage, tablesHtml, textHtml, type ReportPageInput } from "./pages.js";
import { looksLikePdf } from "../../extractors/signatures.js";
import { DEFAULT_LIMITS } from "../../model/limits.js";

/** Whether a record's values were read by OCR from pictures: its places name pages (a PDF's, or the pictures' own). */
function readFromPictures(record: { source: { format: string }; provenance?: Record<string, { place?: { page?: number } } | undefined> | null }): boolean {
  if (record.source.format === "text") return false;
  for (const p of Object.values(record.provenance ?? {})) if (p?.place?.page !== undefined) return true;
  return false;
}

export interface ServeOptions {
  db: string;
  port: number;
  host: string;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string | null;
  generatedToken: boolean;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);
export const isLoopback = (host: string) => LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** This module's static folder, from src/ (tsx) or dist/src/ (built). */
function staticDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const d of [join(here, "static"), resolve(here, "../../../src/serve/static")]) if (existsSync(join(d, "app.js"))) return d;
  throw new Error("the review page's static files (src/serve/static) are missing");
}

function pdfjsDir(): string {
  return dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
}

/** The files the page may load, by URL path: nothing else on disk is reachable. */
function assets(): Map<string, { file: string; type: string }> {
  const s = staticDir();
  const p = pdfjsDir();
  const js = "text/javascript; charset=utf-8";
  return new Map([
    ["/static/app.js", { file: join(s, "app.js"), type: js }],
    ["/static/app.css", { file: join(s, "app.css"), type: "text/css; charset=utf-8" }],
    ["/static/pdfjs/pdf.mjs", { file: join(p, "build/pdf.min.mjs"), type: js }],
    ["/static/pdfjs/pdf.worker.mjs", { file: join(p, "build/pdf.worker.min.mjs"), type: js }],
  ]);
}

const safeEqual = (a: string, b: string) => {
  const x = createHash("sha256").update(a).digest();
  const y = createHash("sha256").update(b).digest();
  return timingSafeEqual(x, y);
};

function cookie(c: Context, name: string): string | null {
  const m = (c.req.header("cookie") ?? "").match(new RegExp(`(?:^|;\\s*)${name}=([^;]*)`));
  return m ? decodeURIComponent(m[1]) : null;
}

/** The review app; `port()` gives the bound port (for the Host and Origin checks). */
export function reviewApp(data: ReviewData, opts: { host: string; token: string | null; port: () => number }) {
  const app = new Hono();
  const csrf = randomBytes(24).toString("base64url");
  const files = assets();

  const allowedHosts = () => {
    const p = opts.port();
    const names = new Set(["127.0.0.1", "localhost", "[::1]", opts.host.includes(":") ? `[${opts.host}]` : opts.host]);
    return new Set([...names].map((n) => `${n}:${p}`));
  };

  app.use("*", async (c, next) => {
    // Host: only the names this server answers to (a rebinding page's Host is its own name).
    const host = c.req.header("host") ?? "";
    if (!allowedHosts().has(host)) return c.text("xxgk serve: unknown Host\n", 421);
    if (opts.token) {
      const given = c.req.query("token") ?? cookie(c, "xxgk_token") ?? (c.req.header("authorization") ?? "").replace(/^Bearer\s+/i, "");
      if (!given || !safeEqual(given, opts.token)) return c.text("xxgk serve: a token is required (open the URL printed at start, with ?token=)\n", 401);
      if (c.req.query("token") !== undefined) {
        // Trade the token in the URL for a cookie, and drop it from the address bar and history.
        const url = new URL(c.req.url);
        url.searchParams.delete("token");
        c.header("Set-Cookie", `xxgk_token=${encodeURIComponent(opts.token)}; HttpOnly; SameSite=Strict; Path=/`);
        return c.redirect(url.pathname + url.search, 303);
      }
    }
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      const origin = c.req.header("origin");
      if (!origin || origin !== `http://${host}`) return c.json({ error: "cross-origin request refused" }, 403);
      const t = c.req.header("x-csrf-token") ?? "";
      if (!safeEqual(t, csrf)) return c.json({ error: "missing or wrong CSRF token" }, 403);
      if (!(c.req.header("content-type") ?? "").startsWith("application/json")) return c.json({ error: "JSON only" }, 415);
    }
    await next();
    if (!c.res.headers.has("Content-Security-Policy")) c.header("Content-Security-Policy", CSP);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    c.header("X-Frame-Options", "DENY");
    c.header("Cross-Origin-Opener-Policy", "same-origin");
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
  });

  // pdf.js's character maps and standard fonts, by plain file name only.
  app.get("/static/pdfjs/:dir{cmaps|standard_fonts}/:name", (c) => {
    const name = c.req.param("name");
    if (!/^[\w.-]+\.(bcmap|pfb|ttf)$/.test(name)) return c.text("not found\n", 404);
    const file = join(pdfjsDir(), c.req.param("dir"), name);
    if (!existsSync(file)) return c.text("not found\n", 404);
    return c.body(readFileSync(file), 200, { "Content-Type": "application/octet-stream", "Cache-Control": "max-age=3600" });
  });

  app.get("/static/*", (c) => {
    const a = files.get(c.req.path);
    if (!a) return c.text("not found\n", 404);
    return c.body(readFileSync(a.file), 200, { "Content-Type": a.type, "Cache-Control": "max-age=300" });
  });

  const filterOf = (c: Context): QueueFilter => {
    const q = (k: string) => c.req.query(k)?.trim() || undefined;
    const year = q("year") && /^\d{4}$/.test(q("year")!) ? Number(q("year")) : undefined;
    const status = q("status");
    return {
      year,
      region: q("region") && /^\d{1,6}$/.test(q("region")!) ? q("region") : undefined,
      body: q("body"),
      rule: q("rule"),
      status: status === "reviewed" || status === "all" ? status : "todo",
    };
  };

  app.get("/", (c) => {
    const f = filterOf(c);
    return c.html(queuePage(queue(data, f), f, csrf));
  });

  /** The next report to review after `id` (most severe first), or null. */
  const nextAfter = (id: number): number | null => {
    // The queue's own "to review" list (most severe first), so the next is one the queue shows.
    return queue(data, {}).rows.find((q) => q.id !== id)?.id ?? null;
  };

  const idOf = (c: Context): number | null => {
    const id = Number(c.req.param("id"));
    return Number.isInteger(id) && id > 0 ? id : null;
  };

  app.get("/report/:id", async (c) => {
    const id = idOf(c);
    const r = id === null ? null : data.report(id);
    if (!r) return c.html(messagePage("not found", `no current report ${c.req.param("id")}`), 404);
    const src = data.sourceOf(r.id);
    let source: ReportPageInput["source"];
    if (!src) source = { kind: "missing", why: "the document's bytes are not kept beside this database" };
    // A PDF, and a document whose values were read from pictures (an image file, a Word
    // file's or a page's table pictures): the PDF its places fall on, drawn by pdf.js.
    else if (src.format === "pdf" || readFromPictures(r.record)) source = { kind: "pdf" };
    else if (src.format === "text") {
      const { decode } = await import("../../model/charset.js");
      source = { kind: "document", html: textHtml(decode(src.bytes).text) };
    } else {
      try {
        const { extractorFor, sniff } = await import("../../extractors/index.js");
        const { DEFAULT_LIMITS, Deadline } = await import("../../model/limits.js");
        const extract = await extractorFor(sniff(src.bytes, src.name).kind);
        const doc = await extract(src.bytes, { name: src.name, limits: DEFAULT_LIMITS, deadline: new Deadline(DEFAULT_LIMITS.timeoutMs) });
        source = { kind: "document", html: documentHtml(doc) };
      } catch (e) {
        source = { kind: "missing", why: `the document could not be shown: ${(e as Error).message}` };
      }
    }
    const reviewed = r.key !== null && data.reviewed().has(reportKeyString(r.key));
    return c.html(reportPage({ report: r, reviewed, source, next: nextAfter(r.id), copies: r.key ? data.copies(r.key) : null }, csrf));
  });

  app.get("/source/:id", async (c) => {
    const id = idOf(c);
    const src = id === null ? null : data.sourceOf(id);
    const r = src && data.report(id!);
    if (!src || !r || (src.format !== "pdf" && !readFromPictures(r.record))) return c.text("not found\n", 404);
    // The PDF the record's places (page, box in points) fall on: a PDF's own bytes; for an
    // image file, or a Word file's or a page's table pictures, the PDF they were read as by
    // OCR, made again the same way (extractors/index.ts, placesPdf).
    let bytes: Uint8Array | null;
    try {
      const { formatEntry, sniff } = await import("../../extractors/index.js");
      const load = formatEntry(sniff(src.bytes, src.name).kind).placesPdf;
      bytes = load ? await (await load())(src.bytes, { name: src.name, limits: DEFAULT_LIMITS }) : null;
    } catch (e) {
      return c.text(`the document could not be shown: ${(e as Error).message}\n`, 422);
    }
    if (!bytes || !looksLikePdf(bytes)) return c.text("the document's values were not read from pages or pictures: no PDF to show\n", 404);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "application/pdf",
      "Content-Disposition": "inline",
      // Opened directly, the PDF runs nothing of ours and nothing of its own.
      "Content-Security-Policy": "sandbox; default-src 'none'",
    });
  });

  /** After a change: the right side and the panel's data, rendered again from the store. */
  const fragments = (id: number) => {
    const r = data.report(id)!;
    return {
      tables: tablesHtml(r),
      checks: checksHtml(r),
      copies: copiesHtml(r, r.key ? data.copies(r.key) : null),
      cells: cellData(r),
      checksFailed: r.record.checks.length,
    };
  };

  const body = async (c: Context): Promise<Record<string, unknown>> => {
    try {
      const b = await c.req.json();
      return b && typeof b === "object" ? b : {};
    } catch {
      return {};
    }
  };
  /** 400 naming the first field of `b` among `names` that is there but is not text: stored, it would read "[object Object]". */
  const notText = (c: Context, b: Record<string, unknown>, names: readonly string[]) => {
    const bad = names.find((k) => b[k] !== undefined && b[k] !== null && typeof b[k] !== "string" && typeof b[k] !== "number" && typeof b[k] !== "boolean");
    return bad === undefined ? null : c.json({ error: `${bad} must be text` }, 400);
  };

  app.post("/api/report/:id/correct", async (c) => {
    const id = idOf(c);
    const r = id === null ? null : data.report(id);
    if (!r) return c.json({ error: "no such report" }, 404);
    if (!r.key) return c.json({ error: "this report has no body or year read: it cannot be corrected yet" }, 400);
    const b = await body(c);
    const refused = notText(c, b, ["key", "value", "why", "by"]);
    if (refused) return refused;
    const value = parseCorrectionValue(String(b.value ?? ""));
    if (value === undefined) return c.json({ error: "the value must be a number or null" }, 400);
    try {
      addCorrection(data.rw, { ...r.key, cellKey: String(b.key ?? ""), value, why: String(b.why ?? ""), by: b.by ? String(b.by) : null });
    } catch (e) {
      return c.json({ error: (e as Error).message }, 400);
    }
    return c.json({ ok: true, ...fragments(r.id) });
  });

  // Copies that disagree: take one document's value of a cell, the reason naming that copy.
  app.post("/api/report/:id/choose", async (c) => {
    const id = idOf(c);
    const r = id === null ? null : data.report(id);
    if (!r) return c.json({ error: "no such report" }, 404);
    if (!r.key) return c.json({ error: "this report has no body or year read: it cannot be corrected yet" }, 400);
    const b = await body(c);
    const refused = notText(c, b, ["key", "document", "why", "by"]);
    if (refused) return refused;
    const key = String(b.key ?? "");
    const copies = data.copies(r.key);
    const cell = copies?.cells.find((x) => x.key === key);
    const chosen = cell?.values.find((v) => v.document === Number(b.document));
    if (!copies || !cell || !chosen) return c.json({ error: "that document is not a copy of this report that disagrees on this cell" }, 400);
    const doc = copies.documents.find((d) => d.id === chosen.document)!;
    const extra = String(b.why ?? "").trim();
    const why = `copies disagree: chose document ${doc.id} (${doc.format}, ${doc.sha256.slice(0, 12)}, ${doc.name}), which prints ${chosen.value ?? "nothing"}${extra ? `; ${extra}` : ""}`;
    try {
      addCorrection(data.rw, { ...r.key, cellKey: key, value: chosen.value, why, by: b.by ? String(b.by) : null });
    } catch (e) {
      return c.json({ error: (e as Error).message }, 400);
    }
    return c.json({ ok: true, ...fragments(r.id) });
  });

  // A document's organ, year, publication date: stored apart, applied by re-keying through the ingest service.
  app.post("/api/report/:id/document", async (c) => {
    const id = idOf(c);
    const r = id === null ? null : data.report(id);
    if (!r) return c.json({ error: "no such report" }, 404);
    const b = await body(c);
    const refused = notText(c, b, ["organ", "year", "publishedOn", "why", "by"]);
    if (refused) return refused;
    const text = (k: string) => (typeof b[k] === "string" && b[k].trim() ? (b[k] as string).trim() : null);
    const year = text("year");
    if (year !== null && !/^\d{4}$/.test(year)) return c.json({ error: `the year must be four digits, not ${year}` }, 400);
    try {
      correctDocument(data.service(), {
        document: r.record.source.sha256,
        organ: text("organ"),
        year: year === null ? null : Number(year),
        publishedOn: text("publishedOn"),
        why: String(b.why ?? ""),
        by: text("by"),
      });
    } catch (e) {
      return c.json({ error: (e as Error).message }, 400);
    }
    return c.json({ ok: true, report: r.id });
  });

  app.post("/api/report/:id/document/undo", async (c) => {
    const id = idOf(c);
    const r = id === null ? null : data.report(id);
    if (!r) return c.json({ error: "no such report" }, 404);
    const undone = undoDocumentCorrection(data.service(), r.record.source.sha256);
    if (!undone) return c.json({ error: "no correction of this document's metadata to undo" }, 400);
    return c.json({ ok: true, report: r.id });
  });

  app.post("/api/report/:id/undo", async (c) => {
    const id = idOf(c);
    const r = id === null ? null : data.report(id);
    if (!r || !r.key) return c.json({ error: "no such report" }, 404);
    const b = await body(c);
    const refused = notText(c, b, ["key"]);
    if (refused) return refused;
    const undone = undoCorrection(data.rw, r.key, String(b.key ?? ""));
    if (!undone) return c.json({ error: "no correction to undo on this cell" }, 400);
    return c.json({ ok: true, ...fragments(r.id) });
  });

  app.post("/api/report/:id/reviewed", async (c) => {
    const id = idOf(c);
    const r = id === null ? null : data.report(id);
    if (!r || !r.key) return c.json({ error: "no such report" }, 404);
    const b = await body(c);
    const refused = notText(c, b, ["by"]);
    if (refused) return refused;
    markReviewed(data.rw, r.key, b.reviewed !== false, b.by ? String(b.by) : null);
    return c.json({ ok: true, reviewed: b.reviewed !== false, next: nextAfter(r.id) });
  });

  app.get("/favicon.ico", (c) => c.body(null, 204));
  app.notFound((c) => c.text("not found\n", 404));
  app.onError((e, c) => {
    process.stderr.write(`xxgk serve: ${c.req.method} ${c.req.path}: ${e.message}\n`);
    return c.text("xxgk serve: internal error (see the server's log)\n", 500);
  });
  return app;
}

/**
 * The token a server on `host` requires: the one given (16 characters at least), or on
 * any address but loopback a generated one; on loopback without `--token`, none.
 */
export function tokenFor(host: string, given?: string): { token: string | null; generated: boolean } {
  if (given !== undefined) {
    if (given.length < 16) throw new Error("--token must be at least 16 characters");
    return { token: given, generated: false };
  }
  if (isLoopback(host)) return { token: null, generated: false };
  return { token: randomBytes(18).toString("base64url"), generated: true };
}

/**
 * Starts the review server. On any address but loopback every request needs the token:
 * `--token`, or one generated here (the CLI prints it); requests without it are refused.
 */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const { token, generated } = tokenFor(opts.host, opts.token);
  let data: ReviewData;
  try {
    data = new ReviewData(opts.db);
  } catch (e) {
    throw new Error(`cannot open the database ${opts.db}: ${(e as Error).message}`);
  }
  let bound = opts.port;
  const app = reviewApp(data, { host: opts.host, token, port: () => bound });
  const server: ServerType = await new Promise((ok, fail) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, (info: AddressInfo) => {
      bound = info.port;
      ok(s);
    });
    s.once("error", (e: NodeJS.ErrnoException) => {
      data.close();
      fail(new Error(e.code === "EADDRINUSE" ? `port ${opts.port} is in use (try --port 0)` : `cannot listen on ${opts.host}:${opts.port}: ${e.message}`));
    });
  });
  const hostInUrl = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${hostInUrl}:${bound}/${generated && token ? `?token=${token}` : ""}`,
    port: bound,
    token,
    generatedToken: generated,
    close: () =>
      new Promise<void>((ok) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => {
          data.close();
          ok();
        });
      }),
  };
}
