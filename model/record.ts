// The report record: the contract in docs/record.md, defined once as zod schemas.
// Every output (extract --json, the store, every export) carries these keys.
import { z } from "zod";
import { Provenance, RecordDiagnostic } from "./provenance.js";
import { SCHEMA_VERSION } from "./contract.js";
import { OTHER_ROW_2019, OTHER_ROWS_2021, REQUEST_COLUMNS, REQUEST_ROWS } from "../data/keys.js";

export * from "../data/keys.js";
export { SCHEMA_VERSION, TOP_LEVEL_KEYS } from "./contract.js";


/** A count as printed: an integer, or null where the document shows none. */
export const Count = z.number().int().nullable();
/** An amount as printed, in the unit its key names. */
export const Amount = z.number().nullable();

export const Format = z.enum(["docx", "pdf", "html", "text"]);
export type Format = z.infer<typeof Format>;

export const Source = z.strictObject({
  path: z.string().nullable(),
  url: z.string().nullable(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  format: Format,
});

export const Region = z.strictObject({
  code: z.string().regex(/^\d{6}$/),
  name: z.string(),
  province: z.string().nullable(),
  city: z.string().nullable(),
  county: z.string().nullable(),
});
export type Region = z.infer<typeof Region>;

// ---- active (二、主动公开政府信息情况) ----------------------------------------

const Issued = z.strictObject({ issued: Count, repealed: Count, inForce: Count });
const Decisions = z.strictObject({ decisions: Count });

export const Active2021 = z.strictObject({
  regulations: Issued,
  normativeDocuments: Issued,
  licensing: Decisions,
  penalties: Decisions,
  coercion: Decisions,
  fees: z.strictObject({ amountWanYuan: Amount }),
});
export type Active2021 = z.infer<typeof Active2021>;

const Made = z.strictObject({ newlyMade: Count, newlyPublished: Count, totalPublished: Count });
const Items = z.strictObject({ previousYear: Count, change: Count, decisions: Count });

export const Active2019 = z.strictObject({
  regulations: Made,
  normativeDocuments: Made,
  licensing: Items,
  otherServices: Items,
  penalties: Items,
  coercion: Items,
  fees: z.strictObject({ previousYear: Count, change: Count }),
  procurement: z.strictObject({ projects: Count, amountYuan: Amount }),
});
export type Active2019 = z.infer<typeof Active2019>;

// ---- requests (三、收到和处理政府信息公开申请情况) --------------------------------

const RequestValues = z.array(Count).length(REQUEST_COLUMNS.length);

export const Requests = z
  .record(z.string(), RequestValues)
  .superRefine((rows, ctx) => {
    const keys = Object.keys(rows);
    const allowed = new Set<string>([...REQUEST_ROWS, ...OTHER_ROWS_2021, OTHER_ROW_2019]);
    for (const k of keys) if (!allowed.has(k)) ctx.addIssue({ code: "custom", message: `unknown requests row ${k}` });
    for (const k of REQUEST_ROWS) if (!(k in rows)) ctx.addIssue({ code: "custom", message: `missing requests row ${k}` });
    const hasOne = OTHER_ROW_2019 in rows;
    const three = OTHER_ROWS_2021.filter((k) => k in rows).length;
    if (hasOne === (three === 3) || (three !== 0 && three !== 3))
      ctx.addIssue({ code: "custom", message: "requests holds either `other` or the three `other.*` rows" });
  });
export type Requests = Record<string, (number | null)[]>;

// ---- reviews (四、政府信息公开行政复议、行政诉讼情况) ------------------------------

const ReviewGroup = z.strictObject({ upheld: Count, corrected: Count, other: Count, pending: Count, total: Count });
export const Reviews = z.strictObject({
  administrativeReview: ReviewGroup,
  litigationDirect: ReviewGroup,
  litigationAfterReview: ReviewGroup,
});
export type Reviews = z.infer<typeof Reviews>;

// ---- the rest ---------------------------------------------------------------

export const Section = z.strictObject({
  number: z.number().int().min(1).max(6),
  title: z.string(),
  text: z.string(),
});
export type Section = z.infer<typeof Section>;

export const Check = z.strictObject({
  rule: z.string(),
  severity: z.enum(["error", "warning"]),
  message: z.string(),
  where: z.string(),
});
export type Check = z.infer<typeof Check>;

const common = {
  schemaVersion: z.literal(SCHEMA_VERSION),
  source: Source,
  organ: z.string().nullable(),
  year: z.number().int().min(2000).max(2100).nullable(),
  publishedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  region: Region.nullable(),
  requests: Requests,
  reviews: Reviews,
  sections: z.array(Section),
  checks: z.array(Check),
  /** Cell key (and organ, year, publishedOn) → where and how its value was read. */
  provenance: Provenance,
  /** Every note the reader made, as an object with a stable code. */
  diagnostics: z.array(RecordDiagnostic),
};

export const Record2021 = z.strictObject({ ...common, template: z.literal("2021"), active: Active2021 });
export const Record2019 = z.strictObject({ ...common, template: z.literal("2019"), active: Active2019 });
export const ReportRecord = z.discriminatedUnion("template", [Record2021, Record2019]);
export type ReportRecord = z.infer<typeof ReportRecord>;
export type Template = ReportRecord["template"];

/**
 * A place a document was seen (an addition of the store's exports, after `diagnostics`):
 * a file path, a member of a zip archive, or a URL, with the first and last time these
 * very bytes were met there; for a URL, when the crawler fetched them, the server's
 * Last-Modified and the date the portal's list page printed beside the link.
 */
export const DocumentPlace = z.strictObject({
  kind: z.enum(["path", "zip", "url", "bytes"]),
  path: z.string().nullable(),
  url: z.string().nullable(),
  /** zip: the archive's path and the member's name inside it. */
  archive: z.string().nullable(),
  member: z.string().nullable(),
  /** The bytes seen there (a report's places are those of all its documents). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  firstSeen: z.string(),
  lastSeen: z.string(),
  retrievedAt: z.string().nullable(),
  lastModified: z.string().nullable(),
  listedOn: z.string().nullable(),
});
export type DocumentPlace = z.infer<typeof DocumentPlace>;
