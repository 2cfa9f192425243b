// Legacy Word (.doc), WPS (.wps), OpenDocument text (.odt) and Rich Text (.rtf) files: converted to DOCX
// by LibreOffice, then read by the DOCX extractor, so every format gives the same tables; a
// legacy Excel or WPS spreadsheet (.xls/.et) the same way to XLSX, read by extractors/xlsx.ts.
//
// Each call gets a fresh temp folder holding its own LibreOffice profile (two soffice
// processes on one profile collide), the input under a fixed safe name and the output.
// soffice exits 0 even when it fails, so success is the output file existing. The
// process group is killed at limits.timeoutMs. Without LibreOffice the file fails with
// "needs-libreoffice"; nothing crashes.
import { spawn } from "node:child_process";
import { constants } from "node:fs";
import { access, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import { ExtractError } from "../model/document.js";
import type { ExtractOptions, Extractor } from "./types.js";
import { docxPicturesPdf, extractDocx } from "./docx.js";
import { isOleCompound } from "./signatures.js";
import { readXlsx } from "./xlsx.js";

/** The soffice to run: env XXGK_SOFFICE, else soffice (or libreoffice) on PATH; null when none is there. */
export async function findSoffice(): Promise<string | null> {
  const named = process.env.XXGK_SOFFICE;
  const candidates = named ? [named] : ["soffice", "libreoffice"];
  for (const c of candidates) {
    const paths = c.includes("/") ? [c] : (process.env.PATH ?? "").split(delimiter).filter(Boolean).map((d) => join(d, c));
    for (const p of paths) {
      try {
        await access(p, constants.X_OK);
        if ((await stat(p)).isFile()) return p;
      } catch {
        /* not here */
      }
    }
  }
  return null;
}

/**
 * A kind of file LibreOffice converts: `input`, the fixed name the bytes are written under
 * (its extension tells LibreOffice the format); `what`, the file in messages; `ole`, whether
 * its bytes are an OLE compound file (a failed conversion of other bytes says so).
 */
interface Converted {
  input: string;
  what: string;
  ole: boolean;
  /** What LibreOffice makes of it: Word's DOCX unless said. */
  to?: { filter: string; file: string; name: string };
}
const TO_DOCX = { filter: "docx:MS Word 2007 XML", file: "input.docx", name: "DOCX" };
const TO_XLSX = { filter: "xlsx:Calc MS Excel 2007 XML", file: "input.xlsx", name: "XLSX" };
const DOC: Converted = { input: "input.doc", what: "legacy Word binary file", ole: true };
const XLS: Converted = { input: "input.xls", what: "legacy Excel binary file (.xls/.et)", ole: true, to: TO_XLSX };
const WPS: Converted = { input: "input.wps", what: "legacy WPS binary file", ole: true };
const ODT: Converted = { input: "input.odt", what: "OpenDocument text (.odt)", ole: false };
const RTF: Converted = { input: "input.rtf", what: "Rich Text Format (.rtf)", ole: false };

const legacy = (options: ExtractOptions) => (/\.wps$/i.test(options.name) ? WPS : DOC);

export const extractLegacyWord: Extractor = (bytes, options) => convertAndRead(bytes, options, legacy(options));

export const extractOpenDocument: Extractor = (bytes, options) => convertAndRead(bytes, options, ODT);

export const extractRichText: Extractor = (bytes, options) => convertAndRead(bytes, options, RTF);

/** A legacy workbook: LibreOffice (with Calc) saves it as XLSX, read as any workbook. */
export const extractLegacyWorkbook: Extractor = (bytes, options) =>
  convertThen(bytes, options, XLS, async (xlsx) => {
    const doc = readXlsx(new Uint8Array(xlsx), options);
    doc.diagnostics.unshift({ severity: "info", source: "xlsx:converted", message: `${XLS.what} converted to XLSX by LibreOffice before reading` });
    return doc;
  });

/** The PDF the converted DOCX's table pictures are read as (docxPicturesPdf), for the review page. */
export const legacyPicturesPdf = (bytes: Uint8Array, options: ExtractOptions) => convertThen(bytes, options, legacy(options), (docx) => docxPicturesPdf(docx, options));
export const openDocumentPicturesPdf = (bytes: Uint8Array, options: ExtractOptions) => convertThen(bytes, options, ODT, (docx) => docxPicturesPdf(docx, options));
export const richTextPicturesPdf = (bytes: Uint8Array, options: ExtractOptions) => convertThen(bytes, options, RTF, (docx) => docxPicturesPdf(docx, options));

const convertAndRead = (bytes: Uint8Array, options: ExtractOptions, as: Converted) =>
  convertThen(bytes, options, as, async (docx) => {
    const doc = await extractDocx(docx, options);
    doc.diagnostics.unshift({
      severity: "info",
      source: "docx:converted",
      message: `${as.what} converted to DOCX by LibreOffice before reading`,
    });
    return doc;
  });

/** The file converted by LibreOffice (to DOCX, or what `as.to` names), then `then` of the result (in the conversion's temporary folder's life). */
const convertThen = async <T>(bytes: Uint8Array, options: ExtractOptions, as: Converted, then: (converted: Buffer) => Promise<T>): Promise<T> => {
  const to = as.to ?? TO_DOCX;
  const { name, limits } = options;
  if (bytes.byteLength === 0) throw new ExtractError(`the file is empty`, "empty");
  if (bytes.byteLength > limits.maxFileBytes)
    throw new ExtractError(`${bytes.byteLength} bytes is over the ${limits.maxFileBytes}-byte limit (limits.maxFileBytes)`, "too-large");
  const soffice = await findSoffice();
  if (!soffice) throw new ExtractError(`${as.what}: install LibreOffice to read it`, "needs-libreoffice");

  const dir = await mkdtemp(join(tmpdir(), "xxgk-legacy-"));
  try {
    const profile = join(dir, "profile");
    const out = join(dir, "out");
    await Promise.all([mkdir(profile), mkdir(out)]);
    // A fixed name: the file's own name never reaches the file system or the command line.
    const input = join(dir, as.input);
    await writeFile(input, bytes);
    const args = [
      `-env:UserInstallation=${pathToFileURL(profile).href}`,
      "--headless",
      "--norestore",
      "--nolockcheck",
      "--convert-to",
      to.filter,
      "--outdir",
      out,
      input,
    ];
    const run = await runBounded(soffice, args, dir, limits.timeoutMs);
    if (run.timedOut) throw new ExtractError(`LibreOffice did not convert the file within ${limits.timeoutMs} ms (limits.timeoutMs)`, "timeout");
    let converted: Buffer;
    try {
      converted = await readFile(join(out, to.file));
    } catch {
      const why = run.stderr.trim().split("\n").pop() || `exit code ${run.code}`;
      throw new ExtractError(
        `LibreOffice could not convert the file to ${to.name} (${why})${!as.ole || isOleCompound(bytes) ? "" : "; the bytes are not an OLE compound (.doc/.wps) file"}`,
        "convert-failed",
      );
    }
    if (converted.length === 0) throw new ExtractError(`LibreOffice wrote an empty ${to.name}`, "convert-failed");
    return await then(converted);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

interface RunResult {
  code: number | null;
  stderr: string;
  timedOut: boolean;
}

/** Runs a command in its own process group; kills the whole group at the deadline. */
function runBounded(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, detached: true, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, HOME: cwd } });
    let stderr = "";
    let timedOut = false;
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (d: string) => {
      if (stderr.length < 8192) stderr += d;
    });
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new ExtractError(`could not start LibreOffice (${cmd}): ${e.message}`, "needs-libreoffice"));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      // soffice may leave helpers behind in its group; they have no business outliving the call.
      kill();
      resolve({ code, stderr, timedOut });
    });
  });
}
