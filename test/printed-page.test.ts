// A portal's report page printed to PDF by a browser, as a researcher's archive holds them:
// the site's menu and breadcrumbs above the article, and beside it a list of the body's other
// years' reports (相关信息). Printed here by Debian's chromium (headless --print-to-pdf) from
// the generated portal pages. A PDF's lines run across the page, so each line of the
// article's title came out joined to a line of that list, and the record took the list's
// year (2022 for the report on 2023, 2023 for 2024) and a body named
// "局2024年政府信息公开工作年硚口区经济信息化和科技创新局". Now lines holding two years'
// titles are no title, and a year or a title's words are no body's name.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReportRecord } from "../model/record.js";
import { parseReport } from "../src/pipeline.js";
import { printedRead, problems } from "./helpers/truth.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "xxgk-printed-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The page printed by chromium without its own header and footer. */
function printed(html: string, name: string): Uint8Array {
  const page = join(dir, `${name}.html`);
  const pdf = join(dir, `${name}.pdf`);
  writeFileSync(page, html);
  execFileSync(
    "chromium",
    ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync", `--user-data-dir=${join(dir, "profile")}`, "--no-pdf-header-footer", `--print-to-pdf=${pdf}`, `file://${resolve(page)}`],
    { stdio: "pipe", timeout: 60_000 },
  );
  return new Uint8Array(readFileSync(pdf));
}

const FIXTURES = ["g04-2019-blanks", "g06-2021-balance", "g08-2021-reviews"];

describe("a portal page printed to PDF with the list of other years' reports beside the article", () => {
  for (const id of FIXTURES) {
    const base = `test/fixtures/generated/${id}`;
    const truth = JSON.parse(readFileSync(`${base}.expected.json`, "utf8")) as ReportRecord;
    const html = readFileSync(`${base}.portal-utf-8.html`, "utf8");

    it(`${id}: every value, the year and the body as printed; with no page title, the year from the statistics period and the body unnamed, said`, async () => {
      expect(html).toContain("相关信息"); // the list beside the article
      const o = await parseReport({ bytes: printed(html, id), name: `${id}.pdf` });
      if (!o.ok) throw new Error(`${o.code}: ${o.message}`);
      expect(problems(o.record, truth)).toEqual([]);
      const { printed: shown, read } = printedRead(o.record, truth);
      expect(read).toBe(shown);

      // Printed from a page without a <title>, the PDF has none to fall back on.
      const bare = await parseReport({ bytes: printed(html.replace(/<title>[^<]*<\/title>/, "<title></title>"), `${id}-untitled`), name: `${id}.pdf` });
      if (!bare.ok) throw new Error(`${bare.code}: ${bare.message}`);
      const r = bare.record;
      expect([r.year, r.publishedOn]).toEqual([truth.year, truth.publishedOn]);
      expect(r.diagnostics.map((d) => d.code)).toContain("meta.yearFromPeriod");
      expect(r.organ === null || r.organ === truth.organ, `organ ${r.organ}`).toBe(true);
      if (r.organ === null) expect(r.diagnostics.find((d) => d.key === "organ")?.severity).toBe("warning");
      expect(problems(r, truth).filter((p) => !/^organ\/year\/date/.test(p))).toEqual([]);
    }, 120_000);
  }
});

describe("the same pages printed narrow (110 mm) or landscape, as print dialogs set them", () => {
  // Found by printing every portal fixture at four paper settings: a landscape print lost the
  // rule under a row whose cells are blank, so 行政处罚 / 行政强制 stood in one cell beside
  // one number (read as 行政强制's); a narrow print ran the title into a date and the list
  // beside it (year 2022 for 2024, 2018 for 2019) and cut the body's name (创新局).
  async function pdf(id: string, options: { width?: string; height?: string; format?: string; landscape?: boolean }): Promise<Uint8Array> {
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
    try {
      const page = await browser.newPage();
      await page.goto(`file://${resolve(`test/fixtures/generated/${id}.portal-utf-8.html`)}`);
      return new Uint8Array(await page.pdf(options));
    } finally {
      await browser.close();
    }
  }
  const cases: [string, { width?: string; height?: string; format?: string; landscape?: boolean }][] = [
    ["g02-2021-blanks", { format: "A4", landscape: true }],
    ["g04-2019-blanks", { format: "A4", landscape: true }],
    ["g04-2019-blanks", { width: "110mm", height: "200mm" }],
    ["g06-2021-balance", { width: "110mm", height: "200mm" }],
    ["g09-2021-notitle", { width: "110mm", height: "200mm" }],
  ];
  for (const [id, options] of cases)
    it(`${id} printed ${options.landscape ? "landscape" : options.width}: no value wrong, no silent null; the year and the body as printed`, async () => {
      const truth = JSON.parse(readFileSync(`test/fixtures/generated/${id}.expected.json`, "utf8")) as ReportRecord;
      const o = await parseReport({ bytes: await pdf(id, options), name: `${id}.pdf` });
      if (!o.ok) throw new Error(`${o.code}: ${o.message}`);
      expect(problems(o.record, truth)).toEqual([]);
      const { printed: shown, read } = printedRead(o.record, truth);
      expect(read).toBeGreaterThanOrEqual(shown - 2); // 190/191 and 187/189 landscape (the two rows in one cell unread)
    }, 120_000);
});

describe("a real page whose tables have no borders and columns blank in every row, printed by chromium", () => {
  // A real portal page's tables 3 and 4 (a city government office's 2019 report, 2019
  // template) in the shape the portal printed them: border="0", blank cells, 科研机构 and
  // 社会公益组织 blank in every row (the body renamed, every number times 3: the fixture is
  // the page's shape, not its report). Its rows stand apart as tall as its padded cells make them, so the column heads
  // stood further above the first row than prose's line gap, and were not taken as the
  // table's head: without them the two blank columns could not be placed, and every value
  // of table 3 was null (row.unfit, 5 value cells where 7 are expected).
  const html = readFileSync("test/fixtures/printed/sh2019-unruled.html", "utf8");
  it("reads table 3 as the page prints it, and leaves table 4's unplaceable cells null with a diagnostic", async () => {
    const o = await parseReport({ bytes: printed(html, "sh2019-unruled"), name: "sh2019-unruled.pdf" });
    if (!o.ok) throw new Error(`${o.code}: ${o.message}`);
    const r = o.record;
    // As printed (pdftotext -layout shows each number under its column's head).
    expect(r.requests.newReceived).toEqual([2463, 105, null, null, 6, 3, 2577]);
    expect(r.requests.carriedOver).toEqual([54, null, null, null, null, null, 54]);
    expect(r.requests.granted).toEqual([774, 36, null, null, 3, 3, null]);
    expect(r.requests.total).toEqual([2301, 105, null, null, 6, 3, 2415]);
    expect(r.requests.carriedForward).toEqual([216, null, null, null, null, null, 216]);
    // Every row of table 3 as the page itself reads (the same file as HTML).
    const page = await parseReport({ bytes: new TextEncoder().encode(html), name: "sh2019-unruled.html" });
    if (!page.ok) throw new Error(`${page.code}: ${page.message}`);
    expect(r.requests).toEqual(page.record.requests);
    // Table 4's heads run together (结果维持结果纠正…): its 6 numbers in 15 columns cannot be
    // placed, so its cells are null, each with a warning keyed by its cell.
    for (const [group, row] of Object.entries(r.reviews))
      for (const [col, v] of Object.entries(row as Record<string, number | null>)) {
        const key = `reviews.${group}.${col}`;
        expect([key, v]).toEqual([key, null]);
        expect([key, r.diagnostics.some((d) => d.key === key && d.severity !== "info")]).toEqual([key, true]);
      }
  }, 120_000);
});
