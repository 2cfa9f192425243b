// The report ledger's rows (src/report-ledger.ts) held to what the documents themselves
// say, not to another run of the ledger: a consolidated report's cells carry the status,
// printed text and place of the document each came from, its checks are its values'
// checks, its documents are ranked from 1, a report of a body nobody could read is its
// document alone, a report of more copies than are consolidated at once waits for the
// store's close, and a cross-year finding reaches the consolidated record.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../src/store.js";
import { ingestPaths } from "../src/ingest.js";
import type { ReportRecord } from "../model/record.js";

const tmp = mkdtempSync(join(tmpdir(), "xxgk-report-ledger-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SAMPLE = readFileSync("data/samples/2024-硚口区商务局.txt", "utf8");
/** The sample with the first cell of its 结转下年度继续办理 row unreadable (0O): a copy that reads one value less. */
const LESS = (() => {
  const at = SAMPLE.indexOf("四、结转下年度继续办理");
  return SAMPLE.slice(0, at) + SAMPLE.slice(at).replace("\t0\n", "\t0O\n") + "\n附注：另一份。\n";
})();
const UNREAD = "requests.carriedForward.naturalPerson";

async function ingested(name: string, files: Record<string, string>): Promise<Store> {
  const input = join(tmp, name);
  mkdirSync(input);
  for (const [f, text] of Object.entries(files)) writeFileSync(join(input, f), text);
  const store = openStore(join(tmp, `${name}.sqlite`));
  await ingestPaths(store, [input]);
  return store;
}

const docs = (store: Store) =>
  store.db.prepare("SELECT id, organ_key AS key, year, record_json FROM reports WHERE is_current = 1 ORDER BY id").all() as { id: number; key: string | null; year: number | null; record_json: string }[];
const ownChecks = (store: Store, id: number) => store.db.prepare("SELECT rule, severity, message, where_ AS \"where\" FROM checks WHERE report_id = ? ORDER BY rowid").all(id);

describe("a report of two copies", () => {
  it("is one row, its documents ranked 1 and 2, each cell's status, text and place its document's, its checks its values'", async () => {
    const store = await ingested("two", { "a.txt": SAMPLE, "b.txt": LESS });
    const [a, b] = docs(store);
    expect(a.key).not.toBeNull();
    expect(b.key).toBe(a.key);
    const rec = (d: { record_json: string }) => JSON.parse(d.record_json) as ReportRecord;
    expect(rec(a).provenance[UNREAD]).toMatchObject({ status: "printed", text: "0" });
    expect(rec(b).requests.carriedForward[0]).toBeNull();
    expect(rec(b).provenance[UNREAD].status).not.toBe("printed");

    expect(store.db.prepare("SELECT unit, body_key, year, documents, record_json IS NOT NULL AS consolidated FROM report_records").all()).toEqual([
      { unit: `${a.key}|2024`, body_key: a.key, year: 2024, documents: 2, consolidated: 1 },
    ]);
    const ranks = store.db.prepare("SELECT document_id, rank FROM report_documents ORDER BY rank").all() as { document_id: number; rank: number }[];
    expect(ranks.map((r) => r.rank)).toEqual([1, 2]);
    expect(ranks.map((r) => r.document_id).sort()).toEqual([a.id, b.id].sort());

    // Every consolidated cell is its document's reading: status, printed text, line.
    const cells = store.db.prepare("SELECT tbl || '.' || row || '.' || col AS key, value, status, text, line, document_id FROM consolidated_cells").all() as {
      key: string;
      value: number | null;
      status: string | null;
      text: string | null;
      line: number | null;
      document_id: number;
    }[];
    expect(cells.length).toBe(store.db.prepare("SELECT count(*) AS n FROM cells WHERE report_id = ?").pluck().get(a.id));
    const byId = new Map([a, b].map((d) => [d.id, rec(d)]));
    for (const c of cells) {
      const p = byId.get(c.document_id)!.provenance[c.key];
      expect({ key: c.key, status: c.status, text: c.text ?? null, line: c.line }).toEqual({ key: c.key, status: p.status, text: p.text ?? null, line: p.place?.line ?? null });
    }
    // The value the newer copy could not read is the older's, named so.
    expect(cells.find((c) => c.key === UNREAD)).toMatchObject({ value: 0, document_id: a.id, status: "printed", text: "0" });
    // Its values are the older copy's, so its checks are the older copy's.
    expect(store.db.prepare("SELECT rule, severity, message, where_ AS \"where\" FROM consolidated_checks ORDER BY rowid").all()).toEqual(ownChecks(store, a.id));

    const records = [...store.reports.records()];
    expect(records.map((r) => r.reportKey)).toEqual([`${a.key}|2024`]);
    expect(records[0].record.checks).toEqual(ownChecks(store, a.id));
    store.close();
  });

  it("a report of one document is that document, with its own checks; a document of no body and no year is a report of its own", async () => {
    // The tables alone: no title, no body, no year.
    const tablesOnly = SAMPLE.slice(SAMPLE.indexOf("二、主动公开政府信息情况"), SAMPLE.indexOf("五、存在的主要问题"));
    const store = await ingested("one", { "a.txt": SAMPLE, "b.txt": tablesOnly });
    const [a, b] = docs(store);
    expect({ key: b.key, year: b.year }).toEqual({ key: null, year: null });
    expect(store.db.prepare("SELECT unit, body_key, year, documents, record_json FROM report_records ORDER BY report_id").all()).toEqual([
      { unit: `${a.key}|2024`, body_key: a.key, year: 2024, documents: 1, record_json: null },
      { unit: `doc:${b.id}`, body_key: null, year: null, documents: 1, record_json: null },
    ]);
    expect(store.db.prepare("SELECT count(*) FROM consolidated_cells").pluck().get()).toBe(0);
    const records = [...store.reports.records()];
    expect(records.map((r) => [r.id, r.reportKey])).toEqual([
      [a.id, `${a.key}|2024`],
      [b.id, null],
    ]);
    expect(records[0].record.checks).toEqual(ownChecks(store, a.id));
    store.close();
  });
});

describe("a report of more copies than are consolidated at each save", () => {
  it("waits, marked, while the batch runs, and is consolidated of every copy when the store closes", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`c${String(i).padStart(2, "0")}.txt`] = `${SAMPLE}\n附注：第${i}份。\n`;
    const store = await ingested("many", files);
    expect(docs(store).length).toBe(10);
    expect(store.reports.hasDirty()).toBe(true);
    expect(store.db.prepare("SELECT documents FROM report_records").pluck().get()).toBeLessThan(10);
    store.close();
    const again = openStore(join(tmp, "many.sqlite"));
    expect(again.reports.hasDirty()).toBe(false);
    expect(again.db.prepare("SELECT documents FROM report_records").pluck().all()).toEqual([10]);
    expect(again.db.prepare("SELECT rank FROM report_documents ORDER BY rank").pluck().all()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    again.close();
  });
});

describe("rebuilding the reports", () => {
  it("from report tables emptied or wrong gives the rows the saves gave, and marks them fresh", async () => {
    const store = await ingested("rebuild", { "a.txt": SAMPLE, "b.txt": LESS, "c.txt": SAMPLE.replaceAll("2024", "2023") });
    const rows = () =>
      Object.fromEntries(
        ["report_records", "report_documents", "consolidated_cells", "consolidated_checks"].map((t) => [
          t,
          (store.db.prepare(`SELECT * FROM ${t}`).raw().all() as unknown[][]).map((r) => JSON.stringify(r.filter((v) => !(typeof v === "string" && /^\d{4}-\d\d-\d\dT/.test(v))))).sort(),
        ]),
      );
    const saved = rows();
    expect(saved.report_records.length).toBe(2);
    // A stale row and a lost one: a rebuild clears what is there before it writes.
    store.db.prepare("UPDATE report_records SET documents = 7").run();
    store.db.prepare("DELETE FROM consolidated_checks").run();
    store.setMeta("report_records", "stale");
    store.reports.rebuild();
    expect(rows()).toEqual(saved);
    expect(store.getMeta("report_records")).toBe("fresh");
    expect(store.reports.hasDirty()).toBe(false);
    store.close();
  });
});

describe("a cross-year finding on a report of two copies", () => {
  it("is in its consolidated record and checks, and on its newest copy alone", async () => {
    // 2023 carries 5 requests forward; the 2024 report (two copies) carries over 0.
    const y2023 = SAMPLE.replaceAll("2024", "2023").replace(/四、结转下年度继续办理\n\t0\n/, "四、结转下年度继续办理\n\t5\n");
    expect(y2023).not.toBe(SAMPLE.replaceAll("2024", "2023"));
    const store = await ingested("cross", { "a-2023.txt": y2023, "b-2024.txt": SAMPLE, "c-2024.txt": LESS });
    const [, a, b] = docs(store);
    const finding = { rule: "crossYear.carriedOver", where: "requests.carriedOver.naturalPerson" };
    const crossIn = (rows: { rule: string; where: string | null }[]) => rows.filter((k) => k.rule.startsWith("crossYear.")).map((k) => ({ rule: k.rule, where: k.where }));
    expect(crossIn(ownChecks(store, b.id) as never)).toEqual([finding]);
    expect(crossIn(ownChecks(store, a.id) as never)).toEqual([]);
    const consolidated = store.db.prepare("SELECT report_id, record_json FROM report_records WHERE year = 2024").get() as { report_id: number; record_json: string };
    expect(crossIn((JSON.parse(consolidated.record_json) as ReportRecord).checks as never)).toEqual([finding]);
    expect(crossIn(store.db.prepare("SELECT rule, where_ AS \"where\" FROM consolidated_checks WHERE report_id = ?").all(consolidated.report_id) as never)).toEqual([finding]);
    expect(crossIn(store.reports.ofYear(a.key!, 2024)!.checks as never)).toEqual([finding]);
    store.close();
  });
});
