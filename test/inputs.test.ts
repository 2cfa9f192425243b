// Hard real inputs (issue 12): each fixture in test/fixtures/inputs/ (written by
// scripts/make-input-fixtures.ts from the fixture reports' model) reads exactly, and the
// cells the model says the arithmetic leaves open come out null with their candidates.
// Any number that differs from the model is a failure.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cellMap } from "../model/cells.js";
import { parseReport } from "../src/pipeline.js";

const ROOT = "test/fixtures/inputs";
interface Entry {
  id: string;
  file: string;
  form: string;
  expected: string;
  openCells: { key: string; candidates: string[] }[];
  impossibleRows?: string[];
}
const manifest: Entry[] = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8"));

describe("hard-input fixtures", () => {
  for (const e of manifest)
    it(`${e.file} (${e.form}) reads exactly, open cells null with their candidates`, async () => {
      const exp = JSON.parse(readFileSync(join(ROOT, e.expected), "utf8"));
      const out = await parseReport({ bytes: readFileSync(join(ROOT, e.file)), name: e.file });
      if (!out.ok) throw new Error(`${out.code}: ${out.message}`);
      const r = out.record;
      expect({ organ: r.organ, year: r.year, publishedOn: r.publishedOn, template: r.template }).toEqual({
        organ: exp.organ,
        year: exp.year,
        publishedOn: exp.publishedOn,
        template: exp.template,
      });
      expect(r.sections.map((s) => s.number)).toEqual(exp.sections.map((s: { number: number }) => s.number));
      expect(r.active).toEqual(exp.active);
      expect(r.requests).toEqual(exp.requests);
      expect(r.reviews).toEqual(exp.reviews);
      for (const open of e.openCells) {
        const note = r.diagnostics.find((d) => d.code === "cell.splitAmbiguous" && d.key === open.key);
        expect(note, open.key).toBeDefined();
        for (const c of open.candidates) expect(note!.message).toContain(c);
      }
      for (const key of e.impossibleRows ?? [])
        expect(r.diagnostics.some((d) => d.code === "cell.splitImpossible" && d.key === key && d.message.startsWith(`${key}: no cut`)), key).toBe(true);
      // Every cell the splitter cut says so; every cell it left open is null as unread, keyed by its own diagnostic.
      for (const [key, p] of Object.entries(r.provenance)) {
        if (p.status === "split") expect(typeof cellValue(r, key), key).toBe("number");
        if (p.status === "unreadable" && key.includes("."))
          expect(r.diagnostics.some((d) => d.key === key), key).toBe(true);
      }
      if (e.form === "run-together") expect(Object.values(r.provenance).some((p) => p.status === "split")).toBe(true);
    });
});

function cellValue(r: Parameters<typeof cellMap>[0], key: string): number | null | undefined {
  return cellMap(r).get(key);
}
