// Zip archives of reports: read member by member, in memory, with the zip-bomb bounds
// of src/zip.ts. Member names (UTF-8 or GBK, decoded by the zip reader) are only ever
// labels for the store: nothing is written to disk under them, and names that would
// escape a folder ("../", absolute) are refused as members. A zip inside the archive is
// read the same way (to MAX_NESTED_ARCHIVES deep), its members named `inner.zip!/name`,
// all levels together within the one archive's limits.maxZipTotalBytes.
import { ExtractError } from "./document.js";
import { DEFAULT_LIMITS, type Limits } from "./limits.js";
import { isUnsafeEntryName, openZip } from "./zip.js";

/** A member that is itself an archive which could not be read: recorded as a failure under its own name. */
export interface ArchiveProblem {
  name: string;
  bytes: Uint8Array;
  code: string;
  message: string;
}

export type ArchiveRead =
  | { ok: true; docx: true }
  | {
      ok: true;
      docx: false;
      entries: { name: string; bytes: Uint8Array }[];
      /** Members that are no report file (pictures, spreadsheets, …): not read, listed. */
      skipped: string[];
      /** Archives inside the archive that could not be read. */
      problems: ArchiveProblem[];
    }
  | { ok: false; code: string; message: string };

/** Members read as reports, by name: the formats the readers take (extractors/index.ts), pictures aside. */
const REPORT_FILE = /\.(docx?|wps|odt|rtf|pdf|html?|mht|mhtml|txt|md|xlsx|xls|et)$/i;
/** What REPORT_FILE takes, for the line that says a member was skipped. */
export const REPORT_FILES_TEXT = "DOCX, DOC, WPS, ODT, RTF, PDF, HTML, MHTML, text, XLSX, XLS, ET";
const ARCHIVE_FILE = /\.zip$/i;
/** How deep zips inside zips are opened (the archive itself is level 1). */
export const MAX_NESTED_ARCHIVES = 3;

/** The archive's members; a failure's message names no file (the caller names the archive, once). */
export function readArchive(bytes: Uint8Array, limits: Pick<Limits, "maxZipEntryBytes" | "maxZipTotalBytes" | "maxZipEntries"> = DEFAULT_LIMITS): ArchiveRead {
  const budget = { left: limits.maxZipTotalBytes };
  try {
    const read = readLevel(bytes, limits, budget, 1);
    if ("docx" in read) return read;
    return { ok: true, docx: false, ...read };
  } catch (e) {
    if (e instanceof ExtractError) return { ok: false, code: e.code, message: e.message };
    return { ok: false, code: "corrupt-zip", message: `corrupt zip: ${(e as Error).message}` };
  }
}

type Level = { entries: { name: string; bytes: Uint8Array }[]; skipped: string[]; problems: ArchiveProblem[] };

function readLevel(bytes: Uint8Array, limits: Pick<Limits, "maxZipEntryBytes" | "maxZipTotalBytes" | "maxZipEntries">, budget: { left: number }, depth: number): Level | { ok: true; docx: true } {
  const zip = openZip(bytes, { ...limits, maxZipTotalBytes: budget.left });
  // A .docx (or a workbook) renamed .zip is a report, not an archive.
  if (zip.find("word/document.xml") || zip.find("xl/workbook.xml")) return { ok: true, docx: true };
  const out: Level = { entries: [], skipped: [], problems: [] };
  const unsafe: string[] = [];
  const take = (e: (typeof zip.entries)[number]) => {
    const b = zip.read(e);
    budget.left -= b.byteLength;
    return b;
  };
  for (const e of [...zip.entries].sort((a, b) => a.name.localeCompare(b.name))) {
    if (isUnsafeEntryName(e.name)) {
      unsafe.push(e.name);
      continue;
    }
    const name = e.name.replace(/\\/g, "/");
    if (e.directory || /(^|\/)(\.|__MACOSX\/)/.test(e.name)) continue;
    if (REPORT_FILE.test(e.name)) out.entries.push({ name, bytes: take(e) });
    else if (ARCHIVE_FILE.test(e.name)) {
      const inner = take(e);
      if (depth >= MAX_NESTED_ARCHIVES) {
        out.problems.push({ name, bytes: inner, code: "too-deep", message: `an archive inside ${depth} archives: zips are opened ${MAX_NESTED_ARCHIVES} deep` });
        continue;
      }
      let read: Level | { ok: true; docx: true };
      try {
        read = readLevel(inner, limits, budget, depth + 1);
      } catch (err) {
        const code = err instanceof ExtractError ? err.code : "corrupt-zip";
        // The whole archive's total is shared by every level: past it, the outer archive is a bomb.
        if (code === "zip-bomb" && budget.left <= 0) throw err;
        out.problems.push({ name, bytes: inner, code, message: err instanceof ExtractError ? err.message : `corrupt zip: ${(err as Error).message}` });
        continue;
      }
      if ("docx" in read) out.entries.push({ name, bytes: inner });
      else {
        for (const m of read.entries) out.entries.push({ name: `${name}!/${m.name}`, bytes: m.bytes });
        for (const s of read.skipped) out.skipped.push(`${name}!/${s}`);
        for (const p of read.problems) out.problems.push({ ...p, name: `${name}!/${p.name}` });
        if (!read.entries.length && !read.problems.length) out.problems.push({ name, bytes: inner, code: "no-reports", message: noReports(read.skipped) });
      }
    } else out.skipped.push(name);
  }
  if (unsafe.length) throw new ExtractError(`the archive holds member names that escape a folder: ${unsafe.join(", ")}`, "unsafe-path");
  return out;
}

/** Why an archive gave nothing to read. */
export function noReports(skipped: readonly string[]): string {
  if (!skipped.length) return "the archive holds no files";
  const shown = skipped.slice(0, 5).join(", ");
  return `the archive holds no report file (${REPORT_FILES_TEXT}): ${skipped.length} other member(s): ${shown}${skipped.length > 5 ? ", …" : ""}`;
}
