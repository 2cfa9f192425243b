// Citation (issue #13): every place a document was seen (paths, zip members, URLs) with
// first and last sightings and the crawler's retrieval time, publishedOn with where it was
// read, and all of it in the exports. Real SQLite files, a real HTTP server on 127.0.0.1
// for the crawl, exports read back by real readers (hyparquet, Frictionless's library).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
// @ts-expect-error the library ships no types
import datapackage from "datapackage";
import { parquetReadObjects } from "hyparquet";
import { openStore, type Store } from "../src/store.js";
import { ingestPaths } from "../src/ingest.js";
import { exportRecords } from "../src/export.js";
import { qualityData, qualityPage } from "../src/quality.js";
import { renderQualityReport } from "../src/report/html.js";
import { pathToFileURL } from "node:url";
import { runCrawl } from "../src/crawl/command.js";
import { parseListPage } from "../src/crawl/lists.js";
import { parseReport } from "../src/pipeline.js";
import { consolidate } from "../normalizers/copies.js";
import { sha256 } from "../model/hash.js";
import { ZipArchive } from "../model/zip.js";
import { makeZip } from "./helpers/zip.js";
import type { DocumentPlace, ReportRecord } from "../model/record.js";

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `xxgk-cite-${name}-`));
const NO_DATE = readFileSync("data/samples/2024-环翠区商务局.txt"); // no date printed at the end
const SIGNED = readFileSync("data/samples/2024-硚口区商务局.txt"); // signed 2025年1月13日
const PORTAL = readFileSync("test/fixtures/generated/g01-2021.portal-utf-8.html", "utf8"); // PubDate 2025-01-13, signed 2025年1月13日
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const readCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n") row.push(field.replace(/\r$/, "")), rows.push(row), (row = []), (field = "");
    else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
};

/** The portal page with its signature date dropped and its <meta name="PubDate"> set to `date`. */
function portalPage(opts: { pubDate: string; signed: boolean }): string {
  let html = PORTAL.replace(/<meta name="PubDate" content="[^"]*">/, `<meta name="PubDate" content="${opts.pubDate} 09:30">`);
  if (!opts.signed) html = html.replace(/<p align="right">2025年1月13日<\/p>/, "");
  return html;
}

/** The LibreOffice DOCX of the same report with the paragraph holding its signature date removed. */
function unsignedDocx(): Buffer {
  const bytes = readFileSync("test/fixtures/generated/g01-2021.lo.docx");
  const zip = ZipArchive.open(bytes, { maxEntryBytes: 50e6, maxTotalBytes: 200e6, maxEntries: 1000 });
  const members = zip.entries.filter((e) => !e.directory).map((e) => {
    let data = zip.read(e);
    if (e.name === "word/document.xml") {
      const xml = data.toString("utf8");
      const paras = xml.split("</w:p>");
      const i = paras.findIndex((p) => p.replace(/<[^>]+>/g, "").includes("2025年1月13日"));
      expect(i).toBeGreaterThanOrEqual(0);
      const start = Math.max(paras[i].lastIndexOf("<w:p>"), paras[i].lastIndexOf("<w:p "));
      // Everything before the paragraph, then what follows its </w:p>.
      const kept = paras.slice(0, i).map((p) => p + "</w:p>").join("") + paras[i].slice(0, start) + paras.slice(i + 1).join("</w:p>");
      data = Buffer.from(kept, "utf8");
    }
    return { name: e.name, data };
  });
  return makeZip(members);
}

describe("places: every path, zip member and URL a document was seen at", () => {
  let dir: string;
  let store: Store;
  beforeAll(() => {
    dir = tmp("places");
    const docs = join(dir, "docs");
    mkdirSync(join(docs, "sub"), { recursive: true });
    writeFileSync(join(docs, "a.txt"), NO_DATE);
    writeFileSync(join(docs, "sub", "b.txt"), NO_DATE);
    writeFileSync(join(docs, "c.zip"), makeZip([
      { name: "2024/环翠.txt", data: NO_DATE },
      { name: "2024/硚口.txt", data: SIGNED },
      { name: "broken.docx", data: "PK\x03\x04 not a docx" },
    ]));
    store = openStore(join(dir, "x.sqlite"));
  });
  afterAll(() => store.close());

  it("same bytes at two paths and inside a zip: three places; a second run moves last_seen only, with no new rows and no re-read", async () => {
    const docs = join(dir, "docs");
    const first = await ingestPaths(store, [docs]);
    expect(first.ingested).toBe(2);
    const sha = sha256(NO_DATE);
    const places = store.placesOf([sha]);
    expect(places.map((p) => [p.kind, p.path, p.archive, p.member])).toEqual([
      ["path", join(docs, "a.txt"), null, null],
      ["zip", `${join(docs, "c.zip")}!/2024/环翠.txt`, join(docs, "c.zip"), "2024/环翠.txt"],
      ["path", join(docs, "sub", "b.txt"), null, null],
    ]);
    for (const p of places) {
      expect(p.lastSeen).toBe(p.firstSeen);
      expect(p.retrievedAt).toBeNull();
      expect(p.sha256).toBe(sha);
    }
    const versions = store.counts().versions;

    await wait(15);
    const second = await ingestPaths(store, [docs]);
    expect(second.ingested).toBe(0);
    expect(second.present).toBe(4); // read before (three places of one report, the zip's other member): nothing parsed again
    expect(second.failed.map((f) => f.before)).toEqual([true]);
    expect(store.counts().versions).toBe(versions);
    const again = store.placesOf([sha]);
    expect(again.map((p) => p.path)).toEqual(places.map((p) => p.path));
    for (const [i, p] of again.entries()) {
      expect(p.firstSeen).toBe(places[i].firstSeen);
      expect(p.lastSeen > places[i].lastSeen).toBe(true);
    }
  });

  it("the quality page shows a document inside a zip by archive and member name, a failed member too", () => {
    const data = qualityData(store);
    const zip = join(dir, "docs", "c.zip");
    const member = data.reports.find((r) => r.organ === "硚口区商务局")!;
    expect(member.zipMember).toEqual({ archive: zip, member: "2024/硚口.txt" });
    expect(data.reports.find((r) => r.organ === "环翠区商务局")!.zipMember).toBeNull(); // first read at a.txt
    expect(data.failures.map((f) => f.zipMember)).toEqual([{ archive: zip, member: "broken.docx" }]);
    // The page draws both: the report once it needs a look (a failed check here), and the failure.
    member.checks.push({ rule: "requests.balance", severity: "error", message: "m", where: "requests.total.total" });
    const html = renderQualityReport(data);
    expect(html).toContain(`c.zip</a> › <span class="member" title="${zip} › 2024/硚口.txt">2024/硚口.txt</span>`);
    expect(html).toContain(`c.zip</a> › <span class="member" title="${zip} › broken.docx">broken.docx</span>`);
    expect(html).not.toContain(`href="${pathToFileURL(zip).href}!`); // never a link into the archive, which a browser cannot open
    expect(qualityPage(store).html).toContain(">broken.docx</span>");
  });

  it("exports carry the places: jsonl (kind, first/last seen), long and wide CSV, Parquet and the data package", async () => {
    const out = tmp("export");
    await exportRecords(store, "jsonl", join(out, "r.jsonl"));
    const lines = readFileSync(join(out, "r.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as ReportRecord & { places: DocumentPlace[] });
    const huancui = lines.find((l) => l.organ === "环翠区商务局")!;
    expect(huancui.places.map((p) => p.kind).sort()).toEqual(["path", "path", "zip"]);
    expect(huancui.places.find((p) => p.kind === "zip")!.member).toBe("2024/环翠.txt");
    expect(Object.keys(huancui).at(-1)).toBe("places");
    const stored = store.placesOf([huancui.source.sha256]);
    expect(huancui.places).toEqual(stored);

    await exportRecords(store, "wide-csv", join(out, "w.csv"));
    const wide = readCsv(readFileSync(join(out, "w.csv"), "utf8").replace(/^\ufeff/, ""));
    const col = (name: string) => wide[0].indexOf(name);
    const row = wide.find((r) => r[col("organ")] === "环翠区商务局")!;
    expect(row[col("places")]).toBe("3");
    expect(row[col("first_seen")]).toBe(stored.map((p) => p.firstSeen).sort()[0]);
    expect(row[col("last_seen")]).toBe(stored.map((p) => p.lastSeen).sort().at(-1));
    expect(row[col("retrieved_at")]).toBe("");
    expect(row[col("published_on")]).toBe("");
    expect(row[col("published_on_source")]).toBe("");
    const signed = wide.find((r) => r[col("organ")] === "硚口区商务局")!;
    expect(signed[col("published_on_source")]).toBe("signature");
    expect(signed[col("places")]).toBe("1");

    await exportRecords(store, "csv", join(out, "l.csv"));
    const long = readCsv(readFileSync(join(out, "l.csv"), "utf8").replace(/^\ufeff/, ""));
    const lc = (name: string) => long[0].indexOf(name);
    expect(long.filter((r) => r[lc("organ")] === "环翠区商务局").every((r) => r[lc("places")] === "3")).toBe(true);

    await exportRecords(store, "parquet", join(out, "r.parquet"));
    const buf = readFileSync(join(out, "r.parquet"));
    const rows = (await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) })) as Record<string, unknown>[];
    const pq = rows.find((r) => r.organ === "环翠区商务局")!;
    expect(pq.places).toBe(3);
    expect(pq.first_seen).toBe(row[col("first_seen")]);
    expect(rows.find((r) => r.organ === "硚口区商务局")!.published_on_source).toBe("signature");

    await exportRecords(store, "datapackage", join(out, "pkg"));
    const pkg = await datapackage.Package.load(join(out, "pkg", "datapackage.json"), { strict: true });
    expect(pkg.errors).toEqual([]);
    expect(pkg.valid).toBe(true);
    const resource = pkg.getResource("places");
    expect(resource.descriptor.schema.foreignKeys).toEqual([{ fields: "report_id", reference: { resource: "reports", fields: "report_id" } }]);
    // relations: true resolves the foreign key against reports (a dangling report_id throws).
    const placeRows = await resource.read({ keyed: true, cast: true, relations: true });
    expect(placeRows).toHaveLength(4);
    expect(placeRows.filter((p: { kind: string }) => p.kind === "zip").map((p: { member: string }) => p.member).sort()).toEqual(["2024/环翠.txt", "2024/硚口.txt"]);
    const reports = await pkg.getResource("reports").read({ keyed: true, cast: true });
    expect(reports.find((r: { organ: string }) => r.organ === "环翠区商务局").places).toBe(3);
  });
});

describe("publishedOn and where it was read", () => {
  it("a portal page with <meta name=\"PubDate\"> and no signature date: page-meta; with a signature: the signature wins", async () => {
    const meta = await parseReport({ bytes: Buffer.from(portalPage({ pubDate: "2025-02-15", signed: false })), name: "p.html" });
    if (!meta.ok) throw new Error(meta.message);
    expect(meta.record.publishedOn).toBe("2025-02-15");
    expect(meta.record.provenance.publishedOn).toMatchObject({ status: "printed", source: "page-meta", text: expect.stringContaining("2025-02-15") });
    expect(meta.record.diagnostics.find((d) => d.key === "publishedOn")?.code).toBe("meta.dateFromPageMeta");

    const signed = await parseReport({ bytes: Buffer.from(portalPage({ pubDate: "2025-02-15", signed: true })), name: "p.html" });
    if (!signed.ok) throw new Error(signed.message);
    expect(signed.record.publishedOn).toBe("2025-01-13");
    expect(signed.record.provenance.publishedOn).toMatchObject({ source: "signature", text: "2025年1月13日" });
    expect(signed.record.diagnostics.filter((d) => d.key === "publishedOn")).toEqual([]);
  });

  it("a report read from several copies takes the best-sourced date: a DOCX's signature over its page's <meta>, naming the copy", async () => {
    const page = await parseReport({ bytes: Buffer.from(portalPage({ pubDate: "2025-02-15", signed: false })), name: "p.html" });
    const docx = await parseReport({ bytes: readFileSync("test/fixtures/generated/g01-2021.lo.docx"), name: "r.docx" });
    const bare = await parseReport({ bytes: unsignedDocx(), name: "u.docx" });
    if (!page.ok || !docx.ok || !bare.ok) throw new Error("fixture not read");
    expect(docx.record.provenance.publishedOn.source).toBe("signature");
    for (const order of [[page, docx], [docx, page]]) {
      const c = consolidate(order.map((o, i) => ({ id: i + 1, record: (o as typeof page & { ok: true }).record })));
      expect(c.record.publishedOn).toBe("2025-01-13");
      expect(c.record.provenance.publishedOn.source).toBe("signature");
      const best = c.best === 1 ? order[0] : order[1];
      if ((best as typeof docx & { ok: true }).record !== docx.record) expect(c.record.provenance.publishedOn.document).toBe(docx.record.source.sha256);
    }
    // No signature anywhere: the page's <meta> date, over nothing.
    const c = consolidate([{ id: 1, record: bare.record }, { id: 2, record: page.record }]);
    expect([c.record.publishedOn, c.record.provenance.publishedOn.source]).toEqual(["2025-02-15", "page-meta"]);
  });

  it("no date anywhere: null with meta.noDate, and no source", async () => {
    const none = await parseReport({ bytes: NO_DATE, name: "x.txt" });
    if (!none.ok) throw new Error(none.message);
    expect(none.record.publishedOn).toBeNull();
    expect(none.record.provenance.publishedOn).toEqual({ text: "", status: "unreadable" });
    expect(none.record.diagnostics.find((d) => d.key === "publishedOn")?.code).toBe("meta.noDate");
  });

  it("a list page's date beside each link is found in the link's row, never from another row or the link's own text", () => {
    const html = `<html><body><ul class="list">
      <li><a href="a1.txt">环翠区商务局2024年政府信息公开工作年度报告</a><span class="date">2025-01-20</span></li>
      <li><a href="a2.txt">硚口区商务局（2025年1月2日）年度报告</a></li>
      <li><span>[2025年01月21日]</span> <a href="/a3.html">某局年度报告</a></li>
      <li><a href="a4.html">两个日期的年度报告</a> 2025-01-22 更新于 2025-01-23</li>
    </ul><table><tr><td><a href="t.html">表格里的年度报告</a></td><td>2024/12/30</td></tr></table></body></html>`;
    const page = parseListPage(html, "http://127.0.0.1/list/index.html", { selector: "a", text: "年度报告" });
    const by = new Map(page.links.map((l) => [l.url.replace("http://127.0.0.1", ""), l.listedOn?.date ?? null]));
    expect(Object.fromEntries(by)).toEqual({
      "/list/a1.txt": "2025-01-20",
      "/list/a2.txt": null, // a date inside the link's own title is not a list date
      "/a3.html": "2025-01-21",
      "/list/a4.html": null, // two dates: which is the listing's cannot be told
      "/list/t.html": "2024-12-30",
    });
    expect(page.links[0].listedOn).toEqual({ date: "2025-01-20", text: "2025-01-20", page: "http://127.0.0.1/list/index.html" });
  });
});

describe("a crawl: list-page dates, retrieval times, Last-Modified, attachments", () => {
  let server: Server;
  let base: string;
  const LAST_MODIFIED = "Tue, 21 Jan 2025 08:00:00 GMT";
  const DOCX = unsignedDocx();
  beforeAll(async () => {
    const list = `<html><head><meta charset="utf-8"></head><body><ul class="list">
      <li><a href="/nb/a1.txt">环翠区商务局2024年政府信息公开工作年度报告</a><span>2025-01-20</span></li>
      <li><a href="/nb/a2.txt">硚口区商务局2024年政府信息公开工作年度报告</a><span>2025-01-21</span></li>
      <li><a href="/nb/a3.html">硚口区商务局2024年政府信息公开工作年度报告（附件）</a><span>2025-01-22</span></li>
    </ul></body></html>`;
    const article = `<html><head><meta charset="utf-8"><title>硚口区商务局2024年政府信息公开工作年度报告</title></head><body>
      <div class="article"><h1>硚口区商务局2024年政府信息公开工作年度报告</h1><p>附件：<a href="/files/report.docx">年度报告.docx</a></p></div></body></html>`;
    const pages: Record<string, { type: string; body: Buffer; headers?: Record<string, string> }> = {
      "/nb/index.html": { type: "text/html; charset=utf-8", body: Buffer.from(list) },
      "/nb/a1.txt": { type: "text/plain; charset=utf-8", body: NO_DATE, headers: { "Last-Modified": LAST_MODIFIED } },
      "/nb/a2.txt": { type: "text/plain; charset=utf-8", body: SIGNED },
      "/nb/a3.html": { type: "text/html; charset=utf-8", body: Buffer.from(article) },
      "/files/report.docx": { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body: DOCX },
    };
    server = createServer((req, res) => {
      const p = pages[(req.url ?? "").split("?")[0]];
      if (!p) {
        res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
        return;
      }
      res.writeHead(200, { "Content-Type": p.type, "Content-Length": p.body.length, ...p.headers }).end(p.body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("publishedOn from the list page (provenance list-page), retrieved_at and Last-Modified kept; a signature still wins; the attachment gets its page's list date", async () => {
    const dir = tmp("crawl");
    const db = join(dir, "x.sqlite");
    const before = new Date().toISOString();
    const summary = await runCrawl({
      db,
      config: {
        userAgent: "xxgk-test (+mailto:crawl-test@example.org)",
        perHostIntervalMs: 0,
        timeoutMs: 2000,
        retries: 0,
        portals: [{ name: "p", startUrls: [`${base}/nb/index.html`], reportLink: { selector: ".list a", text: "年度报告" } }],
      },
    });
    const after = new Date().toISOString();
    expect(summary.portals[0].failed).toEqual([]);
    const store = openStore(db, { readonly: true });
    try {
      const byUrl = new Map<string, ReportRecord>();
      for (const { record } of store.records()) byUrl.set(record.source.url!, record);

      const listed = byUrl.get(`${base}/nb/a1.txt`)!;
      expect(listed.publishedOn).toBe("2025-01-20");
      expect(listed.provenance.publishedOn).toEqual({ text: "2025-01-20", status: "printed", source: "list-page" });
      expect(listed.diagnostics.find((d) => d.key === "publishedOn")?.code).toBe("meta.dateFromListPage");
      const [place] = store.placesOf([listed.source.sha256]);
      expect(place).toMatchObject({ kind: "url", url: `${base}/nb/a1.txt`, lastModified: LAST_MODIFIED, listedOn: "2025-01-20" });
      expect(place.retrievedAt! >= before && place.retrievedAt! <= after).toBe(true);

      const signed = byUrl.get(`${base}/nb/a2.txt`)!;
      expect(signed.publishedOn).toBe("2025-01-13");
      expect(signed.provenance.publishedOn.source).toBe("signature");
      expect(store.placesOf([signed.source.sha256])[0].lastModified).toBeNull();

      const docx = byUrl.get(`${base}/files/report.docx`)!;
      expect(docx.source.format).toBe("docx");
      expect(docx.publishedOn).toBe("2025-01-22"); // its page's date on the list: the page links it
      expect(docx.provenance.publishedOn.source).toBe("list-page");

      // The exports say the same.
      const out = join(dir, "w.csv");
      await exportRecords(store, "wide-csv", out);
      const wide = readCsv(readFileSync(out, "utf8").replace(/^\ufeff/, ""));
      const col = (name: string) => wide[0].indexOf(name);
      const row = wide.find((r) => r[col("source_url")] === `${base}/nb/a1.txt`)!;
      expect([row[col("published_on")], row[col("published_on_source")], row[col("urls")], row[col("retrieved_at")]]).toEqual([
        "2025-01-20", "list-page", `${base}/nb/a1.txt`, place.retrievedAt,
      ]);
    } finally {
      store.close();
    }
  });

  it("bytes stored from a folder before the crawl met them beside a list date take that date in exports (the stored record unchanged)", async () => {
    const dir = tmp("late");
    const db = join(dir, "x.sqlite");
    copyFileSync("data/samples/2024-环翠区商务局.txt", join(dir, "a1.txt"));
    const store = openStore(db);
    await ingestPaths(store, [join(dir, "a1.txt")]);
    store.close();
    await runCrawl({
      db,
      config: {
        userAgent: "xxgk-test (+mailto:crawl-test@example.org)",
        perHostIntervalMs: 0,
        timeoutMs: 2000,
        retries: 0,
        portals: [{ name: "p", startUrls: [`${base}/nb/index.html`], reportLink: { selector: ".list a", text: "年度报告" } }],
      },
    });
    const s = openStore(db, { readonly: true });
    try {
      const sha = sha256(NO_DATE);
      expect(s.placesOf([sha]).map((p) => p.kind)).toEqual(["path", "url"]);
      const stored = [...s.records()].find((r) => r.record.source.sha256 === sha)!;
      expect(stored.record.publishedOn).toBeNull(); // parsed from the folder, before the crawl
      const out = join(dir, "r.jsonl");
      await exportRecords(s, "jsonl", out);
      const line = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l)).find((l) => l.source.sha256 === sha);
      expect(line.publishedOn).toBe("2025-01-20");
      expect(line.provenance.publishedOn).toMatchObject({ source: "list-page", document: sha });
      expect(line.diagnostics.filter((d: { key?: string }) => d.key === "publishedOn").map((d: { code: string }) => d.code)).toEqual(["meta.dateFromListPage"]);
    } finally {
      s.close();
    }
  });
});
