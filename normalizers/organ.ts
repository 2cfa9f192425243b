// Organ identity: the same body prints its name differently across years
// (`硚口区经科局` one year, `硚口区经济信息化和科技创新局` the next). Names are kept as
// printed; this gives a stable key per region to link a body's reports.
import { simplifiedView } from "../model/traditional.js";

/**
 * The name without the region's own name in front and without spaces, in Simplified
 * characters (a key, not a name as printed): 礄口區商務局, a portal's 繁体 copy of
 * 硚口区商务局's report, is the same body.
 */
export function bareName(name: string, regionNames: (string | null | undefined)[] = []): string {
  let n = simplifiedView(name.normalize("NFKC")).replace(/\s+/g, "");
  // Strip the region's names at the front, longest first (湖北省武汉市硚口区商务局 → 商务局).
  let changed = true;
  while (changed) {
    changed = false;
    for (const r of regionNames.filter((x): x is string => !!x).sort((a, b) => b.length - a.length)) {
      if (n.startsWith(r) && n.length > r.length + 1) {
        n = n.slice(r.length);
        changed = true;
      }
    }
  }
  return n;
}

/** A body's kind: the last characters that say what sort of body it is. */
const KIND = /(人民政府|政府|委员会|办公室|办事处|管理委员会|局|委|办|厅|部|中心|院|所|处|署|站|队|馆|会)$/;

/**
 * Whether `short` is an abbreviation of `long`: same kind of body, and the short
 * name's characters appear in the long one in order, each word's first character
 * kept (经科局 ← 经济信息化和科技创新局). Only used among bodies of one region.
 */
export function isAbbreviationOf(short: string, long: string): boolean {
  if (short === long || short.length >= long.length) return false;
  const ks = KIND.exec(short)?.[1];
  const kl = KIND.exec(long)?.[1];
  if (!ks || ks !== kl) return false;
  const s = short.slice(0, -ks.length);
  const l = long.slice(0, -kl.length);
  if (!s || s[0] !== l[0]) return false;
  let j = 0;
  for (const ch of l) if (j < s.length && ch === s[j]) j++;
  return j === s.length;
}

/**
 * The key that links a body's reports: region code + bare name, where a name that
 * abbreviates exactly one other known name of the same region takes that name's key.
 */
export function organKey(regionCode: string | null, bare: string, knownBareNames: string[]): string {
  // The full name is the stable one; an abbreviation that could stand for two known
  // names links to neither. The store recomputes keys of a region when a name arrives,
  // so a full name ingested after its abbreviation still links both.
  const longer = knownBareNames.filter((k) => isAbbreviationOf(bare, k));
  return `${regionCode ?? "unplaced"}:${longer.length === 1 ? longer[0] : bare}`;
}

/** A name as printed, compared without width variants or spaces (平潭县 人民政府 = 平潭县人民政府). */
export function printedName(name: string): string {
  return name.normalize("NFKC").replace(/\s+/g, "");
}
