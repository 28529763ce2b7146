import type Database from 'better-sqlite3';

/**
 * A prepared-statement cache per connection and SQL text. Each module that runs its own SQL keeps its own
 * cache (better-sqlite3 statements carry their mode — raw, pluck — so two modules must not share one
 * statement object), but they all cache the same way, here.
 */
export interface StatementCache {
  get(db: Database.Database, sql: string): Database.Statement;
  /** Forgets a connection's statements (after a database was attached or detached, or tables replaced). */
  forget(db: Database.Database): void;
}

export function createStatementCache(): StatementCache {
  const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();
  return {
    get(db, sql) {
      let cache = caches.get(db);
      if (cache === undefined) {
        cache = new Map();
        caches.set(db, cache);
      }
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = db.prepare(sql);
        cache.set(sql, statement);
      }
      return statement;
    },
    forget(db) {
      caches.delete(db);
    },
  };
}
