// OCR bench: every scanned fixture (test/fixtures/scans) through the whole pipeline, one
// at a time. Per fixture: wall time, CPU time (this process and its children, Tesseract
// and pdftoppm, from /proc/self/stat), seconds per page, and how many printed values were
// read exactly, null, or wrong. "On one core": run it under `taskset -c 0`. Part of
// `npm run bench` (--only ocr), or alone:
//
//   npm run build && taskset -c 0 node dist/scripts/bench-ocr.js
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { closePdfWorkers } from "../extractors/pdf.js";
import { cellsOf } from "../model/cells.js";
import { parseReport } from "../src/pipeline.js";

const dir = "test/fixtures/scans";

/** CPU seconds used so far by this process and its finished children. */
function cpuSeconds(): number {
  const self = process.cpuUsage();
  let children = 0;
  try {
    const f = readFileSync("/proc/self/stat", "utf8");
    const fields = f.slice(f.lastIndexOf(")") + 2).split(" ");
    // After the command name: field 3 is state, so cutime and cstime (16, 17) sit at 13, 14.
    children = (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    // Not Linux: children's time unknown.
  }
  return (self.user + self.system) / 1e6 + children;
}

export interface OcrBench {
  file: string;
  pages: number;
  wallS: number;
  cpuS: number;
  read: number;
  printed: number;
  wrong: number;
}

export async function benchOcr(): Promise<OcrBench[]> {
  const scans = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { file: string; expected: string }[];
  const out: OcrBench[] = [];
  for (const s of scans) {
    const bytes = readFileSync(join(dir, s.file));
    const t0 = Date.now(), c0 = cpuSeconds();
    const r = await parseReport({ bytes, name: s.file, limits: { timeoutMs: 600_000, ocrTimeoutMs: 600_000 } });
    const wallS = (Date.now() - t0) / 1000, cpuS = cpuSeconds() - c0;
    if (!r.ok) throw new Error(`${s.file}: ${r.code} ${r.message}`);
    const want = new Map(cellsOf(JSON.parse(readFileSync(join(dir, s.expected), "utf8"))).map(([t, row, c, v]) => [`${t}.${row}.${c}`, v]));
    let read = 0, printed = 0, wrong = 0;
    for (const [t, row, c, v] of cellsOf(r.record)) {
      const x = want.get(`${t}.${row}.${c}`) ?? null;
      if (x !== null) printed++;
      if (v !== null) v === x ? read++ : wrong++;
    }
    out.push({ file: s.file, pages: pagesOf(r.diagnostics), wallS, cpuS, read, printed, wrong });
  }
  await closePdfWorkers();
  return out;
}

function pagesOf(diagnostics: { source: string; message: string }[]): number {
  const m = diagnostics.find((d) => d.source === "ocr:read")?.message.match(/(\d+) pages?(?: \([^)]*\))? at/);
  return m ? Number(m[1]) : 0;
}

/** The OCR part of `npm run bench`: a line per scanned fixture and the summary (seconds per scanned page). */
export async function printOcrBench(): Promise<void> {
  const rows = await benchOcr();
  for (const r of rows)
    console.log(
      `ocr    ${r.file.padEnd(30)} ${r.pages} pages  wall ${r.wallS.toFixed(1)} s  cpu ${r.cpuS.toFixed(1)} s  ${(r.cpuS / r.pages).toFixed(1)} cpu-s/page  read ${r.read}/${r.printed}  wrong ${r.wrong}`,
    );
  const pages = rows.reduce((n, r) => n + r.pages, 0);
  const cpu = rows.reduce((n, r) => n + r.cpuS, 0), wall = rows.reduce((n, r) => n + r.wallS, 0);
  const read = rows.reduce((n, r) => n + r.read, 0), printed = rows.reduce((n, r) => n + r.printed, 0);
  console.log(
    `ocr    all: ${pages} scanned pages, ${(wall / pages).toFixed(1)} wall-s/page, ${(cpu / pages).toFixed(1)} cpu-s/page (a 4-page scan: ${((4 * cpu) / pages).toFixed(1)} cpu-s, target 20 s on one core); ` +
      `values read ${read}/${printed} (${((100 * read) / printed).toFixed(0)}%), fixtures exact ${rows.filter((r) => r.read === r.printed).length}/${rows.length}, wrong ${rows.reduce((n, r) => n + r.wrong, 0)}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await printOcrBench();
