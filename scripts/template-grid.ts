// The national 2021 template's tables 3 and 4 as printed (rows of [text, rowSpan,
// colSpan] origin cells), shared by the fixture scripts that write them as HTML. Each
// script fills the value cells its own way.

export type C = [string, number, number];
export const c = (text: string, rowSpan = 1, colSpan = 1): C => [text, rowSpan, colSpan];

/** Table 3's applicant columns, in order. */
export const APPLICANT_HEADS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"];

/**
 * Table 3: its three header rows and every row of the template, each with the seven
 * value cells `values()` gives. `partial` is the （二） label as the script prints it.
 */
export function requestsGrid(values: () => C[], partial = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"): C[][] {
  const req: C[][] = [
    [c("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), c("申请人情况", 1, 7)],
    [c("自然人", 2, 1), c("法人或其他组织", 1, 5), c("总计", 2, 1)],
    APPLICANT_HEADS.slice(1, 6).map((h) => c(h)),
    [c("一、本年新收政府信息公开申请数量", 1, 3), ...values()],
    [c("二、上年结转政府信息公开申请数量", 1, 3), ...values()],
    [c("三、本年度办理结果", 22, 1), c("（一）予以公开", 1, 2), ...values()],
    [c(partial, 1, 2), ...values()],
  ];
  const group = (title: string, items: string[]) =>
    items.forEach((it, i) => req.push(i === 0 ? [c(title, items.length, 1), c(it), ...values()] : [c(it), ...values()]));
  group("（三）不予公开", ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]);
  group("（四）无法提供", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]);
  group("（五）不予处理", ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息"]);
  group("（六）其他处理", [
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
  ]);
  req.push([c("（七）总计", 1, 2), ...values()]);
  req.push([c("四、结转下年度继续办理", 1, 3), ...values()]);
  return req;
}

/** Table 4: its three header rows and the one row of fifteen values. */
export function reviewsGrid(values: C[]): C[][] {
  const five = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
  return [
    [c("行政复议", 1, 5), c("行政诉讼", 1, 10)],
    [...five.map((h) => c(h, 2, 1)), c("未经复议直接起诉", 1, 5), c("复议后起诉", 1, 5)],
    [...five, ...five].map((h) => c(h)),
    values,
  ];
}
