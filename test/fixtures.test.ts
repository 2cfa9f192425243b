// The committed report fixtures (scripts/make-fixtures.ts → test/fixtures/generated/,
// listed in test/fixtures/manifest.json) are consistent: every listed file exists, the
// expected records fit the contract, normal reports satisfy the template's arithmetic,
// and each breaking report fails exactly the checks it lists — computed here from the
// expected values, never taken on trust.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { ReportRecord, SCHEMA_VERSION } from "../model/record.js";

const ROOT = "test/fixtures";
const MANIFEST = join(ROOT, "manifest.json");

interface Entry {
  id: string;
  file: string;
  format: "text" | "html" | "docx" | "pdf" | "doc";
  layout: string;
  template: "2021" | "2019";
  requestsForm?: "2019";
  expected: string | null;
  grid?: string;
  sectionText?: "exact" | "compact";
  note?: string;
}
type Values = (number | null)[];
interface Expected {
  template: "2021" | "2019";
  organ: string;
  year: number;
  publishedOn: string | null;
  region: unknown;
  active: Record<string, Record<string, number | null>>;
  requests: Record<string, Values>;
  reviews: Record<string, Record<string, number | null>>;
  sections: { number: number; title: string; text: string }[];
  expectedNullCells: string[];
  expectedChecks: { rule: string; where: string }[];
}
interface GridCell {
  text: string;
  rowSpan: number;
  colSpan: number;
}

const COLUMNS = ["naturalPerson", "commercialEnterprise", "researchInstitution", "publicInterestOrganization", "legalServiceProvider", "otherOrganization", "total"];
const GROUPS = ["administrativeReview", "litigationDirect", "litigationAfterReview"];

const manifest: Entry[] = JSON.parse(readFileSync(MANIFEST, "utf8"));
const readJson = <T>(p: string): T => JSON.parse(readFileSync(join(ROOT, p), "utf8")) as T;
const expectedOf = (p: string) => readJson<Expected>(p);
const ids = [...new Set(manifest.map((e) => e.expected).filter((x): x is string => x !== null))];

const sum = (xs: (number | null)[]) => (xs.some((x) => x === null) ? null : (xs as number[]).reduce((a, b) => a + b, 0));

/** The failing checks of a record, computed from its values as record.md states the rules. */
function failing(x: Expected): string[] {
  const out: string[] = [];
  const q = x.requests;
  const results = Object.keys(q).filter((k) => !["newReceived", "carriedOver", "total", "carriedForward"].includes(k));
  COLUMNS.forEach((name, c) => {
    const [a, b, t, f] = ["newReceived", "carriedOver", "total", "carriedForward"].map((k) => q[k][c]);
    if (a !== null && b !== null && t !== null && f !== null && a + b !== t + f) out.push(`requests.balance requests.carriedForward.${name}`);
  });
  for (const [row, vs] of Object.entries(q)) {
    const parts = sum(vs.slice(0, 6));
    if (parts !== null && vs[6] !== null && parts !== vs[6]) out.push(`requests.rowTotal requests.${row}.total`);
  }
  COLUMNS.forEach((name, c) => {
    const parts = sum(results.map((k) => q[k][c]));
    const t = q.total[c];
    if (parts !== null && t !== null && parts !== t) out.push(`requests.resultsTotal requests.total.${name}`);
  });
  for (const g of GROUPS) {
    const r = x.reviews[g];
    const parts = sum([r.upheld, r.corrected, r.other, r.pending]);
    if (parts !== null && r.total !== null && parts !== r.total) out.push(`reviews.total reviews.${g}.total`);
  }
  return out.sort();
}

function nullPaths(x: Expected): string[] {
  const out: string[] = [];
  for (const [row, cols] of Object.entries(x.active)) for (const [c, v] of Object.entries(cols)) if (v === null) out.push(`active.${row}.${c}`);
  for (const [row, vs] of Object.entries(x.requests)) vs.forEach((v, i) => v === null && out.push(`requests.${row}.${i}`));
  for (const [g, cols] of Object.entries(x.reviews)) for (const [c, v] of Object.entries(cols)) if (v === null) out.push(`reviews.${g}.${c}`);
  return out.sort();
}

/** Full width of a grid's rows, checking that merges tile a rectangle. */
function tileWidth(rows: GridCell[][]): number {
  const covered: number[][] = rows.map(() => []);
  let width = -1;
  rows.forEach((row, ri) => {
    let col = 0;
    for (const c of row) {
      while (covered[ri][col]) col++;
      for (let dr = 0; dr < c.rowSpan; dr++) {
        expect(ri + dr, "rowSpan past the table").toBeLessThan(rows.length);
        for (let dc = 0; dc < c.colSpan; dc++) {
          expect(covered[ri + dr][col + dc], "cells overlap").toBeUndefined();
          covered[ri + dr][col + dc] = 1;
        }
      }
      col += c.colSpan;
    }
  });
  for (const r of covered) {
    const w = r.filter(Boolean).length;
    if (width < 0) width = w;
    expect(w, "rows of different widths").toBe(width);
  }
  return width;
}

describe("generated report fixtures are consistent", () => {
  it("lists existing files, with expected records and grids that parse", () => {
    expect(manifest.length).toBeGreaterThan(0);
    for (const e of manifest) {
      expect(existsSync(join(ROOT, e.file)), e.file).toBe(true);
      expect(statSync(join(ROOT, e.file)).size, e.file).toBeGreaterThan(500);
      expect(["text", "html", "docx", "pdf", "doc"]).toContain(e.format);
      if (e.expected === null) expect(e.note, `${e.file}: a fixture without a record says why`).toBeTruthy();
      else expect(existsSync(join(ROOT, e.expected)), e.expected).toBe(true);
      if (e.format !== "text") {
        expect(e.grid, `${e.file}: grid`).toBeTruthy();
        expect(Array.isArray(readJson(e.grid!))).toBe(true);
      }
    }
  });

  it("covers both templates in every format, the mixed form, and the breaking variants", () => {
    for (const f of ["text", "html", "docx", "pdf"]) {
      const templates = new Set(manifest.filter((e) => e.format === f && e.expected).map((e) => e.template));
      expect([...templates].sort(), f).toEqual(["2019", "2021"]);
    }
    for (const layout of ["cells-per-line", "tab-rows", "pdf-text"]) expect(manifest.some((e) => e.layout === layout), layout).toBe(true);
    expect(manifest.some((e) => e.layout.startsWith("markdown"))).toBe(true);
    expect(manifest.some((e) => e.requestsForm === "2019" && e.template === "2021")).toBe(true);
    const rules = new Set(ids.flatMap((p) => expectedOf(p).expectedChecks.map((c) => c.rule)));
    for (const r of ["requests.balance", "requests.rowTotal", "reviews.total"]) expect(rules.has(r), r).toBe(true);
  });

  it("expected records fit the record contract (with source, checks, provenance and diagnostics added)", () => {
    for (const p of ids) {
      const { expectedNullCells: _n, expectedChecks: _c, ...rest } = expectedOf(p);
      // The files were written for schema 1 (their values are the same in 2).
      const record = { ...rest, schemaVersion: SCHEMA_VERSION, source: { path: null, url: null, sha256: "0".repeat(64), format: "text" }, checks: [], provenance: {}, diagnostics: [] };
      const parsed = ReportRecord.safeParse(record);
      expect(parsed.success, `${p}: ${parsed.success ? "" : JSON.stringify(parsed.error.issues.slice(0, 3))}`).toBe(true);
      expect(rest.sections.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  it("normal reports satisfy the arithmetic; breaking ones fail exactly the checks they list", () => {
    for (const p of ids) {
      const x = expectedOf(p);
      const listed = x.expectedChecks.map((c) => `${c.rule} ${c.where}`).sort();
      expect(failing(x), p).toEqual(listed);
    }
  });

  it("lists exactly the null cells, and every other cell is non-zero and mostly distinct", () => {
    for (const p of ids) {
      const x = expectedOf(p);
      expect([...x.expectedNullCells].sort(), p).toEqual(nullPaths(x));
      const inputs: number[] = [];
      for (const [row, vs] of Object.entries(x.requests)) if (row !== "total") inputs.push(...(vs.slice(0, 6).filter((v) => v !== null) as number[]));
      for (const cols of Object.values(x.active)) inputs.push(...(Object.values(cols).filter((v) => v !== null) as number[]));
      for (const g of Object.values(x.reviews)) inputs.push(...([g.upheld, g.corrected, g.other, g.pending].filter((v) => v !== null) as number[]));
      expect(inputs.every((v) => v !== 0), `${p}: a zero cell`).toBe(true);
      expect(new Set(inputs).size / inputs.length, `${p}: distinct share`).toBeGreaterThan(0.95);
    }
  });

  it("states the number of requests received in the narrative, as table 3 prints it", () => {
    for (const p of ids) {
      const x = expectedOf(p);
      const text = x.sections.filter((s) => s.number === 1 || s.number === 3).map((s) => s.text).join("\n");
      const m = /收到政府信息公开申请(\d+)件/.exec(text);
      expect(m, p).not.toBeNull();
      expect(Number(m![1]), p).toBe(x.requests.newReceived[6]);
    }
  });

  it("grids tile rectangles, and table 3's grid holds the expected values", () => {
    for (const e of manifest.filter((x) => x.grid && x.expected)) {
      const tables = readJson<{ rows: GridCell[][] }[]>(e.grid!);
      expect(tables.length, e.grid).toBe(3);
      const widths = tables.map((t) => tileWidth(t.rows));
      expect(widths, e.grid).toEqual([4, 10, 15]);
      const x = expectedOf(e.expected!);
      const printed = tables[1].rows.slice(3).map((r) => r.slice(-7).map((c) => c.text.normalize("NFKC")));
      const want = Object.values(x.requests).map((vs) => vs.map((v) => (v === null ? null : String(v))));
      expect(printed.map((r) => r.map((t) => (/^-?\d+(\.\d+)?$/.test(t) ? t : null))), e.grid).toEqual(want);
    }
  });

  it("text renderings print every value of table 3 and the organ", () => {
    for (const e of manifest.filter((x) => x.format === "text" && x.expected)) {
      const text = readFileSync(join(ROOT, e.file), "utf8").normalize("NFKC");
      const x = expectedOf(e.expected!);
      expect(text.includes(x.organ), `${e.file}: organ`).toBe(true);
      for (const [row, vs] of Object.entries(x.requests)) for (const v of vs) if (v !== null) expect(text.includes(String(v)), `${e.file}: ${row} ${v}`).toBe(true);
    }
  });

  it("HTML pages decode to the report in their declared (or undeclared) charset", () => {
    for (const e of manifest.filter((x) => x.format === "html" && x.expected)) {
      const bytes = readFileSync(join(ROOT, e.file));
      const gbk = /gbk|gb2312/.test(e.layout);
      const html = gbk ? iconv.decode(bytes, "gbk") : bytes.toString("utf8");
      const x = expectedOf(e.expected!);
      expect(html.includes(x.organ), e.file).toBe(true);
      if (gbk) expect(bytes.toString("utf8").includes(x.organ), `${e.file} is not UTF-8`).toBe(false);
      expect(html).toMatch(/<table[^>]*border="1"[^>]*width="100%"/);
      expect(html).toMatch(/rowspan="8"/);
    }
  });

  it("stays small", () => {
    const total = manifest.reduce((a, e) => a + statSync(join(ROOT, e.file)).size, 0);
    expect(total).toBeLessThan(15 * 1024 * 1024);
  });
});
