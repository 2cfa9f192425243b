// Web pages whose report tables are pictures, and pages saved with their pictures as MHTML
// (extractors/html.ts, extractors/mhtml.ts, extractors/pictures.ts). The pictures are the
// pages of the scanned 2021 fixture, rendered here by poppler's pdftoppm; the MHTML files
// are saved here by Debian's chromium (the DevTools protocol's Page.captureSnapshot, what
// "Save as: Webpage, single file" writes) from pages this test serves on 127.0.0.1. Every
// record is held to the truth of the fixture the pictures show.
import { execFileSync, spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium } from "playwright-core";
import { mayNeedOcr, sniff } from "../extractors/index.js";
import { extractHtml } from "../extractors/html.js";
import { extractMhtml, quotedPrintable } from "../extractors/mhtml.js";
import { dataUriBytes } from "../extractors/html/pictures.js";
import { cellsOf } from "../model/cells.js";
import { DEFAULT_LIMITS } from "../model/limits.js";
import type { ReportRecord } from "../model/record.js";
import { buildRecord, parseReport, recordSchema, type ParseOutcome } from "../src/pipeline.js";
import type { Document } from "../model/document.js";
import { parseInThread } from "../src/in-thread.js";
import { withoutTool } from "./helpers/without-tool.js";
import { archivePage } from "../src/page-archive.js";
import { openStore } from "../src/store.js";
import { ingestPaths } from "../src/ingest.js";
import { describeCrawl, runCrawl } from "../src/crawl/command.js";
import { startServer } from "../src/serve/server.js";
import { printedRead, problems } from "./helpers/truth.js";

const SCAN = "test/fixtures/scans/r2021.chromium.scan200.pdf";
const GBK_PAGE = "test/fixtures/reports/r2021.portal-gbk.html";
const truth = JSON.parse(readFileSync("test/fixtures/reports/r2021.expected.json", "utf8")) as ReportRecord;
const TITLE = "硚口区商务局2024年政府信息公开工作年度报告";

let dir: string;
let jpegs: Buffer[] = [];
/** The report page with its table pictures at `srcs`, and what follows them (a signature's date). */
const report = (srcs: string[], after = "") =>
  [
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${TITLE}_硚口区人民政府</title></head><body>`,
    `<div class="nav"><a href="/">首页</a> <a href="/zwgk/">政务公开</a></div>`,
    `<div class="article"><h1>${TITLE}</h1>`,
    `<p>本报告根据《中华人民共和国政府信息公开条例》编制。各项数据见下列表格。</p>`,
    ...srcs.map((src) => `<p><img src="${src}" width="620"></p>`),
    after,
    `<p>五、存在的主要问题及改进情况</p><p>无。</p></div></body></html>`,
  ].join("\n");
const dataUris = () => Buffer.from(report(jpegs.map((j) => `data:image/jpeg;base64,${j.toString("base64")}`)));
let linked: Buffer;
const screenshots: Buffer[] = [];
let server: Server;
let port: number;
const hits: string[] = [];
/** A report page showing only its last page's picture (table 4 and the date): one picture's OCR. */
const lastPage = (src: string) =>
  Buffer.from(
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${TITLE}</title></head><body><div class="article"><h1>${TITLE}</h1>` +
      `<p>四、政府信息公开行政复议、行政诉讼情况</p><p><img src="${src}"></p></div></body></html>`,
  );
const LIST = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>年报</title></head><body><ul class="list"><li><a href="t4.html">${TITLE}</a></li></ul></body></html>`;
/** Table 4 of a record: its 15 values, by key. */
const reviewsOf = (r: ReportRecord) => cellsOf(r).filter(([t]) => t === "reviews");
let picturesMhtml: Buffer;
let gbkMhtml: Buffer;

const without = <T>(name: string, fn: () => Promise<T>) => withoutTool(name, dir, fn);

const parse = (bytes: Buffer, name: string) => parseReport({ bytes: new Uint8Array(bytes), name, limits: { timeoutMs: 240_000 } });
function recordOf(o: ParseOutcome): ReportRecord {
  if (!o.ok) throw new Error(`${o.code}: ${o.message}`);
  return o.record;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "xxgk-html-pictures-"));
  execFileSync("pdftoppm", ["-r", "150", "-gray", "-jpeg", "-jpegopt", "quality=50", SCAN, join(dir, "page")]);
  jpegs = readdirSync(dir).filter((f) => /^page-\d+\.jpg$/.test(f)).sort().map((f) => readFileSync(join(dir, f)));
  expect(jpegs).toHaveLength(3);
  linked = Buffer.from(report(jpegs.map((_, i) => `images/t${i + 1}.jpg`)));

  // A portal on 127.0.0.1: the report with linked pictures, and the GBK report with real tables.
  server = createServer((req, res) => {
    hits.push(req.url ?? "");
    const picture = /^\/zwgk\/images\/t(\d)\.jpg$/.exec(req.url ?? "");
    if (req.url === "/zwgk/report.html") res.setHeader("content-type", "text/html; charset=utf-8").end(linked);
    else if (req.url === "/zwgk/list.html") res.setHeader("content-type", "text/html; charset=utf-8").end(LIST);
    else if (req.url === "/zwgk/t4.html") res.setHeader("content-type", "text/html; charset=utf-8").end(lastPage("images/t3.jpg"));
    else if (req.url === "/zwgk/gbk.html") res.setHeader("content-type", "text/html").end(readFileSync(GBK_PAGE));
    else if (picture && jpegs[Number(picture[1]) - 1]) res.setHeader("content-type", "image/jpeg").end(jpegs[Number(picture[1]) - 1]);
    else res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
  try {
    const page = await browser.newPage();
    const snapshot = async (path: string) => {
      await page.goto(`http://127.0.0.1:${port}${path}`, { waitUntil: "load" });
      const cdp = await page.context().newCDPSession(page);
      const { data } = (await cdp.send("Page.captureSnapshot", { format: "mhtml" })) as { data: string };
      return Buffer.from(data, "latin1");
    };
    picturesMhtml = await snapshot("/zwgk/report.html");
    gbkMhtml = await snapshot("/zwgk/gbk.html");
    // Screenshots of the report page's tables at a screen's 96 dpi, as an editor pastes them:
    // each table a picture of its own, table 4's a strip of four rows.
    for (const table of await page.$$("table")) screenshots.push(await table.screenshot({ type: "png" }));
  } finally {
    await browser.close();
  }
}, 120_000);
afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a page whose tables are pictures it holds (data: URIs, as a portal's editor pastes them)", () => {
  /** The page read once by the full reader (OCR takes ~15 s): its document, and the record the pipeline builds of it. */
  let read: Promise<Document> | undefined;
  const document = () => (read ??= extractHtml(new Uint8Array(dataUris()), { name: "report.html", limits: { ...DEFAULT_LIMITS, timeoutMs: 240_000 } }));

  it("reads the pictures' tables by OCR: the printed values, the truth's metadata, the organ from the page's own title", async () => {
    const doc = await document();
    await recordSchema();
    const r = recordOf(buildRecord(doc, { bytes: new Uint8Array(dataUris()), name: "report.html" }, "html"));
    expect(problems(r, truth)).toEqual([]);
    const { printed, read } = printedRead(r, truth);
    expect(read).toBeGreaterThanOrEqual(printed * 0.9); // 192 of 200 on this machine
    expect(r.source.format).toBe("html");
    expect(r.diagnostics.find((d) => d.code === "html.pictures")?.message).toMatch(/^the page has no tables but 3 picture\(s\) in its article: 3 read by OCR, each placed where it stands/);
    expect(r.provenance?.organ?.status).toBe("printed");
    // Places name the picture (1-based) a value was read from.
    const pages = new Set(Object.values(r.provenance ?? {}).map((p) => p?.place?.page).filter((p) => p !== undefined));
    expect([...pages].sort()).toEqual([1, 2, 3]);
  }, 240_000);

  it("puts each picture's tables where it stands, between the title and the closing section", async () => {
    const doc = await document();
    const kinds = doc.blocks.map((b) => (b.kind === "table" ? "T" : b.text.startsWith("五、") ? "5" : b.text.startsWith("本报告") ? "P" : "."));
    const first = kinds.indexOf("T");
    expect(first).toBeGreaterThan(kinds.indexOf("P"));
    expect(kinds.lastIndexOf("T")).toBeLessThan(kinds.indexOf("5"));
  }, 240_000);

  it("is not read in the command's own thread: it goes to a worker, which runs OCR; a page of tables is read in the thread", async () => {
    expect(await parseInThread({ bytes: new Uint8Array(dataUris()), name: "report.html" })).toBeNull();
    const here = await parseInThread({ bytes: new Uint8Array(readFileSync(GBK_PAGE)), name: GBK_PAGE });
    expect(here?.ok).toBe(true);
    // The worker's hard limit gives OCR its time where the page holds a picture.
    expect(mayNeedOcr(new Uint8Array(dataUris()), "report.html")).toBe(true);
    expect(mayNeedOcr(new Uint8Array(readFileSync(GBK_PAGE)), GBK_PAGE)).toBe(false);
  });

  it("xxgk extract reads it end to end", () => {
    const file = join(dir, "report.html");
    writeFileSync(file, dataUris());
    const out = spawnSync("node", ["dist/src/cli.js", "extract", file, "--json"], { encoding: "utf8", timeout: 240_000 });
    expect(out.stderr).toBe("");
    const r = JSON.parse(out.stdout) as ReportRecord;
    expect(problems(r, truth)).toEqual([]);
    expect(cellsOf(r).filter(([, , , v]) => v !== null).length).toBeGreaterThan(150);
  }, 240_000);

  it("where OCR cannot run, fails as scanned, saying the tables are pictures and what to install", async () => {
    const o = await without("XXGK_TESSERACT", () => parse(dataUris(), "report.html"));
    expect(o.ok ? "read" : o.code).toBe("scanned");
    if (!o.ok) expect(o.message).toMatch(/^the page has no tables but 3 picture\(s\) that may be them, read by OCR, which cannot run here: .*no-such-tool/);
  }, 60_000);

  it("pictures are left alone in a page of number tables and in a page that names no disclosure", async () => {
    const picture = `<p><img src="data:image/jpeg;base64,${jpegs[1].toString("base64")}"></p>`;
    const withTable = Buffer.from(readFileSync(GBK_PAGE, "latin1").replace(/<\/body>/i, `${picture}</body>`), "latin1");
    const notice = Buffer.from(`<html><head><meta charset="utf-8"><title>关于召开全区商务工作会议的通知</title></head><body><div><h1>关于召开全区商务工作会议的通知</h1><p>会议定于下周召开。</p>${picture}</div></body></html>`);
    await without("XXGK_TESSERACT", async () => {
      const a = await extractHtml(new Uint8Array(withTable), { name: "gbk.html", limits: DEFAULT_LIMITS });
      expect(a.diagnostics.some((d) => d.source === "html:pictures" || d.source === "ocr:read")).toBe(false);
      expect(a.blocks.filter((b) => b.kind === "table")).toHaveLength(3);
      const b = await extractHtml(new Uint8Array(notice), { name: "notice.html", limits: DEFAULT_LIMITS });
      expect(b.diagnostics.some((d) => d.source === "html:pictures" || d.source === "ocr:read")).toBe(false);
      expect(b.diagnostics.find((d) => d.source === "html:no-tables")?.message).toBe(
        "the page itself has no tables: 0 attachment link(s) and 1 image(s) found in the article; the tables may be images",
      );
    });
  }, 60_000);

  it("a page whose pictures are linked from elsewhere fails as no-tables, saying the file does not hold them and how to save it", async () => {
    const o = await parse(linked, "report.html");
    expect(o.ok ? "read" : o.code).toBe("no-tables");
    if (!o.ok)
      expect(o.message).toBe(
        "the report has no tables (the page itself has no tables: 0 attachment link(s) and 3 image(s) found in the article; the tables may be images: " +
          "3 linked from elsewhere, which the file does not hold (save the page with its pictures, as MHTML, to have them read))",
      );
  });

  it("screenshots of its tables at 96 dpi (table 4 a strip of four rows), each fitted to the page's width: read to the truth", async () => {
    expect(screenshots).toHaveLength(3);
    const html = Buffer.from(report(screenshots.map((png) => `data:image/png;base64,${png.toString("base64")}`), "<p>2025年1月13日</p>"));
    const r = recordOf(await parse(html, "screenshots.html"));
    expect(problems(r, truth)).toEqual([]);
    const { printed, read } = printedRead(r, truth);
    // 193 of 200 here; 29 when a rule that reached the picture's edge was not a rule, and table 4's strip too small to read.
    expect(read).toBeGreaterThanOrEqual(printed * 0.9);
    expect(reviewsOf(r)).toEqual(reviewsOf(truth));
  }, 240_000);

  it("data: URIs in base64 or percent-encoded give their bytes", () => {
    expect([...dataUriBytes("data:image/png;base64,iVBO\n Rw0K")!]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]);
    expect([...dataUriBytes("data:image/gif,GIF89a%01%FF")!]).toEqual([...Buffer.from("GIF89a"), 0x01, 0xff]);
    expect(dataUriBytes("data:image/png;base64")).toBeNull();
  });
});

describe("MHTML: a page saved with its pictures (chromium's Page.captureSnapshot)", () => {
  it("is told by its bytes, whatever its name (Word's single-file pages are served as .doc)", () => {
    expect(sniff(new Uint8Array(picturesMhtml), "report.doc").kind).toBe("mhtml");
    expect(sniff(new Uint8Array(gbkMhtml), "x.txt").kind).toBe("mhtml");
    expect(sniff(new Uint8Array(readFileSync(GBK_PAGE)), "x.mhtml").kind).toBe("html");
  });

  it("a report page of tables in GBK reads to the values the page itself gives, without OCR", async () => {
    const page = recordOf(await parse(readFileSync(GBK_PAGE), GBK_PAGE));
    const saved = await without("XXGK_TESSERACT", () => parse(gbkMhtml, "report.mhtml"));
    const r = recordOf(saved);
    expect(cellsOf(r)).toEqual(cellsOf(page));
    expect([r.organ, r.year, r.publishedOn, r.region]).toEqual([page.organ, page.year, page.publishedOn, page.region]);
    expect(problems(r, truth)).toEqual([]);
    expect(r.source.format).toBe("html");
    expect(r.diagnostics.find((d) => d.code === "mhtml.archive")?.message).toMatch(/^an MHTML archive \(a web page saved with its resources, saved by Blink\): the page is its part 1 of \d+ \(http:\/\/127\.0\.0\.1:\d+\/zwgk\/gbk\.html\)/);
    // Read in the command's own thread, as the page alone is.
    expect((await parseInThread({ bytes: new Uint8Array(gbkMhtml), name: "report.mhtml" }))?.ok).toBe(true);
  }, 60_000);

  it("a report whose tables are linked pictures: read from the archive's parts by OCR, to the truth", async () => {
    const r = recordOf(await parse(picturesMhtml, "report.mhtml"));
    expect(problems(r, truth)).toEqual([]);
    const { printed, read } = printedRead(r, truth);
    expect(read).toBeGreaterThanOrEqual(printed * 0.9);
    expect(r.diagnostics.find((d) => d.code === "html.pictures")?.message).toMatch(/: 3 read by OCR/);
    expect(await parseInThread({ bytes: new Uint8Array(picturesMhtml), name: "report.mhtml" })).toBeNull();
  }, 240_000);

  it("Word's single-file page (quoted-printable GB2312, a file:/// location, pictures in a .files folder) is read by its part's charset", async () => {
    // Laid out as Word writes one: the page's charset on its part, its pictures relative to it.
    const gbk = readFileSync(GBK_PAGE).toString("latin1").replace(/<meta[^>]*charset[^>]*>/i, "");
    // Quoted-printable as RFC 2045 has it: = and bytes past ASCII as =XX, lines cut under 76 by a soft break.
    const qp = gbk
      .split("\n")
      .map((line) => {
        const units = [...line].map((c) => (c === "=" || c.charCodeAt(0) > 0x7e ? `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}` : c));
        const out: string[] = [];
        let cur = "";
        for (const u of units) {
          if (cur.length + u.length > 72) (out.push(cur + "="), (cur = ""));
          cur += u;
        }
        return [...out, cur].join("\r\n");
      })
      .join("\r\n");
    const mht = [
      "MIME-Version: 1.0",
      'Content-Type: multipart/related; boundary="----=_NextPart_01DA0000.12345678"',
      "",
      "This document is a Single File Web Page, also known as a Web Archive file.",
      "",
      "------=_NextPart_01DA0000.12345678",
      "Content-Location: file:///C:/ABCD1234/report.htm",
      "Content-Transfer-Encoding: quoted-printable",
      'Content-Type: text/html; charset="gb2312"',
      "",
      qp,
      "",
      "------=_NextPart_01DA0000.12345678--",
      "",
    ].join("\r\n");
    const r = recordOf(await parse(Buffer.from(mht, "latin1"), "report.doc"));
    const page = recordOf(await parse(readFileSync(GBK_PAGE), GBK_PAGE));
    expect(cellsOf(r)).toEqual(cellsOf(page));
    expect(r.organ).toBe("硚口区商务局");
    // A picture named relative to the page's file:/// location is found in the archive.
    const picture = jpegs[2].toString("base64").replace(/(.{76})/g, "$1\r\n");
    const withPicture = [
      "MIME-Version: 1.0",
      'Content-Type: multipart/related; boundary="b1"',
      "",
      "--b1",
      "Content-Location: file:///C:/ABCD1234/report.htm",
      'Content-Type: text/html; charset="utf-8"',
      "",
      `<html><head><title>${TITLE}</title></head><body><p>${TITLE}</p><p>四、政府信息公开行政复议、行政诉讼情况</p><p><img src="report.files/image001.jpg"></p></body></html>`,
      "--b1",
      "Content-Location: file:///C:/ABCD1234/report.files/image001.jpg",
      "Content-Transfer-Encoding: base64",
      "Content-Type: image/jpeg",
      "",
      picture,
      "--b1--",
    ].join("\r\n");
    const doc = await extractMhtml(new Uint8Array(Buffer.from(withPicture, "utf8")), { name: "report.mht", limits: DEFAULT_LIMITS });
    expect(doc.diagnostics.find((d) => d.source === "html:pictures")?.message).toMatch(/^the page has no tables but 1 picture\(s\) in its article: 1 read by OCR/);
    expect(doc.blocks.some((b) => b.kind === "table" && b.rows.flat().some((c) => /\d/.test(c.text)))).toBe(true);
  }, 240_000);

  it("quoted-printable: soft line breaks joined, =XX decoded, a lone = kept", () => {
    expect(Buffer.from(quotedPrintable("a=3Db=\r\nc=E4=B8=AD =\nd = e")).toString("utf8")).toBe("a=bc中 d = e");
  });

  it("a broken archive fails with one line naming the reason", async () => {
    const head = (ct: string) => `MIME-Version: 1.0\r\nContent-Type: ${ct}\r\n\r\n`;
    const cases: [string, string, RegExp][] = [
      [head("multipart/related"), "corrupt", /names no boundary/],
      [head('multipart/related; boundary="zz"') + "no parts here", "corrupt", /boundary line never appears/],
      [head('multipart/related; boundary="zz"') + "--zz\r\nContent-Type: image/png\r\n\r\nxx\r\n--zz--", "not-html", /none of its 1 part\(s\) is text\/html/],
      [head('multipart/related; boundary="zz"') + "--zz\r\nContent-Type: text/plain\r\n\r\nx\r\n".repeat(20) + "--zz--", "too-large", /more than 10 parts \(limits\.maxZipEntries/],
    ];
    for (const [text, code, message] of cases) {
      const o = await parseReport({ bytes: new Uint8Array(Buffer.from(text)), name: "bad.mht", limits: { maxZipEntries: 10 } });
      expect(o.ok ? "read" : o.code, text.slice(0, 80)).toBe(code);
      if (!o.ok) {
        expect(o.message).toMatch(message);
        expect(o.message).not.toContain("\n");
      }
    }
  });
});

describe("report pages whose tables are pictures linked from elsewhere: kept with their pictures as one MHTML archive (src/page-archive.ts)", () => {
  it("xxgk crawl fetches the pictures a report page shows, stores page and pictures as one document, and reads it; a second run fetches nothing again", async () => {
    const db = join(mkdtempSync(join(dir, "crawl-")), "x.sqlite");
    const config = {
      userAgent: "xxgk-test (+mailto:crawl-test@example.org)", perHostIntervalMs: 0, timeoutMs: 5000, retries: 0,
      portals: [{ name: "pictures", startUrls: [`http://127.0.0.1:${port}/zwgk/list.html`], reportLink: { selector: ".list a", text: "年度报告" } }],
    };
    const first = await runCrawl({ config, db });
    const p = first.portals[0];
    expect([p.reports.new, p.documents.pictures, p.failed.length]).toEqual([1, 1, 0]);
    expect(describeCrawl(first)).toContain("1 picture fetched with report pages whose tables are pictures");
    const store = openStore(db);
    try {
      const r = store.recordOf(p.newReports[0].reportId!)!;
      expect(reviewsOf(r)).toEqual(reviewsOf(truth));
      expect(r.publishedOn).toBe(truth.publishedOn);
      expect([r.source.url, r.source.format]).toEqual([`http://127.0.0.1:${port}/zwgk/t4.html`, "html"]);
      expect(r.diagnostics.find((d) => d.code === "mhtml.archive")?.message).toContain("saved by xxgk");
    } finally {
      store.close();
    }
    const fetched = hits.filter((h) => h === "/zwgk/images/t3.jpg").length;
    const second = await runCrawl({ config, db });
    expect([second.portals[0].reports.new, second.portals[0].documents.pictures]).toEqual([0, 0]);
    expect(hits.filter((h) => h === "/zwgk/images/t3.jpg").length).toBe(fetched);

    // The review page shows the picture the values were read from, as the PDF OCR read
    // (its places are on it), made again without OCR: Tesseract pointed away changes nothing.
    const review = await startServer({ db, port: 0, host: "127.0.0.1" });
    try {
      await without("XXGK_TESSERACT", async () => {
        const id = p.newReports[0].reportId!;
        const page = await (await fetch(`${review.url}report/${id}`)).text();
        expect(page).toContain(`data-src="/source/${id}"`);
        const res = await fetch(`${review.url}source/${id}`);
        expect([res.status, res.headers.get("content-type")]).toEqual([200, "application/pdf"]);
        const pdf = join(dir, "shown.pdf");
        writeFileSync(pdf, new Uint8Array(await res.arrayBuffer()));
        const info = execFileSync("pdfinfo", [pdf]).toString();
        expect(info).toMatch(/Pages:\s+1\n/);
        expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
      });
    } finally {
      await review.close();
    }
  }, 240_000);

  it("the archive is the same bytes for the same page and pictures, and reads back to the page with them", async () => {
    const page = { bytes: new Uint8Array(lastPage("/zwgk/images/t3.jpg")), url: "http://portal.example/zwgk/t4.html", contentType: "text/html; charset=utf-8" };
    const pictures = [{ url: "http://portal.example/zwgk/images/t3.jpg", bytes: new Uint8Array(jpegs[2]) }];
    const a = archivePage(page, pictures);
    expect(Buffer.from(archivePage(page, pictures)).equals(Buffer.from(a))).toBe(true);
    expect(Buffer.from(archivePage(page, [])).equals(Buffer.from(a))).toBe(false);
    expect(sniff(a, "t4.html").kind).toBe("mhtml");
    // Tesseract pointed away: the archive's picture is found (OCR is asked for), not left out.
    const o = await without("XXGK_TESSERACT", () => parseReport({ bytes: a, name: "t4.html" }));
    expect(o.ok ? "read" : o.code).toBe("scanned");
    if (!o.ok) expect(o.message).toContain("1 picture(s) that may be them");
  });

  it("xxgk ingest of a page saved with its pictures' folder: one document, its pictures not read again on their own (walked before or after it)", async () => {
    const folder = mkdtempSync(join(dir, "saved-"));
    mkdirSync(join(folder, "report_files"));
    mkdirSync(join(folder, "a_images"));
    writeFileSync(join(folder, "report.html"), lastPage("report_files/t3.jpg"));
    writeFileSync(join(folder, "report_files", "t3.jpg"), jpegs[2]);
    // The same page again, its picture in a folder walked before it, shown as a thumbnail
    // linking to the full-size picture (as portals' editors wrap a shrunk table): the
    // full-size one is read (the thumbnail alone is too small to hold a table).
    writeFileSync(join(folder, "report-copy.html"), lastPage("a_images/small.png").toString().replace(/<img [^>]*>/, (img) => `<a href="a_images/t3.jpg">${img}</a>`));
    writeFileSync(join(folder, "a_images", "t3.jpg"), jpegs[2]);
    execFileSync("pdftoppm", ["-scale-to", "120", "-png", "-singlefile", "-f", "3", "-l", "3", SCAN, join(folder, "a_images", "small")]);
    // A picture outside the page's folder is never read for it.
    writeFileSync(join(folder, "other.html"), lastPage("../outside.jpg"));
    writeFileSync(join(dir, "outside.jpg"), jpegs[2]);
    const db = join(folder, "x.sqlite");
    const store = openStore(db);
    const records: ReportRecord[] = [];
    try {
      const summary = await ingestPaths(store, [folder], { images: true, onResult: (_, r) => r.record && records.push(r.record) });
      // report.html and its copy are one page with one picture: the same archive but for its address, so two documents.
      expect(summary.ingested).toBe(2);
      expect(summary.skipped).toEqual([
        { path: join(folder, "a_images", "small.png"), reason: `a picture that ${join(folder, "report-copy.html")} shows: stored with that page` },
        { path: join(folder, "a_images", "t3.jpg"), reason: `a picture that ${join(folder, "report-copy.html")} shows: stored with that page` },
        { path: join(folder, "report_files", "t3.jpg"), reason: `a picture that ${join(folder, "report.html")} shows: stored with that page` },
      ]);
      expect(summary.failed.map((f) => [f.path, f.code])).toEqual([[join(folder, "other.html"), "no-tables"]]);
    } finally {
      store.close();
    }
    expect(records.map((r) => r.source.path).sort()).toEqual([join(folder, "report-copy.html"), join(folder, "report.html")]);
    for (const r of records) expect(reviewsOf(r)).toEqual(reviewsOf(truth));
  }, 240_000);
});
