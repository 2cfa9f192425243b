// PDFs whose text is drawn as outlines ("converted to curves"): no characters at all, each
// glyph a filled shape, as some offices publish a report so it cannot be copied. Made here
// by Ghostscript's pdfwrite with -dNoOutputFonts from the fixture's LibreOffice PDF, whole
// and for pages 2–3 only. Before, the file failed as `no-text` and the mixed one lost
// every value on its outlined pages without saying why. Such pages are read by OCR, as
// scanned pages are (extractors/pdf/build.ts outlinedText).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outlinedText } from "../extractors/pdf/build.js";
import { readPdf } from "../extractors/pdf/read.js";
import type { ReportRecord } from "../model/record.js";
import { parseReport } from "../src/pipeline.js";
import { printedRead, problems } from "./helpers/truth.js";
import { withoutTool } from "./helpers/without-tool.js";

const source = "test/fixtures/reports/r2021.lo.pdf";
const truth = JSON.parse(readFileSync("test/fixtures/reports/r2021.expected.json", "utf8")) as ReportRecord;
let dir: string;
let outlined: Uint8Array;
let mixed: Uint8Array;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "xxgk-outlined-"));
  const all = join(dir, "outlined.pdf");
  execFileSync("gs", ["-q", "-o", all, "-sDEVICE=pdfwrite", "-dNoOutputFonts", source]);
  outlined = new Uint8Array(readFileSync(all));
  execFileSync("qpdf", ["--empty", "--pages", source, "1", all, "2-3", "--", join(dir, "mixed.pdf")]);
  mixed = new Uint8Array(readFileSync(join(dir, "mixed.pdf")));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a PDF whose text is drawn as outlines", () => {
  it("has no characters, and its pages are found to be drawn text; the fixture's own pages are not", async () => {
    const read = await readPdf(new Uint8Array(outlined), 10);
    expect(read.pages.map((p) => p.runs.length)).toEqual([0, 0, 0]);
    expect(read.pages.map(outlinedText)).toEqual([true, true, true]);
    const own = await readPdf(new Uint8Array(readFileSync(source)), 10);
    expect(own.pages.map(outlinedText)).toEqual([false, false, false]);
  });

  it("is read by OCR: no value wrong, nearly all read, said so", async () => {
    const o = await parseReport({ bytes: outlined, name: "outlined.pdf", limits: { timeoutMs: 240_000 } });
    if (!o.ok) throw new Error(`${o.code}: ${o.message}`);
    const r = o.record;
    // OCR reads 硚 as 帮 or 研 in the organ's name (flagged): the values are what count here.
    expect(problems(r, truth).filter((p) => !/^organ\b/.test(p))).toEqual([]);
    const { printed, read } = printedRead(r, truth);
    expect(read).toBeGreaterThanOrEqual(printed * 0.95); // 200 of 200 here; the file failed before
    expect(r.diagnostics.find((d) => d.code === "pdf.outlinedText")).toMatchObject({
      severity: "warning",
      place: { page: 1 },
      message: "the text of pages 1, 2, 3 is drawn as outlines (converted to curves), not as characters: read by OCR, as scanned pages are",
    });
  }, 240_000);

  it("pages 2–3 outlined after a text page: those pages read by OCR and laid out with page 1", async () => {
    const o = await parseReport({ bytes: mixed, name: "mixed.pdf", limits: { timeoutMs: 240_000 } });
    if (!o.ok) throw new Error(`${o.code}: ${o.message}`);
    expect(problems(o.record, truth)).toEqual([]);
    const { printed, read } = printedRead(o.record, truth);
    expect(read).toBeGreaterThanOrEqual(printed * 0.95);
    expect(o.record.diagnostics.find((d) => d.code === "pdf.outlinedText")?.message).toBe(
      "the text of pages 2, 3 is drawn as outlines (converted to curves), not as characters: read by OCR, as scanned pages are",
    );
  }, 240_000);

  it("without Tesseract: the whole file fails as scanned, saying why and what to install; the mixed one keeps page 1 and says each outlined page is not read", async () => {
    const o = await withoutTool("XXGK_TESSERACT", dir, () => parseReport({ bytes: outlined, name: "outlined.pdf" }));
    expect(o.ok ? "read" : o.code).toBe("scanned");
    if (!o.ok)
      expect(o.message).toMatch(/^the text of pages 1, 2, 3 is drawn as outlines \(converted to curves\), not as characters; OCR, which would read it, cannot run here: .*no-such-tool.*tesseract-ocr/);
    const m = await withoutTool("XXGK_TESSERACT", dir, () => parseReport({ bytes: mixed, name: "mixed.pdf" }));
    if (!m.ok) throw new Error(`${m.code}: ${m.message}`);
    // Nothing wrong, no silent null; what pages 2–3 print (their values, the date) is missing, each said so.
    expect(problems(m.record, truth).filter((p) => !/^organ\/year\/date/.test(p))).toEqual([]);
    expect([m.record.organ, m.record.year, m.record.publishedOn]).toEqual([truth.organ, truth.year, null]);
    expect(m.record.diagnostics.filter((d) => d.code === "pdf.outlinedText").map((d) => [d.place?.page, d.message])).toEqual([
      [2, "the text of page 2 is drawn as outlines (converted to curves), not as characters; its content is not read"],
      [3, "the text of page 3 is drawn as outlines (converted to curves), not as characters; its content is not read"],
    ]);
  }, 60_000);
});
