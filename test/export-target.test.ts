// Where `export --out` writes: a regular file is written beside and renamed into place; a
// named pipe (or a device: /dev/stdout, /dev/null) is written into, never replaced by a
// regular file; a link to a file stays a link. Before: every target was replaced by a rename
// (as root, `--out /dev/null` replaced the device node).
import { spawn, spawnSync } from "node:child_process";
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../src/store.js";
import { ingestPaths } from "../src/ingest.js";
import { exportRecords } from "../src/export.js";

let dir: string;
let store: Store;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "xxgk-out-"));
  store = openStore(join(dir, "x.sqlite"));
  await ingestPaths(store, ["data/samples/2024-硚口区商务局.txt"]);
});
afterAll(() => store.close());

describe("export --out onto what is not a regular file", () => {
  for (const format of ["jsonl", "csv", "parquet"]) {
    it(`${format}: writes into a named pipe and leaves it a pipe`, async () => {
      const fifo = join(dir, `${format}.fifo`);
      expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
      const reader = spawn("sh", ["-c", `cat "${fifo}" | wc -c`]);
      let got = "";
      reader.stdout.on("data", (d) => (got += d));
      const ended = new Promise<void>((r) => reader.on("close", () => r()));
      expect(await exportRecords(store, format, fifo)).toBe(1);
      await ended;
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      expect(Number(got.trim())).toBeGreaterThan(100);
    }, 30_000);
  }

  it("a link to a file stays a link; the file it names gets the export", async () => {
    writeFileSync(join(dir, "v1.csv"), "old\n");
    symlinkSync("v1.csv", join(dir, "latest.csv"));
    await exportRecords(store, "csv", join(dir, "latest.csv"));
    expect(lstatSync(join(dir, "latest.csv")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, "latest.csv"))).toBe("v1.csv");
    expect(readFileSync(join(dir, "v1.csv"), "utf8")).toMatch(/^\uFEFF?report_id,/);
  });
});
