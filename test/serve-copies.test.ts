// A report that arrived as several documents, and a document whose organ and year were
// lost: the review page shows disagreeing copies side by side and takes one copy's value
// as the report's correction (its reason naming the copy); a person sets a document's
// organ and year on the page or with `xxgk correct-document`, the report is re-keyed and
// its checks re-run, and the correction survives reparse. Real documents (the committed
// Chromium PDF, the committed portal page with one number changed, a text copy whose
// heading was lost), a real database and a real server on 127.0.0.1.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../src/serve/server.js";
import { queueRows, ReviewData } from "../src/serve/data.js";
import { openStore } from "../src/store.js";
import { IngestService } from "../src/ingest-service.js";
import { correctDocument, listCorrections, withCorrections } from "../src/corrections.js";
import { reportsOf } from "../src/reports.js";
import { sha256 } from "../model/hash.js";
import { COPIES_CELL, makeCopiesDb, type CopiesDb } from "./helpers/review-db.js";

const CLI = "dist/src/cli.js";
let cdb: CopiesDb;
let server: RunningServer;
let base: string;
let csrf: string;

const page = async (path: string) => {
  const res = await fetch(base + path);
  return { res, html: await res.text() };
};
const post = (path: string, body: unknown) =>
  fetch(base + path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: base.replace(/\/$/, ""), "X-CSRF-Token": csrf },
    body: JSON.stringify(body),
  });
const ids = (html: string) => [...html.matchAll(/data-href="\/report\/(\d+)"/g)].map((m) => Number(m[1]));

beforeAll(async () => {
  cdb = await makeCopiesDb();
  server = await startServer({ db: cdb.db, port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${server.port}/`;
  csrf = (await page("")).html.match(/<meta name="csrf-token" content="([^"]+)">/)![1];
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe("copies of one report side by side", () => {
  it("the queue flags both copies with copies.disagree; the headless copy is a report of its own", async () => {
    const d = new ReviewData(cdb.db);
    try {
      const rows = queueRows(d);
      const of = (id: number) => rows.find((q) => q.id === id)!;
      expect(of(cdb.ids.pdf).rules).toContain("copies.disagree");
      expect(of(cdb.ids.html).rules).toContain("copies.disagree");
      expect(of(cdb.ids.nav)).toMatchObject({ organ: null, year: null, key: null });
      expect(of(cdb.ids.nav).rules).not.toContain("copies.disagree");
    } finally {
      d.close();
    }
    expect(ids((await page("?rule=copies.disagree")).html).sort()).toEqual([cdb.ids.pdf, cdb.ids.html].sort());
  });

  it("the counts at the top count reports, as the exports and the quality page do: two copies of one report are one", async () => {
    // Three documents: the PDF and the page carry one report (2024), the headless text is a report of its own.
    const { html } = await page("?status=all");
    expect(html).toMatch(/need a look of 2 reports ·/);
    expect(html).toMatch(/with warnings · .* 0 corrections/s);
  });

  it("shows each disagreeing cell with every document's value, place and a link to its source", async () => {
    const { html } = await page(`report/${cdb.ids.html}`);
    const table = html.match(/<table class="copies">[\s\S]*?<\/table>/)![0];
    const row = table.match(new RegExp(`<tr data-key="${COPIES_CELL.replace(/\./g, "\\.")}">[\\s\\S]*?</tr>`))![0];
    const cell = (doc: number) => row.match(new RegExp(`<td class="copy[^"]*" data-document="${doc}">[\\s\\S]*?</td>`))![0];
    expect(cell(cdb.ids.pdf)).toMatch(/<b class="v">351<\/b>/);
    expect(cell(cdb.ids.html)).toMatch(/<b class="v">352<\/b>/);
    // The PDF's value has its page and box; the page's its table, row and column.
    expect(cell(cdb.ids.pdf)).toMatch(/page 1 · box [\d,]+ · table \d+ · row \d+ · col \d+/);
    expect(cell(cdb.ids.html)).toMatch(/table \d+ · row \d+ · col \d+/);
    expect(cell(cdb.ids.pdf)).toContain(`href="/report/${cdb.ids.pdf}#cell=${encodeURIComponent(COPIES_CELL)}"`);
    expect(cell(cdb.ids.html)).toContain(`href="/report/${cdb.ids.html}#cell=${encodeURIComponent(COPIES_CELL)}"`);
    // The best copy (fewest failed checks: the PDF balances) gives the report its value until someone chooses.
    expect(table).toContain(`data-document="${cdb.ids.pdf}">`);
    expect(row).toMatch(/<td class="now">351 <span class="meta">\(the best copy's\)/);
    // Only the cells the copies disagree on are listed.
    expect([...table.matchAll(/<tr data-key="/g)]).toHaveLength(1);
  });

  it("choosing a copy's value stores a correction naming that copy; the checks of the other copy re-run on it", async () => {
    const before = await page(`report/${cdb.ids.html}`);
    expect(before.html).not.toContain('id="checks-ok"'); // 352 breaks the template's arithmetic on this copy
    const wrong = await post(`api/report/${cdb.ids.html}/choose`, { key: COPIES_CELL, document: cdb.ids.nav });
    expect(wrong.status).toBe(400);
    expect((await post(`api/report/${cdb.ids.html}/choose`, { key: "requests.granted.total", document: cdb.ids.pdf })).status).toBe(400);
    const res = await post(`api/report/${cdb.ids.html}/choose`, { key: COPIES_CELL, document: cdb.ids.pdf, why: "the PDF is the signed original" });
    expect(res.status).toBe(200);
    const out = await res.json();
    expect(out.checksFailed).toBe(0);
    expect(out.cells[COPIES_CELL]).toMatchObject({ value: 351, status: "corrected", correction: { machine: 352, corrected: 351 } });
    expect(out.copies).toMatch(/<td class="now">351 <span class="meta">\(corrected: copies disagree: chose document/);
    const store = openStore(cdb.db, { readonly: true });
    try {
      const [c] = listCorrections(store);
      const pdfSha = sha256(readFileSync(cdb.paths.pdf));
      expect(c).toMatchObject({ cellKey: COPIES_CELL, value: 351, year: 2024 });
      expect(c.why).toBe(`copies disagree: chose document ${cdb.ids.pdf} (pdf, ${pdfSha.slice(0, 12)}, ${cdb.paths.pdf}), which prints 351; the PDF is the signed original`);
      // The report (its copies read together) carries the chosen value as a correction.
      const [report] = [...withCorrections(store, reportsOf(store.records({ byReport: true })))].filter((r) => r.key?.year === 2024);
      expect(report.corrected.get(COPIES_CELL)).toMatchObject({ corrected: 351 });
      expect(report.record.requests.carriedOver[0]).toBe(351);
    } finally {
      store.close();
    }
    // One correction of one report: counted once, though both copies' rows carry it.
    expect((await page("?status=all")).html).toMatch(/ 1 corrections<\/p>/);
  });
});

describe("a document's organ and year, set by a person", () => {
  it("the page says why a headless document cannot be corrected, and refuses a bad year or no reason", async () => {
    const { html } = await page(`report/${cdb.ids.nav}`);
    expect(html).toMatch(/<details id="docmeta" open>/);
    expect(html).toMatch(/could not read this document's organ and year/);
    expect(html).toContain('data-correctable="0"');
    const year = await post(`api/report/${cdb.ids.nav}/document`, { organ: "硚口区商务局", year: "24", why: "x" });
    expect(year.status).toBe(400);
    expect((await year.json()).error).toMatch(/four digits/);
    const why = await post(`api/report/${cdb.ids.nav}/document`, { organ: "硚口区商务局", year: "2024", why: " " });
    expect((await why.json()).error).toMatch(/reason/);
    const date = await post(`api/report/${cdb.ids.nav}/document`, { publishedOn: "2025-02-30", why: "x" });
    expect((await date.json()).error).toMatch(/YYYY-MM-DD/);
  });

  it("set on the page: the document joins its body's report (re-keyed, region placed), survives reparse, and undo puts it back", async () => {
    const res = await post(`api/report/${cdb.ids.nav}/document`, {
      organ: "硚口区商务局",
      year: "2024",
      publishedOn: "2025-01-13",
      why: "the portal's column page lists it under 硚口区商务局, 2024年度",
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const { html } = await page(`report/${cdb.ids.nav}`);
    expect(html).toContain('data-correctable="1"');
    expect(html).toMatch(/<h1>硚口区商务局 · 2024<\/h1>/);
    expect(html).toMatch(/machine read: organ — · year — · published —/);
    // It is now a third copy of the report: the copies table has its column.
    expect(html.match(/<table class="copies">[\s\S]*?<\/table>/)![0]).toContain(`data-document="${cdb.ids.nav}"`);

    const keyOf = (path = cdb.db) => {
      const store = openStore(path, { readonly: true });
      try {
        return [...store.records()].map((r) => [r.id, r.reportKey]);
      } finally {
        store.close();
      }
    };
    const pdfKey = keyOf().find(([id]) => id === cdb.ids.pdf)![1];
    expect(keyOf().find(([id]) => id === cdb.ids.nav)![1]).toBe(pdfKey);

    // Reparse (another parser identity) reads the document again: the person's reading stays applied.
    const store = openStore(cdb.db);
    try {
      const changes = await new IngestService(store, { parser: "xxgk-next" }).reparse();
      expect(changes.length).toBe(3);
      const navNow = [...store.records()].find((r) => r.record.source.sha256 === sha256(readFileSync(cdb.paths.nav)))!;
      expect(navNow.id).not.toBe(cdb.ids.nav); // a new record of the same bytes
      expect(navNow.record.organ).toBeNull(); // the machine's reading is kept as it read it
      expect(navNow.reportKey).toBe(pdfKey);
      const [corrected] = [...withCorrections(store, [navNow])];
      expect(corrected.record).toMatchObject({ organ: "硚口区商务局", year: 2024, publishedOn: "2025-01-13" });
      expect(corrected.record.region?.code).toBe("420104");
      // Undo (through the corrections layer): back to a document of no body and no year.
      const service = new IngestService(store, { parser: "xxgk-next" });
      const { undoDocumentCorrection } = await import("../src/corrections.js");
      expect(undoDocumentCorrection(service, cdb.paths.nav)?.organ).toBe("硚口区商务局");
      expect([...store.records()].find((r) => r.id === navNow.id)!.reportKey).toBeNull();
      expect(() => correctDocument(service, { document: "0000000000", year: 2024, why: "x" })).toThrow(/no stored document 0000000000/);
    } finally {
      store.close();
    }
  });
});

describe("xxgk correct-document", () => {
  beforeAll(() => {
    const tsc = spawnSync("node_modules/.bin/tsc", ["-p", "tsconfig.json"], { encoding: "utf8" });
    if (!existsSync(CLI) || statSync(CLI).mtimeMs < statSync("src/cli.ts").mtimeMs) throw new Error(`build failed:\n${tsc.stdout}${tsc.stderr}`);
  }, 120_000);

  it("keys a document by its file or sha256, lists it, exports it, withdraws it; bad input is one line", async () => {
    const other = await makeCopiesDb();
    const run = (...args: string[]) => spawnSync("node", [CLI, ...args, "--db", other.db], { encoding: "utf8" });
    const set = run("correct-document", other.paths.nav, "--organ", "硚口区商务局", "--year", "2024", "--why", "portal column: 硚口区商务局 2024年度");
    expect(set.status, set.stderr).toBe(0);
    const sha = sha256(readFileSync(other.paths.nav));
    expect(set.stdout).toBe(`${sha.slice(0, 12)}: organ 硚口区商务局, year 2024 (document correction 1); report ${other.ids.nav} is 420104:商务局 2024\n`);
    expect(run("corrections").stdout).toContain(`1\tactive\tdocument\t${sha.slice(0, 12)}\torgan 硚口区商务局, year 2024\tportal column`);
    // One report now, of three copies: the documents export shows the nav copy under its body.
    const docs = run("export", "--format", "csv", "--documents");
    expect(docs.status, docs.stderr).toBe(0);
    expect(docs.stdout.split("\r\n").filter((l) => l.startsWith(`${other.ids.nav},硚口区商务局,2024,420104,`)).length).toBeGreaterThan(100);
    for (const [args, message] of [
      [["correct-document", sha.slice(0, 10), "--year", "24", "--why", "x"], "xxgk: --year must be four digits, not 24\n"],
      [["correct-document", sha.slice(0, 10), "--year", "2024"], "xxgk: a correction needs a reason (--why): where the document shows it\n"],
      [["correct-document", "feedfeedfeed", "--year", "2024", "--why", "x"], /^xxgk: no stored document feedfeedfeed/],
      [["correct-document", sha.slice(0, 10), "--why", "x"], /^xxgk: give the organ, the year or the publication date/],
    ] as const) {
      const r = run(...args);
      expect(r.status, args.join(" ")).toBe(2);
      if (typeof message === "string") expect(r.stderr).toBe(message);
      else expect(r.stderr).toMatch(message);
    }
    const w = run("correct-document", sha, "--withdraw");
    expect(w.status, w.stderr).toBe(0);
    expect(w.stdout).toBe(`${sha.slice(0, 12)}: correction 1 withdrawn\n`);
    const again = run("correct-document", sha, "--withdraw");
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/no current document correction to withdraw/);
  });
});
