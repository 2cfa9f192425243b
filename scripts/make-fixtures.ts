// Writes the report fixtures into test/fixtures/generated/ and their list into
// test/fixtures/manifest.json: synthetic reports (scripts/fixtures/gen/reports.ts) with
// distinct non-zero numbers and real blanks, each rendered as text (four layouts), HTML
// portal pages (four charsets), DOCX (LibreOffice, and a second writer), a legacy .doc and
// PDF (LibreOffice with and without borders, Chromium), with the record each must give.
//
//   tsx scripts/make-fixtures.ts            everything (needs soffice, pandoc, chromium, pdftotext)
//   tsx scripts/make-fixtures.ts --no-office  text, HTML and expected records only
//   tsx scripts/make-fixtures.ts --only borderless  the borderless PDFs alone (the rest stay byte for byte)
//
// Deterministic: same output on every run, apart from the bytes LibreOffice and
// Chromium embed (dates, ids).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import iconv from "iconv-lite";
import { buildReport, expected, type Report } from "./fixtures/gen/model.js";
import { SPECS } from "./fixtures/gen/reports.js";
import { grids } from "./fixtures/gen/tables.js";
import { cellsPerLine, markdown, pdfText, tabRows } from "./fixtures/gen/text.js";
import { attachmentsPage, portalHtml, type Charset } from "./fixtures/gen/html.js";
import { makeBorderless, makeOffice } from "./fixtures/gen/office.js";

const ROOT = resolve("test/fixtures");
const DIR = "generated";
const OUT = join(ROOT, DIR);
const office = !process.argv.includes("--no-office");

export interface Entry {
  id: string;
  file: string;
  /** "doc" is the legacy Word file (the pipeline records it as docx). */
  format: "text" | "html" | "docx" | "pdf" | "doc";
  layout: string;
  template: "2021" | "2019";
  /** Table 3's form of （六）其他处理 where it differs from the template (the mixed report). */
  requestsForm?: "2019";
  expected: string | null;
  grid?: string;
  /** "exact": section texts read back exactly; "compact": equal once whitespace is removed. */
  sectionText?: "exact" | "compact";
  note?: string;
}

const reports: Report[] = SPECS.map(buildReport);
const manifest: Entry[] = [];
const rel = (f: string) => `${DIR}/${f}`;

function add(r: Report, file: string, format: Entry["format"], layout: string, extra: Partial<Entry> = {}): void {
  manifest.push({
    id: r.id,
    file: rel(file),
    format,
    layout,
    template: r.template,
    ...(r.otherForm !== r.template ? { requestsForm: "2019" as const } : {}),
    expected: rel(`${r.id}.expected.json`),
    ...(format === "text" ? {} : { grid: rel(`${r.id}.grid.json`) }),
    ...extra,
  });
}

if (process.argv.includes("--only")) {
  const what = process.argv[process.argv.indexOf("--only") + 1];
  if (what !== "borderless") throw new Error(`--only ${what}: only "borderless" can be made alone`);
  makeBorderless(reports, OUT, (r, file, format, layout, extra) => add(r, file, format, layout, extra));
  const layouts = new Set(manifest.map((e) => e.layout));
  const kept = (JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8")) as Entry[]).filter((e) => !layouts.has(e.layout));
  writeFileSync(join(ROOT, "manifest.json"), JSON.stringify([...kept, ...manifest], null, 1) + "\n");
  console.log(`wrote ${manifest.length} borderless PDFs to ${OUT}`);
  process.exit(0);
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const hasTrueBlank = (r: Report) => Object.values(r.spec.nulls).some((t) => t === "");

for (const [i, r] of reports.entries()) {
  // arrays of values on one line each, so a row of table 3 reads as printed
  const json = JSON.stringify(expected(r), null, 2).replace(/\[\n\s+([-\d.,\snul]+?)\n\s+\]/g, (_m, inner: string) => `[${inner.replace(/\s+/g, " ")}]`);
  writeFileSync(join(OUT, `${r.id}.expected.json`), json + "\n");
  writeFileSync(join(OUT, `${r.id}.grid.json`), JSON.stringify(grids(r).map((rows) => ({ rows })), null, 1) + "\n");

  // text layouts
  writeFileSync(join(OUT, `${r.id}.cells.txt`), cellsPerLine(r));
  add(r, `${r.id}.cells.txt`, "text", "cells-per-line", { sectionText: "exact", note: "one cell per line after a tab, blank line between rows, empty tab lines for merge continuations, [bookmark: …] markers" });
  const typo = r.template === "2021" && i % 2 === 0;
  writeFileSync(join(OUT, `${r.id}.tabs.txt`), tabRows(r, { typo }));
  add(r, `${r.id}.tabs.txt`, "text", "tab-rows", {
    sectionText: "compact",
    note: `one row per line, tab-separated; some table-3 rows shifted one cell left/right around the labels; (一) in ASCII parentheses; spaces around digits in prose${typo ? "; header typo 本年度止件数" : ""}`,
  });
  if (!hasTrueBlank(r)) {
    writeFileSync(join(OUT, `${r.id}.pdf.txt`), pdfText(r));
    add(r, `${r.id}.pdf.txt`, "text", "pdf-text", {
      sectionText: "compact",
      note: "as pdftotext without -layout: prose wrapped at page width, values space-separated, long labels wrapped before their numbers, numbers wrapped, form feeds at page ends (one inside table 3)",
    });
  }
  const style = i % 2 === 0 ? "repeat" : "split";
  writeFileSync(join(OUT, `${r.id}.md`), markdown(r, style));
  add(r, `${r.id}.md`, "text", `markdown-${style}`, {
    sectionText: "exact",
    note: style === "repeat" ? "pipe tables; merged label cells repeated down the rows they cover" : "pipe tables; merged cells empty, <br> in cells, table 3 header rows detached and repeated after a page cut",
  });

  // HTML portal pages
  const charsets: Charset[] = ["utf-8"];
  if (r.id.startsWith("g03") || r.id.startsWith("g06")) charsets.push("gbk-meta");
  if (r.id.startsWith("g04") || r.id.startsWith("g07")) charsets.push("gbk-none");
  if (r.id.startsWith("g05")) charsets.push("gb2312-http-equiv");
  for (const cs of charsets) {
    const html = portalHtml(r, cs);
    const file = `${r.id}.portal-${cs}.html`;
    writeFileSync(join(OUT, file), cs === "utf-8" ? html : iconv.encode(html, "gbk"));
    add(r, file, "html", `portal-${cs}`, {
      sectionText: "exact",
      note: cs === "utf-8" ? "portal article page, UTF-8 with <meta charset>" : cs === "gbk-meta" ? "GBK bytes, <meta charset=\"gbk\">" : cs === "gbk-none" ? "GBK bytes, no charset declared anywhere" : "GBK-encoded bytes declared as gb2312 via http-equiv",
    });
  }
}

// a page without tables that only links the report as attachments
{
  const r = reports[0];
  const file = `${r.id}.attachments.html`;
  writeFileSync(join(OUT, file), attachmentsPage(r, `/zwgk/ndbg/P0${r.year + 1}0113${r.id.slice(1, 3)}`));
  writeFileSync(join(OUT, `${r.id}.attachments.grid.json`), "[]\n");
  manifest.push({
    id: r.id,
    file: rel(file),
    format: "html",
    layout: "portal-attachments-only",
    template: r.template,
    expected: null,
    grid: rel(`${r.id}.attachments.grid.json`),
    note: "no tables: the report is only linked as .docx/.pdf attachments; extraction should fail (not-a-report / attachments) or warn, never yield a record",
  });
}

if (office) await makeOffice(reports, OUT, (r, file, format, layout, extra) => add(r, file, format, layout, extra));

writeFileSync(join(ROOT, "manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
const counts: Record<string, number> = {};
for (const e of manifest) counts[e.format] = (counts[e.format] ?? 0) + 1;
console.log(`wrote ${manifest.length} fixtures of ${reports.length} reports to ${OUT}:`, counts);
