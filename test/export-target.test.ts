// Where `export --out` writes: a regular file is written beside and renamed into place; a
// named pipe (or a device: /dev/stdout, /dev/null) is written into, never replaced by a
// regular file; a link to a file stays a link. Before: every target was replaced by a rename
// (as root, `--out /dev/null` replaced the device node).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
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

// A full disk, for real: /dev/full refuses every write (ENOSPC); `ulimit -f` caps the size of
// any file the export writes (EFBIG), so the datapackage's larger files fail part-way.
describe("export onto a full disk", () => {
  const cli = (args: string[], limitKb?: number) =>
    spawnSync("bash", ["-c", `${limitKb ? `ulimit -f ${limitKb}; ` : ""}exec node dist/src/cli.js "$@"`, "bash", "export", "--db", join(dir, "x.sqlite"), ...args], { encoding: "utf8" });

  for (const format of ["jsonl", "csv", "parquet"])
    it(`${format}: one line naming the file and the reason, exit 1`, () => {
      const r = cli(["--format", format, "--out", "/dev/full"]);
      expect(r.stderr).toBe("xxgk: /dev/full: cannot write: no space left on the disk (ENOSPC)\n");
      expect(r.status).toBe(1);
    }, 30_000);

  it("datapackage: a folder the export made is removed; a package already in the folder is left whole", () => {
    const made = join(dir, "made");
    const r = cli(["--format", "datapackage", "--out", join(made, "pkg")], 40);
    expect(r.stderr).toBe(`xxgk: ${join(made, "pkg", "datapackage.json")}: cannot write: the file is larger than this system allows (EFBIG)\n`);
    expect(r.status).toBe(1);
    expect(existsSync(made)).toBe(false);

    const old = join(dir, "old");
    expect(cli(["--format", "datapackage", "--out", old]).status).toBe(0);
    const before = new Map(readdirSync(old).map((f) => [f, readFileSync(join(old, f), "utf8")]));
    expect(before.has("cells.csv") && before.has("datapackage.json")).toBe(true);
    const again = cli(["--format", "datapackage", "--out", old, "--license", "CC-BY-4.0"], 40);
    expect(again.status).toBe(1);
    expect(readdirSync(old).sort()).toEqual([...before.keys()].sort());
    for (const [f, text] of before) expect(readFileSync(join(old, f), "utf8"), f).toBe(text);
  }, 60_000);
});
