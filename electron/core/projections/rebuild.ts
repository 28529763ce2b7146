import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { HindsightError } from '../errors';
import { sqliteDriverOptions } from '../sqliteRuntime';
import type { EventStore } from '../store/eventStore';
import { translateError } from '../store/sqliteErrors';
import type { CancelSignal } from '../store/types';
import { hardenPrivate } from './cache';
import { type Checkpoint, ensureCheckpointTable, readCheckpoint, writeCheckpoint } from './checkpoints';
import { createTables, dropTables, resetProjection, runProjections, type Transaction, tablesOf } from './engine';
import { headOf } from './events';
import { findProjection } from './registry';
import { runtimeFor } from './runtime';
import { forgetStatements, ident } from './sql';
import type { ProjectionDefinition, ReadModelRun, RebuildOptions, RebuildResult } from './types';

/**
 * Rebuilding read models from position 0 without ever showing a half-built one: the projections are
 * replayed into a private scratch database, and only when that is complete are their tables swapped into the
 * live database in one short write transaction, which also folds the events appended meanwhile. A cancelled
 * or failed rebuild deletes the scratch database and leaves the live read models exactly as they were.
 * `rebuildReadModels` runs on the calling thread; the `rebuild` job runs the same code in a worker thread.
 */

/** Events per scratch transaction: nothing else reads the scratch database, so batches can be large. */
const SCRATCH_BATCH = 50_000;
const SCRATCH_SCHEMA = 'rm_scratch';

export interface RebuildTarget {
  /** The live database of the read models (store file or private cache), read-write. */
  target: Database.Database;
  transaction: Transaction;
  /** Where the scratch build reads events. */
  source: Database.Database;
  /** Where the swap reads the events appended during the build (the store file for a read-write store). */
  swapSource: Database.Database;
  projections: readonly ProjectionDefinition[];
  scratchDir: string;
  signal?: CancelSignal;
  onProgress?: (done: number, total: number) => void;
  batchSize?: number;
}

function openScratch(dir: string): { db: Database.Database; file: string; dispose(): void } {
  let folder: string;
  try {
    fs.mkdirSync(dir, { recursive: true });
    folder = fs.mkdtempSync(path.join(dir, 'rebuild-'));
  } catch (error) {
    throw translateError(error, dir);
  }
  const file = path.join(folder, 'scratch.sqlite');
  const db = new Database(file, sqliteDriverOptions());
  hardenPrivate(db);
  // Scratch data: a crash loses nothing (the live read models are untouched), so no fsync and the journal in
  // memory (savepoint rollbacks still work, which the engine needs to stop a failing projection exactly).
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -65536');
  return {
    db,
    file,
    dispose() {
      if (db.open) db.close();
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}

function cancelledRebuild(): HindsightError {
  return new HindsightError(
    'cancelled',
    'The rebuild was cancelled; the read models are as they were before it started.',
  );
}

/** Replays `projections` from 0 into a scratch database, then swaps them into `target` (see module comment). */
export function rebuildInto(params: RebuildTarget): RebuildResult {
  const started = performance.now();
  const { target, projections } = params;
  const scratch = openScratch(params.scratchDir);
  try {
    const head = headOf(params.source);
    const tx: Transaction = (fn) => scratch.db.transaction(fn).immediate();
    tx(() => {
      ensureCheckpointTable(scratch.db);
      for (const p of projections) resetProjection(scratch.db, p, head);
    });
    const watched = {
      get aborted(): boolean {
        return params.signal?.aborted === true;
      },
    };
    let scratchRuns: ReadModelRun[];
    try {
      scratchRuns = runProjections(scratch.db, params.source, projections, {
        transaction: tx,
        toPosition: head,
        batchSize: params.batchSize ?? SCRATCH_BATCH,
        signal: watched,
        onProgress: params.onProgress,
      });
    } catch (error) {
      if (error instanceof HindsightError && error.code === 'cancelled') throw cancelledRebuild();
      throw error;
    }
    if (params.signal?.aborted) throw cancelledRebuild();
    const built = new Map<string, Checkpoint>();
    for (const p of projections) built.set(p.name, readCheckpoint(scratch.db, p.name)!);
    scratch.db.close();
    const applied = new Map(scratchRuns.map((run) => [run.name, run.applied]));
    const models = swap(params, scratch.file, built, started).map((run) => ({
      ...run,
      applied: run.applied + (applied.get(run.name) ?? 0),
    }));
    return { head: Math.max(head, ...models.map((m) => m.position)), ms: Math.round(performance.now() - started), models };
  } finally {
    scratch.dispose();
  }
}

function swap(
  params: RebuildTarget,
  scratchFile: string,
  built: Map<string, Checkpoint>,
  started: number,
): ReadModelRun[] {
  const { target, projections } = params;
  target.prepare(`ATTACH DATABASE ? AS ${SCRATCH_SCHEMA}`).run(scratchFile);
  forgetStatements(target);
  try {
    return params.transaction(() => {
      ensureCheckpointTable(target);
      const now = Date.now();
      const rebuildMs = Math.round(performance.now() - started);
      for (const p of projections) {
        const cp = built.get(p.name)!;
        dropTables(target, p);
        if (cp.status === 'failed' && cp.position === 0 && tablesOf(target, p, SCRATCH_SCHEMA).length === 0) {
          // Its DDL failed in the scratch database: nothing to copy, the failure is the result.
        } else {
          createTables(target, p);
          for (const table of tablesOf(target, p, SCRATCH_SCHEMA)) {
            target.exec(`INSERT INTO main.${ident(table)} SELECT * FROM ${SCRATCH_SCHEMA}.${ident(table)}`);
          }
        }
        writeCheckpoint(target, { ...cp, lastRebuildAt: now, rebuildMs });
      }
      // Events appended while the scratch database was built: folded here, inside the swap, so the
      // read models come back at the head.
      const runs = runProjections(target, params.swapSource, projections, {
        transaction: (fn) => fn(),
        batchSize: params.batchSize,
      });
      return runs.map((run) => ({ ...run, from: 0 }));
    });
  } finally {
    target.exec(`DETACH DATABASE ${SCRATCH_SCHEMA}`);
    forgetStatements(target);
  }
}

/**
 * Rebuilds the read models of `store` (all, or `names`) on the calling thread; see the module comment.
 * For a large store on the app's main thread use the `rebuild` job instead (`rebuildInWorker`).
 */
export function rebuildReadModels(store: EventStore, opts: RebuildOptions = {}): RebuildResult {
  const runtime = runtimeFor(store, opts);
  const projections =
    opts.names === undefined ? runtime.projections : opts.names.map((n) => findProjection(runtime.projections, n));
  try {
    return rebuildInto({
      target: runtime.target,
      transaction: runtime.transaction,
      source: store.db,
      swapSource: store.db,
      projections,
      scratchDir: opts.scratchDir ?? runtime.cacheDir ?? path.join(os.tmpdir(), 'hindsight-rebuild'),
      signal: opts.signal,
      onProgress: opts.onProgress,
    });
  } catch (error) {
    throw translateError(error, runtime.cachePath ?? store.path);
  }
}
