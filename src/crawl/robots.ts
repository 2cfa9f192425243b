// robots.txt (RFC 9309): groups by User-agent, Allow/Disallow with the longest match
// winning (Allow on a tie), `*` wildcards and a `$` end anchor. Fetched once per host per
// run: a 4xx answer allows everything, a 5xx or unreachable one disallows everything
// for that run (and is reported).

export interface Rule {
  allow: boolean;
  /** The path pattern as written (percent-encoding normalised). */
  pattern: string;
  re: RegExp;
  /** Match length for the longest-match rule: the pattern's length without a trailing `$`. */
  length: number;
}

export interface RobotsGroup {
  agents: string[];
  rules: Rule[];
  /** Crawl-delay, seconds (not in RFC 9309; read and reported, enforced as a minimum interval). */
  crawlDelay?: number;
}

export interface Robots {
  groups: RobotsGroup[];
}

function normalisePath(p: string): string {
  // Percent-encode what a URL would carry encoded, and upper-case existing escapes, so
  // "/公开" in robots.txt matches "/%E5%85%AC%E5%BC%80" in a URL.
  let out = "";
  for (const ch of p) {
    if (ch === "%" || /[\x21-\x7e]/.test(ch)) out += ch;
    else out += encodeURIComponent(ch);
  }
  return out.replace(/%[0-9a-f]{2}/gi, (m) => m.toUpperCase());
}

function compile(pattern: string): RegExp {
  const anchored = pattern.endsWith("$");
  const body = anchored ? pattern.slice(0, -1) : pattern;
  const src = body
    .split("*")
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${src}${anchored ? "$" : ""}`);
}

export function parseRobots(text: string): Robots {
  const groups: RobotsGroup[] = [];
  let current: RobotsGroup | null = null;
  let lastWasAgent = false;
  for (const raw of text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/)) {
    const line = raw.replace(/#.*$/, "").trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1].toLowerCase();
    const value = m[2].trim();
    if (key === "user-agent") {
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [] };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue; // rules before any User-agent line belong to no group
    if (key === "allow" || key === "disallow") {
      if (value === "") continue; // "Disallow:" with no path allows all: no rule
      const pattern = normalisePath(value.startsWith("/") || value.startsWith("*") ? value : `/${value}`);
      current.rules.push({
        allow: key === "allow",
        pattern,
        re: compile(pattern),
        length: pattern.endsWith("$") ? pattern.length - 1 : pattern.length,
      });
    } else if (key === "crawl-delay") {
      const n = Number(value);
      if (Number.isFinite(n) && n >= 0) current.crawlDelay = n;
    }
  }
  return { groups };
}

/** The rules that apply to `agent` (its product token, e.g. "xxgk"): its own groups, else `*`. */
export function rulesFor(robots: Robots, agent: string): { rules: Rule[]; crawlDelay?: number } {
  const token = agent.toLowerCase();
  const own = robots.groups.filter((g) => g.agents.some((a) => a !== "*" && a === token));
  const chosen = own.length > 0 ? own : robots.groups.filter((g) => g.agents.includes("*"));
  let crawlDelay: number | undefined;
  for (const g of chosen) {
    const d = g.crawlDelay;
    if (d !== undefined) crawlDelay = Math.max(crawlDelay ?? 0, d);
  }
  return { rules: chosen.flatMap((g) => g.rules), crawlDelay };
}

/** Whether `pathAndQuery` (URL path + search) may be fetched under these rules. */
export function isAllowed(rules: Rule[], pathAndQuery: string): boolean {
  if (pathAndQuery === "/robots.txt") return true;
  const path = normalisePath(pathAndQuery);
  let best: Rule | null = null;
  for (const r of rules) {
    if (!r.re.test(path)) continue;
    if (!best || r.length > best.length || (r.length === best.length && r.allow && !best.allow)) best = r;
  }
  return best ? best.allow : true;
}

/** The verdict for one host this run. */
export type HostRobots =
  | { kind: "rules"; rules: Rule[]; status: number; crawlDelay?: number }
  | { kind: "allow-all"; status: number | null; note: string }
  | { kind: "disallow-all"; status: number | null; note: string };

export function robotsVerdict(h: HostRobots, pathAndQuery: string): boolean {
  if (h.kind === "allow-all") return true;
  if (h.kind === "disallow-all") return pathAndQuery === "/robots.txt";
  return isAllowed(h.rules, pathAndQuery);
}

/** Turns a robots.txt fetch outcome into the host's verdict for this run. */
export function verdictOf(
  outcome: { status: number; body: Uint8Array } | { status: null; error: string },
  agent: string,
): HostRobots {
  if (outcome.status === null)
    return { kind: "disallow-all", status: null, note: `robots.txt could not be fetched (${outcome.error}): every path disallowed this run` };
  const s = outcome.status;
  if (s >= 200 && s < 300) {
    const text = Buffer.from(outcome.body).toString("utf8");
    const { rules, crawlDelay } = rulesFor(parseRobots(text), agent);
    return { kind: "rules", rules, status: s, crawlDelay };
  }
  // 429 is the server asking for less, not a missing file: treated as a 5xx.
  if (s >= 400 && s < 500 && s !== 429) return { kind: "allow-all", status: s, note: `robots.txt answered ${s}: every path allowed` };
  return { kind: "disallow-all", status: s, note: `robots.txt answered ${s}: every path disallowed this run` };
}
