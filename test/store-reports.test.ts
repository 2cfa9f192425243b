// The report tables (report_records, report_cells, report_checks, report_documents) as
// the ingest writes them: a report of one document just saved is made from the stored form
// in hand (src/store.ts refreshUnit), not read back; it must be, row for row, the report a
// full consolidation from the database makes. And keying a new body rewrites only the keys
// that change: the keys are those every name's key recomputed would give.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../src/store.js";
import { ingestPaths } from "../src/ingest.js";
import { organKey } from "../normalizers/organ.js";

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
    store.rebuildReports();
    expect(reportRows(store)).toEqual(asSaved);
    store.close();
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
