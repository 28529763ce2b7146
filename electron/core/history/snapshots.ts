import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { HindsightError } from '../errors';
import { sqliteDriverOptions } from '../sqliteRuntime';
import type { EventStore } from '../store/eventStore';

/**
 * Snapshots: the folded state of a stream at a version, for one reducer key, so that reconstruction starts
 * from the nearest one instead of from zero. They are a cache (docs/reconstruction.md, "Snapshots"):
 * deletable at any time, rebuilt lazily as history is read, checked against the event hash at their
 * version before use, and never used for verification.
 *
 * Where they live:
 * - a store open read-write: the `snapshots` table of the store file itself;
 * - a store open read-only: a private cache database (`openHistoryCache(cacheDir, storeId)`), never the
 *   shared file; without such a cache nothing is written and states are folded from zero.
 */

/** A snapshot every this many events of a stream (see docs/reconstruction.md for the measurements). */
export const SNAPSHOT_INTERVAL = 500;
/** States larger than this (JSON characters) are not snapshotted. */
export const MAX_SNAPSHOT_STATE_CHARS = 8 * 1024 * 1024;

export const SNAPSHOTS_DDL = `
CREATE TABLE IF NOT EXISTS snapshots (
  stream_id       TEXT    NOT NULL,
  reducer_key     TEXT    NOT NULL,
  version         INTEGER NOT NULL,
  event_hash      TEXT    NOT NULL,
  global_position INTEGER NOT NULL,
  recorded_at     INTEGER NOT NULL,
  occurred_at     INTEGER NOT NULL,
  max_recorded_at INTEGER NOT NULL,
  max_occurred_at INTEGER NOT NULL,
  state           TEXT    NOT NULL,
  created_at      INTEGER NOT NULL,
  PRIMARY KEY (stream_id, reducer_key, version)
);
CREATE TABLE IF NOT EXISTS history_scans (
  stream_id       TEXT    PRIMARY KEY NOT NULL,
  version         INTEGER NOT NULL,
  event_hash      TEXT    NOT NULL,
  max_occurred_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS history_backdated (
  stream_id   TEXT    NOT NULL,
  version     INTEGER NOT NULL,
  occurred_at INTEGER NOT NULL,
  PRIMARY KEY (stream_id, version)
)`;

/** The cache tables this module owns (in a store file open read-write, or in a private cache). */
export const HISTORY_CACHE_TABLES = ['snapshots', 'history_scans', 'history_backdated'] as const;

const SNAPSHOT_COLUMNS = [
  'stream_id',
  'reducer_key',
  'version',
  'event_hash',
  'global_position',
  'recorded_at',
  'occurred_at',
  'max_recorded_at',
  'max_occurred_at',
  'state',
  'created_at',
] as const;

export interface Snapshot {
  streamId: string;
  reducerKey: string;
  version: number;
  /** `events.hash` of the event at `version`: a snapshot is used only while the stream still has it. */
  eventHash: string;
  position: number;
  recordedAt: number;
  occurredAt: number;
  /** Largest recorded_at / occurred_at over versions 1..version (which bitemporal views may use it). */
  maxRecordedAt: number;
  maxOccurredAt: number;
  /** The state as JSON text. */
  state: string;
}

export interface SnapshotQuery {
  streamId: string;
  reducerKey: string;
  maxVersion: number;
  /** Only snapshots all of whose events were recorded by then. */
  recordedUpTo?: number;
  /** Only snapshots all of whose events occurred by then. */
  occurredUpTo?: number;
}

/**
 * How far the business times of a stream have been scanned: events 1..version, the largest occurred_at
 * among them, and the hash of the event at `version` (checked before use, like a snapshot's).
 */
export interface OccurredScan {
  version: number;
  eventHash: string;
  maxOccurredAt: number;
}

/**
 * Where snapshots and the occurred-time index live. The occurred-time index lists a stream's *backdated*
 * events (occurred_at lower than that of an earlier event of the stream), so "as it happened at T" can
 * fold up to the first event after T and then only the backdated events at or before T, instead of
 * scanning the rest of the stream.
 */
export interface SnapshotStore {
  readonly location: 'store' | 'cache';
  /** The occurred-time scan of a stream, if any. */
  getScan(streamId: string): OccurredScan | undefined;
  /** Records a longer scan and the backdated events it found (`reset`: forget the stream's old ones first). */
  putScan(streamId: string, scan: OccurredScan, backdated: readonly [number, number][], reset: boolean): void;
  /** Versions in (afterVersion, maxVersion] of the stream's backdated events that occurred by `occurredUpTo`. */
  backdated(streamId: string, afterVersion: number, maxVersion: number, occurredUpTo: number): number[];
  /** The snapshot with the highest version that matches, if any. */
  find(query: SnapshotQuery): Snapshot | undefined;
  /** Writes snapshots (replacing equal keys) and drops the stream's snapshots of other reducer keys. */
  put(snapshots: readonly Snapshot[]): void;
  /** Drops a stream's snapshots from a version on, and its occurred-time index (they no longer match its events). */
  discard(streamId: string, fromVersion: number): void;
  /** Number of snapshots held. */
  count(streamId?: string): number;
  /** Deletes every snapshot. */
  clear(): void;
}

type SnapshotRow = [string, string, number, string, number, number, number, number, number, string];

const BIG = Number.MAX_SAFE_INTEGER;

const EXPECTED_COLUMNS: Record<(typeof HISTORY_CACHE_TABLES)[number], readonly string[]> = {
  snapshots: SNAPSHOT_COLUMNS,
  history_scans: ['stream_id', 'version', 'event_hash', 'max_occurred_at'],
  history_backdated: ['stream_id', 'version', 'occurred_at'],
};

/** true: our tables are all there; false: none of them yet; 'foreign': a table of that name is not ours. */
function cacheTablesState(db: Database.Database): boolean | 'foreign' {
  let present = 0;
  for (const table of HISTORY_CACHE_TABLES) {
    const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
    if (columns.length === 0) continue;
    if (!EXPECTED_COLUMNS[table].every((c) => columns.includes(c))) return 'foreign';
    present++;
  }
  return present === HISTORY_CACHE_TABLES.length;
}

/** Snapshots in a `snapshots` table of some connection (the store file, or a private cache database). */
class SqlSnapshotStore implements SnapshotStore {
  private ready: boolean | 'foreign' | undefined;
  private readonly stmts = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    readonly location: 'store' | 'cache',
    /** Writes wait at most this long for a lock (a cache never holds anyone up), in ms. */
    private readonly writeBusyMs: number,
  ) {}

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  private tableState(): boolean | 'foreign' {
    if (this.ready !== true) this.ready = cacheTablesState(this.db);
    return this.ready;
  }

  find(q: SnapshotQuery): Snapshot | undefined {
    if (this.tableState() !== true) return undefined;
    const row = this.stmt(
      `SELECT stream_id, reducer_key, version, event_hash, global_position, recorded_at, occurred_at, max_recorded_at, max_occurred_at, state
       FROM snapshots
       WHERE stream_id = ? AND reducer_key = ? AND version <= ? AND max_recorded_at <= ? AND max_occurred_at <= ?
       ORDER BY version DESC LIMIT 1`,
    )
      .raw()
      .get(q.streamId, q.reducerKey, q.maxVersion, q.recordedUpTo ?? BIG, q.occurredUpTo ?? BIG) as
      | SnapshotRow
      | undefined;
    if (row === undefined) return undefined;
    return {
      streamId: row[0],
      reducerKey: row[1],
      version: row[2],
      eventHash: row[3],
      position: row[4],
      recordedAt: row[5],
      occurredAt: row[6],
      maxRecordedAt: row[7],
      maxOccurredAt: row[8],
      state: row[9],
    };
  }

  private write(fn: () => void): void {
    const db = this.db;
    const previous = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(this.writeBusyMs))}`);
    try {
      db.transaction(fn).immediate();
    } finally {
      db.pragma(`busy_timeout = ${Math.floor(previous)}`);
    }
  }

  /** Creates the tables inside a write transaction when they are missing; false when a foreign one is in the way. */
  private ensureTables(): boolean {
    const state = this.tableState();
    if (state === 'foreign') return false;
    if (state !== true) {
      this.db.exec(SNAPSHOTS_DDL);
      this.ready = true;
      this.stmts.clear();
    }
    return true;
  }

  getScan(streamId: string): OccurredScan | undefined {
    if (this.tableState() !== true) return undefined;
    const row = this.stmt('SELECT version, event_hash, max_occurred_at FROM history_scans WHERE stream_id = ?')
      .raw()
      .get(streamId) as [number, string, number] | undefined;
    return row === undefined ? undefined : { version: row[0], eventHash: row[1], maxOccurredAt: row[2] };
  }

  putScan(streamId: string, scan: OccurredScan, backdated: readonly [number, number][], reset: boolean): void {
    if (this.tableState() === 'foreign') return;
    this.write(() => {
      if (!this.ensureTables()) return;
      if (reset) this.stmt('DELETE FROM history_backdated WHERE stream_id = ?').run(streamId);
      const insert = this.stmt(
        'INSERT OR REPLACE INTO history_backdated (stream_id, version, occurred_at) VALUES (?, ?, ?)',
      );
      for (const [version, occurredAt] of backdated) insert.run(streamId, version, occurredAt);
      this.stmt(
        'INSERT OR REPLACE INTO history_scans (stream_id, version, event_hash, max_occurred_at) VALUES (?, ?, ?, ?)',
      ).run(streamId, scan.version, scan.eventHash, scan.maxOccurredAt);
    });
  }

  backdated(streamId: string, afterVersion: number, maxVersion: number, occurredUpTo: number): number[] {
    if (this.tableState() !== true) return [];
    return this.stmt(
      'SELECT version FROM history_backdated WHERE stream_id = ? AND version > ? AND version <= ? AND occurred_at <= ? ORDER BY version',
    )
      .pluck()
      .all(streamId, afterVersion, maxVersion, occurredUpTo) as number[];
  }

  put(snapshots: readonly Snapshot[]): void {
    if (snapshots.length === 0) return;
    if (this.tableState() === 'foreign') return;
    const now = Date.now();
    this.write(() => {
      if (!this.ensureTables()) return;
      const insert = this.stmt(
        `INSERT OR REPLACE INTO snapshots (${SNAPSHOT_COLUMNS.join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const dropOthers = this.stmt('DELETE FROM snapshots WHERE stream_id = ? AND reducer_key <> ?');
      const seen = new Set<string>();
      for (const s of snapshots) {
        const key = `${s.streamId}\u0000${s.reducerKey}`;
        if (!seen.has(key)) {
          seen.add(key);
          dropOthers.run(s.streamId, s.reducerKey);
        }
        insert.run(
          s.streamId,
          s.reducerKey,
          s.version,
          s.eventHash,
          s.position,
          s.recordedAt,
          s.occurredAt,
          s.maxRecordedAt,
          s.maxOccurredAt,
          s.state,
          now,
        );
      }
    });
  }

  discard(streamId: string, fromVersion: number): void {
    if (this.tableState() !== true) return;
    this.write(() => {
      this.stmt('DELETE FROM snapshots WHERE stream_id = ? AND version >= ?').run(streamId, fromVersion);
      this.stmt('DELETE FROM history_scans WHERE stream_id = ?').run(streamId);
      this.stmt('DELETE FROM history_backdated WHERE stream_id = ?').run(streamId);
    });
  }

  count(streamId?: string): number {
    if (this.tableState() !== true) return 0;
    return streamId === undefined
      ? (this.stmt('SELECT count(*) FROM snapshots').pluck().get() as number)
      : (this.stmt('SELECT count(*) FROM snapshots WHERE stream_id = ?').pluck().get(streamId) as number);
  }

  clear(): void {
    if (this.tableState() !== true) return;
    this.write(() => {
      for (const table of HISTORY_CACHE_TABLES) this.stmt(`DELETE FROM ${table}`).run();
    });
  }
}

// -------------------------------------------------------------------------------------------------------------
// The private cache of a read-only store

/** `PRAGMA user_version` of a history cache database; a cache of another version is emptied and rebuilt. */
export const HISTORY_CACHE_VERSION = 1;

/**
 * A private SQLite database holding the derived history data (snapshots) of one store, in the app's own
 * data folder, for stores opened read-only. One file per `store_id`; snapshots are still checked against
 * the event hashes, so two different files that share a store id never get each other's states.
 */
export class HistoryCache {
  readonly path: string;
  readonly storeId: string;
  readonly snapshots: SnapshotStore;
  private readonly db: Database.Database;

  private constructor(file: string, storeId: string, db: Database.Database) {
    this.path = file;
    this.storeId = storeId;
    this.db = db;
    this.snapshots = new SqlSnapshotStore(db, 'cache', 250);
  }

  /** Opens (creating it and its folder if needed) the cache of `storeId` in `cacheDir`. */
  static open(cacheDir: string, storeId: string): HistoryCache {
    if (typeof storeId !== 'string' || storeId === '') {
      throw new HindsightError('invalid_input', 'A history cache needs the store id of its store.', {
        field: 'storeId',
      });
    }
    const file = path.join(cacheDir, cacheFileName(storeId));
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      let db: Database.Database;
      try {
        db = openCacheDb(file);
      } catch {
        // A damaged or foreign cache is just thrown away: it only ever holds derived data.
        for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
        db = openCacheDb(file);
      }
      return new HistoryCache(file, storeId, db);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new HindsightError(
        code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'permission_denied' : 'internal',
        `The history cache ${file} cannot be opened: ${(error as Error).message}`,
        { path: file },
      );
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** A file name for a store id that can never leave the cache folder (store ids come from files). */
function cacheFileName(storeId: string): string {
  const safe = /^[A-Za-z0-9-]{1,64}$/.test(storeId)
    ? storeId
    : createHash('sha256').update(storeId).digest('hex').slice(0, 32);
  return `history-${safe}.sqlite`;
}

function openCacheDb(file: string): Database.Database {
  const db = new Database(file, { ...sqliteDriverOptions(), timeout: 250 });
  try {
    db.pragma('trusted_schema = OFF');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== HISTORY_CACHE_VERSION) {
      db.transaction(() => {
        for (const table of HISTORY_CACHE_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
        db.exec(SNAPSHOTS_DDL);
        db.pragma(`user_version = ${HISTORY_CACHE_VERSION}`);
      }).immediate();
    }
    db.prepare('SELECT count(*) FROM snapshots').get();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Opens the private history cache of a store (see `HistoryCache`). */
export function openHistoryCache(cacheDir: string, storeId: string): HistoryCache {
  return HistoryCache.open(cacheDir, storeId);
}

// -------------------------------------------------------------------------------------------------------------
// Which snapshot store a call uses

const attached = new WeakMap<EventStore, HistoryCache>();
const inFile = new WeakMap<Database.Database, SnapshotStore>();

/**
 * Makes `cache` the snapshot store of `store` for every later history call (the app does this when it opens
 * a file read-only). Pass `undefined` to detach.
 */
export function attachHistoryCache(store: EventStore, cache: HistoryCache | undefined): void {
  if (cache === undefined) {
    attached.delete(store);
    return;
  }
  checkCacheFor(store, cache);
  attached.set(store, cache);
}

function checkCacheFor(store: EventStore, cache: HistoryCache): void {
  if (cache.storeId !== store.storeId) {
    throw new HindsightError(
      'invalid_input',
      `The history cache is for store ${cache.storeId}, not for ${store.storeId}.`,
      { field: 'cache' },
    );
  }
}

/** Where the snapshots of a store are read and written; see the module comment. */
export interface SnapshotOptions {
  /** `false`: neither read nor write snapshots (fold from zero). */
  snapshots?: boolean;
  /** A private cache to use for this call (else the attached one, else the store file when read-write). */
  cache?: HistoryCache;
}

export function snapshotStoreFor(store: EventStore, opts: SnapshotOptions = {}): SnapshotStore | undefined {
  if (opts.snapshots === false) return undefined;
  if (opts.cache !== undefined) {
    checkCacheFor(store, opts.cache);
    return opts.cache.snapshots;
  }
  const cache = attached.get(store);
  if (cache !== undefined) return cache.snapshots;
  if (store.mode !== 'read-write') return undefined;
  const db = store.db;
  let snapshots = inFile.get(db);
  if (snapshots === undefined) {
    snapshots = new SqlSnapshotStore(db, 'store', 0);
    inFile.set(db, snapshots);
  }
  return snapshots;
}

/** Deletes every snapshot of a store (its in-file table when read-write, or the given/attached cache). */
export function clearSnapshots(store: EventStore, opts: SnapshotOptions = {}): void {
  snapshotStoreFor(store, opts)?.clear();
}
