import { HindsightError } from '../errors';

/** The `code` of a better-sqlite3 SqliteError (e.g. `SQLITE_BUSY_SNAPSHOT`), or of a Node fs error. */
export function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns an error raised by SQLite or the file system while working on `path` into a HindsightError with
 * one clear sentence. HindsightErrors pass through; unknown errors are returned unchanged (they are bugs
 * and the caller reports them as `internal`).
 */
export function translateError(error: unknown, path: string): unknown {
  if (error instanceof HindsightError) return error;
  const code = errorCodeOf(error) ?? '';
  const detail = error instanceof Error ? error.message : String(error);
  const details = { path, cause: code || detail };
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new HindsightError(
      'locked',
      `${path} is locked by another program that is writing to it; try again later.`,
      details,
    );
  }
  if (code.startsWith('SQLITE_NOTADB')) {
    return new HindsightError('not_sqlite', `${path} is not a SQLite database.`, details);
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return new HindsightError('corrupt', `${path} is damaged: SQLite reports "${detail}".`, details);
  }
  if (code === 'SQLITE_READONLY_DIRECTORY') {
    return new HindsightError(
      'permission_denied',
      `The folder of ${path} is not writable, so the store cannot be written.`,
      details,
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM') || code === 'SQLITE_AUTH') {
    return new HindsightError(
      'permission_denied',
      `${path} cannot be written: the file or its folder is read-only.`,
      details,
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES' || code === 'EPERM') {
    return new HindsightError('permission_denied', `${path} cannot be opened: permission denied.`, details);
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new HindsightError('unavailable', `The disk holding ${path} is full.`, details);
  }
  if (code === 'SQLITE_IOERR_SHORT_READ') {
    return new HindsightError(
      'corrupt',
      `${path} is damaged: it is shorter than its header says (truncated).`,
      details,
    );
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new HindsightError('internal', `Reading or writing ${path} failed: ${detail}.`, details);
  }
  // trusted_schema=OFF (every connection): a view or trigger in the file called a function that may have side
  // effects (load_extension, fts3_tokenizer, …). SQLite refused to run it; the statement that hit it did nothing.
  const unsafe = code === 'SQLITE_ERROR' ? /^unsafe use of (.+\(\))$/.exec(detail) : null;
  if (unsafe !== null) {
    return new HindsightError(
      'corrupt',
      `${path} has a trigger or view that calls ${unsafe[1]}, which Hindsight never runs from a file (SQLite: "${detail}").`,
      details,
    );
  }
  if (code === 'ENOENT') {
    return new HindsightError('not_found', `${path} does not exist.`, details);
  }
  if (code === 'EISDIR') {
    return new HindsightError('is_directory', `${path} is a folder, not a store file.`, details);
  }
  return error;
}

/** Runs `fn`, translating SQLite and file-system errors for `path`. */
export function withTranslatedErrors<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw translateError(error, path);
  }
}
