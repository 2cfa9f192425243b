// npm run fixtures: writes test/fixtures/reports/ — every report of
// scripts/fixtures/model.ts in every format, made by real tools, with the record each
// must read back to. Needs LibreOffice (soffice), pandoc and Chromium from Debian;
// the outputs are committed so tests never need them.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import iconv from "iconv-lite";
import { REPORTS, expectedRecord } from "./report-fixtures/model.js";
import { cellsPerLine, documentHtml, markdown, portalHtml, tabRows } from "./report-fixtures/render.js";

const OUT = resolve("test/fixtures/reports");
// `--only chromium-noborder` (or chromium-spaced) adds that one layout to the committed
// set (the others stay byte for byte).
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : null;
const alone = ["chromium-noborder", "chromium-spaced", "chromium-rules", "chromium-styles", "repeated-header", "libreoffice-extremes"];
if (only && !alone.includes(only)) throw new Error(`--only ${only}: only ${alone.join(", ")} can be made alone`);
if (!only) {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
}
const work = mkdtempSync(join(tmpdir(), "xxgk-fixtures-"));
const profile = `file://${join(work, "lo-profile")}`;

interface Entry {
  id: string;
  file: string;
  format: "text" | "html" | "docx" | "pdf";
  layout: string;
  template: string;
  expected: string;
}
const manifest: Entry[] = [];
const add = (id: string, file: string, format: Entry["format"], layout: string) => {
  const r = REPORTS.find((x) => x.id === id)!;
  manifest.push({ id, file, format, layout, template: r.template, expected: `${id}.expected.json` });
};

function soffice(args: string[], cwd: string) {
  execFileSync("soffice", [`-env:UserInstallation=${profile}`, "--headless", ...args], { cwd, stdio: "ignore", timeout: 180_000 });
}

function chromiumPdf(html: string, pdf: string) {
  execFileSync(
    "chromium",
    ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", `--user-data-dir=${join(work, "chromium")}`, "--no-pdf-header-footer", `--print-to-pdf=${pdf}`, `file://${html}`],
    { stdio: "ignore", timeout: 120_000 },
  );
}

/** A report's HTML printed by Chromium as OUT/<name>.pdf, and listed. */
function printChromium(id: string, name: string, html: string, layout: string) {
  writeFileSync(join(work, `${name}.html`), html);
  chromiumPdf(join(work, `${name}.html`), join(OUT, `${name}.pdf`));
  add(id, `${name}.pdf`, "pdf", layout);
}

/** Reports' HTML printed by LibreOffice (one call: start-up dominates) as OUT/<name>.pdf, and listed. */
function printLibreOffice(docs: { id: string; name: string; html: string; layout: string }[]) {
  for (const d of docs) writeFileSync(join(work, `${d.name}.html`), d.html);
  soffice(["--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export", ...docs.map((d) => `${d.name}.html`)], work);
  for (const d of docs) {
    if (!existsSync(join(work, `${d.name}.pdf`))) throw new Error(`soffice made no ${d.name}.pdf`);
    copyFileSync(join(work, `${d.name}.pdf`), join(OUT, `${d.name}.pdf`));
    add(d.id, `${d.name}.pdf`, "pdf", d.layout);
  }
}

const withStyle = (html: string, css: string) => html.replace("<head>", `<head><style>${css}</style>`);

// A second engine's borderless tables: Chromium printing the document without borders
// (its own line breaks, font metrics and cell padding).
function chromiumBorderless() {
  for (const r of REPORTS) printChromium(r.id, `${r.id}.chromium-noborder`, documentHtml(r, false), "chromium-borderless");
}

// Letter-spaced text (CSS letter-spacing, as a justified or spaced-out Word cell prints):
// the PDF's text runs come as "规 章" and "4 1", with and without borders.
function chromiumSpaced() {
  const css = "td, th { letter-spacing: 0.25em; } p { letter-spacing: 0.1em; }";
  for (const r of REPORTS)
    for (const borders of [true, false])
      printChromium(r.id, `${r.id}.spaced${borders ? "" : "-noborder"}`, withStyle(documentHtml(r, borders), css), borders ? "chromium-spaced" : "chromium-spaced-borderless");
}

// Tables ruled in part: a frame with lines under the rows (no lines between columns),
// and a three-line table (三线表: top, under the header, bottom).
function chromiumRules() {
  const styles: Record<string, string> = {
    framerows: "table { border-collapse: collapse; border: 1px solid #000; } td, th { border-bottom: 1px solid #000; }",
    threeline: "table { border-collapse: collapse; border-top: 2px solid #000; border-bottom: 2px solid #000; } tr:first-child td { border-bottom: 1px solid #000; }",
  };
  for (const r of REPORTS)
    for (const [kind, css] of Object.entries(styles)) printChromium(r.id, `${r.id}.${kind}`, withStyle(documentHtml(r, false), css), `chromium-${kind}`);
}

// Borderless cells set other ways: small type with no padding, right- and
// bottom-aligned cells, tight line height (wrapped lines as close as rows).
function chromiumStyles() {
  const styles: Record<string, string> = {
    small: "td, th { font-size: 9pt; padding: 0; }",
    right: "td, th { font-size: 12pt; padding: 1px; vertical-align: bottom; text-align: right; }",
    tight: "body { font-size: 10.5pt; } td, th { padding: 2px 8px; text-align: center; vertical-align: middle; line-height: 1.0; }",
  };
  for (const r of REPORTS)
    for (const [kind, css] of Object.entries(styles)) printChromium(r.id, `${r.id}.${kind}`, withStyle(documentHtml(r, false), css), `chromium-borderless-${kind}`);
}

// Table 3's header as a <thead> and a long introduction before it: the table breaks
// over a page and its header is printed again on the next one (Chromium repeats a
// <thead>; LibreOffice makes it Writer's repeated heading rows). Borderless through
// Chromium, ruled through LibreOffice.
function repeatedHeader() {
  const thead = (html: string) => {
    let t = 0;
    let rows = 0;
    return html
      .replace(/<table[^>]*>|<\/tr>/g, (m) => {
        if (m.startsWith("<table")) {
          t++;
          rows = 0;
          return t === 2 ? `${m}<thead>` : m;
        }
        return t === 2 && ++rows === 3 ? "</tr></thead><tbody>" : m;
      })
      .replace("<body>", "<body>" + "<p>一、总体情况 本年度工作情况说明，本年度工作情况说明，本年度工作情况说明，本年度工作情况说明。</p>".repeat(14));
  };
  for (const r of REPORTS) printChromium(r.id, `${r.id}.thead-noborder`, thead(documentHtml(r, false)), "chromium-borderless-repeated-header");
  printLibreOffice(REPORTS.map((r) => ({ id: r.id, name: `${r.id}.thead`, html: thead(documentHtml(r, true)), layout: "libreoffice-repeated-header" })));
}

// Layouts at the edge of what can be read without borders, through LibreOffice's HTML
// attributes: no cell padding with text set right (cells' text and numbers touch; the
// PDF may print touching numbers as one run of digits), and labels set right against
// the numbers. Some cells cannot be read; the test holds that none is read wrong.
function libreofficeExtremes() {
  const configs: [string, string, string, string, string][] = [
    ["touching", "0", "right", "top", "4"],
    ["runs", "0", "right", "top", "3"],
    ["rightlabels", "6", "right", "bottom", "2"],
  ];
  const docs: { id: string; name: string; html: string; layout: string }[] = [];
  for (const [kind, pad, align, valign, size] of configs)
    for (const r of [REPORTS[0], REPORTS.find((x) => x.id === "rreviews")!, REPORTS.find((x) => x.id === "rblanks")!]) {
      let html = documentHtml(r, false);
      html = html.replace(/<table[^>]*>/g, `<table border="0" cellpadding="${pad}" cellspacing="0">`);
      html = html.replace(/<td([^>]*)>/g, `<td$1 align="${align}" valign="${valign}"><font size="${size}">`).replace(/<\/td>/g, "</font></td>");
      if (kind !== "rightlabels") html = html.replace("<body>", "<body>" + "<p>本年度工作情况说明，本年度工作情况说明，本年度工作情况说明。</p>".repeat(20));
      docs.push({ id: r.id, name: `${r.id}.lo-${kind}`, html, layout: `libreoffice-extreme-${kind}` });
    }
  printLibreOffice(docs);
}

if (only) {
  ({ "chromium-noborder": chromiumBorderless, "chromium-spaced": chromiumSpaced, "chromium-rules": chromiumRules, "chromium-styles": chromiumStyles, "repeated-header": repeatedHeader, "libreoffice-extremes": libreofficeExtremes })[only as "chromium-rules"]();
  const path = join(OUT, "manifest.json");
  const made = new Set(manifest.map((e) => e.file));
  const kept = (JSON.parse(readFileSync(path, "utf8")) as Entry[]).filter((e) => !made.has(e.file));
  writeFileSync(path, JSON.stringify([...kept, ...manifest], null, 1) + "\n");
  rmSync(work, { recursive: true, force: true });
  console.log(`${manifest.length} ${only} fixtures → ${OUT}`);
  process.exit(0);
}

for (const r of REPORTS) {
  writeFileSync(join(OUT, `${r.id}.expected.json`), JSON.stringify(expectedRecord(r), null, 2) + "\n");
  // Plain text in three layouts, and markdown.
  writeFileSync(join(OUT, `${r.id}.cells.txt`), cellsPerLine(r));
  add(r.id, `${r.id}.cells.txt`, "text", "cells-per-line");
  writeFileSync(join(OUT, `${r.id}.tabs.txt`), tabRows(r));
  add(r.id, `${r.id}.tabs.txt`, "text", "tab-rows");
  writeFileSync(join(OUT, `${r.id}.md`), markdown(r));
  add(r.id, `${r.id}.md`, "text", "markdown");
  // Portal pages: UTF-8, and GBK declared in <meta> or not at all.
  writeFileSync(join(OUT, `${r.id}.portal.html`), portalHtml(r, '<meta charset="utf-8">'));
  add(r.id, `${r.id}.portal.html`, "html", "portal-utf8");
  writeFileSync(join(OUT, `${r.id}.portal-gbk.html`), iconv.encode(portalHtml(r, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'), "gbk"));
  add(r.id, `${r.id}.portal-gbk.html`, "html", "portal-gbk-meta");
  writeFileSync(join(OUT, `${r.id}.portal-gbk-undeclared.html`), iconv.encode(portalHtml(r, null), "gbk"));
  add(r.id, `${r.id}.portal-gbk-undeclared.html`, "html", "portal-gbk-undeclared");
  // The document alone, for the DOCX writers.
  writeFileSync(join(work, `${r.id}.lo.html`), documentHtml(r, true));
  writeFileSync(join(work, `${r.id}.noborder.html`), documentHtml(r, false));
}

// DOCX by LibreOffice (one call for all: start-up dominates), PDF from those DOCX.
const names = REPORTS.map((r) => r.id);
soffice(["--infilter=HTML (StarWriter)", "--convert-to", "docx", ...names.map((n) => `${n}.lo.html`)], work);
soffice(["--infilter=HTML (StarWriter)", "--convert-to", "docx", ...names.map((n) => `${n}.noborder.html`)], work);
soffice(["--convert-to", "pdf", ...names.map((n) => `${n}.lo.docx`), ...names.map((n) => `${n}.noborder.docx`)], work);
soffice(["--convert-to", "doc", `${names[0]}.lo.docx`], work);
for (const n of names) {
  for (const [from, to, format, layout] of [
    [`${n}.lo.docx`, `${n}.lo.docx`, "docx", "libreoffice"],
    [`${n}.lo.pdf`, `${n}.lo.pdf`, "pdf", "libreoffice-bordered"],
    [`${n}.noborder.pdf`, `${n}.noborder.pdf`, "pdf", "libreoffice-borderless"],
  ] as const) {
    if (!existsSync(join(work, from))) throw new Error(`soffice made no ${from}`);
    copyFileSync(join(work, from), join(OUT, to));
    add(n, to, format, layout);
  }
  // A second DOCX writer: pandoc.
  execFileSync("pandoc", [join(work, `${n}.lo.html`), "-o", join(OUT, `${n}.pandoc.docx`)], { timeout: 60_000 });
  add(n, `${n}.pandoc.docx`, "docx", "pandoc");
  // A second PDF engine: Chromium printing the portal page.
  chromiumPdf(join(work, `${n}.lo.html`), join(OUT, `${n}.chromium.pdf`));
  add(n, `${n}.chromium.pdf`, "pdf", "chromium");
}
chromiumBorderless();
chromiumSpaced();
chromiumRules();
chromiumStyles();
repeatedHeader();
libreofficeExtremes();
// Text as pdftotext (no -layout) gives it for those PDFs: a real tool's mess, cells
// reordered around blanks. Read back, a cell may be null (with a warning), never wrong.
for (const n of names) {
  execFileSync("pdftotext", [join(OUT, `${n}.lo.pdf`), join(OUT, `${n}.pdftext.txt`)], { timeout: 60_000 });
  add(n, `${n}.pdftext.txt`, "text", "pdf-text");
}
copyFileSync(join(work, `${names[0]}.lo.doc`), join(OUT, `${names[0]}.legacy.doc`));
add(names[0], `${names[0]}.legacy.doc`, "docx", "legacy-doc");

writeFileSync(join(OUT, "manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
rmSync(work, { recursive: true, force: true });
console.log(`${manifest.length} fixtures of ${REPORTS.length} reports → ${OUT} (${readdirSync(OUT).length} files)`);
