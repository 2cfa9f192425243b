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
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildReport, expected, type Report, type Val } from "./fixtures/gen/model.js";
import { SPECS } from "./fixtures/gen/reports.js";
import { flow, heading } from "./fixtures/gen/text.js";
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

interface Entry {
  id: string;
  file: string;
  form: string;
  expected: string;
  /** Cells the arithmetic leaves open, by the model's construction: null, with these candidates named. */
  openCells: { key: string; candidates: string[] }[];
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
] as [Report, Entry["openCells"], string][]) {
  const exp = expected(r) as { active: Record<string, Record<string, number | null>>; requests: Record<string, (number | null)[]> };
  exp.active.normativeDocuments = { issued: null, repealed: null, inForce: null };
  if (r === ambiguous) for (const k of ["unavailable.notHeld", "unavailable.needsCreation"]) exp.requests[k] = exp.requests[k].map((x, i) => (i < 2 ? null : x));
  writeFileSync(join(OUT, `${r.id}.runon.txt`), runTogether(r));
  writeFileSync(join(OUT, `${r.id}.expected.json`), JSON.stringify(exp, null, 1) + "\n");
  manifest.push({ id: r.id, file: `${r.id}.runon.txt`, form: "run-together", expected: `${r.id}.expected.json`, openCells: open, note });
}
writeFileSync(join(OUT, "manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
console.log(`wrote ${manifest.length} fixtures to ${OUT}`);
