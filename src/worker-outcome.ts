// What crosses from a parse worker to the writer's thread, and back into a ParseOutcome.
//
// A worker does for the writer what needs no database: it keeps the document's bytes in
// the blob folder, and it turns the record into its stored form (src/stored-form.ts).
// The record itself does not cross: cloning its thousands of small objects cost the
// writer's thread more than anything else it did outside SQLite; its JSON text and the
// flat row arrays copy in a fraction of that. Back on the writer's side the outcome has
// the shape parseReport gives, with `record` read from the JSON when first asked (most of
// a batch never asks), and what the worker did kept beside it (extrasOf), so a pool's
// outcome still equals the one parseReport gives in this thread.
import type { ParseInput, ParseOutcome } from "./pipeline.js";
import type { ReportRecord } from "../model/record.js";
import type { StoredForm } from "./stored-form.js";

/** A document for a worker: the parse input, and the blob folder to keep its bytes in. */
export type WorkerInput = ParseInput & { keepIn?: string };

type Parsed = Extract<ParseOutcome, { ok: true }>;

/** What a worker sends back: the outcome with its record as the stored form; `kept`: the bytes are in the blob folder. */
export type WorkerMessage = ((Omit<Parsed, "record"> & { form: StoredForm }) | Exclude<ParseOutcome, { ok: true }>) & { kept: boolean };

/** What the worker did beyond parsing, for the writer. */
export interface WorkerExtras {
  /** The record's stored form, made in the worker. */
  form?: StoredForm;
  /** The bytes were kept in the blob folder the input named. */
  kept: boolean;
}

const extras = new WeakMap<object, WorkerExtras>();

/** What the worker did for this outcome (undefined: parsed in this thread, or copied since). */
export function extrasOf(outcome: object): WorkerExtras | undefined {
  return extras.get(outcome);
}

/** The worker's message as the ParseOutcome parseReport would have given, its extras kept beside it. */
export function fromWorker(message: WorkerMessage): ParseOutcome {
  const { kept, ...rest } = message;
  if (!rest.ok) {
    extras.set(rest, { kept });
    return rest;
  }
  const { form, ...outcome } = rest;
  let record: ReportRecord | undefined;
  Object.defineProperty(outcome, "record", { get: () => (record ??= JSON.parse(form.json) as ReportRecord), enumerable: true, configurable: true });
  extras.set(outcome, { form, kept });
  return outcome as Parsed;
}
