// The SQLite file opens cleanly in any SQLite tool with named views; v_wide is one
// row per report, one column per cell, the same as the wide CSV.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStore } from "../src/store.js";
import { ingestPaths } from "../src/ingest.js";
import { wideColumns } from "../model/cells.js";

describe("views", () => {
  it("v_wide has a row per current report and a column per cell, named by the contract's keys", async () => {
    const store = openStore(join(mkdtempSync(join(tmpdir(), "xxgk-views-")), "x.sqlite"));
    await ingestPaths(store, ["data/samples", "test/fixtures/reports/r2019.lo.docx"]);
    const names = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(["v_cells", "v_checks", "v_reports", "v_wide"]));
    const cols = (store.db.prepare("SELECT * FROM v_wide LIMIT 1").columns() as { name: string }[]).map((c) => c.name);
    expect(cols.slice(13)).toEqual(wideColumns());
    const rows = store.db.prepare('SELECT organ, "requests.newReceived.total" AS n, "active.procurement.amountYuan" AS p, "requests.other.total" AS o FROM v_wide ORDER BY organ').all();
    const want = JSON.parse(readFileSync("test/fixtures/reports/r2019.expected.json", "utf8"));
    expect(rows).toHaveLength(6);
    expect(rows).toContainEqual({ organ: "硚口区商务局", n: 1, p: null, o: null });
    expect(rows).toContainEqual({ organ: want.organ, n: want.requests.newReceived[6], p: want.active.procurement.amountYuan, o: want.requests.other[6] });
    store.close();
  });
});
