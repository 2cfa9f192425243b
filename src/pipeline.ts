// One report in, one record out: sniff the format from the bytes, extract the shared
// document, map it onto the template, check it, validate it against the contract.
// Batches, the store, the crawler and the CLI all call parseReport.
import { sha256 } from "../model/hash.js";
import { ATTACHMENTS_ONLY, ExtractError, type Diagnostic, type Document } from "../model/document.js";
import { DEFAULT_LIMITS, Deadline, type Limits } from "../model/limits.js";
import type { Format, ReportRecord } from "../model/record.js";
import { SCHEMA_VERSION, TOP_LEVEL_KEYS } from "../model/contract.js";
import { checkRecord } from "../model/record-check.js";
import { extractorFor, recordFormat, sniff, type Kind } from "../extractors/index.js";
import { NeedsFullReader, type ExtractOptions, type SyncExtractor } from "../extractors/types.js";
import { mapTables } from "../normalizers/tables.js";
import { rowPlace } from "../normalizers/assemble.js";
import { readMeta } from "../normalizers/meta.js";
import { secondReport } from "../normalizers/second-report.js";
import { runRecordRules } from "../normalizers/rules.js";
import { resolveRegion, type RegionDecision } from "../normalizers/region.js";
import type { ListedOn, ProvenanceEntry, RecordDiagnostic } from "../model/provenance.js";
import { FIRST_TEMPLATE_YEAR } from "../data/template.js";

/** The failure of a report written before the national template. */
export const PRE_TEMPLATE = "pre-template";

export interface ParseInput {
  bytes: Uint8Array;
  /** Path or URL, for messages. */
  name: string;
  path?: string | null;
  url?: string | null;
  /** HTTP Content-Type where the bytes came over HTTP. */
  contentType?: string;
  /** Force a format instead of sniffing it. */
  format?: Format;
  limits?: Partial<Limits>;
  /** The bytes' sha256 where the caller has already computed it (hashing large PDFs again is waste). */
  sha256?: string;
  hints?: ParseHints;
}

/**
 * What the caller knows beyond the document: a GB/T 2260 code from `--region` or a
 * portal; the date beside its link on a list page; the text of the link it was found
 * by (`linkText`: a portal's attachment link, 某局2023年政府信息公开工作年度报告.pdf); for
 * an attachment, the title of the page that links it (`pageTitle`).
 */
export type ParseHints = { region?: string | null; organ?: string | null; listedOn?: ListedOn | null; linkText?: string | null; pageTitle?: string | null };

/**
 * The names a document was found under, for the body and year of one that names neither
 * (normalizers/meta.ts fromNames): its file name (a zip member's own; a URL's last path
 * segment, decoded), then the text of the link to it, then the title of the page that
 * links it.
 */
export function namesOf(input: Pick<ParseInput, "path" | "url" | "hints">): string[] {
  const names: string[] = [];
  const file = input.path ? input.path.split(/[\\/]|!\//).pop() : null;
  if (file) names.push(file);
  else if (input.url) {
    try {
      const last = new URL(input.url).pathname.split("/").pop();
      if (last) names.push(decodeURIComponent(last));
    } catch {
      /* not a URL, or a segment that does not decode: no name */
    }
  }
  for (const name of [input.hints?.linkText, input.hints?.pageTitle]) if (name?.trim()) names.push(name.trim());
  return names;
}

export type ParseOutcome =
  | {
      ok: true;
      record: ReportRecord;
      diagnostics: Diagnostic[];
      attachments: { url: string; text: string }[];
      /** How the region was decided and how sure it is (the store keeps it beside the record). */
      region: RegionDecision;
    }
  | {
      ok: false;
      code: string;
      message: string;
      attachments?: { url: string; text: string }[];
      /** A page of attachments (`attachments-only`): its title as read, which names the report its attachments carry. */
      title?: string;
    };

/** Parses one report. Never throws for bad input: a failure comes back as { ok: false }. */
export async function parseReport(input: ParseInput): Promise<ParseOutcome> {
  try {
    const begun = begin(input);
    const extract = await extractorFor(begun.kind);
    const doc = await extract(input.bytes, readerOptions(input, begun));
    const built = finish(doc, input, begun);
    const out = typeof built === "function" ? built(await recordSchema()) : built;
    begun.deadline.check();
    return out;
  } catch (e) {
    return failure(e);
  }
}

/**
 * The same parse with a synchronous reader already loaded (a format's `readInThread`,
 * extractors/index.ts): one call does all the work, so src/in-thread.ts can stop it at a
 * hard limit. Where the record fails the fast check, what comes back is the function that
 * words the failure once zod's schema is loaded (`await recordSchema()`).
 */
export function parseReportWith(input: ParseInput, read: SyncExtractor, kind?: Kind): ParseOutcome | NeedsSchema | typeof FULL_READER {
  try {
    const begun = begin(input, kind);
    return finish(read(input.bytes, readerOptions(input, begun)), input, begun);
  } catch (e) {
    if (e instanceof NeedsFullReader) return FULL_READER;
    return failure(e);
  }
}

/** What parseReportWith gives where the document needs its format's full reader (OCR of pictures): parse it with parseReport. */
export const FULL_READER = Symbol("needs the full reader");

/** A record that failed the contract's fast check: zod's schema words why. */
export type NeedsSchema = (schema: RecordSchema) => ParseOutcome;

interface Begun {
  kind: Kind;
  limits: Limits;
  deadline: Deadline;
}

/** Bounds and format (`kind` where the caller has sniffed it already), before any reader runs. Throws ExtractError. */
function begin(input: ParseInput, sniffed?: Kind): Begun {
  const limits: Limits = { ...DEFAULT_LIMITS, ...input.limits };
  const deadline = new Deadline(limits.timeoutMs);
  if (input.bytes.length === 0) throw new ExtractError("the file is empty", "empty");
  if (input.bytes.length > limits.maxFileBytes)
    throw new ExtractError(`the file is ${input.bytes.length} bytes, over the ${limits.maxFileBytes}-byte limit`, "too-large");
  const kind = sniffed ?? input.format ?? sniff(input.bytes, input.name).kind;
  return { kind, limits, deadline };
}

const readerOptions = (input: ParseInput, { limits, deadline }: Begun): ExtractOptions => ({
  name: input.name,
  limits,
  contentType: input.contentType,
  url: input.url ?? undefined,
  deadline,
});

function finish(doc: Document, input: ParseInput, begun: Begun): ParseOutcome | NeedsSchema {
  begun.deadline.check();
  const built = build(doc, input, recordFormat(begun.kind));
  begun.deadline.check();
  return built;
}

function failure(e: unknown): ParseOutcome {
  if (e instanceof ExtractError) return { ok: false, code: e.code, message: e.message };
  // Readers throw ExtractError for what is wrong with the file; anything else is a bug met by this file.
  return { ok: false, code: "internal", message: `the parser failed on this document (a bug): ${(e as Error)?.message ?? String(e)}` };
}

/** zod's schema of the record (model/record.ts), the contract's definition. */
type RecordSchema = typeof import("../model/record.js").ReportRecord;
let schema: RecordSchema | undefined;
/**
 * Loaded the first time a record fails the fast check (model/record-check.ts), to word
 * the failure: loading zod costs about 55 ms, which a parse that passes never pays.
 */
export async function recordSchema(): Promise<RecordSchema> {
  return (schema ??= (await import("../model/record.js")).ReportRecord);
}

/**
 * Map an extracted document onto the template. Exported for tests of the mapping; where the
 * record fails the contract, zod must have been loaded first (`await recordSchema()`).
 */
export function buildRecord(doc: Document, input: ParseInput, format: Format): ParseOutcome {
  const built = build(doc, input, format);
  if (typeof built !== "function") return built;
  if (!schema) throw new Error("buildRecord: the record failed the contract's fast check; await recordSchema() first to have zod word it");
  return built(schema);
}

/** The outcome, or (where the record fails the fast check) what gives it once zod's schema is loaded. */
function build(whole: Document, input: ParseInput, format: Format): ParseOutcome | NeedsSchema {
  const doc = firstReportOf(whole);
  const attachments = doc.meta.attachments ?? [];
  const meta = readMeta(doc, { listedOn: input.hints?.listedOn ?? null, names: namesOf(input) });
  // The cells' provenance goes into the metadata's map, after its entries: the record's
  // key order (metadata, then tables 2-4) without copying some 200 keys into a new object.
  const tables = mapTables(doc, meta.year, meta.provenance);
  const hasTables = doc.blocks.some((b) => b.kind === "table");

  if (tables.rowsFound === 0) {
    const titled = meta.sections.length > 0 || meta.organ !== null;
    if (attachments.length > 0)
      return {
        ok: false,
        code: ATTACHMENTS_ONLY,
        message: `the page has no report tables; the report is in ${attachments.length} attachment(s): ${attachments.map((a) => a.url).join(", ")}`,
        attachments,
        ...(meta.title ? { title: meta.title } : {}),
      };
    if (!titled) return { ok: false, code: "not-a-report", message: "not an annual report: no report title, sections or template tables found" };
    // The reader's own note says what it found instead (pictures, and whether the file holds them).
    const why = doc.diagnostics.find((d) => d.source.endsWith(":no-tables"))?.message;
    return {
      ok: false,
      code: "no-tables",
      message: hasTables ? "no table of the national template was found (tables present, none readable as the template's)" : `the report has no tables${why ? ` (${why})` : ""}`,
    };
  }

  // A report on a year before the national template (reports on 2019 and later) has its own
  // tables: some of their rows share a template row's words (行政复议数), none is the template's.
  // Its template is only inferred from that year, never shown by its tables: not read.
  if (meta.year !== null && meta.year < FIRST_TEMPLATE_YEAR && (tables.templateBy === "year" || tables.templateBy === "default"))
    return {
      ok: false,
      code: PRE_TEMPLATE,
      message: `a report on ${meta.year}: the national template covers reports on ${FIRST_TEMPLATE_YEAR} and later, and no table of this one is the template's; its own tables are not read`,
    };

  const prose = doc.blocks.filter((b) => b.kind === "paragraph").map((b) => (b as { text: string }).text);
  const region = resolveRegion({
    organ: meta.organ,
    title: meta.title,
    text: [...prose.slice(0, 5), ...prose.slice(-5)].join("\n"),
    hint: input.hints?.region ?? null,
    site: doc.meta.site?.owner ?? null,
  });
  const diagnostics: RecordDiagnostic[] = [...doc.diagnostics.map(readerDiagnostic), ...meta.diagnostics, ...tables.diagnostics];
  if (!region.region) diagnostics.push({ code: "region.none", severity: "warning", key: "region", message: `region: null; ${region.note}` });
  else if (region.confidence !== "high") diagnostics.push({ code: "region.uncertain", severity: "info", key: "region", message: `region: ${region.note}` });
  if (region.contradiction) diagnostics.push({ code: "region.hintContradicted", severity: "warning", key: "region", message: `region: ${region.contradiction}` });
  const checks = runRecordRules({ requests: tables.requests, reviews: tables.reviews, sections: meta.sections });
  const provenance = tables.provenance;
  if (doc.diagnostics.some((d) => d.source === "ocr:read")) readByOcr(provenance, diagnostics, checks.length, doc.meta.ocrPages);

  const candidate = {
    schemaVersion: SCHEMA_VERSION,
    source: { path: input.path ?? null, url: input.url ?? null, sha256: input.sha256 ?? sha256(input.bytes), format },
    template: tables.template,
    organ: meta.organ,
    year: meta.year,
    publishedOn: meta.publishedOn,
    region: region.region,
    active: tables.active,
    requests: tables.requests,
    reviews: tables.reviews,
    sections: meta.sections,
    checks,
    provenance,
    diagnostics,
  };
  // The contract's check without zod (model/record-check.ts: the same outcome and the same
  // record as ReportRecord.safeParse); zod runs only where it fails, to word the failure.
  const checked = checkRecord(candidate);
  if (checked) return { ok: true, record: orderKeys(checked), diagnostics: doc.diagnostics, attachments, region };
  return (schema: RecordSchema): ParseOutcome => {
    const parsed = schema.safeParse(candidate);
    if (!parsed.success)
      return { ok: false, code: "internal", message: `record failed the contract (a parser bug): ${parsed.error.message.slice(0, 500)}` };
    return { ok: true, record: orderKeys(parsed.data), diagnostics: doc.diagnostics, attachments, region };
  };
}

/**
 * The document up to where a second report begins (normalizers/second-report.ts), said as
 * a warning: the first report's record never takes the second's rows.
 */
function firstReportOf(doc: Document): Document {
  const second = secondReport(doc);
  if (!second) return doc;
  const note: Diagnostic = {
    severity: "warning",
    source: "meta:second-report",
    message: `the document holds another report after this one, from "${second.text.slice(0, 60)}": only the first is read (its tables would otherwise take the second's rows); the second is not in this record`,
    ...(second.place ? { place: second.place } : {}),
  };
  return { ...doc, blocks: doc.blocks.slice(0, second.index), diagnostics: [...doc.diagnostics, note] };
}

/**
 * A record read from page images: its organ, year and date are OCR'd text where they stand
 * on a page read by OCR (a mixed PDF's text pages are printed text) (a character can
 * be misread where a number cannot: numbers are confirmed by two readings, names are not),
 * and failed checks on OCR'd values are said loudly, as an error.
 */
function readByOcr(provenance: Record<string, ProvenanceEntry>, diagnostics: RecordDiagnostic[], failedChecks: number, ocrPages?: number[]): void {
  for (const key of ["organ", "year", "publishedOn"]) {
    const p = provenance[key];
    if (p?.status !== "printed") continue;
    // Read from a text page of a mixed PDF, or from no page (a DOCX's own text beside its
    // OCR'd pictures, a PDF's Info title): printed text, not OCR's.
    if (ocrPages && (p.place?.page === undefined || !ocrPages.includes(p.place.page))) continue;
    provenance[key] = { ...p, status: "ocr" };
    diagnostics.push({ code: "ocr.metaText", severity: "warning", key, message: `${key} was read by OCR from the page image ("${p.text}"): a character may be misread; compare with the page` });
  }
  if (failedChecks > 0)
    diagnostics.push({
      code: "ocr.checksFail",
      severity: "error",
      message: `${failedChecks} check(s) of the template's arithmetic fail on values read by OCR: the scan or its reading may be at fault; compare each named cell with the page`,
    });
}

/**
 * A reader's note as a record diagnostic: its source (`pdf:stream-table`) becomes the
 * dotted code (`pdf.streamTable`), its place the record's (1-based).
 */
export function readerDiagnostic(d: Diagnostic): RecordDiagnostic {
  const code = d.source
    .split(":")
    .map((part) => part.replace(/[-_]+([a-z0-9])/gi, (_, c: string) => c.toUpperCase()))
    .join(".");
  const place = rowPlace(d.place);
  return { code: code.includes(".") ? code : `reader.${code}`, severity: d.severity, message: d.message, ...(place ? { place } : {}) };
}

/** The contract's key order, so JSON output reads as the spec does. */
export function orderKeys(r: ReportRecord): ReportRecord {
  const out: Record<string, unknown> = {};
  for (const k of TOP_LEVEL_KEYS) out[k] = (r as Record<string, unknown>)[k];
  return out as ReportRecord;
}
