import { runJob } from '../jobs/runner';
import type { EventStore } from '../store/eventStore';
import type { CancelSignal } from '../store/types';
import { type AsOfTarget, resolveAsOf } from './asOf';
import type { AsOfJobParams, AsOfJobResult, ReadModelJobParams } from './jobs';
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
  };
  if (runtime.cacheDir !== undefined) params.cacheDir = runtime.cacheDir;
  if (opts.modules !== undefined) params.modules = [...opts.modules];
  return params;
}

/** Rebuilds read models from position 0 in a worker (`rebuild` job); the live ones stay readable meanwhile. */
export function rebuildInWorker(store: EventStore, opts: WorkerOptions = {}): Promise<RebuildResult> {
  return runJob<RebuildResult>('rebuild', paramsOf(store, opts), { onProgress: opts.onProgress, signal: opts.signal });
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
