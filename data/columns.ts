// The template's column headers and row groups as printed, by the contract's keys: what a
// researcher reads beside each cell key in the codebook. Labels, not matching rules (the
// mapping reads tables through template.ts).

/** Table 2's value columns, by key, as the template heads them. */
export const ACTIVE_COLUMN_LABELS: Record<string, string> = {
  issued: "本年制发件数",
  repealed: "本年废止件数",
  inForce: "现行有效件数",
  decisions: "本年处理决定数量",
  amountWanYuan: "本年收费金额（单位：万元）",
  newlyMade: "本年新制作数量",
  newlyPublished: "本年新公开数量",
  totalPublished: "对外公开总数量",
  previousYear: "上一年项目数量",
  change: "本年增/减",
  projects: "采购项目数量",
  amountYuan: "采购总金额",
};

/** The 2019 form heads the decisions column without 本年. */
export const ACTIVE_COLUMN_LABELS_2019: Record<string, string> = { decisions: "处理决定数量" };

/**
 * The words that name each column of table 2 in a block's header row (信息内容 | 本年处理决定数量),
 * compared with the header cell folded and without blanks (`本年新 制作数量`). A cell that
 * holds the words of one column alone names it; a cell holding none, or those of two, names
 * none. Both forms' columns: a report may head one block in the old form's words.
 */
export const ACTIVE_COLUMN_HEADER_WORDS: Record<string, readonly string[]> = {
  issued: ["制发件数"],
  repealed: ["废止件数"],
  inForce: ["现行有效件数"],
  decisions: ["处理决定数量", "处理决定数"],
  amountWanYuan: ["收费金额"],
  newlyMade: ["新制作数量", "新制作数"],
  newlyPublished: ["新公开数量", "新公开数"],
  totalPublished: ["公开总数量", "公开总数"],
  previousYear: ["上一年项目数量", "上年项目数量", "上一年项目数"],
  change: ["本年增/减", "本年增减", "增/减"],
  projects: ["采购项目数量", "采购项目数"],
  amountYuan: ["采购总金额", "采购金额"],
};

/** Where table 3's rows sit: the heading a sub-row belongs to, printed above it. */
export const REQUEST_ROW_GROUPS: Record<string, string> = {
  granted: "三、本年度办理结果",
  partiallyGranted: "三、本年度办理结果",
  denied: "三、本年度办理结果（三）不予公开",
  unavailable: "三、本年度办理结果（四）无法提供",
  notProcessed: "三、本年度办理结果（五）不予处理",
  other: "三、本年度办理结果（六）其他处理",
  total: "三、本年度办理结果",
};

/** Table 4's three groups and five result columns, as printed. */
export const REVIEW_GROUP_LABELS: Record<string, string> = {
  administrativeReview: "行政复议",
  litigationDirect: "未经复议直接起诉",
  litigationAfterReview: "复议后起诉",
};
export const REVIEW_COLUMN_LABELS: Record<string, string> = {
  upheld: "结果维持",
  corrected: "结果纠正",
  other: "其他结果",
  pending: "尚未审结",
  total: "总计",
};
