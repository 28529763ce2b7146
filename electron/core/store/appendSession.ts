import { HindsightError } from '../errors';
import { computeEventHash, ZERO_HASH } from './hashChain';
import { categoryOf, LIMITS } from './limits';
import type { PreparedEvent } from './prepareEvent';
import { EVENT_COLUMNS, type EventRow, eventFromRow } from './rows';
import { errorCodeOf } from './sqliteErrors';
import type { StatementCache } from './statementCache';
import { parseStoredData, parseStoredMetadata } from './storedJson';
import type { ExpectedVersion, StoredEvent } from './types';
import { uuidv7 } from './uuidv7';

/**
 * The write path. A session lives inside one write transaction: it reads the head once, keeps the head
 * and the touched streams in memory while events are appended, and writes the `streams` rows on `flush`.
 * A single `append` uses a short session; an import uses one session for the whole file, which is what
 * makes bulk appends fast. Every event gets its position, version, times and hash here and nowhere else.
 */

const SQL = {
  head: 'SELECT global_position, hash, recorded_at FROM events ORDER BY global_position DESC LIMIT 1',
  stream: 'SELECT version, first_position, last_position, created_at, updated_at FROM streams WHERE stream_id = ?',
  byId: `SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ?`,
  insert: `INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  upsertStream: `INSERT INTO streams (stream_id, category, version, first_position, last_position, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, last_position = excluded.last_position,
      updated_at = excluded.updated_at`,
} as const;

interface StreamState {
  version: number;
  firstPosition: number;
  lastPosition: number;
  createdAt: number;
  updatedAt: number;
  dirty: boolean;
}

export interface SessionAppendResult {
  firstPosition: number;
  lastPosition: number;
  streamVersion: number;
  duplicate: boolean;
  /** The stored events, when asked for (`collect`). */
  events: StoredEvent[];
}

function describeExpected(expected: ExpectedVersion): string {
  if (expected === 'no_stream' || expected === 0) return 'no stream yet';
  if (expected === 'exists') return 'an existing stream';
  return `version ${String(expected)}`;
}

function isEventIdConflict(error: unknown): boolean {
  return (
    errorCodeOf(error) === 'SQLITE_CONSTRAINT_UNIQUE' &&
    error instanceof Error &&
    error.message.includes('events.event_id')
  );
}

export class AppendSession {
  private headPosition = 0;
  private headHash = ZERO_HASH;
  private headRecordedAt = 0;
  private readonly streams = new Map<string, StreamState>();

  constructor(private readonly stmts: StatementCache) {
    const row = stmts.raw(SQL.head).get() as [number, string, number] | undefined;
    if (row !== undefined) [this.headPosition, this.headHash, this.headRecordedAt] = row;
  }

  private stream(streamId: string): StreamState | undefined {
    let state = this.streams.get(streamId);
    if (state === undefined) {
      const row = this.stmts.raw(SQL.stream).get(streamId) as [number, number, number, number, number] | undefined;
      if (row === undefined) return undefined;
      state = {
        version: row[0],
        firstPosition: row[1],
        lastPosition: row[2],
        createdAt: row[3],
        updatedAt: row[4],
        dirty: false,
      };
      this.streams.set(streamId, state);
    }
    return state;
  }

  /**
   * Idempotency: if every event carries an id that is already stored with the same content, the append is
   * a repeat and returns the original result. A partial or conflicting match is `duplicate_event`.
   */
  private findDuplicate(streamId: string, events: PreparedEvent[]): SessionAppendResult | undefined {
    const originals: EventRow[] = [];
    for (const event of events) {
      if (event.eventId === undefined) continue;
      const row = this.stmts.raw(SQL.byId).get(event.eventId) as EventRow | undefined;
      if (row === undefined) continue;
      if (row[2] !== streamId || row[4] !== event.eventType || row[6] !== event.data || row[7] !== event.metadata) {
        throw new HindsightError(
          'duplicate_event',
          `Event id ${event.eventId} is already stored (position ${row[0]}) with different content.`,
          { eventId: event.eventId, position: row[0], streamId: row[2] },
        );
      }
      originals.push(row);
    }
    if (originals.length === 0) return undefined;
    if (originals.length !== events.length) {
      throw new HindsightError(
        'duplicate_event',
        `Only ${originals.length} of the ${events.length} events of this append are already stored (e.g. event id ${originals[0]![1]}); a repeated append must repeat all of them.`,
        { eventId: originals[0]![1], position: originals[0]![0] },
      );
    }
    return {
      firstPosition: Math.min(...originals.map((r) => r[0])),
      lastPosition: Math.max(...originals.map((r) => r[0])),
      streamVersion: Math.max(...originals.map((r) => r[3])),
      duplicate: true,
      events: originals.map(eventFromRow),
    };
  }

  private expectationHolds(expected: ExpectedVersion, actual: number): boolean {
    return (
      expected === 'any' ||
      (expected === 'no_stream' && actual === 0) ||
      (expected === 'exists' && actual > 0) ||
      expected === actual
    );
  }

  private checkDistinctIds(events: PreparedEvent[]): void {
    const seen = new Set<string>();
    for (const { eventId } of events) {
      if (eventId === undefined) continue;
      if (seen.has(eventId)) {
        throw new HindsightError('invalid_input', `The event id ${eventId} appears twice in one append.`, { eventId });
      }
      seen.add(eventId);
    }
  }

  /** An insert hit the unique event_id: a repeated append (returned as such) or a conflict (thrown). */
  private onIdConflict(streamId: string, events: PreparedEvent[], index: number): SessionAppendResult {
    if (index === 0) {
      const duplicate = this.findDuplicate(streamId, events);
      if (duplicate !== undefined) return duplicate;
    }
    // Events before `index` were new (inserted just now by this append), so this is a partial repeat or
    // a clash; findDuplicate on the clashing event alone says which, with the right message.
    this.findDuplicate(streamId, [events[index]!]);
    const id = events[index]!.eventId;
    throw new HindsightError(
      'duplicate_event',
      `Event id ${id} is already stored, but the events before it in this append are not; a repeated append must repeat all of them.`,
      { eventId: id },
    );
  }

  /** Recorded times of a batch, all checked before anything is written: never decreasing, not in the future. */
  private recordedTimes(events: PreparedEvent[], now: number): number[] {
    let last = this.headRecordedAt;
    return events.map((event) => {
      if (event.recordedAt === undefined) {
        last = Math.max(now, last);
        return last;
      }
      const recordedAt = event.recordedAt;
      if (recordedAt < last) {
        throw new HindsightError(
          'invalid_input',
          `recordedAt ${new Date(recordedAt).toISOString()} is before the store's latest recorded time ${new Date(last).toISOString()}; recorded times never decrease.`,
          { field: 'recordedAt', recordedAt, latestRecordedAt: last },
        );
      }
      if (recordedAt > now + LIMITS.maxRecordedAtSkewMs) {
        throw new HindsightError(
          'invalid_input',
          `recordedAt ${new Date(recordedAt).toISOString()} lies in the future.`,
          {
            field: 'recordedAt',
            recordedAt,
          },
        );
      }
      last = recordedAt;
      return recordedAt;
    });
  }

  append(
    streamId: string,
    events: PreparedEvent[],
    expected: ExpectedVersion,
    opts: { collect: boolean; now?: number },
  ): SessionAppendResult {
    // Duplicates are looked for only when something fails (an expected-version mismatch, a unique event_id
    // violation): a repeated append is rare, and skipping a lookup per event keeps bulk appends fast.
    if (events.length > 1) this.checkDistinctIds(events);
    const existing = this.stream(streamId);
    const actual = existing?.version ?? 0;
    if (!this.expectationHolds(expected, actual)) {
      const duplicate = this.findDuplicate(streamId, events);
      if (duplicate !== undefined) return duplicate;
      throw new HindsightError(
        'concurrency',
        `Stream ${streamId} is at version ${actual}, but the append expected ${describeExpected(expected)}.`,
        { streamId, expected, actual },
      );
    }

    const now = opts.now ?? Date.now();
    const state: StreamState = existing ?? {
      version: 0,
      firstPosition: this.headPosition + 1,
      lastPosition: 0,
      createdAt: 0,
      updatedAt: 0,
      dirty: true,
    };
    const insert = this.stmts.get(SQL.insert);
    const stored: StoredEvent[] = [];
    const firstPosition = this.headPosition + 1;
    const recordedTimes = this.recordedTimes(events, now);
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      const recordedAt = recordedTimes[i]!;
      const position = this.headPosition + 1;
      const version = state.version + 1;
      const eventId = event.eventId ?? uuidv7(now);
      const occurredAt = event.occurredAt ?? recordedAt;
      const hash = computeEventHash(this.headHash, {
        globalPosition: position,
        eventId,
        streamId,
        streamVersion: version,
        eventType: event.eventType,
        schemaVersion: event.schemaVersion,
        data: event.data,
        metadata: event.metadata,
        recordedAt,
        occurredAt,
      });
      try {
        insert.run(
          position,
          eventId,
          streamId,
          version,
          event.eventType,
          event.schemaVersion,
          event.data,
          event.metadata,
          recordedAt,
          occurredAt,
          this.headHash,
          hash,
        );
      } catch (error) {
        if (event.eventId !== undefined && isEventIdConflict(error)) return this.onIdConflict(streamId, events, i);
        throw error;
      }
      if (opts.collect) {
        stored.push({
          globalPosition: position,
          eventId,
          streamId,
          streamVersion: version,
          eventType: event.eventType,
          schemaVersion: event.schemaVersion,
          data: parseStoredData(event.data),
          metadata: parseStoredMetadata(event.metadata),
          recordedAt,
          occurredAt,
          prevHash: this.headHash,
          hash,
        });
      }
      if (state.version === 0) state.createdAt = recordedAt;
      state.version = version;
      state.lastPosition = position;
      state.updatedAt = recordedAt;
      state.dirty = true;
      this.headPosition = position;
      this.headHash = hash;
      this.headRecordedAt = recordedAt;
    }
    if (existing === undefined) this.streams.set(streamId, state);
    return {
      firstPosition,
      lastPosition: this.headPosition,
      streamVersion: state.version,
      duplicate: false,
      events: stored,
    };
  }

  /** Writes the `streams` rows of every stream this session changed. */
  flush(): void {
    const upsert = this.stmts.get(SQL.upsertStream);
    for (const [streamId, s] of this.streams) {
      if (!s.dirty) continue;
      upsert.run(streamId, categoryOf(streamId), s.version, s.firstPosition, s.lastPosition, s.createdAt, s.updatedAt);
      s.dirty = false;
    }
  }
}
