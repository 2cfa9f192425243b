// The blob folder: bytes kept by sha256 under a fan-out folder (blobs/ab/cdef…), made once
// per folder and made again when it went away meanwhile.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BlobStore } from "../src/blobs.js";
import { sha256 } from "../model/hash.js";

describe("blob store", () => {
  it("keeps bytes once by their hash, and again after their folder was removed", () => {
    const dir = mkdtempSync(join(tmpdir(), "xxgk-blobs-"));
    const blobs = new BlobStore(join(dir, "blobs"));
    const a = new TextEncoder().encode("报告 a");
    const first = blobs.put(a);
    expect(first).toMatchObject({ sha256: sha256(a), existed: false });
    expect(blobs.get(first.sha256)).toEqual(a);
    expect(blobs.put(a).existed).toBe(true);
    // Bytes whose hash starts as a's: the same fan-out folder, removed by hand in between.
    let b: Uint8Array;
    for (let i = 0; ; i++) {
      b = new TextEncoder().encode(`报告 b ${i}`);
      if (sha256(b).slice(0, 2) === first.sha256.slice(0, 2)) break;
    }
    rmSync(join(dir, "blobs", first.sha256.slice(0, 2)), { recursive: true });
    const second = blobs.put(b);
    expect(second.existed).toBe(false);
    expect(blobs.get(second.sha256)).toEqual(b);
    expect(readdirSync(join(dir, "blobs", "tmp"))).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
});
