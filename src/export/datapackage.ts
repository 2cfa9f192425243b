// A Frictionless Data Package (specs.frictionlessdata.io): a folder of CSV files, one per
// table of the dataset, and `datapackage.json` describing each with a Table Schema (field
// types, primary and foreign keys), the codebook as a resource of its own, the sources
// and the licence. Frictionless tools, pandas, R and DuckDB read it as typed data.
//
// The CSVs are data for tools reading them through their schema: text is written as it
// is (no spreadsheet formula guard, which would change the values), UTF-8 without a BOM,
// RFC 4180 quoting. Each file is written beside its target and renamed into place, and
// datapackage.json last, so an interrupted export never leaves a package that claims
// files it does not have.
import { createWriteStream, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { once } from "node:events";
import { checksTable, cellsTable, codebookTable, placesTable, reportsTable, type DatasetTable, type StoredReport } from "../dataset/tables.js";
import { describeFilter, type ReportFilter } from "../dataset/filter.js";
import type { PathWriter } from "./writer.js";

export interface DataPackageOptions {
  /** A licence id (Open Definition / SPDX, e.g. CC-BY-4.0) for the dataset; by default attribution to the sources. */
  license?: string;
  filter?: ReportFilter;
  /** The tool's identity, recorded in the descriptor. */
  parser?: string;
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const csvLine = (values: unknown[]) => values.map(csvField).join(",") + "\r\n";

/** Streams rows into DIR/NAME.csv (through a temporary file), honouring back-pressure. */
class CsvFile {
  private readonly out;
  private readonly tmp: string;
  constructor(private readonly path: string, header: string[]) {
    this.tmp = `${path}.tmp-${process.pid}`;
    this.out = createWriteStream(this.tmp);
    this.out.write(csvLine(header));
  }
  async write(rows: unknown[][]): Promise<void> {
    if (rows.length === 0) return;
    if (!this.out.write(rows.map(csvLine).join(""))) await once(this.out, "drain");
  }
  async close(): Promise<void> {
    this.out.end();
    await once(this.out, "finish");
    renameSync(this.tmp, this.path);
  }
  abort(): void {
    this.out.destroy();
    rmSync(this.tmp, { force: true });
  }
}

function schemaOf(t: DatasetTable) {
  return {
    fields: t.fields.map((f) => ({ name: f.name, type: f.type, description: f.description })),
    missingValues: [""],
    ...(t.primaryKey.length ? { primaryKey: t.primaryKey.length === 1 ? t.primaryKey[0] : t.primaryKey } : {}),
    ...(t.foreignKeys.length
      ? { foreignKeys: t.foreignKeys.map(([field, resource, ref]) => ({ fields: field, reference: { resource, fields: ref } })) }
      : {}),
  };
}

/** Writes the package into `dir` (created if missing); returns the number of reports. */
export async function writeDataPackage(reports: Iterable<StoredReport>, dir: string, opts: DataPackageOptions = {}): Promise<number> {
  mkdirSync(dir, { recursive: true });
  const codebook = codebookTable();
  const tables = [reportsTable(), cellsTable(), checksTable(), placesTable()];
  const files = tables.map((t) => new CsvFile(join(dir, `${t.name}.csv`), t.fields.map((f) => f.name)));
  const book = new CsvFile(join(dir, "codebook.csv"), codebook.fields.map((f) => f.name));
  let n = 0;
  try {
    await book.write(codebook.rows());
    await book.close();
    for (const s of reports) {
      n++;
      for (let i = 0; i < tables.length; i++) await files[i].write(tables[i].rowsOf(s));
    }
    for (const f of files) await f.close();
  } catch (e) {
    for (const f of [...files, book]) f.abort();
    throw e;
  }
  const filter = describeFilter(opts.filter ?? {});
  const descriptor = {
    profile: "tabular-data-package",
    name: "xxgk-disclosure-annual-reports",
    title: "政府信息公开工作年度报告: government information-disclosure annual reports as data",
    description:
      "Values of the national template's tables (国办公开办函〔2021〕30号 and 〔2019〕60号) as each report prints them, read by xxgk. " +
      "An empty value is a cell the document does not show; checks lists where a report's own arithmetic fails." +
      (filter ? ` Reports selected: ${filter}.` : ""),
    created: new Date().toISOString(),
    keywords: ["政府信息公开", "open government information", "annual reports", "China"],
    ...(opts.parser ? { xxgk: { parser: opts.parser } } : {}),
    licenses: [
      opts.license
        ? { name: opts.license }
        : { name: "other-at", title: "Attribution: the source documents are public government information; cite each report by its source_url or source_path" },
    ],
    sources: [
      {
        title:
          "Each report as published by its issuing body: reports.source_url, reports.source_path and reports.sha256 identify the document read; " +
          "places lists every path, zip member and URL its documents were seen at, with first and last sightings and retrieval times",
      },
    ],
    resources: [...tables, codebook].map((t) => ({
      name: t.name,
      path: `${t.name}.csv`,
      profile: "tabular-data-resource",
      title: t.title,
      format: "csv",
      mediatype: "text/csv",
      encoding: "utf-8",
      schema: schemaOf(t),
    })),
  };
  const tmp = join(dir, `datapackage.json.tmp-${process.pid}`);
  writeFileSync(tmp, JSON.stringify(descriptor, null, 2) + "\n");
  renameSync(tmp, join(dir, "datapackage.json"));
  return n;
}

export const datapackage: PathWriter = {
  format: "datapackage",
  description: "a Frictionless Data Package: a folder of typed CSVs (reports, cells, checks, places, codebook) and datapackage.json; needs --out",
  to: "folder",
  write: (records, outPath, options) => writeDataPackage(records, outPath, options),
};
