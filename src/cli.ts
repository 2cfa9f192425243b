#!/usr/bin/env node
// The xxgk command line. commander parses the arguments (its help, errors and
// subcommands are better than hand-written parsing); cli-progress draws the bar,
// only when stderr is a terminal so cron logs stay clean.
//
// Start-up is kept short: only commander is loaded up front; each command loads what it
// needs when it runs (dynamic import), so `xxgk --help` never loads SQLite, zod or a
// reader, and `xxgk extract` of a text file never loads pdfjs (nor starts a worker: text and
// HTML are read in this thread under a hard limit, src/in-thread.ts). Batches are parsed in a
// pool of worker threads (src/parse-pool.ts; `--jobs`), this thread stores.
import { existsSync, writeFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import type { Store } from "./store.js";
import type { ReportRecord } from "../model/record.js";
import type { ParsePool } from "./parse-pool.js";
import { PACKAGE_VERSION, parserIdentity } from "./version.js";
import { jobsOption } from "./jobs.js";
import { isKnownRegionCode } from "../normalizers/region.js";
import { printable } from "./printable.js";

const DEFAULT_DB = "data/xxgk.sqlite";
/** The signals that stop a long run (ingest, serve) the way Ctrl-C does: finished work kept, a summary printed. */
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

// Exit codes: 0 done (failed checks are findings, not failures; a file failing again as
// it failed before is listed but not new); 1 a file failed or the work could not be done; 2 usage (bad arguments, a path or database that does not
// exist); 130 interrupted (Ctrl-C).
function fail(message: string, code = 1): never {
  process.stderr.write(`xxgk: ${printable(message)}\n`);
  process.exit(code);
}

async function startPool(jobs?: number): Promise<ParsePool> {
  const { ParsePool } = await import("./parse-pool.js");
  return new ParsePool({ jobs });
}

function regionCode(v: string): string {
  if (!/^\d{6}$/.test(v)) throw new InvalidArgumentError("a GB/T 2260 code is six digits, e.g. 420104");
  if (!isKnownRegionCode(v)) throw new InvalidArgumentError(`${v} is not a GB/T 2260 division code`);
  return v;
}

/**
 * Opens the database, or ends with one line and exit 2 when the path is not one (a
 * folder, a PDF, a kernel file, a newer xxgk's): the user's to fix, not a failed run.
 * Reading commands open it read-only (they work on read-only media and write nothing).
 */
async function open(db: string, opts: { readonly?: boolean } = {}): Promise<Store> {
  const { openStore, StoreOpenError } = await import("./store.js");
  try {
    return openStore(db, opts);
  } catch (e) {
    if (e instanceof StoreOpenError) fail(`${db}: ${e.message}`, 2);
    fail(`${db}: cannot open the database: ${(e as Error).message}`);
  }
}

export function summaryOf(r: ReportRecord): string {
  const lines = [
    `${r.organ ?? "(organ not read)"} · ${r.year ?? "(year not read)"} · template ${r.template} · ${r.source.format}`,
    `published ${r.publishedOn ?? "(no date)"} · region ${r.region ? `${r.region.code} ${r.region.province ?? ""}${r.region.city && r.region.city !== r.region.province ? r.region.city : ""}${r.region.county ?? ""}` : "(not placed)"}`,
  ];
  if (r.checks.length === 0) lines.push("checks: all pass");
  else {
    lines.push(`checks: ${r.checks.length} failed`);
    for (const c of r.checks) lines.push(`  ${c.rule} (${c.where}): ${c.message}`);
  }
  const notes = r.diagnostics.filter((d) => d.severity !== "info").length;
  lines.push(`warnings: ${notes}${r.diagnostics.length ? ` (${r.diagnostics.length} notes in all; --json shows them)` : ""}`);
  return lines.join("\n");
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

const program = new Command();
program
  .name("xxgk")
  .description("Government information-disclosure annual reports (政府信息公开工作年度报告) → a validated dataset")
  .version(PACKAGE_VERSION)
  // Throw instead of exiting, so usage errors end with 2 (set before the subcommands: they inherit it).
  .exitOverride();

program
  .command("extract")
  .description("read one report and print its record")
  .argument("<file>", "a DOCX, DOC/WPS, PDF, HTML or text report")
  .option("--json", "print exactly the record contract as JSON")
  .option("--region <code>", "GB/T 2260 code of the issuing body, where the document does not say", regionCode)
  .action(async (file: string, opts: { json?: boolean; region?: string }) => {
    const [{ readBounded }, { DEFAULT_LIMITS }, { parseInThread }] = await Promise.all([import("./read-file.js"), import("../model/limits.js"), import("./in-thread.js")]);
    const read = readBounded(file, DEFAULT_LIMITS.maxFileBytes);
    if (!read.ok) fail(`${file}: ${read.message} [${read.code}]`);
    const input = { bytes: read.bytes, name: file, path: file, hints: { region: opts.region } };
    // Text and HTML are read in this thread (under the same hard time limit, src/in-thread.ts);
    // every other format in one worker, ended at the document's time limit.
    let out = await parseInThread(input);
    if (!out) {
      const pool = await startPool(1);
      out = await pool.parse(input);
      await pool.close();
    }
    if (!out.ok) fail(`${file}: ${out.message} [${out.code}]`);
    if (opts.json) {
      // The record arrives in the contract's key order (pipeline.ts orderKeys), from either thread.
      process.stdout.write(JSON.stringify(out.record, null, 2) + "\n");
    } else process.stdout.write(summaryOf(out.record) + "\n");
  });

program
  .command("ingest")
  .description("read files and folders (recursively, .zip archives too) into the database")
  .argument("<paths...>", "files or folders")
  .option("--db <file>", "SQLite database", DEFAULT_DB)
  .option("--region <code>", "GB/T 2260 code for every report in this batch", regionCode)
  .option("--images", "also read pictures (JPEG, PNG, TIFF, GIF, BMP) found in folders and archives, by OCR; a picture named itself is always read")
  .addOption(jobsOption())
  .action(async (paths: string[], opts: { db: string; region?: string; jobs?: number; images?: boolean }) => {
    for (const p of paths) if (!existsSync(p)) fail(`${p}: no such file or folder`, 2);
    const [{ describeSummary, emptySummary, ingestPaths, walk }, { IngestService }] = await Promise.all([import("./ingest.js"), import("./ingest-service.js")]);
    const store = await open(opts.db);
    const pool = await startPool(opts.jobs);
    const service = new IngestService(store, { parse: (input) => pool.parse(input) });
    const signal = { stop: false };
    const summary = emptySummary();
    let bar: import("cli-progress").SingleBar | null = null;
    // Ctrl-C (or a TERM): finish the current document, then print the summary and exit 130.
    // A second Ctrl-C quits at once: signal handlers run between event-loop turns, never
    // inside a (synchronous) transaction, so every committed document is whole.
    const stop = () => {
      if (signal.stop) {
        bar?.stop();
        void pool.close();
        store.close();
        summary.interrupted = true;
        process.stdout.write(describeSummary(summary, opts.db) + "\n");
        process.exit(130);
      }
      signal.stop = true;
      bar?.stop();
      process.stderr.write("\nxxgk: stopping after the current document (Ctrl-C again to quit now; finished documents are kept)\n");
    };
    // SIGHUP: the terminal went away (a closed window, a dropped ssh session); stop the same way.
    for (const sig of STOP_SIGNALS) process.on(sig, stop);
    if (process.stderr.isTTY) {
      const { default: cliProgress } = await import("cli-progress");
      let total = 0;
      for (const e of walk(paths)) if (e.kind === "file") total++;
      bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: "{bar} {value}/{total} {file}", hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { file: "" });
    }
    await ingestPaths(service, paths, {
      region: opts.region,
      images: opts.images,
      signal,
      summary,
      jobs: pool.jobs,
      onResult: (path) => {
        if (!signal.stop) bar?.increment({ file: path.split("/").pop() });
      },
    });
    bar?.stop();
    await pool.close();
    const flagged = (await import("./corrections.js")).flagChangedIfAny(store);
    store.close();
    process.stdout.write(describeSummary(summary, opts.db) + "\n");
    if (flagged.length) process.stdout.write(`${flagged.length} correction(s) to review: the machine now reads their cells differently (xxgk corrections)\n`);
    // A failure already recorded for the same bytes and parser is listed, not a new failure:
    // a scheduled run over the same folder exits 0 until something new goes wrong.
    // New failures only: one failed in an earlier run, or a second file of the same bytes as one listed, is no news.
    const fresh = summary.failed.filter((f) => !f.before && !f.sameAs).length;
    process.exit(summary.interrupted ? 130 : fresh || summary.error ? 1 : 0);
  });

// The export writers (and the record schema they load) are loaded only when `export` is
// the command: its help and its --format choices come from the writer registry.
const EXPORT_WRITERS = process.argv.slice(2).find((a) => !a.startsWith("-")) === "export" ? (await import("./export.js")).EXPORT_WRITERS : null;

program
  .command("export")
  .description(EXPORT_WRITERS ? `write the records: ${EXPORT_WRITERS.map((w) => w.format).join(", ")}` : "write the records: jsonl, csv, parquet, a data package, … (xxgk export --help)")
  .option("--db <file>", "SQLite database (opened read-only)", DEFAULT_DB)
  .requiredOption("--format <format>", EXPORT_WRITERS ? EXPORT_WRITERS.map((w) => `${w.format}: ${w.description}`).join("; ") : "an export format (xxgk export --help)")
  .option("--out <path>", "output file (default: stdout); a folder for datapackage")
  .option("--year <year>", "only reports on this year", (v) => Number(v))
  .option("--region <prefix>", "only bodies whose GB/T 2260 code starts so (35 = 福建)")
  .option("--organ <text>", "only bodies whose name contains this")
  .option("--license <id>", "datapackage: the dataset's licence id (e.g. CC-BY-4.0)")
  .option("--documents", "every document, not one record per report (a report arrived as a page, a DOCX and a PDF gives three)")
  .action(async (opts: { db: string; format: string; out?: string; year?: number; region?: string; organ?: string; license?: string; documents?: boolean }) => {
    const { EXPORT_WRITERS, exportRecords, writerFor } = await import("./export.js");
    const writer = writerFor(opts.format);
    if (!writer) fail(`--format must be one of ${EXPORT_WRITERS.map((w) => w.format).join(", ")}, not "${opts.format}"`, 2);
    const { filterProblem } = await import("./dataset/filter.js");
    const filter = { year: opts.year, region: opts.region, organ: opts.organ };
    const problem = filterProblem(filter);
    if (problem) fail(problem, 2);
    if (writer.to !== "stream" && !opts.out) fail(`--format ${opts.format} writes a ${writer.to}: give it --out`, 2);
    const store = await open(opts.db, { readonly: true });
    let n: number;
    try {
      n = await exportRecords(store, opts.format, opts.out, { filter, license: opts.license, parser: parserIdentity(), documents: opts.documents });
    } catch (e) {
      store.close();
      fail((e as Error).message);
    }
    store.close();
    if (opts.out) process.stderr.write(`${n} report(s) → ${opts.out}\n`);
  });

program
  .command("reparse")
  .description("re-run this build's parser over stored documents read by another build; print what changed")
  .option("--db <file>", "SQLite database", DEFAULT_DB)
  .addOption(jobsOption())
  .action(async (opts: { db: string; jobs?: number }) => {
    if (!existsSync(opts.db)) fail(`${opts.db}: no such database`, 2);
    const store = await open(opts.db);
    const pool = await startPool(opts.jobs);
    const { IngestService } = await import("./ingest-service.js");
    const service = new IngestService(store, { parse: (input) => pool.parse(input) });
    const changes = await service.reparse((c) => {
      if (c.changed) process.stdout.write(`${printable(c.locator)} (parsed by ${c.from}):\n${c.notes.map((n) => `  ${printable(n)}`).join("\n")}\n`);
    });
    await pool.close();
    const flagged = (await import("./corrections.js")).flagChangedIfAny(store);
    store.close();
    if (flagged.length) process.stdout.write(`${flagged.length} correction(s) to review: the machine now reads their cells differently (xxgk corrections)\n`);
    const changed = changes.filter((c) => c.changed).length;
    process.stdout.write(`${changes.length} document(s) re-parsed with ${service.parser}; ${changed} changed, ${changes.length - changed} unchanged\n`);
  });

program
  .command("report")
  .description("write one self-contained HTML page on the dataset's quality (charts, checks, reports needing a look)")
  .option("--db <file>", "SQLite database (read-only; the snapshot for next time is kept when it can be written)", DEFAULT_DB)
  .requiredOption("--out <file>", "the HTML file to write")
  .action(async (opts: { db: string; out: string }) => {
    const store = await open(opts.db, { readonly: true });
    const { keepSnapshot, qualityPage } = await import("./quality.js");
    const page = qualityPage(store);
    store.close();
    try {
      writeFileSync(opts.out, page.html);
    } catch (e) {
      fail(`${opts.out}: cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    // "Changes since the last report" need the snapshot kept; a read-only database keeps the old one.
    let kept = false;
    const { openStore } = await import("./store.js");
    try {
      const w = openStore(opts.db);
      try {
        keepSnapshot(w, page.snapshot);
        kept = true;
      } finally {
        w.close();
      }
    } catch {
      /* read-only: said below */
    }
    process.stderr.write(`report → ${opts.out}\n`);
    if (!kept) process.stderr.write(`xxgk: ${opts.db} is read-only: this report's snapshot was not kept (the next report compares with the last one kept)\n`);
  });

program
  .command("codebook")
  .description("every cell key with its table, the template's row and column labels, unit and type")
  .option("--format <format>", "csv or md", "csv")
  .option("--out <file>", "write to a file instead of stdout")
  .action(async (opts: { format: string; out?: string }) => {
    const { CODEBOOK_FORMATS, renderCodebook } = await import("./codebook.js");
    const format = CODEBOOK_FORMATS.find((f) => f === opts.format);
    if (!format) fail(`--format must be one of ${CODEBOOK_FORMATS.join(", ")}, not ${opts.format}`, 2);
    const text = renderCodebook(format);
    if (opts.out) writeFileSync(opts.out, text);
    else process.stdout.write(text);
  });


// ---- corrections and the review page (src/corrections.ts, src/serve/) ----------------

/** The store with the corrections' tables, for the commands that write corrections. */
async function openForCorrections(db: string) {
  if (!existsSync(db)) fail(`${db}: no such database (ingest something first)`, 2);
  const store = await open(db);
  const c = await import("./corrections.js");
  c.flagChangedCorrections(store);
  return { store, c };
}

program
  .command("correct")
  .description("correct one cell of a report (stored apart from what the machine read; survives reparse and new copies)")
  .argument("<body>", "the body: its name as stored, or its key (organ_key)")
  .argument("<year>", "the year the report covers")
  .argument("<key>", "a cell key, e.g. requests.denied.stateSecret.total (xxgk codebook lists them)")
  .argument("<value>", "a number, or null where the document shows none")
  .requiredOption("--why <text>", "what the document shows and where (page, table, row)")
  .option("--by <name>", "who made the correction")
  .option("--db <file>", "SQLite database", DEFAULT_DB)
  .action(async (body: string, yearText: string, key: string, valueText: string, opts: { why: string; by?: string; db: string }) => {
    const year = Number(yearText);
    if (!/^\d{4}$/.test(yearText)) fail(`the year must be four digits, not ${yearText}`, 2);
    const { store, c } = await openForCorrections(opts.db);
    const value = c.parseCorrectionValue(valueText);
    if (value === undefined) fail(`the value must be a number or null, not ${valueText}`, 2);
    const problem = c.correctionProblem(key, value);
    if (problem) fail(problem, 2);
    try {
      const bodyKey = c.resolveBody(store, body, year);
      const made = c.addCorrection(store, { bodyKey, year, cellKey: key, value, why: opts.why, by: opts.by });
      process.stdout.write(`${bodyKey} ${year} ${key}: ${made.machineValue ?? "null"} → ${made.value ?? "null"} (correction ${made.id})\n`);
    } catch (e) {
      fail((e as Error).message, 2);
    } finally {
      store.close();
    }
  });

program
  .command("correct-document")
  .description("set a document's organ, year or publication date where the machine could not read them (stored apart; survives reparse); its report is re-keyed and its checks re-run")
  .argument("<document>", "the document: its sha256 (8 hex digits of it at least), or the path or URL it was ingested from")
  .option("--organ <name>", "the organ that published the report, as the document names it")
  .option("--year <year>", "the year the report covers")
  .option("--published-on <date>", "the publication date, YYYY-MM-DD")
  .option("--why <text>", "where the document shows it (required unless --withdraw)")
  .option("--by <name>", "who made the correction")
  .option("--withdraw", "withdraw the document's current correction (the one before it, or the machine's reading, applies again)")
  .option("--db <file>", "SQLite database", DEFAULT_DB)
  .action(async (document: string, opts: { organ?: string; year?: string; publishedOn?: string; why?: string; by?: string; withdraw?: boolean; db: string }) => {
    if (opts.year !== undefined && !/^\d{4}$/.test(opts.year)) fail(`--year must be four digits, not ${opts.year}`, 2);
    if (!opts.withdraw && !opts.why) fail("a correction needs a reason (--why): where the document shows it", 2);
    const { store, c } = await openForCorrections(opts.db);
    const { IngestService } = await import("./ingest-service.js");
    const service = new IngestService(store);
    // A file on this machine is named by its bytes (the store's identity of a document).
    const { statSync, readFileSync } = await import("node:fs");
    if (existsSync(document) && statSync(document).isFile()) document = (await import("../model/hash.js")).sha256(readFileSync(document));
    try {
      if (opts.withdraw) {
        const undone = c.undoDocumentCorrection(service, document);
        if (!undone) fail(`${document}: no current document correction to withdraw`, 2);
        process.stdout.write(`${undone!.sha256.slice(0, 12)}: correction ${undone!.id} withdrawn\n`);
      } else {
        const made = c.correctDocument(service, {
          document,
          organ: opts.organ ?? null,
          year: opts.year !== undefined ? Number(opts.year) : null,
          publishedOn: opts.publishedOn ?? null,
          why: opts.why!,
          by: opts.by,
        });
        const now = store.ledger.currentReportOfDocument(made.sha256)!;
        const key = store.keyYearOf(now.id);
        const given = [made.organ !== null && `organ ${made.organ}`, made.year !== null && `year ${made.year}`, made.publishedOn !== null && `published ${made.publishedOn}`].filter(Boolean).join(", ");
        process.stdout.write(`${made.sha256.slice(0, 12)}: ${given} (document correction ${made.id}); report ${now.id} is ${key.organKey ?? "(no body)"} ${key.year ?? "(no year)"}\n`);
      }
    } catch (e) {
      fail((e as Error).message, 2);
    } finally {
      store.close();
    }
  });

const corrections = program
  .command("corrections")
  .description("list the corrections (those flagged review: the machine's value changed since); export or import them as CSV")
  .option("--db <file>", "SQLite database", DEFAULT_DB)
  .option("--all", "include superseded and withdrawn corrections")
  .action(async (opts: { db: string; all?: boolean }) => {
    const { store, c } = await openForCorrections(opts.db);
    const list = c.listCorrections(store, { all: opts.all });
    for (const k of list)
      process.stdout.write(
        `${k.id}\t${k.status}\t${k.bodyKey}\t${k.year}\t${k.cellKey}\t${k.machineValue ?? "null"} → ${k.value ?? "null"}\t${k.why}${k.by ? ` (${k.by})` : ""}\n`,
      );
    for (const d of store.ledger.documentCorrections({ all: opts.all }))
      process.stdout.write(
        `${d.id}\t${d.status}\tdocument\t${d.sha256.slice(0, 12)}\t${[d.organ !== null && `organ ${d.organ}`, d.year !== null && `year ${d.year}`, d.publishedOn !== null && `published ${d.publishedOn}`].filter(Boolean).join(", ")}\t${d.why}${d.by ? ` (${d.by})` : ""}\n`,
      );
    const review = list.filter((k) => k.status === "review").length;
    process.stderr.write(`${list.length} correction(s)${review ? `, ${review} to review (the machine's value changed since)` : ""}\n`);
    store.close();
  });
corrections
  .command("export")
  .description("write every correction (history included) as CSV, for a spreadsheet")
  .requiredOption("--out <file>", "the CSV file")
  .action(async (_: unknown, cmd: Command) => {
    // --db belongs to `corrections` (commander gives a parent's options to it wherever they stand).
    const opts = cmd.optsWithGlobals() as { out: string; db: string };
    const { store, c } = await openForCorrections(opts.db);
    try {
      writeFileSync(opts.out, c.correctionsCsv(store));
    } catch (e) {
      fail(`${opts.out}: cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    } finally {
      store.close();
    }
    process.stderr.write(`corrections → ${opts.out}\n`);
  });
corrections
  .command("import")
  .description("take corrections back from a CSV (the columns of corrections export)")
  .argument("<file>", "the CSV file")
  .option("--by <name>", "who made the corrections, where a row does not say")
  .action(async (file: string, _: unknown, cmd: Command) => {
    const opts = cmd.optsWithGlobals() as { by?: string; db: string };
    if (!existsSync(file)) fail(`${file}: no such file`, 2);
    const { store, c } = await openForCorrections(opts.db);
    const { readFileSync } = await import("node:fs");
    let res;
    try {
      res = c.importCorrections(store, readFileSync(file, "utf8"), opts.by);
    } catch (e) {
      store.close();
      fail(`${file}: ${(e as Error).message}`, 2);
    }
    store.close();
    for (const p of res.problems) process.stderr.write(`xxgk: ${file}: ${p}\n`);
    process.stdout.write(`${res.added} added, ${res.withdrawn} withdrawn, ${res.unchanged} unchanged, ${res.problems.length} refused\n`);
    if (res.problems.length) process.exit(1);
  });

const bodies = program
  .command("bodies")
  .description("the bodies reports are keyed by: key, name, aliases, region, years, reports and documents; alias and region decisions")
  .option("--db <file>", "SQLite database", DEFAULT_DB)
  .option("--region <prefix>", "only bodies whose GB/T 2260 code starts so (35 = 福建)")
  .option("--json", "one JSON object per body")
  .action(async (opts: { db: string; region?: string; json?: boolean }) => {
    if (opts.region !== undefined && !/^\d{1,6}$/.test(opts.region)) fail(`--region must be the digits a GB/T 2260 code starts with (35 = 福建), not ${opts.region}`, 2);
    if (!existsSync(opts.db)) fail(`${opts.db}: no such database (ingest something first)`, 2);
    const store = await open(opts.db, { readonly: true });
    const { bodiesTable, listBodies } = await import("./bodies.js");
    const list = listBodies(store, opts.region);
    store.close();
    if (opts.json) for (const b of list) process.stdout.write(JSON.stringify(b) + "\n");
    else process.stdout.write(bodiesTable(list) + "\n");
  });

/** Runs one decision about bodies: one line per thing done, one line and exit 1 when it cannot be done. */
async function bodyDecision(db: string, run: (b: typeof import("./bodies.js"), service: import("./ingest-service.js").IngestService) => { lines: string[] }): Promise<void> {
  if (!existsSync(db)) fail(`${db}: no such database (ingest something first)`, 2);
  const [b, { IngestService }] = await Promise.all([import("./bodies.js"), import("./ingest-service.js")]);
  const store = await open(db);
  let out: { lines: string[] };
  try {
    out = run(b, new IngestService(store));
  } catch (e) {
    store.close();
    if (e instanceof b.BodyError) fail(e.message);
    throw e;
  }
  const flagged = (await import("./corrections.js")).flagChangedIfAny(store);
  store.close();
  for (const l of out.lines) process.stdout.write(printable(l) + "\n");
  if (flagged.length) process.stdout.write(`${flagged.length} correction(s) to review: the machine reads their cells differently under the new key (xxgk corrections)\n`);
}

bodies
  .command("alias")
  .description("NAME is the same body as CANONICAL: NAME's reports (now and later) take CANONICAL's key; corrections follow; cross-year checks re-run")
  .argument("<name>", "a body's name as printed, or its key")
  .argument("<canonical>", "the name (or key) it is keyed under from now on")
  .option("--by <name>", "who decided")
  .action(async (name: string, canonical: string, _: unknown, cmd: Command) => {
    const opts = cmd.optsWithGlobals() as { db: string; by?: string };
    await bodyDecision(opts.db, (b, service) => b.aliasBody(service, name, canonical, opts.by ?? null));
  });

bodies
  .command("region")
  .description("place a body in a GB/T 2260 division whatever its documents say; re-keys its reports and re-runs cross-year checks")
  .argument("<name>", "a body's name as printed, or its key")
  .argument("<code>", "a GB/T 2260 code, e.g. 350128", regionCode)
  .option("--by <name>", "who decided")
  .action(async (name: string, code: string, _: unknown, cmd: Command) => {
    const opts = cmd.optsWithGlobals() as { db: string; by?: string };
    await bodyDecision(opts.db, (b, service) => b.setBodyRegion(service, name, code, opts.by ?? null));
  });

bodies
  .command("unalias")
  .description("undo `bodies alias`: reports printing NAME are keyed by their own name again; corrections follow; cross-year checks re-run")
  .argument("<name>", "a name given to `bodies alias` as the alias")
  .action(async (name: string, _: unknown, cmd: Command) => {
    const opts = cmd.optsWithGlobals() as { db: string };
    await bodyDecision(opts.db, (b, service) => b.unaliasBody(service, name));
  });

bodies
  .command("unplace")
  .description("undo `bodies region` (and regions from hints on stored bytes or merges): the body is placed by its documents alone again")
  .argument("<name>", "a body's name as printed, or its key")
  .action(async (name: string, _: unknown, cmd: Command) => {
    const opts = cmd.optsWithGlobals() as { db: string };
    await bodyDecision(opts.db, (b, service) => b.unplaceBody(service, name));
  });

program
  .command("serve")
  .description("the review page: reports needing a look, each beside its source; corrections typed there are stored")
  .option("--db <file>", "SQLite database", DEFAULT_DB)
  .option("--port <port>", "TCP port (0: any free one)", "8750")
  .option("--host <host>", "address to listen on; anything but loopback needs --token", "127.0.0.1")
  .option("--token <token>", "a secret every request must carry (?token= once, then a cookie)")
  .action(async (opts: { db: string; port: string; host: string; token?: string }) => {
    if (!existsSync(opts.db)) fail(`${opts.db}: no such database (ingest something first)`, 2);
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, not ${opts.port}`, 2);
    const { startServer } = await import("./serve/server.js");
    try {
      const s = await startServer({ db: opts.db, port, host: opts.host, token: opts.token });
      process.stdout.write(`xxgk serve: ${s.url}${s.generatedToken ? `\n  token (generated; give it once as ?token=): ${s.token}` : ""}\n`);
      const stop = () => void s.close().then(() => process.exit(0));
      for (const sig of STOP_SIGNALS) process.on(sig, stop);
    } catch (e) {
      fail((e as Error).message, 2);
    }
  });

// The crawl command's module loads the crawler, SQLite and the store: only when it runs
// (or its own help is asked for). Otherwise a stand-in names it in `xxgk --help`.
if (process.argv.slice(2).find((a) => !a.startsWith("-")) === "crawl") (await import("./crawl/command.js")).registerCrawlCommand(program);
else program.command("crawl").description("fetch new reports from the portals in a portal list (politely, resumably) and ingest them (xxgk crawl --help)");

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // commander has already printed its message (usage, --help, --version).
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
  // Anything else is not the input's fault, but still no stack trace unless asked for.
  if (process.env.XXGK_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
  fail((e as Error).message ?? String(e));
}
