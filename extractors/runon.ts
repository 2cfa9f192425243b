// Text saved from a portal page with no separator between anything (a crawler's
// get_text()): often the whole report on one line, table cells run together
// (`规章000规范性文件3150…一、本年新收政府信息公开申请数量2100003`). Such a line is cut back
// into lines: the title, the section headings, prose by sentence, and in sections 二 to
// 四 one line per table row, `label digits`, the digits left as one run. Which digits
// are which cell is not decided here: the mapping cuts runs by the template's
// arithmetic (normalizers/split.ts), or leaves them null.
import { ACTIVE_2019, ACTIVE_2021, REQUEST_ROW_DEFS, SECTION_TITLES } from "../data/template.js";
import { sectionHeading } from "../model/sections.js";
import { simplifiedView } from "../model/traditional.js";

// A report printed in Traditional characters is searched on its text folded to Simplified
// (`view`, the same length: model/traditional.ts), and cut at the same places of the line
// as printed.

/** The diagnostic source of a document whose table cells ran together. */
export const RUN_TOGETHER = "text:run-together";

const CN = ["一", "二", "三", "四", "五", "六"];
/** Where each table starts in its section: the first header words. */
const TABLE_START: Record<number, RegExp> = {
  2: /第二十条|信息内容/,
  3: /[（(]本列数据|申请人情况/,
  4: /行政复议/,
};

/** Template row labels, longest first, to find where a row's label starts. */
const LABELS: string[] = [...new Set([...REQUEST_ROW_DEFS, ...ACTIVE_2021, ...ACTIVE_2019].flatMap((d) => d.labels))].sort((a, b) => b.length - a.length);

interface Heading {
  at: number;
  end: number;
  n: number;
}

/** Section headings inside a run-on line, in order, each section once. */
function headings(line: string): Heading[] {
  const out: Heading[] = [];
  let from = 0;
  for (let n = 1; n <= 6; n++) {
    const h = headingIn(line, n, from);
    if (!h) continue;
    out.push(h);
    from = h.end;
  }
  return out;
}

/** How far past its number a heading worded otherwise may end (its 情况 or 事项). */
const WORDED_TITLE_MAX = 36;
/** Each section's number as a heading opens (一、 一. 一．), to search a line with (global: lastIndex set per search). */
const NUMBERED = CN.map((c) => new RegExp(`${c}[、.．]`, "g"));
/** A heading's title worded otherwise: up to its first 情况 or 事项. */
const WORDED_TITLE = new RegExp(`^.{2,${WORDED_TITLE_MAX}}?(?:情况|事项)`);

/**
 * Section n's heading at or after `from`: the template's words, or else (a typo such as
 * 行政法复议, other words such as 因政府信息公开申请行政复议、提起行政诉讼的情况) its number and
 * a title up to its 情况 or 事项 that reads as that section's (model/sections.ts).
 */
function headingIn(line: string, n: number, from: number): Heading | null {
  const exact = `${CN[n - 1]}、${SECTION_TITLES[n - 1]}`;
  const at = line.indexOf(exact, from);
  if (at !== -1) return { at, end: at + exact.length, n };
  const numbered = NUMBERED[n - 1];
  numbered.lastIndex = from;
  for (let m = numbered.exec(line); m; m = numbered.exec(line)) {
    const title = WORDED_TITLE.exec(line.slice(m.index + m[0].length, m.index + m[0].length + WORDED_TITLE_MAX + 2));
    if (title && sectionHeading(m[0] + title[0])?.number === n) return { at: m.index, end: m.index + m[0].length + title[0].length, n };
  }
  return null;
}

/** A line that holds a whole report run together: long, with at least three section headings. */
export function isRunOn(line: string): boolean {
  return line.length > 300 && headings(simplifiedView(line)).length >= 3;
}

/** Prose cut at sentence ends, one paragraph a sentence, blank lines between. */
function sentences(text: string): string[] {
  const out: string[] = [];
  for (const s of text.split(/(?<=[。！？])/)) if (s.trim()) out.push(s.trim(), "");
  return out;
}

/** A table's text cut into rows: `label digits`, header words on lines of their own (labels found in `view`, the text as matched). */
function tableLines(text: string, section: number, view = text): { rows: string[]; rest: string } {
  const rows: string[] = [];
  // A run of digits with any sign, dash or slash inside or around it (`348-6672`, `—12`):
  // such a run is kept whole, so the mapping never cuts it (only plain digits are cut).
  // Digits with blanks between (`230 000023`: a cell's own spaces) are one row's: only a
  // label starts a row. The blanks stay, as boundaries no cell crosses.
  const NUM = /[-−－—–/／]*\d+(?:\.\d+)?(?:[-−－—–/／]+\d*(?:\.\d+)?|[ \u00a0\u3000]+\d+(?:\.\d+)?)*/g;
  let pos = 0;
  let carry = ""; // an item number cut off the end of the previous run (`…20000022.没有…`)
  let m: RegExpExecArray | null;
  while ((m = NUM.exec(text))) {
    let digits = m[0];
    const after = text.slice(m.index + digits.length, m.index + digits.length + 2);
    // `1.属于国家秘密` right after a group label: an item number, part of the label.
    if (/^[.、．][\u4e00-\u9fff]/.test(after) && digits.length === 1 && !carry) continue;
    let label = carry + text.slice(pos, m.index);
    const labelView = carry + view.slice(pos, m.index);
    carry = "";
    if (/[。！？]/.test(label)) {
      // Prose after the table: the table ended before it.
      return { rows, rest: text.slice(pos) };
    }
    if (/^[.、．][\u4e00-\u9fff]/.test(after) && !digits.includes(".") && digits.length > 1) {
      // The next item's number follows the digits: `1.`…`8.` is one digit.
      carry = digits.slice(-1);
      digits = digits.slice(0, -1);
    }
    pos = m.index + m[0].length;
    // Cut header words off the front of the label: the longest template label it ends with.
    const bare = label.replace(/\s+/g, "");
    const bareView = labelView.replace(/\s+/g, "");
    const known = LABELS.find((l) => bareView.endsWith(l.replace(/\s+/g, "")))?.replace(/\s+/g, "");
    if (known && bare.length > known.length) {
      rows.push(bare.slice(0, bare.length - known.length));
      label = bare.slice(bare.length - known.length);
    } else label = bare;
    if (section === 4 && !known) {
      if (label) rows.push(label);
      rows.push(digits);
    } else rows.push(label ? `${label} ${digits}` : digits);
  }
  return { rows, rest: carry + text.slice(pos) };
}

/**
 * Where a section's table starts: the first header word that is not inside a sentence
 * (`…行政复议、行政诉讼情况如下。` is prose; `行政复议行政诉讼结果维持…` is the table).
 */
function tableStart(body: string, n: number): { index: number } | null {
  const re = TABLE_START[n];
  if (!re) return null;
  const g = new RegExp(re.source, "g");
  for (const m of body.matchAll(g)) {
    const next = body.slice(m.index).search(/\d/);
    const upto = next === -1 ? body.slice(m.index) : body.slice(m.index, m.index + next);
    if (!/[。！？]/.test(upto)) return { index: m.index! };
  }
  return null;
}

/** Cut a run-on report line into the lines a PDF's text would have. */
export function unrunLine(line: string): string[] {
  const view = simplifiedView(line);
  const hs = headings(view);
  const out: string[] = [];
  const lead = line.slice(0, hs[0].at);
  const head = lead.trim();
  // The title ends at its first 报告; the preamble follows.
  const t = view.slice(lead.length - lead.trimStart().length, hs[0].at).search(/报告/);
  if (t !== -1 && t < 80) {
    out.push(head.slice(0, t + 2), "");
    out.push(...sentences(head.slice(t + 2)));
  } else out.push(...sentences(head));
  hs.forEach((h, i) => {
    const end = i + 1 < hs.length ? hs[i + 1].at : line.length;
    const body = line.slice(h.end, end);
    const bodyView = view.slice(h.end, end);
    out.push(line.slice(h.at, h.end), "");
    const start = tableStart(bodyView, h.n);
    if (!start) {
      out.push(...lastSentenceSplit(body));
      return;
    }
    out.push(...sentences(body.slice(0, start.index)));
    const { rows, rest } = tableLines(body.slice(start.index), h.n, bodyView.slice(start.index));
    out.push(...rows, "");
    out.push(...lastSentenceSplit(rest));
  });
  return out;
}

/** Sentences, with what follows the last one (a signature and its date) on lines of its own. */
function lastSentenceSplit(text: string): string[] {
  const out = sentences(text);
  const last = out.length >= 2 ? out[out.length - 2] : "";
  if (last && !/[。！？]$/.test(last)) {
    // `硚口区商务局2025年1月20日`: the organ on one line, the date on the next.
    const d = /(\d{4}|[〇零一二三四五六七八九OＯ]{4})\s*年.*日$/.exec(last);
    if (d && d.index > 0) out.splice(out.length - 2, 1, last.slice(0, d.index), "", last.slice(d.index));
  }
  return out;
}
