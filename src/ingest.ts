// A batch: files and folders (recursively, in a stable order), each read with a size
// bound, parsed and stored one transaction per document; one broken file never stops
// the batch. Zip archives of reports are read member by member with the same bounds as
// DOCX.
import { lstatSync, readdirSync, realpathSync, statSync } from "node:fs";
import { extname, join, resolve, sep } from "node:path";
import { ATTACHMENTS_ONLY } from "../model/document.js";
import { DEFAULT_LIMITS } from "../model/limits.js";
import { sha256 } from "../model/hash.js";
import { Store, type IngestInput, type IngestResult } from "./store.js";
import { IngestService } from "./ingest-service.js";
import { printable } from "./printable.js";
import { noReports, readArchive, REPORT_FILES_TEXT } from "../model/archive.js";
import { errText, readBounded } from "./read-file.js";
import { imageType } from "../extractors/signatures.js";
import iconv from "iconv-lite";

export { readBounded };

export interface BatchSummary {
  /** Documents read and stored. */
  ingested: number;
  /** Of those, copies of a report already stored (another document gives the same body's report for the same year). */
  copies: number;
  /** Bytes stored before as a report: nothing added. */
  present: number;
  /**
   * Files not read as a report, each with its reason. `before: true` when these bytes
   * had already failed the same way in an earlier run (the failure is stored once, and
   * listed every run); `sameAs`: the first file of this run with the same bytes (its failure, again).
   */
  failed: { path: string; code: string; message: string; before?: boolean; sameAs?: string }[];
  /**
   * Portal pages that are not reports themselves: the report is in the files they link
   * (`attachments-only`). Not failures: listed, so a page whose attachments were never
   * read is seen, and stored with their reason like a failure.
   */
  containers: { path: string; message: string }[];
  /** What the walk passed over on purpose (links out of the tree, devices, …). */
  skipped: { path: string; reason: string }[];
  /** Failed check rule → how many reports of this batch failed it. */
  checks: Record<string, number>;
  reportsWithFailedChecks: number;
  /** Stopped early (Ctrl-C): the rest was not read. */
  interrupted: boolean;
  /** What region hints did to bodies stored before (placed them), or why one was not applied. */
  hints?: { path: string; message: string; warning: boolean }[];
  /** Stopped because storing failed (database locked past the timeout, disk full, …): the rest was not read. */
  error?: string;
}

/** One thing the walk found: a file to read, or a reason it is not read. */
export type WalkEntry =
  /** `named`: the path was given itself, not found in a folder. */
  | { kind: "file"; path: string; named?: true; fsPath?: Buffer }
  | { kind: "skip"; path: string; reason: string }
  | { kind: "error"; path: string; code: string; message: string };

const inside = (root: string, p: string) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * Every file under the given paths, in a stable order (each path in the order given,
 * folder entries sorted by name), dotfiles and dot-folders skipped. A path given on the
 * command line is followed even when it is a link; inside a folder, a link to a file in
 * the same tree is read, a link out of the tree or to a folder is not (no escapes, no
 * cycles).
 */
export function* walk(paths: string[]): Generator<WalkEntry> {
  for (const p of paths) {
    const abs = resolve(p);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      yield { kind: "error", path: abs, code: "unreadable", message: errText(e) };
      continue;
    }
    if (st.isDirectory()) {
      let root: string;
      try {
        root = realpathSync(abs);
      } catch (e) {
        yield { kind: "error", path: abs, code: "unreadable", message: errText(e) };
        continue;
      }
      yield* walkDir(abs, root);
    } else if (st.isFile()) yield { kind: "file", path: abs, named: true };
    else yield { kind: "skip", path: abs, reason: "not a regular file" };
  }
}

/**
 * A name as the folder holds it: the string itself where its bytes are UTF-8; else (a
 * GBK name from a Windows archive unpacked here) the bytes to open it by, and a name to
 * show and store it under: GB18030 where the bytes read as that, else the UTF-8 with each
 * byte that is none written %XX.
 */
function nameOf(raw: Buffer): { name: string; raw?: Buffer } {
  const utf8 = raw.toString("utf8");
  if (Buffer.from(utf8, "utf8").equals(raw)) return { name: utf8 };
  const gbk = iconv.decode(raw, "gb18030");
  if (!gbk.includes("\uFFFD") && iconv.encode(gbk, "gb18030").equals(raw)) return { name: gbk, raw };
  let name = "";
  for (const b of raw) name += b < 0x80 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  return { name, raw };
}

/** `dir` (shown) and `fsDir` (the bytes to open it by, where its name is no UTF-8). */
function* walkDir(dir: string, root: string, fsDir?: Buffer): Generator<WalkEntry> {
  let raws: Buffer[];
  try {
    raws = readdirSync(fsDir ?? dir, { encoding: "buffer" });
  } catch (e) {
    yield { kind: "error", path: dir, code: "unreadable", message: `cannot list the folder: ${errText(e)}` };
    return;
  }
  const names = raws
    .map(nameOf)
    .filter((n) => !n.name.startsWith("."))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { name, raw } of names) {
    const path = join(dir, name);
    // Opened by its bytes where the folder or the name is not UTF-8.
    const fsPath = fsDir || raw ? Buffer.concat([fsDir ?? Buffer.from(dir), Buffer.from(sep), raw ?? Buffer.from(name)]) : undefined;
    let st;
    try {
      st = lstatSync(fsPath ?? path);
    } catch (e) {
      yield { kind: "error", path, code: "unreadable", message: errText(e) };
      continue;
    }
    if (st.isSymbolicLink()) {
      let target: string;
      try {
        target = realpathSync(fsPath ?? path);
        st = statSync(target);
      } catch {
        yield { kind: "skip", path, reason: "broken symbolic link" };
        continue;
      }
      if (!inside(root, target)) yield { kind: "skip", path, reason: `symbolic link out of the tree (→ ${target})` };
      else if (st.isFile()) yield { kind: "file", path, ...(fsPath ? { fsPath } : {}) };
      else yield { kind: "skip", path, reason: "symbolic link to a folder (not followed)" };
    } else if (st.isDirectory()) yield* walkDir(path, root, fsPath);
    else if (st.isFile()) yield { kind: "file", path, ...(fsPath ? { fsPath } : {}) };
    else yield { kind: "skip", path, reason: "not a regular file" };
  }
}

export interface BatchOptions {
  /** GB/T 2260 code given for every report of the batch (`--region`). */
  region?: string;
  /** Largest file read (default DEFAULT_LIMITS.maxFileBytes). */
  maxFileBytes?: number;
  /** Called after each document (for a progress bar). */
  onResult?: (path: string, result: IngestResult) => void;
  /** Set `stop` to end the batch after the current document (Ctrl-C). */
  signal?: { stop: boolean };
  /** Filled as the batch goes (so a caller can print what was done if it must quit at once). */
  summary?: BatchSummary;
  /**
   * Read pictures (JPEG, PNG, TIFF, …) found in folders and archives, by OCR (`--images`).
   * A picture named itself is always read. Without it they are skipped, said so: a crawl
   * or a saved site holds thousands of photos and banners, each seconds of OCR.
   */
  images?: boolean;
  /**
   * Documents parsed at once (the size of the pool the service parses in); each is stored
   * by this thread as it finishes, and twice as many are kept in hand. Not given: one at a
   * time (the service parses in this thread).
   */
  jobs?: number;
}

export function emptySummary(): BatchSummary {
  return { ingested: 0, copies: 0, present: 0, failed: [], containers: [], skipped: [], checks: {}, reportsWithFailedChecks: 0, interrupted: false };
}

/**
 * Ingests every file under `paths` through the ingest service (a bare store gets one
 * with parseReport): one transaction per document, committed in groups (Store.commitGroup).
 */
export async function ingestPaths(target: Store | IngestService, paths: string[], opts: BatchOptions = {}): Promise<BatchSummary> {
  const service = target instanceof Store ? new IngestService(target) : target;
  return service.inCommitGroups(() => ingestBatch(service, paths, opts));
}

async function ingestBatch(service: IngestService, paths: string[], opts: BatchOptions): Promise<BatchSummary> {
  const store = service.store;
  const summary = opts.summary ?? emptySummary();
  const hints = opts.region ? { region: opts.region } : undefined;
  const max = opts.maxFileBytes ?? DEFAULT_LIMITS.maxFileBytes;
  /**
   * sha256 → the first file of this run (in walk order) with those bytes: a second file of
   * the same bytes that fails is that file's failure again, not an earlier run's (results
   * are recorded as they are stored, which need not be walk order).
   */
  const firstOf = new Map<string, string>();
  const record = (path: string, r: IngestResult, sha?: string) => {
    if (r.status === "ingested") {
      summary.ingested++;
      if (r.copy) summary.copies++;
      if (r.failedRules?.length) summary.reportsWithFailedChecks++;
      for (const rule of new Set(r.failedRules ?? [])) summary.checks[rule] = (summary.checks[rule] ?? 0) + 1;
    } else if (r.status === "present" && r.code === undefined) summary.present++;
    else if (r.code === ATTACHMENTS_ONLY) summary.containers.push({ path, message: r.message ?? "" });
    else {
      const first = sha === undefined ? undefined : firstOf.get(sha);
      const sameAs = first !== undefined && first !== path ? first : undefined;
      summary.failed.push({ path, code: r.code ?? "failed", message: r.message ?? "", ...(sameAs ? { sameAs } : r.status === "present" ? { before: true } : {}) });
    }
    if (r.note || r.warning) (summary.hints ??= []).push({ path, message: (r.warning ?? r.note)!, warning: !!r.warning });
    opts.onResult?.(path, r);
  };

  // Never read the database itself, its journal or its kept bytes (`xxgk ingest data/`).
  const db = resolve(store.path);
  const own = (p: string) => p === db || p === `${db}-wal` || p === `${db}-shm` || p === `${db}-journal` || inside(store.blobs.dir, p);

  // Up to `jobs` documents parse at once; each is stored as its parse ends (this thread is
  // the one writer) and recorded in the summary in walk order. With a pool (`jobs` given)
  // twice as many are in hand: each worker has its next document waiting (queued in the
  // pool, its time limit not yet running) while this thread stores one, so parsing and
  // storing overlap even with one worker. Parsed in this thread (no `jobs`): one at a time.
  const jobs = Math.max(1, Math.floor(opts.jobs ?? 1));
  const inHand = opts.jobs === undefined ? 1 : 2 * jobs;
  const pending: { sha: string; done: Promise<void> }[] = [];
  let inOrder: Promise<void> = Promise.resolve();
  let storeError: unknown;
  const ingest = async (locator: string, input: IngestInput) => {
    const sha = sha256(input.bytes);
    if (!firstOf.has(sha)) firstOf.set(sha, locator);
    if (inHand === 1) {
      const r = await service.ingestOne({ ...input, sha256: sha });
      service.whenStored(r, () => record(locator, r, sha));
      return;
    }
    // The same bytes twice at once: the store keeps one (its unique index), but the second
    // would be parsed for nothing and counted as a failure to store; let the first finish.
    if (pending.some((p) => p.sha === sha)) await Promise.all(pending.map((p) => p.done));
    while (pending.length >= inHand) await Promise.race(pending.map((p) => p.done));
    if (storeError) throw storeError;
    const result = service.ingestOne({ ...input, sha256: sha });
    const before = inOrder;
    inOrder = result.then(
      async (r) => {
        await before;
        // Told (summary, progress) once committed: never a document the database does not hold.
        service.whenStored(r, () => record(locator, r, sha));
      },
      (e) => {
        storeError ??= e;
      },
    );
    const p = { sha, done: result.then(() => undefined, () => undefined) };
    pending.push(p);
    void p.done.then(() => pending.splice(pending.indexOf(p), 1));
  };

  /** A picture found in a folder or archive, without --images: listed as skipped (true), not read. */
  const skippedPicture = (path: string, bytes: Uint8Array): boolean => {
    const type = opts.images ? null : imageType(bytes);
    if (type) summary.skipped.push({ path, reason: `a ${type} image: pictures in folders are read by OCR only with --images (or name the file itself)` });
    return type !== null;
  };

  // Pictures a report page shows from its own folder are stored with it (src/page-archive.ts)
  // and not read again on their own: each picture's path → the page that took it.
  const usedBy = new Map<string, string>();
  const withPicturesBeside = async (path: string, bytes: Uint8Array): Promise<Uint8Array> => {
    const { pageWithPicturesBeside } = await import("./page-archive.js");
    const archived = await pageWithPicturesBeside(path, bytes, max);
    if (!archived) return bytes;
    for (const used of archived.pictures) usedBy.set(used, path);
    return archived.bytes;
  };

  // Pictures in folders are read last (with --images) or listed as skipped: by then each
  // page that shows one from its own folder has taken it (usedBy), whatever the order.
  const pictures: WalkEntry[] = [];
  function* everything(): Generator<WalkEntry & { later?: true }> {
    yield* walk(paths);
    for (const p of pictures) yield { ...p, later: true } as WalkEntry & { later: true };
  }

  for (const entry of everything()) {
    // Give the event loop a turn between documents: a text parse never waits on I/O, so
    // without this a Ctrl-C (and the progress bar's timer) would only be seen at the end.
    await new Promise<void>((r) => setImmediate(r));
    if (opts.signal?.stop) {
      summary.interrupted = true;
      break;
    }
    try {
      const path = entry.path;
      if (own(path)) continue;
      if (entry.kind === "skip") {
        summary.skipped.push({ path, reason: entry.reason });
        continue;
      }
      if (entry.kind === "error") {
        const r = service.recordFailure({ path, code: entry.code, message: entry.message });
        service.whenStored(r, () => record(path, r));
        continue;
      }
      const read = readBounded(("fsPath" in entry && entry.fsPath) || path, max);
      if (!read.ok) {
        const r = service.recordFailure({ path, code: read.code, message: read.message });
        service.whenStored(r, () => record(path, r));
        continue;
      }
      let bytes: Uint8Array = read.bytes;
      if (!entry.named && !entry.later && imageType(bytes)) {
        pictures.push(entry);
        continue;
      }
      const pictureOf = usedBy.get(resolve(path));
      if (pictureOf && !entry.named) {
        summary.skipped.push({ path, reason: `a picture that ${pictureOf} shows: stored with that page` });
        continue;
      }
      if (!entry.named && skippedPicture(path, bytes)) continue;
      if (extname(path).toLowerCase() === ".zip") {
        const members = readArchive(bytes);
        if (!members.ok) {
          const sha = sha256(bytes);
          const r = service.save({ ok: false, code: members.code, message: members.message }, { sha, locator: path, input: { bytes, path } });
          service.whenStored(r, () => record(path, r, sha));
          continue;
        }
        if (members.docx === false) {
          // An archive that gives nothing to read is said so, once, like any file not read.
          if (!members.entries.length && !members.problems.length) {
            const sha = sha256(bytes);
            const r = service.save({ ok: false, code: "no-reports", message: noReports(members.skipped) }, { sha, locator: path, input: { bytes, path } });
            service.whenStored(r, () => record(path, r, sha));
            continue;
          }
          for (const name of members.skipped) summary.skipped.push({ path: `${path}!/${name}`, reason: `a member of the archive that is no report file (${REPORT_FILES_TEXT})` });
          for (const p of members.problems) {
            const locator = `${path}!/${p.name}`;
            const sha = sha256(p.bytes);
            const r = service.save({ ok: false, code: p.code, message: p.message }, { sha, locator, input: { bytes: p.bytes, path: locator, member: { archive: path, name: p.name } } });
            service.whenStored(r, () => record(locator, r, sha));
          }
          for (const m of members.entries) {
            if (opts.signal?.stop) {
              summary.interrupted = true;
              break;
            }
            const locator = `${path}!/${m.name}`;
            if (skippedPicture(locator, m.bytes)) continue;
            await ingest(locator, { bytes: m.bytes, path: locator, member: { archive: path, name: m.name }, hints });
          }
          continue;
        }
      }
      bytes = await withPicturesBeside(path, bytes);
      await ingest(path, { bytes, path, hints });
    } catch (e) {
      // Not the document's fault (parse failures come back as results): storing failed
      // (the database locked past its timeout, a full disk, …). Stop, keep what is stored, say why.
      summary.error = `${entry.path}: could not be stored: ${(e as Error)?.message ?? String(e)}`;
      break;
    }
  }
  await Promise.all(pending.map((p) => p.done));
  await inOrder;
  if (storeError && !summary.error) summary.error = `could not be stored: ${(storeError as Error)?.message ?? String(storeError)}`;
  return summary;
}

/** Skipped files listed by reason; a reason shared by more than this many lists this many and counts the rest. */
const SKIPPED_LISTED = 5;

/** The summary a person reads after `xxgk ingest`. */
export function describeSummary(s: BatchSummary, db: string): string {
  const lines = [
    `${s.ingested} ingested, ${s.present} already present, ${s.failed.length} failed` +
      `${s.containers.length ? `, ${s.containers.length} page(s) pointing to attachments` : ""}${s.interrupted ? " (interrupted: the rest was not read)" : ""} → ${printable(db)}`,
  ];
  if (s.copies) lines.push(`${s.copies} of the documents ingested ${s.copies === 1 ? "is a copy" : "are copies"} of a report already stored (the same body and year): not new reports`);
  if (s.error) lines.push(`stopped early: ${printable(s.error)} (the rest was not read)`);
  if (s.reportsWithFailedChecks) {
    lines.push(`${s.reportsWithFailedChecks} report(s) with failed checks (findings about the documents; stored with them):`);
    for (const [rule, n] of Object.entries(s.checks).sort()) lines.push(`  ${rule}: ${n}`);
  }
  for (const h of s.hints ?? []) lines.push(`${h.warning ? "warning" : "region"}: ${printable(h.path)} — ${printable(h.message)}`);
  if (s.failed.length) {
    lines.push("failed:");
    for (const f of s.failed) lines.push(`  ${printable(f.path)} — ${printable(f.code)}: ${printable(f.message)}${f.sameAs ? ` (the same bytes as ${printable(f.sameAs)})` : f.before ? " (as before: same bytes, same parser)" : ""}`);
  }
  if (s.containers.length) {
    lines.push("pages whose report is in their attachments (read those files; the crawler follows the links):");
    for (const c of s.containers) lines.push(`  ${printable(c.path)} — ${printable(c.message)}`);
  }
  if (s.skipped.length) {
    lines.push("skipped:");
    const byReason = new Map<string, string[]>();
    for (const k of s.skipped) byReason.set(k.reason, [...(byReason.get(k.reason) ?? []), k.path]);
    for (const [reason, paths] of byReason) {
      const listed = paths.length > SKIPPED_LISTED + 1 ? paths.slice(0, SKIPPED_LISTED) : paths;
      for (const p of listed) lines.push(`  ${printable(p)} — ${printable(reason)}`);
      if (listed.length < paths.length) lines.push(`  … and ${paths.length - listed.length} more — ${printable(reason)}`);
    }
  }
  return lines.join("\n");
}
