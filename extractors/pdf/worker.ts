// The PDF worker's entry: one job at a time from the pool (pool.ts), answered with the
// Document or the failure's message and code. pdfjs runs here, so a file that hangs it
// costs a terminated worker, never the caller's event loop.
import { parentPort } from "node:worker_threads";
import { ExtractError } from "../../model/document.js";
import { extractInThread } from "./build.js";
import { inflateTripped, startInflateBudget, tuneWorkerThread, warm } from "./read.js";

export interface Job {
  id: number;
  bytes: Uint8Array;
  maxPages: number;
  /** What the document's compressed streams may inflate to in all (limits.maxPdfInflateBytes). */
  maxInflateBytes: number;
}

export type Answer = { id: number; ok: true; doc: import("../../model/document.js").Document } | { id: number; ok: false; message: string; code: string };

if (!parentPort) throw new Error("extractors/pdf/worker is a worker_threads entry");
const port = parentPort;
port.on("message", async (job: Job) => {
  let answer: Answer;
  startInflateBudget(job.maxInflateBytes);
  try {
    answer = { id: job.id, ok: true, doc: await extractInThread(job.bytes, job.maxPages) };
  } catch (e) {
    answer =
      e instanceof ExtractError
        ? { id: job.id, ok: false, message: e.message, code: e.code }
        : { id: job.id, ok: false, message: `the PDF could not be read: ${(e as Error)?.message ?? String(e)}`, code: "corrupt-pdf" };
  }
  // Over the inflate budget, what was read is not the document (a stream came out empty).
  const tripped = inflateTripped();
  if (tripped) answer = { id: job.id, ok: false, message: tripped, code: "too-large" };
  port.postMessage(answer);
});
// Load pdfjs before saying ready: a job's time limit counts the document, not start-up.
tuneWorkerThread();
await warm();
port.postMessage({ ready: true });
