// A bounded zip reader for hostile input: DOCX parts now, .zip archives of reports later.
//
// It reads the central directory by hand and inflates one entry at a time with
// node:zlib, in memory only (entries are never written to disk, least of all under
// their own names). Every bound is checked twice: against the sizes the archive
// declares (cheap, before any work) and against the bytes really inflated (declared
// sizes lie), where inflateRawSync's maxOutputLength stops the inflater the moment
// the cap is passed. A truncated or corrupt archive, a lying size, a bad CRC, an
// unknown compression method or an encrypted entry is refused with an ExtractError.
import { crc32, inflateRawSync } from "node:zlib";
import { TextDecoder } from "node:util";
import { ExtractError } from "./document.js";
import type { Limits } from "./limits.js";

export interface ZipLimits {
  /** Largest size one entry may inflate to. */
  maxEntryBytes: number;
  /** Largest total all entries read from this archive may inflate to. */
  maxTotalBytes: number;
  /** Most entries the archive may hold. */
  maxEntries: number;
}

export interface ZipEntry {
  /** The name as stored (UTF-8, or GB18030 for legacy Chinese tools, else Latin-1). Not a safe path. */
  name: string;
  /** Size the archive declares once inflated. Not to be trusted; reads check the real size. */
  size: number;
  compressedSize: number;
  /** 0 stored, 8 deflate; anything else is refused on read. */
  method: number;
  crc32: number;
  /** A folder entry (name ends in "/"). */
  directory: boolean;
  encrypted: boolean;
  /** Offset of the local file header. */
  offset: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

const corrupt = (what: string) => new ExtractError(`corrupt zip: ${what}`, "corrupt-zip");
const bomb = (what: string) => new ExtractError(`zip refused: ${what}`, "zip-bomb");

/** True when a name would escape or misplace a folder if used as a path (absolute, "..", drive, NUL). */
export function isUnsafeEntryName(name: string): boolean {
  const n = name.replace(/\\/g, "/");
  return n === "" || n.startsWith("/") || /^[a-zA-Z]:/.test(n) || n.includes("\0") || n.split("/").some((p) => p === "..");
}

/** Is this the start of a zip file (local header, or the end record of an empty archive)? */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05) && (bytes[3] === 0x04 || bytes[3] === 0x06);
}

export class ZipArchive {
  readonly entries: readonly ZipEntry[];
  /** Real bytes inflated so far by read(), counted against maxTotalBytes. */
  private inflated = 0;
  private readonly byName = new Map<string, ZipEntry>();
  private readonly byLooseName = new Map<string, ZipEntry>();

  private constructor(
    private readonly buf: Buffer,
    entries: ZipEntry[],
    private readonly limits: ZipLimits,
  ) {
    this.entries = entries;
    for (const e of entries) {
      if (!this.byName.has(e.name)) this.byName.set(e.name, e);
      const loose = looseName(e.name);
      if (!this.byLooseName.has(loose)) this.byLooseName.set(loose, e);
    }
  }

  /** Reads the central directory and checks every declared size against the limits. */
  static open(bytes: Uint8Array, limits: ZipLimits): ZipArchive {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const { count, cdOffset, cdSize } = readEnd(buf);
    if (count > limits.maxEntries) throw bomb(`${count} entries, over the limit of ${limits.maxEntries} (limits.maxZipEntries)`);
    if (cdOffset + cdSize > buf.length) throw corrupt("the central directory runs past the end of the file (truncated?)");

    const entries: ZipEntry[] = [];
    let declaredTotal = 0;
    let p = cdOffset;
    for (let i = 0; i < count; i++) {
      if (p + 46 > buf.length || buf.readUInt32LE(p) !== SIG_CENTRAL) throw corrupt(`central directory entry ${i} is damaged`);
      const flags = buf.readUInt16LE(p + 8);
      const method = buf.readUInt16LE(p + 10);
      const crc = buf.readUInt32LE(p + 16);
      let compressedSize = buf.readUInt32LE(p + 20);
      let size = buf.readUInt32LE(p + 24);
      const nameLen = buf.readUInt16LE(p + 28);
      const extraLen = buf.readUInt16LE(p + 30);
      const commentLen = buf.readUInt16LE(p + 32);
      let offset = buf.readUInt32LE(p + 42);
      const end = p + 46 + nameLen + extraLen + commentLen;
      if (end > buf.length) throw corrupt(`central directory entry ${i} runs past the end of the file`);
      const rawName = buf.subarray(p + 46, p + 46 + nameLen);
      const extra = buf.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
      // ZIP64 sizes and offset live in the extra field when the 32-bit fields are saturated.
      if (size === 0xffffffff || compressedSize === 0xffffffff || offset === 0xffffffff) {
        const z64 = findExtra(extra, 0x0001);
        if (!z64) throw corrupt(`entry ${i} has saturated sizes but no ZIP64 field`);
        let q = 0;
        const next = () => {
          if (q + 8 > z64.length) throw corrupt(`entry ${i} has a short ZIP64 field`);
          const v = Number(z64.readBigUInt64LE(q));
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (offset === 0xffffffff) offset = next();
      }
      const name = decodeName(rawName, flags, extra);
      if (size > limits.maxEntryBytes)
        throw bomb(`entry "${name}" declares ${size} bytes inflated, over the limit of ${limits.maxEntryBytes} (limits.maxZipEntryBytes)`);
      declaredTotal += size;
      if (declaredTotal > limits.maxTotalBytes)
        throw bomb(`entries declare over ${limits.maxTotalBytes} bytes inflated in total (limits.maxZipTotalBytes)`);
      if (offset >= buf.length) throw corrupt(`entry "${name}" starts past the end of the file (truncated?)`);
      entries.push({
        name,
        size,
        compressedSize,
        method,
        crc32: crc,
        directory: name.endsWith("/"),
        encrypted: (flags & 1) !== 0,
        offset,
      });
      p = end;
    }
    return new ZipArchive(buf, entries, limits);
  }

  /** The entry of that name; failing an exact match, the first whose name matches ignoring case and "\" vs "/". */
  find(name: string): ZipEntry | undefined {
    return this.byName.get(name) ?? this.byLooseName.get(looseName(name));
  }

  /** Inflates one entry (by name or entry), counting real bytes against both caps. */
  read(which: string | ZipEntry): Buffer {
    const e = typeof which === "string" ? this.find(which) : which;
    if (!e) throw corrupt(`no entry named "${String(which)}"`);
    if (e.encrypted) throw corrupt(`entry "${e.name}" is encrypted`);
    const buf = this.buf;
    if (e.offset + 30 > buf.length || buf.readUInt32LE(e.offset) !== SIG_LOCAL) throw corrupt(`entry "${e.name}": local header missing or damaged`);
    const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
    if (start + e.compressedSize > buf.length) throw corrupt(`entry "${e.name}" runs past the end of the file (truncated)`);
    const data = buf.subarray(start, start + e.compressedSize);

    const left = this.limits.maxTotalBytes - this.inflated;
    const cap = Math.min(this.limits.maxEntryBytes, left);
    let out: Buffer;
    if (e.method === 0) {
      out = data;
      if (out.length > cap) throw this.overCap(e, cap);
    } else if (e.method === 8) {
      try {
        out = inflateRawSync(data, { maxOutputLength: Math.max(1, cap) });
      } catch (err) {
        if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" || err instanceof RangeError) throw this.overCap(e, cap);
        throw corrupt(`entry "${e.name}" does not inflate: ${(err as Error).message}`);
      }
    } else {
      throw corrupt(`entry "${e.name}" uses compression method ${e.method}; only stored (0) and deflate (8) are read`);
    }
    this.inflated += out.length;
    if (out.length !== e.size) throw corrupt(`entry "${e.name}" inflates to ${out.length} bytes but declares ${e.size}`);
    if ((crc32(out) >>> 0) !== e.crc32) throw corrupt(`entry "${e.name}" fails its CRC check`);
    return out;
  }

  private overCap(e: ZipEntry, cap: number): ExtractError {
    return cap === this.limits.maxEntryBytes
      ? bomb(`entry "${e.name}" inflates past ${cap} bytes (limits.maxZipEntryBytes), though it declares ${e.size}`)
      : bomb(`entries inflate past ${this.limits.maxTotalBytes} bytes in total (limits.maxZipTotalBytes)`);
  }
}

function looseName(name: string): string {
  return name.replace(/\\/g, "/").replace(/^\/+/, "").toLowerCase();
}

function readEnd(buf: Buffer): { count: number; cdOffset: number; cdSize: number } {
  if (buf.length < 22) throw corrupt("too short to be a zip (no end-of-central-directory record)");
  // The end record is 22 bytes plus a comment of up to 65535 bytes: scan back for its signature.
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  let p = -1;
  for (let i = buf.length - 22; i >= stop; i--) {
    if (buf[i] === 0x50 && buf.readUInt32LE(i) === SIG_EOCD && i + 22 + buf.readUInt16LE(i + 20) <= buf.length) {
      p = i;
      break;
    }
  }
  if (p < 0) throw corrupt("no end-of-central-directory record (truncated or not a zip)");
  let count = buf.readUInt16LE(p + 10);
  let cdSize = buf.readUInt32LE(p + 12);
  let cdOffset = buf.readUInt32LE(p + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = p - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== SIG_EOCD64_LOCATOR) throw corrupt("ZIP64 end record locator missing");
    const e64 = Number(buf.readBigUInt64LE(loc + 8));
    if (e64 + 56 > buf.length || buf.readUInt32LE(e64) !== SIG_EOCD64) throw corrupt("ZIP64 end record missing");
    count = Number(buf.readBigUInt64LE(e64 + 32));
    cdSize = Number(buf.readBigUInt64LE(e64 + 40));
    cdOffset = Number(buf.readBigUInt64LE(e64 + 48));
  }
  if (buf.readUInt16LE(p + 4) !== 0 || buf.readUInt16LE(p + 6) !== 0) throw corrupt("multi-volume (spanned) archives are not read");
  return { count, cdOffset, cdSize };
}

function findExtra(extra: Buffer, id: number): Buffer | undefined {
  for (let q = 0; q + 4 <= extra.length; ) {
    const tag = extra.readUInt16LE(q);
    const len = extra.readUInt16LE(q + 2);
    if (q + 4 + len > extra.length) return undefined;
    if (tag === id) return extra.subarray(q + 4, q + 4 + len);
    q += 4 + len;
  }
  return undefined;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
let gb: TextDecoder | null | undefined;

function decodeName(raw: Buffer, flags: number, extra: Buffer): string {
  if (flags & 0x800) return raw.toString("utf8");
  // Info-ZIP Unicode Path field: version 1, CRC of the header name, then the UTF-8 name.
  const up = findExtra(extra, 0x7075);
  if (up && up.length > 5 && up[0] === 1 && up.readUInt32LE(1) === crc32(raw) >>> 0) return up.subarray(5).toString("utf8");
  try {
    return utf8.decode(raw);
  } catch {
    // Chinese Windows tools write names in GBK without saying so.
    if (gb === undefined) {
      try {
        gb = new TextDecoder("gb18030", { fatal: true });
      } catch {
        gb = null;
      }
    }
    if (gb) {
      try {
        return gb.decode(raw);
      } catch {
        /* fall through */
      }
    }
    return raw.toString("latin1");
  }
}

/** A zip container (DOCX, a .zip of reports) opened within a parse's limits (limits.maxZip*). */
export function openZip(bytes: Uint8Array, limits: Pick<Limits, "maxZipEntryBytes" | "maxZipTotalBytes" | "maxZipEntries">): ZipArchive {
  return ZipArchive.open(bytes, { maxEntryBytes: limits.maxZipEntryBytes, maxTotalBytes: limits.maxZipTotalBytes, maxEntries: limits.maxZipEntries });
}
