// Splitting digits run together (text saved from a portal page with no separator between
// cells: `一、本年新收政府信息公开申请数量2100003`) by the template's own arithmetic. A run
// is cut every way that gives the row its number of cells (no leading zeros unless the
// cell is exactly `0`, at most MAX_CELL_DIGITS digits a cell); only the assignments of the
// whole table that satisfy every constraint together are kept:
//  - table 3: each row's six applicant columns sum to its 总计; per column 一 + 二 =
//    （七） + 四; the result rows sum to （七）;
//  - table 4: each group's four results sum to its 总计;
//  - table 2: only the row's column count.
// One assignment: the values. Several: the cells they disagree on are null, with a note
// listing the candidates. None: null with a note, never a forced fit. The search is
// bounded (a node budget); past it, the cells are null with a note saying so.
// Pure functions: no document, no I/O. normalizers/split-hook.ts applies them to a Document.

/** A note in the shape of the record's diagnostics ({code, severity, key, message}). */
export interface SplitNote {
  code: "cell.splitAmbiguous" | "cell.splitImpossible" | "cell.splitTooMany";
  severity: "warning";
  /** The row's key (`requests.granted`, `reviews`, `active.regulations`). */
  key: string;
  message: string;
}

/** No count or amount of a report runs to 13 digits (as values.ts reads one cell). */
export const MAX_CELL_DIGITS = 12;
/** Search nodes per table before giving up (a long run of digits stays fast). */
export const DEFAULT_BUDGET = 400_000;
/** Whole-table assignments kept before the search stops counting. */
export const MAX_SOLUTIONS = 64;

export interface Budget {
  nodes: number;
  max: number;
  exceeded: boolean;
}
export const budget = (max = DEFAULT_BUDGET): Budget => ({ nodes: 0, max, exceeded: false });

/** Whether printed value tokens are all plain runs of digits (the only thing split). */
export function isDigitRun(tokens: string[]): boolean {
  return tokens.length > 0 && tokens.every((t) => /^[0-9]+$/.test(t));
}

/**
 * Every way to cut the tokens into `n` cells. A cell never spans two tokens (a space the
 * source did print is a boundary). `totals[i]` true: cell i is the sum of the cells since
 * the previous total (a row's 总计, a group's 总计 of table 4).
 */
export function cutRun(tokens: string[], n: number, totals: boolean[], b: Budget): number[][] {
  const s = tokens.join("");
  const bounds = new Set<number>();
  let acc = 0;
  for (const t of tokens) bounds.add((acc += t.length));
  const out: number[][] = [];
  const cells: number[] = [];
  const rec = (pos: number, idx: number, sum: number) => {
    if (b.exceeded) return;
    if (idx === n) {
      if (pos === s.length) out.push([...cells]);
      return;
    }
    const cellsLeft = n - idx;
    const digitsLeft = s.length - pos;
    if (digitsLeft < cellsLeft) return;
    const maxLen = Math.min(MAX_CELL_DIGITS, digitsLeft - (cellsLeft - 1));
    for (let L = 1; L <= maxLen; L++) {
      if (++b.nodes > b.max) {
        b.exceeded = true;
        return;
      }
      const piece = s.slice(pos, pos + L);
      if (L > 1 && piece[0] === "0") break; // a leading zero: longer pieces have it too
      const v = Number(piece);
      const end = pos + L;
      if (totals[idx]) {
        if (v > sum) break; // longer pieces are larger still
        if (v === sum) {
          cells.push(v);
          rec(end, idx + 1, 0);
          cells.pop();
        }
      } else {
        const next = sum + v;
        // The group's total must hold at least as many digits as the sum so far.
        const t = totals.indexOf(true, idx + 1);
        if (t !== -1) {
          const after = n - t - 1; // cells after the total
          const room = s.length - end - (t - idx - 1) - after;
          if (room < String(next).length) break;
        }
        cells.push(v);
        rec(end, idx + 1, next);
        cells.pop();
      }
      // A cell may not cross a boundary the source printed.
      if (bounds.has(end) && end < s.length) break;
    }
  };
  rec(0, 0, 0);
  return out;
}

/** Linear equality Σ coef·cell = constant over the rows being split. */
interface Constraint {
  terms: { row: number; col: number; coef: number }[];
  constant: number;
}

export interface RowToSplit {
  key: string;
  tokens: string[];
}

export interface SplitResult {
  /** Row key → its cells: numbers settled by the arithmetic, null where they are not. */
  values: Map<string, (number | null)[]>;
  notes: SplitNote[];
}

const fmt = (cells: number[]) => cells.join("|");

function describeCandidates(cands: number[][], max = 6): string {
  const distinct = [...new Set(cands.map(fmt))];
  const shown = distinct.slice(0, max).join("; ");
  return distinct.length > max ? `${shown}; … (${distinct.length} in all)` : shown;
}

/**
 * Settle a set of rows jointly. `rowTotals` gives each row's total layout; `constraints`
 * are built by the caller from the rows' indexes (fixed rows folded into constants).
 */
function solve(
  rows: RowToSplit[],
  n: number,
  totals: boolean[],
  buildConstraints: (alive: boolean[]) => Constraint[],
  b: Budget,
  filter?: (assignment: number[][]) => boolean,
  filterNote?: string,
): SplitResult {
  const values = new Map<string, (number | null)[]>();
  const notes: SplitNote[] = [];
  const nulls = () => new Array<number | null>(n).fill(null);
  const cands = rows.map((r) => cutRun(r.tokens, n, totals, b));
  if (b.exceeded) {
    for (const r of rows) {
      values.set(r.key, nulls());
      notes.push({
        code: "cell.splitTooMany",
        severity: "warning",
        key: r.key,
        message: `${r.key}: the digits "${r.tokens.join(" ")}" can be cut too many ways to search (over ${b.max} steps); its cells are null`,
      });
    }
    return { values, notes };
  }
  const alive = cands.map((c) => c.length > 0);
  cands.forEach((c, i) => {
    if (c.length === 0) {
      values.set(rows[i].key, nulls());
      notes.push({
        code: "cell.splitImpossible",
        severity: "warning",
        key: rows[i].key,
        message: `${rows[i].key}: no cut of the digits "${rows[i].tokens.join(" ")}" into ${n} cells fits the row's arithmetic; its cells are null`,
      });
    }
  });
  const idx = rows.map((_, i) => i).filter((i) => alive[i]);
  const constraints = buildConstraints(alive);
  // min/max of each row's candidates per column, for pruning.
  const lo = cands.map((c) => Array.from({ length: n }, (_, col) => Math.min(...c.map((x) => x[col]))));
  const hi = cands.map((c) => Array.from({ length: n }, (_, col) => Math.max(...c.map((x) => x[col]))));
  const order = [...idx].sort((a, c) => cands[a].length - cands[c].length);
  const assigned: (number[] | null)[] = rows.map(() => null);
  const solutions: number[][][] = [];
  let capped = false;

  const feasible = (): boolean => {
    for (const k of constraints) {
      let min = 0;
      let max = 0;
      for (const t of k.terms) {
        const a = assigned[t.row];
        if (a) {
          min += t.coef * a[t.col];
          max += t.coef * a[t.col];
        } else if (t.coef > 0) {
          min += t.coef * lo[t.row][t.col];
          max += t.coef * hi[t.row][t.col];
        } else {
          min += t.coef * hi[t.row][t.col];
          max += t.coef * lo[t.row][t.col];
        }
      }
      if (k.constant < min || k.constant > max) return false;
    }
    return true;
  };
  const rec = (depth: number) => {
    if (capped || b.exceeded) return;
    if (depth === order.length) {
      const sol = rows.map((_, i) => assigned[i] ?? []);
      solutions.push(sol);
      if (solutions.length >= MAX_SOLUTIONS) capped = true;
      return;
    }
    const r = order[depth];
    for (const c of cands[r]) {
      if (++b.nodes > b.max) {
        b.exceeded = true;
        return;
      }
      assigned[r] = c;
      if (feasible()) rec(depth + 1);
      assigned[r] = null;
      if (capped || b.exceeded) return;
    }
  };
  if (idx.length) rec(0);

  if (b.exceeded || capped) {
    for (const i of idx) {
      values.set(rows[i].key, nulls());
      notes.push({
        code: b.exceeded ? "cell.splitTooMany" : "cell.splitAmbiguous",
        severity: "warning",
        key: rows[i].key,
        message: b.exceeded
          ? `${rows[i].key}: the table's digit runs can be cut too many ways to search (over ${b.max} steps); its cells are null`
          : `${rows[i].key}: the digits "${rows[i].tokens.join(" ")}" fit the arithmetic in at least ${MAX_SOLUTIONS} ways (${describeCandidates(cands[i])}); its cells are null`,
      });
    }
    return { values, notes };
  }
  if (solutions.length === 0) {
    for (const i of idx) {
      values.set(rows[i].key, nulls());
      notes.push({
        code: "cell.splitImpossible",
        severity: "warning",
        key: rows[i].key,
        message: `${rows[i].key}: no cut of the digits "${rows[i].tokens.join(" ")}" fits the table's arithmetic together with the other rows (the source's own sums disagree?); its cells are null`,
      });
    }
    return { values, notes };
  }
  let kept = solutions;
  let evidenceUsed = false;
  if (filter && solutions.length > 1) {
    const f = solutions.filter(filter);
    if (f.length > 0 && f.length < solutions.length) {
      kept = f;
      evidenceUsed = true;
    }
  }
  for (const i of idx) {
    const mine = kept.map((s) => s[i]);
    const cells: (number | null)[] = Array.from({ length: n }, (_, col) => (new Set(mine.map((m) => m[col])).size === 1 ? mine[0][col] : null));
    values.set(rows[i].key, cells);
    if (cells.some((c) => c === null)) {
      notes.push({
        code: "cell.splitAmbiguous",
        severity: "warning",
        key: rows[i].key,
        message: `${rows[i].key}: the digits "${rows[i].tokens.join(" ")}" fit the arithmetic in ${new Set(mine.map(fmt)).size} ways (${describeCandidates(mine)}); the cells they disagree on are null`,
      });
    } else if (evidenceUsed && filterNote && new Set(solutions.map((s) => fmt(s[i]))).size > 1) {
      notes.push({ code: "cell.splitAmbiguous", severity: "warning", key: rows[i].key, message: `${rows[i].key}: ${filterNote}` });
    }
  }
  return { values, notes };
}

// ---- table 3 -------------------------------------------------------------------

export interface Table3Input {
  /** Row key → printed tokens, for rows whose digits ran together. */
  runs: RowToSplit[];
  /** Row key → values read normally (null where the cell is null), for the other rows. */
  fixed: Map<string, (number | null)[]>;
  /** The result rows of this report's form (（一）…（六）), the rows that sum to （七）. */
  resultRows: string[];
  /** Requests received as the narrative states them (收到申请X件), evidence for newReceived.total. */
  statedReceived?: number | null;
  budget?: Budget;
}

const TABLE3_TOTALS = [false, false, false, false, false, false, true];

export function splitTable3(input: Table3Input): SplitResult {
  const b = input.budget ?? budget();
  const rowIndex = new Map(input.runs.map((r, i) => [r.key, i]));
  const build = (alive: boolean[]): Constraint[] => {
    const out: Constraint[] = [];
    // One column's equation Σ sign·row = 0, with fixed rows folded into the constant.
    const equation = (terms: [string, number][], col: number): Constraint | null => {
      const k: Constraint = { terms: [], constant: 0 };
      for (const [key, coef] of terms) {
        const i = rowIndex.get(key);
        if (i !== undefined) {
          if (!alive[i]) return null;
          k.terms.push({ row: i, col, coef });
          continue;
        }
        const v = input.fixed.get(key)?.[col];
        if (v === null || v === undefined) return null; // unknown: the equation says nothing
        k.constant -= coef * v;
      }
      return k.terms.length ? k : null;
    };
    for (let col = 0; col < 7; col++) {
      const balance = equation([["newReceived", 1], ["carriedOver", 1], ["total", -1], ["carriedForward", -1]], col);
      if (balance) out.push(balance);
      const results = equation([...input.resultRows.map((k): [string, number] => [k, 1]), ["total", -1]], col);
      if (results) out.push(results);
    }
    return out;
  };
  const stated = input.statedReceived;
  const nr = rowIndex.get("newReceived");
  const filter = stated !== null && stated !== undefined && nr !== undefined ? (s: number[][]) => s[nr][6] === stated : undefined;
  const out = solve(input.runs, 7, TABLE3_TOTALS, build, b, filter, `several cuts fit the tables; the one kept gives newReceived ${stated} as the narrative states`);
  for (const n of out.notes) n.key = `requests.${n.key}`, (n.message = `requests.${n.message}`);
  return out;
}

// ---- table 4 -------------------------------------------------------------------

const TABLE4_TOTALS = Array.from({ length: 15 }, (_, i) => i % 5 === 4);

/** Table 4's one row of fifteen cells: each group's four results sum to its 总计. */
export function splitTable4(tokens: string[], b: Budget = budget()): SplitResult {
  const out = solve([{ key: "reviews", tokens }], 15, TABLE4_TOTALS, () => [], b);
  return out;
}

// ---- table 2 -------------------------------------------------------------------

/** A row of table 2: only its column count constrains the cut. */
export function splitActiveRow(key: string, tokens: string[], columns: number, b: Budget = budget()): SplitResult {
  const out = solve([{ key, tokens }], columns, new Array(columns).fill(false), () => [], b);
  for (const n of out.notes) n.key = `active.${n.key}`, (n.message = `active.${n.message}`);
  return out;
}
