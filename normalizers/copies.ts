// One report, several documents: a body's report for one year often arrives as its
// portal page, a DOCX and a PDF attachment, a re-upload. A researcher's unit is the
// report, so its copies are read together: the values come from the best copy, cell by
// cell a cell the best copy could not read is taken from a copy that read it (and
// provenance names that document), and copies that print different values are a finding
// (`copies.disagree`) no single document allows. Nothing is averaged or voted: a value
// is always one document's printed value.
import { cellMap, setCell } from "../model/cells.js";
import type { Check, Format, ReportRecord } from "../model/record.js";
import { runRecordRules } from "./rules.js";
import { PUBLISHED_ON_SOURCES } from "../model/provenance-check.js";

/**
 * Ties between equally complete copies go to the format whose grid is most exact: DOCX
 * and HTML state every cell; a PDF's grid is rebuilt from its layout; text has no grid.
 */
export const FORMAT_PREFERENCE: readonly Format[] = ["docx", "html", "pdf", "text"];

export interface Copy {
  /** The document's id (a stored report row). */
  id: number;
  record: ReportRecord;
}

export interface Consolidated {
  record: ReportRecord;
  /** The copy the values come from. */
  best: number;
  /** Every copy, best first. */
  documents: number[];
  /** Cells the best copy could not read, taken from another copy: key → that copy's id. */
  filled: Map<string, number>;
  /** One `copies.disagree` finding per cell on which copies print different values. */
  disagreements: Check[];
}

type Status = string | undefined;
const statusOf = (r: ReportRecord, key: string): Status =>
  (r as { provenance?: Record<string, { status?: string }> }).provenance?.[key]?.status;

/** A null the document shows as empty (blank or dash) is a value of its own: nothing printed. */
const printedEmpty = (s: Status) => s === "blank" || s === "dash";

function nulls(r: ReportRecord): number {
  let n = 0;
  for (const v of cellMap(r).values()) if (v === null) n++;
  return n;
}

const isCrossYear = (c: { rule: string }) => c.rule.startsWith("crossYear.");

/**
 * Best first: fewest nulls, then fewest failed checks of its own (the template's; cross-year
 * findings are about the body's series and sit on the year's newest copy only), then
 * FORMAT_PREFERENCE, then the oldest.
 */
export function rankCopies(copies: Copy[]): Copy[] {
  const own = (c: Copy) => c.record.checks.filter((k) => !isCrossYear(k)).length;
  const key = (c: Copy) => [nulls(c.record), own(c), FORMAT_PREFERENCE.indexOf(c.record.source.format), c.id];
  return [...copies].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    return 0;
  });
}

/** How good a copy's date is: the order of PUBLISHED_ON_SOURCES (the signature first); no date last. */
function dateRank(c: Copy): number {
  if (c.record.publishedOn === null) return Infinity;
  const source = (c.record as { provenance?: Record<string, { source?: string }> }).provenance?.publishedOn?.source;
  const i = source ? (PUBLISHED_ON_SOURCES as readonly string[]).indexOf(source) : -1;
  // A date stored before sources were recorded was read from the document itself.
  return i >= 0 ? i : 0;
}

/** The copy whose date is best sourced; among equals, the best-ranked copy. */
function bestDated(ranked: Copy[]): Copy | null {
  let pick: Copy | null = null;
  for (const c of ranked) if (dateRank(c) < (pick ? dateRank(pick) : Infinity)) pick = c;
  return pick;
}

const describe = (c: Copy) => `document ${c.id} (${c.record.source.format}, ${c.record.source.sha256.slice(0, 12)})`;

/** Reads a report's copies together. `copies` must be documents of one body and one year. */
export function consolidate(copies: Copy[]): Consolidated {
  if (copies.length === 0) throw new Error("consolidate: no copies");
  const ranked = rankCopies(copies);
  const best = ranked[0];
  const record = structuredClone(best.record);
  const filled = new Map<string, number>();
  const disagreements: Check[] = [];
  const maps = ranked.map((c) => cellMap(c.record));

  for (const [key, value] of maps[0]) {
    // What each copy says of this cell: a number, printed empty, or not read.
    const readings = ranked.map((c, i) => ({ copy: c, value: maps[i].has(key) ? maps[i].get(key)! : undefined, status: statusOf(c.record, key) }));
    const said = readings.filter((r) => r.value !== undefined && (r.value !== null || printedEmpty(r.status)));
    const distinct = new Set(said.map((r) => (r.value === null ? "empty" : String(r.value))));
    if (distinct.size > 1)
      disagreements.push({
        rule: "copies.disagree",
        severity: "warning",
        where: key,
        message: said.map((r) => `${describe(r.copy)} prints ${r.value === null ? "nothing" : r.value}`).join("; "),
      });
    else if (value === null && statusOf(best.record, key) === "unreadable") {
      // Another copy shows the cell: its number, or that it is printed empty.
      const other = said[0];
      if (other) {
        setCell(record, key, other.value as number | null);
        filled.set(key, other.copy.id);
      }
    }
  }

  const prov = (record as { provenance?: Record<string, Record<string, unknown>> }).provenance;
  for (const [key, id] of filled) {
    const from = ranked.find((c) => c.id === id)!;
    const entry = (from.record as { provenance?: Record<string, Record<string, unknown>> }).provenance?.[key];
    if (prov && entry) prov[key] = { ...entry, document: from.record.source.sha256 };
  }
  // The date: the best-sourced one of any copy (the signature of a DOCX over its page's
  // <meta> date), with its provenance naming the copy it came from.
  const dated = bestDated(ranked);
  if (dated && dated !== best && dated.record.publishedOn !== null) {
    record.publishedOn = dated.record.publishedOn;
    const entry = (dated.record as { provenance?: Record<string, Record<string, unknown>> }).provenance?.publishedOn;
    if (prov && entry) prov.publishedOn = { ...entry, document: dated.record.source.sha256 };
  }
  // Metadata the best copy lacks, from the others (the page's URL, its region).
  for (const c of ranked.slice(1)) {
    record.source.url ??= c.record.source.url;
    record.region ??= c.record.region;
  }
  // The template's arithmetic again, on the values the report now holds. Cross-year findings
  // are about the body's series: the ingest service works them out on the consolidated
  // reports of two years and keeps them on each year's newest document (an older copy holds
  // none), so they are taken from the newest copy, whichever copy is best.
  const newest = copies.reduce((a, b) => (b.id > a.id ? b : a));
  const crossYear = newest.record.checks.filter(isCrossYear);
  record.checks = [...runRecordRules({ requests: record.requests, reviews: record.reviews, sections: record.sections }), ...crossYear, ...disagreements];
  return { record, best: best.id, documents: ranked.map((c) => c.id), filled, disagreements };
}
