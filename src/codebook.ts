// `xxgk codebook`: the codebook (model/codebook.ts) as CSV or Markdown, the form
// docs/codebook.md is written in.
import { codebook, type CodebookEntry } from "../model/codebook.js";

export const CODEBOOK_FORMATS = ["csv", "md"] as const;
export type CodebookFormat = (typeof CODEBOOK_FORMATS)[number];

const FIELDS: (keyof CodebookEntry)[] = ["key", "table", "templates", "group", "row", "column", "unit", "type"];

const text = (e: CodebookEntry, f: keyof CodebookEntry) => (Array.isArray(e[f]) ? (e[f] as string[]).join(" ") : String(e[f]));

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCodebook(format: CodebookFormat): string {
  const rows = codebook();
  if (format === "csv") return [FIELDS.join(","), ...rows.map((e) => FIELDS.map((f) => csvField(text(e, f))).join(","))].join("\n") + "\n";
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  return [
    "# Codebook",
    "",
    "Every cell key of the record contract ([record.md](record.md)): the table, row and column the",
    "national template prints for it, the templates that have it (`2021` = 国办公开办函〔2021〕30号,",
    "`2019` = 〔2019〕60号), its unit and type. One row per key. Written by `xxgk codebook --format md`;",
    "`xxgk codebook` gives the same as CSV.",
    "",
    `| ${FIELDS.join(" | ")} |`,
    `| ${FIELDS.map(() => "---").join(" | ")} |`,
    ...rows.map((e) => `| ${FIELDS.map((f) => cell(f === "key" ? `\`${text(e, f)}\`` : text(e, f))).join(" | ")} |`),
    "",
  ].join("\n");
}
