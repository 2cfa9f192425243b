// A part's relationships (OOXML packaging): the package's own (_rels/.rels: which part is
// the document, which its properties) and a part's (word/_rels/document.xml.rels: its
// pictures, links). Internal targets only, each resolved to the part name it points at.
import type { Limits } from "../../model/limits.js";
import type { ZipArchive } from "../../model/zip.js";
import { attr, decodeXml, kids, parseXml, tagOf } from "./xml.js";

export interface Relationship {
  id: string;
  type: string;
  /** The part targeted, as named in the zip (`word/media/image1.png`). */
  part: string;
}

/**
 * The internal relationships of `part` (`""`: the package's own), in order; null where the
 * part has no relationships entry. Throws what reading the entry throws (zip bounds as
 * ExtractError, malformed XML): callers decide what an unreadable one means.
 */
export function relationshipsOf(zip: ZipArchive, part: string, limits: Limits): Relationship[] | null {
  const slash = part.lastIndexOf("/");
  const dir = slash >= 0 ? part.slice(0, slash) : "";
  const entry = zip.find(`${dir ? `${dir}/` : ""}_rels/${part.slice(slash + 1)}.rels`);
  if (!entry) return null;
  const tree = parseXml(decodeXml(zip.read(entry)), entry.name, limits.maxNestingDepth);
  const root = tree.find((n) => tagOf(n).endsWith("Relationships"));
  const out: Relationship[] = [];
  for (const r of root ? kids(root) : []) {
    const target = attr(r, "Target");
    if (!tagOf(r).endsWith("Relationship") || !target || attr(r, "TargetMode") === "External") continue;
    const resolved = resolvePart(dir, target);
    if (resolved) out.push({ id: attr(r, "Id") ?? "", type: attr(r, "Type") ?? "", part: resolved });
  }
  return out;
}

/** A target as a part name: `media/image1.png` from word/ is word/media/image1.png; `/word/…` is from the root. */
function resolvePart(dir: string, target: string): string {
  const parts = target.startsWith("/") ? [] : dir.split("/").filter(Boolean);
  for (const seg of target.split("/")) {
    if (!seg || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return parts.join("/");
}
