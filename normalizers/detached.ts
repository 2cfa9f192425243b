// Labels detached from their numbers (PDF → Markdown converters): a row's label sits in
// a row of its own, above or below the row of its numbers. Above is what the mapping
// already reads (a label waiting for its numbers). Below is read here: in a table rebuilt
// from text, a run of detached rows that starts with numbers and ends with a label, and
// alternates strictly (numbers, label, numbers, label …), pairs each label with the
// numbers just above it. Group labels and header rows alone on a row (no template row)
// are passed over. Any other run is left as it is: which label owns which numbers is then
// not decided here, and the mapping's own rules (or a null) apply.
import { isUnsettled, type Block, type Cell, type Document, type Table } from "../model/document.js";
import { ACTIVE_2019, ACTIVE_2021, REQUEST_ROW_DEFS } from "../data/template.js";
import { LabelMatcher } from "./labels.js";
import { isBlank, isValueLike } from "./values.js";

const MATCHERS = [new LabelMatcher(REQUEST_ROW_DEFS), new LabelMatcher([...ACTIVE_2021, ...ACTIVE_2019])];

type Kind = "numbers" | "label" | "pass" | "full";

function kindOf(row: Cell[]): { kind: Kind; labelEnd: number } {
  const texts = row.map((c) => c.text.trim());
  const firstValue = texts.findIndex(isValueLike);
  const end = firstValue === -1 ? texts.length : firstValue;
  let lastLabel = -1;
  for (let i = 0; i < end; i++) if (!isBlank(texts[i])) lastLabel = i;
  // Cells the reader left unread on purpose (numbers it could not place) are numbers, not blanks.
  const hasValues = texts.slice(lastLabel + 1).some((t) => !isBlank(t)) || row.slice(lastLabel + 1).some(isUnsettled);
  if (lastLabel === -1) return { kind: hasValues ? "numbers" : "pass", labelEnd: 0 };
  if (hasValues) return { kind: "full", labelEnd: lastLabel + 1 };
  const label = texts.slice(0, lastLabel + 1).filter((t) => !isBlank(t));
  const last = label[label.length - 1];
  const matched = MATCHERS.some((m) => (m.match(last)?.score ?? 0) >= 0.9 || (m.match(label.join(""))?.score ?? 0) >= 0.9);
  return { kind: matched ? "label" : "pass", labelEnd: lastLabel + 1 };
}

/** Pair labels printed below their numbers; returns the document unchanged when there are none. */
export function attachLabelsBelow(doc: Document): { doc: Document; attached: number } {
  let attached = 0;
  const blocks: Block[] = doc.blocks.map((b) => {
    if (b.kind !== "table" || b.exactGrid) return b;
    const rows = readBelow(b);
    if (!rows) return b;
    attached += b.rows.length - rows.length;
    return { ...b, rows };
  });
  return attached ? { doc: { ...doc, blocks }, attached } : { doc, attached };
}

function readBelow(t: Table): Cell[][] | null {
  const kinds = t.rows.map(kindOf);
  const pairs = new Map<number, { label: number; numbers: number }>(); // keyed by the row the pair is written at
  const used = new Set<number>();
  const groups = new Set<number>();
  let i = 0;
  while (i < t.rows.length) {
    const k = kinds[i].kind;
    if (k !== "numbers" && k !== "label") {
      i++;
      continue;
    }
    // A run of detached rows from here (rows of header words and group labels passed over).
    const run: number[] = [];
    let j = i;
    for (; j < t.rows.length && kinds[j].kind !== "full"; j++) if (kinds[j].kind === "numbers" || kinds[j].kind === "label") run.push(j);
    const found = pairRun(t, kinds, run);
    if (found) {
      for (const p of found) {
        pairs.set(p.label, p);
        used.add(p.numbers);
      }
      for (const r of run) if (kinds[r].kind === "label" && !pairs.has(r)) groups.add(r);
    }
    i = j;
  }
  if (!pairs.size) return null;
  const out: Cell[][] = [];
  t.rows.forEach((row, r) => {
    if (used.has(r)) return;
    const p = pairs.get(r);
    if (!p && groups.has(r)) return out.push(row.slice(0, kinds[r].labelEnd)); // a group label: its label alone
    if (!p) return out.push(row);
    const label = row.slice(0, kinds[r].labelEnd);
    // The numbers row's leading blank cells stand under the label's columns.
    const nums = t.rows[p.numbers];
    let skip = 0;
    while (skip < kinds[r].labelEnd && skip < nums.length && isBlank(nums[skip].text)) skip++;
    out.push([...label, ...nums.slice(skip)]);
  });
  return out;
}

/**
 * Pair a run's labels with their numbers: below (the run opens with numbers: each label
 * takes the numbers just above it) or above (it opens with a label printed with blank
 * cells beside it, as a converter's table row: each takes the numbers just below). Every
 * numbers row must find its label; a label left over is allowed only as a group label
 * (（六）其他处理 over its three rows). Anything else: null, the run is left as printed.
 */
function pairRun(t: Table, kinds: { kind: Kind }[], run: number[]): { label: number; numbers: number }[] | null {
  if (run.length < 2) return null;
  const below = kinds[run[0]].kind === "numbers";
  if (!below && t.rows[run[0]].length < 2) return null; // a label line of pdf text: the mapping's own reading applies
  const out: { label: number; numbers: number }[] = [];
  let waiting: number | null = null;
  for (const r of run) {
    const k = kinds[r].kind;
    if (below) {
      if (k === "numbers") {
        if (waiting !== null) return null;
        waiting = r;
      } else if (waiting !== null) {
        out.push({ label: r, numbers: waiting });
        waiting = null;
      } else if (!isGroupLabel(t.rows[r])) return null;
    } else {
      if (k === "label") {
        if (waiting !== null && !isGroupLabel(t.rows[waiting])) return null;
        waiting = r;
      } else {
        if (waiting === null) return null;
        out.push({ label: waiting, numbers: r });
        waiting = null;
      }
    }
  }
  if (waiting !== null && (below || !isGroupLabel(t.rows[waiting]))) return null;
  return out.length ? out : null;
}

/** （六）其他处理: a row of the 2019 form, the group label of three rows in the 2021 form. */
function isGroupLabel(row: Cell[]): boolean {
  const text = row.map((c) => c.text.trim()).filter(Boolean).join("");
  return MATCHERS[0].match(text)?.key === "other";
}
