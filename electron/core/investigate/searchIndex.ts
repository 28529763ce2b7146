import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { HindsightError } from '../errors';
import { sqliteDriverOptions } from '../sqliteRuntime';
import type { EventStore } from '../store/eventStore';
import { categoryOf } from '../store/limits';
import { translateError } from '../store/sqliteErrors';
import { parseStoredData, parseStoredMetadata } from '../store/storedJson';
import { FTS_COLUMNS, FTS_TOKENIZER, flattenForSearch, SEARCH_TEXT_VERSION } from './searchText';
import { forgetPrepared, prepared } from './sql';
import type { BuildSearchIndexOptions, BuildSearchIndexResult, SearchIndexOptions, SearchIndexStatus } from './types';

/**
 * The full-text index of a store: an FTS5 table (contentless: it holds the words, not the text) whose rowid
 * is the event's global position, and a one-row checkpoint (format version, last position indexed, that
 * event's hash, store id). It is derived data (DESIGN §3): deletable, rebuildable, never used to verify.
 *
 * - A store open read-write keeps it in its own file (`fts_events`, `fts_events_state`).
 * - A store open read-only never gets anything written to its file: the index lives in a private cache
 *   database `<cacheDir>/<storeId>.search.sqlite`, which searches ATTACH to the store's connection.
 *
 * The index grows incrementally from its checkpoint, in batches (one transaction each), and can be cancelled
 * between batches (it then keeps what it has). The checkpoint is only trusted while the store still holds the
 * same event (same hash) at that position and the format version matches; otherwise the index is rebuilt.
 */

export const FTS_TABLE = 'fts_events';
export const FTS_STATE_TABLE = 'fts_events_state';
/**
 * A narrow copy of a few columns per event (recorded time, type, category, actor), indexed by actor: exact actor
 * filters and their counts become index ranges, and activity charts scan it instead of the wide events table.
 */
export const FACETS_TABLE = 'fts_events_facets';
/** The schema name under which a private cache is attached to a store's connection. */
export const CACHE_SCHEMA = 'hindsight_search';
/** `PRAGMA user_version` of a cache database; another value means "not ours or older": emptied and rebuilt. */
export const SEARCH_CACHE_VERSION = 1;
export const DEFAULT_BATCH_SIZE = 5000;
export const DEFAULT_MAX_CATCH_UP = 10_000;

function ddl(schema: string): string {
  return `
CREATE VIRTUAL TABLE IF NOT EXISTS ${schema}.${FTS_TABLE} USING fts5(
  ${FTS_COLUMNS.join(', ')}, content='', columnsize=0, tokenize='${FTS_TOKENIZER}'
);
CREATE TABLE IF NOT EXISTS ${schema}.${FACETS_TABLE} (
  position    INTEGER PRIMARY KEY,
  recorded_at INTEGER NOT NULL,
  type        TEXT    NOT NULL,
  category    TEXT    NOT NULL,
  actor       TEXT
);
CREATE INDEX IF NOT EXISTS ${schema}.${FACETS_TABLE}_actor ON ${FACETS_TABLE} (actor, position);
CREATE TABLE IF NOT EXISTS ${schema}.${FTS_STATE_TABLE} (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  version    INTEGER NOT NULL,
  store_id   TEXT    NOT NULL,
  position   INTEGER NOT NULL,
  hash       TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
);`;
}

function dropDdl(schema: string): string {
  return `DROP TABLE IF EXISTS ${schema}.${FTS_TABLE}; DROP TABLE IF EXISTS ${schema}.${FACETS_TABLE};
    DROP TABLE IF EXISTS ${schema}.${FTS_STATE_TABLE};`;
}

interface Checkpoint {
  version: number;
  storeId: string;
  position: number;
  hash: string;
}

/** Where an index is: a connection and the schema name its tables have there. */
interface Target {
  db: Database.Database;
  schema: string;
}

const EXPECTED_COLUMNS: Record<string, readonly string[]> = {
  [FACETS_TABLE]: ['position', 'recorded_at', 'type', 'category', 'actor'],
  [FTS_STATE_TABLE]: ['id', 'version', 'store_id', 'position', 'hash', 'updated_at'],
};

/**
 * Whether the index's tables are there: `ours` (all three, with our shape), `none`, `partial` (some of ours: a
 * rebuild completes them), or `foreign`: a table of one of our names that is not ours. A foreign table is never
 * dropped: it is somebody's data.
 */
function tableState(target: Target): 'ours' | 'none' | 'partial' | 'foreign' {
  const rows = prepared(
    target.db,
    `SELECT name, sql FROM ${target.schema}.sqlite_schema WHERE type = 'table' AND name IN ('${FTS_TABLE}', '${FACETS_TABLE}', '${FTS_STATE_TABLE}')`,
  )
    .raw(true)
    .all() as [string, string | null][];
  if (rows.length === 0) return 'none';
  for (const [name, sql] of rows) {
    if (name === FTS_TABLE) {
      if (!/USING\s+fts5\s*\(/i.test(sql ?? '')) return 'foreign';
      continue;
    }
    const columns = prepared(target.db, 'SELECT name FROM pragma_table_info(?, ?)')
      .pluck(true)
      .all(name, target.schema) as string[];
    if (!EXPECTED_COLUMNS[name]!.every((c) => columns.includes(c))) return 'foreign';
  }
  return rows.length === 3 ? 'ours' : 'partial';
}

function foreignTables(store: EventStore): HindsightError {
  return new HindsightError(
    'unavailable',
    `${store.path} has a table named ${FTS_TABLE}, ${FACETS_TABLE} or ${FTS_STATE_TABLE} that is not Hindsight's search index; rename it to use full-text search (it is left untouched).`,
    { path: store.path, reason: 'foreign_tables' },
  );
}

function tablesExist(target: Target): boolean {
  return tableState(target) === 'ours';
}

function readCheckpoint(target: Target): Checkpoint | undefined {
  if (!tablesExist(target)) return undefined;
  const row = prepared(
    target.db,
    `SELECT version, store_id, position, hash FROM ${target.schema}.${FTS_STATE_TABLE} WHERE id = 1`,
  )
    .raw(true)
    .get() as [number, string, number, string] | undefined;
  return row === undefined ? undefined : { version: row[0], storeId: row[1], position: row[2], hash: row[3] };
}

function hashAt(store: EventStore, position: number): string | undefined {
  return prepared(store.db, 'SELECT hash FROM events WHERE global_position = ?').pluck().get(position) as
    | string
    | undefined;
}

/** The checkpoint still describes a prefix of this store, in the current format. */
function checkpointValid(store: EventStore, checkpoint: Checkpoint | undefined, head: number): boolean {
  if (checkpoint === undefined) return false;
  if (checkpoint.version !== SEARCH_TEXT_VERSION || checkpoint.storeId !== store.storeId) return false;
  if (checkpoint.position > head) return false;
  if (checkpoint.position === 0) return true;
  return hashAt(store, checkpoint.position) === checkpoint.hash;
}

// ---------------------------------------------------------------------------------------------------------------
// The private cache of a read-only store

/** A file name for a store id that can never leave the cache folder (store ids come from files). */
export function searchCacheFileName(storeId: string): string {
  const safe = /^[A-Za-z0-9-]{1,64}$/.test(storeId)
    ? storeId
    : createHash('sha256').update(storeId).digest('hex').slice(0, 32);
  return `${safe}.search.sqlite`;
}

export function searchCachePath(cacheDir: string, storeId: string): string {
  return path.join(cacheDir, searchCacheFileName(storeId));
}

function configureCache(db: Database.Database): void {
  db.pragma('trusted_schema = OFF');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version !== SEARCH_CACHE_VERSION) {
    db.transaction(() => {
      db.exec(dropDdl('main'));
      db.exec(ddl('main'));
      db.pragma(`user_version = ${SEARCH_CACHE_VERSION}`);
    }).immediate();
  }
  db.prepare(`SELECT count(*) FROM ${FTS_STATE_TABLE}`).get();
}

/** Opens (creating it and its folder when needed) the cache database of a store; a damaged one is replaced. */
function openCacheDb(file: string): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const open = (): Database.Database => {
    const db = new Database(file, { ...sqliteDriverOptions(), timeout: 2000 });
    try {
      configureCache(db);
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  };
  try {
    return open();
  } catch {
    // A damaged or foreign cache is thrown away: it only ever holds derived data.
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
    return open();
  }
}

function requireCacheDir(store: EventStore, cacheDir: string | undefined, what: string): string {
  if (cacheDir === undefined) {
    throw new HindsightError(
      'invalid_input',
      `${store.path} is open read-only, so its search index lives in a private cache: ${what} needs the cache folder (cacheDir).`,
      { field: 'cacheDir' },
    );
  }
  if (typeof cacheDir !== 'string' || cacheDir === '') {
    throw new HindsightError('invalid_input', 'The cache folder must be a non-empty path.', { field: 'cacheDir' });
  }
  return path.resolve(cacheDir);
}

const attached = new WeakMap<Database.Database, string>();

/**
 * Attaches the cache file to the store's (read-only) connection under CACHE_SCHEMA, once; re-attaches when
 * another cache folder is asked for. The cache must exist.
 */
function attachCache(store: EventStore, file: string): void {
  const db = store.db;
  const current = attached.get(db);
  if (current === file) return;
  if (current !== undefined) {
    db.prepare(`DETACH DATABASE ${CACHE_SCHEMA}`).run();
    attached.delete(db);
  }
  db.prepare(`ATTACH DATABASE ? AS ${CACHE_SCHEMA}`).run(file);
  attached.set(db, file);
  forgetPrepared(db);
}

/** Detaches a store's search cache (before the cache file is deleted, or when the app closes the store). */
export function detachSearchCache(store: EventStore): void {
  const db = store.db;
  if (attached.get(db) === undefined) return;
  db.prepare(`DETACH DATABASE ${CACHE_SCHEMA}`).run();
  attached.delete(db);
  forgetPrepared(db);
}

// ---------------------------------------------------------------------------------------------------------------
// Building

const SELECT_BATCH =
  'SELECT global_position, event_type, stream_id, data, metadata, hash, recorded_at FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?';
type BatchRow = [number, string, string, string, string, string, number];

function insertSql(schema: string): string {
  return `INSERT INTO ${schema}.${FTS_TABLE} (rowid, ${FTS_COLUMNS.join(', ')}) VALUES (?, ?, ?, ?, ?)`;
}

function upsertCheckpointSql(schema: string): string {
  return `INSERT INTO ${schema}.${FTS_STATE_TABLE} (id, version, store_id, position, hash, updated_at) VALUES (1, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET version = excluded.version, store_id = excluded.store_id, position = excluded.position,
      hash = excluded.hash, updated_at = excluded.updated_at`;
}

function insertFacetSql(schema: string): string {
  return `INSERT INTO ${schema}.${FACETS_TABLE} (position, recorded_at, type, category, actor) VALUES (?, ?, ?, ?, ?)`;
}

function writeBatch(target: Target, rows: BatchRow[], storeId: string): void {
  const insert = prepared(target.db, insertSql(target.schema));
  const insertFacet = prepared(target.db, insertFacetSql(target.schema));
  for (const row of rows) {
    // A damaged or oversized row is indexed as its placeholder's sentence (verification reports the damage).
    const metadata = parseStoredMetadata(row[4]);
    insert.run(row[0], row[1], row[2], flattenForSearch(parseStoredData(row[3])), flattenForSearch(metadata));
    const actor = Object.hasOwn(metadata, 'actor') ? metadata.actor : undefined;
    insertFacet.run(row[0], row[6], row[1], categoryOf(row[2]), typeof actor === 'string' ? actor : null);
  }
  const last = rows[rows.length - 1]!;
  prepared(target.db, upsertCheckpointSql(target.schema)).run(
    SEARCH_TEXT_VERSION,
    storeId,
    last[0],
    last[5],
    Date.now(),
  );
}

function resetTarget(target: Target, storeId: string): void {
  if (tableState(target) === 'foreign') {
    throw new HindsightError('unavailable', `A table of the search index's names is in the way; it is not dropped.`, {
      reason: 'foreign_tables',
    });
  }
  target.db.exec(dropDdl(target.schema));
  target.db.exec(ddl(target.schema));
  prepared(target.db, upsertCheckpointSql(target.schema)).run(SEARCH_TEXT_VERSION, storeId, 0, '', Date.now());
}

function batchSizeOf(value: unknown): number {
  if (value === undefined) return DEFAULT_BATCH_SIZE;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 100_000) {
    throw new HindsightError('invalid_input', 'The batch size must be a whole number from 1 to 100000.', {
      field: 'batchSize',
    });
  }
  return value;
}

function cancelled(indexed: number, position: number): HindsightError {
  return new HindsightError(
    'cancelled',
    `Building the search index was cancelled after ${indexed} events (it covers positions 1–${position}; building again continues from there).`,
    { indexed, indexedPosition: position },
  );
}

/**
 * Brings the full-text index of `store` up to its head: incrementally from the checkpoint, `batchSize` events
 * per transaction, reporting progress after each batch. Cancelling (`signal`) stops between batches with
 * `cancelled`; what was indexed stays. For a store open read-only, `cacheDir` is required and nothing is
 * written to the store's file. Synchronous: on a large store, run it as a job (`searchIndexJob`).
 */
export function buildSearchIndex(store: EventStore, opts: BuildSearchIndexOptions = {}): BuildSearchIndexResult {
  const batchSize = batchSizeOf(opts.batchSize);
  if (store.mode === 'read-write') {
    if (tableState({ db: store.db, schema: 'main' }) === 'foreign') throw foreignTables(store);
    return buildInStore(store, opts, batchSize);
  }
  const file = searchCachePath(requireCacheDir(store, opts.cacheDir, 'building it'), store.storeId);
  let cache: Database.Database;
  try {
    cache = openCacheDb(file);
  } catch (error) {
    throw translateError(error, file);
  }
  try {
    return buildInCache(store, cache, file, opts, batchSize);
  } catch (error) {
    throw translateError(error, file);
  } finally {
    cache.close();
  }
}

function buildInStore(store: EventStore, opts: BuildSearchIndexOptions, batchSize: number): BuildSearchIndexResult {
  const target: Target = { db: store.db, schema: 'main' };
  let rebuilt = false;
  let indexed = 0;
  let position = 0;
  let head = store.head().position;
  store.transaction(() => {
    const checkpoint = readCheckpoint(target);
    if (opts.rebuild === true || !checkpointValid(store, checkpoint, head)) {
      resetTarget(target, store.storeId);
      rebuilt = true;
    } else {
      position = checkpoint!.position;
    }
  });
  opts.onProgress?.(position, head);
  for (;;) {
    if (opts.signal?.aborted) throw cancelled(indexed, position);
    let rows: BatchRow[] = [];
    store.transaction(() => {
      // Another builder may have moved the checkpoint: continue from wherever it is now.
      const checkpoint = readCheckpoint(target);
      if (checkpoint === undefined) {
        resetTarget(target, store.storeId);
        position = 0;
      } else {
        position = checkpoint.position;
      }
      rows = prepared(store.db, SELECT_BATCH).raw(true).all(position, batchSize) as BatchRow[];
      if (rows.length > 0) writeBatch(target, rows, store.storeId);
    });
    if (rows.length > 0) {
      indexed += rows.length;
      position = rows[rows.length - 1]![0];
    }
    head = Math.max(head, position);
    opts.onProgress?.(position, head);
    if (rows.length < batchSize) break;
  }
  return { location: 'store', path: null, indexed, indexedPosition: position, head: store.head().position, rebuilt };
}

function buildInCache(
  store: EventStore,
  cache: Database.Database,
  file: string,
  opts: BuildSearchIndexOptions,
  batchSize: number,
): BuildSearchIndexResult {
  const target: Target = { db: cache, schema: 'main' };
  const head = store.head().position;
  let rebuilt = false;
  let indexed = 0;
  let position = 0;
  cache
    .transaction(() => {
      const checkpoint = readCheckpoint(target);
      if (opts.rebuild === true || !checkpointValid(store, checkpoint, head)) {
        resetTarget(target, store.storeId);
        rebuilt = true;
      } else {
        position = checkpoint!.position;
      }
    })
    .immediate();
  opts.onProgress?.(position, head);
  while (position < head) {
    if (opts.signal?.aborted) throw cancelled(indexed, position);
    const rows = prepared(store.db, SELECT_BATCH).raw(true).all(position, batchSize) as BatchRow[];
    if (rows.length === 0) break;
    const start = position;
    const wrote = cache
      .transaction(() => {
        // Another builder (a second window, a job) may have indexed these already.
        const now = readCheckpoint(target)?.position ?? 0;
        if (now !== start) return now;
        writeBatch(target, rows, store.storeId);
        return -1;
      })
      .immediate();
    if (wrote === -1) {
      indexed += rows.length;
      position = rows[rows.length - 1]![0];
    } else {
      position = wrote;
    }
    opts.onProgress?.(position, head);
  }
  return { location: 'cache', path: file, indexed, indexedPosition: position, head, rebuilt };
}

// ---------------------------------------------------------------------------------------------------------------
// Status, dropping, and the index a search uses

/** Where the index of `store` is and how far it goes. Changes nothing. */
export function searchIndexStatus(store: EventStore, opts: { cacheDir?: string } = {}): SearchIndexStatus {
  const head = store.head().position;
  const none: SearchIndexStatus = { location: 'none', path: null, indexedPosition: 0, head, upToDate: head === 0 };
  if (store.mode === 'read-write') {
    const checkpoint = readCheckpoint({ db: store.db, schema: 'main' });
    if (!checkpointValid(store, checkpoint, head)) return none;
    return {
      location: 'store',
      path: null,
      indexedPosition: checkpoint!.position,
      head,
      upToDate: checkpoint!.position === head,
    };
  }
  if (opts.cacheDir === undefined) return none;
  const file = searchCachePath(requireCacheDir(store, opts.cacheDir, 'its status'), store.storeId);
  if (!fs.existsSync(file)) return none;
  let checkpoint: Checkpoint | undefined;
  try {
    attachCache(store, file);
    checkpoint = readCheckpoint({ db: store.db, schema: CACHE_SCHEMA });
  } catch {
    return none;
  }
  if (!checkpointValid(store, checkpoint, head)) return { ...none, path: file };
  return {
    location: 'cache',
    path: file,
    indexedPosition: checkpoint!.position,
    head,
    upToDate: checkpoint!.position === head,
  };
}

/** Deletes the index: the derived tables of a read-write store, or the private cache file of a read-only one. */
export function dropSearchIndex(store: EventStore, opts: { cacheDir?: string } = {}): void {
  if (store.mode === 'read-write') {
    if (tableState({ db: store.db, schema: 'main' }) === 'foreign') throw foreignTables(store);
    store.transaction(() => store.db.exec(dropDdl('main')));
    forgetPrepared(store.db);
    return;
  }
  const file = searchCachePath(requireCacheDir(store, opts.cacheDir, 'dropping it'), store.storeId);
  detachSearchCache(store);
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
}

/** The index a search reads: the schema name of its tables on `store.db`, and how far it goes. */
export interface ActiveIndex {
  schema: string;
  position: number;
}

function lagError(store: EventStore, position: number, head: number): HindsightError {
  return new HindsightError(
    'unavailable',
    `The search index of ${store.path} covers ${position} of its ${head} events; build it first (it is then kept up to date).`,
    { indexedPosition: position, head, reason: 'index_behind' },
  );
}

/**
 * The index to search with, brought up to the head first when it is at most `maxCatchUp` events behind.
 * `required` (a text search): a missing or lagging index is an error (`unavailable`, or `invalid_input` for a
 * read-only store without `cacheDir`). Not required (speeding up metadata filters): undefined instead.
 */
export function activeIndex(store: EventStore, opts: SearchIndexOptions, required: boolean): ActiveIndex | undefined {
  const maxCatchUp = opts.maxCatchUp ?? DEFAULT_MAX_CATCH_UP;
  if (!Number.isInteger(maxCatchUp) || maxCatchUp < 0) {
    throw new HindsightError('invalid_input', 'maxCatchUp must be a whole number of 0 or more.', {
      field: 'maxCatchUp',
    });
  }
  if (store.mode !== 'read-write' && opts.cacheDir === undefined) {
    if (required) requireCacheDir(store, undefined, 'a text search');
    return undefined;
  }
  let status = searchIndexStatus(store, opts);
  // A missing index is built here only for a text search (which needs it); a lagging one is caught up.
  const exists = status.location !== 'none';
  if (!status.upToDate || !exists) {
    if ((exists || required) && status.head - status.indexedPosition <= maxCatchUp) {
      buildSearchIndex(store, { cacheDir: opts.cacheDir });
      status = searchIndexStatus(store, opts);
    }
  }
  if (status.location !== 'none' && status.upToDate) {
    if (status.location === 'cache') {
      attachCache(store, status.path!);
      return { schema: CACHE_SCHEMA, position: status.indexedPosition };
    }
    return { schema: 'main', position: status.indexedPosition };
  }
  if (required) throw lagError(store, status.indexedPosition, status.head);
  return undefined;
}
