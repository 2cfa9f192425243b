// PDF pages whose text does not stand upright in PDF user space (extractors/pdf/page-frame.ts).
// A wide table's page reaches a portal in three forms, each made here by qpdf from the
// fixtures' own PDFs (LibreOffice's, chromium's, unruled):
// - kept portrait in its MediaBox, drawn turned, and shown upright by /Rotate 90 (a PDF
//   printer's landscape page);
// - drawn turned with no /Rotate (printed sideways onto a portrait page);
// - drawn upright, shown turned by /Rotate.
// Before page-frame.ts the first two read no value, and the unruled one gave a wrong one
// (active.normativeDocuments.issued = 2024, a date's digits). A cell's box is given on the
// page as shown, where a viewer and the review page draw it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReportRecord } from "../model/record.js";
import { parseReport } from "../src/pipeline.js";
import { printedRead, problems } from "./helpers/truth.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "xxgk-turned-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const qpdf = (...args: string[]) => execFileSync("qpdf", args);

/** The file with `pages` (qpdf's page range) turned in the way named. */
function turned(file: string, how: "shown upright by /Rotate" | "drawn sideways" | "shown sideways by /Rotate", pages = "1-z"): Uint8Array {
  const a = join(dir, "a.pdf"), b = join(dir, "b.pdf"), c = join(dir, "c.pdf");
  if (how === "shown sideways by /Rotate") qpdf("--rotate=+90:" + pages, file, c);
  else if (how === "drawn sideways") {
    qpdf("--rotate=+90:" + pages, file, a);
    qpdf("--flatten-rotation", a, c);
  } else {
    // Drawn turned to the left in a landscape MediaBox, then /Rotate 90 turns it upright.
    qpdf("--rotate=-90:" + pages, file, a);
    qpdf("--flatten-rotation", a, b);
    qpdf("--rotate=+90:" + pages, b, c);
  }
  return new Uint8Array(readFileSync(c));
}

async function read(bytes: Uint8Array, name: string): Promise<ReportRecord> {
  const o = await parseReport({ bytes, name });
  if (!o.ok) throw new Error(`${name}: ${o.code}: ${o.message}`);
  return o.record;
}

/** Each value's box, by key. */
const boxes = (r: ReportRecord) =>
  new Map(Object.entries(r.provenance).flatMap(([k, p]) => (p.place?.box ? [[k, { page: p.place.page, box: p.place.box }] as const] : [])));

/** The page's height in points (poppler's pdfinfo). */
function pageHeight(file: string): number {
  const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(execFileSync("pdfinfo", [file]).toString());
  if (!m) throw new Error(`no page size for ${file}`);
  return Number(m[2]);
}

const FIXTURES = [
  ["r2021.lo.pdf", "r2021"],
  ["r2019.chromium.pdf", "r2019"],
  ["r2021.noborder.pdf", "r2021"],
] as const;

describe("a PDF whose pages are turned", () => {
  for (const [fixture, truthName] of FIXTURES) {
    const file = `test/fixtures/reports/${fixture}`;
    const truth = JSON.parse(readFileSync(`test/fixtures/reports/${truthName}.expected.json`, "utf8")) as ReportRecord;

    it(`${fixture}, each page drawn turned and shown upright by /Rotate: the same values and boxes as the file itself`, async () => {
      const own = await read(new Uint8Array(readFileSync(file)), fixture);
      const r = await read(turned(file, "shown upright by /Rotate"), fixture);
      expect(problems(r, truth)).toEqual([]);
      const { printed, read: got } = printedRead(r, truth);
      expect(got).toBe(printed);
      // Shown as the file itself is: every box where the file's own reading puts it.
      const want = boxes(own);
      const have = boxes(r);
      expect(have.size).toBe(want.size);
      for (const [k, w] of want) {
        const h = have.get(k)!;
        expect(h.page, k).toBe(w.page);
        h.box.forEach((v, i) => expect(Math.abs(v - w.box[i]), `${k} box[${i}]`).toBeLessThan(0.05));
      }
      // Upright as shown: nothing to say.
      expect(r.diagnostics.filter((d) => d.code === "pdf.turnedText")).toEqual([]);
    }, 60_000);

    for (const how of ["drawn sideways", "shown sideways by /Rotate"] as const)
      it(`${fixture}, each page ${how}: every value read, said so, each box where the page as shown has it`, async () => {
        const own = await read(new Uint8Array(readFileSync(file)), fixture);
        const r = await read(turned(file, how), fixture);
        expect(problems(r, truth)).toEqual([]);
        const { printed, read: got } = printedRead(r, truth);
        expect(got).toBe(printed);
        const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file]).toString())![1]);
        expect(r.diagnostics.filter((d) => d.code === "pdf.turnedText")).toEqual([
          {
            code: "pdf.turnedText",
            severity: "info",
            place: { page: 1 },
            message: `pages ${Array.from({ length: pages }, (_, i) => i + 1).join(", ")}: the text is drawn turned a quarter to the right (its lines run top to bottom) on the page as shown (a wide table printed sideways); read with the page turned upright, boxes given on the page as shown`,
          },
        ]);
        // Turned a quarter to the right as shown: the file's top edge is now its right edge.
        const H = pageHeight(file);
        const have = boxes(r);
        for (const [k, w] of boxes(own)) {
          const [x0, y0, x1, y1] = w.box;
          const want = [H - y1, x0, H - y0, x1];
          const h = have.get(k)!;
          expect(h.page, k).toBe(w.page);
          h.box.forEach((v, i) => expect(Math.abs(v - want[i]), `${k} box[${i}]`).toBeLessThan(0.05));
        }
      }, 60_000);
  }

  it("a report with one page drawn sideways among upright ones (its tables running onto and off it) reads whole", async () => {
    for (const [fixture, truthName] of FIXTURES) {
      const truth = JSON.parse(readFileSync(`test/fixtures/reports/${truthName}.expected.json`, "utf8")) as ReportRecord;
      for (const how of ["drawn sideways", "shown upright by /Rotate"] as const) {
        const r = await read(turned(`test/fixtures/reports/${fixture}`, how, "2"), fixture);
        expect(problems(r, truth), `${fixture} ${how}`).toEqual([]);
        const { printed, read: got } = printedRead(r, truth);
        expect(got, `${fixture} ${how}`).toBe(printed);
      }
    }
  }, 120_000);
});
