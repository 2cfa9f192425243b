// The store on a real SQLite file: identity by content, versions, failures, atomic
// documents, archives, exports and re-parsing.
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, symlinkSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, STORE_SCHEMA_VERSION, type Store } from "../src/store.js";
import { ReviewLedger } from "../src/review-ledger.js";
import { cellsOf, wideColumns } from "../model/cells.js";
import { describeSummary, ingestPaths, walk } from "../src/ingest.js";
import { csvField, csvText, exportRecords } from "../src/export.js";
import { parseReport, type ParseOutcome } from "../src/pipeline.js";
import { codeIdentity, PACKAGE_VERSION, parserIdentity } from "../src/version.js";
import { IngestService } from "../src/ingest-service.js";
import { MIGRATIONS } from "../src/migrations.js";
import type { ReportRecord } from "../model/record.js";
import { makeZip } from "./helpers/zip.js";
import * as cheerio from "cheerio";
import { keepSnapshot, qualityData, qualityPage } from "../src/quality.js";
import { changesSince } from "../src/report/html.js";

const SAMPLE = readFileSync("data/samples/2024-硚口区商务局.txt", "utf8");
let dir: string;
let store: Store;
let service: IngestService;
const count = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "xxgk-store-"));
  store = openStore(join(dir, "db", "x.sqlite"));
  service = new IngestService(store);
});
afterEach(() => store.close());

/** A real CSV reader (RFC 4180) to read exports back. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') q = false;
      else field += ch;
    } else if (ch === '"') q = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\n") row.push(field.replace(/\r$/, "")), rows.push(row), (row = []), (field = "");
    else field += ch;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

describe("store", () => {
  it("adds nothing for the same bytes twice, and a new version for changed bytes", async () => {
    const path = join(dir, "r.txt");
    writeFileSync(path, SAMPLE);
    const first = await service.ingestOne({ bytes: readFileSync(path), path });
    expect(first.status).toBe("ingested");
    const rowsAfterFirst = ["sources", "versions", "reports", "cells", "sections", "checks", "diagnostics", "failures"].map((t) => count(`SELECT count(*) AS n FROM ${t}`));
    const again = await service.ingestOne({ bytes: readFileSync(path), path });
    expect(again).toMatchObject({ status: "present", reportId: first.reportId, sha256: first.sha256 });
    expect(["sources", "versions", "reports", "cells", "sections", "checks", "diagnostics", "failures"].map((t) => count(`SELECT count(*) AS n FROM ${t}`))).toEqual(rowsAfterFirst);
    // Same bytes under another name: still the same document, and the name kept as a place it was seen.
    expect((await service.ingestOne({ bytes: readFileSync(path), path: join(dir, "copy.txt") })).status).toBe("present");
    const [sources, versions, ...rest] = rowsAfterFirst;
    expect(["sources", "versions", "reports", "cells", "sections", "checks", "diagnostics", "failures"].map((t) => count(`SELECT count(*) AS n FROM ${t}`))).toEqual([sources + 1, versions + 1, ...rest]);
    expect(store.db.prepare("SELECT s.locator FROM versions v JOIN sources s ON s.id = v.source_id WHERE v.sha256 = ? ORDER BY v.id").all(first.sha256)).toEqual([{ locator: path }, { locator: join(dir, "copy.txt") }]);
    expect(store.counts()).toMatchObject({ reports: 1, sources: 2, versions: 2 });
    writeFileSync(path, SAMPLE.replace("收到政府信息公开申请1例", "收到政府信息公开申请1件"));
    const changed = await service.ingestOne({ bytes: readFileSync(path), path });
    expect(changed.status).toBe("ingested");
    expect(changed.sha256).not.toBe(first.sha256);
    expect(store.counts()).toMatchObject({ reports: 1, sources: 2, versions: 3 });
    expect(store.db.prepare("SELECT DISTINCT source_id FROM versions WHERE sha256 = ?").all(changed.sha256)).toEqual(store.db.prepare("SELECT DISTINCT source_id FROM versions WHERE sha256 = ?").all(first.sha256).slice(0, 1));
    expect(count("SELECT count(*) AS n FROM reports")).toBe(2); // the old one kept as history
    const current = store.db.prepare("SELECT r.id, v.sha256, v.format FROM reports r JOIN versions v ON v.id = r.version_id WHERE r.is_current = 1").all();
    expect(current).toEqual([{ id: changed.reportId, sha256: changed.sha256, format: "text" }]);
    expect([...store.records()].map((r) => r.id)).toEqual([changed.reportId]);
    expect(store.readBytes(changed.sha256)).toEqual(new Uint8Array(readFileSync(path)));
  });

  it("creates a fresh database at the current schema version, and migrates a version-1 file", async () => {
    expect(store.schemaVersion()).toBe(STORE_SCHEMA_VERSION);
    expect(store.db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(store.db.pragma("foreign_keys", { simple: true })).toBe(1);
    // Every table, the crawl state's included, comes from the migrations.
    const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(["crawl_fetches", "crawl_links", "crawl_runs", "crawl_urls", "diagnostics", "cells", "reports"]));
    expect(tables).not.toContain("warnings");
    // A version-1 file as version 1 wrote it, by its own frozen text: a cell stored as REAL,
    // a warning, and the same bytes current twice (two ingests at once, before version 4).
    const v1 = new Database(join(dir, "v1.sqlite"));
    v1.exec(MIGRATIONS[0].sql);
    v1.pragma("user_version = 1");
    v1.exec(`INSERT INTO sources VALUES (1, 'a.txt', 'a.txt', NULL, 't'), (2, 'b.txt', 'b.txt', NULL, 't');
      INSERT INTO versions VALUES (1, 1, 'abc', 3, NULL, 't'), (2, 2, 'abc', 3, NULL, 't');
      INSERT INTO reports (id, version_id, parser_version, parsed_at, format, template, organ, year, record_json) VALUES
        (1, 1, '0.1.0', 't', 'text', '2021', 'X局', 2024, '{}'), (2, 2, '0.1.0', 't', 'text', '2021', 'X局', 2024, '{}');
      INSERT INTO cells VALUES (1, 'requests', 'granted', 'total', 5.0), (2, 'requests', 'granted', 'total', 2.5);
      INSERT INTO warnings VALUES (1, 'licensing.decisions: ''—'' read as null');`);
    expect(v1.prepare("SELECT typeof(value) AS t FROM cells WHERE report_id = 1").get()).toEqual({ t: "real" });
    v1.close();
    const migrated = openStore(join(dir, "v1.sqlite"));
    expect(migrated.schemaVersion()).toBe(STORE_SCHEMA_VERSION);
    expect(migrated.db.prepare("SELECT report_id, typeof(value) AS t, value FROM cells ORDER BY report_id").all()).toEqual([
      { report_id: 1, t: "integer", value: 5 },
      { report_id: 2, t: "real", value: 2.5 },
    ]);
    expect(migrated.db.prepare("SELECT id FROM reports WHERE is_current = 1").all()).toEqual([{ id: 2 }]);
    expect(migrated.db.prepare("SELECT report_id, code, severity, message FROM diagnostics").all()).toEqual([
      { report_id: 1, code: "note.legacy", severity: "warning", message: "licensing.decisions: '—' read as null" },
    ]);
    expect(migrated.db.prepare("SELECT organ FROM v_wide").all()).toEqual([{ organ: "X局" }]);
    migrated.close();
  });

  it("keeps each migration step frozen: v_wide's text is the one released, and matches the wide columns of today", async () => {
    const { wideViewSql } = await import("../src/views.js");
    // If the template's columns change, this fails: add a migration with the new view's frozen text.
    expect(MIGRATIONS.find((m) => m.to === 3)!.sql).toBe(wideViewSql());
    expect(new Set(MIGRATIONS.map((m) => m.to)).size).toBe(MIGRATIONS.length);
    expect(MIGRATIONS.map((m) => m.to)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it("refuses a database made by a newer xxgk, and a file that is not a database", () => {
    store.db.pragma("user_version = 99");
    store.close();
    expect(() => openStore(join(dir, "db", "x.sqlite"))).toThrow(/newer xxgk/);
    writeFileSync(join(dir, "junk.sqlite"), "this is not a database, just some text that is long enough ".repeat(100));
    expect(() => openStore(join(dir, "junk.sqlite"))).toThrow(/not a database/);
    expect(() => openStore(dir)).toThrow(/is a folder/);
    expect(() => openStore("/proc/self/status")).toThrow(/not a database file/);
    expect(() => openStore(join(dir, "db", "x.sqlite"), { readonly: true })).toThrow(/newer xxgk/);
    store = openStore(join(dir, "db", "other.sqlite")); // for afterEach
  });

  it("records a failure with its reason and goes on with the batch", async () => {
    writeFileSync(join(dir, "a-empty.txt"), "");
    writeFileSync(join(dir, "b.pdf"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1]));
    writeFileSync(join(dir, "c.txt"), SAMPLE);
    writeFileSync(join(dir, "d-big.txt"), SAMPLE + "x".repeat(20_000));
    writeFileSync(join(dir, "e-big.txt"), SAMPLE + "y".repeat(20_000));
    const s = await ingestPaths(store, [dir], { maxFileBytes: 15_000 }); // the database's own folder is inside: it must be skipped
    expect(s.ingested).toBe(1);
    expect(s.failed.map((f) => [f.path.split("/").pop(), f.code])).toEqual([
      ["a-empty.txt", "empty"],
      ["b.pdf", "corrupt"],
      ["d-big.txt", "too-large"],
      ["e-big.txt", "too-large"],
    ]);
    // Every failure is stored and current, with its reason and path.
    const rows = store.db.prepare("SELECT locator, code, message FROM v_failures ORDER BY locator").all() as { locator: string; code: string; message: string }[];
    expect(rows.map((r) => [r.locator.split("/").pop(), r.code])).toEqual(s.failed.map((f) => [f.path.split("/").pop(), f.code]));
    expect(rows.find((r) => r.code === "empty")!.message).toContain("empty");
    expect(rows.find((r) => r.locator.endsWith("d-big.txt"))!.message).toMatch(/over the 15000-byte limit/);
    expect(count("SELECT count(*) AS n FROM reports")).toBe(1);

    // A second run adds nothing, and still lists the files that do not read.
    const before = count("SELECT count(*) AS n FROM failures WHERE is_current = 1");
    const again = await ingestPaths(store, [dir], { maxFileBytes: 15_000 });
    expect(again).toMatchObject({ ingested: 0, present: 1 });
    expect(again.failed.map((f) => [f.code, f.before ?? false])).toEqual([
      ["empty", true],
      ["corrupt", true],
      ["too-large", false],
      ["too-large", false],
    ]);
    expect(count("SELECT count(*) AS n FROM failures WHERE is_current = 1")).toBe(before);
    expect(count("SELECT count(*) AS n FROM versions")).toBe(3);
  });

  it("records a parser that throws on one document as that document's failure, and goes on", async () => {
    const parse = async (i: Parameters<typeof parseReport>[0]): Promise<ParseOutcome> =>
      i.name.includes("boom") ? Promise.reject(new TypeError("x is undefined")) : parseReport(i);
    writeFileSync(join(dir, "a-boom.txt"), SAMPLE + "\n附注：坏。\n");
    writeFileSync(join(dir, "b.txt"), SAMPLE);
    const s = await ingestPaths(new IngestService(store, { parse }), [join(dir, "a-boom.txt"), join(dir, "b.txt")]);
    expect(s.ingested).toBe(1);
    expect(s.failed).toMatchObject([{ code: "internal", message: "the parser failed on this document (a bug): x is undefined" }]);
    expect(store.counts()).toMatchObject({ reports: 1, failures: 1 });
  });

  it("stops the batch with the reason when storing fails, keeping what was stored", async () => {
    for (const n of ["a", "b", "c", "d"]) writeFileSync(join(dir, `${n}.txt`), `${SAMPLE}\n附注：${n}。\n`);
    let seen = 0;
    // Committed two by two: a and b are committed (and told) before c is stored.
    const s = await service.inCommitGroups(
      () =>
        ingestPaths(service, ["a", "b", "c", "d"].map((n) => join(dir, `${n}.txt`)), {
          onResult: () => {
            if (++seen === 2) store.db.close(); // the database goes away mid-batch
          },
        }),
      { docs: 2, ms: 60_000 },
    );
    expect(s.ingested).toBe(2);
    expect(s.error).toMatch(/c\.txt: could not be stored: .*not open/);
    store = openStore(join(dir, "db", "x.sqlite"));
    expect(store.counts().reports).toBe(2);
  });

  it("never tells as stored what an uncommitted group lost when the database went away", async () => {
    for (const n of ["a", "b", "c", "d"]) writeFileSync(join(dir, `${n}.txt`), `${SAMPLE}\n附注：${n}。\n`);
    let parsed = 0;
    const told: string[] = [];
    const closing = new IngestService(store, {
      parse: (input) => {
        if (++parsed === 3) store.db.close(); // a and b saved in the open group, not yet committed
        return parseReport(input);
      },
    });
    const s = await closing.inCommitGroups(
      () => ingestPaths(closing, ["a", "b", "c", "d"].map((n) => join(dir, `${n}.txt`)), { onResult: (p) => told.push(p) }),
      { docs: 100, ms: 60_000 },
    );
    expect(s.error).toMatch(/c\.txt: could not be stored: .*not open/);
    expect(told).toEqual([]);
    expect(s.ingested).toBe(0);
    store = openStore(join(dir, "db", "x.sqlite"));
    expect(store.counts().reports).toBe(0); // what the summary says
  });

  it("walks folders in name order, skips dotfiles, reads links inside the tree and not out of it", () => {
    const root = join(dir, "tree");
    mkdirSync(join(root, "b", ".hidden"), { recursive: true });
    mkdirSync(join(dir, "outside"));
    writeFileSync(join(dir, "outside", "secret.txt"), "x");
    writeFileSync(join(root, "b", "2.txt"), "x");
    writeFileSync(join(root, "b", ".hidden", "h.txt"), "x");
    writeFileSync(join(root, "a.txt"), "x");
    writeFileSync(join(root, ".dot.txt"), "x");
    symlinkSync(join(root, "a.txt"), join(root, "c-link.txt"));
    symlinkSync(join(dir, "outside", "secret.txt"), join(root, "d-out.txt"));
    symlinkSync(join(dir, "outside"), join(root, "e-outdir"));
    symlinkSync(root, join(root, "f-loop"));
    const got = [...walk([root])].map((e) => [e.path.slice(root.length + 1), e.kind]);
    expect(got).toEqual([
      ["a.txt", "file"],
      ["b/2.txt", "file"],
      ["c-link.txt", "file"],
      ["d-out.txt", "skip"],
      ["e-outdir", "skip"],
      ["f-loop", "skip"],
    ]);
    // A link named on the command line is followed: the user asked for it.
    expect([...walk([join(root, "d-out.txt")])].map((e) => e.kind)).toEqual(["file"]);
    expect([...walk([join(dir, "missing")])]).toMatchObject([{ kind: "error", code: "unreadable", message: "no such file or folder" }]);
  });

  it("reads files whose names are not UTF-8 (GBK from a Windows archive, stray bytes), in folders named so too", async () => {
    const root = Buffer.from(join(dir, "in"));
    mkdirSync(root);
    const gbkDir = Buffer.concat([root, Buffer.from("/"), iconv.encode("年报", "gbk")]);
    mkdirSync(gbkDir);
    writeFileSync(Buffer.concat([gbkDir, Buffer.from("/"), iconv.encode("硚口区商务局.txt", "gbk")]), SAMPLE);
    writeFileSync(Buffer.concat([root, Buffer.from("/bad\xff\xfe.txt", "latin1")]), readFileSync("data/samples/2024-环翠区商务局.txt"));
    const s = await ingestPaths(store, [join(dir, "in")]);
    expect(s.failed).toEqual([]);
    expect(s.ingested).toBe(2);
    const locators = (store.db.prepare("SELECT locator FROM sources ORDER BY locator").all() as { locator: string }[]).map((r) => r.locator.slice(dir.length + 4));
    expect(locators).toEqual(["bad%FF%FE.txt", "年报/硚口区商务局.txt"]);
    // Again: the same places, nothing new.
    const again = await ingestPaths(store, [join(dir, "in")]);
    expect([again.ingested, again.present, again.failed.length]).toEqual([0, 2, 0]);
    expect(count("SELECT count(*) AS n FROM sources")).toBe(2);
  });

  it("leaves nothing half-written when a document's transaction fails", async () => {
    const out = await parseReport({ bytes: Buffer.from(SAMPLE), name: "x" });
    if (!out.ok) throw new Error(out.message);
    const broken = structuredClone(out);
    (broken.record.sections as unknown[]).push({ number: 7, title: null, text: null }); // NOT NULL fails after the report row is in
    expect(() => service.save(broken, { sha: out.record.source.sha256, locator: "x", input: { bytes: Buffer.from(SAMPLE), path: "x" } })).toThrow();
    for (const t of ["reports", "cells", "sections", "checks", "diagnostics", "sources", "versions"]) expect(count(`SELECT count(*) AS n FROM ${t}`)).toBe(0);
    // The store is still usable, and the same document stores whole.
    const ok = service.save(out, { sha: out.record.source.sha256, locator: "x", input: { bytes: Buffer.from(SAMPLE), path: "x" } });
    expect(ok.status).toBe("ingested");
    expect(count("SELECT count(*) AS n FROM cells")).toBe(cellsOf(out.record).length);
  });

  it("reads zip archives: nested folders, GBK names; refuses a bomb and a ../ path", async () => {
    const gbkName = iconv.encode("年报/2024/硚口区商务局.txt", "gbk");
    writeFileSync(join(dir, "reports.zip"), makeZip([{ name: gbkName, data: SAMPLE }, { name: "other/readme.png", data: "x" }]));
    writeFileSync(join(dir, "bomb.zip"), makeZip([{ name: "a.txt", data: "small", declaredSize: 3_000_000_000 }]));
    writeFileSync(join(dir, "evil.zip"), makeZip([{ name: "../../etc/x.txt", data: SAMPLE }]));
    const s = await ingestPaths(store, [dir]);
    expect(s.ingested).toBe(1);
    const src = store.db.prepare("SELECT locator FROM sources s JOIN versions v ON v.source_id = s.id JOIN reports r ON r.version_id = v.id").get() as { locator: string };
    expect(src.locator.endsWith("reports.zip!/年报/2024/硚口区商务局.txt")).toBe(true);
    const codes = Object.fromEntries(s.failed.map((f) => [f.path.split("/").pop(), f.code]));
    expect(codes).toEqual({ "bomb.zip": "zip-bomb", "evil.zip": "unsafe-path" });
    // The failure names its reason; the file is named once, by the line that prints it.
    for (const f of s.failed) expect(f.message).not.toContain(f.path);
    expect(s.failed.find((f) => f.code === "unsafe-path")?.message).toBe("the archive holds member names that escape a folder: ../../etc/x.txt");
  });

  it("reads a zip inside a zip, and names an archive that gives nothing to read instead of passing it in silence", async () => {
    const inner = makeZip([{ name: "硚口区商务局.txt", data: SAMPLE }]);
    writeFileSync(join(dir, "nested.zip"), makeZip([{ name: "inner.zip", data: inner }]));
    writeFileSync(join(dir, "sheets.zip"), makeZip([{ name: "a.csv", data: "x" }]));
    writeFileSync(join(dir, "mixed.zip"), makeZip([{ name: "bad.zip", data: "not a zip" }, { name: "b.txt", data: readFileSync("data/samples/2024-环翠区商务局.txt") }]));
    const s = await ingestPaths(store, [dir]);
    expect(s.ingested).toBe(2);
    const locators = (store.db.prepare("SELECT locator FROM sources ORDER BY locator").all() as { locator: string }[]).map((r) => r.locator.slice(dir.length + 1));
    expect(locators).toContain("nested.zip!/inner.zip!/硚口区商务局.txt");
    const codes = Object.fromEntries(s.failed.map((f) => [f.path.slice(dir.length + 1), f.code]));
    expect(codes).toEqual({ "sheets.zip": "no-reports", "mixed.zip!/bad.zip": "corrupt-zip" });
    expect(s.failed.find((f) => f.code === "no-reports")?.message).toContain("a.csv");
    expect(count("SELECT count(*) AS n FROM failures WHERE is_current = 1")).toBe(2);
  });

  it("exports long CSV (one row per cell), wide CSV and JSON lines that read back", async () => {
    mkdirSync(join(dir, "in"));
    writeFileSync(join(dir, "in", "a.txt"), SAMPLE);
    const other = readFileSync("data/samples/2024-环翠区商务局.txt");
    writeFileSync(join(dir, "in", 'b,"q".txt'), other); // a name that needs RFC 4180 quoting
    await ingestPaths(store, [join(dir, "in")]);
    // Expected rows: the cells of each record, counted from the parser, not the store.
    let expected = 0;
    for (const bytes of [Buffer.from(SAMPLE), other]) {
      const p = await parseReport({ bytes, name: "x" });
      if (!p.ok) throw new Error(p.message);
      expected += cellsOf(p.record).length;
    }
    expect(expected).toBeGreaterThan(300);
    await exportRecords(store, "csv", join(dir, "long.csv"));
    const raw = readFileSync(join(dir, "long.csv"));
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM for Excel
    const long = readCsv(raw.toString("utf8").replace(/^\ufeff/, ""));
    expect(long[0]).toEqual(["report_id", "organ", "year", "region_code", "province", "city", "county", "template", "format", "source_path", "source_url", "sha256", "table", "row", "column", "value",
      "corrected", "machine_value", "status", "text", "page", "box", "table_no", "row_no", "col_no", "line",
      "places", "first_seen", "last_seen", "retrieved_at", "published_on_source", "urls"]);
    expect(long.length - 1).toBe(expected);
    expect(long.every((r) => r.length === 32)).toBe(true);
    const one = long.find((r) => r[1] === "硚口区商务局" && r[13] === "newReceived" && r[14] === "total")!;
    expect(one[15]).toBe("1");
    expect(one.slice(3, 7)).toEqual(["420104", "湖北省", "武汉市", "硚口区"]);
    expect(one[9].endsWith("a.txt")).toBe(true);
    expect(long.find((r) => r[1] === "环翠区商务局")![9].endsWith('b,"q".txt')).toBe(true);
    expect(csvField('a"b')).toBe('"a""b"');
    expect(csvField("x\ny")).toBe('"x\ny"');
    expect(csvField(null)).toBe("");
    await exportRecords(store, "wide-csv", join(dir, "wide.csv"));
    const wide = readCsv(readFileSync(join(dir, "wide.csv"), "utf8").replace(/^\ufeff/, ""));
    expect(wide).toHaveLength(3);
    expect(wide[0]).toContain("requests.newReceived.total");
    expect(wide[0].length).toBe(15 + 6 + wideColumns().length); // 6: the citation columns (src/citation.ts)
    const col = wide[0].indexOf("active.normativeDocuments.inForce");
    expect(wide.find((r) => r[1] === "环翠区商务局")![col]).toBe("2");
    await exportRecords(store, "jsonl", join(dir, "r.jsonl"));
    const lines = readFileSync(join(dir, "r.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.organ).sort()).toEqual(["环翠区商务局", "硚口区商务局"]);
    expect(Object.keys(lines[0])[0]).toBe("schemaVersion");
  });

  it("re-parses documents read by an older parser and reports exactly what changed", async () => {
    await service.ingestOne({ bytes: Buffer.from(SAMPLE), path: "a.txt" });
    await service.ingestOne({ bytes: readFileSync("data/samples/2024-环翠区商务局.txt"), path: "b.txt" });
    // An older parser that read one cell differently.
    store.db.prepare("UPDATE reports SET parser_version = '0.0.1'").run();
    const old = store.db.prepare("SELECT id, record_json FROM reports WHERE organ = '硚口区商务局'").get() as { id: number; record_json: string };
    const rec = JSON.parse(old.record_json);
    rec.requests.granted[0] = 0;
    store.db.prepare("UPDATE reports SET record_json = ? WHERE id = ?").run(JSON.stringify(rec), old.id);
    const changes = await service.reparse();
    expect(changes).toHaveLength(2);
    const changed = changes.filter((c) => c.changed);
    expect(changed).toHaveLength(1);
    expect(changed[0].notes).toEqual(["requests.granted.naturalPerson: 0 → 1"]);
    expect(count(`SELECT count(*) AS n FROM reports WHERE is_current = 1 AND parser_version = '${service.parser}'`)).toBe(2);
    expect(count("SELECT count(*) AS n FROM reports WHERE is_current = 0")).toBe(2);
    expect(await service.reparse()).toEqual([]);
  });

  it("a report that names no body anywhere takes it from its file name where that is its title (a zip member's own name too)", async () => {
    const bare = SAMPLE.replace("硚口区商务局2024年政府\n信息公开工作年度报告", "2024年政府信息公开工作年度报告")
      .replace("硚口区商务局党政办公室，地址：硚口区沿河大道518号", "本局办公室")
      .replaceAll("区商务局", "我局").replaceAll("硚口", "");
    const files = join(dir, "named");
    mkdirSync(files);
    writeFileSync(join(files, "硚口区商务局2024年政府信息公开工作年度报告.txt"), bare);
    writeFileSync(join(files, "r.zip"), makeZip([{ name: "附件2：环翠区商务局2024年度政府信息公开工作年度报告.txt", data: Buffer.from(`${bare}\n`) }]));
    writeFileSync(join(files, "plain.txt"), `${bare}\n\n`);
    await ingestPaths(service, [files]);
    const byFile = Object.fromEntries([...store.records()].map((r) => [r.record.source.path!.split(/[/!]/).pop(), r.record.organ]));
    expect(byFile).toEqual({
      "硚口区商务局2024年政府信息公开工作年度报告.txt": "硚口区商务局",
      "附件2：环翠区商务局2024年度政府信息公开工作年度报告.txt": "环翠区商务局",
      "plain.txt": null,
    });
  });

  it("tells a new report from a new copy of a stored one (the same body and year in other bytes)", async () => {
    const a = await service.ingestOne({ bytes: Buffer.from(SAMPLE), path: "a.txt" });
    expect(a.status).toBe("ingested");
    expect(a.copy).toBeUndefined();
    const again = await service.ingestOne({ bytes: Buffer.from(`${SAMPLE}\n（重新上传）\n`), path: "a-reuploaded.txt" });
    expect(again.status).toBe("ingested");
    expect(again.copy).toBe(true);
    const other = await service.ingestOne({ bytes: readFileSync("data/samples/2024-环翠区商务局.txt"), path: "b.txt" });
    expect(other.copy).toBeUndefined();
    const lastYear = await service.ingestOne({ bytes: Buffer.from(SAMPLE.replaceAll("2024", "2023")), path: "a-2023.txt" });
    expect(lastYear.copy).toBeUndefined();
    // In a batch's summary: documents, and which of them are copies.
    const files = join(dir, "batch");
    mkdirSync(files);
    writeFileSync(join(files, "1.txt"), SAMPLE.replaceAll("2024", "2022"));
    writeFileSync(join(files, "2.txt"), `${SAMPLE.replaceAll("2024", "2022")}\n`);
    const sum = await ingestPaths(service, [files]);
    expect(sum).toMatchObject({ ingested: 2, copies: 1 });
    const said = describeSummary(sum, "x.sqlite").split("\n");
    expect(said[0]).toMatch(/^2 ingested, 0 already present, 0 failed/);
    expect(said[1]).toBe("1 of the documents ingested is a copy of a report already stored (the same body and year): not new reports");
  });

  it("the quality page's changes since the last one: a re-parse is no news, a changed value is", async () => {
    await service.ingestOne({ bytes: Buffer.from(SAMPLE), path: "a.txt" });
    await service.ingestOne({ bytes: readFileSync("data/samples/2024-环翠区商务局.txt"), path: "b.txt" });
    const first = qualityPage(store);
    expect(first.html).toContain('id="first-report"');
    keepSnapshot(store, first.snapshot);
    // A newer build re-reads both (new store ids); one of them it reads differently.
    store.db.prepare("UPDATE reports SET parser_version = '0.0.1'").run();
    const idsBefore = qualityData(store).reports.map((r) => r.id);
    const reread = new IngestService(store, {
      parse: async (input) => {
        const out = await parseReport(input);
        if (out.ok && out.record.organ === "环翠区商务局") out.record.requests.granted[0] = 7;
        return out;
      },
    });
    expect(await reread.reparse()).toHaveLength(2);
    const data = qualityData(store);
    expect(data.reports.map((r) => r.id).some((id) => idsBefore.includes(id))).toBe(false);
    const changes = changesSince(data)!;
    expect(changes.added).toEqual([]);
    expect(changes.removed).toEqual([]);
    expect(changes.changed!.map((r) => r.organ)).toEqual(["环翠区商务局"]);
    const $ = cheerio.load(qualityPage(store).html);
    expect($("#changes .change.added .count").text()).toBe("0");
    expect($("#changes .change.changed li").text()).toContain("环翠区商务局");
  });

  it("links a body's years and checks them against each other", async () => {
    const y2024 = SAMPLE;
    const y2023 = SAMPLE.replaceAll("2024", "2023").replace("硚口区商务局2023年政府", "硚口区商务局2023年政府");
    await service.ingestOne({ bytes: Buffer.from(y2024), path: "2024.txt" });
    const r = await service.ingestOne({ bytes: Buffer.from(y2023), path: "2023.txt" });
    expect(r.status).toBe("ingested");
    const keys = store.db.prepare("SELECT DISTINCT organ_key FROM reports").all();
    expect(keys).toEqual([{ organ_key: "420104:商务局" }]);
    expect(count("SELECT count(*) AS n FROM checks WHERE rule LIKE 'crossYear.%'")).toBe(0); // 0 carried forward, 0 carried over
    // A 2025 report whose carried-over requests disagree with 2024's carried forward.
    const y2025 = SAMPLE.replaceAll("2024", "2025").replace(/二、上年结转政府信息公开申请数量\n\t0/, "二、上年结转政府信息公开申请数量\n\t3");
    const r25 = await service.ingestOne({ bytes: Buffer.from(y2025), path: "2025.txt" });
    expect(r25.failedRules).toContain("crossYear.carriedOver");
    expect(store.db.prepare("SELECT where_ FROM checks WHERE rule = 'crossYear.carriedOver'").all()).toEqual([{ where_: "requests.carriedOver.naturalPerson" }]);
  });

  it("keeps a year's cross-year checks when the next year arrives, and checks the next year against it", async () => {
    const y2024 = SAMPLE;
    const y2025 = SAMPLE.replaceAll("2024", "2025").replace(/二、上年结转政府信息公开申请数量\n\t0/, "二、上年结转政府信息公开申请数量\n\t3");
    const y2026 = SAMPLE.replaceAll("2024", "2026");
    await service.ingestOne({ bytes: Buffer.from(y2024), path: "2024.txt" });
    const r25 = await service.ingestOne({ bytes: Buffer.from(y2025), path: "2025.txt" });
    const rules = () => store.db.prepare("SELECT r.year, c.rule, c.where_ FROM checks c JOIN reports r ON r.id = c.report_id WHERE c.rule LIKE 'crossYear.%' ORDER BY r.year, c.where_").all();
    const with2025 = rules();
    expect(with2025).toContainEqual({ year: 2025, rule: "crossYear.carriedOver", where_: "requests.carriedOver.naturalPerson" });
    // 2026 arrives: 2025's finding against 2024 stays; 2026 is checked against 2025.
    const r26 = await service.ingestOne({ bytes: Buffer.from(y2026), path: "2026.txt" });
    expect(r26.status).toBe("ingested");
    const after = rules() as { year: number }[];
    expect(after.filter((c) => c.year === 2025)).toEqual(with2025.filter((c) => (c as { year: number }).year === 2025));
    expect(store.checksOf(r25.reportId!).map((c) => c.rule)).toContain("crossYear.carriedOver");
    // And the reverse order: 2024 arriving last recomputes 2025's checks.
    const other = openStore(join(dir, "db", "reverse.sqlite"));
    const s2 = new IngestService(other);
    for (const [y, text] of [[2026, y2026], [2025, y2025], [2024, y2024]] as const) await s2.ingestOne({ bytes: Buffer.from(text), path: `${y}.txt` });
    expect(other.db.prepare("SELECT r.year, c.rule, c.where_ FROM checks c JOIN reports r ON r.id = c.report_id WHERE c.rule LIKE 'crossYear.%' ORDER BY r.year, c.where_").all()).toEqual(after);
    other.close();
  });

  it("stores whole counts as integers, and each cell's status and place and each diagnostic with its code, key and place", async () => {
    await service.ingestOne({ bytes: Buffer.from(SAMPLE), path: "a.txt" });
    expect(store.db.prepare("SELECT DISTINCT typeof(value) AS t FROM cells WHERE value IS NOT NULL").all()).toEqual([{ t: "integer" }]);
    // A record v2 (provenance, diagnostics, no warnings), as the readers will give it.
    const out = await parseReport({ bytes: Buffer.from(SAMPLE.replace("2024", "2023")), name: "v2.txt" });
    if (!out.ok) throw new Error(out.message);
    const r = out.record as ReportRecord & Record<string, unknown>;
    delete r.warnings;
    r.schemaVersion = 2 as never;
    r.provenance = {
      "requests.granted.total": { text: "1", status: "printed", place: { page: 2, box: [10, 20, 30, 40], table: 2, row: 5, col: 9 } },
      "requests.granted.naturalPerson": { text: "", status: "blank", place: { line: 17 } },
    };
    r.source.sha256 = "f".repeat(64);
    r.diagnostics = [{ code: "cell.blank", severity: "info", key: "requests.granted.naturalPerson", place: { line: 17 }, message: "the cell is blank" }];
    const saved = service.save(out, { sha: "f".repeat(64), locator: "v2.txt", input: { bytes: Buffer.from("v2"), path: "v2.txt" } });
    expect(saved.status).toBe("ingested");
    const cell = (key: string) => store.db.prepare("SELECT value, status, text, page, box, table_no, row_no, col_no, line FROM v_cells WHERE report_id = ? AND key = ?").get(saved.reportId, key);
    expect(cell("requests.granted.total")).toEqual({ value: r.requests.granted[6], status: "printed", text: "1", page: 2, box: "[10,20,30,40]", table_no: 2, row_no: 5, col_no: 9, line: null });
    expect(cell("requests.granted.naturalPerson")).toMatchObject({ status: "blank", text: "", line: 17, page: null });
    expect(store.db.prepare("SELECT code, severity, key, line, message FROM v_diagnostics WHERE report_id = ?").all(saved.reportId)).toEqual([
      { code: "cell.blank", severity: "info", key: "requests.granted.naturalPerson", line: 17, message: "the cell is blank" },
    ]);
    // The long CSV carries them; an `info` note is not a warning.
    await exportRecords(store, "csv", join(dir, "long.csv"));
    const rows = readCsv(readFileSync(join(dir, "long.csv"), "utf8").replace(/^\ufeff/, ""));
    const row = rows.find((x) => x[11] === "f".repeat(64) && x[13] === "granted" && x[14] === "total")!;
    expect(row.slice(15, 26)).toEqual([String(r.requests.granted[6]), "0", String(r.requests.granted[6]), "printed", "1", "2", "[10,20,30,40]", "2", "5", "9", ""]);
    expect(store.db.prepare("SELECT warnings, diagnostics FROM v_reports WHERE report_id = ?").get(saved.reportId)).toEqual({ warnings: 0, diagnostics: 1 });
  });

  it("writes text a spreadsheet would run as a formula with a leading ' in CSV, numbers and JSON lines unchanged", async () => {
    const out = await parseReport({ bytes: Buffer.from(SAMPLE), name: "x.txt" });
    if (!out.ok) throw new Error(out.message);
    const r = structuredClone(out.record);
    r.organ = '=HYPERLINK("http://x","y")';
    r.source.path = "-cmd|' /C calc'!A0";
    r.region!.province = "@SUM(1)";
    r.region!.city = "\tx";
    r.requests.granted[0] = -3; // a number, not a formula
    // A store that holds only this record (no corrections table: nothing to apply).
    const fake = { records: () => [{ id: 7, record: r, parsedAt: "", reportKey: null }].values(), ledger: new ReviewLedger(new Database(":memory:")), placesOf: () => [] } as unknown as Store;
    await exportRecords(fake, "csv", join(dir, "evil.csv"));
    const rows = readCsv(readFileSync(join(dir, "evil.csv"), "utf8").replace(/^\ufeff/, ""));
    const granted = rows.find((x) => x[13] === "granted" && x[14] === "naturalPerson")!;
    expect(granted.slice(1, 6)).toEqual([`'=HYPERLINK("http://x","y")`, "2024", "420104", "'@SUM(1)", "'\tx"]);
    expect(granted[9]).toBe("'-cmd|' /C calc'!A0");
    expect(granted[15]).toBe("-3");
    await exportRecords(fake, "wide-csv", join(dir, "evil-wide.csv"));
    const wide = readCsv(readFileSync(join(dir, "evil-wide.csv"), "utf8").replace(/^\ufeff/, ""));
    expect(wide[1][1]).toBe(`'=HYPERLINK("http://x","y")`);
    expect(wide[1][wide[0].indexOf("requests.granted.naturalPerson")]).toBe("-3");
    await exportRecords(fake, "jsonl", join(dir, "evil.jsonl"));
    expect(JSON.parse(readFileSync(join(dir, "evil.jsonl"), "utf8")).organ).toBe('=HYPERLINK("http://x","y")');
    expect(csvText("+1")).toBe("'+1");
    expect(csvText("\r=1")).toBe(`"'\r=1"`);
    expect(csvText("硚口区")).toBe("硚口区");
  });

  it("stores the same bytes once when two stores claim them at once: one current report, both names kept", async () => {
    const out = await parseReport({ bytes: Buffer.from(SAMPLE), name: "x" });
    if (!out.ok) throw new Error(out.message);
    const sha = out.record.source.sha256;
    // Two connections (as two processes) that both looked and found nothing, then both store.
    const second = openStore(join(dir, "db", "x.sqlite"));
    const a = new IngestService(store);
    const b = new IngestService(second);
    expect(store.lookup(sha, a.parser)).toBeNull();
    expect(second.lookup(sha, b.parser)).toBeNull();
    const ra = a.save(out, { sha, locator: "one.txt", input: { bytes: Buffer.from(SAMPLE), path: "one.txt" } });
    const rb = b.save(out, { sha, locator: "two.txt", input: { bytes: Buffer.from(SAMPLE), path: "two.txt" } });
    second.close();
    expect([ra.status, rb.status]).toEqual(["ingested", "present"]);
    expect(rb.reportId).toBe(ra.reportId);
    expect(count("SELECT count(*) AS n FROM reports WHERE is_current = 1")).toBe(1);
    expect(count("SELECT count(*) AS n FROM reports")).toBe(1);
    expect(store.db.prepare("SELECT s.locator FROM versions v JOIN sources s ON s.id = v.source_id WHERE v.sha256 = ? ORDER BY s.locator").all(sha)).toEqual([{ locator: "one.txt" }, { locator: "two.txt" }]);
    // The database itself refuses a second current report of the same bytes.
    expect(() => store.db.prepare("INSERT INTO reports (version_id, sha256, parser_version, parsed_at, format, template, record_json) VALUES (1, ?, 'p', 't', 'text', '2021', '{}')").run(sha)).toThrow(/UNIQUE/);
    // The same for failures.
    const bad: ParseOutcome = { ok: false, code: "corrupt", message: "broken" };
    expect(a.save(bad, { sha: "e".repeat(64), locator: "x.pdf", input: { bytes: Buffer.from("x"), path: "x.pdf" } }).status).toBe("failed");
    expect(a.save(bad, { sha: "e".repeat(64), locator: "y.pdf", input: { bytes: Buffer.from("x"), path: "y.pdf" } })).toMatchObject({ status: "present", code: "corrupt" });
    expect(count("SELECT count(*) AS n FROM failures WHERE is_current = 1")).toBe(1);
  });

  it("reads again, on the next ingest, a file an older build failed on; reparse re-runs failures and reports of another build", async () => {
    const path = join(dir, "r.txt");
    writeFileSync(path, SAMPLE);
    // An older build, with another identity, that could not read the file.
    const old = new IngestService(store, { parser: "0.1.0", parse: async () => ({ ok: false, code: "not-a-report", message: "no tables found" }) });
    expect(await old.ingestOne({ bytes: readFileSync(path), path })).toMatchObject({ status: "failed", code: "not-a-report" });
    // The same build again: as before, not re-read.
    expect(await old.ingestOne({ bytes: readFileSync(path), path })).toMatchObject({ status: "present", code: "not-a-report" });
    // This build: read again, and stored.
    const now = await service.ingestOne({ bytes: readFileSync(path), path });
    expect(now.status).toBe("ingested");
    expect(store.counts()).toMatchObject({ reports: 1, failures: 0 });
    // reparse: a failure stored by another build is re-run from the kept bytes.
    const other = join(dir, "s.txt");
    writeFileSync(other, SAMPLE.replace("2024", "2023"));
    await old.ingestOne({ bytes: readFileSync(other), path: other });
    const changes = await service.reparse();
    expect(changes).toEqual([{ locator: other, from: "0.1.0", changed: true, notes: ["now read (was failed: not-a-report)"] }]);
    expect(store.counts()).toMatchObject({ reports: 2, failures: 0 });
    expect(await service.reparse()).toEqual([]);
  });

  it("derives the parser identity from the code that reads documents, not from a constant", () => {
    expect(parserIdentity()).toMatch(new RegExp(`^${PACKAGE_VERSION.replace(/\./g, "\\.")}\\+[0-9a-f]{12}$`));
    const root = mkdtempSync(join(tmpdir(), "xxgk-identity-"));
    for (const d of ["model", "data", "extractors", "normalizers", "src"]) cpSync(d, join(root, d), { recursive: true });
    const before = codeIdentity(root, ".ts");
    expect(before).toBe(parserIdentity().split("+")[1]); // the same code, wherever it lives
    writeFileSync(join(root, "src", "cli.ts"), "// not a reader\n", { flag: "a" });
    expect(codeIdentity(root, ".ts")).toBe(before);
    writeFileSync(join(root, "normalizers", "checks.ts"), "// a changed rule\n", { flag: "a" });
    const after = codeIdentity(root, ".ts");
    expect(after).not.toBe(before);
    writeFileSync(join(root, "extractors", "text.ts"), "// a changed reader\n", { flag: "a" });
    expect(codeIdentity(root, ".ts")).not.toBe(after);
  });
});

describe("a batch's commit groups", () => {
  /** Reports another connection sees (what another process, or a run after a kill, would find). */
  const seenOutside = () => {
    const other = new Database(join(dir, "db", "x.sqlite"), { readonly: true });
    try {
      return (other.prepare("SELECT count(*) AS n FROM reports").get() as { n: number }).n;
    } finally {
      other.close();
    }
  };
  const input = (i: number) => {
    const path = join(dir, `g${i}.txt`);
    return { bytes: Buffer.from(`${SAMPLE}\n附注：第${i}号。\n`), path };
  };

  it("commits every `docs` documents, and the rest when the batch ends; each document stays whole", async () => {
    await service.inCommitGroups(
      async () => {
        for (let i = 0; i < 2; i++) await service.ingestOne(input(i));
        expect(count("SELECT count(*) AS n FROM reports")).toBe(2); // this connection sees its own
        expect(seenOutside()).toBe(0); // nobody else does yet
        await service.ingestOne(input(2));
        expect(seenOutside()).toBe(3);
        await service.ingestOne(input(3));
        expect(seenOutside()).toBe(3);
      },
      { docs: 3, ms: 60_000 },
    );
    expect(seenOutside()).toBe(4);
    // Committed as whole documents: every report has its cells.
    expect(count("SELECT count(*) AS n FROM reports r WHERE NOT EXISTS (SELECT 1 FROM cells c WHERE c.report_id = r.id)")).toBe(0);
  });

  it("commits a group after `ms` even when no further document comes (a slow parse never holds the lock long)", async () => {
    await service.inCommitGroups(
      async () => {
        await service.ingestOne(input(0));
        expect(seenOutside()).toBe(0);
        await new Promise((r) => setTimeout(r, 150));
        expect(seenOutside()).toBe(1);
      },
      { docs: 100, ms: 50 },
    );
  });

  it("a batch that throws still commits what it stored", async () => {
    await expect(
      service.inCommitGroups(async () => {
        await service.ingestOne(input(0));
        throw new Error("the disk is gone");
      }),
    ).rejects.toThrow("the disk is gone");
    expect(seenOutside()).toBe(1);
  });

  it("ingestPaths commits everything it stored when it ends, with another connection able to write at once", async () => {
    const folder = join(dir, "in");
    mkdirSync(folder);
    for (let i = 0; i < 5; i++) writeFileSync(join(folder, `r${i}.txt`), input(i).bytes);
    const s = await ingestPaths(service, [folder]);
    expect(s.ingested).toBe(5);
    expect(seenOutside()).toBe(5);
    const other = new Database(join(dir, "db", "x.sqlite"), { timeout: 0 });
    try {
      expect(() => other.prepare("BEGIN IMMEDIATE").run()).not.toThrow(); // no write lock left behind
      other.prepare("ROLLBACK").run();
    } finally {
      other.close();
    }
  });
});
