// The crawl state kept by the store (Store.crawl, src/crawl-ledger.ts) on a real SQLite
// file: what a URL's row keeps across partial updates, links, unfinished documents, the
// revival of transient `gone`s, runs and fetches; that it shares the store's connection;
// and that nothing outside the store layer speaks SQL to the database.
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "../src/store.js";
import type { CrawlLedger } from "../src/crawl-ledger.js";

let dir: string;
let path: string;
let store: Store;
let ledger: CrawlLedger;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "xxgk-ledger-"));
  path = join(dir, "x.sqlite");
  store = openStore(path);
  ledger = store.crawl;
});
afterEach(() => store.close());

/** Reads the file through a connection of its own (what another process would see). */
function rows(sql: string, ...args: unknown[]): Record<string, unknown>[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all(...args) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

describe("a URL's row", () => {
  it("is filed under the portal listed first in the configuration, whichever reached it first; its kind is the first's", () => {
    ledger.orderPortals(["html-portal", "json-portal"]);
    ledger.saveUrl({ url: "http://p/a.html", portal: "json-portal", kind: "attachment", status: "done" });
    ledger.saveUrl({ url: "http://p/a.html", portal: "html-portal", kind: "article", status: "done" });
    expect(ledger.url("http://p/a.html")).toMatchObject({ portal: "html-portal", kind: "attachment" });
    ledger.saveUrl({ url: "http://p/a.html", portal: "json-portal", kind: "article", status: "done" });
    expect(rows("SELECT portal FROM crawl_urls WHERE url = 'http://p/a.html'")).toEqual([{ portal: "html-portal" }]);
    // A portal no longer configured gives way to one that is; two unconfigured ones: the first stays.
    ledger.saveUrl({ url: "http://p/b.html", portal: "gone-portal", kind: "article", status: "done" });
    ledger.saveUrl({ url: "http://p/b.html", portal: "other-gone", kind: "article", status: "done" });
    expect(ledger.url("http://p/b.html")?.portal).toBe("gone-portal");
    ledger.saveUrl({ url: "http://p/b.html", portal: "json-portal", kind: "article", status: "done" });
    expect(ledger.url("http://p/b.html")?.portal).toBe("json-portal");
  });

  it("met by a first-ranked portal, is re-filed under it at once and stays there whoever saves it next", () => {
    ledger.orderPortals(["html-portal", "json-portal"]);
    // Written by the second portal (in an earlier run, or before the first reached it).
    ledger.saveUrl({ url: "http://p/c.html", portal: "json-portal", kind: "article", status: "done" });
    ledger.meet("http://p/c.html", "json-portal");
    expect(ledger.url("http://p/c.html")?.portal).toBe("json-portal");
    ledger.meet("http://p/c.html", "html-portal");
    expect(rows("SELECT portal FROM crawl_urls WHERE url = 'http://p/c.html'")).toEqual([{ portal: "html-portal" }]);
    // Met first, written later by the portal ranked second: filed under the first.
    ledger.meet("http://p/d.html", "html-portal");
    ledger.meet("http://p/d.html", "json-portal");
    expect(ledger.url("http://p/d.html")).toBeUndefined();
    ledger.saveUrl({ url: "http://p/d.html", portal: "json-portal", kind: "article", status: "fetched" });
    expect(ledger.url("http://p/d.html")).toMatchObject({ portal: "html-portal", status: "fetched" });
    // Meeting never demotes: a second-ranked portal meeting a row filed under the first leaves it.
    ledger.meet("http://p/c.html", "json-portal");
    expect(ledger.url("http://p/c.html")?.portal).toBe("html-portal");
  });

  it("is all blanks but what was given, the first time", () => {
    ledger.saveUrl({ url: "http://p/a.html", portal: "p", kind: "article", status: "failed", last_status: 503, attempts: 1 });
    expect(ledger.url("http://p/a.html")).toEqual({
      url: "http://p/a.html", portal: "p", kind: "article", status: "failed",
      etag: null, last_modified: null, sha256: null, last_status: 503, attempts: 1, last_error: null,
      fetched_at: null, final_url: null, content_type: null, ingest_status: null, ingest_code: null, report_id: null,
    });
    expect(ledger.url("http://p/never.html")).toBeUndefined();
  });

  it("keeps the fields an update does not give, and the portal and kind that first recorded it", () => {
    ledger.saveUrl({ url: "u", portal: "first", kind: "attachment", status: "fetched", sha256: "ab", etag: "\"e1\"", report_id: 7, ingest_status: "ingested" });
    ledger.saveUrl({ url: "u", portal: "second", kind: "article", status: "done", etag: "\"e2\"" });
    const r = ledger.url("u")!;
    expect([r.portal, r.kind, r.status, r.etag, r.sha256, r.report_id, r.ingest_status]).toEqual(["first", "attachment", "done", "\"e2\"", "ab", 7, "ingested"]);
    // An explicit null clears a field (a failure that came back, its error gone).
    ledger.saveUrl({ url: "u", portal: "first", kind: "attachment", status: "done", sha256: null });
    expect(ledger.url("u")!.sha256).toBeNull();
    // Persisted: another connection reads the same.
    expect(rows("SELECT portal, kind, status, etag FROM crawl_urls WHERE url = 'u'")).toEqual([{ portal: "first", kind: "attachment", status: "done", etag: "\"e2\"" }]);
  });
});

describe("links", () => {
  it("come back in the order first found; a link found again keeps its first text", () => {
    ledger.addLinks("L", [{ url: "b", text: "B" }, { url: "a" }]);
    ledger.addLinks("L", [{ url: "b", text: "changed" }, { url: "c", text: "C" }]);
    ledger.addLinks("other", [{ url: "z", text: "Z" }]);
    expect(ledger.linksFrom("L")).toEqual([
      { url: "b", text: "B", listedOn: null, pageTitle: null },
      { url: "a", text: null, listedOn: null, pageTitle: null },
      { url: "c", text: "C", listedOn: null, pageTitle: null },
    ]);
    expect(ledger.linksFrom("nowhere")).toEqual([]);
  });

  it("keep the list date and the title of the page that links them, and the first link to a URL answers linkTo", () => {
    const listedOn = { date: "2025-01-20", text: "2025-01-20", page: "http://p/list.html" };
    ledger.addLinks("page", [{ url: "r.pdf", text: "附件1", listedOn, pageTitle: "某局2024年政府信息公开工作年度报告" }]);
    ledger.addLinks("page2", [{ url: "r.pdf", text: "again" }]);
    expect(ledger.linksFrom("page")).toEqual([{ url: "r.pdf", text: "附件1", listedOn, pageTitle: "某局2024年政府信息公开工作年度报告" }]);
    expect(ledger.linkTo("r.pdf")).toEqual({ linkText: "附件1", listedOn, pageTitle: "某局2024年政府信息公开工作年度报告" });
    expect(ledger.linkTo("never.pdf")).toEqual({});
  });

  it("and a page's state are written together, or neither", () => {
    ledger.saveUrlWithLinks({ url: "P", portal: "p", kind: "article", status: "fetched" }, [{ url: "x.pdf", text: "x" }]);
    expect(ledger.url("P")!.status).toBe("fetched");
    expect(ledger.linksFrom("P")).toEqual([{ url: "x.pdf", text: "x", listedOn: null, pageTitle: null }]);
    // A state the table refuses (the status CHECK): the links found with it are not kept either.
    expect(() => ledger.saveUrlWithLinks({ url: "Q", portal: "p", kind: "article", status: "bogus" as never }, [{ url: "y.pdf" }])).toThrow();
    expect(ledger.url("Q")).toBeUndefined();
    expect(ledger.linksFrom("Q")).toEqual([]);
  });
});

describe("what a run picks up", () => {
  it("unfinished: a portal's documents fetched, failed or blocked, oldest first; never list pages or finished ones", () => {
    const put = (url: string, portal: string, kind: "list" | "article" | "attachment", status: "done" | "fetched" | "failed" | "gone" | "refused" | "blocked") =>
      ledger.saveUrl({ url, portal, kind, status });
    put("blocked", "p", "article", "blocked");
    put("list", "p", "list", "failed");
    put("done", "p", "article", "done");
    put("fetched", "p", "attachment", "fetched");
    put("gone", "p", "article", "gone");
    put("refused", "p", "article", "refused");
    put("failed", "p", "article", "failed");
    put("elsewhere", "q", "article", "failed");
    expect(ledger.unfinished("p").map((r) => [r.url, r.kind, r.status])).toEqual([
      ["blocked", "article", "blocked"],
      ["fetched", "attachment", "fetched"],
      ["failed", "article", "failed"],
    ]);
    expect(ledger.unfinished("q").map((r) => r.url)).toEqual(["elsewhere"]);
  });

  it("reviveTransient: `gone` on anything but 404 or 410 is failed again with a fresh count, and counted", () => {
    const gone = (url: string, last_status: number | null) => ledger.saveUrl({ url, portal: "p", kind: "article", status: "gone", last_status, attempts: 3 });
    gone("404", 404);
    gone("410", 410);
    gone("429", 429);
    gone("403", 403);
    gone("none", null);
    ledger.saveUrl({ url: "done", portal: "p", kind: "article", status: "done", last_status: 429, attempts: 2 });
    expect(ledger.reviveTransient()).toBe(3);
    const st = Object.fromEntries(rows("SELECT url, status, attempts FROM crawl_urls").map((r) => [r.url, [r.status, r.attempts]]));
    expect(st).toEqual({
      "404": ["gone", 3], "410": ["gone", 3], "429": ["failed", 0], "403": ["failed", 0], none: ["failed", 0], done: ["done", 2],
    });
    expect(ledger.reviveTransient()).toBe(0);
  });
});

describe("runs and fetches", () => {
  it("a fetch belongs to the run it was logged in; a run closes with its outcome and summary", () => {
    ledger.finishRun(true, { nothing: "started" }); // no run yet: nothing written
    expect(rows("SELECT count(*) AS n FROM crawl_runs")).toEqual([{ n: 0 }]);
    expect(ledger.runId).toBeNull();
    const one = ledger.startRun();
    expect(ledger.runId).toBe(one);
    ledger.logFetch({ url: "u", finalUrl: "v", status: 200, sha256: "ab", bytes: 12, headers: { etag: "\"e\"" }, requests: 2 });
    ledger.finishRun(false, { portals: 1 });
    const two = ledger.startRun();
    expect(two).not.toBe(one);
    ledger.logFetch({ url: "w", status: null, error: "timeout", requests: 3 });
    ledger.finishRun(true, { portals: 2 });
    expect(rows("SELECT run_id, url, final_url, status, sha256, bytes, headers, error, requests FROM crawl_fetches ORDER BY id")).toEqual([
      { run_id: one, url: "u", final_url: "v", status: 200, sha256: "ab", bytes: 12, headers: "{\"etag\":\"\\\"e\\\"\"}", error: null, requests: 2 },
      { run_id: two, url: "w", final_url: null, status: null, sha256: null, bytes: null, headers: null, error: "timeout", requests: 3 },
    ]);
    const runs = rows("SELECT id, pid, ok, summary, started_at <= finished_at AS ordered FROM crawl_runs ORDER BY id");
    expect(runs).toEqual([
      { id: one, pid: process.pid, ok: 0, summary: "{\"portals\":1}", ordered: 1 },
      { id: two, pid: process.pid, ok: 1, summary: "{\"portals\":2}", ordered: 1 },
    ]);
  });
});

describe("one connection", () => {
  it("the ledger writes on the store's connection: a store transaction that fails takes the crawl rows with it", () => {
    expect(store.crawl).toBe(ledger);
    expect(() =>
      store.transaction(() => {
        ledger.saveUrl({ url: "in-tx", portal: "p", kind: "article", status: "done" });
        ledger.addLinks("in-tx", [{ url: "child" }]);
        expect(ledger.url("in-tx")!.status).toBe("done"); // seen inside the transaction
        throw new Error("rolled back");
      }),
    ).toThrow("rolled back");
    expect(ledger.url("in-tx")).toBeUndefined();
    expect(ledger.linksFrom("in-tx")).toEqual([]);
  });

  it("a read-only store reads the crawl state and cannot write it", () => {
    ledger.saveUrl({ url: "u", portal: "p", kind: "article", status: "done" });
    store.close();
    const ro = openStore(path, { readonly: true });
    try {
      expect(ro.crawl.url("u")!.status).toBe("done");
      expect(() => ro.crawl.saveUrl({ url: "v", portal: "p", kind: "article", status: "done" })).toThrow(/readonly/i);
    } finally {
      ro.close();
    }
    store = openStore(path);
  });
});

describe("the store layer owns every SQL statement", () => {
  // The files that may speak SQL: the store, its statements, its ledgers (crawl state;
  // corrections and review marks; reports), the migrations. corrections.ts and serve/ go
  // through the review ledger.
  const allowed = (f: string) =>
    ["src/store.ts", "src/statements.ts", "src/crawl-ledger.ts", "src/review-ledger.ts", "src/report-ledger.ts", "src/migrations.ts", "src/sqlite-uri.ts"].includes(f) ||
    f.startsWith("src/migrations/");
  const sources = (d: string): string[] =>
    readdirSync(d).flatMap((n) => {
      const p = join(d, n);
      return statSync(p).isDirectory() ? sources(p) : /\.ts$/.test(n) ? [relative(".", p)] : [];
    });

  it("no other file imports better-sqlite3, prepares, executes SQL or sets a pragma", () => {
    const speaks = /from\s+["']better-sqlite3["']|\.prepare\(|\.pragma\(|\.exec\(\s*["'`]|\bdb\.transaction\(/;
    const offenders = ["src", "model", "normalizers", "extractors", "data"]
      .flatMap(sources)
      .filter((f) => !allowed(f) && speaks.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("the check sees what it looks for (it flags the statements and a ledger themselves)", () => {
    expect(/\.prepare\(/.test(readFileSync("src/statements.ts", "utf8"))).toBe(true);
    expect(/from\s+["']better-sqlite3["']/.test(readFileSync("src/crawl-ledger.ts", "utf8"))).toBe(true);
    expect(sources("src")).toContain("src/crawl/crawler.ts");
  });
});
