// Reading one file whole, with a size bound, and saying in words why it cannot be read.
// Its own module so that `xxgk extract` reads its file without loading the store and the
// batch machinery (ingest.ts) in the thread that only hands the bytes to a parse worker.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

/** Why a path cannot be read, in words. */
export const errText = (e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  if (err.code === "ENOENT") return "no such file or folder";
  if (err.code === "EACCES" || err.code === "EPERM") return "permission denied";
  if (err.code === "EISDIR") return "is a folder";
  return err.message ?? String(e);
};

/**
 * Reads a whole file, refusing one over `max` bytes without reading it (the size is
 * taken from the open descriptor, and the read stops at max + 1 in case it grows).
 * Opened without blocking and refused unless a regular file: a named pipe (or a link to
 * one, or a device) where a file was expected would otherwise block the open, or the read,
 * for ever, on the thread that stores every document.
 */
export function readBounded(path: string | Buffer, max: number): { ok: true; bytes: Buffer } | { ok: false; code: string; message: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { ok: false, code: "unreadable", message: `cannot read: ${errText(e)}` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, code: "unreadable", message: `cannot read: not a regular file (${st.isFIFO() ? "a named pipe" : st.isDirectory() ? "a folder" : st.isSocket() ? "a socket" : "a device"})` };
    const size = st.size;
    if (size > max) return { ok: false, code: "too-large", message: `the file is ${size} bytes, over the ${max}-byte limit` };
    const buf = Buffer.allocUnsafe(Math.min(size, max) + 1);
    let at = 0;
    for (;;) {
      const n = readSync(fd, buf, at, buf.length - at, null);
      if (n === 0) break;
      at += n;
      if (at === buf.length) {
        if (at > max) return { ok: false, code: "too-large", message: `the file grew past the ${max}-byte limit while being read` };
        break;
      }
    }
    return { ok: true, bytes: buf.subarray(0, at) };
  } catch (e) {
    return { ok: false, code: "unreadable", message: `cannot read: ${errText(e)}` };
  } finally {
    closeSync(fd);
  }
}
