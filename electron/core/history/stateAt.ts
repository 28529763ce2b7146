import { HindsightError } from '../errors';
import type { EventStore } from '../store/eventStore';
import { validateNonNegativeInt, validateStreamId, validateTimeMs } from '../store/limits';
import type { StreamInfo } from '../store/types';
import { type FoldContext, foldStream } from './fold';
import { type ReducerChoice, type ReducerKind, reducerFor } from './reducers';
import { SNAPSHOT_INTERVAL, type SnapshotOptions, snapshotStoreFor } from './snapshots';

/** Options every history call takes. */
export interface HistoryOptions extends SnapshotOptions {
  /** `auto` (default): the stream's domain reducer when it has one; `generic`: always the data-only reducer. */
  reducer?: ReducerChoice;
  /** Write a snapshot every this many events (default SNAPSHOT_INTERVAL); for tests and benchmarks. */
  snapshotInterval?: number;
}

export interface StateAtOptions extends HistoryOptions {
  /** The state after this stream version (default: the latest; 0 = before the first event). */
  version?: number;
  /** "As known at": only events recorded at or before this time (ms since 1970 UTC). */
  recordedAt?: number;
  /** "As it happened": only events whose business time is at or before this time (ms since 1970 UTC). */
  occurredAt?: number;
}

export interface StateAtResult {
  streamId: string;
  /** The last event applied (0 when none). With `occurredAt`, earlier versions may have been left out. */
  version: number;
  state: unknown;
  /** Global position of the last event applied (0 when none). */
  position: number;
  recordedAt: number | null;
  occurredAt: number | null;
  reducer: ReducerKind;
  /** The reducer's snapshot key (kind, version and fingerprint). */
  reducerKey: string;
  fromSnapshot: boolean;
  /** Version the fold started from (a snapshot's, or 0). */
  snapshotVersion: number;
  /** Events folded to answer (after the snapshot). */
  eventsFolded: number;
  /** The stream's current version (its number of events). */
  streamVersion: number;
}

/** The stream's info, or `not_found`. */
export function requireStream(store: EventStore, streamId: string): StreamInfo {
  validateStreamId(streamId);
  const info = store.getStream(streamId);
  if (info === undefined) {
    throw new HindsightError('not_found', `The store has no stream ${JSON.stringify(streamId)}.`, { streamId });
  }
  return info;
}

/** A version of a stream: a whole number from 0 to its current version. */
export function validateVersion(info: StreamInfo, value: unknown, field: string): number {
  const version = validateNonNegativeInt(value, field);
  if (version > info.version) {
    throw new HindsightError(
      'invalid_input',
      `Stream ${info.streamId} has ${info.version} event(s); there is no version ${version}.`,
      { field, streamId: info.streamId, version, streamVersion: info.version },
    );
  }
  return version;
}

export function foldContext(store: EventStore, streamId: string, opts: HistoryOptions): FoldContext {
  const interval = opts.snapshotInterval;
  if (interval !== undefined && (!Number.isInteger(interval) || interval < 1 || interval > 1_000_000)) {
    throw new HindsightError('invalid_input', 'The snapshot interval must be a whole number from 1 to 1000000.', {
      field: 'snapshotInterval',
    });
  }
  return {
    store,
    streamId,
    reducer: reducerFor(store, streamId, opts.reducer ?? 'auto'),
    snapshots: snapshotStoreFor(store, opts),
    interval: interval ?? SNAPSHOT_INTERVAL,
  };
}

/**
 * The state of a stream at a version and/or a time. `recordedAt` = as the system knew it at that time;
 * `occurredAt` = as it happened by that business time (among the events recorded, or recorded by
 * `recordedAt` when both are given: the bitemporal view). Served from the nearest usable snapshot.
 */
export function stateAt(store: EventStore, streamId: string, opts: StateAtOptions = {}): StateAtResult {
  const info = requireStream(store, streamId);
  const maxVersion = opts.version === undefined ? info.version : validateVersion(info, opts.version, 'version');
  const recordedUpTo = opts.recordedAt === undefined ? undefined : validateTimeMs(opts.recordedAt, 'recordedAt');
  const occurredUpTo = opts.occurredAt === undefined ? undefined : validateTimeMs(opts.occurredAt, 'occurredAt');
  const ctx = foldContext(store, streamId, opts);
  const result = foldStream(ctx, { maxVersion, recordedUpTo, occurredUpTo });
  return {
    streamId,
    version: result.version,
    state: result.state,
    position: result.position,
    recordedAt: result.recordedAt,
    occurredAt: result.occurredAt,
    reducer: ctx.reducer.kind,
    reducerKey: ctx.reducer.key,
    fromSnapshot: result.fromSnapshot,
    snapshotVersion: result.startVersion,
    eventsFolded: result.eventsFolded,
    streamVersion: info.version,
  };
}
