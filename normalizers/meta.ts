// Who issued the report, which year it covers, when it was signed, and its six
// sections, read from the document's own words. Where the document does not say,
// the value is null and a diagnostic says so.
import type { Document, Paragraph, Place } from "../model/document.js";
import type { Section } from "../model/record.js";
import type { ListedOn, ProvenanceEntry, PublishedOnSource, RecordDiagnostic } from "../model/provenance.js";
import { Notes, rowPlace } from "./assemble.js";
import { SECTION_TITLES } from "../data/template.js";
import { sectionHeading } from "../model/sections.js";
import { cleanText, joinWrapped } from "../model/text.js";
import { execPrinted, removePrinted, simplifiedView as matched } from "../model/traditional.js";

// A report printed in Traditional characters is read by the same patterns: each runs on the
// text as matched (Traditional folded to Simplified, model/traditional.ts: `matched`,
// `execPrinted`), and what it reads (a name, a line) is cut from the text as printed.

export interface Meta {
  /** The title as read (lines a converter broke, joined), or null. */
  title: string | null;
  organ: string | null;
  year: number | null;
  publishedOn: string | null;
  /** Where publishedOn was read (PUBLISHED_ON_SOURCES: the signature first, the list page last), or null. */
  publishedOnFrom: PublishedOnSource | null;
  sections: Section[];
  /** Where organ, year and publishedOn were read, and how. */
  provenance: Record<string, ProvenanceEntry>;
  diagnostics: RecordDiagnostic[];
}

/** A page number left in the text by a converter: `3`, `- 3 -`, `第3页 共6页`. */
const PAGE_NUMBER = /^(?:\d{1,3}|[-—–\s]*\d{1,3}[-—–\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+)$/;

const CN_DIGIT: Record<string, number> = { 〇: 0, 零: 0, Ｏ: 0, O: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** `二〇二五` → 2025; `十二` → 12; `三十一` → 31; plain digits pass through. */
export function chineseNumber(s: string): number | null {
  const t = s.normalize("NFKC").trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (/^[〇零一二三四五六七八九OＯ]{4}$/.test(t)) return Number([...t].map((c) => CN_DIGIT[c]).join(""));
  const m = /^([一二三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(t);
  if (!m || (!m[1] && !m[2] && !m[3])) return null;
  if (!m[2]) return m[1] ? CN_DIGIT[m[1]] : null;
  return (m[1] ? CN_DIGIT[m[1]] : 1) * 10 + (m[3] ? CN_DIGIT[m[3]] : 0);
}

const NUM = "(\\d{1,4}|[〇零一二三四五六七八九十OＯ]{1,4})";
const DATE = new RegExp(`${NUM}\\s*年\\s*${NUM}\\s*月\\s*${NUM}\\s*日`);
const DATE_DASHED = /(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})/;

function isoDate(y: number | null, m: number | null, d: number | null): string | null {
  if (y === null || m === null || d === null) return null;
  if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1) return null;
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Full-width digits (０-９, typed in a Chinese input mode) as ASCII, for the patterns below. */
function halfDigits(s: string): string {
  return /[０-９]/.test(s) ? s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)) : s;
}

/** Text as the patterns read it: no whitespace, ASCII digits. */
const compact = (s: string) => halfDigits(s.replace(/\s+/g, ""));

/** Blanks between two Han characters (text set justified: `环 翠 区`), gone. */
const squeezeHan = (s: string) => s.replace(/(?<=\p{Script=Han}) +(?=\p{Script=Han})/gu, "");

export function readDate(printed: string): string | null {
  const text = halfDigits(printed);
  const m = DATE.exec(text);
  if (m) return isoDate(chineseNumber(m[1]), chineseNumber(m[2]), chineseNumber(m[3]));
  const d = DATE_DASHED.exec(text);
  return d ? isoDate(Number(d[1]), Number(d[2]), Number(d[3])) : null;
}

/** Organ, year: `硚口区商务局2024年政府信息公开工作年度报告`, `2023年度XX局政府信息公开工作年度报告`. */
/**
 * A report's title: [1] the body, [2] the year, [3] a body named after the year. The year
 * is the last one before the report's name: a page's header date joined before the title
 * (天津市蓟州区人民政府 2019年12月3日星期二 … 天津市蓟州区2021年…报告) is not the report's year.
 */
const TITLE = /^(.*?)(?:关于)?\s*(\d{4}|[〇零一二三四五六七八九OＯ]{4})\s*年度?\s*((?:(?!(?:\d{4}|[〇零一二三四五六七八九OＯ]{4})\s*年)[^])*?)(?:的)?\s*(?:政府|政务)?\s*信息\s*公开\s*(?:工作)?\s*(?:情况)?\s*(?:的)?\s*(?:年度|年)?\s*(?:工作)?\s*(?:报\s*告|年\s*报)/;
/**
 * The title's other order, the year after the words (示例县民政局政府信息公开工作年度报告（2023年度）,
 * …政府信息公开工作2023年度报告): the same groups as TITLE, group 3 empty.
 */
const TITLE_YEAR_AFTER = [
  /^(.*?)(?:的)?\s*(?:政府|政务)?\s*信息\s*公开\s*(?:工作)?\s*(?:情况)?\s*(?:的)?\s*(?:年度|年)?\s*(?:工作)?\s*(?:报\s*告|年\s*报)\s*[（(]\s*(\d{4}|[〇零一二三四五六七八九OＯ]{4})\s*年度?\s*()[)）]/,
  /^(.*?)(?:的)?\s*(?:政府|政务)?\s*信息\s*公开\s*工作\s*(\d{4}|[〇零一二三四五六七八九OＯ]{4})\s*()年度\s*(?:报\s*告|年\s*报)/,
];

/** A report's last word, in either script, spaced or not: a title has it. */
const REPORT_WORD = /[报報]\s*告|年\s*[报報]/;

/**
 * A line read as a report's title alone (a heading, not a sentence citing one): its body and
 * year, null where it is not one. What follows the title's words may only be its year in
 * brackets or a closing mark.
 */
export function titleLine(line: string): { organ: string | null; year: number | null } | null {
  // Asked of every paragraph: most name no report (报告, 年报; 報 in Traditional text) and end here.
  if (line.length > 160 || !REPORT_WORD.test(line)) return null;
  const t = compact(cleanText(line));
  if (t === "" || t.length > 80 || /^《/.test(t)) return null;
  const m = matchTitle(t);
  if (!m || !/^[（(]?(?:\d{4}年度?)?[)）]?[。.]?$/.test(t.slice(m[0].length))) return null;
  return { organ: cleanOrgan(m[1]) ?? cleanOrgan(m[3]), year: chineseNumber(m[2]) };
}

/** A report's title read from the start of `t` (as printed: Traditional text folded where matched): TITLE, else the year-after forms. */
function matchTitle(t: string): RegExpExecArray | null {
  const m = execPrinted(TITLE, t);
  if (m) return m;
  for (const re of TITLE_YEAR_AFTER) {
    const after = execPrinted(re, t);
    if (after) return after;
  }
  return null;
}
const ORGAN_SUFFIX = /(?:局|委员会|委|办公室|办|人民政府|政府|办事处|街道|中心|院|所|处|厅|部|会|署|站|队|镇|乡|苏木|馆|公司|管理区|区|县|市|州|盟|旗|省|自治区|大学|学院|学校)$/;

/** A portal's home and contents links (首页, 网站首页, 返回首页, 主页, 目录). */
const NAV_WORDS = "(?:网站|返回)?首页|主页|目录";
/** Such links run into the front of a name, with the marks between them. */
const NAV_BEFORE_NAME = new RegExp(`^(?:(?:${NAV_WORDS})[|｜>＞»/·]*)+`);

function cleanOrgan(s: string): string | null {
  const named = cleanText(s)
    .replace(/\s+/g, "")
    // A symbol font's bullet (U+F0B7 from Symbol, a list of links printed beside the title),
    // or any character of the private use area: no part of a name.
    .replace(/\p{Co}/gu, "")
    .replace(/^[•·▪◆◇●○■□►▶→※\-—*]+/, "")
    // A viewer's page label printed before the title (Page 2 - 省交通运输厅…).
    .replace(/^(?:Page|P\.)\d+[-—–:：]/i, "")
    // A portal's home or contents link run into the title (首页硚口区商务局…, 目录首页…, a
    // column of links printed beside the article): no body's name opens with one.
    .replace(NAV_BEFORE_NAME, "")
    .replace(/^[#《“"]+|[》”"：:，,]+$/g, "");
  const t = removePrinted(removePrinted(named, /^关于|关于$/g), /的$/);
  if (t.length < 2 || t.length > 40) return null;
  if (/[，。；：、！？,.;:!?（）()]/.test(t)) return null;
  // A report's own words or a year are in no body's name: lines of two columns run together
  // (a portal page printed with its list of other years' reports beside the article) gave
  // 局2024年政府信息公开工作年硚口区经济信息化和科技创新局.
  if (REPORT_WORDS.test(matched(t))) return null;
  // The body speaking of itself (我局, 本单位, 该委) names no one (本溪 is a city).
  if (SELF_REFERENCE.test(matched(t))) return null;
  if (NOT_A_BODY.test(matched(t))) return null;
  // Latin letters with marks or signs (³~口区商务局: 硚 in GBK read by a converter as GB2312)
  // are in no Chinese body's name: the name was garbled, and is not read.
  if (GARBLED_NAME.test(t)) return null;
  return ORGAN_SUFFIX.test(matched(t)) ? t : null;
}

/** Characters of the Latin-1 supplement and Latin extensions, and replacement marks: a converter's wrong charset, never a Chinese name's. */
const GARBLED_NAME = /[\u0080-\u02ff\ufffd]/;

/** Division names one after another (武汉市, 湖北省武汉市): what may stand before a body's name in its fuller form. */
const PLACES = /^(?:\p{Script=Han}{1,10}?(?:自治区|自治州|自治县|省|市|州|盟|地区|区|县|旗))+$/u;

/** A year, or a report title's own words: never part of a body's name. */
const REPORT_WORDS = /\d{4}\s*年|[〇零一二三四五六七八九OＯ]{4}年|工作年度|年度报告|信息公开工作/;

/**
 * Words that end as a body's name does but name no body: a kind of body alone (开发区,
 * 管委会, 街道办事处: a zone's or a subdistrict's report speaking of itself), or 部署 (决策部署落实情况: a deployment, not a 署).
 */
const NOT_A_BODY = /^(?:开发区|高新区|经开区|园区|管委会|管理委员会|街道|街道办事处|街道办|办事处|社区)$|部署$/;

/** How a body refers to itself in its own report (我局, 我办, 本机关, 本单位, 该局), or to all of its kind (全省, 各县): no one's name. */
const SELF_REFERENCE = /^(?:我|该|本(?!溪)|全(?=省|市|县|区|镇|乡)|各)/;

/**
 * What the caller knows beyond the document: the date beside its link on a portal's list
 * page; the names it was found under (its file name, the text of the link to it), which
 * give its body and year only where the document itself names neither (see fromNames).
 */
export interface MetaHints {
  listedOn?: ListedOn | null;
  names?: readonly string[];
}

/** Whether a text names two different years (not dates: a header's 2019年12月3日): two titles run together. */
const namesTwoYears = (t: string): boolean => new Set([...halfDigits(t).matchAll(/(\d{4})\s*年(?!\s*\d{1,2}\s*月)/g)].map((y) => y[1])).size > 1;

/** A title gathering several bodies' reports (某区2024年各部门政府信息公开工作年度报告, …汇总): no one body's name. */
const GATHERED = /各(?:部门|单位|乡镇|街道|镇街|委办局|级)|汇总|合集|汇编/;

/** A file's extension, and the labels portals put before an attachment's name (附件1：, 附件：). */
const NAME_EXTENSION = /\.[A-Za-z0-9]{1,5}$/;
const NAME_LABEL = /^附件\s*\d*\s*[:：.、\-_]?/;

/**
 * The body and year a name the document was found under gives, read as a report's title
 * (湛江市人民政府地方志办公室2023年政府信息公开工作年度报告.pdf): null where it is not one,
 * or names two years. The body is null where the title names none (2023年政府信息公开工作年度报告.docx).
 */
function titleOfName(name: string): { organ: string | null; year: number } | null {
  const t = removePrinted(compact(cleanText(name.trim().replace(NAME_EXTENSION, ""))), NAME_LABEL);
  const m = matchTitle(t);
  if (!m) return null;
  if (namesTwoYears(t) || GATHERED.test(matched(t))) return null;
  const year = chineseNumber(m[2]);
  if (year === null) return null;
  return { organ: cleanOrgan(m[1]) ?? cleanOrgan(m[3]), year };
}

/**
 * For a document that names no body or no year: the first of the names it was found
 * under that reads as a report's title agreeing with what the document does say (the same
 * year where it states one, the same body where it names one), and what that name adds.
 */
function fromNames(names: readonly string[], organ: string | null, year: number | null): { name: string; organ: string | null; year: number | null } | null {
  for (const name of names) {
    const t = titleOfName(name);
    if (!t) continue;
    if (year !== null && t.year !== year) continue;
    if (organ !== null && t.organ !== null && t.organ !== organ) continue;
    const adds = { name, organ: organ === null ? t.organ : null, year: year === null ? t.year : null };
    if (adds.organ !== null || adds.year !== null) return adds;
  }
  return null;
}

export function readMeta(doc: Document, hints: MetaHints = {}): Meta {
  const notes = new Notes();
  const paras = doc.blocks.filter((b): b is Paragraph => b.kind === "paragraph");
  const kept = paras.map((p) => ({ text: cleanText(p.text).trim(), place: p.place })).filter((p) => p.text !== "");
  const texts = kept.map((p) => p.text);
  const placeOf = (i: number): Place | undefined => kept[i]?.place;
  /** The line(s) a value was read from, as printed. */
  let titleAt: { text: string; place?: Place } | null = null;
  let organAt: { text: string; place?: Place } | null = null;
  let yearAt: { text: string; place?: Place } | null = null;
  let dateAt: { text: string; place?: Place } | null = null;

  // ---- title: the first lines, joined while a converter broke them ----
  let organ: string | null = null;
  let year: number | null = null;
  let titleFound = false;
  let title: string | null = null;
  const titleCandidates: string[] = [];
  /** The index in `texts` of the last line each candidate joins. */
  const candidateEnds: number[] = [];
  let joined = "";
  let firstTitleLine = -1;
  for (let i = 0; i < Math.min(4, texts.length); i++) {
    if (sectionHeading(texts[i]) || /^(根据|依据|按照|本报告)/.test(matched(texts[i]))) break;
    // A page number or running page line (第2页 共5页), or a page's label over the article
    // (正文, 【全文】), is not part of the title.
    if (PAGE_NUMBER.test(matched(halfDigits(texts[i]))) || ARTICLE_LABEL.test(matched(compact(texts[i])))) continue;
    // A portal's navigation link alone on its line (首页, a page saved as Word or PDF with its menu) is not part of the title either.
    if (NAV_ALONE.test(matched(compact(texts[i])))) continue;
    if (firstTitleLine < 0) firstTitleLine = i;
    joined = joinWrapped(joined, texts[i].replace(/^#+\s*/, ""));
    titleCandidates.push(joined);
    candidateEnds.push(i);
  }
  const fromText = titleCandidates.length;
  if (doc.meta.title) titleCandidates.push(cleanText(doc.meta.title));
  for (const [k, t] of titleCandidates.entries()) {
    const printed = withoutRepeatedHead(removePrinted(removePrinted(removePrinted(compact(t), PRINT_STAMP), ARTICLE_LABEL_BEFORE), TITLE_LABEL));
    const m = matchTitle(printed);
    if (!m) continue;
    // Two years (not dates: a page header's 2019年12月3日 may run before a title) in the
    // lines taken for a title: two titles run together (a portal page printed with its list
    // of other years' reports beside the article), neither of which these lines give whole.
    if (namesTwoYears(printed)) continue;
    titleFound = true;
    title = t;
    titleAt = { text: t, place: k < fromText ? placeOf(firstTitleLine) : undefined };
    year = chineseNumber(m[2]);
    organ = cleanOrgan(m[1]) ?? cleanOrgan(m[3]) ?? organAfterTitle(printed.slice(m[0].length), year);
    // A title without its body (2022年政府信息公开工作年度报告) over or under a line that is
    // the body's name alone (桃江县松木塘镇人民政府): that line names it.
    for (const i of organ === null && k < fromText ? [candidateEnds[k] + 1, firstTitleLine - 1] : []) {
      const name = i >= 0 && i < Math.min(5, texts.length) ? organLine(texts[i]) : null;
      if (!name) continue;
      organ = name;
      organAt = { text: texts[i], place: placeOf(i) };
      notes.add("meta.organBesideTitle", "info", `organ not named in the title; read from the line beside it ("${texts[i]}")`, { key: "organ", place: rowPlace(placeOf(i)) });
      break;
    }
    break;
  }
  if (organ === null || chromeBeforeBody(texts)) {
    // Hook (inputs): a page saved from a portal carries its navigation before the title
    // (menus, breadcrumbs, links to other years' reports): the title is the one just above the body.
    const found = titleAfterChrome(texts);
    if (found) {
      ({ title, year, organ } = found);
      titleFound = true;
      titleAt = { text: found.title, place: placeOf(found.index) };
    }
  }

  const body = texts.join("\n");
  // The preamble naming the report gives the body and the year: read once, for either.
  let named: PreambleName | null | undefined;
  const preambleName = () => (named === undefined ? (named = reportNamedInPreamble(texts)) : named);
  if (!organ) {
    const found = organFromBody(texts, preambleName());
    if (found) {
      organ = found.organ;
      organAt = { text: found.evidence, place: placeOf(found.index) };
      notes.add("meta.organFromBody", "info", `organ not named in the title; read from the body ("${found.evidence}")`, { key: "organ", place: rowPlace(placeOf(found.index)) });
    }
  } else organAt ??= titleAt;
  if (year !== null) yearAt = titleAt;
  if (year === null) {
    const stated = preambleName() ?? yearStatedInPreamble(texts);
    const period = stated ? null : execPrinted(PERIOD, compact(body));
    if (stated?.year != null) {
      year = stated.year;
      yearAt = { text: stated.evidence, place: placeOf(stated.index) };
      notes.add("meta.yearFromPreamble", "info", `year not in the title; read from the preamble, which names the report ("${stated.evidence}")`, { key: "year", place: rowPlace(placeOf(stated.index)) });
    } else if (period && (!period[2] || period[2] === period[1])) {
      year = Number(period[1]);
      const at = texts.findIndex((t) => compact(t).includes(period[0]));
      yearAt = { text: period[0], place: at >= 0 ? placeOf(at) : undefined };
      notes.add("meta.yearFromPeriod", "info", `year not in the title; read from the statistics period (${period[1]}年1月1日至12月31日)`, { key: "year", ...(yearAt.place ? { place: rowPlace(yearAt.place) } : {}) });
    } else {
      const overview = yearOfOverview(texts);
      if (overview) {
        year = overview.year;
        yearAt = { text: texts[overview.index], place: placeOf(overview.index) };
        notes.add("meta.yearFromOverview", "info", `year not in the title, the preamble or a statistics period; read from the overview's first sentence ("${texts[overview.index].slice(0, 30)}")`, { key: "year", place: rowPlace(placeOf(overview.index)) });
      }
    }
  }
  // A document that names no body, or states no year: the name it was found under (its
  // file name, the link to it on a portal) where that reads as its title.
  if (organ === null || year === null) {
    const byName = fromNames(hints.names ?? [], organ, year);
    if (byName?.organ) {
      organ = byName.organ;
      organAt = { text: byName.name };
      notes.add("meta.organFromName", "info", `organ: the document does not name its body; read from the name it was found under ("${byName.name}")`, { key: "organ" });
    }
    if (byName?.year) {
      year = byName.year;
      yearAt = { text: byName.name };
      notes.add("meta.yearFromName", "info", `year: the document does not state it; read from the name it was found under ("${byName.name}")`, { key: "year" });
    }
    const garbled = organ === null ? texts.slice(0, OPENING_LINES).find((t) => GARBLED_NAME.test(t) && /\p{Script=Han}/u.test(t)) : undefined;
    if (garbled !== undefined)
      notes.add("meta.organGarbled", "warning", `organ: the report's opening holds characters no Chinese name has ("${garbled.slice(0, 40)}": a converter read its text in a wrong charset); its body is not read: null`, { key: "organ" });
    else if (organ === null) notes.add("meta.noOrgan", "warning", "organ: the report does not name its issuing body in its title, beside it, or in its preamble or signature; null", { key: "organ" });
    if (year === null) notes.add("meta.noYear", "warning", "year: the report does not state the year it covers in its title, its preamble, its statistics period or its overview's first sentence; null", { key: "year" });
  }

  // The statistics period the preamble states is the year the report covers. A title that
  // says another year is kept (a preamble copied from last year's report is the commoner
  // slip), and the two are said side by side for a reader to settle.
  if (year !== null && yearAt === titleAt) {
    const period = execPrinted(PERIOD, compact(body));
    const covered = period && (!period[2] || period[2] === period[1]) ? Number(period[1]) : null;
    if (covered !== null && covered !== year) {
      // Unless the lines read as the title hold numbers after it (a date, another line of
      // the page run into it: 环翠区统计局2022年政府信息公开工作年度报告2023-01-发布时间：2025-01-20,
      // a list of other years' reports printed beside the article): then they were not the
      // title alone, and the period's year is taken.
      const printedTitle = compact(titleAt?.text ?? "");
      const m = matchTitle(printedTitle);
      const joined = m !== null && /\d/.test(printedTitle.slice((m.index ?? 0) + m[0].length));
      const said = `year: the title reads ${year} ("${(titleAt?.text ?? "").slice(0, 60)}"), the statistics period ${covered} ("${period![0]}")`;
      const at = texts.findIndex((t) => compact(t).includes(period![0]));
      if (joined) {
        notes.add("meta.yearConflict", "warning", `${said}; the lines read as the title run on into other text with numbers, so the period's year is taken`, { key: "year", ...(at >= 0 && placeOf(at) ? { place: rowPlace(placeOf(at)) } : {}) });
        year = covered;
        yearAt = { text: period![0], place: at >= 0 ? placeOf(at) : undefined };
      } else notes.add("meta.yearConflict", "warning", `${said}; the title's year is kept`, { key: "year", ...(titleAt?.place ? { place: rowPlace(titleAt.place) } : {}) });
    }
  }

  // The file's own title (a PDF's Info title, a page's <title>) naming the same year and a
  // body whose name is the text's with more before it (创新局 from 硚口区经济信息化和科技创新局),
  // or the text's with other words than places before it (路街道办事金水区文化路街道办事处 from a
  // list of other years' reports printed beside the article): the lines read as the title
  // were cut or run into others, and the file's title names the body whole.
  if (organ && organAt === titleAt && doc.meta.title && titleAt?.text !== doc.meta.title) {
    const own = matchTitle(compact(cleanText(doc.meta.title)));
    const named = own && chineseNumber(own[2]) === year ? (cleanOrgan(own[1]) ?? cleanOrgan(own[3])) : null;
    const before = named && organ.endsWith(named) ? organ.slice(0, organ.length - named.length) : null;
    if (named && named !== organ && (named.endsWith(organ) || (before && !PLACES.test(before)))) {
      notes.add("meta.organFromFileTitle", "info", `organ: the lines read as the title give "${organ}", the file's own title "${named}" ("${doc.meta.title}"): the file's title is taken`, { key: "organ" });
      organ = named;
      organAt = { text: doc.meta.title };
    }
  }

  // ---- publishedOn: the date printed at the end (a signature block) ----
  let publishedOn: string | null = null;
  const tail: number[] = [];
  for (let i = texts.length - 1; i >= 0 && tail.length < 5; i--) {
    if (PAGE_NUMBER.test(matched(texts[i]))) continue;
    tail.push(i);
  }
  const signature = new Set<string>();
  for (const i of tail) {
    const t = compact(texts[i]);
    if (t.length > 40) continue;
    const d = readDate(t);
    if (d) {
      const rest = t.replace(DATE, "").replace(DATE_DASHED, "");
      if (rest === "" || cleanOrgan(rest)) {
        publishedOn = d;
        dateAt = { text: texts[i], place: placeOf(i) };
        signature.add(texts[i]);
        if (i > 0 && cleanOrgan(texts[i - 1])) signature.add(texts[i - 1]);
        break;
      }
    }
  }
  let publishedOnFrom: Meta["publishedOnFrom"] = publishedOn ? "signature" : null;
  if (!publishedOn) {
    // A date line under the title (发布日期：2021-01-29), as pages print it.
    // Or a row of the page's table of particulars before the report (发布日期 | 2023-01-30 | 文号 |).
    const header = pageHeaderDate(texts);
    const rows = header ? [] : pageHeaderRows(doc);
    const inRows = header ? null : pageHeaderDate(rows.map((r) => r.text));
    const found = header ? { ...header, text: texts[header.index], place: placeOf(header.index) } : inRows ? { ...inRows, ...rows[inRows.index] } : null;
    if (found) {
      publishedOn = found.date;
      publishedOnFrom = "page-date-line";
      dateAt = { text: found.text, place: found.place };
      notes.add("meta.dateFromPageHeader", "info", `publishedOn: no date at the end of the report; read from the page header ("${found.evidence}")`, {
        key: "publishedOn",
        place: rowPlace(found.place),
      });
    }
  }
  const own = doc.meta.publishedOnFrom;
  if (!publishedOn && doc.meta.publishedOn && own) {
    // The page's own date outside the article's text: its <meta name="PubDate"> or a labelled line.
    publishedOn = doc.meta.publishedOn;
    publishedOnFrom = own.kind === "meta" ? "page-meta" : "page-date-line";
    dateAt = { text: own.text };
    if (own.kind === "meta")
      notes.add("meta.dateFromPageMeta", "info", `publishedOn: no date at the end of the report; read from the page's metadata (${own.text})`, { key: "publishedOn" });
    else notes.add("meta.dateFromPageHeader", "info", `publishedOn: no date at the end of the report; read from the page's date line ("${own.text}")`, { key: "publishedOn" });
  }
  const listed = hints.listedOn;
  if (!publishedOn && listed && readDate(listed.date) === listed.date) {
    // The date the portal's list page prints beside the report's link (passed down by the crawler).
    publishedOn = listed.date;
    publishedOnFrom = "list-page";
    dateAt = { text: listed.text };
    notes.add("meta.dateFromListPage", "info", `publishedOn: no date in the document; read from the portal's list page ("${listed.text}"${listed.page ? ` on ${listed.page}` : ""})`, { key: "publishedOn" });
  }
  if (!publishedOn) notes.add("meta.noDate", "info", "publishedOn: no date printed at the end of the report; null", { key: "publishedOn" });
  if (!titleFound && !doc.meta.title) notes.add("meta.noTitle", "warning", "title: no line reads as an annual report title");

  // ---- sections ----
  const sections: Section[] = [];
  let current: Section | null = null;
  for (const b of doc.blocks) {
    if (b.kind !== "paragraph") continue;
    const t = cleanText(b.text).trim();
    if (!t) continue;
    const h = sectionHeading(t);
    if (h) {
      const existing = sections.find((s) => s.number === h.number);
      if (existing) current = existing;
      else {
        current = { number: h.number, title: h.title, text: "" };
        sections.push(current);
      }
      continue;
    }
    if (!current || signature.has(t) || PAGE_NUMBER.test(matched(t))) continue;
    current.text = current.text ? `${current.text}\n${t}` : t;
  }
  sections.sort((a, b) => a.number - b.number);
  const missing = SECTION_TITLES.map((_, i) => i + 1).filter((n) => !sections.some((s) => s.number === n));
  if (missing.length) notes.add("meta.sectionsMissing", "warning", `sections not found: ${missing.join(", ")}`);
  const provenance: Record<string, ProvenanceEntry> = {
    organ: metaEntry(organ, organAt),
    year: metaEntry(year, yearAt),
    publishedOn: { ...metaEntry(publishedOn, dateAt), ...(publishedOn && publishedOnFrom ? { source: publishedOnFrom } : {}) },
  };
  return { title, organ, year, publishedOn, publishedOnFrom, sections, provenance, diagnostics: notes.list };
}

/** A metadata value's provenance: the line it was read from, or unreadable where none says it. */
function metaEntry(value: unknown, at: { text: string; place?: Place } | null): ProvenanceEntry {
  if (value === null || !at) return { text: "", status: "unreadable" };
  const place = rowPlace(at.place);
  return { text: at.text.replace(/\s+/g, " ").trim(), status: "printed", ...(place ? { place } : {}) };
}

/** The body from the text under the title: `named`, the preamble naming the report (reportNamedInPreamble), first. */
function organFromBody(texts: string[], named: PreambleName | null): { organ: string; evidence: string; index: number } | null {
  if (named?.organ) {
    // The preamble names the body relatively (现公布区政府国资局…报告) under a line that names it in full (浑南区国资局).
    const full = RELATIVE_NAME.test(matched(named.organ)) ? fullerNameAbove(named.organ, texts, named.index) : null;
    if (full) return full;
    return { organ: named.organ, evidence: named.evidence, index: named.index };
  }
  // The report's opening: its first lines, or, in a page saved or printed with the site's
  // navigation before the article, the lines from just before its preamble or first section.
  const start = bodyStart(texts);
  const from = start > 0 && chromeBeforeBody(texts, start) ? start - 1 : 0;
  const first = texts.slice(from, from + 6).map((t) => squeezeHan(halfDigits(t)));
  const head = first.join("\n");
  // 请与某某局联系, 可与某某局联系, or 请联系：某某局办公室；联系电话… (the name ends at the next mark).
  const contact = /(?:[请可]与\s*([^\s，,。；（(]{2,40}?)\s*联系|请联系\s*[：:]\s*([^\s，,。；;（(:：]{2,40}?)\s*(?=[；;，,。（(]|联系电话|电话))/;
  const patterns = [
    // The overview's first sentence with the body as its subject (2023年,云和县人民政府办公室以…;
    // after its sub-heading, without the comma: (一)主动公开情况。2022年宜城市教育局全面推进…):
    // before the contact sentence, which may name another office (…信息公开中心). The year
    // may be said as 本年度 (本年度,兴发乡严格依照《条例》…, a real township report).
    /(?:^|\n)\s*(?:[（(][一二三四五六七八九十]+[)）][^，,。；\d\n]{0,12}[。.：:]?\s*)?(?:\d{4}\s*年度?|本年度?)\s*[，,]?\s*([^\s，,。；《》]{2,30}?)\s*(?:以|按照|依照|坚持|认真|严格|深入|全面|紧紧|始终|围绕|持续|扎实|积极)/,
    contact,
    /结合\s*\d{4}\s*年度?\s*([^\s，,。；]{2,40}?)(?:单位)?(?:政府)?信息公开工作实际/,
    /[，,。]\s*([^\s，,。；《》]{2,30}?)\s*(?:认真|严格|深入)?(?:贯彻|落实)/,
  ];
  // The signature (the body's name over the closing date) is the body itself; a contact
  // sentence may name another office that answers for it (the district's 政务公开办公室
  // for every department): taken after the overview's subject, before the contact.
  const signed = signatureName(texts);
  for (const re of patterns) {
    if (re === contact && signed) return signed;
    const m = execPrinted(re, head);
    if (m) {
      // A contact sentence names an office of the body (…镇人民政府党政办公室): the body is the one it belongs to.
      const name = m[1] ?? m[2];
      const organ = (re === contact ? bodyOfOffice(cleanText(name).replace(/\s+/g, "")) : null) ?? cleanOrgan(name);
      // The overview's subject named relatively (区统计局, 县卫健局: the district's) gives way to a fuller name further on.
      if (re === patterns[0] && organ && RELATIVE_NAME.test(matched(organ))) continue;
      if (organ) return { organ, evidence: m[0].trim(), index: from + lineOf(first, m.index) };
    }
  }
  // A preamble whose lines are a PDF's, not joined into paragraphs: its contact sentence
  // (only that: the overview's loose patterns would take a relative name, 区经科局) further
  // down, up to the first section heading, at most OPENING_LINES.
  let to = from + 6;
  for (let i = from; i < Math.min(texts.length, from + OPENING_LINES); i++)
    if (sectionHeading(texts[i].replace(/^#+\s*/, ""))) {
      to = Math.min(from + OPENING_LINES, i);
      break;
    }
  if (to > from + 6) {
    const opening = texts.slice(from, to).map((t) => squeezeHan(halfDigits(t)));
    const m = execPrinted(contact, opening.join(""));
    const name = m ? (m[1] ?? m[2]) : null;
    const organ = name ? (bodyOfOffice(cleanText(name).replace(/\s+/g, "")) ?? cleanOrgan(name)) : null;
    if (organ && m) return { organ, evidence: m[0].trim(), index: from + lineOf(opening, m.index, 0) };
  }
  return signed;
}

/** The body's name on the line before the closing date (a signature), among the last lines. */
function signatureName(texts: string[]): { organ: string; evidence: string; index: number } | null {
  for (let i = texts.length - 1; i >= Math.max(0, texts.length - 4); i--) {
    const organ = cleanOrgan(texts[i]);
    if (organ && texts[i].length <= 30 && readDate(texts[i + 1] ?? "")) return { organ, evidence: texts[i], index: i };
  }
  return null;
}

/**
 * A line above `at` that is only a body's name, not named relatively, ending as `relative`
 * does once its level (区, 区政府, 县人民政府) is taken off: 浑南区国资局 above 现公布区政府国资局….
 * The body word kept must be two characters at least (国资局, not 局).
 */
function fullerNameAbove(relative: string, texts: string[], at: number): { organ: string; evidence: string; index: number } | null {
  const core = matched(relative).replace(/^(?:省|市|州|区|县|旗|镇|乡)(?:人民政府|政府)?/, "");
  if (core.length < 2) return null;
  for (let i = 0; i < at; i++) {
    const line = texts[i].replace(/\s+/g, "");
    const organ = cleanOrgan(line);
    if (!organ || organ !== line || RELATIVE_NAME.test(matched(organ)) || organ.length <= core.length || !matched(organ).endsWith(core)) continue;
    return { organ, evidence: texts[i], index: i };
  }
  return null;
}

/**
 * The report named in its own preamble, with its body and year: 特编制湛江市人民政府地方志办公室2023年
 * 政府信息公开工作年度报告, 现公布区统计局2023年政府信息公开工作年度报告. Null where no sentence
 * of the first lines does so; organ null where the name is not a body's (本单位).
 */
interface PreambleName {
  organ: string | null;
  year: number | null;
  evidence: string;
  index: number;
}
function reportNamedInPreamble(texts: string[]): PreambleName | null {
  for (let i = 0; i < Math.min(6, texts.length); i++) {
    const t = squeezeHan(halfDigits(texts[i]));
    // The year then the body after the verb (公布2024年合水镇人民政府…报告), the body after the
    // verb (编制了某某局2023年…报告), else before it (某某街道特编制2023年…报告) or after 现将
    // (现将某某镇2022年度…报告如下); never inside a cited document's title (《…》).
    const y = execPrinted(NAMED_REPORT_YEAR_FIRST, t);
    if (y) {
      const organ = cleanOrgan(y[2]);
      if (organ) return { organ, year: chineseNumber(y[1]), evidence: y[0].trim(), index: i };
    }
    const m = execPrinted(NAMED_REPORT, t) ?? execPrinted(NAMED_REPORT_BODY_FIRST, t.replace(/《[^》]*》/g, "《》"));
    if (!m) continue;
    // 特向社会公布…: the words before the verb are the announcement's, not a body's name.
    if (m[1] !== undefined && NOT_A_BODY_BEFORE_VERB.test(matched(m[1]))) continue;
    return { organ: cleanOrgan(m[1] ?? m[3]), year: chineseNumber(m[2] ?? m[4]), evidence: m[0].trim(), index: i };
  }
  return null;
}

/**
 * The year the preamble says it reports on, without naming the body: 现将2021年度政府信息公开工作
 * 情况报告如下, 汇报我镇2023年政府信息公开工作. Never inside a cited document's title (《…》).
 */
function yearStatedInPreamble(texts: string[]): { year: number | null; evidence: string; index: number } | null {
  for (let i = 0; i < Math.min(6, texts.length); i++) {
    const t = squeezeHan(halfDigits(texts[i])).replace(/《[^》]*》/g, "《》");
    const m = execPrinted(YEAR_STATED, t);
    if (m) return { year: chineseNumber(m[1]), evidence: m[0].trim(), index: i };
  }
  return null;
}

/** 现将 (汇报, 报告, 特向社会公布, 现公开) [我镇] YYYY年度 政府信息公开工作. */
const YEAR_STATED =
  /(?:现将|现就|特将|汇报|报告|向社会公布|(?:现|特|现予)(?:公布|公开|发布))\s*(?:本单位|本机关|我单位|我(?:局|委|办|镇|乡|街道|区|县|市|中心|院|厅))?\s*(\d{4}|[〇零一二三四五六七八九OＯ]{4})\s*年度?\s*(?:的)?\s*(?:政府|政务)?\s*信息\s*公开\s*工作/;

/**
 * The overview's heading with its numeral lost (总体情况, 、总体情况: a scan's reading, where
 * the numeral 一 may stand on a line of its own, LONE_NUMERAL, skipped).
 */
const OVERVIEW_UNNUMBERED = /^[、.．]?总体情况$/;
const LONE_NUMERAL = /^[一二三四五六七八九十][、.．]?$/;

/**
 * The year the overview (一、总体情况) opens with, as reports write its first sentence:
 * 2022年，我单位全年主动公开…, 2023年,官洲街道办事处认真贯彻… (under a sub-heading such as
 * （一）主动公开情况 too). Only a year followed at once by a comma: 2022年以来 and
 * 2023年1月 say something else. The weakest evidence of the year, taken last.
 */
function yearOfOverview(texts: string[]): { year: number; index: number } | null {
  const at = texts.findIndex((t) => sectionHeading(t)?.number === 1 || OVERVIEW_UNNUMBERED.test(compact(t)));
  if (at < 0) return null;
  for (let i = at + 1; i < Math.min(texts.length, at + 4); i++) {
    const t = matched(halfDigits(texts[i])).trim();
    if (sectionHeading(t)) return null;
    if (LONE_NUMERAL.test(t)) continue;
    // A sub-heading run into its first sentence ((一)主动公开情况2022年,…) opens it too.
    const m = /^(?:[（(][一二三四五六七八九十]+[)）][^，,。；\d]{0,12})?(\d{4})\s*年度?\s*[，,]/.exec(t);
    if (m) return { year: Number(m[1]), index: i };
    if (!/^[（(][一二三四五六七八九十]+[)）]/.test(t)) return null; // only a sub-heading may come before it
  }
  return null;
}

/** A verb of making or publishing, then the report's full name: the body, the year, 政府信息公开工作年度报告. */
const NAMED_REPORT =
  /(?:编制|公布|发布|印发|形成|编写|撰写|现公开)了?\s*(?:《)?\s*([^\s，。；：、《》“”"()（）]{2,40}?)\s*(\d{4}|[〇零一二三四五六七八九OＯ]{4})\s*年度?\s*(?:政府|政务)?\s*信息\s*公开\s*(?:工作)?\s*(?:年度)?\s*报\s*告/;

/** The year, then the body, after the verb: 现特向社会公布2024年合水镇人民政府信息公开工作年度报告. The body ends as a body does. */
const NAMED_REPORT_YEAR_FIRST =
  /(?:编制|公布|发布|现公开)了?\s*(\d{4}|[〇零一二三四五六七八九OＯ]{4})\s*年度?\s*([^\s，,。；：、《》“”"()（）\d]{1,38}?(?:人民政府|政府|局|委员会|委|办公室|办事处|街道|镇|乡|苏木|中心|厅|院))\s*(?:政府|政务)?\s*信息\s*公开\s*(?:工作)?\s*(?:年度)?\s*报\s*告/;

/** Words before 公布 (特向社会公布, 现予公布) that are no body's name. */
const NOT_A_BODY_BEFORE_VERB = /^(?:特|现|予|兹)|向社会$|社会$/;

/** The body, then 特编制 (编制, 发布) the year's report; or 现将 the body's year's report. */
const NAMED_REPORT_BODY_FIRST =
  /(?:^|[\s，,。；;：:、》”"）)])([^\s，,。；;：:、《》“”"()（）]{2,40}?)(?:特|现)?(?:向社会)?(?:编制|发布|公布)了?(?:本)?\s*(\d{4}|[〇零一二三四五六七八九OＯ]{4})\s*年度?\s*(?:政府|政务)?\s*信息\s*公开\s*(?:工作)?\s*(?:年度)?\s*报\s*告|现将\s*([^\s，,。；;：:、《》“”"()（）]{2,40}?)\s*(\d{4}|[〇零一二三四五六七八九OＯ]{4})\s*年度?\s*(?:的)?\s*(?:政府|政务)?\s*信息\s*公开\s*(?:工作)?\s*(?:年度)?\s*(?:情况)?\s*报\s*告/;

/**
 * The statistics period a preamble states (统计期限为2024年1月1日至2024年12月31日, 时间范围从2019年
 * 1月1日到12月31日止), in compact text: [1] its first year, [2] the second where printed.
 */
const PERIOD =
  /(?:时间范围|统计期限|统计时限|统计时间|统计区间|统计周期|统计期间|统计期|数据期限|数据时间|起止时间|时间段)(?:为|是|从|自|[:：])?(\d{4})年0?1月0?1日起?(?:至|到|-|—|－|~|～)(?:(\d{4})年)?12月31日/;

/** A line that is a body's name and nothing else (no date, no sentence). */
function organLine(t: string): string | null {
  // A body's name alone is Han characters only: a page title's tail (_政府信息公开年报_…管委会)
  // or a line of chrome is not one.
  if (t.length > 30 || !ALL_HAN.test(compact(t)) || matchTitle(compact(t)) !== null) return null;
  return cleanOrgan(t);
}
const ALL_HAN = /^\p{Script=Han}+$/u;

/**
 * The body named after a title that does not name it, in lines a converter joined:
 * 2022年政府信息公开工作年度报告 桃江县松木塘镇人民政府 (2022年政府信息公开工作年度报告). The
 * title printed again must give the same year.
 */
function organAfterTitle(rest: string, year: number | null): string | null {
  if (!rest) return null;
  const again = matchTitle(rest);
  if (!again) return organLine(rest);
  if (chineseNumber(again[2]) !== year) return null;
  return cleanOrgan(again[1]) ?? cleanOrgan(again[3]);
}

/**
 * The date and time a browser prints in a page's header, before the page's title
 * (Chromium: 12/6/26, 4:55 AM), as text converters keep it on the first line (compact).
 */
const PRINT_STAMP = /^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},?\d{1,2}:\d{2}(?::\d{2})?(?:AM|PM|上午|下午)?/i;

/** The label a crawler's or a page's header puts before the title: 标题: 平潭综合实验区2021年度…. */
const TITLE_LABEL = /^(?:文章标题|标题|题目|文件名称|名称)[:：]/;

/** A portal's label over the article, not part of its title: 正文, 【全文】, 原文 (as the words a pattern takes). */
const ARTICLE_LABEL_WORDS = "正文内容|文章正文|正文|全文|原文";
/** Such a label on a line of its own (spaced out too: 正 文). */
const ARTICLE_LABEL = new RegExp(`^[【\\[]?(?:${ARTICLE_LABEL_WORDS})[】\\]]?[:：]?$`);
/** Such a label a converter joined to the title after it (正文宿迁市2025年…), in compact text. */
const ARTICLE_LABEL_BEFORE = new RegExp(`^[【\\[]?(?:${ARTICLE_LABEL_WORDS})[】\\]]?[:：]?(?=\\S)`);

/** A body named by its level alone, not its place (区统计局, 县卫健局, 市大数据局). */
const RELATIVE_NAME = /^(?:省|市|州|区|县|旗|镇|乡)(?!人民政府$|政府$)/;

/** An office inside a body, as a contact sentence names it: the body's name, then the office's. */
const INNER_OFFICE = /(?:党政综合办公室|党政办公室|党政办|综合办公室|综合办|政务公开办公室|政务公开办|信息公开办公室|办公室|综合科|政务公开科|秘书科|法规科|法制科)$/;
/** What a body's name ends with (an office's name does not end so). */
const BODY_SUFFIX = /(?:人民政府|政府|局|委员会|委|管委会|管理委员会|办事处|街道|镇|乡|苏木|中心|厅|院|大学|学院|学校)$/;

/** The body an office belongs to (柞水县凤凰镇人民政府党政办公室 → 柞水县凤凰镇人民政府), or null where the name is no office of a body. */
function bodyOfOffice(name: string): string | null {
  const m = execPrinted(INNER_OFFICE, name);
  if (!m) return null;
  const body = cleanOrgan(name.slice(0, m.index));
  return body && BODY_SUFFIX.test(matched(body)) ? body : null;
}

/** Which of the first texts (joined with "\n") holds the character at `offset`. */
function lineOf(texts: string[], offset: number, separator = 1): number {
  let at = 0;
  for (let i = 0; i < texts.length; i++) {
    at += texts[i].length + separator;
    if (offset < at) return i;
  }
  return texts.length - 1;
}

/** What opens a report's body: its preamble (根据…编制本报告) or a section heading. */
const PREAMBLE = /^(根据|依据|按照|本报告|本年度报告)/;

/**
 * Title lines after a site's navigation (a DOCX or PDF saved from a web page): every short
 * line before the preamble or the first section, the last ones first (the title stands
 * just above the body; lists of other years' reports and menus stand higher up). Each
 * line alone and joined with the next (a title broken over two lines).
 */
export function titleAfterChrome(texts: string[]): { title: string; year: number | null; organ: string; index: number } | null {
  for (const { text: t, index } of titleLinesAfterChrome(texts)) {
    const m = matchTitle(compact(t));
    if (!m) continue;
    const organ = cleanOrgan(m[1]) ?? cleanOrgan(m[3]);
    if (organ) return { title: t, year: chineseNumber(m[2]), organ, index };
  }
  return null;
}

/** Candidate title lines with the index of the (first) line in `texts` they stand on. */
function titleLinesAfterChrome(texts: string[]): { text: string; index: number }[] {
  const lines: string[] = [];
  for (let i = 0; i < Math.min(texts.length, 200); i++) {
    const t = texts[i].replace(/^#+\s*/, "");
    if (sectionHeading(t) || PREAMBLE.test(matched(t))) break;
    lines.push(t);
  }
  const out: { text: string; index: number }[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    let t = lines[i];
    if (t.length > 60) {
      // The title with what a converter joined after it (来源：… 时间：…, the preamble): it ends at its first 报告.
      const end = matched(t).indexOf("报告");
      if (end <= 0 || end + 2 > 60) continue;
      t = t.slice(0, end + 2);
    }
    if (isChrome(t)) continue;
    if (i + 1 < lines.length && !isChrome(lines[i + 1]) && lines[i + 1].length <= 40) out.push({ text: joinWrapped(t, lines[i + 1]), index: i });
    out.push({ text: t, index: i });
  }
  return out;
}

/**
 * A title with a line joined before it that it repeats: a page's header with the body's
 * name cut (州乡村振兴局) over the title (湘西州乡村振兴局2023年度…报告), joined by a reader
 * as one wrapped line. A title never repeats its own opening words, so the head is dropped.
 */
export function withoutRepeatedHead(t: string): string {
  for (let n = Math.min(20, Math.floor(t.length / 2)); n >= 3; n--) {
    const head = t.slice(0, n);
    if (!/^\p{Script=Han}+$/u.test(head)) continue;
    const again = t.indexOf(head, n);
    if (again !== -1 && again - n <= 8) return t.slice(n);
  }
  return t;
}

/** How many lines a report's opening (title, preamble, the overview's first lines) may take where they are not joined into paragraphs. */
const OPENING_LINES = 16;

/** The lines looked through for the report's body and the navigation before it. */
const HEAD_LINES = 200;

/** The index of the first line that opens the report's body (its preamble or first section) in the first HEAD_LINES, or -1. */
function bodyStart(texts: string[]): number {
  for (let i = 0; i < Math.min(texts.length, HEAD_LINES); i++) {
    const t = texts[i].replace(/^#+\s*/, "");
    if (sectionHeading(t) || PREAMBLE.test(matched(t))) return i;
  }
  return -1;
}

/** Whether lines of a site's navigation stand before the report's body. */
export function chromeBeforeBody(texts: string[], start = bodyStart(texts)): boolean {
  return texts.slice(0, start < 0 ? HEAD_LINES : start).some((t) => isChrome(t.replace(/^#+\s*/, "")));
}

/** Navigation, breadcrumbs, login links, font-size switches: not a title. */
function isChrome(t: string): boolean {
  return CHROME.test(matched(t));
}
/**
 * A line that is nothing but a portal's home and access links (首页, 网站首页 | English,
 * 返回首页). Not 政府信息公开 alone: that may be the middle of a title wrapped on three lines.
 */
const NAV_ALONE = new RegExp(`^(?:${NAV_WORDS}|English|无障碍|长者模式|[|｜>＞»/·\\s])+$`);

const CHROME =
  /当前位置|您的位置|首页\s*[>＞»/]|[>＞»]\s*\S|登录|注册|无障碍|字号|打印|关闭|分享|浏览次数|来源[:：]|上一篇|下一篇|相关(?:文章|链接|阅读)|\|/;

/** The date a text opens with (2021-01-29, 2021年1月29日, 二〇二一年一月二十九日), alone. */
const LEADING_DATE = new RegExp(`^(?:${DATE.source}|${DATE_DASHED.source})`);

/** A page's date label and what follows it; 时间 alone only after no Han character (来源： 时间：2023-02-20, not 统计时间：). */
const DATE_LINE = /(?:发布日期|发布时间|成文日期|日期(?:\/有效期)?|(?<!\p{Script=Han})时间)\s*(?:[:：]\s*\|?|\|)\s*[\[【［]?(\S+(?:\s*\S+){0,2})/u;
/** A page's date line that opens with the date, then its source (2023-01-16 16:50:00 来源: 荔浦市政府). */
const DATE_THEN_SOURCE = /^\s*((?:\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)\s+(?:来源|信息来源|发布机构)\s*[:：]/;

/** The rows of the tables before the report's first section (a page's particulars: 发布日期 | 2023-01-30 | 文号 |), as lines. */
function pageHeaderRows(doc: Document): { text: string; place?: Place }[] {
  const out: { text: string; place?: Place }[] = [];
  for (const b of doc.blocks) {
    if (b.kind === "paragraph") {
      if (sectionHeading(cleanText(b.text))) break;
      continue;
    }
    for (const row of b.rows) out.push({ text: row.map((c) => cleanText(c.text).trim()).join(" | "), place: row[0]?.place ?? b.place });
  }
  return out;
}

/** `发布日期：2021-01-29` (or 发布时间, 日期) in the lines before the first section. */
export function pageHeaderDate(texts: string[]): { date: string; evidence: string; index: number } | null {
  for (let i = 0; i < Math.min(texts.length, 200); i++) {
    const t = texts[i];
    if (sectionHeading(t)) break;
    const opening = execPrinted(DATE_THEN_SOURCE, t);
    if (opening) {
      const d = readDate(LEADING_DATE.exec(halfDigits(opening[1]))?.[0] ?? "");
      if (d) return { date: d, evidence: opening[0].trim(), index: i };
    }
    const m = execPrinted(DATE_LINE, t);
    // The date must be the label's own, right after it, and only it is read: an empty label
    // joined to the next line (发布时间: 本报告…统计期限自2021年1月1日起…) prints no date of its
    // own, and a dashed date joined to the preamble (2022-01-10 16:13根据…自2021年1月1日…) is
    // the dashed one.
    const lead = m ? LEADING_DATE.exec(halfDigits(m[1])) : null;
    if (!m || !lead) continue;
    const d = readDate(lead[0]);
    if (d) return { date: d, evidence: `${m[0].slice(0, m[0].length - m[1].length)}${lead[0]}`.trim(), index: i };
  }
  return null;
}
