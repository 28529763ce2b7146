import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { HindsightError } from '../errors';
import type { JobContext } from '../jobs/types';
import { sqliteDriverOptions } from '../sqliteRuntime';
import { validateNonNegativeInt } from '../store/limits';
import { translateError } from '../store/sqliteErrors';
import { asOfDir, buildAsOf } from './asOf';
import { openReadModelCache, readModelCachePath, requireCacheDir } from './cache';
import { isProjectionDefinition } from './define';
import { runProjections, type Transaction } from './engine';
import { headOf } from './events';
import { rebuildInto } from './rebuild';
import { BUILTIN_PROJECTIONS, checkProjectionSet, findProjection } from './registry';
import type { CatchUpResult, ProjectionDefinition, RebuildResult } from './types';

/**
 * The read-model jobs (registered in jobs/registry.ts). Each runs in a worker thread with its own
 * connections, so the main thread keeps answering:
 * - `rebuild`: from position 0 into a scratch database, then swapped in (rebuild.ts);
 * - `readmodels.catchup`: a large gap, folded in batches of short write transactions (an append on the main
 *   thread waits at most one batch);
 * - `readmodel.asof`: builds the scratch database of a read model as of a position (asOf.ts), which
 *   `readModelAsOf` then only reads.
 * For a read-write store the worker writes the read models into the store file (its own connection; the
 * events are never touched); for a read-only one into the private cache.
 */

export interface ReadModelJobParams {
  /** `store.verificationPath`: the store file (read-write) or the private copy it reads (read-only). */
  path: string;
  mode: 'read-write' | 'read-only';
  /** Checked against the file, so a job never writes one store's read models into another. */
  storeId: string;
  /** Required for a read-only store (its read models live there); the scratch folder otherwise. */
  cacheDir?: string;
  /** The read models (default: the built-in ones). */
  names?: string[];
  /** Modules (file paths) whose exported `defineProjection` values join the built-in projections. */
  modules?: string[];
  batchSize?: number;
}

export interface AsOfJobParams extends ReadModelJobParams {
  /** The read model. */
  name: string;
  position: number;
}

export interface AsOfJobResult {
  name: string;
  position: number;
  file: string;
}

async function projectionsOf(params: ReadModelJobParams): Promise<ProjectionDefinition[]> {
  const all: ProjectionDefinition[] = [...BUILTIN_PROJECTIONS];
  for (const module of params.modules ?? []) {
    if (typeof module !== 'string' || module === '') {
      throw new HindsightError('invalid_input', 'A projection module must be a file path.', { field: 'modules' });
    }
    const loaded = (await import(pathToFileURL(path.resolve(module)).href)) as Record<string, unknown>;
    for (const value of Object.values(loaded)) {
      const candidates = Array.isArray(value) ? value : [value];
      for (const candidate of candidates) {
        if (isProjectionDefinition(candidate) && !all.some((p) => p.name === candidate.name)) all.push(candidate);
      }
    }
  }
  const selected = params.names === undefined ? [...BUILTIN_PROJECTIONS] : params.names.map((n) => findProjection(all, n));
  checkProjectionSet(selected);
  return selected;
}

interface Opened {
  target: Database.Database;
  transaction: Transaction;
  source: Database.Database;
  scratchDir: string;
  close(): void;
}

function storeIdOf(db: Database.Database): string | undefined {
  try {
    return db.prepare("SELECT value FROM store_meta WHERE key = 'store_id'").pluck().get() as string | undefined;
  } catch {
    return undefined;
  }
}

function harden(db: Database.Database): void {
  db.pragma('trusted_schema = OFF');
  db.pragma('cell_size_check = ON');
  db.pragma('mmap_size = 0');
}

function checkParams(params: ReadModelJobParams): void {
  if (typeof params?.path !== 'string' || params.path === '') {
    throw new HindsightError('invalid_input', 'A read-model job needs the path of the store.', { field: 'path' });
  }
  if (params.mode !== 'read-write' && params.mode !== 'read-only') {
    throw new HindsightError('invalid_input', 'A read-model job needs the mode of the store.', { field: 'mode' });
  }
  if (typeof params.storeId !== 'string' || params.storeId === '') {
    throw new HindsightError('invalid_input', 'A read-model job needs the store id.', { field: 'storeId' });
  }
}

function open(params: ReadModelJobParams): Opened {
  checkParams(params);
  const file = params.path;
  if (params.mode === 'read-write') {
    const db = new Database(file, { ...sqliteDriverOptions(), fileMustExist: true, timeout: 10_000 });
    try {
      harden(db);
      if (storeIdOf(db) !== params.storeId) {
        throw new HindsightError('invalid_input', `${file} is not the store ${params.storeId}.`, { path: file });
      }
    } catch (error) {
      db.close();
      throw translateError(error, file);
    }
    return {
      target: db,
      transaction: (fn) => db.transaction(fn).immediate(),
      source: db,
      scratchDir: params.cacheDir ?? path.join(os.tmpdir(), 'hindsight-rebuild'),
      close() {
        // Like the store's own close: leave the file self-contained if nobody else has it open.
        try {
          db.pragma('busy_timeout = 0');
          db.pragma('journal_mode = DELETE');
        } catch {
          // The app still has it open: it does this when it closes.
        }
        db.close();
      },
    };
  }
  const cacheDir = requireCacheDir(params.cacheDir, file, 'a read-model job');
  const source = new Database(file, { ...sqliteDriverOptions(), readonly: true, fileMustExist: true, timeout: 10_000 });
  let cache: Database.Database;
  try {
    harden(source);
    if (storeIdOf(source) !== params.storeId) {
      throw new HindsightError('invalid_input', `${file} is not the store ${params.storeId}.`, { path: file });
    }
    cache = openReadModelCache(readModelCachePath(cacheDir, params.storeId), params.storeId);
  } catch (error) {
    source.close();
    throw translateError(error, file);
  }
  return {
    target: cache,
    transaction: (fn) => cache.transaction(fn).immediate(),
    source,
    scratchDir: cacheDir,
    close() {
      cache.close();
      source.close();
    },
  };
}

/** The `rebuild` job: see rebuild.ts. */
export async function rebuildJob(params: ReadModelJobParams, context: JobContext): Promise<RebuildResult> {
  const projections = await projectionsOf(params);
  const opened = open(params);
  try {
    return rebuildInto({
      target: opened.target,
      transaction: opened.transaction,
      source: opened.source,
      swapSource: opened.source,
      projections,
      scratchDir: opened.scratchDir,
      signal: context.signal,
      onProgress: context.onProgress,
      batchSize: params.batchSize,
    });
  } catch (error) {
    throw translateError(error, params.path);
  } finally {
    opened.close();
  }
}

/** The `readmodels.catchup` job: folds the gap of every read model, batch by batch. */
export async function catchUpJob(params: ReadModelJobParams, context: JobContext): Promise<CatchUpResult> {
  const projections = await projectionsOf(params);
  const opened = open(params);
  try {
    const head = headOf(opened.source);
    const models = runProjections(opened.target, opened.source, projections, {
      transaction: opened.transaction,
      toPosition: head,
      batchSize: params.batchSize,
      signal: context.signal,
      onProgress: context.onProgress,
    });
    return { head, models };
  } catch (error) {
    throw translateError(error, params.path);
  } finally {
    opened.close();
  }
}

/** The `readmodel.asof` job: builds (or finds) the scratch database of one read model as of a position. */
export async function asOfJob(params: AsOfJobParams, context: JobContext): Promise<AsOfJobResult> {
  const [projection] = await projectionsOf({ ...params, names: [params.name] });
  const position = validateNonNegativeInt(params.position, 'position');
  checkParams(params);
  const source = new Database(params.path, {
    ...sqliteDriverOptions(),
    readonly: true,
    fileMustExist: true,
    timeout: 10_000,
  });
  try {
    harden(source);
    if (storeIdOf(source) !== params.storeId) {
      throw new HindsightError('invalid_input', `${params.path} is not the store ${params.storeId}.`, {
        path: params.path,
      });
    }
    const head = headOf(source);
    if (position > head) {
      throw new HindsightError('invalid_input', `Position ${position} is beyond the store's head (${head}).`, {
        field: 'position',
      });
    }
    const file = buildAsOf(source, params.storeId, projection!, position, asOfDir(params.cacheDir, params.storeId), {
      signal: context.signal,
      onProgress: context.onProgress,
    });
    return { name: projection!.name, position, file };
  } catch (error) {
    throw translateError(error, params.path);
  } finally {
    source.close();
  }
}
