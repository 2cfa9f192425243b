// Pictures that may be a report's tables, inside a document whose own tables hold no number:
// screenshots of a spreadsheet or a scanned page pasted into a Word file (docx/pictures.ts)
// or into a portal's article (html.ts). The document's text is its own; its tables are in
// the pictures. Those big enough to hold a table are read by OCR all together, as one PDF
// with a page a picture (extractors/image.ts: so a table cut over two pictures is one table,
// as over two pages of a scan), and what OCR makes of each picture is put where that picture
// stands among the document's blocks. Their places carry `page` (the picture's number among
// those read) and `box` (on its A4 page).
//
// Bounds: the image reader's (no picture of more than limits.maxImagePixels), OCR's
// (limits.maxOcrPages pictures, limits.ocrTimeoutMs). A picture of another kind (EMF, WMF
// drawings, SVG) or too small for a page (a seal, a logo, a button) is left out and counted
// in the note.
import type { Block, Diagnostic, Document } from "../model/document.js";
import type { Limits } from "../model/limits.js";
import { ExtractError } from "../model/document.js";
import type { Picture } from "./image.js";

/** A picture of the document: the index in its blocks it stands before, and its bytes. */
export interface PlacedPicture {
  at: number;
  bytes: Uint8Array;
}

/** What reading the pictures gave: the blocks with the pictures' own among them, and the notes. */
export interface PicturesRead {
  blocks: Block[];
  diagnostics: Diagnostic[];
  ocrPages: number[];
}

/** How the note words the document (a reader's own words, so each format's note reads as before). */
export interface PicturesSaid {
  /** The diagnostic's source (`docx:pictures`, `html:pictures`). */
  source: string;
  /** Why the pictures were read: "the document has no tables". */
  none: string;
  /** Pictures the document holds, and where ("in its text"). */
  total: number;
  where: string;
  /** What else the note adds of pictures not among `pictures` (not held by the file). */
  more?: string;
}

/**
 * Reads `pictures` (in the document's order; taken lazily, so a document of a thousand
 * pictures is not all decoded) by OCR and places their blocks among `blocks`; null where no
 * picture could hold a page (nothing run). Throws ExtractError where OCR cannot run.
 */
export async function readPlacedPictures(pictures: Iterable<PlacedPicture>, blocks: Block[], limits: Limits, said: PicturesSaid): Promise<PicturesRead | null> {
  const { picturesAsPdf } = await import("./image.js");
  const { kept, other, small } = await keepPictures(pictures, limits);
  if (!kept.length) return null;
  const deadline = Date.now() + limits.ocrTimeoutMs;
  let read: Document;
  try {
    const pdf = await picturesAsPdf(kept.map((k) => k.picture), deadline);
    const { ocrPdf } = await import("./pdf/ocr.js");
    read = await ocrPdf(pdf, { ...limits, ocrTimeoutMs: Math.max(1, deadline - Date.now()) });
  } catch (e) {
    // Said of the document: its tables are pictures, and what is missing to read them.
    if (e instanceof ExtractError && e.code === "scanned")
      throw new ExtractError(`${said.none} but ${kept.length} picture(s) that may be them, read by OCR, which cannot run here: ${e.message.replace(/^.*?cannot run(?: here)?: /, "")}`, "scanned");
    throw e;
  }

  // Each block of the OCR'd pages goes before the block its picture stood before.
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
  const left = [other ? `${other} of another kind (a drawing)` : "", small ? `${small} too small to hold a table` : "", said.more ?? ""].filter(Boolean);
  const diagnostics: Diagnostic[] = [
    {
      severity: "info",
      source: said.source,
      message:
        `${said.none} but ${said.total} picture(s) ${said.where}: ${kept.length} read by OCR, each placed where it stands ` +
        `(a place's page is the picture's number among those read, its box on that picture fitted to an A4 page)${left.length ? `; left out: ${left.join(", ")}` : ""}`,
    },
    ...read.diagnostics,
  ];
  return { blocks: out, diagnostics, ocrPages: read.meta.ocrPages ?? [] };
}

/** The pictures read, in order, each with where it stands: those that may hold a page; the others counted. */
async function keepPictures(pictures: Iterable<PlacedPicture>, limits: Limits): Promise<{ kept: { at: number; picture: Picture }[]; other: number; small: number }> {
  const { pictureOf, LEAST_TABLE } = await import("./image.js");
  const kept: { at: number; picture: Picture }[] = [];
  let other = 0, small = 0;
  for (const p of pictures) {
    const picture = pictureOf(p.bytes, limits, LEAST_TABLE);
    if ("refused" in picture) {
      if (picture.code === "corrupt-image") other++;
      else small++;
      continue;
    }
    kept.push({ at: p.at, picture });
    // One past OCR's page bound, so its note says there were more.
    if (kept.length > limits.maxOcrPages) break;
  }
  return { kept, other, small };
}

/**
 * The PDF the pictures are read as (a page a picture, in order: the pages a record's
 * places name), made again without OCR, for the review page; null where no picture is
 * read. Throws ExtractError where img2pdf cannot run.
 */
export async function picturesPdf(pictures: Iterable<PlacedPicture>, limits: Limits): Promise<Uint8Array | null> {
  const { picturesAsPdf } = await import("./image.js");
  const { kept } = await keepPictures(pictures, limits);
  return kept.length ? picturesAsPdf(kept.map((k) => k.picture), Date.now() + limits.timeoutMs) : null;
}

/** The page a block of an OCR'd document stands on: its own place's, else its first cell's. */
function pageOf(b: Block): number | undefined {
  if (b.place?.page !== undefined) return b.place.page;
  if (b.kind === "table") for (const row of b.rows) for (const c of row) if (c.place?.page !== undefined) return c.place.page;
  return undefined;
}
