// Text from outside (a file name, a URL, a server's reason, a document's organ) printed
// to a terminal or a log: control characters are escaped, so a name holding a newline
// cannot forge a line of the log and one holding ESC cannot drive the terminal. Printable
// text, Chinese included, is kept as is.

const ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * C0 controls, DEL, C1 controls, the line and paragraph separators, and the bidi
 * overrides and isolates (which can make a line read differently from its bytes).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `s` with every control character written as an escape (`\n`, `\x1b`, `\u202e`). */
export function printable(s: string): string {
  return s.replace(CONTROL, (c) => ESCAPES[c] ?? (c.charCodeAt(0) <= 0xff ? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}
