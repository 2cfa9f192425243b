// `xxgk crawl` against a real node:http server on 127.0.0.1 serving a fake portal
// (test/fixtures/portal/server.ts). No test touches any other address.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { startPortal, portalConfig, type FakePortal } from "./fixtures/portal/server.js";
import { runCrawl, CrawlLockedError, describeCrawl } from "../src/crawl/command.js";
import { ConfigError, parseConfig, userAgentOf } from "../src/crawl/config.js";
import { isAllowed, parseRobots, rulesFor, verdictOf, robotsVerdict } from "../src/crawl/robots.js";
import { Fetcher } from "../src/crawl/fetch.js";
import { HostScheduler } from "../src/crawl/queue.js";
import { parseListPage, parseJsonList, attachmentLinks } from "../src/crawl/lists.js";
import { acquireLock, lockPathFor } from "../src/crawl/lock.js";
import type { IngestInput, IngestResult, Ingestor } from "../src/crawl/crawler.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const runner = join(root, "test/fixtures/portal/run-crawl.ts");
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `xxgk-crawl-${name}-`));
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

// ---- the pieces -------------------------------------------------------------------

describe("robots.txt", () => {
  const text = [
    "User-agent: *",
    "Disallow: /private/",
    "Allow: /private/open",
    "Disallow: /*.pdf$",
    "",
    "User-agent: xxgk",
    "User-agent: otherbot",
    "Disallow: /xxgk-only/",
    "Allow: /xxgk-only/yes",
    "Crawl-delay: 2",
    "",
    "User-agent: blocked",
    "Disallow: /",
  ].join("\n");
  const robots = parseRobots(text);

  it("uses the group naming xxgk, else *, with the longest match winning", () => {
    const own = rulesFor(robots, "xxgk");
    expect(own.crawlDelay).toBe(2);
    expect(isAllowed(own.rules, "/private/x")).toBe(true); // the * group does not apply to xxgk
    expect(isAllowed(own.rules, "/xxgk-only/a")).toBe(false);
    expect(isAllowed(own.rules, "/xxgk-only/yes/1")).toBe(true);
    const star = rulesFor(robots, "somebot").rules;
    expect(isAllowed(star, "/private/x")).toBe(false);
    expect(isAllowed(star, "/private/open/1")).toBe(true);
    expect(isAllowed(star, "/a/b.pdf")).toBe(false);
    expect(isAllowed(star, "/a/b.pdf?x=1")).toBe(true); // `$` anchors the end
    expect(isAllowed(star, "/a/b.html")).toBe(true);
    expect(isAllowed(rulesFor(robots, "blocked").rules, "/anything")).toBe(false);
    expect(isAllowed(rulesFor(robots, "blocked").rules, "/robots.txt")).toBe(true);
  });

  it("an Allow wins a tie; * matches inside a path; non-ASCII paths match their encoding", () => {
    const r = rulesFor(parseRobots("User-agent: *\nDisallow: /a\nAllow: /a\nDisallow: /x/*/y\nDisallow: /公开/"), "xxgk").rules;
    expect(isAllowed(r, "/a/b")).toBe(true);
    expect(isAllowed(r, "/x/1/2/y/z")).toBe(false);
    expect(isAllowed(r, "/x/y")).toBe(true);
    expect(isAllowed(r, "/%E5%85%AC%E5%BC%80/nb.html")).toBe(false);
  });

  it("404 allows all, 5xx and no answer disallow all for the run", () => {
    expect(verdictOf({ status: 404, body: new Uint8Array() }, "xxgk").kind).toBe("allow-all");
    const v = verdictOf({ status: 503, body: new Uint8Array() }, "xxgk");
    expect(v.kind).toBe("disallow-all");
    expect(robotsVerdict(v, "/zwgk/")).toBe(false);
    expect(verdictOf({ status: null, error: "timed out" }, "xxgk").kind).toBe("disallow-all");
    expect(robotsVerdict(verdictOf({ status: 200, body: Buffer.from("") }, "xxgk"), "/x")).toBe(true);
  });
});

describe("portal list", () => {
  const base = {
    userAgent: "xxgk (+mailto:data@example.org)",
    portals: [
      {
        name: "example-district",
        startUrls: ["https://www.example.gov.cn/zwgk/zfxxgknb/"],
        reportLink: { selector: ".list a", text: "年度报告" },
        nextPage: { text: "下一页" },
        perHostIntervalMs: 1000,
        region: "110101",
      },
    ],
  };

  it("accepts the documented example, with defaults", () => {
    const c = parseConfig(base);
    expect(c.concurrency).toBe(4);
    expect(c.perHostIntervalMs).toBe(1000);
    expect(c.portals[0].maxPages).toBe(20);
    expect(userAgentOf(c)).toBe("xxgk (+mailto:data@example.org)");
    expect(userAgentOf({ contact: "mailto:a@b.org" })).toMatch(/^xxgk\/\S+ \(\+mailto:a@b.org\)$/);
    expect(userAgentOf({ userAgent: "research bot (+mailto:a@b.org)" })).toMatch(/^xxgk\/.* research bot/);
  });

  it("refuses typos, bad patterns, missing rules and no contact, naming each path", () => {
    const bad = {
      portals: [
        { name: "a", startUrls: ["ftp://x.gov.cn/"], reportLink: { text: "(" }, maxPage: 3 },
        { name: "a", jsonList: { url: "https://x.gov.cn/api" }, region: "11" },
        { name: "b" },
      ],
    };
    let err: Error | null = null;
    try {
      parseConfig(bad, "portals.json");
    } catch (e) {
      err = e as Error;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const m = err!.message;
    expect(m).toMatch(/portals\.0\.startUrls\.0: must be an absolute http\(s\) URL/);
    expect(m).toMatch(/portals\.0\.reportLink\.text: is not a valid regular expression/);
    expect(m).toMatch(/portals\.0: Unrecognized key: "maxPage"/);
    expect(m).toMatch(/portals\.1\.region/);
    expect(m).toMatch(/portals\.2: give startUrls, a jsonList, or both/);
    expect(m).toMatch(/userAgent naming a contact/);
  });
});

describe("list parsing", () => {
  it("takes links by selector and text (or title), resolves them, finds the next page", () => {
    const html = `<base href="https://x.gov.cn/zwgk/nb/"><div class="list"><a href="a.html" title="某局2024年政府信息公开工作年度报告">某局2024年...</a>
      <a href="/b.html">通知</a><a href="javascript:void(0)">年度报告</a></div><a href="c.html">年度报告（侧栏）</a>
      <a href="index_2.html">下一页</a>`;
    const p = parseListPage(html, "https://x.gov.cn/zwgk/nb/index.html", { selector: ".list", text: "年度报告" }, { text: "^下一页$" });
    expect(p.links).toEqual([{ url: "https://x.gov.cn/zwgk/nb/a.html", text: "某局2024年政府信息公开工作年度报告" }]);
    expect(p.next).toBe("https://x.gov.cn/zwgk/nb/index_2.html");
  });

  it("reads a JSON list by a dotted path and finds attachments on an article", () => {
    const cfg = parseConfig({ contact: "x@y.org", portals: [{ name: "j", jsonList: { url: "https://x.gov.cn/api", itemsPath: "data.rows", urlField: "link", titleField: "t", titleMatch: "年度报告" } }] }).portals[0].jsonList!;
    const links = parseJsonList(JSON.stringify({ data: { rows: [{ link: "/1.html", t: "2024年度报告" }, { link: "/2.html", t: "通知" }] } }), cfg, "https://x.gov.cn/api");
    expect(links).toEqual([{ url: "https://x.gov.cn/1.html", text: "2024年度报告" }]);
    const att = attachmentLinks(`<a href="/f/1.PDF">1</a><a href="2.docx#p">2</a><a href="/dl.jsp?file=3.wps">3</a><a href="4.xls">4</a><a href="5.rtf">5</a><a href="6.odt">6</a><a href="7.XLSX">7</a>`, "https://x.gov.cn/a/b.html");
    // Workbooks (a report's tables) are fetched too.
    expect(att.map((a) => a.url)).toEqual(["https://x.gov.cn/f/1.PDF", "https://x.gov.cn/a/2.docx", "https://x.gov.cn/dl.jsp?file=3.wps", "https://x.gov.cn/a/4.xls", "https://x.gov.cn/a/5.rtf", "https://x.gov.cn/a/6.odt", "https://x.gov.cn/a/7.XLSX"]);
  });
});

// ---- against the fake portal --------------------------------------------------------

describe("fetcher", () => {
  let portal: FakePortal;
  beforeAll(async () => {
    portal = await startPortal();
  });
  afterAll(async () => {
    await portal.close();
  });
  const fetcher = (over: Partial<ConstructorParameters<typeof Fetcher>[0]> = {}) =>
    new Fetcher({
      userAgent: "xxgk-test (+mailto:t@example.org)",
      timeoutMs: 300,
      retries: 2,
      retryBaseMs: 10,
      maxRedirects: 5,
      maxBytes: 1 << 20,
      scheduler: new HostScheduler({ concurrency: 2, perHostConcurrency: 1, defaultIntervalMs: 0 }),
      ...over,
    });
  const hosts = () => new Set([`127.0.0.1:${portal.port}`]);

  it("caps the body size, never retries a 4xx, follows a redirect only within the hosts", async () => {
    portal.reset();
    const big = await fetcher({ maxBytes: 1000 }).fetch({ url: `${portal.base}/zwgk/nb/a1.html`, allowedHosts: hosts() });
    expect(big).toMatchObject({ kind: "failed", code: "too-large", permanent: true });
    const gone = await fetcher().fetch({ url: `${portal.base}/nothing-here`, allowedHosts: hosts() });
    expect(gone).toMatchObject({ kind: "failed", status: 404, code: "http-4xx", permanent: true, requests: 1 });
    const moved = await fetcher().fetch({ url: `${portal.base}/zwgk/nb/old.html`, allowedHosts: hosts() });
    expect(moved).toMatchObject({ kind: "ok", status: 200, finalUrl: `${portal.base}/zwgk/nb/a5.html`, requests: 2 });
    const away = await fetcher().fetch({ url: `${portal.base}/zwgk/nb/away.html`, allowedHosts: hosts() });
    expect(away).toMatchObject({ kind: "blocked", code: "off-host" });
    expect(portal.count("/elsewhere.html")).toBe(0);
  });

  it("spaces requests to one host by the configured interval", async () => {
    const scheduler = new HostScheduler({ concurrency: 4, perHostConcurrency: 1, defaultIntervalMs: 150 });
    const f = fetcher({ scheduler });
    const t0 = Date.now();
    await Promise.all([1, 2, 3].map(() => f.fetch({ url: `${portal.base}/robots.txt`, allowedHosts: hosts() })));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });
});

interface Snapshot {
  urls: Record<string, unknown>[];
  links: string[];
  blobs: string[];
  reports: string[];
  failures: string[];
}

/** The database's contents with what legitimately differs between runs (times, ports, attempt counts) taken out. */
function snapshot(dbPath: string, portal: FakePortal): Snapshot {
  const db = new Database(dbPath, { readonly: true });
  const norm = (s: unknown) => (typeof s === "string" ? s.split(portal.base).join("BASE").split(`:${portal.port}`).join(":PORT") : s);
  try {
    const urls = (db.prepare("SELECT * FROM crawl_urls ORDER BY url").all() as Record<string, unknown>[]).map((r) => ({
      url: norm(r.url),
      portal: r.portal,
      kind: r.kind,
      status: r.status,
      sha256: r.sha256,
      etag: r.etag,
      last_modified: r.last_modified,
      last_status: r.kind === "list" ? "-" : r.last_status,
      last_error: norm(r.last_error),
      final_url: norm(r.final_url),
      content_type: r.content_type,
      ingest: r.ingest_status === "present" ? "ingested" : r.ingest_status, // stored by a killed run before its row was written
      ingest_code: r.ingest_code,
    }));
    const links = (db.prepare("SELECT parent_url, child_url FROM crawl_links").all() as { parent_url: string; child_url: string }[])
      .map((l) => `${norm(l.parent_url)} -> ${norm(l.child_url)}`)
      .sort();
    const reports = (
      db.prepare("SELECT v.sha256, r.organ, r.year, r.is_current FROM reports r JOIN versions v ON v.id = r.version_id").all() as Record<string, unknown>[]
    )
      .map((r) => `${r.sha256} ${r.organ} ${r.year} ${r.is_current}`)
      .sort();
    const failures = (db.prepare("SELECT locator, sha256, code, is_current FROM failures").all() as Record<string, unknown>[])
      .map((f) => `${norm(f.locator)} ${f.sha256} ${f.code} ${f.is_current}`)
      .sort();
    const blobDir = join(dbPath, "..", "blobs");
    const blobs: string[] = [];
    for (const d of readdirSync(blobDir)) {
      if (d === "tmp") {
        expect(readdirSync(join(blobDir, d)).filter((f) => !f.endsWith(".tmp"))).toEqual([]);
        continue;
      }
      for (const f of readdirSync(join(blobDir, d))) if (!f.endsWith(".tmp")) blobs.push(d + f);
    }
    return { urls, links, blobs: blobs.sort(), reports, failures };
  } finally {
    db.close();
  }
}

function rows(dbPath: string, sql: string, ...args: unknown[]): Record<string, unknown>[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(sql).all(...args) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

function startChild(configPath: string, dbPath: string, ...rest: string[]): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ["--import", "tsx", runner, configPath, dbPath, ...rest], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((r) =>
    child.on("exit", (code, signal) => r({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

describe("xxgk crawl against a fake portal", () => {
  let portal: FakePortal;
  let dir: string;
  let db: string;
  let first: Awaited<ReturnType<typeof runCrawl>>;
  beforeAll(async () => {
    portal = await startPortal();
    dir = tmp("main");
    db = join(dir, "xxgk.sqlite");
    first = await runCrawl({ config: portalConfig(portal.base), db });
  });
  afterAll(async () => {
    await portal.close();
  });
  const u = (p: string) => `${portal.base}${p}`;
  const row = (p: string) => rows(db, "SELECT * FROM crawl_urls WHERE url = ?", u(p))[0];

  it("first run: new reports ingested, failures with reasons, and the summary says so", () => {
    const html = first.portals.find((p) => p.portal === "html-portal")!;
    const json = first.portals.find((p) => p.portal === "json-portal")!;
    expect(first.ok).toBe(false); // a 404, a timeout
    expect(html.listPages).toEqual({ fetched: 2, notModified: 0, failed: 0 });
    expect(json.listPages).toEqual({ fetched: 3, notModified: 0, failed: 0 });
    expect(json.reports.new).toBe(2);
    expect(html.reports.containers).toBe(1); // the page whose report is in its attachments
    const failed = Object.fromEntries(html.failed.map((f) => [f.url.replace(portal.base, ""), f.reason]));
    expect(failed["/zwgk/nb/missing.html"]).toBe("HTTP 404");
    expect(failed["/files/missing.pdf"]).toBe("HTTP 404");
    expect(failed["/zwgk/nb/slow.html"]).toBe("timed out (after 3 attempts)");
    const skipped = Object.fromEntries(html.skipped.map((f) => [f.url.replace(portal.base, ""), f.reason]));
    expect(skipped["/private/secret.html"]).toBe("robots.txt disallows /private/secret.html");
    expect(skipped["/zwgk/nb/away.html"]).toMatch(/^redirect to http:\/\/localhost:\d+\/elsewhere\.html leaves the portal's hosts; not followed$/);
    // HTML pages in UTF-8, GBK declared in <meta> only, GBK undeclared, a redirect, a flaky page, a DOCX attachment.
    const organs = html.newReports.map((r) => r.organ).sort();
    expect(organs).toEqual(expect.arrayContaining(["环翠区商务局", "硚口区商务局", "硚口区经科局", "环翠区财政局", "环翠区发展和改革局"]));
    expect(describeCrawl(first)).toMatch(/^html-portal: \d+ new reports?, /);
  });

  it("first run: crawl_urls rows, statuses and links", () => {
    expect(row("/zwgk/nb/index.html")).toMatchObject({ kind: "list", status: "done", last_status: 200, last_modified: "Mon, 20 Jan 2025 08:00:00 GMT" });
    expect(row("/zwgk/nb/index.html").etag).toMatch(/^"[0-9a-f]{16}"$/);
    for (const p of ["/zwgk/nb/a1.html", "/zwgk/nb/a2.html", "/zwgk/nb/a3.html", "/zwgk/json/j1.html", "/zwgk/json/j2.html"])
      expect(row(p), p).toMatchObject({ kind: "article", status: "done", last_status: 200, ingest_status: "ingested", attempts: 0 });
    expect(row("/zwgk/nb/flaky.html")).toMatchObject({ status: "done", last_status: 200, ingest_status: "ingested" });
    expect(row("/zwgk/nb/old.html")).toMatchObject({ status: "done", final_url: u("/zwgk/nb/a5.html"), ingest_status: "ingested" });
    expect(row("/zwgk/nb/slow.html")).toMatchObject({ status: "failed", attempts: 1, last_status: null, last_error: "timed out (after 3 attempts)" });
    expect(row("/zwgk/nb/missing.html")).toMatchObject({ status: "gone", last_status: 404, last_error: "HTTP 404" });
    expect(row("/zwgk/nb/away.html")).toMatchObject({ status: "refused", sha256: null });
    expect(row("/private/secret.html")).toMatchObject({ status: "blocked", last_error: "robots.txt disallows /private/secret.html" });
    expect(row("/zwgk/nb/a6.html")).toMatchObject({ status: "done", ingest_status: "failed", ingest_code: "attachments-only" });
    expect(row("/files/report-2023.docx")).toMatchObject({ kind: "attachment", status: "done", ingest_status: "ingested" });
    expect(row("/files/report-2023.pdf")).toMatchObject({ kind: "attachment", status: "done" });
    expect(row("/files/missing.pdf")).toMatchObject({ kind: "attachment", status: "gone" });
    // Not report links (text or selector), or never reached: no rows.
    for (const p of ["/zwgk/nb/notice.html", "/zwgk/nb/side.html", "/elsewhere.html"]) expect(row(p), p).toBeUndefined();
    const children = rows(db, "SELECT child_url FROM crawl_links WHERE parent_url = ? ORDER BY child_url", u("/zwgk/nb/a6.html")).map((r) => r.child_url);
    expect(children).toEqual([u("/files/missing.pdf"), u("/files/report-2023.docx"), u("/files/report-2023.pdf")]);
    // The page the report came from names the same URL in the store.
    const src = rows(db, "SELECT s.url FROM reports r JOIN versions v ON v.id = r.version_id JOIN sources s ON s.id = v.source_id WHERE v.sha256 = ?", row("/zwgk/nb/a2.html").sha256);
    expect(src).toEqual([{ url: u("/zwgk/nb/a2.html") }]);
  });

  it("first run: every fetched document is a blob named by its sha256, with its fetch recorded", () => {
    const withBytes = rows(db, "SELECT url, sha256 FROM crawl_urls WHERE sha256 IS NOT NULL");
    expect(withBytes.length).toBeGreaterThanOrEqual(14);
    for (const r of withBytes) {
      const h = r.sha256 as string;
      const file = join(dir, "blobs", h.slice(0, 2), h.slice(2));
      expect(existsSync(file), String(r.url)).toBe(true);
      expect(sha(readFileSync(file))).toBe(h);
      const fetches = rows(db, "SELECT status, headers FROM crawl_fetches WHERE sha256 = ?", h);
      expect(fetches.length).toBeGreaterThan(0);
      expect(JSON.parse(fetches[0].headers as string)["content-type"]).toBeTruthy();
    }
    expect(readdirSync(join(dir, "blobs", "tmp"))).toEqual([]);
  });

  it("first run: polite on the wire — robots.txt once, retries only on 5xx and timeouts, the User-Agent names xxgk and the contact", () => {
    expect(portal.count("/robots.txt")).toBe(1);
    expect(portal.count("/zwgk/nb/flaky.html")).toBe(3); // 500, 500, 200
    expect(portal.count("/zwgk/nb/slow.html")).toBe(3); // 1 + 2 retries
    expect(portal.count("/zwgk/nb/missing.html")).toBe(1); // no retry on 4xx
    expect(portal.count("/zwgk/nb/a1.html")).toBe(1); // listed twice (and in the JSON list): fetched once
    expect(portal.count("/private/secret.html")).toBe(0);
    expect(portal.count("/elsewhere.html")).toBe(0);
    expect(portal.count("/zwgk/nb/notice.html")).toBe(0);
    expect(portal.count("/api/list?page=3")).toBe(1); // the empty page ends the JSON list
    expect(portal.count("/api/list?page=4")).toBe(0);
    for (const h of portal.hits) expect(h.userAgent).toBe("xxgk-test (+mailto:crawl-test@example.org)");
  });

  it("second run: only list pages (answered 304), robots.txt and what failed transiently are requested", async () => {
    portal.reset();
    const before = snapshot(db, portal);
    const second = await runCrawl({ config: portalConfig(portal.base), db });
    const lists = ["/zwgk/nb/index.html", "/zwgk/nb/index_1.html", "/api/list?page=1", "/api/list?page=2", "/api/list?page=3"];
    expect([...portal.paths()].sort()).toEqual([...lists, "/robots.txt", "/zwgk/nb/slow.html"].sort());
    for (const h of portal.hits.filter((h) => lists.includes(h.path))) {
      expect(h.conditional).toBe(true);
      expect(h.ifNoneMatch, h.path).toMatch(/^"[0-9a-f]{16}"$/); // the ETag, not only If-Modified-Since
      expect(h.status).toBe(304);
    }
    const html = second.portals.find((p) => p.portal === "html-portal")!;
    expect(html.listPages).toEqual({ fetched: 0, notModified: 2, failed: 0 });
    expect(html.reports.new).toBe(0);
    expect(html.documents.fetched).toBe(0);
    expect(html.failed.map((f) => f.url)).toEqual([u("/zwgk/nb/slow.html")]);
    expect(row("/zwgk/nb/slow.html")).toMatchObject({ status: "failed", attempts: 2 });
    const after = snapshot(db, portal);
    expect(after.reports).toEqual(before.reports);
    expect(after.blobs).toEqual(before.blobs);
    expect(after.links).toEqual(before.links);
  });

  it("passes the portal's hints, the URL and the Content-Type to ingest (a fake ingestor)", async () => {
    const seen: IngestInput[] = [];
    const fake: Ingestor = {
      async ingestOne(input): Promise<IngestResult> {
        seen.push(input);
        return { status: "ingested", sha256: sha(input.bytes), reportId: seen.length };
      },
    };
    const fresh = join(tmp("fake"), "x.sqlite");
    const s = await runCrawl({ config: portalConfig(portal.base), db: fresh, ingestor: fake });
    const a2 = seen.find((i) => i.url === u("/zwgk/nb/a2.html"))!;
    // The portal's region, the date its list page prints beside the link, and the link's text.
    expect(a2.hints).toEqual({ region: "371002", listedOn: { date: "2025-01-20", text: "2025-01-20", page: u("/zwgk/nb/index.html") }, linkText: "硚口区商务局2024年政府信息公开工作年度报告" });
    expect(a2.contentType).toBe("text/html");
    expect(a2.retrievedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // A JSON list's entry gives its title, no date, and the portal no region.
    expect(seen.find((i) => i.url === u("/zwgk/json/j1.html"))!.hints).toEqual({ linkText: "环翠区教育局2024年政府信息公开工作年度报告" });
    // The fake gives no attachment list: the crawler finds them on the page itself.
    expect(seen.some((i) => i.url === u("/files/report-2023.docx"))).toBe(true);
    // Every document fetched went to ingest, once.
    expect(seen.length).toBe(s.portals.reduce((n, p) => n + p.documents.fetched, 0));
    expect(new Set(seen.map((i) => i.url)).size).toBe(seen.length);
  });
});

describe("politeness across portals", () => {
  it("a slow portal does not hold up a fast one (one queue per host under the global limit)", async () => {
    const slow = await startPortal({ delayMs: 250 });
    const fast = await startPortal();
    const jsonOnly = (name: string, base: string) => ({
      name,
      jsonList: { url: `${base}/api/list`, itemsPath: "data.list", nextPageParam: "page" },
    });
    const t0 = Date.now();
    const s = await runCrawl({
      config: { contact: "mailto:t@example.org", concurrency: 2, perHostIntervalMs: 0, timeoutMs: 2000, retryBaseMs: 10, portals: [jsonOnly("slow", slow.base), jsonOnly("fast", fast.base)] },
      db: join(tmp("hosts"), "x.sqlite"),
      ingestor: { ingestOne: async (i) => ({ status: "ingested", sha256: sha(i.bytes) }) },
    });
    expect(s.ok).toBe(true);
    expect(fast.hits.length).toBe(7); // robots.txt, 3 list pages, 3 articles
    expect(slow.hits.length).toBe(7);
    const fastDone = Math.max(...fast.hits.map((h) => h.at)) - t0;
    const slowDone = Math.max(...slow.hits.map((h) => h.at)) - t0;
    expect(slowDone).toBeGreaterThan(1200); // 7 requests one after another, 250 ms each
    expect(fastDone).toBeLessThan(slowDone / 2);
    await slow.close();
    await fast.close();
  });

  it("a robots.txt answering 5xx disallows the whole host for the run, and is reported", async () => {
    const portal = await startPortal({ robotsStatus: 503 });
    const db = join(tmp("robots"), "x.sqlite");
    const s = await runCrawl({ config: portalConfig(portal.base), db });
    expect([...portal.paths()]).toEqual(["/robots.txt"]);
    expect(portal.count("/robots.txt")).toBe(3); // retried like any 5xx, once per run
    expect(s.ok).toBe(false);
    const html = s.portals.find((p) => p.portal === "html-portal")!;
    expect(html.failed).toEqual([{ url: `${portal.base}/robots.txt`, kind: "robots", reason: "robots.txt answered 503: every path disallowed this run" }]);
    expect(html.robots[0].note).toMatch(/503/);
    expect(rows(db, "SELECT status FROM crawl_urls WHERE url = ?", `${portal.base}/zwgk/nb/index.html`)).toEqual([{ status: "blocked" }]);
    await portal.close();
  });
});

describe("a killed crawl resumes", () => {
  it("killed twice half-way and restarted, it ends with the same database as an uninterrupted run", async () => {
    // The uninterrupted run.
    const whole = await startPortal({ delayMs: 15 });
    const wholeDir = tmp("whole");
    const wholeConfig = join(wholeDir, "portals.json");
    writeFileSync(wholeConfig, JSON.stringify(portalConfig(whole.base)));
    const w = startChild(wholeConfig, join(wholeDir, "xxgk.sqlite"), "--json");
    const wr = await w.done;
    expect(wr.stderr).toBe("");
    expect(wr.code).toBe(1); // the 404 and the timeout
    const summary = JSON.parse(wr.stdout) as Awaited<ReturnType<typeof runCrawl>>;
    expect(summary.ok).toBe(false);
    expect(summary.portals.map((p) => p.portal)).toEqual(["html-portal", "json-portal"]);
    const expected = snapshot(join(wholeDir, "xxgk.sqlite"), whole);
    const total = whole.hits.length;
    await whole.close();

    // The same crawl, SIGKILLed 7 requests in; again when the attachment page's first
    // attachment is requested (the page is stored and ingested, its attachments not);
    // then run to the end.
    const portal = await startPortal({ delayMs: 15 });
    const dir = tmp("killed");
    const config = join(dir, "portals.json");
    const db = join(dir, "xxgk.sqlite");
    writeFileSync(config, JSON.stringify(portalConfig(portal.base)));
    const kills: ((n: number, path: string) => boolean)[] = [(n) => n === 7, (_n, path) => path === "/files/report-2023.docx"];
    for (const killNow of kills) {
      const run = startChild(config, db);
      let seen = 0;
      portal.onRequest = (_t, path) => {
        if (killNow(++seen, path)) run.child.kill("SIGKILL");
      };
      const r = await run.done;
      expect(r.signal).toBe("SIGKILL");
      portal.onRequest = undefined;
      expect(existsSync(`${db}.crawl.lock`)).toBe(true); // left behind by the kill: stale, taken over next run
    }
    // Killed with the page ingested and its attachments in flight: the row says so.
    const page = rows(db, "SELECT status, sha256 FROM crawl_urls WHERE url = ?", `${portal.base}/zwgk/nb/a6.html`)[0];
    expect(page).toMatchObject({ status: "fetched" });
    expect(rows(db, "SELECT count(*) AS n FROM crawl_links WHERE parent_url = ?", `${portal.base}/zwgk/nb/a6.html`)[0].n).toBe(3);
    const killed = rows(db, "SELECT count(*) AS n FROM crawl_urls WHERE status = 'done' AND kind != 'list'")[0].n as number;
    expect(killed).toBeLessThan(expected.urls.filter((r) => r.status === "done" && r.kind !== "list").length);
    const last = await startChild(config, db).done;
    expect(last.stderr).toBe("");
    expect(last.code).toBe(1);
    expect(last.stdout).toMatch(/^html-portal: \d+ new reports?, .*\n(.*\n)*crawl finished in [\d.]+ s: 2 portals, /);
    expect(last.stdout).toMatch(/failed {2}http:\/\/127\.0\.0\.1:\d+\/zwgk\/nb\/slow\.html {2}timed out/);
    const got = snapshot(db, portal);
    expect(got).toEqual(expected);
    expect(existsSync(`${db}.crawl.lock`)).toBe(false);
    // Nothing fetched twice beyond what was in flight at each kill (and the transient failures retried).
    const docFetches = portal.hits.filter((h) => !h.path.startsWith("/api/") && !h.path.includes("index") && h.path !== "/robots.txt" && !h.path.includes("slow"));
    const perPath = new Map<string, number>();
    for (const h of docFetches) perPath.set(h.path, (perPath.get(h.path) ?? 0) + 1);
    const repeated = [...perPath].filter(([p, n]) => n > 1 && p !== "/zwgk/nb/flaky.html").map(([p]) => p);
    expect(repeated.length).toBeLessThanOrEqual(2 * 4); // at most the in-flight requests of each killed run
    expect(portal.hits.length).toBeLessThan(total * 2.5);
    await portal.close();
  });
});

describe("a URL two portals list", () => {
  it("is filed under the portal listed first, even when the other one stored it in an earlier run", async () => {
    const portal = await startPortal();
    const config = portalConfig(portal.base);
    // An uninterrupted run in the configured order: how each URL should be filed.
    const wholeDb = join(tmp("order-whole"), "xxgk.sqlite");
    await runCrawl({ config, db: wholeDb });
    const expected = snapshot(wholeDb, portal).urls.map((r) => `${r.url} ${r.portal}`);
    // An earlier run that reached every URL through json-portal first (the order reversed),
    // so every shared URL is stored and done under json-portal before html-portal meets it.
    const db = join(tmp("order-reversed"), "xxgk.sqlite");
    await runCrawl({ config: { ...config, portals: [...config.portals].reverse() }, db });
    const before = snapshot(db, portal).urls;
    const shared = before.filter((r) => r.portal === "json-portal" && expected.includes(`${r.url} html-portal`));
    expect(shared.length).toBeGreaterThan(0); // the case this test is about happened
    await runCrawl({ config, db });
    expect(snapshot(db, portal).urls.map((r) => `${r.url} ${r.portal}`)).toEqual(expected);
    await portal.close();
  });
});

describe("two crawls on one database", () => {
  it("a crawl whose terminal closes (SIGHUP) exits 129 and leaves no lock behind", async () => {
    const portal = await startPortal({ delayMs: 150 });
    const dir = tmp("hup");
    const config = join(dir, "portals.json");
    const db = join(dir, "xxgk.sqlite");
    writeFileSync(config, JSON.stringify(portalConfig(portal.base)));
    const run = startChild(config, db);
    await new Promise<void>((r) => (portal.onRequest = () => r()));
    portal.onRequest = undefined;
    expect(existsSync(lockPathFor(db))).toBe(true);
    run.child.kill("SIGHUP");
    const done = await run.done;
    expect(done.signal).toBeNull(); // it ended itself, exit handlers run, not killed by the signal
    expect(done.code).toBe(129);
    expect(existsSync(lockPathFor(db))).toBe(false);
    await portal.close();
  });

  it("the second refuses with a clear message while the first runs; a dead run's lock is taken over", async () => {
    const portal = await startPortal({ delayMs: 150 });
    const dir = tmp("lock");
    const config = join(dir, "portals.json");
    const db = join(dir, "xxgk.sqlite");
    writeFileSync(config, JSON.stringify(portalConfig(portal.base)));
    const firstRun = startChild(config, db);
    await new Promise<void>((r) => (portal.onRequest = () => r()));
    portal.onRequest = undefined;
    // In this process...
    await expect(runCrawl({ config: portalConfig(portal.base), db })).rejects.toThrow(CrawlLockedError);
    await expect(runCrawl({ config: portalConfig(portal.base), db })).rejects.toThrow(
      new RegExp(`another xxgk crawl is running on this database \\(pid ${firstRun.child.pid} on .*\\); refusing to start`),
    );
    // ...and as another process.
    const second = await startChild(config, db).done;
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/^xxgk crawl: another xxgk crawl is running on this database \(pid \d+ /);
    // A bad portal list: exit 2, every problem named.
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ portals: [{ name: "x", startUrls: ["not a url"] }] }));
    const bad = await startChild(join(dir, "bad.json"), db).done;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^xxgk crawl: \S*bad\.json is not a valid portal list: portals\.0\.startUrls\.0: must be an absolute http\(s\) URL.*\n$/);
    firstRun.child.kill("SIGKILL");
    await firstRun.done;
    // The dead run's lock is stale: the next run takes it over and finishes.
    portal.onRequest = undefined;
    const lock = acquireLock(db);
    lock.release();
    await portal.close();
  });
});
