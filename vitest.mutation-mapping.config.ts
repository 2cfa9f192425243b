// Mutation run of the mapping (npm run mutation:mapping): normalizers/assemble.ts and
// normalizers/tables.ts against the tests that state what the mapping must make of a
// document (test/mapping.test.ts and test/mapping-rows.test.ts build Documents by hand,
// test/assemble.test.ts raw rows; test/text.test.ts reads text reports through the pipeline). A lower bound: the fixture records
// (test/fixtures-records.test.ts, ~2 min a run) are left out to keep a run short.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/mapping.test.ts", "test/mapping-rows.test.ts", "test/assemble.test.ts", "test/text.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
