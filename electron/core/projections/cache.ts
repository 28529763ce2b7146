import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { HindsightError } from '../errors';
import { sqliteDriverOptions } from '../sqliteRuntime';
import { translateError } from '../store/sqliteErrors';

/**
 * Private databases of read models, never the shared store file:
 * - `<cacheDir>/readmodels-<storeId>.sqlite`: the read models of a store opened read-only;
 * - `<cacheDir>/asof/<storeId>/…`: "as of" scratch databases (asOf.ts).
 * They hold derived data only: a damaged or foreign one is deleted and built again.
 */

/** `PRAGMA user_version` of a read-model cache; another value → emptied and built again. */
export const READMODEL_CACHE_VERSION = 1;
const META_TABLE = 'readmodels_meta';

/** A file-name part for a store id that can never leave the folder (store ids come from files). */
export function safeStoreId(storeId: string): string {
  return /^[A-Za-z0-9-]{1,64}$/.test(storeId)
    ? storeId
    : createHash('sha256').update(storeId).digest('hex').slice(0, 32);
}

export function readModelCachePath(cacheDir: string, storeId: string): string {
  return path.join(cacheDir, `readmodels-${safeStoreId(storeId)}.sqlite`);
}

export function requireCacheDir(cacheDir: unknown, storePath: string, what: string): string {
  if (cacheDir === undefined) {
    throw new HindsightError(
      'invalid_input',
      `${storePath} is open read-only, so its read models live in a private cache: ${what} needs the cache folder (cacheDir).`,
      { field: 'cacheDir' },
    );
  }
  if (typeof cacheDir !== 'string' || cacheDir === '') {
    throw new HindsightError('invalid_input', 'The cache folder must be a non-empty path.', { field: 'cacheDir' });
  }
  return path.resolve(cacheDir);
}

/** Pragmas of every private database: nothing in it may run code, and it is ours to write. */
export function hardenPrivate(db: Database.Database): void {
  db.pragma('trusted_schema = OFF');
  db.pragma('cell_size_check = ON');
}

function wipe(db: Database.Database): void {
  const objects = db
    .prepare("SELECT type, name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")
    .raw(true)
    .all() as [string, string][];
  for (const [type, name] of objects) db.exec(`DROP ${type.toUpperCase()} IF EXISTS "${name.replace(/"/g, '""')}"`);
}

function configure(db: Database.Database, storeId: string): void {
  hardenPrivate(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    const hasMeta =
      db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck().get(META_TABLE) === 1;
    const owner = hasMeta
      ? (db.prepare(`SELECT value FROM ${META_TABLE} WHERE key = 'store_id'`).pluck().get() as string | undefined)
      : undefined;
    if (version === READMODEL_CACHE_VERSION && owner === storeId) return;
    wipe(db);
    db.exec(`CREATE TABLE ${META_TABLE} (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)`);
    db.prepare(`INSERT INTO ${META_TABLE} (key, value) VALUES ('store_id', ?), ('format', 'hindsight-readmodels')`).run(
      storeId,
    );
    db.pragma(`user_version = ${READMODEL_CACHE_VERSION}`);
  }).immediate();
}

/** Opens (creating it and its folder when needed) the read-model cache of a store; a damaged one is replaced. */
export function openReadModelCache(file: string, storeId: string): Database.Database {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    throw translateError(error, path.dirname(file));
  }
  const open = (): Database.Database => {
    const db = new Database(file, { ...sqliteDriverOptions(), timeout: 5000 });
    try {
      configure(db, storeId);
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  };
  try {
    return open();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) {
      throw translateError(error, file);
    }
    // A damaged or foreign cache is thrown away: it only ever holds derived data.
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
    try {
      return open();
    } catch (again) {
      throw translateError(again, file);
    }
  }
}
