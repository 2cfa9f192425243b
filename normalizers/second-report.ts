// A document holding a second report after its own: a portal page carrying a body's report
// of this year and, below it, of the year before; a gathering of its departments' reports.
// Its tables read as one report's would give the first report the second's rows (a row
// only the second prints, 行政处罚 | 12, read into the first), so the document is read up to
// where the second begins, and that is said. The second report is not read from it.
import type { Document, Place } from "../model/document.js";
import { sectionHeading } from "../model/sections.js";
import { titleLine } from "./meta.js";

/** How many blocks after a title its report must open in (一、总体情况, 二、主动公开…). */
const OPENS_WITHIN = 6;

/**
 * Where a second report begins: a line reading as a report's title alone, after the first
 * report's body has reached its second section, naming another year or another body than
 * the document's first title where it has one (the same title again is a page's running
 * header), with a report's opening section (一 or 二) in the blocks after it. Null where
 * there is none.
 */
export function secondReport(doc: Document): { index: number; text: string; place?: Place } | null {
  let first: { organ: string | null; year: number | null } | null = null;
  let bodyBegun = false;
  const { blocks } = doc;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (b.kind !== "paragraph") continue;
    const h = sectionHeading(b.text);
    if (h) {
      if (h.number >= 2) bodyBegun = true;
      continue;
    }
    const title = titleLine(b.text);
    if (!title) continue;
    if (!bodyBegun) {
      first ??= title;
      continue;
    }
    if ((first && sameReport(first, title)) || !opensReport(doc, i + 1)) continue;
    return { index: i, text: b.text, place: b.place };
  }
  return null;
}

/**
 * The same year and the same body: one name ending the other (硚口区商务局, 武汉市硚口区商务局),
 * or neither naming one. A title naming a body after one that named none is another report
 * (a gathering whose first report's title left its body out).
 */
function sameReport(a: { organ: string | null; year: number | null }, b: { organ: string | null; year: number | null }): boolean {
  if (a.year !== b.year) return false;
  if (a.organ === null || b.organ === null) return a.organ === b.organ;
  return a.organ.endsWith(b.organ) || b.organ.endsWith(a.organ);
}

/** A report's opening section heading (一 or 二) among the next few blocks. */
function opensReport(doc: Document, from: number): boolean {
  for (const b of doc.blocks.slice(from, from + OPENS_WITHIN)) {
    if (b.kind !== "paragraph") continue;
    const h = sectionHeading(b.text);
    if (h) return h.number <= 2;
  }
  return false;
}
