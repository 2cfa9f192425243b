// The codebook: one row per cell key, the template's printed labels beside each, and
// docs/codebook.md kept equal to what `xxgk codebook --format md` writes.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { codebook } from "../model/codebook.js";
import { wideColumns } from "../model/cells.js";
import { renderCodebook } from "../src/codebook.js";
import { ACTIVE_2019, ACTIVE_2021, REQUEST_ROW_DEFS } from "../data/template.js";

describe("codebook", () => {
  const book = codebook();
  const byKey = new Map(book.map((e) => [e.key, e]));

  it("has exactly one entry per cell key a record can hold", () => {
    expect(book.length).toBe(byKey.size);
    expect([...byKey.keys()].sort()).toEqual([...wideColumns()].sort());
  });

  it("names each key's printed row and column, per template", () => {
    expect(byKey.get("requests.denied.stateSecret.total")).toMatchObject({
      table: 3, row: "1.属于国家秘密", column: "总计", group: "三、本年度办理结果（三）不予公开", templates: ["2021", "2019"], unit: "件", type: "integer",
    });
    expect(byKey.get("requests.other.overdueFee.naturalPerson")).toMatchObject({ templates: ["2021"], column: "自然人" });
    expect(byKey.get("requests.other.total")).toMatchObject({ templates: ["2019"], row: "（六）其他处理", group: "三、本年度办理结果" });
    expect(byKey.get("requests.newReceived.researchInstitution")).toMatchObject({ group: "", column: "科研机构" });
    expect(byKey.get("active.fees.amountWanYuan")).toMatchObject({ table: 2, templates: ["2021"], unit: "万元", type: "number" });
    expect(byKey.get("active.procurement.amountYuan")).toMatchObject({ templates: ["2019"], unit: "元", type: "number", column: "采购总金额" });
    expect(byKey.get("active.licensing.decisions")).toMatchObject({ templates: ["2021", "2019"], column: "本年处理决定数量" });
    expect(byKey.get("reviews.litigationAfterReview.pending")).toMatchObject({ table: 4, group: "行政诉讼", row: "复议后起诉", column: "尚未审结" });
  });

  it("takes every row label from the template definitions the mapping reads", () => {
    for (const d of [...ACTIVE_2021, ...ACTIVE_2019]) for (const c of d.columns) expect(byKey.get(`active.${d.key}.${c}`)?.row).toBe(d.labels[0]);
    for (const d of REQUEST_ROW_DEFS) expect(byKey.get(`requests.${d.key}.total`)?.row).toBe(d.labels[0]);
  });

  it("is in docs/codebook.md exactly as `xxgk codebook --format md` writes it", () => {
    expect(readFileSync("docs/codebook.md", "utf8")).toBe(renderCodebook("md"));
  });

  it("prints CSV from the CLI, one line per key, quoting what needs it", () => {
    expect(existsSync("dist/src/cli.js")).toBe(true);
    const out = spawnSync("node", ["dist/src/cli.js", "codebook"], { encoding: "utf8" });
    expect(out.status).toBe(0);
    const lines = out.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("key,table,templates,group,row,column,unit,type");
    expect(lines.length - 1).toBe(book.length);
    // 危及“三安全一稳定” has no comma or quote of CSV's own; a label with a comma would be quoted.
    expect(lines.find((l) => l.startsWith("requests.denied.endangersSafety.total,"))).toBe(
      "requests.denied.endangersSafety.total,3,2021 2019,三、本年度办理结果（三）不予公开,3.危及“三安全一稳定”,总计,件,integer",
    );
    const bad = spawnSync("node", ["dist/src/cli.js", "codebook", "--format", "xml"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });
});
