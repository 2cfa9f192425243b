// model/record-check.ts checks the record without zod; model/record.ts's zod schemas stay
// the contract. Here the two are held side by side: on every fixture's record, on each
// value of each record replaced by each of a range of good and bad values (and each key
// dropped, an extra one added, each array made longer and shorter), and on random
// mutations: they must agree on every one (accept or reject), and where both accept,
// give the same record (same keys in the same order, the same values, new objects where
// zod makes new ones, the provenance map passed through as zod passes it).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReport } from "../src/pipeline.js";
import { ReportRecord } from "../model/record.js";
import { checkRecord } from "../model/record-check.js";
import { closePdfWorkers } from "../extractors/pdf.js";

interface Entry { file: string; format: string }
const sets = [
  { dir: "test/fixtures", manifest: "test/fixtures/manifest.json" },
  { dir: "test/fixtures/reports", manifest: "test/fixtures/reports/manifest.json" },
];
const entries = sets.flatMap(({ dir, manifest }) =>
  (JSON.parse(readFileSync(manifest, "utf8")) as Entry[]).filter((e) => e.format !== "doc").map((e) => ({ ...e, file: join(dir, e.file) })),
);

const records: unknown[] = [];
beforeAll(async () => {
  for (const e of entries) {
    const out = await parseReport({ bytes: readFileSync(e.file), name: e.file, path: e.file });
    if (out.ok) records.push(out.record);
  }
}, 300_000);
afterAll(() => closePdfWorkers());

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null;

/** Same values, same own keys in the same order (undefined-valued ones too), at every depth. */
function same(a: unknown, b: unknown): boolean {
  if (!isObj(a) || !isObj(b)) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => same(a[k], b[k]));
}
/** Where zod hands back an input object itself (the provenance map) the fast check must too, and make a new one everywhere else. */
function sameSharing(fast: unknown, zod: unknown, input: unknown): boolean {
  if (!isObj(fast) || !isObj(zod)) return true;
  if ((fast === input) !== (zod === input)) return false;
  if (!isObj(input)) return true;
  return Object.keys(zod).every((k) => sameSharing((fast as Obj)[k], zod[k], (input as Obj)[k]));
}

const disagreements: string[] = [];
let checked = 0;
let accepted = 0;
function agree(v: unknown, what: string): void {
  checked++;
  const z = ReportRecord.safeParse(v);
  const f = checkRecord(v);
  if (z.success !== (f !== undefined)) {
    disagreements.push(`${what}: zod ${z.success ? "accepts" : `rejects (${z.error.issues[0]?.message})`}, the fast check ${f ? "accepts" : "rejects"}`);
    return;
  }
  if (!z.success) return;
  accepted++;
  if (!same(f, z.data)) disagreements.push(`${what}: both accept, the records differ`);
  else if (!sameSharing(f, z.data, v)) disagreements.push(`${what}: both accept, the records share different objects with the input`);
}

const clone = <T>(v: T): T => structuredClone(v);

/** Every path to a value of the record; long runs of alike values (the provenance map, rows, lists) only at their ends. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (!isObj(v)) return out;
  const keys = Object.keys(v);
  const long = (Array.isArray(v) && keys.length > 3) || (at.length === 1 && at[0] === "provenance");
  const pick = long ? [...keys.slice(0, 2), keys[keys.length - 1]] : keys;
  for (const k of pick) {
    const key = Array.isArray(v) ? Number(k) : k;
    out.push([...at, key]);
    paths((v as Obj)[k], [...at, key], out);
  }
  return out;
}
function parentOf(root: unknown, path: (string | number)[]): Obj {
  let p = root as Obj;
  for (const k of path.slice(0, -1)) p = p[k] as Obj;
  return p;
}

// Values each rule is about, good and bad: types, integers and not, bounds, patterns, enums.
const REPLACEMENTS: unknown[] = [
  undefined, null, "", "x", 0, 1, -1, 6, 7, 1.5, -0, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 53 - 1, 1999, 2000, 2100, 2101, 2150, true,
  [], {}, [0, 1, 2, 3], [0, 1, 2], [0, 1, 2, 3, 4], [1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6, null], [1, 2, 3, 4, 5, 6, 7.5],
  "a".repeat(64), "A".repeat(64), "g".repeat(64), "0".repeat(63), "110000", "11000", "11000a", "1100000", "2024-01-2", "2024-01-02", "2024-1-02", "2024-01-02T00:00",
  "cell.blank", "cell", "Cell.blank", "cell.Blank", "cell.b_", "cell.9", "cell.blank.x", "cell.", "cell..blank", "c1.b2", "2021", "2019", 2021, 2,
  "info", "warning", "error", "printed", "html", "pdf", "docx", "text", "doc",
];

/**
 * A copy of `root` with new objects only along `path` (the rest shared, never written), and
 * `change` applied to the copied parent of the path's last key. Cloning the whole record
 * for each of tens of thousands of mutations cost more than checking them.
 */
function edited(root: unknown, path: (string | number)[], change: (parent: Obj, key: string | number) => void): unknown {
  const copy = (v: unknown): Obj => (Array.isArray(v) ? v.slice() : { ...(v as Obj) }) as Obj;
  const top = copy(root);
  let p = top;
  for (const k of path.slice(0, -1)) {
    const next = copy(p[k]);
    p[k] = next;
    p = next;
  }
  change(p, path[path.length - 1]);
  return top;
}

function mutations(rec: unknown, name: string): void {
  for (const path of paths(rec)) {
    const where = `${name} ${path.join(".")}`;
    for (const r of REPLACEMENTS) {
      agree(edited(rec, path, (p, k) => (p[k] = r)), `${where} = ${JSON.stringify(r) ?? String(r)}`);
    }
    agree(edited(rec, path, (p, k) => (Array.isArray(p) ? p.splice(k as number, 1) : delete p[k])), `${where} removed`);
    const value = parentOf(rec, [...path, "x"]);
    if (Array.isArray(value)) {
      agree(edited(rec, [...path, "x"], (t) => (t as unknown as unknown[]).push(clone((t as unknown as unknown[]).at(-1) ?? 0))), `${where} one element longer`);
    } else if (isObj(value)) {
      agree(edited(rec, [...path, "x"], (t) => (t.extra = 1)), `${where} with an extra key`);
      agree(edited(rec, [...path, "x"], (t) => (t.extra = undefined)), `${where} with an extra key holding undefined`);
    }
  }
}

/** A small seeded generator, so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** Every path, the provenance map's included (for random picks). */
function allPaths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (!isObj(v)) return out;
  for (const k of Object.keys(v)) {
    const key = Array.isArray(v) ? Number(k) : k;
    out.push([...at, key]);
    allPaths((v as Obj)[k], [...at, key], out);
  }
  return out;
}

describe("the record's check without zod agrees with zod", () => {
  it("on every fixture's record", () => {
    expect(records.length).toBeGreaterThan(250);
    for (const [i, r] of records.entries()) agree(r, `record ${i}`);
    expect(disagreements).toEqual([]);
    expect(accepted).toBe(records.length);
  });

  it("on each value of a few records replaced, dropped, or added to", () => {
    const pick = (f: (r: Obj) => boolean) => records.find((r) => f(r as Obj)) as Obj;
    const r2021 = pick((r) => r.template === "2021" && r.region !== null && (r.diagnostics as unknown[]).length > 0);
    const r2019 = pick((r) => r.template === "2019" && (r.checks as unknown[]).length > 0);
    const noRegion = pick((r) => r.region === null && r.year !== null);
    const pdf = pick((r) => (r.source as Obj).format === "pdf" && (r.diagnostics as Obj[]).some((d) => d.place !== undefined));
    expect([r2021, r2019, noRegion, pdf].every(Boolean)).toBe(true);
    // A diagnostic with every key and a full place (box included), and a null date and year.
    const full = clone(r2021);
    (full.diagnostics as Obj[])[0] = { code: "cell.blank", severity: "info", key: "requests.granted.naturalPerson", place: { page: 1, box: [0, 1.5, 2, 3], table: 1, row: 2, col: 3, line: 4 }, message: "m" };
    full.publishedOn = null;
    full.year = null;
    const before = disagreements.length;
    // The provenance map is mutated at its first two and last entries only (`paths`), so
    // those three are all it keeps here: the other two hundred cost each check its time.
    const trimmed = (r: Obj): Obj => {
      const keys = Object.keys(r.provenance as Obj);
      const keep = [...keys.slice(0, 2), keys[keys.length - 1]];
      return { ...r, provenance: Object.fromEntries(keep.map((k) => [k, (r.provenance as Obj)[k]])) };
    };
    for (const [name, r] of Object.entries({ r2021, r2019, noRegion, pdf, full })) mutations(trimmed(r), name);
    expect(disagreements.slice(before)).toEqual([]);
    expect(checked).toBeGreaterThan(5_000);
  });

  it("on the requests rows' own rules, odd objects and odd inputs", () => {
    const r2021 = records.find((r) => (r as Obj).template === "2021") as Obj;
    const r2019 = records.find((r) => (r as Obj).template === "2019") as Obj;
    const cases: [string, unknown][] = [];
    const withRequests = (r: Obj, f: (q: Obj) => void, what: string) => {
      const c = clone(r);
      f(c.requests as Obj);
      cases.push([what, c]);
    };
    const row = [1, 2, 3, 4, 5, 6, 7];
    withRequests(r2021, (q) => (q.other = row), "2021 with `other` too");
    withRequests(r2021, (q) => delete q["other.other"], "2021 with two `other.*` rows");
    withRequests(r2019, (q) => (q["other.overdueFee"] = row), "2019 with an `other.*` row too");
    withRequests(r2019, (q) => delete q.other, "2019 with no `other` row");
    withRequests(r2019, (q) => {
      delete q.other;
      for (const k of ["other.overdueCorrection", "other.overdueFee", "other.other"]) q[k] = row;
    }, "2019 with the three `other.*` rows instead");
    withRequests(r2021, (q) => (q.bogus = row), "an unknown row");
    withRequests(r2021, (q) => delete q.granted, "a missing row");
    withRequests(r2021, (q) => Object.defineProperty(q, "hidden", { value: row, enumerable: false }), "a non-enumerable row");
    withRequests(r2021, (q) => Object.defineProperty(q, "hidden", { value: "x", enumerable: false }), "a non-enumerable bad row");
    withRequests(r2021, (q) => ((q as Record<symbol, unknown>)[Symbol("s")] = row), "a symbol-keyed row");
    withRequests(r2021, (q) => Object.defineProperty(q, Symbol("s"), { value: row, enumerable: false }), "a non-enumerable symbol-keyed row");
    withRequests(r2021, (q) => Object.defineProperty(q, "__proto__", { value: "x", enumerable: true, configurable: true, writable: true }), "an own __proto__ row");
    withRequests(r2021, (q) => ((q.granted as unknown[]).length = 7), "a row with a hole");
    withRequests(r2021, (q) => ((q.granted as unknown[])[9] = 1), "a sparse long row");
    const nullProto = (r: Obj) => {
      const c = clone(r);
      c.requests = Object.assign(Object.create(null), c.requests);
      c.reviews = Object.assign(Object.create(null), c.reviews);
      c.source = Object.assign(Object.create(null), c.source);
      return c;
    };
    cases.push(["objects without a prototype", nullProto(r2021)]);
    class Rows {}
    const inst = clone(r2021);
    inst.requests = Object.assign(new Rows(), inst.requests);
    cases.push(["requests as a class instance", inst]);
    const inst2 = clone(r2021);
    inst2.reviews = Object.assign(new Rows(), inst2.reviews);
    cases.push(["reviews as a class instance", inst2]);
    const inherited = clone(r2021);
    cases.push(["a record whose keys are inherited", Object.create(inherited)]);
    const extraInherited = Object.assign(Object.create({ extra: 1 }), clone(r2021));
    cases.push(["a record with an inherited extra key", extraInherited]);
    const protoOrgan = Object.assign(Object.create({ organ: "x" }), clone(r2021));
    delete protoOrgan.organ;
    cases.push(["a record whose organ is inherited", protoOrgan]);
    for (const [t, a] of [["2021", r2019], ["2019", r2021]] as const) {
      const c = clone(a);
      c.template = t;
      cases.push([`template ${t} on the other template's record`, c]);
    }
    for (const v of [null, undefined, [], "x", 5, {}, Object.create(null), [r2021]]) cases.push([`input ${JSON.stringify(v) ?? String(v)}`, v]);
    const before = disagreements.length;
    for (const [what, v] of cases) agree(v, what);
    expect(disagreements.slice(before)).toEqual([]);
  });

  it("on random mutations of random records", () => {
    const rnd = prng(20261205);
    const before = disagreements.length;
    const allOf = new Map<unknown, (string | number)[][]>();
    for (let i = 0; i < 4000; i++) {
      const rec = records[Math.floor(rnd() * records.length)];
      if (!allOf.has(rec)) allOf.set(rec, allPaths(rec));
      const all = allOf.get(rec)!;
      const c = clone(rec);
      const n = 1 + Math.floor(rnd() * 2);
      const did: string[] = [];
      for (let j = 0; j < n; j++) {
        const path = all[Math.floor(rnd() * all.length)];
        let parent: Obj;
        try {
          parent = parentOf(c, path);
        } catch {
          continue;
        }
        if (!isObj(parent)) continue;
        const last = path[path.length - 1] as string;
        const r = REPLACEMENTS[Math.floor(rnd() * (REPLACEMENTS.length + 1))];
        if (r === undefined && rnd() < 0.5) {
          delete parent[last];
          did.push(`${path.join(".")} removed`);
        } else {
          parent[last] = r;
          did.push(`${path.join(".")} = ${JSON.stringify(r) ?? String(r)}`);
        }
      }
      agree(c, `random ${i}: ${did.join("; ")}`);
    }
    expect(disagreements.slice(before)).toEqual([]);
  });
});
