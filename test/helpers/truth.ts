// A record against its fixture's truth (expected.json), as the robustness tests judge it:
// a value read is the true one; a null has a diagnostic, and where the document prints a
// value that diagnostic says something is wrong (never "blank"); organ, year, date and
// region are the truth.
import { REQUEST_COLUMNS, type ReportRecord } from "../../model/record.js";
import { cellsOf } from "../../model/cells.js";

const cellKey = (path: string) => {
  const m = /^(requests\..+)\.(\d)$/.exec(path);
  return m ? `${m[1]}.${REQUEST_COLUMNS[Number(m[2])]}` : path;
};

/** What is wrong with a record against the truth: wrong values, silent or "blank" nulls of printed values, other metadata. */
export function problems(r: ReportRecord, want: ReportRecord & { expectedNullCells: string[] }): string[] {
  const wanted = new Map(cellsOf(want).map(([t, row, c, v]) => [`${t}.${row}.${c}`, v]));
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
  for (const p of want.expectedNullCells) if (wanted.get(cellKey(p)) !== null) out.push(`truth: ${p} listed null`);
  const meta = (x: ReportRecord) => [x.organ, x.year, x.publishedOn, x.region?.code ?? null];
  if (JSON.stringify(meta(r)) !== JSON.stringify(meta(want))) out.push(`organ/year/date/region ${JSON.stringify(meta(r))}, the report says ${JSON.stringify(meta(want))}`);
  return out;
}

