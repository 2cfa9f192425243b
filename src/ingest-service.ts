// The ingest service: parse → persist → cross-year refresh, for one document at a time.
// The store only stores; this is where a document is read (by the parse function it is
// given: parseReport by default, a worker pool's parse from the CLI), where organ keys
// are decided and where a body's neighbouring years are checked against each other.
import { parseReport, type ParseOutcome } from "./pipeline.js";
import { sha256 } from "../model/hash.js";
import { cellMap } from "../model/cells.js";
import type { Check, ReportRecord } from "../model/record.js";
import { crossYearChecks } from "../normalizers/crossyear.js";
import { bareName, isAbbreviationOf, organKey, printedName } from "../normalizers/organ.js";
import { describeRegion, hintContradicts, isKnownRegionCode, regionByCode, resolveRegion } from "../normalizers/region.js";
import { parserIdentity } from "./version.js";
import { Store, type CommitGroup, type IngestInput, type IngestResult } from "./store.js";
import { ReportLedger } from "./report-ledger.js";
import { extrasOf, type WorkerInput } from "./worker-outcome.js";

/**
 * Reads one document: parseReport, or anything with its contract (a worker pool's). Never
 * throws for bad input. `keepIn` names the blob folder, for a parse that keeps the bytes
 * itself (a pool's worker; extrasOf says it did).
 */
export type ParseFn = (input: WorkerInput) => Promise<ParseOutcome>;

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

/** The key of a body no division places. */
const UNPLACED = "unplaced:";
/** Between an unplaced body's key and the number of a body of its name kept apart from it (keepApart): unplaced:城关镇人民政府#2. */
const KEPT_APART = "#";
/** The note on a document of an unplaced body kept apart from the documents of its name and year (IngestService.keepApart). */
const KEPT_APART_NOTE = "copies.keptApart";
/** The note on a document counted as another report's copy by its values (IngestService.matchByValues). */
const MATCHED_BY_VALUES = "copies.matchedByValues";
/** Values not 0 a scan and a document read from text must both print, equal, to be one report's copies. */
const TWIN_NONZERO = 12;
/** Of the values a scan read, the share the other document must have read too. */
const TWIN_OVERLAP = 0.8;
/** The cell copies are first looked up by (its partial index, migration 13): 本年新收's total. */
const NEW_RECEIVED_TOTAL = "requests.newReceived.total";
/** Totals compared before a candidate's every cell is read (requests: 予以公开, 办理结果总计, 结转下年度). */
const PRECHECK = new Set(["requests.granted.total", "requests.total.total", "requests.carriedForward.total", "requests.carriedOver.total"]);
/** The latest documents printing the same 本年新收 total looked at, at most (a bound on each save's work: copies are a handful, and usually come together). */
const TWIN_CANDIDATES = 200;

/** A report of more documents than this is consolidated when the store closes, not at each save. */
const REPORT_COPIES_AT_ONCE = 8;

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
  private async parse(input: WorkerInput): Promise<ParseOutcome> {
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
      if (!("reportId" in seen)) return { status: "present", sha256: sha, code: seen.failure.code, message: seen.failure.message };
      // A region hint reaches the body even when its bytes were stored before.
      const hint = input.hints?.region ? this.applyRegionHint(seen.reportId, input.hints.region) : null;
      return { status: "present", sha256: sha, reportId: seen.reportId, ...(hint ? { [hint.kind]: hint.message } : {}) };
    }
    const outcome = await this.parse({
      bytes: input.bytes,
      name: input.url ?? input.path ?? sha,
      path: input.path ?? null,
      url: input.url ?? null,
      contentType: input.contentType,
      hints: input.hints,
      sha256: sha,
      keepIn: this.store.blobs.dir,
    });
    // Kept so `xxgk reparse` can read it again (by the worker that parsed it, where there was one).
    if (!extrasOf(outcome)?.kept) this.store.keepBytes(input.bytes, sha);
    return this.save(outcome, { sha, locator, input });
  }

  /** Records a file that was never read into bytes (too large, unreadable, a folder that cannot be listed). */
  recordFailure(f: { path: string; code: string; message: string }): IngestResult {
    return this.inGroup(() => this.store.recordFailure(f, this.parser));
  }

  /**
   * Stores one parse outcome, then (same transaction) decides its organ key and refreshes
   * the cross-year checks of its body's neighbouring years.
   */
  save(outcome: ParseOutcome, at: { sha: string; locator: string; input: IngestInput; replace?: boolean }): IngestResult {
    return this.inGroup(() => this.saveNow(outcome, at));
  }

  /** A write of one document, in the batch's commit group where there is one. */
  private inGroup(write: () => IngestResult): IngestResult {
    const group = this.group;
    if (!group) return write();
    const gen = group.begin();
    try {
      const result = write();
      this.savedIn.set(result, { group, gen });
      return result;
    } finally {
      group.saved();
    }
  }

  /** The commit group and generation each result's save went into (see whenStored). */
  private readonly savedIn = new WeakMap<IngestResult, { group: CommitGroup; gen: number }>();

  /**
   * Runs `fn` once what `result` says is committed: at once for a result saved on its own
   * (or not saved: bytes seen before), when its group commits for one saved in a group,
   * never when that group was lost.
   */
  whenStored(result: IngestResult, fn: () => void): void {
    const at = this.savedIn.get(result);
    if (at) at.group.whenCommitted(at.gen, fn);
    else fn();
  }

  /** The group a batch's saves are committed in (`inCommitGroups`), or null: each save commits. */
  private group: CommitGroup | null = null;

  /**
   * Runs a batch whose saves are committed in groups (Store.commitGroup) rather than one by
   * one; everything saved is committed when `fn` ends, however it ends.
   */
  async inCommitGroups<T>(fn: () => Promise<T>, limits?: { docs: number; ms: number }): Promise<T> {
    if (this.group) return fn();
    const group = (this.group = this.store.commitGroup(limits));
    try {
      return await fn();
    } finally {
      this.group = null;
      group.close();
    }
  }

  private saveNow(outcome: ParseOutcome, at: { sha: string; locator: string; input: IngestInput; replace?: boolean }): IngestResult {
    return this.store.transaction(() => {
      const result = this.store.saveOutcome(outcome, { ...at, parser: this.parser });
      if (result.status !== "ingested" || result.reportId === undefined) return result;
      this.documentMetadata(result.reportId, at.sha);
      // The region the document gives, from what was just stored (not read back out of its JSON).
      this.keyOrgan(result.reportId, outcome.ok ? ((extrasOf(outcome)?.form?.head ?? outcome.record).region?.code ?? null) : undefined);
      this.copiesByValues(result.reportId);
      if (at.input.hints?.region && outcome.ok && outcome.region.by === "hint" && !outcome.region.contradiction) this.placeSiblings(result.reportId, at.input.hints.region);
      if (this.store.isCopyOfStoredReport(result.reportId)) result.copy = true;
      // The report consolidated again, then its cross-year checks and the next year's run on
      // the reports as consolidated (a value one copy could not read is read from another).
      const me = this.store.keyYearOf(result.reportId);
      this.store.reports.sync(me.organKey && me.year !== null ? [ReportLedger.unitOf(me.organKey, me.year)] : [], { upTo: REPORT_COPIES_AT_ONCE });
      const crossYear = me.organKey && me.year !== null ? (this.refreshCrossYear(me.organKey, [me.year, me.year + 1]).get(me.year) ?? []) : [];
      const rules = [...(result.failedRules ?? []), ...crossYear.map((c) => c.rule)];
      // Set on the result, not spread into a new one: spreading would read its record (see withRecordOf).
      result.checksFailed = rules.length;
      result.failedRules = rules;
      return result;
    });
  }

  /**
   * The report's organ key. A person's decisions come first, every time a report is keyed
   * (so they survive reparse, new documents and new copies): an alias gives the name the
   * body is keyed under, a region decision places it (a hint only where the document
   * places it nowhere). Then: the key its region already gives this bare name, or the
   * region's bodies re-keyed. `ownRegion`: the region code of the document's own record,
   * where the caller has it at hand.
   */
  private keyOrgan(reportId: number, ownRegion?: string | null): void {
    const o = this.store.organOf(reportId);
    // `ownRegion`: the code the document's record gives, where the caller has it (else read from the store).
    const docRegion = (ownRegion !== undefined ? ownRegion : this.store.documentRegionOf(reportId)) ?? this.correctedDocumentRegion(reportId);
    const docR = docRegion ? regionByCode(docRegion) : null;
    const printed = o.organ ? printedName(o.organ) : null;
    const docBare = o.organ ? bareName(o.organ, docR ? [docR.province, docR.city, docR.county] : []) : null;
    const canonical = this.store.aliasOf([printed, docBare]);
    const decided = this.store.regionDecisionFor([canonical, printed, docBare], docRegion);
    const code = decided && (decided.source !== "hint" || !docRegion) ? decided.code : docRegion;
    const region = code ? regionByCode(code) : null;
    if (decided && code !== docRegion) this.store.setReportRegion(reportId, region, decided.source);
    else if (o.regionCode !== docRegion) this.store.setReportRegion(reportId, docR, "document");
    const name = canonical ?? o.organ;
    // Without the places the document prints in front (its own region's names) and the
    // region it is keyed in, where a person placed it elsewhere: 武汉市硚口区商务局 and
    // 硚口区商务局 stay one body wherever it is placed.
    const places = [...(docR && code !== docRegion ? [docR.province, docR.city, docR.county] : []), ...(region ? [region.province, region.city, region.county] : [])];
    const bare = name ? bareName(name, places) : null;
    this.store.setOrganBare(reportId, bare);
    const known = this.store.knownOrganKey(code, bare, reportId);
    if (known) {
      this.store.setOrganKey(reportId, known);
      if (code === null) this.keepApart(reportId, known);
      return;
    }
    // A name new to its region: its own key, and the keys of the names that abbreviate it
    // (a full name arriving after its abbreviation links both). No other name's key can
    // change (a key depends only on the longer names a name abbreviates), so only those are
    // worked out: all of them at each new body was quadratic in a region's names (and all
    // unplaced bodies share one), cubic over a batch. Only keys that change are written.
    const names = this.store.organNames(code);
    const keys = this.store.regionOrganKeys(code);
    for (const n of names) {
      if (n !== bare && !(bare !== null && isAbbreviationOf(n, bare))) continue;
      const key = organKey(code, n, names);
      if (keys.get(n)?.every((k) => k === key) !== true) this.store.setRegionOrganKey(code, n, key);
    }
    if (code === null && bare !== null) this.keepApart(reportId, organKey(code, bare, names));
  }

  /**
   * A body no division places is known by its name alone, and one name is many bodies
   * (城关镇人民政府: a town in many counties). Two of its documents on one year are one
   * report's copies only where their values say so (agreement: every value both read equal,
   * at least TWIN_NONZERO of them not 0); otherwise the later document (by id: the same
   * whichever order documents are keyed in, at ingest or re-keying all) is kept apart, under
   * `KEY#n` (the first such key whose documents of that year it agrees with, or a new one),
   * and said (`copies.keptApart`): a report counted twice can be seen and merged (placing
   * the body, `xxgk bodies region`); two towns' reports counted as one could not.
   */
  private keepApart(reportId: number, base: string): void {
    const { year } = this.store.keyYearOf(reportId);
    let key = base;
    let apartFrom: number | null = null;
    if (year !== null) {
      // Each key's year is its first document's report: the others joined it by agreeing
      // with that one, so it is the one compared (not every copy: 400 copies would be quadratic).
      for (let n = 1; ; n++) {
        key = n === 1 ? base : `${base}${KEPT_APART}${n}`;
        const first = this.store.firstDocumentOfKeyYear(key, year, reportId);
        if (first === null || this.sameReport(reportId, first)) break;
        apartFrom ??= first;
      }
    }
    this.store.setOrganKey(reportId, key);
    this.store.replaceDiagnostic(
      reportId,
      KEPT_APART_NOTE,
      apartFrom !== null
        ? {
            severity: "warning",
            message: `not counted with document ${apartFrom} of ${base.slice(UNPLACED.length)} on ${year}: no place is read for the name, which many bodies may bear, and their values do not show one report (they differ, or fewer than ${TWIN_NONZERO} equal values are not 0); counted as ${key}. If they are one body's copies, place it: xxgk bodies region ${key} CODE`,
          }
        : null,
    );
  }

  /** Whether two documents print one report's values (agreement, either way round: one may have read less). */
  private sameReport(a: number, b: number): boolean {
    const read = (id: number) => [...this.store.cellValues(id)].filter((e): e is [string, number] => e[1] !== null);
    return this.agreement(read(a), b) !== null || this.agreement(read(b), a) !== null;
  }

  // ---- a copy counted with the report whose values it prints ----

  /**
   * After a document is keyed: matched against the documents printing its values where
   * nothing else tells its report (matchByValues); and, where it tells its own, it gives
   * the documents printing its values that tell nothing their report.
   */
  private copiesByValues(reportId: number): void {
    if (this.matchByValues(reportId) !== "strong") return;
    const total = this.store.cellValue(reportId, NEW_RECEIVED_TOTAL);
    if (total === null || total <= 0) return;
    let mine: Map<string, number | null> | null = null;
    for (const d of this.store.documentsWithNewReceivedTotal(total, reportId, TWIN_CANDIDATES)) {
      if (!(d.ocr || d.key === null || d.year === null || d.key.startsWith(UNPLACED))) continue;
      // Only where this document is its copy by values is the other matched again (matchByValues then looks at all its candidates).
      mine ??= this.store.cellValues(reportId);
      // Its totals first, one look-up each: most candidates printing the same 本年新收 differ there.
      const own = mine;
      const differs = (k: string) => {
        const w = this.store.cellValue(d.id, k);
        const m = own.get(k);
        return w !== null && m != null && w !== m;
      };
      if ([...PRECHECK].some(differs)) continue;
      if (this.agreement([...this.store.cellValues(d.id)].filter((e): e is [string, number] => e[1] !== null), d.id, mine)) this.matchByValues(d.id);
    }
  }

  /**
   * Whether a document's read values (`read`) are all printed the same by the document
   * `theirId` (its cells `theirs`, loaded here where not given), at least TWIN_NONZERO of
   * them not 0, and TWIN_OVERLAP of them read there too: the counts, or null. A few totals
   * are compared first, one look-up each, so most candidates cost no more.
   */
  private agreement(read: [string, number][], theirId: number, theirs?: Map<string, number | null>): { both: number; nonzero: number } | null {
    if (!theirs) {
      for (const [k, v] of read) {
        if (!PRECHECK.has(k)) continue;
        const t = this.store.cellValue(theirId, k);
        if (t !== null && t !== v) return null;
      }
      theirs = this.store.cellValues(theirId);
    }
    let both = 0;
    let nonzero = 0;
    for (const [k, v] of read) {
      const t = theirs.get(k);
      if (t === null || t === undefined) continue;
      if (t !== v) return null;
      both++;
      if (v !== 0) nonzero++;
    }
    return nonzero < TWIN_NONZERO || both < read.length * TWIN_OVERLAP ? null : { both, nonzero };
  }

  /**
   * A document that does not tell which report it is a copy of is counted as a report of
   * its own (or, unplaced, with every same-named body): no year read; no body read; a body
   * no division places (鼓楼区商务局, in four cities; an attachment whose page alone names
   * the city); read by OCR, a body no other document has (硚口 read 研口). Where the
   * documents of exactly one placed report, read from text, print every value it read, the
   * same, at least TWIN_NONZERO of them not 0, and read most of what it read, it is a copy
   * of that report: counted there (its key and year columns; its record keeps what it
   * read), and said (`copies.matchedByValues`). A person's reading of the document comes
   * first. So is a placed, dated document of a name no other document has (a body renamed:
   * 卫生和计划生育委员会 → 卫生健康委员会 in one year's copies; a short name standing for two
   * names, 经信局, so linked to neither), where exactly one report of its region and year
   * prints its values so. Where no copy matches any more, it is counted as it reads again. Returns whether
   * the document tells its report itself ("strong"). `matchedBefore`: it was counted with a
   * copy before a re-keying gave it its own key back.
   */
  private matchByValues(reportId: number, matchedBefore = false): "strong" | "weak" | "person" {
    const now = this.store.unitOf(reportId);
    // Counted with a copy before (a re-keying gave it its own region back since: matchedBefore).
    const matched = now.copy || matchedBefore;
    const ocr = this.store.readByOcr(reportId);
    const untold = now.year === null || now.organKey === null || now.organKey.startsWith(UNPLACED) || (ocr && !this.store.bodyHasOtherDocuments(now.organKey, reportId));
    // A placed body no other document names (a body renamed, 卫生和计划生育委员会 → 卫生健康委员会;
    // a short name standing for two, 经信局): its report may be another name's of its region.
    const newName = !untold && !this.store.bodyHasOtherDocuments(now.organKey!, reportId);
    if (!matched && !untold && !newName) return "strong";
    const sha = this.store.shaOfReport(reportId);
    const corrected = sha ? this.store.ledger.documentCorrection(sha) : null;
    if (corrected?.organ || corrected?.year) return untold || matched ? "person" : "strong";
    const total = this.store.cellValue(reportId, NEW_RECEIVED_TOTAL);
    if (!untold && !matched) {
      // A new name, placed and dated: looked for among its region's reports of its year only.
      const twin = total !== null && total > 0 ? this.twinOf(reportId, total, now.year, now.organKey!.slice(0, now.organKey!.indexOf(":") + 1)) : null;
      if (!twin) return "strong";
    }
    const own = this.store.recordOf(reportId);
    if (!own) return "weak";
    // Placed and dated (by its own key, or by the copy it was counted with): its region's reports only.
    const region = untold ? null : now.organKey!.slice(0, now.organKey!.indexOf(":") + 1);
    const twin = total !== null && total > 0 ? this.twinOf(reportId, total, own.year, region) : null;
    if (twin) {
      this.store.countWith(reportId, twin.id);
      const organ = this.store.organOf(twin.id).organ ?? twin.key;
      this.store.replaceDiagnostic(reportId, MATCHED_BY_VALUES, {
        severity: "info",
        message: `counted as a copy of ${organ}'s report on ${twin.year} (document ${twin.id}, read from its text): the ${twin.both} values both read are equal, ${twin.nonzero} of them not 0; ${ocr ? "OCR read" : "it reads"} this document's organ as ${own.organ ?? "nothing"}, its place as ${own.region?.name ?? "nothing"} and its year as ${own.year ?? "nothing"}`,
      });
      return "weak";
    }
    if (!matched) return untold ? "weak" : "strong";
    // A copy it was matched with is gone or changed: counted as it reads.
    this.store.replaceDiagnostic(reportId, MATCHED_BY_VALUES, null);
    this.store.setDocumentYear(reportId, own.year);
    this.keyOrgan(reportId);
    return "weak";
  }

  /** The one placed report whose documents read from text print every value this one read (see matchByValues), or null. */
  private twinOf(reportId: number, total: number, year: number | null, region: string | null = null): { id: number; key: string; year: number; both: number; nonzero: number } | null {
    const mine = [...this.store.cellValues(reportId)].filter((e): e is [string, number] => e[1] !== null);
    const units = new Map<string, { id: number; key: string; year: number; both: number; nonzero: number }>();
    for (const d of this.store.documentsWithNewReceivedTotal(total, reportId, TWIN_CANDIDATES, region)) {
      if (d.ocr || d.copy || d.key === null || d.year === null || d.key.startsWith(UNPLACED) || (year !== null && d.year !== year)) continue;
      const agreed = this.agreement(mine, d.id);
      if (agreed) units.set(`${d.key}|${d.year}`, { id: d.id, key: d.key, year: d.year, ...agreed });
    }
    return units.size === 1 ? [...units.values()][0] : null;
  }

  /**
   * Keys every current report again (after a person's decision about a body): the
   * corrections and review mark of a body's year follow its documents to their new key,
   * the cross-year checks of every body whose series changed are run again and its
   * reports consolidated again. Returns what moved, in words. The one place re-keying
   * happens: `xxgk bodies`, region hints on stored bytes, and any later correction of a
   * document's organ or year call this.
   */
  rekeyBodies(): { moves: { from: string; to: string; year: number }[]; notes: string[] } {
    return this.store.transaction(() => {
      this.store.reports.sync();
      const before = this.store.documentUnits();
      this.store.clearOrganKeys();
      for (const id of this.store.currentDocumentIds()) this.keyOrgan(id);
      // After every name is keyed: a scan's copy may stand later in the list.
      for (const d of this.store.weakDocuments()) this.matchByValues(d.id, d.matched);
      const after = this.store.documentUnits();
      const touched = new Set<string>();
      const goes = new Map<string, Set<string | null>>(); // old key|year → new keys of its documents
      for (const [id, b] of before) {
        const a = after.get(id);
        if (!a || b.key === a.key) continue;
        if (b.key) touched.add(b.key);
        if (a.key) touched.add(a.key);
        if (b.key && b.year !== null) {
          const k = `${b.key}|${b.year}`;
          if (!goes.has(k)) goes.set(k, new Set());
          goes.get(k)!.add(a.key);
        }
      }
      const stays = new Set([...after.values()].filter((a) => a.key && a.year !== null).map((a) => `${a.key}|${a.year}`));
      const moves: { from: string; to: string; year: number }[] = [];
      const notes: string[] = [];
      for (const [k, to] of goes) {
        const bar = k.lastIndexOf("|");
        const from = k.slice(0, bar);
        const year = Number(k.slice(bar + 1));
        const target = [...to][0];
        if (to.size !== 1 || target === null || stays.has(k)) {
          // Split: each body its documents went to takes back the corrections made under it
          // (a merge undone); the others stay.
          for (const t of to) {
            if (t === null || t === from) continue;
            const back = this.store.returnCorrections(from, year, t);
            if (back) notes.push(`${from} ${year} → ${t}: ${back} correction(s) made under ${t} went back with its documents`);
          }
          notes.push(`${from} ${year}: its other corrections and its review mark stay under ${from} (its documents now belong to ${[...to].map((t) => t ?? "no body").join(", ")}${stays.has(k) ? ` and to ${from}` : ""})`);
          continue;
        }
        const m = this.store.moveBodyYear(from, year, target);
        moves.push({ from, to: target, year });
        if (m.moved) notes.push(`${from} ${year} → ${target}: ${m.moved} correction(s) moved with the report`);
        for (const d of m.superseded) notes.push(`${target} ${year} ${d.cellKey}: two corrections met; the newer stays, correction ${d.id} is superseded`);
      }
      // Only the reports whose documents moved (clearing the keys marked every one).
      this.store.reports.forgetDirty();
      const units: string[] = [];
      for (const [id, b] of before) {
        const a = after.get(id);
        if (a && b.key === a.key) continue;
        units.push(b.key && b.year !== null ? ReportLedger.unitOf(b.key, b.year) : `doc:${id}`);
        if (a) units.push(a.key && a.year !== null ? ReportLedger.unitOf(a.key, a.year) : `doc:${id}`);
      }
      const series = this.yearsOfBodies(touched);
      for (const [key, years] of series) units.push(...years.map((year) => ReportLedger.unitOf(key, year)));
      this.store.reports.sync(units);
      // Every year of a body whose series changed is checked against its year before again.
      for (const [key, years] of series) this.refreshCrossYear(key, years, { everyCopy: true });
      return { moves, notes };
    });
  }

  /** The years of each of these bodies' series, in order (one pass over the current documents). */
  private yearsOfBodies(keys: Set<string>): Map<string, number[]> {
    const years = new Map<string, Set<number>>([...keys].map((k) => [k, new Set<number>()]));
    for (const [, u] of this.store.documentUnits()) if (u.key !== null && u.year !== null) years.get(u.key)?.add(u.year);
    return new Map([...years].map(([k, ys]) => [k, [...ys].sort((a, b) => a - b)]));
  }

  /**
   * A document placed by a region hint: its body's other reports that no document places
   * (stored before the hint was given) are placed with it, and the hint kept for them.
   */
  private placeSiblings(reportId: number, hint: string): void {
    const o = this.store.organOf(reportId);
    if (!o.organ) return;
    const printed = printedName(o.organ);
    const name = this.store.aliasOf([printed]) ?? bareName(o.organ);
    if (this.store.regionDecisionFor([name, printed], null)) return;
    if (!this.store.hasBody(`unplaced:${name}`)) return;
    this.store.setRegionDecision({ name, fromRegion: null, code: hint, source: "hint" });
    this.rekeyBodies();
  }

  /**
   * A region hint (`ingest --region`, a crawl portal's region) met by bytes stored before:
   * a body the document places nowhere is placed (and re-keyed); a hint that contradicts
   * what the document names is not applied, and said (a warning, and a diagnostic on the
   * document). Nothing when it agrees.
   */
  applyRegionHint(reportId: number, hint: string): { kind: "note" | "warning"; message: string } | null {
    if (!isKnownRegionCode(hint)) return { kind: "warning", message: `region hint ${hint} is not a GB/T 2260 division code; not applied` };
    const o = this.store.organOf(reportId);
    const docRegion = this.store.documentRegionOf(reportId);
    const r = regionByCode(hint)!;
    if (docRegion) {
      if (!hintContradicts(docRegion, hint)) return null;
      const own = regionByCode(docRegion);
      const message = `region: hint ${hint} (${describeRegion(r)}) not applied: the document names ${own ? describeRegion(own) : ""} (${docRegion})`;
      this.store.addDiagnostic(reportId, { code: "region.hintContradicted", severity: "warning", key: "region", message });
      return { kind: "warning", message: `${o.organ ?? "(organ not read)"}: ${message}` };
    }
    const printed = o.organ ? printedName(o.organ) : null;
    const canonical = this.store.aliasOf([printed]);
    const name = canonical ?? (o.organ ? bareName(o.organ) : null);
    if (!name) return null;
    const before = this.store.regionDecisionFor([canonical, printed, name], null);
    if (before?.code === hint) return null;
    if (before && before.source === "person")
      return { kind: "warning", message: `${name}: region hint ${hint} not applied: placed in ${before.code} by a person (xxgk bodies region)` };
    this.store.setRegionDecision({ name, fromRegion: null, code: hint, source: "hint" });
    this.rekeyBodies();
    return { kind: "note", message: `${name}: placed in ${hint} (${describeRegion(r)}) by the region hint` };
  }

  /**
   * Runs the cross-year checks of a body's reports for these years again, each against the
   * body's report for the year before, both as the dataset holds them (consolidated from
   * their copies), and keeps them on the reports (ReportLedger.setCrossYearChecks). The
   * caller has consolidated the reports whose documents changed. Returns the findings by
   * year. Other years' checks are left as they are.
   */
  private refreshCrossYear(key: string, years: number[], opts: { everyCopy?: boolean } = {}): Map<number, Check[]> {
    const found = new Map<number, Check[]>();
    for (const year of [...new Set(years)].sort((a, b) => a - b)) {
      // Ids first: a record (~30 KB of JSON) is read only when both years are there to compare.
      if (this.store.latestIdOfYear(key, year) === null) continue;
      const both = this.store.latestIdOfYear(key, year - 1) !== null;
      const checks = both ? crossYearChecks(this.store.reports.ofYear(key, year - 1)!, this.store.reports.ofYear(key, year)!) : [];
      this.store.reports.setCrossYearChecks(key, year, checks, opts);
      found.set(year, checks);
    }
    return found;
  }

  // ---- a person's metadata of a document (serve: corrections.ts correctDocument) ----

  /**
   * The region a person's reading of the document's organ names, where the document itself
   * places it nowhere (the same resolution documentMetadata applies to the report's columns).
   */
  private correctedDocumentRegion(reportId: number): string | null {
    const sha = this.store.shaOfReport(reportId);
    const c = sha ? this.store.ledger.documentCorrection(sha) : null;
    if (!c?.organ) return null;
    return resolveRegion({ organ: c.organ, title: null, text: "" }).region?.code ?? null;
  }

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
      this.copiesByValues(cur.id);
      // The reports it left and joined consolidated again (the reports' triggers marked
      // them), then checked against their years before, and their next years against them.
      this.store.reports.sync();
      const now = this.store.keyYearOf(cur.id);
      if (now.organKey === null || now.year === null) this.store.replaceCrossYearChecks(cur.id, []);
      else this.refreshCrossYear(now.organKey, [now.year, now.year + 1], { everyCopy: true });
      if (before.organKey && before.year !== null) this.refreshCrossYear(before.organKey, [before.year, before.year + 1], { everyCopy: true });
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
        // Read as the ingest read it: with the list page's date and the link's text it was found by.
        const input = { bytes, path: d.path, url: d.url, contentType: d.contentType ?? undefined, ...(d.hints ? { hints: d.hints } : {}) };
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
