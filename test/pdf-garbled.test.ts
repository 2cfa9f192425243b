// PDFs whose text layer does not decode: fonts embedded without a map to Unicode (no
// ToUnicode), as some converters write them. Their text comes out as glyph ids: control
// characters, or codes in rare blocks, and digits that are whatever glyph had that code.
// Such pages are read by OCR, as scanned ones are (extractors/pdf/build.ts garbledText).
// The files are the fixtures' own PDFs (LibreOffice's and chromium's) with their ToUnicode
// maps taken out by qpdf, as a converter that writes none leaves them.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { garbledText } from "../extractors/pdf/build.js";
import type { PageData } from "../extractors/pdf/read.js";
import type { ReportRecord } from "../model/record.js";
import { parseReport } from "../src/pipeline.js";
import { printedRead, problems } from "./helpers/truth.js";
import { withoutTool } from "./helpers/without-tool.js";

const truth = JSON.parse(readFileSync("test/fixtures/reports/r2021.expected.json", "utf8")) as ReportRecord;
let dir: string;

/** The PDF with every /ToUnicode entry removed (qpdf's QDF form, edited, then fix-qdf). */
function withoutToUnicode(file: string): Buffer {
  const qdf = join(dir, "qdf.pdf");
  execFileSync("qpdf", ["--qdf", "--object-streams=disable", file, qdf]);
  const text = readFileSync(qdf).toString("latin1");
  const stripped = text.replace(/\/ToUnicode \d+ 0 R/g, "");
  expect(stripped.length).toBeLessThan(text.length); // the fixture has maps to take out
  writeFileSync(qdf, Buffer.from(stripped, "latin1"));
  return execFileSync("fix-qdf", [qdf], { maxBuffer: 64 * 1024 * 1024 });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "xxgk-garbled-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a PDF whose fonts have no map to Unicode", () => {
  for (const fixture of ["r2021.lo.pdf", "r2021.chromium.pdf"])
    it(`${fixture} without ToUnicode: its pages read by OCR, no value wrong, said so`, async () => {
      const bytes = new Uint8Array(withoutToUnicode(`test/fixtures/reports/${fixture}`));
      const o = await parseReport({ bytes, name: fixture, limits: { timeoutMs: 240_000 } });
      if (!o.ok) throw new Error(`${o.code}: ${o.message}`);
      const r = o.record;
      // OCR reads 硚 as 研 and may not be sure of the title's year: the values are what count here.
      expect(problems(r, truth).filter((p) => !/^(organ|year|region)\b/.test(p))).toEqual([]);
      const { printed, read } = printedRead(r, truth);
      expect(read).toBeGreaterThanOrEqual(printed * 0.9); // 199 and 192 of 200 here; 0 before (no-tables)
      expect(r.diagnostics.find((d) => d.code === "pdf.garbledText")?.message).toBe(
        "the text of pages 1, 2, 3 does not decode to readable characters (fonts embedded without a map to Unicode): read by OCR, as scanned pages are",
      );
    }, 240_000);

  it("without Tesseract: fails as scanned, saying the text does not decode and what to install", async () => {
    const bytes = new Uint8Array(withoutToUnicode("test/fixtures/reports/r2021.lo.pdf"));
    const o = await withoutTool("XXGK_TESSERACT", dir, () => parseReport({ bytes, name: "x.pdf" }));
    expect(o.ok ? "read" : o.code).toBe("scanned");
    if (!o.ok) expect(o.message).toMatch(/^the text of pages 1, 2, 3 does not decode to readable characters \(fonts embedded without a map to Unicode\); OCR, which would read it, cannot run here: .*no-such-tool/);
  }, 60_000);

  it("a page is garbled where a fifth of its characters (20 or more) are of no text: controls, private use, rare blocks", () => {
    const page = (...strs: string[]) => ({ runs: strs.map((str) => ({ str })) }) as unknown as PageData;
    expect(garbledText(page("\u0001\u0002\u0003\u0004\u0005\u0006\u0001\u0002\u0001\u0003 \u0007\b\u000e\u000f\u0007\u0010\u0011\u0012\u0013\u0014"))).toBe(true);
    expect(garbledText(page("䴦⢯⠆⨒❭ㄌ\u0015\u0013\u0015\u0017㍀㨋㍨⒭㔻☸㏌㊱␨㍀㍲㝱⤖"))).toBe(true);
    // Real text: a report's lines, numbers, a few bullets from a symbol font (private use).
    expect(garbledText(page("一、本年新收政府信息公开申请数量", "3945", "3996", "4044", "\uf06c 规章", "规范性文件"))).toBe(false);
    expect(garbledText(page("\u0001\u0002\u0003"))).toBe(false); // too little to tell
  });
});
