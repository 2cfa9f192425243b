// Bodies end to end through the real CLI on real SQLite files: alias merges re-key and
// re-run cross-year checks; a region set by a person (valid and invalid codes); region
// hints on bytes already stored (placing, contradicting, refused); decisions surviving
// reparse and a new copy; one row per report in v_reports, every document in v_documents.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { ConfigError, parseConfig } from "../src/crawl/config.js";

const CLI = "dist/src/cli.js";
const run = (...args: string[]) => spawnSync("node", [CLI, ...args], { encoding: "utf8" });
const SAMPLE = readFileSync("data/samples/2024-硚口区商务局.txt", "utf8");

/**
 * The sample as another body's report for another year: its name, no place named in the
 * text (so the name alone places it, or nothing does), and optionally 结转下年度继续办理
 * of natural persons (and the total) set to `forward`.
 */
function report(name: string, year: number, forward?: number): string {
  let t = SAMPLE.replace(/硚口区商务局/g, name).replace(/硚口区/g, "").replace(/硚口/g, "").replace(/027-/g, "").replace(/2024/g, String(year));
  if (forward !== undefined) {
    const lines = t.split("\n");
    const at = lines.findIndex((l) => /^\s*四、结转下年度继续办理/.test(l));
    expect(lines.slice(at + 1, at + 8)).toEqual(Array(7).fill("\t0"));
    lines[at + 1] = `\t${forward}`;
    lines[at + 7] = `\t${forward}`;
    t = lines.join("\n");
  }
  return t;
}

let dir: string;
const write = (name: string, text: string) => {
  const p = join(dir, name);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, text);
  return p;
};
const sql = <T>(db: string, q: string, ...args: unknown[]) => {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(q).all(...args) as T[];
  } finally {
    d.close();
  }
};
const keys = (db: string) => sql<{ organ: string; organ_key: string; year: number }>(db, "SELECT organ, organ_key, year FROM reports WHERE is_current = 1 ORDER BY year, organ");
const crossYear = (db: string) => sql<{ rule: string; year: number }>(db, "SELECT rule, year FROM v_checks WHERE rule LIKE 'crossYear.%' ORDER BY year");

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "xxgk-bodies-"));
  expect(existsSync(CLI)).toBe(true);
});

describe("xxgk bodies", () => {
  it("alias merges two names: the reports take the canonical key, corrections follow, the cross-year check appears", () => {
    const db = join(dir, "alias.sqlite");
    // 2023 under the county's name (carries 3 forward), 2024 under the zone's (carries over 0).
    const a = write("alias/2023.txt", report("平潭县人民政府", 2023, 3));
    const b = write("alias/2024.txt", report("平潭综合实验区", 2024));
    expect(run("ingest", "--db", db, a, b).status).toBe(0);
    const before = keys(db);
    expect(before.map((k) => k.organ_key)).toEqual(["350128:人民政府", "350128:平潭综合实验区"]);
    expect(crossYear(db)).toEqual([]);
    // A correction on the old key's year, to see it follow.
    const c = run("correct", "350128:人民政府", "2023", "requests.newReceived.naturalPerson", "1", "--why", "page 1", "--db", db);
    expect(c.status, c.stderr).toBe(0);

    const out = run("bodies", "alias", "平潭县人民政府", "平潭综合实验区", "--db", db);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/平潭县人民政府 → 平潭综合实验区: 2 document\(s\) now under 350128:平潭综合实验区/);
    expect(out.stdout).toMatch(/350128:人民政府 2023 → 350128:平潭综合实验区: 1 correction\(s\) moved/);
    expect(keys(db).map((k) => k.organ_key)).toEqual(["350128:平潭综合实验区", "350128:平潭综合实验区"]);
    expect(crossYear(db).map((k) => [k.rule, k.year])).toEqual([
      ["crossYear.carriedOver", 2024],
      ["crossYear.carriedOver", 2024],
    ]);
    expect(sql(db, "SELECT body_key, year FROM corrections")).toEqual([{ body_key: "350128:平潭综合实验区", year: 2023 }]);
    // One body, two reports; the table and JSON list say so.
    const list = run("bodies", "--db", db, "--json");
    expect(list.status).toBe(0);
    const bodies = list.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(bodies).toEqual([
      expect.objectContaining({ key: "350128:平潭综合实验区", name: "平潭综合实验区", aliases: ["平潭县人民政府"], regionCode: "350128", years: [2023, 2024], reports: 2, documents: 2 }),
    ]);
    expect(run("bodies", "--db", db, "--region", "42").stdout).toMatch(/^key .*\n0 bodies\n$/);
    expect(run("bodies", "--db", db).stdout).toMatch(/350128:平潭综合实验区 +平潭综合实验区 +平潭县人民政府 +350128 福建省福州市平潭县 +2023–2024 +2 +2/);

    // The decision survives a reparse (another parser identity read the bytes again)...
    const w = new Database(db);
    w.prepare("UPDATE reports SET parser_version = 'old'").run();
    w.close();
    expect(run("reparse", "--db", db).status).toBe(0);
    expect(keys(db).map((k) => k.organ_key)).toEqual(["350128:平潭综合实验区", "350128:平潭综合实验区"]);
    expect(crossYear(db)).toHaveLength(2);
    // ...and a new copy of the 2023 report under the old name (other bytes: a re-upload).
    const copy = write("alias/2023-copy.txt", report("平潭县人民政府", 2023, 3) + "\n（重新上传）\n");
    expect(run("ingest", "--db", db, copy).status).toBe(0);
    expect(new Set(keys(db).map((k) => k.organ_key))).toEqual(new Set(["350128:平潭综合实验区"]));
    expect(sql(db, "SELECT organ_key, year, documents FROM v_reports ORDER BY year")).toEqual([
      { organ_key: "350128:平潭综合实验区", year: 2023, documents: 2 },
      { organ_key: "350128:平潭综合实验区", year: 2024, documents: 1 },
    ]);

    // Unknown names: one line, exit non-zero, nothing changed.
    const bad = run("bodies", "alias", "不存在的局", "平潭综合实验区", "--db", db);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trimEnd().split("\n")).toEqual(["xxgk: no body named 不存在的局 in the database (xxgk bodies lists them)"]);
  });

  it("alias is listed under the body whose documents print it, not under every region's body of the canonical name", () => {
    const db = join(dir, "alias-listed.sqlite");
    const a = write("alias-listed/ja-2023.txt", report("江岸区商务委", 2023));
    const b = write("alias-listed/ja-2024.txt", report("江岸区商务局", 2024));
    const c = write("alias-listed/hc-2024.txt", report("环翠区商务局", 2024));
    expect(run("ingest", "--db", db, a, b, c).status).toBe(0);
    const out = run("bodies", "alias", "江岸区商务委", "江岸区商务局", "--db", db);
    expect(out.status, out.stderr).toBe(0);
    const bodies = run("bodies", "--db", db, "--json").stdout.trim().split("\n").map((l) => JSON.parse(l) as { key: string; aliases: string[] });
    expect(bodies.map((x) => [x.key, x.aliases]).sort()).toEqual([
      ["371002:商务局", []],
      ["420102:商务局", ["江岸区商务委"]],
    ]);
    // The table too: 环翠区's body shows no other name.
    expect(run("bodies", "--db", db).stdout).toMatch(/371002:商务局 +商务局 +环翠区商务局 +371002/);
  });

  it("region: places an unplaced body (re-keyed, merged with its key there, cross-year re-run); an unknown code is refused with one line", () => {
    const db = join(dir, "region.sqlite");
    const a = write("region/2023.txt", report("岚岛管理委员会", 2023, 2));
    expect(run("ingest", "--db", db, a).status).toBe(0);
    // The 2024 report came through a crawl that knew the region.
    const b = write("region/2024.txt", report("岚岛管理委员会", 2024));
    const other = write("region/other-2024.txt", report("海坛管理委员会", 2024));
    expect(run("ingest", "--db", db, other).status).toBe(0);
    expect(keys(db).map((k) => k.organ_key)).toEqual(["unplaced:岚岛管理委员会", "unplaced:海坛管理委员会"]);

    const refused = run("bodies", "region", "海坛管理委员会", "999999", "--db", db);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toMatch(/999999 is not a GB\/T 2260 division code/);
    expect(run("bodies", "region", "不存在的局", "350128", "--db", db).status).toBe(1);

    const set = run("bodies", "region", "海坛管理委员会", "350128", "--db", db);
    expect(set.status, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/海坛管理委员会: placed in 350128 \(福建省福州市平潭县\); unplaced:海坛管理委员会 → 350128:海坛管理委员会/);
    expect(sql(db, "SELECT organ_key, region_code, region_by FROM v_reports WHERE organ = '海坛管理委员会'")).toEqual([
      { organ_key: "350128:海坛管理委员会", region_code: "350128", region_by: "person" },
    ]);

    // A document placed by a hint places its body's earlier unplaced reports: one series, checked across years.
    expect(crossYear(db)).toEqual([]);
    const hinted = run("ingest", "--db", db, "--region", "350128", b);
    expect(hinted.status, hinted.stderr).toBe(0);
    expect(keys(db).filter((k) => k.organ === "岚岛管理委员会").map((k) => k.organ_key)).toEqual(["350128:岚岛管理委员会", "350128:岚岛管理委员会"]);
    expect(crossYear(db).map((k) => [k.rule, k.year])).toEqual([
      ["crossYear.carriedOver", 2024],
      ["crossYear.carriedOver", 2024],
    ]);
  });

  it("region: a body placed elsewhere than its names print stays one body, whichever prefix its copies print", () => {
    const db = join(dir, "elsewhere.sqlite");
    const body = SAMPLE.slice(SAMPLE.indexOf("\n"));
    const files = ["硚口区商务局", "湖北省武汉市硚口区商务局", "武汉市硚口区商务局"].map((name, i) => write(`elsewhere/${i}.txt`, `${name}2024年政府信息公开工作年度报告\n${body}`));
    expect(run("ingest", "--db", db, ...files).status).toBe(0);
    expect(sql(db, "SELECT count(*) AS n FROM v_reports")).toEqual([{ n: 1 }]);
    const set = run("bodies", "region", "硚口区商务局", "350102", "--db", db);
    expect(set.status, set.stderr).toBe(0);
    expect(new Set(keys(db).map((k) => k.organ_key))).toEqual(new Set(["350102:商务局"]));
    expect(sql(db, "SELECT count(*) AS n FROM v_reports")).toEqual([{ n: 1 }]);
  });

  it("unalias and unplace undo the decisions: keys, corrections and cross-year checks as before them; nothing to undo is one line", () => {
    const db = join(dir, "undo.sqlite");
    const a = write("undo/2023.txt", report("平潭县人民政府", 2023, 3));
    const b = write("undo/2024.txt", report("平潭综合实验区", 2024));
    const c = write("undo/other.txt", report("海坛管理委员会", 2024));
    expect(run("ingest", "--db", db, a, b, c).status).toBe(0);
    const before = keys(db);
    expect(run("correct", "350128:人民政府", "2023", "requests.newReceived.naturalPerson", "1", "--why", "page 1", "--db", db).status).toBe(0);
    expect(run("bodies", "alias", "平潭县人民政府", "平潭综合实验区", "--db", db).status).toBe(0);
    expect(crossYear(db)).toHaveLength(2);
    expect(sql(db, "SELECT body_key FROM corrections")).toEqual([{ body_key: "350128:平潭综合实验区" }]);

    const undo = run("bodies", "unalias", "平潭县人民政府", "--db", db);
    expect(undo.status, undo.stderr).toBe(0);
    expect(undo.stdout).toMatch(/平潭县人民政府 is no longer 平潭综合实验区: 1 document\(s\) now under 350128:人民政府/);
    expect(keys(db)).toEqual(before);
    expect(crossYear(db)).toEqual([]);
    expect(sql(db, "SELECT body_key, year FROM corrections")).toEqual([{ body_key: "350128:人民政府", year: 2023 }]);
    expect(JSON.parse(run("bodies", "--db", db, "--json", "--region", "350128").stdout.trim().split("\n")[0]).aliases).toEqual([]);
    const again = run("bodies", "unalias", "平潭县人民政府", "--db", db);
    expect(again.status).toBe(1);
    expect(again.stderr.trimEnd().split("\n")).toEqual(["xxgk: 平潭县人民政府 is not an alias of another body (xxgk bodies lists the aliases)"]);

    expect(run("bodies", "region", "海坛管理委员会", "350128", "--db", db).status).toBe(0);
    expect(keys(db).find((k) => k.organ === "海坛管理委员会")?.organ_key).toBe("350128:海坛管理委员会");
    const unplace = run("bodies", "unplace", "海坛管理委员会", "--db", db);
    expect(unplace.status, unplace.stderr).toBe(0);
    expect(unplace.stdout).toMatch(/海坛管理委员会: \d+ region decision\(s\) removed; 350128:海坛管理委员会 → unplaced:海坛管理委员会/);
    expect(keys(db)).toEqual(before);
    expect(sql(db, "SELECT region_code, region_by FROM v_reports WHERE organ = '海坛管理委员会'")).toEqual([{ region_code: null, region_by: null }]);
    const none = run("bodies", "unplace", "海坛管理委员会", "--db", db);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/^xxgk: 海坛管理委员会: no region was decided for it; its documents place it \(unplaced:海坛管理委员会\)\n$/);
  });

  it("unalias gives each body back the corrections made under it, though the merge had superseded one of them", () => {
    // Two bodies' reports of one year, each corrected on the same cell; an alias merges them
    // (the older correction superseded: one report, one value), and undoing it gives each
    // report its own person's value again (before, the older stayed superseded under the
    // merged key and its report showed the machine's value).
    const db = join(dir, "undo-both.sqlite");
    const a = write("undo-both/a.txt", report("平潭县人民政府", 2024));
    const b = write("undo-both/b.txt", report("平潭综合实验区", 2024));
    expect(run("ingest", "--db", db, a, b).status).toBe(0);
    const cell = "requests.newReceived.naturalPerson";
    expect(run("correct", "平潭县人民政府", "2024", cell, "111", "--why", "a", "--db", db).status).toBe(0);
    expect(run("correct", "平潭综合实验区", "2024", cell, "222", "--why", "b", "--db", db).status).toBe(0);
    const corrected = () =>
      sql<{ organ: string; value: number }>(db, "SELECT organ, value FROM v_cells_corrected WHERE \"table\" = 'requests' AND row = 'newReceived' AND \"column\" = 'naturalPerson' ORDER BY organ");
    const before = corrected();
    expect(before.map((r) => r.value).sort()).toEqual([111, 222]);

    expect(run("bodies", "alias", "平潭县人民政府", "平潭综合实验区", "--db", db).status).toBe(0);
    expect(corrected().map((r) => r.value)).toEqual([222]);
    expect(sql(db, "SELECT value, status FROM corrections ORDER BY id")).toEqual([
      { value: 111, status: "superseded" },
      { value: 222, status: "active" },
    ]);

    const undo = run("bodies", "unalias", "平潭县人民政府", "--db", db);
    expect(undo.status, undo.stderr).toBe(0);
    expect(undo.stdout).toMatch(/1 correction\(s\) made under 350128:人民政府 went back with its documents/);
    expect(corrected()).toEqual(before);
    expect(sql(db, "SELECT body_key, value, status FROM corrections ORDER BY id")).toEqual([
      { body_key: "350128:人民政府", value: 111, status: "active" },
      { body_key: "350128:平潭综合实验区", value: 222, status: "active" },
    ]);
  });

  it("a hint on stored bytes places an unplaced body; a contradicting hint warns and is not applied; a bad code is refused before anything is read", () => {
    const db = join(dir, "hints.sqlite");
    const a = write("hints/unplaced.txt", report("岚岛管理委员会", 2024));
    const wuhan = write("hints/wuhan.txt", SAMPLE);
    expect(run("ingest", "--db", db, a, wuhan).status).toBe(0);
    expect(keys(db).map((k) => k.organ_key).sort()).toEqual(["420104:商务局", "unplaced:岚岛管理委员会"]);

    const again = run("ingest", "--db", db, "--region", "350128", a);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/0 ingested, 1 already present/);
    expect(again.stdout).toMatch(/region: .*unplaced\.txt — 岚岛管理委员会: placed in 350128 \(福建省福州市平潭县\) by the region hint/);
    expect(keys(db).map((k) => k.organ_key).sort()).toEqual(["350128:岚岛管理委员会", "420104:商务局"]);

    const wrong = run("ingest", "--db", db, "--region", "110101", wuhan);
    expect(wrong.status).toBe(0);
    expect(wrong.stdout).toMatch(/warning: .*wuhan\.txt — 硚口区商务局: region: hint 110101 \(北京市东城区\) not applied: the document names 湖北省武汉市硚口区 \(420104\)/);
    expect(keys(db).map((k) => k.organ_key).sort()).toEqual(["350128:岚岛管理委员会", "420104:商务局"]);
    expect(sql(db, "SELECT code, severity FROM v_diagnostics WHERE code = 'region.hintContradicted'")).toEqual([{ code: "region.hintContradicted", severity: "warning" }]);

    const fresh = join(dir, "hints-never.sqlite");
    const bad = run("ingest", "--db", fresh, "--region", "999999", a);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/999999 is not a GB\/T 2260 division code/);
    expect(existsSync(fresh)).toBe(false);
  });
});

describe("one row per report in SQL", () => {
  it("a report that arrived as HTML, DOCX and PDF is one row of v_reports (the best copy, three documents) and three of v_documents", () => {
    const db = join(dir, "copies.sqlite");
    const files = ["r2021.portal.html", "r2021.lo.docx", "r2021.chromium.pdf"].map((f) => join("test/fixtures/reports", f));
    const out = run("ingest", "--db", db, ...files);
    expect(out.status, out.stderr).toBe(0);
    const reports = sql<{ report_id: number; format: string; documents: number }>(db, "SELECT report_id, format, documents FROM v_reports");
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ format: "docx", documents: 3 });
    const docs = sql<{ document_id: number; format: string; of_report: number }>(db, "SELECT document_id, format, of_report FROM v_documents ORDER BY format");
    expect(docs.map((d) => d.format)).toEqual(["docx", "html", "pdf"]);
    expect(new Set(docs.map((d) => d.of_report))).toEqual(new Set([reports[0].report_id]));
    // v_cells: one report's cells; v_document_cells: every document's; v_wide: one row.
    const n = (q: string) => sql<{ n: number }>(db, q)[0].n;
    const perReport = n("SELECT count(*) AS n FROM v_cells");
    expect(perReport).toBeGreaterThan(0);
    expect(n("SELECT count(*) AS n FROM v_document_cells")).toBe(3 * perReport);
    expect(n("SELECT count(*) AS n FROM v_wide")).toBe(1);
    expect(n("SELECT count(*) AS n FROM v_cells_corrected")).toBe(perReport);
    // The same consolidation the exports use: the jsonl export's one record has v_cells' values.
    const exported = run("export", "--format", "jsonl", "--db", db);
    expect(exported.status, exported.stderr).toBe(0);
    const lines = exported.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const rec = JSON.parse(lines[0]);
    const v = sql<{ value: number | null }>(db, "SELECT value FROM v_cells WHERE key = 'requests.newReceived.total'")[0].value;
    expect(rec.requests.newReceived[6]).toBe(v);
  });

  it("a report of many copies (more than are consolidated at each save) is one row once the ingest ends; a reparse keeps it one", () => {
    const db = join(dir, "many.sqlite");
    const files = Array.from({ length: 12 }, (_, i) => write(`many/r${i}.txt`, `${SAMPLE}\n附注：第${i}号副本。\n`));
    expect(run("ingest", "--db", db, ...files).status).toBe(0);
    expect(sql(db, "SELECT organ_key, year, documents FROM v_reports")).toEqual([{ organ_key: "420104:商务局", year: 2024, documents: 12 }]);
    expect(sql(db, "SELECT count(*) AS n FROM v_documents")).toEqual([{ n: 12 }]);
    expect(sql(db, "SELECT count(*) AS n FROM report_dirty")).toEqual([{ n: 0 }]);
    const w = new Database(db);
    w.prepare("UPDATE reports SET parser_version = 'old'").run();
    w.close();
    expect(run("reparse", "--db", db).status).toBe(0);
    expect(sql(db, "SELECT documents FROM v_reports")).toEqual([{ documents: 12 }]);
    expect(sql(db, "SELECT count(*) AS n FROM v_cells")).toEqual(sql(db, "SELECT count(*) AS n FROM v_document_cells WHERE document_id = (SELECT report_id FROM v_reports)"));
  });
});

describe("a crawl config's region", () => {
  it("must be a GB/T 2260 division: 999999 is refused before anything is fetched, 350128 is taken", () => {
    const config = (region: string) => ({ contact: "mailto:data@example.org", portals: [{ name: "p", startUrls: ["https://x.gov.cn/"], reportLink: { text: "年度报告" }, region }] });
    let err: unknown = null;
    try {
      parseConfig(config("999999"), "portals.json");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/portals\.0\.region: not a GB\/T 2260 division code/);
    expect(parseConfig(config("350128"), "portals.json").portals[0].region).toBe("350128");
  });
});
