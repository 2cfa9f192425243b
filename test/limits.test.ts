// The wall-clock bound for the readers that run in this thread (text, HTML, DOCX): they
// check limits.timeoutMs between their steps and fail as timeout once it has passed.
// (The PDF reader's bound, a killed worker, is tested in pdf.test.ts.)
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseReport } from "../src/pipeline.js";

const files = ["test/fixtures/generated/g01-2021.cells.txt", "test/fixtures/generated/g01-2021.portal-utf-8.html", "test/fixtures/generated/g01-2021.lo.docx"];

describe("limits.timeoutMs outside PDFs", () => {
  for (const file of files)
    it(`${file.split(".").slice(1).join(".")}: over the limit → timeout naming the limit; within it → a record`, async () => {
      const bytes = readFileSync(file);
      const late = await parseReport({ bytes, name: file, limits: { timeoutMs: 0 } });
      expect(late).toMatchObject({ ok: false, code: "timeout" });
      if (!late.ok) expect(late.message).toBe(`${file}: the parse took longer than 0s (limits.timeoutMs)`);
      expect((await parseReport({ bytes, name: file })).ok).toBe(true);
    });
});
