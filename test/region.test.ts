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

describe("the place an office's street address gives (real pages: city and region bodies sitting in a district)", () => {
  it("is placed at the level the organ's name says, or at the district's city when no organ was read", () => {
    const at = (organ: string | null, address: string) => resolveRegion({ organ, title: null, text: `地址：${address}` }).region?.name;
    expect(at("自治区北部湾办", "南宁市青秀区中泰路11号")).toBe("广西壮族自治区");
    expect(at("省交通运输厅", "济南市历下区某路1号")).toBe("山东省");
    expect(at("市大数据管理局", "福州市仓山区南江滨西大道")).toBe("福州市");
    expect(at(null, "深圳市福田区竹子林某路")).toBe("深圳市");
    // A county's office is that county's; an organ without place or level keeps the district.
    expect(at(null, "永嘉县上塘镇某路")).toBe("永嘉县");
    expect(at("商务局", "威海市环翠区某路1号")).toBe("环翠区");
  });

  it("never reads the place of a document cited in the title", () => {
    const r = resolveRegion({ organ: null, title: "根据《广西壮族自治区人民政府办公厅关于做好2022年政府信息公开工作年度报告的通知》,现将我委2022年度工作情况报告如下", text: "" });
    expect(r.region).toBeNull();
  });
});

describe("region hints and bare division names", () => {
  it("knows which codes are GB/T 2260 divisions", async () => {
    const { isKnownRegionCode } = await import("../normalizers/region.js");
    expect(isKnownRegionCode("420104")).toBe(true);
    expect(isKnownRegionCode("350128")).toBe(true);
    expect(isKnownRegionCode("999999")).toBe(false);
    expect(isKnownRegionCode("42010")).toBe(false);
  });

  it("takes a hint but says so when the document names another division", () => {
    const wrong = resolveRegion({ organ: "硚口区商务局", title: null, text: "", hint: "110101" });
    expect(wrong.region?.code).toBe("110101");
    expect(wrong.contradiction).toContain("硚口区");
    expect(wrong.contradiction).toContain("110101");
    // A hint that narrows what the document says (the city's 商务局 given its county) agrees.
    expect(resolveRegion({ organ: "武汉市商务局", title: null, text: "", hint: "420104" }).contradiction).toBeUndefined();
    expect(resolveRegion({ organ: "硚口区商务局", title: null, text: "", hint: "420100" }).contradiction).toBeUndefined();
    expect(resolveRegion({ organ: "鼓楼区商务局", title: null, text: "", hint: "410204" }).contradiction).toBeUndefined();
  });

  it("reads a body named after its division without the suffix, only where that name is unique", () => {
    const pt = resolveRegion({ organ: "平潭综合实验区管理委员会", title: null, text: "" });
    expect(pt.region).toMatchObject({ code: "350128", name: "平潭县", city: "福州市", province: "福建省" });
    expect(pt).toMatchObject({ by: "organ", confidence: "medium" });
    const gl = resolveRegion({ organ: "鼓楼开发区管理委员会", title: null, text: "" });
    expect(gl.region).toBeNull();
    expect(gl.note).toContain("南京市");
    // A bare name followed by an office's word is no division: 公安局 is not in 公安县, 城关镇 not in 城关区.
    expect(resolveRegion({ organ: "公安局", title: null, text: "" }).region).toBeNull();
    expect(resolveRegion({ organ: "城关镇人民政府", title: null, text: "" }).region).toBeNull();
  });

  it("places a city's bureau named by one of its counties' bare name in that county (内江市隆昌生态环境局), and nothing else so", () => {
    const r = resolveRegion({ organ: "内江市隆昌生态环境局", title: null, text: "可与内江市隆昌生态环境局联系（地址：四川省隆昌市康复西路）" });
    expect(r.region).toMatchObject({ code: "511083", name: "隆昌市", city: "内江市" });
    expect(resolveRegion({ organ: "内江市生态环境局隆昌分局", title: null, text: "" }).region?.code).toBe("511083");
    // The city's own bureau, a scenic area named after a district, a lake: the city.
    expect(resolveRegion({ organ: "内江市生态环境局", title: null, text: "" }).region?.code).toBe("511000");
    expect(resolveRegion({ organ: "杭州市西湖风景名胜区管理委员会", title: null, text: "" }).region?.code).toBe("330100");
    expect(resolveRegion({ organ: "南京市玄武湖管理处", title: null, text: "" }).region?.code).toBe("320100");
    // A county of another city is not taken (隆昌 is 内江's, not 成都's).
    expect(resolveRegion({ organ: "成都市隆昌生态环境局", title: null, text: "" }).region?.code).toBe("510100");
  });

  it("does not take a zone's bare name printed after another place's name (武汉东湖: a lake, not 南昌's 东湖区)", () => {
    const r = resolveRegion({ organ: "东湖高新区教育局", title: "2021年东湖高新区教育局政府信息公开工作年度报告", text: "来源: 武汉东湖新技术开发区教育局" });
    expect(r.region).toBeNull();
    expect(r.note).toContain("武汉");
    // The division's own city or province before it agrees.
    expect(resolveRegion({ organ: "平潭综合实验区管理委员会", title: null, text: "福建省福州市平潭综合实验区" }).region?.code).toBe("350128");
    expect(resolveRegion({ organ: "平潭综合实验区管理委员会", title: null, text: "福建平潭综合实验区" }).region?.code).toBe("350128");
  });

  it("places such a body in its county even where the title or address names only the province, so every year lands alike", () => {
    for (const at of [
      { title: "福建省平潭综合实验区2019年政府信息公开工作年度报告", text: "" },
      { title: null, text: "地址：福建省平潭综合实验区金井湾片区商务营运中心" },
    ]) {
      const r = resolveRegion({ organ: "平潭综合实验区", ...at });
      expect(r.region, JSON.stringify(at)).toMatchObject({ code: "350128", name: "平潭县" });
      expect(r).toMatchObject({ by: "organ", confidence: "medium" });
    }
    // A province beside a zone name that is not its county's (or no zone at all): the province stays.
    expect(resolveRegion({ organ: "平潭综合实验区", title: "江苏省某某报告", text: "" }).region).toMatchObject({ code: "320000" });
    expect(resolveRegion({ organ: "某某局", title: "福建省某某局2019年政府信息公开工作年度报告", text: "" }).region).toMatchObject({ code: "350000" });
  });
});

describe("autonomous divisions by the short names their bodies print", () => {
  const at = (organ: string, title: string | null = null, text = "") => resolveRegion({ organ, title, text });

  it("reads a prefecture, county or banner printed without its peoples", () => {
    for (const [organ, code, name] of [
      ["湘西州民政局", "433100", "湘西土家族苗族自治州"],
      ["湘西自治州人民政府", "433100", "湘西土家族苗族自治州"],
      ["黔东南州财政局", "522600", "黔东南苗族侗族自治州"],
      ["西双版纳州教育局", "532800", "西双版纳傣族自治州"],
      ["伊犁州统计局", "654000", "伊犁哈萨克自治州"], // a people without 族 in the name
      ["长阳县商务局", "420528", "长阳土家族自治县"],
      ["龙胜县人民政府", "450328", "龙胜各族自治县"],
      ["东乡县人民政府", "622926", "东乡族自治县"], // named for its people alone
      ["鄂伦春旗人民政府", "150723", "鄂伦春自治旗"],
      ["阜蒙县教育局", "210921", "阜新蒙古族自治县"], // a customary short name
    ] as const) {
      const r = at(organ);
      expect(r.region, organ).toMatchObject({ code, name });
      expect(r, organ).toMatchObject({ by: "organ", confidence: "high" });
    }
  });

  it("places a county printed after its prefecture's short name in that county", () => {
    expect(at("湘西州吉首市教育局").region).toMatchObject({ code: "433101", city: "湘西土家族苗族自治州" });
    expect(at("恩施州利川市财政局").region).toMatchObject({ code: "422802", name: "利川市", city: "恩施土家族苗族自治州" });
    // A county of another prefecture printed after it agrees with nothing: not placed.
    expect(at("湘西州利川市财政局").region?.code).not.toBe("422802");
  });

  it("never takes a short name that is another division's own name, nor one-character ones", () => {
    // 本溪县 is the autonomous county's short name and no other division's: taken; 本溪市 stays the city.
    expect(at("本溪县财政局").region).toMatchObject({ code: "210521" });
    expect(at("本溪市财政局").region).toMatchObject({ code: "210500" });
    // 海南州 (Qinghai) is not 海南省; 巴州区 (Sichuan) is not 巴音郭楞 (巴州, one character, never added).
    expect(at("海南州民政局").region).toMatchObject({ code: "632500" });
    expect(at("海南省民政厅").region).toMatchObject({ code: "460000" });
    expect(at("巴州区商务局").region).toMatchObject({ code: "511902" });
    expect(at("巴州商务局").region).toBeNull();
  });
});

describe("--region on the command line", () => {
  it("refuses a code that is no division, and warns when the document names another", async () => {
    const { spawnSync } = await import("node:child_process");
    const sample = "data/samples/2024-硚口区商务局.txt";
    const bad = spawnSync("node", ["dist/src/cli.js", "extract", sample, "--region", "999999"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("999999");
    const wrong = spawnSync("node", ["dist/src/cli.js", "extract", sample, "--region", "110101", "--json"], { encoding: "utf8" });
    expect(wrong.status).toBe(0);
    const r = JSON.parse(wrong.stdout);
    expect(r.region.code).toBe("110101");
    expect(JSON.stringify(r)).toContain("but the document names 硚口区");
  });
});
