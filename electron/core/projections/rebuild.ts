import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { HindsightError } from '../errors';
import { sqliteDriverOptions } from '../sqliteRuntime';
import type { EventStore } from '../store/eventStore';
import { processAlive } from '../store/privateCopy';
import { translateError } from '../store/sqliteErrors';
import type { CancelSignal } from '../store/types';
import { hardenPrivate } from './cache';
import { type Checkpoint, ensureCheckpointTable, readCheckpoint, writeCheckpoint } from './checkpoints';
import {
  createTables,
  dropSecondaryIndexes,
  dropTables,
  resetProjection,
  runProjections,
  type Transaction,
  tablesOf,
} from './engine';
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

/**
 * Events per scratch transaction: nothing else reads the scratch database, and a keyed-row projection writes
 * each changed row once per transaction (its memory is bounded by MAX_CACHED_ROWS), so batches are large.
 * Progress and cancelling still work per page of events.
 */
export const SCRATCH_BATCH = 2_000_000;
const SCRATCH_SCHEMA = 'rm_scratch';

/** A scratch database built from position 0 up to `head` (the caller swaps it in, then disposes of it). */
export interface Scratch {
  file: string;
  /** The folder holding it (removed by `dispose`). */
  folder: string;
  head: number;
  projections: readonly ProjectionDefinition[];
  /** The checkpoint each projection reached (`failed` ones stopped at their error). */
  built: Checkpoint[];
  /** Events each projection folded. */
  applied: number[];
}

export function disposeScratch(folder: string): void {
  fs.rmSync(folder, { recursive: true, force: true });
}

/** Removes scratch folders left by processes that ended (a crash, a worker terminated mid-build). */
function sweepStale(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^rebuild-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

function cancelledRebuild(): HindsightError {
  return new HindsightError(
    'cancelled',
    'The rebuild was cancelled; the read models are as they were before it started.',
  );
}

export interface ScratchOptions {
  /** Fold up to this position (default: the source's head). */
  head?: number;
  signal?: CancelSignal;
  onProgress?: (done: number, total: number) => void;
  batchSize?: number;
}

/**
 * Replays `projections` from position 0 into a new scratch database in a folder under `dir`. On any error or
 * cancel the folder is removed; on success the caller owns it (`disposeScratch`).
 */
export function buildScratch(
  source: Database.Database,
  projections: readonly ProjectionDefinition[],
  dir: string,
  opts: ScratchOptions = {},
): Scratch {
  let folder: string;
  try {
    fs.mkdirSync(dir, { recursive: true });
    sweepStale(dir);
    folder = fs.mkdtempSync(path.join(dir, `rebuild-${process.pid}-`));
  } catch (error) {
    throw translateError(error, dir);
  }
  const file = path.join(folder, 'scratch.sqlite');
  let db: Database.Database | undefined;
  try {
    db = new Database(file, sqliteDriverOptions());
    hardenPrivate(db);
    // Scratch data: a crash loses nothing (the live read models are untouched), so no fsync and the journal in
    // memory (savepoint rollbacks still work, which the engine needs to stop a failing projection exactly).
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -65536');
    const conn = db;
    const head = opts.head ?? headOf(source);
    const tx: Transaction = (fn) => conn.transaction(fn).immediate();
    tx(() => {
      ensureCheckpointTable(conn);
      for (const p of projections) {
        resetProjection(conn, p, head);
        // Only the swap needs the secondary indexes (built there in one go); keyed writes never use them.
        if (p.keyedReadsOnly) dropSecondaryIndexes(conn, p);
      }
    });
    let runs: ReadModelRun[];
    try {
      runs = runProjections(conn, source, projections, {
        transaction: tx,
        toPosition: head,
        batchSize: opts.batchSize ?? SCRATCH_BATCH,
        signal: opts.signal,
        onProgress: opts.onProgress,
      });
    } catch (error) {
      if (error instanceof HindsightError && error.code === 'cancelled') throw cancelledRebuild();
      throw error;
    }
    if (opts.signal?.aborted) throw cancelledRebuild();
    const built = projections.map((p) => readCheckpoint(conn, p.name)!);
    conn.close();
    return { file, folder, head, projections, built, applied: runs.map((r) => r.applied) };
  } catch (error) {
    if (db?.open) db.close();
    disposeScratch(folder);
    throw error;
  }
}

export interface SwapTarget {
  /** The live database of the read models (store file or private cache), read-write. */
  target: Database.Database;
  transaction: Transaction;
  /** Where the swap reads the events appended while the scratch databases were built. */
  swapSource: Database.Database;
  batchSize?: number;
}

/**
 * Swaps the read models of finished scratch databases into the live database, in one write transaction that
 * also folds the events appended meanwhile. Returns one run per projection, in the scratches' order.
 */
export function swapIn(params: SwapTarget, scratches: readonly Scratch[], started: number): ReadModelRun[] {
  const { target } = params;
  if (scratches.length > 9) throw new HindsightError('internal', 'At most 9 scratch databases can be swapped at once.');
  let attached = 0;
  try {
    for (const scratch of scratches) {
      target.prepare(`ATTACH DATABASE ? AS ${SCRATCH_SCHEMA}${attached}`).run(scratch.file);
      attached++;
    }
    forgetStatements(target);
    return params.transaction(() => {
      ensureCheckpointTable(target);
      const now = Date.now();
      const rebuildMs = Math.round(performance.now() - started);
      const all: ProjectionDefinition[] = [];
      const scratchApplied = new Map<string, number>();
      scratches.forEach((scratch, i) => {
        const schema = `${SCRATCH_SCHEMA}${i}`;
        scratch.projections.forEach((p, j) => {
          const cp = scratch.built[j]!;
          all.push(p);
          scratchApplied.set(p.name, scratch.applied[j] ?? 0);
          dropTables(target, p);
          const tables = tablesOf(target, p, schema);
          // A DDL that failed in the scratch database left no tables: the failure is the result.
          if (tables.length > 0) {
            createTables(target, p);
            // Copy into bare tables, then build each index once (faster than keeping it up to date row by row).
            const indexes = dropSecondaryIndexes(target, p);
            for (const table of tables) {
              target.exec(`INSERT INTO main.${ident(table)} SELECT * FROM ${schema}.${ident(table)}`);
            }
            for (const sql of indexes) target.exec(sql);
          }
          writeCheckpoint(target, { ...cp, lastRebuildAt: now, rebuildMs });
        });
      });
      // Events appended while the scratch databases were built: folded here, inside the swap, so the read
      // models come back at the head.
      const runs = runProjections(target, params.swapSource, all, {
        transaction: (fn) => fn(),
        batchSize: params.batchSize,
      });
      return runs.map((run) => ({ ...run, from: 0, applied: run.applied + (scratchApplied.get(run.name) ?? 0) }));
    });
  } finally {
    for (let i = 0; i < attached; i++) target.exec(`DETACH DATABASE ${SCRATCH_SCHEMA}${i}`);
    forgetStatements(target);
  }
}

export interface RebuildTarget extends SwapTarget {
  /** Where the scratch build reads events. */
  source: Database.Database;
  projections: readonly ProjectionDefinition[];
  scratchDir: string;
  signal?: CancelSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Replays `projections` from 0 into a scratch database, then swaps them into `target` (see module comment). */
export function rebuildInto(params: RebuildTarget): RebuildResult {
  const started = performance.now();
  const scratch = buildScratch(params.source, params.projections, params.scratchDir, {
    signal: params.signal,
    onProgress: params.onProgress,
    batchSize: params.batchSize,
  });
  try {
    const models = swapIn(params, [scratch], started);
    return {
      head: Math.max(scratch.head, ...models.map((m) => m.position)),
      ms: Math.round(performance.now() - started),
      models,
    };
  } finally {
    disposeScratch(scratch.folder);
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
