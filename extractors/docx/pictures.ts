// A Word report whose tables were pasted as pictures: the pictures its body names (in the
// text, or in a layout table's cell), found through the main part's relationships, read
// by OCR where they stand (extractors/pictures.ts).
//
// Bounds: the zip's own (each part inflated under its limits), then the pictures' own
// (extractors/pictures.ts).
import type { Block } from "../../model/document.js";
import type { Limits } from "../../model/limits.js";
import type { ZipArchive } from "../../model/zip.js";
import { ExtractError } from "../../model/document.js";
import type { BodyPicture } from "./body.js";
import { readPlacedPictures, type PicturesRead, type PlacedPicture } from "../pictures.js";
import { relationshipsOf } from "./rels.js";

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
  return readPlacedPictures(heldPictures(zip, main, pictures, limits), blocks, limits, {
    source: "docx:pictures",
    none: layoutTables ? "the document's tables hold no number" : "the document has no tables",
    total: pictures.length,
    where: "in its text",
  });
}

/** The body's pictures the package holds, in order, each with where it stands; read from the zip one at a time, as asked for. */
export function* heldPictures(zip: ZipArchive, main: string, pictures: BodyPicture[], limits: Limits): Generator<PlacedPicture> {
  // Unreadable relationships: no picture is found, and the document reads as without them.
  let targets = new Map<string, string>();
  try {
    targets = new Map((relationshipsOf(zip, main, limits) ?? []).map((r) => [r.id, r.part]));
  } catch (e) {
    if (e instanceof ExtractError && (e.code === "zip-bomb" || e.code === "corrupt-zip")) throw e;
  }
  for (const p of pictures) {
    const part = targets.get(p.rid);
    const entry = part ? zip.find(part) : undefined;
    if (entry) yield { at: p.at, bytes: new Uint8Array(zip.read(entry)) };
  }
}
