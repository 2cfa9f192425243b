// The wide view: one row per current report, one column per cell, named by the
// contract's keys (active.regulations.issued, requests.denied.stateSecret.total, …),
// so `SELECT * FROM v_wide` loads straight into a data frame. Built from the same
// column list as `xxgk export --format wide-csv`, so the two never disagree; created
// by a store migration (a change of columns is a new migration).
import { wideColumns } from "../model/cells.js";

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function wideViewSql(): string {
  const cols = wideColumns().map((c) => {
    const [tbl, ...rest] = c.split(".");
    const col = rest.pop()!;
    const row = rest.join(".");
    return `MAX(CASE WHEN c.tbl = '${tbl}' AND c.row = '${row}' AND c.col = '${col}' THEN c.value END) AS ${quote(c)}`;
  });
  return `DROP VIEW IF EXISTS v_wide;
  CREATE VIEW v_wide AS
  SELECT vr.report_id, vr.organ, vr.year, vr.published_on, vr.region_code, vr.province, vr.city, vr.county,
         vr.template, vr.format, vr.source_path, vr.source_url, vr.sha256,
         ${cols.join(",\n         ")}
  FROM v_reports vr LEFT JOIN cells c ON c.report_id = vr.report_id
  GROUP BY vr.report_id`;
}

