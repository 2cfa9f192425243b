// The dates a scan prints (its signature's 2025年1月13日), read again as a line.
//
// A number outside a table stands where the digit reading confirms it. On a date line the
// digit reading runs the characters into the digits (2025年1月13日 came out 20254714138), so a
// day or month it cannot confirm is left unsure ("?"), the date unread. Such a line is cut out
// of the picture and read again alone as one line (--psm 7): where that reading gives the
// same date, with each number the page read, the two readings agree and the numbers stand.
// A line whose second reading differs, or is unsure, keeps its "?": the date stays unread.
//
// A year the title or the overview prints (…商务局2024年政府信息公开工作年度报告, 本2024年，…)
// is met the same way: its four digits left unsure, the year of the report unread, the
// report counted apart from its other copies. Its line is read again too, and the year
// stands where the second reading prints the same year before 年. Only the year's own
// number stands so; another number on that line keeps its "?".
import { join } from "node:path";
import { writeFile } from "node:fs/promises";
import { crop, writePgm, type Gray } from "./scan-image.js";
import { joinWords, readListWords, type OcrWord } from "./scan-tools.js";

/** A date as a line prints it, each number a group: 2025年1月13日. */
const DATE = /(\d{4})年(\d{1,2})月(\d{1,2})日/;
/** A word that is a year's four digits (read before 年 on its line). */
const YEAR = /^(?:19|20)\d{2}$/;

/** A word of the page's reading on a date line: its text as read, and whether it stands yet. */
export interface DateWord {
  w: OcrWord;
  /** What the page read (digits for a number, even one left unsure). */
  read: string;
  /** Not confirmed: the number is "?" until this line's second reading agrees. */
  unsure: boolean;
  conf: number;
}

/**
 * The unsure numbers of date lines confirmed by a second reading of the line: returns the
 * words to take as read, with the agreeing readings' confidence (0–100). `agreed` is the
 * least confidence (0–1) two readings must reach together.
 */
export async function confirmDates(img: Gray, words: DateWord[], agreed: number, dir: string, page: number, deadline: number): Promise<Map<DateWord, number>> {
  const lines = new Map<string, DateWord[]>();
  for (const d of words) lines.set(d.w.line, [...(lines.get(d.w.line) ?? []), d]);
  const candidates = [...lines.values()]
    .map((ws) => ws.sort((a, b) => a.w.left - b.w.left))
    .filter((ws) => ws.some((d) => d.unsure) && (DATE.test(joined(ws)) || unsureYears(ws).length > 0));
  const out = new Map<DateWord, number>();
  if (!candidates.length) return out;
  const files: string[] = [];
  for (const [i, ws] of candidates.entries()) {
    const h = Math.max(...ws.map((d) => d.w.height));
    const x0 = Math.max(0, Math.min(...ws.map((d) => d.w.left)) - Math.round(h * 0.3));
    const x1 = Math.min(img.width, Math.max(...ws.map((d) => d.w.left + d.w.width)) + Math.round(h * 0.3));
    const y0 = Math.max(0, Math.min(...ws.map((d) => d.w.top)) - Math.round(h * 0.2));
    const y1 = Math.min(img.height, Math.max(...ws.map((d) => d.w.top + d.w.height)) + Math.round(h * 0.2));
    const f = join(dir, `date-${page}-${i}.pgm`);
    await writeFile(f, writePgm(crop(img, x0, y0, x1, y1, 12)));
    files.push(f);
  }
  const again = await readListWords(files, "chi_sim", 7, deadline, join(dir, `dates-${page}.txt`));
  candidates.forEach((ws, i) => {
    const reading = joinWords(again[i]);
    if (!reading) return;
    const together = (first: number, second: number) => 1 - (1 - first / 100) * (1 - second / 100);
    const first = DATE.exec(joined(ws));
    const date = DATE.exec(reading.text.replace(/\s+/g, ""));
    if (first && date && first[0] === date[0]) {
      // A date: the line's every word read alike, sure together.
      const both = together(Math.min(...ws.map((d) => d.conf)), reading.conf);
      if (both >= agreed) for (const d of ws) if (d.unsure) out.set(d, 100 * both);
      return;
    }
    // A year: its own word in the second reading, the same digits before 年, sure together.
    for (const d of unsureYears(ws)) {
      const seen = yearWord(again[i], d.read);
      if (!seen) continue;
      const both = together(d.conf, seen.conf);
      if (both >= agreed) out.set(d, 100 * both);
    }
  });
  return out;
}

/** The word of a line's reading that is `year` printed before 年 (2024 then 年…, or 2024年… as one word). */
function yearWord(ws: OcrWord[], year: string): OcrWord | undefined {
  return ws.find((w, k) => w.text === year ? (ws[k + 1]?.text.startsWith("年") ?? false) : w.text.startsWith(`${year}年`));
}

/** A line's words as the page read them, numbers left unsure included. */
const joined = (ws: DateWord[]) => ws.map((d) => d.read).join("");

/** The unsure words of a line that are a year printed before 年 (the next word starts with it). */
function unsureYears(ws: DateWord[]): DateWord[] {
  return ws.filter((d, k) => d.unsure && YEAR.test(d.read) && (ws[k + 1]?.read.startsWith("年") ?? false));
}
