// The wall-clock bound for the readers that run in this thread (text, HTML, DOCX): they
// check limits.timeoutMs between their steps and fail as timeout once it has passed.
// (The PDF reader's bound, a killed worker, is tested in pdf.test.ts.)
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseReport } from "../src/pipeline.js";
import { Deadline, DEFAULT_LIMITS } from "../model/limits.js";
import { extractText } from "../extractors/text.js";
import { extractHtml } from "../extractors/html.js";
import { extractDocx } from "../extractors/docx.js";
import type { ExtractOptions } from "../extractors/types.js";

const files = ["test/fixtures/generated/g01-2021.cells.txt", "test/fixtures/generated/g01-2021.portal-utf-8.html", "test/fixtures/generated/g01-2021.lo.docx"];

describe("limits.timeoutMs outside PDFs", () => {
  for (const file of files)
    it(`${file.split(".").slice(1).join(".")}: over the limit → timeout naming the limit; within it → a record`, async () => {
      const bytes = readFileSync(file);
      const late = await parseReport({ bytes, name: file, limits: { timeoutMs: 0 } });
      expect(late).toMatchObject({ ok: false, code: "timeout" });
      if (!late.ok) expect(late.message).toBe("the parse took longer than 0s (limits.timeoutMs)"); // the caller names the file, once
      expect((await parseReport({ bytes, name: file })).ok).toBe(true);
    });
});

describe("each in-thread reader checks the deadline itself", () => {
  // Called directly with a deadline already passed, a reader stops at its first check
  // (before the pipeline's own check after extraction could).
  const cases: [string, (b: Uint8Array, o: ExtractOptions) => Promise<unknown>][] = [
    ["test/fixtures/generated/g01-2021.cells.txt", extractText],
    ["test/fixtures/generated/g01-2021.portal-utf-8.html", extractHtml],
    ["test/fixtures/generated/g01-2021.lo.docx", extractDocx],
  ];
  for (const [file, extract] of cases)
    it(file.split(".").slice(1).join("."), async () => {
      const options = { name: file, limits: DEFAULT_LIMITS, deadline: new Deadline(0) };
      await expect(extract(new Uint8Array(readFileSync(file)), options)).rejects.toMatchObject({ code: "timeout" });
      await expect(extract(new Uint8Array(readFileSync(file)), { ...options, deadline: new Deadline(60_000) })).resolves.toBeTruthy();
    });
});
