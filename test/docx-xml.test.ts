// The DOCX part scanner (extractors/docx/scan.ts) against the parser it stands in for
// (fast-xml-parser, docx/xml.ts parseReference): every XML part of every DOCX fixture,
// hand-written edge cases, and generated tag soup must read to the same tree, or fail
// with the same error. The scanner must also really be the one reading the fixtures.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExtractError } from "../model/document.js";
import { DEFAULT_LIMITS } from "../model/limits.js";
import { ZipArchive } from "../model/zip.js";
import { XNode } from "../extractors/docx/node.js";
import { Unsupported, scanXml } from "../extractors/docx/scan.js";
import { parseReference, parseXml, renamerFor } from "../extractors/docx/xml.js";

type Plain = { tag: string; text?: string; attrs?: Record<string, string>; children?: Plain[] };

/** A tree as plain data: every attribute parsed, so lazy parsing is compared too. */
function plain(list: XNode[]): Plain[] {
  return list.map((n) =>
    n.tag === "#text"
      ? { tag: n.tag, text: n.text }
      : { tag: n.tag, attrs: Object.fromEntries(n.attributes()), children: plain(n.children) },
  );
}

/** What reading a part gives: its tree, or the error's code and message. */
function outcome(read: () => XNode[]): { tree: Plain[] } | { code: string; message: string } {
  try {
    return { tree: plain(read()) };
  } catch (e) {
    if (e instanceof ExtractError) return { code: e.code, message: e.message };
    throw e;
  }
}

const DEPTH = 64;
const both = (xml: string) => ({
  ours: outcome(() => parseXml(xml, "part.xml", DEPTH)),
  reference: outcome(() => parseReference(xml, "part.xml", DEPTH, renamerFor(xml))),
});

/** True when the scanner reads the part itself (no fall-back to fast-xml-parser). */
function scanned(xml: string): boolean {
  try {
    scanXml(xml, { part: "part.xml", maxDepth: DEPTH, rename: renamerFor(xml) });
    return true;
  } catch (e) {
    if (e instanceof Unsupported) return false;
    return true; // its own errors (too deep) are its own reading
  }
}

function docxFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...docxFiles(p));
    else if (name.endsWith(".docx")) out.push(p);
  }
  return out;
}

describe("the DOCX part scanner", () => {
  it("reads every XML part of every DOCX fixture as fast-xml-parser does, and reads them itself", () => {
    let parts = 0;
    for (const file of docxFiles("test/fixtures")) {
      let zip: ZipArchive;
      try {
        zip = ZipArchive.open(readFileSync(file), { maxEntryBytes: DEFAULT_LIMITS.maxZipEntryBytes, maxTotalBytes: 64_000_000, maxEntries: 1000 });
      } catch {
        continue; // the hostile archives
      }
      for (const entry of zip.entries) {
        if (!/\.(xml|rels)$/.test(entry.name)) continue;
        let xml: string;
        try {
          xml = new TextDecoder().decode(zip.read(entry));
        } catch {
          continue;
        }
        const { ours, reference } = both(xml);
        expect(ours, `${file} ${entry.name}`).toEqual(reference);
        if (entry.name === "word/document.xml" && !/nesting-bomb/.test(file)) expect(scanned(xml), `${file} ${entry.name}`).toBe(true);
        parts++;
      }
    }
    expect(parts).toBeGreaterThan(200);
  });

  const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
  const cases: [string, string, boolean][] = [
    ["entities and numeric references", `<w:t ${W}>a &amp; b &lt;&gt;&quot;&apos; &#x4E00;&#20013;&#0;&#xD800;&#1;&#9;&#xZZ;&#99999999;&#12abc; & ; &; &amp &amp;amp;</w:t>`, true],
    ["control characters allowed by XML 1.1", `<?xml version="1.1"?><w:t ${W}>&#1;&#x1F;</w:t>`, true],
    ["a comment inside text", `<w:t ${W}>x<!-- c -->y<!---->z</w:t>`, true],
    ["CR and CRLF", `<w:t ${W}>x\r\ny\rz</w:t>`, true],
    ["self-closing forms", `<w:p ${W}><w:br/><w:br /><w:tab w:val="1"/><w:tab w:val='2' /><w:x\t/></w:p>`, true],
    ["attributes: tabs, newlines, no quotes, duplicates, > and / inside quotes", `<w:p ${W} a="1>2"\tb='x/' c=d e = "3"\n a="4" f="&amp;&#65;"></w:p>`, true],
    ["text outside the root", `pre<w:p ${W}>in</w:p>post</x>tail`, true],
    ["closing tags that do not match", `<w:p ${W}><w:r></w:p>t</w:r>u</w:p></w:p></w:p>v<w:q/>`, true],
    ["whitespace-only text", `<w:p ${W}>\n  <w:r>  </w:r>\n</w:p>`, true],
    ["an empty tag's trailing space", `<w:p ${W} ><w:r  ></w:r ></w:p>`, true],
    ["prefixes bound under other names", `<ns0:document xmlns:ns0="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w="http://example.org/other"><ns0:p ns0:val="1"><ns0:br/><w:x w:y="2"/></ns0:p></ns0:document>`, true],
    ["a default namespace", `<document xmlns="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><p val="1"><br/></p></document>`, true],
    ["names fast-xml-parser renames", `<w:p ${W} toString="1" valueOf="2"><w:t>x</w:t></w:p>`, true],
    ["a processing instruction inside", `<w:p ${W}>a<?mso-application progid="Word.Document"?>b</w:p>`, true],
    ["HTML entities", `<w:t ${W}>a&nbsp;b&copy;&unknown;</w:t>`, false],
    ["CDATA", `<w:t ${W}><![CDATA[<x>&amp;]]></w:t>`, false],
    ["a tag left without its end", `<w:p ${W}><w:r`, false],
    ["a comment left open", `<w:p ${W}><!-- x`, false],
    ["a closing tag left open", `<w:p ${W}></w:p`, false],
    ["a quote left open in a tag", `<w:p ${W} a="1></w:p>`, false],
    ["a reserved property name", `<w:p ${W}><__proto__/></w:p>`, false],
    ["a name OOXML never uses", `<w:p ${W}><a:b:c/><名/></w:p>`, false],
    ["a DTD past the first 4 KB", `<w:p ${W}>${" ".repeat(5000)}<!DOCTYPE x [<!ENTITY e "v">]><w:t>&e;</w:t></w:p>`, false],
  ];
  for (const [what, xml, byScanner] of cases)
    it(`${what}: the same tree${byScanner ? "" : " (read by fast-xml-parser)"}`, () => {
      const { ours, reference } = both(xml);
      expect(ours).toEqual(reference);
      expect(scanned(xml)).toBe(byScanner);
    });

  it("refuses nesting past the limit as fast-xml-parser does, at the same depth", () => {
    for (const depth of [DEPTH, DEPTH + 1, DEPTH + 2]) {
      const xml = `<w:document ${W}>` + "<w:p>".repeat(depth) + "</w:p>".repeat(depth) + "</w:document>";
      const { ours, reference } = both(xml);
      expect(ours).toEqual(reference);
    }
    const deep = `<w:document ${W}>` + "<w:p>".repeat(DEPTH + 5);
    expect(both(deep).ours).toMatchObject({ code: "too-deep" });
  });

  it("reads generated tag soup as fast-xml-parser does", () => {
    // Pieces of WordprocessingML and of broken markup, strung together at random (seeded).
    const pieces = [
      "<w:p>", "</w:p>", "<w:r>", "</w:r>", '<w:t xml:space="preserve">', "</w:t>", "<w:t>", "text", " ", "\n", "\r\n", "\t",
      "中文", "&amp;", "&lt;", "&#x41;", "&#20013;", "&#1;", "&bogus", "&", ";", "<!-- c -->", "<w:br/>", "<w:tab />",
      '<w:b w:val="1"/>', "<w:b w:val='0'>", '<w:x a="1" a="2">', "</w:x>", "<?pi x?>", '<w:gridSpan w:val="2"/>',
      "<", ">", "/", '"', "'", "=", "</>", "<w:y\n>", "&nbsp;", "<![CDATA[c]]>", "</w:b >",
    ];
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let byScanner = 0;
    const runs = 3000;
    for (let k = 0; k < runs; k++) {
      let xml = `<w:document ${W}>`;
      const length = 1 + Math.floor(random() * 30);
      for (let j = 0; j < length; j++) xml += pieces[Math.floor(random() * pieces.length)];
      if (random() < 0.7) xml += "</w:document>";
      const { ours, reference } = both(xml);
      expect(ours, JSON.stringify(xml)).toEqual(reference);
      if (scanned(xml)) byScanner++;
    }
    // The soup must exercise the scanner, not only its fall-back.
    expect(byScanner).toBeGreaterThan(runs / 10);
  });
});
