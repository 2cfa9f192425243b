// The store's own methods on a real SQLite file, called directly (no ingest service):
// what each keeps and gives back, what opening a path that is not a database says, and
// rows stored whole however many there are. Written to kill mutants of src/store.ts that
// every other test let live (npm run mutation:store); each asserts behaviour a caller sees.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openStore, StoreOpenError, STORE_SCHEMA_VERSION, type Store } from "../src/store.js";
import { MIGRATIONS } from "../src/migrations.js";
import { parseReport, type ParseOutcome } from "../src/pipeline.js";
import type { Check } from "../model/record.js";

const SAMPLE = readFileSync("data/samples/2024-硚口区商务局.txt");
let parsed: Extract<ParseOutcome, { ok: true }>;
let dir: string;
let store: Store;

beforeAll(async () => {
  const out = await parseReport({ bytes: SAMPLE, name: "a.txt" });
  if (!out.ok) throw new Error(out.message);
  parsed = out;
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "xxgk-store-api-"));
  store = openStore(join(dir, "x.sqlite"));
});
afterEach(() => store.close());

/** The sample's outcome, changed by `edit`, as a new document (its own sha256). */
function outcome(sha: string, edit: (o: Extract<ParseOutcome, { ok: true }>) => void = () => {}): Extract<ParseOutcome, { ok: true }> {
  const o = structuredClone(parsed);
  o.record.source.sha256 = sha;
  edit(o);
  return o;
}
const input = (path: string, extra: { url?: string; contentType?: string } = {}) => ({ bytes: SAMPLE, path, ...extra });
const sha = (c: string) => c.repeat(64);

describe("saving and looking up", () => {
  it("lookup finds a stored report by its bytes whatever parser asks, and a failure only for the parser that made it", () => {
    const saved = store.saveOutcome(outcome(sha("a")), { sha: sha("a"), locator: "a.txt", input: input("a.txt"), parser: "p1" });
    expect(saved.status).toBe("ingested");
    expect(store.lookup(sha("a"), "p1")).toEqual({ reportId: saved.reportId });
    expect(store.lookup(sha("a"), "p2")).toEqual({ reportId: saved.reportId });
    store.saveOutcome({ ok: false, code: "corrupt", message: "broken" }, { sha: sha("b"), locator: "b.pdf", input: input("b.pdf"), parser: "p1" });
    expect(store.lookup(sha("b"), "p1")).toEqual({ failure: { code: "corrupt", message: "broken" } });
    expect(store.lookup(sha("b"), "p2")).toBeNull();
    expect(store.lookup(sha("c"), "p1")).toBeNull();
  });

  it("an ingested result names every failed check's rule", () => {
    const checks: Check[] = [
      { rule: "requests.rowTotal", severity: "error", message: "m1", where: "requests.granted" },
      { rule: "reviews.total", severity: "error", message: "m2", where: "reviews.review" },
    ];
    const r = store.saveOutcome(outcome(sha("a"), (o) => (o.record.checks = checks)), { sha: sha("a"), locator: "a.txt", input: input("a.txt"), parser: "p" });
    expect(r).toMatchObject({ status: "ingested", checksFailed: 2, failedRules: ["requests.rowTotal", "reviews.total"] });
    expect(store.checksOf(r.reportId!)).toEqual(checks);
  });

  it("keeps where the bytes came from: path, URL and Content-Type", () => {
    store.saveOutcome(outcome(sha("a")), { sha: sha("a"), locator: "http://p/a.html", input: input("/tmp/a.html", { url: "http://p/a.html", contentType: "text/html; charset=gbk" }), parser: "old" });
    store.saveOutcome({ ok: false, code: "corrupt", message: "x" }, { sha: sha("b"), locator: "b.txt", input: input("b.txt"), parser: "old" });
    expect(store.staleDocuments("new")).toMatchObject([
      { sha256: sha("a"), locator: "http://p/a.html", path: "/tmp/a.html", url: "http://p/a.html", contentType: "text/html; charset=gbk", failure: null, parser: "old" },
      { sha256: sha("b"), locator: "b.txt", path: "b.txt", url: null, contentType: null, reportId: null, failure: "corrupt", parser: "old" },
    ]);
    expect(store.staleDocuments("old")).toEqual([]);
  });

  it("with replace, a failure of a new parser takes the place of the bytes' report", () => {
    const first = store.saveOutcome(outcome(sha("a")), { sha: sha("a"), locator: "a.txt", input: input("a.txt"), parser: "old" });
    const again = store.saveOutcome({ ok: false, code: "not-a-report", message: "no tables" }, { sha: sha("a"), locator: "a.txt", input: input("a.txt"), parser: "new", replace: true });
    expect(again).toMatchObject({ status: "failed", code: "not-a-report" });
    expect(store.lookup(sha("a"), "new")).toEqual({ failure: { code: "not-a-report", message: "no tables" } });
    expect(store.counts()).toMatchObject({ reports: 0, failures: 1 });
    expect(store.recordOf(first.reportId!)).not.toBeNull(); // kept as history
  });

  it("recordFailure: a file never read is a failure by path, and says so", () => {
    expect(store.recordFailure({ path: "/x/big.pdf", code: "too-large", message: "over the limit" }, "p")).toEqual({
      status: "failed", sha256: "", code: "too-large", message: "over the limit",
    });
    store.recordFailure({ path: "/x/big.pdf", code: "unreadable", message: "permission denied" }, "p");
    expect(store.currentFailures().map((f) => [f.locator, f.code, f.message])).toEqual([["/x/big.pdf", "unreadable", "permission denied"]]);
  });

  it("stores a report without a region (all region columns null) and one with its region", () => {
    const none = store.saveOutcome(outcome(sha("a"), (o) => (o.record.region = null)), { sha: sha("a"), locator: "a.txt", input: input("a.txt"), parser: "p" });
    expect(store.organOf(none.reportId!)).toEqual({ regionCode: null, organ: parsed.record.organ, province: null, city: null, county: null });
    const some = store.saveOutcome(outcome(sha("b")), { sha: sha("b"), locator: "b.txt", input: input("b.txt"), parser: "p" });
    const r = parsed.record.region!;
    expect(store.organOf(some.reportId!)).toEqual({ regionCode: r.code, organ: parsed.record.organ, province: r.province, city: r.city, county: r.county });
    expect([r.code, r.province, r.city, r.county].every((x) => typeof x === "string" && x.length > 0)).toBe(true);
  });
});

describe("rows stored whole, however many", () => {
  // Rows go in batches of a fixed size: a count just under, at and over a batch, and two.
  for (const n of [0, 1, 49, 50, 51, 99, 100, 101, 150]) {
    it(`${n} checks on one report come back, in order`, () => {
      const checks: Check[] = Array.from({ length: n }, (_, i) => ({ rule: `rule.${i}`, severity: "error", message: `m${i}`, where: `w${i}` }));
      const r = store.saveOutcome(outcome(sha("a"), (o) => (o.record.checks = checks)), { sha: sha("a"), locator: "a.txt", input: input("a.txt"), parser: "p" });
      expect(store.checksOf(r.reportId!)).toEqual(checks);
    });
  }
});

describe("organ keys and reading back", () => {
  it("knownOrganKey: another report of the region under the same bare name, never the report itself", () => {
    const a = store.saveOutcome(outcome(sha("a")), { sha: sha("a"), locator: "a.txt", input: input("a.txt"), parser: "p" }).reportId!;
    const b = store.saveOutcome(outcome(sha("b")), { sha: sha("b"), locator: "b.txt", input: input("b.txt"), parser: "p" }).reportId!;
    const region = store.organOf(a).regionCode;
    store.setOrganBare(a, "商务局");
    store.setOrganBare(b, "商务局");
    expect(store.knownOrganKey(region, "商务局", b)).toBeNull(); // no key given yet
    store.setOrganKey(a, "k:商务局");
    expect(store.knownOrganKey(region, "商务局", b)).toBe("k:商务局");
    expect(store.knownOrganKey(region, "商务局", a)).toBeNull();
    expect(store.knownOrganKey(region, "统计局", b)).toBeNull();
    expect(store.knownOrganKey("999999", "商务局", b)).toBeNull();
  });

  it("records() gives each report its key (organ key | year) only when both are known", () => {
    const a = store.saveOutcome(outcome(sha("a")), { sha: sha("a"), locator: "a.txt", input: input("a.txt"), parser: "p" }).reportId!;
    const b = store.saveOutcome(outcome(sha("b"), (o) => (o.record.year = null)), { sha: sha("b"), locator: "b.txt", input: input("b.txt"), parser: "p" }).reportId!;
    const c = store.saveOutcome(outcome(sha("c")), { sha: sha("c"), locator: "c.txt", input: input("c.txt"), parser: "p" }).reportId!;
    store.setOrganKey(a, "k:a");
    store.setOrganKey(b, "k:b");
    const keys = Object.fromEntries([...store.records()].map((r) => [r.id, r.reportKey]));
    expect(keys).toEqual({ [a]: `k:a|${parsed.record.year}`, [b]: null, [c]: null });
  });

  it("keeps meta values: set, replaced, read; null for a key never set", () => {
    expect(store.getMeta("x")).toBeNull();
    store.setMeta("x", "1");
    store.setMeta("x", "2");
    store.setMeta("y", "3");
    expect([store.getMeta("x"), store.getMeta("y")]).toEqual(["2", "3"]);
  });

  it("currentFailures: current ones only, oldest first", async () => {
    store.saveOutcome({ ok: false, code: "corrupt", message: "one" }, { sha: sha("a"), locator: "a.pdf", input: input("a.pdf"), parser: "p" });
    await new Promise((r) => setTimeout(r, 5)); // distinct times
    store.saveOutcome({ ok: false, code: "empty", message: "two" }, { sha: sha("b"), locator: "b.txt", input: input("b.txt"), parser: "p" });
    // b's bytes read by a later parser: its old failure is no longer current.
    store.saveOutcome(outcome(sha("b")), { sha: sha("b"), locator: "b.txt", input: input("b.txt"), parser: "q" });
    expect(store.currentFailures().map((f) => [f.locator, f.code, f.message])).toEqual([["a.pdf", "corrupt", "one"]]);
  });

  it("close lets go of the database", () => {
    store.close();
    expect(store.db.open).toBe(false);
    store.close(); // twice is harmless
    store = openStore(join(dir, "x.sqlite"));
  });
});

describe("opening a path that is not a database: one reason in words", () => {
  const openErr = (path: string, readonly = false): string => {
    try {
      openStore(path, { readonly }).close();
    } catch (e) {
      expect(e).toBeInstanceOf(StoreOpenError);
      return (e as Error).message;
    }
    return "opened";
  };

  it("a missing file: made when writing, refused (and not made) when reading", () => {
    const p = join(dir, "new", "y.sqlite");
    expect(openErr(p, true)).toBe("no such database (ingest something first)");
    expect(existsSync(p)).toBe(false);
    expect(openErr(p)).toBe("opened");
    expect(existsSync(p)).toBe(true);
  });

  it("a path through a file, a device, the kernel's folders", () => {
    writeFileSync(join(dir, "file"), "x");
    for (const ro of [false, true]) {
      expect(openErr(join(dir, "file", "y.sqlite"), ro)).toBe("a part of the path is not a folder");
      expect(openErr("/dev/null", ro)).toBe("not a regular file");
      for (const k of ["/proc", "/sys", "/sys/kernel/x.sqlite", "/proc/1/x.sqlite"]) expect(openErr(k, ro)).toBe("not a database file (a kernel file)");
    }
  });

  it("a file that is not SQLite, and a damaged database", () => {
    writeFileSync(join(dir, "junk.sqlite"), "not a database, just text long enough to fill a header ".repeat(100));
    expect(openErr(join(dir, "junk.sqlite"))).toBe("not a database (file is not a SQLite database)");
    expect(openErr(join(dir, "junk.sqlite"), true)).toBe("not a database (file is not a SQLite database)");
    // A real database whose first page (the schema) is overwritten.
    const p = join(dir, "damaged.sqlite");
    openStore(p).close();
    const bytes = readFileSync(p);
    bytes.fill(0x5a, 100, 4096);
    writeFileSync(p, bytes);
    expect(openErr(p)).toBe("the database is damaged (corrupt)");
    expect(openErr(p, true)).toBe("the database is damaged (corrupt)");
  });

  it("a database of an older schema is brought up to date once, then read; reading never writes", () => {
    const p = join(dir, "v1.sqlite");
    const v1 = new Database(p);
    v1.exec(MIGRATIONS[0].sql);
    v1.pragma("user_version = 1");
    v1.close();
    const ro = openStore(p, { readonly: true });
    try {
      expect(ro.schemaVersion()).toBe(STORE_SCHEMA_VERSION);
      expect(ro.readonly).toBe(true);
      expect(() => ro.setMeta("x", "1")).toThrow(/readonly/i);
    } finally {
      ro.close();
    }
  });
});

describe("bodies and cells, as the ingest service keyed them", () => {
  const text = SAMPLE.toString("utf8");
  /** The sample as another body's report (its name everywhere), with a closing line making it other bytes. */
  const as = (name: string, tail: string) => new TextEncoder().encode(`${text.replaceAll("硚口区商务局", name)}\n附注：${tail}。\n`);

  it("bodies: one row per key, its names as printed, years, reports and documents, aliases and the region filter", async () => {
    const { IngestService } = await import("../src/ingest-service.js");
    const service = new IngestService(store);
    for (const [i, bytes] of [as("硚口区商务局", "一"), as("硚口区商务局", "二"), as("硚口区经科局", "三"), as("硚口区经济信息化和科技创新局", "四"), as("硚口区民政局", "五")].entries())
      expect((await service.ingestOne({ bytes, path: `${i}.txt` })).status).toBe("ingested");
    store.setAlias("商务委", "商务局", "test");
    const rows = store.bodies().sort((a, b) => (a.key < b.key ? -1 : 1));
    const place = { regionCode: "420104", regionName: "湖北省武汉市硚口区", years: [2024], reports: 1 };
    expect(rows.map((b) => ({ ...b, names: [...b.names].sort() }))).toEqual([
      { key: "420104:商务局", name: "商务局", names: ["硚口区商务局"], aliases: ["商务委"], ...place, documents: 2 },
      { key: "420104:民政局", name: "民政局", names: ["硚口区民政局"], aliases: [], ...place, documents: 1 },
      // 经科局 is 经济信息化和科技创新局's short name: one body, both names as printed.
      { key: "420104:经济信息化和科技创新局", name: "经济信息化和科技创新局", names: ["硚口区经济信息化和科技创新局", "硚口区经科局"], aliases: [], ...place, documents: 2 },
    ]);
    expect(store.bodies("4201").map((b) => b.key).sort()).toEqual(rows.map((b) => b.key));
    expect(store.bodies("35")).toEqual([]);
  });

  it("cellValue: one cell by its key (rows of two parts included), as cellValues holds it; null for a cell or document not stored", async () => {
    const saved = store.saveOutcome(outcome(sha("a")), { sha: sha("a"), locator: "a.txt", input: input("a.txt"), parser: "p" });
    const id = saved.reportId!;
    const all = store.cellValues(id);
    expect(all.size).toBe(200);
    expect(all.has("requests.denied.stateSecret.total")).toBe(true);
    for (const [key, value] of all) expect([key, store.cellValue(id, key)]).toEqual([key, value]);
    const printed = parsed.record.requests.newReceived as (number | null)[];
    expect(store.cellValue(id, "requests.newReceived.total")).toBe(printed[printed.length - 1]);
    expect(store.cellValue(id, "requests.newReceived.nothing")).toBeNull();
    expect(store.cellValue(id + 1, "requests.newReceived.total")).toBeNull();
  });
});
