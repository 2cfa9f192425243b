// The portal's footer as a sign of where a body sits (issue #13, bodies: "the page's own
// signals"): the site's owner is read from the footer only, placed with medium confidence
// only where the organ's name, the title and the address place nothing, and it tells
// same-named divisions apart; a report's own text always wins over it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractHtml } from "../extractors/html.js";
import { DEFAULT_LIMITS } from "../model/limits.js";
import { resolveRegion } from "../normalizers/region.js";
import { parseReport } from "../src/pipeline.js";

const PORTAL = readFileSync("test/fixtures/generated/g01-2021.portal-utf-8.html", "utf8"); // 硚口区商务局; footer 主办单位：硚口区人民政府办公室
const extract = (html: string) => extractHtml(Buffer.from(html, "utf8"), { name: "p.html", limits: DEFAULT_LIMITS });
/** The fixture page of another body (renamed everywhere, its city and district names gone) with the given footer. */
function page(organ: string, footer: string): string {
  return PORTAL.replace(/硚口区商务局/g, organ)
    .replace(/武汉市/g, "")
    .replace(/硚口区/g, "")
    .replace(/硚口/g, "")
    .replace(/027-/g, "")
    .replace(/<footer class="foot">[\s\S]*?<\/footer>/, `<footer class="foot">${footer}</footer>`);
}

describe("the site's owner, from the footer", () => {
  it("is read from 主办单位 in a <footer>, up to where 承办单位 begins", async () => {
    const d = await extract(PORTAL);
    expect(d.meta.site).toEqual({ owner: "硚口区人民政府办公室", text: "主办单位:硚口区人民政府办公室 承办单位:硚口区人民政府大数据中心" });
  });

  it("from a footer-classed div, 版权所有 with a year, and never from the article", async () => {
    const html = page("区商务局", "").replace(
      /<footer class="foot"><\/footer>/,
      `<div id="bottom"><p>版权所有：© 2024 福州市鼓楼区人民政府　地址：福州市鼓楼区某路1号</p></div>`,
    );
    expect((await extract(html)).meta.site?.owner).toBe("福州市鼓楼区人民政府");
    // An article that names another body as 主办单位 is not the site's footer.
    const article = page("区商务局", "").replace("<footer class=\"foot\"></footer>", "").replace("</body>", "<p>主办单位：南京市鼓楼区人民政府</p></body>");
    expect((await extract(article)).meta.site).toBeUndefined();
  });

  it("places a body nothing else places, with medium confidence and region_by site", async () => {
    const out = await parseReport({ bytes: Buffer.from(page("区商务局", "<p>主办单位：威海市环翠区人民政府办公室 承办单位：某中心</p>"), "utf8"), name: "p.html" });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.record.organ).toBe("区商务局");
    expect(out.record.region?.code).toBe("371002");
    expect(out.region).toMatchObject({ by: "site", confidence: "medium" });
    expect(out.record.diagnostics.find((d) => d.code === "region.uncertain")?.message).toContain("威海市环翠区人民政府办公室");
  });

  it("tells same-named divisions apart (鼓楼区: four cities), and a page without a footer stays null", async () => {
    const fz = await parseReport({ bytes: Buffer.from(page("鼓楼区商务局", "<p>主办单位：福州市鼓楼区人民政府</p>"), "utf8"), name: "p.html" });
    expect(fz.ok && fz.record.region?.code).toBe("350102");
    const none = await parseReport({ bytes: Buffer.from(page("鼓楼区商务局", ""), "utf8"), name: "p.html" });
    expect(none.ok && none.record.region).toBeNull();
  });

  it("is the weakest evidence: the organ's own name and the address win over it", () => {
    expect(resolveRegion({ organ: "硚口区商务局", title: null, text: "", site: "福州市鼓楼区人民政府" })).toMatchObject({ by: "organ", region: { code: "420104" } });
    expect(resolveRegion({ organ: "商务局", title: null, text: "地址：威海市环翠区某路1号", site: "福州市鼓楼区人民政府" })).toMatchObject({ by: "address", region: { code: "371002" } });
    expect(resolveRegion({ organ: "商务局", title: null, text: "", site: "福州市鼓楼区人民政府" })).toMatchObject({ by: "site", confidence: "medium", region: { code: "350102" } });
    // An owner naming only a same-named county, with nothing to tell which: null.
    expect(resolveRegion({ organ: "商务局", title: null, text: "", site: "鼓楼区人民政府" }).region).toBeNull();
  });
});
