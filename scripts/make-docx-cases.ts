// Makes the DOCX extractor's fixtures under test/fixtures/docx-cases/:
//
// 1. Real files made by a real tool: the 2021 template's tables written as HTML with
//    rowspan/colspan, converted by LibreOffice to DOCX, and that DOCX to legacy .doc.
//    The expected grid (*.grid.json) is the table data the HTML was written from, so
//    the test compares the extractor with the source, never with itself.
// 2. Hand-built OOXML for odd and hostile cases (tracked changes, text boxes, nested
//    tables, gridBefore, fields, bookmarks, zip bombs, truncation, nesting bombs),
//    zipped by the small writer below, which can also lie about sizes.
//
// Run: npx tsx scripts/make-docx-cases.ts   (needs soffice for part 1; part 2 always runs)
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, deflateRawSync } from "node:zlib";
import { APPLICANT_HEADS, c, requestsGrid, reviewsGrid, type C } from "./template-grid.js";

const OUT = "test/fixtures/docx-cases";
mkdirSync(OUT, { recursive: true });

// ---------------------------------------------------------------- a tiny zip writer

interface ZipIn {
  name: string;
  data: Buffer | string;
  /** 0 stored, 8 deflate (default). */
  method?: number;
  /** Lie about the inflated size in both headers. */
  declaredSize?: number;
}

export function writeZip(entries: ZipIn[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const raw = typeof e.data === "string" ? Buffer.from(e.data, "utf8") : e.data;
    const method = e.method ?? 8;
    const body = method === 8 ? deflateRawSync(raw, { level: 9 }) : raw;
    const name = Buffer.from(e.name, "utf8");
    const size = e.declaredSize ?? raw.length;
    const crc = crc32(raw) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

// ---------------------------------------------------------------- OOXML helpers

const NS =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ' +
  'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ' +
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
  'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ' +
  'xmlns:v="urn:schemas-microsoft-com:vml" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ' +
  'mc:Ignorable="wps"';

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
  "</Types>";

const rels = (target: string) =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${target}"/>` +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
  "</Relationships>";

const core = (title: string) =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
  'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>' +
  title +
  "</dc:title></cp:coreProperties>";

const docXml = (body: string, ns = NS) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${ns}><w:body>${body}<w:sectPr/></w:body></w:document>`;

function docx(body: string, opts: { title?: string; part?: string; xml?: string } = {}): Buffer {
  const part = opts.part ?? "word/document.xml";
  const entries: ZipIn[] = [
    { name: "[Content_Types].xml", data: CONTENT_TYPES },
    { name: "_rels/.rels", data: rels(part) },
    { name: part, data: opts.xml ?? docXml(body) },
  ];
  if (opts.title !== undefined) entries.push({ name: "docProps/core.xml", data: core(opts.title) });
  return writeZip(entries);
}

const t = (s: string) => `<w:r><w:t xml:space="preserve">${s}</w:t></w:r>`;
const p = (...inner: string[]) => `<w:p>${inner.join("")}</w:p>`;
const tc = (inner: string, pr = "") => `<w:tc><w:tcPr>${pr}</w:tcPr>${inner || "<w:p/>"}</w:tc>`;
const tr = (cells: string[], pr = "") => `<w:tr>${pr ? `<w:trPr>${pr}</w:trPr>` : ""}${cells.join("")}</w:tr>`;
const tbl = (rows: string[], cols: number) =>
  `<w:tbl><w:tblPr/><w:tblGrid>${"<w:gridCol/>".repeat(cols)}</w:tblGrid>${rows.join("")}</w:tbl>`;
const span = (n: number) => `<w:gridSpan w:val="${n}"/>`;
const vStart = '<w:vMerge w:val="restart"/>';
const vCont = "<w:vMerge/>";

const write = (name: string, data: Buffer | string) => writeFileSync(join(OUT, name), data);

// ---------------------------------------------------------------- 2. hand-built cases

// Tracked changes: w:ins kept, w:del and w:moveFrom dropped, w:moveTo kept; a row deleted
// with tracking is dropped. Bookmarks between cells and inside text change nothing.
write(
  "tracked.docx",
  docx(
    p(t("正文"), '<w:del w:id="1" w:author="a"><w:r><w:delText>删掉</w:delText></w:r></w:del>', '<w:ins w:id="2" w:author="a">' + t("插入") + "</w:ins>") +
      tbl(
        [
          tr([tc(p(t("项目"))), '<w:bookmarkStart w:id="9" w:name="b1"/>', tc(p(t("数量")))]),
          tr([
            tc(p(t("行政许可"))),
            tc(p('<w:del w:id="3" w:author="a"><w:r><w:delText>7</w:delText></w:r></w:del>', '<w:ins w:id="4" w:author="a">' + t("8") + "</w:ins>")),
          ]),
          tr([tc(p(t("已删行"))), tc(p(t("99")))], '<w:del w:id="5" w:author="a"/>'),
          tr([
            tc(p('<w:moveFrom w:id="6" w:author="a">' + t("旧位置") + "</w:moveFrom>", t("行政处罚"))),
            tc(p('<w:bookmarkStart w:id="10" w:name="x"/>', t("1"), '<w:bookmarkEnd w:id="10"/>', t("2"))),
          ]),
          tr([tc(p('<w:moveTo w:id="7" w:author="a">' + t("行政强制") + "</w:moveTo>")), tc(p(t("3")))]),
        ],
        2,
      ),
  ),
);

// A text box as Word writes it: mc:Choice (DrawingML) and mc:Fallback (VML) hold the same
// text; it must come out once. One in the body, one inside a table cell.
const textBox = (s: string) =>
  "<w:r><mc:AlternateContent>" +
  '<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>' +
  p(t(s)) +
  "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>" +
  "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>" +
  p(t(s)) +
  "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>" +
  "</mc:AlternateContent></w:r>";
write(
  "textbox.docx",
  docx(p(t("标题前"), textBox("框内文字"), t("标题后")) + tbl([tr([tc(p(t("单元格"), textBox("格内框"))), tc(p(t("5")))])], 2)),
);

// A table nested in a cell: the parent keeps the cell's own text; the nested table (with
// its own vertical merge) follows the parent as its own block; a table after both.
write(
  "nested.docx",
  docx(
    tbl(
      [
        tr([tc(p(t("外A"))), tc(p(t("外B")))]),
        tr([
          tc(p(t("外C"))),
          tc(
            p(t("格内文字")) +
              tbl([tr([tc(p(t("内1")), vStart), tc(p(t("内2")))]), tr([tc("", vCont), tc(p(t("内3")))])], 2) +
              p(t("格内文字后")),
          ),
        ]),
      ],
      2,
    ) +
      p(t("之间")) +
      tbl([tr([tc(p(t("第三表")))])], 1),
  ),
);

// gridBefore / gridAfter: the first row starts one column in; the vertical merge below it
// must follow the grid column, not the cell index (mammoth follows the cell index).
write(
  "gridbefore.docx",
  docx(
    tbl(
      [
        tr([tc(p(t("甲")), vStart), tc(p(t("乙")))], '<w:gridBefore w:val="1"/>'),
        tr([tc(p(t("丙"))), tc("", vCont), tc(p(t("丁")))]),
        tr([tc(p(t("戊")), span(2))], '<w:gridAfter w:val="1"/>'),
      ],
      3,
    ),
  ),
);

// Fields: fldSimple and complex fields keep their result and drop the instruction, nested
// fields too; a field without a result shows nothing. Symbols, tabs, breaks, hyphens.
const fld = (type: string) => `<w:r><w:fldChar w:fldCharType="${type}"/></w:r>`;
const instr = (s: string) => `<w:r><w:instrText xml:space="preserve">${s}</w:instrText></w:r>`;
write(
  "fields.docx",
  docx(
    p(t("第"), fld("begin"), instr(" PAGE "), fld("separate"), t("3"), fld("end"), t("页")) +
      p('<w:fldSimple w:instr=" DATE \\@ &quot;yyyy&quot; ">' + t("2024") + "</w:fldSimple>", t("年")) +
      p(t("A"), fld("begin"), instr(" IF "), fld("begin"), instr(" MERGEFIELD x "), fld("separate"), t("内"), fld("end"), instr(" = 1 "), fld("separate"), t("外"), fld("end"), t("B")) +
      p(t("无结果"), fld("begin"), instr(" TC x "), fld("end"), t("止")) +
      tbl(
        [
          tr([
            tc(p(t("一"), "<w:r><w:tab/></w:r>", t("二"), "<w:r><w:br/></w:r>", t("三"))),
            tc(p("<w:r><w:sym w:font=\"Symbol\" w:char=\"F0B4\"/></w:r>", t("x"), "<w:r><w:softHyphen/></w:r>", t("y"), "<w:r><w:noBreakHyphen/></w:r>", t("z"))),
          ]),
          tr([tc(p(t("&#x4E00;&amp;&lt;全&#12288;角"))), tc(p(t("１２ ３４５")))]),
          tr([tc(p(t("—"))), tc(p(t("/")))]),
        ],
        2,
      ),
    { title: "某某局2024年政府信息公开工作年度报告" },
  ),
);

// Header rows repeated across pages (w:tblHeader) and a table split in two at a page break.
write(
  "header-split.docx",
  docx(
    tbl(
      [
        tr([tc(p(t("信息内容"))), tc(p(t("数量")))], "<w:tblHeader/>"),
        tr([tc(p(t("规章"))), tc(p(t("1")))]),
      ],
      2,
    ) +
      p('<w:r><w:br w:type="page"/></w:r>') +
      tbl(
        [
          tr([tc(p(t("信息内容"))), tc(p(t("数量")))], "<w:tblHeader/>"),
          tr([tc(p(t("行政许可"))), tc(p(t("2")))]),
        ],
        2,
      ),
  ),
);

// A label broken over two paragraphs in one cell (joined with "\n"), empty paragraphs
// dropped, a continuation cell that still holds text (kept on the merged cell), the legacy
// w:hMerge, content controls (w:sdt) around a row and a cell, a vMerge continuation with no
// cell above.
write(
  "cells.docx",
  docx(
    tbl(
      [
        tr([tc(p(t("（二）部分公开")) + "<w:p/>" + p(t("（区分处理的）")), vStart), tc(p(t("1")))]),
        tr([tc(p(t("残留")), vCont), tc(p(t("2")))]),
        "<w:sdt><w:sdtPr/><w:sdtContent>" + tr([tc(p(t("左")), '<w:hMerge w:val="restart"/>'), tc("", '<w:hMerge w:val="continue"/>')]) + "</w:sdtContent></w:sdt>",
        tr(["<w:sdt><w:sdtPr/><w:sdtContent>" + tc(p(t("控件"))) + "</w:sdtContent></w:sdt>", tc(p(t("")))]),
      ],
      2,
    ) + tbl([tr([tc(p(t("孤")), vCont)])], 1),
  ),
);

// A vertical merge that continues a cell of another width is not a merge (read as its own
// cell); one that continues a cell two rows up through a plain row does not reach it.
write(
  "merge-width.docx",
  docx(
    tbl(
      [
        tr([tc(p(t("宽")), vStart + span(2)), tc(p(t("右")))]),
        tr([tc(p(t("窄")), vCont), tc(p(t("中"))), tc(p(t("右2")))]),
        tr([tc(p(t("底")), span(2)), tc(p(t("右3")), vCont)]),
      ],
      3,
    ),
  ),
);

// Another namespace prefix for WordprocessingML, and the main part named by _rels/.rels.
write(
  "prefix.docx",
  docx("", {
    part: "word/document2.xml",
    xml:
      '<?xml version="1.0"?><x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:body>' +
      '<x:p><x:r><x:t>前缀</x:t></x:r></x:p><x:tbl><x:tr><x:tc><x:p><x:r><x:t>格</x:t></x:r></x:p></x:tc></x:tr></x:tbl>' +
      "</x:body></x:document>",
  }),
);

// Paragraphs only: the document comes back with a warning.
write("no-tables.docx", docx(p(t("只有文字。")) + p() + p(t("第二段"))));

// --- hostile

const zeros = (n: number) => Buffer.alloc(n, 0x20);
const bigXml = (n: number) => docXml(p(t("x")) + "<!--" + " ".repeat(n) + "-->");
// Inflates to ~2 MB, declares it honestly: refused from the central directory (test cap 1 MB).
write("bomb-declared.docx", writeZip([{ name: "_rels/.rels", data: rels("word/document.xml") }, { name: "word/document.xml", data: bigXml(2_000_000) }]));
// Inflates to ~2 MB but declares 1,000 bytes: refused while inflating.
write(
  "bomb-lying.docx",
  writeZip([{ name: "_rels/.rels", data: rels("word/document.xml") }, { name: "word/document.xml", data: bigXml(2_000_000), declaredSize: 1000 }]),
);
// Each entry under the entry cap, together over the total cap (test caps 1 MB / 2 MB).
write(
  "bomb-total.docx",
  writeZip([
    { name: "_rels/.rels", data: rels("word/document.xml") },
    ...[1, 2, 3].map((i) => ({ name: `word/media/pad${i}.bin`, data: zeros(900_000) })),
    { name: "word/document.xml", data: docXml(p(t("x"))) },
  ]),
);
// Too many entries (test cap 10).
write(
  "many-entries.docx",
  writeZip([
    { name: "word/document.xml", data: docXml(p(t("x"))) },
    ...Array.from({ length: 20 }, (_, i) => ({ name: `word/e${i}.xml`, data: "<a/>" })),
  ]),
);
const good = docx(p(t("完整")) + tbl([tr([tc(p(t("1")))])], 1));
write("good.docx", good);
write("truncated.docx", good.subarray(0, Math.floor(good.length * 0.6)));
// The data of document.xml damaged in the middle (CRC or inflate fails).
const damaged = Buffer.from(good);
const at = good.indexOf("word/document.xml") + "word/document.xml".length + 8;
for (let i = at; i < at + 24; i++) damaged[i] ^= 0x5a;
write("damaged.docx", damaged);
write("no-document.docx", writeZip([{ name: "[Content_Types].xml", data: CONTENT_TYPES }, { name: "word/styles.xml", data: "<w:styles/>" }]));
// Tables nested 100,000 deep.
const DEPTH = 100_000;
write(
  "nesting-bomb.docx",
  writeZip([
    { name: "_rels/.rels", data: rels("word/document.xml") },
    { name: "word/document.xml", data: docXml("<w:tbl><w:tr><w:tc>".repeat(DEPTH) + "<w:p/>" + "</w:tc></w:tr></w:tbl>".repeat(DEPTH)) },
  ]),
);

// ---------------------------------------------------------------- 1. LibreOffice cases


function template2021(): C[][][] {
  const active: C[][] = [
    [c("第二十条第（一）项", 1, 4)],
    [c("信息内容"), c("本年制发件数"), c("本年废止件数"), c("现行有效件数")],
    [c("规章"), c("0"), c("0"), c("3")],
    [c("行政规范性文件"), c("1 2"), c(""), c("１５")],
    [c("第二十条第（五）项", 1, 4)],
    [c("信息内容"), c("本年处理决定数量", 1, 3)],
    [c("行政许可"), c("1,024", 1, 3)],
    [c("第二十条第（八）项", 1, 4)],
    [c("信息内容"), c("本年收费金额（单位：万元）", 1, 3)],
    [c("行政事业性收费"), c("—", 1, 3)],
  ];
  let n = 0;
  const vals = (): C[] => APPLICANT_HEADS.map((_, i) => c(i === 6 ? String(7 * n++) : i === 2 ? "" : i === 4 ? "/" : String(n % 3)));
  const req = requestsGrid(vals, "（二）部分公开\n（区分处理的，只计这一情形，不计其他情形）");
  const rev = reviewsGrid(Array.from({ length: 15 }, (_, i) => c(i % 4 === 0 ? "0" : String(i))));
  return [active, req, rev];
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
function html(tables: C[][][]): string {
  const parts = [
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>某某区2024年政府信息公开工作年度报告</title></head><body>",
    "<p>某某区2024年政府信息公开工作年度报告</p><p>一、总体情况</p><p>本年度，我区认真贯彻落实。</p>",
  ];
  const heads = ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"];
  tables.forEach((rows, i) => {
    parts.push(`<p>${heads[i]}</p><table border="1" width="100%">`);
    for (const row of rows) {
      parts.push("<tr>");
      for (const [text, rs, cs] of row) {
        const attrs = (rs > 1 ? ` rowspan="${rs}"` : "") + (cs > 1 ? ` colspan="${cs}"` : "");
        const inner = text.includes("\n") ? text.split("\n").map((l) => `<p>${esc(l)}</p>`).join("") : esc(text);
        parts.push(`<td${attrs}>${inner}</td>`);
      }
      parts.push("</tr>");
    }
    parts.push("</table>");
  });
  parts.push("<p>五、存在的主要问题及改进情况</p><p>无。</p></body></html>");
  return parts.join("\n");
}

function soffice(args: string[], cwd: string): void {
  const profile = mkdtempSync(join(tmpdir(), "xxgk-lo-"));
  try {
    execFileSync(process.env.XXGK_SOFFICE ?? "soffice", [`-env:UserInstallation=file://${profile}`, "--headless", ...args], {
      cwd,
      stdio: "pipe",
      timeout: 120_000,
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

function haveSoffice(): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${process.env.XXGK_SOFFICE ?? "soffice"}`], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

if (haveSoffice()) {
  const work = mkdtempSync(join(tmpdir(), "xxgk-docx-cases-"));
  try {
    const tables = template2021();
    writeFileSync(join(work, "lo-template.html"), html(tables));
    soffice(["--infilter=HTML (StarWriter)", "--convert-to", "docx", "--outdir", work, join(work, "lo-template.html")], work);
    if (!existsSync(join(work, "lo-template.docx"))) throw new Error("soffice made no DOCX");
    copyFileSync(join(work, "lo-template.docx"), join(OUT, "lo-template.docx"));
    mkdirSync(join(work, "doc"));
    soffice(["--convert-to", "doc", "--outdir", join(work, "doc"), join(work, "lo-template.docx")], work);
    if (!existsSync(join(work, "doc", "lo-template.doc"))) throw new Error("soffice made no DOC");
    copyFileSync(join(work, "doc", "lo-template.doc"), join(OUT, "lo-template.doc"));
    write("lo-template.grid.json", JSON.stringify(tables) + "\n");
    console.log("LibreOffice cases written");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
} else {
  console.warn("soffice not found: LibreOffice cases not (re)made");
}
console.log("docx cases in", OUT, readFileSync(join(OUT, "good.docx")).length > 0 ? "ok" : "");
