// `npm run torture`: the hostile catalogue of issue 11 as a script anyone can run. Each case
// drives the built CLI (dist/src/cli.js) as a user would, against real files, a real SQLite
// database and real HTTP servers on 127.0.0.1 (never anything else), and ends with
// `held` or `FAILED` and what was seen. Every case is bounded in time; a full run takes
// about two minutes.
//
//   kill -9 during ingest, reparse and crawl (at random moments), then: integrity_check ok,
//     no document half-stored (every version's bytes have their blob and a report or a failure), the
//     rerun completes, no duplicate current reports, and the same reports as a run never
//     killed;
//   a full disk (a small tmpfs when it can be mounted, else a file-size limit: said which);
//   two concurrent ingests of the same files;
//   hostile servers: trickling bytes, an endless body, a gzip bomb, a redirect loop, an
//     off-host redirect and links, 429 with Retry-After, 100,000 links on a list page.
//
// Options: --seed N (the random kill moments), --only NAME (substring of a case's name).
import { spawn, spawnSync } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createGzip } from "node:zlib";
import type { Socket } from "node:net";
import Database from "better-sqlite3";

// dist/scripts/torture.js → the repository root is two levels up; from scripts/ (tsx) one.
const here = dirname(fileURLToPath(import.meta.url));
const root = existsSync(join(here, "../package.json")) ? resolve(here, "..") : resolve(here, "../..");
const CLI = join(root, "dist/src/cli.js");
const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
let seed = Number(opt("--seed") ?? Date.now() % 100_000);
const only = opt("--only");
/** A small seeded generator (mulberry32): a failing run can be repeated with its seed. */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const startSeed = seed;
const work = mkdtempSync(join(tmpdir(), "xxgk-torture-"));
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

// ---- running the CLI -----------------------------------------------------------------------

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident memory (VmHWM), MB, when watched. */
  peakMb?: number;
}

/** Runs the CLI; `killAfterMs` sends SIGKILL then; `limitMs` bounds the run (a hang is a kill too, and reported). */
function cli(argv: string[], o: { killAfterMs?: number; killWhen?: (out: string) => boolean; limitMs?: number; watchMemory?: boolean; shell?: string } = {}): Promise<Run> {
  const t0 = Date.now();
  const child = o.shell
    ? spawn("bash", ["-c", `${o.shell}; exec "${process.execPath}" "${CLI}" ${argv.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ")}`], { stdio: ["ignore", "pipe", "pipe"] })
    : spawn(process.execPath, [CLI, ...argv], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let peak = 0;
  child.stdout!.on("data", (d) => {
    stdout += d;
    if (o.killWhen?.(stdout)) child.kill("SIGKILL");
  });
  child.stderr!.on("data", (d) => (stderr += d));
  const timers: NodeJS.Timeout[] = [];
  if (o.killAfterMs !== undefined) timers.push(setTimeout(() => child.kill("SIGKILL"), o.killAfterMs));
  timers.push(setTimeout(() => {
    stderr += `\n[torture: still running after ${o.limitMs ?? 60_000} ms: killed]`;
    child.kill("SIGKILL");
  }, o.limitMs ?? 60_000));
  if (o.watchMemory)
    timers.push(
      setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
          if (m) peak = Math.max(peak, Number(m[1]) / 1024);
        } catch {
          /* exited */
        }
      }, 50),
    );
  return new Promise((r) =>
    child.on("exit", (code, signal) => {
      for (const t of timers) clearTimeout(t);
      r({ code, signal, stdout, stderr, ms: Date.now() - t0, ...(o.watchMemory ? { peakMb: Math.round(peak) } : {}) });
    }),
  );
}

class Failed extends Error {}
function must(ok: unknown, what: string): asserts ok {
  if (!ok) throw new Failed(what);
}
/** One line, no stack trace: what every user-facing error must be. */
function oneLine(r: Run, what: string): void {
  must(!/\n\s+at /.test(r.stderr), `${what}: a stack trace on stderr: ${r.stderr.slice(0, 200)}`);
}

// ---- the database's promises ---------------------------------------------------------------------

interface Contents {
  /** Current reports: sha256, organ, year, number of cells. */
  reports: string[];
  failures: number;
}

/**
 * Checks what must hold of any database; returns its current contents. `atRest`: no
 * writer was killed since the last complete run, so no temp file may be left either (a
 * killed writer's are removed by the next run).
 */
function verify(dbPath: string, atRest = true): Contents {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const ic = db.pragma("integrity_check", { simple: true });
    must(ic === "ok", `integrity_check: ${ic}`);
    const dup = db
      .prepare("SELECT v.sha256, count(*) AS n FROM reports r JOIN versions v ON v.id = r.version_id WHERE r.is_current = 1 GROUP BY v.sha256 HAVING n > 1")
      .all() as { sha256: string; n: number }[];
    must(dup.length === 0, `${dup.length} documents with two current reports (e.g. ${dup[0]?.sha256.slice(0, 12)} ×${dup[0]?.n})`);
    const doubled = db
      .prepare("SELECT count(*) AS n FROM (SELECT version_id FROM reports GROUP BY version_id, parser_version HAVING count(*) > 1)")
      .get() as { n: number };
    must(doubled.n === 0, `${doubled.n} stored versions read into two report rows by the same parser (doubled)`);
    const half = db
      // A document is its bytes: the same bytes seen at a second place are a version of that
      // source whose report is the first place's. Half-stored: bytes with neither anywhere.
      .prepare(
        `SELECT count(*) AS n FROM versions v
         WHERE NOT EXISTS (SELECT 1 FROM reports r JOIN versions w ON w.id = r.version_id WHERE w.sha256 = v.sha256)
           AND NOT EXISTS (SELECT 1 FROM failures f JOIN versions w ON w.id = f.version_id WHERE w.sha256 = v.sha256)`,
      )
      .get() as { n: number };
    must(half.n === 0, `${half.n} stored versions with neither a report nor a failure (half-stored)`);
    const blobs = join(dirname(dbPath), "blobs");
    for (const { sha256 } of db.prepare("SELECT DISTINCT sha256 FROM versions").all() as { sha256: string }[]) {
      const f = join(blobs, sha256.slice(0, 2), sha256.slice(2));
      must(existsSync(f) && sha(readFileSync(f)) === sha256, `the blob of ${sha256.slice(0, 12)} is missing or torn`);
    }
    const left = existsSync(join(blobs, "tmp")) ? readdirSync(join(blobs, "tmp")) : [];
    must(!atRest || left.length === 0, `${left.length} temp files left in blobs/tmp after the last run`);
    const reports = (
      db
        .prepare("SELECT v.sha256, r.organ, r.year, (SELECT count(*) FROM cells c WHERE c.report_id = r.id) AS cells FROM reports r JOIN versions v ON v.id = r.version_id WHERE r.is_current = 1")
        .all() as Record<string, unknown>[]
    )
      .map((r) => `${r.sha256} ${r.organ} ${r.year} ${r.cells}`)
      .sort();
    const failures = (db.prepare("SELECT count(DISTINCT sha256) AS n FROM failures WHERE is_current = 1 AND sha256 IS NOT NULL").get() as { n: number }).n;
    return { reports, failures };
  } finally {
    db.close();
  }
}

function sameContents(got: Contents, want: Contents, what: string): void {
  const missing = want.reports.filter((r) => !got.reports.includes(r));
  const extra = got.reports.filter((r) => !want.reports.includes(r));
  must(missing.length === 0 && extra.length === 0, `${what}: ${missing.length} reports missing, ${extra.length} extra against a run never killed`);
}

// ---- inputs ---------------------------------------------------------------------------------------

const DISTRICTS = ["环翠区", "硚口区", "金水区", "鼓楼区", "江岸区", "历下区"];
const BODIES = ["商务局", "财政局", "教育局", "民政局", "司法局", "审计局", "统计局", "水利局", "林业局", "卫生健康委员会"];
const SAMPLE = "2024-环翠区商务局.txt";

/** Text reports (the sample with another organ each), plus real PDFs and DOCX from the fixtures. */
function corpus(dir: string, texts: number, binaries: number): string {
  mkdirSync(dir, { recursive: true });
  const sample = readFileSync(join(root, "data/samples", SAMPLE), "utf8");
  for (let i = 0; i < texts; i++) {
    const organ = `${DISTRICTS[i % DISTRICTS.length]}${BODIES[Math.floor(i / DISTRICTS.length) % BODIES.length]}${i >= 60 ? `第${i}分局` : ""}`;
    writeFileSync(join(dir, `${String(i).padStart(3, "0")}-${organ}.txt`), sample.split("环翠区商务局").join(organ));
  }
  const gen = join(root, "test/fixtures/generated");
  const bins = readdirSync(gen).filter((f) => /\.(pdf|docx)$/.test(f)).sort().slice(0, binaries);
  for (const f of bins) copyFileSync(join(gen, f), join(dir, f));
  return dir;
}

// ---- servers ----------------------------------------------------------------------------------------

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;
interface Server {
  base: string;
  port: number;
  routes: Map<string, Handler>;
  hits: { path: string; host: string }[];
  count(path: string): number;
  close(): Promise<void>;
}

async function serve(routes: Record<string, Handler>): Promise<Server> {
  const map = new Map(Object.entries(routes));
  const hits: { path: string; host: string }[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    hits.push({ path, host: req.headers.host ?? "" });
    res.on("error", () => undefined);
    const h = map.get(path);
    if (h) h(req, res, hits.filter((x) => x.path === path).length);
    else if (path === "/robots.txt") res.writeHead(404).end();
    else res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    routes: map,
    hits,
    count: (p) => hits.filter((h) => h.path === p).length,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const page = (body: string) => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>${body}</body></html>`;
const html = (body: string): Handler => (_q, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body);
const listOf = (hrefs: string[]) => page(`<ul class="list">${hrefs.map((h, i) => `<li><a href="${h}">第${i}号2024年政府信息公开工作年度报告</a></li>`).join("")}</ul>`);

/** A sample report as an HTML article (tab-led lines are cells, a blank line ends a row). */
function reportPage(organ: string): string {
  const text = readFileSync(join(root, "data/samples", SAMPLE), "utf8").split("环翠区商务局").join(organ);
  let body = "";
  let rows: string[][] = [];
  let row: string[] = [];
  let inTable = false;
  const flush = () => {
    if (row.length) rows.push(row);
    row = [];
    if (rows.length) body += `<table border="1">${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("")}</table>`;
    rows = [];
    inTable = false;
  };
  for (const l of text.split(/\r?\n/)) {
    if (l.startsWith("\t")) {
      inTable = true;
      row.push(l.slice(1));
    } else if (inTable && l.trim() === "") {
      if (row.length) rows.push(row);
      row = [];
    } else if (inTable && row.length) row[row.length - 1] += l;
    else {
      if (inTable) flush();
      if (l.trim()) body += `<p>${esc(l)}</p>`;
    }
  }
  flush();
  return page(`<div id="zoom">${body}</div>`);
}

function crawlConfig(dir: string, portals: object[], extra: Record<string, unknown> = {}): string {
  const f = join(dir, `portals-${readdirSync(dir).length}.json`);
  writeFileSync(
    f,
    JSON.stringify({ userAgent: "xxgk-torture (+mailto:torture@example.org)", perHostIntervalMs: 0, timeoutMs: 2000, retries: 1, retryBaseMs: 20, ...extra, portals }),
  );
  return f;
}
const htmlPortal = (name: string, base: string, more: Record<string, unknown> = {}) => ({ name, startUrls: [`${base}/list.html`], reportLink: { selector: ".list a" }, ...more });

interface CrawlSummaryLite {
  ok: boolean;
  portals: {
    portal: string;
    reports: { new: number; present: number };
    documents: { fetched: number };
    left: { documents: number; links: number };
    failed: { url: string; reason: string }[];
    skipped: { url: string; reason: string }[];
  }[];
}
const summaryOf = (r: Run): CrawlSummaryLite => {
  try {
    return JSON.parse(r.stdout) as CrawlSummaryLite;
  } catch {
    throw new Failed(`no JSON summary (exit ${r.code}${r.signal ? `, ${r.signal}` : ""}): ${r.stderr.trim().slice(0, 300)}`);
  }
};

// ---- the cases ------------------------------------------------------------------------------------

interface Case {
  name: string;
  run(dir: string): Promise<string>;
}

const cases: Case[] = [
  {
    name: "kill -9 during ingest (3 random moments), then rerun",
    async run(dir) {
      const input = corpus(join(dir, "in"), 80, 12);
      const whole = await cli(["ingest", input, "--db", join(dir, "whole/x.sqlite")], { limitMs: 90_000 });
      must(whole.code === 0 || whole.code === 1, `the uninterrupted ingest exited ${whole.code}: ${whole.stderr.slice(0, 200)}`);
      const want = verify(join(dir, "whole/x.sqlite"));
      const db = join(dir, "killed/x.sqlite");
      const moments: number[] = [];
      for (let k = 0; k < 3; k++) {
        const at = Math.round(150 + random() * Math.min(whole.ms * 0.8, 4000));
        moments.push(at);
        await cli(["ingest", input, "--db", db], { killAfterMs: at });
        if (existsSync(db)) verify(db, false); // holds between kills too
      }
      const last = await cli(["ingest", input, "--db", db], { limitMs: 90_000 });
      must(last.code === 0 || last.code === 1, `the rerun exited ${last.code}: ${last.stderr.slice(0, 200)}`);
      oneLine(last, "the rerun");
      sameContents(verify(db), want, "after the kills");
      return `killed at ${moments.join(", ")} ms; ${want.reports.length} reports and ${want.failures} failures, as a run never killed`;
    },
  },
  {
    name: "kill -9 during reparse (2 random moments), then rerun",
    async run(dir) {
      const input = corpus(join(dir, "in"), 40, 10);
      const db = join(dir, "x.sqlite");
      const first = await cli(["ingest", input, "--db", db], { limitMs: 90_000 });
      must(first.code === 0 || first.code === 1, `ingest exited ${first.code}`);
      const want = verify(db);
      // As if an older build had read everything: reparse has it all to do.
      const w = new Database(db);
      w.exec("UPDATE reports SET parser_version = '0.0.0-torture'; UPDATE failures SET parser_version = '0.0.0-torture'");
      w.close();
      const t0 = Date.now();
      const moments: number[] = [];
      for (let k = 0; k < 2; k++) {
        const at = Math.round(200 + random() * 2500);
        moments.push(at);
        await cli(["reparse", "--db", db], { killAfterMs: at });
        verify(db, false);
      }
      const last = await cli(["reparse", "--db", db], { limitMs: 90_000 });
      must(last.code === 0, `the reparse rerun exited ${last.code}: ${last.stderr.slice(0, 200)}`);
      const got = verify(db);
      const db2 = new Database(db, { readonly: true });
      const two = db2.prepare("SELECT count(*) AS n FROM (SELECT version_id FROM reports WHERE is_current = 1 GROUP BY version_id HAVING count(*) > 1)").get() as { n: number };
      db2.close();
      must(two.n === 0, `${two.n} versions with two current reports after reparse`);
      sameContents(got, want, "after the killed reparses");
      return `killed at ${moments.join(", ")} ms (of ~${Date.now() - t0} ms in all); ${got.reports.length} reports as before`;
    },
  },
  {
    name: "kill -9 during crawl (3 random moments), then rerun",
    async run(dir) {
      const n = 30;
      const routes: Record<string, Handler> = { "/list.html": html(listOf([...Array.from({ length: n }, (_, i) => `/a/${i}.html`), "/att.html"])) };
      for (let i = 0; i < n; i++) {
        const body = reportPage(`${DISTRICTS[i % 6]}${BODIES[Math.floor(i / 6) % BODIES.length]}`);
        routes[`/a/${i}.html`] = (q, res, k) => setTimeout(() => html(body)(q, res, k), 15);
      }
      const pdf = readFileSync(join(root, "test/fixtures/generated/g01-2021.lo.pdf"));
      routes["/att.html"] = html(page(`<a href="/f/1.pdf">附件1.pdf</a><a href="/f/2.pdf">附件2.pdf</a>`));
      routes["/f/1.pdf"] = routes["/f/2.pdf"] = (_q, res) => res.writeHead(200, { "content-type": "application/pdf" }).end(pdf);
      const s = await serve(routes);
      try {
        const cfg = crawlConfig(dir, [htmlPortal("p", s.base)], { concurrency: 2 });
        const whole = await cli(["crawl", "--config", cfg, "--db", join(dir, "whole/x.sqlite"), "--json"], { limitMs: 90_000 });
        const ws = summaryOf(whole);
        must(ws.ok, `the uninterrupted crawl failed: ${JSON.stringify(ws.portals[0].failed).slice(0, 200)}`);
        const want = verify(join(dir, "whole/x.sqlite"));
        const db = join(dir, "killed/x.sqlite");
        const moments: number[] = [];
        for (let k = 0; k < 3; k++) {
          const at = Math.round(300 + random() * Math.min(whole.ms * 0.7, 3000));
          moments.push(at);
          await cli(["crawl", "--config", cfg, "--db", db, "--json"], { killAfterMs: at });
        }
        const last = await cli(["crawl", "--config", cfg, "--db", db, "--json"], { limitMs: 90_000 });
        const ls = summaryOf(last);
        must(last.code === 0 && ls.ok, `the rerun exited ${last.code}: ${last.stderr.slice(0, 200)}`);
        sameContents(verify(db), want, "after the kills");
        const c = new Database(db, { readonly: true });
        const notDone = (c.prepare("SELECT count(*) AS n FROM crawl_urls WHERE status != 'done'").get() as { n: number }).n;
        c.close();
        must(notDone === 0, `${notDone} URLs not done after the rerun`);
        return `killed at ${moments.join(", ")} ms; ${want.reports.length} reports (one for the PDF linked twice), as a crawl never killed`;
      } finally {
        await s.close();
      }
    },
  },
  {
    name: "a full disk during ingest",
    async run(dir) {
      const input = corpus(join(dir, "in"), 30, 24);
      const mnt = join(dir, "small");
      mkdirSync(mnt);
      const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", mnt], { encoding: "utf8" }).status === 0;
      const how = mounted ? "a 3 MB tmpfs (ENOSPC)" : "a file-size limit of 2 MB (ulimit -f; EFBIG), tmpfs not mountable here";
      try {
        const db = join(mnt, "x.sqlite");
        const r = await cli(["ingest", input, "--db", db], { limitMs: 90_000, ...(mounted ? {} : { shell: "trap '' XFSZ; ulimit -f 2048" }) });
        must(r.signal === null, `ingest died of ${r.signal}`);
        must(r.code !== 0, "ingest said it stored everything on a disk too small for it");
        oneLine(r, "ingest on a full disk");
        const said = (r.stdout + r.stderr).split("\n").find((l) => /ENOSPC|EFBIG|full|too large|could not be stored/i.test(l)) ?? "";
        must(said !== "", `no line says the disk is full: ${(r.stdout + r.stderr).slice(0, 300)}`);
        const tmp = join(mnt, "blobs/tmp");
        const left = existsSync(tmp) ? readdirSync(tmp) : [];
        must(left.length === 0, `${left.length} temp files left in blobs/tmp (${left.slice(0, 2).join(", ")})`);
        // Room again: the same database, moved to a disk with space, takes the rest.
        const moved = join(dir, "moved");
        cpSync(mnt, moved, { recursive: true });
        const rerun = await cli(["ingest", input, "--db", join(moved, "x.sqlite")], { limitMs: 90_000 });
        must(rerun.code === 0 || rerun.code === 1, `the rerun with room exited ${rerun.code}`);
        const got = verify(join(moved, "x.sqlite"));
        return `${how}: exit ${r.code}, said "${said.trim().replace(/^.*?(could not be stored)/, "…$1").slice(0, 100)}", no temp file left; with room the rerun stored ${got.reports.length} reports, database intact`;
      } finally {
        if (mounted) spawnSync("umount", [mnt]);
      }
    },
  },
  {
    name: "two concurrent ingests of the same files",
    async run(dir) {
      const input = corpus(join(dir, "in"), 80, 8);
      const db = join(dir, "x.sqlite");
      const [a, b] = await Promise.all([cli(["ingest", input, "--db", db], { limitMs: 120_000 }), cli(["ingest", input, "--db", db], { limitMs: 120_000 })]);
      for (const r of [a, b]) {
        must(r.code === 0 || r.code === 1, `an ingest exited ${r.code}${r.signal ? ` (${r.signal})` : ""}: ${r.stderr.slice(0, 200)}`);
        oneLine(r, "a concurrent ingest");
      }
      const got = verify(db);
      const claimed = [a, b].map((r) => Number(/^(\d+) ingested/m.exec(r.stdout)?.[1] ?? NaN));
      must(claimed.every(Number.isFinite), `a summary without its count: ${a.stdout.slice(0, 100)} / ${b.stdout.slice(0, 100)}`);
      must(claimed[0] + claimed[1] === got.reports.length, `the summaries claim ${claimed[0]} + ${claimed[1]} ingested; the database holds ${got.reports.length} current reports`);
      return `summaries ${claimed[0]} + ${claimed[1]} ingested = ${got.reports.length} current reports, none twice`;
    },
  },
  {
    name: "hostile servers: trickle, endless body, gzip bomb, redirect loop, off-host redirect and links, 429 Retry-After",
    async run(dir) {
      // 64 MB of zeros, gzipped (64 KB on the wire).
      const bomb = await new Promise<Buffer>((r) => {
        const z = createGzip({ level: 9 });
        const parts: Buffer[] = [];
        z.on("data", (d: Buffer) => parts.push(d));
        z.on("end", () => r(Buffer.concat(parts)));
        const zero = Buffer.alloc(1 << 20);
        for (let i = 0; i < 64; i++) z.write(zero);
        z.end();
      });
      const stop: (() => void)[] = [];
      const s = await serve({
        "/trickle.html": (_q, res) => {
          res.writeHead(200, { "content-type": "text/html" });
          const t = setInterval(() => res.write("x"), 200);
          stop.push(() => clearInterval(t));
          res.on("close", () => clearInterval(t));
        },
        "/endless.html": (_q, res) => {
          res.writeHead(200, { "content-type": "text/html" });
          const chunk = Buffer.alloc(64 * 1024, 0x61);
          const pump = () => {
            while (res.write(chunk)) if (res.destroyed) return;
          };
          res.on("drain", pump);
          res.on("close", () => res.off("drain", pump));
          pump();
        },
        "/bomb.html": (_q, res) => res.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip", "content-length": String(bomb.length) }).end(bomb),
        "/loop-a.html": (_q, res) => res.writeHead(302, { location: "/loop-b.html" }).end(),
        "/loop-b.html": (_q, res) => res.writeHead(302, { location: "/loop-a.html" }).end(),
        "/busy.html": (q, res, n) => (n <= 2 ? res.writeHead(429, { "retry-after": "1" }).end() : html(reportPage("江岸区商务局"))(q, res, n)),
      });
      s.routes.set("/list.html", html(listOf(["/trickle.html", "/endless.html", "/bomb.html", "/loop-a.html", "/away.html", `http://localhost:${s.port}/x.html`, "/busy.html"])));
      s.routes.set("/away.html", (_q, res) => res.writeHead(302, { location: `http://localhost:${s.port}/y.html` }).end());
      try {
        const cfg = crawlConfig(dir, [htmlPortal("hostile", s.base)], { maxFileBytes: 4 << 20, timeoutMs: 1500, retries: 2, concurrency: 4, perHostConcurrency: 4 });
        const db = join(dir, "x.sqlite");
        const r = await cli(["crawl", "--config", cfg, "--db", db, "--json"], { limitMs: 60_000, watchMemory: true });
        for (const f of stop) f();
        const sum = summaryOf(r);
        must(r.code === 1, `exit ${r.code} (1 expected: some URLs failed)`);
        const p = sum.portals[0];
        const why = (path: string) => p.failed.find((f) => f.url.endsWith(path))?.reason ?? p.skipped.find((f) => f.url.endsWith(path))?.reason ?? "";
        must(/timed out/.test(why("/trickle.html")), `trickle: ${why("/trickle.html") || "not failed"}`);
        must(/cap/.test(why("/endless.html")), `endless body: ${why("/endless.html") || "not failed"}`);
        must(/cap/.test(why("/bomb.html")), `gzip bomb: ${why("/bomb.html") || "not failed"}`);
        must(/redirect loop/.test(why("/loop-a.html")), `redirect loop: ${why("/loop-a.html") || "not failed"}`);
        must(/leaves the portal's hosts/.test(why("/away.html")), `off-host redirect: ${why("/away.html") || "not skipped"}`);
        must(/not one of the portal's hosts/.test(why("/x.html")), `off-host link: ${why("/x.html") || "not skipped"}`);
        must(s.hits.every((h) => h.host === `127.0.0.1:${s.port}`), `a request went to ${s.hits.find((h) => !h.host.startsWith("127.0.0.1"))?.host}`);
        must(p.reports.new === 1 && s.count("/busy.html") === 3, `429: ${p.reports.new} new reports, /busy.html asked ${s.count("/busy.html")} times`);
        must((r.peakMb ?? 0) < 400, `peak memory ${r.peakMb} MB`);
        const c = new Database(db, { readonly: true });
        const st = Object.fromEntries((c.prepare("SELECT url, status FROM crawl_urls WHERE kind != 'list'").all() as { url: string; status: string }[]).map((x) => [x.url.replace(/^http:\/\/[^/]+/, ""), x.status]));
        c.close();
        must(st["/trickle.html"] === "failed" && st["/endless.html"] === "refused" && st["/bomb.html"] === "refused" && st["/busy.html"] === "done", `statuses ${JSON.stringify(st)}`);
        return `one crawl in ${(r.ms / 1000).toFixed(1)} s, peak ${r.peakMb} MB: trickle timed out, endless body and a 64 MB gzip bomb stopped at the 4 MB cap, loop and off-host refused with no request off 127.0.0.1:port, the 429 page stored after Retry-After`;
      } finally {
        for (const f of stop) f();
        await s.close();
      }
    },
  },
  {
    name: "100,000 links on a list page",
    async run(dir) {
      const n = 100_000;
      const list = listOf(Array.from({ length: n }, (_, i) => `/d/${i}.html`));
      const s = await serve({ "/list.html": html(list) });
      const small = page("<p>通知</p>");
      for (let i = 0; i < n; i++) s.routes.set(`/d/${i}.html`, html(small));
      try {
        const cfg = crawlConfig(dir, [htmlPortal("big", s.base, { maxLinksPerPage: 100_000, maxDocuments: 300 })], { concurrency: 8, perHostConcurrency: 4 });
        const db = join(dir, "x.sqlite");
        const r = await cli(["crawl", "--config", cfg, "--db", db, "--json"], { limitMs: 90_000, watchMemory: true });
        const p = summaryOf(r).portals[0];
        must(p.documents.fetched === 300, `${p.documents.fetched} documents fetched (cap 300)`);
        must(p.left.documents === n - 300, `left for the next run: ${p.left.documents} (${n - 300} expected)`);
        // Distinct paths: a request timed out on a loaded machine is retried, and that is fine.
        const asked = new Set(s.hits.filter((h) => h.path.startsWith("/d/")).map((h) => h.path)).size;
        must(asked === 300, `${asked} documents requested`);
        must((r.peakMb ?? 0) < 400, `peak memory ${r.peakMb} MB`);
        const again = await cli(["crawl", "--config", cfg, "--db", db, "--json"], { limitMs: 90_000 });
        const q = summaryOf(again).portals[0];
        const fresh = new Set(s.hits.filter((h) => h.path.startsWith("/d/")).map((h) => h.path)).size;
        must(q.documents.fetched === 300 && fresh === 600, `the next run fetched ${q.documents.fetched}, ${fresh} distinct in all`);
        return `${list.length >> 20} MB list page: 300 fetched (the cap), ${p.left.documents} said left, the next run took the next 300; ${(r.ms / 1000).toFixed(1)} s, peak ${r.peakMb} MB`;
      } finally {
        await s.close();
      }
    },
  },
];

// ---- the run --------------------------------------------------------------------------------------

if (!existsSync(CLI)) {
  process.stderr.write(`torture: ${CLI} is missing: build first (npx tsc -p tsconfig.json)\n`);
  process.exit(2);
}
const results: { name: string; verdict: "held" | "FAILED"; detail: string; ms: number }[] = [];
const t0 = Date.now();
for (const c of cases) {
  if (only && !c.name.includes(only)) continue;
  const dir = join(work, String(results.length));
  mkdirSync(dir, { recursive: true });
  const t = Date.now();
  process.stderr.write(`torture: ${c.name} ...\n`);
  try {
    const detail = await c.run(dir);
    results.push({ name: c.name, verdict: "held", detail, ms: Date.now() - t });
  } catch (e) {
    const detail = e instanceof Failed ? e.message : `the case itself broke: ${(e as Error)?.stack ?? String(e)}`;
    results.push({ name: c.name, verdict: "FAILED", detail, ms: Date.now() - t });
  }
  const last = results[results.length - 1];
  process.stderr.write(`torture: ${last.verdict} (${(last.ms / 1000).toFixed(1)} s)\n`);
}
const width = Math.max(...results.map((r) => r.name.length));
process.stdout.write(`xxgk torture, seed ${startSeed} (repeat with --seed ${startSeed}), ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
for (const r of results) process.stdout.write(`${r.verdict.padEnd(6)}  ${r.name.padEnd(width)}  ${(r.ms / 1000).toFixed(1).padStart(5)} s  ${r.detail}\n`);
rmSync(work, { recursive: true, force: true });
process.exitCode = results.some((r) => r.verdict === "FAILED") ? 1 : 0;
