// The store on a real SQLite file: identity by content, versions, failures, atomic
// documents, archives, exports and re-parsing.
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openStore, STORE_SCHEMA_VERSION, type Store } from "../src/store.js";
import { cellsOf, wideColumns } from "../model/cells.js";
import { ingestPaths, walk } from "../src/ingest.js";
import { csvField, exportRecords } from "../src/export.js";
import { parseReport } from "../src/pipeline.js";
import { PARSER_VERSION } from "../src/version.js";
import { makeZip } from "./helpers/zip.js";

const SAMPLE = readFileSync("data/samples/2024-硚口区商务局.txt", "utf8");
let dir: string;
let store: Store;
const count = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "xxgk-store-"));
  store = openStore(join(dir, "db", "x.sqlite"));
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
    const first = await store.ingestOne({ bytes: readFileSync(path), path });
    expect(first.status).toBe("ingested");
    const rowsAfterFirst = ["sources", "versions", "reports", "cells", "sections", "checks", "warnings", "failures"].map((t) => count(`SELECT count(*) AS n FROM ${t}`));
    const again = await store.ingestOne({ bytes: readFileSync(path), path });
    expect(again).toMatchObject({ status: "present", reportId: first.reportId, sha256: first.sha256 });
    // Same bytes under another name: still the same document.
    expect((await store.ingestOne({ bytes: readFileSync(path), path: join(dir, "copy.txt") })).status).toBe("present");
    expect(["sources", "versions", "reports", "cells", "sections", "checks", "warnings", "failures"].map((t) => count(`SELECT count(*) AS n FROM ${t}`))).toEqual(rowsAfterFirst);
    expect(store.counts()).toMatchObject({ reports: 1, sources: 1, versions: 1 });
    writeFileSync(path, SAMPLE.replace("收到政府信息公开申请1例", "收到政府信息公开申请1件"));
    const changed = await store.ingestOne({ bytes: readFileSync(path), path });
    expect(changed.status).toBe("ingested");
    expect(changed.sha256).not.toBe(first.sha256);
    expect(store.counts()).toMatchObject({ reports: 1, sources: 1, versions: 2 });
    expect(store.db.prepare("SELECT DISTINCT source_id FROM versions").all()).toHaveLength(1);
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
    await store.ingestOne({ bytes: Buffer.from(SAMPLE), path: "a.txt" });
    // Turn the file back into what version 1 wrote: no versions.format, no failure indexes.
    store.db.exec("DROP VIEW v_wide; DROP INDEX failures_sha; DROP INDEX failures_version; DROP INDEX failures_locator; ALTER TABLE versions DROP COLUMN format; PRAGMA user_version = 1;");
    store.close();
    store = openStore(join(dir, "db", "x.sqlite"));
    expect(store.schemaVersion()).toBe(3);
    expect(store.db.prepare("SELECT organ FROM v_wide").all()).toEqual([{ organ: "硚口区商务局" }]);
    expect(store.db.prepare("SELECT format FROM versions").all()).toEqual([{ format: "text" }]);
    expect(store.db.prepare("SELECT name FROM sqlite_master WHERE name = 'failures_sha'").get()).toEqual({ name: "failures_sha" });
    expect(store.counts().reports).toBe(1);
  });

  it("refuses a database made by a newer xxgk, and a file that is not a database", () => {
    store.db.pragma("user_version = 99");
    store.close();
    expect(() => openStore(join(dir, "db", "x.sqlite"))).toThrow(/newer xxgk/);
    writeFileSync(join(dir, "junk.sqlite"), "this is not a database, just some text that is long enough ".repeat(100));
    expect(() => openStore(join(dir, "junk.sqlite"))).toThrow(/not a database/);
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
    vi.resetModules();
    vi.doMock("../src/pipeline.js", async (importOriginal) => {
      const real = await importOriginal<typeof import("../src/pipeline.js")>();
      return { ...real, parseReport: async (i: Parameters<typeof real.parseReport>[0]) => (i.name.includes("boom") ? Promise.reject(new TypeError("x is undefined")) : real.parseReport(i)) };
    });
    try {
      const fresh = await import("../src/store.js");
      const { ingestPaths: batch } = await import("../src/ingest.js");
      const other = fresh.openStore(join(dir, "db", "mocked.sqlite"));
      writeFileSync(join(dir, "a-boom.txt"), SAMPLE + "\n附注：坏。\n");
      writeFileSync(join(dir, "b.txt"), SAMPLE);
      const s = await batch(other, [join(dir, "a-boom.txt"), join(dir, "b.txt")]);
      expect(s.ingested).toBe(1);
      expect(s.failed).toMatchObject([{ code: "internal", message: "the parser failed on this document (a bug): x is undefined" }]);
      expect(other.counts()).toMatchObject({ reports: 1, failures: 1 });
      other.close();
    } finally {
      vi.doUnmock("../src/pipeline.js");
      vi.resetModules();
    }
  });

  it("stops the batch with the reason when storing fails, keeping what was stored", async () => {
    for (const n of ["a", "b", "c", "d"]) writeFileSync(join(dir, `${n}.txt`), `${SAMPLE}\n附注：${n}。\n`);
    let seen = 0;
    const s = await ingestPaths(store, ["a", "b", "c", "d"].map((n) => join(dir, `${n}.txt`)), {
      onResult: () => {
        if (++seen === 2) store.db.close(); // the database goes away mid-batch
      },
    });
    expect(s.ingested).toBe(2);
    expect(s.error).toMatch(/c\.txt: could not be stored: .*not open/);
    store = openStore(join(dir, "db", "x.sqlite"));
    expect(store.counts().reports).toBe(2);
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

  it("leaves nothing half-written when a document's transaction fails", async () => {
    const out = await parseReport({ bytes: Buffer.from(SAMPLE), name: "x" });
    if (!out.ok) throw new Error(out.message);
    const broken = structuredClone(out);
    (broken.record.sections as unknown[]).push({ number: 7, title: null, text: null }); // NOT NULL fails after the report row is in
    expect(() => store.save(broken, { sha: out.record.source.sha256, locator: "x", input: { bytes: Buffer.from(SAMPLE), path: "x" } })).toThrow();
    for (const t of ["reports", "cells", "sections", "checks", "warnings", "sources", "versions"]) expect(count(`SELECT count(*) AS n FROM ${t}`)).toBe(0);
    // The store is still usable, and the same document stores whole.
    const ok = store.save(out, { sha: out.record.source.sha256, locator: "x", input: { bytes: Buffer.from(SAMPLE), path: "x" } });
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
    expect(long[0]).toEqual(["report_id", "organ", "year", "region_code", "province", "city", "county", "template", "format", "source_path", "source_url", "sha256", "table", "row", "column", "value", "corrected", "machine_value"]);
    expect(long.length - 1).toBe(expected);
    expect(long.every((r) => r.length === 18)).toBe(true);
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
    expect(wide[0].length).toBe(15 + wideColumns().length);
    const col = wide[0].indexOf("active.normativeDocuments.inForce");
    expect(wide.find((r) => r[1] === "环翠区商务局")![col]).toBe("2");
    await exportRecords(store, "jsonl", join(dir, "r.jsonl"));
    const lines = readFileSync(join(dir, "r.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.organ).sort()).toEqual(["环翠区商务局", "硚口区商务局"]);
    expect(Object.keys(lines[0])[0]).toBe("schemaVersion");
  });

  it("re-parses documents read by an older parser and reports exactly what changed", async () => {
    await store.ingestOne({ bytes: Buffer.from(SAMPLE), path: "a.txt" });
    await store.ingestOne({ bytes: readFileSync("data/samples/2024-环翠区商务局.txt"), path: "b.txt" });
    // An older parser that read one cell differently.
    store.db.prepare("UPDATE reports SET parser_version = '0.0.1'").run();
    const old = store.db.prepare("SELECT id, record_json FROM reports WHERE organ = '硚口区商务局'").get() as { id: number; record_json: string };
    const rec = JSON.parse(old.record_json);
    rec.requests.granted[0] = 0;
    store.db.prepare("UPDATE reports SET record_json = ? WHERE id = ?").run(JSON.stringify(rec), old.id);
    const changes = await store.reparse();
    expect(changes).toHaveLength(2);
    const changed = changes.filter((c) => c.changed);
    expect(changed).toHaveLength(1);
    expect(changed[0].notes).toEqual(["requests.granted.naturalPerson: 0 → 1"]);
    expect(count(`SELECT count(*) AS n FROM reports WHERE is_current = 1 AND parser_version = '${PARSER_VERSION}'`)).toBe(2);
    expect(count("SELECT count(*) AS n FROM reports WHERE is_current = 0")).toBe(2);
    expect(await store.reparse()).toEqual([]);
  });

  it("links a body's years and checks them against each other", async () => {
    const y2024 = SAMPLE;
    const y2023 = SAMPLE.replaceAll("2024", "2023").replace("硚口区商务局2023年政府", "硚口区商务局2023年政府");
    await store.ingestOne({ bytes: Buffer.from(y2024), path: "2024.txt" });
    const r = await store.ingestOne({ bytes: Buffer.from(y2023), path: "2023.txt" });
    expect(r.status).toBe("ingested");
    const keys = store.db.prepare("SELECT DISTINCT organ_key FROM reports").all();
    expect(keys).toEqual([{ organ_key: "420104:商务局" }]);
    expect(count("SELECT count(*) AS n FROM checks WHERE rule LIKE 'crossYear.%'")).toBe(0); // 0 carried forward, 0 carried over
    // A 2025 report whose carried-over requests disagree with 2024's carried forward.
    const y2025 = SAMPLE.replaceAll("2024", "2025").replace(/二、上年结转政府信息公开申请数量\n\t0/, "二、上年结转政府信息公开申请数量\n\t3");
    const r25 = await store.ingestOne({ bytes: Buffer.from(y2025), path: "2025.txt" });
    expect(r25.failedRules).toContain("crossYear.carriedOver");
    expect(store.db.prepare("SELECT where_ FROM checks WHERE rule = 'crossYear.carriedOver'").all()).toEqual([{ where_: "requests.carriedOver.naturalPerson" }]);
  });

  it("keeps the parser version equal to package.json's", () => {
    expect(PARSER_VERSION).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
  });
});
