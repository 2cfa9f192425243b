// Content-addressed store of every fetched document, next to the database:
// <db dir>/blobs/ab/cdef… named by sha256. Written to a temp file (blobs/tmp, named
// <sha>.<pid>.<random>), then renamed into place, so a kill at any moment leaves either
// the whole blob or none. Not fsynced: a killed process loses nothing already written;
// after a power cut a torn blob fails the hash check in get(). A write that fails (a full
// disk) removes its own temp file; a killed writer's temp file is removed by sweepTemp
// once its process is dead, never while a live process may still be writing it.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { sha256 } from "../model/hash.js";
import { pidAlive } from "./pid.js";

export class BlobStore {
  readonly dir: string;
  private readonly tmp: string;
  /** Fan-out folders (blobs/ab) known to exist: made once, not asked for at every put (two system calls each). */
  private readonly made = new Set<string>();

  constructor(dir: string) {
    this.dir = resolve(dir);
    this.tmp = join(this.dir, "tmp");
    mkdirSync(this.tmp, { recursive: true });
    // What killed writers left (a kill -9, a full disk): gone whenever a store or a crawl opens.
    this.sweepTemp();
  }

  /** The blob folder that sits next to a database file. */
  static besideDb(dbPath: string): BlobStore {
    return new BlobStore(join(dirname(resolve(dbPath)), "blobs"));
  }

  pathOf(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a sha256: ${hash}`);
    return join(this.dir, hash.slice(0, 2), hash.slice(2));
  }

  has(hash: string): boolean {
    return existsSync(this.pathOf(hash));
  }

  /** Stores the bytes (once: an existing blob is left alone) and returns their sha256 (`known`: already computed by the caller). */
  put(bytes: Uint8Array, known?: string): { sha256: string; path: string; existed: boolean } {
    const hash = known ?? sha256(bytes);
    const path = this.pathOf(hash);
    if (existsSync(path)) return { sha256: hash, path, existed: true };
    const folder = dirname(path);
    if (!this.made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.made.add(folder);
    }
    const tmp = join(this.tmp, `${hash}.${process.pid}.${randomBytes(4).toString("hex")}`);
    try {
      const fd = openSync(tmp, "w");
      try {
        let at = 0;
        while (at < bytes.byteLength) at += writeSync(fd, bytes, at, bytes.byteLength - at);
      } finally {
        closeSync(fd);
      }
      try {
        renameSync(tmp, path);
      } catch (e) {
        // The folder went away since it was made (removed by hand): made again, once.
        if ((e as NodeJS.ErrnoException).code !== "ENOENT" || !existsSync(tmp)) throw e;
        mkdirSync(folder, { recursive: true });
        renameSync(tmp, path);
      }
    } catch (e) {
      // ENOSPC and the like: this writer's own temp file (the name is unique to it) goes.
      rmSync(tmp, { force: true });
      throw e;
    }
    return { sha256: hash, path, existed: false };
  }

  /** The bytes, or null when missing or not the bytes they are named by (torn, tampered). */
  get(hash: string): Uint8Array | null {
    try {
      const bytes = new Uint8Array(readFileSync(this.pathOf(hash)));
      return sha256(bytes) === hash ? bytes : null;
    } catch {
      return null;
    }
  }

  /**
   * Removes temp files a killed writer left behind: those whose process (the pid in the
   * name) is gone, and any older than `staleMs` (a pid reused by another process since).
   * A live writer's file, another process's included, is left alone.
   */
  sweepTemp(staleMs = 24 * 3600_000): number {
    let n = 0;
    let names: string[];
    try {
      names = readdirSync(this.tmp);
    } catch {
      return 0;
    }
    for (const f of names) {
      const p = join(this.tmp, f);
      try {
        const pid = Number(/^[0-9a-f]{64}\.(\d+)\.[0-9a-f]+$/.exec(f)?.[1] ?? NaN);
        const abandoned = (Number.isInteger(pid) && pid !== process.pid && !pidAlive(pid)) || Date.now() - statSync(p).mtimeMs > staleMs;
        if (abandoned) {
          rmSync(p, { force: true });
          n++;
        }
      } catch {
        /* gone meanwhile */
      }
    }
    return n;
  }
}

