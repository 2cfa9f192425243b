// The record checks its ~200 provenance entries with hand-written predicates (zod's
// per-entry parse cost more than the rest of a text parse): they must say exactly what
// the zod schemas of model/provenance.ts say, on good entries and on each way to be bad.
import { describe, expect, it } from "vitest";
import { isProvenanceEntry, isRecordPlace, ProvenanceEntry, Provenance, RecordPlace } from "../model/provenance.js";

const places: unknown[] = [
  {}, { page: 1 }, { page: 2, box: [1, 2, 3, 4] }, { table: 1, row: 2, col: 3 }, { line: 9 }, { page: 1, box: [0.5, 1.25, 10, 20], table: 3, row: 4, col: 5 },
  { page: 0 }, { row: 1.5 }, { col: -1 }, { line: "3" }, { box: [1, 2, 3] }, { box: [1, 2, 3, "4"] }, { box: [1, 2, 3, Infinity] }, { box: { x0: 1 } },
  { cell: 1 }, null, [], "p", 3, { page: 1, extra: true },
];
const entries: unknown[] = [
  { text: "12", status: "printed" }, { text: "", status: "blank" }, { text: "—", status: "dash", place: { table: 1, row: 2, col: 3 } },
  { text: "7", status: "ocr", confidence: 0.9, place: { page: 1, box: [1, 2, 3, 4] } }, { text: "x", status: "unreadable" },
  { text: "12", status: "guessed" }, { text: 12, status: "printed" }, { status: "printed" }, { text: "1" }, { text: "1", status: "printed", confidence: 1.5 },
  { text: "1", status: "printed", confidence: -0.1 }, { text: "1", status: "printed", document: "a".repeat(64) }, { text: "1", status: "printed", document: "x.pdf" }, { text: "1", status: "printed", place: { page: 0 } }, { text: "1", status: "printed", extra: 1 }, null, [], "e",
  { text: "二〇二五年一月三日", status: "printed", source: "signature" }, { text: "2025-01-03", status: "printed", source: "list-page" }, { text: "1", status: "printed", source: "guessed" }, { text: "1", status: "printed", source: 3 },
];

describe("provenance predicates", () => {
  it("agree with RecordPlace on every sample", () => {
    for (const p of places) expect([p, isRecordPlace(p)]).toEqual([p, RecordPlace.safeParse(p).success]);
  });
  it("agree with ProvenanceEntry on every sample", () => {
    for (const e of entries) expect([e, isProvenanceEntry(e)]).toEqual([e, ProvenanceEntry.safeParse(e).success]);
  });
  it("check every entry of a record's provenance", () => {
    expect(Provenance.safeParse({ "active.regulations.issued": { text: "3", status: "printed" } }).success).toBe(true);
    expect(Provenance.safeParse({ a: { text: "3", status: "printed" }, b: { text: "3", status: "nope" } }).success).toBe(false);
    expect(Provenance.safeParse([]).success).toBe(false);
  });
});
