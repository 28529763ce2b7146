import type { Delta } from 'jsondiffpatch';
import { HindsightError } from '../errors';
import type { EventStore } from '../store/eventStore';
import { validateNonNegativeInt } from '../store/limits';
import { metadataKeySql, parseStoredData, parseStoredMetadata } from '../store/storedJson';
import { type Change, diffStates } from './diff';
import { type FoldPoint, foldStream } from './fold';
import type { ReducerKind } from './reducers';
import { prepared } from './sql';
import { foldContext, type HistoryOptions, requireStream } from './stateAt';

export const TIMELINE_DEFAULT_LIMIT = 100;
export const TIMELINE_MAX_LIMIT = 1000;
const MAX_FILTER_VALUES = 100;

export interface TimelineOptions extends HistoryOptions {
  /** Keyset cursor: entries after this stream version (default 0). */
  afterVersion?: number;
  /** Page size (1..1000, default 100). */
  limit?: number;
  /** Only events of these types (the state still folds every event). */
  types?: string[];
  /** Only events whose metadata.actor is one of these. */
  actors?: string[];
}

export interface TimelineEntry {
  position: number;
  version: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: Record<string, unknown>;
  actor: string | null;
  recordedAt: number;
  occurredAt: number;
  /** The event's hash-chain hash (`events.hash`). */
  hash: string;
  /** The stream's state after this event. */
  stateAfter: unknown;
  /** jsondiffpatch delta from the state before this event (null: the event changed nothing). */
  delta: Delta | null;
  /** The same differences as a flat list (see diff.ts). */
  changes: Change[];
}

export interface TimelinePage {
  streamId: string;
  reducer: ReducerKind;
  reducerKey: string;
  streamVersion: number;
  entries: TimelineEntry[];
  /** Pass as `afterVersion` for the next page; null on the last page. */
  nextAfterVersion: number | null;
}

type PageRow = [number, string, number, string, number, string, string, number, number, string];

function stringList(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.length > MAX_FILTER_VALUES ||
    value.some((v) => typeof v !== 'string')
  ) {
    throw new HindsightError(
      'invalid_input',
      `The ${field} filter must be a list of 1 to ${MAX_FILTER_VALUES} strings.`,
      {
        field,
      },
    );
  }
  return value as string[];
}

function pageLimit(value: unknown): number {
  if (value === undefined) return TIMELINE_DEFAULT_LIMIT;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > TIMELINE_MAX_LIMIT) {
    throw new HindsightError('invalid_input', `The limit must be a whole number from 1 to ${TIMELINE_MAX_LIMIT}.`, {
      field: 'limit',
    });
  }
  return value;
}

/**
 * A page of a stream's events (keyset by version), each with the state after it and the differences from
 * the state before it. The state is folded once from the page's start (from the nearest snapshot), then
 * forward event by event; between two entries far apart (filters) it jumps via snapshots again.
 */
export function timeline(store: EventStore, streamId: string, opts: TimelineOptions = {}): TimelinePage {
  const info = requireStream(store, streamId);
  const afterVersion = opts.afterVersion === undefined ? 0 : validateNonNegativeInt(opts.afterVersion, 'afterVersion');
  const limit = pageLimit(opts.limit);
  const types = stringList(opts.types, 'types');
  const actors = stringList(opts.actors, 'actors');

  let sql =
    'SELECT global_position, event_id, stream_version, event_type, schema_version, data, metadata, recorded_at, occurred_at, hash FROM events WHERE stream_id = ? AND stream_version > ?';
  const params: unknown[] = [streamId, afterVersion];
  if (types !== undefined) {
    sql += ` AND event_type IN (${types.map(() => '?').join(', ')})`;
    params.push(...types);
  }
  if (actors !== undefined) {
    sql += ` AND ${metadataKeySql('actor')} IN (${actors.map(() => '?').join(', ')})`;
    params.push(...actors);
  }
  sql += ' ORDER BY stream_version LIMIT ?';
  params.push(limit + 1);
  const rows = prepared(store.db, sql)
    .raw()
    .all(...params) as PageRow[];
  const more = rows.length > limit;
  if (more) rows.length = limit;

  const ctx = foldContext(store, streamId, opts);
  const entries: TimelineEntry[] = [];
  let point: FoldPoint | undefined;
  for (const row of rows) {
    const version = row[2];
    let before: unknown;
    let after: unknown;
    // Up to the event before this one (a snapshot at this very version would skip the event itself)…
    const prior = foldStream(ctx, { maxVersion: version - 1 }, point);
    // …then this event, to see the state before and after it.
    const result = foldStream(ctx, { maxVersion: version }, prior, (event, b, a) => {
      if (event.version === version) {
        before = b;
        after = a;
      }
    });
    point = result;
    if (result.version !== version) {
      // Only possible in a damaged store (a version missing): the fold ended before this row.
      throw new HindsightError('internal', `Stream ${streamId} has no event at version ${version} to fold.`, {
        streamId,
        version,
      });
    }
    const metadata = parseStoredMetadata(row[6]);
    const actor = Object.hasOwn(metadata, 'actor') && typeof metadata.actor === 'string' ? metadata.actor : null;
    const { delta, changes } = diffStates(before, after);
    entries.push({
      position: row[0],
      eventId: row[1],
      version,
      type: row[3],
      schemaVersion: row[4],
      data: parseStoredData(row[5]),
      metadata,
      actor,
      recordedAt: row[7],
      occurredAt: row[8],
      hash: row[9],
      stateAfter: after,
      delta,
      changes,
    });
  }
  return {
    streamId,
    reducer: ctx.reducer.kind,
    reducerKey: ctx.reducer.key,
    streamVersion: info.version,
    entries,
    nextAfterVersion: more && entries.length > 0 ? entries[entries.length - 1]!.version : null,
  };
}
