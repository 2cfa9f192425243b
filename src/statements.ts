// Prepared statements of one SQLite connection, each compiled once (preparing costs more
// than running), and the batched insert of a report's rows. Shared by the store and its
// ledgers on one connection.
import type Database from "better-sqlite3";

/** Rows a multi-row INSERT takes at once (one statement a row was half of a save). */
const BATCH = 50;

export type RowValue = string | number | null;

export class Statements {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {}

  /** The statement for this SQL text, prepared on first use. */
  get(text: string): Database.Statement {
    let st = this.cache.get(text);
    if (!st) this.cache.set(text, (st = this.db.prepare(text)));
    return st;
  }

  /**
   * Inserts rows of one report: `values` holds cols.length values per row, flat; each row
   * is stored with report_id = `id` first. BATCH rows go per statement, the leftover rows
   * one by one.
   */
  insertRows(table: string, cols: readonly string[], id: number, values: readonly RowValue[]): void {
    const width = cols.length;
    const n = values.length / width;
    const one = `(${Array(width + 1).fill("?").join(",")})`;
    const head = `INSERT INTO ${table} (report_id, ${cols.join(", ")}) VALUES `;
    let i = 0;
    if (n >= BATCH) {
      const many = this.get(head + Array(BATCH).fill(one).join(","));
      const args: RowValue[] = new Array(BATCH * (width + 1));
      for (; i + BATCH <= n; i += BATCH) {
        for (let r = 0, a = 0, v = i * width; r < BATCH; r++) {
          args[a++] = id;
          for (let c = 0; c < width; c++) args[a++] = values[v++];
        }
        many.run(args);
      }
    }
    if (i < n) {
      const single = this.get(head + one);
      const args: RowValue[] = new Array(width + 1);
      args[0] = id;
      for (; i < n; i++) {
        for (let c = 0; c < width; c++) args[c + 1] = values[i * width + c];
        single.run(args);
      }
    }
  }
}
