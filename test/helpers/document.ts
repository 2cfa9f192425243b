// Looking into an extracted Document in tests (shared by the extractor tests).
import { expect } from "vitest";
import { ExtractError, type Document, type Table } from "../../model/document.js";

export const tables = (d: Document) => d.blocks.filter((b): b is Table => b.kind === "table");
export const paragraphs = (d: Document) => d.blocks.flatMap((b) => (b.kind === "paragraph" ? [b.text] : []));
/** A table as [text, rowSpan, colSpan] per origin cell, row by row. */
export const grid = (t: Table) => t.rows.map((r) => r.map((c) => [c.text, c.rowSpan, c.colSpan]));
export const bySource = (d: Document, source: string) => d.diagnostics.filter((x) => x.source === source);

/** The ExtractError a promise rejects with; fails the test if it resolves or throws something else. */
export async function failure(p: Promise<unknown>): Promise<ExtractError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ExtractError);
    return e as ExtractError;
  }
  throw new Error("expected an ExtractError");
}
