// The parser version stamped on every stored record, so `xxgk reparse` can re-run
// documents read by older versions. Kept equal to package.json's version (a test
// checks it); bump it whenever a change can alter any record.
export const PARSER_VERSION = "0.1.0";
