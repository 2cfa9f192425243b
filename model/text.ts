// Repairs of what conversion does to text, shared by every format: Word bookmark
// markers, zero-width and no-break spaces, full-width forms. Prose keeps its
// characters; folding (NFKC, Traditional as Simplified, no spaces) is only for comparing
// labels and reading numbers.
import { simplifiedView } from "./traditional.js";

const BOOKMARK = /\[bookmark:\s*[^\]]*\]/g;
const INVISIBLE = /[\u200b-\u200f\u2060\ufeff\u00ad]/g;

/** Any character cleanText changes (a marker opens with `[`): most text has none, and is returned after one scan. */
const CLEANED = /[[\u200b-\u200f\u2060\ufeff\u00ad\u00a0\u3000\u2002-\u200a\u2e80-\u2fdf]/;

/**
 * Radicals (the Kangxi and CJK Radicals Supplement blocks) stand in a report only where a
 * PDF's font maps an ideograph's glyph to its radical look-alike (Chromium's print with a
 * CJK font: 一 read as ⼀ U+2F00, 民 as ⺠, 门 as ⻔), which hides every label and name. Each
 * is read as the ideograph a Simplified Chinese font draws for it: a Kangxi radical as its
 * compatibility decomposition (NFKC) but where that is the traditional form (⼾ 戶 → 户);
 * a supplement radical by this table (those with no decomposition). Radicals not listed
 * are left as they are.
 */
const RADICAL_IDEOGRAPH: Record<string, string> = {
  "\u2f3e": "户", "\u2fad": "青", "\u2fc8": "黄",
  "\u2ea0": "民", "\u2ea9": "王", "\u2ec4": "西", "\u2ec5": "见", "\u2ec6": "角", "\u2ec8": "讠", "\u2ec9": "贝",
  "\u2ecb": "车", "\u2ecf": "阝", "\u2ed3": "长", "\u2ed4": "门", "\u2ed6": "阝", "\u2ed8": "青", "\u2ed9": "韦",
  "\u2eda": "页", "\u2edb": "风", "\u2edc": "飞", "\u2edd": "食", "\u2ee0": "饣", "\u2ee2": "马", "\u2ee3": "骨",
  "\u2ee4": "鬼", "\u2ee5": "鱼", "\u2ee6": "鸟", "\u2ee7": "卤", "\u2ee8": "麦", "\u2ee9": "黄", "\u2eea": "黾",
  "\u2eec": "齐", "\u2eee": "齿", "\u2ef0": "龙",
};
const RADICAL = /[\u2e80-\u2fdf]/g;
const radicalIdeograph = (r: string) => RADICAL_IDEOGRAPH[r] ?? r.normalize("NFKC");

/** Radicals read as the ideographs they stand for (see RADICAL_IDEOGRAPH); other text as it is. */
export function ideographsForRadicals(s: string): string {
  return RADICAL_TEST.test(s) ? s.replace(RADICAL, radicalIdeograph) : s;
}
const RADICAL_TEST = /[\u2e80-\u2fdf]/;

/** Clean text as printed: drop markers and invisible characters, unify spaces, radicals read as ideographs. */
export function cleanText(s: string): string {
  if (!CLEANED.test(s)) return s;
  return s.replace(BOOKMARK, "").replace(INVISIBLE, "").replace(/[\u00a0\u3000\u2002-\u200a]/g, " ").replace(RADICAL, radicalIdeograph);
}

/** Text fold() returns as it is: printable ASCII but space and quotes (NFKC leaves ASCII alone; no marker without `[`). */
const FOLDED = /^[!#-&(-Z\\\]-~]*$/;

/**
 * Fold text for comparison: NFKC (full-width digits, letters and brackets to ASCII),
 * Traditional characters as Simplified (model/traditional.ts), no whitespace, no quotes.
 * `（一）` and `(一)` fold alike; so do `０` and `0`, and `予以公開` and `予以公开`.
 */
export function fold(s: string): string {
  if (FOLDED.test(s)) return s;
  if (s.length > FOLD_MEMO_CHARS) return folded(s);
  let f = foldMemo.get(s);
  if (f === undefined) {
    if (foldMemo.size >= FOLD_MEMO_ENTRIES) foldMemo.clear();
    foldMemo.set(s, (f = folded(s)));
  }
  return f;
}

function folded(s: string): string {
  return simplifiedView(cleanText(s).normalize("NFKC"))
    .replace(/\s+/g, "")
    .replace(/[“”"'‘’「」『』〝〞]/g, "");
}

// The mapping folds the same labels and cells many times over (each against every row of
// the template, a report after report of one template): short texts' folds are kept,
// at most FOLD_MEMO_ENTRIES of them (then forgotten at once), so memory stays bounded.
const FOLD_MEMO_CHARS = 120;
const FOLD_MEMO_ENTRIES = 20_000;
const foldMemo = new Map<string, string>();

/** Fold for label matching: also drop punctuation, so `1.属于` and `1、属于` agree. */
export function foldLabel(s: string): string {
  return fold(s).replace(/[()（）【】\[\]〔〕、.．。,，:：;；!！?？·•\-—–_/|*#]/g, "");
}

/**
 * Whether a text names information disclosure (信息公开; 資訊公開 and 信息公開 in Traditional
 * characters), spaces aside: a report's title does. Readers ask it before costly work on
 * a document that may be no report (OCR of the pictures of a notice or a brochure).
 */
export const namesDisclosure = (text: string): boolean => /[信資资][息訊讯]公[开開]/.test(text.replace(/\s+/g, ""));

/** What opens a numbered item: 一、 / （三） / 1. (a decimal such as 1.5 does not). */
export const ITEM_NUMBER = /^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[、.．](?!\d))/;

/** Han characters, for deciding how to join wrapped lines. */
export const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * Join two pieces of a line that a converter broke: Chinese text joins with nothing,
 * Latin words and numbers keep one space between them.
 */
export function joinWrapped(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  const last = a[a.length - 1];
  const first = b[0];
  if (/[A-Za-z0-9]/.test(last) && /[A-Za-z0-9]/.test(first)) return `${a} ${b}`;
  return a + b;
}

/** Levenshtein distance, bounded: returns max+1 as soon as the distance exceeds max. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // Two rows of the table, reused from call to call (label matching calls this thousands of times).
  if (rowA.length <= b.length) {
    rowA = new Int32Array(b.length * 2 + 2);
    rowB = new Int32Array(b.length * 2 + 2);
  }
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      let d = prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const del = prev[j] + 1;
      const ins = cur[j - 1] + 1;
      if (del < d) d = del;
      if (ins < d) d = ins;
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[b.length];
}
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
