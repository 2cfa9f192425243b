// PDFs whose text layer does not decode: fonts embedded without a map to Unicode (no
// ToUnicode), as some converters write them. Their text comes out as glyph ids: control
// characters, or codes in rare blocks, and digits that are whatever glyph had that code.
// Such pages are read by OCR, as scanned ones are (extractors/pdf/build.ts garbledText).
// The files are the fixtures' own PDFs (LibreOffice's and chromium's) with their ToUnicode
// maps taken out by qpdf, as a converter that writes none leaves them, and chromium's
// re-written by Ghostscript and through PostScript, which leave maps that are wrong.
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
        "the text of pages 1, 2, 3 does not decode to readable characters (fonts embedded without a map to Unicode, or with a wrong one): read by OCR, as scanned pages are",
      );
    }, 240_000);

  it("without Tesseract: fails as scanned, saying the text does not decode and what to install", async () => {
    const bytes = new Uint8Array(withoutToUnicode("test/fixtures/reports/r2021.lo.pdf"));
    const o = await withoutTool("XXGK_TESSERACT", dir, () => parseReport({ bytes, name: "x.pdf" }));
    expect(o.ok ? "read" : o.code).toBe("scanned");
    if (!o.ok) expect(o.message).toMatch(/^the text of pages 1, 2, 3 does not decode to readable characters \(fonts embedded without a map to Unicode, or with a wrong one\); OCR, which would read it, cannot run here: .*no-such-tool/);
  }, 60_000);

  it("a page is garbled where a fifth of its characters (20 or more) are of no text: controls, private use, rare blocks", () => {
    const page = (...strs: string[]) => ({ runs: strs.map((str) => ({ str })) }) as unknown as PageData;
    expect(garbledText(page("\u0001\u0002\u0003\u0004\u0005\u0006\u0001\u0002\u0001\u0003 \u0007\b\u000e\u000f\u0007\u0010\u0011\u0012\u0013\u0014"))).toBe(true);
    expect(garbledText(page("䴦⢯⠆⨒❭ㄌ\u0015\u0013\u0015\u0017㍀㨋㍨⒭㔻☸㏌㊱␨㍀㍲㝱⤖"))).toBe(true);
    // Real text: a report's lines, numbers, a few bullets from a symbol font (private use).
    expect(garbledText(page("一、本年新收政府信息公开申请数量", "3945", "3996", "4044", "\uf06c 规章", "规范性文件"))).toBe(false);
    expect(garbledText(page("\u0001\u0002\u0003"))).toBe(false); // too little to tell
  });

  it("a page is garbled where letters with marks stand among Chinese characters (a wrong map), three or more; pinyin, names and × are text", () => {
    const page = (...strs: string[]) => ({ runs: strs.map((str) => ({ str })) }) as unknown as PageData;
    // As Ghostscript re-wrote r2021.chromium.pdf: 商务局 → 商ó局, 报告 → ç告, （一） → ÿ一Ā.
    expect(garbledText(page("硚口区商ó局2024年政府信息|开工作年度ç告", "第Ð十条第ÿ一Ā项"))).toBe(true);
    expect(garbledText(page("硚口区商ó局2024年政府信息公开工作年度报告", "第二十条第（一Ā项"))).toBe(false); // two: below the least
    expect(garbledText(page("北京市（Běijīng Shì）人民政府", "与Société Générale合作", "面积3×4米，温度25°C，阿卜杜·热合曼同志"))).toBe(false);
  });

  // PDF printers built on Ghostscript, PDF/A converters and a PostScript round trip re-write a
  // file's fonts; chromium's come out with maps to Unicode that are wrong for some glyphs
  // (Ghostscript: 公 → |, 务 → ó, 有 → p, while digits decoded) or for all (ps2pdf: dingbats).
  // Before, the first read 144 of 200 values (rows whose labels did not decode lost) and
  // the second failed as not-a-report.
  for (const [how, make] of [
    ["re-written by Ghostscript (pdfwrite)", (src: string, out: string) => execFileSync("gs", ["-q", "-o", out, "-sDEVICE=pdfwrite", src])],
    [
      "printed to PostScript and back (pdf2ps, ps2pdf)",
      (src: string, out: string) => {
        execFileSync("pdf2ps", [src, join(dir, "round.ps")]);
        execFileSync("ps2pdf", [join(dir, "round.ps"), out]);
      },
    ],
  ] as const)
    it(`r2021.chromium.pdf ${how}: its text taken as wrong, its pages read by OCR, no value wrong`, async () => {
      const out = join(dir, "rewritten.pdf");
      make("test/fixtures/reports/r2021.chromium.pdf", out);
      const o = await parseReport({ bytes: new Uint8Array(readFileSync(out)), name: "r2021.chromium.pdf", limits: { timeoutMs: 240_000 } });
      if (!o.ok) throw new Error(`${o.code}: ${o.message}`);
      expect(problems(o.record, truth).filter((p) => !/^organ\/year\/date/.test(p))).toEqual([]);
      const { printed, read } = printedRead(o.record, truth);
      expect(read).toBeGreaterThanOrEqual(printed * 0.9); // 199 and 193 of 200 here
      expect(o.record.diagnostics.find((d) => d.code === "pdf.garbledText")?.message).toMatch(/^the text of pages 1, 2, 3 does not decode to readable characters/);
    }, 240_000);
});
