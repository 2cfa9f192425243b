// Who read a record: the parser identity stamped on every stored record and failure, so
// `xxgk ingest` re-reads a file an older build failed on and `xxgk reparse` re-runs
// records read by another build. It is derived from the code that reads documents
// (model/, data/, extractors/, normalizers/ and the pipeline, as this build holds them),
// so it cannot go stale: any change to them is a new identity, with no constant to bump.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

/** The package's version (for `--version`); not the parser identity. */
export const PACKAGE_VERSION: string = (() => {
  // package.json sits at the root of the source tree, one level above dist/ when built.
  const require = createRequire(import.meta.url);
  for (const p of ["../package.json", "../../package.json"]) {
    try {
      const pkg = require(p) as { name?: string; version?: string };
      if (pkg.name === "xxgk" && pkg.version) return pkg.version;
    } catch {
      /* not at this depth */
    }
  }
  return "0.0.0";
})();

/** The folders (relative to the root of this build) whose code decides what a document reads as. */
export const PARSER_CODE = ["model", "data", "extractors", "normalizers", "src/pipeline"];

let memo: string | null = null;

/**
 * A sha256 (12 hex) over the relative name and bytes of every module with extension
 * `ext` (and every .json) under `parts` of `root`, in sorted order.
 */
export function codeIdentity(root: string, ext: string, parts: readonly string[] = PARSER_CODE): string {
  const files: string[] = [];
  const visit = (p: string) => {
    let entries;
    try {
      entries = readdirSync(p, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = join(p, e.name);
      if (e.isDirectory()) visit(full);
      else if (e.isFile() && (e.name.endsWith(ext) || e.name.endsWith(".json")) && !e.name.endsWith(`.d${ext}`)) files.push(full);
    }
  };
  for (const part of parts) {
    visit(join(root, part));
    const single = join(root, part + ext);
    try {
      readFileSync(single);
      files.push(single);
    } catch {
      /* a folder, not a module */
    }
  }
  const h = createHash("sha256");
  for (const f of files.map((f) => relative(root, f).split("\\").join("/")).sort()) {
    h.update(f);
    h.update("\0");
    h.update(readFileSync(join(root, f)));
    h.update("\0");
  }
  return h.digest("hex").slice(0, 12);
}

/**
 * `<package version>+<12 hex>`: codeIdentity over PARSER_CODE as this build holds it
 * (compiled .js when run from dist/, .ts when run from the sources). Computed once per
 * process, on first use.
 */
export function parserIdentity(): string {
  if (memo) return memo;
  const self = fileURLToPath(import.meta.url);
  memo = `${PACKAGE_VERSION}+${codeIdentity(join(self, "..", ".."), extname(self))}`;
  return memo;
}
