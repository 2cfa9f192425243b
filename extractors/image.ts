// Image files: a report's pages scanned or photographed to JPEG, PNG, TIFF (a scanner's
// multi-page TIFF is one picture a page), GIF or BMP, or a screenshot of its tables.
// Read by OCR as the PDF img2pdf makes of them, so every picture goes through the one OCR
// path scanned PDFs take (extractors/pdf/ocr.ts): each picture is put on an A4 page
// (turned to landscape for a wide one) and rendered at the OCR resolution, so a photo of
// 4,000 pixels and a screenshot of 900 both come to text of a readable size. The record
// says `pdf`, as a legacy Word file's says `docx` (the format it was read as), and a
// diagnostic (`image.converted`) says what the file was.
//
// Bounds: the file's size (limits.maxFileBytes); the pixels its header states
// (limits.maxImagePixels: a picture of 100,000 × 100,000 pixels in a few kilobytes is a
// decompression bomb); img2pdf killed at the document's time limit; OCR's own pages and
// time limits. A picture too small to hold a page of text (a logo, an icon) fails at once as
// `not-a-report`, without OCR. Without img2pdf or Tesseract the file fails as `scanned`, saying what to
// install; bytes no decoder reads fail as `corrupt-image`.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExtractError } from "../model/document.js";
import type { Limits } from "../model/limits.js";
import type { Extractor } from "./types.js";
import { imageType } from "./signatures.js";
import { IMAGE_PACKAGES, img2pdfCommand, MissingTool, run } from "./pdf/scan-tools.js";
import { ocrPdf } from "./pdf/ocr.js";

/**
 * The least a picture must be to be read. An image file is a page of a report: a
 * screenshot of table 4 alone at a screen's 96 dpi is about 700 × 250 pixels; logos,
 * icons and buttons are smaller. A picture inside a document may be one table cut out
 * of a page: table 4 as a screenshot of its four rows is about 980 × 140; a seal or a logo
 * is smaller, and a rule or a divider is thinner.
 */
export const LEAST_PAGE = { pixels: 120_000, side: 150, what: "a page of a report" } as const;
export const LEAST_TABLE = { pixels: 30_000, side: 60, what: "a table" } as const;
export type Least = typeof LEAST_PAGE | typeof LEAST_TABLE;

const NOT_AN_IMAGE = "not an image this reader knows (JPEG, PNG, TIFF, GIF, BMP)";

export const extractImage: Extractor = async (bytes, options) => {
  const { limits, deadline } = options;
  if (bytes.byteLength === 0) throw new ExtractError("the file is empty", "empty");
  if (bytes.byteLength > limits.maxFileBytes)
    throw new ExtractError(`${bytes.byteLength} bytes is over the ${limits.maxFileBytes}-byte limit (limits.maxFileBytes)`, "too-large");
  const picture = pictureOf(bytes, limits);
  if ("refused" in picture) throw new ExtractError(picture.refused, picture.code);
  deadline?.extend(limits.ocrTimeoutMs);
  const pdf = await picturesAsPdf([picture], Date.now() + limits.timeoutMs);
  const doc = await ocrPdf(pdf, limits);
  const { type, size } = picture;
  doc.diagnostics.unshift({
    severity: "info",
    source: "image:converted",
    message: `a ${type} image${size ? ` of ${size.width} × ${size.height} pixels` : ""}, read by OCR as the PDF img2pdf makes of it (each picture on an A4 page)`,
  });
  return doc;
};

/** A picture to read: its bytes, type and the size its header states (null where it states none we read). */
export interface Picture {
  bytes: Uint8Array;
  type: string;
  size: Size | null;
}

/**
 * The bytes as a picture that may be a page of a report, or why not: no image this reader
 * knows (`corrupt-image`), more pixels than limits.maxImagePixels (`too-large`), or too few
 * to hold a page (`not-a-report`: logos, icons and buttons, which would each cost seconds
 * of OCR in a folder of crawled pages). Nothing is run.
 */
export function pictureOf(bytes: Uint8Array, limits: Limits, least: Least = LEAST_PAGE): Picture | { refused: string; code: string } {
  const type = imageType(bytes);
  if (!type) return { refused: NOT_AN_IMAGE, code: "corrupt-image" };
  const size = imageSize(bytes, type);
  if (size && size.width * size.height > limits.maxImagePixels)
    return { refused: `a ${type} image of ${size.width} × ${size.height} pixels, over the ${limits.maxImagePixels}-pixel limit (limits.maxImagePixels)`, code: "too-large" };
  if (size && (size.width * size.height < least.pixels || Math.min(size.width, size.height) < least.side))
    return { refused: `a ${type} image of ${size.width} × ${size.height} pixels: too small to hold ${least.what} (not read by OCR)`, code: "not-a-report" };
  return { bytes, type, size };
}

/**
 * The PDF an image file is read as (the same bytes give the same pages, so the review page
 * shows the places a record names on it), by `deadline` (epoch ms). Throws ExtractError.
 */
export async function imageAsPdf(bytes: Uint8Array, deadline: number): Promise<Uint8Array> {
  const type = imageType(bytes);
  if (!type) throw new ExtractError(NOT_AN_IMAGE, "corrupt-image");
  return picturesAsPdf([{ bytes, type, size: imageSize(bytes, type) }], deadline);
}

/**
 * Pictures as one PDF, a page each (a multi-page TIFF a page a picture), in order, each
 * fitted into an A4 page: landscape where most of them are wider than tall. Throws
 * ExtractError: `scanned` without img2pdf, `corrupt-image` for bytes it cannot decode.
 */
export async function picturesAsPdf(pictures: Picture[], deadline: number): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), "xxgk-image-"));
  try {
    const inputs = pictures.map((p, i) => join(dir, `in-${i + 1}.${p.type.toLowerCase()}`));
    const output = join(dir, "out.pdf");
    for (const [i, p] of pictures.entries()) await writeFile(inputs[i], p.bytes);
    const wide = pictures.filter((p) => p.size && p.size.width > p.size.height).length;
    const page = wide * 2 > pictures.length ? "A4^T" : "A4";
    const types = [...new Set(pictures.map((p) => p.type))].join(", ");
    try {
      // A phone's photo states its turn in EXIF: honoured where it is valid, ignored (not refused) where it is not.
      await run(img2pdfCommand(), ["--pagesize", page, "--fit", "into", "--rotation", "ifvalid", "-o", output, ...inputs], deadline);
    } catch (e) {
      if (e instanceof MissingTool)
        throw new ExtractError(`an image (${types}), read by OCR, which cannot run here: img2pdf (${img2pdfCommand()}) was not found (install the Debian packages ${IMAGE_PACKAGES})`, "scanned");
      if (e instanceof ExtractError) throw e;
      // img2pdf's last words, without the Python objects they name (`<_io.BytesIO object at 0x…>`).
      throw new ExtractError(`the ${types} image could not be read: ${(e as Error).message.replace(/\s*<[^<>]*>/g, "")}`, "corrupt-image");
    }
    return new Uint8Array(await readFile(output));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface Size {
  width: number;
  height: number;
}

/**
 * The pixel size an image's header states, as the picture is shown (a JPEG's EXIF turn of
 * 90° swaps its sides: a phone holds a page upright and stores it lying): PNG, JPEG, GIF,
 * BMP, a TIFF's first picture. Null where it is not found (a header cut short or
 * malformed): such a picture is bounded by img2pdf's own limit on pixels and by the time
 * limit.
 */
export function imageSize(b: Uint8Array, type: string): Size | null {
  const be16 = (i: number) => (b[i] << 8) | b[i + 1];
  const le16 = (i: number) => b[i] | (b[i + 1] << 8);
  const be32 = (i: number) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
  const le32 = (i: number) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
  /** Tags of the first directory of a TIFF structure starting at `at` (a TIFF file, a JPEG's EXIF): SHORT or LONG values. */
  const tiffTags = (at: number): Map<number, number> => {
    const found = new Map<number, number>();
    if (at + 8 > b.length) return found;
    const little = b[at] === 0x49;
    const u16 = (i: number) => (little ? le16 : be16)(at + i);
    const u32 = (i: number) => (little ? le32 : be32)(at + i);
    const ifd = u32(4);
    if (at + ifd + 2 > b.length) return found;
    for (let k = 0, n = u16(ifd); k < n && at + ifd + 2 + (k + 1) * 12 <= b.length; k++) {
      const e = ifd + 2 + k * 12;
      found.set(u16(e), u16(e + 2) === 3 ? u16(e + 8) : u32(e + 8));
    }
    return found;
  };
  if (type === "PNG") return b.length >= 24 ? { width: be32(16), height: be32(20) } : null;
  if (type === "GIF") return b.length >= 10 ? { width: le16(6), height: le16(8) } : null;
  if (type === "BMP") return b.length >= 26 ? { width: le32(18), height: Math.abs(le32(22) | 0) } : null;
  if (type === "TIFF") {
    // ImageWidth (256) and ImageLength (257).
    const tags = tiffTags(0);
    const width = tags.get(256), height = tags.get(257);
    return width !== undefined && height !== undefined ? { width, height } : null;
  }
  if (type === "JPEG") {
    // Segments from after SOI: an APP1 EXIF's Orientation (274; 5–8 are turned 90°), then the
    // first start-of-frame marker (C0–CF but C4, C8, CC), which holds the size.
    let turned = false;
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1];
      if (marker === 0xff) {
        i++;
        continue;
      }
      if (marker === 0xe1 && String.fromCharCode(...b.subarray(i + 4, i + 10)) === "Exif\0\0") turned = (tiffTags(i + 10).get(274) ?? 1) >= 5;
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        const width = be16(i + 7), height = be16(i + 5);
        return turned ? { width: height, height: width } : { width, height };
      }
      i += 2 + be16(i + 2);
    }
  }
  return null;
}
