// npm run bench: documents per second and peak memory, per format, on one core.
// Text: a batch of generated reports ingested into a fresh database (the whole
// pipeline, store included), memory sampled as the batch grows to show it stays
// flat. DOCX/HTML/PDF: the committed fixtures parsed repeatedly; PDF beside
// `pdftotext -layout` on the same files as the floor to compare with.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../src/store.js";
import { ingestPaths } from "../src/ingest.js";
import { parseReport } from "../src/pipeline.js";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg("n", 3000);
const REPEAT = arg("repeat", 20);
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

async function benchText() {
  const dir = mkdtempSync(join(tmpdir(), "xxgk-bench-"));
  const input = join(dir, "in");
  mkdirSync(input);
  const samples = readdirSync("data/samples").map((f) => readFileSync(join("data/samples", f), "utf8"));
  for (let i = 0; i < N; i++) {
    // Vary the numbers so every document is new content with its own cells.
    const base = samples[i % samples.length];
    const text = base.replace(/\t0\n/g, () => `\t${(i * 7 + Math.floor(i / 3)) % 97}\n`) + `\n附注：批次样本 ${i}。\n`;
    writeFileSync(join(input, `r${String(i).padStart(5, "0")}.txt`), text);
  }
  const store = openStore(join(dir, "bench.sqlite"));
  const marks: string[] = [];
  let done = 0;
  let peak = 0;
  const t0 = performance.now();
  await ingestPaths(store, [input], {
    onResult: () => {
      done++;
      const rss = process.memoryUsage().rss;
      peak = Math.max(peak, rss);
      if (done === Math.floor(N / 4) || done === Math.floor(N / 2) || done === N) marks.push(`${done}: ${mb(rss)}`);
    },
  });
  const secs = (performance.now() - t0) / 1000;
  store.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`text   ${N} documents ingested in ${secs.toFixed(1)} s: ${(N / secs).toFixed(0)} documents/s; peak RSS ${mb(peak)}; RSS at ${marks.join(", ")}`);
}

interface Entry {
  file: string;
  format: string;
}
function fixtures(format: string): string[] {
  const manifest = "test/fixtures/manifest.json";
  if (!existsSync(manifest)) return [];
  const raw = JSON.parse(readFileSync(manifest, "utf8"));
  const list: Entry[] = Array.isArray(raw) ? raw : raw.fixtures ?? raw.files ?? [];
  return list.filter((e) => e.format === format).map((e) => join("test/fixtures", e.file)).filter(existsSync);
}

async function benchFormat(format: string) {
  const files = fixtures(format);
  if (!files.length) {
    console.log(`${format.padEnd(6)} no fixtures in test/fixtures/manifest.json`);
    return;
  }
  const bytes = files.map((f) => readFileSync(f));
  for (const [i, b] of bytes.entries()) await parseReport({ bytes: b, name: files[i] }); // warm
  let peak = 0;
  let pages = 0;
  const t0 = performance.now();
  for (let r = 0; r < REPEAT; r++)
    for (const [i, b] of bytes.entries()) {
      await parseReport({ bytes: b, name: files[i] });
      peak = Math.max(peak, process.memoryUsage().rss);
    }
  const secs = (performance.now() - t0) / 1000;
  const n = REPEAT * bytes.length;
  let line = `${format.padEnd(6)} ${n} parses of ${bytes.length} fixtures in ${secs.toFixed(2)} s: ${(n / secs).toFixed(0)} documents/s (${((secs / n) * 1000).toFixed(1)} ms each); peak RSS ${mb(peak)}`;
  if (format === "pdf") {
    for (const f of files) pages += Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [f], { encoding: "utf8" }))?.[1] ?? 0);
    const p0 = performance.now();
    for (let r = 0; r < REPEAT; r++) for (const f of files) execFileSync("pdftotext", ["-layout", f, "-"], { stdio: ["ignore", "ignore", "ignore"] });
    const floor = (performance.now() - p0) / 1000;
    line += `; ${((REPEAT * pages) / secs).toFixed(0)} pages/s; pdftotext -layout: ${((floor / n) * 1000).toFixed(1)} ms each (xxgk/pdftotext = ${(secs / floor).toFixed(1)}x)`;
  }
  console.log(line);
}

console.log(`xxgk bench (one process, one core): node ${process.version}`);
await benchText();
for (const f of ["docx", "html", "pdf"]) await benchFormat(f);
