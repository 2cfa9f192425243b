// A bug in the code that reads a document is `internal`, never blamed on the file: here
// the PDF layout step throws (as a bug would) on a sound PDF.
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";

vi.mock("../extractors/pdf/layout.js", async (original) => ({
  ...(await original<typeof import("../extractors/pdf/layout.js")>()),
  layout: () => {
    throw new TypeError("Cannot read properties of undefined (reading 'x0')");
  },
}));

const { parseReport } = await import("../src/pipeline.js");

describe("a bug is internal", () => {
  it("a throw in the PDF layout code fails the document as internal, not corrupt-pdf", async () => {
    const out = await parseReport({ bytes: readFileSync("test/fixtures/pdf-cases/lattice.pdf"), name: "lattice.pdf" });
    expect(out).toMatchObject({ ok: false, code: "internal" });
    expect(out.ok || out.message).toContain("reading 'x0'");
  });

  it("what pdfjs cannot read is still the file's fault (corrupt-pdf)", async () => {
    const out = await parseReport({ bytes: readFileSync("test/fixtures/pdf-cases/truncated.pdf"), name: "truncated.pdf" });
    expect(out).toMatchObject({ ok: false, code: "corrupt-pdf" });
  });
});
