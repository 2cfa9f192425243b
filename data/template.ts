// The national template's rows and labels (国办公开办函〔2021〕30号 and 〔2019〕60号).
// The mapping reads tables by these labels; variants list how real reports type them.
// Labels are compared after normalizers/labels.ts has folded widths, brackets and
// spacing, so variants here differ in words, not in punctuation.
import type { RequestRow } from "./keys.js";

export interface RowDef<K extends string = string> {
  /** Path in the record, e.g. "active.regulations" or "requests.granted". */
  key: K;
  /** The label as the template prints it, then variants seen in real reports. */
  labels: string[];
}

export interface ActiveRowDef extends RowDef {
  /** The item of 第二十条 whose block prints this row (第二十条第（五）项: 5); a block has its own header row. */
  item: number;
  /** The record keys of this row's value columns, in printed order. */
  columns: string[];
  /** Which columns are amounts (not counts) and the unit their key names. */
  units?: Record<string, "wanYuan" | "yuan">;
}

export const ACTIVE_2021: ActiveRowDef[] = [
  { key: "regulations", item: 1, labels: ["规章"], columns: ["issued", "repealed", "inForce"] },
  { key: "normativeDocuments", item: 1, labels: ["行政规范性文件", "规范性文件"], columns: ["issued", "repealed", "inForce"] },
  { key: "licensing", item: 5, labels: ["行政许可"], columns: ["decisions"] },
  { key: "penalties", item: 6, labels: ["行政处罚"], columns: ["decisions"] },
  { key: "coercion", item: 6, labels: ["行政强制"], columns: ["decisions"] },
  { key: "fees", item: 8, labels: ["行政事业性收费"], columns: ["amountWanYuan"], units: { amountWanYuan: "wanYuan" } },
];

export const ACTIVE_2019: ActiveRowDef[] = [
  { key: "regulations", item: 1, labels: ["规章"], columns: ["newlyMade", "newlyPublished", "totalPublished"] },
  { key: "normativeDocuments", item: 1, labels: ["规范性文件", "行政规范性文件"], columns: ["newlyMade", "newlyPublished", "totalPublished"] },
  { key: "licensing", item: 5, labels: ["行政许可"], columns: ["previousYear", "change", "decisions"] },
  { key: "otherServices", item: 5, labels: ["其他对外管理服务事项", "其他对外管理服务"], columns: ["previousYear", "change", "decisions"] },
  { key: "penalties", item: 6, labels: ["行政处罚"], columns: ["previousYear", "change", "decisions"] },
  { key: "coercion", item: 6, labels: ["行政强制"], columns: ["previousYear", "change", "decisions"] },
  { key: "fees", item: 8, labels: ["行政事业性收费"], columns: ["previousYear", "change"] },
  { key: "procurement", item: 9, labels: ["政府集中采购"], columns: ["projects", "amountYuan"], units: { amountYuan: "yuan" } },
];

/** Column headers that tell the two forms of table 2 apart. */
export const ACTIVE_HEADERS = {
  "2021": ["本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额"],
  "2019": ["本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "处理决定数量", "采购项目数量", "采购总金额"],
} as const;

/** Rows of table 3. Numbering is part of the label: "3.其他" is not "（六）其他处理". */
export const REQUEST_ROW_DEFS: RowDef<RequestRow>[] = [
  { key: "newReceived", labels: ["一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量", "本年新收政府信息公开申请数"] },
  { key: "carriedOver", labels: ["二、上年结转政府信息公开申请数量", "上年结转政府信息公开申请数量", "上年结转政府信息公开申请数"] },
  { key: "granted", labels: ["（一）予以公开", "予以公开"] },
  { key: "partiallyGranted", labels: ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（二）部分公开", "部分公开"] },
  { key: "denied.stateSecret", labels: ["1.属于国家秘密", "属于国家秘密"] },
  { key: "denied.prohibitedByLaw", labels: ["2.其他法律行政法规禁止公开", "其他法律行政法规禁止公开"] },
  { key: "denied.endangersSafety", labels: ["3.危及“三安全一稳定”", "危及“三安全一稳定”", "危及三安全一稳定"] },
  { key: "denied.thirdPartyRights", labels: ["4.保护第三方合法权益", "保护第三方合法权益"] },
  { key: "denied.internalAffairs", labels: ["5.属于三类内部事务信息", "属于三类内部事务信息"] },
  { key: "denied.processInformation", labels: ["6.属于四类过程性信息", "属于四类过程性信息"] },
  { key: "denied.enforcementCaseFile", labels: ["7.属于行政执法案卷", "属于行政执法案卷"] },
  { key: "denied.administrativeQuery", labels: ["8.属于行政查询事项", "属于行政查询事项"] },
  { key: "unavailable.notHeld", labels: ["1.本机关不掌握相关政府信息", "本机关不掌握相关政府信息"] },
  { key: "unavailable.needsCreation", labels: ["2.没有现成信息需要另行制作", "没有现成信息需要另行制作"] },
  { key: "unavailable.stillUnclear", labels: ["3.补正后申请内容仍不明确", "补正后申请内容仍不明确"] },
  { key: "notProcessed.petition", labels: ["1.信访举报投诉类申请", "信访举报投诉类申请"] },
  { key: "notProcessed.duplicate", labels: ["2.重复申请", "重复申请"] },
  { key: "notProcessed.publication", labels: ["3.要求提供公开出版物", "要求提供公开出版物"] },
  { key: "notProcessed.excessive", labels: ["4.无正当理由大量反复申请", "无正当理由大量反复申请"] },
  { key: "notProcessed.confirmation", labels: ["5.要求行政机关确认或重新出具已获取信息", "要求行政机关确认或重新出具已获取信息"] },
  {
    key: "other.overdueCorrection",
    labels: ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
  },
  {
    key: "other.overdueFee",
    labels: ["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"],
  },
  { key: "other.other", labels: ["3.其他"] },
  { key: "other", labels: ["（六）其他处理", "其他处理"] },
  { key: "total", labels: ["（七）总计"] },
  { key: "carriedForward", labels: ["四、结转下年度继续办理", "结转下年度继续办理"] },
];

/** Words of table 4's header: a values-only row after them is table 4's data row. */
export const REVIEW_HEADERS = ["行政复议", "行政诉讼", "结果维持", "未经复议", "复议后起诉"];

/** Table 3's applicant columns as printed, in REQUEST_COLUMNS order (for messages). */
export const REQUEST_COLUMN_LABELS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"];

/** The six numbered sections and their titles as the template prints them. */
export const SECTION_TITLES = [
  "总体情况",
  "主动公开政府信息情况",
  "收到和处理政府信息公开申请情况",
  "政府信息公开行政复议、行政诉讼情况",
  "存在的主要问题及改进情况",
  "其他需要报告的事项",
] as const;

/** The first year the national templates cover (国办公开办函〔2019〕60号, reports on 2019): a report on an earlier year has tables of its own. */
export const FIRST_TEMPLATE_YEAR = 2019;

/** Words that mark the template's document number in the preamble. */
export const TEMPLATE_CITATIONS = {
  "2021": ["〔2021〕30号", "[2021]30号", "(2021)30号"],
  "2019": ["〔2019〕60号", "[2019]60号", "(2019)60号"],
} as const;
