// Writes the hard-input fixtures into test/fixtures/inputs/ with their manifest: reports
// run together on one line (a crawler's get_text(): no separator between cells), made
// from the fixture reports' model (scripts/fixtures/gen/model.ts) with values chosen so
// that the template's arithmetic settles every cell, or leaves a known pair of rows open.
//
//   tsx scripts/make-input-fixtures.ts
//
// The truth is the model's: a row printed as exactly seven digits has one cut; the
// "ambiguous" report prints two rows whose digits trade places (1|11 and 11|1) with equal
// totals, so both assignments fit every sum and those cells must come out null.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildReport, expected, type Report, type Val } from "./fixtures/gen/model.js";
import { SPECS } from "./fixtures/gen/reports.js";
import { cellsPerLine, flow, heading } from "./fixtures/gen/text.js";
import { expand } from "./fixtures/gen/tables.js";
import { SECTION_TITLES } from "../data/template.js";
import { documentHtml } from "./fixtures/gen/html.js";
import { physicalRows } from "./fixtures/gen/tables.js";
import { REQUEST_ROWS, OTHER_ROWS_2021, REVIEW_GROUPS, REVIEW_COLUMNS } from "../data/keys.js";

const OUT = resolve("test/fixtures/inputs");
const num = (v: number): Val => ({ v, t: String(v) });
const withTotal = (six: number[]) => [...six, six.reduce((a, b) => a + b, 0)];

interface Values {
  active: Record<string, Record<string, number>>;
  results: Record<string, number[]>;
  carriedOver: number[];
  carriedForward: number[];
  reviews: number[][];
}

/** A copy of a report with these table values, its narrative's figures made to agree. */
function withValues(base: Report, id: string, v: Values): Report {
  const r: Report = structuredClone(base);
  r.id = id;
  r.spec = { ...r.spec, id, fullWidth: [] };
  for (const [row, cols] of Object.entries(v.active)) for (const [c, x] of Object.entries(cols)) r.active[row][c] = num(x);
  const results = [...REQUEST_ROWS.filter((k) => !["newReceived", "carriedOver", "total", "carriedForward"].includes(k)), ...OTHER_ROWS_2021];
  const rows: Record<string, number[]> = {};
  for (const k of results) rows[k] = withTotal(v.results[k] ?? [0, 0, 0, 0, 0, 0]);
  const total = Array.from({ length: 7 }, (_, c) => results.reduce((a, k) => a + rows[k][c], 0));
  const co = withTotal(v.carriedOver);
  const cf = withTotal(v.carriedForward);
  const nr = total.map((t, c) => t + cf[c] - co[c]);
  const old = { nr: r.requests.newReceived[6].v, co: r.requests.carriedOver[6].v, cf: r.requests.carriedForward[6].v };
  for (const k of results) r.requests[k] = rows[k].map(num);
  r.requests.total = total.map(num);
  r.requests.carriedOver = co.map(num);
  r.requests.carriedForward = cf.map(num);
  r.requests.newReceived = nr.map(num);
  REVIEW_GROUPS.forEach((g, gi) => REVIEW_COLUMNS.forEach((c, ci) => (r.reviews[g][c] = num(withTotal(v.reviews[gi])[ci]))));
  for (const s of r.sections)
    s.paragraphs = s.paragraphs.map((p) =>
      p
        .replace(`共收到政府信息公开申请${old.nr}件`, `共收到政府信息公开申请${nr[6]}件`)
        .replace(`上年结转${old.co}件`, `上年结转${co[6]}件`)
        .replace(`结转下年度继续办理${old.cf}件`, `结转下年度继续办理${cf[6]}件`),
    );
  return r;
}

/** The whole report on one line, every table cell run into the next. */
export function runTogether(r: Report): string {
  let out = "";
  for (const it of flow(r)) {
    if (it.kind === "title") out += r.title;
    else if (it.kind === "h") out += heading(it.n);
    else if (it.kind === "p" || it.kind === "sign") out += it.text;
    else for (const row of physicalRows(it.grid)) for (const { cell, continuation } of row) out += continuation ? "" : cell.text.replace(/\n/g, "");
  }
  return out + "\n";
}

const g01 = buildReport(SPECS[0]);
const ACTIVE = {
  regulations: { issued: 1, repealed: 0, inForce: 2 },
  normativeDocuments: { issued: 3, repealed: 1, inForce: 50 }, // "3150": 3|1|50, 3|15|0, 31|5|0
  licensing: { decisions: 2087 },
  penalties: { decisions: 5 },
  coercion: { decisions: 0 },
  fees: { amountWanYuan: 0 },
};
const unique = withValues(g01, "rt-unique", {
  active: ACTIVE,
  results: { granted: [2, 1, 0, 0, 1, 0], partiallyGranted: [1, 0, 0, 0, 0, 0], "unavailable.notHeld": [1, 0, 0, 0, 0, 0], "notProcessed.duplicate": [0, 0, 1, 0, 0, 0], "other.other": [0, 0, 0, 0, 0, 1] },
  carriedOver: [1, 0, 0, 0, 0, 0],
  carriedForward: [0, 0, 1, 0, 0, 0],
  reviews: [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 1, 1]],
});
const ambiguous = withValues(g01, "rt-ambiguous", {
  active: ACTIVE,
  results: { granted: [1, 2, 0, 0, 0, 0], partiallyGranted: [0, 1, 0, 0, 0, 0], "denied.stateSecret": [0, 0, 0, 0, 1, 0], "unavailable.notHeld": [1, 11, 0, 0, 0, 0], "unavailable.needsCreation": [11, 1, 0, 0, 0, 0] },
  carriedOver: [0, 0, 0, 0, 0, 0],
  carriedForward: [0, 0, 0, 0, 0, 0],
  reviews: [[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1]],
});

// The source's own arithmetic broken: （七）总计 one more than its rows in 自然人 (and 总计),
// 一 one more too, so the balance still holds. No cut of table 3 fits every sum: its run-together
// rows are null, never forced; tables 2 and 4 still read.
const broken: Report = structuredClone(unique);
broken.id = "rt-broken";
broken.spec = { ...broken.spec, id: "rt-broken" };
for (const [row, d] of [["total", 1], ["newReceived", 1]] as const) {
  const cells = broken.requests[row];
  for (const i of [0, 6]) cells[i] = num((cells[i].v as number) + d);
}
for (const s of broken.sections) s.paragraphs = s.paragraphs.map((p) => p.replace(`共收到政府信息公开申请${unique.requests.newReceived[6].v}件`, `共收到政府信息公开申请${broken.requests.newReceived[6].v}件`));

interface Entry {
  id: string;
  file: string;
  form: string;
  expected: string;
  /** Cells the arithmetic leaves open, by the model's construction: null, with these candidates named. */
  openCells: { key: string; candidates: string[] }[];
  /** Rows whose digits no cut fits (the source's arithmetic broken): null, with a note saying so. */
  impossibleRows?: string[];
  note: string;
}
const manifest: Entry[] = [];
mkdirSync(OUT, { recursive: true });
const NORMATIVE_OPEN = { key: "active.normativeDocuments", candidates: ["3|1|50", "3|15|0", "31|5|0"] };
for (const [r, open, note] of [
  [unique, [NORMATIVE_OPEN], "every row of tables 3 and 4 prints seven (fifteen) digits: one cut each; 规范性文件3150 has three"],
  [
    ambiguous,
    [
      NORMATIVE_OPEN,
      { key: "requests.unavailable.notHeld", candidates: ["1|11|0|0|0|0|12", "11|1|0|0|0|0|12"] },
      { key: "requests.unavailable.needsCreation", candidates: ["11|1|0|0|0|0|12", "1|11|0|0|0|0|12"] },
    ],
    "（四）1. and 2. print the same digits 111000012 (1|11 and 11|1): both assignments fit every sum",
  ],
  [broken, [NORMATIVE_OPEN], "（七）总计 and 一 moved by one in 自然人: no cut of table 3 fits, so its rows are null (cell.splitImpossible)"],
] as [Report, Entry["openCells"], string][]) {
  const exp = expected(r) as { active: Record<string, Record<string, number | null>>; requests: Record<string, (number | null)[]> };
  exp.active.normativeDocuments = { issued: null, repealed: null, inForce: null };
  if (r === ambiguous) for (const k of ["unavailable.notHeld", "unavailable.needsCreation"]) exp.requests[k] = exp.requests[k].map((x, i) => (i < 2 ? null : x));
  if (r === broken) for (const k of Object.keys(exp.requests)) exp.requests[k] = exp.requests[k].map(() => null);
  writeFileSync(join(OUT, `${r.id}.runon.txt`), runTogether(r));
  writeFileSync(join(OUT, `${r.id}.expected.json`), JSON.stringify(exp, null, 1) + "\n");
  const impossibleRows = r === broken ? Object.keys(exp.requests).map((k) => `requests.${k}`) : undefined;
  manifest.push({ id: r.id, file: `${r.id}.runon.txt`, form: "run-together", expected: `${r.id}.expected.json`, openCells: open, ...(impossibleRows ? { impossibleRows } : {}), note });
}
// ---- the same report in other hard forms, values as the model has them ----------

const full = expected(g01);
writeFileSync(join(OUT, "g01.expected.json"), JSON.stringify(full, null, 1) + "\n");
const add = (file: string, form: string, text: string, note: string, exp = "g01.expected.json") => {
  writeFileSync(join(OUT, file), text);
  manifest.push({ id: g01.id, file, form, expected: exp, openCells: [], note });
};

// An article's HTML saved alone: no <html>, no <body>, first tag <p …>.
const page = documentHtml(g01, { border: true });
add("g01.fragment", "html-fragment", page.slice(page.indexOf("<body>") + 6, page.indexOf("</body>")).trim() + "\n", "the article's HTML only, starting <p align=\"center\">");

// A page saved as text with the site's navigation before the title.
const NAV = [
  "硚口区商务局2023年政府信息公开工作年度报告",
  "首页 | 登录 | 注册 | 无障碍",
  "硚口区人民政府门户网站",
  "首页",
  "政务公开",
  "政府信息公开年报",
  "互动交流",
  "硚口区商务局2023年政府信息公开工作年度报告",
  "硚口区教育局2024年政府信息公开工作年度报告",
  "当前位置：首页 > 政务公开 > 政府信息公开年报",
  "字号：大 中 小  打印  关闭",
];
const cells = cellsPerLine(g01);
add("g01.chrome.txt", "page-chrome", [...NAV, "", cells].join("\n"), "navigation, other reports' titles and a breadcrumb before the title");

// The same, without the signature: the date is the page header's 发布日期.
const unsigned: Report = structuredClone(g01);
unsigned.signature = [];
const body = cellsPerLine(unsigned);
const cut = body.indexOf("\n\n");
const dated = `${body.slice(0, cut)}\n发布日期：${g01.publishedOn}  来源：硚口区商务局  浏览次数：125\n${body.slice(cut)}`;
add("g01.pagedate.txt", "page-date", [...NAV, "", dated].join("\n"), "no signature; 发布日期 under the title");

// Labels as real reports misspell them (the values stay where the model puts them).
const VARIANTS: [string, string][] = [
  ["2.其他法律行政法规禁止公开", "2.其他法律行政止公开"],
  ["4.无正当理由大量反复申请", "4.无正当理由大量反复 申请"],
  ["1.属于国家秘密", "1、属于国家秘密"],
  ["2.没有现成信息需要另行制作", "2、没有现成信息需要另行制作"],
  ["3.补正后申请内容仍不明确", "3、补正后申请内容仍不明确"],
];
let variant = cells;
for (const [a, b] of VARIANTS) variant = variant.replace(`\t${a}\n`, `\t${b}\n`).replace(`]${a}\n`, `]${b}\n`);
variant = variant.replace(/\t行政复议\n/, "\t行政法复议\n");
add("g01.labels.txt", "label-variants", variant, VARIANTS.map(([, b]) => b).join(", ") + ", 行政法复议");

// The same page saved as DOCX and PDF by a real writer (LibreOffice), navigation first.
// Skipped with --no-office (the committed files stay).
if (!process.argv.includes("--no-office")) {
  const work = mkdtempSync(join(tmpdir(), "xxgk-inputs-"));
  try {
    const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;");
    const nav = NAV.map((l) => `<p>${esc(l)}</p>`).join("\n");
    writeFileSync(join(work, "g01.chrome.html"), page.replace("<body>\n", `<body>\n${nav}\n`));
    const profile = `file://${join(work, "profile")}`;
    const soffice = (args: string[]) =>
      execFileSync("soffice", [`-env:UserInstallation=${profile}`, "--headless", ...args, "--outdir", work, join(work, "g01.chrome.html")], { stdio: "pipe", timeout: 180_000 });
    soffice(["--infilter=HTML (StarWriter)", "--convert-to", "docx:MS Word 2007 XML"]);
    soffice(["--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_web_pdf_Export"]);
    for (const [ext, form] of [["docx", "page-chrome-docx"], ["pdf", "page-chrome-pdf"]] as const) {
      const f = join(work, `g01.chrome.${ext}`);
      if (!existsSync(f)) throw new Error(`soffice wrote no ${ext}`);
      copyFileSync(f, join(OUT, `g01.chrome.${ext}`));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
for (const [ext, form] of [["docx", "page-chrome-docx"], ["pdf", "page-chrome-pdf"]] as const)
  if (existsSync(join(OUT, `g01.chrome.${ext}`)))
    manifest.push({ id: g01.id, file: `g01.chrome.${ext}`, form, expected: "g01.expected.json", openCells: [], note: "the page with its navigation, saved by LibreOffice" });

// A PDF → Markdown converter's output: table 2's labels on rows of their own above their
// numbers, table 3's below them, group labels alone on a row, sections 二 to 四 renumbered.
const pipe = (cells: string[]) => `| ${cells.join(" | ")} |`;
function detachedMarkdown(r: Report): string {
  const CN = ["一", "二", "三", "四", "五", "六"];
  const out: string[] = [`# ${r.title}`, ""];
  for (const it of flow(r)) {
    if (it.kind === "title") continue;
    if (it.kind === "h") out.push(`## ${CN[it.n >= 2 && it.n <= 4 ? it.n : it.n - 1]}、${SECTION_TITLES[it.n - 1]}`, "");
    else if (it.kind === "p" || it.kind === "sign") out.push(it.text, "");
    else {
      const full = expand(it.grid);
      const width = full[0].length;
      const rows: string[][] = [];
      const blank = (n: number) => new Array<string>(n).fill("");
      full.forEach((row, ri) => {
        const cells = row.map((s) => (s && s.origin ? s.cell.text.replace(/\n/g, "") : ""));
        const firstValue = cells.findIndex((c, i) => i > 0 && /^-?[\d０-９.]+$/.test(c));
        if (it.index === 2 || firstValue === -1 || ri < 3) return rows.push(cells);
        const labels = cells.slice(0, firstValue).filter(Boolean);
        const nums = [...blank(firstValue), ...cells.slice(firstValue)];
        const own = labels[labels.length - 1];
        // group labels (三、本年度办理结果, （三）不予公开) alone on a row first
        for (const g of labels.slice(0, -1)) rows.push([g, ...blank(width - 1)]);
        const label = [own, ...blank(width - 1)];
        if (it.index === 0) rows.push(label, nums);
        else rows.push(nums, label);
      });
      out.push(pipe(rows[0]), pipe(rows[0].map(() => "---")), ...rows.slice(1).map(pipe), "");
    }
  }
  return out.join("\n");
}
add("g01.detached.md", "markdown-detached", detachedMarkdown(g01), "labels alone on a row above (table 2) or below (table 3) their numbers; group labels alone; sections 二-四 renumbered 三-五");

writeFileSync(join(OUT, "manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
console.log(`wrote ${manifest.length} fixtures to ${OUT}`);
