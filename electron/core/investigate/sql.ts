import type Database from 'better-sqlite3';
import { createStatementCache } from '../sqlStatements';

/**
 * Prepared statements of the investigation queries, cached per connection and SQL text (queries are built
 * from a fixed set of filter shapes, so the cache stays small). Each SQL text is always used in one mode.
 */

const statements = createStatementCache();

export function prepared(db: Database.Database, sql: string): Database.Statement {
  return statements.get(db, sql);
}

/** Forgets a connection's statements (after a database was attached or detached). */
export function forgetPrepared(db: Database.Database): void {
  statements.forget(db);
}
