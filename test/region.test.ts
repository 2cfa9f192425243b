import { describe, expect, it } from "vitest";
import { resolveRegion } from "../normalizers/region.js";

describe("placing the issuing body", () => {
  it("places a unique county from the organ's name", () => {
    const d = resolveRegion({ organ: "硚口区商务局", title: null, text: "" });
    expect(d.region).toEqual({ code: "420104", name: "硚口区", province: "湖北省", city: "武汉市", county: "硚口区" });
    expect(d).toMatchObject({ by: "organ", confidence: "high" });
  });

  it("keeps a same-named county null when nothing tells which", () => {
    const d = resolveRegion({ organ: "鼓楼区商务局", title: null, text: "本年度工作情况如下。" });
    expect(d.region).toBeNull();
    expect(d.note).toContain("南京市");
    expect(d.note).toContain("福州市");
  });

  it("narrows a same-named county by the city printed before it in the organ's own name", () => {
    // 鼓楼区 is in 南京, 福州, 徐州 and 开封; the name itself says which, with no other text.
    const d = resolveRegion({ organ: "南京市鼓楼区商务局", title: null, text: "" });
    expect(d.region).toEqual({ code: "320106", name: "鼓楼区", province: "江苏省", city: "南京市", county: "鼓楼区" });
    expect(resolveRegion({ organ: "福州市鼓楼区商务局", title: null, text: "" }).region?.code).toBe("350102");
  });

  it("tells same-named counties apart by a city named in the text or the telephone area code", () => {
    expect(resolveRegion({ organ: "鼓楼区商务局", title: null, text: "地址：南京市中山北路1号" }).region?.code).toBe("320106");
    const byPhone = resolveRegion({ organ: "鼓楼区商务局", title: null, text: "如有疑问，请联系：办公室，电话：0591-87654321。" });
    expect(byPhone.region?.city).toBe("福州市");
    expect(byPhone.confidence).toBe("medium");
  });

  it("uses a city-level organ, the title, a hint, and a municipality's districts", () => {
    expect(resolveRegion({ organ: "威海市商务局", title: null, text: "" }).region).toMatchObject({ code: "371000", county: null, city: "威海市" });
    expect(resolveRegion({ organ: "商务局", title: "环翠区商务局2024年政府信息公开工作年度报告", text: "" }).region?.code).toBe("371002");
    expect(resolveRegion({ organ: "鼓楼区商务局", title: null, text: "", hint: "410204" }).region).toMatchObject({ name: "鼓楼区", city: "开封市", province: "河南省" });
    expect(resolveRegion({ organ: "北京市东城区人民政府", title: null, text: "" }).region).toMatchObject({ code: "110101", city: "北京市", county: "东城区" });
  });

  it("says so when no division is named", () => {
    const d = resolveRegion({ organ: "商务局", title: null, text: "" });
    expect(d.region).toBeNull();
    expect(d.note).toContain("no division name");
  });
});
