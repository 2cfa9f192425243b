// A quick mutation run of the template arithmetic (normalizers/checks.ts) on a small,
// shared machine: only the test files that state what the checks must find (the
// mapping's checks, the fixtures' expected checks, the checks' own tests). The whole
// suite (vitest.mutation.config.ts) kills at least as many mutants: this is a lower bound.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/mapping.test.ts", "test/fixtures.test.ts", "test/checks.test.ts", "test/checks-arithmetic.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
