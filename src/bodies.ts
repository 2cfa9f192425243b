// Bodies: the issuing bodies the reports are keyed by (reports.organ_key). A person may
// say two names are one body (`xxgk bodies alias`) or where a body is (`xxgk bodies
// region`); those decisions are kept apart from what the documents say (body_aliases,
// body_regions) and consulted by the ingest service every time a report is keyed, so
// they survive reparse, new documents and new copies. Re-keying itself is the service's
// (IngestService.rekeyBodies): corrections and review marks follow, cross-year checks re-run.
import type { IngestService } from "./ingest-service.js";
import type { Store } from "./store.js";
import { printedName } from "../normalizers/organ.js";
import { describeRegion, isKnownRegionCode, regionByCode } from "../normalizers/region.js";

/** A person's request about a body that cannot be done (unknown name, ambiguous name, bad code): one line. */
export class BodyError extends Error {
  override name = "BodyError";
}

export type Body = ReturnType<Store["bodies"]>[number];

export function listBodies(store: Store, regionPrefix?: string): Body[] {
  return store.bodies(regionPrefix);
}

/** The bodies as a readable table: key, name, other names, region, years, reports, documents. */
export function bodiesTable(bodies: Body[]): string {
  const head = ["key", "name", "also printed as / aliases", "region", "years", "reports", "documents"];
  const rows = bodies.map((b) => [
    b.key,
    b.name,
    [...b.names.filter((n) => printedName(n) !== b.name), ...b.aliases.filter((a) => !b.names.some((n) => printedName(n) === a))].join("; ") || "-",
    b.regionCode ? `${b.regionCode} ${b.regionName ?? ""}`.trim() : "(not placed)",
    compactYears(b.years),
    String(b.reports),
    String(b.documents),
  ]);
  // Width in terminal columns: a CJK character takes two.
  const w = (s: string) => [...s].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
  const widths = head.map((h, i) => Math.max(w(h), ...rows.map((r) => w(r[i]))));
  const line = (r: string[]) => r.map((c, i) => c + " ".repeat(widths[i] - w(c))).join("  ").trimEnd();
  return [line(head), ...rows.map(line), `${bodies.length} bod${bodies.length === 1 ? "y" : "ies"}`].join("\n");
}

function compactYears(years: number[]): string {
  const ys = [...years].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < ys.length; ) {
    let j = i;
    while (j + 1 < ys.length && ys[j + 1] === ys[j] + 1) j++;
    parts.push(j > i ? `${ys[i]}–${ys[j]}` : String(ys[i]));
    i = j + 1;
  }
  return parts.join(",") || "-";
}

/** The one body a name given on the command line stands for: by key, name as printed, or bare name. */
function oneBody(store: Store, given: string): { key: string; docs: ReturnType<Store["documentsOfBody"]> } {
  const name = given.includes(":") ? given : printedName(given);
  let docs = store.documentsOfBody(name);
  if (!docs.length && name !== given) docs = store.documentsOfBody(given);
  if (!docs.length) throw new BodyError(`no body named ${given} in the database (xxgk bodies lists them)`);
  const keys = [...new Set(docs.map((d) => d.organKey))];
  if (keys.length > 1 || keys[0] === null)
    throw new BodyError(`${given} names ${keys.length} bodies: ${keys.map((k) => k ?? "(no key)").join(", ")}; give one of these keys`);
  return { key: keys[0]!, docs };
}

const bareOfKey = (key: string) => key.slice(key.indexOf(":") + 1);

/** Every name a body's region decisions are kept under: its key's name, its names as printed, its bare names. */
function namesOf(body: ReturnType<typeof oneBody>): Set<string> {
  const names = new Set<string>([bareOfKey(body.key)]);
  for (const d of body.docs) {
    if (d.organ) names.add(printedName(d.organ));
    if (d.organBare) names.add(d.organBare);
  }
  return names;
}

export interface BodyChange {
  /** What was done, in words (one line each). */
  lines: string[];
  /** The body's key afterwards. */
  key: string;
}

/**
 * `xxgk bodies alias NAME CANONICAL`: NAME's reports are keyed under CANONICAL from now on
 * (this one and every later one printing NAME). Where one of the two is placed and the
 * other is not, the merged body takes that region; where they are placed apart, CANONICAL's.
 */
export function aliasBody(service: IngestService, name: string, canonical: string, by: string | null = null): BodyChange {
  const store = service.store;
  const from = oneBody(store, name);
  const to = oneBody(store, canonical);
  if (from.key === to.key) throw new BodyError(`${name} and ${canonical} are already one body (${to.key})`);
  const canonicalName = bareOfKey(to.key);
  const names = new Set<string>();
  for (const d of from.docs) if (d.organ) names.add(printedName(d.organ));
  if (names.has(canonicalName)) names.delete(canonicalName);
  for (const n of names) store.setAlias(n, canonicalName, by);
  const toRegion = to.docs.find((d) => d.regionCode)?.regionCode ?? null;
  const fromRegions = [...new Set(from.docs.map((d) => d.docRegion))];
  if (toRegion) {
    for (const r of fromRegions) if (r !== toRegion) store.setRegionDecision({ name: canonicalName, fromRegion: r, code: toRegion, source: "alias", by });
  } else {
    const placed = [...new Set(from.docs.map((d) => d.regionCode).filter((r): r is string => !!r))];
    if (placed.length === 1) store.setRegionDecision({ name: canonicalName, fromRegion: null, code: placed[0], source: "alias", by });
  }
  const { notes } = service.rekeyBodies();
  const key = store.keyYearOf(from.docs[0].id).organKey ?? to.key;
  const n = store.documentsOfBody(key).length;
  return { key, lines: [`${name} → ${canonical}: ${n} document(s) now under ${key}`, ...notes] };
}

/**
 * `xxgk bodies unalias NAME`: undoes `bodies alias` for NAME (a name as printed): reports
 * printing it are keyed by their own name again. Where no other name is an alias of the
 * canonical any more, the region the merge gave the canonical body (source `alias`) goes too.
 */
export function unaliasBody(service: IngestService, name: string): BodyChange {
  const store = service.store;
  const printed = printedName(name);
  const canonical = store.removeAlias(printed) ?? (printed !== name ? store.removeAlias(name) : null);
  if (canonical === null) throw new BodyError(`${name} is not an alias of another body (xxgk bodies lists the aliases)`);
  const lines = [`${name} is no longer ${canonical}`];
  if (store.aliasCount(canonical) === 0 && store.removeRegionDecisions([canonical], ["alias"]) > 0)
    lines.push(`${canonical}: the region its merge with ${name} gave it is removed`);
  const { notes } = service.rekeyBodies();
  const docs = store.documentsOfBody(printed);
  const keys = [...new Set(docs.map((d) => d.organKey ?? "(no key)"))];
  lines[0] += `: ${docs.length} document(s) now under ${keys.join(", ") || "no key"}`;
  return { key: keys[0] ?? "", lines: [...lines, ...notes] };
}

/**
 * `xxgk bodies unplace NAME`: removes the region decisions made for a body (by a person,
 * by a hint on stored bytes, by a merge): it is placed by its documents alone again. A
 * region the document itself was read with (an `ingest --region` hint given with new bytes)
 * is the document's reading, not a decision, and stays.
 */
export function unplaceBody(service: IngestService, name: string): BodyChange {
  const store = service.store;
  const body = oneBody(store, name);
  const names = namesOf(body);
  const removed = store.removeRegionDecisions([...names], ["person", "hint", "alias"]);
  if (removed === 0) throw new BodyError(`${name}: no region was decided for it; its documents place it (${body.key})`);
  const { notes } = service.rekeyBodies();
  const key = store.keyYearOf(body.docs[0].id).organKey ?? body.key;
  return { key, lines: [`${name}: ${removed} region decision(s) removed; ${body.key} → ${key}`, ...notes] };
}

/**
 * `xxgk bodies region NAME CODE`: the body is in CODE (a GB/T 2260 division) whatever its
 * documents say; its reports are re-keyed (merging with the key it already has there).
 */
export function setBodyRegion(service: IngestService, name: string, code: string, by: string | null = null): BodyChange {
  if (!isKnownRegionCode(code)) throw new BodyError(`${code} is not a GB/T 2260 division code`);
  const store = service.store;
  const body = oneBody(store, name);
  const names = namesOf(body);
  for (const n of names)
    for (const r of new Set(body.docs.map((d) => d.docRegion))) store.setRegionDecision({ name: n, fromRegion: r, code, source: "person", by });
  const { notes } = service.rekeyBodies();
  const key = store.keyYearOf(body.docs[0].id).organKey ?? body.key;
  const region = regionByCode(code)!;
  return { key, lines: [`${name}: placed in ${code} (${describeRegion(region)}); ${body.key} → ${key}`, ...notes] };
}
