// The codebook: every cell key of the contract with the table, row and column the
// template prints for it, in each template that has it, its unit and its type. Derived
// from the template's own definitions (data/), so it cannot drift from what is read.
import { ACTIVE_2019, ACTIVE_2021, REQUEST_ROW_DEFS, type ActiveRowDef } from "../data/template.js";
import {
  ACTIVE_COLUMN_LABELS,
  ACTIVE_COLUMN_LABELS_2019,
  REQUEST_ROW_GROUPS,
  REVIEW_COLUMN_LABELS,
  REVIEW_GROUP_LABELS,
} from "../data/columns.js";
import { REQUEST_COLUMN_LABELS } from "../data/template.js";
import { OTHER_ROW_2019, OTHER_ROWS_2021, REQUEST_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS } from "../data/keys.js";

export type CodebookTemplate = "2021" | "2019";

export interface CodebookEntry {
  /** The cell key of the contract, e.g. `requests.denied.stateSecret.total`. */
  key: string;
  /** 2 = 二、主动公开政府信息情况, 3 = 三、收到和处理政府信息公开申请情况, 4 = 四、行政复议、行政诉讼. */
  table: 2 | 3 | 4;
  /** The templates whose tables print this cell (国办公开办函〔2021〕30号, 〔2019〕60号). */
  templates: CodebookTemplate[];
  /** The heading the row sits under, where the template nests it ("" where it does not). */
  group: string;
  /** The row's label as the template prints it. */
  row: string;
  /** The column's header as the template prints it. */
  column: string;
  /** 件 for counts, 万元 or 元 for amounts. */
  unit: "件" | "万元" | "元";
  /** `integer` (a count; 本年增/减 may be negative) or `number` (an amount as printed). */
  type: "integer" | "number";
}

const UNIT_OF: Record<string, CodebookEntry["unit"]> = { wanYuan: "万元", yuan: "元" };

function activeEntries(): CodebookEntry[] {
  const byKey = new Map<string, CodebookEntry>();
  const add = (defs: ActiveRowDef[], template: CodebookTemplate) => {
    for (const d of defs)
      for (const c of d.columns) {
        const key = `active.${d.key}.${c}`;
        const seen = byKey.get(key);
        if (seen) {
          seen.templates.push(template);
          continue;
        }
        const unit = d.units?.[c] ? UNIT_OF[d.units[c]] : "件";
        const column = (template === "2019" ? ACTIVE_COLUMN_LABELS_2019[c] : undefined) ?? ACTIVE_COLUMN_LABELS[c];
        if (!column) throw new Error(`codebook: no printed header for table 2 column ${c}`);
        byKey.set(key, { key, table: 2, templates: [template], group: "", row: d.labels[0], column, unit, type: unit === "件" ? "integer" : "number" });
      }
  };
  add(ACTIVE_2021, "2021");
  add(ACTIVE_2019, "2019");
  return [...byKey.values()];
}

/** Which templates print a table 3 row: （六） is three rows in 2021's form, one in 2019's. */
function requestTemplates(row: string): CodebookTemplate[] {
  if ((OTHER_ROWS_2021 as readonly string[]).includes(row)) return ["2021"];
  if (row === OTHER_ROW_2019) return ["2019"];
  return ["2021", "2019"];
}

function requestEntries(): CodebookEntry[] {
  const out: CodebookEntry[] = [];
  for (const d of REQUEST_ROW_DEFS) {
    // A sub-row (`denied.stateSecret`) sits under its family's heading; （六） printed as one
    // row (`other`) sits, like （一）, directly under 三、本年度办理结果.
    const group = d.key.includes(".") ? REQUEST_ROW_GROUPS[d.key.split(".")[0]] : d.key === OTHER_ROW_2019 ? REQUEST_ROW_GROUPS.total : (REQUEST_ROW_GROUPS[d.key] ?? "");
    REQUEST_COLUMNS.forEach((c, i) =>
      out.push({
        key: `requests.${d.key}.${c}`,
        table: 3,
        templates: requestTemplates(d.key),
        group,
        row: d.labels[0],
        column: REQUEST_COLUMN_LABELS[i],
        unit: "件",
        type: "integer",
      }),
    );
  }
  return out;
}

function reviewEntries(): CodebookEntry[] {
  return REVIEW_GROUPS.flatMap((g) =>
    REVIEW_COLUMNS.map((c) => ({
      key: `reviews.${g}.${c}`,
      table: 4 as const,
      templates: ["2021", "2019"] as CodebookTemplate[],
      group: g.startsWith("litigation") ? "行政诉讼" : "",
      row: REVIEW_GROUP_LABELS[g],
      column: REVIEW_COLUMN_LABELS[c],
      unit: "件" as const,
      type: "integer" as const,
    })),
  );
}

/** Every cell key, one entry each, in the contract's order (table 2, 3, 4). */
export function codebook(): CodebookEntry[] {
  return [...activeEntries(), ...requestEntries(), ...reviewEntries()];
}
