// A report's copies read together: the best copy's values, cells it could not read
// filled from another copy with provenance naming it, disagreements found.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parseReport } from "../src/pipeline.js";
import { cellMap, setCell } from "../model/cells.js";
import type { ReportRecord } from "../model/record.js";
import { consolidate, rankCopies, type Copy } from "../normalizers/copies.js";

let base: ReportRecord;
type Prov = Record<string, { text: string; status: string; document?: string }>;

beforeAll(async () => {
  const bytes = readFileSync("data/samples/2024-硚口区商务局.txt");
  const out = await parseReport({ bytes, name: "x.txt", path: "x.txt" });
  if (!out.ok) throw new Error(out.message);
  base = out.record;
  expect(base.checks).toEqual([]); // so a failed check below is the copies' doing
});

/** A copy of the sample as another document: its own format, hash and (test-set) statuses. */
function copy(id: number, format: ReportRecord["source"]["format"], edit?: (r: ReportRecord & { provenance: Prov }) => void): Copy {
  const r = structuredClone(base) as ReportRecord & { provenance: Prov };
  r.source = { ...r.source, format, sha256: String(id).repeat(64).slice(0, 64), url: null };
  r.provenance = {};
  for (const [k, v] of cellMap(r)) r.provenance[k] = { text: v === null ? "" : String(v), status: v === null ? "blank" : "printed" };
  edit?.(r);
  return { id, record: r };
}
const KEY = "requests.granted.naturalPerson";
const unread = (r: ReportRecord & { provenance: Prov }, key = KEY) => {
  setCell(r, key, null);
  r.provenance[key] = { text: "", status: "unreadable" };
};

describe("consolidating a report's copies", () => {
  it("cross-year findings come from the year's newest copy (the one the ingest service keeps current) and do not rank a copy down", () => {
    const stale = { rule: "crossYear.carriedOver", severity: "error" as const, message: "自然人: 2024 上年结转 says 0, but 2023 结转下年度继续办理 says 3", where: "requests.carriedOver.naturalPerson" };
    // The DOCX (older, the best by format) still holds a finding a later copy of 2023 made stale; the newest copy holds none.
    const older = copy(1, "docx", (r) => void (r.checks = [stale]));
    const newer = copy(2, "text");
    const c = consolidate([older, newer]);
    expect(c.best).toBe(1); // by format: the cross-year finding does not count against it
    expect(c.record.checks).toEqual([]);
    // And the other way round: the newest copy's current finding is the report's, though another copy is best.
    const fresh = consolidate([copy(1, "docx"), copy(2, "text", (r) => void (r.checks = [stale]))]);
    expect(fresh.best).toBe(1);
    expect(fresh.record.checks).toEqual([stale]);
  });

  it("identical copies: the best by format order, no finding, values unchanged", () => {
    const c = consolidate([copy(3, "pdf"), copy(2, "text"), copy(1, "html"), copy(4, "docx")]);
    expect(c.best).toBe(4);
    expect(c.documents).toEqual([4, 1, 3, 2]);
    expect(c.disagreements).toEqual([]);
    expect(cellMap(c.record)).toEqual(cellMap(base));
  });

  it("prefers the more complete copy over the preferred format", () => {
    const docx = copy(1, "docx", (r) => unread(r));
    const pdf = copy(2, "pdf");
    expect(rankCopies([docx, pdf]).map((c) => c.id)).toEqual([2, 1]);
  });

  it("fills a cell the best copy could not read from a copy that read it, and says which document", () => {
    const original = cellMap(base).get(KEY)!;
    expect(original).not.toBeNull();
    // The docx is best (fewer nulls elsewhere); it could not read KEY; the pdf read it.
    const docx = copy(1, "docx", (r) => unread(r));
    const pdf = copy(2, "pdf", (r) => {
      unread(r, "requests.granted.commercialEnterprise");
      unread(r, "requests.granted.total");
    });
    const c = consolidate([docx, pdf]);
    expect(c.best).toBe(1);
    expect(cellMap(c.record).get(KEY)).toBe(original);
    expect(c.filled).toEqual(new Map([[KEY, 2]]));
    expect((c.record as unknown as { provenance: Prov }).provenance[KEY].document).toBe(pdf.record.source.sha256);
    expect(c.disagreements).toEqual([]);
    // The best copy's own record is left as it was.
    expect(cellMap(docx.record).get(KEY)).toBeNull();
  });

  it("never fills a cell the best copy shows as blank: a number in another copy is a disagreement", () => {
    const docx = copy(1, "docx", (r) => {
      setCell(r, KEY, null);
      r.provenance[KEY] = { text: "", status: "blank" };
    });
    const c = consolidate([docx, copy(2, "pdf", (r) => unread(r, "requests.carriedOver.total"))]);
    expect(c.best).toBe(1);
    expect(cellMap(c.record).get(KEY)).toBeNull();
    expect(c.filled.size).toBe(0);
    expect(c.disagreements).toHaveLength(1);
    expect(c.disagreements[0]).toMatchObject({ rule: "copies.disagree", where: KEY });
    expect(c.disagreements[0].message).toContain("prints nothing");
  });

  it("names every cell on which two copies print different numbers, keeping the best copy's value", () => {
    const original = cellMap(base).get(KEY)!;
    const pdf = copy(2, "pdf", (r) => setCell(r, KEY, original + 7));
    const c = consolidate([copy(1, "docx"), pdf]);
    expect(cellMap(c.record).get(KEY)).toBe(original);
    expect(c.disagreements.map((d) => d.where)).toEqual([KEY]);
    expect(c.disagreements[0].message).toContain(`prints ${original + 7}`);
    expect(c.record.checks.filter((x) => x.rule === "copies.disagree")).toHaveLength(1);
  });

  it("re-runs the template's arithmetic on the filled values", () => {
    // The best copy could not read one cell, so its row-total check was not computed;
    // the filled value comes from a copy whose row does not add up.
    const row = "requests.newReceived";
    const cols = ["naturalPerson", "total"].map((c) => `${row}.${c}`);
    const docx = copy(1, "docx", (r) => unread(r, cols[0]));
    const pdf = copy(2, "text", (r) => {
      setCell(r, cols[0], (cellMap(base).get(cols[0]) ?? 0) + 1);
      unread(r, "requests.granted.total");
      unread(r, "requests.granted.naturalPerson");
    });
    const c = consolidate([docx, pdf]);
    expect(c.filled.get(cols[0])).toBe(2);
    expect(c.record.checks.some((x) => x.rule === "requests.rowTotal")).toBe(true);
  });

  it("takes metadata the best copy lacks from the others", () => {
    const page = copy(2, "html", (r) => {
      r.publishedOn = "2025-01-20";
      r.source.url = "https://example.gov.cn/a.html";
      unread(r);
    });
    const docx = copy(1, "docx", (r) => (r.publishedOn = null));
    const c = consolidate([page, docx]);
    expect(c.best).toBe(1);
    expect(c.record.publishedOn).toBe("2025-01-20");
    expect(c.record.source.url).toBe("https://example.gov.cn/a.html");
  });
});
