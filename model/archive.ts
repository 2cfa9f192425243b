// Zip archives of reports: read member by member, in memory, with the zip-bomb bounds
// of src/zip.ts. Member names (UTF-8 or GBK, decoded by the zip reader) are only ever
// labels for the store: nothing is written to disk under them, and names that would
// escape a folder ("../", absolute) are refused as members.
import { ExtractError } from "./document.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { isUnsafeEntryName, openZip } from "./zip.js";

export type ArchiveRead =
  | { ok: true; docx: true }
  | { ok: true; docx: false; entries: { name: string; bytes: Uint8Array }[] }
  | { ok: false; code: string; message: string };

const REPORT_FILE = /\.(docx?|wps|pdf|html?|txt|md)$/i;

/** The archive's members; a failure's message names no file (the caller names the archive, once). */
export function readArchive(bytes: Uint8Array): ArchiveRead {
  try {
    const zip = openZip(bytes, DEFAULT_LIMITS);
    // A .docx renamed .zip is a report, not an archive.
    if (zip.find("word/document.xml")) return { ok: true, docx: true };
    const entries: { name: string; bytes: Uint8Array }[] = [];
    const unsafe: string[] = [];
    for (const e of [...zip.entries].sort((a, b) => a.name.localeCompare(b.name))) {
      if (isUnsafeEntryName(e.name)) {
        unsafe.push(e.name);
        continue;
      }
      if (e.directory || !REPORT_FILE.test(e.name) || /(^|\/)(\.|__MACOSX\/)/.test(e.name)) continue;
      entries.push({ name: e.name.replace(/\\/g, "/"), bytes: zip.read(e) });
    }
    if (unsafe.length)
      return { ok: false, code: "unsafe-path", message: `the archive holds member names that escape a folder: ${unsafe.join(", ")}` };
    return { ok: true, docx: false, entries };
  } catch (e) {
    if (e instanceof ExtractError) return { ok: false, code: e.code, message: e.message };
    return { ok: false, code: "corrupt-zip", message: `corrupt zip: ${(e as Error).message}` };
  }
}
