// The suite as Stryker runs it (stryker.config.json): every test file except those that
// only exercise the compiled dist/ or a browser, which a mutant of the sources never reaches.
import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.js";

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ["test/cli.test.ts", "test/crawl.test.ts", "test/report-html.test.ts", "**/node_modules/**"],
    },
  }),
);
