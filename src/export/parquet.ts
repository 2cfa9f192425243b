// Parquet: the reports table (one row per report, one typed column per cell key) in one
// file, for pandas, R (arrow) and DuckDB. hyparquet-writer is pure JavaScript (no native
// build, no download) and writes row groups as it goes, so memory stays bounded by a row
// group rather than the dataset. Written beside its target and renamed into place.
import { renameSync, rmSync } from "node:fs";
import { reportsTable, type DatasetTable, type FieldType, type StoredReport } from "../dataset/tables.js";
import type { PathWriter } from "./writer.js";

type BasicType = "INT32" | "DOUBLE" | "STRING";
const PARQUET_TYPE: Record<FieldType, BasicType> = { integer: "INT32", number: "DOUBLE", string: "STRING", date: "STRING" };

/** Writes `table`'s rows for every report to `path`; returns the number of rows. */
export async function writeParquet(table: DatasetTable, reports: Iterable<StoredReport>, path: string): Promise<number> {
  // Loaded here, not at start-up: the CLI lists the export formats in its help.
  const { fileWriter, parquetWriteRows } = await import("hyparquet-writer");
  const tmp = `${path}.tmp-${process.pid}`;
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
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
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
