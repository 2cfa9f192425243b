// A Frictionless Data Package (specs.frictionlessdata.io): a folder of CSV files, one per
// table of the dataset, and `datapackage.json` describing each with a Table Schema (field
// types, primary and foreign keys), the codebook as a resource of its own, the sources
// and the licence. Frictionless tools, pandas, R and DuckDB read it as typed data.
//
// The CSVs are data for tools reading them through their schema: text is written as it
// is (no spreadsheet formula guard, which would change the values), UTF-8 without a BOM,
// RFC 4180 quoting. Every file is written beside its target first and all are renamed into
// place only when all are whole, datapackage.json last: a failed or interrupted export (a
// full disk) leaves the folder as it was (a folder it made is removed), never a package
// mixing this export's files with an older one's or claiming files it does not have.
import { createWriteStream, mkdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { once } from "node:events";
import { checksTable, cellsTable, codebookTable, placesTable, reportsTable, type DatasetTable, type StoredReport } from "../dataset/tables.js";
import { describeFilter, type ReportFilter } from "../dataset/filter.js";
import type { PathWriter } from "./writer.js";
import { cannotWrite } from "./sink.js";

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

/** Streams rows into a temporary file beside DIR/NAME.csv, honouring back-pressure; commit() puts it in place. */
class CsvFile {
  private readonly out;
  readonly tmp: string;
  private error: Error | null = null;
  constructor(readonly path: string, header: string[]) {
    this.tmp = `${path}.tmp-${process.pid}`;
    this.out = createWriteStream(this.tmp);
    // Kept, not thrown from an event: a full disk is one line naming the file, never a crash.
    this.out.on("error", (e) => (this.error ??= cannotWrite(this.path, e)));
    this.out.write(csvLine(header));
  }
  async write(rows: unknown[][]): Promise<void> {
    if (this.error) throw this.error;
    if (rows.length === 0) return;
    if (!this.out.write(rows.map(csvLine).join(""))) await this.settled("drain");
  }
  /** Every byte written to the temporary file (or the write's error). */
  async close(): Promise<void> {
    this.out.end();
    await this.settled("finish");
  }
  private async settled(event: "drain" | "finish"): Promise<void> {
    if (this.error) throw this.error;
    try {
      await once(this.out, event);
    } catch (e) {
      throw (this.error ??= cannotWrite(this.path, e));
    }
    if (this.error) throw this.error;
  }
  commit(): void {
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
  let made: string | undefined;
  try {
    made = mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw cannotWrite(dir, e);
  }
  const codebook = codebookTable();
  const tables = [reportsTable(), cellsTable(), checksTable(), placesTable()];
  const files = tables.map((t) => new CsvFile(join(dir, `${t.name}.csv`), t.fields.map((f) => f.name)));
  const book = new CsvFile(join(dir, "codebook.csv"), codebook.fields.map((f) => f.name));
  const descriptorTmp = join(dir, `datapackage.json.tmp-${process.pid}`);
  let n = 0;
  try {
    await book.write(codebook.rows());
    for (const s of reports) {
      n++;
      for (let i = 0; i < tables.length; i++) await files[i].write(tables[i].rowsOf(s));
    }
    for (const f of [book, ...files]) await f.close();
    try {
      writeFileSync(descriptorTmp, JSON.stringify(descriptorOf(tables, codebook, opts), null, 2) + "\n");
    } catch (e) {
      throw cannotWrite(join(dir, "datapackage.json"), e);
    }
  } catch (e) {
    for (const f of [...files, book]) f.abort();
    rmSync(descriptorTmp, { force: true });
    if (made) removeEmptyFolders(dir, made);
    throw e;
  }
  // Renames within one folder: each one whole, the descriptor last.
  for (const f of [book, ...files]) f.commit();
  renameSync(descriptorTmp, join(dir, "datapackage.json"));
  return n;
}

/** Removes `dir` and its parents up to `top` (the first folder this export made), each only while empty. */
function removeEmptyFolders(dir: string, top: string): void {
  const stop = dirname(resolve(top));
  for (let d = resolve(dir); d !== stop && d.startsWith(resolve(top)); d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return; // not empty (someone else's file) or gone: leave it
    }
  }
}

function descriptorOf(tables: DatasetTable[], codebook: DatasetTable, opts: DataPackageOptions) {
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
  return descriptor;
}

export const datapackage: PathWriter = {
  format: "datapackage",
  description: "a Frictionless Data Package: a folder of typed CSVs (reports, cells, checks, places, codebook) and datapackage.json; needs --out",
  to: "folder",
  write: (records, outPath, options) => writeDataPackage(records, outPath, options),
};
