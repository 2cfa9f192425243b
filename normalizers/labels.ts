// Matching a printed row label to a template row. Real labels differ from the
// template: brackets and numbering typed otherwise, group labels glued in front
// (`三、本年度办理结果（一）予以公开`), lines wrapped, a character mistyped. Matching is
// on folded text (normalizers/text.ts) and says how sure it is.
import { editDistance, foldLabel } from "../model/text.js";
import type { RowDef } from "../data/template.js";

export interface LabelMatch<K extends string> {
  key: K;
  score: number;
  /** The folded label variant that matched. */
  variant: string;
}

interface Prepared<K extends string> {
  key: K;
  variants: string[];
}

export class LabelMatcher<K extends string> {
  private readonly rows: Prepared<K>[];
  /** Labels repeat across thousands of reports: remember each answer (bounded). */
  private readonly cache = new Map<string, LabelMatch<K> | null>();

  constructor(defs: RowDef<K>[]) {
    this.rows = defs.map((d) => ({ key: d.key, variants: d.labels.map(foldLabel).filter(Boolean) }));
  }

  /**
   * Best template row for a printed label, or null. Scores: 1 exact; 0.95 the label
   * ends with a variant (a group label glued in front); 0.9 it starts with one (a note
   * after it); below that, similarity for typos (at least 0.85, long labels only).
   * Short variants (under 4 characters) match only exactly, so `规章` never matches
   * inside prose.
   */
  match(printed: string): LabelMatch<K> | null {
    const cached = this.cache.get(printed);
    if (cached !== undefined) return cached;
    const result = this.compute(printed);
    if (this.cache.size > 20_000) this.cache.clear();
    this.cache.set(printed, result);
    return result;
  }

  private compute(printed: string): LabelMatch<K> | null {
    const whole = this.best(printed);
    if (whole) return whole;
    // A note in brackets after the label (规章(设区的市人民政府提供), 其他对外管理服务事项(指行政许可以外的事项)):
    // the label before it, as sure as a label with a note after it (0.9), where the note
    // itself names no row.
    // Or a definition after a colon (`规章：地方行政规章指…`, a real 2020 report glossing
    // its rows), likewise where the definition itself names no row.
    const note = TRAILING_NOTE.exec(printed) ?? GLOSS.exec(printed);
    if (!note || this.best(note[2])) return null;
    const head = this.best(note[1]);
    return head ? { ...head, score: Math.min(head.score, 0.9) } : null;
  }

  private best(printed: string): LabelMatch<K> | null {
    const label = foldLabel(printed);
    if (!label) return null;
    let best: LabelMatch<K> | null = null;
    let tie = false;
    for (const row of this.rows) {
      let rowBest = 0;
      let rowVariant = "";
      for (const v of row.variants) {
        const s = score(label, v);
        if (s > rowBest) [rowBest, rowVariant] = [s, v];
      }
      if (rowBest === 0) continue;
      if (!best || rowBest > best.score) {
        best = { key: row.key, score: rowBest, variant: rowVariant };
        tie = false;
      } else if (rowBest === best.score && row.key !== best.key) {
        // Equal scores: the longer variant is the more specific reading.
        if (rowVariant.length > best.variant.length) best = { key: row.key, score: rowBest, variant: rowVariant };
        else if (rowVariant.length === best.variant.length) tie = true;
      }
    }
    return best && !tie ? best : null;
  }
}

/** A label, then a note in brackets closing it: the label (two Han characters or more) and the note. */
const TRAILING_NOTE = /^(.*\p{Script=Han}.*\p{Script=Han}.*?)\s*[（(]([^（）()]{2,})[)）]\s*$/u;
/**
 * A label, a colon, then a gloss on it: the label (two Han characters or more, no colon)
 * and the gloss, which holds no digit (`行政许可：全年办理1523件` is a sentence, not a row).
 */
const GLOSS = /^([^:：]*\p{Script=Han}[^:：]*\p{Script=Han}[^:：]*?)\s*[:：]\s*([^\s\d０-９][^\d０-９]+)$/u;

function score(label: string, v: string): number {
  if (label === v) return 1;
  if (v.length < 4) return 0;
  if (label.endsWith(v)) return 0.95;
  if (label.startsWith(v) && label.length <= v.length * 1.6) return 0.9;
  if (v.length >= 6) {
    const maxDist = Math.floor(v.length * 0.15);
    // Compare with the label's tail of the variant's length too: a glued group label
    // in front plus a typo.
    const d1 = editDistance(label, v, maxDist);
    const tail = label.length > v.length ? label.slice(label.length - v.length) : label;
    const d2 = editDistance(tail, v, maxDist);
    const d = Math.min(d1, d2 + (label.length > v.length ? 0 : 0));
    if (d <= maxDist) return 0.85 + 0.04 * (1 - d / Math.max(1, maxDist));
  }
  return numberedSimilarity(label, v);
}

/**
 * The loosest tier (0.80–0.84): a label carrying the same item number as the template
 * row (`2.其他法律行政止公开` for `2.其他法律行政法规禁止公开`, characters missing) whose
 * words share most of the row's (LCS ratio ≥ 0.8, rows of 6+ characters). The item number
 * must agree: similarity alone never picks a row.
 */
export function numberedSimilarity(label: string, v: string): number {
  const a = /^(\d{1,2})(\D.*)$/.exec(label);
  const b = /^(\d{1,2})(\D.*)$/.exec(v);
  if (!a || !b || a[1] !== b[1] || b[2].length < 6 || a[2].length < 4 || a[2].length > b[2].length * 1.5) return 0;
  const sim = (2 * lcs(a[2], b[2])) / (a[2].length + b[2].length);
  return sim >= 0.8 ? 0.8 + (0.04 * (sim - 0.8)) / 0.2 : 0;
}

/** Length of the longest common subsequence (labels are short: O(n·m) is fine). */
function lcs(a: string, b: string): number {
  if (a.length > 200 || b.length > 200) return 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    prev = cur;
  }
  return prev[b.length];
}

/** Whether folded text contains a header word, allowing one typo in words of 5+ characters. */
export function hasWord(text: string, word: string): boolean {
  const t = foldLabel(text);
  const w = foldLabel(word);
  if (t.includes(w)) return true;
  if (w.length < 5) return false;
  // Each window has the word's length, and between strings of one length an edit distance
  // of 1 is one character replaced (an insertion needs a deletion too): count mismatches.
  for (let i = 0; i + w.length <= t.length; i++) {
    let mismatches = 0;
    for (let j = 0; j < w.length && mismatches <= 1; j++) if (t.charCodeAt(i + j) !== w.charCodeAt(j)) mismatches++;
    if (mismatches <= 1) return true;
  }
  return false;
}
