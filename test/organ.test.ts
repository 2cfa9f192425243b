import { describe, expect, it } from "vitest";
import { bareName, isAbbreviationOf, organKey } from "../normalizers/organ.js";

describe("organ identity", () => {
  it("strips the region's names in front", () => {
    expect(bareName("湖北省武汉市硚口区商务局", ["湖北省", "武汉市", "硚口区"])).toBe("商务局");
    expect(bareName("硚口区经科局", ["硚口区"])).toBe("经科局");
  });

  it("links an abbreviation to the full name of the same kind of body", () => {
    expect(isAbbreviationOf("经科局", "经济信息化和科技创新局")).toBe(true);
    expect(isAbbreviationOf("经科局", "经济信息化和科技创新委员会")).toBe(false);
    expect(isAbbreviationOf("商务局", "经济信息化和科技创新局")).toBe(false);
    expect(isAbbreviationOf("科局", "经济信息化和科技创新局")).toBe(false);
  });

  it("keys a body by region and its full name; ambiguity links nothing", () => {
    expect(organKey("420104", "经科局", ["经济信息化和科技创新局", "商务局"])).toBe("420104:经济信息化和科技创新局");
    expect(organKey("420104", "经科局", ["经济信息化和科技创新局", "经济和科学技术局"])).toBe("420104:经科局");
    expect(organKey(null, "商务局", [])).toBe("unplaced:商务局");
  });
});
