// The built CLI as a user runs it: node dist/src/cli.js, real files, a real database.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { TOP_LEVEL_KEYS } from "../src/record.js";
import { cellsOf } from "../src/store.js";
import { parseReport } from "../src/pipeline.js";

const CLI = "dist/src/cli.js";
const run = (...args: string[]) => spawnSync("node", [CLI, ...args], { encoding: "utf8" });

beforeAll(() => {
  execFileSync("node_modules/.bin/tsc", ["-p", "tsconfig.json"], { stdio: "inherit" });
}, 120_000);

describe("xxgk CLI", () => {
  it("ingests the bundled samples, then finds them all present", () => {
    const db = join(mkdtempSync(join(tmpdir(), "xxgk-cli-")), "x.sqlite");
    const first = run("ingest", "data/samples", "--db", db);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("5 ingested, 0 already present, 0 failed");
    const again = run("ingest", "data/samples", "--db", db);
    expect(again.stdout).toContain("0 ingested, 5 already present, 0 failed");
    // The quality page of that database, then a second one that compares with it.
    const page = join(db, "..", "report.html");
    expect(run("report", "--db", db, "--out", page).status).toBe(0);
    const html = readFileSync(page, "utf8");
    expect(html).toContain("5 report(s)");
    expect(html).toContain("湖北省");
    expect(html).toContain("This is the first report");
    run("report", "--db", db, "--out", page);
    expect(readFileSync(page, "utf8")).not.toContain("This is the first report");
  });

  it("prints exactly the contract with --json, and a summary without", () => {
    const out = run("extract", "data/samples/2024-硚口区商务局.txt", "--json");
    expect(out.status).toBe(0);
    const rec = JSON.parse(out.stdout);
    expect(Object.keys(rec)).toEqual([...TOP_LEVEL_KEYS]);
    expect(rec.region.code).toBe("420104");
    const human = run("extract", "data/samples/2024-硚口区商务局.txt");
    expect(human.stdout).toContain("硚口区商务局 · 2024 · template 2021");
    expect(human.stdout).toContain("checks: all pass");
  });

  it("names the file and the reason when a file fails, with a failing exit code", () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-cli-"));
    writeFileSync(join(dir, "broken.docx"), Buffer.from("PK\u0003\u0004 this is not really a zip"));
    const out = run("extract", join(dir, "broken.docx"));
    expect(out.status).toBe(1);
    expect(out.stderr).toContain("broken.docx");
    expect(run("ingest", join(dir, "nope"), "--db", join(dir, "x.sqlite")).status).toBe(2);
    expect(run("export", "--db", join(dir, "x.sqlite"), "--format", "xml").status).toBe(2);
  });

  it("survives a kill mid-batch: only whole documents are stored, and the next run finishes the rest", async () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-kill-"));
    const input = join(dir, "in");
    mkdirSync(input);
    const sample = readFileSync("data/samples/2024-硚口区商务局.txt", "utf8");
    const n = 400;
    for (let i = 0; i < n; i++) writeFileSync(join(input, `r${String(i).padStart(4, "0")}.txt`), `${sample}\n附注：第${i}号副本。\n`);
    const db = join(dir, "x.sqlite");
    const child = spawn("node", [CLI, "ingest", input, "--db", db], { stdio: "ignore" });
    // Kill once some documents are in, long before all are.
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const timer = setInterval(() => {
        try {
          const probe = new Database(db, { readonly: true, fileMustExist: true });
          const done = (probe.prepare("SELECT count(*) AS n FROM reports").get() as { n: number }).n;
          probe.close();
          if (done >= 10) {
            clearInterval(timer);
            child.kill("SIGKILL");
            resolve();
          }
        } catch {
          /* not created yet */
        }
        if (Date.now() - started > 30_000) (clearInterval(timer), reject(new Error("no progress")));
      }, 20);
    });
    await new Promise((r) => child.on("exit", r));

    const parsed = await parseReport({ bytes: Buffer.from(sample), name: "x" });
    if (!parsed.ok) throw new Error(parsed.message);
    const perReport = cellsOf(parsed.record).length;
    const check = new Database(db);
    expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
    const stored = (check.prepare("SELECT count(*) AS n FROM reports").get() as { n: number }).n;
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(n);
    const partial = check.prepare("SELECT r.id, count(c.row) AS cells FROM reports r LEFT JOIN cells c ON c.report_id = r.id GROUP BY r.id HAVING cells != ?").all(perReport);
    expect(partial).toEqual([]);
    check.close();

    const resumed = run("ingest", input, "--db", db);
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain(`${n - stored} ingested, ${stored} already present, 0 failed`);
  });
});
