// The record's check without zod: `checkRecord(v)` gives what `ReportRecord.safeParse(v)`
// gives (model/record.ts stays the definition of the contract): the same record, built the
// same way (new objects with the schema's key order, new arrays, the provenance map as it
// is), or undefined where zod would fail; zod then runs only to word the failure.
//
// zod's parse of a record cost more than htmlparser2's whole parse of an HTML report
// (it walks and copies every object through generic machinery). This one says exactly
// what the schemas say, rule by rule, as zod 4 applies them:
//  - a strict object: an object (not null, not an array) whose every `for…in` key is
//    in the shape; a required key must hold a valid value (none of them accepts
//    undefined); an optional key is copied when `key in input`, even as undefined;
//  - z.number(): a finite number; .int(): a safe integer; .min/.max inclusive;
//  - z.record(z.string(), …): a plain object; enumerable own symbol keys fail; "__proto__"
//    is skipped; then the requests rows' superRefine on the copy;
//  - a tuple: an array of exactly its length; z.array().length(n): exactly n elements.
// test/record-check.test.ts holds the two side by side on every fixture's record and on
// thousands of broken ones (each rule broken in turn, and random mutations).
import { OTHER_ROW_2019, OTHER_ROWS_2021, REQUEST_COLUMNS, REQUEST_ROWS, REVIEW_COLUMNS, REVIEW_GROUPS } from "../data/keys.js";
import { isProvenance } from "./provenance-check.js";
import { SCHEMA_VERSION } from "./contract.js";
import type { ReportRecord } from "./record.js";

/** Thrown (and caught below) where zod would report an issue: only on the failure path. */
class Reject {}
const REJECT = new Reject();
function fail(): never {
  throw REJECT;
}

type Obj = Record<string, unknown>;

/** A strict object's input: an object, every for-in key of which is in the shape. */
function strict(v: unknown, keys: ReadonlySet<string>): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail();
  for (const k in v) if (!keys.has(k)) fail();
  return v as Obj;
}

const count = (v: unknown): number | null => (v === null || (typeof v === "number" && Number.isSafeInteger(v)) ? v : fail());
const amount = (v: unknown): number | null => (v === null || (typeof v === "number" && Number.isFinite(v)) ? v : fail());
const str = (v: unknown): string => (typeof v === "string" ? v : fail());
const nstr = (v: unknown): string | null => (v === null || typeof v === "string" ? v : fail());
const intIn = (v: unknown, min: number, max: number): number =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= min && v <= max ? v : fail();
const matching = (v: unknown, re: RegExp): string => (typeof v === "string" && re.test(v) ? v : fail());
const oneOf = <T extends string>(v: unknown, set: ReadonlySet<string>): T => (typeof v === "string" && set.has(v) ? (v as T) : fail());
function array<T>(v: unknown, item: (x: unknown) => T): T[] {
  if (!Array.isArray(v)) fail();
  const out = new Array<T>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = item(v[i]);
  return out;
}

/** A strict object whose every key holds a Count (or an Amount, for the keys named). */
function counts(v: unknown, keys: readonly string[], set: ReadonlySet<string>, amounts?: ReadonlySet<string>): Obj {
  const o = strict(v, set);
  const out: Obj = {};
  for (const k of keys) out[k] = amounts?.has(k) ? amount(o[k]) : count(o[k]);
  return out;
}
/** The shape of a z.strictObject of counts, made once. */
const shape = (keys: readonly string[], amounts: readonly string[] = []) => {
  const set = new Set(keys);
  const am = amounts.length ? new Set(amounts) : undefined;
  return (v: unknown) => counts(v, keys, set, am);
};

const SHA256 = /^[0-9a-f]{64}$/;
const SIX_DIGITS = /^\d{6}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DIAGNOSTIC_CODE = /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/;

const SOURCE_KEYS = new Set(["path", "url", "sha256", "format"]);
const FORMATS = new Set(["docx", "pdf", "html", "text"]);
function source(v: unknown): Obj {
  const o = strict(v, SOURCE_KEYS);
  return { path: nstr(o.path), url: nstr(o.url), sha256: matching(o.sha256, SHA256), format: oneOf(o.format, FORMATS) };
}

const REGION_KEYS = new Set(["code", "name", "province", "city", "county"]);
function region(v: unknown): Obj | null {
  if (v === null) return null;
  const o = strict(v, REGION_KEYS);
  return { code: matching(o.code, SIX_DIGITS), name: str(o.name), province: nstr(o.province), city: nstr(o.city), county: nstr(o.county) };
}

// ---- active ------------------------------------------------------------------

const issued = shape(["issued", "repealed", "inForce"]);
const decisions = shape(["decisions"]);
const fees2021 = shape(["amountWanYuan"], ["amountWanYuan"]);
const made = shape(["newlyMade", "newlyPublished", "totalPublished"]);
const items = shape(["previousYear", "change", "decisions"]);
const fees2019 = shape(["previousYear", "change"]);
const procurement = shape(["projects", "amountYuan"], ["amountYuan"]);

const ACTIVE_2021_KEYS = new Set(["regulations", "normativeDocuments", "licensing", "penalties", "coercion", "fees"]);
function active2021(v: unknown): Obj {
  const o = strict(v, ACTIVE_2021_KEYS);
  return {
    regulations: issued(o.regulations),
    normativeDocuments: issued(o.normativeDocuments),
    licensing: decisions(o.licensing),
    penalties: decisions(o.penalties),
    coercion: decisions(o.coercion),
    fees: fees2021(o.fees),
  };
}
const ACTIVE_2019_KEYS = new Set(["regulations", "normativeDocuments", "licensing", "otherServices", "penalties", "coercion", "fees", "procurement"]);
function active2019(v: unknown): Obj {
  const o = strict(v, ACTIVE_2019_KEYS);
  return {
    regulations: made(o.regulations),
    normativeDocuments: made(o.normativeDocuments),
    licensing: items(o.licensing),
    otherServices: items(o.otherServices),
    penalties: items(o.penalties),
    coercion: items(o.coercion),
    fees: fees2019(o.fees),
    procurement: procurement(o.procurement),
  };
}

// ---- requests -----------------------------------------------------------------

/** zod's isPlainObject, which z.record asks of its input. */
function isPlainObject(o: unknown): o is Obj {
  if (typeof o !== "object" || o === null || Array.isArray(o)) return false;
  const ctor = (o as Obj).constructor;
  if (ctor === undefined) return true;
  if (typeof ctor !== "function") return true;
  const prot = ctor.prototype;
  if (typeof prot !== "object" || prot === null || Array.isArray(prot)) return false;
  return Object.prototype.hasOwnProperty.call(prot, "isPrototypeOf");
}

const ALLOWED_ROWS = new Set<string>([...REQUEST_ROWS, ...OTHER_ROWS_2021, OTHER_ROW_2019]);
const ROW_LENGTH = REQUEST_COLUMNS.length;
function requests(v: unknown): Record<string, (number | null)[]> {
  if (!isPlainObject(v)) fail();
  // A string key schema fails on a symbol key (an enumerable own one: zod reads Reflect.ownKeys).
  for (const s of Object.getOwnPropertySymbols(v)) if (Object.prototype.propertyIsEnumerable.call(v, s)) fail();
  const out: Record<string, (number | null)[]> = {};
  for (const k of Object.keys(v)) {
    if (k === "__proto__") continue;
    const row = array(v[k], count);
    if (row.length !== ROW_LENGTH) fail();
    out[k] = row;
  }
  // The superRefine, on the copy as zod runs it.
  for (const k of Object.keys(out)) if (!ALLOWED_ROWS.has(k)) fail();
  for (const k of REQUEST_ROWS) if (!(k in out)) fail();
  const hasOne = OTHER_ROW_2019 in out;
  const three = OTHER_ROWS_2021.filter((k) => k in out).length;
  if (hasOne === (three === 3) || (three !== 0 && three !== 3)) fail();
  return out;
}

// ---- reviews, sections, checks, diagnostics -------------------------------------

const reviewGroup = shape(REVIEW_COLUMNS);
const REVIEWS_KEYS = new Set<string>(REVIEW_GROUPS);
function reviews(v: unknown): Obj {
  const o = strict(v, REVIEWS_KEYS);
  const out: Obj = {};
  for (const g of REVIEW_GROUPS) out[g] = reviewGroup(o[g]);
  return out;
}

const SECTION_KEYS = new Set(["number", "title", "text"]);
function section(v: unknown): Obj {
  const o = strict(v, SECTION_KEYS);
  return { number: intIn(o.number, 1, 6), title: str(o.title), text: str(o.text) };
}

const CHECK_KEYS = new Set(["rule", "severity", "message", "where"]);
const CHECK_SEVERITIES = new Set(["error", "warning"]);
function check(v: unknown): Obj {
  const o = strict(v, CHECK_KEYS);
  return { rule: str(o.rule), severity: oneOf(o.severity, CHECK_SEVERITIES), message: str(o.message), where: str(o.where) };
}

const PLACE_KEYS = new Set(["page", "box", "table", "row", "col", "line"]);
const positive = (v: unknown): number => (typeof v === "number" && Number.isSafeInteger(v) && v >= 1 ? v : fail());
const finite = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : fail());
/** RecordPlace as zod reads it (a diagnostic's place; the provenance's go through isProvenance). */
function place(v: unknown): Obj {
  const o = strict(v, PLACE_KEYS);
  const out: Obj = {};
  // Optional keys: undefined passes; the key is copied where it is `in` the input.
  let x = o.page;
  if (x !== undefined) positive(x);
  if ("page" in o) out.page = x;
  x = o.box;
  if (x !== undefined) {
    if (!Array.isArray(x) || x.length !== 4) fail();
    x = [finite(x[0]), finite(x[1]), finite(x[2]), finite(x[3])];
  }
  if ("box" in o) out.box = x;
  for (const k of ["table", "row", "col", "line"] as const) {
    x = o[k];
    if (x !== undefined) positive(x);
    if (k in o) out[k] = x;
  }
  return out;
}

const DIAGNOSTIC_KEYS = new Set(["code", "severity", "key", "place", "message"]);
const SEVERITIES = new Set(["info", "warning", "error"]);
function diagnostic(v: unknown): Obj {
  const o = strict(v, DIAGNOSTIC_KEYS);
  const out: Obj = { code: matching(o.code, DIAGNOSTIC_CODE), severity: oneOf(o.severity, SEVERITIES) };
  const key = o.key;
  if (key !== undefined) str(key);
  if ("key" in o) out.key = key;
  const p = o.place === undefined ? undefined : place(o.place);
  if ("place" in o) out.place = p;
  out.message = str(o.message);
  return out;
}

// ---- the record -------------------------------------------------------------------

const COMMON = ["schemaVersion", "source", "organ", "year", "publishedOn", "region", "requests", "reviews", "sections", "checks", "provenance", "diagnostics"];
const RECORD_KEYS = new Set([...COMMON, "template", "active"]);

/**
 * `ReportRecord.safeParse(v)`'s data where it succeeds, undefined where it fails: the same
 * outcome, the same output, without zod.
 */
export function checkRecord(v: unknown): ReportRecord | undefined {
  // The discriminated union: an object, then the option its `template` names.
  if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
  const template = (v as Obj).template;
  if (template !== "2021" && template !== "2019") return undefined;
  try {
    const o = strict(v, RECORD_KEYS);
    if (o.schemaVersion !== SCHEMA_VERSION) fail();
    const provenance = o.provenance;
    if (!isProvenance(provenance)) fail();
    // The schema's key order: the common keys, then template and active.
    return {
      schemaVersion: SCHEMA_VERSION,
      source: source(o.source),
      organ: nstr(o.organ),
      year: o.year === null ? null : intIn(o.year, 2000, 2100),
      publishedOn: o.publishedOn === null ? null : matching(o.publishedOn, ISO_DATE),
      region: region(o.region),
      requests: requests(o.requests),
      reviews: reviews(o.reviews),
      sections: array(o.sections, section),
      checks: array(o.checks, check),
      provenance,
      diagnostics: array(o.diagnostics, diagnostic),
      template,
      active: template === "2021" ? active2021(o.active) : active2019(o.active),
    } as unknown as ReportRecord;
  } catch (e) {
    if (e === REJECT) return undefined;
    throw e;
  }
}
