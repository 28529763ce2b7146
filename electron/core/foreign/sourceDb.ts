import Database from 'better-sqlite3';
import { HindsightError } from '../errors';
import { sqliteDriverOptions } from '../sqliteRuntime';
import { inspectFile } from '../store/fileCheck';
import { hardenConnection, quickCheck } from '../store/openStore';
import { makePrivateCopy } from '../store/privateCopy';
import { translateError, withTranslatedErrors } from '../store/sqliteErrors';

/**
 * A connection to someone else's SQLite database, for reading only. It reads a private copy (as evidence
 * mode does for our own stores), so the file, its folder and its companions are never touched; the
 * connection is hardened (no functions from the file's schema run) and passes `quick_check` first.
 */
export interface ForeignDb {
  db: Database.Database;
  close(): void;
}

export function openForeignDb(file: string, opts: { privateDir?: string } = {}): ForeignDb {
  inspectFile(file); // missing, a folder, empty, not SQLite, truncated: a clear error before any copy
  const copy = makePrivateCopy(file, { privateDir: opts.privateDir });
  let db: Database.Database | undefined;
  try {
    // The copy is ours; a read-write connection lets SQLite open a WAL-mode copy without its -shm.
    db = withTranslatedErrors(file, () => new Database(copy.path, { ...sqliteDriverOptions(), fileMustExist: true }));
    const conn = db;
    withTranslatedErrors(file, () => hardenConnection(conn));
    quickCheck(conn, file);
    conn.pragma('query_only = ON');
    return {
      db: conn,
      close: () => {
        if (conn.open) conn.close();
        copy.dispose();
      },
    };
  } catch (error) {
    db?.close();
    copy.dispose();
    throw error instanceof HindsightError ? error : translateError(error, file);
  }
}
