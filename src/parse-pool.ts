// Parsing on every core: a pool of worker threads (tinypool) that run parseReport
// (src/parse-worker.ts), while the caller's thread, the one writer, stores. `jobs`
// documents are parsed at once (default: the machine's cores).
//
// Every document has a hard time limit, whatever its format: limits.timeoutMs from when
// it is handed to a worker. At the limit the worker is ended (tinypool terminates it on
// the task's abort signal) and a fresh one serves the next document; the document fails
// as `timeout`. A worker that dies (out of memory, a crash) fails only its document.
//
// The worker entry is parse-worker.js next to this module in the compiled dist/; from
// TypeScript sources (vitest, tsx) it is parse-worker.ts, loaded through tsx's tsImport
// by a two-line data: module (a worker's execArgv `--import tsx` does not reach it on Node 20).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import Tinypool from "tinypool";
import { DEFAULT_LIMITS } from "../model/limits.js";
import { mayNeedOcr } from "../extractors/index.js";
import type { ParseOutcome } from "./pipeline.js";
import { fromWorker, type WorkerInput, type WorkerMessage } from "./worker-outcome.js";

export interface ParsePoolOptions {
  /** Documents parsed at once (worker threads). Default: the machine's cores. */
  jobs?: number;
  /** Heap a worker may use, in MB, before it is ended as out of memory. */
  maxHeapMb?: number;
}

/** What tinypool imports in each worker: parse-worker.js when compiled, parse-worker.ts through tsx from sources. */
export function workerFile(base = import.meta.url): string {
  if (!/\.[cm]?ts$/.test(new URL(base).pathname)) return new URL("./parse-worker.js", base).href;
  const require = createRequire(base);
  const pkgPath = require.resolve("tsx/package.json");
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as { exports: Record<string, { import: { default: string } }> };
  const api = pathToFileURL(join(dirname(pkgPath), pkg.exports["./esm/api"].import.default)).href;
  const ts = new URL("./parse-worker.ts", base).href;
  const code = `import { tsImport } from ${JSON.stringify(api)};\nexport default (await tsImport(${JSON.stringify(ts)}, ${JSON.stringify(base)})).default;\n`;
  return `data:text/javascript,${encodeURIComponent(code)}`;
}

export const defaultJobs = (): number => Math.max(1, availableParallelism());

interface Waiting {
  input: WorkerInput;
  resolve: (o: ParseOutcome) => void;
}

export class ParsePool {
  readonly jobs: number;
  private readonly pool: Tinypool;
  private readonly waiting: Waiting[] = [];
  private running = 0;
  private closed = false;

  constructor(options: ParsePoolOptions = {}) {
    this.jobs = Math.max(1, Math.floor(options.jobs ?? defaultJobs()));
    this.pool = new Tinypool({
      filename: workerFile(),
      // Started at once: a worker loads the readers while the caller reads its first file.
      minThreads: this.jobs,
      maxThreads: this.jobs,
      // Warm workers serve the whole batch (pdfjs costs ~200 ms to load in each).
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 1536 },
    });
  }

  /**
   * Parses one document in a worker. Never throws: a failure comes back as { ok: false }.
   * With `keepIn`, the worker also keeps the bytes in that blob folder (extrasOf tells).
   */
  parse(input: WorkerInput): Promise<ParseOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, code: "cancelled", message: "the parse pool was closed" });
    return new Promise((resolve) => {
      this.waiting.push({ input, resolve });
      this.pump();
    });
  }

  /** Documents being parsed now. */
  get busy(): number {
    return this.running;
  }

  /** Ends the workers; documents not yet started fail as `cancelled`. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.resolve({ ok: false, code: "cancelled", message: "the parse pool was closed" });
    await this.pool.destroy();
  }

  // Only as many documents as there are workers are handed over, so a document's clock
  // starts when a worker takes it, not while it waits behind others.
  private pump(): void {
    while (this.running < this.jobs && this.waiting.length) {
      const w = this.waiting.shift()!;
      this.running++;
      void this.run(w.input).then((o) => {
        this.running--;
        w.resolve(o);
        this.pump();
      });
    }
  }

  private async run(input: WorkerInput): Promise<ParseOutcome> {
    // A PDF may turn out to be a scan, and an image is one, read by OCR within its own bound:
    // its worker is given both limits (the OCR kills its child processes at its own).
    const limits = { ...DEFAULT_LIMITS, ...input.limits };
    const ms = mayNeedOcr(input.bytes, input.name) ? limits.timeoutMs + limits.ocrTimeoutMs : limits.timeoutMs;
    // The worker gets its own copy of the bytes (moved, not cloned twice); the caller's stay usable.
    const bytes = new Uint8Array(input.bytes);
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, ms);
    try {
      return fromWorker((await this.pool.run({ ...input, bytes }, { signal: abort.signal, transferList: [bytes.buffer as ArrayBuffer] })) as WorkerMessage);
    } catch (e) {
      if (timedOut)
        return { ok: false, code: "timeout", message: `the parse took longer than ${+(ms / 1000).toFixed(3)}s (limits.timeoutMs${ms !== limits.timeoutMs ? " + limits.ocrTimeoutMs" : ""}); its worker was ended` };
      const err = e as { code?: string; message?: string };
      if (err?.code === "ERR_WORKER_OUT_OF_MEMORY") return { ok: false, code: "out-of-memory", message: "the document needs more memory than a parse worker may use" };
      if (this.closed) return { ok: false, code: "cancelled", message: "the parse pool was closed" };
      return { ok: false, code: "worker-crash", message: `the parse worker stopped: ${err?.message ?? String(e)}` };
    } finally {
      clearTimeout(timer);
    }
  }
}
