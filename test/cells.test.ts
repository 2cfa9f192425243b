// cellsOf lists every cell of a record, tables 2, 3 and 4: checked against the counts
// of the template (not against cellsOf itself) and against the provenance the mapping
// made on its own.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cellsOf } from "../model/cells.js";
import { parseReport } from "../src/pipeline.js";

describe("cellsOf", () => {
  it("lists the 2021 template's 200 cells: 10 of table 2, 25 rows × 7 of table 3, 3 groups × 5 of table 4", async () => {
    const out = await parseReport({ bytes: readFileSync("data/samples/2024-硚口区商务局.txt"), name: "r.txt" });
    if (!out.ok) throw new Error(out.message);
    const cells = cellsOf(out.record);
    const per = (t: string) => cells.filter(([table]) => table === t).length;
    expect([per("active"), per("requests"), per("reviews")]).toEqual([10, 175, 15]);
    expect(cells.filter(([t, row]) => t === "reviews" && row === "litigationAfterReview").map(([, , c]) => c)).toEqual(["upheld", "corrected", "other", "pending", "total"]);
    // The same keys the mapping gave provenance to (less organ, year, publishedOn).
    const keys = cells.map(([t, row, c]) => `${t}.${row}.${c}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(Object.keys(out.record.provenance).filter((k) => k.includes(".")).sort());
    for (const [t, row, c, v] of cells) expect(v).toBe(t === "requests" ? out.record.requests[row][["naturalPerson", "commercialEnterprise", "researchInstitution", "publicInterestOrganization", "legalServiceProvider", "otherOrganization", "total"].indexOf(c)] : (out.record as unknown as Record<string, Record<string, Record<string, number | null>>>)[t][row][c]);
  });
});
