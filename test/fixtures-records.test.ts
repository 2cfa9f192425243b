// Every generated report fixture (scripts/make-report-fixtures.ts), in every format and
// layout, reads back to exactly the record it was made from: every cell, organ, year,
// template, date, region; the failed checks named; every null cell warned about.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseReport } from "../src/pipeline.js";
import type { ReportRecord } from "../src/record.js";
import { cellsOf } from "../src/store.js";

const DIR = "test/fixtures/reports";
interface Entry { id: string; file: string; format: string; layout: string; template: string; expected: string }
const manifest: Entry[] = JSON.parse(readFileSync(join(DIR, "manifest.json"), "utf8"));
const FORMATS = ["text", "html", "docx"];

async function read(e: Entry): Promise<ReportRecord> {
  const path = join(DIR, e.file);
  const out = await parseReport({ bytes: readFileSync(path), name: path, path });
  if (!out.ok) throw new Error(`${e.file}: ${out.code} ${out.message}`);
  return out.record;
}

describe("generated report fixtures", () => {
  it("cover both templates and the mixed form in every format", () => {
    for (const f of FORMATS) expect(new Set(manifest.filter((e) => e.format === f).map((e) => e.template))).toEqual(new Set(["2021", "2019"]));
    expect(manifest.length).toBeGreaterThan(50);
  });

  const exact = manifest.filter((x) => FORMATS.includes(x.format) && x.layout !== "pdf-text");
  for (const e of exact) {
    it(`${e.file} (${e.format}, ${e.layout}) reads exactly`, async () => {
      const want = JSON.parse(readFileSync(join(DIR, e.expected), "utf8"));
      const r = await read(e);
      expect(r.source.format).toBe(e.format);
      expect({ template: r.template, organ: r.organ, year: r.year, publishedOn: r.publishedOn, region: r.region }).toEqual({
        template: want.template, organ: want.organ, year: want.year, publishedOn: want.publishedOn, region: want.region,
      });
      expect(r.active).toEqual(want.active);
      expect(r.requests).toEqual(want.requests);
      expect(r.reviews).toEqual(want.reviews);
      expect(r.checks.map((c) => `${c.rule} ${c.where}`).sort()).toEqual(want.expectedChecks.map((c: { rule: string; where: string }) => `${c.rule} ${c.where}`).sort());
      for (const path of want.expectedNullCells) expect(r.warnings.some((w) => w.startsWith(path))).toBe(true);
      expect(r.sections.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6]);
    });
  }

  // pdftotext reorders cells around blanks and across rows: what cannot be placed is
  // null with a warning; a number that is read is never the wrong one.
  for (const e of manifest.filter((x) => x.layout === "pdf-text")) {
    it(`${e.file} (pdf-text) reads no wrong number`, async () => {
      const want = JSON.parse(readFileSync(join(DIR, e.expected), "utf8"));
      const r = await read(e);
      expect({ organ: r.organ, year: r.year, publishedOn: r.publishedOn, template: r.template }).toEqual({
        organ: want.organ, year: want.year, publishedOn: want.publishedOn, template: want.template,
      });
      const wanted = new Map(cellsOf(want).map(([t, row, c, v]) => [`${t}.${row}.${c}`, v]));
      let read_ = 0;
      for (const [t, row, c, v] of cellsOf(r)) {
        const k = `${t}.${row}.${c}`;
        if (v === null) {
          expect(r.warnings.some((w) => w.startsWith(`${t}.${row}`) || w.startsWith(t))).toBe(true);
          continue;
        }
        read_++;
        expect([k, v]).toEqual([k, wanted.get(k)]);
      }
      expect(read_).toBeGreaterThan(40);
    });
  }

  it("gives the same record for a report's DOCX, HTML and text renderings (apart from source)", async () => {
    for (const id of new Set(manifest.map((e) => e.id))) {
      const records = await Promise.all(exact.filter((e) => e.id === id).map(read));
      const strip = (r: ReportRecord) => ({ ...r, source: null, warnings: r.warnings.filter((w) => !/^(html|docx|text):/.test(w)) });
      for (const r of records.slice(1)) expect({ ...strip(r), warnings: null, sections: null }).toEqual({ ...strip(records[0]), warnings: null, sections: null });
    }
  });
});
