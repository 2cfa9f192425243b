// The review page in a real browser: Debian's chromium driven by playwright-core (never a
// downloaded browser), against a real server on 127.0.0.1 over a database holding a
// committed PDF fixture. Open the queue, open the PDF report with the keyboard, see
// pdf.js draw the page, go to a flagged cell, correct it, see the checks turn green,
// then export and find the correction. No script from a document may run; nothing may
// break the Content-Security-Policy.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../src/serve/server.js";
import { COPIES_CELL, makeCopiesDb, makeReviewDb, type ReviewDb } from "./helpers/review-db.js";

const CHROMIUM = "/usr/bin/chromium";
const CLI = "dist/src/cli.js";
let rdb: ReviewDb;
let server: RunningServer;
let browser: Browser;
let base: string;
/** Every console error, page error and CSP violation the pages raise. */
const problems: string[] = [];

async function open(path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  await page.goto(base + path);
  return page;
}

beforeAll(async () => {
  const tsc = spawnSync("node_modules/.bin/tsc", ["-p", "tsconfig.json"], { encoding: "utf8" });
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < statSync("src/cli.ts").mtimeMs) throw new Error(`build failed:\n${tsc.stdout}${tsc.stderr}`);
  rdb = await makeReviewDb();
  server = await startServer({ db: rdb.db, port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${server.port}/`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the review page in chromium", () => {
  it("queue → PDF report → correct the flagged cell → checks pass → the export has it", async () => {
    const page = await open("");
    // Four reports need a look (the portal page for its procurement amount printed without a unit).
    await expect.poll(() => page.locator("tr.qrow").count()).toBe(4);
    // The most severe report is selected first; j/k move, Enter opens.
    expect(await page.locator("tr.qrow.selected").getAttribute("data-href")).toBe(`/report/${rdb.ids.balance}`);
    await page.keyboard.press("j");
    expect(await page.locator("tr.qrow.selected").getAttribute("data-href")).toBe(`/report/${rdb.ids.hostile}`);
    await page.keyboard.press("k");
    await Promise.all([page.waitForURL(`**/report/${rdb.ids.balance}`), page.keyboard.press("Enter")]);

    // pdf.js (served from node_modules by the server) draws page 1 on the canvas.
    await page.waitForSelector('#pdfview[data-rendered="1"]', { timeout: 30_000 });
    expect(await page.locator("#pageno").textContent()).toMatch(/^page 1 \/ \d+$/);
    const drawn = await page.evaluate(() => {
      const c = document.getElementById("pdfcanvas") as HTMLCanvasElement;
      const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      let dark = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 128 && d[i + 3] > 0) dark++;
      return { w: c.width, h: c.height, dark };
    });
    expect(drawn.w).toBeGreaterThan(300);
    expect(drawn.dark).toBeGreaterThan(1000); // text was drawn, not a blank page
    // Page turns and zoom.
    const width = drawn.w;
    await page.keyboard.press("+");
    await expect.poll(() => page.evaluate(() => (document.getElementById("pdfcanvas") as HTMLCanvasElement).width)).toBeGreaterThan(width);

    // Both failed checks are listed and marked on their cells.
    await expect.poll(() => page.locator("#checks li.bad").count()).toBe(2);
    const key = "requests.carriedForward.researchInstitution";
    const td = page.locator(`#tables td.cell[data-key="${key}"]`);
    expect(await td.getAttribute("class")).toContain("fail");

    // n goes to the first flagged cell and opens the editor on it.
    await page.keyboard.press("n");
    expect(await page.locator("#panel").getAttribute("data-key")).toBe(key);
    expect(await page.locator("#p-status").textContent()).toBe("printed");
    expect(await page.locator("#p-text").textContent()).toBe("492");
    // The PDF turns to the cell's page and its box is outlined where the number is printed.
    const { page: pageNo, box } = rdb.balancePlace;
    await page.waitForSelector(`#pdfview[data-rendered="${pageNo}"]`);
    await page.waitForSelector("#hl:not([hidden])");
    const at = await page.evaluate(() => {
      const canvas = document.getElementById("pdfcanvas")!.getBoundingClientRect();
      const hl = document.getElementById("hl")!.getBoundingClientRect();
      return { x: hl.left - canvas.left, y: hl.top - canvas.top, w: hl.width, h: hl.height, cw: canvas.width };
    });
    const scale = at.cw / 612; // the fixture's page is 612 points wide
    expect(Math.abs(at.x - box[0] * scale)).toBeLessThan(6);
    expect(Math.abs(at.y - box[1] * scale)).toBeLessThan(6);
    expect(Math.abs(at.w - (box[2] - box[0]) * scale)).toBeLessThan(8);
    expect(await page.locator("#p-notes li").count()).toBe(1);
    await page.locator("#f-value").fill("491");
    await page.locator("#f-why").fill("四、结转下年度继续办理 · 科研机构: the template's arithmetic gives 491");
    await page.keyboard.press("Enter");

    // The checks re-run on the corrected value: all pass, the cell shows it is corrected.
    await page.waitForSelector("#checks-ok");
    expect(await page.locator("#checks-ok").textContent()).toBe("all checks pass");
    expect(await page.locator("#f-msg").textContent()).toBe("saved");
    expect(await td.textContent()).toBe("491");
    expect(await td.getAttribute("class")).toContain("st-corrected");
    expect(await page.locator("#p-machine").textContent()).toMatch(/^492 \(corrected: /);

    // Undo brings the machine's value and the failed checks back; redo the correction.
    await page.keyboard.press("Escape"); // leaves the form; keys act on the page again
    await page.keyboard.press("u");
    await expect.poll(() => page.locator("#checks li.bad").count()).toBe(2);
    expect(await td.textContent()).toBe("492");
    await td.click();
    await page.locator("#f-value").fill("491");
    await page.locator("#f-why").fill("四、结转下年度继续办理 · 科研机构: the template's arithmetic gives 491");
    await page.locator("#f-save").click();
    await page.waitForSelector("#checks-ok");

    if (process.env.XXGK_SCREENSHOT) {
      await page.keyboard.press("Escape");
      await page.keyboard.press("-");
      await td.click();
      await page.screenshot({ path: process.env.XXGK_SCREENSHOT });
    }

    // r marks the report reviewed and goes to the next one to review.
    await Promise.all([page.waitForURL(`**/report/${rdb.ids.hostile}`), page.keyboard.press("r")]);
    await page.close();

    // The next export carries the correction, with the machine's value beside it.
    const out = spawnSync("node", [CLI, "export", "--format", "csv", "--db", rdb.db], { encoding: "utf8" });
    expect(out.status, out.stderr).toBe(0);
    const line = out.stdout.split("\r\n").find((l) => l.includes("硚口区民政局") && l.includes(",carriedForward,researchInstitution,"))!;
    expect(line).toMatch(/,carriedForward,researchInstitution,491,1,492,/);
    const list = spawnSync("node", [CLI, "corrections", "--db", rdb.db], { encoding: "utf8" });
    expect(list.stdout).toContain(`${key}\t492 → 491`);
  });

  it("a report whose organ, cell text and check message carry script runs none of it", async () => {
    const page = await open(`report/${rdb.ids.hostile}`);
    await page.locator('#tables td.cell[data-key="requests.granted.total"]').click();
    expect(await page.locator("#p-text").textContent()).toContain("<script>window.__xss=1</script>");
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator("h1").textContent()).toContain("<script>");
    // The text source is shown with the cell's line highlighted.
    expect(await page.locator("#docview li.hl").getAttribute("data-line")).toBe("3");
    await page.close();
  });

  it("copies that disagree side by side: show one copy's source at the cell, take its value; set a headless document's organ and year", async () => {
    const cdb = await makeCopiesDb();
    const second = await startServer({ db: cdb.db, port: 0, host: "127.0.0.1" });
    const at = `http://127.0.0.1:${second.port}/`;
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(`console: ${m.text()}`);
      });
      // The HTML copy prints 352 where the PDF prints 351: both values, side by side.
      await page.goto(`${at}report/${cdb.ids.html}`);
      const row = page.locator(`table.copies tr[data-key="${COPIES_CELL}"]`);
      expect(await row.locator(`td.copy[data-document="${cdb.ids.pdf}"] .v`).textContent()).toBe("351");
      expect(await row.locator(`td.copy[data-document="${cdb.ids.html}"] .v`).textContent()).toBe("352");
      expect(await page.locator("#checks li.bad").count()).toBeGreaterThan(0);

      // "show source" of the PDF copy: its page drawn, the cell's box outlined, the cell selected.
      await Promise.all([page.waitForURL(`**/report/${cdb.ids.pdf}#cell=*`), row.locator(`td.copy[data-document="${cdb.ids.pdf}"] a.show`).click()]);
      await page.waitForSelector('#pdfview[data-rendered="1"]', { timeout: 30_000 });
      await page.waitForSelector("#hl:not([hidden])");
      expect(await page.locator("#panel").getAttribute("data-key")).toBe(COPIES_CELL);
      expect(await page.locator("#p-text").textContent()).toBe("351");
      await page.goBack();
      await page.waitForURL(`**/report/${cdb.ids.html}`);

      // Take the PDF's value: a correction naming that copy; this copy's checks re-run and pass.
      await page.locator("#copies-why").fill("the PDF is the signed original");
      await page.locator(`table.copies tr[data-key="${COPIES_CELL}"] td.copy[data-document="${cdb.ids.pdf}"] button.use`).click();
      await page.waitForSelector("#checks-ok");
      expect(await page.locator("#copies-msg").textContent()).toBe("saved");
      const td = page.locator(`#tables td.cell[data-key="${COPIES_CELL}"]`);
      expect(await td.textContent()).toBe("351");
      expect(await td.getAttribute("class")).toContain("st-corrected");
      expect(await page.locator(`table.copies tr[data-key="${COPIES_CELL}"] td.now`).textContent()).toMatch(
        new RegExp(`^351 \\(corrected: copies disagree: chose document ${cdb.ids.pdf} \\(pdf, `),
      );

      // The headless copy: nothing keys it; set its organ and year on the page.
      await page.goto(`${at}report/${cdb.ids.nav}`);
      expect(await page.locator("#docmeta").getAttribute("open")).not.toBeNull();
      expect(await page.locator("#reviewed").isDisabled()).toBe(true);
      await page.locator("#m-organ").fill("硚口区商务局");
      await page.locator("#m-year").fill("2024");
      await page.locator("#m-why").fill("the portal's column lists it under 硚口区商务局, 2024年度");
      await Promise.all([page.waitForEvent("load"), page.locator("#m-save").click()]);
      expect(await page.locator("h1").textContent()).toBe("硚口区商务局 · 2024");
      expect(await page.locator("main.split").getAttribute("data-correctable")).toBe("1");
      expect(await page.locator("#reviewed").isDisabled()).toBe(false);
      // Now a third copy of the report: it has its column, and the report's chosen value.
      expect(await page.locator(`table.copies th[data-document="${cdb.ids.nav}"]`).count()).toBe(1);
      expect(await page.locator(`#tables td.cell[data-key="${COPIES_CELL}"]`).textContent()).toBe("351");
      if (process.env.XXGK_SCREENSHOT_COPIES) await page.screenshot({ path: process.env.XXGK_SCREENSHOT_COPIES });
      await page.close();
    } finally {
      await second.close();
    }
  });

  it("raised no console error, page error or CSP violation", () => {
    expect(problems).toEqual([]);
  });
});
