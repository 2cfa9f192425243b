// A real database for the review page's tests: a committed PDF fixture whose table 3
// fails the template's arithmetic, a report with unread cells, a portal page, and a
// report whose stored organ name, printed cell text and check message carry script.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/store.js";
import { IngestService } from "../../src/ingest-service.js";

/** What a hostile document could put in a name or a cell. */
export const HOSTILE = `<script>window.__xss=1</script><img src=x onerror="window.__xss=2">"'&`;
export const HOSTILE_CELL = "requests.granted.total";

/** The cell of the balance fixture that fails the template's arithmetic (492 printed; 491 balances). */
export const BALANCE_CELL = "requests.carriedForward.researchInstitution";

/** Page and box (PDF points, top-left origin) of the one word `word` in a PDF, by pdftotext -bbox. */
export function placeOf(pdf: string, word: string): { page: number; box: [number, number, number, number] } {
  const xml = execFileSync("pdftotext", ["-bbox", pdf, "-"], { encoding: "utf8" });
  const pages = xml.split("<page ").slice(1);
  for (let i = 0; i < pages.length; i++) {
    const m = pages[i].match(new RegExp(`<word xMin="([\\d.]+)" yMin="([\\d.]+)" xMax="([\\d.]+)" yMax="([\\d.]+)">${word}</word>`));
    if (m) return { page: i + 1, box: [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] };
  }
  throw new Error(`${pdf}: no word ${word}`);
}

export interface ReviewDb {
  dir: string;
  db: string;
  /** Report ids by fixture: balance (PDF, two failed checks), blanks (PDF, nulls), portal (HTML), hostile (text). */
  ids: { balance: number; blanks: number; portal: number; hostile: number };
  balancePlace: { page: number; box: [number, number, number, number] };
}

export async function makeReviewDb(): Promise<ReviewDb> {
  const dir = mkdtempSync(join(tmpdir(), "xxgk-review-"));
  const db = join(dir, "x.sqlite");
  const store = openStore(db);
  try {
    const add = async (path: string) => {
      const r = await new IngestService(store).ingestOne({ bytes: readFileSync(path), path });
      if (r.status !== "ingested") throw new Error(`${path}: ${r.status} ${r.message ?? ""}`);
      return r.reportId!;
    };
    const balance = await add("test/fixtures/reports/rbalance.chromium.pdf");
    const blanks = await add("test/fixtures/reports/rblanks.chromium.pdf");
    const portal = await add("test/fixtures/reports/r2019.portal.html");
    const hostile = await add("data/samples/2024-硚口区商务局.txt");
    // The stored record of the last one as a hostile document would leave it: script in
    // the organ's name, in a cell's printed text (record v2 provenance) and in a check.
    const row = store.db.prepare("SELECT record_json FROM reports WHERE id = ?").get(hostile) as { record_json: string };
    const rec = JSON.parse(row.record_json);
    rec.organ = `${HOSTILE}局`;
    rec.provenance = { [HOSTILE_CELL]: { text: HOSTILE, status: "note", place: { line: 3 } } };
    store.db.prepare("UPDATE reports SET organ = ?, record_json = ? WHERE id = ?").run(rec.organ, JSON.stringify(rec), hostile);
    store.db
      .prepare("INSERT INTO checks (report_id, rule, severity, message, where_) VALUES (?, 'requests.rowTotal', 'error', ?, ?)")
      .run(hostile, HOSTILE, HOSTILE_CELL);
    // Until record v2 lands, the balance report gets the place v2 will give its flagged
    // cell, measured independently by poppler: the page and box of the printed "492".
    const where = placeOf("test/fixtures/reports/rbalance.chromium.pdf", "492");
    const b = store.db.prepare("SELECT record_json FROM reports WHERE id = ?").get(balance) as { record_json: string };
    const brec = JSON.parse(b.record_json);
    brec.provenance = { ...(brec.provenance ?? {}), [BALANCE_CELL]: { text: "492", status: "printed", place: where } };
    store.db.prepare("UPDATE reports SET record_json = ? WHERE id = ?").run(JSON.stringify(brec), balance);
    return { dir, db, ids: { balance, blanks, portal, hostile }, balancePlace: where };
  } finally {
    store.close();
  }
}

/** The cell the edited portal page prints differently from the PDF: 351 there, 352 here. */
export const COPIES_CELL = "requests.carriedOver.naturalPerson";

/**
 * The text of a committed text fixture as a portal would leave it when its heading is lost
 * in navigation chrome: no organ and no year anywhere (the machine keys it to nothing).
 * Its 予以公开 total is printed otherwise (261 → 262, an earlier draft's): no other copy
 * prints all its values, so nothing counts it with them either (copies.matchedByValues).
 */
export function headlessText(): string {
  const lines = readFileSync("test/fixtures/reports/r2021.tabs.txt", "utf8").split("\n");
  const text = ["首页 > 政务公开 > 政府信息公开 > 年报", "当前位置：首页", ...lines.slice(1, 61)]
    .map((l) => l.replaceAll("硚口区商务局", "本机关").replace("2024年，", "本年度，"))
    .join("\n") + "\n";
  const drafted = text.replace(/(（一）予以公开(?:\t\d*)*?)\t261\t/, "$1\t262\t");
  if (drafted === text) throw new Error("the text fixture no longer prints 予以公开's total 261");
  return drafted;
}

export interface CopiesDb {
  dir: string;
  db: string;
  /** pdf: the committed Chromium PDF; html: its portal page with one number changed; nav: the headless text copy. */
  ids: { pdf: number; html: number; nav: number };
  paths: { pdf: string; html: string; nav: string };
}

/**
 * One report (硚口区商务局, 2024) as two real documents that disagree on one cell: the
 * committed PDF (printed by Chromium) and the committed portal page with that cell's 351
 * changed to 352 (as a re-upload with a typo would); plus a third copy whose organ and year
 * were lost (a page whose heading went with the navigation), which nothing keys yet.
 */
export async function makeCopiesDb(): Promise<CopiesDb> {
  const dir = mkdtempSync(join(tmpdir(), "xxgk-copies-"));
  const db = join(dir, "x.sqlite");
  const html = readFileSync("test/fixtures/reports/r2021.portal.html", "utf8");
  if (html.split(">351<").length !== 2) throw new Error("the portal fixture no longer prints 351 once");
  const paths = { pdf: join(dir, "report.pdf"), html: join(dir, "report.html"), nav: join(dir, "nav.txt") };
  writeFileSync(paths.pdf, readFileSync("test/fixtures/reports/r2021.chromium.pdf"));
  writeFileSync(paths.html, html.replace(">351<", ">352<"));
  writeFileSync(paths.nav, headlessText());
  const store = openStore(db);
  try {
    const add = async (path: string) => {
      const r = await new IngestService(store).ingestOne({ bytes: readFileSync(path), path });
      if (r.status !== "ingested") throw new Error(`${path}: ${r.status} ${r.message ?? ""}`);
      return r.reportId!;
    };
    const ids = { pdf: await add(paths.pdf), html: await add(paths.html), nav: await add(paths.nav) };
    return { dir, db, ids, paths };
  } finally {
    store.close();
  }
}
