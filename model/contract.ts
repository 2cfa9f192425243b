// The record contract's constants, apart from its zod schemas (model/record.ts, which
// re-exports these): what reads and writes records at run time imports them from here, so
// loading a reader never loads zod (about 55 ms), which is needed only to word a failure.

/** 2: `warnings` gave way to `diagnostics` (objects with a code) and `provenance` came in. */
export const SCHEMA_VERSION = 2 as const;

/** Key order of the contract, so JSON output reads as the spec does. */
export const TOP_LEVEL_KEYS = [
  "schemaVersion", "source", "template", "organ", "year", "publishedOn", "region",
  "active", "requests", "reviews", "sections", "checks", "provenance", "diagnostics",
] as const;
