// `xxgk serve` over HTTP: a real server on 127.0.0.1 (random port) over a real database.
// Safety first: Host, token, CSRF and Origin checks, the Content-Security-Policy, escaping
// of every text a document supplies; then the JSON endpoints the page uses.
import { spawn, spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSP, reviewApp, startServer, tokenFor, type RunningServer } from "../src/serve/server.js";
import { queueRowOf, queueRows, ReviewData } from "../src/serve/data.js";
import { documentHtml, esc, jsonBlock } from "../src/serve/pages.js";
import { cell } from "../model/document.js";
import { HOSTILE, HOSTILE_CELL, makeReviewDb, type ReviewDb } from "./helpers/review-db.js";

let rdb: ReviewDb;
let server: RunningServer;
let base: string;
let csrf: string;

const page = async (path: string) => {
  const res = await fetch(base + path);
  return { res, html: await res.text() };
};
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(base + path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: base.replace(/\/$/, ""), "X-CSRF-Token": csrf, ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  rdb = await makeReviewDb();
  server = await startServer({ db: rdb.db, port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${server.port}/`;
  const { html } = await page("");
  csrf = html.match(/<meta name="csrf-token" content="([^"]+)">/)![1];
});
afterAll(async () => {
  await server?.close();
});

describe("safety", () => {
  it("sends a strict Content-Security-Policy (no inline script) and nosniff on every page", async () => {
    for (const path of ["", `report/${rdb.ids.balance}`, `report/${rdb.ids.portal}`, "static/app.js"]) {
      const { res } = await page(path);
      expect(res.status).toBe(200);
      const csp = res.headers.get("content-security-policy")!;
      expect(csp).toBe(CSP);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
    const pdf = await fetch(`${base}source/${rdb.ids.balance}`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-security-policy")).toMatch(/^sandbox/);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
    // Only PDFs are served raw: an HTML source is never sent as a page of this origin.
    expect((await fetch(`${base}source/${rdb.ids.portal}`)).status).toBe(404);
  });

  it("escapes every text a document supplies: organ names, printed cells, check messages", async () => {
    const { html: queue } = await page("?status=all");
    const { html } = await page(`report/${rdb.ids.hostile}`);
    for (const h of [queue, html]) {
      expect(h).not.toContain("<script>window.__xss");
      expect(h).not.toContain("<img src=x");
      expect(h).toContain(esc(HOSTILE));
    }
    // The only script elements: the page's own module, and the JSON block (not executable).
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts).toEqual(['<script type="module" src="/static/app.js">', '<script type="application/json" id="cells">']);
    const json = html.match(/<script type="application\/json" id="cells">([\s\S]*?)<\/script>/)![1];
    expect(json).not.toContain("<");
    expect(JSON.parse(json)[HOSTILE_CELL].text).toBe(HOSTILE);
    // No inline event handler anywhere (the CSP would block one; none is written).
    // (Attribute values are quoted and cannot hold a quote: strip them, then look at the names.)
    const handlers = [...html.matchAll(/<[a-z][^>]*>/gi)].map((m) => m[0].replace(/"[^"]*"/g, '""')).filter((t) => /\son[a-z]+\s*=/i.test(t));
    expect(handlers).toEqual([]);
  });

  it("escapes a source document's own tables and lines", () => {
    const out = documentHtml({
      blocks: [
        { kind: "paragraph", text: HOSTILE },
        { kind: "table", exactGrid: true, rows: [[cell(HOSTILE, 2, 1), cell("1")], [cell("<b>2</b>")]] },
      ],
      meta: {},
      diagnostics: [],
    });
    expect(out).not.toMatch(/<script|<img|<b>/);
    // Merged cells expanded: the cell under the row-spanning one is column 2.
    expect(out).toContain('<td data-row="2" data-col="2">&#60;b&#62;2&#60;/b&#62;</td>');
    expect(jsonBlock("x", { a: "</script><script>" })).not.toContain("</script><script>");
  });

  it("refuses a Host it does not answer to (DNS rebinding)", async () => {
    const res = await new Promise<number>((ok, fail) => {
      import("node:http").then(({ request }) => {
        const req = request({ host: "127.0.0.1", port: server.port, path: "/", headers: { Host: "evil.example:80" } }, (r) => {
          r.resume();
          ok(r.statusCode!);
        });
        req.on("error", fail);
        req.end();
      });
    });
    expect(res).toBe(421);
  });

  it("refuses a state-changing request without the CSRF token, from another origin, or without Origin", async () => {
    const body = { key: "requests.carriedForward.researchInstitution", value: "491", why: "x" };
    const url = `api/report/${rdb.ids.balance}/correct`;
    expect((await post(url, body, { "X-CSRF-Token": "" })).status).toBe(403);
    expect((await post(url, body, { "X-CSRF-Token": "wrong" })).status).toBe(403);
    expect((await post(url, body, { Origin: "http://evil.example" })).status).toBe(403);
    expect((await post(url, body, { Origin: `http://localhost:${server.port + 1}` })).status).toBe(403);
    const noOrigin = await fetch(base + url, { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify(body) });
    expect(noOrigin.status).toBe(403);
    // A form post (what a foreign page can send without CORS) is refused even with the token.
    expect((await post(url, body, { "Content-Type": "application/x-www-form-urlencoded" })).status).toBe(415);
    // Nothing was stored.
    const db = new Database(rdb.db, { readonly: true });
    expect((db.prepare("SELECT count(*) AS n FROM corrections").get() as { n: number }).n).toBe(0);
    db.close();
  });

  it("off loopback: a token is required (generated when not given), and requests without it are refused", async () => {
    expect(tokenFor("127.0.0.1")).toEqual({ token: null, generated: false });
    const gen = tokenFor("0.0.0.0");
    expect(gen.generated).toBe(true);
    expect(gen.token!.length).toBeGreaterThanOrEqual(16);
    expect(() => tokenFor("0.0.0.0", "short")).toThrow(/16 characters/);
    // The app as it runs on another address (requests made in-process: nothing listens beyond loopback).
    const data = new ReviewData(rdb.db);
    try {
      const token = "a-token-of-twenty-chars";
      const app = reviewApp(data, { host: "192.0.2.10", token, port: () => 8750 });
      const host = { Host: "192.0.2.10:8750" };
      expect((await app.request("/", { headers: host })).status).toBe(401);
      expect((await app.request("/", { headers: { ...host, Authorization: "Bearer nope-nope-nope-nope" } })).status).toBe(401);
      expect((await app.request("/", { headers: { ...host, Authorization: `Bearer ${token}` } })).status).toBe(200);
      // ?token= once: a cookie, and the token leaves the address bar.
      const first = await app.request(`/report/${rdb.ids.balance}?token=${token}`, { headers: host });
      expect(first.status).toBe(303);
      expect(first.headers.get("location")).toBe(`/report/${rdb.ids.balance}`);
      const cookie = first.headers.get("set-cookie")!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect((await app.request(`/report/${rdb.ids.balance}`, { headers: { ...host, Cookie: cookie.split(";")[0] } })).status).toBe(200);
    } finally {
      data.close();
    }
  });

  it("opens the store read-only: only corrections and review marks are written", async () => {
    const data = new ReviewData(rdb.db);
    try {
      expect(data.ro.readonly).toBe(true);
      expect(() => data.ro.db.prepare("UPDATE reports SET organ = 'x'").run()).toThrow(/readonly/);
    } finally {
      data.close();
    }
  });
});

describe("the queue and a report", () => {
  it("lists reports needing a look, most severe first, with counts and filters", async () => {
    const { html } = await page("");
    const order = [...html.matchAll(/data-href="\/report\/(\d+)"/g)].map((m) => Number(m[1]));
    // Failed error checks first (balance: 2; hostile: 1), then unread cells (blanks), then the
    // portal page, whose only note is a warning: its 2019-form procurement amount prints no unit
    // (cell.unitNotPrinted: 元 or 万元 is for a person to see).
    expect(order).toEqual([rdb.ids.balance, rdb.ids.hostile, rdb.ids.blanks, rdb.ids.portal]);
    expect(html).toMatch(/<b id="count-todo">4<\/b> to review · 4 need a look of 4 reports/);
    const d = new ReviewData(rdb.db);
    try {
      expect(queueRows(d).find((q) => q.id === rdb.ids.portal)).toMatchObject({ errors: 0, warnings: 1, nulls: 0 });
    } finally {
      d.close();
    }
    const byRule = await page("?rule=requests.balance");
    expect([...byRule.html.matchAll(/data-href="\/report\/(\d+)"/g)].map((m) => Number(m[1]))).toEqual([rdb.ids.balance]);
    const byYear = await page("?year=2019");
    expect([...byYear.html.matchAll(/data-href="\/report\/(\d+)"/g)].map((m) => Number(m[1]))).toEqual([rdb.ids.blanks]);
    const byBody = await page(`?body=${encodeURIComponent("民政")}`);
    expect([...byBody.html.matchAll(/data-href="\/report\/(\d+)"/g)].map((m) => Number(m[1]))).toEqual([rdb.ids.balance]);
  });

  it("refuses a field that is not text (an object would be stored as [object Object]) and stores nothing", async () => {
    const key = "requests.carriedForward.researchInstitution";
    const before = new Database(rdb.db, { readonly: true });
    const count = () => (before.prepare("SELECT (SELECT count(*) FROM corrections) + (SELECT count(*) FROM document_corrections) n").get() as { n: number }).n;
    const n = count();
    for (const [path, body, field] of [
      [`api/report/${rdb.ids.balance}/correct`, { key, value: "491", why: "x", by: { name: "a" } }, "by"],
      [`api/report/${rdb.ids.balance}/correct`, { key, value: "491", why: ["x"] }, "why"],
      [`api/report/${rdb.ids.balance}/correct`, { key: { k: key }, value: "491", why: "x" }, "key"],
      [`api/report/${rdb.ids.balance}/reviewed`, { reviewed: true, by: [1] }, "by"],
      [`api/report/${rdb.ids.balance}/document`, { organ: "某局", why: "x", by: { a: 1 } }, "by"],
    ] as const) {
      const res = await post(path, body);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toBe(`${field} must be text`);
    }
    expect(count()).toBe(n);
    expect((before.prepare("SELECT count(*) n FROM review_marks WHERE by = '[object Object]' OR by = '1'").get() as { n: number }).n).toBe(0);
    before.close();
  });

  it("a correction re-runs the checks; undo puts the machine's value back; marking reviewed moves the report off the queue", async () => {
    const key = "requests.carriedForward.researchInstitution";
    const bad = await post(`api/report/${rdb.ids.balance}/correct`, { key, value: "4.5", why: "x" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/whole number/);
    const res = await post(`api/report/${rdb.ids.balance}/correct`, { key, value: "491", why: "四、结转 row, 科研机构" });
    expect(res.status).toBe(200);
    const out = await res.json();
    expect(out.checksFailed).toBe(0);
    expect(out.checks).toContain("all checks pass");
    expect(out.cells[key]).toMatchObject({ value: 491, status: "corrected", correction: { machine: 492, corrected: 491 } });
    expect(out.tables).toMatch(new RegExp(`class="cell st-corrected[^"]*" data-key="${key.replace(/\./g, "\\.")}"`));
    // The queue counts the corrected report's checks as re-run (no error left), and the SQL-counted rows agree with whole records.
    const d = new ReviewData(rdb.db);
    try {
      const rows = queueRows(d);
      expect(rows.find((q) => q.id === rdb.ids.balance)).toMatchObject({ errors: 0, corrections: 1, rules: [] });
      const reviewed = d.reviewed();
      for (const whole of d.corrected()) {
        const { key: _k, ...fromRecord } = queueRowOf(whole, reviewed);
        const { key: _k2, ...fromSql } = rows.find((q) => q.id === whole.id)!;
        expect(fromSql).toEqual(fromRecord);
      }
    } finally {
      d.close();
    }
    const undo = await (await post(`api/report/${rdb.ids.balance}/undo`, { key })).json();
    expect(undo.checksFailed).toBe(2);
    expect(undo.cells[key]).toMatchObject({ value: 492, status: "printed", correction: null });
    const marked = await (await post(`api/report/${rdb.ids.blanks}/reviewed`, { reviewed: true })).json();
    expect(marked.next).toBe(rdb.ids.balance);
    const { html } = await page("");
    expect([...html.matchAll(/data-href="\/report\/(\d+)"/g)].map((m) => Number(m[1]))).not.toContain(rdb.ids.blanks);
    const reviewed = await page("?status=reviewed");
    expect([...reviewed.html.matchAll(/data-href="\/report\/(\d+)"/g)].map((m) => Number(m[1]))).toEqual([rdb.ids.blanks]);
    await post(`api/report/${rdb.ids.blanks}/reviewed`, { reviewed: false });
  });

  it("an HTML source is shown as its own tables, with the places record v2 names", async () => {
    const { html } = await page(`report/${rdb.ids.portal}`);
    expect(html).toMatch(/<table class="doc" data-table="1">/);
    expect(html).toMatch(/<td data-row="1" data-col="1"/);
  });

  it("unknown reports and paths are 404, not a stack trace", async () => {
    for (const path of ["report/99999", "report/abc", "static/../../package.json", "static/pdfjs/cmaps/..%2F..%2Fpackage.json", "source/99999"]) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toMatch(/at .*\.js:\d+/);
    }
  });
});

describe("xxgk serve on the command line", () => {
  const CLI = "dist/src/cli.js";
  beforeAll(() => {
    spawnSync("node_modules/.bin/tsc", ["-p", "tsconfig.json"], { encoding: "utf8" });
  }, 120_000);

  it("prints its loopback URL and answers there; stops on SIGTERM", async () => {
    const child = spawn("node", [CLI, "serve", "--db", rdb.db, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((ok, fail) => {
        let out = "";
        child.stdout.on("data", (d) => {
          out += d;
          const m = out.match(/xxgk serve: (http:\/\/127\.0\.0\.1:\d+\/)/);
          if (m) ok(m[1]);
        });
        child.once("exit", (code) => fail(new Error(`exited ${code}`)));
      });
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("xxgk review");
    } finally {
      const exited = new Promise((ok) => child.once("exit", ok));
      child.kill("SIGTERM");
      await exited;
    }
  });

  it("refuses a short token and a missing database in one line, before listening", () => {
    const short = spawnSync("node", [CLI, "serve", "--db", rdb.db, "--host", "0.0.0.0", "--token", "short"], { encoding: "utf8" });
    expect(short.status).toBe(2);
    expect(short.stderr).toBe("xxgk: --token must be at least 16 characters\n");
    const none = spawnSync("node", [CLI, "serve", "--db", `${rdb.dir}/nope.sqlite`], { encoding: "utf8" });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^xxgk: .*nope\.sqlite: no such database/);
  });
});
