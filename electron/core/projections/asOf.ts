import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { HindsightError } from '../errors';
import { sqliteDriverOptions } from '../sqliteRuntime';
import type { EventStore } from '../store/eventStore';
import { validateNonNegativeInt, validateTimeMs } from '../store/limits';
import { translateError } from '../store/sqliteErrors';
import type { CancelSignal } from '../store/types';
import { hardenPrivate, safeStoreId } from './cache';
import { type Checkpoint, ensureCheckpointTable, readCheckpoint } from './checkpoints';
import { resetProjection, runProjections } from './engine';
import { hashAt, recordedAtOf } from './events';
import { queryTable } from './query';
import { SCRATCH_BATCH } from './rebuild';
import { findProjection } from './registry';
import { runtimeFor } from './runtime';
import type { AsOf, AsOfPage, ProjectionDefinition, ReadModelQuery, ReadModelsOptions } from './types';

/**
 * A read model "as of T" (DESIGN §5): its projection replayed into a scratch database up to the log prefix for
 * T (the events recorded at or before T; or up to a position). Scratch databases are cached in
 * `<cacheDir>/asof/<storeId>/<name>-v<version>-<code>-<position>.sqlite`, keyed by (projection, version,
 * code fingerprint, position), and checked against the hash of the event at their position before use. A new
 * one starts from the nearest cached one before it (moving a time slider forward replays only the
 * difference). Each file appears complete or not at all (built under a temporary name, then renamed).
 */

/** Scratch databases kept per store (least recently used ones are deleted beyond this). */
export const MAX_AS_OF_FILES = 24;
const META = 'asof_meta';

export interface AsOfTarget {
  /** ms since 1970 UTC: the prefix of events recorded at or before it. */
  time?: number;
  /** The prefix of positions 1 … position. */
  position?: number;
}

/** The prefix a time or a position names, clamped to the head. */
export function resolveAsOf(store: EventStore, at: AsOfTarget): AsOf {
  if (typeof at !== 'object' || at === null || (at.time === undefined) === (at.position === undefined)) {
    throw new HindsightError('invalid_input', 'Give either a time or a position for "as of", not both.', {
      field: 'asOf',
    });
  }
  if (at.time !== undefined) {
    const time = validateTimeMs(at.time, 'as-of time');
    return { position: store.positionAt(time), time };
  }
  const position = Math.min(validateNonNegativeInt(at.position, 'as-of position'), store.head().position);
  return { position, time: recordedAtOf(store.db, position) };
}

export function asOfDir(cacheDir: string | undefined, storeId: string): string {
  const base = cacheDir ?? path.join(os.tmpdir(), 'hindsight-cache');
  return path.join(base, 'asof', safeStoreId(storeId));
}

function prefixOf(projection: ProjectionDefinition): string {
  return `${projection.name}-v${projection.version}-${projection.codeHash}-`;
}

function fileFor(dir: string, projection: ProjectionDefinition, position: number): string {
  return path.join(dir, `${prefixOf(projection)}${position}.sqlite`);
}

interface Meta {
  storeId: string;
  position: number;
  positionHash: string;
}

function readMeta(db: Database.Database): Meta | undefined {
  try {
    const rows = db.prepare(`SELECT key, value FROM ${META}`).raw(true).all() as [string, string][];
    const map = new Map(rows);
    const position = Number(map.get('position'));
    if (map.get('complete') !== '1' || !Number.isSafeInteger(position)) return undefined;
    return { storeId: map.get('store_id') ?? '', position, positionHash: map.get('position_hash') ?? '' };
  } catch {
    return undefined;
  }
}

/** The cached file is for this store and its prefix is still this store's prefix. */
function usable(file: string, storeId: string, source: Database.Database): boolean {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { ...sqliteDriverOptions(), readonly: true, fileMustExist: true });
    hardenPrivate(db);
    const meta = readMeta(db);
    return meta !== undefined && meta.storeId === storeId && hashAt(source, meta.position) === meta.positionHash;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

/** The cached file with the largest position below `position` that is still valid, if any. */
function nearestBase(
  dir: string,
  projection: ProjectionDefinition,
  position: number,
  storeId: string,
  source: Database.Database,
): string | undefined {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return undefined;
  }
  const prefix = prefixOf(projection);
  const candidates = names
    .filter((n) => n.startsWith(prefix) && n.endsWith('.sqlite'))
    .map((n) => ({ n, p: Number(n.slice(prefix.length, -'.sqlite'.length)) }))
    .filter((c) => Number.isSafeInteger(c.p) && c.p < position)
    .sort((a, b) => b.p - a.p);
  for (const c of candidates) {
    const file = path.join(dir, c.n);
    if (usable(file, storeId, source)) return file;
  }
  return undefined;
}

function evict(dir: string, keep: string): void {
  let files: { file: string; used: number }[];
  try {
    files = fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.sqlite'))
      .map((n) => {
        const file = path.join(dir, n);
        return { file, used: fs.statSync(file).mtimeMs };
      });
  } catch {
    return;
  }
  if (files.length <= MAX_AS_OF_FILES) return;
  files.sort((a, b) => b.used - a.used);
  for (const { file } of files.slice(MAX_AS_OF_FILES)) if (file !== keep) fs.rmSync(file, { force: true });
}

function touch(file: string): void {
  const now = new Date();
  try {
    fs.utimesSync(file, now, now);
  } catch {
    // Only the eviction order depends on it.
  }
}

export interface BuildAsOfOptions {
  signal?: CancelSignal;
  onProgress?: (done: number, total: number) => void;
}

/**
 * The scratch database of `projection` as of `position` (building it when it is not cached), read from the
 * events of `source`. Returns its path; open it read-only.
 */
export function buildAsOf(
  source: Database.Database,
  storeId: string,
  projection: ProjectionDefinition,
  position: number,
  dir: string,
  opts: BuildAsOfOptions = {},
): string {
  const file = fileFor(dir, projection, position);
  if (fs.existsSync(file) && usable(file, storeId, source)) {
    touch(file);
    return file;
  }
  fs.mkdirSync(dir, { recursive: true });
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const base = nearestBase(dir, projection, position, storeId, source);
  let db: Database.Database | undefined;
  try {
    if (base !== undefined) fs.copyFileSync(base, temp);
    db = new Database(temp, sqliteDriverOptions());
    hardenPrivate(db);
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    const conn = db;
    const tx = <T>(fn: () => T): T => conn.transaction(fn).immediate();
    tx(() => {
      conn.exec(`CREATE TABLE IF NOT EXISTS ${META} (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)`);
      conn.prepare(`DELETE FROM ${META} WHERE key = 'complete'`).run();
      ensureCheckpointTable(conn);
      if (base === undefined) resetProjection(conn, projection, position);
    });
    runProjections(conn, source, [projection], {
      transaction: tx,
      toPosition: position,
      batchSize: SCRATCH_BATCH,
      signal: opts.signal,
      onProgress: opts.onProgress,
    });
    tx(() => {
      const put = conn.prepare(`INSERT OR REPLACE INTO ${META} (key, value) VALUES (?, ?)`);
      put.run('store_id', storeId);
      put.run('position', String(position));
      put.run('position_hash', hashAt(source, position) ?? '');
      put.run('complete', '1');
    });
    conn.pragma('journal_mode = DELETE');
    conn.close();
    fs.renameSync(temp, file);
  } catch (error) {
    if (db?.open) db.close();
    fs.rmSync(temp, { force: true });
    if (error instanceof HindsightError && error.code === 'cancelled') {
      throw new HindsightError('cancelled', `Building ${projection.name} as of position ${position} was cancelled.`);
    }
    throw translateError(error, file);
  }
  evict(dir, file);
  return file;
}

/**
 * The read model `name` as of a time (the events recorded at or before it) or a position: the same page as
 * `queryReadModel`, plus `asOf: {position, time}`. Builds the scratch database when it is not cached
 * (synchronous; for a large store build it first with the `readmodel.asof` job, then this only reads).
 * When the prefix is the live read model's own position, the live read model answers.
 */
export function readModelAsOf(
  store: EventStore,
  name: string,
  at: AsOfTarget,
  query: ReadModelQuery = {},
  opts: ReadModelsOptions & BuildAsOfOptions = {},
): AsOfPage {
  const runtime = runtimeFor(store, opts);
  const projection = findProjection(runtime.projections, name);
  const asOf = resolveAsOf(store, at);
  try {
    const live = readCheckpoint(runtime.target, projection.name);
    if (
      live !== undefined &&
      live.status === 'ok' &&
      live.position === asOf.position &&
      live.version === projection.version
    ) {
      return { name: projection.name, ...queryTable(runtime.target, projection, query), ...pageStatus(live), asOf };
    }
    const file = buildAsOf(
      store.db,
      store.storeId,
      projection,
      asOf.position,
      asOfDir(runtime.cacheDir, store.storeId),
      opts,
    );
    const db = new Database(file, { ...sqliteDriverOptions(), readonly: true, fileMustExist: true });
    try {
      hardenPrivate(db);
      const cp = readCheckpoint(db, projection.name);
      return { name: projection.name, ...queryTable(db, projection, query), ...pageStatus(cp), asOf };
    } finally {
      db.close();
    }
  } catch (error) {
    throw translateError(error, store.path);
  }
}

function pageStatus(cp: Checkpoint | undefined): Pick<AsOfPage, 'position' | 'status' | 'error'> {
  return { position: cp?.position ?? 0, status: cp?.status ?? 'rebuilding', error: cp?.error ?? null };
}
