// The parse pool's worker (src/parse-pool.ts): one document in, its outcome out.
// Every reader runs here, pdfjs included, so a document that hangs a reader costs this
// worker (ended at the document's time limit), never the writer's thread. What can be
// done for the writer without the database is done here too, on this core
// (src/worker-outcome.ts): the bytes are kept in the store's blob folder when the input
// names it, before the outcome is returned (so they are there before anything is written
// about them), and the record goes back as its stored form.
import { parseReport, type ParseInput, type ParseOutcome } from "./pipeline.js";
import { BlobStore } from "./blobs.js";
import { storedForm } from "./stored-form.js";
import type { WorkerInput, WorkerMessage } from "./worker-outcome.js";

const blobStores = new Map<string, BlobStore>();

/** Keeps the bytes in the blob folder `dir`; false when that failed (the writer then keeps them itself, and says why it cannot). */
function keep(input: ParseInput, dir: string): boolean {
  try {
    let blobs = blobStores.get(dir);
    if (!blobs) blobStores.set(dir, (blobs = new BlobStore(dir)));
    blobs.put(input.bytes, input.sha256);
    return true;
  } catch {
    return false;
  }
}

export default async function parse(input: WorkerInput): Promise<WorkerMessage> {
  let out: ParseOutcome;
  try {
    out = await parseReport(input);
  } catch (e) {
    out = { ok: false, code: "internal", message: `the parser failed on this document (a bug): ${(e as Error)?.message ?? String(e)}` };
  }
  const kept = input.keepIn ? keep(input, input.keepIn) : false;
  if (!out.ok) return { ...out, kept };
  const { record, ...rest } = out;
  return { ...rest, form: storedForm(record), kept };
}
