// DOCX extractor: a Word file → the shared Document.
//
// 1. Bounds: empty, over limits.maxFileBytes, not a zip → ExtractError.
// 2. The zip through src/zip.ts (declared and real inflated sizes, entry count).
// 3. The main part named by _rels/.rels (word/document.xml as a fallback; neither → "not-docx").
// 4. XML parsed under limits.maxNestingDepth (docx/xml.ts).
// 5. The body walked in document order into paragraphs and exact-grid tables (docx/body.ts).
// 6. meta.title from docProps/core.xml dc:title.
// 7. A body whose tables hold no number (none, or layout tables) but pictures (tables pasted
//    as screenshots): the pictures read by OCR, placed where they stand (docx/pictures.ts).
// mammoth is not used: see docx/body.ts for why a direct OOXML read gives the exact grid.
import { ExtractError, type Diagnostic, type Document, type DocumentMeta, type Table } from "../model/document.js";
import { namesDisclosure } from "../model/text.js";
import type { Limits } from "../model/limits.js";
import { openZip, type ZipArchive } from "../model/zip.js";
import { isOleCompound, looksLikeZip } from "./signatures.js";
import type { ExtractOptions, Extractor } from "./types.js";
import { BodyReader } from "./docx/body.js";
import { heldPictures, readPictures } from "./docx/pictures.js";
import { picturesPdf } from "./pictures.js";
import { child, decodeXml, parseXml, tagOf, type XNode } from "./docx/xml.js";
import { relationshipsOf } from "./docx/rels.js";
import { coreTitle } from "./docx/core.js";

const OFFICE_DOCUMENT = /\/officeDocument$/;
const CORE_PROPERTIES = /\/metadata\/core-properties$/;

export const extractDocx: Extractor = async (bytes, options) => {
  const { limits } = options;
  const read = readBody(bytes, options);
  const { reader, meta, diagnostics, tables, pictures, mayBeReport } = read;
  // Tables pasted as pictures (in the text, or in a layout table's cells): where no table
  // holds a number, the pictures are read by OCR where they are (docx/pictures.ts); only in
  // a document whose text names information disclosure, or that has no text (every page a
  // picture): a notice or a brochure with photographs is not OCR'd for nothing.
  if (read.picturesMayBeTables) {
    options.deadline?.extend(limits.ocrTimeoutMs);
    const ocr = await readPictures(read.zip, read.main, reader.pictures, reader.blocks, limits, tables.length > 0);
    if (ocr) return { blocks: ocr.blocks, meta: { ...meta, ocrPages: ocr.ocrPages }, diagnostics: [...diagnostics, ...ocr.diagnostics] } satisfies Document;
  }
  if (!tables.length) {
    const left = !pictures ? "" : mayBeReport ? ` (and ${pictures} picture(s), none big enough to hold a table)` : ` (and ${pictures} picture(s), not read: the text does not name information disclosure)`;
    diagnostics.push({ severity: "warning", source: "docx:no-tables", message: `the document has no tables: paragraphs only${left}` });
  }
  return { blocks: reader.blocks, meta, diagnostics } satisfies Document;
};

/**
 * The PDF a Word file's table pictures are read as (the pages its record's places name),
 * made again without OCR for the review page; null where its tables were not read from
 * pictures.
 */
export async function docxPicturesPdf(bytes: Uint8Array, options: ExtractOptions): Promise<Uint8Array | null> {
  const read = readBody(bytes, options);
  return read.picturesMayBeTables ? picturesPdf(heldPictures(read.zip, read.main, read.reader.pictures, options.limits), options.limits) : null;
}

/** The package opened and its body read: blocks, metadata, notes, and whether its pictures may be its tables. */
function readBody(bytes: Uint8Array, options: ExtractOptions) {
  const { limits } = options;
  if (bytes.byteLength === 0) throw new ExtractError(`the file is empty`, "empty");
  if (bytes.byteLength > limits.maxFileBytes)
    throw new ExtractError(`${bytes.byteLength} bytes is over the ${limits.maxFileBytes}-byte limit (limits.maxFileBytes)`, "too-large");
  if (!looksLikeZip(bytes)) {
    if (isOleCompound(bytes))
      throw new ExtractError(`a legacy Word (.doc/.wps) or encrypted Office file, not DOCX`, "not-docx");
    throw new ExtractError(`not a DOCX: the bytes are not a zip archive`, "corrupt-zip");
  }
  const zip = openZip(bytes, limits);
  const diagnostics: Diagnostic[] = [];

  const rels = packageRels(zip, limits, diagnostics);
  const mainName = [rels.main, "word/document.xml"].find((n) => n && zip.find(n));
  if (!mainName) throw new ExtractError(`not a DOCX: no word/document.xml in the archive`, "not-docx");
  const main = zip.find(mainName)!;
  if (mainName !== "word/document.xml")
    diagnostics.push({ severity: "info", source: "docx:main-part", message: `the main part is ${main.name}, as _rels/.rels names it` });

  options.deadline?.check();
  const tree = parseXml(decodeXml(zip.read(main)), main.name, limits.maxNestingDepth);
  options.deadline?.check();
  const body = findBody(tree);
  if (!body) throw new ExtractError(`${main.name} has no w:document/w:body: not a Word document`, "not-docx");

  const reader = new BodyReader();
  reader.read(body);
  options.deadline?.check();
  diagnostics.push(...reader.diagnostics);

  const meta: DocumentMeta = {};
  const title = coreTitle(zip, rels.core, limits, diagnostics, "docx:core");
  if (title) meta.title = title;

  const tables = reader.blocks.filter((b): b is Table => b.kind === "table");
  const paragraphs = reader.blocks.flatMap((b) => (b.kind === "paragraph" ? [b.text] : []));
  const numbered = tables.some((t) => t.rows.some((r) => r.some((c) => /\d/.test(c.text))));
  const mayBeReport = !paragraphs.length || namesDisclosure(paragraphs.join(""));
  const pictures = reader.pictures.length;
  return { zip, main: main.name, reader, meta, diagnostics, tables, pictures, mayBeReport, picturesMayBeTables: !numbered && pictures > 0 && mayBeReport };
}

/** The main and core-properties parts as the package relationships name them. */
function packageRels(zip: ZipArchive, limits: Limits, diagnostics: Diagnostic[]): { main?: string; core?: string } {
  try {
    const out: { main?: string; core?: string } = {};
    for (const r of relationshipsOf(zip, "", limits) ?? []) {
      if (OFFICE_DOCUMENT.test(r.type)) out.main ??= r.part;
      if (CORE_PROPERTIES.test(r.type)) out.core ??= r.part;
    }
    return out;
  } catch (e) {
    if (e instanceof ExtractError && (e.code === "zip-bomb" || e.code === "corrupt-zip")) throw e;
    diagnostics.push({ severity: "warning", source: "docx:rels", message: `_rels/.rels is unreadable (${(e as Error).message}); looked for word/document.xml` });
    return {};
  }
}

function findBody(tree: XNode[]): XNode | undefined {
  const doc = tree.find((n) => tagOf(n) === "w:document");
  return doc && child(doc, "w:body");
}

