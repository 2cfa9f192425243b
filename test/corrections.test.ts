// Corrections on a real SQLite store: applied on top of machine output by one function,
// checks re-run on the corrected values, kept through reparse and new copies, flagged
// `review` when the machine's value under them changes, through CSV and back, and in
// every export with the machine's value beside the corrected one.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "../src/store.js";
import { exportRecords } from "../src/export.js";
import {
  addCorrection,
  applyCorrections,
  correctionsCsv,
  flagChangedCorrections,
  importCorrections,
  listCorrections,
  parseCorrectionValue,
  parseCsv,
  resolveBody,
  undoCorrection,
  withCorrections,
  type Correction,
} from "../src/corrections.js";
import { cellsOf } from "../model/cells.js";
import { IngestService } from "../src/ingest-service.js";

const BALANCE = readFileSync("test/fixtures/reports/rbalance.tabs.txt", "utf8");
// 四、结转下年度继续办理 prints 492 for 科研机构; the template's arithmetic says 491.
const KEY = "requests.carriedForward.researchInstitution";
let dir: string;
let store: Store;

async function ingest(text: string, path: string) {
  const r = await new IngestService(store).ingestOne({ bytes: new TextEncoder().encode(text), path: join(dir, path) });
  expect(r.status).toBe("ingested");
  return r.reportId!;
}
const bodyKey = () => resolveBody(store, "硚口区民政局", 2022);
const records = () => [...withCorrections(store, store.records())];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "xxgk-corr-"));
  store = openStore(join(dir, "x.sqlite"));
  await ingest(BALANCE, "rbalance.txt");
});
afterEach(() => store.close());

describe("applyCorrections", () => {
  it("puts the corrected value in place, re-runs the template's checks, and keeps the machine's value", () => {
    const [{ record: machine }] = [...store.records()];
    expect(machine.checks.map((c) => c.rule).sort()).toEqual(["requests.balance", "requests.rowTotal"]);
    const c: Correction = {
      id: 1, bodyKey: "k", year: 2022, cellKey: KEY, value: 491, why: "page 2", by: null, createdAt: "", machineValue: 492, status: "active",
    };
    const { record, corrected } = applyCorrections(machine, [c]);
    expect(record.requests.carriedForward[2]).toBe(491);
    expect(machine.requests.carriedForward[2]).toBe(492); // the machine's record is untouched
    expect(record.checks).toEqual([]);
    expect(corrected.get(KEY)).toMatchObject({ machine: 492, corrected: 491, why: "page 2", status: "active" });
    // A wrong correction makes the checks fail again, with its figures.
    const wrong = applyCorrections(machine, [{ ...c, value: 400 }]);
    expect(wrong.record.checks.map((k) => k.rule).sort()).toEqual(["requests.balance", "requests.rowTotal"]);
    expect(wrong.record.checks.find((k) => k.rule === "requests.balance")!.message).toContain("(400)");
  });

  it("returns the record itself when nothing applies, and never applies a withdrawn or superseded correction", () => {
    const [{ record }] = [...store.records()];
    expect(applyCorrections(record, []).record).toBe(record);
    const c: Correction = { id: 1, bodyKey: "k", year: 2022, cellKey: KEY, value: 491, why: "x", by: null, createdAt: "", machineValue: 492, status: "withdrawn" };
    expect(applyCorrections(record, [c, { ...c, status: "superseded" }]).corrected.size).toBe(0);
  });

  it("a correction whose machine value is not today's is marked review (and still shown as the person's value)", () => {
    const [{ record }] = [...store.records()];
    const c: Correction = { id: 1, bodyKey: "k", year: 2022, cellKey: KEY, value: 491, why: "x", by: null, createdAt: "", machineValue: 7, status: "active" };
    const { record: out, corrected } = applyCorrections(record, [c]);
    expect(corrected.get(KEY)!.status).toBe("review");
    expect(out.requests.carriedForward[2]).toBe(491);
  });
});

describe("the corrections store", () => {
  it("refuses an unknown key, a fraction in a count, a missing reason and a report that is not there, each in one line", () => {
    const k = bodyKey();
    expect(() => addCorrection(store, { bodyKey: k, year: 2022, cellKey: "requests.denied.nope.total", value: 1, why: "x" })).toThrow(/not a cell key/);
    expect(() => addCorrection(store, { bodyKey: k, year: 2022, cellKey: KEY, value: 1.5, why: "x" })).toThrow(/whole number/);
    // A count is never negative, and a number past 2^53 would be stored as another number.
    expect(() => addCorrection(store, { bodyKey: k, year: 2022, cellKey: KEY, value: -5, why: "x" })).toThrow(/cannot be negative/);
    expect(() => addCorrection(store, { bodyKey: k, year: 2022, cellKey: KEY, value: parseCorrectionValue("9007199254740993")!, why: "x" })).toThrow(/too large/);
    expect(() => addCorrection(store, { bodyKey: k, year: 2022, cellKey: KEY, value: parseCorrectionValue("99999999999999999999")!, why: "x" })).toThrow(/too large/);
    expect(() => addCorrection(store, { bodyKey: k, year: 2022, cellKey: KEY, value: 1, why: " " })).toThrow(/reason/);
    expect(() => addCorrection(store, { bodyKey: k, year: 2019, cellKey: KEY, value: 1, why: "x" })).toThrow(/no current report/);
    // 2019's table 2 row is not in a 2021 report.
    expect(() => addCorrection(store, { bodyKey: k, year: 2022, cellKey: "active.procurement.projects", value: 1, why: "x" })).toThrow(/template has no cell/);
    expect(() => resolveBody(store, "不存在的局", 2022)).toThrow(/no report of 不存在的局/);
  });

  it("stores the machine value when made; a new correction supersedes, undo brings the earlier one back", () => {
    const k = bodyKey();
    const a = addCorrection(store, { bodyKey: k, year: 2022, cellKey: KEY, value: 490, why: "first" });
    expect(a).toMatchObject({ machineValue: 492, value: 490, status: "active" });
    addCorrection(store, { bodyKey: k, year: 2022, cellKey: KEY, value: 491, why: "second", by: "lin" });
    expect(listCorrections(store).map((c) => [c.value, c.why])).toEqual([[491, "second"]]);
    expect(records()[0].record.checks).toEqual([]);
    expect(undoCorrection(store, { bodyKey: k, year: 2022 }, KEY)!.value).toBe(491);
    expect(listCorrections(store).map((c) => c.value)).toEqual([490]);
    expect(records()[0].record.requests.carriedForward[2]).toBe(490);
    undoCorrection(store, { bodyKey: k, year: 2022 }, KEY);
    expect(records()[0].corrected.size).toBe(0);
    expect(listCorrections(store, { all: true }).map((c) => c.status).sort()).toEqual(["withdrawn", "withdrawn"]);
  });

  it("survives a reparse: the new record of the same report gets it, unflagged when the machine still reads the same", async () => {
    addCorrection(store, { bodyKey: bodyKey(), year: 2022, cellKey: KEY, value: 491, why: "page 2" });
    store.db.prepare("UPDATE reports SET parser_version = 'old'").run();
    const changes = await new IngestService(store).reparse();
    expect(changes).toHaveLength(1);
    const ids = store.db.prepare("SELECT id FROM reports WHERE is_current = 1").all() as { id: number }[];
    expect(ids).toHaveLength(1);
    const [r] = records();
    expect(r.id).toBe(ids[0].id);
    expect(r.record.requests.carriedForward[2]).toBe(491);
    expect(flagChangedCorrections(store)).toEqual([]);
    expect(listCorrections(store)[0].status).toBe("active");
  });

  it("a new copy that reads differently flags the correction review, never drops it", async () => {
    addCorrection(store, { bodyKey: bodyKey(), year: 2022, cellKey: KEY, value: 491, why: "page 2" });
    // A re-upload of the report whose 结转 row now prints 493 for 科研机构.
    const copy = BALANCE.replace(/(四、结转下年度继续办理\t+488\t490\t)492/, "$1493");
    expect(copy).not.toBe(BALANCE);
    await ingest(copy, "reupload/rbalance.txt");
    const flagged = flagChangedCorrections(store);
    expect(flagged.map((c) => c.cellKey)).toEqual([KEY]);
    const current = listCorrections(store);
    expect(current.map((c) => [c.status, c.value])).toEqual([["review", 491]]);
    // Both copies carry the correction; the new copy's machine value is the new one.
    const all = records();
    expect(all).toHaveLength(2);
    for (const r of all) expect(r.record.requests.carriedForward[2]).toBe(491);
    expect(all.map((r) => r.corrected.get(KEY)!.machine).sort()).toEqual([492, 493]);
    expect(all.every((r) => r.corrected.get(KEY)!.status === "review")).toBe(true);
  });

  it("goes out as CSV and comes back (quotes, commas, line breaks in the reason), adding nothing twice", async () => {
    const k = bodyKey();
    addCorrection(store, { bodyKey: k, year: 2022, cellKey: KEY, value: 491, why: 'p. 2, row "四"\nsecond line', by: "林" });
    addCorrection(store, { bodyKey: k, year: 2022, cellKey: "requests.newReceived.naturalPerson", value: null, why: "cut off on the page" });
    const csv = correctionsCsv(store);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(["id", "body_key", "year", "cell_key", "value", "why", "by", "created_at", "machine_value", "status"]);
    expect(rows.slice(1).map((r) => [r[3], r[4], r[5]])).toEqual([
      [KEY, "491", 'p. 2, row "四"\nsecond line'],
      ["requests.newReceived.naturalPerson", "null", "cut off on the page"],
    ]);
    // The same file again changes nothing.
    expect(importCorrections(store, csv)).toMatchObject({ added: 0, unchanged: 2, problems: [] });

    // Into another database holding the same report; a row naming a report it lacks is refused alone.
    const other = openStore(join(dir, "other.sqlite"));
    try {
      await new IngestService(other).ingestOne({ bytes: new TextEncoder().encode(BALANCE), path: join(dir, "rbalance.txt") });
      const bad = csv.replace("\r\n", "\r\n999,nobody,2022,requests.total.total,1,x,,,,active\r\n");
      const res = importCorrections(other, bad, "team");
      expect(res.added).toBe(2);
      expect(res.problems).toEqual(["line 2: no current report of nobody for 2022"]);
      const got = listCorrections(other);
      expect(got.map((c) => [c.cellKey, c.value, c.by])).toEqual([
        [KEY, 491, "林"],
        ["requests.newReceived.naturalPerson", null, "team"],
      ]);
      expect(got[0].why).toBe('p. 2, row "四"\nsecond line');
    } finally {
      other.close();
    }
  });
});

describe("exports carry the corrected value, whether it was corrected, and the machine's value", () => {
  it("long CSV and JSON lines", async () => {
    addCorrection(store, { bodyKey: bodyKey(), year: 2022, cellKey: KEY, value: 491, why: "page 2" });
    const out = join(dir, "long.csv");
    await exportRecords(store, "csv", out);
    const lines = readFileSync(out, "utf8").replace(/^\ufeff/, "").trim().split("\r\n").map((l) => l.split(","));
    const header = lines[0];
    const at = header.indexOf("value");
    expect(header.slice(at, at + 3)).toEqual(["value", "corrected", "machine_value"]);
    const col = (n: string) => header.indexOf(n);
    const row = lines.find((l) => l[col("row")] === "carriedForward" && l[col("column")] === "researchInstitution")!;
    expect([row[col("value")], row[col("corrected")], row[col("machine_value")]]).toEqual(["491", "1", "492"]);
    const plain = lines.filter((l) => l !== row && l !== header);
    expect(plain.every((l) => l[col("corrected")] === "0" && l[col("machine_value")] === l[col("value")])).toBe(true);

    // SQL users get the same through the view.
    const v = store.db
      .prepare(`SELECT value, corrected, machine_value, correction_status FROM v_cells_corrected WHERE "table" = 'requests' AND row = 'carriedForward' AND "column" = ?`)
      .all("researchInstitution");
    expect(v).toEqual([{ value: 491, corrected: 1, machine_value: 492, correction_status: "active" }]);
    const n = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;
    expect(n("SELECT count(*) AS n FROM v_cells_corrected")).toBe(n("SELECT count(*) AS n FROM v_cells"));

    const jl = join(dir, "x.jsonl");
    await exportRecords(store, "jsonl", jl);
    const rec = JSON.parse(readFileSync(jl, "utf8").trim());
    expect(rec.requests.carriedForward[2]).toBe(491);
    expect(rec.checks).toEqual([]);
  });
});

describe("the CLI", () => {
  const CLI = "dist/src/cli.js";
  const run = (...args: string[]) => spawnSync("node", [CLI, ...args], { encoding: "utf8" });
  beforeAll(() => {
    const tsc = spawnSync("node_modules/.bin/tsc", ["-p", "tsconfig.json"], { encoding: "utf8" });
    if (!existsSync(CLI) || statSync(CLI).mtimeMs < statSync("src/corrections.ts").mtimeMs) throw new Error(`build failed:\n${tsc.stdout}${tsc.stderr}`);
  }, 120_000);

  it("correct, corrections, export and import, with one-line refusals", () => {
    store.close();
    const db = join(dir, "x.sqlite");
    const bad = run("correct", "硚口区民政局", "2022", "requests.nope.total", "1", "--why", "x", "--db", db);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/^xxgk: requests\.nope\.total is not a cell key/);
    const notNumber = run("correct", "硚口区民政局", "2022", KEY, "4o1", "--why", "x", "--db", db);
    expect(notNumber.status).toBe(2);
    expect(notNumber.stderr).toMatch(/number or null/);
    const ok = run("correct", "硚口区民政局", "2022", KEY, "491", "--why", "page 2, 科研机构", "--by", "lin", "--db", db);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/requests\.carriedForward\.researchInstitution: 492 → 491/);
    const list = run("corrections", "--db", db);
    expect(list.stdout).toContain("492 → 491");
    const csv = join(dir, "c.csv");
    expect(run("corrections", "export", "--out", csv, "--db", db).status).toBe(0);
    writeFileSync(csv, readFileSync(csv, "utf8").replace(",491,", ",490,"));
    const imp = run("corrections", "import", csv, "--db", db);
    expect(imp.status, imp.stderr).toBe(0);
    expect(imp.stdout).toMatch(/^1 added/);
    const long = run("export", "--format", "csv", "--db", db);
    const line = long.stdout.split("\r\n").find((l) => l.includes(",carriedForward,researchInstitution,"))!;
    expect(line).toContain(",carriedForward,researchInstitution,490,1,492,");
    // A re-upload printing 493 there: ingest says the correction needs a look; it stays.
    const copy = join(dir, "reupload.txt");
    writeFileSync(copy, BALANCE.replace(/(四、结转下年度继续办理\t+488\t490\t)492/, "$1493"));
    const again = run("ingest", copy, "--db", db);
    expect(again.stdout).toContain("1 correction(s) to review");
    expect(run("corrections", "--db", db).stdout).toMatch(/\treview\t.*\trequests\.carriedForward\.researchInstitution\t492 → 490\t/);
    store = openStore(db); // for afterEach
  });
});

it("cells keep their contract order through corrections (the exports' columns do not move)", () => {
  const [{ record }] = [...store.records()];
  const { record: out } = applyCorrections(record, [
    { id: 1, bodyKey: "k", year: 2022, cellKey: KEY, value: 491, why: "x", by: null, createdAt: "", machineValue: 492, status: "active" },
  ]);
  expect(cellsOf(out).map(([t, r, c]) => `${t}.${r}.${c}`)).toEqual(cellsOf(record).map(([t, r, c]) => `${t}.${r}.${c}`));
});
