// Reading one file whole (src/read-file.ts): a named pipe, a device or a folder where a file
// was expected is refused at once, never waited on. Run in a child process with a time
// limit: before the fix the open blocked for ever (SIGTERM could not end it either), and a
// blocked synchronous call cannot be timed out from inside the test's own thread.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// node itself with tsx's loader (not the tsx command, whose own child would outlive the kill).
const script = (code: string) =>
  spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { encoding: "utf8", timeout: 30_000, killSignal: "SIGKILL" });

describe("readBounded", () => {
  it("refuses a named pipe without waiting for a writer", () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-fifo-"));
    expect(spawnSync("mkfifo", [join(dir, "p")]).status).toBe(0);
    const out = script(`import { readBounded } from "./src/read-file.ts"; console.log(JSON.stringify(readBounded(${JSON.stringify(join(dir, "p"))}, 1000)));`);
    expect(out.signal).toBeNull();
    expect(JSON.parse(out.stdout.trim())).toEqual({ ok: false, code: "unreadable", message: "cannot read: not a regular file (a named pipe)" });
  }, 40_000);

  it("an ingest of a page whose picture beside it is a named pipe ends, and the batch goes on", () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-fifo-"));
    const page = readFileSync("test/fixtures/html-cases/image-tables.html", "utf8").replace(/src="\/img\//g, 'src="');
    writeFileSync(join(dir, "page.html"), page);
    expect(spawnSync("mkfifo", [join(dir, "t2.png")]).status).toBe(0);
    copyFileSync("data/samples/2024-硚口区商务局.txt", join(dir, "z.txt"));
    const out = script(
      `import { openStore } from "./src/store.ts"; import { ingestPaths } from "./src/ingest.ts";
       void (async () => {
         const store = openStore(${JSON.stringify(join(dir, "db", "x.sqlite"))});
         const s = await ingestPaths(store, [${JSON.stringify(dir)}]); store.close();
         console.log(JSON.stringify({ ingested: s.ingested, failed: s.failed.map((f) => f.path.split("/").pop()) }));
       })();`,
    );
    expect(out.signal).toBeNull();
    expect(JSON.parse(out.stdout.trim().split("\n").pop()!)).toEqual({ ingested: 1, failed: ["page.html"] });
  }, 40_000);
});
