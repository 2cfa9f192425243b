// Every generated report fixture, in every format and layout, read through the whole
// pipeline. Two generators made them (scripts/make-fixtures.ts → test/fixtures/generated,
// scripts/make-report-fixtures.ts → test/fixtures/reports), from different renderers.
//  - Text, HTML, DOCX (and the legacy .doc) and PDF, ruled or not, read back exactly:
//    every cell, organ, year, template, date, region; the failed checks named; every
//    null cell warned about; a report's renderings give the same record.
//  - Text pdftotext wrote without -layout, and borderless PDFs whose cells touch (no
//    padding, text set right): cells that cannot be told apart may be null (with a
//    warning), but a number that is read is never a wrong one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseReport } from "../src/pipeline.js";
import type { ReportRecord } from "../model/record.js";
import { cellsOf } from "../model/cells.js";
import { closePdfWorkers } from "../extractors/pdf.js";

interface Entry { id: string; file: string; format: string; layout: string; template: string; expected: string | null }
const sets = [
  { dir: "test/fixtures", manifest: "test/fixtures/manifest.json" },
  { dir: "test/fixtures/reports", manifest: "test/fixtures/reports/manifest.json" },
];
const all = sets.flatMap(({ dir, manifest }) =>
  (JSON.parse(readFileSync(manifest, "utf8")) as Entry[]).map((e) => ({ ...e, file: join(dir, e.file), expected: e.expected && join(dir, e.expected) })),
);
// Text pdftotext reordered, and PDFs at the edge of what a borderless layout can say
// (no padding, text set right: cells that touch): some cells null and warned, none wrong.
const scrambling = (e: Entry) => (e.format === "text" && e.file.endsWith(".pdftext.txt")) || e.layout.startsWith("libreoffice-extreme");
const exact = all.filter((e) => e.expected && !scrambling(e));
const tolerant = all.filter((e) => e.expected && scrambling(e));

afterAll(() => closePdfWorkers());

async function read(e: Entry): Promise<ReportRecord> {
  const out = await parseReport({ bytes: readFileSync(e.file), name: e.file, path: e.file });
  if (!out.ok) throw new Error(`${e.file}: ${out.code} ${out.message}`);
  return out.record;
}
const want = (e: Entry) => JSON.parse(readFileSync(e.expected!, "utf8"));
const key = (c: { rule: string; where: string }) => `${c.rule} ${c.where}`;

describe("generated report fixtures", () => {
  it("cover both templates in every format", () => {
    for (const f of ["text", "html", "docx", "pdf"]) expect(new Set(exact.filter((e) => e.format === f).map((e) => e.template))).toEqual(new Set(["2021", "2019"]));
    expect(exact.filter((e) => e.format === "pdf").length).toBeGreaterThanOrEqual(30);
    expect(exact.length).toBeGreaterThan(150);
    expect(tolerant.length).toBeGreaterThanOrEqual(16);
  });

  for (const e of exact) {
    it(`${e.file} (${e.layout}) reads exactly`, async () => {
      const w = want(e);
      const r = await read(e);
      expect({ template: r.template, organ: r.organ, year: r.year, publishedOn: r.publishedOn, region: r.region }).toEqual({
        template: w.template, organ: w.organ, year: w.year, publishedOn: w.publishedOn, region: w.region,
      });
      expect(r.active).toEqual(w.active);
      expect(r.requests).toEqual(w.requests);
      expect(r.reviews).toEqual(w.reviews);
      expect(r.checks.map(key).sort()).toEqual(w.expectedChecks.map(key).sort());
      for (const path of w.expectedNullCells as string[]) {
        const row = path.replace(/\.\d+$/, "");
        expect(r.warnings.some((x) => x.startsWith(row))).toBe(true);
      }
      expect(r.sections.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6]);
    });
  }

  for (const e of tolerant) {
    it(`${e.file} (${e.format} ${e.layout}) reads no wrong number`, async () => {
      const w = want(e);
      const r = await read(e);
      expect({ organ: r.organ, year: r.year, template: r.template }).toEqual({ organ: w.organ, year: w.year, template: w.template });
      const wanted = new Map(cellsOf(w).map(([t, row, c, v]) => [`${t}.${row}.${c}`, v]));
      let readCells = 0;
      for (const [t, row, c, v] of cellsOf(r)) {
        if (v === null) {
          // Null where the document shows a value: a warning must name its row (or its whole table).
          if (wanted.get(`${t}.${row}.${c}`) !== null)
            expect([`${t}.${row}.${c}`, r.warnings.some((x) => x.startsWith(`${t}.${row}`) || x.startsWith(`${t}:`))]).toEqual([`${t}.${row}.${c}`, true]);
          continue;
        }
        readCells++;
        expect([`${t}.${row}.${c}`, v]).toEqual([`${t}.${row}.${c}`, wanted.get(`${t}.${row}.${c}`)]);
      }
      expect(readCells).toBeGreaterThanOrEqual(30); // an all-null reader must not pass
    });
  }

  it("fails a page that only links the report, naming the attachments", async () => {
    for (const e of all.filter((x) => x.expected === null)) {
      const out = await parseReport({ bytes: readFileSync(e.file), name: e.file });
      expect(out).toMatchObject({ ok: false, code: "attachments-only" });
      if (!out.ok) expect(out.attachments?.length).toBeGreaterThan(0);
    }
  });

  it("gives the same record for a report's exact renderings (apart from source)", async () => {
    for (const id of new Set(exact.map((e) => `${e.expected}`))) {
      const records = await Promise.all(exact.filter((e) => e.expected === id).map(read));
      const core = (r: ReportRecord) => ({ ...r, source: null, warnings: null, sections: null });
      for (const r of records.slice(1)) expect(core(r)).toEqual(core(records[0]));
    }
  });
});
