// Reports printed in Traditional characters (繁體): a portal's 繁体 version of every page, a
// Big5 page, a DOCX saved from one. Each is made here from a generated Simplified fixture by a
// real converter (OpenCC, the opencc-js package: cn → t, the mainland portals' conversion;
// cn → tw and cn → hk, Taiwan's and Hong Kong's character forms) and must read to the values
// of the Simplified truth (expected.json, made from the generators' model), its region
// resolved alike, and its organ, provenance and sections as printed: in Traditional
// characters, never rewritten.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import * as OpenCC from "opencc-js";
import { describe, expect, it } from "vitest";
import { parseReport, type ParseOutcome } from "../src/pipeline.js";
import type { ReportRecord } from "../model/record.js";
import { cellsOf } from "../model/cells.js";
import { decode } from "../model/charset.js";
import { execPrinted, hasTraditional, removePrinted, simplifiedView } from "../model/traditional.js";
import { fold } from "../model/text.js";
import { openZip } from "../model/zip.js";
import { DEFAULT_LIMITS } from "../model/limits.js";
import { traditionalTable } from "../scripts/traditional-table.js";
import { makeZip } from "./helpers/zip.js";
import { parseListPage } from "../src/crawl/lists.js";

const G = "test/fixtures/generated";
const IDS = readdirSync(G)
  .filter((f) => f.endsWith(".expected.json"))
  .map((f) => f.replace(".expected.json", ""))
  .sort();
const toT = OpenCC.Converter({ from: "cn", to: "t" });
/** Taiwan's forms (為, not 爲): what Big5 holds. */
const toTw = OpenCC.Converter({ from: "cn", to: "tw" });
const CONVERTERS = { t: toT, tw: toTw, hk: OpenCC.Converter({ from: "cn", to: "hk" }) };

const truth = (id: string) => JSON.parse(readFileSync(`${G}/${id}.expected.json`, "utf8")) as ReportRecord;
const cells = (r: ReportRecord) => cellsOf(r).map(([t, row, c, v]) => `${t}.${row}.${c}=${v}`);

async function parse(bytes: Uint8Array, name: string): Promise<Extract<ParseOutcome, { ok: true }>> {
  const out = await parseReport({ bytes, name });
  if (!out.ok) throw new Error(`${name}: ${out.code} ${out.message}`);
  return out;
}
const utf8 = (s: string) => new TextEncoder().encode(s);

/** A Traditional record against the Simplified truth and the Simplified document's own record. */
function expectSameReport(trad: ReportRecord, simp: ReportRecord, want: ReportRecord, conv: (s: string) => string) {
  expect(cells(trad)).toEqual(cells(want));
  expect([trad.year, trad.publishedOn, trad.region?.code ?? null, trad.template]).toEqual([want.year, want.publishedOn, want.region?.code ?? null, want.template]);
  // As printed: the organ in the page's own characters, never folded back.
  expect(trad.organ).toBe(conv(want.organ!));
  expect(hasTraditional(trad.organ!)).toBe(true);
  for (const key of ["organ", "year", "publishedOn"]) {
    expect(trad.provenance[key]?.status).toBe(simp.provenance[key]?.status);
    expect(trad.provenance[key]?.text).toBe(conv(simp.provenance[key]?.text ?? ""));
  }
  expect(trad.sections.map((s) => [s.number, s.title])).toEqual(simp.sections.map((s) => [s.number, conv(s.title)]));
  expect(trad.checks.map((c) => c.rule)).toEqual(simp.checks.map((c) => c.rule));
  // Read alike: the same notes on the same cells, every cell's status and place the same.
  const notes = (r: ReportRecord) => r.diagnostics.map((d) => `${d.code} ${d.severity} ${d.key ?? ""}`).sort();
  expect(notes(trad)).toEqual(notes(simp));
  const places = (r: ReportRecord) =>
    Object.entries(r.provenance)
      .filter(([k]) => k.includes("."))
      .map(([k, v]) => `${k} ${v.status} ${JSON.stringify(v.place ?? null)}`)
      .sort();
  expect(places(trad)).toEqual(places(simp));
}

describe("a report printed in Traditional characters reads as its Simplified original", () => {
  const KINDS = ["portal-utf-8.html", "cells.txt", "tabs.txt", "md", "pdf.txt"];
  for (const id of IDS)
    it(`${id}: every layout through cn → t, the page and cell lines through cn → tw and cn → hk`, async () => {
      const want = truth(id);
      let read = 0;
      for (const kind of KINDS) {
        let src: string;
        try {
          src = readFileSync(`${G}/${id}.${kind}`, "utf8");
        } catch {
          continue;
        }
        const simp = (await parse(utf8(src), `${id}.${kind}`)).record;
        for (const [name, conv] of Object.entries(CONVERTERS)) {
          if (name !== "t" && kind !== "portal-utf-8.html" && kind !== "cells.txt") continue;
          const text = conv(src);
          expect(hasTraditional(text)).toBe(true);
          const trad = (await parse(utf8(text), `${id}.${kind}`)).record;
          expectSameReport(trad, simp, want, conv);
          read++;
        }
      }
      expect(read).toBeGreaterThanOrEqual(6);
    });

  it("a body's Taiwan wording of the title (政府資訊公開工作年度報告) reads its organ and year", async () => {
    const src = toT(readFileSync(`${G}/g01-2021.md`, "utf8")).replace("政府信息公開工作年度報告", "政府資訊公開工作年度報告");
    expect(src).toContain("礄口區商務局2024年政府資訊公開工作年度報告");
    const r = (await parse(utf8(src), "g01.md")).record;
    expect([r.organ, r.year, r.region?.code]).toEqual(["礄口區商務局", 2024, "420104"]);
    expect(cells(r)).toEqual(cells(truth("g01-2021")));
  });

  it("the hard inputs: run-on text, converter markdown with labels below their numbers, a fragment, page chrome and a page date", async () => {
    const dir = "test/fixtures/inputs";
    const cases: [string, string][] = [
      ["rt-unique.runon.txt", "rt-unique"],
      ["rt-ambiguous.runon.txt", "rt-ambiguous"],
      ["g01.detached.md", "g01"],
      ["g01.fragment", "g01"],
      ["g01.chrome.txt", "g01"],
      ["g01.pagedate.txt", "g01"],
      ["g01.labels.txt", "g01"],
    ];
    for (const [file, id] of cases) {
      const src = readFileSync(`${dir}/${file}`, "utf8");
      const simp = (await parse(utf8(src), file)).record;
      const trad = (await parse(utf8(toT(src)), file)).record;
      const want = JSON.parse(readFileSync(`${dir}/${id}.expected.json`, "utf8")) as ReportRecord;
      // The record the Simplified document gives (which the inputs tests hold to the truth), value for value.
      expect(cells(trad), file).toEqual(cells(simp));
      expect([trad.year, trad.publishedOn, trad.region?.code ?? null, trad.organ], file).toEqual([want.year, want.publishedOn, want.region?.code ?? null, toT(want.organ!)]);
    }
  });

  /** A DOCX fixture with the text of its XML parts turned Traditional. */
  const traditionalDocx = (file: string) => {
    const zip = openZip(new Uint8Array(readFileSync(file)), DEFAULT_LIMITS);
    return makeZip(zip.entries.filter((e) => !e.directory).map((e) => ({ name: e.name, data: /\.xml$/.test(e.name) ? toT(zip.read(e).toString("utf8")) : zip.read(e) })));
  };

  it("a DOCX whose text is Traditional (document.xml converted)", async () => {
    const bytes = readFileSync(`${G}/g01-2021.ooxml.docx`);
    const simp = (await parse(new Uint8Array(bytes), "g01.docx")).record;
    const trad = (await parse(new Uint8Array(traditionalDocx(`${G}/g01-2021.ooxml.docx`)), "g01.docx")).record;
    expectSameReport(trad, simp, truth("g01-2021"), toT);
  });

  it("a PDF LibreOffice prints from a Traditional DOCX", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-traditional-"));
    try {
      for (const id of ["g03-2019", "g01-2021"]) writeFileSync(join(dir, `${id}.docx`), traditionalDocx(`${G}/${id}.lo.docx`));
      // Its own profile: a LibreOffice another test (or a person) runs does not take the call.
      const profile = `-env:UserInstallation=file://${join(dir, "profile")}`;
      execFileSync("soffice", [profile, "--headless", "--convert-to", "pdf", "--outdir", dir, join(dir, "g03-2019.docx"), join(dir, "g01-2021.docx")], { stdio: "pipe", timeout: 100_000 });
      for (const id of ["g03-2019", "g01-2021"]) {
        const simp = (await parse(new Uint8Array(readFileSync(`${G}/${id}.lo.pdf`)), `${id}.pdf`)).record;
        const trad = (await parse(new Uint8Array(readFileSync(join(dir, `${id}.pdf`))), `${id}.pdf`)).record;
        expectSameReport(trad, simp, truth(id), toT);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a Big5 page", () => {
  /** The portal page in Taiwan's Traditional characters, encoded as Big5, its charset declared as given or not at all. */
  const big5Page = (id: string, charset: string | null) => {
    const html = toTw(readFileSync(`${G}/${id}.portal-utf-8.html`, "utf8"));
    const declared = charset ? html.replace(/<meta charset="utf-8">/i, `<meta charset="${charset}">`) : html.replace(/<meta charset="utf-8">/i, "");
    expect(declared).not.toContain('charset="utf-8"');
    const bytes = iconv.encode(declared, "big5");
    // Every character of the page is one Big5 has: the bytes are the page.
    expect(iconv.decode(bytes, "big5")).toBe(declared);
    return new Uint8Array(bytes);
  };
  const article = (o: ParseOutcome) => (o.ok ? o.diagnostics.find((d) => d.source === "html:article")?.message ?? "" : "");

  for (const id of ["g01-2021", "g03-2019", "g09-2021-notitle"])
    it(`${id}: declared (meta charset=big5) and undeclared (sniffed) read as the Simplified page does`, async () => {
      const simp = (await parse(utf8(readFileSync(`${G}/${id}.portal-utf-8.html`, "utf8")), `${id}.html`)).record;
      const declared = await parse(big5Page(id, "big5"), `${id}.html`);
      expect(article(declared)).toContain("big5 (declared)");
      expectSameReport(declared.record, simp, truth(id), toTw);
      const sniffed = await parse(big5Page(id, null), `${id}.html`);
      expect(article(sniffed)).toContain("big5 (sniffed)");
      expectSameReport(sniffed.record, simp, truth(id), toTw);
    });

  it("is told from GBK by the report's words: a GBK page stays GBK, Big5 bytes read as Big5", () => {
    const simplified = readFileSync(`${G}/g01-2021.portal-utf-8.html`, "utf8");
    const gbk = decode(new Uint8Array(iconv.encode(simplified, "gbk")));
    expect([gbk.encoding, gbk.text]).toEqual(["gb18030", simplified]);
    const trad = toTw(simplified);
    const big5 = decode(new Uint8Array(iconv.encode(trad, "big5")));
    expect([big5.encoding, big5.by, big5.text]).toEqual(["big5", "sniffed", trad]);
    // The same Traditional page in GBK bytes (GBK holds Traditional characters too) is GBK.
    const tradGbk = decode(new Uint8Array(iconv.encode(trad, "gbk")));
    expect([tradGbk.encoding, tradGbk.text]).toEqual(["gb18030", trad]);
  });
});

describe("the fold (model/traditional.ts)", () => {
  it("is data/traditional.ts as OpenCC's dictionaries give it (derived, not typed)", async () => {
    const table = await traditionalTable();
    expect(table.source).toBe(readFileSync("data/traditional.ts", "utf8"));
    expect(table.traditionalOnly).toBeGreaterThan(2500);
  });

  it("folds matched text to Simplified, one character for one, and leaves Simplified text as it is", () => {
    expect(simplifiedView("本年新收政府資訊公開申請數量")).toBe("本年新收政府信息公开申请数量");
    expect(simplifiedView("4.無正當理由大量反覆申請")).toBe("4.无正当理由大量反复申请");
    expect(simplifiedView("屬於國家秘密")).toBe("属于国家秘密");
    expect(fold("（一）予以公開")).toBe(fold("（一）予以公开"));
    // 於, 著, 乾 are Simplified characters too: alone, or in Simplified text, they stay.
    for (const s of ["关於", "显著", "乾隆", "于"]) expect(simplifiedView(s)).toBe(s);
    for (const id of IDS)
      for (const kind of ["cells.txt", "tabs.txt", "md", "portal-utf-8.html"]) {
        const src = readFileSync(`${G}/${id}.${kind}`, "utf8");
        expect(hasTraditional(src), `${id}.${kind}`).toBe(false);
        expect(simplifiedView(src) === src).toBe(true);
        const t = toT(src);
        expect(simplifiedView(t)).toHaveLength(t.length);
      }
  });

  it("cuts a pattern's groups from the printed text", () => {
    const re = /^(.*?)(\d{4})年度?(?:政府)?信息公开工作年度报告$/;
    const m = execPrinted(re, "礄口區商務局2024年政府信息公開工作年度報告")!;
    expect([m[0], m[1], m[2], m.index]).toEqual(["礄口區商務局2024年政府信息公開工作年度報告", "礄口區商務局", "2024", 0]);
    expect(execPrinted(re, "硚口区商务局2024年政府信息公开工作年度报告")![1]).toBe("硚口区商务局");
    const named = execPrinted(/(?<label>发布日期)：(?<date>\S+)/, "發佈日期：2025-01-13")!;
    expect(named.groups).toEqual({ label: "發佈日期", date: "2025-01-13" });
    const g = /主办单位：(\S+?)[，。]/g;
    const line = "主辦單位：礄口區人民政府辦公室，主辦單位：武漢市人民政府。";
    expect([execPrinted(g, line)![1], execPrinted(g, line)![1], execPrinted(g, line)]).toEqual(["礄口區人民政府辦公室", "武漢市人民政府", null]);
    expect(removePrinted("關於礄口區商務局的", /^关于|的$/g)).toBe("礄口區商務局");
    expect(removePrinted("关于硚口区商务局的", /^关于|的$/g)).toBe("硚口区商务局");
  });
});

describe("a crawler on a portal's 繁体 pages", () => {
  it("follows report links and the next page a Simplified rule names (年度报告, 下一页)", () => {
    const list = toT(`<ul class="list">
      <li><a href="/nb/2024.html">硚口区商务局2024年政府信息公开工作年度报告</a> <span>2025-01-13</span></li>
      <li><a href="/tz/1.html">关于开展安全生产检查的通知</a> <span>2025-01-10</span></li>
    </ul><a href="/nb/index_1.html">下一页</a>`);
    expect(list).toContain("年度報告");
    expect(list).toContain("下一頁");
    const page = parseListPage(list, "https://www.example.gov.cn/nb/", { selector: ".list a", text: "年度报告" }, { text: "下一页" });
    expect(page.links.map((l) => [l.url, l.text, l.listedOn?.date])).toEqual([
      ["https://www.example.gov.cn/nb/2024.html", "礄口區商務局2024年政府信息公開工作年度報告", "2025-01-13"],
    ]);
    expect(page.next).toBe("https://www.example.gov.cn/nb/index_1.html");
  });
});
