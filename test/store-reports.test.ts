// The report tables (report_records, report_cells, report_checks, report_documents) as
// the ingest writes them: a report of one document just saved is made from the stored form
// in hand (src/store.ts refreshUnit), not read back; it must be, row for row, the report a
// full consolidation from the database makes. And keying a new body rewrites only the keys
// that change: the keys are those every name's key recomputed would give.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore, STORE_SCHEMA_VERSION, type Store } from "../src/store.js";
import { ingestPaths } from "../src/ingest.js";
import { organKey } from "../normalizers/organ.js";
import Database from "better-sqlite3";
import { MIGRATIONS } from "../src/migrations.js";
import { IngestService } from "../src/ingest-service.js";
import { reportsOf } from "../src/reports.js";
import { sha256 } from "../model/hash.js";
import { makeReport } from "../scripts/report-fixtures/model.js";
import { tabRows } from "../scripts/report-fixtures/render.js";

const tmp = mkdtempSync(join(tmpdir(), "xxgk-store-reports-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SAMPLES = ["2024-硚口区商务局.txt", "2024-硚口区经科局.txt", "2024-环翠区商务局.txt"].map((f) => readFileSync(join("data/samples", f), "utf8"));
const TABLES = ["report_records", "report_cells", "report_checks", "report_documents"];

/** Every row of the report tables (refreshed_at left out), as sorted text. */
function reportRows(store: Store): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of TABLES) {
    const cols = (store.db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name).filter((c) => c !== "refreshed_at");
    out[t] = (store.db.prepare(`SELECT ${cols.join(", ")} FROM ${t}`).raw().all() as unknown[][]).map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

describe("report tables written as documents are saved", () => {
  it("equal a consolidation of every report from the database; cross-year checks included", async () => {
    const input = join(tmp, "in");
    mkdirSync(input);
    // Bodies of their own (one document each), a body's two years (a cross-year finding on
    // the later one), numbers that break the template's arithmetic, and two copies of one report.
    SAMPLES.forEach((text, i) => {
      writeFileSync(join(input, `a${i}-2024.txt`), text);
      // The next year, carrying over requests the year before did not carry forward: a cross-year finding.
      writeFileSync(join(input, `b${i}-2025.txt`), text.replaceAll("2024", "2025").replace(/二、上年结转政府信息公开申请数量\n\t0/, "二、上年结转政府信息公开申请数量\n\t3"));
      writeFileSync(join(input, `c${i}-broken.txt`), text.replace(/商务局|经科局/g, (m) => `第${"一二三"[i]}${m}`).replace(/\t0\n/g, "\t3\n"));
    });
    writeFileSync(join(input, "d-copy.txt"), `${SAMPLES[0]}\n附注：另一份。\n`);
    const store = openStore(join(tmp, "x.sqlite"));
    const s = await ingestPaths(store, [input]);
    expect(s.ingested).toBe(10);
    expect(s.checks["crossYear.carriedOver"]).toBeGreaterThan(0);
    const asSaved = reportRows(store);
    expect(asSaved.report_records.length).toBe(9);
    expect(asSaved.report_checks.some((r) => r.includes("crossYear."))).toBe(true);
    store.reports.rebuild();
    expect(reportRows(store)).toEqual(asSaved);
    store.close();
  });

  it("check a body's years against each other as the reports are consolidated from their copies, and keep no finding on an older copy", async () => {
    const input = join(tmp, "cross-year");
    mkdirSync(input);
    const [text] = SAMPLES;
    // 2024 twice: the newer copy's 结转下年度继续办理 row cannot be read (its 0s are read from the older copy).
    const at = text.indexOf("四、结转下年度继续办理");
    writeFileSync(join(input, "a-2024.txt"), text);
    writeFileSync(join(input, "b-2024-copy.txt"), text.slice(0, at) + text.slice(at).replace("\t0\n", "\t0O\n"));
    // 2025 carries over 3 requests of natural persons that 2024 did not carry forward.
    writeFileSync(join(input, "c-2025.txt"), text.replaceAll("2024", "2025").replace(/二、上年结转政府信息公开申请数量\n\t0/, "二、上年结转政府信息公开申请数量\n\t3"));
    const store = openStore(join(tmp, "cross-year.sqlite"));
    const s = await ingestPaths(store, [input]);
    expect(s.ingested).toBe(3);
    const findings = () => store.db.prepare("SELECT year, rule, \"where\" FROM v_checks WHERE rule LIKE 'crossYear.%' ORDER BY year").all();
    // The report of 2024 holds its 0s (from the older copy); the newer copy alone, whose row is null, shows no disagreement.
    expect(store.db.prepare("SELECT value, document_id FROM v_cells WHERE year = 2024 AND key = 'requests.carriedForward.naturalPerson'").get()).toEqual({ value: 0, document_id: 1 });
    expect(findings()).toEqual([{ year: 2025, rule: "crossYear.carriedOver", where: "requests.carriedOver.naturalPerson" }]);
    expect(s.checks["crossYear.carriedOver"]).toBe(1);
    // The same after a full consolidation from the database.
    const asSaved = reportRows(store);
    store.reports.rebuild();
    expect(reportRows(store)).toEqual(asSaved);
    store.close();

    // The other way round: 2025 first, then the copies of 2024, the readable one last. The
    // finding comes when 2024's report first holds the value; the older copy keeps none.
    const reverse = join(tmp, "cross-year-reverse");
    mkdirSync(reverse);
    writeFileSync(join(reverse, "a-2025.txt"), readFileSync(join(input, "c-2025.txt")));
    writeFileSync(join(reverse, "b-2024-copy.txt"), readFileSync(join(input, "b-2024-copy.txt")));
    const other = openStore(join(tmp, "cross-year-reverse.sqlite"));
    await ingestPaths(other, [reverse]);
    expect(other.db.prepare("SELECT count(*) AS n FROM v_checks WHERE rule LIKE 'crossYear.%'").get()).toEqual({ n: 0 });
    await ingestPaths(other, [join(input, "a-2024.txt")]);
    expect(other.db.prepare("SELECT year, rule, \"where\" FROM v_checks WHERE rule LIKE 'crossYear.%'").all()).toEqual([
      { year: 2025, rule: "crossYear.carriedOver", where: "requests.carriedOver.naturalPerson" },
    ]);
    // Kept on each year's newest document only: 2025's.
    expect(other.db.prepare("SELECT r.year, count(*) AS n FROM checks c JOIN reports r ON r.id = c.report_id WHERE c.rule LIKE 'crossYear.%' GROUP BY r.year").all()).toEqual([{ year: 2025, n: 1 }]);
    // A second copy of 2025 (other bytes): the finding moves to it; the copy that held it keeps none, and the report holds it once.
    const again = join(tmp, "cross-year-copy");
    mkdirSync(again);
    writeFileSync(join(again, "a-2025-copy.txt"), `${readFileSync(join(input, "c-2025.txt"), "utf8")}\n附注：另一份。\n`);
    await ingestPaths(other, [again]);
    const held = other.db.prepare("SELECT c.report_id AS id FROM checks c JOIN reports r ON r.id = c.report_id WHERE c.rule LIKE 'crossYear.%'").all() as { id: number }[];
    const newest = other.db.prepare("SELECT max(id) AS id FROM reports WHERE year = 2025 AND is_current = 1").get() as { id: number };
    expect(held).toEqual([newest]);
    expect(other.db.prepare("SELECT year, rule FROM v_checks WHERE rule LIKE 'crossYear.%'").all()).toEqual([{ year: 2025, rule: "crossYear.carriedOver" }]);
    other.close();
  });

  it("keep a report of one document as that document, not a copy; a second copy makes it consolidated, and its going undoes that", async () => {
    const input = join(tmp, "copies");
    mkdirSync(input);
    SAMPLES.forEach((text, i) => writeFileSync(join(input, `a${i}.txt`), text));
    const store = openStore(join(tmp, "copies.sqlite"));
    await ingestPaths(store, [input]);
    const one = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;
    expect(one("SELECT count(*) AS n FROM report_records")).toBe(3);
    expect(one("SELECT count(*) AS n FROM report_records WHERE record_json IS NULL")).toBe(3);
    expect(one("SELECT count(*) AS n FROM consolidated_cells") + one("SELECT count(*) AS n FROM consolidated_checks")).toBe(0);
    // The views give every report's rows all the same: its document's.
    expect(one("SELECT count(*) AS n FROM v_cells")).toBe(one("SELECT count(*) AS n FROM cells"));
    expect(one("SELECT count(*) AS n FROM v_checks")).toBe(one("SELECT count(*) AS n FROM checks"));
    expect(one("SELECT count(*) AS n FROM v_cells WHERE document_id != report_id")).toBe(0);
    const byReport = new Map([...store.reports.records()].map((r) => [r.id, r.record]));
    for (const d of store.records()) expect(byReport.get(d.id)).toEqual(d.record);

    // A second copy of the first report: consolidated, with its own rows.
    writeFileSync(join(input, "a0-copy.txt"), `${SAMPLES[0]}\n附注：另一份。\n`);
    await ingestPaths(store, [input]);
    expect(one("SELECT count(*) AS n FROM report_records WHERE record_json IS NULL")).toBe(2);
    const merged = store.db.prepare("SELECT report_id AS id, documents FROM report_records WHERE record_json IS NOT NULL").get() as { id: number; documents: number };
    expect(merged.documents).toBe(2);
    expect(one(`SELECT count(*) AS n FROM consolidated_cells WHERE report_id = ${merged.id}`)).toBe(one(`SELECT count(*) AS n FROM cells WHERE report_id = ${merged.id}`));
    expect(one("SELECT count(*) AS n FROM v_reports")).toBe(3);

    // The copy goes (a newer version of its file drops it from the report): back to one document, not copied.
    writeFileSync(join(input, "a0-copy.txt"), SAMPLES[1].replaceAll("经科局", "统计局"));
    await ingestPaths(store, [input]);
    expect(one("SELECT count(*) AS n FROM report_records")).toBe(4);
    expect(one("SELECT count(*) AS n FROM report_records WHERE record_json IS NULL")).toBe(4);
    expect(one("SELECT count(*) AS n FROM consolidated_cells")).toBe(0);
    const asSaved = reportRows(store);
    store.reports.rebuild();
    expect(reportRows(store)).toEqual(asSaved);
    store.close();
  });

  it("a database of schema 9 (every report copied) reads the same after migration 10", async () => {
    const input = join(tmp, "v9in");
    mkdirSync(input);
    SAMPLES.forEach((text, i) => writeFileSync(join(input, `a${i}.txt`), text));
    writeFileSync(join(input, "a0-copy.txt"), `${SAMPLES[0]}\n附注：另一份。\n`);
    const now = openStore(join(tmp, "v10.sqlite"));
    await ingestPaths(now, [input]);
    const views = (db: Database.Database) =>
      Object.fromEntries(["v_reports", "v_cells", "v_checks", "v_wide"].map((v) => [v, (db.prepare(`SELECT * FROM ${v} ORDER BY 1, 2, 3, 4, 5`).raw().all() as unknown[][]).map((r) => JSON.stringify(r))]));
    const want = views(now.db);
    now.close();
    // The same documents in a file as schema 9 left it: report tables to be consolidated on the first writing open.
    const p9 = join(tmp, "v9.sqlite");
    const v9 = new Database(p9);
    for (const m of MIGRATIONS.filter((m) => m.to <= 9)) v9.exec(m.sql);
    v9.pragma("user_version = 9");
    v9.exec(`ATTACH '${join(tmp, "v10.sqlite")}' AS cur`);
    for (const t of ["sources", "versions", "reports", "cells", "sections", "checks", "diagnostics"]) {
      // The columns schema 9 has (a later schema adds some).
      const cols = (v9.prepare(`SELECT name FROM pragma_table_info('${t}')`).all() as { name: string }[]).map((c) => c.name).join(", ");
      v9.exec(`INSERT INTO main.${t} (${cols}) SELECT ${cols} FROM cur.${t}`);
    }
    v9.exec("DETACH cur");
    v9.close();
    const migrated = openStore(p9);
    expect(migrated.schemaVersion()).toBe(STORE_SCHEMA_VERSION);
    expect(views(migrated.db)).toEqual(want);
    expect((migrated.db.prepare("SELECT count(*) AS n FROM report_records WHERE record_json IS NULL").get() as { n: number }).n).toBe(2);
    migrated.close();
  });

  it("keys every body of a region as recomputing each name's key from all the region's names would", async () => {
    const input = join(tmp, "keys");
    mkdirSync(input);
    // Names first, then the longer names they abbreviate (第一商务局 → 第一〇商务局): each arrival re-keys an older body.
    const names = ["商务局", "第一商务局", "第二商务局", "第一〇商务局", "第二三商务局"];
    names.forEach((n, i) => writeFileSync(join(input, `r${i}.txt`), `${SAMPLES[0].replaceAll("商务局", n)}\n附注：${i}。\n`));
    const store = openStore(join(tmp, "keys.sqlite"));
    await ingestPaths(store, [input]);
    const rows = store.db.prepare("SELECT region_code AS code, organ_bare AS bare, organ_key AS key FROM reports").all() as { code: string; bare: string; key: string }[];
    expect(rows.length).toBe(names.length);
    const bare = rows.map((r) => r.bare);
    for (const r of rows) expect(r.key).toBe(organKey(r.code, r.bare, bare));
    expect(new Set(rows.map((r) => r.key)).size).toBeLessThan(names.length); // some names did link
    store.close();
  });
});

describe("bodies no division places: a name alone is not one body", () => {
  /** A report of 城关镇人民政府 (a town in many counties) that names no county: distinct values from `seed`, or all 0. */
  const town = (organ: string, seed: number, zero = false) => {
    const r = makeReport({ id: "t", template: "2021", otherForm: "three", organ, year: 2024, publishedOn: "2025-01-15", seed, region: { code: "", name: "", province: "", city: "", county: "" } });
    if (zero) {
      const z = (o: Record<string, unknown>) => {
        for (const [k, v] of Object.entries(o)) {
          if (Array.isArray(v)) o[k] = v.map((x) => (x === null ? null : 0));
          else if (v && typeof v === "object") z(v as Record<string, unknown>);
          else if (typeof v === "number") o[k] = 0;
        }
      };
      for (const part of [r.active, r.requests, r.reviews]) z(part as Record<string, unknown>);
    }
    return tabRows(r);
  };

  it("two towns' reports of one name and year, neither placed, are two reports (each with its own copies) and stay so when re-keyed; it is said", async () => {
    const input = join(tmp, "towns");
    mkdirSync(input);
    const files: Record<string, string> = {
      "x.txt": town("城关镇人民政府", 11),
      "y.txt": town("城关镇人民政府", 53),
      "x-copy.txt": `${town("城关镇人民政府", 11)}\n附注：另一份。\n`,
      "y-copy.txt": `${town("城关镇人民政府", 53)}\n附注：另一份。\n`,
      // Two towns whose reports are all 0: nothing tells them apart but nothing shows one report either.
      "p.txt": town("石桥镇人民政府", 0, true),
      "q.txt": `${town("石桥镇人民政府", 0, true)}\n附注：另一镇。\n`,
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(input, name), text);
    const store = openStore(join(tmp, "towns.sqlite"));
    const service = new IngestService(store);
    await ingestPaths(service, [input]);
    const fileOf = new Map(Object.entries(files).map(([name, text]) => [sha256(new TextEncoder().encode(text)), name]));
    /** Each report's files, as the exports count them. */
    const reports = () =>
      [...reportsOf(store.records({ byReport: true }))].map((d) => (d.shas ?? [d.record.source.sha256]).map((s) => fileOf.get(s)).sort().join(" + ")).sort();
    const want = ["p.txt", "q.txt", "x-copy.txt + x.txt", "y-copy.txt + y.txt"];
    expect(reports()).toEqual(want);
    expect((store.db.prepare("SELECT count(*) AS n FROM report_records").get() as { n: number }).n).toBe(4);
    // The later of each pair kept apart says so, naming the documents it is not counted with.
    const notes = store.db.prepare("SELECT r.organ_key AS key, d.message FROM diagnostics d JOIN reports r ON r.id = d.report_id WHERE d.code = 'copies.keptApart' ORDER BY r.organ_key").all() as { key: string; message: string }[];
    expect(notes.map((n) => n.key)).toEqual(["unplaced:石桥镇人民政府#2", "unplaced:城关镇人民政府#2", "unplaced:城关镇人民政府#2"].sort());
    for (const n of notes) expect(n.message).toMatch(/xxgk bodies region unplaced:\S+#2 CODE/);
    // Keyed again (after any decision about a body): the same reports, nothing moved.
    const keys = () => store.db.prepare("SELECT id, organ_key FROM reports WHERE is_current = 1 ORDER BY id").all();
    const before = keys();
    expect(service.rekeyBodies()).toEqual({ moves: [], notes: [] });
    expect(keys()).toEqual(before);
    expect(reports()).toEqual(want);
    store.close();
  });
});

describe("a placed body's name no other document prints", () => {
  const report = (organ: string, year: number, seed: number, zero = false) => {
    const r = makeReport({ id: "n", template: "2021", otherForm: "three", organ, year, publishedOn: `${year + 1}-01-15`, seed, region: { code: "", name: "", province: "", city: "", county: "" } });
    if (zero) for (const rows of [r.requests]) for (const k of Object.keys(rows)) rows[k] = rows[k].map(() => 0);
    return tabRows(r);
  };

  it("is counted with the one report of its region and year printing its values (a body renamed, a short name standing for two), never with another region's, never by zeros", async () => {
    const input = join(tmp, "new-names");
    mkdirSync(input);
    const files: Record<string, string> = {
      // Renamed: one year's report printed under its old name and its new one.
      "wj-old.txt": report("江岸区卫生和计划生育委员会", 2024, 17),
      "wj-new.txt": report("江岸区卫生健康委员会", 2024, 17),
      // The same values in another district: not its copy (another region's report).
      "wj-elsewhere.txt": report("环翠区卫生健康委员会", 2024, 17),
      // 经信局 stands for both the 2023 name and the 2024 one, so its name links to neither.
      "jx-2023.txt": report("江岸区经济和信息化局", 2023, 71),
      "jx-2024.txt": report("江岸区经济信息化和科技创新局", 2024, 97),
      "jx-short.txt": report("江岸区经信局", 2024, 97),
      // Two bodies whose requests are all 0: too little to tell one report.
      "da-1.txt": report("江岸区档案局", 2024, 131, true),
      "da-2.txt": report("江岸区档案馆", 2024, 131, true),
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(input, name), text);
    const store = openStore(join(tmp, "new-names.sqlite"));
    const service = new IngestService(store);
    await ingestPaths(service, [input]);
    const fileOf = new Map(Object.entries(files).map(([name, text]) => [sha256(new TextEncoder().encode(text)), name]));
    const reports = () =>
      [...reportsOf(store.records({ byReport: true }))].map((d) => (d.shas ?? [d.record.source.sha256]).map((s) => fileOf.get(s)).sort().join(" + ")).sort();
    const want = ["da-1.txt", "da-2.txt", "jx-2023.txt", "jx-2024.txt + jx-short.txt", "wj-elsewhere.txt", "wj-new.txt + wj-old.txt"];
    expect(reports()).toEqual(want);
    expect((store.db.prepare("SELECT count(*) AS n FROM diagnostics WHERE code = 'copies.matchedByValues'").get() as { n: number }).n).toBe(2);
    expect(service.rekeyBodies().moves).toEqual([]);
    expect(reports()).toEqual(want);
    store.close();
  });
});
