// The dataset exports as a researcher loads them: a Frictionless Data Package read back
// by Frictionless's own library (descriptor validated against the Tabular Data Package
// profile, every row cast to its Table Schema, foreign keys resolved), and Parquet read
// back by hyparquet. Both compared value by value with the JSON-lines records; filters
// select the same reports in every format.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error the library ships no types
import datapackage from "datapackage";
import { parquetReadObjects } from "hyparquet";
import { cellsOf } from "../model/cells.js";
import { codebook } from "../model/codebook.js";
import type { ReportRecord } from "../model/record.js";

const CLI = "dist/src/cli.js";
const run = (...args: string[]) => spawnSync("node", [CLI, ...args], { encoding: "utf8" });
let dir: string;
let db: string;
let records: ReportRecord[];

const keyed = (r: ReportRecord) => new Map(cellsOf(r).map(([t, row, c, v]) => [`${t}.${row}.${c}`, v]));

beforeAll(() => {
  spawnSync("node_modules/.bin/tsc", ["-p", "tsconfig.json"], { encoding: "utf8" });
  dir = mkdtempSync(join(tmpdir(), "xxgk-dataset-"));
  db = join(dir, "x.sqlite");
  const ingest = run("ingest", "data/samples", "--db", db);
  expect(ingest.status, ingest.stderr).toBe(0);
  const jsonl = run("export", "--db", db, "--format", "jsonl");
  expect(jsonl.status, jsonl.stderr).toBe(0);
  records = jsonl.stdout.trim().split("\n").map((l) => JSON.parse(l));
  expect(records.length).toBe(readdirSync("data/samples").length);
}, 120_000);

describe("export --format datapackage", () => {
  it("is a valid Tabular Data Package whose every row casts to its schema and equals the records", async () => {
    const out = join(dir, "pkg");
    const r = run("export", "--db", db, "--format", "datapackage", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    const pkg = await datapackage.Package.load(join(out, "datapackage.json"), { strict: true });
    expect(pkg.errors).toEqual([]);
    expect(pkg.valid).toBe(true);
    expect(pkg.resourceNames.sort()).toEqual(["cells", "checks", "codebook", "places", "reports"]);

    const reports = await pkg.getResource("reports").read({ keyed: true, cast: true });
    expect(reports).toHaveLength(records.length);
    const bySha = new Map(records.map((x) => [x.source.sha256, x]));
    for (const row of reports) {
      const rec = bySha.get(row.sha256)!;
      expect(rec, row.sha256).toBeDefined();
      expect(row.organ).toBe(rec.organ);
      expect(row.year).toBe(rec.year);
      expect(row.region_code).toBe(rec.region?.code ?? null); // text, leading digits kept
      expect(typeof row.region_code).toBe("string");
      expect(row.checks_failed).toBe(rec.checks.length);
      for (const [key, v] of keyed(rec)) expect(row[key] === null ? null : Number(row[key]), key).toBe(v);
    }

    // Long form: foreign keys to reports and the codebook resolve; values equal.
    const cells = await pkg.getResource("cells").read({ keyed: true, cast: true, relations: true });
    const total = records.reduce((n, x) => n + cellsOf(x).length, 0);
    expect(cells).toHaveLength(total);
    const idOf = new Map(reports.map((row: { report_id: number; sha256: string }) => [row.report_id, row.sha256]));
    for (const c of cells) {
      const rec = bySha.get(idOf.get(c.report_id.report_id ?? c.report_id))!;
      const v = keyed(rec).get(c.key.key ?? c.key);
      expect(c.value === null ? null : Number(c.value)).toBe(v);
    }

    const book = await pkg.getResource("codebook").read({ keyed: true, cast: true });
    expect(book.map((b: { key: string }) => b.key)).toEqual(codebook().map((e) => e.key));
    const descriptor = JSON.parse(readFileSync(join(out, "datapackage.json"), "utf8"));
    expect(descriptor.licenses[0].name).toBe("other-at");
    expect(descriptor.sources.length).toBeGreaterThan(0);
    const countField = descriptor.resources[0].schema.fields.find((f: { name: string }) => f.name === "requests.newReceived.total");
    expect(countField.type).toBe("integer");
    expect(countField.description).toContain("本年新收政府信息公开申请数量");
  });

  it("fails on a row that does not fit its schema (the check above has teeth)", async () => {
    const out = join(dir, "pkg-bad");
    expect(run("export", "--db", db, "--format", "datapackage", "--out", out).status).toBe(0);
    const csv = readFileSync(join(out, "reports.csv"), "utf8").split("\r\n");
    const header = csv[0].split(",");
    const yearAt = header.indexOf("year");
    const row = csv[1].split(",");
    row[yearAt] = "二〇二三";
    csv[1] = row.join(",");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(out, "reports.csv"), csv.join("\r\n"));
    const pkg = await datapackage.Package.load(join(out, "datapackage.json"));
    await expect(pkg.getResource("reports").read({ cast: true })).rejects.toThrow();
  });
});

describe("export --format parquet", () => {
  it("reads back with hyparquet: one typed row per report, values equal to the records", async () => {
    const out = join(dir, "reports.parquet");
    const r = run("export", "--db", db, "--format", "parquet", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    const buf = readFileSync(out);
    const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
    expect(rows).toHaveLength(records.length);
    const bySha = new Map(records.map((x) => [x.source.sha256, x]));
    for (const row of rows) {
      const rec = bySha.get(row.sha256 as string)!;
      expect(row.organ).toBe(rec.organ);
      expect(row.region_code).toBe(rec.region?.code ?? null);
      for (const [key, v] of keyed(rec)) expect(row[key], key).toBe(v);
    }
  });
});

describe("export filters", () => {
  const shas = (args: string[]) => {
    const r = run("export", "--db", db, "--format", "jsonl", ...args);
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.trim() ? r.stdout.trim().split("\n").map((l) => JSON.parse(l).source.sha256).sort() : [];
  };
  it("select by year, region code prefix and organ, the same way in every format", async () => {
    const want = (f: (x: ReportRecord) => boolean) => records.filter(f).map((x) => x.source.sha256).sort();
    const year = records[0].year!;
    expect(shas(["--year", String(year)])).toEqual(want((x) => x.year === year));
    const prefix = records[0].region!.code.slice(0, 2);
    const inRegion = want((x) => (x.region?.code ?? "").startsWith(prefix));
    expect(inRegion.length).toBeLessThan(records.length); // the filter really drops something
    expect(shas(["--region", prefix])).toEqual(inRegion);
    const organ = records[0].organ!.slice(0, 3);
    expect(shas(["--organ", organ])).toEqual(want((x) => (x.organ ?? "").includes(organ)));

    const out = join(dir, "filtered.parquet");
    expect(run("export", "--db", db, "--format", "parquet", "--out", out, "--region", prefix).status).toBe(0);
    const buf = readFileSync(out);
    const rows = (await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) })) as { sha256: string }[];
    expect(rows.map((x) => x.sha256).sort()).toEqual(inRegion);
  });

  it("refuse bad values with one line and exit 2", () => {
    for (const args of [["--region", "福建"], ["--year", "99"], ["--format", "xls"]]) {
      const r = run("export", "--db", db, "--format", "jsonl", ...args);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    const noOut = run("export", "--db", db, "--format", "parquet");
    expect(noOut.status).toBe(2);
  });
});

describe("loading recipes (README): DuckDB reads the exports", () => {
  it("read_parquet and the data package's CSVs give the records' values, region codes as text", async () => {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const pq = join(dir, "recipe.parquet");
    const pkg = join(dir, "recipe-pkg");
    expect(run("export", "--db", db, "--format", "parquet", "--out", pq).status).toBe(0);
    expect(run("export", "--db", db, "--format", "datapackage", "--out", pkg).status).toBe(0);
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const fromParquet = (await duck.runAndReadAll(`SELECT sha256, region_code, "requests.newReceived.total" AS received FROM read_parquet('${pq}')`)).getRowObjects();
    const fromCsv = (
      await duck.runAndReadAll(
        `SELECT r.sha256, r.region_code, c.value AS received FROM read_csv('${join(pkg, "reports.csv")}', types={'region_code': 'VARCHAR'}) r
         JOIN read_csv('${join(pkg, "cells.csv")}') c ON c.report_id = r.report_id AND c.key = 'requests.newReceived.total'`,
      )
    ).getRowObjects();
    for (const rows of [fromParquet, fromCsv]) {
      expect(rows).toHaveLength(records.length);
      for (const row of rows) {
        const rec = records.find((x) => x.source.sha256 === row.sha256)!;
        expect(row.region_code).toBe(rec.region?.code ?? null);
        expect(row.received === null ? null : Number(row.received)).toBe(rec.requests.newReceived[6]);
      }
    }
    duck.closeSync();
  });
});

describe("one record per report", () => {
  it("exports a report arrived as DOCX, HTML and PDF once (its best copy), and every document with --documents", () => {
    const db2 = join(dir, "copies.sqlite");
    const copies = ["r2021.lo.docx", "r2021.portal.html", "r2021.chromium.pdf"].map((f) => join("test/fixtures/reports", f));
    const ingest = run("ingest", ...copies, "--db", db2);
    expect(ingest.status, ingest.stderr + ingest.stdout).toBe(0);
    const lines = (args: string[]) => {
      const r = run("export", "--db", db2, "--format", "jsonl", ...args);
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim().split("\n").map((l) => JSON.parse(l) as ReportRecord);
    };
    const docs = lines(["--documents"]);
    expect(docs.map((d) => d.source.format).sort()).toEqual(["docx", "html", "pdf"]);
    const reports = lines([]);
    expect(reports).toHaveLength(1);
    // The best copy by the stated order (all three read completely: DOCX first); values as every copy prints them.
    expect(reports[0].source.format).toBe("docx");
    expect(keyed(reports[0])).toEqual(keyed(docs[0]));
    expect(reports[0].checks.filter((c) => c.rule === "copies.disagree")).toEqual([]);
    const wide = run("export", "--db", db2, "--format", "wide-csv");
    expect(wide.stdout.trim().split("\r\n")).toHaveLength(2);
  });

  it("counts reports, not copies, on the quality page", async () => {
    const { openStore } = await import("../src/store.js");
    const { qualityData } = await import("../src/quality.js");
    const store = openStore(join(dir, "copies.sqlite"), { readonly: true });
    try {
      const data = qualityData(store);
      expect(data.reports).toHaveLength(1);
      expect(data.reports[0].format).toBe("docx");
    } finally {
      store.close();
    }
  });
});
