import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { HindsightError } from '../errors';
import { runJob } from '../jobs/runner';
import type { JobContext } from '../jobs/types';
import { sqliteDriverOptions } from '../sqliteRuntime';
import { validateNonNegativeInt } from '../store/limits';
import { translateError } from '../store/sqliteErrors';
import { asOfDir, buildAsOf } from './asOf';
import { openReadModelCache, readModelCachePath, requireCacheDir } from './cache';
import type { Checkpoint } from './checkpoints';
import { isProjectionDefinition } from './define';
import { runProjections, type Transaction } from './engine';
import { headOf } from './events';
import { buildScratch, disposeScratch, rebuildInto, type Scratch, swapIn } from './rebuild';
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
  /**
   * The main thread's code fingerprint of each projection (name → codeHash). Source text differs between the
   * main bundle and the worker's (transpilers rename things), so the worker adopts the main thread's: the
   * checkpoints it writes and the "as of" files it names then match what the main thread looks for.
   */
  fingerprints?: Record<string, string>;
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
  const selected = (
    params.names === undefined ? [...BUILTIN_PROJECTIONS] : params.names.map((n) => findProjection(all, n))
  ).map((p) => {
    const codeHash = params.fingerprints?.[p.name];
    return typeof codeHash === 'string' && /^[0-9a-f]{16}$/.test(codeHash) ? Object.freeze({ ...p, codeHash }) : p;
  });
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

export interface RebuildJobParams extends ReadModelJobParams {
  /**
   * Build the scratch databases of groups of read models in parallel workers (default true: on a store of at
   * least 100,000 events, one worker per core beyond the first two, up to 3); false: one scratch database, in
   * this worker; a number: that many groups whatever the size.
   */
  parallel?: boolean | number;
}

export interface ScratchJobParams extends ReadModelJobParams {
  head: number;
  scratchDir: string;
}

export interface ScratchJobResult {
  file: string;
  folder: string;
  head: number;
  names: string[];
  built: Checkpoint[];
  applied: number[];
}

const PARALLEL_MIN_EVENTS = 100_000;
const MAX_GROUPS = 3;
/** Rough relative cost of rebuilding each built-in read model (measured on the demo store). */
const WEIGHT: Record<string, number> = {
  accounts: 2,
  orders: 3,
  streams: 3,
  'event-types': 1,
  actors: 2,
  activity: 1.5,
};

/** Splits projections into `n` groups of about equal cost (largest first into the lightest group). */
export function partition(projections: readonly ProjectionDefinition[], n: number): ProjectionDefinition[][] {
  const groups = Array.from({ length: n }, () => ({ weight: 0, items: [] as ProjectionDefinition[] }));
  const sorted = [...projections].sort((a, b) => (WEIGHT[b.name] ?? 2) - (WEIGHT[a.name] ?? 2));
  for (const p of sorted) {
    const lightest = groups.reduce((a, b) => (b.weight < a.weight ? b : a));
    lightest.items.push(p);
    lightest.weight += WEIGHT[p.name] ?? 2;
  }
  return groups.filter((g) => g.items.length > 0).map((g) => projections.filter((p) => g.items.includes(p)));
}

function groupCount(parallel: boolean | number | undefined, projections: number, head: number): number {
  if (parallel === false || projections < 2) return 1;
  if (typeof parallel === 'number') return Math.max(1, Math.min(Math.floor(parallel), projections, 9));
  if (head < PARALLEL_MIN_EVENTS) return 1;
  // Two cores stay free (the main thread must keep answering; the OS and SQLite's I/O need one): measured on a
  // 2-core machine, two groups in parallel were slower than one worker and starved the main thread.
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores - 2, MAX_GROUPS, projections));
}

/**
 * The `rebuild` job: see rebuild.ts. On a large store the scratch databases of groups of read models are built
 * by parallel workers (`rebuild.scratch`), then swapped in together by this one.
 */
export async function rebuildJob(params: RebuildJobParams, context: JobContext): Promise<RebuildResult> {
  const projections = await projectionsOf(params);
  const opened = open(params);
  try {
    const head = headOf(opened.source);
    const groups = groupCount(params.parallel, projections.length, head);
    if (groups < 2) {
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
    }
    return await rebuildInParallel(params, opened, projections, partition(projections, groups), head, context);
  } catch (error) {
    throw translateError(error, params.path);
  } finally {
    opened.close();
  }
}

async function rebuildInParallel(
  params: RebuildJobParams,
  opened: Opened,
  projections: readonly ProjectionDefinition[],
  groups: ProjectionDefinition[][],
  head: number,
  context: JobContext,
): Promise<RebuildResult> {
  const started = performance.now();
  const done = groups.map(() => 0);
  const totals = groups.map(() => head);
  let failed = false;
  const signal = {
    get aborted(): boolean {
      return failed || context.signal.aborted;
    },
  };
  const finished: ScratchJobResult[] = [];
  try {
    const settled = await Promise.allSettled(
      groups.map((group, i) => {
        const sub: ScratchJobParams = {
          ...params,
          names: group.map((p) => p.name),
          head,
          scratchDir: opened.scratchDir,
        };
        return runJob<ScratchJobResult>('rebuild.scratch', sub, {
          signal,
          onProgress: (d, t) => {
            done[i] = d;
            totals[i] = t;
            context.onProgress(
              done.reduce((a, b) => a + b, 0),
              totals.reduce((a, b) => a + b, 0),
            );
          },
        }).then(
          (result) => {
            finished.push(result);
          },
          (error: unknown) => {
            // One group failed: the others stop too.
            failed = true;
            throw error;
          },
        );
      }),
    );
    const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (rejected !== undefined) {
      const reasons = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
      // Report the real failure rather than the cancellations it caused in the other groups.
      throw reasons.find((r) => !(r instanceof HindsightError && r.code === 'cancelled')) ?? rejected.reason;
    }
    context.throwIfCancelled();
    const scratches: Scratch[] = finished.map((r) => ({
      file: r.file,
      folder: r.folder,
      head: r.head,
      projections: r.names.map((n) => findProjection(projections, n)),
      built: r.built,
      applied: r.applied,
    }));
    const runs = swapIn(
      {
        target: opened.target,
        transaction: opened.transaction,
        swapSource: opened.source,
        batchSize: params.batchSize,
      },
      scratches,
      started,
    );
    const byName = new Map(runs.map((r) => [r.name, r]));
    const models = projections.map((p) => byName.get(p.name)!);
    return {
      head: Math.max(head, ...models.map((m) => m.position)),
      ms: Math.round(performance.now() - started),
      models,
    };
  } finally {
    for (const r of finished) disposeScratch(r.folder);
  }
}

/** One group of a parallel rebuild: its scratch database, left for the `rebuild` job to swap in and remove. */
export async function scratchJob(params: ScratchJobParams, context: JobContext): Promise<ScratchJobResult> {
  const projections = await projectionsOf(params);
  checkParams(params);
  const source = new Database(params.path, {
    ...sqliteDriverOptions(),
    readonly: true,
    fileMustExist: true,
    timeout: 10_000,
  });
  try {
    harden(source);
    const scratch = buildScratch(source, projections, params.scratchDir, {
      head: params.head,
      signal: context.signal,
      onProgress: context.onProgress,
      batchSize: params.batchSize,
    });
    return {
      file: scratch.file,
      folder: scratch.folder,
      head: scratch.head,
      names: projections.map((p) => p.name),
      built: scratch.built,
      applied: scratch.applied,
    };
  } catch (error) {
    throw translateError(error, params.path);
  } finally {
    source.close();
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
