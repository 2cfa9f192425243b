// Writes data/traditional.ts from OpenCC's dictionaries (scripts/traditional-table.ts says what is taken).
//
//   tsx scripts/make-traditional-table.ts        (opencc-js is a devDependency)
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { traditionalTable } from "./traditional-table.js";

const table = await traditionalTable();
writeFileSync(resolve("data/traditional.ts"), table.source);
console.log(`data/traditional.ts: ${table.traditionalOnly} Traditional-only characters, ${table.shared} shared, ${table.words} words`);
