// The template's six section headings (一、总体情况 … 六、其他需要报告的事项), recognised
// however a report words them. Readers use it to tell headings from table rows; the
// mapping uses it to split the report into sections.
import { cleanText, fold } from "./text.js";
import { SECTION_TITLES } from "../data/template.js";

const SECTION_HEADING = /^\s*([一二三四五六])\s*[、.．，,]\s*(.+)$/;
/**
 * Whether a text can be a heading at all: its first character past spaces, invisible
 * characters and `#` is a section's number, or the `[` of a marker cleanText drops.
 * Most texts a parse asks about (paragraphs, rows, lines) fail here at their first
 * character, without cleaning a whole paragraph first. It never rejects a text
 * SECTION_HEADING would match once cleaned.
 */
const MAY_BE_HEADING = /^[\s\u200b-\u200f\u2060\u00ad#]*[一二三四五六[]/;
const CN_NUM: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };

/** Words a section's heading carries however it is worded (key words of the template's titles). */
const SECTION_KEYWORDS: string[][] = [
  ["总体情况", "概述", "基本情况"],
  ["主动公开"],
  ["收到和处理", "依申请公开", "申请情况"],
  ["行政复议", "行政诉讼"],
  ["存在的主要问题", "改进情况", "主要问题"],
  ["其他需要报告", "其他事项", "其他需报告"],
];

/**
 * The number of a section heading (`三、收到和处理政府信息公开申请情况` → 3), or null.
 * The title must carry its section's key words and no figures, so rows of table 3
 * such as `二、上年结转政府信息公开申请数量 0 0 0` or `三、本年度办理结果` are not headings.
 */
export function sectionHeading(text: string): { number: number; title: string } | null {
  if (!MAY_BE_HEADING.test(text)) return null;
  const m = SECTION_HEADING.exec(cleanText(text).replace(/^#+\s*/, "").trim());
  if (!m) return null;
  const number = CN_NUM[m[1]];
  const title = m[2].trim().replace(/[：:]$/, "");
  const f = fold(title);
  if (/\d/.test(f) || f.length > SECTION_TITLES[number - 1].length + 12) return null;
  if (SECTION_KEYWORDS[number - 1].some((k) => f.includes(k))) return { number, title };
  // Renumbered (a section inserted, a converter's own numbering): read by its title when the
  // title is the template's own, word for word.
  const byTitle = SECTION_TITLES.findIndex((t) => fold(t) === f);
  return byTitle === -1 ? null : { number: byTitle + 1, title };
}

