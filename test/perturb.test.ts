// The promise under variation: every report fixture with a known truth, changed the ways
// real conversions change documents (none of which changes what the report says), read
// through the whole pipeline. A value read is the true one; a value not read is null with
// a diagnostic that says something is wrong (never a silent or "blank" null); organ,
// year, date and region stay the truth. Seeded: a failure names its seed, fixture and
// changes, and repeats exactly. PERTURB_SEEDS=4,5,6 runs other seeds (12 more passed
// when this was written).
//
// Text: CRLF, trailing and leading blanks (full-width too), a cell line indented or
//   opening a page (form feed), page numbers between lines, full-width digits, thousands
//   separators, blanks or zero-width marks inside Chinese words, ASCII brackets;
//   converter markdown with bold labels, <br> in labels, cells padded to a width.
// HTML: numbers wrapped in <p>/<span>, &nbsp; around them, a number cut by a tag
//   (WPS), full-width digits, <br> in labels, style and class noise, Word's "Save as Web
//   Page" markup, Excel's HTML export (x:num). DOCX also: tracked changes left in.
// DOCX: a run's text cut into several runs and <w:t>s (Word does this at every edit),
//   proofing and bookmark marks between runs, rendered page breaks.
// PDF: every PDF fixture printed again through another producer (poppler's pdftocairo
//   -pdf: fonts embedded anew, text re-encoded, the document's Info dictionary gone).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseReport } from "../src/pipeline.js";
import { cellsOf } from "../model/cells.js";
import { openZip } from "../model/zip.js";
import { DEFAULT_LIMITS } from "../model/limits.js";
import { makeZip } from "./helpers/zip.js";
import { generator, type Rng } from "./helpers/random.js";
import { problems } from "./helpers/truth.js";
import { closePdfWorkers } from "../extractors/pdf.js";
import iconv from "iconv-lite";

interface Entry { file: string; format: string; layout: string; expected: string | null }
const sets = [
  { dir: "test/fixtures", manifest: "test/fixtures/manifest.json" },
  { dir: "test/fixtures/reports", manifest: "test/fixtures/reports/manifest.json" },
];
const all: Entry[] = sets.flatMap(({ dir, manifest }) =>
  (JSON.parse(readFileSync(manifest, "utf8")) as Entry[]).map((e) => ({ ...e, file: join(dir, e.file), expected: e.expected && join(dir, e.expected) })),
);
// Text pdftotext reordered is read tolerantly even unchanged (fixtures-records.test.ts); the rest exactly.
const base = (format: string) => all.filter((e) => e.format === format && e.expected && !e.file.endsWith(".pdftext.txt") && e.layout !== "legacy-doc");

const wide = (d: string) => String.fromCharCode(d.charCodeAt(0) + 0xfee0);

const TEXT: Record<string, (t: string, r: Rng) => string> = {
  crlf: (t) => t.replace(/\n/g, "\r\n"),
  trailing: (t, r) => t.split("\n").map((l) => (r.next() < 0.3 ? l + r.pick([" ", "\u3000", "  "]) : l)).join("\n"),
  indentProse: (t, r) => t.split("\n").map((l) => (r.next() < 0.3 && !/^[\t|]/.test(l) ? r.pick(["  ", "\u3000\u3000"]) + l : l)).join("\n"),
  indentCell: (t, r) => t.split("\n").map((l) => (r.next() < 0.3 && /^\t/.test(l) ? r.pick(["  ", "\u3000", " "]) + l : l)).join("\n"),
  formFeed: (t, r) => {
    const ls = t.split("\n");
    for (let k = 0; k < 2; k++) {
      const at = 1 + Math.floor(r.next() * (ls.length - 1));
      ls[at] = "\f" + ls[at];
    }
    return ls.join("\n");
  },
  pageNumbers: (t, r) => {
    const ls = t.split("\n");
    for (let k = 0; k < 3; k++) ls.splice(1 + Math.floor(r.next() * (ls.length - 1)), 0, "", r.pick(["- 3 -", "— 3 —", "第 2 页", "第2页 共5页", "第 3 页，共 6 页", "3 / 5"]), "");
    return ls.join("\n");
  },
  fullWidth: (t, r) => t.replace(/\d/g, (d) => (r.next() < 0.5 ? wide(d) : d)),
  thousands: (t) => t.replace(/(?<=[\t|] ?)(\d{1,3})(\d{3})(?= ?(?:[\t|]|$))/gm, "$1,$2"),
  splitWords: (t, r) => t.replace(/(\p{Script=Han})(?=\p{Script=Han})/gu, (c) => (r.next() < 0.03 ? c + r.pick(["\u00a0", "\u200b", " "]) : c)),
  // Converter markdown: labels in bold, a label's line break kept as <br>, cells padded to a width.
  markdownBold: (t, r) => t.replace(/(?<=\|) *([\p{Script=Han}（）()]{2,}[^|]*?) *(?=\|)/gu, (m, l: string) => (r.next() < 0.3 ? ` **${l.trim()}** ` : m)),
  markdownBreaks: (t, r) => t.replace(/(?<=\|) *(\p{Script=Han}{2})(\p{Script=Han}{2,}) *(?=\|)/gu, (m, a, b) => (r.next() < 0.3 ? ` ${a}<br>${b} ` : m)),
  markdownPadding: (t) => t.replace(/^\|.*\|$/gm, (row) => row.split("|").map((c) => (c.trim() === "" ? c : ` ${c.trim()}${" ".repeat(Math.max(0, 8 - c.trim().length))} `)).join("|")),
  asciiBrackets: (t, r) => t.replace(/[（）]/g, (c) => (r.next() < 0.5 ? (c === "（" ? "(" : ")") : c)),
};

const HTML: Record<string, (t: string, r: Rng) => string> = {
  wrapped: (t, r) => t.replace(/(<td[^>]*>)\s*(\d+)\s*(<\/td>)/g, (m, a, n, b) => (r.next() < 0.5 ? `${a}<p style="text-align:center"><span style="font-size:12pt">${n}</span></p>${b}` : m)),
  nbsp: (t, r) => t.replace(/(<td[^>]*>)\s*(\d+)\s*(<\/td>)/g, (m, a, n, b) => (r.next() < 0.5 ? `${a}&nbsp;${n}&nbsp;${b}` : m)),
  cutByTag: (t, r) => t.replace(/(<td[^>]*>)\s*(\d)(\d+)\s*(<\/td>)/g, (m, a, d, rest, b) => (r.next() < 0.4 ? `${a}<span>${d}</span><span lang="EN-US">${rest}</span>${b}` : m)),
  fullWidth: (t, r) => t.replace(/(<td[^>]*>)\s*(\d+)\s*(<\/td>)/g, (m, a, n, b) => (r.next() < 0.5 ? `${a}${n.replace(/\d/g, wide)}${b}` : m)),
  labelBreaks: (t, r) => t.replace(/(<td[^>]*>)([\p{Script=Han}]{4,})(<\/td>)/gu, (m, a, l, b) => (r.next() < 0.3 ? `${a}${l.slice(0, 2)}<br/>${l.slice(2)}${b}` : m)),
  blankForms: (t, r) => t.replace(/(<td[^>]*>)&nbsp;(<\/td>)/g, (m, a, b) => a + r.pick(["", " ", "\u3000", "<p>&nbsp;</p>", "<span></span>", "&#160;"]) + b),
  newlines: (t, r) => t.replace(/(<td[^>]*>)\s*(\d+)\s*(<\/td>)/g, (m, a, n, b) => (r.next() < 0.5 ? `${a}\n      ${n}\n    ${b}` : m)),
  thousands: (t) => t.replace(/(<td[^>]*>)\s*(\d{1,3})(\d{3})\s*(<\/td>)/g, "$1$2,$3$4"),
  upperCase: (t) => t.replace(/<(\/?)(td|tr|table|tbody|p|span)(?=[\s>])/g, (m, slash, tag) => `<${slash}${tag.toUpperCase()}`),
  // Word's "Save as Web Page": <o:p>, mso spacers, and the zero-height row of empty cells
  // it adds after each table for column widths (<![if !supportMisalignedColumns]>).
  wordHtml: (t, r) =>
    t
      .replace(/(<td[^>]*>)\s*(\d+)\s*(<\/td>)/g, (m, a, n, b) => (r.next() < 0.5 ? `${a}<p class=MsoNormal align=center><span lang=EN-US>${n}<o:p></o:p></span></p>${b}` : m))
      .replace(/(<td[^>]*>)([\p{Script=Han}]{2,})/gu, (m, a, l) => (r.next() < 0.2 ? `${a}<span style='mso-spacerun:yes'>&nbsp;</span>${l}` : m))
      .replace(/<\/table>/g, "<![if !supportMisalignedColumns]><tr height=0><td width=80 style='border:none'></td><td width=60 style='border:none'></td><td width=60 style='border:none'></td></tr><![endif]></table>"),
  // Excel's HTML export: numbers carry x:num, and large ones print with separators.
  excelHtml: (t) => t.replace(/(<td)([^>]*>)\s*(\d+)\s*(<\/td>)/g, (m, a, rest, n, b) => `${a} x:num="${n}"${rest}${n.length > 3 ? n.slice(0, -3) + "," + n.slice(-3) : n}${b}`),
  styleNoise: (t, r) => t.replace(/<(td|tr|table|p)(?=[\s>])/g, (m) => (r.next() < 0.3 ? `${m} class="MsoNormal x${Math.floor(r.next() * 9)}" style="border:solid windowtext 1.0pt"` : m)),
};

const DOCX: Record<string, (xml: string, r: Rng) => string> = {
  // One <w:t> cut into runs: the run's properties copied to each piece.
  splitRuns: (x, r) =>
    x.replace(/<w:r>(<w:rPr>(?:(?!<\/w:rPr>).)*<\/w:rPr>)?<w:t(?: xml:space="preserve")?>([^<]{2,})<\/w:t><\/w:r>/g, (m, pr = "", text: string) => {
      if (r.next() < 0.5) return m;
      const at = 1 + Math.floor(r.next() * (text.length - 1));
      return `<w:r>${pr}<w:t xml:space="preserve">${text.slice(0, at)}</w:t></w:r><w:r>${pr}<w:t xml:space="preserve">${text.slice(at)}</w:t></w:r>`;
    }),
  splitTexts: (x, r) =>
    x.replace(/<w:t(?: xml:space="preserve")?>([^<]{2,})<\/w:t>/g, (m, text: string) => {
      if (r.next() < 0.5) return m;
      const at = 1 + Math.floor(r.next() * (text.length - 1));
      return `<w:t xml:space="preserve">${text.slice(0, at)}</w:t><w:t xml:space="preserve">${text.slice(at)}</w:t>`;
    }),
  marks: (x, r) => {
    let id = 900;
    return x.replace(/<\/w:r><w:r>/g, (m) =>
      r.next() < 0.3 ? `</w:r>${r.pick(['<w:proofErr w:type="spellStart"/>', '<w:proofErr w:type="gramEnd"/>', `<w:bookmarkStart w:id="${id}" w:name="_GoBack"/><w:bookmarkEnd w:id="${id++}"/>`])}<w:r>` : m,
    );
  },
  fullWidth: (x, r) => x.replace(/(<w:t(?: xml:space="preserve")?>)(\d+)(<\/w:t>)/g, (m, a, n, b) => (r.next() < 0.5 ? a + n.replace(/\d/g, wide) + b : m)),
  // Not a year (2024年 is printed in runs of its own too).
  thousands: (x) => x.replace(/(<w:t(?: xml:space="preserve")?>)(?!19\d\d<|20\d\d<)(\d{1,3})(\d{3})(<\/w:t>)/g, "$1$2,$3$4"),
  // An empty paragraph left after a cell's number (a press of Enter).
  emptyParagraphs: (x, r) => x.replace(/<\/w:p>(<\/w:tc>)/g, (m, tc) => (r.next() < 0.3 ? `</w:p><w:p/>${tc}` : m)),
  // Tracked changes left in: an old number deleted, the printed one inserted (Word shows the insertion).
  revisions: (x, r) => {
    let id = 700;
    return x.replace(/<w:r>(<w:rPr>(?:(?!<\/w:rPr>).)*<\/w:rPr>)?<w:t(?: xml:space="preserve")?>(\d+)<\/w:t><\/w:r>/g, (m, pr = "", n: string) =>
      r.next() < 0.3
        ? `<w:del w:id="${id++}" w:author="a" w:date="2024-01-01T00:00:00Z"><w:r>${pr}<w:delText>${Number(n) + 7}</w:delText></w:r></w:del><w:ins w:id="${id++}" w:author="a" w:date="2024-01-01T00:00:00Z"><w:r>${pr}<w:t>${n}</w:t></w:r></w:ins>`
        : m,
    );
  },
  pageBreaks: (x, r) => x.replace(/<w:r>(?=<w:t)/g, (m) => (r.next() < 0.05 ? "<w:r><w:lastRenderedPageBreak/>" : m)),
};

const SEEDS = process.env.PERTURB_SEEDS ? process.env.PERTURB_SEEDS.split(",").map(Number) : [1, 2, 3];

async function campaign(format: string, changes: Record<string, (s: string, r: Rng) => string>, rewrite: (bytes: Buffer, change: (s: string) => string) => Buffer) {
  const fixtures = base(format);
  const found: string[] = [];
  let variants = 0;
  let valuesRead = 0;
  for (const seed of SEEDS)
    for (const [i, e] of fixtures.entries()) {
      const r = generator(seed * 1000 + i);
      // Each change alone once per seed (in turn), then a random mix.
      const names = Object.keys(changes);
      const chosen = [names[(seed + i) % names.length], ...names.filter(() => r.next() < 0.3)];
      const bytes = rewrite(readFileSync(e.file), (s) => chosen.reduce((acc, n) => changes[n](acc, r), s));
      const out = await parseReport({ bytes, name: e.file, path: e.file });
      variants++;
      const tag = `seed ${seed} ${e.file} {${[...new Set(chosen)].join("+")}}`;
      if (!out.ok) {
        found.push(`${tag}: not read (${out.code}: ${out.message})`);
        continue;
      }
      valuesRead += cellsOf(out.record).filter(([, , , v]) => v !== null).length;
      for (const p of problems(out.record, JSON.parse(readFileSync(e.expected!, "utf8")))) found.push(`${tag}: ${p}`);
    }
  return { found, variants, valuesRead, fixtures: fixtures.length };
}

const asText = (bytes: Buffer, change: (s: string) => string) => Buffer.from(change(bytes.toString("utf8")), "utf8");
/** A page's text in its own encoding (UTF-8, else GBK as legacy portals write), changed, and written back in it. */
const html = (bytes: Buffer, change: (s: string) => string) => {
  try {
    return Buffer.from(change(new TextDecoder("utf-8", { fatal: true }).decode(bytes)), "utf8");
  } catch {
    return iconv.encode(change(iconv.decode(bytes, "gb18030")), "gb18030");
  }
};
const pageText = (bytes: Buffer) => {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return iconv.decode(bytes, "gb18030");
  }
};
const docx = (bytes: Buffer, change: (s: string) => string) => {
  const zip = openZip(bytes, DEFAULT_LIMITS);
  return makeZip(zip.entries.map((en) => ({ name: en.name, data: en.name === "word/document.xml" ? change(Buffer.from(zip.read(en)).toString("utf8")) : Buffer.from(zip.read(en)) })));
};

describe("reports changed as real conversions change them", () => {
  afterAll(() => closePdfWorkers());

  it("text: no wrong value, no unexplained null, the metadata kept", async () => {
    const c = await campaign("text", TEXT, asText);
    expect(c.fixtures).toBeGreaterThanOrEqual(50);
    expect(c.found).toEqual([]);
    // Most values still read (a reader that gives up on every change must not pass).
    expect(c.valuesRead).toBeGreaterThan(c.variants * 150);
  }, 120_000);

  it("HTML: no wrong value, no unexplained null, the metadata kept", async () => {
    const c = await campaign("html", HTML, html);
    expect(c.fixtures).toBeGreaterThanOrEqual(30);
    expect(c.found).toEqual([]);
    expect(c.valuesRead).toBeGreaterThan(c.variants * 150);
  }, 120_000);

  it("DOCX: no wrong value, no unexplained null, the metadata kept", async () => {
    const c = await campaign("docx", DOCX, docx);
    expect(c.fixtures).toBeGreaterThanOrEqual(25);
    expect(c.found).toEqual([]);
    expect(c.valuesRead).toBeGreaterThan(c.variants * 150);
  }, 120_000);

  it("PDF printed again by another producer (pdftocairo): no wrong value, no unexplained null", async () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-cairo-"));
    try {
      const found: string[] = [];
      let valuesRead = 0;
      const pdfs = all.filter((e) => e.format === "pdf" && e.expected);
      for (const e of pdfs) {
        const out = join(dir, basename(e.file));
        execFileSync("pdftocairo", ["-pdf", e.file, out]);
        const o = await parseReport({ bytes: readFileSync(out), name: out, path: out });
        if (!o.ok) {
          found.push(`${e.file}: not read (${o.code}: ${o.message})`);
          continue;
        }
        valuesRead += cellsOf(o.record).filter(([, , , v]) => v !== null).length;
        const want = JSON.parse(readFileSync(e.expected!, "utf8"));
        // The title a PDF's Info dictionary gave is gone: a year printed nowhere else is null (with its diagnostic).
        const seen = problems(o.record, want, { yearMayBeGone: true });
        for (const p of seen) found.push(`${e.file}: ${p}`);
      }
      expect(pdfs.length).toBeGreaterThanOrEqual(130);
      expect(found).toEqual([]);
      expect(valuesRead).toBeGreaterThan(pdfs.length * 150);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it("the changes change the documents (each one alters some fixture)", () => {
    const r = generator(7);
    const used = (format: string, changes: Record<string, (s: string, r: Rng) => string>, read: (b: Buffer) => string) => {
      const texts = base(format).map((e) => read(readFileSync(e.file)));
      return Object.fromEntries(Object.entries(changes).map(([n, f]) => [n, texts.some((t) => f(t, r) !== t)]));
    };
    const docText = (b: Buffer) => {
      const zip = openZip(b, DEFAULT_LIMITS);
      return Buffer.from(zip.read(zip.find("word/document.xml")!)).toString("utf8");
    };
    for (const [format, changes, read] of [["text", TEXT, (b: Buffer) => b.toString("utf8")], ["html", HTML, pageText], ["docx", DOCX, docText]] as const)
      expect(used(format, changes, read)).toEqual(Object.fromEntries(Object.keys(changes).map((n) => [n, true])));
  });
});
