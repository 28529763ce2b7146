import type Database from 'better-sqlite3';
import { createStatementCache } from '../sqlStatements';
import { parseStoredData } from '../store/storedJson';
import type { HistoryEvent } from './reducers';

/**
 * The history layer's own queries against a store's connection (read-only SQL over `events`), with a
 * prepared-statement cache per connection. Each SQL text is always used in the same mode (raw or pluck).
 */

const statements = createStatementCache();

export function prepared(db: Database.Database, sql: string): Database.Statement {
  return statements.get(db, sql);
}

const FOLD_COLUMNS = 'global_position, stream_version, event_type, data, recorded_at, occurred_at, hash';
type FoldRow = [number, number, string, string, number, number, string];

function toHistoryEvent(row: FoldRow): HistoryEvent {
  return {
    position: row[0],
    version: row[1],
    type: row[2],
    data: parseStoredData(row[3]),
    recordedAt: row[4],
    occurredAt: row[5],
    hash: row[6],
  };
}

export interface FoldRange {
  /** Events after this version… */
  afterVersion: number;
  /** …up to and including this one. */
  toVersion: number;
  /** Only events recorded at or before this time. */
  recordedUpTo?: number;
  /** Only events whose business time is at or before this time. */
  occurredUpTo?: number;
}

/** The events of a stream in a version range (optionally filtered by time), in version order, lazily. */
export function* iterateEvents(db: Database.Database, streamId: string, range: FoldRange): Generator<HistoryEvent> {
  if (range.toVersion <= range.afterVersion) return;
  let sql = `SELECT ${FOLD_COLUMNS} FROM events WHERE stream_id = ? AND stream_version > ? AND stream_version <= ?`;
  const params: unknown[] = [streamId, range.afterVersion, range.toVersion];
  if (range.recordedUpTo !== undefined) {
    sql += ' AND recorded_at <= ?';
    params.push(range.recordedUpTo);
  }
  if (range.occurredUpTo !== undefined) {
    sql += ' AND occurred_at <= ?';
    params.push(range.occurredUpTo);
  }
  sql += ' ORDER BY stream_version';
  for (const row of prepared(db, sql)
    .raw()
    .iterate(...params) as IterableIterator<FoldRow>) {
    yield toHistoryEvent(row);
  }
}

/** The hash of the event at a stream version (undefined when there is none). */
export function hashAt(db: Database.Database, streamId: string, version: number): string | undefined {
  return prepared(db, 'SELECT hash FROM events WHERE stream_id = ? AND stream_version = ?')
    .pluck()
    .get(streamId, version) as string | undefined;
}

/**
 * The last version of a stream recorded at or before `t` (0 when none). Recorded times never decrease
 * along the log (a format invariant that `verify` checks), so within a stream they never decrease along
 * versions either, and this is a binary search over the (stream_id, stream_version) index.
 */
export function versionRecordedBy(db: Database.Database, streamId: string, maxVersion: number, t: number): number {
  const at = prepared(db, 'SELECT recorded_at FROM events WHERE stream_id = ? AND stream_version = ?').pluck();
  let lo = 0;
  let hi = maxVersion;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const recordedAt = at.get(streamId, mid) as number | undefined;
    if (recordedAt === undefined) {
      // A gap in the versions: not a valid store (verify says where). Fall back to a scan.
      const scanned = prepared(
        db,
        'SELECT max(stream_version) FROM events WHERE stream_id = ? AND stream_version <= ? AND recorded_at <= ?',
      )
        .pluck()
        .get(streamId, maxVersion, t) as number | null;
      return scanned ?? 0;
    }
    if (recordedAt <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The event at a stream version, or undefined. */
export function eventAt(db: Database.Database, streamId: string, version: number): HistoryEvent | undefined {
  const row = prepared(db, `SELECT ${FOLD_COLUMNS} FROM events WHERE stream_id = ? AND stream_version = ?`)
    .raw()
    .get(streamId, version) as FoldRow | undefined;
  return row === undefined ? undefined : toHistoryEvent(row);
}

/** (version, occurred_at, hash) of a stream's events after a version, in version order, lazily. */
export function iterateOccurred(
  db: Database.Database,
  streamId: string,
  afterVersion: number,
): IterableIterator<[number, number, string]> {
  return prepared(
    db,
    'SELECT stream_version, occurred_at, hash FROM events WHERE stream_id = ? AND stream_version > ? ORDER BY stream_version',
  )
    .raw()
    .iterate(streamId, afterVersion) as IterableIterator<[number, number, string]>;
}
