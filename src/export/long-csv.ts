// Long CSV: one row per report × table × row × column, with how the cell was read
// (status, the printed text) and where (page, box, table/row/col, line).
import { cellMap, cellsOf } from "../../model/cells.js";
import { placeColumns, provenanceOf } from "../record-access.js";
import { CITATION_IDS, csvField, csvLine, csvText, idFields, SOURCE_IDS } from "./csv.js";
import type { StreamWriter } from "./writer.js";

export const LONG_HEADER = [
  ...SOURCE_IDS.map(([n]) => n),
  "table", "row", "column", "value",
  // 1 where a person's correction replaced what the machine read (`machine_value`; src/corrections.ts).
  "corrected", "machine_value",
  "status", "text", "page", "box", "table_no", "row_no", "col_no", "line",
  // The report's citation (src/citation.ts), the same on each of its rows.
  ...CITATION_IDS.map(([n]) => n),
];

export const longCsv: StreamWriter = {
  to: "stream",
  format: "csv",
  description: "long CSV: one row per report × cell, with each cell's status and place (UTF-8 with BOM, RFC 4180)",
  async write(records, out) {
    // A BOM so Excel opens the Chinese text as UTF-8; R and pandas skip it.
    await out.write("\ufeff" + csvLine(LONG_HEADER.map(csvField)));
    let n = 0;
    for (const { id, record, machine, corrected, places } of records) {
      n++;
      const machineValues = corrected?.size && machine ? cellMap(machine) : null;
      // The identifying fields are the same on each of a report's rows: write them once.
      const head = idFields(SOURCE_IDS, id, record).join(",") + ",";
      const tail = "," + idFields(CITATION_IDS, id, record, places).join(",");
      let chunk = "";
      for (const [tbl, row, col, v] of cellsOf(record)) {
        const key = `${tbl}.${row}.${col}`;
        const p = provenanceOf(record, key);
        const place = placeColumns(p?.place);
        const fixed = machineValues !== null && corrected!.has(key);
        chunk += head + [csvField(tbl), csvField(row), csvField(col), csvField(v), fixed ? "1" : "0", csvField(fixed ? machineValues!.get(key) : v), csvText(p?.status), csvText(p?.text), csvField(place[0]), csvText(place[1]), ...place.slice(2).map(csvField)].join(",") + tail + "\r\n";
      }
      await out.write(chunk);
    }
    return n;
  },
};
