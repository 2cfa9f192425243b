// Which reports an export takes: `--year`, `--region` (a GB/T 2260 code prefix: `35` is
// 福建, `3501` 福州), `--organ` (a part of the body's name). Every export writer applies
// the same filter, so a CSV, a Parquet file and a data package of one filter agree.
import type { ReportRecord } from "../../model/record.js";

export interface ReportFilter {
  year?: number;
  region?: string;
  organ?: string;
}

/** A filter's words for messages and the data package's description ("" when it takes everything). */
export function describeFilter(f: ReportFilter): string {
  const parts: string[] = [];
  if (f.year !== undefined) parts.push(`year ${f.year}`);
  if (f.region) parts.push(`region ${f.region}*`);
  if (f.organ) parts.push(`organ containing ${f.organ}`);
  return parts.join(", ");
}

export function matchesFilter(r: ReportRecord, f: ReportFilter): boolean {
  if (f.year !== undefined && r.year !== f.year) return false;
  if (f.region && !(r.region?.code ?? "").startsWith(f.region)) return false;
  if (f.organ && !(r.organ ?? "").includes(f.organ)) return false;
  return true;
}

/** Checks a filter's values as the CLI takes them; returns the reason it is wrong, or null. */
export function filterProblem(f: ReportFilter): string | null {
  if (f.year !== undefined && !(Number.isInteger(f.year) && f.year >= 2000 && f.year <= 2100)) return `--year must be a year such as 2023, not ${f.year}`;
  if (f.region !== undefined && !/^\d{2,6}$/.test(f.region)) return `--region takes the first 2 to 6 digits of a GB/T 2260 code (35 is 福建), not ${f.region}`;
  if (f.organ !== undefined && f.organ.trim() === "") return "--organ needs part of a body's name";
  return null;
}
