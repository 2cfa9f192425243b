// The parse pool: documents parsed in worker threads read exactly as in this thread, a
// batch with --jobs 2 stores exactly what a batch with one parse at a time stores, and
// the one writer never stores the same bytes twice.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ParsePool } from "../src/parse-pool.js";
import { parseReport } from "../src/pipeline.js";
import { openStore } from "../src/store.js";
import { ingestPaths } from "../src/ingest.js";
import { IngestService } from "../src/ingest-service.js";

const dir = "test/fixtures/reports";
const pool = new ParsePool({ jobs: 2 });
const tmp = mkdtempSync(join(tmpdir(), "xxgk-pool-test-"));
afterAll(async () => {
  await pool.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("parse pool", () => {
  it("every format reads in a worker exactly as in this thread", async () => {
    const files = readdirSync(dir).filter((f) => /^r2019\.(md|lo\.docx|lo\.pdf|chromium\.pdf)$|^[^.]+\.html$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(4);
    const formats = new Set<string>();
    for (const f of files) {
      const input = { bytes: readFileSync(join(dir, f)), name: f, path: f, sha256: "0".repeat(64) };
      const [here, there] = await Promise.all([parseReport(input), pool.parse(input)]);
      expect(there).toEqual(here);
      if (there.ok) formats.add(there.record.source.format);
    }
    expect([...formats].sort()).toEqual(expect.arrayContaining(["docx", "pdf", "text"]));
  });

  it("keeps the caller's bytes whole", async () => {
    const bytes = readFileSync(join(dir, "r2019.md"));
    const copy = Buffer.from(bytes);
    await pool.parse({ bytes, name: "r2019.md" });
    expect(bytes.equals(copy)).toBe(true);
  });

  it("ingest with two parses at once stores what one at a time stores; the same bytes twice are stored once", async () => {
    const input = join(tmp, "in");
    mkdirSync(input);
    const names = readdirSync(dir).filter((f) => /\.(md|txt|docx|html)$/.test(f)).slice(0, 12);
    for (const f of names) copyFileSync(join(dir, f), join(input, f));
    // The same bytes under a second name, next in walk order: both may be in flight at once.
    copyFileSync(join(dir, names[0]), join(input, names[0].replace(/(\.[^.]+)$/, "-again$1")));
    const run = async (db: string, jobs: number) => {
      const store = openStore(join(tmp, db));
      // (The pool's parse goes to the service: ingestPaths has no parse option of its own.)
      const summary = await ingestPaths(jobs > 1 ? new IngestService(store, { parse: (i) => pool.parse(i) }) : store, [input], jobs > 1 ? { jobs } : {});
      const records = [...store.records()].map((r) => JSON.stringify(r.record)).sort();
      const counts = store.counts();
      store.close();
      return { summary, records, counts };
    };
    const one = await run("one.sqlite", 1);
    const two = await run("two.sqlite", 2);
    expect(two.records).toEqual(one.records);
    expect(two.counts).toEqual(one.counts);
    expect(two.summary.present).toBe(1);
    expect({ ...two.summary, failed: two.summary.failed.map((f) => f.path) }).toEqual({ ...one.summary, failed: one.summary.failed.map((f) => f.path) });
  });

  it("keeps twice the pool's size of documents in hand, so a worker's next document waits while this thread stores one", async () => {
    const input = join(tmp, "window");
    mkdirSync(input);
    const text = readFileSync(join(dir, "r2019.md"), "utf8");
    for (let i = 0; i < 9; i++) writeFileSync(join(input, `r${i}.md`), `${text}\n附注：${i}。\n`);
    for (const jobs of [1, 2]) {
      const store = openStore(join(tmp, `window-${jobs}.sqlite`));
      // A parse that holds every document until as many are asked for as the batch should
      // keep in hand, or the last document is asked for.
      let asked = 0;
      let total = 0;
      let most = 0;
      const held: (() => void)[] = [];
      const parse = async (i: Parameters<typeof parseReport>[0]) => {
        asked++;
        total++;
        most = Math.max(most, asked);
        await new Promise<void>((go) => {
          held.push(go);
          const releaseAll = () => held.splice(0).forEach((release) => release());
          if (held.length >= 2 * jobs || total === 9) releaseAll();
          // A batch that keeps fewer in hand never asks for the next one: let it go on, and fail below.
          else setTimeout(releaseAll, 3000).unref();
        });
        asked--;
        return parseReport(i);
      };
      const summary = await ingestPaths(new IngestService(store, { parse }), [input], { jobs });
      store.close();
      expect(summary.ingested).toBe(9);
      expect(most).toBe(2 * jobs);
    }
  });

  it("a closed pool parses nothing more: cancelled", async () => {
    const p = new ParsePool({ jobs: 1 });
    await p.close();
    expect(await p.parse({ bytes: readFileSync(join(dir, "r2019.md")), name: "r2019.md" })).toMatchObject({ ok: false, code: "cancelled" });
  });
});
