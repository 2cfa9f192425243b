// Where an export goes: a file (written beside its target and renamed into place) or stdout.
import { createWriteStream, realpathSync, renameSync, rmSync, statSync, type WriteStream } from "node:fs";

/**
 * Where to write `path`: beside it and renamed into place (`tmp`), or straight into it.
 * Only a regular file (or no file yet) is replaced by a rename: a device, a named pipe or a
 * socket (`--out /dev/stdout`, `/dev/null`, a pipe a script reads) is written into, never
 * replaced by a regular file; a link to a file stays a link (the file it names is replaced).
 */
export function outputTarget(path: string): { path: string; tmp: string | null } {
  let st;
  try {
    st = statSync(path);
  } catch {
    return { path, tmp: `${path}.tmp-${process.pid}` };
  }
  if (st.isDirectory()) throw new Error(`${path}: cannot write: is a folder`);
  if (!st.isFile()) return { path, tmp: null };
  const real = realpathSync(path);
  return { path: real, tmp: `${real}.tmp-${process.pid}` };
}

const WHY: Record<string, string> = {
  ENOSPC: "no space left on the disk",
  EDQUOT: "the disk quota is used up",
  EFBIG: "the file is larger than this system allows",
  ENOENT: "no such folder",
  EACCES: "permission denied",
  EROFS: "the file system is read-only",
  EPIPE: "the reader went away",
};

/** One line for a failed write: the path the user gave, and why, in words and by code (`fd/out.csv: cannot write: no space left on the disk (ENOSPC)`). */
export function cannotWrite(path: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (e instanceof Error && e.message.startsWith(`${path}: cannot write`)) return e;
  const why = code ? (WHY[code] ? `${WHY[code]} (${code})` : code) : (e as Error)?.message ?? String(e);
  return new Error(`${path}: cannot write: ${why}`);
}

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
    /** Written straight into a device or pipe: nothing to rename, nothing to remove. */
    private readonly direct = false,
    /** The path the user gave, for messages. */
    private readonly name = "stdout",
  ) {
    out.on("error", (e: Error) => (this.error ??= cannotWrite(this.name, e)));
  }

  static async open(outPath?: string): Promise<Sink> {
    if (!outPath) return new Sink(process.stdout, null, null);
    const target = outputTarget(outPath);
    const tmp = target.tmp;
    const out = createWriteStream(tmp ?? target.path);
    await new Promise<void>((resolve, reject) => {
      out.once("open", () => resolve());
      out.once("error", (e: NodeJS.ErrnoException) => reject(cannotWrite(outPath, e)));
    });
    return new Sink(out, tmp, target.path, tmp === null, outPath);
  }

  async write(s: string): Promise<void> {
    if (this.error) throw this.error;
    if (!this.out.write(s)) {
      await new Promise<void>((resolve, reject) => {
        const onErr = (e: Error) => reject(cannotWrite(this.name, e));
        this.out.once("error", onErr);
        this.out.once("drain", () => {
          this.out.off("error", onErr);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    if (this.direct) return this.finish();
    if (!this.tmp || !this.target) return;
    await this.finish();
    try {
      renameSync(this.tmp, this.target);
    } catch (e) {
      throw cannotWrite(this.name, e);
    }
  }

  /** Ends the file stream and waits until every byte is written (or its error). */
  private async finish(): Promise<void> {
    const out = this.out as WriteStream;
    out.end();
    await new Promise<void>((resolve, reject) => {
      if (this.error) return reject(this.error);
      out.once("finish", () => resolve());
      out.once("error", (e) => reject(cannotWrite(this.name, e)));
    });
  }

  abort(): void {
    if (this.direct) (this.out as WriteStream).destroy();
    if (!this.tmp) return;
    (this.out as WriteStream).destroy();
    rmSync(this.tmp, { force: true });
  }
}

