// One crawl per database at a time: an exclusive lock file next to the database
// (`<db>.crawl.lock`) holding the pid, host and start time. Created with O_EXCL; removed
// on exit; a lock whose pid is dead (a killed run) is stale and taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { pidAlive } from "../pid.js";

export class CrawlLockedError extends Error {
  override name = "CrawlLockedError";
}

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
  token: string;
}


export interface Lock {
  path: string;
  release(): void;
}

export function lockPathFor(dbPath: string): string {
  return `${resolve(dbPath)}.crawl.lock`;
}

export function acquireLock(dbPath: string): Lock {
  const path = lockPathFor(dbPath);
  const info: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), token: randomBytes(8).toString("hex") };
  for (let tries = 0; tries < 3; tries++) {
    let fd: number;
    try {
      fd = openSync(path, "wx");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let held: LockInfo | null = null;
      try {
        held = JSON.parse(readFileSync(path, "utf8")) as LockInfo;
      } catch {
        // Unreadable: a run killed between creating and writing it, or being written right now.
        held = null;
      }
      if (held && held.host === info.host && !pidAlive(held.pid)) {
        rmSync(path, { force: true }); // stale: its run is gone
        continue;
      }
      if (!held) {
        if (tries < 2) {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
          continue;
        }
        throw new CrawlLockedError(`another crawl holds ${path} (unreadable lock file); remove it if no crawl is running`);
      }
      throw new CrawlLockedError(
        `another xxgk crawl is running on this database (pid ${held.pid} on ${held.host}, since ${held.startedAt}); ` +
          `refusing to start. If it is not running, remove ${path}.`,
      );
    }
    try {
      writeSync(fd, JSON.stringify(info));
    } finally {
      closeSync(fd);
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off("exit", release);
      try {
        const held = JSON.parse(readFileSync(path, "utf8")) as LockInfo;
        if (held.token === info.token) rmSync(path, { force: true });
      } catch {
        /* already gone */
      }
    };
    process.on("exit", release);
    return { path, release };
  }
  throw new CrawlLockedError(`could not take the crawl lock ${path}`);
}
