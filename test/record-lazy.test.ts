// zod loads only when a record fails the fast check (model/record-check.ts): a record
// that fails it still fails with zod's words, and one taken through zod (the fast check
// turned off here) comes out the same as through the fast check.
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";

const state = vi.hoisted(() => ({ fast: true }));
vi.mock("../model/record-check.js", async (original) => {
  const mod = await original<typeof import("../model/record-check.js")>();
  return { ...mod, checkRecord: (v: unknown) => (state.fast ? mod.checkRecord(v) : undefined) };
});

const { parseReport, buildRecord, recordSchema } = await import("../src/pipeline.js");

const FILES = [
  "test/fixtures/generated/g01-2021.portal-utf-8.html",
  "test/fixtures/generated/g01-2021.cells.txt",
  "test/fixtures/generated/g01-2021.md",
];

describe("the record's schema, loaded when needed", () => {
  it("a record that fails the contract fails as before, worded by zod", async () => {
    const bytes = readFileSync(FILES[0]);
    const out = await parseReport({ bytes, name: "a.html", sha256: "not a sha256" });
    expect(out).toMatchObject({ ok: false, code: "internal" });
    expect(out.ok || out.message).toMatch(/^record failed the contract \(a parser bug\): .*sha256/s);
  });

  it("buildRecord asks for the schema to be loaded where it needs it, and words the failure once it is", async () => {
    const doc = { meta: {}, diagnostics: [], blocks: [] };
    // No tables: an outcome without a record, no schema needed.
    expect(buildRecord(doc, { bytes: new Uint8Array([1]), name: "x" }, "text")).toMatchObject({ ok: false, code: "not-a-report" });
    await recordSchema();
    expect(buildRecord(doc, { bytes: new Uint8Array([1]), name: "x" }, "text")).toMatchObject({ ok: false, code: "not-a-report" });
  });

  it("through zod or through the fast check, the same outcome", async () => {
    for (const file of FILES) {
      const bytes = readFileSync(file);
      state.fast = true;
      const fast = await parseReport({ bytes, name: file, path: file });
      state.fast = false;
      const slow = await parseReport({ bytes, name: file, path: file });
      state.fast = true;
      expect(fast.ok).toBe(true);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
    }
  });
});
