// Which extractor reads a file: decided by its bytes, not its name (portals serve
// PDFs as .htm and DOCX as .doc); the name only breaks ties.
import { ExtractError } from "../model/document.js";
import type { Format } from "../model/record.js";
import type { Extractor } from "./types.js";
import { looksBinary } from "./text.js";
import { isOleCompound, looksLikeHtml, looksLikePdf, looksLikeZip } from "./signatures.js";

export type Kind = Format | "legacy-word";
export interface Sniffed {
  kind: Kind;
}

export function sniff(bytes: Uint8Array, name: string): Sniffed {
  if (looksLikePdf(bytes)) return { kind: "pdf" };
  if (looksLikeZip(bytes)) return { kind: "docx" };
  if (isOleCompound(bytes)) return { kind: "legacy-word" };
  if (/\.(docx?|wps|pdf)$/i.test(name) && looksBinary(bytes))
    throw new ExtractError(`the file is named ${name.split(".").pop()} but its bytes are not that format`, "corrupt");
  if (looksBinary(bytes)) throw new ExtractError("the file is binary and not a format xxgk reads (DOCX, PDF, HTML, text)", "binary");
  if (looksLikeHtml(bytes, name)) return { kind: "html" };
  return { kind: "text" };
}

/** Loaded on first use: a batch of text files never pays for pdfjs. */
export async function extractorFor(kind: Kind): Promise<Extractor> {
  switch (kind) {
    case "text":
      return (await import("./text.js")).extractText;
    case "html":
      return (await import("./html.js")).extractHtml;
    case "pdf":
      return (await import("./pdf.js")).extractPdf;
    case "docx":
      return (await import("./docx.js")).extractDocx;
    case "legacy-word":
      return (await import("./legacy-word.js")).extractLegacyWord;
    default:
      throw new ExtractError(`no extractor for ${kind} yet`, "unsupported");
  }
}
