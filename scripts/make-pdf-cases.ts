// Makes the PDF extractor's development cases under test/fixtures/pdf-cases/:
//
// 1. Real PDFs made by real tools from HTML whose tables follow the national 2021
//    template (rowspan/colspan as printed, distinct non-zero numbers in every cell, some
//    blank cells). The expected grid (*.grid.json, [text, rowSpan, colSpan] per origin
//    cell, rows as printed) is the data the HTML was written from, so the tests compare
//    the extractor with the source, never with itself.
//      lattice.pdf       LibreOffice, ruled tables
//      borderless.pdf    LibreOffice, the same tables without borders
//      pagebreak.pdf     LibreOffice, table 3 broken across two pages
//      chromium.pdf      Chromium print-to-PDF (CSS borders, header row repeated on the
//                        next page by <thead>, a running header and page numbers)
//      scanned.pdf       a page rendered to PNG by pdftoppm and printed as an image
//      truncated.pdf     the first 40 % of lattice.pdf
//      encrypted.pdf     LibreOffice with an open password
//      ocr.pdf           page 1 of lattice.pdf as a picture with tesseract's invisible OCR
//                        text layer over it (tesseract -l chi_sim+eng … pdf)
// 2. Hand-written PDFs for what tools here will not make:
//      nonembedded.pdf   text in STSong-Light, a CJK font that is not embedded (pdfjs
//                        needs the Adobe-GB1 CMaps to read it), a table drawn with
//                        thin filled rectangles, digits 1 pt off the labels' baseline
//
// Run: npx tsx scripts/make-pdf-cases.ts   (needs soffice, chromium, pdftoppm, tesseract
// with chi_sim); `--only ocr` makes ocr.pdf alone, the other cases staying byte for byte.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { APPLICANT_HEADS, c, requestsGrid, reviewsGrid, type C } from "./template-grid.js";

const OUT = resolve("test/fixtures/pdf-cases");
mkdirSync(OUT, { recursive: true });


/** The three tables of the 2021 template with distinct values; `blank` cells are printed empty. */
export function template2021(): C[][][] {
  let n = 10;
  const next = () => String((n += 3 + (n % 7)));
  const active: C[][] = [
    [c("第二十条第（一）项", 1, 4)],
    [c("信息内容"), c("本年制发件数"), c("本年废止件数"), c("现行有效件数")],
    [c("规章"), c(next()), c(""), c(next())],
    [c("行政规范性文件"), c(next()), c(next()), c(next())],
    [c("第二十条第（五）项", 1, 4)],
    [c("信息内容"), c("本年处理决定数量", 1, 3)],
    [c("行政许可"), c(next(), 1, 3)],
    [c("第二十条第（六）项", 1, 4)],
    [c("信息内容"), c("本年处理决定数量", 1, 3)],
    [c("行政处罚"), c(next(), 1, 3)],
    [c("行政强制"), c("", 1, 3)],
    [c("第二十条第（八）项", 1, 4)],
    [c("信息内容"), c("本年收费金额（单位：万元）", 1, 3)],
    [c("行政事业性收费"), c("3.5", 1, 3)],
  ];
  let row = 0;
  const vals = (): C[] => {
    row++;
    return APPLICANT_HEADS.map((_, i) => c(row % 5 === 2 && i === 3 ? "" : next()));
  };
  const req = requestsGrid(vals);
  const rev = reviewsGrid(Array.from({ length: 15 }, (_, i) => c(i === 7 ? "" : next())));
  return [active, req, rev];
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const TITLE = "某某区商务局2024年政府信息公开工作年度报告";
const HEADS = ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"];
const FILLER =
  "本年度，我局坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《中华人民共和国政府信息公开条例》，围绕中心工作，持续深化政务公开，主动回应社会关切，不断提升政务服务水平。";

interface HtmlOptions {
  border: boolean;
  /** Paragraphs of filler before the tables (pushes a table across a page break). */
  filler: number;
  /** Chromium: CSS borders, <thead> for the header rows, running header and page numbers. */
  css?: boolean;
}

function html(tables: C[][][], o: HtmlOptions): string {
  const style = o.css
    ? `<style>
@page { size: A4; margin: 25mm 20mm; @top-center { content: "某某区人民政府门户网站"; font-size: 9pt; } @bottom-center { content: counter(page); font-size: 10pt; } }
body { font-family: "WenQuanYi Zen Hei", sans-serif; font-size: 11pt; }
table { border-collapse: collapse; width: 100%; }
td { border: 0.75pt solid #000; padding: 2pt 3pt; text-align: center; }
</style>`
    : "";
  const parts = [
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${TITLE}</title>${style}</head><body>`,
    `<p>${TITLE}</p><p>一、总体情况</p>`,
    ...Array.from({ length: Math.max(1, o.filler) }, (_, i) => `<p>${i + 1}、${FILLER}</p>`),
  ];
  const tableAttrs = o.css ? "" : o.border ? ` border="1" width="100%" cellpadding="3"` : ` border="0" width="100%" cellpadding="3"`;
  tables.forEach((rows, i) => {
    parts.push(`<p>${HEADS[i]}</p><table${tableAttrs}>`);
    // Chromium repeats a <thead> on each page the table runs onto.
    const headRows = o.css && i === 1 ? 3 : 0;
    rows.forEach((row, r) => {
      if (headRows && r === 0) parts.push("<thead>");
      parts.push("<tr>");
      for (const [text, rs, cs] of row) {
        const attrs = (rs > 1 ? ` rowspan="${rs}"` : "") + (cs > 1 ? ` colspan="${cs}"` : "");
        parts.push(`<td${attrs}>${esc(text)}</td>`);
      }
      parts.push("</tr>");
      if (headRows && r === headRows - 1) parts.push("</thead><tbody>");
    });
    if (headRows) parts.push("</tbody>");
    parts.push("</table>");
  });
  parts.push("<p>五、存在的主要问题及改进情况</p><p>一是公开内容还不够全面，二是解读形式较为单一。下一步，我局将进一步加强培训，提高公开质量。</p>");
  parts.push("<p>六、其他需要报告的事项</p><p>本年度未收取信息处理费。</p></body></html>");
  return parts.join("\n");
}

function run(cmd: string, args: string[], cwd: string): void {
  execFileSync(cmd, args, { cwd, stdio: "pipe", timeout: 180_000 });
}

function soffice(args: string[], cwd: string): void {
  const profile = mkdtempSync(join(tmpdir(), "xxgk-lo-"));
  try {
    run(process.env.XXGK_SOFFICE ?? "soffice", [`-env:UserInstallation=file://${profile}`, "--headless", ...args], cwd);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

function chromium(htmlFile: string, pdf: string, cwd: string): void {
  const profile = mkdtempSync(join(tmpdir(), "xxgk-chromium-"));
  try {
    run(
      "chromium",
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${profile}`,
        "--no-pdf-header-footer",
        `--print-to-pdf=${pdf}`,
        `file://${htmlFile}`,
      ],
      cwd,
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  if (!existsSync(pdf)) throw new Error(`chromium made no ${pdf}`);
}

function must(file: string): string {
  if (!existsSync(file)) throw new Error(`no ${file}: the converter failed`);
  return file;
}

// ---------------------------------------------------------------- 2. hand-written PDF

/** A minimal PDF: objects in order, xref computed. `objs[i]` is object i+1. */
function writePdf(objs: (string | Buffer)[]): Buffer {
  const chunks: Buffer[] = [Buffer.from("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n", "latin1")];
  const offsets: number[] = [];
  let len = chunks[0].length;
  objs.forEach((o, i) => {
    offsets.push(len);
    const b = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), typeof o === "string" ? Buffer.from(o, "latin1") : o, Buffer.from("\nendobj\n")]);
    chunks.push(b);
    len += b.length;
  });
  const xref = [`xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`)].join("");
  chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${len}\n%%EOF\n`));
  return Buffer.concat(chunks);
}

const stream = (content: string) => `<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`;
/** UCS-2 big-endian hex of a string (UniGB-UCS2-H takes Unicode code units). */
const ucs2 = (s: string) => "<" + [...s].map((ch) => ch.charCodeAt(0).toString(16).padStart(4, "0")).join("") + ">";

/**
 * A page in STSong-Light (not embedded): a title, a paragraph, and a 3×3 table ruled by
 * thin filled rectangles; the digits sit 1 pt below their label's baseline.
 */
function nonEmbedded(): { pdf: Buffer; grid: C[][] } {
  const grid: C[][] = [
    [c("信息内容"), c("本年制发件数"), c("现行有效件数")],
    [c("规章"), c("17"), c("23")],
    [c("行政规范性文件"), c("41"), c("")],
  ];
  const ops: string[] = [];
  const text = (s: string, x: number, y: number, size = 11) => ops.push(`BT /F1 ${size} Tf ${x} ${y} Td ${ucs2(s)} Tj ET`);
  const digits = (s: string, x: number, y: number, size = 11) => ops.push(`BT /F2 ${size} Tf ${x} ${y} Td (${s}) Tj ET`);
  text("某某局政府信息公开工作年度报告", 150, 780, 16);
  text("本年度，我局认真贯彻落实政府信息公开条例。", 72, 740);
  const xs = [72, 232, 392, 522];
  const ys = [700, 676, 652, 628];
  ops.push("0 0 0 rg");
  for (const y of ys) ops.push(`${xs[0]} ${y - 0.25} ${xs[3] - xs[0]} 0.5 re f`);
  for (const x of xs) ops.push(`${x - 0.25} ${ys[3]} 0.5 ${ys[0] - ys[3]} re f`);
  grid.forEach((row, r) =>
    row.forEach(([s], k) => {
      const y = ys[r] - 17;
      if (/^\d+$/.test(s)) digits(s, xs[k] + 6, y - 1);
      else if (s) text(s, xs[k] + 6, y);
    }),
  );
  text("二、收到和处理政府信息公开申请情况", 72, 590);
  const content = ops.join("\n");
  const objs = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R /F2 8 0 R >> >> /Contents 4 0 R >>",
    stream(content),
    "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
    "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 >>",
    "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
  ];
  return { pdf: writePdf(objs), grid };
}

// ---------------------------------------------------------------- main

const work = mkdtempSync(join(tmpdir(), "xxgk-pdf-cases-"));

/** An OCR'd scan: the picture of lattice.pdf's page 1 with tesseract's invisible text over it. */
function ocr(): void {
  run("pdftoppm", ["-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", join(OUT, "lattice.pdf"), join(work, "page")], work);
  run("tesseract", [join(work, "page.png"), join(work, "ocr"), "-l", "chi_sim+eng", "pdf"], work);
  copyFileSync(must(join(work, "ocr.pdf")), join(OUT, "ocr.pdf"));
}

if (process.argv.includes("--only")) {
  if (process.argv[process.argv.indexOf("--only") + 1] !== "ocr") throw new Error("--only: only ocr can be made alone");
  ocr();
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
}

try {
  const tables = template2021();
  const grid = JSON.stringify(tables) + "\n";
  const cases: [string, HtmlOptions][] = [
    ["lattice", { border: true, filler: 1 }],
    ["borderless", { border: false, filler: 1 }],
    ["pagebreak", { border: true, filler: 7 }],
  ];
  for (const [name, o] of cases) writeFileSync(join(work, `${name}.html`), html(tables, o));
  // One soffice call for all: start-up dominates.
  soffice(["--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export", "--outdir", work, ...cases.map(([name]) => join(work, `${name}.html`))], work);
  for (const [name] of cases) {
    copyFileSync(must(join(work, `${name}.pdf`)), join(OUT, `${name}.pdf`));
    writeFileSync(join(OUT, `${name}.grid.json`), grid);
  }

  writeFileSync(join(work, "chromium.html"), html(tables, { border: true, filler: 6, css: true }));
  chromium(join(work, "chromium.html"), join(work, "chromium.pdf"), work);
  copyFileSync(join(work, "chromium.pdf"), join(OUT, "chromium.pdf"));
  writeFileSync(join(OUT, "chromium.grid.json"), grid);

  // A scan: page 1 of lattice.pdf as a picture, printed to PDF with no text layer.
  run("pdftoppm", ["-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", join(OUT, "lattice.pdf"), join(work, "scan")], work);
  writeFileSync(
    join(work, "scanned.html"),
    `<!DOCTYPE html><html><head><style>@page{size:A4;margin:0}body{margin:0}img{width:100%}</style></head><body><img src="scan.png"></body></html>`,
  );
  chromium(join(work, "scanned.html"), join(work, "scanned.pdf"), work);
  copyFileSync(join(work, "scanned.pdf"), join(OUT, "scanned.pdf"));

  const lattice = readFileSync(join(OUT, "lattice.pdf"));
  writeFileSync(join(OUT, "truncated.pdf"), lattice.subarray(0, Math.floor(lattice.length * 0.4)));

  // Encrypted: LibreOffice's PDF export with an open password (JSON filter options).
  mkdirSync(join(work, "enc"));
  const encOpts = JSON.stringify({ EncryptFile: { type: "boolean", value: "true" }, DocumentOpenPassword: { type: "string", value: "secret" } });
  try {
    soffice(["--infilter=HTML (StarWriter)", "--convert-to", `pdf:writer_pdf_Export:${encOpts}`, "--outdir", join(work, "enc"), join(work, "lattice.html")], work);
    const enc = join(work, "enc", "lattice.pdf");
    if (existsSync(enc) && readFileSync(enc).includes("/Encrypt")) copyFileSync(enc, join(OUT, "encrypted.pdf"));
    else console.warn("LibreOffice did not encrypt: encrypted.pdf not made");
  } catch (e) {
    console.warn("encrypted.pdf not made:", (e as Error).message);
  }

  ocr();

  const ne = nonEmbedded();
  writeFileSync(join(OUT, "nonembedded.pdf"), ne.pdf);
  writeFileSync(join(OUT, "nonembedded.grid.json"), JSON.stringify([ne.grid]) + "\n");
  console.log("pdf cases written to", OUT);
} finally {
  rmSync(work, { recursive: true, force: true });
}
