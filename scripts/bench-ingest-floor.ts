// The floor of text ingest, for npm run bench: what the same documents cost with nothing
// of xxgk's between them and SQLite. Each document is parsed (timed on its own), then its
// rows are written with better-sqlite3 alone, one transaction a document as ingest commits
// (the reports row with its record JSON, its cells, sections, checks and diagnostics, 50
// rows a statement), into a database of the store's own schema and settings. What ingest
// adds beyond parse + rows is the service's work (places, organ keys, cross-year checks,
// report consolidation), the blob copy of the bytes, and in a pool the hand-over.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { openStore } from "../src/store.js";
import { parseReport } from "../src/pipeline.js";
import { CELL_COLUMNS, CHECK_COLUMNS, DIAGNOSTIC_COLUMNS, SECTION_COLUMNS, storedForm, type StoredForm } from "../src/stored-form.js";

type Value = string | number | null;
const BATCH = 50;
const statements = new Map<string, Database.Statement>();
/** A statement prepared once (preparing costs more than running, and the store caches its own too). */
function sql(db: Database.Database, text: string): Database.Statement {
  let st = statements.get(text);
  if (!st) statements.set(text, (st = db.prepare(text)));
  return st;
}

/** Inserts `values` (cols.length per row, flat) as rows of `table` with report_id = id, BATCH rows a statement. */
function insertRows(db: Database.Database, table: string, cols: readonly string[], id: number, values: readonly Value[]): void {
  const width = cols.length;
  const one = `(${Array(width + 1).fill("?").join(",")})`;
  for (let i = 0; i < values.length / width; i += BATCH) {
    const n = Math.min(BATCH, values.length / width - i);
    const args: Value[] = [];
    for (let r = 0; r < n; r++) args.push(id, ...values.slice((i + r) * width, (i + r + 1) * width));
    sql(db, `INSERT INTO ${table} (report_id, ${cols.join(", ")}) VALUES ${Array(n).fill(one).join(",")}`).run(args);
  }
}

function writeRows(db: Database.Database, form: StoredForm, k: number): void {
  db.transaction(() => {
    const h = form.head;
    const id = Number(
      sql(
          db,
          `INSERT INTO reports (version_id, sha256, parser_version, parsed_at, format, template, organ, year, published_on, region_code, record_json)
           VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
        ).run(k + 1, `floor-${k}`, "floor", new Date().toISOString(), h.format, h.template, h.organ, h.year, h.publishedOn, h.region?.code ?? null, form.json).lastInsertRowid,
    );
    insertRows(db, "cells", CELL_COLUMNS, id, form.cells);
    insertRows(db, "sections", SECTION_COLUMNS, id, form.sections);
    insertRows(db, "checks", CHECK_COLUMNS, id, form.checks);
    insertRows(db, "diagnostics", DIAGNOSTIC_COLUMNS, id, form.diagnostics);
  }).immediate();
}

const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

/** Parses every file of `input` and writes its rows as above: seconds (wall, CPU) for the parses and for the writes. */
export async function ingestFloor(input: string): Promise<{ n: number; parse: { wall: number; cpu: number }; write: { wall: number; cpu: number } }> {
  const dir = mkdtempSync(join(tmpdir(), "xxgk-floor-"));
  statements.clear();
  const store = openStore(join(dir, "floor.sqlite"));
  const db = store.db;
  // The rows name a version; one source and a version per document, made before the clock starts.
  const files = readdirSync(input).sort();
  db.prepare("INSERT INTO sources (id, locator, first_seen) VALUES (1, 'floor', 't')").run();
  const version = db.prepare("INSERT INTO versions (id, source_id, sha256, size, seen_at) VALUES (?, 1, ?, 0, 't')");
  db.transaction(() => files.forEach((_, k) => version.run(k + 1, `floor-${k}`)))();
  const parse = { wall: 0, cpu: 0 };
  const write = { wall: 0, cpu: 0 };
  try {
    for (const [k, f] of files.entries()) {
      const bytes = readFileSync(join(input, f));
      let t = performance.now();
      let c = cpuNow();
      const out = await parseReport({ bytes, name: f });
      if (!out.ok) throw new Error(`${f}: ${out.message}`);
      const form = storedForm(out.record);
      parse.wall += (performance.now() - t) / 1000;
      parse.cpu += cpuNow() - c;
      t = performance.now();
      c = cpuNow();
      writeRows(db, form, k);
      write.wall += (performance.now() - t) / 1000;
      write.cpu += cpuNow() - c;
    }
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { n: files.length, parse, write };
}
