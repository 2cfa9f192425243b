// The SQLite file opens cleanly in any SQLite tool with named views; v_wide is one
// row per report, one column per cell, the same as the wide CSV. Every view reads the same
// under the SQLite that Python's sqlite3 module links (pandas users; 3.40 on Debian 12), not
// only under the newer one bundled with better-sqlite3.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
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

  it("every view gives the same rows under Python's sqlite3 (an older SQLite) as here, with copies and places in it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-views-py-"));
    const docs = join(dir, "docs");
    mkdirSync(join(docs, "copies"), { recursive: true });
    copyFileSync("test/fixtures/generated/g01-2021.portal-utf-8.html", join(docs, "a.html"));
    copyFileSync("test/fixtures/generated/g01-2021.lo.docx", join(docs, "a.docx"));
    copyFileSync("test/fixtures/generated/g01-2021.lo.docx", join(docs, "copies", "a.docx")); // a second place of the same bytes
    copyFileSync("data/samples/2024-环翠区商务局.txt", join(docs, "b.txt"));
    const file = join(dir, "x.sqlite");
    const store = openStore(file);
    await ingestPaths(store, [docs]);
    const views = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    const here = Object.fromEntries(views.map((v) => [v, (store.db.prepare(`SELECT * FROM ${v}`).raw().all() as unknown[][]).length]));
    expect(here.v_reports).toBe(2);
    expect(here.v_documents).toBe(3);
    expect(here.v_places).toBe(4);
    store.close();
    const py = spawnSync(
      "python3",
      ["-c", "import json, sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nprint(json.dumps({'version': sqlite3.sqlite_version, 'rows': {v: len(c.execute('SELECT * FROM ' + v).fetchall()) for v in sys.argv[2:]}}))", file, ...views],
      { encoding: "utf8" },
    );
    expect(py.stderr).toBe("");
    const out = JSON.parse(py.stdout) as { version: string; rows: Record<string, number> };
    expect(out.rows).toEqual(here);
  });
});
