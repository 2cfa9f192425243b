// Every PDF fixture with a truth converted by pdftotext (with and without -layout), read
// through the pipeline: values read, wrong (read and not the truth's) and nulls left
// unexplained, per mode. The README's "Accuracy, measured" quotes its output; the tests
// (test/converters.test.ts) hold what must always be true of it.
//
//   npm run build && node dist/scripts/measure-pdftotext.js
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parseReport } from "../src/pipeline.js";
import { cellsOf } from "../model/cells.js";
import type { ReportRecord } from "../model/record.js";

interface Entry { file: string; format: string; expected: string | null }
const sets = [
  { dir: "test/fixtures", manifest: "test/fixtures/manifest.json" },
  { dir: "test/fixtures/reports", manifest: "test/fixtures/reports/manifest.json" },
];
const pdfs = sets
  .flatMap(({ dir, manifest }) => (JSON.parse(readFileSync(manifest, "utf8")) as Entry[]).map((e) => ({ file: join(dir, e.file), format: e.format, expected: e.expected && join(dir, e.expected) })))
  .filter((e) => e.format === "pdf" && e.expected);

const dir = mkdtempSync(join(tmpdir(), "xxgk-measure-"));
try {
  for (const [mode, args] of [["pdftotext -layout", ["-layout"]], ["pdftotext", []]] as const) {
    let printed = 0, read = 0, wrong = 0, unexplained = 0, failed = 0;
    for (const e of pdfs) {
      const file = join(dir, basename(e.file).replace(/\.pdf$/, ".txt"));
      execFileSync("pdftotext", [...args, "-enc", "UTF-8", e.file, file]);
      const o = await parseReport({ bytes: readFileSync(file), name: file, path: file });
      if (!o.ok) {
        failed++;
        continue;
      }
      const want = new Map(cellsOf(JSON.parse(readFileSync(e.expected!, "utf8")) as ReportRecord).map(([t, r, c, v]) => [`${t}.${r}.${c}`, v]));
      for (const [t, r, c, v] of cellsOf(o.record)) {
        const k = `${t}.${r}.${c}`;
        if (v === null && !o.record.diagnostics.some((d) => d.key === k)) unexplained++;
        if (want.get(k) === null) continue;
        printed++;
        if (v === null) continue;
        read++;
        if (v !== want.get(k)) wrong++;
      }
    }
    console.log(`${mode.padEnd(18)} ${pdfs.length} PDFs (${failed} not read): ${read} of ${printed} printed values read (${((read / printed) * 100).toFixed(1)}%), ${wrong} wrong, ${unexplained} nulls unexplained`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
