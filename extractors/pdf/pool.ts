// A small pool of PDF workers (worker_threads), kept warm across the documents of a
// batch: pdfjs costs ~200 ms to load and ~150 ms for its first document, later documents
// a few ms a page. Each job is bounded by a wall-clock limit: a worker that overruns it is
// terminated (a hostile PDF cannot stall the batch) and a fresh one serves the next job.
//
// The entry is worker.js next to this module in the compiled dist/; under vitest or tsx
// (this module loaded as .ts) it is worker.ts, started with `--import tsx`.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { ExtractError, type Document } from "../../model/document.js";
import type { Answer, Job } from "./worker.js";

interface Pending {
  job: Job;
  timeoutMs: number;
  resolve: (d: Document) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  current?: Pending & { timer: NodeJS.Timeout };
  dead?: boolean;
}

/**
 * How to start the worker: compiled, worker.js next to this module; from TypeScript
 * sources (vitest, tsx), worker.ts through tsx's tsImport in a small eval bootstrap
 * (`execArgv: ["--import", "tsx"]` does not reach a worker's entry on Node 20).
 */
export function workerEntry(base = import.meta.url): { entry: URL | string; eval: boolean } {
  if (!/\.[cm]?ts$/.test(new URL(base).pathname)) return { entry: new URL("./worker.js", base), eval: false };
  const require = createRequire(base);
  const pkgPath = require.resolve("tsx/package.json");
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as { exports: Record<string, { import: { default: string } }> };
  const api = pathToFileURL(join(dirname(pkgPath), pkg.exports["./esm/api"].import.default)).href;
  const ts = new URL("./worker.ts", base).href;
  return { entry: `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(ts)}, ${JSON.stringify(base)}))`, eval: true };
}

export class PdfPool {
  private slots: Slot[] = [];
  private queue: Pending[] = [];
  private nextId = 1;

  constructor(readonly size = Math.max(1, Math.min(2, availableParallelism() - 1))) {}

  run(bytes: Uint8Array, maxPages: number, timeoutMs: number, maxInflateBytes = Infinity): Promise<Document> {
    // A copy the worker can own: the caller's buffer stays usable.
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return new Promise<Document>((resolve, reject) => {
      this.queue.push({ job: { id: this.nextId++, bytes: copy, maxPages, maxInflateBytes }, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  /** Workers alive now (for tests). */
  get workers(): number {
    return this.slots.length;
  }

  async close(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    for (const p of this.queue.splice(0)) p.reject(new ExtractError("the PDF worker pool was closed", "cancelled"));
    await Promise.all(
      slots.map((s) => {
        s.dead = true;
        if (s.current) {
          clearTimeout(s.current.timer);
          s.current.reject(new ExtractError("the PDF worker pool was closed", "cancelled"));
        }
        return s.worker.terminate();
      }),
    );
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => s.ready && !s.current && !s.dead);
      if (!slot) {
        if (this.slots.length < this.size) this.spawn();
        return;
      }
      this.start(slot, this.queue.shift()!);
    }
  }

  private spawn(): void {
    const { entry, eval: isEval } = workerEntry();
    const worker = new Worker(entry, { eval: isEval, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 1536 }, stdout: false, stderr: false });
    const slot: Slot = { worker, ready: false };
    this.slots.push(slot);
    worker.unref();
    worker.on("message", (m: Answer | { ready: true }) => {
      if ("ready" in m) {
        slot.ready = true;
        this.pump();
        return;
      }
      const cur = slot.current;
      if (!cur || cur.job.id !== m.id) return;
      clearTimeout(cur.timer);
      slot.current = undefined;
      worker.unref();
      if (m.ok) cur.resolve(m.doc);
      else cur.reject(new ExtractError(m.message, m.code));
      this.pump();
    });
    const fail = (err: Error) => {
      if (slot.dead) return;
      slot.dead = true;
      this.slots = this.slots.filter((s) => s !== slot);
      const cur = slot.current;
      if (cur) {
        clearTimeout(cur.timer);
        const oom = (err as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY";
        cur.reject(
          oom
            ? new ExtractError("the PDF needs more memory than the worker may use", "out-of-memory")
            : new ExtractError(`the PDF worker stopped: ${err.message}`, "worker-crash"),
        );
      } else if (!slot.ready && this.queue.length) {
        // The worker could not even start: fail the waiting jobs rather than respawn forever.
        for (const p of this.queue.splice(0)) p.reject(new ExtractError(`the PDF worker could not start: ${err.message}`, "worker-crash"));
      }
      this.pump();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`exit code ${code}`)));
  }

  private start(slot: Slot, p: Pending): void {
    const timer = setTimeout(() => {
      if (slot.current?.job.id !== p.job.id) return;
      slot.current = undefined;
      slot.dead = true;
      this.slots = this.slots.filter((s) => s !== slot);
      void slot.worker.terminate();
      p.reject(new ExtractError(`PDF parse timed out after ${+(p.timeoutMs / 1000).toFixed(3)}s`, "timeout"));
      this.pump();
    }, p.timeoutMs);
    slot.current = { ...p, timer };
    slot.worker.ref();
    slot.worker.postMessage(p.job, [p.job.bytes.buffer as ArrayBuffer]);
  }
}

let shared: PdfPool | undefined;
/** The process-wide pool extractPdf uses. */
export const pdfPool = () => (shared ??= new PdfPool());

/** Stops the shared pool's workers (end of a batch, tests). */
export async function closePdfWorkers(): Promise<void> {
  const p = shared;
  shared = undefined;
  await p?.close();
}
