// The crawler's faults (issue 11): 429/503 and other passing statuses are transient, the
// same bytes under two URLs make one report, the caps on links and documents, a failure
// that comes back `present`, temp blobs of a live writer, a failed write's temp file,
// the config's ranges and BOM, control characters in what is printed. Each against a real
// node:http server on 127.0.0.1 (a handler per path, set by the test) and a real store.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Socket } from "node:net";
import Database from "better-sqlite3";
import { runCrawl, describeCrawl } from "../src/crawl/command.js";
import { ConfigError, loadConfig, parseConfig } from "../src/crawl/config.js";
import { retryAfterMs } from "../src/crawl/fetch.js";
import { BlobStore } from "../src/blobs.js";
import { printable } from "../src/printable.js";
import { describeSummary, emptySummary, ingestPaths } from "../src/ingest.js";
import { openStore } from "../src/store.js";
import { IngestService } from "../src/ingest-service.js";
import { parseReport } from "../src/pipeline.js";
import { reportHtml, listPage, attachmentsPage } from "./fixtures/portal/pages.js";
import type { Ingestor } from "../src/crawl/crawler.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `xxgk-faults-${name}-`));
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

interface Server {
  base: string;
  /** Handlers by path (with query); unknown paths answer 404. */
  routes: Map<string, Handler>;
  hits: { path: string; at: number }[];
  count(path: string): number;
  close(): Promise<void>;
}

async function serve(): Promise<Server> {
  const routes = new Map<string, Handler>();
  const hits: { path: string; at: number }[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    hits.push({ path, at: Date.now() });
    const h = routes.get(path);
    if (h) h(req, res, hits.filter((x) => x.path === path).length);
    else res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  routes.set("/robots.txt", (_q, res) => res.writeHead(200, { "content-type": "text/plain" }).end("User-agent: *\nDisallow:\n"));
  return {
    base,
    routes,
    hits,
    count: (p) => hits.filter((h) => h.path === p).length,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const html = (body: string | Buffer): Handler => (_q, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body);
const report = (organ: string) => reportHtml("2024-环翠区商务局.txt", { title: `${organ}2024年政府信息公开工作年度报告`, charsetMeta: "utf-8", swap: ["环翠区商务局", organ] });
const list = (hrefs: string[]) => listPage(hrefs.map((href, i) => ({ href, text: `第${i}局2024年政府信息公开工作年度报告` })), null);

function config(base: string, extra: Record<string, unknown> = {}, portal: Record<string, unknown> = {}) {
  return {
    userAgent: "xxgk-test (+mailto:faults@example.org)",
    concurrency: 2,
    perHostIntervalMs: 0,
    timeoutMs: 2000,
    retries: 2,
    retryBaseMs: 10,
    ...extra,
    portals: [{ name: "p", startUrls: [`${base}/list.html`], reportLink: { selector: ".list a" }, ...portal }],
  };
}

function rows(dbPath: string, sql: string, ...args: unknown[]): Record<string, unknown>[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(sql).all(...args) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

const fakeIngest = (): Ingestor & { urls: string[] } => {
  const urls: string[] = [];
  return { urls, ingestOne: async (i) => (urls.push(i.url!), { status: "ingested", sha256: sha(i.bytes) }) };
};

// ---- 429, 503 and the other passing statuses ------------------------------------------

describe("a server asking to slow down is not a document gone", () => {
  let s: Server;
  beforeAll(async () => {
    s = await serve();
  });
  afterAll(() => s.close());

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2025-01-20T08:00:00Z");
    expect(retryAfterMs("2", now)).toBe(2000);
    expect(retryAfterMs(" 0 ", now)).toBe(0);
    expect(retryAfterMs("Mon, 20 Jan 2025 08:00:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs("Mon, 20 Jan 2025 07:00:00 GMT", now)).toBe(0); // in the past: no wait
    expect(retryAfterMs(undefined, now)).toBeNull();
    expect(retryAfterMs("soon", now)).toBeNull();
    expect(retryAfterMs("-3", now)).toBeNull();
  });

  it("a 429 with Retry-After is waited for and retried within the run; the report is stored", async () => {
    s.routes.set("/list.html", html(list(["/r.html"])));
    s.routes.set("/r.html", (_q, res, n) => {
      if (n <= 2) res.writeHead(429, { "retry-after": "1", "content-type": "text/plain" }).end("slow down");
      else html(report("环翠区商务局"))(_q, res, n);
    });
    const db = join(tmp("429"), "x.sqlite");
    const sum = await runCrawl({ config: config(s.base), db });
    expect(sum.ok).toBe(true);
    expect(sum.portals[0].reports.new).toBe(1);
    expect(s.count("/r.html")).toBe(3);
    const at = s.hits.filter((h) => h.path === "/r.html").map((h) => h.at);
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(950); // the server's 1 s, not the 10 ms backoff
    expect(rows(db, "SELECT status, last_status FROM crawl_urls WHERE url = ?", `${s.base}/r.html`)).toEqual([{ status: "done", last_status: 200 }]);
  });

  it("429 past the cap, 503, 403: failed, tried again next run (and the run after); only 404 and 410 are gone", async () => {
    s.hits.length = 0;
    s.routes.set("/list.html", html(list(["/busy.html", "/down.html", "/waf.html", "/gone.html", "/missing.html", "/late.html"])));
    let open = false;
    s.routes.set("/busy.html", (_q, res) => res.writeHead(429, { "retry-after": "3600" }).end());
    s.routes.set("/down.html", (_q, res) => res.writeHead(503, { "retry-after": "0" }).end());
    s.routes.set("/waf.html", (_q, res) => res.writeHead(403).end());
    s.routes.set("/gone.html", (_q, res) => res.writeHead(410).end());
    s.routes.set("/late.html", (q, res, n) => (open ? html(report("环翠区财政局"))(q, res, n) : res.writeHead(429, { "retry-after": "86400" }).end()));
    const db = join(tmp("429b"), "x.sqlite");
    const cfg = config(s.base, { maxRetryAfterMs: 5000 });
    const first = await runCrawl({ config: cfg, db });
    expect(first.ok).toBe(false);
    expect(s.count("/busy.html")).toBe(1); // an hour asked, 5 s allowed: not waited for, not hammered
    expect(s.count("/down.html")).toBe(3); // 1 + 2 retries
    expect(s.count("/waf.html")).toBe(1);
    const reasons = Object.fromEntries(first.portals[0].failed.map((f) => [f.url.replace(s.base, ""), f.reason]));
    expect(reasons["/busy.html"]).toBe("HTTP 429 Too Many Requests (after 1 attempt; Retry-After 3600 s is over the 5 s cap: tried again next run)");
    expect(reasons["/down.html"]).toBe("HTTP 503 (after 3 attempts)");
    expect(reasons["/waf.html"]).toBe("HTTP 403");
    const status = () => Object.fromEntries(rows(db, "SELECT url, status FROM crawl_urls WHERE kind = 'article'").map((r) => [(r.url as string).replace(s.base, ""), r.status]));
    expect(status()).toEqual({ "/busy.html": "failed", "/down.html": "failed", "/waf.html": "failed", "/late.html": "failed", "/gone.html": "gone", "/missing.html": "gone" });

    const second = await runCrawl({ config: cfg, db });
    expect(s.count("/busy.html")).toBe(2);
    expect(s.count("/gone.html")).toBe(1);
    expect(second.portals[0].documents.unchanged).toBe(2); // only the 404 and the 410
    expect(rows(db, "SELECT attempts FROM crawl_urls WHERE url = ?", `${s.base}/busy.html`)).toEqual([{ attempts: 2 }]);
    open = true;
    const third = await runCrawl({ config: cfg, db });
    expect(third.portals[0].reports.new).toBe(1);
    expect(status()["/late.html"]).toBe("done");
  });

  it("a URL an older build marked gone on a 429 is tried again", async () => {
    s.routes.set("/list.html", html(list(["/r2.html"])));
    s.routes.set("/r2.html", html(report("环翠区教育局")));
    const db = join(tmp("revive"), "x.sqlite");
    await runCrawl({ config: config(s.base), db });
    const w = new Database(db);
    w.prepare("DELETE FROM reports").run();
    w.prepare("UPDATE crawl_urls SET status = 'gone', last_status = 429, sha256 = NULL WHERE url = ?").run(`${s.base}/r2.html`);
    w.close();
    const before = s.count("/r2.html");
    const again = await runCrawl({ config: config(s.base), db });
    expect(s.count("/r2.html")).toBe(before + 1);
    expect(again.portals[0].documents.unchanged).toBe(0);
  });
});

// ---- the same bytes under two URLs -----------------------------------------------------

describe("one PDF served under two attachment URLs in one crawl", () => {
  it("gives one current report, even with concurrency 1", async () => {
    const s = await serve();
    const pdf = readFileSync(join(root, "test/fixtures/generated/g01-2021.lo.pdf"));
    s.routes.set("/list.html", html(list(["/a.html"])));
    s.routes.set("/a.html", html(attachmentsPage("某局2021年政府信息公开工作年度报告", [{ href: "/f/one.pdf", text: "年报.pdf" }, { href: "/f/two.pdf", text: "年报（另存）.pdf" }])));
    const file: Handler = (_q, res) => res.writeHead(200, { "content-type": "application/pdf" }).end(pdf);
    s.routes.set("/f/one.pdf", file);
    s.routes.set("/f/two.pdf", file);
    const db = join(tmp("twice"), "x.sqlite");
    const sum = await runCrawl({ config: config(s.base, { concurrency: 1 }), db });
    await s.close();
    const current = rows(db, "SELECT r.id FROM reports r JOIN versions v ON v.id = r.version_id WHERE v.sha256 = ? AND r.is_current = 1", sha(pdf));
    expect(current.length).toBe(1);
    const p = sum.portals[0];
    expect(p.reports.new).toBe(1);
    expect(p.reports.present).toBe(1);
    expect(rows(db, "SELECT status FROM crawl_urls WHERE kind = 'attachment'")).toEqual([{ status: "done" }, { status: "done" }]);
  });
});

describe("one report as a PDF and a DOCX attachment", () => {
  it("is one new report and one new copy, and the summary says which is which", async () => {
    const s = await serve();
    const pdf = readFileSync(join(root, "test/fixtures/generated/g01-2021.lo.pdf"));
    const docx = readFileSync(join(root, "test/fixtures/generated/g01-2021.lo.docx"));
    s.routes.set("/list.html", html(list(["/a.html"])));
    s.routes.set("/a.html", html(attachmentsPage("某局2021年政府信息公开工作年度报告", [{ href: "/f/nb.pdf", text: "年报.pdf" }, { href: "/f/nb.docx", text: "年报.docx" }])));
    s.routes.set("/f/nb.pdf", (_q, res) => res.writeHead(200, { "content-type": "application/pdf" }).end(pdf));
    s.routes.set("/f/nb.docx", (_q, res) => res.writeHead(200, { "content-type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document" }).end(docx));
    const db = join(tmp("copies"), "x.sqlite");
    const sum = await runCrawl({ config: config(s.base, { concurrency: 1 }), db });
    await s.close();
    const p = sum.portals[0];
    expect([p.reports.new, p.reports.copies]).toEqual([1, 1]);
    expect(p.newReports).toHaveLength(1);
    expect(p.newCopies).toHaveLength(1);
    const urls = [p.newReports[0].url, p.newCopies[0].url].map((u) => u.replace(s.base, "")).sort();
    expect(urls).toEqual(["/f/nb.docx", "/f/nb.pdf"]);
    expect(rows(db, "SELECT count(*) AS n FROM reports WHERE is_current = 1")).toEqual([{ n: 2 }]); // both documents kept
    const out = describeCrawl(sum);
    expect(out).toMatch(/: 1 new report, 1 new copy of reports stored, /);
    expect(out).toContain(`  copy    ${p.newCopies[0].url}  (`);
    expect(out).toMatch(/crawl finished in [\d.]+ s: 1 portal, 1 new report, /);
  });
});

describe("an attachment that names its body only in its link", () => {
  it("is read with the link's text and its page's list date, on the run that fetches it, on a later run that retries it, and on reparse", async () => {
    // A report printed to PDF (LibreOffice, from its page) that names no body and prints no date.
    const dir = tmp("named");
    const page = reportHtml("2024-硚口区商务局.txt", { title: "2024年政府信息公开工作年度报告", charsetMeta: "utf-8", swap: ["硚口区商务局2024年政府", "2024年政府"] })
      .replace("硚口区商务局党政办公室，地址：硚口区沿河大道518号", "本局办公室")
      .replaceAll("区商务局", "我局")
      .replaceAll("硚口", "")
      .replace("2025年1月13日", "");
    writeFileSync(join(dir, "nb.html"), page);
    execFileSync("soffice", [`-env:UserInstallation=file://${join(dir, "profile")}`, "--headless", "--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export", "--outdir", dir, join(dir, "nb.html")], { stdio: "pipe", timeout: 120_000 });
    const pdf = readFileSync(join(dir, "nb.pdf"));
    const alone = await parseReport({ bytes: pdf, name: "nb.pdf" });
    expect(alone.ok && [alone.record.organ, alone.record.publishedOn]).toEqual([null, null]);

    const s = await serve();
    const label = "武汉市硚口区商务局2024年政府信息公开工作年度报告.pdf";
    s.routes.set("/list.html", html(list(["/a.html"])));
    s.routes.set("/a.html", html(attachmentsPage("政府信息公开工作年度报告", [{ href: "/f/P020250120.pdf", text: label }])));
    // Down for the first run (every retry), there for the next.
    s.routes.set("/f/P020250120.pdf", (_q, res, n) => (n <= 3 ? res.writeHead(503).end() : res.writeHead(200, { "content-type": "application/pdf" }).end(pdf)));
    const db = join(dir, "x.sqlite");
    const first = await runCrawl({ config: config(s.base, { retries: 2 }), db });
    expect(first.portals[0].failed.map((f) => f.url.replace(s.base, ""))).toEqual(["/f/P020250120.pdf"]);
    const second = await runCrawl({ config: config(s.base, { retries: 2 }), db });
    await s.close();
    expect(second.portals[0].newReports.map((r) => [r.url.replace(s.base, ""), r.organ, r.year])).toEqual([["/f/P020250120.pdf", "武汉市硚口区商务局", 2024]]);
    const store = openStore(db);
    try {
      const id = second.portals[0].newReports[0].reportId!;
      const r = store.recordOf(id)!;
      expect([r.organ, r.year, r.publishedOn]).toEqual(["武汉市硚口区商务局", 2024, "2025-01-20"]);
      expect(r.diagnostics.find((d) => d.key === "organ")).toMatchObject({ code: "meta.organFromName", severity: "info" });
      expect(r.provenance.organ?.text).toBe(label);
      // A newer build reads the kept bytes again as the crawl read them: the same body and date.
      store.db.prepare("UPDATE reports SET parser_version = '0.0.1'").run();
      const changes = await new IngestService(store).reparse();
      expect(changes.map((c) => [c.changed, c.notes])).toEqual([[false, []]]);
      const again = [...store.records()].map((x) => [x.record.organ, x.record.publishedOn]);
      expect(again).toEqual([["武汉市硚口区商务局", "2025-01-20"]]);
    } finally {
      store.close();
    }
  }, 180_000);
});

describe("a report page that names its body only in the list's link to it", () => {
  it("is read with the list link's text and date, on the run that finds it and on a later run that retries it", async () => {
    const page = reportHtml("2024-硚口区商务局.txt", { title: "政府信息公开", charsetMeta: "utf-8", swap: ["硚口区商务局2024年政府", "2024年政府"] })
      .replace("硚口区商务局党政办公室，地址：硚口区沿河大道518号", "本局办公室")
      .replaceAll("区商务局", "我局")
      .replaceAll("硚口", "")
      .replace("2025年1月13日", "");
    const alone = await parseReport({ bytes: Buffer.from(page), name: "a.html" });
    expect(alone.ok && [alone.record.organ, alone.record.publishedOn]).toEqual([null, null]);
    for (const retried of [false, true]) {
      const s = await serve();
      s.routes.set("/list.html", html(listPage([{ href: "/a.html", text: "武汉市硚口区商务局2024年政府信息公开工作年度报告" }], null)));
      s.routes.set("/a.html", (_q, res, n) => (retried && n <= 3 ? res.writeHead(503).end() : res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page)));
      const db = join(tmp("listed"), "x.sqlite");
      if (retried) expect((await runCrawl({ config: config(s.base, { retries: 2 }), db })).portals[0].newReports).toEqual([]);
      const sum = await runCrawl({ config: config(s.base, { retries: 2 }), db });
      await s.close();
      expect(sum.portals[0].newReports.map((r) => [r.organ, r.year])).toEqual([["武汉市硚口区商务局", 2024]]);
      const store = openStore(db);
      try {
        const r = store.recordOf(sum.portals[0].newReports[0].reportId!)!;
        expect([r.organ, r.publishedOn]).toEqual(["武汉市硚口区商务局", "2025-01-20"]);
      } finally {
        store.close();
      }
    }
  }, 60_000);
});

describe("an attachment that names its body and year only in the title of the page that links it", () => {
  // The report's tables alone (no title, no preamble) as a DOCX by LibreOffice: a statistics attachment.
  let tables: Buffer | undefined;
  const tablesDocx = (): Buffer => {
    if (tables) return tables;
    const dir = tmp("page-title");
    const page = reportHtml("2024-硚口区商务局.txt", { title: "统计表", charsetMeta: "utf-8" });
    const parts = [...page.matchAll(/<p>[二三四]、[^<]{0,30}<\/p>|<table[\s\S]*?<\/table>/g)].map((m) => m[0]);
    writeFileSync(join(dir, "tables.html"), `<!DOCTYPE html><html><head><meta charset="utf-8"><title>统计表</title></head><body>${parts.join("\n")}</body></html>`);
    execFileSync("soffice", [`-env:UserInstallation=file://${join(dir, "profile")}`, "--headless", "--infilter=HTML (StarWriter)", "--convert-to", "docx:MS Word 2007 XML", "--outdir", dir, join(dir, "tables.html")], { stdio: "pipe", timeout: 120_000 });
    return (tables = readFileSync(join(dir, "tables.docx")));
  };
  const DOCX_TYPE = { "content-type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document" };

  it("is read with that title, on the run that fetches it, on a later run that retries it, and on reparse", async () => {
    const docx = tablesDocx();
    const alone = await parseReport({ bytes: docx, name: "tables.docx" });
    expect(alone.ok && [alone.record.organ, alone.record.year, alone.record.requests.newReceived.at(-1)]).toEqual([null, null, 1]);

    const title = "武汉市硚口区商务局2024年政府信息公开工作年度报告";
    for (const retried of [false, true]) {
      const s = await serve();
      // The list's link says only 年度报告; the page's own title names the body and year; the attachment's link says 附件1.
      s.routes.set("/list.html", html(listPage([{ href: "/a.html", text: "年度报告" }], null)));
      s.routes.set("/a.html", html(attachmentsPage(title, [{ href: "/f/P020250120555.docx", text: "附件1" }])));
      s.routes.set("/f/P020250120555.docx", (_q, res, n) => (retried && n <= 3 ? res.writeHead(503).end() : res.writeHead(200, DOCX_TYPE).end(docx)));
      const db = join(tmp("page-title-db"), "x.sqlite");
      if (retried) expect((await runCrawl({ config: config(s.base, { retries: 2 }), db })).portals[0].newReports).toEqual([]);
      const sum = await runCrawl({ config: config(s.base, { retries: 2 }), db });
      await s.close();
      expect(sum.portals[0].newReports.map((r) => [r.url.replace(s.base, ""), r.organ, r.year])).toEqual([["/f/P020250120555.docx", "武汉市硚口区商务局", 2024]]);
      const store = openStore(db);
      try {
        const r = store.recordOf(sum.portals[0].newReports[0].reportId!)!;
        expect([r.organ, r.year, r.publishedOn]).toEqual(["武汉市硚口区商务局", 2024, "2025-01-20"]);
        expect(r.diagnostics.filter((d) => d.key === "organ" || d.key === "year").map((d) => [d.code, d.severity])).toEqual([
          ["meta.organFromName", "info"],
          ["meta.yearFromName", "info"],
        ]);
        expect(r.provenance.organ?.text).toBe(title);
        // A newer build reads the kept bytes again as the crawl read them.
        store.db.prepare("UPDATE reports SET parser_version = '0.0.1'").run();
        const changes = await new IngestService(store).reparse();
        expect(changes.map((c) => [c.changed, c.notes])).toEqual([[false, []]]);
        expect([...store.records()].map((x) => [x.record.organ, x.record.year])).toEqual([["武汉市硚口区商务局", 2024]]);
      } finally {
        store.close();
      }
    }
  }, 180_000);

  it("is not given the title of a page that links several attachments (a page may gather several bodies' reports)", async () => {
    const s = await serve();
    s.routes.set("/list.html", html(listPage([{ href: "/a.html", text: "年度报告" }], null)));
    s.routes.set("/a.html", html(attachmentsPage("武汉市硚口区2024年各部门政府信息公开工作年度报告", [{ href: "/f/1.docx", text: "附件1" }, { href: "/f/2.docx", text: "附件2" }])));
    s.routes.set("/f/1.docx", (_q, res) => res.writeHead(200, DOCX_TYPE).end(tablesDocx()));
    s.routes.set("/f/2.docx", (_q, res) => res.writeHead(200, DOCX_TYPE).end(readFileSync(join(root, "test/fixtures/generated/g01-2021.lo.docx"))));
    const sum = await runCrawl({ config: config(s.base), db: join(tmp("page-title-several"), "x.sqlite") });
    await s.close();
    const tablesOnly = sum.portals[0].newReports.find((r) => r.url.endsWith("/f/1.docx"));
    expect(tablesOnly && [tablesOnly.organ, tablesOnly.year]).toEqual([null, null]);
  }, 180_000);
});

// ---- bounded work ----------------------------------------------------------------------

describe("caps on links per list page and documents per run", () => {
  it("follows at most maxLinksPerPage new links and maxDocuments documents, says what is left, and the next run picks it up", async () => {
    const s = await serve();
    const hrefs = Array.from({ length: 3000 }, (_, i) => `/d/${i}.html`);
    s.routes.set("/list.html", html(list(hrefs)));
    for (const h of hrefs) s.routes.set(h, html("<html><body><p>x</p></body></html>"));
    const db = join(tmp("caps"), "x.sqlite");
    const cfg = config(s.base, { concurrency: 8 }, { maxLinksPerPage: 50, maxDocuments: 20 });
    const ing = fakeIngest();
    const one = await runCrawl({ config: cfg, db, ingestor: ing });
    expect(one.portals[0].documents.fetched).toBe(20);
    expect(one.portals[0].left).toEqual({ documents: 30, links: 2950 });
    expect(describeCrawl(one)).toMatch(/\n {2}left {4}for the next run: 30 documents past the cap of documents per run \(maxDocuments\); 2950 links past the cap of links per list page \(maxLinksPerPage\)\n/);
    const two = await runCrawl({ config: cfg, db, ingestor: ing });
    expect(two.portals[0].documents.fetched).toBe(20);
    expect(two.portals[0].left).toEqual({ documents: 30, links: 2930 });
    // No document fetched twice: the second run took the next ones.
    expect(new Set(ing.urls).size).toBe(40);
    const fetched = s.hits.filter((h) => h.path.startsWith("/d/")).map((h) => h.path);
    expect(new Set(fetched).size).toBe(fetched.length);
    await s.close();
  });
});

// ---- a failure that comes back `present` ---------------------------------------------------

describe("a document whose bytes failed before", () => {
  it("fetched again (its row lost to a kill) is a failure still, not a report present", async () => {
    const s = await serve();
    s.routes.set("/list.html", html(list(["/notice.html"])));
    s.routes.set("/notice.html", html("<html><body><p>关于开展政务公开检查的通知</p></body></html>"));
    const db = join(tmp("present"), "x.sqlite");
    const first = await runCrawl({ config: config(s.base), db });
    expect(first.ok).toBe(false);
    const row1 = rows(db, "SELECT last_error FROM crawl_urls WHERE url = ?", `${s.base}/notice.html`)[0];
    expect(row1.last_error).toBeTruthy();
    // A run killed after the store committed the failure, before the crawl row was written.
    const w = new Database(db);
    w.prepare("DELETE FROM crawl_urls WHERE url = ?").run(`${s.base}/notice.html`);
    w.close();
    const second = await runCrawl({ config: config(s.base), db });
    await s.close();
    expect(second.portals[0].reports.present).toBe(0);
    expect(second.ok).toBe(false);
    expect(second.portals[0].failed.map((f) => f.url)).toEqual([`${s.base}/notice.html`]);
    expect(rows(db, "SELECT last_error, ingest_status FROM crawl_urls WHERE url = ?", `${s.base}/notice.html`)).toEqual([{ last_error: row1.last_error, ingest_status: "failed" }]);
  });
});

// ---- temp blobs ------------------------------------------------------------------------------

describe("temp blobs", () => {
  it("a crawl leaves a live writer's temp file alone and removes a dead one's", async () => {
    const s = await serve();
    s.routes.set("/list.html", html(list([])));
    const dir = tmp("sweep");
    const db = join(dir, "x.sqlite");
    const blobs = BlobStore.besideDb(db);
    const live = spawn("sleep", ["30"]);
    const dead = spawnSync("true").pid!;
    const h = "ab".repeat(32);
    const mine = join(blobs.dir, "tmp", `${h}.${live.pid}.0a0b0c0d`);
    const left = join(blobs.dir, "tmp", `${h}.${dead}.01020304`);
    writeFileSync(mine, "being written");
    writeFileSync(left, "abandoned");
    try {
      await runCrawl({ config: config(s.base), db, ingestor: fakeIngest() });
      expect(existsSync(mine)).toBe(true);
      expect(existsSync(left)).toBe(false);
    } finally {
      live.kill("SIGKILL");
      await s.close();
    }
  });

  it("a write that fails (the file-size limit, as a full disk) leaves no temp file", () => {
    const dir = tmp("efbig");
    const script = join(dir, "put.ts");
    writeFileSync(
      script,
      `import { BlobStore } from ${JSON.stringify(join(root, "src/blobs.ts"))};
process.on("SIGXFSZ", () => {});
const b = new BlobStore(${JSON.stringify(join(dir, "blobs"))});
try { b.put(new Uint8Array(1 << 20).fill(7)); console.log("stored"); } catch (e) { console.log("failed", (e as NodeJS.ErrnoException).code); }
`,
    );
    // ulimit -f counts 1024-byte blocks: 64 KB, far under the 1 MB blob.
    const r = spawnSync("bash", ["-c", `ulimit -f 64; exec "${process.execPath}" --import tsx "${script}"`], { cwd: root, encoding: "utf8", timeout: 30_000 });
    expect(r.stdout.trim()).toBe("failed EFBIG");
    expect(readdirSync(join(dir, "blobs", "tmp"))).toEqual([]);
  });
});

// ---- the portal list -----------------------------------------------------------------------

describe("the portal list's numbers and encoding", () => {
  const base = { contact: "mailto:a@b.org", portals: [{ name: "x", jsonList: { url: "https://x.gov.cn/api" } }] };

  it("refuses out-of-range numbers on one line", () => {
    for (const [key, value] of [["timeoutMs", 1e12], ["retryBaseMs", 1e12], ["perHostIntervalMs", 2 ** 31], ["maxRetryAfterMs", -1], ["maxAttempts", 1e9]] as const) {
      let err: Error | null = null;
      try {
        parseConfig({ ...base, [key]: value }, "portals.json");
      } catch (e) {
        err = e as Error;
      }
      expect(err, key).toBeInstanceOf(ConfigError);
      expect(err!.message).toMatch(new RegExp(`^portals\\.json is not a valid portal list: ${key}: `));
      expect(err!.message).not.toMatch(/\n/);
    }
    expect(() => parseConfig({ ...base, portals: [{ ...base.portals[0], maxLinksPerPage: 0 }] })).toThrow(/portals\.0\.maxLinksPerPage/);
  });

  it("accepts a file saved with a UTF-8 BOM", () => {
    const f = join(tmp("bom"), "portals.json");
    writeFileSync(f, "\uFEFF" + JSON.stringify(base));
    expect(loadConfig(f).portals[0].name).toBe("x");
  });

  it("xxgk crawl: timeoutMs 1e12 is one line and exit 2, never a RangeError", () => {
    const dir = tmp("range");
    const f = join(dir, "portals.json");
    writeFileSync(f, JSON.stringify({ ...config("http://127.0.0.1:9"), timeoutMs: 1e12 }));
    const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "test/fixtures/portal/run-crawl.ts"), f, join(dir, "x.sqlite")], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^xxgk crawl: \S+portals\.json is not a valid portal list: timeoutMs: .*\n$/);
  });

  it("xxgk crawl --db on a folder, under /proc, or a database from a newer xxgk: one line each, exit 2", () => {
    const dir = tmp("dbs");
    const f = join(dir, "portals.json");
    writeFileSync(f, JSON.stringify(config("http://127.0.0.1:9")));
    const folder = join(dir, "a-folder");
    mkdirSync(folder);
    const newer = join(dir, "newer.sqlite");
    const w = new Database(newer);
    w.pragma("user_version = 9999");
    w.close();
    for (const db of [folder, "/proc/self/xxgk.sqlite", newer]) {
      const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "test/fixtures/portal/run-crawl.ts"), f, db], { cwd: root, encoding: "utf8", timeout: 60_000 });
      expect(r.status, db).toBe(2);
      expect(r.stderr, db).toMatch(/^xxgk crawl: [^\n]+\n$/);
    }
  });

  it("xxgk crawl --db on a file that is not a database: one line, exit 2", () => {
    const dir = tmp("notdb");
    const f = join(dir, "portals.json");
    writeFileSync(f, JSON.stringify(config("http://127.0.0.1:9")));
    const notDb = join(dir, "report.pdf");
    writeFileSync(notDb, "%PDF-1.4\n" + "x".repeat(5000));
    const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "test/fixtures/portal/run-crawl.ts"), f, notDb], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^xxgk crawl: .*report\.pdf.*\n$/);
  });
});

// ---- control characters --------------------------------------------------------------------

describe("control characters in what is printed", () => {
  it("printable escapes C0, DEL, C1, line separators and bidi overrides, and keeps Chinese", () => {
    expect(printable("a\nb\rc\td")).toBe("a\\nb\\rc\\td");
    expect(printable("\x1b[31mred\x7f\x85")).toBe("\\x1b[31mred\\x7f\\x85");
    expect(printable("x\u2028y\u202ez\u2066")).toBe("x\\u2028y\\u202ez\\u2066");
    expect(printable("环翠区商务局 2024年 report.pdf")).toBe("环翠区商务局 2024年 report.pdf");
  });

  it("a file named to forge a log line is printed on its own line, escaped, by ingest", async () => {
    const dir = tmp("names");
    const files = join(dir, "in");
    mkdirSync(files);
    writeFileSync(join(files, "a\nxxgk: 0 failed.txt"), "not a report");
    writeFileSync(join(files, "b\x1b[2J.txt"), "not a report either");
    const store = openStore(join(dir, "x.sqlite"));
    const sum = await ingestPaths(store, [files], { summary: emptySummary() });
    store.close();
    const out = describeSummary(sum, join(dir, "x.sqlite"));
    expect(out).not.toMatch(/\x1b/);
    expect(out.split("\n").filter((l) => l.startsWith("xxgk:"))).toEqual([]);
    expect(out).toContain("a\\nxxgk: 0 failed.txt");
    expect(out).toContain("b\\x1b[2J.txt");
  });

  it("and by crawl, in every field a server or a document controls", () => {
    const sum = {
      ok: false, db: "x.sqlite", startedAt: "", finishedAt: "", durationMs: 0, requests: 1,
      portals: [{
        portal: "p", listPages: { fetched: 1, notModified: 0, failed: 0 }, documents: { fetched: 1, unchanged: 0, resumed: 0 },
        reports: { new: 1, copies: 1, present: 0, containers: 0 }, left: { documents: 0, links: 0 }, requests: 1,
        newReports: [{ url: "http://x/a", organ: "局\n  failed  forged" }],
        newCopies: [{ url: "http://x/c", organ: "局\n  new  forged too", year: 2024 }],
        failed: [{ url: "http://x/b", kind: "article" as const, reason: "not read as a report: corrupt: bad \x1b]0;title\x07" }],
        skipped: [], robots: [],
      }],
    };
    const out = describeCrawl(sum);
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(out.split("\n").filter((l) => l.includes("forged"))).toEqual(["  new     http://x/a  (局\\n  failed  forged ?)", "  copy    http://x/c  (局\\n  new  forged too 2024)"]);
    expect(out).toMatch(/^p: 1 new report, 1 new copy of reports stored, 0 already stored, /);
  });
});
