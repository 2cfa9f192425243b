// The parse pool's worker (src/parse-pool.ts): one document in, its ParseOutcome out.
// Every reader runs here, pdfjs included, so a document that hangs a reader costs this
// worker (ended at the document's time limit), never the writer's thread.
import { parseReport, type ParseInput, type ParseOutcome } from "./pipeline.js";

export default async function parse(input: ParseInput): Promise<ParseOutcome> {
  try {
    return await parseReport(input);
  } catch (e) {
    return { ok: false, code: "internal", message: `the parser failed on this document (a bug): ${(e as Error)?.message ?? String(e)}` };
  }
}
