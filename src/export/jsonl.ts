// JSON lines: one contract record per line, keys in the contract's order, text unchanged.
import { TOP_LEVEL_KEYS } from "../../model/record.js";
import type { StreamWriter } from "./writer.js";

export const jsonl: StreamWriter = {
  to: "stream",
  format: "jsonl",
  description: "JSON lines: one contract record per line, with the places its documents were seen",
  async write(records, out) {
    let n = 0;
    for (const { record, places } of records) {
      n++;
      const ordered: Record<string, unknown> = {};
      for (const k of TOP_LEVEL_KEYS) ordered[k] = (record as Record<string, unknown>)[k];
      // An addition of the store's exports (docs/record.md): where the report's documents were seen.
      if (places) ordered.places = places;
      await out.write(JSON.stringify(ordered) + "\n");
    }
    return n;
  },
};
