// Numbers wrapped in narrow cells of an unruled table. pandoc's DOCX sets no column widths
// and no borders; LibreOffice's PDF of it (a report written in one tool, printed by another,
// as portals get them) squeezes table 4's fifteen columns until its numbers wrap: 120 as
// １ / ２ / ０, 179 as 17 / 9, many columns at once; table 3's 14374 as 1437 / 4, the 1437
// wider than its column. The reader took the first line's digits for the numbers (table 4:
// "printed twice, the first kept") and the 4 for the total: 6 to 15 wrong values in each of
// the twelve pandoc fixtures so printed. Now table 4's two lines are joined where every
// group's total confirms them (normalizers/tables.ts wrappedReviews), and a cell an unread
// run stands over is unread, never the number of the line below (extractors/pdf/stream.ts
// unsettleRuns).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZipArchive } from "../model/zip.js";
import { makeZip } from "./helpers/zip.js";
import { cellsOf } from "../model/cells.js";
import type { ReportRecord } from "../model/record.js";
import { parseReport } from "../src/pipeline.js";
import { printedRead, problems } from "./helpers/truth.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "xxgk-wrapped-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** LibreOffice's PDF of a DOCX. */
function printed(docx: string): Uint8Array {
  const name = docx.replace(/^.*\//, "");
  copyFileSync(docx, join(dir, name));
  execFileSync("soffice", [`-env:UserInstallation=file://${join(dir, "profile")}`, "--headless", "--convert-to", "pdf", "--outdir", dir, join(dir, name)], { stdio: "pipe", timeout: 120_000 });
  return new Uint8Array(readFileSync(join(dir, name.replace(/\.docx$/, ".pdf"))));
}

describe("an unruled PDF whose narrow cells wrap their numbers (pandoc's DOCX printed by LibreOffice)", () => {
  it("table 4's numbers wrapped over two lines in many columns are joined, as every group's total confirms: every value", async () => {
    const truth = JSON.parse(readFileSync("test/fixtures/generated/g01-2021.expected.json", "utf8")) as ReportRecord;
    const o = await parseReport({ bytes: printed("test/fixtures/generated/g01-2021.pandoc.docx"), name: "g01-2021.pdf" });
    if (!o.ok) throw new Error(`${o.code}: ${o.message}`);
    expect(problems(o.record, truth)).toEqual([]);
    const { printed: shown, read } = printedRead(o.record, truth);
    expect(read).toBe(shown); // 189 of 200, 11 wrong, before
    const joined = o.record.diagnostics.find((d) => d.code === "table.wrappedJoined");
    expect(joined?.severity).toBe("info");
    expect(joined?.message).toContain("1+20"); // １ / ２ / ０ is 120
    expect(o.record.provenance["reviews.administrativeReview.upheld"]).toMatchObject({ text: "120", status: "split" });
    expect(o.record.diagnostics.map((d) => d.code)).not.toContain("table.printedTwice");
  }, 120_000);

  it("a total wrapped as 1437 / 4, the 1437 too wide for its column: unread with a diagnostic, never the 4; nothing wrong anywhere", async () => {
    const truth = JSON.parse(readFileSync("test/fixtures/generated/g03-2019.expected.json", "utf8")) as ReportRecord;
    const o = await parseReport({ bytes: printed("test/fixtures/generated/g03-2019.pandoc.docx"), name: "g03-2019.pdf" });
    if (!o.ok) throw new Error(`${o.code}: ${o.message}`);
    expect(problems(o.record, truth)).toEqual([]); // 11 wrong before, 4 among them
    const total = cellsOf(o.record).find(([t, row, col]) => t === "requests" && row === "newReceived" && col === "total");
    expect(total?.[3]).toBeNull();
    expect(o.record.provenance["requests.newReceived.total"]?.status).toBe("unreadable");
    expect(o.record.diagnostics.some((d) => d.key === "requests.newReceived.total" && d.severity === "warning")).toBe(true);
    const { printed: shown, read } = printedRead(o.record, truth);
    expect(read).toBeGreaterThanOrEqual(shown * 0.8); // 169 of 198 here
  }, 120_000);
});

/** The DOCX with its page set to A5 (148 × 210 mm): LibreOffice lays its tables out again, narrower. */
function onA5(docx: string): string {
  const zip = ZipArchive.open(readFileSync(docx), { maxEntryBytes: 50e6, maxTotalBytes: 200e6, maxEntries: 1000 });
  const members = zip.entries.map((e) => {
    let data = zip.read(e);
    if (e.name === "word/document.xml") {
      const xml = data.toString("utf8");
      const a5 = xml.replace(/<w:pgSz[^>]*\/>/, '<w:pgSz w:w="8391" w:h="11906"/>');
      expect(a5).not.toBe(xml);
      data = Buffer.from(a5, "utf8");
    }
    return { name: e.name, data };
  });
  const out = join(dir, docx.replace(/^.*\//, "").replace(/\.docx$/, ".a5.docx"));
  writeFileSync(out, makeZip(members));
  return out;
}

describe("a ruled table whose rows are cut by page breaks, numbers wrapped in narrow cells (LibreOffice's DOCX laid out on A5)", () => {
  // A row cut by a page break left a number's last digits, and the end of its label, on the
  // next page: 185 read as 18 (18 / 5), 165 as 16 with 已获取信息 / 5 on the next page.
  // Before: 1 to 9 wrong values in five of the ten generated reports so printed.
  for (const id of ["g02-2021-blanks", "g08-2021-reviews"])
    it(`${id}: the rest of a cut row is joined where the row's total confirms it; nothing wrong`, async () => {
      const truth = JSON.parse(readFileSync(`test/fixtures/generated/${id}.expected.json`, "utf8")) as ReportRecord;
      const o = await parseReport({ bytes: printed(onA5(`test/fixtures/generated/${id}.lo.docx`)), name: `${id}.pdf` });
      if (!o.ok) throw new Error(`${o.code}: ${o.message}`);
      expect(problems(o.record, truth)).toEqual([]);
      const { printed: shown, read } = printedRead(o.record, truth);
      expect(read).toBe(shown);
      expect(o.record.diagnostics.some((d) => d.code === "table.wrappedJoined" && d.message.startsWith("requests."))).toBe(true);
    }, 120_000);
});
