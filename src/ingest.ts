// A batch: files and folders (recursively, in a stable order), each read with a size
// bound, parsed and stored; one broken file never stops the batch. Zip archives of
// reports are read member by member with the same bounds as DOCX.
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { DEFAULT_LIMITS } from "./limits.js";
import type { IngestResult, Store } from "./store.js";
import { readArchive } from "./archive.js";

export interface BatchSummary {
  ingested: number;
  present: number;
  failed: { path: string; code: string; message: string }[];
  /** Failed check rule → how many reports failed it. */
  checks: Record<string, number>;
  reportsWithFailedChecks: number;
  interrupted: boolean;
}

/** Every file under the given paths: sorted, dotfiles skipped, links not followed. */
export function* walk(paths: string[]): Generator<string> {
  for (const p of paths) {
    const abs = resolve(p);
    let st;
    try {
      st = lstatSync(abs);
    } catch {
      yield abs; // reported as failed by the reader
      continue;
    }
    if (st.isSymbolicLink()) continue;
    if (st.isDirectory()) {
      const names = readdirSync(abs).filter((n) => !n.startsWith(".")).sort();
      yield* walk(names.map((n) => join(abs, n)));
    } else if (st.isFile()) yield abs;
  }
}

export interface BatchOptions {
  region?: string;
  /** Called after each document (for a progress bar). */
  onResult?: (path: string, result: IngestResult) => void;
  /** Set to stop after the current document (Ctrl-C). */
  signal?: { stop: boolean };
}

export async function ingestPaths(store: Store, paths: string[], opts: BatchOptions = {}): Promise<BatchSummary> {
  const summary: BatchSummary = { ingested: 0, present: 0, failed: [], checks: {}, reportsWithFailedChecks: 0, interrupted: false };
  const hints = opts.region ? { region: opts.region } : undefined;
  const record = (path: string, r: IngestResult) => {
    if (r.status === "ingested") {
      summary.ingested++;
      if (r.failedRules?.length) summary.reportsWithFailedChecks++;
      for (const rule of new Set(r.failedRules ?? [])) summary.checks[rule] = (summary.checks[rule] ?? 0) + 1;
    } else if (r.status === "present") summary.present++;
    else summary.failed.push({ path, code: r.code ?? "failed", message: r.message ?? "" });
    opts.onResult?.(path, r);
  };

  // Never read the database itself, its journal or its kept bytes (`xxgk ingest data/`).
  const own = (p: string) => p.startsWith(resolve(store.path)) || p.startsWith(store.blobs.dir + "/");
  for (const path of walk(paths)) {
    if (own(path)) continue;
    if (opts.signal?.stop) {
      summary.interrupted = true;
      break;
    }
    let bytes: Buffer;
    try {
      const size = lstatSync(path).size;
      if (size > DEFAULT_LIMITS.maxFileBytes) {
        const r = store.save(
          { ok: false, code: "too-large", message: `the file is ${size} bytes, over the ${DEFAULT_LIMITS.maxFileBytes}-byte limit` },
          { sha: "0".repeat(64), locator: path, input: { bytes: new Uint8Array(), path } },
        );
        record(path, r);
        continue;
      }
      bytes = readFileSync(path);
    } catch (e) {
      summary.failed.push({ path, code: "unreadable", message: (e as Error).message });
      continue;
    }
    if (extname(path).toLowerCase() === ".zip") {
      const members = readArchive(bytes, path);
      if (!members.ok) {
        record(path, store.save({ ok: false, code: members.code, message: members.message }, { sha: (await import("./pipeline.js")).sha256(bytes), locator: path, input: { bytes, path } }));
        continue;
      }
      if (members.docx === false) {
        for (const m of members.entries) {
          if (opts.signal?.stop) break;
          const locator = `${path}!/${m.name}`;
          record(locator, await store.ingestOne({ bytes: m.bytes, path: locator, hints }));
        }
        continue;
      }
    }
    record(path, await store.ingestOne({ bytes, path, hints }));
  }
  return summary;
}

export function describeSummary(s: BatchSummary, db: string): string {
  const lines = [
    `${s.ingested} ingested, ${s.present} already present, ${s.failed.length} failed${s.interrupted ? " (interrupted: the rest was not read)" : ""} → ${db}`,
  ];
  if (s.reportsWithFailedChecks) {
    lines.push(`${s.reportsWithFailedChecks} report(s) with failed checks (stored with them):`);
    for (const [rule, n] of Object.entries(s.checks).sort()) lines.push(`  ${rule}: ${n}`);
  }
  if (s.failed.length) {
    lines.push("failed:");
    for (const f of s.failed) lines.push(`  ${basename(f.path) === f.path ? f.path : f.path} — ${f.code}: ${f.message}`);
  }
  return lines.join("\n");
}
