// Mutation run of the unruled-table reader (npm run mutation:stream): extractors/pdf/stream.ts
// against the tests that state what it must make of text placed on a page, without a PDF
// (test/pdf-stream*.test.ts: hand-placed lines, one case at a time). A lower bound: the
// borderless PDF fixtures (test/pdf.test.ts, test/fixtures-records.test.ts) are left out,
// since reading a PDF costs more per mutant than every case here together.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/pdf-stream*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
