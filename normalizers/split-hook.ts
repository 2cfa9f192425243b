// Applying the splitter (split.ts) to a document before the mapping reads it: rows whose
// value cells are fewer than the template's columns and are plain runs of digits are cut
// by the template's arithmetic, jointly per table. The row's run cells are replaced by one
// cell per column, each marked `read: { status: "split" }`; a cell the arithmetic cannot
// settle is left blank (null) and a note names it. The document given is not changed.
import type { Block, Cell, Document, Table } from "../model/document.js";
import { REQUEST_ROW_DEFS, REVIEW_HEADERS, type ActiveRowDef } from "../data/template.js";
import { OTHER_ROW_2019, OTHER_ROWS_2021, REQUEST_COLUMNS, REQUEST_ROWS } from "../data/keys.js";
import { fold } from "../model/text.js";
import { sectionHeading } from "../model/sections.js";
import { LabelMatcher } from "./labels.js";
import { isBlank, isValueLike, readCell } from "./values.js";
import { budget, isDigitRun, splitActiveRow, splitTable3, splitTable4, type SplitNote } from "./split.js";

const REQUEST_MATCHER = new LabelMatcher(REQUEST_ROW_DEFS);
/** The diagnostic source a reader gives a document whose table cells ran together. */
export const RUN_TOGETHER = "text:run-together";

interface Site {
  table: Table;
  row: number;
  /** Index of the first value cell in the row. */
  first: number;
  tokens: string[];
}

/** The value cells of a row: everything after its last label cell. */
function valueStart(cells: string[]): number {
  const firstValue = cells.findIndex(isValueLike);
  const end = firstValue === -1 ? cells.length : firstValue;
  let lastLabel = -1;
  for (let i = 0; i < end; i++) if (!isBlank(cells[i])) lastLabel = i;
  return lastLabel + 1;
}

/** Requests received as the narrative states them (`收到…申请X件`), when it states one figure. */
export function statedReceived(blocks: Block[]): number | null {
  const found = new Set<number>();
  for (const b of blocks) {
    if (b.kind !== "paragraph") continue;
    const t = fold(b.text);
    for (const m of t.matchAll(/(?:新收到|共收到|收到)[^。；;，,]{0,24}?申请[^。；;，,\d]{0,8}?(\d+)件/g)) found.add(Number(m[1]));
  }
  return found.size === 1 ? [...found][0] : null;
}

/** One matcher (and its cache of answers) per form of table 2. */
const activeMatchers = new Map<ActiveRowDef[], LabelMatcher<string>>();
function activeMatcherFor(defs: ActiveRowDef[]): LabelMatcher<string> {
  let m = activeMatchers.get(defs);
  if (!m) activeMatchers.set(defs, (m = new LabelMatcher(defs)));
  return m;
}

export function splitRunTogether(doc: Document, activeDefs: ActiveRowDef[]): { doc: Document; notes: SplitNote[] } {
  // Only a table that is not a real grid has rows to cut (an exact grid's rows only feed
  // `fixed`, which is read where a row is cut): none, nothing to do.
  if (doc.blocks.every((b) => b.kind !== "table" || b.exactGrid)) return { doc, notes: [] };
  const activeMatcher = activeMatcherFor(activeDefs);
  // Table 2 has no arithmetic to check a cut against: its rows are cut only where the reader
  // saw the text run together (a row with a vanished blank, `政府集中采购 71`, is not cut).
  const runTogether = doc.diagnostics.some((d) => d.source === RUN_TOGETHER);
  const requestRuns = new Map<string, Site>();
  const fixed = new Map<string, (number | null)[]>();
  const activeRuns = new Map<string, { site: Site; def: ActiveRowDef }>();
  let reviewRun: Site | null = null;
  let section: number | null = null;
  let reviewContext = false;

  for (const b of doc.blocks) {
    if (b.kind === "paragraph") {
      const h = sectionHeading(b.text);
      if (h) section = h.number;
      continue;
    }
    b.rows.forEach((row, r) => {
      const texts = row.map((c) => c.text.trim());
      const rowText = texts.join("");
      if (REVIEW_HEADERS.some((w) => rowText.includes(w))) reviewContext = true;
      const first = valueStart(texts);
      const labels = texts.slice(0, first).filter((t) => !isBlank(t));
      const values = texts.slice(first).filter((t) => !isBlank(t));
      const label = labels.join("");
      // Only one run of digits in the row's value cells: digits the source printed apart (a
      // row with vanished blanks, `12 34 56`) are never cut further. Where the reader saw the
      // cells run together, a space in a row is only a boundary (`500000 5`: a cell never
      // spans it), and the pieces between spaces are runs like any other.
      // In a real grid (DOCX, HTML, ruled PDF) a cell is a cell: nothing is cut. A blank
      // among the value cells says the cells were printed apart.
      const tokens = values.map((v) => fold(v));
      const runs = values.length === 1 || (runTogether && values.length < REQUEST_COLUMNS.length && isDigitRun(tokens));
      if (!runs || b.exactGrid || texts.length - first !== values.length) {
        if (values.length === REQUEST_COLUMNS.length && label) {
          const m = REQUEST_MATCHER.match(labels[labels.length - 1]) ?? REQUEST_MATCHER.match(label);
          const a = activeMatcher.match(labels[labels.length - 1]) ?? activeMatcher.match(label);
          if (m && (!a || m.score >= a.score)) fixed.set(m.key, values.map((v) => readCell(v, "count").value));
        }
        return;
      }
      const req = label ? REQUEST_MATCHER.match(labels[labels.length - 1]) ?? REQUEST_MATCHER.match(label) : null;
      const act = label ? activeMatcher.match(labels[labels.length - 1]) ?? activeMatcher.match(label) : null;
      const digits = tokens.join("").length;
      if (req && (!act || req.score >= act.score)) {
        if (isDigitRun(tokens) && digits >= REQUEST_COLUMNS.length && !requestRuns.has(req.key))
          requestRuns.set(req.key, { table: b, row: r, first, tokens });
        return;
      }
      if (act) {
        const def = activeDefs.find((d) => d.key === act.key);
        const n = def?.columns.length ?? 0;
        if (def && n > 1 && runTogether && isDigitRun(tokens) && digits >= n && !activeRuns.has(def.key)) activeRuns.set(def.key, { site: { table: b, row: r, first, tokens }, def });
        return;
      }
      const inReviews = section === 4 || (section === null && reviewContext);
      if (inReviews && !reviewRun && isDigitRun(tokens) && digits >= 15) reviewRun = { table: b, row: r, first, tokens };
    });
  }

  const notes: SplitNote[] = [];
  // A table with a row cut is copied (its rows replaced there); the given document is not changed.
  const copies = new Map<Table, Table>();
  const write = (site: Site, cells: (number | null)[]) => {
    let table = copies.get(site.table);
    if (!table) copies.set(site.table, (table = { ...site.table, rows: site.table.rows.map((r) => [...r]) }));
    const row = table.rows[site.row];
    const place = row[site.first]?.place;
    const out: Cell[] = cells.map((v) => ({
      text: v === null ? "" : String(v),
      rowSpan: 1,
      colSpan: 1,
      read: { status: v === null ? ("unreadable" as const) : ("split" as const) },
      ...(place ? { place } : {}),
    }));
    table.rows[site.row] = [...row.slice(0, site.first), ...out];
  };

  if (requestRuns.size) {
    const keys = new Set([...requestRuns.keys(), ...fixed.keys()]);
    const others = keys.has(OTHER_ROW_2019) ? [OTHER_ROW_2019] : [...OTHER_ROWS_2021];
    const results = [...REQUEST_ROWS.filter((k) => !["newReceived", "carriedOver", "total", "carriedForward"].includes(k)), ...others];
    const res = splitTable3({
      runs: [...requestRuns].map(([key, s]) => ({ key, tokens: s.tokens })),
      fixed,
      resultRows: results,
      statedReceived: statedReceived(doc.blocks),
      budget: budget(),
    });
    for (const [key, site] of requestRuns) write(site, res.values.get(key) ?? new Array(7).fill(null));
    notes.push(...res.notes);
  }
  for (const [key, { site, def }] of activeRuns) {
    const res = splitActiveRow(key, site.tokens, def.columns.length);
    write(site, res.values.get(key) ?? new Array(def.columns.length).fill(null));
    notes.push(...res.notes);
  }
  if (reviewRun) {
    const site: Site = reviewRun;
    const res = splitTable4(site.tokens);
    write(site, res.values.get("reviews") ?? new Array(15).fill(null));
    notes.push(...res.notes);
  }
  if (!notes.length && !requestRuns.size && !activeRuns.size && !reviewRun) return { doc, notes };
  return { doc: { ...doc, blocks: doc.blocks.map((b) => (b.kind === "table" ? (copies.get(b) ?? b) : b)) }, notes };
}
