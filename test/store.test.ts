// The store on a real SQLite file: identity by content, versions, failures, atomic
// documents, archives, exports and re-parsing.
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "../src/store.js";
import { ingestPaths } from "../src/ingest.js";
import { exportRecords, wideColumns } from "../src/export.js";
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
    expect((await store.ingestOne({ bytes: readFileSync(path), path })).status).toBe("ingested");
    expect((await store.ingestOne({ bytes: readFileSync(path), path })).status).toBe("present");
    expect(store.counts()).toMatchObject({ reports: 1, sources: 1, versions: 1 });
    writeFileSync(path, SAMPLE.replace("收到政府信息公开申请1例", "收到政府信息公开申请1件"));
    expect((await store.ingestOne({ bytes: readFileSync(path), path })).status).toBe("ingested");
    expect(store.counts()).toMatchObject({ reports: 1, sources: 1, versions: 2 });
    expect(count("SELECT count(*) AS n FROM reports")).toBe(2); // the old one kept as history
    expect(store.readBytes((await store.ingestOne({ bytes: readFileSync(path), path })).sha256)).not.toBeNull();
  });

  it("records a failure with its reason and goes on with the batch", async () => {
    writeFileSync(join(dir, "a-empty.txt"), "");
    writeFileSync(join(dir, "b.pdf"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1]));
    writeFileSync(join(dir, "c.txt"), SAMPLE);
    const s = await ingestPaths(store, [dir]); // the database's own folder is inside: it must be skipped
    expect(s.ingested).toBe(1);
    expect(s.failed.map((f) => f.code).sort()).toEqual(["corrupt", "empty"]);
    expect(count("SELECT count(*) AS n FROM v_failures")).toBe(2);
    expect((store.db.prepare("SELECT message FROM failures WHERE code = 'empty'").get() as { message: string }).message).toContain("empty");
  });

  it("leaves nothing half-written when a document's transaction fails", async () => {
    const out = await parseReport({ bytes: Buffer.from(SAMPLE), name: "x" });
    if (!out.ok) throw new Error(out.message);
    const broken = structuredClone(out);
    (broken.record.sections as unknown[]).push({ number: 7, title: null, text: null }); // NOT NULL fails after the report row is in
    expect(() => store.save(broken, { sha: out.record.source.sha256, locator: "x", input: { bytes: Buffer.from(SAMPLE), path: "x" } })).toThrow();
    for (const t of ["reports", "cells", "sections", "checks", "warnings", "sources", "versions"]) expect(count(`SELECT count(*) AS n FROM ${t}`)).toBe(0);
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
    writeFileSync(join(dir, "in", "b.txt"), readFileSync("data/samples/2024-环翠区商务局.txt"));
    await ingestPaths(store, [join(dir, "in")]);
    const cells = store.counts().cells;
    await exportRecords(store, "csv", join(dir, "long.csv"));
    const long = readCsv(readFileSync(join(dir, "long.csv"), "utf8").replace(/^\ufeff/, ""));
    expect(long[0].slice(-4)).toEqual(["table", "row", "column", "value"]);
    expect(long.length - 1).toBe(cells);
    const one = long.find((r) => r[1] === "硚口区商务局" && r[13] === "newReceived" && r[14] === "total")!;
    expect(one[15]).toBe("1");
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
