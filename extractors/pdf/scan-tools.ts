// The outside programs OCR uses, each run as a child process that is killed at the
// document's deadline: poppler's pdftoppm (pages → greyscale pictures) and pdfinfo (the
// page count), and Tesseract
// (pictures → words with boxes and confidences, TSV). Which command runs is a setting
// (XXGK_TESSERACT, XXGK_PDFTOPPM, XXGK_PDFINFO, XXGK_IMG2PDF in the environment), so a machine can point at its own
// copies, and tests at a missing one.
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { ExtractError } from "../../model/document.js";

export const tesseractCommand = () => process.env.XXGK_TESSERACT || "tesseract";
export const pdftoppmCommand = () => process.env.XXGK_PDFTOPPM || "pdftoppm";
export const pdfinfoCommand = () => process.env.XXGK_PDFINFO || "pdfinfo";
/** img2pdf: an image file (JPEG, PNG, TIFF, …) → a PDF of its pictures, losslessly (extractors/image.ts). */
export const img2pdfCommand = () => process.env.XXGK_IMG2PDF || "img2pdf";

/** What to install when OCR cannot run (Debian package names). */
export const OCR_PACKAGES = "tesseract-ocr tesseract-ocr-chi-sim poppler-utils";
/** What to install to read image files (OCR's packages and img2pdf). */
export const IMAGE_PACKAGES = `img2pdf ${OCR_PACKAGES}`;

export class MissingTool extends Error {}

/**
 * Runs a command to its end, or kills it (SIGKILL) at `deadline` (epoch ms). Resolves
 * with stdout; a missing program rejects with MissingTool, a non-zero exit with an
 * Error naming the command and the end of its stderr, the deadline with a timeout.
 */
export function run(cmd: string, args: string[], deadline: number, env: Record<string, string> = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const left = deadline - Date.now();
    if (left <= 0) return reject(new ExtractError("OCR ran out of time (limits.ocrTimeoutMs)", "timeout"));
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    const out: Buffer[] = [], err: Buffer[] = [];
    let errBytes = 0;
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => {
      if (errBytes < 64 * 1024) (err.push(b), (errBytes += b.length));
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, left);
    child.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === "ENOENT" || e.code === "EACCES" ? new MissingTool(cmd) : e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return reject(new ExtractError(`OCR ran out of time: ${cmd} was stopped (limits.ocrTimeoutMs)`, "timeout"));
      if (code !== 0) {
        const tail = Buffer.concat(err).toString("utf8").trim().split("\n").slice(-2).join(" / ");
        return reject(new Error(`${cmd} failed (${signal ?? `exit ${code}`})${tail ? `: ${tail}` : ""}`));
      }
      resolve(Buffer.concat(out));
    });
  });
}

/** One word of Tesseract's TSV output (level 5), in the picture's pixels. */
export interface OcrWord {
  left: number;
  top: number;
  width: number;
  height: number;
  /** 0–100, Tesseract's confidence in the word. */
  conf: number;
  text: string;
  /** Block, paragraph and line numbers: words of one line share them. */
  line: string;
}

export function parseTsv(tsv: string): OcrWord[] {
  const words: OcrWord[] = [];
  for (const row of tsv.split("\n").slice(1)) {
    const f = row.split("\t");
    if (f.length < 12 || f[0] !== "5") continue;
    const text = f.slice(11).join("\t").trim();
    if (!text) continue;
    words.push({ left: +f[6], top: +f[7], width: +f[8], height: +f[9], conf: +f[10], text, line: `${f[1]}.${f[2]}.${f[3]}.${f[4]}` });
  }
  return words;
}

/**
 * Tesseract on one picture file: words with boxes. One thread (OMP_THREAD_LIMIT=1): the
 * pool runs documents side by side, and a thread per core each would fight over the cores.
 */
export async function tesseract(image: string, lang: string, psm: number, deadline: number, config: string[] = []): Promise<OcrWord[]> {
  const args = [image, "stdout", "-l", lang, "--psm", String(psm), ...config.flatMap((c) => ["-c", c]), "tsv"];
  const out = await run(tesseractCommand(), args, deadline, { OMP_THREAD_LIMIT: "1" });
  return parseTsv(out.toString("utf8"));
}

/** One picture's reading from a list run: its words joined (lines by "\n"), the least confidence of them. */
export interface ListReading {
  text: string;
  conf: number;
  /** The words' confidence averaged over their characters (a lone character read unsure weighs as one). */
  mean: number;
}

/**
 * Tesseract once over a list of pictures (the list written to `listFile`): one reading
 * per picture, in order (undefined where it found no word). Words of a line are joined
 * as printed: with no space between Chinese characters, with one between other words.
 */
export async function readList(files: string[], lang: string, psm: number, deadline: number, listFile: string, config: string[] = []): Promise<(ListReading | undefined)[]> {
  return (await readListWords(files, lang, psm, deadline, listFile, config)).map(joinWords);
}

/** A picture's words as one reading (see readList); undefined where there are none. */
export function joinWords(ws: OcrWord[]): ListReading | undefined {
  if (!ws.length) return undefined;
  const cjk = (s: string) => /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/.test(s);
  let text = "", prev: OcrWord | undefined;
  for (const w of ws) {
    if (prev) text += prev.line !== w.line ? "\n" : cjk(prev.text.slice(-1)) || cjk(w.text[0]) ? "" : " ";
    text += w.text;
    prev = w;
  }
  const chars = ws.reduce((n, w) => n + [...w.text].length, 0);
  return { text, conf: Math.min(...ws.map((w) => w.conf)), mean: ws.reduce((n, w) => n + w.conf * [...w.text].length, 0) / chars };
}

/**
 * Tesseract once over a list of pictures (the list written to `listFile`): each picture's
 * words with their boxes (in that picture's pixels), in order.
 */
export async function readListWords(files: string[], lang: string, psm: number, deadline: number, listFile: string, config: string[] = []): Promise<OcrWord[][]> {
  await writeFile(listFile, files.join("\n") + "\n");
  const args = [listFile, "stdout", "-l", lang, "--psm", String(psm), ...config.flatMap((c) => ["-c", c]), "tsv"];
  const out = await run(tesseractCommand(), args, deadline, { OMP_THREAD_LIMIT: "1" });
  const words: OcrWord[][] = files.map(() => []);
  for (const row of out.toString("utf8").split("\n")) {
    const f = row.split("\t");
    if (f.length < 12 || f[0] !== "5") continue;
    const text = f.slice(11).join("\t").trim();
    const k = Number(f[1]) - 1;
    if (!text || !(k >= 0 && k < files.length)) continue;
    words[k].push({ left: +f[6], top: +f[7], width: +f[8], height: +f[9], conf: +f[10], text, line: `${f[2]}.${f[3]}.${f[4]}` });
  }
  return words;
}
