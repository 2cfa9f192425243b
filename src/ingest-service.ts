// The ingest service: parse → persist → cross-year refresh, for one document at a time.
// The store only stores; this is where a document is read (by the parse function it is
// given: parseReport by default, a worker pool's parse from the CLI), where organ keys
// are decided and where a body's neighbouring years are checked against each other.
import { parseReport, type ParseInput, type ParseOutcome } from "./pipeline.js";
import { sha256 } from "../model/hash.js";
import { cellMap } from "../model/cells.js";
import type { Check, ReportRecord } from "../model/record.js";
import { crossYearChecks } from "../normalizers/crossyear.js";
import { bareName, organKey } from "../normalizers/organ.js";
import { resolveRegion } from "../normalizers/region.js";
import { parserIdentity } from "./version.js";
import type { IngestInput, IngestResult, Store } from "./store.js";

/** Reads one document: parseReport, or anything with its contract (a worker pool's). Never throws for bad input. */
export type ParseFn = (input: ParseInput) => Promise<ParseOutcome>;

export interface IngestServiceOptions {
  /** The parse function (default parseReport). */
  parse?: ParseFn;
  /** The parser identity stamped on what is stored (default: this build's, src/version.ts). */
  parser?: string;
}

export interface ReparseChange {
  locator: string;
  from: string;
  changed: boolean;
  notes: string[];
}

export class IngestService {
  private readonly parseFn: ParseFn;
  readonly parser: string;

  constructor(
    readonly store: Store,
    opts: IngestServiceOptions = {},
  ) {
    this.parseFn = opts.parse ?? parseReport;
    this.parser = opts.parser ?? parserIdentity();
  }

  /** The parse, with a throw (a parser bug met by one document) turned into that document's failure. */
  private async parse(input: ParseInput): Promise<ParseOutcome> {
    try {
      return await this.parseFn(input);
    } catch (e) {
      return { ok: false, code: "internal", message: `the parser failed on this document (a bug): ${(e as Error)?.message ?? String(e)}` };
    }
  }

  /**
   * Parses and stores one document. Never throws for bad input: a document that cannot
   * be read is stored as a failure with its reason (`failed`). Bytes stored before (as
   * a report, or as a failure by this parser identity) add only the place they were seen
   * (`present`); bytes another process is storing at the same moment are stored once
   * (the store's unique claim decides; the loser is `present`). Changed bytes at a known
   * path or URL become a new version of that source. Throws only when the database fails.
   */
  async ingestOne(input: IngestInput): Promise<IngestResult> {
    const sha = input.sha256 ?? sha256(input.bytes);
    const locator = input.url ?? input.path ?? `sha256:${sha}`;
    const seen = this.store.lookup(sha, this.parser);
    if (seen) {
      this.store.notePlace(sha, locator, input);
      return "reportId" in seen
        ? { status: "present", sha256: sha, reportId: seen.reportId }
        : { status: "present", sha256: sha, code: seen.failure.code, message: seen.failure.message };
    }
    const outcome = await this.parse({
      bytes: input.bytes,
      name: input.url ?? input.path ?? sha,
      path: input.path ?? null,
      url: input.url ?? null,
      contentType: input.contentType,
      hints: input.hints,
      sha256: sha,
    });
    // Kept so `xxgk reparse` can read it again.
    this.store.keepBytes(input.bytes, sha);
    return this.save(outcome, { sha, locator, input });
  }

  /** Records a file that was never read into bytes (too large, unreadable, a folder that cannot be listed). */
  recordFailure(f: { path: string; code: string; message: string }): IngestResult {
    return this.store.recordFailure(f, this.parser);
  }

  /**
   * Stores one parse outcome, then (same transaction) decides its organ key and refreshes
   * the cross-year checks of its body's neighbouring years.
   */
  save(outcome: ParseOutcome, at: { sha: string; locator: string; input: IngestInput; replace?: boolean }): IngestResult {
    return this.store.transaction(() => {
      const result = this.store.saveOutcome(outcome, { ...at, parser: this.parser });
      if (result.status !== "ingested" || result.reportId === undefined) return result;
      this.documentMetadata(result.reportId, at.sha);
      this.keyOrgan(result.reportId);
      const crossYear = this.refreshCrossYear(result.reportId);
      const rules = [...(result.failedRules ?? []), ...crossYear.map((c) => c.rule)];
      return { ...result, checksFailed: rules.length, failedRules: rules };
    });
  }

  /** The report's organ key: the key its region already gives this bare name, or the region's bodies re-keyed. */
  private keyOrgan(reportId: number): void {
    const o = this.store.organOf(reportId);
    const bare = o.organ ? bareName(o.organ, [o.province, o.city, o.county]) : null;
    this.store.setOrganBare(reportId, bare);
    const known = this.store.knownOrganKey(o.regionCode, bare, reportId);
    if (known) return this.store.setOrganKey(reportId, known);
    // A full name arriving after its abbreviation links both: re-key the region's bodies.
    const names = this.store.organNames(o.regionCode);
    for (const n of names) this.store.setRegionOrganKey(o.regionCode, n, organKey(o.regionCode, n, names));
  }

  /**
   * Re-runs the cross-year checks a new report touches: its own (against the year before)
   * and the next year's (against it). Other years' checks are left as they are. Returns
   * those on the report.
   */
  private refreshCrossYear(reportId: number): Check[] {
    const me = this.store.keyYearOf(reportId);
    if (!me.organKey || me.year === null) return [];
    const key = me.organKey;
    let mine: Check[] = [];
    for (const year of [me.year, me.year + 1]) {
      const cur = this.store.latestOfYear(key, year);
      if (!cur) continue;
      const prev = this.store.latestOfYear(key, year - 1);
      const found = prev ? crossYearChecks(prev.record, cur.record) : [];
      this.store.replaceCrossYearChecks(cur.id, found);
      if (cur.id === reportId) mine = found;
    }
    return mine;
  }

  // ---- a person's metadata of a document (serve: corrections.ts correctDocument) ----

  /** The report's organ, year and publication date columns: a person's reading where one is stored, else the machine's. */
  private documentMetadata(reportId: number, sha: string): void {
    const c = this.store.ledger.documentCorrection(sha);
    if (!c) return;
    const machine = this.store.recordOf(reportId)!;
    this.store.ledger.setReportMetadata(reportId, {
      organ: c.organ ?? machine.organ,
      year: c.year ?? machine.year,
      publishedOn: c.publishedOn ?? machine.publishedOn,
    });
    // A region the machine could not place, placed by the organ's name a person gave.
    if (!machine.region && c.organ) {
      const d = resolveRegion({ organ: c.organ, title: null, text: "" });
      if (d.region) this.store.ledger.setReportRegion(reportId, d.region, d.by, d.confidence);
    }
  }

  /**
   * Applies the document's current metadata correction (or, none left, the machine's
   * reading) to its current report: re-keyed to its body and year, and the cross-year
   * checks re-run where it now stands and where it stood. Null when the document has no
   * current report.
   */
  applyDocumentCorrection(sha: string): { reportId: number } | null {
    return this.store.transaction(() => {
      const cur = this.store.ledger.currentReportOfDocument(sha);
      if (!cur) return null;
      const before = this.store.keyYearOf(cur.id);
      this.store.ledger.setReportMetadata(cur.id, { organ: cur.record.organ, year: cur.record.year, publishedOn: cur.record.publishedOn });
      if (!cur.record.region) this.store.ledger.setReportRegion(cur.id, null, null, null);
      this.documentMetadata(cur.id, sha);
      this.store.setOrganKey(cur.id, null);
      this.keyOrgan(cur.id);
      this.refreshCrossYear(cur.id);
      // The body-year it left: its next year is compared with what remains there.
      if (before.organKey && before.year !== null)
        for (const year of [before.year, before.year + 1]) {
          const at = this.store.latestOfYear(before.organKey, year);
          if (!at) continue;
          const prev = this.store.latestOfYear(before.organKey, year - 1);
          this.store.replaceCrossYearChecks(at.id, prev ? crossYearChecks(prev.record, at.record) : []);
        }
      if (before.organKey === null || before.year === null) {
        const now = this.store.keyYearOf(cur.id);
        if (now.organKey === null || now.year === null) this.store.replaceCrossYearChecks(cur.id, []);
      }
      return { reportId: cur.id };
    });
  }

  /**
   * Re-runs the parser over the stored bytes of every document whose current record or
   * failure another parser identity made. Old records stay as history (is_current = 0).
   * Returns what changed per document: cells, checks, or the outcome itself.
   */
  async reparse(onChange?: (c: ReparseChange) => void): Promise<ReparseChange[]> {
    const changes: ReparseChange[] = [];
    for (const d of this.store.staleDocuments(this.parser)) {
      const bytes = this.store.readBytes(d.sha256);
      let c: ReparseChange;
      if (!bytes) c = { locator: d.locator, from: d.parser, changed: false, notes: ["bytes not kept; cannot re-run"] };
      else {
        const before = d.reportId !== null ? this.store.recordOf(d.reportId) : null;
        const input = { bytes, path: d.path, url: d.url, contentType: d.contentType ?? undefined };
        const outcome = await this.parse({ ...input, name: d.locator, sha256: d.sha256 });
        this.save(outcome, { sha: d.sha256, locator: d.locator, input, replace: true });
        const notes = diffRecords(before, d.failure, outcome);
        c = { locator: d.locator, from: d.parser, changed: notes.length > 0, notes };
      }
      changes.push(c);
      onChange?.(c);
    }
    return changes;
  }
}

/** What differs between an old record (or failure) and a new parse: cells, checks, outcome. */
export function diffRecords(before: ReportRecord | null, beforeFailure: string | null, after: ParseOutcome): string[] {
  if (!before) return after.ok ? [`now read (was failed: ${beforeFailure})`] : beforeFailure === after.code ? [] : [`failure ${beforeFailure} → ${after.code}`];
  if (!after.ok) return [`now fails: ${after.code} ${after.message}`];
  const notes: string[] = [];
  const old = cellMap(before);
  const now = cellMap(after.record);
  for (const k of new Set([...old.keys(), ...now.keys()])) if (old.get(k) !== now.get(k)) notes.push(`${k}: ${old.get(k) ?? "null"} → ${now.get(k) ?? "null"}`);
  for (const f of ["organ", "year", "publishedOn", "template"] as const)
    if (before[f] !== after.record[f]) notes.push(`${f}: ${before[f]} → ${after.record[f]}`);
  const key = (c: Check) => `${c.rule} ${c.where}`;
  const oldChecks = new Set(before.checks.map(key));
  const newChecks = new Set(after.record.checks.map(key));
  for (const c of newChecks) if (!oldChecks.has(c)) notes.push(`check now fails: ${c}`);
  for (const c of oldChecks) if (!newChecks.has(c)) notes.push(`check now passes: ${c}`);
  return notes;
}
