// Record contract v2 (docs/record.md): where every value came from, and
// every note the reader made as an object with a stable code. Defined once here; the
// readers, the mapping, the store, the exports and the review page all use these shapes.
import { z } from "zod";
import { isProvenance, PUBLISHED_ON_SOURCES, SEVERITIES, VALUE_STATUSES } from "./provenance-check.js";

export { isProvenance, isProvenanceEntry, isRecordPlace, PUBLISHED_ON_SOURCES, SEVERITIES, VALUE_STATUSES } from "./provenance-check.js";

/**
 * Where a value or a note was read, in the record's own terms (1-based throughout):
 * `page` and `box` ([x0, y0, x1, y1], PDF points, origin top-left of the page) for PDF;
 * `table`, `row`, `col` in the document's own tables (after merged cells are expanded)
 * for every format with tables; `line` for text.
 */
export const RecordPlace = z.strictObject({
  page: z.number().int().min(1).optional(),
  box: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
  table: z.number().int().min(1).optional(),
  row: z.number().int().min(1).optional(),
  col: z.number().int().min(1).optional(),
  line: z.number().int().min(1).optional(),
});
export type RecordPlace = z.infer<typeof RecordPlace>;

/** How a value was read. */
export const ValueStatus = z.enum(VALUE_STATUSES);
export type ValueStatus = z.infer<typeof ValueStatus>;

/**
 * Where `publishedOn` was read (its provenance entry's `source`): the date printed at the end
 * of the report, a date line on the page (`发布日期：…`), the page's own <meta> date, or the
 * date printed beside the report's link on the portal's list page. Best first.
 */
export const PublishedOnSource = z.enum(PUBLISHED_ON_SOURCES);
export type PublishedOnSource = z.infer<typeof PublishedOnSource>;

/**
 * The date printed beside a report's link on a portal's list page, passed down by the
 * crawler with the URL (and from a page to the attachments it links): `date` ISO 8601,
 * `text` as printed, `page` the list page's URL.
 */
export interface ListedOn {
  date: string;
  text: string;
  page?: string;
}

/**
 * How a document's link was found, which its reading may depend on (a body or date the
 * document does not print): the list page's date beside it (an attachment's is its
 * page's), the link's text, and for an attachment the title of the page that links it
 * (某局2024年政府信息公开工作年度报告 over 附件1). Kept by the crawler for each link
 * (crawl_links) and by the store for each version it read (versions.found_as), so later
 * reads give the same.
 */
export interface FoundAs {
  listedOn?: ListedOn;
  linkText?: string;
  pageTitle?: string;
}

/** A FoundAs holding only what is known (no empty keys). */
export function foundAs(h: { listedOn?: ListedOn | null; linkText?: string | null; pageTitle?: string | null }): FoundAs {
  return { ...(h.listedOn ? { listedOn: h.listedOn } : {}), ...(h.linkText ? { linkText: h.linkText } : {}), ...(h.pageTitle ? { pageTitle: h.pageTitle } : {}) };
}

export const ProvenanceEntry = z.strictObject({
  /** The cell exactly as printed (whitespace collapsed); "" for a blank or a missing cell. */
  text: z.string(),
  status: ValueStatus,
  place: RecordPlace.optional(),
  /** OCR confidence 0..1, where the value was read from an image. */
  confidence: z.number().min(0).max(1).optional(),
  /** sha256 of the document the value was read from, where a report takes it from another copy than its best one. */
  document: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** `publishedOn` only: where the date was read (PUBLISHED_ON_SOURCES). */
  source: PublishedOnSource.optional(),
});
export type ProvenanceEntry = z.infer<typeof ProvenanceEntry>;

export const DiagnosticSeverity = z.enum(SEVERITIES);
export type DiagnosticSeverity = z.infer<typeof DiagnosticSeverity>;

export const RecordDiagnostic = z.strictObject({
  /** Stable, dotted: `cell.blank`, `cell.dash`, `row.unmatched`, `meta.noDate`, ... */
  code: z.string().regex(/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/),
  severity: DiagnosticSeverity,
  /** The cell key (or metadata key) the note is about. */
  key: z.string().optional(),
  place: RecordPlace.optional(),
  /** A sentence for people; it never repeats the file name. */
  message: z.string(),
});
export type RecordDiagnostic = z.infer<typeof RecordDiagnostic>;

/** The record's provenance: cell key → entry, every entry checked by isProvenanceEntry (one check for the map, no per-entry parse). */
export const Provenance = z.custom<Record<string, ProvenanceEntry>>(
  isProvenance,
  { message: "provenance: every entry is { text, status, place?, confidence?, document?, source? } (docs/record.md)" },
);
