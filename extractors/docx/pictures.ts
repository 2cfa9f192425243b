// A Word report whose tables were pasted as pictures (screenshots of a spreadsheet, a
// scanned page): the text of the document is its own, its tables are in the pictures.
// Where no table of the body holds a number (it has none, or only tables laying the page
// out, a picture in a cell) but it has pictures, those big enough to hold a table
// are read by OCR, all together as one PDF (extractors/image.ts: a picture a page, so a
// table cut over two pictures is one table, as over two pages of a scan), and what OCR
// makes of each picture is put where that picture stands among the paragraphs. Their
// places carry `page` (the picture's number among those read) and `box` (on its A4 page).
//
// Bounds: the zip's own (each part inflated under its limits), the image reader's (no
// picture of more than limits.maxImagePixels), OCR's (limits.maxOcrPages pictures,
// limits.ocrTimeoutMs). A picture of another kind (EMF, WMF drawings) or too small for a
// page (a seal, a logo) is left out and counted in the note.
import type { Block, Diagnostic, Document } from "../../model/document.js";
import type { Limits } from "../../model/limits.js";
import type { ZipArchive } from "../../model/zip.js";
import { ExtractError } from "../../model/document.js";
import type { BodyPicture } from "./body.js";
import type { Picture } from "../image.js";
import { relationshipsOf } from "./rels.js";

/** What reading the pictures gave: the body's blocks with the pictures' own among them, and the notes. */
export interface PicturesRead {
  blocks: Block[];
  diagnostics: Diagnostic[];
  ocrPages: number[];
}

/**
 * Reads the body's pictures by OCR and places their blocks among `blocks`; null where no
 * picture could hold a page (nothing run). `main` is the main part's name, whose
 * relationships name the pictures' parts. Throws ExtractError where OCR cannot run.
 */
export async function readPictures(
  zip: ZipArchive,
  main: string,
  pictures: BodyPicture[],
  blocks: Block[],
  limits: Limits,
  layoutTables = false,
): Promise<PicturesRead | null> {
  const none = layoutTables ? "the document's tables hold no number" : "the document has no tables";
  // Unreadable relationships: no picture is found, and the document reads as without them.
  let targets = new Map<string, string>();
  try {
    targets = new Map((relationshipsOf(zip, main, limits) ?? []).map((r) => [r.id, r.part]));
  } catch (e) {
    if (e instanceof ExtractError && (e.code === "zip-bomb" || e.code === "corrupt-zip")) throw e;
  }
  const { pictureOf, picturesAsPdf } = await import("../image.js");
  const kept: { at: number; picture: Picture }[] = [];
  let other = 0, small = 0;
  for (const p of pictures) {
    const part = targets.get(p.rid);
    const entry = part ? zip.find(part) : undefined;
    if (!entry) continue;
    const picture = pictureOf(new Uint8Array(zip.read(entry)), limits);
    if ("refused" in picture) {
      if (picture.code === "corrupt-image") other++;
      else small++;
      continue;
    }
    kept.push({ at: p.at, picture });
    // One past OCR's page bound, so its note says there were more.
    if (kept.length > limits.maxOcrPages) break;
  }
  if (!kept.length) return null;
  const deadline = Date.now() + limits.ocrTimeoutMs;
  let read: Document;
  try {
    const pdf = await picturesAsPdf(kept.map((k) => k.picture), deadline);
    const { ocrPdf } = await import("../pdf/ocr.js");
    read = await ocrPdf(pdf, { ...limits, ocrTimeoutMs: Math.max(1, deadline - Date.now()) });
  } catch (e) {
    // Said of the document: its tables are pictures, and what is missing to read them.
    if (e instanceof ExtractError && e.code === "scanned")
      throw new ExtractError(`${none} but ${kept.length} picture(s) that may be them, read by OCR, which cannot run here: ${e.message.replace(/^.*?cannot run(?: here)?: /, "")}`, "scanned");
    throw e;
  }

  // Each block of the OCR'd pages goes before the body block its picture stood before.
  const byAt = new Map<number, Block[]>();
  for (const b of read.blocks) {
    const page = pageOf(b);
    const at = page !== undefined && kept[page - 1] ? kept[page - 1].at : kept[0].at;
    byAt.set(at, [...(byAt.get(at) ?? []), b]);
  }
  const out: Block[] = [];
  for (let i = 0; i <= blocks.length; i++) {
    out.push(...(byAt.get(i) ?? []));
    if (i < blocks.length) out.push(blocks[i]);
  }
  const left = [other ? `${other} of another kind (a drawing)` : "", small ? `${small} too small to hold a table` : ""].filter(Boolean);
  const diagnostics: Diagnostic[] = [
    {
      severity: "info",
      source: "docx:pictures",
      message:
        `${none} but ${pictures.length} picture(s) in its text: ${kept.length} read by OCR, each placed where it stands ` +
        `(a place's page is the picture's number among those read, its box on that picture fitted to an A4 page)${left.length ? `; left out: ${left.join(", ")}` : ""}`,
    },
    ...read.diagnostics,
  ];
  return { blocks: out, diagnostics, ocrPages: read.meta.ocrPages ?? [] };
}

/** The page a block of an OCR'd document stands on: its own place's, else its first cell's. */
function pageOf(b: Block): number | undefined {
  if (b.place?.page !== undefined) return b.place.page;
  if (b.kind === "table") for (const row of b.rows) for (const c of row) if (c.place?.page !== undefined) return c.place.page;
  return undefined;
}
