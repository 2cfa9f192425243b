// Report pages that show their report as an embedded document: a PDF in an <iframe>,
// <embed> or <object>, often through a PDF viewer page (pdf.js's viewer.html?file=…),
// as portals publish them. The page is not the report: its document is, and the crawler
// fetches it (extractors/html/meta.ts documentAddress, findAttachments; src/crawl/lists.ts).
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentAddress } from "../extractors/html/meta.js";
import { attachmentLinks } from "../src/crawl/lists.js";
import { cellsOf } from "../model/cells.js";
import type { ReportRecord } from "../model/record.js";
import { parseReport } from "../src/pipeline.js";
import { runCrawl } from "../src/crawl/command.js";
import { openStore } from "../src/store.js";

const PDF = "test/fixtures/reports/r2021.lo.pdf";
const truth = JSON.parse(readFileSync("test/fixtures/reports/r2021.expected.json", "utf8")) as ReportRecord;
const TITLE = "硚口区商务局2024年政府信息公开工作年度报告";
const page = (inside: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${TITLE}</title></head><body>` +
  `<div class="nav"><a href="/">首页</a><iframe src="/weather.html" title="天气"></iframe></div>` +
  `<div class="article"><h1>${TITLE}</h1><p>发布日期：2025-01-20</p>${inside}</div></body></html>`;
const URL_OF_PAGE = "http://portal.example/zwgk/nb/t20250120_1.html";

async function attachmentsOf(html: string) {
  const o = await parseReport({ bytes: new Uint8Array(Buffer.from(html)), name: "page.html", url: URL_OF_PAGE });
  return { code: o.ok ? "read" : o.code, urls: (o.ok ? o.attachments : (o.attachments ?? [])).map((a) => a.url) };
}

describe("a page that shows its report embedded", () => {
  it("an <iframe>, <embed> or <object> showing a PDF: the page points to that document (attachments-only)", async () => {
    for (const inside of [
      `<iframe src="/upload/2025/nb.pdf" width="100%" height="800"></iframe>`,
      `<embed src="../../upload/2025/nb.pdf" type="application/pdf">`,
      `<object data="/upload/2025/nb.pdf" type="application/pdf"><p>您的浏览器不支持PDF</p></object>`,
    ])
      expect(await attachmentsOf(page(inside)), inside).toEqual({ code: "attachments-only", urls: ["http://portal.example/upload/2025/nb.pdf"] });
  });

  it("through a PDF viewer page (pdf.js's viewer.html?file=…), in a frame or a link: the file it shows, resolved as the viewer resolves it", async () => {
    expect(await attachmentsOf(page(`<iframe src="/static/pdfjs/web/viewer.html?file=%2Fupload%2F2025%2Fnb.pdf"></iframe>`))).toEqual({
      code: "attachments-only",
      urls: ["http://portal.example/upload/2025/nb.pdf"],
    });
    expect(await attachmentsOf(page(`<p><a href="/pdfjs/web/viewer.html?file=../../upload/nb.pdf#page=1">点击查看</a></p>`))).toEqual({
      code: "attachments-only",
      urls: ["http://portal.example/upload/nb.pdf"],
    });
  });

  it("a hidden frame, a frame showing a page, and a download script are not taken for a viewer", async () => {
    expect((await attachmentsOf(page(`<iframe src="/upload/nb.pdf" style="display:none"></iframe><p>正文</p>`))).urls).toEqual([]);
    expect((await attachmentsOf(page(`<iframe src="/content/123.html"></iframe>`))).urls).toEqual([]);
    // A download script's file parameter is its own key, not an address: kept as the link.
    expect(documentAddress("http://portal.example/download.jsp?file=nb.pdf")).toBe("http://portal.example/download.jsp?file=nb.pdf");
    expect(documentAddress("http://portal.example/web/viewer.html?file=http%3A%2F%2Ffiles.example%2Fnb.pdf")).toBe("http://files.example/nb.pdf");
    expect(documentAddress("http://portal.example/web/viewer.html?file=/nb.html")).toBe("http://portal.example/web/viewer.html?file=/nb.html");
  });

  it("the crawler's own link finder takes frames and viewer links alike", () => {
    const html = page(`<iframe src="/static/pdfjs/web/viewer.html?file=%2Fupload%2Fa.pdf" title="年报"></iframe><a href="/upload/b.docx">附件</a>`);
    expect(attachmentLinks(html, URL_OF_PAGE)).toEqual([
      { url: "http://portal.example/upload/a.pdf", text: "年报" },
      { url: "http://portal.example/upload/b.docx", text: "附件" },
    ]);
  });
});

describe("xxgk crawl of a portal whose report page embeds the PDF through a viewer", () => {
  let server: Server;
  let base: string;
  let dir: string;
  const hits: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "xxgk-embedded-"));
    server = createServer((req, res) => {
      hits.push(req.url ?? "");
      const html = (body: string) => res.setHeader("content-type", "text/html; charset=utf-8").end(body);
      if (req.url === "/zwgk/list.html") html(`<ul class="list"><li><a href="nb.html">${TITLE}</a></li></ul>`);
      else if (req.url === "/zwgk/nb.html") html(page(`<iframe src="/pdfjs/web/viewer.html?file=%2Fupload%2Fnb.pdf" width="100%"></iframe>`));
      else if (req.url === "/upload/nb.pdf") res.setHeader("content-type", "application/pdf").end(readFileSync(PDF));
      else res.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("fetches the PDF the viewer shows (never the viewer) and reads it to the truth", async () => {
    const db = join(dir, "x.sqlite");
    const s = await runCrawl({
      db,
      config: {
        userAgent: "xxgk-test (+mailto:crawl-test@example.org)", perHostIntervalMs: 0, timeoutMs: 5000, retries: 0,
        portals: [{ name: "viewer", startUrls: [`${base}/zwgk/list.html`], reportLink: { selector: ".list a", text: "年度报告" } }],
      },
    });
    const p = s.portals[0];
    expect([p.reports.new, p.reports.containers, p.failed.length]).toEqual([1, 1, 0]);
    expect(hits).toContain("/upload/nb.pdf");
    expect(hits.some((h) => h.startsWith("/pdfjs/"))).toBe(false);
    const store = openStore(db);
    try {
      const r = store.recordOf(p.newReports[0].reportId!)!;
      expect(r.source.url).toBe(`${base}/upload/nb.pdf`);
      expect(cellsOf(r)).toEqual(cellsOf(truth));
    } finally {
      store.close();
    }
  }, 60_000);
});
