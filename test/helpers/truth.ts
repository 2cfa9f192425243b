// A record against its fixture's truth (expected.json), as the robustness tests judge it:
// a value read is the true one; a null has a diagnostic, and where the document prints a
// value that diagnostic says something is wrong (never "blank"); organ, year, date and
// region are the truth.
import type { ReportRecord } from "../../model/record.js";
import { cellsOf } from "../../model/cells.js";

const truthOf = (want: ReportRecord) => new Map(cellsOf(want).map(([t, row, c, v]) => [`${t}.${row}.${c}`, v]));

export interface TruthOptions {
  /**
   * The document lost what gave its year (a PDF's Info title, dropped by a re-print or a
   * text conversion): a null year said by a diagnostic is then the truth. Nothing else is
   * excused.
   */
  yearMayBeGone?: boolean;
}

/** What is wrong with a record against the truth: wrong values, silent or "blank" nulls of printed values, other metadata. */
export function problems(r: ReportRecord, want: ReportRecord, opts: TruthOptions = {}): string[] {
  const wanted = truthOf(want);
  const out: string[] = [];
  for (const [t, row, c, v] of cellsOf(r)) {
    const k = `${t}.${row}.${c}`;
    const w = wanted.get(k);
    if (v !== null) {
      if (v !== w) out.push(`${k}: ${v}, the report prints ${w}`);
      continue;
    }
    const said = r.diagnostics.filter((d) => d.key === k);
    if (!said.length) out.push(`${k}: null without a diagnostic`);
    else if (w !== null && !said.some((d) => d.severity !== "info")) out.push(`${k}: null (the report prints ${w}) and only "${said.map((d) => d.code)}"`);
  }
  const yearGone = opts.yearMayBeGone && r.year === null && r.diagnostics.some((d) => d.key === "year");
  const meta = (x: ReportRecord, year: number | null) => [x.organ, year, x.publishedOn, x.region?.code ?? null];
  const ours = JSON.stringify(meta(r, r.year));
  const theirs = JSON.stringify(meta(want, yearGone ? null : want.year));
  if (ours !== theirs) out.push(`organ/year/date/region ${ours}, the report says ${theirs}`);
  return out;
}

/** Of the cells the report prints (not blank in the truth): how many, and how many the record read. */
export function printedRead(r: ReportRecord, want: ReportRecord): { printed: number; read: number } {
  const wanted = truthOf(want);
  let printed = 0;
  let read = 0;
  for (const [t, row, c, v] of cellsOf(r)) {
    if (wanted.get(`${t}.${row}.${c}`) === null) continue;
    printed++;
    if (v !== null) read++;
  }
  return { printed, read };
}
