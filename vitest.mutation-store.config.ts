// Mutation run of the store (npm run mutation:store): src/store.ts, src/report-ledger.ts and
// src/statements.ts against the tests that state what they must keep — the store's and
// the report ledger's own tests on a real SQLite file and the crawl ledger's. A lower bound: the crawl, export and view tests exercise the store too.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/store.test.ts", "test/store-api.test.ts", "test/store-reports.test.ts", "test/report-ledger.test.ts", "test/dataset-export.test.ts", "test/crawl-ledger.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
