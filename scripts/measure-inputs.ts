// Per form of the hard-input fixtures (test/fixtures/inputs/manifest.json): reports read
// exactly (organ, year, publishedOn and every cell as expected), cells read (non-null
// and equal to the model), cells wrong (non-null and not the model's: must be 0).
//
//   tsx scripts/measure-inputs.ts
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseReport } from "../src/pipeline.js";

const ROOT = "test/fixtures/inputs";
interface Entry { file: string; form: string; expected: string }
const manifest: Entry[] = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8"));
type Rec = { organ: unknown; year: unknown; publishedOn: unknown; active: Record<string, Record<string, number | null>>; requests: Record<string, (number | null)[]>; reviews: Record<string, Record<string, number | null>> };

function cells(r: Rec): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const [row, cols] of Object.entries(r.active)) for (const [c, v] of Object.entries(cols)) out.set(`active.${row}.${c}`, v);
  for (const [row, vs] of Object.entries(r.requests)) vs.forEach((v, i) => out.set(`requests.${row}.${i}`, v));
  for (const [g, cols] of Object.entries(r.reviews)) for (const [c, v] of Object.entries(cols)) out.set(`reviews.${g}.${c}`, v);
  return out;
}

const byForm = new Map<string, { reports: number; exact: number; cells: number; read: number; wrong: number; failed: number }>();
for (const e of manifest) {
  const exp = JSON.parse(readFileSync(join(ROOT, e.expected), "utf8")) as Rec;
  const m = byForm.get(e.form) ?? { reports: 0, exact: 0, cells: 0, read: 0, wrong: 0, failed: 0 };
  byForm.set(e.form, m);
  m.reports++;
  const want = cells(exp);
  const expectedRead = [...want.values()].filter((v) => v !== null).length;
  m.cells += expectedRead;
  const out = await parseReport({ bytes: readFileSync(join(ROOT, e.file)), name: e.file });
  if (!out.ok) {
    m.failed++;
    continue;
  }
  const got = cells(out.record as unknown as Rec);
  let read = 0;
  let wrong = 0;
  let same = true;
  for (const [k, v] of want) {
    const g = got.get(k) ?? null;
    if (g !== null && v !== null && g === v) read++;
    if (g !== null && g !== v) wrong++;
    if (g !== v) same = false;
  }
  const r = out.record as unknown as Rec;
  if (same && r.organ === exp.organ && r.year === exp.year && r.publishedOn === exp.publishedOn) m.exact++;
  m.read += read;
  m.wrong += wrong;
}
console.log("| form | reports | read exactly | cells read | wrong cells | failed |");
console.log("|---|---|---|---|---|---|");
for (const [f, m] of byForm) console.log(`| ${f} | ${m.reports} | ${m.exact} | ${m.read}/${m.cells} (${Math.round((100 * m.read) / m.cells)}%) | ${m.wrong} | ${m.failed} |`);
