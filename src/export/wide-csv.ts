// Wide CSV: one row per report, one column per cell, named by the contract's keys.
import { cellMap, wideColumns } from "../../model/cells.js";
import { diagnosticsOf } from "../record-access.js";
import { CITATION_IDS, csvField, csvLine, idFields, SOURCE_IDS, type IdColumn } from "./csv.js";
import type { StreamWriter } from "./writer.js";

const WIDE_IDS: IdColumn[] = [
  ...SOURCE_IDS.slice(0, 3),
  ["published_on", "text", (_, r) => r.publishedOn],
  ...SOURCE_IDS.slice(3),
  ["checks_failed", "number", (_, r) => r.checks.length],
  // Notes that need a look (diagnostics other than `info`).
  ["warnings", "number", (_, r) => diagnosticsOf(r).filter((d) => d.severity !== "info").length],
  ...CITATION_IDS,
];

export const wideCsv: StreamWriter = {
  to: "stream",
  format: "wide-csv",
  description: "wide CSV: one row per report, one column per cell (UTF-8 with BOM, RFC 4180)",
  async write(records, out) {
    const wide = wideColumns();
    await out.write("\ufeff" + csvLine([...WIDE_IDS.map(([n]) => n), ...wide].map(csvField)));
    let n = 0;
    for (const { id, record, places } of records) {
      n++;
      const values = cellMap(record);
      await out.write(csvLine([...idFields(WIDE_IDS, id, record, places), ...wide.map((c) => csvField(values.get(c) ?? null))]));
    }
    return n;
  },
};
