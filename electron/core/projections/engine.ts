import type Database from 'better-sqlite3';
import { HindsightError } from '../errors';
import type { CancelSignal } from '../store/types';
import {
  advanceCheckpoint,
  type Checkpoint,
  ensureCheckpointTable,
  readCheckpoint,
  writeCheckpoint,
} from './checkpoints';
import { handles } from './define';
import { hashAt, headOf, readEventBatch } from './events';
import { forgetStatements, ident, isEnvironmentError, stmt } from './sql';
import type {
  ProjectionBatchWriter,
  ProjectionDefinition,
  ProjectionEvent,
  ProjectionFailure,
  ReadModelRun,
  ReadModelState,
} from './types';

/**
 * The engine: creating a projection's tables, folding events into them, moving the checkpoint in the same
 * transaction, and stopping a projection that throws at the exact event, with its position, id, type and
 * message. Everything here works on two connections that may be the same one: `target` holds the read
 * models and `projection_checkpoints`, `source` holds the `events`. Callers decide the transactions.
 */

/** An event with its hash (the checkpoint records the hash of the event it stops at). */
export type HashedEvent = ProjectionEvent & { readonly hash: string };

export type Transaction = <T>(fn: () => T) => T;

const MAX_ERROR_MESSAGE = 2000;

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > MAX_ERROR_MESSAGE ? `${text.slice(0, MAX_ERROR_MESSAGE)}…` : text;
}

// ---------------------------------------------------------------------------------------------------------------
// Tables

/** The projection's tables in `schema`: the main table and its `__` helpers. */
export function tablesOf(db: Database.Database, projection: ProjectionDefinition, schema = 'main'): string[] {
  const prefix = `${projection.table}__`;
  return stmt(
    db,
    `SELECT name FROM ${schema}.sqlite_schema WHERE type = 'table' AND (name = ? OR substr(name, 1, ?) = ?) ORDER BY name`,
  )
    .pluck(true)
    .all(projection.table, prefix.length, prefix) as string[];
}

export function mainTableExists(db: Database.Database, projection: ProjectionDefinition, schema = 'main'): boolean {
  return (
    stmt(db, `SELECT count(*) FROM ${schema}.sqlite_schema WHERE type = 'table' AND name = ?`)
      .pluck(true)
      .get(projection.table) === 1
  );
}

export function dropTables(db: Database.Database, projection: ProjectionDefinition): void {
  const tables = tablesOf(db, projection);
  for (const table of tables) db.exec(`DROP TABLE IF EXISTS main.${ident(table)}`);
  if (tables.length > 0) forgetStatements(db);
}

type SchemaObject = [string, string, string];

function schemaObjects(db: Database.Database): SchemaObject[] {
  return db
    .prepare("SELECT type, name, tbl_name FROM main.sqlite_schema WHERE name NOT LIKE 'sqlite_autoindex%'")
    .raw(true)
    .all() as SchemaObject[];
}

function ownsName(projection: ProjectionDefinition, name: string): boolean {
  return name === projection.table || name.startsWith(`${projection.table}__`);
}

/**
 * Runs the projection's DDL in `main` (in a savepoint) and checks what it did: it may only add tables named
 * after the projection and indexes on them (named after it too), and remove nothing. Then the declared
 * columns must exist. Throws `invalid_input` (and changes nothing) otherwise.
 */
export function createTables(db: Database.Database, projection: ProjectionDefinition): void {
  db.transaction(() => {
    const before = schemaObjects(db);
    db.exec(projection.tables.ddl);
    const after = schemaObjects(db);
    const key = (o: SchemaObject) => `${o[0]}\u0000${o[1]}`;
    const had = new Set(before.map(key));
    const has = new Set(after.map(key));
    const removed = before.filter((o) => !has.has(key(o)));
    const added = after.filter((o) => !had.has(key(o)));
    const wrong = added.filter(
      (o) =>
        !(
          (o[0] === 'table' && ownsName(projection, o[1])) ||
          (o[0] === 'index' && o[1].startsWith(projection.table) && ownsName(projection, o[2]))
        ),
    );
    if (removed.length > 0 || wrong.length > 0) {
      const what = [
        ...removed.map((o) => `removes ${o[0]} ${o[1]}`),
        ...wrong.map((o) => `creates ${o[0]} ${o[1]}`),
      ].join(', ');
      throw new HindsightError(
        'invalid_input',
        `Projection ${projection.name}: its DDL ${what}; it may only create tables named ${projection.table} or ${projection.table}__* and indexes on them whose names start with ${projection.table}.`,
        { projection: projection.name },
      );
    }
    if (!mainTableExists(db, projection)) {
      throw new HindsightError(
        'invalid_input',
        `Projection ${projection.name}: its DDL does not create ${projection.table}.`,
        {
          projection: projection.name,
        },
      );
    }
    const info = db.prepare(`SELECT name, "notnull", pk FROM pragma_table_info(?)`).raw(true).all(projection.table) as [
      string,
      number,
      number,
    ][];
    const present = new Set(info.map((c) => c[0]));
    const withoutRowid = /\bWITHOUT\s+ROWID\b/i.test(
      (db
        .prepare("SELECT sql FROM main.sqlite_schema WHERE type = 'table' AND name = ?")
        .pluck()
        .get(projection.table) as string | undefined) ?? '',
    );
    for (const key of projection.tables.primaryKey) {
      const column = info.find((c) => c[0] === key);
      if (column !== undefined && column[1] === 0 && !(withoutRowid && column[2] > 0)) {
        throw new HindsightError(
          'invalid_input',
          `Projection ${projection.name}: the key column ${key} must be NOT NULL (keyset paging needs it).`,
          { projection: projection.name },
        );
      }
    }
    for (const column of projection.tables.columns) {
      if (!present.has(column.name)) {
        throw new HindsightError(
          'invalid_input',
          `Projection ${projection.name}: the column ${column.name} is declared but ${projection.table} has no such column.`,
          { projection: projection.name },
        );
      }
    }
  })();
  forgetStatements(db);
}

/** Columns of the main table that may hold NULL (keyset paging treats them specially). */
export function nullableColumns(db: Database.Database, table: string): Set<string> {
  const info = stmt(db, 'SELECT name, "notnull", pk FROM pragma_table_info(?)').raw(true).all(table) as [
    string,
    number,
    number,
  ][];
  const withoutRowid =
    (
      stmt(db, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck(true).get(table) as
        | string
        | undefined
    )
      ?.toUpperCase()
      .includes('WITHOUT ROWID') ?? false;
  // A PRIMARY KEY column of a rowid table may hold NULL unless declared NOT NULL (a SQLite quirk).
  return new Set(info.filter((c) => c[1] === 0 && !(withoutRowid && c[2] > 0)).map((c) => c[0]));
}

/** The secondary indexes (name, SQL) on the projection's tables in `schema` (not the automatic ones). */
export function secondaryIndexes(
  db: Database.Database,
  projection: ProjectionDefinition,
  schema = 'main',
): [string, string][] {
  const tables = new Set(tablesOf(db, projection, schema));
  const rows = db
    .prepare(`SELECT name, tbl_name, sql FROM ${schema}.sqlite_schema WHERE type = 'index' AND sql IS NOT NULL`)
    .raw(true)
    .all() as [string, string, string][];
  return rows.filter((r) => tables.has(r[1])).map((r) => [r[0], r[2]]);
}

/** Drops the secondary indexes of the projection's tables (to load rows faster); returns their SQL. */
export function dropSecondaryIndexes(db: Database.Database, projection: ProjectionDefinition): string[] {
  const indexes = secondaryIndexes(db, projection);
  for (const [name] of indexes) db.exec(`DROP INDEX main.${ident(name)}`);
  if (indexes.length > 0) forgetStatements(db);
  return indexes.map(([, sql]) => sql);
}

// ---------------------------------------------------------------------------------------------------------------
// Checkpoints: preparing a projection before it runs

function freshCheckpoint(projection: ProjectionDefinition, status: ReadModelState): Checkpoint {
  return {
    name: projection.name,
    version: projection.version,
    codeHash: projection.codeHash,
    position: 0,
    positionHash: '',
    status,
    error: null,
    lastRebuildAt: null,
    rebuildMs: null,
  };
}

/**
 * Drops the projection's tables, creates them again (DDL + init) and sets its checkpoint to position 0. A DDL
 * or init that fails leaves the projection `failed` at position 0 with the reason (there are no tables then).
 */
export function resetProjection(
  db: Database.Database,
  projection: ProjectionDefinition,
  head: number,
  keep: Pick<Checkpoint, 'lastRebuildAt' | 'rebuildMs'> = { lastRebuildAt: null, rebuildMs: null },
): Checkpoint {
  dropTables(db, projection);
  const cp: Checkpoint = {
    ...freshCheckpoint(projection, head === 0 ? 'ok' : 'rebuilding'),
    lastRebuildAt: keep.lastRebuildAt,
    rebuildMs: keep.rebuildMs,
  };
  try {
    db.transaction(() => {
      createTables(db, projection);
      projection.init?.(db);
    })();
  } catch (error) {
    if (isEnvironmentError(error)) throw error;
    dropTables(db, projection);
    cp.status = 'failed';
    cp.error = { position: 0, eventId: '', eventType: '', message: `Creating its tables failed: ${messageOf(error)}` };
  }
  writeCheckpoint(db, cp);
  return cp;
}

/**
 * The checkpoint a run can start from, after the checks that make it trustworthy (inside the caller's write
 * transaction on `target`):
 * - none yet, another version, or its tables missing → reset (rebuilt from 0);
 * - ahead of the store's head, or the event at its position is not the one it was built from → reset;
 * - failed, and the code changed since → retried from where it stopped (reset if it had no tables);
 * - otherwise as it is (a failed projection stays failed).
 */
export function prepareProjection(
  target: Database.Database,
  source: Database.Database,
  projection: ProjectionDefinition,
  head: number,
): Checkpoint {
  ensureCheckpointTable(target);
  const cp = readCheckpoint(target, projection.name);
  if (cp === undefined || cp.version !== projection.version) return resetProjection(target, projection, head);
  const codeChanged = cp.codeHash !== projection.codeHash;
  const hasTables = mainTableExists(target, projection);
  if (cp.status === 'failed' && !codeChanged) return cp;
  if (!hasTables) return resetProjection(target, projection, head, cp);
  if (cp.position > head || hashAt(source, cp.position) !== cp.positionHash) {
    return resetProjection(target, projection, head, cp);
  }
  if (codeChanged) {
    // A failed projection is retried from where it stopped once its code changed; a working one only
    // records the new fingerprint (its version says whether its rows must be rebuilt).
    const retried: Checkpoint = {
      ...cp,
      codeHash: projection.codeHash,
      status: cp.status === 'failed' ? 'ok' : cp.status,
      error: cp.status === 'failed' ? null : cp.error,
    };
    writeCheckpoint(target, retried);
    return retried;
  }
  if (cp.status === 'rebuilding' && cp.position === head) {
    const done: Checkpoint = { ...cp, status: 'ok' };
    writeCheckpoint(target, done);
    return done;
  }
  return cp;
}

// ---------------------------------------------------------------------------------------------------------------
// Folding events

/** A projection's writer during one run; reused across batches while nobody else moved its checkpoint. */
export interface WriterSlot {
  writer: ProjectionBatchWriter | undefined;
  /** The checkpoint position the writer's buffered state corresponds to. */
  position: number;
}

function plainWriter(db: Database.Database, projection: ProjectionDefinition): ProjectionBatchWriter {
  return { apply: (event) => projection.apply(db, event), flush: () => undefined };
}

export interface ApplyOutcome {
  applied: number;
  checkpoint: Checkpoint;
}

/**
 * Folds `events` (consecutive positions, possibly starting before the checkpoint) into one projection and
 * moves its checkpoint to the last event, all inside the caller's transaction. Events at or before the
 * checkpoint are skipped (already folded), events of other types only move the checkpoint. If the projection
 * throws, everything it did for this call is rolled back and the events are replayed one at a time with
 * `apply` up to the one that throws: the projection keeps the events before it, and stops there (`failed`).
 * Errors of the machine (disk full, I/O, locked) are not the projection's fault: they are thrown.
 */
export function applyEvents(
  db: Database.Database,
  projection: ProjectionDefinition,
  cp: Checkpoint,
  events: readonly HashedEvent[],
  head: number,
  slot: WriterSlot = { writer: undefined, position: -1 },
): ApplyOutcome {
  const last = events[events.length - 1];
  if (last === undefined || last.globalPosition <= cp.position || cp.status === 'failed') {
    return { applied: 0, checkpoint: cp };
  }
  const todo: HashedEvent[] = [];
  for (const event of events) {
    if (event.globalPosition > cp.position && handles(projection, event.eventType)) todo.push(event);
  }
  if (slot.writer === undefined || slot.position !== cp.position) {
    slot.writer = projection.batch?.(db) ?? plainWriter(db, projection);
  }
  const writer = slot.writer;
  try {
    if (todo.length > 0) {
      db.transaction(() => {
        for (const event of todo) writer.apply(event);
        writer.flush();
      })();
    }
  } catch (error) {
    if (isEnvironmentError(error)) throw error;
    slot.writer = undefined;
    slot.position = -1;
    return locateFailure(db, projection, cp, events, todo, error, head);
  }
  const status: ReadModelState = cp.status === 'rebuilding' && last.globalPosition < head ? 'rebuilding' : 'ok';
  advanceCheckpoint(db, projection.name, last.globalPosition, last.hash, status);
  slot.position = last.globalPosition;
  return {
    applied: todo.length,
    checkpoint: { ...cp, position: last.globalPosition, positionHash: last.hash, status },
  };
}

function locateFailure(
  db: Database.Database,
  projection: ProjectionDefinition,
  cp: Checkpoint,
  events: readonly HashedEvent[],
  todo: readonly HashedEvent[],
  firstError: unknown,
  head: number,
): ApplyOutcome {
  let failedAt: HashedEvent | undefined;
  let failure: unknown = firstError;
  let applied = 0;
  for (const event of todo) {
    try {
      db.transaction(() => projection.apply(db, event))();
      applied++;
    } catch (error) {
      if (isEnvironmentError(error)) throw error;
      failedAt = event;
      failure = error;
      break;
    }
  }
  // The one-at-a-time path folded every event: its result stands (nothing was skipped).
  const last = events[events.length - 1]!;
  if (failedAt === undefined) {
    const status: ReadModelState = cp.status === 'rebuilding' && last.globalPosition < head ? 'rebuilding' : 'ok';
    advanceCheckpoint(db, projection.name, last.globalPosition, last.hash, status);
    return { applied, checkpoint: { ...cp, position: last.globalPosition, positionHash: last.hash, status } };
  }
  const stopAt = failedAt.globalPosition - 1;
  let stopHash = cp.positionHash;
  if (stopAt > cp.position) {
    const before = events.find((e) => e.globalPosition === stopAt);
    stopHash = before?.hash ?? stopHash;
  }
  const error: ProjectionFailure = {
    position: failedAt.globalPosition,
    eventId: failedAt.eventId,
    eventType: failedAt.eventType,
    message: messageOf(failure),
  };
  const failed: Checkpoint = { ...cp, position: stopAt, positionHash: stopHash, status: 'failed', error };
  writeCheckpoint(db, failed);
  return { applied, checkpoint: failed };
}

// ---------------------------------------------------------------------------------------------------------------
// Runs: bringing projections up to a position, batch by batch

export interface RunOptions {
  /** Write transactions on `target`. */
  transaction: Transaction;
  /** Stop at this position (default: the source's head). */
  toPosition?: number;
  batchSize?: number;
  /** Projections further behind than this are prepared but not run (default: no limit). */
  maxLag?: number;
  signal?: CancelSignal;
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_BATCH_SIZE = 5000;

function cancelled(position: number): HindsightError {
  return new HindsightError(
    'cancelled',
    `Catching up the read models was cancelled at position ${position}; what was folded is kept, and the next catch-up continues from there.`,
    { position },
  );
}

/** Events read per query inside a batch: small pages keep the garbage young (cheap to collect). */
const PAGE = 1000;

interface Active {
  projection: ProjectionDefinition;
  cp: Checkpoint;
  slot: WriterSlot;
}

/**
 * The fast path of one batch: events read page by page and handed to every projection in position order,
 * each projection's writer flushed and its checkpoint moved once at the end, all in one savepoint. Throws
 * (after the savepoint rolled back) if any projection throws; the caller then replays the batch projection
 * by projection to stop the failing one exactly.
 */
function foldBatch(
  target: Database.Database,
  source: Database.Database,
  active: readonly Active[],
  from: number,
  batchSize: number,
  head: number,
  onPage?: (position: number) => void,
): { last: number; applied: number[] } {
  const applied = active.map(() => 0);
  const writers = active.map(({ projection, cp, slot }) => {
    if (slot.writer === undefined || slot.position !== cp.position) {
      slot.writer = projection.batch?.(target) ?? plainWriter(target, projection);
    }
    return slot.writer;
  });
  let last: HashedEvent | undefined;
  target.transaction(() => {
    let position = from;
    let read = 0;
    // Counted in events, not positions: a hole in the positions (a damaged file) never stalls the run.
    while (position < head && read < batchSize) {
      const page = readEventBatch(source, position, head, Math.min(PAGE, batchSize - read));
      if (page.length === 0) break;
      read += page.length;
      for (const event of page) {
        for (let i = 0; i < active.length; i++) {
          const a = active[i]!;
          if (event.globalPosition > a.cp.position && handles(a.projection, event.eventType)) {
            writers[i]!.apply(event);
            applied[i]!++;
          }
        }
      }
      last = page[page.length - 1]!;
      position = last.globalPosition;
      onPage?.(position);
    }
    for (const writer of writers) writer.flush();
    if (last !== undefined) {
      for (const a of active) {
        const status: ReadModelState = a.cp.status === 'rebuilding' && last.globalPosition < head ? 'rebuilding' : 'ok';
        advanceCheckpoint(target, a.projection.name, last.globalPosition, last.hash, status);
        a.slot.position = last.globalPosition;
      }
    }
  })();
  // No event left up to the head (a damaged file): the run is over, the read models stay where they are.
  return { last: last?.globalPosition ?? head, applied };
}

/**
 * Brings `projections` (each from its own checkpoint) up to `toPosition`, about `batchSize` events per
 * transaction. Checkpoints are re-read in every transaction, so another writer folding the same read models
 * (an append in another window, a job) is never folded twice. Cancelling stops between transactions.
 */
export function runProjections(
  target: Database.Database,
  source: Database.Database,
  projections: readonly ProjectionDefinition[],
  opts: RunOptions,
): ReadModelRun[] {
  const head = opts.toPosition ?? headOf(source);
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const prepared = opts.transaction(() => projections.map((p) => prepareProjection(target, source, p, head)));
  const runs = new Map<string, ReadModelRun>();
  const slots = new Map<string, WriterSlot>();
  let pending: ProjectionDefinition[] = [];
  projections.forEach((p, i) => {
    const cp = prepared[i]!;
    runs.set(p.name, {
      name: p.name,
      applied: 0,
      from: cp.position,
      position: cp.position,
      status: cp.status,
      error: cp.error,
    });
    const lag = head - cp.position;
    if (cp.status !== 'failed' && lag > 0 && (opts.maxLag === undefined || lag <= opts.maxLag)) {
      pending.push(p);
      slots.set(p.name, { writer: undefined, position: -1 });
    }
  });
  const start = Math.min(head, ...pending.map((p) => runs.get(p.name)!.from));
  const total = head - start;
  if (pending.length > 0) opts.onProgress?.(0, total);
  while (pending.length > 0) {
    if (opts.signal?.aborted) throw cancelled(Math.min(...pending.map((p) => runs.get(p.name)!.position)));
    const reached = opts.transaction(() => {
      const active: Active[] = [];
      for (const p of pending) {
        const cp = readCheckpoint(target, p.name);
        if (cp !== undefined && cp.version === p.version && cp.status !== 'failed' && cp.position < head) {
          active.push({ projection: p, cp, slot: slots.get(p.name)! });
        }
      }
      if (active.length === 0) return head;
      const from = Math.min(...active.map((a) => a.cp.position));
      const onPage = (position: number): void => {
        if (opts.signal?.aborted) throw cancelled(from);
        opts.onProgress?.(Math.min(total, position - start), total);
      };
      try {
        const folded = foldBatch(target, source, active, from, batchSize, head, onPage);
        active.forEach((a, i) => {
          const run = runs.get(a.projection.name)!;
          run.applied += folded.applied[i]!;
          run.position = folded.last;
          run.status = a.cp.status === 'rebuilding' && folded.last < head ? 'rebuilding' : 'ok';
        });
        return folded.last;
      } catch (error) {
        if (isEnvironmentError(error) || (error instanceof HindsightError && error.code === 'cancelled')) throw error;
      }
      // Some projection threw: replay this batch projection by projection (the failing one stops exactly).
      for (const a of active) {
        a.slot.writer = undefined;
        a.slot.position = -1;
        let cp = a.cp;
        let position = from;
        const run = runs.get(a.projection.name)!;
        let read = 0;
        while (position < head && read < batchSize && cp.status !== 'failed') {
          const page = readEventBatch(source, position, head, Math.min(PAGE, batchSize - read));
          if (page.length === 0) break;
          read += page.length;
          const outcome = applyEvents(target, a.projection, cp, page, head, a.slot);
          cp = outcome.checkpoint;
          run.applied += outcome.applied;
          position = page[page.length - 1]!.globalPosition;
        }
        run.position = cp.position;
        run.status = cp.status;
        run.error = cp.error;
      }
      return Math.max(from, ...active.map((a) => runs.get(a.projection.name)!.position));
    });
    pending = pending.filter((p) => {
      const run = runs.get(p.name)!;
      return run.status !== 'failed' && run.position < head;
    });
    opts.onProgress?.(Math.min(total, reached - start), total);
    if (reached >= head) break;
  }
  // Report what the checkpoints say now (another writer may have moved one in between).
  return projections.map((p) => {
    const run = runs.get(p.name)!;
    const cp = readCheckpoint(target, p.name);
    if (cp !== undefined) {
      run.position = cp.position;
      run.status = cp.status;
      run.error = cp.error;
    }
    return run;
  });
}
