import type Database from 'better-sqlite3';

/**
 * Prepared statements, prepared once per connection and reused (preparing costs more than running a
 * small query). Keyed by SQL text, so queries built from a fixed set of filter combinations are cached
 * too. `raw` statements return arrays instead of objects, which is faster on hot paths; `pluck` ones a single value.
 */
export class StatementCache {
  private readonly objects = new Map<string, Database.Statement>();
  private readonly arrays = new Map<string, Database.Statement>();
  private readonly values = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {}

  get(sql: string): Database.Statement {
    let stmt = this.objects.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.objects.set(sql, stmt);
    }
    return stmt;
  }

  raw(sql: string): Database.Statement {
    let stmt = this.arrays.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql).raw(true);
      this.arrays.set(sql, stmt);
    }
    return stmt;
  }

  /** A statement returning the first column's value only. */
  pluck(sql: string): Database.Statement {
    let stmt = this.values.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql).pluck(true);
      this.values.set(sql, stmt);
    }
    return stmt;
  }
}
