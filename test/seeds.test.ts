// The five real seed reports (bundled as data/samples/) read exactly. The expected
// values were read off the files by hand: most cells are 0; the few that are not are
// listed per report below, so a parser that prints zeros everywhere still fails.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseReport } from "../src/pipeline.js";
import type { ReportRecord } from "../model/record.js";

const zeros7 = () => [0, 0, 0, 0, 0, 0, 0];
const zeroReviews = () => {
  const g = () => ({ upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 });
  return { administrativeReview: g(), litigationDirect: g(), litigationAfterReview: g() };
};
const zeroActive2021 = () => ({
  regulations: { issued: 0, repealed: 0, inForce: 0 },
  normativeDocuments: { issued: 0, repealed: 0, inForce: 0 },
  licensing: { decisions: 0 },
  penalties: { decisions: 0 },
  coercion: { decisions: 0 },
  fees: { amountWanYuan: 0 },
});
const REQUEST_KEYS = [
  "newReceived", "carriedOver", "granted", "partiallyGranted",
  "denied.stateSecret", "denied.prohibitedByLaw", "denied.endangersSafety", "denied.thirdPartyRights",
  "denied.internalAffairs", "denied.processInformation", "denied.enforcementCaseFile", "denied.administrativeQuery",
  "unavailable.notHeld", "unavailable.needsCreation", "unavailable.stillUnclear",
  "notProcessed.petition", "notProcessed.duplicate", "notProcessed.publication", "notProcessed.excessive", "notProcessed.confirmation",
  "other.overdueCorrection", "other.overdueFee", "other.other", "total", "carriedForward",
];
const zeroRequests = () => Object.fromEntries(REQUEST_KEYS.map((k) => [k, zeros7()]));

interface Expect {
  file: string;
  county: string;
  organ: string;
  year: number;
  publishedOn: string | null;
  active: ReturnType<typeof zeroActive2021>;
  requests: Record<string, number[]>;
}

function seed(file: string, organ: string, year: number, publishedOn: string | null, edit?: (e: Expect) => void): Expect {
  const county = /^(.+?[区县市])/.exec(organ)![1];
  const e: Expect = { file, county, organ, year, publishedOn, active: zeroActive2021(), requests: zeroRequests() };
  edit?.(e);
  return e;
}

const SEEDS: Expect[] = [
  // One request from a natural person, granted.
  seed("2024-硚口区商务局.txt", "硚口区商务局", 2024, "2025-01-13", (e) => {
    for (const k of ["newReceived", "granted", "total"]) e.requests[k] = [1, 0, 0, 0, 0, 0, 1];
  }),
  seed("2024-硚口区经科局.txt", "硚口区经科局", 2024, "2025-01-08"),
  // Tab rows with shifted cells; 行政许可 3; no closing date.
  seed("2023-金水区商务局.txt", "金水区商务局", 2023, null, (e) => {
    e.active.licensing.decisions = 3;
  }),
  // pdf-text: labels and numbers wrapped; no closing date.
  seed("2024-瀍河回族区商务局.txt", "瀍河回族区商务局", 2024, null),
  // Title without the organ (named in the body); 行政规范性文件 0 / 1 / 2.
  seed("2024-环翠区商务局.txt", "环翠区商务局", 2024, null, (e) => {
    e.active.normativeDocuments = { issued: 0, repealed: 1, inForce: 2 };
  }),
];

async function parse(file: string): Promise<ReportRecord> {
  const path = `data/samples/${file}`;
  const out = await parseReport({ bytes: readFileSync(path), name: path, path });
  if (!out.ok) throw new Error(`${file}: ${out.code} ${out.message}`);
  return out.record;
}

describe("seed reports", () => {
  for (const e of SEEDS) {
    it(`${e.file} reads exactly`, async () => {
      const r = await parse(e.file);
      expect(r.template).toBe("2021");
      expect(r.organ).toBe(e.organ);
      expect(r.year).toBe(e.year);
      expect(r.publishedOn).toBe(e.publishedOn);
      expect(r.active).toEqual(e.active);
      expect(r.requests).toEqual(e.requests);
      expect(r.reviews).toEqual(zeroReviews());
      expect(r.checks).toEqual([]);
      expect(r.sections.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(r.source.format).toBe("text");
      expect(r.region?.county).toBe(e.county);
      // No cell is null, so no diagnostic may be about a cell's value.
      expect(r.diagnostics.filter((d) => d.key !== undefined && /^(active|requests|reviews)\./.test(d.key))).toEqual([]);
    });
  }

  it("keeps section text without bookmark markers", async () => {
    const r = await parse("2024-硚口区商务局.txt");
    const s4 = r.sections.find((s) => s.number === 4)!;
    expect(s4.title).toBe("政府信息公开行政复议、行政诉讼情况");
    expect(r.sections.map((s) => s.text).join("")).not.toContain("[bookmark");
    expect(r.sections[0].text).toContain("区商务局认真贯彻落实");
  });

});
