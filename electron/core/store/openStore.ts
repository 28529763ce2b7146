import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { HindsightError } from '../errors';
import { sqliteDriverOptions } from '../sqliteRuntime';
import { type FileFacts, inspectFile } from './fileCheck';
import { makePrivateCopy, type PrivateCopy } from './privateCopy';
import {
  APPLICATION_ID,
  FORMAT_NAME,
  FORMAT_VERSION,
  migrate,
  PAGE_SIZE,
  REQUIRED_TABLES,
  type StoreIdentity,
  userVersion,
} from './schema';
import { errorCodeOf, translateError, withTranslatedErrors } from './sqliteErrors';
import type { CreateOptions, OpenMode, OpenOptions } from './types';

/**
 * Opening and creating store files: every check between "a path" and "a connection to a valid store of a
 * format we can read", each failure a typed HindsightError with one sentence, and nothing written
 * to a file that turns out not to be ours.
 */

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface StoreMeta {
  format: string;
  formatVersion: number;
  storeId: string;
  createdAt: number;
  createdBy: string;
}

export interface OpenedStore {
  db: Database.Database;
  mode: OpenMode;
  meta: StoreMeta;
  facts: FileFacts;
  /** Set when SQLite reads a private copy rather than the file itself. */
  copy: PrivateCopy | undefined;
}

/** Pragmas every connection gets, before anything else is read (see DESIGN §6 and SQLite's security page). */
export function hardenConnection(db: Database.Database): void {
  db.pragma('trusted_schema = OFF');
  db.pragma('cell_size_check = ON');
  db.pragma('mmap_size = 0');
}

/** Pragmas of a connection that writes: durable WAL appends, foreign keys on. */
function configureWriter(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

export function quickCheck(db: Database.Database, file: string): void {
  let rows: unknown[];
  try {
    rows = db.pragma('quick_check') as unknown[];
  } catch (error) {
    // A page SQLite cannot even parse makes quick_check throw rather than report.
    const code = errorCodeOf(error) ?? '';
    if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB') || code === 'SQLITE_IOERR_SHORT_READ') {
      const reason = error instanceof Error ? error.message : String(error);
      throw new HindsightError('corrupt', `${file} is damaged: SQLite's integrity check failed with "${reason}".`, {
        path: file,
        cause: code,
      });
    }
    throw translateError(error, file);
  }
  const problems = rows
    .flatMap((row) => String(Object.values(row as Record<string, unknown>)[0]).split('\n'))
    .filter((line) => line !== '' && !line.startsWith('***'));
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new HindsightError(
      'corrupt',
      `${file} is damaged: SQLite's integrity check found ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}, the first: "${problems[0]}".`,
      { path: file, problems: problems.slice(0, 20) },
    );
  }
}

export function listTables(db: Database.Database): string[] {
  return db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
}

function describeTables(tables: string[]): string {
  if (tables.length === 0) return 'it has no tables';
  const shown = tables.slice(0, 12).join(', ');
  return tables.length > 12 ? `its tables: ${shown} and ${tables.length - 12} more` : `its tables: ${shown}`;
}

/** Reads store_meta and checks that this is a store of a format version we can read. */
function readMeta(db: Database.Database, file: string): StoreMeta {
  const tables = listTables(db);
  if (!tables.includes('store_meta')) {
    throw new HindsightError(
      'not_a_store',
      `${file} is a SQLite database but not a Hindsight event store (${describeTables(tables)}).`,
      { path: file, tables },
    );
  }
  const rows = db.prepare('SELECT key, value FROM store_meta').raw().all() as [unknown, unknown][];
  const meta = new Map(rows.map(([k, v]) => [String(k), String(v)]));
  const format = meta.get('format');
  if (format !== FORMAT_NAME) {
    throw new HindsightError(
      'not_a_store',
      `${file} is a SQLite database but not a Hindsight event store (its store_meta says format "${format ?? ''}").`,
      { path: file, tables, format },
    );
  }
  const formatVersion = Math.max(Number(meta.get('format_version')), userVersion(db));
  if (!Number.isInteger(formatVersion) || formatVersion < 1) {
    throw new HindsightError(
      'corrupt',
      `${file} is damaged: its format version "${meta.get('format_version')}" is not valid.`,
      {
        path: file,
      },
    );
  }
  if (formatVersion > FORMAT_VERSION) {
    throw new HindsightError(
      'newer_format',
      `${file} uses store format version ${formatVersion}, but this Hindsight reads format version ${FORMAT_VERSION} at most; update Hindsight to open it.`,
      { path: file, formatVersion, supported: FORMAT_VERSION },
    );
  }
  const missing = REQUIRED_TABLES.filter((table) => !tables.includes(table));
  if (formatVersion === FORMAT_VERSION && missing.length > 0) {
    throw new HindsightError('corrupt', `${file} is damaged: the store has no ${missing.join(', ')} table.`, {
      path: file,
      missing,
    });
  }
  return {
    format,
    formatVersion,
    storeId: meta.get('store_id') ?? '',
    createdAt: Number(meta.get('created_at') ?? 0),
    createdBy: meta.get('created_by') ?? '',
  };
}

function identityOf(meta: StoreMeta): StoreIdentity {
  return { storeId: meta.storeId, createdAt: meta.createdAt, createdBy: meta.createdBy };
}

function checkWritable(file: string): void {
  try {
    fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
    fs.accessSync(path.dirname(file), fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    const code = errorCodeOf(error);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new HindsightError(
        'permission_denied',
        `${file} cannot be opened for writing: the file or its folder is read-only (open it read-only instead).`,
        { path: file, cause: code },
      );
    }
    throw translateError(error, file);
  }
}

export function openExisting(file: string, opts: OpenOptions): OpenedStore {
  if (opts.mode !== 'read-write' && opts.mode !== 'read-only') {
    throw new HindsightError(
      'invalid_input',
      `The open mode must be "read-write" or "read-only", not "${String(opts.mode)}".`,
      {
        field: 'mode',
      },
    );
  }
  let facts: FileFacts;
  try {
    facts = inspectFile(file);
  } catch (error) {
    throw withWalHint(error, file, opts);
  }
  const access = opts.access ?? 'copy';
  const busyTimeout = opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  let copy: PrivateCopy | undefined;
  let db: Database.Database | undefined;
  try {
    if (opts.mode === 'read-write') {
      checkWritable(file);
      db = withTranslatedErrors(
        file,
        () => new Database(file, { ...sqliteDriverOptions(), fileMustExist: true, timeout: busyTimeout }),
      );
    } else if (access === 'live') {
      db = withTranslatedErrors(
        file,
        () =>
          new Database(file, { ...sqliteDriverOptions(), readonly: true, fileMustExist: true, timeout: busyTimeout }),
      );
    } else {
      copy = opts.preparedCopy ?? makePrivateCopy(file, { privateDir: opts.privateDir, includeWal: opts.includeWal });
      const copyPath = copy.path;
      // The copy is ours: the connection may write to it (a WAL recovery, a migration); the store API and
      // `query_only` below keep it read-only for everyone else.
      db = withTranslatedErrors(
        file,
        () => new Database(copyPath, { ...sqliteDriverOptions(), fileMustExist: true, timeout: busyTimeout }),
      );
    }
    const conn = db;
    withTranslatedErrors(file, () => hardenConnection(conn));
    if (opts.quickCheck !== false) quickCheck(conn, file);
    const meta = withTranslatedErrors(file, () => readMeta(conn, file));
    if (opts.mode === 'read-write') {
      withTranslatedErrors(file, () => {
        configureWriter(conn);
        if (meta.formatVersion < FORMAT_VERSION) migrate(conn, identityOf(meta));
      });
    } else {
      if (meta.formatVersion < FORMAT_VERSION) {
        if (copy === undefined) {
          throw new HindsightError(
            'invalid_input',
            `${file} needs an upgrade to format ${FORMAT_VERSION}; open it read-write once first.`,
            {
              path: file,
            },
          );
        }
        withTranslatedErrors(file, () => migrate(conn, identityOf(meta)));
      }
      conn.pragma('query_only = ON');
    }
    return { db: conn, mode: opts.mode, meta: { ...meta, formatVersion: FORMAT_VERSION }, facts, copy };
  } catch (error) {
    db?.close();
    copy?.dispose();
    throw withWalHint(translateError(error, file), file, opts);
  }
}

/**
 * A file whose main part holds no store yet, with a `-wal` beside it, is a store whose writer still has
 * it open (or crashed) before the first checkpoint: say so, and how to read it anyway.
 */
function withWalHint(error: unknown, file: string, opts: OpenOptions): unknown {
  if (
    !(error instanceof HindsightError) ||
    (error.code !== 'not_a_store' && error.code !== 'empty_file') ||
    opts.mode !== 'read-only' ||
    opts.includeWal === true ||
    !fs.existsSync(`${file}-wal`)
  ) {
    return error;
  }
  return new HindsightError(
    error.code,
    `${error.message.replace(/\.$/, '')}; but ${path.basename(file)}-wal beside it holds changes not yet written into the file (a program has it open, or crashed): open it with the -wal included to read them.`,
    { ...error.details, companionWal: true },
  );
}

/** Refuses, before anything is written, a new file whose folder is missing or that stale companions would spoil. */
export function assertCreatable(file: string): void {
  const dir = path.dirname(path.resolve(file));
  let dirStat: fs.Stats;
  try {
    dirStat = fs.statSync(dir);
  } catch (error) {
    const code = errorCodeOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new HindsightError('not_found', `The folder ${dir} does not exist, so ${file} cannot be created there.`, {
        path: file,
      });
    }
    throw translateError(error, file);
  }
  if (!dirStat.isDirectory()) {
    throw new HindsightError('not_found', `${dir} is not a folder, so ${file} cannot be created there.`, {
      path: file,
    });
  }
  for (const suffix of ['-wal', '-journal']) {
    if (fs.existsSync(file + suffix)) {
      throw new HindsightError(
        'already_exists',
        `${file}${suffix} exists (left from an earlier database); move it away before creating a store with this name.`,
        { path: file },
      );
    }
  }
}

/** Creates a new, empty store. Refuses to overwrite anything (`already_exists`). */
export function createNew(file: string, opts: CreateOptions = {}): OpenedStore {
  assertCreatable(file);
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx'); // exclusive: fails if anything is there, even a 0-byte file
  } catch (error) {
    const code = errorCodeOf(error);
    if (code === 'EEXIST') {
      const what = fs.statSync(file).isDirectory() ? 'a folder with that name exists' : 'a file with that name exists';
      throw new HindsightError('already_exists', `${file} was not created: ${what}, and a store never overwrites.`, {
        path: file,
      });
    }
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new HindsightError('permission_denied', `${file} cannot be created: its folder is not writable.`, {
        path: file,
        cause: code,
      });
    }
    throw translateError(error, file);
  }
  fs.closeSync(fd);
  const identity: StoreIdentity = {
    storeId: opts.storeId ?? randomUUID(),
    createdAt: Date.now(),
    createdBy: opts.createdBy ?? 'hindsight',
  };
  let db: Database.Database | undefined;
  try {
    db = new Database(file, {
      ...sqliteDriverOptions(),
      fileMustExist: true,
      timeout: opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    });
    hardenConnection(db);
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    configureWriter(db);
    migrate(db, identity);
    const meta: StoreMeta = { format: FORMAT_NAME, formatVersion: FORMAT_VERSION, ...identity };
    const facts: FileFacts = { ...inspectFile(file), companions: [], walPresent: false };
    return { db, mode: 'read-write', meta, facts, copy: undefined };
  } catch (error) {
    db?.close();
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
    throw translateError(error, file);
  }
}

/**
 * Closes a connection. A writer first checkpoints the WAL and switches the file back to rollback-journal
 * mode, so that the closed file is one self-contained file whose read-only opening by any SQLite tool
 * creates nothing beside it. If another connection still has the file open the switch is skipped
 * (immediately, not after the busy timeout): the last writer to close does it.
 */
export function closeOpened(opened: OpenedStore): void {
  const { db } = opened;
  if (db.open && opened.mode === 'read-write' && !db.readonly) {
    try {
      db.pragma('busy_timeout = 0');
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.pragma('journal_mode = DELETE');
    } catch {
      // Another connection holds the file: it stays in WAL mode until that one closes.
    }
  }
  if (db.open) db.close();
  opened.copy?.dispose();
}

/**
 * The `store_id` of a store file without opening it for use, or null when the file is not a readable
 * store. Changes nothing: a file in rollback-journal mode with no companions is read in place by a
 * read-only connection (which creates nothing beside it); any other file through a private copy.
 */
export function peekStoreId(file: string): string | null {
  try {
    const facts = inspectFile(file);
    if (!facts.walModeHeader && facts.companions.length === 0) {
      const db = new Database(file, { ...sqliteDriverOptions(), readonly: true, fileMustExist: true, timeout: 0 });
      try {
        hardenConnection(db);
        return readMeta(db, file).storeId || null;
      } finally {
        db.close();
      }
    }
    const opened = openExisting(file, { mode: 'read-only', quickCheck: false });
    try {
      return opened.meta.storeId || null;
    } finally {
      closeOpened(opened);
    }
  } catch {
    return null;
  }
}

let sqliteVersionText: string | undefined;

/** The version of the SQLite library better-sqlite3 was built with, e.g. "3.53.2". */
export function sqliteVersion(): string {
  if (sqliteVersionText === undefined) {
    const db = new Database(':memory:', sqliteDriverOptions());
    try {
      sqliteVersionText = String(db.prepare('SELECT sqlite_version()').pluck().get());
    } finally {
      db.close();
    }
  }
  return sqliteVersionText;
}
