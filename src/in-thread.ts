// One document parsed in the caller's own thread, under the same hard time limit a pool
// worker has, for the commands that read one document and end (`xxgk extract`): starting
// a worker thread and loading the readers again in it cost more than reading a text report.
//
// Only formats whose reader is plain synchronous JavaScript (a registry entry with
// `readInThread`: text and HTML) are read here; the parse runs inside a vm call with a
// timeout, so V8 stops it at limits.timeoutMs wherever it is (a regular expression gone
// quadratic included), as ending a worker would. Every other format, a file whose bytes
// are not recognised at all, and a page whose tables are pictures to read by OCR (its
// reader says so), are left to the pool (null comes back).
//
// A parse stopped in the middle may leave this thread's caches half-filled: a batch, which
// goes on to other documents, parses in the pool (src/parse-pool.ts), never here.
import { runInNewContext } from "node:vm";
import { DEFAULT_LIMITS } from "../model/limits.js";
import { formatEntry, sniff, type Kind } from "../extractors/index.js";
import { FULL_READER, parseReportWith, recordSchema, type ParseInput, type ParseOutcome } from "./pipeline.js";

/** The outcome of a parse in this thread, or null where the format needs a worker. */
export async function parseInThread(input: ParseInput): Promise<ParseOutcome | null> {
  let kind: Kind;
  try {
    kind = input.format ?? sniff(input.bytes, input.name).kind;
  } catch {
    return null; // not a format xxgk reads: the pool's parse says why, as for every other file
  }
  const load = formatEntry(kind).readInThread;
  if (!load) return null;
  const read = await load();
  const ms = Math.max(1, Math.floor(input.limits?.timeoutMs ?? DEFAULT_LIMITS.timeoutMs));
  const built = runWithin(() => parseReportWith(input, read, kind), ms);
  if (!built.done)
    return { ok: false, code: "timeout", message: `the parse took longer than ${+(ms / 1000).toFixed(3)}s (limits.timeoutMs); it was stopped` };
  if (built.value === FULL_READER) return null; // pictures to read by OCR: the pool's worker runs the full reader
  return typeof built.value === "function" ? built.value(await recordSchema()) : built.value;
}

/**
 * Runs `work` (synchronous) and stops it after `ms` milliseconds wherever it is: a vm call's
 * timeout, which has V8 end the running JavaScript (no try/catch inside can keep it going).
 */
export function runWithin<T>(work: () => T, ms: number): { done: true; value: T } | { done: false } {
  try {
    return { done: true, value: runInNewContext("work()", { work }, { timeout: Math.max(1, Math.floor(ms)) }) as T };
  } catch (e) {
    if ((e as { code?: string })?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return { done: false };
    throw e;
  }
}
