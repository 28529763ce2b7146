import { runJob } from '../jobs/runner';
import type { EventStore } from '../store/eventStore';
import type { CancelSignal } from '../store/types';
import { type AsOfTarget, resolveAsOf } from './asOf';
import type { AsOfJobParams, AsOfJobResult, ReadModelJobParams, RebuildJobParams } from './jobs';
import { listReadModels } from './query';
import { findProjection } from './registry';
import { runtimeFor } from './runtime';
import type { AsOf, CatchUpResult, ReadModelsOptions, RebuildResult } from './types';

/**
 * Starting the read-model jobs from the main thread for an open (attached) store: the parameters come from
 * the store and its runtime, so the worker writes exactly where the main thread reads.
 */

export interface WorkerOptions extends ReadModelsOptions {
  /** Only these read models (default: all of the store's). */
  names?: readonly string[];
  /** Modules that export the store's non-built-in projections (the worker imports them). */
  modules?: readonly string[];
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal | CancelSignal;
  /** `rebuild` only: see RebuildJobParams.parallel (default: parallel groups on a large store). */
  parallel?: boolean | number;
}

function paramsOf(store: EventStore, opts: WorkerOptions): ReadModelJobParams {
  const runtime = runtimeFor(store, opts);
  const names = (opts.names ?? runtime.projections.map((p) => p.name)).map(
    (n) => findProjection(runtime.projections, n).name,
  );
  const params: ReadModelJobParams = {
    path: store.verificationPath,
    mode: store.mode,
    storeId: store.storeId,
    names,
    fingerprints: Object.fromEntries(runtime.projections.map((p) => [p.name, p.codeHash])),
  };
  if (runtime.cacheDir !== undefined) params.cacheDir = runtime.cacheDir;
  if (opts.modules !== undefined) params.modules = [...opts.modules];
  return params;
}

/** Rebuilds read models from position 0 in a worker (`rebuild` job); the live ones stay readable meanwhile. */
export function rebuildInWorker(store: EventStore, opts: WorkerOptions = {}): Promise<RebuildResult> {
  const params: RebuildJobParams = paramsOf(store, opts);
  if (opts.parallel !== undefined) params.parallel = opts.parallel;
  return runJob<RebuildResult>('rebuild', params, { onProgress: opts.onProgress, signal: opts.signal });
}

/** Folds a large gap in a worker (`readmodels.catchup` job). */
export function catchUpInWorker(store: EventStore, opts: WorkerOptions = {}): Promise<CatchUpResult> {
  return runJob<CatchUpResult>('readmodels.catchup', paramsOf(store, opts), {
    onProgress: opts.onProgress,
    signal: opts.signal,
  });
}

/**
 * Builds the "as of" scratch database of `name` in a worker (`readmodel.asof` job), so that a following
 * `readModelAsOf` with the same time or position only reads it.
 */
export async function buildAsOfInWorker(
  store: EventStore,
  name: string,
  at: AsOfTarget,
  opts: WorkerOptions = {},
): Promise<AsOf & { file: string }> {
  const asOf = resolveAsOf(store, at);
  const params: AsOfJobParams = { ...paramsOf(store, { ...opts, names: [name] }), name, position: asOf.position };
  const result = await runJob<AsOfJobResult>('readmodel.asof', params, {
    onProgress: opts.onProgress,
    signal: opts.signal,
  });
  return { ...asOf, file: result.file };
}

export interface UpToDateResult {
  /** Read models rebuilt from position 0 in a worker (missing, or a new version, on a large store). */
  rebuilt: string[];
  /** Read models whose gap was folded in a worker. */
  caughtUp: string[];
}

/**
 * What the app calls after opening a store (and after an import): attaches the read models (small gaps are
 * folded right away) and brings the rest up to the head in worker threads: a read model that is being built from
 * position 0 (missing, or its version changed) is rebuilt (scratch + swap: fast, and nothing half-built is
 * shown as done), one that is merely behind is caught up in batches. Failed read models are left as they are.
 */
export async function bringUpToDate(store: EventStore, opts: WorkerOptions = {}): Promise<UpToDateResult> {
  const statuses = listReadModels(store, opts);
  const wanted = opts.names === undefined ? undefined : new Set(opts.names);
  const behind = statuses.filter((m) => m.needsJob && (wanted === undefined || wanted.has(m.name)));
  const rebuild = behind.filter((m) => m.status === 'rebuilding' && m.position === 0).map((m) => m.name);
  const catchUp = behind.filter((m) => !rebuild.includes(m.name)).map((m) => m.name);
  if (rebuild.length > 0) await rebuildInWorker(store, { ...opts, names: rebuild });
  if (catchUp.length > 0) await catchUpInWorker(store, { ...opts, names: catchUp });
  return { rebuilt: rebuild, caughtUp: catchUp };
}
