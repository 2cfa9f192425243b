import { readFileSync } from "node:fs";
import { parseReport } from "./dist/src/pipeline.js";
import { cellsOf } from "./dist/model/cells.js";
const [expected, ...files] = process.argv.slice(2);
const want = JSON.parse(readFileSync(expected, "utf8"));
const w = new Map(cellsOf(want).map(([t, r, c, v]) => [`${t}.${r}.${c}`, v]));
for (const file of files) {
const out = await parseReport({ bytes: new Uint8Array(readFileSync(file)), name: file });
if (!out.ok) { console.log(file, "FAILED", out.code, out.message); continue; }
let read = 0, wrong = 0, printed = 0;
for (const [t, r, c, v] of cellsOf(out.record)) { const k = `${t}.${r}.${c}`; if (w.get(k) !== null) printed++; if (v !== null) { if (v === w.get(k)) read++; else wrong++; } }
console.log(file.replace(/^.*\//,""), `read ${read}/${printed} wrong ${wrong}`, out.record.organ, out.record.year, out.record.publishedOn, out.record.diagnostics.filter(d=>d.code.startsWith("pdf.")||d.code.startsWith("ocr.read")).map(d=>d.code).join(","));
for (const [t, r, c, v] of cellsOf(out.record)) { const k = `${t}.${r}.${c}`; if (v !== null && v !== w.get(k)) console.log("  WRONG", k, v, "want", w.get(k)); }
}
