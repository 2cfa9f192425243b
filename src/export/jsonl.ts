// JSON lines: one contract record per line, keys in the contract's order, text unchanged.
import { TOP_LEVEL_KEYS } from "../../model/record.js";
import type { StreamWriter } from "./writer.js";

export const jsonl: StreamWriter = {
  to: "stream",
  format: "jsonl",
  description: "JSON lines: one contract record per line",
  async write(records, out) {
    let n = 0;
    for (const { record } of records) {
      n++;
      const ordered: Record<string, unknown> = {};
      for (const k of TOP_LEVEL_KEYS) ordered[k] = (record as Record<string, unknown>)[k];
      await out.write(JSON.stringify(ordered) + "\n");
    }
    return n;
  },
};
