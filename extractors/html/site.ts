// The portal's owner, from the page's footer: government portals print who runs the site
// (主办单位：武汉市硚口区人民政府办公室, 版权所有：福州市鼓楼区人民政府). It is the page's own
// signal of where a body sits when the report's name and text place it nowhere (区商务局,
// or 鼓楼区商务局: four cities have a 鼓楼区). Only the footer is read (a <footer>, or an element
// whose class or id says foot, copyright or bottom), never the article: a report may name
// other bodies anywhere in its text.
import { textOf, type Element } from "./dom.js";
import { execPrinted, removePrinted, simplifiedView } from "../../model/traditional.js";

/** The labelled owner: 主办单位, 主办, 版权所有, 主管单位 (the last only where nothing else is printed). */
const OWNER = /(主办单位|主办|版权所有|主管单位)\s*[：:]\s*(?:©|\(c\)|copyright)?\s*(?:\d{4}\s*)?([\u4e00-\u9fff（）()]{2,40})/gi;
/** Where the owner's name ends when the footer runs on (承办单位 follows on the same line). */
const OWNER_END = /(?:承办|主办|版权|主管|技术支持|维护|地址|电话|邮编|网站标识码|ICP).*$/;

export interface SiteOwner {
  /** The body running the portal, as printed (NFKC). */
  owner: string;
  /** The footer line it was read from. */
  text: string;
}

/**
 * The footer's owner of the site, or null where the page prints none. `footers` are the
 * page's outermost footers in document order (page.ts); a 主办单位/版权所有 line wins over a
 * 主管单位 one, and among lines of one rank the first in the last footer.
 */
export function siteOwner(footers: readonly Element[]): SiteOwner | null {
  let best: { rank: number; owner: SiteOwner } | null = null;
  for (let k = footers.length - 1; k >= 0; k--) {
    for (const line of textOf(footers[k]).normalize("NFKC").split("\n")) {
      // Matched on the line folded to Simplified (主辦單位), the owner kept as printed.
      OWNER.lastIndex = 0;
      for (let m = execPrinted(OWNER, line); m; m = execPrinted(OWNER, line)) {
        const owner = removePrinted(m[2], OWNER_END).trim();
        if (owner.length < 2) continue;
        const rank = simplifiedView(m[1]) === "主管单位" ? 1 : 0;
        if (!best || rank < best.rank) best = { rank, owner: { owner, text: line.trim() } };
      }
    }
  }
  return best?.owner ?? null;
}
