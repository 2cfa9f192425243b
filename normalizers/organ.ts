// Organ identity: the same body prints its name differently across years
// (`硚口区经科局` one year, `硚口区经济信息化和科技创新局` the next). Names are kept as
// printed; this gives a stable key per region to link a body's reports.
import { simplifiedView } from "../model/traditional.js";
import { CONVENTIONAL_STEMS, PLACE_WORD, SAME_BODY_TAIL } from "../data/body-names.js";

/**
 * Who a body belongs to, printed before its place (中共硚口区委宣传部, 国家税务总局武汉市
 * 硚口区税务局): not part of the name the body is known by in its region.
 */
const OWNER_PREFIX = /^(?:中共|中国共产党|国家税务总局)(?=\p{Script=Han}{3,})/u;

/** The government a street office or town stands under, printed before it (人民政府汉正街道办事处). */
const GOVERNMENT_BEFORE_PLACE = /^(?:人民政府|政府)(?=\p{Script=Han}{2,}(?:街道|镇|乡|苏木))/u;

/**
 * The name without the region's own name in front and without spaces, in Simplified
 * characters (a key, not a name as printed): 礄口區商務局, a portal's 繁体 copy of
 * 硚口区商务局's report, is the same body. Also without who it belongs to (中共, 国家税务总局),
 * the government a street office stands under, and the region's level printed alone
 * (区商务局 in 硚口区: the district's 商务局; not 区委, the district's party committee).
 */
export function bareName(name: string, regionNames: (string | null | undefined)[] = []): string {
  let n = simplifiedView(name.normalize("NFKC")).replace(/\s+/g, "").replace(OWNER_PREFIX, "");
  const regions = regionNames.filter((x): x is string => !!x);
  // Strip the region's names at the front, longest first (湖北省武汉市硚口区商务局 → 商务局).
  let changed = true;
  while (changed) {
    changed = false;
    for (const r of [...regions].sort((a, b) => b.length - a.length)) {
      if (n.startsWith(r) && n.length > r.length + 1) {
        n = n.slice(r.length);
        changed = true;
      }
    }
  }
  // The level of the most local of the region's names, printed alone in front (区商务局).
  const level = regions.length ? regions[regions.length - 1].slice(-1) : null;
  if (level && /[省市州区县旗]/.test(level) && n.startsWith(level) && n.length > 3 && n[1] !== "委") n = n.slice(1);
  return n.replace(GOVERNMENT_BEFORE_PLACE, "");
}

/** A body's kind: the last characters that say what sort of body it is (of a name in its canonical form). */
const KIND = /(政府|办事处|局|委|办|厅|部|中心|院|所|处|署|站|队|馆|会)$/;

/**
 * A name in the form its kinds are compared in: the long words for a kind in their short
 * ones (委员会 → 委, 办公室 → 办, 人民政府 → 政府; 管委会 → 管理委, as 管理委员会 becomes), and a town's or
 * street's government or office as the place itself (易家镇人民政府 → 易家镇, 汉正街道办事处
 * → 汉正街道).
 */
export function canonicalName(name: string): string {
  return name
    .replace(/(镇|乡|街道|苏木)(?:人民政府|政府|办事处)$/, "$1")
    .replace(/人民政府/g, "政府")
    .replace(/管委会$/, "管理委")
    .replace(/委员会$/, "委")
    .replace(/办公室$/, "办");
}

/** The place a name still carries in front (a zone, or a district where no region stripped it): 城区商务局 → 城区. */
const PLACE_PREFIX = /^\p{Script=Han}{1,8}?(?:区|县|旗)(?=\p{Script=Han})/u;

/**
 * Whether `short` is another name of the body `long` names, shorter: the same name in its
 * canonical form (卫生健康委员会 and 卫生健康委; 人民政府办公室 and 政府办; 易家镇人民政府 and
 * 易家镇), or an abbreviation of a body of the same kind (经科局 ← 经济信息化和科技创新局,
 * 卫健委 ← 卫生健康委员会, 人防办 ← 人民防空办公室): the short stem's characters in the long
 * one in order, the first kept. Never where they name two bodies: a short stem of fixed
 * meaning standing for other words (国资局 is not 国土资源局, data/body-names.ts); a
 * whole stem with more after it than its body's own name adds (税务局 is not 税务稽查局,
 * 农业局 not 农业机械管理局; 应急局 is 应急管理局); two places (杨家镇 is not 杨家坪镇, 城区
 * not 城关区). Only used among bodies of one region.
 */
export function isAbbreviationOf(short: string, long: string): boolean {
  if (short === long || short.length >= long.length) return false;
  const cs = canonicalName(short);
  const cl = canonicalName(long);
  if (cs === cl) return true;
  if (PLACE_WORD.test(cs) || PLACE_WORD.test(cl)) return false;
  const ps = PLACE_PREFIX.exec(cs)?.[0];
  const pl = PLACE_PREFIX.exec(cl)?.[0];
  if (ps && pl && ps !== pl) return false;
  // A zone's committee printed as 管委会 alone: the one such committee of its region, where there is one.
  if (cs === "管理委") return cl.endsWith("管理委");
  const ks = KIND.exec(cs)?.[1];
  const kl = KIND.exec(cl)?.[1];
  if (!ks || ks !== kl) return false;
  const s = cs.slice(0, -ks.length);
  const l = cl.slice(0, -kl.length);
  if (!s || s[0] !== l[0]) return false;
  const fixed = CONVENTIONAL_STEMS[s];
  if (fixed) return fixed.some((f) => l.startsWith(f));
  if (l.startsWith(s)) return SAME_BODY_TAIL.test(l.slice(s.length));
  let j = 0;
  for (const ch of l) if (j < s.length && ch === s[j]) j++;
  return j === s.length;
}

/**
 * The key that links a body's reports: region code + bare name, where a name that is
 * another name of exactly one known name of the same region takes that name's key. A name
 * standing for several known names links to none, unless those are all one name in other
 * forms (汉正街道办事处, 汉正街道办): then the longest.
 */
export function organKey(regionCode: string | null, bare: string, knownBareNames: string[]): string {
  // The full name is the stable one; an abbreviation that could stand for two known
  // names links to neither. The store recomputes keys of a region when a name arrives,
  // so a full name ingested after its abbreviation still links both.
  const longer = knownBareNames.filter((k) => isAbbreviationOf(bare, k));
  const one = new Set(longer.map(canonicalName)).size === 1;
  const key = longer.length === 1 ? longer[0] : longer.length > 1 && one ? [...longer].sort((a, b) => b.length - a.length || (a < b ? -1 : 1))[0] : bare;
  return `${regionCode ?? "unplaced"}:${key}`;
}

/** A name as printed, compared without width variants or spaces (平潭县 人民政府 = 平潭县人民政府). */
export function printedName(name: string): string {
  return name.normalize("NFKC").replace(/\s+/g, "");
}
