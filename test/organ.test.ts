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

// A hostile campaign's pairs (2026-12-07): names of one body that were keyed apart (its
// report counted twice), and names of two bodies keyed as one (one report lost under the other).
describe("one body's names meet; two bodies' names never do", () => {
  const R = ["湖北省", "武汉市", "硚口区"];
  const key = (names: string[]) => {
    const bare = names.map((n) => bareName(n, R));
    return bare.map((b) => organKey("420104", b, bare));
  };
  const one = (a: string, b: string) => expect(new Set(key([a, b])).size, `${a} / ${b}`).toBe(1);
  const two = (a: string, b: string) => expect(new Set(key([a, b])).size, `${a} / ${b}`).toBe(2);

  it("the long and short words for a body's kind, its owner and its government in front, its level alone", () => {
    one("硚口区卫生健康委员会", "硚口区卫健委");
    one("硚口区商务委员会", "硚口区商务委");
    one("硚口区经济开发区管理委员会", "硚口区经济开发区管委会");
    one("硚口区人民政府办公室", "硚口区政府办");
    one("硚口区人民政府办公室", "硚口区政府办公室");
    one("硚口区人民防空办公室", "硚口区人防办");
    one("硚口区人民政府", "硚口区政府");
    one("硚口区易家镇人民政府", "硚口区易家镇");
    one("硚口区易家乡人民政府", "硚口区易家乡政府");
    one("硚口区汉正街道办事处", "硚口区汉正街道");
    one("武汉市硚口区人民政府汉正街道办事处", "硚口区汉正街道办事处");
    one("国家税务总局武汉市硚口区税务局", "硚口区税务局");
    one("中共硚口区委宣传部", "硚口区委宣传部");
    one("区商务局", "湖北省武汉市硚口区商务局");
    one("硚口区应急管理局", "硚口区应急局");
    one("硚口区交通运输局", "硚口区交通局");
    one("硚口区自然资源和规划局", "硚口区自然资源局");
    one("硚口区国有资产监督管理委员会", "硚口区国资委");
    one("硚口区市场监督管理局", "硚口区市场监管局");
    one("硚口区人力资源和社会保障局", "硚口区人社局");
    // Three forms of one street office: the short one takes the longest, not none.
    expect(new Set(key(["硚口区汉正街道", "硚口区汉正街道办事处", "武汉市硚口区汉正街道办事处"])).size).toBe(1);
  });

  it("a body and one under it, two places, a stem of fixed meaning: apart", () => {
    two("硚口区国土资源局", "硚口区国资局");
    two("硚口区农业机械管理局", "硚口区农业局");
    two("硚口区税务稽查局", "硚口区税务局");
    two("硚口区交通运输管理局", "硚口区交通局");
    two("硚口区财政投资评审局", "硚口区财政局");
    two("硚口区水利工程管理局", "硚口区水利局");
    two("硚口区杨家坪镇人民政府", "硚口区杨家镇人民政府");
    two("硚口区商务局", "硚口区经科局");
    // The district's party committee is not the district's government, nor is the city's bureau the district's.
    two("硚口区委", "硚口区人民政府");
    two("市商务局", "硚口区商务局");
    // Unplaced: a district's name still in front tells two places apart.
    expect(isAbbreviationOf("城区商务局", "城关区商务局")).toBe(false);
  });
});
