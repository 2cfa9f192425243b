// The package's core properties (docProps/core.xml): the title an Office file states, for
// the DOCX and XLSX readers alike.
import { ExtractError, type Diagnostic } from "../../model/document.js";
import type { Limits } from "../../model/limits.js";
import type { ZipArchive } from "../../model/zip.js";
import { decodeXml, find, parseXml, textOf } from "./xml.js";

/**
 * dc:title of the core-properties part (`named` by the package's relationships, else
 * docProps/core.xml), or undefined. An unreadable part is a warning under `source`; a zip
 * bound tripped while reading it is thrown.
 */
export function coreTitle(zip: ZipArchive, named: string | undefined, limits: Limits, diagnostics: Diagnostic[], source: string): string | undefined {
  const entry = (named && zip.find(named)) || zip.find("docProps/core.xml");
  if (!entry) return undefined;
  try {
    const tree = parseXml(decodeXml(zip.read(entry)), entry.name, limits.maxNestingDepth);
    const t = find(tree, "dc:title");
    const title = t ? textOf(t).replace(/\s+/g, " ").trim() : "";
    return title || undefined;
  } catch (e) {
    if (e instanceof ExtractError && (e.code === "zip-bomb" || e.code === "corrupt-zip")) throw e;
    diagnostics.push({ severity: "warning", source, message: `${entry.name} is unreadable: ${(e as Error).message}` });
    return undefined;
  }
}
