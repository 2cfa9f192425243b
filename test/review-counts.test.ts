// "Need a look" is one judgement, made once: the quality page and the review page count the
// same reports. A report that arrived as two documents is judged as the exports see it, its
// copies read together: a copy that could not read a table (pdftotext's text, every cell
// null with a warning) beside one that reads it whole is a whole report, nothing to look at.
// Before, the review page counted such a report (and listed the poor copy) while the quality
// page did not: 26 against 24 on a hostile tester's dataset.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../src/store.js";
import { ingestPaths } from "../src/ingest.js";
import { qualityData } from "../src/quality.js";
import { needsLook } from "../src/report/html.js";
import { queue, queueRows, ReviewData } from "../src/serve/data.js";

const tmp = mkdtempSync(join(tmpdir(), "xxgk-review-counts-"));
const db = join(tmp, "x.sqlite");
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(async () => {
  const store = openStore(db);
  try {
    // One report (硚口区商务局 2024) as two documents, and a report whose checks fail (硚口区民政局 2022).
    await ingestPaths(store, ["test/fixtures/reports/r2021.tabs.txt", "test/fixtures/reports/r2021.pdftext.txt", "test/fixtures/reports/rbalance.tabs.txt"]);
  } finally {
    store.close();
  }
}, 60_000);

describe("need a look: the quality page and the review page agree", () => {
  it("a report whose poor copy the other copy makes whole needs no look on either page; its poor copy is not queued", () => {
    const store = openStore(db, { readonly: true });
    const quality = qualityData(store);
    store.close();
    const data = new ReviewData(db);
    try {
      const rows = queueRows(data);
      const poor = rows.find((q) => q.format === "text" && q.organ === "硚口区商务局" && q.nulls > 0);
      expect(poor, "the poor copy reads with unread cells").toBeDefined();
      expect(rows.filter((q) => q.organ === "硚口区商务局")).toHaveLength(2);

      const q = queue(data, {});
      expect(quality.reports).toHaveLength(2);
      expect(q.counts.reports).toBe(2);
      const looking = quality.reports.filter(needsLook);
      expect(looking.map((r) => r.organ)).toEqual(["硚口区民政局"]);
      expect(q.counts.needLook).toBe(looking.length);
      expect(q.counts.toReview).toBe(looking.length);
      expect(q.counts.nulls).toBe(quality.reports.filter((r) => r.unreadCells > 0).length);
      expect(q.rows.map((r) => r.organ)).toEqual(["硚口区民政局"]);
    } finally {
      data.close();
    }
  });
});
