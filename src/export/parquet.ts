// Parquet: the reports table (one row per report, one typed column per cell key) in one
// file, for pandas, R (arrow) and DuckDB. hyparquet-writer is pure JavaScript (no native
// build, no download) and writes row groups as it goes, so memory stays bounded by a row
// group rather than the dataset. Written beside its target and renamed into place.
import { createReadStream, createWriteStream, renameSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { reportsTable, type DatasetTable, type FieldType, type StoredReport } from "../dataset/tables.js";
import type { PathWriter } from "./writer.js";
import { cannotWrite, outputTarget } from "./sink.js";

type BasicType = "INT32" | "DOUBLE" | "STRING";
const PARQUET_TYPE: Record<FieldType, BasicType> = { integer: "INT32", number: "DOUBLE", string: "STRING", date: "STRING" };

/** Writes `table`'s rows for every report to `path`; returns the number of rows. */
export async function writeParquet(table: DatasetTable, reports: Iterable<StoredReport>, path: string): Promise<number> {
  // Loaded here, not at start-up: the CLI lists the export formats in its help.
  const { fileWriter, parquetWriteRows } = await import("hyparquet-writer");
  const target = outputTarget(path);
  // A device or pipe is written in one pass at the end: the writer opens its file again for
  // every chunk, which a pipe's reader would take as its end.
  const tmp = target.tmp ?? join(tmpdir(), `xxgk-parquet-${process.pid}-${randomBytes(4).toString("hex")}`);
  let n = 0;
  function* rows() {
    for (const s of reports)
      for (const values of table.rowsOf(s)) {
        n++;
        const row: Record<string, unknown> = {};
        table.fields.forEach((f, i) => (row[f.name] = normalise(values[i], f.type)));
        yield row;
      }
  }
  try {
    const writer = fileWriter(tmp);
    parquetWriteRows({
      writer,
      rows: rows(),
      columns: table.fields.map((f) => ({ name: f.name, type: PARQUET_TYPE[f.type], nullable: true })),
      rowGroupSize: 10_000,
      createdBy: "xxgk",
    });
    if (target.tmp) renameSync(tmp, target.path);
    else await pipeline(createReadStream(tmp), createWriteStream(target.path));
  } catch (e) {
    throw cannotWrite(path, e);
  } finally {
    rmSync(tmp, { force: true }); // gone already when renamed into place
  }
  return n;
}

/** Null for what the document does not show; numbers as numbers; everything else as text. */
function normalise(v: unknown, type: FieldType): unknown {
  if (v === null || v === undefined) return null;
  if (type === "integer" || type === "number") return typeof v === "number" ? v : Number(v);
  return String(v);
}

export const parquet: PathWriter = {
  format: "parquet",
  description: "Parquet: one row per report, typed columns (counts INT32, amounts DOUBLE, codes as text); needs --out",
  to: "file",
  write: async (records, outPath) => writeParquet(reportsTable(), records, outPath),
};
