// `--jobs N`: how many documents are parsed at once (worker threads of src/parse-pool.ts).
// Its own small module: the CLI's start-up loads it, and the crawl command shares it.
import { availableParallelism } from "node:os";
import { InvalidArgumentError, Option } from "commander";

export function parseJobs(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 256) throw new InvalidArgumentError("a whole number of parallel parses, 1 to 256");
  return Number(v);
}

export const jobsOption = (): Option =>
  new Option("--jobs <n>", `documents parsed at once, in worker threads (default: the number of cores, ${availableParallelism()} here)`).argParser(parseJobs);
