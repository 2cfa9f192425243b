// Issue #13's "done when", end to end through the real CLI on a real SQLite file: a folder of
// reports in several formats (portal pages with their DOCX and PDF copies, a text report) and
// then a crawl of the same portal on 127.0.0.1 give exactly one record per report, each with
// its page date and its URL (the crawl's URL, although the bytes were stored from the folder
// first); every document on request; a correction survives a reparse and a new copy.
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../model/hash.js";

const CLI = "dist/src/cli.js";
const exec = promisify(execFile);
/** The CLI in a child process (asynchronous: this process serves the portal meanwhile). */
async function xxgk(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec("node", [CLI, ...args], { encoding: "utf8", timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : -1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}

const G = "test/fixtures/generated";
const expected = (id: string) => JSON.parse(readFileSync(`${G}/${id}.expected.json`, "utf8")) as { organ: string; year: number; publishedOn: string | null; requests: Record<string, number[]> };
const A = expected("g01-2021"); // 硚口区商务局 2024, dated 2025-01-13 (signature and <meta name="PubDate">)
const B = expected("g03-2019"); // 环翠区商务局 2020, dated 2021-01-25
/** A text report that prints no date anywhere: its date can only come from the list page. */
const NO_DATE = readFileSync("data/samples/2024-环翠区商务局.txt");
const LIST_DATE_C = "2025-01-20";

/** A portal article page as the portal serves it: the fixture page with links to its DOCX and PDF copies. */
function article(id: string): Buffer {
  const html = readFileSync(`${G}/${id}.portal-utf-8.html`, "utf8");
  const links = `<p class="attachments">附件：<a href="/files/${id}.docx">年度报告.docx</a> <a href="/files/${id}.pdf">年度报告.pdf</a></p>`;
  const out = html.replace("</article>", `${links}</article>`);
  return Buffer.from(out === html ? html.replace("</body>", `${links}</body>`) : out, "utf8");
}

const files: Record<string, { type: string; body: Buffer }> = {
  "/ndbg/a1.html": { type: "text/html; charset=utf-8", body: article("g01-2021") },
  "/ndbg/a2.html": { type: "text/html; charset=utf-8", body: article("g03-2019") },
  "/ndbg/a3.txt": { type: "text/plain; charset=utf-8", body: NO_DATE },
  "/files/g01-2021.docx": { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body: readFileSync(`${G}/g01-2021.lo.docx`) },
  "/files/g01-2021.pdf": { type: "application/pdf", body: readFileSync(`${G}/g01-2021.lo.pdf`) },
  "/files/g03-2019.docx": { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body: readFileSync(`${G}/g03-2019.lo.docx`) },
  "/files/g03-2019.pdf": { type: "application/pdf", body: readFileSync(`${G}/g03-2019.lo.pdf`) },
};
const LIST = `<html><head><meta charset="utf-8"><title>政府信息公开年度报告</title></head><body><ul class="list">
  <li><a href="/ndbg/a1.html">${A.organ}${A.year}年政府信息公开工作年度报告</a><span>2025-01-14</span></li>
  <li><a href="/ndbg/a2.html">${B.organ}${B.year}年政府信息公开工作年度报告</a><span>2021-01-26</span></li>
  <li><a href="/ndbg/a3.txt">环翠区商务局2024年政府信息公开工作年度报告</a><span>${LIST_DATE_C}</span></li>
</ul></body></html>`;

let server: Server;
let base: string;
let dir: string;
let db: string;
const rows = <T>(q: string, ...args: unknown[]): T[] => {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(q).all(...args) as T[];
  } finally {
    d.close();
  }
};
const jsonl = (path: string) => readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l));

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path === "/ndbg/index.html") return void res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(LIST);
    const f = files[path];
    if (!f) return void res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    res.writeHead(200, { "Content-Type": f.type, "Content-Length": f.body.length }).end(f.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), "xxgk-e2e-"));
  db = join(dir, "x.sqlite");
  // The archive: every document the portal serves, saved earlier under other names.
  const archive = join(dir, "archive");
  mkdirSync(join(archive, "2024"), { recursive: true });
  mkdirSync(join(archive, "2020"), { recursive: true });
  writeFileSync(join(archive, "2024", "硚口区商务局.html"), files["/ndbg/a1.html"].body);
  writeFileSync(join(archive, "2024", "硚口区商务局.docx"), files["/files/g01-2021.docx"].body);
  writeFileSync(join(archive, "2024", "硚口区商务局.pdf"), files["/files/g01-2021.pdf"].body);
  writeFileSync(join(archive, "2024", "环翠区商务局.txt"), NO_DATE);
  writeFileSync(join(archive, "2020", "环翠区商务局.html"), files["/ndbg/a2.html"].body);
  writeFileSync(join(archive, "2020", "环翠区商务局.docx"), files["/files/g03-2019.docx"].body);
  writeFileSync(join(archive, "2020", "环翠区商务局.pdf"), files["/files/g03-2019.pdf"].body);
  writeFileSync(
    join(dir, "portals.json"),
    JSON.stringify({
      userAgent: "xxgk-test (+mailto:crawl-test@example.org)",
      perHostIntervalMs: 0,
      timeoutMs: 5000,
      retries: 0,
      portals: [{ name: "district", startUrls: [`${base}/ndbg/index.html`], reportLink: { selector: ".list a", text: "年度报告" } }],
    }),
  );
}, 60_000);
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("a folder of real reports, then a crawl of the same portal: one record per report", () => {
  it("ingest of the folder: seven documents, three reports", async () => {
    const r = await xxgk("ingest", join(dir, "archive"), "--db", db);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(rows<{ n: number }>("SELECT count(*) AS n FROM v_documents")[0].n).toBe(7);
    const reports = rows<{ organ: string; year: number; documents: number }>("SELECT organ, year, documents FROM v_reports ORDER BY year, organ");
    expect(reports).toEqual([
      { organ: B.organ, year: B.year, documents: 3 },
      { organ: "环翠区商务局", year: 2024, documents: 1 },
      { organ: A.organ, year: A.year, documents: 3 },
    ]);
  });

  it("the crawl meets the same bytes: nothing new is stored, every report gains its URL, the undated one its list-page date", async () => {
    const r = await xxgk("crawl", "--config", join(dir, "portals.json"), "--db", db, "--json");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.portals[0].failed).toEqual([]);
    expect(rows<{ n: number }>("SELECT count(*) AS n FROM v_documents")[0].n).toBe(7); // the same bytes: no new document

    const reports = rows<{ organ: string; year: number; documents: number; published_on: string | null; source_url: string | null }>(
      "SELECT organ, year, documents, published_on, source_url FROM v_reports ORDER BY year, organ",
    );
    expect(reports.map((x) => [x.organ, x.year, x.documents, x.published_on])).toEqual([
      [B.organ, B.year, 3, B.publishedOn],
      ["环翠区商务局", 2024, 1, LIST_DATE_C],
      [A.organ, A.year, 3, A.publishedOn],
    ]);
    // Each report's URL is one its documents were fetched from.
    const urlsOf: Record<string, string[]> = {
      [`${B.organ}|${B.year}`]: ["/ndbg/a2.html", "/files/g03-2019.docx", "/files/g03-2019.pdf"].map((p) => base + p),
      [`环翠区商务局|2024`]: [`${base}/ndbg/a3.txt`],
      [`${A.organ}|${A.year}`]: ["/ndbg/a1.html", "/files/g01-2021.docx", "/files/g01-2021.pdf"].map((p) => base + p),
    };
    for (const x of reports) expect(urlsOf[`${x.organ}|${x.year}`]).toContain(x.source_url);
    // Where each date was read: the list page for the report that prints none.
    const sources = rows<{ organ: string; year: number; published_on_source: string | null }>(
      "SELECT organ, year, published_on_source FROM v_reports ORDER BY year, organ",
    ).map((x) => x.published_on_source);
    expect(sources[1]).toBe("list-page");
    expect(sources[0]).not.toBeNull();
    expect(sources[2]).not.toBeNull();
    expect(sources[0]).not.toBe("list-page"); // a date of its own beats the list's (2021-01-26)

    // Every place: the folder's path and the crawl's URL for each of the seven documents.
    const places = rows<{ kind: string; n: number }>("SELECT kind, count(*) AS n FROM v_places GROUP BY kind ORDER BY kind");
    expect(places).toEqual([{ kind: "path", n: 7 }, { kind: "url", n: 7 }]);
  });

  it("exports: one record per report with its date, where the date was read, and its URLs; --documents gives all seven", async () => {
    const out = join(dir, "reports.jsonl");
    expect((await xxgk("export", "--db", db, "--format", "jsonl", "--out", out)).code).toBe(0);
    const lines = jsonl(out);
    expect(lines).toHaveLength(3);
    const c = lines.find((l) => l.organ === "环翠区商务局" && l.year === 2024);
    expect(c.publishedOn).toBe(LIST_DATE_C);
    expect(c.provenance.publishedOn).toMatchObject({ source: "list-page", document: sha256(NO_DATE) });
    expect(c.source.url).toBe(`${base}/ndbg/a3.txt`);
    for (const l of lines) {
      expect(l.source.url).toMatch(new RegExp(`^${base.replace(/\./g, "\\.")}/`));
      expect(l.places.map((p: { kind: string }) => p.kind).sort()).toContain("url");
    }
    const a = lines.find((l) => l.organ === A.organ)!;
    expect(a.requests.newReceived).toEqual(A.requests.newReceived);
    expect(a.places).toHaveLength(6); // three documents, each at a path and a URL

    const wide = join(dir, "reports.csv");
    expect((await xxgk("export", "--db", db, "--format", "wide-csv", "--out", wide)).code).toBe(0);
    const csv = readFileSync(wide, "utf8").replace(/^\ufeff/, "").trim().split("\n");
    expect(csv).toHaveLength(4); // a header and three reports
    const head = csv[0].split(",");
    const row = csv.map((l) => l.split(",")).find((f) => f[head.indexOf("organ")] === "环翠区商务局" && f[head.indexOf("year")] === "2024")!;
    expect([row[head.indexOf("published_on")], row[head.indexOf("published_on_source")], row[head.indexOf("source_url")]]).toEqual([
      LIST_DATE_C, "list-page", `${base}/ndbg/a3.txt`,
    ]);

    const docs = join(dir, "documents.jsonl");
    expect((await xxgk("export", "--db", db, "--format", "jsonl", "--documents", "--out", docs)).code).toBe(0);
    expect(jsonl(docs)).toHaveLength(7);
  });

  it("a correction survives a reparse and a new copy of the report, and is in the next export", async () => {
    const key = "requests.newReceived.naturalPerson";
    const machine = A.requests.newReceived[0];
    const r = await xxgk("correct", A.organ, String(A.year), key, String(machine + 1), "--why", "the signed paper copy, table 3", "--db", db, "--by", "e2e");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const value = () =>
      rows<{ value: number; corrected: number; machine_value: number }>(
        "SELECT value, corrected, machine_value FROM v_cells_corrected WHERE organ = ? AND year = ? AND \"table\" || '.' || row || '.' || \"column\" = ?",
        A.organ, A.year, key,
      );
    expect(value()).toEqual([{ value: machine + 1, corrected: 1, machine_value: machine }]);

    // A new build: every document is read again.
    const w = new Database(db);
    w.prepare("UPDATE reports SET parser_version = 'older-build'").run();
    w.close();
    const re = await xxgk("reparse", "--db", db);
    expect(re.code).toBe(0);
    expect(rows<{ n: number }>("SELECT count(*) AS n FROM reports WHERE is_current = 1 AND parser_version = 'older-build'")[0].n).toBe(0);
    expect(value()).toEqual([{ value: machine + 1, corrected: 1, machine_value: machine }]);
    expect(rows<{ n: number }>("SELECT count(*) AS n FROM v_reports")[0].n).toBe(3);

    // A new copy: the report's pandoc DOCX, found later in another folder.
    mkdirSync(join(dir, "later"));
    writeFileSync(join(dir, "later", "report.docx"), readFileSync(`${G}/g01-2021.pandoc.docx`));
    expect((await xxgk("ingest", join(dir, "later"), "--db", db)).code).toBe(0);
    expect(rows<{ documents: number }>("SELECT documents FROM v_reports WHERE organ = ? AND year = ?", A.organ, A.year)).toEqual([{ documents: 4 }]);
    expect(rows<{ n: number }>("SELECT count(*) AS n FROM v_reports")[0].n).toBe(3);
    expect(value()).toEqual([{ value: machine + 1, corrected: 1, machine_value: machine }]);
    const list = await xxgk("corrections", "--db", db);
    expect(list.stdout).toContain(key);
    expect(list.stdout).not.toMatch(/review/);

    const out = join(dir, "after.jsonl");
    expect((await xxgk("export", "--db", db, "--format", "jsonl", "--out", out)).code).toBe(0);
    const lines = jsonl(out);
    expect(lines).toHaveLength(3);
    const a = lines.find((l) => l.organ === A.organ);
    expect(a.requests.newReceived[0]).toBe(machine + 1);
    expect(a.requests.newReceived.slice(1)).toEqual(A.requests.newReceived.slice(1));
  });
});
