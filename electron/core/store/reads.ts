import { HindsightError } from '../errors';
import { ZERO_HASH } from './hashChain';
import { validateLimit, validateNonNegativeInt, validateStreamId, validateTimeMs } from './limits';
import {
  EVENT_COLUMNS,
  type EventRow,
  eventFromRow,
  STREAM_COLUMNS,
  STREAM_FROM,
  type StreamRow,
  streamFromRow,
} from './rows';
import type { StatementCache } from './statementCache';
import { metadataKeySql } from './storedJson';
import type {
  CategoryInfo,
  Head,
  ListStreamsOptions,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StreamInfo,
} from './types';

/**
 * Read queries. Every list is paged by keyset (a position, a version or a stream id), never by OFFSET,
 * so page N costs the same as page 1. Queries are built from a fixed set of filter shapes and cached as
 * prepared statements per connection.
 */

const DEFAULT_PAGE = 1000;

function optionalTime(value: unknown, field: string): number | undefined {
  return value === undefined ? undefined : validateTimeMs(value, field);
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new HindsightError('invalid_input', `The ${field} filter must be a string.`, { field });
  }
  return value;
}

/**
 * The smallest string greater than every string that starts with `prefix` (in SQLite's BINARY order,
 * which is UTF-8 byte order = code point order), or undefined when there is no simple one.
 */
function prefixUpperBound(prefix: string): string | undefined {
  const last = prefix.charCodeAt(prefix.length - 1);
  if (prefix.length === 0 || (last >= 0xd800 && last <= 0xdfff) || last === 0xffff) return undefined;
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

/** Adds `column` starts-with `prefix` conditions that can use an index on `column`. */
function prefixCondition(column: string, prefix: string, where: string[], params: unknown[]): void {
  where.push(`${column} >= ?`);
  params.push(prefix);
  const upper = prefixUpperBound(prefix);
  if (upper !== undefined) {
    where.push(`${column} < ?`);
    params.push(upper);
  }
  where.push(`substr(${column}, 1, ?) = ?`);
  params.push(prefix.length, prefix);
}

export class StoreReader {
  constructor(private readonly stmts: StatementCache) {}

  head(): Head {
    const row = this.stmts
      .raw('SELECT global_position, hash FROM events ORDER BY global_position DESC LIMIT 1')
      .get() as [number, string] | undefined;
    return row === undefined ? { position: 0, hash: ZERO_HASH } : { position: row[0], hash: row[1] };
  }

  /**
   * "As of T": the last position whose event was recorded at or before `t` (0 when none). Recorded times
   * never decrease along positions, so this is a binary search over the primary key (~20 lookups for a
   * million events) rather than a scan or an extra index.
   */
  positionAt(t: number): number {
    validateTimeMs(t, 'time');
    const at = this.stmts.pluck('SELECT recorded_at FROM events WHERE global_position = ?');
    let lo = 0; // recorded_at(lo) <= t, or lo = 0
    let hi = this.head().position; // answer is in [lo, hi]
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      const recordedAt = at.get(mid) as number | undefined;
      if (recordedAt === undefined) {
        // A gap: not a valid store (verify says where). Fall back to a scan.
        const scanned = this.stmts.pluck('SELECT max(global_position) FROM events WHERE recorded_at <= ?').get(t) as
          | number
          | null;
        return scanned ?? 0;
      }
      if (recordedAt <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  readStream(streamId: string, opts: ReadStreamOptions = {}): StoredEvent[] {
    validateStreamId(streamId);
    const where = ['stream_id = ?'];
    const params: unknown[] = [streamId];
    if (opts.fromVersion !== undefined) {
      where.push('stream_version >= ?');
      params.push(validateNonNegativeInt(opts.fromVersion, 'fromVersion'));
    }
    if (opts.toVersion !== undefined) {
      where.push('stream_version <= ?');
      params.push(validateNonNegativeInt(opts.toVersion, 'toVersion'));
    }
    const recordedUpTo = optionalTime(opts.recordedUpTo, 'recordedUpTo');
    if (recordedUpTo !== undefined) {
      where.push('recorded_at <= ?');
      params.push(recordedUpTo);
    }
    const occurredUpTo = optionalTime(opts.occurredUpTo, 'occurredUpTo');
    if (occurredUpTo !== undefined) {
      where.push('occurred_at <= ?');
      params.push(occurredUpTo);
    }
    params.push(validateLimit(opts.limit, 10_000));
    const sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY stream_version LIMIT ?`;
    return (this.stmts.raw(sql).all(...params) as EventRow[]).map(eventFromRow);
  }

  readAll(opts: ReadAllOptions = {}): StoredEvent[] {
    let after = opts.afterPosition === undefined ? 0 : validateNonNegativeInt(opts.afterPosition, 'afterPosition');
    const where: string[] = [];
    const params: unknown[] = [];
    const recordedFrom = optionalTime(opts.recordedFrom, 'recordedFrom');
    const recordedTo = optionalTime(opts.recordedTo, 'recordedTo');
    if (recordedFrom !== undefined) {
      // Skip straight past everything recorded before `recordedFrom` (recorded times never decrease).
      after = Math.max(after, this.positionAt(recordedFrom - 1));
      where.push('recorded_at >= ?');
      params.push(recordedFrom);
    }
    where.unshift('global_position > ?');
    params.unshift(after);
    if (recordedTo !== undefined) {
      where.push('global_position <= ?', 'recorded_at <= ?');
      params.push(this.positionAt(recordedTo), recordedTo);
    }
    if (opts.types !== undefined) {
      if (!Array.isArray(opts.types) || opts.types.length === 0 || opts.types.some((t) => typeof t !== 'string')) {
        throw new HindsightError('invalid_input', 'The types filter must be a non-empty list of event types.', {
          field: 'types',
        });
      }
      where.push(`event_type IN (${opts.types.map(() => '?').join(', ')})`);
      params.push(...opts.types);
    }
    const actor = optionalString(opts.actor, 'actor');
    if (actor !== undefined) {
      where.push(`${metadataKeySql('actor')} = ?`);
      params.push(actor);
    }
    const correlationId = optionalString(opts.correlationId, 'correlationId');
    if (correlationId !== undefined) {
      where.push(`${metadataKeySql('correlation_id')} = ?`);
      params.push(correlationId);
    }
    const streamPrefix = optionalString(opts.streamPrefix, 'streamPrefix');
    if (streamPrefix !== undefined && streamPrefix !== '') prefixCondition('stream_id', streamPrefix, where, params);
    params.push(validateLimit(opts.limit, DEFAULT_PAGE));
    const sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY global_position LIMIT ?`;
    return (this.stmts.raw(sql).all(...params) as EventRow[]).map(eventFromRow);
  }

  getStream(streamId: string): StreamInfo | undefined {
    validateStreamId(streamId);
    const row = this.stmts.raw(`SELECT ${STREAM_COLUMNS} FROM ${STREAM_FROM} WHERE s.stream_id = ?`).get(streamId) as
      | StreamRow
      | undefined;
    return row === undefined ? undefined : streamFromRow(row);
  }

  listStreams(opts: ListStreamsOptions = {}): StreamInfo[] {
    const where: string[] = [];
    const params: unknown[] = [];
    const after = optionalString(opts.after, 'after');
    if (after !== undefined) {
      where.push('s.stream_id > ?');
      params.push(after);
    }
    const category = optionalString(opts.category, 'category');
    if (category !== undefined) {
      where.push('s.category = ?');
      params.push(category);
    }
    const prefix = optionalString(opts.prefix, 'prefix');
    if (prefix !== undefined && prefix !== '') prefixCondition('s.stream_id', prefix, where, params);
    params.push(validateLimit(opts.limit, DEFAULT_PAGE));
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const sql = `SELECT ${STREAM_COLUMNS} FROM ${STREAM_FROM} ${filter} ORDER BY s.stream_id LIMIT ?`;
    return (this.stmts.raw(sql).all(...params) as StreamRow[]).map(streamFromRow);
  }

  /** Counts and time range for `info()`. Event counts come from `streams` (kept in the append transaction). */
  summary(): {
    events: number;
    streams: number;
    firstRecordedAt: number | null;
    lastRecordedAt: number | null;
    categories: CategoryInfo[];
  } {
    const [streams, events] = this.stmts.raw('SELECT count(*), coalesce(sum(version), 0) FROM streams').get() as [
      number,
      number,
    ];
    const first = this.stmts.pluck('SELECT recorded_at FROM events ORDER BY global_position LIMIT 1').get() as
      | number
      | undefined;
    const last = this.stmts.pluck('SELECT recorded_at FROM events ORDER BY global_position DESC LIMIT 1').get() as
      | number
      | undefined;
    const categories = (
      this.stmts
        .raw('SELECT category, count(*), sum(version) FROM streams GROUP BY category ORDER BY category')
        .all() as [string, number, number][]
    ).map(([category, streamCount, eventCount]) => ({ category, streams: streamCount, events: eventCount }));
    return { events, streams, firstRecordedAt: first ?? null, lastRecordedAt: last ?? null, categories };
  }
}
