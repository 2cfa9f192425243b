// Every fixture's parse outcome as JSON, saved once and compared after a change to the
// readers or the mapping: a speed-up must leave every record byte-identical.
//
//   node dist/scripts/record-snapshot.js save  /tmp/before.json
//   node dist/scripts/record-snapshot.js check /tmp/before.json
//
// Covers every document under test/fixtures (text, HTML, DOCX, .doc, PDF), scans excepted
// (OCR takes seconds a page and is not read by the code this guards; `--scans` adds them).
// `check` names each file whose outcome changed and exits 1 if any did.
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseReport } from "../src/pipeline.js";

const DOCUMENT = /\.(txt|html?|docx|doc|pdf|fragment)$/i;

function documents(dir: string, scans: boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name === "scans" && !scans) continue;
      out.push(...documents(path, scans));
    } else if (DOCUMENT.test(name)) out.push(path);
  }
  return out;
}

async function snapshot(scans: boolean): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of documents("test/fixtures", scans)) {
    const outcome = await parseReport({ bytes: new Uint8Array(readFileSync(file)), name: file });
    out[file] = JSON.stringify(outcome);
  }
  return out;
}

const [mode, file] = process.argv.slice(2);
const scans = process.argv.includes("--scans");
if ((mode !== "save" && mode !== "check") || !file) {
  console.error("usage: record-snapshot save|check FILE [--scans]");
  process.exit(2);
}
const now = await snapshot(scans);
if (mode === "save") {
  writeFileSync(file, JSON.stringify(now, null, 1));
  console.log(`${Object.keys(now).length} outcomes saved to ${file}`);
} else {
  const before: Record<string, string> = JSON.parse(readFileSync(file, "utf8"));
  const changed = Object.keys({ ...before, ...now }).filter((k) => before[k] !== now[k]);
  for (const k of changed) {
    const a = before[k] ?? "";
    const b = now[k] ?? "";
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    console.log(`changed: ${k}\n  before …${a.slice(Math.max(0, i - 80), i + 120)}\n  after  …${b.slice(Math.max(0, i - 80), i + 120)}`);
  }
  console.log(`${Object.keys(now).length} outcomes, ${changed.length} changed`);
  process.exit(changed.length ? 1 : 0);
}
