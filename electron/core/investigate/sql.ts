import type Database from 'better-sqlite3';

/**
 * Prepared statements of the investigation queries, cached per connection and SQL text (queries are built
 * from a fixed set of filter shapes, so the cache stays small). Each SQL text is always used in one mode.
 */

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function prepared(db: Database.Database, sql: string): Database.Statement {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }
  let stmt = cache.get(sql);
  if (stmt === undefined) {
    stmt = db.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

/** Forgets a connection's statements (after a database was attached or detached). */
export function forgetPrepared(db: Database.Database): void {
  caches.delete(db);
}
