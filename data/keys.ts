// The template's key vocabulary: the names of its rows and columns as the record
// contract spells them (docs/record.md). Users join years and regions on these names.

/** The seven applicant columns, in the template's order. */
export const REQUEST_COLUMNS = [
  "naturalPerson", // 自然人
  "commercialEnterprise", // 商业企业
  "researchInstitution", // 科研机构
  "publicInterestOrganization", // 社会公益组织
  "legalServiceProvider", // 法律服务机构
  "otherOrganization", // 其他
  "total", // 总计
] as const;
export type RequestColumn = (typeof REQUEST_COLUMNS)[number];

/** Row keys every requests table has, whichever form （六） takes. */
export const REQUEST_ROWS = [
  "newReceived",
  "carriedOver",
  "granted",
  "partiallyGranted",
  "denied.stateSecret",
  "denied.prohibitedByLaw",
  "denied.endangersSafety",
  "denied.thirdPartyRights",
  "denied.internalAffairs",
  "denied.processInformation",
  "denied.enforcementCaseFile",
  "denied.administrativeQuery",
  "unavailable.notHeld",
  "unavailable.needsCreation",
  "unavailable.stillUnclear",
  "notProcessed.petition",
  "notProcessed.duplicate",
  "notProcessed.publication",
  "notProcessed.excessive",
  "notProcessed.confirmation",
  "total",
  "carriedForward",
] as const;
/** （六）其他处理 as three rows (2021 form) or as one row (2019 form). */
export const OTHER_ROWS_2021 = ["other.overdueCorrection", "other.overdueFee", "other.other"] as const;
export const OTHER_ROW_2019 = "other" as const;
export type RequestRow =
  | (typeof REQUEST_ROWS)[number]
  | (typeof OTHER_ROWS_2021)[number]
  | typeof OTHER_ROW_2019;

export const REVIEW_GROUPS = ["administrativeReview", "litigationDirect", "litigationAfterReview"] as const;
export const REVIEW_COLUMNS = ["upheld", "corrected", "other", "pending", "total"] as const;
