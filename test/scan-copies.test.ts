// A scan and a copy of the same report read from text are one report, though OCR misread
// the scan's body (硚口 as 研口, a district nowhere: the body unplaced): the scan is counted with the copy whose
// values it prints (IngestService.matchByValues), in either order of arrival, through a
// re-keying, and never with a report whose values differ. The scan is OCR'd once (a
// real Tesseract run on the committed fixture) and its outcome handed to every store.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../src/store.js";
import { IngestService } from "../src/ingest-service.js";
import { ingestPaths } from "../src/ingest.js";
import { parseReport, type ParseOutcome } from "../src/pipeline.js";
import { sha256 } from "../model/hash.js";

const tmp = mkdtempSync(join(tmpdir(), "xxgk-scan-copies-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SCAN = "test/fixtures/scans/r2021.chromium.scan200.pdf";
const TEXT = readFileSync("test/fixtures/reports/r2021.tabs.txt", "utf8");
const parsed = new Map<string, ParseOutcome>();

beforeAll(async () => {
  const bytes = readFileSync(SCAN);
  const out = await parseReport({ bytes, name: SCAN });
  if (!out.ok) throw new Error(`${out.code}: ${out.message}`);
  // What makes the scan a report of nobody's: its body misread (its year is read, 2024).
  expect(out.record.organ).toBe("研口区商务局");
  expect(out.record.year).toBe(2024);
  parsed.set(sha256(bytes), out);
}, 180_000);

/** An ingest service whose parse gives the scan's one OCR reading. */
const serviceOf = (store: Store) => new IngestService(store, { parse: async (input) => parsed.get(input.sha256 ?? sha256(input.bytes)) ?? parseReport(input) });

const units = (store: Store) => store.db.prepare("SELECT unit, documents FROM report_records ORDER BY unit").all() as { unit: string; documents: number }[];
const notes = (store: Store) => store.db.prepare("SELECT report_id, message FROM diagnostics WHERE code = 'copies.matchedByValues'").all() as { report_id: number; message: string }[];

function folder(name: string, files: Record<string, string | { copy: string }>): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, c] of Object.entries(files)) typeof c === "string" ? writeFileSync(join(dir, f), c) : copyFileSync(c.copy, join(dir, f));
  return dir;
}

describe("a scan whose body OCR misread", () => {
  it("is counted with the copy read from text that prints its values, not with another body's report of the same total", async () => {
    const store = openStore(join(tmp, "scan-first.sqlite"));
    const service = serviceOf(store);
    await ingestPaths(service, [folder("a", { "scan.pdf": { copy: SCAN } })]);
    expect(units(store)).toEqual([{ unit: "unplaced:研口区商务局|2024", documents: 1 }]);

    // Another body's report printing the same 本年新收 total, one value otherwise: no copy.
    const decoy = TEXT.replaceAll("硚口区商务局", "硚口区经科局").replace(/(三、本年度办理结果[^\n]*\n(?:[^\n]*\n){0,3}?[^\n]*?)\t(\d+)\t/, (m, a, n) => `${a}\t${Number(n) + 1}\t`);
    expect(decoy).not.toBe(TEXT.replaceAll("硚口区商务局", "硚口区经科局"));
    await ingestPaths(service, [folder("b", { "decoy.txt": decoy })]);
    expect(units(store).map((u) => u.unit)).toEqual(["420104:经科局|2024", "unplaced:研口区商务局|2024"]);
    expect(notes(store)).toEqual([]);

    // The report's copy read from text: the scan joins it.
    const s = await ingestPaths(service, [folder("c", { "report.txt": TEXT })]);
    expect(s.ingested).toBe(1);
    expect(units(store)).toEqual([
      { unit: "420104:商务局|2024", documents: 2 },
      { unit: "420104:经科局|2024", documents: 1 },
    ]);
    const [note] = notes(store);
    expect(note.report_id).toBe(1);
    expect(note.message).toContain("硚口区商务局's report on 2024");
    // Its record keeps what OCR read.
    expect(store.recordOf(1)!.organ).toBe("研口区商务局");

    // A re-keying (a person's decision about another body) keeps it there.
    store.setAlias("经信局", "经济和信息化局", "test");
    service.rekeyBodies();
    expect(units(store)).toEqual([
      { unit: "420104:商务局|2024", documents: 2 },
      { unit: "420104:经科局|2024", documents: 1 },
    ]);
    expect(store.keyYearOf(1)).toEqual({ organKey: "420104:商务局", year: 2024 });
    store.close();
  });

  it("arriving after its copy, joins it at once: the ingest says it is a copy, not a new report", async () => {
    const store = openStore(join(tmp, "text-first.sqlite"));
    const service = serviceOf(store);
    await ingestPaths(service, [folder("d", { "report.txt": TEXT })]);
    const s = await ingestPaths(service, [folder("e", { "scan.pdf": { copy: SCAN } })]);
    expect(s.ingested).toBe(1);
    expect(s.copies).toBe(1);
    expect(units(store)).toEqual([{ unit: "420104:商务局|2024", documents: 2 }]);
    expect(notes(store).length).toBe(1);
    store.close();
  });
});

describe("a copy read from text that does not tell its report", () => {
  it("an unplaced body's copy and a copy without its year join the placed report printing their values; one printing one value otherwise does not", async () => {
    const placed = TEXT.replace("硚口区商务局2024年", "福州市鼓楼区商务局2024年").replaceAll("硚口区", "鼓楼区");
    const unplaced = TEXT.replaceAll("硚口区", "鼓楼区");
    const noYear = unplaced.replace("鼓楼区商务局2024年政府信息公开工作年度报告", "鼓楼区商务局政府信息公开工作年度报告");
    const other = unplaced.replace(/国家秘密\t(\d+)\t/, (_, n) => `国家秘密\t${Number(n) + 1}\t`);
    expect(other).not.toBe(unplaced);
    const store = openStore(join(tmp, "text.sqlite"));
    const service = serviceOf(store);
    // The copies first: they wait, unplaced, until the placed report comes; printing other
    // values, the two are not one report by their name alone (鼓楼区 is in four cities).
    await ingestPaths(service, [folder("f", { "unplaced.txt": unplaced, "other.txt": other })]);
    expect(units(store).map((u) => u.unit)).toEqual(["unplaced:鼓楼区商务局#2|2024", "unplaced:鼓楼区商务局|2024"]);
    await ingestPaths(service, [folder("g", { "placed.txt": placed, "noyear.txt": noYear })]);
    const byFile = store.db
      .prepare("SELECT s.path AS path, r.organ_key AS key, r.year, r.region_code AS region, r.region_by AS by FROM reports r JOIN versions v ON v.id = r.version_id JOIN sources s ON s.id = v.source_id ORDER BY s.path")
      .all()
      .map((r) => ({ ...(r as { path: string }), path: (r as { path: string }).path.replace(/.*\//, "") }))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
    expect(byFile).toEqual([
      { path: "noyear.txt", key: "350102:商务局", year: 2024, region: "350102", by: "copy" },
      { path: "other.txt", key: "unplaced:鼓楼区商务局", year: 2024, region: null, by: null },
      { path: "placed.txt", key: "350102:商务局", year: 2024, region: "350102", by: "organ" },
      { path: "unplaced.txt", key: "350102:商务局", year: 2024, region: "350102", by: "copy" },
    ]);
    expect(units(store)).toEqual([
      { unit: "350102:商务局|2024", documents: 3 },
      { unit: "unplaced:鼓楼区商务局|2024", documents: 1 },
    ]);
    // A later unplaced document of the same name is not keyed with the copies by its name
    // alone; with other.txt, whose values it prints, it is.
    await ingestPaths(service, [folder("h", { "other-again.txt": `${other}\n附注：又一份。\n` })]);
    expect(units(store).filter((u) => u.unit.startsWith("unplaced:"))).toEqual([{ unit: "unplaced:鼓楼区商务局|2024", documents: 2 }]);
    store.close();
  });
});
