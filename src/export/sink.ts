// Where an export goes: a file (written beside its target and renamed into place) or stdout.
import { createWriteStream, renameSync, rmSync, type WriteStream } from "node:fs";

/**
 * A sink that respects back-pressure and turns stream errors (a folder that does not
 * exist, a full disk) into rejected promises instead of uncaught 'error' events. A file
 * is written beside its target and renamed into place at the end, so a failed or
 * interrupted export never leaves a half file under the requested name.
 */
export class Sink {
  private error: Error | null = null;
  private constructor(
    private readonly out: WriteStream | NodeJS.WriteStream,
    private readonly tmp: string | null,
    private readonly target: string | null,
  ) {
    out.on("error", (e: Error) => (this.error ??= e));
  }

  static async open(outPath?: string): Promise<Sink> {
    if (!outPath) return new Sink(process.stdout, null, null);
    const tmp = `${outPath}.tmp-${process.pid}`;
    const out = createWriteStream(tmp);
    await new Promise<void>((resolve, reject) => {
      out.once("open", () => resolve());
      out.once("error", (e: NodeJS.ErrnoException) => reject(new Error(`${outPath}: cannot write: ${e.code === "ENOENT" ? "no such folder" : e.code ?? e.message}`)));
    });
    return new Sink(out, tmp, outPath);
  }

  async write(s: string): Promise<void> {
    if (this.error) throw this.error;
    if (!this.out.write(s)) {
      await new Promise<void>((resolve, reject) => {
        const onErr = (e: Error) => reject(e);
        this.out.once("error", onErr);
        this.out.once("drain", () => {
          this.out.off("error", onErr);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    if (!this.tmp || !this.target) return;
    const out = this.out as WriteStream;
    out.end();
    await new Promise<void>((resolve, reject) => {
      if (this.error) return reject(this.error);
      out.once("finish", () => resolve());
      out.once("error", reject);
    });
    renameSync(this.tmp, this.target);
  }

  abort(): void {
    if (!this.tmp) return;
    (this.out as WriteStream).destroy();
    rmSync(this.tmp, { force: true });
  }
}

