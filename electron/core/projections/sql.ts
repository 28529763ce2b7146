import type Database from 'better-sqlite3';
import { createStatementCache } from '../sqlStatements';

/**
 * Prepared statements of the read-model engine, cached per connection and SQL text. Every SQL text here is
 * built from validated identifiers (projection names, declared columns) and never from a user's string.
 */

const statements = createStatementCache();

export function stmt(db: Database.Database, sql: string): Database.Statement {
  return statements.get(db, sql);
}

/** Forgets a connection's statements (after a database was attached or detached, or tables were replaced). */
export function forgetStatements(db: Database.Database): void {
  statements.forget(db);
}

/** A double-quoted SQL identifier. Callers pass only validated names; quoting keeps keywords harmless. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The SQLite error code of a thrown error, if any. */
export function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/**
 * Errors that say "the machine or the file is in trouble" (disk full, I/O, locked, out of memory) rather
 * than "this projection's code failed": they fail the whole operation instead of stopping one projection.
 */
export function isEnvironmentError(error: unknown): boolean {
  const code = sqliteCode(error);
  return (
    code.startsWith('SQLITE_FULL') ||
    code.startsWith('SQLITE_IOERR') ||
    code.startsWith('SQLITE_BUSY') ||
    code.startsWith('SQLITE_LOCKED') ||
    code.startsWith('SQLITE_NOMEM') ||
    code.startsWith('SQLITE_CORRUPT') ||
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_INTERRUPT') ||
    code === 'ENOSPC'
  );
}
