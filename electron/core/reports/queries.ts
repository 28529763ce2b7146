import type Database from 'better-sqlite3';
import type { EventStore } from '../store/eventStore';
import { metadataKeySql } from '../store/storedJson';

/**
 * The SQL of the reports: counts and groupings over a scope of the log (a position range, narrowed by recorded
 * time, actor, correlation or streams), computed by SQLite so that nothing proportional to the log is held in
 * memory. Statements are cached per connection and always run in raw (array) mode.
 */

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function stmt(store: EventStore, sql: string): Database.Statement {
  const db = store.db;
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (prepared === undefined) {
    prepared = db.prepare(sql).raw(true);
    cache.set(sql, prepared);
  }
  return prepared;
}

/** metadata.actor when it is a string, else NULL. */
export const ACTOR_SQL = metadataKeySql('actor', { textOnly: true });
const CATEGORY_SQL =
  "CASE WHEN instr(stream_id, '-') > 0 THEN substr(stream_id, 1, instr(stream_id, '-') - 1) ELSE stream_id END";

/** Which events a report covers. */
export interface Scope {
  /** Positions after `lo` and up to `hi`. */
  lo: number;
  hi: number;
  fromMs?: number;
  toMs?: number;
  actor?: string;
  correlationId?: string;
  streams?: readonly string[];
}

/** The position range of a recorded-time range (recorded times never decrease along positions). */
export function positionRange(
  store: EventStore,
  fromMs: number | undefined,
  toMs: number | undefined,
): [number, number] {
  const head = store.head().position;
  const lo = fromMs === undefined || fromMs - 1 < -8.64e15 ? 0 : store.positionAt(fromMs - 1);
  const hi = toMs === undefined ? head : store.positionAt(toMs);
  return [lo, Math.max(lo, hi)];
}

function where(scope: Scope): { sql: string; params: unknown[] } {
  const parts = ['global_position > ?', 'global_position <= ?'];
  const params: unknown[] = [scope.lo, scope.hi];
  if (scope.fromMs !== undefined) {
    parts.push('recorded_at >= ?');
    params.push(scope.fromMs);
  }
  if (scope.toMs !== undefined) {
    parts.push('recorded_at <= ?');
    params.push(scope.toMs);
  }
  if (scope.actor !== undefined) {
    parts.push(`${ACTOR_SQL} = ?`);
    params.push(scope.actor);
  }
  if (scope.correlationId !== undefined) {
    parts.push(`${metadataKeySql('correlation_id')} = ?`);
    params.push(scope.correlationId);
  }
  if (scope.streams !== undefined) {
    parts.push(`stream_id IN (${scope.streams.map(() => '?').join(', ')})`);
    params.push(...scope.streams);
  }
  return { sql: parts.join(' AND '), params };
}

export interface ScopeTotals {
  events: number;
  streams: number;
  actors: number;
  first: number | null;
  last: number | null;
}

export function scopeTotals(store: EventStore, scope: Scope): ScopeTotals {
  const w = where(scope);
  const row = stmt(
    store,
    `SELECT count(*), count(DISTINCT stream_id), count(DISTINCT ${ACTOR_SQL}), min(recorded_at), max(recorded_at) FROM events WHERE ${w.sql}`,
  ).get(...w.params) as [number, number, number, number | null, number | null];
  return { events: row[0], streams: row[1], actors: row[2], first: row[3], last: row[4] };
}

export type GroupKey = 'type' | 'actor' | 'stream' | 'category';
const GROUP_SQL: Record<GroupKey, string> = {
  type: 'event_type',
  actor: ACTOR_SQL,
  stream: 'stream_id',
  category: CATEGORY_SQL,
};

export interface Grouped {
  rows: { key: string | null; count: number }[];
  distinct: number;
  others: number;
}

/** The `limit` largest groups (count descending, then key), the number of groups and the sum of the rest. */
export function groupCounts(store: EventStore, scope: Scope, by: GroupKey, limit: number): Grouped {
  const w = where(scope);
  const key = GROUP_SQL[by];
  const rows = (
    stmt(
      store,
      `SELECT ${key} AS k, count(*) AS c FROM events WHERE ${w.sql} GROUP BY k ORDER BY c DESC, k IS NULL, k LIMIT ?`,
    ).all(...w.params, limit) as [string | null, number][]
  ).map(([k, count]) => ({ key: k === null ? null : String(k), count }));
  const [distinct, total] = stmt(
    store,
    `SELECT count(*), coalesce(sum(c), 0) FROM (SELECT count(*) AS c FROM events WHERE ${w.sql} GROUP BY ${key})`,
  ).get(...w.params) as [number, number];
  const shown = rows.reduce((sum, r) => sum + r.count, 0);
  return { rows, distinct, others: total - shown };
}

export interface StreamInScope {
  streamId: string;
  events: number;
  firstPosition: number;
  lastPosition: number;
}

/** The streams with events in scope, by stream id, after `after` (keyset), at most `limit`. */
export function streamsInScope(store: EventStore, scope: Scope, after: string | null, limit: number): StreamInScope[] {
  const w = where(scope);
  const keyset = after === null ? '' : ' AND stream_id > ?';
  const params = after === null ? w.params : [...w.params, after];
  return (
    stmt(
      store,
      `SELECT stream_id, count(*), min(global_position), max(global_position) FROM events WHERE ${w.sql}${keyset} GROUP BY stream_id ORDER BY stream_id LIMIT ?`,
    ).all(...params, limit) as [string, number, number, number][]
  ).map(([streamId, events, firstPosition, lastPosition]) => ({ streamId, events, firstPosition, lastPosition }));
}

/** Stream version, type and recorded time of the event at a position. */
export function eventFacts(
  store: EventStore,
  position: number,
): { version: number; type: string; recordedAt: number } | undefined {
  const row = stmt(store, 'SELECT stream_version, event_type, recorded_at FROM events WHERE global_position = ?').get(
    position,
  ) as [number, string, number] | undefined;
  return row === undefined ? undefined : { version: row[0], type: row[1], recordedAt: row[2] };
}

/** Commands received in a time range (optionally of one actor): how many, and how many were rejected. */
export function commandTotals(
  store: EventStore,
  opts: { actor?: string; fromMs?: number; toMs?: number },
): { commands: number; rejected: number } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (opts.actor !== undefined) {
    parts.push('actor = ?');
    params.push(opts.actor);
  }
  if (opts.fromMs !== undefined) {
    parts.push('received_at >= ?');
    params.push(opts.fromMs);
  }
  if (opts.toMs !== undefined) {
    parts.push('received_at <= ?');
    params.push(opts.toMs);
  }
  const filter = parts.length > 0 ? ` WHERE ${parts.join(' AND ')}` : '';
  const [commands, rejected] = stmt(
    store,
    `SELECT count(*), coalesce(sum(outcome = 'rejected'), 0) FROM commands${filter}`,
  ).get(...params) as [number, number];
  return { commands, rejected };
}

/** Rejected commands in a time range grouped by error code (largest first). */
export function rejectionCounts(store: EventStore, opts: { fromMs?: number; toMs?: number }, limit: number): Grouped {
  const parts = ["outcome = 'rejected'"];
  const params: unknown[] = [];
  if (opts.fromMs !== undefined) {
    parts.push('received_at >= ?');
    params.push(opts.fromMs);
  }
  if (opts.toMs !== undefined) {
    parts.push('received_at <= ?');
    params.push(opts.toMs);
  }
  const filter = parts.join(' AND ');
  const rows = (
    stmt(
      store,
      `SELECT error_code AS k, count(*) AS c FROM commands WHERE ${filter} GROUP BY k ORDER BY c DESC, k IS NULL, k LIMIT ?`,
    ).all(...params, limit) as [string | null, number][]
  ).map(([key, count]) => ({ key, count }));
  const [distinct, total] = stmt(
    store,
    `SELECT count(*), coalesce(sum(c), 0) FROM (SELECT count(*) AS c FROM commands WHERE ${filter} GROUP BY error_code)`,
  ).get(...params) as [number, number];
  return { rows, distinct, others: total - rows.reduce((sum, r) => sum + r.count, 0) };
}
