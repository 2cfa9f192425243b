// The HTML extractor: charsets, the article among portal chrome, exact table grids,
// metadata, pages without tables, hostile and non-HTML input.
import { existsSync, readFileSync } from "node:fs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { extractHtml } from "../extractors/html.js";
import type { Document } from "../model/document.js";
import { DEFAULT_LIMITS } from "../model/limits.js";
import { bySource, failure, grid, paragraphs, tables } from "./helpers/document.js";

const dir = "test/fixtures/html-cases/";
const read = (f: string) => readFileSync(dir + f);
const extract = (bytes: Uint8Array, extra: { contentType?: string; url?: string; limits?: Partial<typeof DEFAULT_LIMITS> } = {}) =>
  extractHtml(bytes, { name: "page.html", ...extra, limits: { ...DEFAULT_LIMITS, ...extra.limits } });
const page = (html: string) => Buffer.from(html, "utf8");

const allText = (d: Document) =>
  d.blocks.map((b) => (b.kind === "paragraph" ? b.text : b.rows.flat().map((c) => c.text).join("|"))).join("\n");
const articleNote = (d: Document) => bySource(d, "html:article")[0]?.message ?? "";


/** The small GBK/Big5 pages: one paragraph pair and one table, whatever the encoding. */
const GBK_TABLE = [
  [["信息内容", 1, 1], ["本年制发件数", 1, 1]],
  [["规章", 1, 1], ["０", 1, 1]],
  [["行政规范性文件", 1, 1], ["12", 1, 1]],
];

describe("charset", () => {
  it("reads a UTF-8 page as declared", async () => {
    const d = await extract(read("portal.html"));
    expect(articleNote(d)).toContain("utf-8 (declared)");
    expect(paragraphs(d)[0]).toMatch(/^依据《中华人民共和国政府信息公开条例》/);
    expect(bySource(d, "html:charset-mismatch")).toEqual([]);
  });

  it("reads a GBK page declared by <meta charset>", async () => {
    const d = await extract(read("gbk-meta-charset.html"));
    expect(articleNote(d)).toContain("gb18030 (declared)");
    expect(paragraphs(d)).toEqual(["硚口区商务局2024年政府信息公开工作年度报告", "日期：2025年01月13日"]);
    expect(tables(d).map(grid)).toEqual([GBK_TABLE]);
  });

  it("reads a GBK page with no declaration by sniffing", async () => {
    const d = await extract(read("gbk-undeclared.html"));
    expect(articleNote(d)).toContain("gb18030 (sniffed)");
    expect(paragraphs(d)[0]).toBe("硚口区商务局2024年政府信息公开工作年度报告");
    expect(tables(d).map(grid)).toEqual([GBK_TABLE]);
    expect(bySource(d, "html:charset-mismatch")).toEqual([]);
  });

  it("reads GB2312 declared through http-equiv, GBK-only characters (硚) included", async () => {
    const d = await extract(read("gb2312-http-equiv.html"));
    expect(articleNote(d)).toContain("(declared)");
    expect(d.meta.title).toBe("硚口区商务局2024年政府信息公开工作年度报告");
  });

  it("uses a <meta> charset that sniffing would get wrong (Big5)", async () => {
    const d = await extract(read("big5-meta.html"));
    expect(paragraphs(d)).toEqual(["臺北市政府資訊公開工作年度報告"]);
    // Without the declaration the same bytes are sniffed: Big5 reads the report's words (公開, 報告), GB18030 garbles them.
    const sniffed = await extract(read("big5-no-meta.html"));
    expect(paragraphs(sniffed)).toEqual(["臺北市政府資訊公開工作年度報告"]);
    expect(articleNote(sniffed)).toContain("big5 (sniffed)");
  });

  it("takes the charset from the HTTP Content-Type, and the header wins over <meta>", async () => {
    const d = await extract(read("big5-no-meta.html"), { contentType: "text/html; charset=Big5" });
    expect(paragraphs(d)).toEqual(["臺北市政府資訊公開工作年度報告"]);
    expect(articleNote(d)).toContain("big5 (declared)");
    // The page's <meta> says gbk (wrong); the header says big5.
    const both = await extract(read("big5-undeclared-meta-gbk.html"), { contentType: 'text/html;charset="big5"' });
    expect(paragraphs(both)).toEqual(["臺北市政府資訊公開工作年度報告"]);
    expect(tables(both).map(grid)).toEqual([[[["規章", 1, 1], ["3", 1, 1]]]]);
  });

  it("warns when the page says UTF-8 but the bytes are GBK, and reads them as GBK", async () => {
    const d = await extract(read("gbk-declared-utf8.html"));
    const w = bySource(d, "html:charset-mismatch");
    expect(w).toHaveLength(1);
    expect(w[0].severity).toBe("warning");
    expect(w[0].message).toContain("utf-8");
    expect(w[0].message).toContain("gb18030");
    expect(tables(d).map(grid)).toEqual([GBK_TABLE]);
  });

  it("warns when a header says UTF-8 over GBK bytes", async () => {
    const bytes = iconv.encode("<html><body><div><p>本机关不掌握相关政府信息</p></div></body></html>", "gbk");
    const d = await extract(bytes, { contentType: "text/html; charset=UTF-8" });
    expect(bySource(d, "html:charset-mismatch")[0].message).toMatch(/header.*utf-8.*gb18030/i);
    expect(paragraphs(d)).toEqual(["本机关不掌握相关政府信息"]);
  });
});

describe("the article among portal chrome", () => {
  it("keeps the report and drops navigation, sidebars, breadcrumbs, share/print widgets, footers and scripts", async () => {
    const d = await extract(read("portal.html"));
    const text = allText(d);
    for (const chrome of [
      "首页", "政务公开", "导航一", "新闻中心导航栏", "当前位置", "相关链接", "申请表", "分享到", "打印本页", "关闭窗口",
      "关于我们", "版权所有", "页脚文字不应出现", "脚本里的文字", "color:red", "发布时间", "浏览次数",
    ])
      expect(text, chrome).not.toContain(chrome);
    expect(paragraphs(d)).toEqual([
      "依据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条和《关于印发中华人民共和国政府信息公开工作年度报告格式的通知》规定，编制本报告。",
      "一、总体情况",
      "2024年，区商务局认真贯彻落实《条例》规定，严格执行区委、区政府关于信息公开工作的部署和要求。",
      "二、主动公开政府信息情况",
      "三、收到和处理政府信息公开申请情况",
      "特此报告。",
    ]);
    // Document order: the tables sit between the headings they follow.
    expect(d.blocks.map((b) => b.kind)).toEqual(["paragraph", "paragraph", "paragraph", "paragraph", "table", "paragraph", "table", "paragraph"]);
  });

  it("gives the tables exactly: text, rowSpan and colSpan per origin cell", async () => {
    const d = await extract(read("portal.html"));
    const [t2, t3] = tables(d);
    expect(t2.exactGrid).toBe(true);
    expect(grid(t2)).toEqual([
      [["第二十条第（一）项", 1, 4]],
      [["信息内容", 1, 1], ["本年制发件数", 1, 1], ["本年废止件数", 1, 1], ["现行有效件数", 1, 1]],
      [["规章", 1, 1], ["0", 1, 1], ["0", 1, 1], ["0", 1, 1]],
      [["行政规范性文件", 1, 1], ["1", 1, 1], ["", 1, 1], ["3", 1, 1]],
    ]);
    expect(grid(t3)).toEqual([
      [["本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", 3, 3], ["申请人情况", 1, 3]],
      [["自然人", 2, 1], ["法人或其他组织", 1, 2]],
      [["商业企业", 1, 1], ["科研机构", 1, 1]],
      [["一、本年新收政府信息公开申请数量", 1, 3], ["1", 1, 1], ["0", 1, 1], ["0", 1, 1]],
    ]);
    expect(tables(d).map((t) => t.place)).toEqual([{ table: 0 }, { table: 1 }]);
  });

  it("reads the title, date, the site's owner from the footer and no attachments from the portal page", async () => {
    const d = await extract(read("portal.html"));
    expect(d.meta).toEqual({
      title: "硚口区商务局2024年政府信息公开工作年度报告",
      publishedOn: "2025-01-13",
      publishedOnFrom: { kind: "meta", text: '<meta name="pubdate" content="2025-01-13 10:00">' },
      // 主办单位 first, 版权所有 on the same line not taken; the line as printed (NFKC).
      site: { owner: "武汉市硚口区人民政府办公室", text: "主办单位:武汉市硚口区人民政府办公室 版权所有:硚口区人民政府 网站标识码:4201040001 鄂ICP备05003320号" },
    });
    expect(d.diagnostics.filter((x) => x.severity !== "info")).toEqual([]);
  });

  it("finds the article in a table-layout page and keeps its data table", async () => {
    const d = await extract(read("layout-table.html"));
    expect(tables(d).map(grid)).toEqual([
      [
        [["信息内容", 1, 1], ["本年处理决定数量", 1, 1]],
        [["行政许可", 1, 1], ["15", 1, 1]],
        [["行政处罚", 1, 1], ["2", 1, 1]],
      ],
    ]);
    expect(paragraphs(d)).toEqual([
      "本报告根据《中华人民共和国政府信息公开条例》要求，由某镇人民政府编制。全文包括总体情况、主动公开政府信息情况等内容。",
      "一、总体情况",
      "2023年，我镇认真贯彻落实政府信息公开各项工作要求，政务公开工作取得新进展。",
      "二、存在的主要问题及改进情况",
      "一是公开内容不够全面，二是更新不够及时，三是解读形式较为单一。",
    ]);
    expect(d.meta.title).toBe("某镇人民政府2023年政府信息公开工作年度报告");
    expect(d.meta.publishedOn).toBe("2024-01-30");
  });

  it("drops chrome inside the article container too: header/nav/footer/aside, forms' controls, hidden and widget elements, button lines", async () => {
    const d = await extract(
      page(`<html><body><article>
        <header><h1>某局2024年政府信息公开工作年度报告</h1><p>发布时间：2025-01-10</p></header>
        <p>一、总体情况</p><p>本年度主动公开政府信息一百二十条，内容涵盖机构职能、政策文件等。</p>
        <aside>相关阅读：其他报告</aside>
        <div style="display: none">隐藏的文字</div><div hidden>也隐藏</div>
        <form><input value="输入框"><select><option>选项文字</option></select><button>搜索按钮</button></form>
        <table><tr><td>规章</td><td>0</td></tr></table>
        <div class="bdshare_t">微信 微博 QQ空间</div>
        <p>【打印本页】【关闭窗口】</p><p>字号：大 中 小</p>
        <nav>上一篇：某某通知</nav>
        <footer>本页面由某局维护</footer>
        <noscript>请启用脚本</noscript>
      </article></body></html>`),
    );
    expect(paragraphs(d)).toEqual(["一、总体情况", "本年度主动公开政府信息一百二十条，内容涵盖机构职能、政策文件等。"]);
    expect(tables(d).map(grid)).toEqual([[[["规章", 1, 1], ["0", 1, 1]]]]);
    // The dropped <header> still gives the title and the date.
    expect(d.meta).toEqual({ title: "某局2024年政府信息公开工作年度报告", publishedOn: "2025-01-10", publishedOnFrom: { kind: "line", text: "发布时间：2025-01-10" } });
  });

  it("walks through a wrapper table inside the article instead of emitting it as data", async () => {
    const d = await extract(
      page(`<html><body><div id="zoom"><table width="600" align="center"><tr><td>
        <p>一、总体情况</p><p>本年度工作有序开展，政府信息公开质量稳步提高。</p>
        <table border="1"><tr><td>行政许可</td><td>15</td></tr></table>
        <p>二、存在的主要问题</p>
      </td></tr></table></div></body></html>`),
    );
    expect(d.blocks.map((b) => (b.kind === "paragraph" ? b.text : grid(b)))).toEqual([
      "一、总体情况",
      "本年度工作有序开展，政府信息公开质量稳步提高。",
      [[["行政许可", 1, 1], ["15", 1, 1]]],
      "二、存在的主要问题",
    ]);
  });

  it("keeps tables that sit beside the hinted #zoom box in the same article", async () => {
    const prose = "本机关认真贯彻落实政府信息公开条例，持续推进决策、执行、管理、服务、结果公开。".repeat(8);
    const rows = Array.from({ length: 12 }, (_, i) => `<tr><td>第${i + 1}项</td><td>${i}</td><td>0</td></tr>`).join("");
    const links = Array.from({ length: 20 }, (_, i) => `<li><a href="/n${i}">相关文章标题${i}</a></li>`).join("");
    const d = await extract(
      page(`<html><body><ul>${links}</ul><div class="box"><h1>年度报告</h1>
        <div id="zoom"><p>${prose}</p><p>${prose}</p></div>
        <div class="tables"><table>${rows}</table></div></div><ul>${links}</ul></body></html>`),
    );
    expect(tables(d)).toHaveLength(1);
    expect(tables(d)[0].rows).toHaveLength(12);
    expect(paragraphs(d)).toEqual(["年度报告", prose, prose]);
  });

  it("needs no portal class names: a page of plain divs", async () => {
    const links = Array.from({ length: 30 }, (_, i) => `<a href="/n${i}">栏目${i}</a>`).join(" ");
    const d = await extract(
      page(`<html><body><div><div>${links}</div><div><div><p>本年度共收到申请十件，均已按时答复。</p>
        <table><tr><td>总计</td><td>10</td></tr></table></div><div>${links}</div></div><div>${links}</div></div></body></html>`),
    );
    expect(paragraphs(d)).toEqual(["本年度共收到申请十件，均已按时答复。"]);
    expect(tables(d).map(grid)).toEqual([[[["总计", 1, 1], ["10", 1, 1]]]]);
  });

  it("joins inline elements, splits block elements and <br> lines, and drops Word's line wraps inside Chinese", async () => {
    const d = await extract(
      page(`<html><body><div class="content">
        <p><span>本机关</span><b>不掌握</b>相关<a href="/x">政府信息</a></p>
        <div>第一行<br>第二行<br/><br>   第三行   有  空格</div>
        <p class=MsoNormal><span>依据《条例》规定，编制本报告。本报告由总体情况、主动公开政府信息情况等部分组
成。</span></p>
        <p>Section&nbsp;&nbsp;one &#12288;二</p>
      </div></body></html>`),
    );
    expect(paragraphs(d)).toEqual([
      "本机关不掌握相关政府信息",
      "第一行",
      "第二行",
      "第三行 有 空格",
      "依据《条例》规定，编制本报告。本报告由总体情况、主动公开政府信息情况等部分组成。",
      "Section one 二",
    ]);
  });
});

describe("tables", () => {
  it("reads <br> and <p> in cells, &nbsp; cells, spans out of range, row groups and nested tables", async () => {
    const d = await extract(read("cells.html"));
    const [outer, inner, deepest] = tables(d);
    expect(tables(d)).toHaveLength(3);
    expect(grid(outer)).toEqual([
      [["表尾：注", 1, 2]], // <tfoot> first, as in the source
      [["行政\n复议", 1, 1], ["结果\n维持", 1, 1]], // <th> like <td>; <br> and <p> → "\n"
      [["", 1, 1], ["", 1, 1]], // &nbsp;-only cells
      [["结果纠正", 1, 1], ["其他 结果", 1, 1]], // whitespace collapsed; a wrap between Chinese dropped
      [["零列宽", 1, 1], ["超宽", 1, 1000]], // colspan 0 → 1, 5000 → 1000
      [["非法行跨度", 1, 1], ["负列宽", 1, 1]], // rowspan "abc" → 1, colspan -3 → 1
      [["超高", 3, 1], ["到组尾", 3, 1]], // rowspan 999999 and 0 end at the row group's last row
      [["嵌套", 1, 1], ["后面", 1, 1]], // the nested table is not read into the cell
      [], // a row wholly covered from above
      [["新组", 2, 1], ["甲", 1, 1]], // rowspan 4 clipped to its own <tbody>
      [["乙", 1, 1]],
    ]);
    expect(grid(inner)).toEqual([[["内一", 1, 1], ["内二", 1, 1]], [["", 1, 2]]]);
    expect(grid(deepest)).toEqual([[["更深", 1, 1]]]);
    // Nested tables follow their parent, then the text after it.
    expect(d.blocks.map((b) => (b.kind === "paragraph" ? b.text : "T"))).toEqual(["四、政府信息公开行政复议、行政诉讼情况", "T", "T", "T", "表后段落"]);
  });

  it("keeps full-width digits as printed and reads rows without <tbody>, stray cells and text outside cells", async () => {
    const d = await extract(
      page(`<html><body><div id="content"><table><caption>表三</caption><tr><td>自然人</td><td>１２</td></tr>
        注意<td>孤立单元格</td></table></div></body></html>`),
    );
    expect(tables(d).map(grid)).toEqual([[[["自然人", 1, 1], ["１２", 1, 1]], [["孤立单元格", 1, 1]]]]);
    expect(paragraphs(d)).toEqual(["表三", "注意"]);
  });

  it("drops Word's invisible spacer row", async () => {
    const d = await extract(
      page(`<html><body><div><table><tr><td>规章</td><td>1</td></tr>
        <![if !supportMisalignedColumns]><tr height=0><td width=80 style='border:none'></td><td width=60 style='border:none'></td></tr><![endif]>
        </table></div></body></html>`),
    );
    expect(tables(d).map(grid)).toEqual([[[["规章", 1, 1], ["1", 1, 1]]]]);
  });
});

describe("metadata", () => {
  it("takes the title from <title> minus the site suffix when no heading matches, and dates as 日期：YYYY年MM月DD日", async () => {
    const d = await extract(read("gbk-meta-charset.html"));
    expect(d.meta.title).toBe("硚口区商务局2024年政府信息公开工作年度报告");
    expect(d.meta.publishedOn).toBe("2025-01-13");
    const t = await extract(page(`<html><head><title>某县2024年政府信息公开工作年度报告 - 某县人民政府</title></head><body><div><p>正文</p></div></body></html>`));
    expect(t.meta.title).toBe("某县2024年政府信息公开工作年度报告");
    const first = await extract(page(`<html><head><title>某县人民政府 | 某县2024年政府信息公开工作年度报告</title></head><body><div><p>正文</p></div></body></html>`));
    expect(first.meta.title).toBe("某县2024年政府信息公开工作年度报告");
  });

  it('prefers <meta name="PubDate"> and rejects impossible dates', async () => {
    const d = await extract(
      page(`<html><head><meta name="PubDate" content="2025-01-13 10:00"></head><body><div><p>发布时间：2024-12-30</p><p>正文内容很长的一段话。</p></div></body></html>`),
    );
    expect(d.meta.publishedOn).toBe("2025-01-13");
    const bad = await extract(page(`<html><body><div><p>发布时间：2025-02-30</p><p>正文</p></div></body></html>`));
    expect(bad.meta.publishedOn).toBeUndefined();
  });

  it("lists attachments of a page that only links its report, resolved against the URL, and warns that the page has no tables", async () => {
    const d = await extract(read("attachments-only.html"), { url: "https://www.example.gov.cn/zwgk/nb/202501/t20250120_1.html" });
    expect(d.meta.attachments).toEqual([
      { url: "https://www.example.gov.cn/zwgk/nb/files/P020250120_report.pdf", text: "某市教育局2024年政府信息公开工作年度报告.pdf" },
      { url: "https://www.example.gov.cn/files/%E6%8A%A5%E5%91%8A%E8%A1%A8%E6%A0%BC.XLSX?id=3", text: "统计表格" },
      { url: "https://cdn.example.gov.cn/x/report.docx", text: "报告全文" },
    ]);
    expect(d.meta.title).toBe("某市教育局2024年政府信息公开工作年度报告");
    expect(d.meta.publishedOn).toBe("2025-01-20");
    expect(tables(d)).toEqual([]);
    const w = bySource(d, "html:no-tables");
    expect(w).toHaveLength(1);
    expect(w[0].severity).toBe("warning");
    expect(w[0].message).toContain("no tables");
    expect(w[0].message).toContain("3 attachment");
  });

  it("warns that a page whose tables are images has no tables, counting the images", async () => {
    const d = await extract(read("image-tables.html"));
    expect(tables(d)).toEqual([]);
    expect(paragraphs(d)).toContain("三、收到和处理政府信息公开申请情况");
    expect(allText(d)).not.toContain("机构概况");
    const w = bySource(d, "html:no-tables");
    expect(w).toHaveLength(1);
    expect(w[0].message).toContain("4 image");
    expect(w[0].message).toContain("0 attachment");
    expect(d.meta.attachments).toBeUndefined();
  });

  it("returns what a page without a report holds (a 404 page)", async () => {
    const d = await extract(page(`<html><head><title>404 页面不存在</title></head><body><h1>页面不存在</h1><p><a href="/">返回首页</a></p></body></html>`));
    expect(d.meta.title).toBe("页面不存在");
    expect(tables(d)).toEqual([]);
    expect(bySource(d, "html:no-tables")).toHaveLength(1);
  });
});

describe("bounds and bad input", () => {
  it("fails a page nested 100,000 deep with too-deep, quickly", async () => {
    for (const [open, close] of [["<div>", "</div>"], ["<table><tr><td>", "</td></tr></table>"], ["<span>", "</span>"]]) {
      const html = `<html><body>${open.repeat(100_000)}x${close.repeat(100_000)}</body></html>`;
      const t0 = performance.now();
      const e = await failure(extract(page(html)));
      expect(e.code).toBe("too-deep");
      expect(performance.now() - t0).toBeLessThan(2000);
    }
  });

  it("reads 600 unclosed <p><font> paragraphs: too deep for the fast parser, flat for the HTML standard", async () => {
    const d = await extract(page(`<html><body><div>${"<p><font size=3>本段为正文内容，共有若干字。".repeat(600)}</div></body></html>`));
    expect(paragraphs(d)).toHaveLength(600);
    expect(new Set(paragraphs(d))).toEqual(new Set(["本段为正文内容，共有若干字。"]));
    expect(bySource(d, "html:reparsed")).toHaveLength(1);
  });

  it("reads a page nested just under the bound", async () => {
    const d = await extract(page(`${"<div>".repeat(500)}<p>正文内容</p>${"</div>".repeat(500)}`));
    expect(paragraphs(d)).toEqual(["正文内容"]);
    const e = await failure(extract(page(`${"<div>".repeat(40)}<p>正文</p>`), { limits: { maxNestingDepth: 20 } }));
    expect(e.code).toBe("too-deep");
  });

  it("fails empty, whitespace-only, binary, plain-text and oversized input with clear codes", async () => {
    expect((await failure(extract(new Uint8Array(0)))).code).toBe("empty");
    expect((await failure(extract(page(" \n\t ")))).code).toBe("empty");
    const pdf = await failure(extract(page("%PDF-1.7\n...")));
    expect(pdf.code).toBe("binary");
    expect(pdf.message).toContain("PDF");
    expect((await failure(extract(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0])))).code).toBe("binary");
    expect((await failure(extract(page("一、总体情况\n本年度无申请。")))).code).toBe("not-html");
    const big = await failure(extract(page("<p>正文</p>".repeat(100)), { limits: { maxFileBytes: 500 } }));
    expect(big.code).toBe("too-large");
  });
});


// Full report fixtures generated by scripts/make-fixtures.ts: every HTML fixture the
// manifest lists must extract exactly to the tables its *.grid.json describes. Runs once
// the manifest exists; the shapes read here are the plausible ones, and an unknown shape
// fails loudly rather than passing vacuously.
const FIXTURES = "test/fixtures/";
const MANIFEST = FIXTURES + "manifest.json";
type GridCell = { text: string; rowSpan?: number; colSpan?: number };
type Entry = string | { file?: string; path?: string; name?: string; format?: string; grid?: string };

function htmlFixtures(): { file: string; grid: string }[] {
  const raw = JSON.parse(readFileSync(MANIFEST, "utf8")) as Entry[] | { fixtures?: Entry[]; files?: Entry[] };
  const entries = Array.isArray(raw) ? raw : (raw.fixtures ?? raw.files);
  if (!Array.isArray(entries)) throw new Error(`${MANIFEST}: no list of fixtures found (keys: ${Object.keys(raw).join(", ")})`);
  const out: { file: string; grid: string }[] = [];
  for (const e of entries) {
    const file = typeof e === "string" ? e : (e.file ?? e.path ?? e.name ?? "");
    const format = typeof e === "string" ? undefined : e.format;
    if (!(format === "html" || /\.html?$/i.test(file))) continue;
    const path = (p: string) => (existsSync(p) ? p : FIXTURES + p);
    const candidates = [
      ...(typeof e !== "string" && e.grid ? [e.grid] : []),
      file.replace(/\.html?$/i, ".grid.json"),
      file + ".grid.json",
    ].map(path);
    const grid = candidates.find((p) => existsSync(p));
    if (!grid) throw new Error(`${file}: no grid.json next to it (looked for ${candidates.join(", ")})`);
    out.push({ file: path(file), grid });
  }
  return out;
}

function expectedTables(gridFile: string): [string, number, number][][][] {
  const raw = JSON.parse(readFileSync(gridFile, "utf8")) as unknown;
  const list = Array.isArray(raw) ? raw : (raw as { tables?: unknown }).tables;
  if (!Array.isArray(list)) throw new Error(`${gridFile}: unknown shape (expected an array of tables or { tables })`);
  return list.map((t) => {
    const rows = Array.isArray(t) ? t : (t as { rows?: unknown }).rows;
    if (!Array.isArray(rows)) throw new Error(`${gridFile}: a table without rows`);
    return rows.map((r: GridCell[]) => r.map((c) => [c.text, c.rowSpan ?? 1, c.colSpan ?? 1] as [string, number, number]));
  });
}

describe("generated report fixtures", () => {
  it("extracts every HTML fixture in the manifest exactly to its grid.json tables", async () => {
    for (const { file, grid: gridFile } of htmlFixtures()) {
      const d = await extract(readFileSync(file));
      expect(tables(d).map(grid), file).toEqual(expectedTables(gridFile));
    }
  });
});
