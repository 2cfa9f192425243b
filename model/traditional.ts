// Reports printed in Traditional characters (繁體: a portal's 繁体 version of every page, a
// Big5 page) are read by folding their text to Simplified where it is MATCHED: template
// labels, section headings, the title/year/date/organ patterns, region names. What the
// record stores (organ, title, provenance text) is always cut from the printed text.
//
// The fold is one character for one (data/traditional.ts, derived from OpenCC), so a folded
// text keeps every offset of the printed one: a pattern runs on the fold and its groups are
// cut from the printed text at the same places (execPrinted). A text without a
// Traditional-only character is its own fold, returned after one scan: Simplified text is
// never changed, and the table's maps are made only when a Traditional text first comes.
import { SHARED_PAIRS, TRADITIONAL_ONLY_PAIRS, TRADITIONAL_WORDS } from "../data/traditional.js";

let marker: Uint8Array | undefined;
/**
 * Whether a text holds a character only Traditional text writes (開, 報, 區; not 於 or 著).
 * Asked of nearly every string a report is matched on, so it looks each UTF-16 unit up in a
 * table of 65,536 flags rather than running a character class of a thousand members.
 */
export function hasTraditional(s: string): boolean {
  if (!marker) {
    marker = new Uint8Array(0x10000);
    const only = evenChars(TRADITIONAL_ONLY_PAIRS);
    for (let i = 0; i < only.length; i++) marker[only.charCodeAt(i)] = 1;
  }
  for (let i = 0; i < s.length; i++) if (marker[s.charCodeAt(i)]) return true;
  return false;
}

let table: { chars: Map<string, string>; any: RegExp; words: RegExp; word: Map<string, string> } | undefined;
function load() {
  if (table) return table;
  const chars = new Map<string, string>();
  for (const pairs of [TRADITIONAL_ONLY_PAIRS, SHARED_PAIRS]) for (let i = 0; i + 1 < pairs.length; i += 2) chars.set(pairs[i], pairs[i + 1]);
  const word = new Map(TRADITIONAL_WORDS.map(([w, cn]) => [w, cn] as [string, string]));
  return (table = {
    chars,
    any: new RegExp(`[${[...chars.keys()].join("")}]`, "g"),
    words: new RegExp(TRADITIONAL_WORDS.map(([w]) => w).join("|") || "(?!)", "g"),
    word,
  });
}

/** Every other character of a pairs string: the Traditional ones. */
function evenChars(pairs: string): string {
  let out = "";
  for (let i = 0; i < pairs.length; i += 2) out += pairs[i];
  return out;
}

/**
 * The text as it is matched: a Traditional text's characters in Simplified (報告 → 报告, 屬於 →
 * 属于) and Taiwan's words for template words (資訊 → 信息); the same length as the text, each
 * character at its place. A text with no Traditional-only character is returned as it is.
 */
export function simplifiedView(s: string): string {
  if (!hasTraditional(s)) return s;
  const { chars, any, words, word } = load();
  return s.replace(any, (c) => chars.get(c)!).replace(words, (w) => word.get(w)!);
}

const withIndices = new WeakMap<RegExp, RegExp>();

/**
 * `re.exec(text)` as matched on the text's Simplified view, its groups cut from the text as
 * printed at the same offsets (so a name read by a pattern stays as printed). For a text
 * with no Traditional character, exactly `re.exec(text)`. A global or sticky pattern is
 * run from its lastIndex, which it carries on as exec does.
 */
export function execPrinted(re: RegExp, text: string): RegExpExecArray | null {
  if (!hasTraditional(text)) return re.exec(text);
  let d = withIndices.get(re);
  if (!d) withIndices.set(re, (d = re.hasIndices ? re : new RegExp(re.source, `${re.flags}d`)));
  d.lastIndex = re.lastIndex;
  const m = d.exec(simplifiedView(text));
  re.lastIndex = d.lastIndex;
  if (!m) return null;
  const out = m.map((g, i) => (g === undefined ? undefined : text.slice(m.indices![i][0], m.indices![i][1]))) as unknown as RegExpExecArray;
  out.index = m.index;
  out.input = text;
  if (m.groups) {
    const groups: Record<string, string | undefined> = {};
    for (const [name, at] of Object.entries(m.indices!.groups ?? {})) groups[name] = at ? text.slice(at[0], at[1]) : undefined;
    out.groups = groups as Record<string, string>;
  }
  return out;
}

/** `text.replace(re, "")` with the matches found on the text's Simplified view: the rest as printed. */
export function removePrinted(text: string, re: RegExp): string {
  if (!hasTraditional(text)) return text.replace(re, "");
  const view = simplifiedView(text);
  const found = re.global ? [...view.matchAll(re)] : [re.exec(view)].filter((m): m is RegExpExecArray => m !== null);
  let out = "";
  let at = 0;
  for (const m of found) {
    out += text.slice(at, m.index);
    at = m.index + m[0].length;
  }
  return out + text.slice(at);
}
