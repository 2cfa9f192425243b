// How bodies' names are shortened, for telling one body's names apart from another's
// (normalizers/organ.ts). A report is keyed by its body: two names of one body must meet,
// and two bodies must never, or one report is lost under the other.

/**
 * Short stems whose meaning is fixed by use: the stem stands for these words and no others,
 * whatever other name its characters could be picked from (国资局 is 国有资产监督管理局,
 * never 国土资源局, though 国·资 can be read out of 国土资源). The long name's stem must
 * start with one of them.
 */
export const CONVENTIONAL_STEMS: Record<string, string[]> = {
  国资: ["国有资产"],
  国土: ["国土资源", "国土"],
  发改: ["发展和改革", "发展改革"],
  人社: ["人力资源和社会保障", "人力资源社会保障"],
  卫健: ["卫生健康", "卫生和健康"],
  卫计: ["卫生和计划生育", "卫生计生"],
  住建: ["住房和城乡建设", "住房城乡建设"],
  经信: ["经济和信息化", "经济信息化"],
  工信: ["工业和信息化", "工业信息化"],
  文旅: ["文化和旅游", "文化旅游", "文化广电和旅游", "文化广电旅游"],
  医保: ["医疗保障"],
  市场监管: ["市场监督管理"],
  城管: ["城市管理"],
  民宗: ["民族宗教", "民族和宗教"],
  教体: ["教育和体育", "教育体育"],
  农业农村: ["农业农村"],
  生态环境: ["生态环境"],
  退役军人: ["退役军人事务"],
};

/**
 * What a longer name may add after a shorter name's whole stem and still be the same
 * body (应急局, 应急管理局; 交通局, 交通运输局; 自然资源局, 自然资源和规划局: a body's
 * name in full, or the name it took when another task joined it). Anything else added
 * names another body, usually one under it: 税务局 and 税务稽查局, 财政局 and
 * 财政投资评审局, 农业局 and 农业机械管理局, 水利局 and 水利工程管理局.
 */
export const SAME_BODY_TAIL = /^(?:管理|运输|事务|服务|[和与及].+)$/;

/**
 * Words that make a name a place's (a town, a street, a village): two such names are
 * one body only when the places are the same (杨家镇 is not 杨家坪镇).
 */
export const PLACE_WORD = /镇|乡|街道|村|社区|苏木/;
