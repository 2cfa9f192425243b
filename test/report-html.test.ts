// The quality report page: counts and shares computed from the rows, escaping, links,
// changes since the last report, and the page as a real headless Chromium renders it.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as cheerio from "cheerio";
import { afterAll, describe, expect, it } from "vitest";
import { ReportRecord, REQUEST_COLUMNS, REQUEST_ROWS, OTHER_ROWS_2021 } from "../model/record.js";
import { buildReportRows, type QualityData, type ReportRow } from "../src/report/data.js";
import { renderQualityReport, snapshotOf } from "../src/report/html.js";

const EVIL = `<script>alert("x")</script> & 局`;

function row(p: Partial<ReportRow> & { id: number }): ReportRow {
  return {
    key: `report body${p.id}|2024`,
    digest: `values${p.id}`,
    organ: `机关${p.id}`,
    year: 2024,
    template: "2021",
    format: "docx",
    province: null,
    city: null,
    county: null,
    regionCode: null,
    sourcePath: `/data/reports/${p.id}.docx`,
    sourceUrl: null,
    checks: [],
    warnings: [],
    unreadCells: 0,
    ingestedAt: "2025-03-01T10:00:00.000Z",
    ...p,
  };
}

const err = (rule: string, message = "不平衡") => ({ rule, severity: "error" as const, message, where: "requests.total.total" });
const warn = (rule: string, message = "叙述不一致") => ({ rule, severity: "warning" as const, message, where: "sections[0]" });

const ROWS: ReportRow[] = [
  row({ id: 1, organ: "硚口区商务局", province: "湖北省", city: "武汉市", county: "硚口区", regionCode: "420104", year: 2024, format: "docx" }),
  row({ id: 2, organ: "广州市司法局", province: "广东省", city: "广州市", regionCode: "440100", year: 2023, format: "pdf", checks: [err("requests.balance", "一+二≠七+四 <b>")] }),
  row({ id: 3, organ: EVIL, province: "浙江省", year: 2022, format: "html", checks: [warn("reviews.total")], warnings: ["cell '—' read as null"] }),
  row({ id: 4, organ: "武汉市财政局", province: "湖北省", city: "武汉市", year: 2019, template: "2019", format: "text", warnings: ["procurement.amountYuan: 251000元 → 251000"] }),
  row({ id: 5, organ: "东城区民政局", province: "北京市", city: "北京市", county: "东城区", year: 2020, template: "2019", format: "docx", unreadCells: 5 }),
  row({
    id: 6, organ: null, year: null, format: "pdf", sourcePath: null, sourceUrl: "https://example.gov.cn/xxgk/a?x=1&y=2",
    checks: [err("requests.balance"), err("requests.rowTotal")], unreadCells: 2,
  }),
  row({ id: 7, organ: "深圳市教育局", province: "广东省", year: 2024, format: "html", sourcePath: "/data/报告 2024#1.docx" }),
  row({ id: 8, organ: "成都市人民政府", province: "四川省", year: 2021, format: "pdf", checks: [warn("narrative.requestsReceived")] }),
];

const RULES = ["requests.balance", "requests.rowTotal", "requests.resultsTotal", "reviews.total", "narrative.requestsReceived"];

const DATA: QualityData = {
  generatedAt: "2025-03-02T08:30:00.000Z",
  reports: ROWS,
  failures: [
    { path: "/data/in/损坏.pdf", url: null, code: "pdf.damaged", message: "PDF header missing <%PDF>", at: "2025-03-01T10:00:00.000Z" },
    { path: null, url: "javascript:alert(1)", code: "fetch.status", message: "HTTP 404", at: "2025-03-01T10:01:00.000Z" },
    { path: "/data/in/notes.txt", url: null, code: "not-a-report", message: "no template table found", at: "2025-03-01T10:02:00.000Z" },
  ],
  rules: RULES,
  previous: null,
};

// Expectations, computed from the rows rather than written down.
const needsLook = (r: ReportRow) => r.checks.length > 0 || r.warnings.length > 0 || r.unreadCells > 0;
const failing = (r: ReportRow) => r.checks.length > 0;
const pct = (n: number, d: number) => (n === d ? "100%" : n === 0 ? "0%" : `${((n / d) * 100).toFixed(1)}%`);
function tally<T>(xs: T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}

describe("quality report page (pure)", () => {
  const html = renderQualityReport(DATA);
  const $ = cheerio.load(html);

  it("is self-contained: utf-8, CJK font stack, no script, nothing fetched", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain(`"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif`);
    expect($("script, link, img, iframe, object, embed, video, audio, source").length).toBe(0);
    expect(html).not.toMatch(/\bsrc\s*=|url\(|@import/i);
    expect($('meta[http-equiv="Content-Security-Policy"]').attr("content")).toContain("default-src 'none'");
  });

  it("shows the totals", () => {
    expect($("#total-reports .n").text()).toBe(String(ROWS.length));
    expect($("#total-failures .n").text()).toBe(String(DATA.failures.length));
    expect($("#total-look .n").text()).toBe(String(ROWS.filter(needsLook).length));
    expect($("#total-look .t").text()).toContain(pct(ROWS.filter(needsLook).length, ROWS.length));
    expect($("#total-failing .n").text()).toBe(String(ROWS.filter(failing).length));
  });

  it("charts reports by province, year, template and format", () => {
    const byProvince = tally(ROWS, (r) => r.province ?? "(unknown)");
    const bars = $("#chart-province rect.bar");
    expect(bars.length).toBe(byProvince.size);
    for (const [label, n] of byProvince) {
      const bar = $(`#chart-province rect.bar[data-label="${label}"]`);
      expect(bar.attr("data-value"), label).toBe(String(n));
    }
    // most reports first, unknown last
    expect(bars.first().attr("data-label")).toMatch(/湖北省|广东省/);
    expect(bars.last().attr("data-label")).toBe("(unknown)");

    const byYear = tally(ROWS, (r) => (r.year === null ? "(unknown)" : String(r.year)));
    const cols = $("#chart-year rect.bar");
    expect(cols.length).toBe(byYear.size);
    const labels = cols.map((_, el) => $(el).attr("data-label")).get();
    expect(labels).toEqual(["2019", "2020", "2021", "2022", "2023", "2024", "(unknown)"]);
    expect($('#chart-year rect.bar[data-label="2024"]').attr("data-value")).toBe(String(byYear.get("2024")));

    for (const [id, key] of [["chart-template", (r: ReportRow) => r.template], ["chart-format", (r: ReportRow) => r.format]] as const) {
      const t = tally(ROWS, key);
      expect($(`#${id} rect.seg`).length).toBe(t.size);
      for (const [label, n] of t) expect($(`#${id} rect.seg[data-label="${label}"]`).attr("data-value")).toBe(String(n));
    }
  });

  it("shows the share of reports passing each rule, computed from the rows", () => {
    const bars = $("#chart-rules rect.bar");
    expect(bars.length).toBe(RULES.length);
    for (const rule of RULES) {
      const failingN = ROWS.filter((r) => r.checks.some((c) => c.rule === rule)).length;
      const share = pct(ROWS.length - failingN, ROWS.length);
      const bar = $(`#chart-rules rect.bar[data-label="${rule}"]`);
      expect(bar.attr("data-value"), rule).toBe(share);
      expect(bar.parent().text()).toContain(share);
    }
    // a rule that never fails still shows, at 100%
    expect($('#chart-rules rect.bar[data-label="requests.resultsTotal"]').attr("data-value")).toBe("100%");
    expect($('#chart-rules rect.bar[data-label="requests.balance"]').attr("data-value")).toBe("75.0%");
  });

  it("lists the reports that need a look, most severe first", () => {
    const ids = $("#needs-look tbody tr").map((_, el) => Number($(el).attr("data-id"))).get();
    expect(new Set(ids)).toEqual(new Set(ROWS.filter(needsLook).map((r) => r.id)));
    // errors (6 has two, 2 has one), then failed warning checks, then warnings only, then unread cells only
    expect(ids).toEqual([6, 2, 3, 8, 4, 5]);
    const r6 = $('#needs-look tr[data-id="6"]');
    expect(r6.find("td.failed").text()).toContain("requests.rowTotal");
    expect(r6.find("td.organ").text()).toContain("organ unknown");
    expect($('#needs-look tr[data-id="5"] td.num').last().text()).toBe("5");
    expect($('#needs-look tr[data-id="1"]').length).toBe(0);
  });

  it("escapes every text from the data", () => {
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("四 <b>");
    expect(html).toContain("一+二≠七+四 &lt;b&gt;");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 局");
    expect($('#needs-look tr[data-id="3"] td.organ').text()).toBe(EVIL);
    expect($('#needs-look tr[data-id="2"] td.failed').text()).toContain("一+二≠七+四 <b>");
    expect($("#failures").text()).toContain("PDF header missing <%PDF>");
  });

  it("links sources: file:// for paths, http(s) URLs as given, nothing else", () => {
    const hrefs = $("a.src[href]").map((_, el) => $(el).attr("href")).get();
    // every other link stays on the page
    expect($("a[href]").not(".src").map((_, el) => $(el).attr("href")).get().every((h) => h.startsWith("#"))).toBe(true);
    const p7 = "/data/报告 2024#1.docx";
    const f7 = pathToFileURL(p7).href;
    expect(f7).toContain("%23"); // the # is not a fragment
    expect($('#needs-look tr[data-id="6"] a').attr("href")).toBe("https://example.gov.cn/xxgk/a?x=1&y=2");
    expect(html).toContain('href="https://example.gov.cn/xxgk/a?x=1&amp;y=2"');
    expect($('#needs-look tr[data-id="2"] a').attr("href")).toBe("file:///data/reports/2.docx");
    expect(hrefs).toContain(pathToFileURL("/data/in/损坏.pdf").href);
    expect(hrefs.every((h) => /^(file|https?):\/\//.test(h))).toBe(true);
    expect(html).not.toMatch(/href="javascript:/i);
    expect($("#failures").text()).toContain("javascript:alert(1)"); // shown, not linked
    // the clean report 7 is not listed, so render it as failing to see its link
    const $7 = cheerio.load(renderQualityReport({ ...DATA, reports: [{ ...ROWS[6], warnings: ["x"] }] }));
    expect($7('#needs-look tr[data-id="7"] a').attr("href")).toBe(f7);
    expect($7('#needs-look tr[data-id="7"] a').text()).toBe("报告 2024#1.docx");
  });

  it("lists the failed files with their reasons", () => {
    const trs = $("#failures tbody tr");
    expect(trs.length).toBe(DATA.failures.length);
    expect(trs.eq(0).text()).toContain("pdf.damaged");
    expect(trs.eq(2).text()).toContain("no template table found");
    expect($("#chart-failures rect.bar").length).toBe(3);
  });

  it("says it is the first report when there is no previous one", () => {
    expect($("#first-report").text()).toContain("first report");
    expect($("#changes .change").length).toBe(0);
  });

  it("shows changes since the last report, reports known by their key", () => {
    // before: 1..5 and a report since gone existed; 2, 5 and the gone one failed; 4's values were others
    const key = (id: number) => ROWS.find((r) => r.id === id)!.key;
    const reports: Record<string, string> = Object.fromEntries([1, 2, 3, 4, 5].map((id) => [key(id), `values${id}`]));
    reports[key(4)] = "other values";
    reports["report gone|2020"] = "x";
    const previous = { generatedAt: "2025-02-01T08:00:00.000Z", reports, failing: [key(2), key(5), "report gone|2020"] };
    // Store ids are not what a report is: the same reports under new ids (a re-parse) are no news.
    const renumbered = ROWS.map((r) => ({ ...r, id: r.id + 1000 }));
    const $c = cheerio.load(renderQualityReport({ ...DATA, reports: renumbered, previous }));
    expect($c("#first-report").length).toBe(0);
    const ids = (cls: string) => $c(`#changes .change.${cls} li[data-id]`).map((_, el) => Number($c(el).attr("data-id")) - 1000).get();
    const before = new Set([1, 2, 3, 4, 5]);
    const failedBefore = new Set([2, 5]);
    expect(ids("added")).toEqual(ROWS.filter((r) => !before.has(r.id)).map((r) => r.id));
    expect(ids("added")).toEqual([6, 7, 8]);
    expect(ids("failing")).toEqual(ROWS.filter((r) => before.has(r.id) && !failedBefore.has(r.id) && failing(r)).map((r) => r.id));
    expect(ids("failing")).toEqual([3]);
    expect(ids("passing")).toEqual([5]); // 5 has unread cells but no failed check
    expect(ids("changed")).toEqual([4]);
    expect($c("#changes .change.added .count").text()).toBe("3");
    expect($c("#changes").text()).toContain("2025-02-01 08:00 UTC");
    expect($c("#changes").text()).toContain("1 report(s) of that one are no longer in the store");
  });

  it("compares a snapshot of an older xxgk (store ids, no values) by id", () => {
    const previous = { generatedAt: "2025-02-01T08:00:00.000Z", reportIds: [1, 2, 3, 4, 5, 99], failingReportIds: [2, 5, 99] };
    const $c = cheerio.load(renderQualityReport({ ...DATA, previous }));
    const ids = (cls: string) => $c(`#changes .change.${cls} li[data-id]`).map((_, el) => Number($c(el).attr("data-id"))).get();
    expect(ids("added")).toEqual([6, 7, 8]);
    expect(ids("failing")).toEqual([3]);
    expect(ids("passing")).toEqual([5]);
    expect($c("#changes .change.changed").length).toBe(0); // it kept no values to compare
    expect($c("#changes").text()).toContain("1 report(s) of that one are no longer in the store");
  });

  it("snapshotOf gives the next run's previous", () => {
    const s = snapshotOf(DATA);
    expect(s).toEqual({
      generatedAt: DATA.generatedAt,
      reports: Object.fromEntries(ROWS.map((r) => [r.key, r.digest])),
      failing: ROWS.filter(failing).map((r) => r.key),
    });
    // feeding the snapshot back: nothing changed
    const $s = cheerio.load(renderQualityReport({ ...DATA, previous: s }));
    expect($s("#changes .count").map((_, el) => $s(el).text()).get()).toEqual(["0", "0", "0", "0"]);
  });

  it("renders an empty store", () => {
    const $e = cheerio.load(renderQualityReport({ generatedAt: DATA.generatedAt, reports: [], failures: [], rules: RULES }));
    expect($e("#total-reports .n").text()).toBe("0");
    expect($e("#chart-province").text()).toContain("No data");
    expect($e("#chart-rules").text()).toContain("No reports yet");
    expect($e("#look").text()).toContain("Nothing needs a look");
  });

  it("caps long tables and says how many are left out", () => {
    const many = Array.from({ length: 30 }, (_, i) => row({ id: 100 + i, warnings: ["w"] }));
    const $m = cheerio.load(renderQualityReport({ ...DATA, reports: many }, { maxRows: 10 }));
    expect($m("#needs-look tbody tr").length).toBe(10);
    expect($m("#look").text()).toContain("20 more not listed");
  });
});

describe("buildReportRows", () => {
  const zeros = () => REQUEST_COLUMNS.map(() => 0 as number | null);
  const requests: Record<string, (number | null)[]> = {};
  for (const k of [...REQUEST_ROWS, ...OTHER_ROWS_2021]) requests[k] = zeros();
  requests.newReceived[0] = null;
  requests["denied.stateSecret"] = REQUEST_COLUMNS.map(() => null); // 7 nulls
  const group = { upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 };
  const record = ReportRecord.parse({
    schemaVersion: 2,
    source: { path: "/data/a.docx", url: "https://x.gov.cn/a.docx", sha256: "a".repeat(64), format: "docx" },
    template: "2021",
    organ: "硚口区商务局",
    year: 2024,
    publishedOn: "2025-01-13",
    region: { code: "420104", name: "硚口区", province: "湖北省", city: "武汉市", county: "硚口区" },
    active: {
      regulations: { issued: 0, repealed: null, inForce: 0 },
      normativeDocuments: { issued: 1, repealed: 0, inForce: 3 },
      licensing: { decisions: null },
      penalties: { decisions: 2 },
      coercion: { decisions: 0 },
      fees: { amountWanYuan: null },
    },
    requests,
    reviews: { administrativeReview: { ...group, pending: null }, litigationDirect: group, litigationAfterReview: group },
    sections: [{ number: 1, title: "总体情况", text: "" }],
    checks: [{ rule: "requests.balance", severity: "error", message: "m", where: "w" }],
    provenance: {
      "active.licensing.decisions": { text: "—", status: "unreadable", place: { table: 1, row: 4, col: 2 } },
      "active.regulations.repealed": { text: "", status: "blank", place: { table: 1, row: 1, col: 3 } },
    },
    diagnostics: [
      { code: "cell.notNumber", severity: "warning", key: "active.licensing.decisions", message: "licensing.decisions: '—' read as null" },
      { code: "cell.blank", severity: "info", key: "active.regulations.repealed", message: "blank; read as null" },
    ],
  });

  it("takes ids, region, source, checks, warnings (diagnostics that are not info) and counts unread cells (a cell printed blank is null but not unread)", () => {
    const [r] = buildReportRows([{ id: 42, record, ingestedAt: "2025-03-01T00:00:00Z" }]);
    expect(r).toEqual({
      id: 42,
      key: `document ${"a".repeat(64)}`, // no report key given: the document, by its bytes
      digest: expect.stringMatching(/^[0-9a-f]{16}$/),
      organ: "硚口区商务局",
      year: 2024,
      template: "2021",
      format: "docx",
      province: "湖北省",
      city: "武汉市",
      county: "硚口区",
      regionCode: "420104",
      sourcePath: "/data/a.docx",
      sourceUrl: "https://x.gov.cn/a.docx",
      zipMember: null,
      checks: [{ rule: "requests.balance", severity: "error", message: "m", where: "w" }],
      warnings: ["licensing.decisions: '—' read as null"],
      unreadCells: 2 + 1 + 7 + 1, // active 3 null, one of them printed blank (not unread); requests 1 + 7, reviews 1
      ingestedAt: "2025-03-01T00:00:00Z",
    });
  });

  it("digests what the report says: a cell, the body or the year changes it; notes, checks and places do not", () => {
    const digest = (rec: ReportRecord) => buildReportRows([{ id: 1, record: rec, ingestedAt: "t", key: "report k" }])[0].digest;
    const base = digest(record);
    expect(buildReportRows([{ id: 1, record, ingestedAt: "t", key: "report k" }])[0].key).toBe("report k");
    const cell = structuredClone(record);
    cell.requests["denied.stateSecret"][2] = 4;
    expect(digest(cell)).not.toBe(base);
    expect(digest({ ...record, organ: "硚口区商务局办公室" })).not.toBe(base);
    expect(digest({ ...record, year: 2023 })).not.toBe(base);
    expect(digest({ ...record, checks: [], diagnostics: [], provenance: {} })).toBe(base);
    expect(digest({ ...record, source: { ...record.source, sha256: "b".repeat(64) } })).toBe(base);
  });

  it("leaves the region empty when the record has none", () => {
    const [r] = buildReportRows([{ id: 1, record: { ...record, region: null }, ingestedAt: "t" }]);
    expect([r.province, r.city, r.county, r.regionCode]).toEqual([null, null, null, null]);
  });
});

describe("quality report page in headless Chromium", () => {
  const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  function chromium(args: string[]): Promise<string> {
    const profile = mkdtempSync(join(tmpdir(), "xxgk-chromium-"));
    dirs.push(profile);
    const flags = [
      "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", `--user-data-dir=${profile}`,
    ];
    return new Promise((resolve, reject) => {
      execFile(CHROMIUM, [...flags, ...args], { timeout: 30_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`chromium failed (is it installed at ${CHROMIUM}?): ${error.message}\n${stderr}`));
        else resolve(stdout);
      });
    });
  }

  const dir = mkdtempSync(join(tmpdir(), "xxgk-report-"));
  dirs.push(dir);
  const page = join(dir, "report.html");
  writeFileSync(page, renderQualityReport({ ...DATA, previous: { generatedAt: "2025-02-01T08:00:00.000Z", reportIds: [1, 2, 3, 4, 5], failingReportIds: [2, 5] } }));
  const url = pathToFileURL(page).href;

  it("renders the charts (dump-dom)", async () => {
    const dom = await chromium(["--dump-dom", url]);
    const $ = cheerio.load(dom);
    expect($("title").text()).toContain("xxgk data quality");
    const byProvince = tally(ROWS, (r) => r.province ?? "(unknown)");
    expect($("svg#chart-province rect.bar").length).toBe(byProvince.size);
    expect($("svg#chart-province text.label").map((_, el) => $(el).text()).get().sort()).toEqual([...byProvince.keys()].sort());
    expect($("svg#chart-year rect.bar").length).toBe(tally(ROWS, (r) => String(r.year)).size);
    expect($("svg#chart-rules rect.bar").length).toBe(RULES.length);
    expect($("svg#chart-format rect.seg").length).toBe(tally(ROWS, (r) => r.format).size);
    expect($("#needs-look tbody tr").length).toBe(ROWS.filter(needsLook).length);
    // the browser parsed the escaped organ as text, not as a script element
    expect($("script").length).toBe(0);
    expect($('#needs-look tr[data-id="3"] td.organ').text()).toBe(EVIL);
  });

  it("takes a screenshot", async () => {
    const png = join(dir, "report.png");
    await chromium([`--screenshot=${png}`, "--window-size=1280,2000", "--hide-scrollbars", url]);
    expect(statSync(png).size).toBeGreaterThan(30_000);
  });
});
