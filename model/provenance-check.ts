// The provenance's constants and its hand-written checks, apart from the zod schemas of
// model/provenance.ts (which re-exports them and defines the record's Provenance with
// isProvenance): the record's check (model/record-check.ts) and the readers use them
// without loading zod.
// (No import of provenance.ts, not even of its types: it imports this file.)

/** How a value was read (model/provenance.ts ValueStatus). */
export const VALUE_STATUSES = ["printed", "blank", "dash", "note", "split", "ocr", "unreadable"] as const;
/** Where `publishedOn` was read, best first (model/provenance.ts PublishedOnSource). */
export const PUBLISHED_ON_SOURCES = ["signature", "page-date-line", "page-meta", "list-page"] as const;
/** A diagnostic's severities (model/provenance.ts DiagnosticSeverity). */
export const SEVERITIES = ["info", "warning", "error"] as const;

// The record holds one provenance entry per cell (about 200): zod's parse of that many
// small objects costs more than the rest of a text report's parse (about 9 ms of 14,
// measured), so the record checks them with these, which say exactly what the schemas
// of model/provenance.ts say (test/provenance.test.ts holds them to it).
const STATUS_SET = new Set<string>(VALUE_STATUSES);
const PLACE_INTS = ["page", "table", "row", "col", "line"] as const;
const SOURCE_SET = new Set<string>(PUBLISHED_ON_SOURCES);

/** Exactly `RecordPlace.safeParse(v).success`, without zod's allocations. */
export function isRecordPlace(v: unknown): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const p = v as Record<string, unknown>;
  // One pass over the keys (a record has some 200 places to check).
  for (const k in p)
    switch (k) {
      case "page":
      case "table":
      case "row":
      case "col":
      case "line":
        break;
      case "box":
        break;
      default:
        return false;
    }
  for (const k of PLACE_INTS) {
    const n = p[k];
    if (n !== undefined && !(typeof n === "number" && Number.isInteger(n) && n >= 1)) return false;
  }
  const box = p.box;
  return box === undefined || (Array.isArray(box) && box.length === 4 && box.every((x) => typeof x === "number" && Number.isFinite(x)));
}

/** Exactly `ProvenanceEntry.safeParse(v).success`, without zod's allocations. */
export function isProvenanceEntry(v: unknown): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const e = v as Record<string, unknown>;
  for (const k in e)
    switch (k) {
      case "text":
      case "status":
      case "place":
      case "confidence":
      case "document":
      case "source":
        break;
      default:
        return false;
    }
  if (typeof e.text !== "string" || typeof e.status !== "string" || !STATUS_SET.has(e.status)) return false;
  const c = e.confidence;
  if (c !== undefined && !(typeof c === "number" && c >= 0 && c <= 1)) return false;
  if (e.document !== undefined && !(typeof e.document === "string" && /^[0-9a-f]{64}$/.test(e.document))) return false;
  if (e.source !== undefined && !(typeof e.source === "string" && SOURCE_SET.has(e.source))) return false;
  return e.place === undefined || isRecordPlace(e.place);
}

/** Exactly `Provenance.safeParse(v).success`: an object whose every entry passes isProvenanceEntry. */
export function isProvenance(v: unknown): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  // for-in rather than Object.values: no array of 200 entries made to be walked once.
  for (const k in v) if (!isProvenanceEntry((v as Record<string, unknown>)[k])) return false;
  return true;
}
