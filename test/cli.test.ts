// The built CLI as a user runs it: node dist/src/cli.js, real files, a real database.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { TOP_LEVEL_KEYS } from "../model/record.js";
import { cellsOf } from "../model/cells.js";
import { parseReport } from "../src/pipeline.js";

const CLI = "dist/src/cli.js";
const run = (...args: string[]) => spawnSync("node", [CLI, ...args], { encoding: "utf8" });
const SAMPLE = readFileSync("data/samples/2024-硚口区商务局.txt", "utf8");
const N = 400;
let batch: string; // N distinct copies of a sample, for the kill and Ctrl-C runs

beforeAll(() => {
  // tsc emits even when some other file has a type error (the typecheck is its own
  // step): what matters here is that the CLI was built from the current sources.
  const tsc = spawnSync("node_modules/.bin/tsc", ["-p", "tsconfig.json"], { encoding: "utf8" });
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < statSync("src/cli.ts").mtimeMs) throw new Error(`build failed:\n${tsc.stdout}${tsc.stderr}`);
  batch = join(mkdtempSync(join(tmpdir(), "xxgk-batch-")), "in");
  mkdirSync(batch);
  for (let i = 0; i < N; i++) writeFileSync(join(batch, `r${String(i).padStart(4, "0")}.txt`), `${SAMPLE}\n附注：第${i}号副本。\n`);
}, 120_000);

/** Resolves once the database holds at least `n` reports (polled read-only, as another process would). */
function whenStored(db: string, n: number, child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      try {
        const probe = new Database(db, { readonly: true, fileMustExist: true });
        const done = (probe.prepare("SELECT count(*) AS n FROM reports").get() as { n: number }).n;
        probe.close();
        if (done >= n) {
          clearInterval(timer);
          resolve();
        }
      } catch {
        /* not created yet */
      }
      if (child.exitCode !== null) (clearInterval(timer), reject(new Error("the batch ended before it could be interrupted")));
      if (Date.now() - started > 30_000) (clearInterval(timer), reject(new Error("no progress")));
    }, 10);
  });
}

/** Every stored report has exactly the cells of the sample's record: no half-written document. */
async function expectWholeDocuments(db: string): Promise<number> {
  const parsed = await parseReport({ bytes: Buffer.from(SAMPLE), name: "x" });
  if (!parsed.ok) throw new Error(parsed.message);
  const perReport = cellsOf(parsed.record).length;
  const check = new Database(db);
  expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
  const stored = (check.prepare("SELECT count(*) AS n FROM reports").get() as { n: number }).n;
  const partial = check.prepare("SELECT r.id, count(c.row) AS cells FROM reports r LEFT JOIN cells c ON c.report_id = r.id GROUP BY r.id HAVING cells != ?").all(perReport);
  expect(partial).toEqual([]);
  // Every report has its version and source (the same transaction wrote them).
  expect((check.prepare("SELECT count(*) AS n FROM reports r JOIN versions v ON v.id = r.version_id JOIN sources s ON s.id = v.source_id").get() as { n: number }).n).toBe(stored);
  check.close();
  return stored;
}

/** RFC 4180 reader (quoted fields may hold commas, quotes and line breaks). */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), i++;
    else field += ch;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

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
    // Record v2: every cell traced to its line, every note an object with a code.
    expect(rec.schemaVersion).toBe(2);
    expect(rec.provenance["active.regulations.issued"]).toMatchObject({ status: "printed", place: { line: expect.any(Number) } });
    expect(rec.provenance["reviews.litigationDirect.upheld"]).toMatchObject({ place: { line: expect.any(Number) } });
    for (const d of rec.diagnostics) expect(d).toEqual(expect.objectContaining({ code: expect.stringMatching(/^[a-z]+(\.[A-Za-z0-9]+)+$/), severity: expect.stringMatching(/^(info|warning|error)$/) }));
    const human = run("extract", "data/samples/2024-硚口区商务局.txt");
    expect(human.stdout).toContain("硚口区商务局 · 2024 · template 2021");
    expect(human.stdout).toContain("checks: all pass");
  });

  it("names the file and the reason when a file fails, with a failing exit code", () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-cli-"));
    writeFileSync(join(dir, "broken.docx"), Buffer.from("PK\u0003\u0004 this is not really a zip"));
    const out = run("extract", join(dir, "broken.docx"));
    expect(out.status).toBe(1);
    // One line, the file named once (the reader's message does not repeat it).
    expect(out.stderr).toBe(`xxgk: ${join(dir, "broken.docx")}: corrupt zip: no end-of-central-directory record (truncated or not a zip) [corrupt-zip]\n`);
    expect(run("ingest", join(dir, "nope"), "--db", join(dir, "x.sqlite")).status).toBe(2);
    expect(run("export", "--db", join(dir, "x.sqlite"), "--format", "xml").status).toBe(2);
  });

  it("exits 2 on usage errors, 1 on a file that cannot be read, never with a stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-cli-"));
    const none = run();
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("Usage: xxgk");
    expect(run("ingest", "--bogus", dir).status).toBe(2);
    const region = run("ingest", "data/samples", "--db", join(dir, "x.sqlite"), "--region", "12");
    expect(region.status).toBe(2);
    expect(region.stderr).toContain("six digits");
    expect(existsSync(join(dir, "x.sqlite"))).toBe(false);
    const missing = run("extract", join(dir, "nope.docx"));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`xxgk: ${join(dir, "nope.docx")}: cannot read: no such file or folder [unreadable]\n`);
    writeFileSync(join(dir, "not-a-db.sqlite"), "plain text, not SQLite ".repeat(200));
    const notDb = run("export", "--db", join(dir, "not-a-db.sqlite"), "--format", "csv");
    expect(notDb.status).toBe(2);
    expect(notDb.stderr).toMatch(/not-a-db\.sqlite.*not a database/);
    for (const r of [none, region, missing, notDb]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 1 when a file of the batch fails, naming it and the reason; the rest is stored", () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-cli-"));
    const input = join(dir, "in");
    mkdirSync(input);
    writeFileSync(join(input, "a.txt"), SAMPLE);
    writeFileSync(join(input, "b-broken.docx"), Buffer.from("PK\u0003\u0004 this is not really a zip"));
    writeFileSync(join(input, "c.txt"), readFileSync("data/samples/2024-环翠区商务局.txt"));
    const out = run("ingest", input, "--db", join(dir, "x.sqlite"));
    expect(out.status).toBe(1);
    expect(out.stdout).toContain("2 ingested, 0 already present, 1 failed");
    expect(out.stdout).toMatch(new RegExp(`${join(input, "b-broken.docx").replace(/[.]/g, "\\.")} — [a-z-]+: \\S`));
    expect(out.stderr).not.toMatch(/\n\s+at /);
    // The same folder again: the known failure is listed as before, and is not new.
    const again = run("ingest", input, "--db", join(dir, "x.sqlite"));
    expect(again.stdout).toContain("0 ingested, 2 already present, 1 failed");
    expect(again.stdout).toContain("(as before: same bytes, same parser)");
    expect(again.status).toBe(0);
    // A new broken file fails the run again.
    writeFileSync(join(input, "d-broken.docx"), Buffer.from("PK\u0003\u0004 also not a zip"));
    expect(run("ingest", input, "--db", join(dir, "x.sqlite")).status).toBe(1);
  });

  it("two files of the same bytes failing in one run: the second is that failure again, not an earlier run's; no news the run after", () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-cli-"));
    const input = join(dir, "in");
    mkdirSync(input);
    const broken = Buffer.from("PK\u0003\u0004 this is not really a zip");
    writeFileSync(join(input, "a-broken.docx"), broken);
    writeFileSync(join(input, "b-broken.docx"), broken);
    const out = run("ingest", input, "--db", join(dir, "x.sqlite"));
    expect(out.status).toBe(1);
    expect(out.stdout).toContain("0 ingested, 0 already present, 2 failed");
    const lines = out.stdout.split("\n");
    expect(lines.find((l) => l.includes("a-broken.docx —"))).not.toMatch(/as before|same bytes/);
    expect(lines.find((l) => l.includes("b-broken.docx —"))).toMatch(new RegExp(`\\(the same bytes as ${join(input, "a-broken.docx").replace(/[.]/g, "\\.")}\\)$`));
    expect(out.stdout).not.toContain("as before");
    // Next run: both known; neither is news (exit 0).
    const again = run("ingest", input, "--db", join(dir, "x.sqlite"));
    expect(again.stdout).toMatch(/a-broken\.docx — .*\(as before: same bytes, same parser\)/);
    expect(again.stdout).toMatch(/b-broken\.docx — .*\(the same bytes as .*a-broken\.docx\)/);
    expect(again.status).toBe(0);
  });

  it("a portal page whose report is in its attachments is listed apart, not failed: exit 0; the quality page says the same", () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-cli-"));
    mkdirSync(join(dir, "in"));
    writeFileSync(join(dir, "in", "page.html"), readFileSync("test/fixtures/generated/g01-2021.attachments.html"));
    writeFileSync(join(dir, "in", "report.docx"), readFileSync("test/fixtures/generated/g01-2021.lo.docx"));
    const db = join(dir, "x.sqlite");
    const out = run("ingest", join(dir, "in"), "--db", db);
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    expect(out.stdout).toContain("1 ingested, 0 already present, 0 failed, 1 page(s) pointing to attachments");
    expect(out.stdout).toMatch(/^pages whose report is in their attachments .*\n  .*page\.html — the page has no report tables; the report is in 2 attachment\(s\): \/zwgk\/ndbg\/P02025011301\.docx, /m);
    expect(out.stdout).not.toMatch(/^failed:/m);
    // Stored with its reason, as a failure is: a second run lists it again, still exit 0.
    const again = run("ingest", join(dir, "in"), "--db", db);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain("0 ingested, 1 already present, 0 failed, 1 page(s) pointing to attachments");
    const page = join(dir, "q.html");
    expect(run("report", "--db", db, "--out", page).status).toBe(0);
    const html = readFileSync(page, "utf8");
    expect(html).toMatch(/id="total-failures"><div class="n">0</);
    expect(html).toMatch(/<table id="container-pages">.*page\.html.*P02025011301\.docx/s);
  });

  it("exits 0 when only checks fail (findings, not failures) and shows them", () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-cli-"));
    const broken = SAMPLE.replace(/二、上年结转政府信息公开申请数量\n\t0/, "二、上年结转政府信息公开申请数量\n\t3");
    expect(broken).not.toBe(SAMPLE);
    writeFileSync(join(dir, "r.txt"), broken);
    const out = run("ingest", join(dir, "r.txt"), "--db", join(dir, "x.sqlite"));
    expect(out.status).toBe(0);
    expect(out.stdout).toContain("1 ingested, 0 already present, 0 failed");
    expect(out.stdout).toContain("1 report(s) with failed checks");
    expect(out.stdout).toMatch(/^  requests\.rowTotal: 1$/m);
    const human = run("extract", join(dir, "r.txt"));
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/^checks: \d+ failed$/m);
    expect(human.stdout).toMatch(/^  requests\.rowTotal \(requests\.carriedOver\.total\): /m);
  });

  it("exports csv (long, BOM, one row per report × cell) and jsonl (the contract) that read back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-cli-"));
    const db = join(dir, "x.sqlite");
    expect(run("ingest", "data/samples", "--db", db).status).toBe(0);
    const samples = readdirSync("data/samples").map((f) => join("data/samples", f));
    const perSha = new Map<string, number>();
    for (const f of samples) {
      const p = await parseReport({ bytes: readFileSync(f), name: f });
      if (!p.ok) throw new Error(p.message);
      perSha.set(p.record.source.sha256, cellsOf(p.record).length);
    }
    const out = run("export", "--db", db, "--format", "csv", "--out", join(dir, "x.csv"));
    expect(out.status).toBe(0);
    expect(out.stderr).toContain(`${samples.length} report(s) →`);
    const raw = readFileSync(join(dir, "x.csv"));
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = readCsv(raw.toString("utf8").slice(1));
    const header = rows.shift()!;
    expect(header.slice(0, 16)).toEqual(["report_id", "organ", "year", "region_code", "province", "city", "county", "template", "format", "source_path", "source_url", "sha256", "table", "row", "column", "value"]);
    expect(header.slice(16)).toEqual(["corrected", "machine_value", "status", "text", "page", "box", "table_no", "row_no", "col_no", "line",
      "places", "first_seen", "last_seen", "retrieved_at", "published_on_source", "urls"]);
    expect(rows.length).toBe([...perSha.values()].reduce((a, b) => a + b, 0));
    // Each report's rows are exactly its cells.
    const bySha = new Map<string, number>();
    for (const r of rows) bySha.set(r[11], (bySha.get(r[11]) ?? 0) + 1);
    expect(bySha).toEqual(perSha);
    expect(rows.every((r) => r.length === 32 && r[16] === "0" && r[17] === r[15] && ["active", "requests", "reviews"].includes(r[12]) && (r[15] === "" || Number.isFinite(Number(r[15]))))).toBe(true);

    const jsonl = run("export", "--db", db, "--format", "jsonl");
    expect(jsonl.status).toBe(0);
    const lines = jsonl.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(samples.length);
    // The contract's keys, then `places` (an addition of the store's exports, docs/record.md).
    for (const l of lines) expect(Object.keys(l)).toEqual([...TOP_LEVEL_KEYS, "places"]);
    // The stored record is the one `extract --json` prints (the path is stored absolute).
    const one = JSON.parse(run("extract", samples[0], "--json").stdout);
    const stored = lines.find((l) => l.source.sha256 === one.source.sha256);
    expect({ ...stored, source: { ...stored.source, path: null }, places: undefined }).toEqual({ ...one, source: { ...one.source, path: null } });

    const bad = run("export", "--db", db, "--format", "csv", "--out", join(dir, "no-such-folder", "x.csv"));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(`xxgk: ${join(dir, "no-such-folder", "x.csv")}: cannot write: no such folder (ENOENT)\n`);
    expect(existsSync(join(dir, "no-such-folder"))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  it("survives a kill mid-batch: only whole documents are stored, and the next run finishes the rest", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "xxgk-kill-")), "x.sqlite");
    const child = spawn("node", [CLI, "ingest", batch, "--db", db], { stdio: "ignore" });
    await whenStored(db, 10, child);
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    const stored = await expectWholeDocuments(db);
    expect(stored).toBeGreaterThanOrEqual(10);
    expect(stored).toBeLessThan(N);

    const resumed = run("ingest", batch, "--db", db);
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain(`${N - stored} ingested, ${stored} already present, 0 failed`);
  });

  it.each(["SIGINT", "SIGHUP"] as const)("stops cleanly on %s (Ctrl-C; SIGHUP: the terminal closed): finishes the document in hand, prints what was done, exits 130", async (signal) => {
    const db = join(mkdtempSync(join(tmpdir(), "xxgk-int-")), "x.sqlite");
    const child = spawn("node", [CLI, "ingest", batch, "--db", db], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    await whenStored(db, 10, child);
    child.kill(signal);
    const code = await new Promise((r) => child.on("exit", (c) => r(c)));
    expect(code).toBe(130);
    expect(stderr).toContain("stopping after the current document");
    const m = /^(\d+) ingested, 0 already present, 0 failed \(interrupted: the rest was not read\)/.exec(stdout);
    expect(m, stdout).not.toBeNull();
    const stored = await expectWholeDocuments(db);
    expect(Number(m![1])).toBe(stored); // the summary tells exactly what is in the database
    expect(stored).toBeLessThan(N);
  });

  it("stores each document once when two ingests run at once over the same files; their summaries add up", async () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-twice-"));
    const db = join(dir, "x.sqlite");
    const shared = join(dir, "in");
    mkdirSync(shared);
    const M = 200;
    for (let i = 0; i < M; i++) writeFileSync(join(shared, `r${String(i).padStart(3, "0")}.txt`), `${SAMPLE}\n附注：第${i}号并发副本。\n`);
    // The same bytes under two names, one given to each run.
    const same = `${SAMPLE}\n附注：同一份文件，两个名字。\n`;
    writeFileSync(join(dir, "one.txt"), same);
    writeFileSync(join(dir, "two.txt"), same);
    const start = (extra: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn("node", [CLI, "ingest", shared, extra, "--db", db]);
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
    const [a, b] = await Promise.all([start(join(dir, "one.txt")), start(join(dir, "two.txt"))]);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, "", ""]);
    const ingested = (out: string) => Number(/^(\d+) ingested, (\d+) already present, 0 failed/.exec(out)![1]);
    const present = (out: string) => Number(/^(\d+) ingested, (\d+) already present/.exec(out)![2]);
    expect(ingested(a.stdout) + ingested(b.stdout)).toBe(M + 1);
    expect(present(a.stdout) + present(b.stdout)).toBe(M + 1);
    const check = new Database(db, { readonly: true });
    const n = (sql: string) => (check.prepare(sql).get() as { n: number }).n;
    expect(n("SELECT count(*) AS n FROM reports")).toBe(M + 1);
    expect(n("SELECT count(*) AS n FROM reports WHERE is_current = 1")).toBe(M + 1);
    expect(n("SELECT count(*) AS n FROM (SELECT version_id FROM reports WHERE is_current = 1 GROUP BY version_id HAVING count(*) > 1)")).toBe(0);
    expect(n("SELECT count(DISTINCT sha256) AS n FROM reports WHERE is_current = 1")).toBe(M + 1);
    // Both names of the shared bytes are kept as places they were seen.
    const sha = (check.prepare("SELECT v.sha256 FROM versions v JOIN sources s ON s.id = v.source_id WHERE s.locator = ?").get(join(dir, "one.txt")) as { sha256: string }).sha256;
    expect((check.prepare("SELECT s.locator FROM versions v JOIN sources s ON s.id = v.source_id WHERE v.sha256 = ? ORDER BY s.locator").all(sha) as { locator: string }[]).map((r) => r.locator)).toEqual([
      join(dir, "one.txt"),
      join(dir, "two.txt"),
    ]);
    check.close();
  }, 180_000);

  it("says in one line, exit 2, when --db is not a database: a PDF, a folder, a kernel file, a newer xxgk's", () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-baddb-"));
    writeFileSync(join(dir, "report.pdf"), "%PDF-1.4\n" + "1 0 obj << >> endobj\n".repeat(300));
    const newer = join(dir, "newer.sqlite");
    const d = new Database(newer);
    d.pragma("user_version = 99");
    d.close();
    const config = join(dir, "portals.json");
    writeFileSync(config, JSON.stringify({ portals: [] }));
    const cases: [string, RegExp][] = [
      [join(dir, "report.pdf"), /not a database/],
      [dir, /is a folder/],
      ["/proc/self/status", /not a database file/],
      ["/proc/nonexistent-dir/x.sqlite", /not a database file|no such database/],
      [newer, /newer xxgk/],
    ];
    for (const [db, why] of cases) {
      for (const args of [
        ["ingest", "data/samples", "--db", db],
        ["export", "--format", "csv", "--db", db],
        ["export", "--format", "jsonl", "--db", db],
        ["report", "--out", join(dir, "r.html"), "--db", db],
        ["reparse", "--db", db],
      ]) {
        const out = run(...args);
        expect({ args, status: out.status }).toEqual({ args, status: 2 });
        expect(out.stderr.trimEnd().split("\n")).toHaveLength(1);
        expect(out.stderr).toMatch(why);
        expect(out.stderr.startsWith(`xxgk: ${db}: `)).toBe(true);
      }
    }
    expect(readdirSync(dir).sort()).toEqual(["newer.sqlite", "portals.json", "report.pdf"]);
  });

  it("exports and reports from a read-only database in a read-only folder, writing nothing; report says its snapshot was not kept", () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-ro-"));
    chmodSync(dir, 0o755); // mkdtemp's 0700 would keep the other user out altogether
    const ro = join(dir, "ro");
    mkdirSync(ro);
    const db = join(ro, "x.sqlite");
    expect(run("ingest", "data/samples", "--db", db).status).toBe(0);
    rmSync(join(ro, "blobs"), { recursive: true });
    const out = join(dir, "out");
    mkdirSync(out);
    chmodSync(out, 0o777);
    chmodSync(db, 0o444);
    chmodSync(ro, 0o555);
    const before = readdirSync(ro).sort();
    const bytes = readFileSync(db);
    // Another user than root (root writes through any chmod): the folder and the file are really read-only to it.
    // It runs the CLI from this checkout, so the checkout must be readable by other users (.ci/run clones into
    // a folder opened to them; a checkout under a private folder such as /root fails here).
    const asNobody = (...args: string[]) => spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "node", CLI, ...args], { encoding: "utf8" });
    const csv = asNobody("export", "--db", db, "--format", "csv", "--out", join(out, "x.csv"));
    expect(csv.stderr).toBe(`5 report(s) → ${join(out, "x.csv")}\n`);
    expect(csv.status).toBe(0);
    expect(readCsv(readFileSync(join(out, "x.csv"), "utf8").slice(1)).length).toBeGreaterThan(5 * 100);
    const jsonl = asNobody("export", "--db", db, "--format", "jsonl");
    expect(jsonl.status).toBe(0);
    expect(jsonl.stdout.trimEnd().split("\n")).toHaveLength(5);
    const report = asNobody("report", "--db", db, "--out", join(out, "r.html"));
    expect(report.status).toBe(0);
    expect(report.stderr).toContain("read-only: this report's snapshot was not kept");
    expect(readFileSync(join(out, "r.html"), "utf8")).toContain("5 report(s)");
    expect(readdirSync(ro).sort()).toEqual(before);
    expect(readFileSync(db).equals(bytes)).toBe(true);
    chmodSync(ro, 0o755);
    chmodSync(db, 0o644);
    // Writable again: the report keeps its snapshot (no note).
    const kept = run("report", "--db", db, "--out", join(out, "r2.html"));
    expect(kept.status).toBe(0);
    expect(kept.stderr).not.toContain("read-only");
  });
});
