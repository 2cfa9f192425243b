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
const SOURCE_SET = new Set<string>(PUBLISHED_ON_SOURCES);

/** A place's page, table, row, col or line: absent, or a whole number from 1. */
const isPlaceIndex = (n: unknown) => n === undefined || (typeof n === "number" && Number.isInteger(n) && n >= 1);

// The two checks below take each key's value as the key is met: one pass over an entry's
// keys and no second round of lookups by name (a record has some 200 entries and places;
// this halved the provenance check, measured).

/** Exactly `RecordPlace.safeParse(v).success`, without zod's allocations. */
export function isRecordPlace(v: unknown): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const p = v as Record<string, unknown>;
  for (const k in p) {
    const value = p[k];
    switch (k) {
      case "page":
      case "table":
      case "row":
      case "col":
      case "line":
        if (!isPlaceIndex(value)) return false;
        break;
      case "box":
        if (value !== undefined && !(Array.isArray(value) && value.length === 4 && value.every((x) => typeof x === "number" && Number.isFinite(x))))
          return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Exactly `ProvenanceEntry.safeParse(v).success`, without zod's allocations. */
export function isProvenanceEntry(v: unknown): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const e = v as Record<string, unknown>;
  for (const k in e) {
    const value = e[k];
    switch (k) {
      case "text":
      case "status":
        break; // required: checked after the loop
      case "place":
        if (value !== undefined && !isRecordPlace(value)) return false;
        break;
      case "confidence":
        if (value !== undefined && !(typeof value === "number" && value >= 0 && value <= 1)) return false;
        break;
      case "document":
        if (value !== undefined && !(typeof value === "string" && /^[0-9a-f]{64}$/.test(value))) return false;
        break;
      case "source":
        if (value !== undefined && !(typeof value === "string" && SOURCE_SET.has(value))) return false;
        break;
      default:
        return false;
    }
  }
  return typeof e.text === "string" && typeof e.status === "string" && STATUS_SET.has(e.status);
}

/** Exactly `Provenance.safeParse(v).success`: an object whose every entry passes isProvenanceEntry. */
export function isProvenance(v: unknown): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  // for-in rather than Object.values: no array of 200 entries made to be walked once.
  for (const k in v) if (!isProvenanceEntry((v as Record<string, unknown>)[k])) return false;
  return true;
}
