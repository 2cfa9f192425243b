// Citation: where a document was seen (paths, zip members, URLs, with first and last
// sightings and the crawler's retrieval time) and where its date was read. The exports
// take their records through withPlaces, which adds every place of a report's documents;
// the summary columns (places, first_seen, ...) come from citationColumns, one definition
// for the wide CSV, the long CSV, Parquet and the data package.
import type { DocumentPlace, ReportRecord } from "../model/record.js";
import type { ProvenanceEntry, RecordDiagnostic } from "../model/provenance.js";

/** What reads the places of bytes: the store (Store.placesOf). */
export interface PlaceSource {
  placesOf(shas: readonly string[]): DocumentPlace[];
}

/**
 * Each record with the places of its documents (`shas`: every document of a report; by
 * default the record's own bytes). A record without a date whose bytes were met on a
 * portal's list page beside a date (bytes stored before the crawl saw them) takes that
 * date, with provenance `source: "list-page"`; the stored record is not changed.
 */
export function* withPlaces<T extends { id: number; record: ReportRecord }>(
  store: PlaceSource,
  records: Iterable<T>,
  shasOf: (r: T) => readonly string[] | undefined = () => undefined,
): Generator<T & { places: DocumentPlace[] }> {
  for (const r of records) {
    const places = store.placesOf(shasOf(r) ?? [r.record.source.sha256]);
    yield { ...r, record: locatedFromPlaces(datedFromList(r.record, places), places), places };
  }
}

/** The record with the list page's date where it has none of its own (a new object), or the record itself. */
export function datedFromList(record: ReportRecord, places: readonly DocumentPlace[]): ReportRecord {
  if (record.publishedOn !== null) return record;
  const listed = ownFirst(record, places).find((p) => p.listedOn !== null);
  if (!listed?.listedOn) return record;
  const out = structuredClone(record);
  out.publishedOn = listed.listedOn;
  const entry: ProvenanceEntry = { text: listed.listedOn, status: "printed", source: "list-page", document: listed.sha256 };
  out.provenance = { ...out.provenance, publishedOn: entry };
  const note: RecordDiagnostic = {
    code: "meta.dateFromListPage",
    severity: "info",
    key: "publishedOn",
    message: `publishedOn: no date in the document; read from the portal's list page (${listed.url ?? listed.path ?? "a list page"})`,
  };
  out.diagnostics = [...out.diagnostics.filter((d) => d.code !== "meta.noDate"), note];
  return out;
}

/**
 * The record with a URL where its source has none (a new object), or the record itself:
 * bytes stored from a folder keep `source.url` null in the stored record, and a crawl that
 * later met the same bytes (or another copy of the report) knows where they are published.
 * The best document's own URL first, else the URL of another document of the report, first
 * seen first. The same rule as v_reports.source_url (src/migrations.ts, step 9).
 */
export function locatedFromPlaces(record: ReportRecord, places: readonly DocumentPlace[]): ReportRecord {
  if (record.source.url) return record;
  const url = ownFirst(record, places).find((p) => p.url !== null)?.url;
  return url ? { ...record, source: { ...record.source, url } } : record;
}

/** The places of the record's own bytes first, then the others (each group in the order given: first seen first). */
function ownFirst(record: ReportRecord, places: readonly DocumentPlace[]): DocumentPlace[] {
  const own = record.source.sha256;
  return [...places.filter((p) => p.sha256 === own), ...places.filter((p) => p.sha256 !== own)];
}

/** Where a record's date was read (provenance.publishedOn.source), or null where it has none. */
export function publishedOnSource(record: ReportRecord): string | null {
  if (record.publishedOn === null) return null;
  return (record.provenance as Record<string, ProvenanceEntry | undefined>).publishedOn?.source ?? null;
}

/** A report's citation in columns: how many places, first and last seen, the latest retrieval, every URL. */
export interface CitationColumns {
  places: number;
  first_seen: string | null;
  last_seen: string | null;
  retrieved_at: string | null;
  published_on_source: string | null;
  /** Every URL the report was fetched from, space-separated (a URL holds no space). */
  urls: string | null;
}

export function citationColumns(record: ReportRecord, places: readonly DocumentPlace[] | undefined): CitationColumns {
  const ps = places ?? [];
  const min = (xs: (string | null)[]) => xs.reduce<string | null>((a, b) => (b !== null && (a === null || b < a) ? b : a), null);
  const max = (xs: (string | null)[]) => xs.reduce<string | null>((a, b) => (b !== null && (a === null || b > a) ? b : a), null);
  const urls = [...new Set(ps.map((p) => p.url).filter((u): u is string => u !== null))];
  return {
    places: ps.length,
    first_seen: min(ps.map((p) => p.firstSeen)),
    last_seen: max(ps.map((p) => p.lastSeen)),
    retrieved_at: max(ps.map((p) => p.retrievedAt)),
    published_on_source: publishedOnSource(record),
    urls: urls.length ? urls.join(" ") : null,
  };
}

/** The column names, in order, with what each holds (the data package's descriptions). */
export const CITATION_FIELDS: readonly { name: keyof CitationColumns; type: "integer" | "string"; description: string }[] = [
  { name: "places", type: "integer", description: "how many places (paths, zip members, URLs) the report's documents were seen at (the places table lists them)" },
  { name: "first_seen", type: "string", description: "when a document of the report was first met (ISO 8601, UTC)" },
  { name: "last_seen", type: "string", description: "when a document of the report was last met (ISO 8601, UTC)" },
  { name: "retrieved_at", type: "string", description: "when the crawler last fetched a document of the report (ISO 8601, UTC); empty where none was crawled" },
  { name: "published_on_source", type: "string", description: "where published_on was read: signature, page-date-line, page-meta or list-page" },
  { name: "urls", type: "string", description: "every URL a document of the report was fetched from, space-separated" },
];
