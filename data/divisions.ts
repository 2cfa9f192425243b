// How the names of autonomous divisions are printed short. The statutory names carry the
// peoples they are named for (湘西土家族苗族自治州, 长阳土家族自治县); the bodies of those
// divisions almost always print the place alone with the level's word (湘西州民政局,
// 长阳县商务局) or with 自治州 (湘西自治州人民政府). normalizers/region.ts derives those
// short names from the division list: the statutory name less its peoples and 自治.

/**
 * The 56 peoples, as they stand in division names: with 族 always; the names of more than
 * one character also without it (博尔塔拉蒙古自治州, 巴里坤哈萨克自治县, 鄂伦春自治旗).
 */
const PEOPLES = [
  "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
  "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西",
  "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌",
  "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
  "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
];

/** One people (or 各族, "all peoples": 龙胜各族自治县) at the end of a name. */
const PEOPLE_AT_END = new RegExp(
  `(?:各族|(?:${PEOPLES.join("|")})族|(?:${PEOPLES.filter((p) => p.length > 1).join("|")}))$`,
);

const AUTONOMOUS = /^(.+?)自治(州|县|旗)$/;

/**
 * The short names a division's name is printed as: for 湘西土家族苗族自治州, 湘西州 and
 * 湘西自治州; for 东乡族自治县 (named for its people alone), 东乡县. Empty for a division
 * that is not autonomous. The caller drops a short name that is also another division's.
 */
export function shortNamesOf(name: string): string[] {
  const m = AUTONOMOUS.exec(name);
  if (!m) return [];
  let place = m[1];
  const level = m[2];
  for (let rest = place; PEOPLE_AT_END.test(rest); ) {
    rest = rest.replace(PEOPLE_AT_END, "");
    if (rest.length >= 2) place = rest;
    else break; // named for its people alone: the people's name is the place's (东乡族自治县 → 东乡)
  }
  place = place.replace(/族$/, "");
  if (place.length < 2) return [];
  return [`${place}${level}`, `${place}自治${level}`];
}

/**
 * Short names in customary use that are not the place less its peoples (the statutory
 * place name is itself shortened), each with the statutory name it stands for. Only
 * names of two characters and more: 巴州 (巴音郭楞) is also the start of 巴中市巴州区.
 */
export const CUSTOMARY_SHORT_NAMES: Record<string, string> = {
  阜蒙县: "阜新蒙古族自治县",
  喀左县: "喀喇沁左翼蒙古族自治县",
  前郭县: "前郭尔罗斯蒙古族自治县",
};
