// The format registry: one entry per format decides by content which reader reads a file.
import { describe, expect, it } from "vitest";
import { FORMATS, extractorFor, recordFormat, sniff } from "../extractors/index.js";
import { ExtractError } from "../model/document.js";
import { Format } from "../model/record.js";
import { makeZip } from "./helpers/zip.js";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("format registry", () => {
  it("has one entry per kind, and every record format is some entry's format", () => {
    const kinds = FORMATS.map((e) => e.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const f of Format.options) expect(FORMATS.map((e) => e.format)).toContain(f);
  });

  it("decides by the bytes, not the name", () => {
    expect(sniff(bytes("%PDF-1.7\n..."), "report.htm").kind).toBe("pdf");
    expect(sniff(bytes("junk before %PDF-1.4"), "x").kind).toBe("pdf");
    expect(sniff(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]), "r.docx").kind).toBe("legacy-word");
    expect(sniff(bytes("<!DOCTYPE html><html><body>x</body></html>"), "report.txt").kind).toBe("html");
    expect(sniff(bytes("<TABLE><tr><td>1</td></tr></TABLE>"), "x").kind).toBe("html");
    expect(sniff(bytes("一、总体情况\n本年度……"), "report.html").kind).toBe("html");
    expect(sniff(bytes("一、总体情况\n本年度……"), "report").kind).toBe("text");
  });

  it("Rich Text is an .rtf whatever its name (a BOM or white space before it allowed); text that only mentions it is text", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(sniff(enc("{\\rtf1\\ansi\\ansicpg936 {\\fonttbl}}"), "report.doc").kind).toBe("rtf");
    expect(sniff(enc("\ufeff\n {\\rtf1}"), "x.txt").kind).toBe("rtf");
    expect(sniff(enc("某某局2024年政府信息公开工作年度报告 {\\rtf1}"), "x.txt").kind).toBe("text");
    expect(recordFormat("rtf")).toBe("docx");
  });

  it("a zip is read as DOCX", () => {
    const zip = makeZip([{ name: "word/document.xml", data: "<w:document/>" }]);
    expect(sniff(zip, "x.bin").kind).toBe("docx");
  });

  it("a zip whose first member is an OpenDocument text's mimetype is an .odt, whatever its name", () => {
    const odt = makeZip([{ name: "mimetype", data: "application/vnd.oasis.opendocument.text" }, { name: "content.xml", data: "<office:document-content/>" }]);
    expect(sniff(odt, "report.docx").kind).toBe("odt");
    // A spreadsheet's mimetype is not a text's.
    const ods = makeZip([{ name: "mimetype", data: "application/vnd.oasis.opendocument.spreadsheet" }]);
    expect(sniff(ods, "x.ods").kind).toBe("docx");
  });

  it("binary bytes that no entry claims fail: corrupt when named as a format, binary otherwise", () => {
    const junk = new Uint8Array([1, 2, 0, 0, 3, 4, 0, 5]);
    const code = (name: string) => {
      try {
        sniff(junk, name);
        return "read";
      } catch (e) {
        return e instanceof ExtractError ? e.code : "thrown";
      }
    };
    expect(code("a.pdf")).toBe("corrupt");
    expect(code("a.doc")).toBe("corrupt");
    expect(code("a.bin")).toBe("binary");
  });

  it("legacy Word is recorded as DOCX (what LibreOffice makes of it); the others as themselves", () => {
    expect(recordFormat("legacy-word")).toBe("docx");
    expect(recordFormat("odt")).toBe("docx");
    for (const f of Format.options) expect(recordFormat(f)).toBe(f);
  });

  it("loads each reader on demand", async () => {
    for (const e of FORMATS) expect(typeof (await extractorFor(e.kind))).toBe("function");
  });
});
