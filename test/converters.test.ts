// Reports as other tools leave them: every DOCX fixture with a truth saved by LibreOffice
// (the real converter archives are run through) as an HTML page and as plain text, then
// read through the whole pipeline. LibreOffice's text export writes a paragraph or a
// table cell per line and no blank lines: the table's cells sit inside the prose, and an
// empty cell is an empty line. No value may be wrong, no null unexplained, the metadata
// kept; the HTML pages read exactly, the text nearly so.
//
// And every PDF fixture with a truth as `pdftotext -layout` writes it: words at their
// page columns, a number centred in a tall cell a line above or below its row's label,
// table 4's row over two lines. Rows whose numbers are set off their label's line are not
// read (null, warned); the rest are.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReport } from "../src/pipeline.js";
import { cellsOf } from "../model/cells.js";
import { problems } from "./helpers/truth.js";

interface Entry { file: string; format: string; layout: string; expected: string | null }
const sets = [
  { dir: "test/fixtures", manifest: "test/fixtures/manifest.json" },
  { dir: "test/fixtures/reports", manifest: "test/fixtures/reports/manifest.json" },
];
const docx: Entry[] = sets
  .flatMap(({ dir, manifest }) => (JSON.parse(readFileSync(manifest, "utf8")) as Entry[]).map((e) => ({ ...e, file: join(dir, e.file), expected: e.expected && join(dir, e.expected) })))
  .filter((e) => e.format === "docx" && e.expected && e.file.endsWith(".docx"));

let out = "";
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "xxgk-convert-"));
  // Its own profile: a LibreOffice another test (or a person) runs does not take the call.
  const profile = `-env:UserInstallation=file://${join(out, "profile")}`;
  for (const to of ["html", "txt:Text (encoded):UTF8"])
    execFileSync("soffice", [profile, "--headless", "--convert-to", to, "--outdir", out, ...docx.map((e) => e.file)], { stdio: "pipe", timeout: 240_000 });
}, 300_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function campaign(ext: "html" | "txt") {
  const found: string[] = [];
  let printed = 0;
  let read = 0;
  for (const e of docx) {
    const file = join(out, basename(e.file).replace(/\.docx$/, `.${ext}`));
    const o = await parseReport({ bytes: readFileSync(file), name: file, path: file });
    if (!o.ok) {
      found.push(`${basename(file)}: not read (${o.code}: ${o.message})`);
      continue;
    }
    const want = JSON.parse(readFileSync(e.expected!, "utf8"));
    const wanted = new Map(cellsOf(want).map(([t, row, c, v]) => [`${t}.${row}.${c}`, v]));
    for (const [t, row, c, v] of cellsOf(o.record)) {
      if (wanted.get(`${t}.${row}.${c}`) === null) continue;
      printed++;
      if (v !== null) read++;
    }
    for (const p of problems(o.record, want)) found.push(`${basename(file)}: ${p}`);
  }
  return { found, printed, read };
}

describe("PDF reports as pdftotext -layout writes them", () => {
  it("no wrong value, no unexplained null, the metadata kept; 70% read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-layout-"));
    try {
      const pdfs = sets
        .flatMap(({ dir: d, manifest }) => (JSON.parse(readFileSync(manifest, "utf8")) as Entry[]).map((e) => ({ ...e, file: join(d, e.file), expected: e.expected && join(d, e.expected) })))
        .filter((e) => e.format === "pdf" && e.expected);
      const found: string[] = [];
      let printed = 0;
      let read = 0;
      for (const e of pdfs) {
        const file = join(dir, basename(e.file).replace(/\.pdf$/, ".txt"));
        execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", e.file, file]);
        const o = await parseReport({ bytes: readFileSync(file), name: file, path: file });
        if (!o.ok) {
          // Text with no table the reader can rebuild fails whole, with its reason (never half-read).
          expect([basename(file), o.code]).toEqual([basename(file), "no-tables"]);
          continue;
        }
        const want = JSON.parse(readFileSync(e.expected!, "utf8"));
        const wanted = new Map(cellsOf(want).map(([t, row, c, v]) => [`${t}.${row}.${c}`, v]));
        for (const [t, row, c, v] of cellsOf(o.record)) {
          if (wanted.get(`${t}.${row}.${c}`) === null) continue;
          printed++;
          if (v !== null) read++;
        }
        // A year only the PDF's Info title gave is gone with it: null, with its diagnostic.
        for (const p of problems(o.record, want)) if (!(p.startsWith("organ/year") && o.record.year === null && o.record.diagnostics.some((d) => d.key === "year"))) found.push(`${basename(file)}: ${p}`);
      }
      expect(pdfs.length).toBeGreaterThanOrEqual(70);
      expect(found).toEqual([]);
      expect(read / printed).toBeGreaterThan(0.7);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

describe("reports saved by LibreOffice", () => {
  it("converts every DOCX fixture", () => {
    expect(docx.length).toBeGreaterThanOrEqual(30);
    const made = readdirSync(out);
    for (const e of docx) for (const ext of ["html", "txt"]) expect(made).toContain(basename(e.file).replace(/\.docx$/, `.${ext}`));
  });

  it("as HTML pages: read exactly", async () => {
    const c = await campaign("html");
    expect(c.found).toEqual([]);
    expect(c.read).toBe(c.printed);
  });

  it("as plain text (a cell per line, no blank lines): no wrong value, no unexplained null, 98.5% read", async () => {
    const c = await campaign("txt");
    expect(c.found).toEqual([]);
    // Only reports with empty cells lose some (an empty cell is an empty line, as between paragraphs).
    expect(c.read / c.printed).toBeGreaterThan(0.985);
  });
});
