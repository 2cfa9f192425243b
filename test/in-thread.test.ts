// `xxgk extract` reads text and HTML in its own thread (src/in-thread.ts): the same
// outcome as the pool's parse, under a hard time limit that stops the parse wherever it is.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseReport } from "../src/pipeline.js";
import { parseInThread, runWithin } from "../src/in-thread.js";

const dirs = ["test/fixtures/generated", "test/fixtures/html-cases", "test/fixtures/inputs", "data/samples"];
const files = dirs.flatMap((d) => readdirSync(d).filter((f) => /\.(txt|html?|md)$/.test(f)).map((f) => join(d, f)));

describe("a text or HTML report read in this thread", () => {
  it("has fixtures of both formats to compare", () => {
    expect(files.filter((f) => f.endsWith(".txt")).length).toBeGreaterThan(10);
    expect(files.filter((f) => /\.html?$/.test(f)).length).toBeGreaterThan(10);
  });

  it("gives exactly the outcome of parseReport, success or failure, for every fixture", async () => {
    let read = 0;
    for (const file of files) {
      const input = { bytes: new Uint8Array(readFileSync(file)), name: file, hints: { region: null } };
      const here = await parseInThread(input);
      expect(here, file).not.toBeNull();
      expect(here, file).toEqual(await parseReport(input));
      if (here?.ok) read++;
    }
    expect(read).toBeGreaterThan(files.length / 2);
  });

  it("leaves PDF, DOCX and unrecognised bytes to a worker (null)", async () => {
    const pdf = readdirSync("test/fixtures/generated").find((f) => f.endsWith(".pdf"))!;
    const docx = readdirSync("test/fixtures/generated").find((f) => f.endsWith(".docx"))!;
    for (const f of [pdf, docx]) {
      const bytes = new Uint8Array(readFileSync(join("test/fixtures/generated", f)));
      expect(await parseInThread({ bytes, name: f }), f).toBeNull();
    }
    expect(await parseInThread({ bytes: new Uint8Array([0, 1, 2, 3, 0, 0, 9]), name: "x.bin" })).toBeNull();
  });

  it("stops a parse over limits.timeoutMs as timeout", async () => {
    // Forty reports in one file: far more than a millisecond of work before any reader's own check.
    const one = readFileSync("data/samples/2024-硚口区商务局.txt", "utf8");
    const bytes = new Uint8Array(Buffer.from(Array(40).fill(one).join("\n")));
    const out = await parseInThread({ bytes, name: "forty.txt", limits: { timeoutMs: 1 } });
    expect(out).toMatchObject({ ok: false, code: "timeout" });
    // Within the limit the same bytes are read.
    const within = await parseInThread({ bytes, name: "forty.txt" });
    expect(within).not.toBeNull();
    expect(within!.ok || within!.code).not.toBe("timeout");
  });
});

describe("runWithin: the hard limit itself", () => {
  it("ends a loop that never checks a clock, and a regular expression that backtracks for ever", () => {
    expect(runWithin(() => { for (;;); }, 50)).toEqual({ done: false });
    expect(runWithin(() => /^(a+)+b$/.test("a".repeat(60) + "c"), 50)).toEqual({ done: false });
  });

  it("keeps running when a try/catch inside the work would swallow an error", () => {
    const stubborn = () => {
      for (;;) {
        try {
          for (;;);
        } catch {
          /* a stop is not an exception JavaScript can catch */
        }
      }
    };
    expect(runWithin(stubborn, 50)).toEqual({ done: false });
  });

  it("returns what the work returns, and lets its own errors through", () => {
    expect(runWithin(() => 6 * 7, 1000)).toEqual({ done: true, value: 42 });
    expect(() => runWithin(() => { throw new RangeError("its own"); }, 1000)).toThrow("its own");
  });
});
