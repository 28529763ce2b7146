import type Database from 'better-sqlite3';
import { HindsightError } from '../errors';
import type { EventStore } from '../store/eventStore';
import { translateError } from '../store/sqliteErrors';
import type { StoredEvent } from '../store/types';
import { openReadModelCache, readModelCachePath, requireCacheDir } from './cache';
import { advanceCheckpoints, type Checkpoint, ensureCheckpointTable, readCheckpoints } from './checkpoints';
import { handles } from './define';
import { applyEvents, DEFAULT_BATCH_SIZE, prepareProjection, runProjections, type Transaction } from './engine';
import { headOf, readEventBatch } from './events';
import { BUILTIN_PROJECTIONS, checkProjectionSet, findProjection } from './registry';
import { isEnvironmentError } from './sql';
import type { CatchUpOptions, CatchUpResult, ProjectionDefinition, ReadModelsOptions } from './types';

/**
 * Read models of an open store (docs/read-models.md, "Where read models live"):
 *
 * - **read-write**: the tables live in the store file and are folded INLINE, inside each `append`'s
 *   transaction (an append listener on the EventStore): a read model is never behind an acknowledged append,
 *   and an append that rolls back takes its read-model rows with it. A gap (events appended by a writer that
 *   had no read models attached, an import) is closed inside the next append when it is small, else by
 *   `catchUp` or the `readmodels.catchup` job.
 * - **read-only**: the shared file never changes; the read models live in a private cache database
 *   (`<cacheDir>/readmodels-<storeId>.sqlite`), built when the store is attached and caught up when asked.
 *
 * `attachReadModels` is idempotent; every other function attaches on first use.
 */

export const DEFAULT_MAX_CATCH_UP = 10_000;
/** The largest gap an append folds before it commits (it holds the write lock meanwhile). */
export const MAX_INLINE_CATCH_UP = 1000;

function inlineLimit(runtime: Runtime): number {
  return Math.min(runtime.maxCatchUp, MAX_INLINE_CATCH_UP);
}

export interface Runtime {
  readonly store: EventStore;
  readonly projections: readonly ProjectionDefinition[];
  /** Where the read models and their checkpoints are. */
  readonly target: Database.Database;
  readonly location: 'store' | 'cache';
  readonly cacheDir: string | undefined;
  readonly cachePath: string | null;
  readonly maxCatchUp: number;
  readonly transaction: Transaction;
  detach(): void;
}

const runtimes = new WeakMap<EventStore, Runtime>();

function maxCatchUpOf(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_CATCH_UP;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new HindsightError('invalid_input', 'maxCatchUp must be a whole number of 0 or more.', {
      field: 'maxCatchUp',
    });
  }
  return value;
}

function sameProjections(a: readonly ProjectionDefinition[], b: readonly ProjectionDefinition[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

/**
 * The read models of `store`, attached on first use: for a read-write store the inline hook is installed,
 * for a read-only one the private cache is opened. Small gaps are caught up here.
 */
export function runtimeFor(store: EventStore, opts: ReadModelsOptions = {}): Runtime {
  const existing = runtimes.get(store);
  if (existing !== undefined) {
    if (opts.projections !== undefined && !sameProjections(opts.projections, existing.projections)) {
      throw new HindsightError(
        'invalid_input',
        'The read models of this store are already attached with other projections; detach them first.',
        { field: 'projections' },
      );
    }
    return existing;
  }
  const projections = opts.projections ?? BUILTIN_PROJECTIONS;
  checkProjectionSet(projections);
  const maxCatchUp = maxCatchUpOf(opts.maxCatchUp);
  const runtime =
    store.mode === 'read-write'
      ? inStore(store, projections, maxCatchUp, opts.cacheDir)
      : inCache(store, projections, maxCatchUp, opts.cacheDir);
  runtimes.set(store, runtime);
  try {
    catchUpRuntime(runtime, { maxLag: maxCatchUp });
  } catch (error) {
    runtime.detach();
    throw translateError(error, store.path);
  }
  return runtime;
}

function inStore(
  store: EventStore,
  projections: readonly ProjectionDefinition[],
  maxCatchUp: number,
  cacheDir: string | undefined,
): Runtime {
  const db = store.db;
  store.transaction(() => ensureCheckpointTable(db));
  const runtime: Runtime = {
    store,
    projections,
    target: db,
    location: 'store',
    cacheDir: cacheDir === undefined ? undefined : requireCacheDir(cacheDir, store.path, 'as of'),
    cachePath: null,
    maxCatchUp,
    transaction: (fn) => store.transaction(fn),
    detach() {
      removeListener();
      runtimes.delete(store);
    },
  };
  const removeListener = store.addAppendListener((events) => foldAppended(runtime, events));
  return runtime;
}

function inCache(
  store: EventStore,
  projections: readonly ProjectionDefinition[],
  maxCatchUp: number,
  cacheDir: string | undefined,
): Runtime {
  const dir = requireCacheDir(cacheDir, store.path, 'opening its read models');
  const file = readModelCachePath(dir, store.storeId);
  const cache = openReadModelCache(file, store.storeId);
  try {
    cache.transaction(() => ensureCheckpointTable(cache)).immediate();
  } catch (error) {
    cache.close();
    throw translateError(error, file);
  }
  return {
    store,
    projections,
    target: cache,
    location: 'cache',
    cacheDir: dir,
    cachePath: file,
    maxCatchUp,
    transaction: (fn) => cache.transaction(fn).immediate(),
    detach() {
      runtimes.delete(store);
      if (cache.open) cache.close();
    },
  };
}

/**
 * The inline hook: runs inside `append`'s transaction after its rows are written. Each projection whose
 * checkpoint sits right before the new events folds them; one a little further behind first folds the gap
 * (read from the same transaction); a failed one, or one far behind (a job's work), is left alone. A
 * projection's own failure is recorded (status `failed`) and the append goes on; an error of the machine
 * (disk full, I/O) fails the append, which rolls everything back.
 */
function foldAppended(runtime: Runtime, events: readonly StoredEvent[]): void {
  const first = events[0];
  const last = events[events.length - 1];
  if (first === undefined || last === undefined) return;
  const db = runtime.target;
  const head = last.globalPosition;
  const checkpoints = readCheckpoints(db);
  const ready: { projection: ProjectionDefinition; cp: Checkpoint }[] = [];
  for (const projection of runtime.projections) {
    let cp: Checkpoint | undefined = checkpoints.get(projection.name);
    if (
      cp === undefined ||
      cp.version !== projection.version ||
      (cp.codeHash !== projection.codeHash && cp.status === 'failed')
    ) {
      cp = prepareProjection(db, db, projection, head);
    }
    if (cp.status === 'failed' || cp.position >= head) continue;
    if (cp.position === first.globalPosition - 1) {
      ready.push({ projection, cp });
    } else if (cp.position < first.globalPosition - 1 && head - cp.position <= inlineLimit(runtime)) {
      let position = cp.position;
      while (position < head && cp.status !== 'failed') {
        const batch = readEventBatch(db, position, head, DEFAULT_BATCH_SIZE);
        if (batch.length === 0) break;
        cp = applyEvents(db, projection, cp, batch, head).checkpoint;
        position = batch[batch.length - 1]!.globalPosition;
      }
    }
  }
  if (ready.length === 0) return;
  // The usual case: every read model is right before these events. One savepoint for all of them, one
  // checkpoint update; if any projection throws, they are folded one by one so that only it stops.
  try {
    db.transaction(() => {
      for (const { projection } of ready) {
        for (const event of events) if (handles(projection, event.eventType)) projection.apply(db, event);
      }
      advanceCheckpoints(
        db,
        ready.map((r) => r.projection.name),
        head,
        last.hash,
      );
    })();
  } catch (error) {
    if (isEnvironmentError(error)) throw error;
    for (const { projection, cp } of ready) applyEvents(db, projection, cp, events, head);
  }
}

interface RuntimeRunOptions extends Omit<CatchUpOptions, keyof ReadModelsOptions> {
  maxLag?: number;
}

export function catchUpRuntime(runtime: Runtime, opts: RuntimeRunOptions = {}): CatchUpResult {
  const projections =
    opts.names === undefined
      ? runtime.projections
      : opts.names.map((name) => findProjection(runtime.projections, name));
  const source = runtime.store.db;
  const head = headOf(source);
  const models = runProjections(runtime.target, source, projections, {
    transaction: runtime.transaction,
    toPosition: head,
    batchSize: opts.batchSize,
    maxLag: opts.maxLag,
    signal: opts.signal,
    onProgress: opts.onProgress,
  });
  return { head, models };
}

/**
 * Attaches the read models of `store` (see the module comment) and catches up every read model that is at
 * most `maxCatchUp` events behind. Returns what `listReadModels` returns. Call `detachReadModels` before
 * closing the store.
 */
export function attachReadModels(store: EventStore, opts: ReadModelsOptions = {}): Runtime {
  return runtimeFor(store, opts);
}

/** Removes the inline hook / closes the private cache. Idempotent. */
export function detachReadModels(store: EventStore): void {
  runtimes.get(store)?.detach();
}

/** The attached runtime, if any (without attaching). */
export function attachedRuntime(store: EventStore): Runtime | undefined {
  return runtimes.get(store);
}

/**
 * Brings the read models of `store` up to its head, however far behind, `batchSize` events per transaction
 * (synchronous: for a large gap on the main thread use the `readmodels.catchup` job). A failed read model
 * does not advance. Cancelling keeps what was folded.
 */
export function catchUp(store: EventStore, opts: CatchUpOptions = {}): CatchUpResult {
  const runtime = runtimeFor(store, opts);
  try {
    return catchUpRuntime(runtime, opts);
  } catch (error) {
    throw translateError(error, runtime.cachePath ?? store.path);
  }
}
