// What a parse worker does for the writer (src/worker-outcome.ts, src/stored-form.ts):
// the record crosses as its stored form and the bytes are kept by the worker, and what
// the store holds afterwards is row for row what it holds when every document is parsed
// and serialised in the writer's own thread.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { ParsePool } from "../src/parse-pool.js";
import { parseReport } from "../src/pipeline.js";
import { openStore } from "../src/store.js";
import { ingestPaths } from "../src/ingest.js";
import { IngestService } from "../src/ingest-service.js";
import { extrasOf } from "../src/worker-outcome.js";
import { CELL_COLUMNS, storedForm } from "../src/stored-form.js";
import { cellsOf } from "../model/cells.js";
import { sha256 } from "../model/hash.js";

const fixtures = "test/fixtures/reports";
const pool = new ParsePool({ jobs: 1 });
const tmp = mkdtempSync(join(tmpdir(), "xxgk-worker-outcome-"));
afterAll(async () => {
  await pool.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Every row of every table and view, timestamps left out, as sorted text: what a reader of the database can see. */
function contents(db: string): Record<string, string[]> {
  const stamps = new Set(["parsed_at", "first_seen", "seen_at", "last_seen", "at", "refreshed_at", "created_at"]);
  const d = new Database(db, { readonly: true });
  const out: Record<string, string[]> = {};
  for (const { name } of d.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]) {
    const cols = (d.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]).map((c) => c.name).filter((c) => !stamps.has(c));
    out[name] = (d.prepare(`SELECT ${cols.map((c) => `"${c}"`).join(", ")} FROM "${name}"`).raw().all() as unknown[][]).map((r) => JSON.stringify(r)).sort();
  }
  d.close();
  return out;
}

describe("a worker's outcome", () => {
  it("is the stored form of the record: its JSON and a row per cell, status, text and place", async () => {
    const bytes = readFileSync(join(fixtures, "r2021.cells.txt"));
    const out = await parseReport({ bytes, name: "r2021.cells.txt" });
    if (!out.ok) throw new Error(out.message);
    const form = storedForm(out.record);
    expect(JSON.parse(form.json)).toEqual(out.record);
    expect(form.json).toBe(JSON.stringify(out.record));
    const cells = cellsOf(out.record);
    expect(form.cells.length).toBe(cells.length * CELL_COLUMNS.length);
    const at = cells.findIndex(([t, r, c]) => `${t}.${r}.${c}` === "requests.granted.total");
    const row = form.cells.slice(at * CELL_COLUMNS.length, (at + 1) * CELL_COLUMNS.length);
    const p = out.record.provenance["requests.granted.total"];
    expect(row.slice(0, 7)).toEqual(["requests", "granted", "total", cells[at][3], p.status, p.text, p.place?.page ?? null]);
    expect(row.at(-1)).toBe(p.place?.line ?? null);
    expect(form.checks.length).toBe(out.record.checks.length * 4);
  });

  it("keeps the bytes in the folder it is given, and says so; the record read from it equals parseReport's", async () => {
    const bytes = readFileSync(join(fixtures, "r2019.md"));
    const sha = sha256(bytes);
    const keepIn = join(tmp, "blobs");
    const there = await pool.parse({ bytes, name: "r2019.md", sha256: sha, keepIn });
    const here = await parseReport({ bytes, name: "r2019.md", sha256: sha });
    if (!here.ok) throw new Error(here.message);
    expect(extrasOf(there)).toMatchObject({ kept: true });
    expect(extrasOf(there)?.form?.json).toBe(JSON.stringify(here.record));
    expect(there).toEqual(here);
    expect(readFileSync(join(keepIn, sha.slice(0, 2), sha.slice(2)))).toEqual(bytes);
    // Without a folder nothing is kept; a folder that cannot be made is not kept either (the writer keeps them then).
    expect(extrasOf(await pool.parse({ bytes, name: "r2019.md", sha256: sha }))).toMatchObject({ kept: false });
    const file = join(tmp, "a-file");
    writeFileSync(file, "not a folder");
    expect(extrasOf(await pool.parse({ bytes, name: "r2019.md", sha256: sha, keepIn: file }))).toMatchObject({ kept: false });
    // A failure crosses as it is.
    const empty = await pool.parse({ bytes: new Uint8Array(0), name: "empty.txt", keepIn });
    expect(empty).toEqual(await parseReport({ bytes: new Uint8Array(0), name: "empty.txt" }));
  });

  it("stores, row for row, what parsing in the writer's thread stores; every document's bytes are kept", async () => {
    const input = join(tmp, "in");
    mkdirSync(input);
    const names = readdirSync(fixtures).filter((f) => /\.(md|txt|docx|html|pdf)$/.test(f)).slice(0, 24);
    for (const f of names) copyFileSync(join(fixtures, f), join(input, f));
    writeFileSync(join(input, "zz-empty.txt"), "");
    const run = async (name: string, service: (store: ReturnType<typeof openStore>) => IngestService) => {
      const db = join(tmp, name, "x.sqlite");
      const store = openStore(db);
      const summary = await ingestPaths(service(store), [input]);
      store.close();
      return { db, summary };
    };
    const here = await run("here", (s) => new IngestService(s));
    const there = await run("there", (s) => new IngestService(s, { parse: (i) => pool.parse(i) }));
    expect(there.summary).toEqual(here.summary);
    expect(here.summary.ingested).toBeGreaterThan(10);
    const a = contents(here.db);
    const b = contents(there.db);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const t of Object.keys(a)) expect(b[t], t).toEqual(a[t]);
    expect(a.cells.length).toBeGreaterThan(1000);
    for (const f of [...names, "zz-empty.txt"]) {
      const sha = sha256(readFileSync(join(input, f)));
      expect(existsSync(join(tmp, "there", "blobs", sha.slice(0, 2), sha.slice(2))), f).toBe(true);
    }
  });
});
