// Makes test/fixtures/docx-cases/pictures.docx: a Word report whose tables were pasted as
// pictures, as LibreOffice writes one; and test/fixtures/pdf-cases/pictures.pdf, that
// DOCX printed to PDF by LibreOffice (its pictures at JPEG quality 40); and
// test/fixtures/docx-cases/pictures-in-cell.docx, the last page's picture inside a table of
// one cell (Word users lay pages out with tables). Its text (title, headings, closing) is typed; its
// tables are the pages of the scanned 2021 fixture (test/fixtures/scans, whose truth is
// test/fixtures/reports/r2021.expected.json), rendered by pdftoppm as greyscale JPEGs and
// embedded (data: URIs, so LibreOffice stores them in word/media, not as links).
//
// Run: npx tsx scripts/make-picture-docx.ts   (needs pdftoppm and soffice)
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SCAN = "test/fixtures/scans/r2021.chromium.scan200.pdf";
const OUT = "test/fixtures/docx-cases/pictures.docx";
const PDF = "test/fixtures/pdf-cases/pictures.pdf";
const IN_CELL = "test/fixtures/docx-cases/pictures-in-cell.docx";

const work = mkdtempSync(join(tmpdir(), "xxgk-picture-docx-"));
const profile = mkdtempSync(join(tmpdir(), "xxgk-lo-"));
/** LibreOffice converts work/`file` to `to` (a filter name and its options) in work/. */
const convert = (to: string, file: string) =>
  execFileSync(process.env.XXGK_SOFFICE ?? "soffice", [`-env:UserInstallation=file://${profile}`, "--headless", "--convert-to", to, "--outdir", work, join(work, file)], {
    stdio: "pipe",
    timeout: 120_000,
  });
try {
  execFileSync("pdftoppm", ["-r", "150", "-gray", "-jpeg", "-jpegopt", "quality=50", SCAN, join(work, "page")]);
  const pages = readdirSync(work).filter((f) => /^page-\d+\.jpg$/.test(f)).sort();
  const img = (f: string) => `<p><img src="data:image/jpeg;base64,${readFileSync(join(work, f)).toString("base64")}" width="620"></p>`;
  const html = [
    `<html><head><meta charset="utf-8"><title>硚口区商务局2024年政府信息公开工作年度报告</title></head><body>`,
    `<p>硚口区商务局2024年政府信息公开工作年度报告</p>`,
    `<p>本报告根据《中华人民共和国政府信息公开条例》编制。各项数据见下列表格（截图）。</p>`,
    ...pages.map(img),
    `<p>五、存在的主要问题及改进情况</p><p>无。</p>`,
    `</body></html>`,
  ].join("\n");
  writeFileSync(join(work, "pictures.html"), html);
  convert("docx:MS Word 2007 XML", "pictures.html");
  copyFileSync(join(work, "pictures.docx"), OUT);
  console.log(`${OUT}: ${readFileSync(OUT).length} bytes, ${pages.length} pictures`);
  const quality = 'pdf:writer_pdf_Export:{"Quality":{"type":"long","value":"40"}}';
  convert(quality, "pictures.docx");
  copyFileSync(join(work, "pictures.pdf"), PDF);
  console.log(`${PDF}: ${readFileSync(PDF).length} bytes`);
  const inCell = [
    `<html><head><meta charset="utf-8"><title>硚口区商务局2024年政府信息公开工作年度报告</title></head><body>`,
    `<p>硚口区商务局2024年政府信息公开工作年度报告</p>`,
    `<p>四、因政府信息公开工作被申请行政复议、提起行政诉讼情况</p>`,
    `<table border="0"><tr><td>${img(pages[pages.length - 1])}</td></tr></table>`,
    `</body></html>`,
  ].join("\n");
  writeFileSync(join(work, "pictures-in-cell.html"), inCell);
  convert("docx:MS Word 2007 XML", "pictures-in-cell.html");
  copyFileSync(join(work, "pictures-in-cell.docx"), IN_CELL);
  console.log(`${IN_CELL}: ${readFileSync(IN_CELL).length} bytes`);
} finally {
  rmSync(work, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
}
