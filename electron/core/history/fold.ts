import type { EventStore } from '../store/eventStore';
import type { HistoryEvent, Reducer } from './reducers';
import { MAX_SNAPSHOT_STATE_CHARS, SNAPSHOT_INTERVAL, type Snapshot, type SnapshotStore } from './snapshots';
import { eventAt, hashAt, iterateEvents, iterateOccurred, versionRecordedBy } from './sql';

/**
 * The reconstruction engine behind stateAt, timeline, diffVersions and valueSeries: fold a stream's
 * events, in version order, from the best starting point (a snapshot or a state the caller already has)
 * up to a version, optionally keeping only events recorded and/or occurred by given times, and write the
 * snapshots it passes on the way (lazily building the cache as history is read).
 *
 * Bitemporal bounds:
 * - `recordedUpTo` ("as known at"): the events recorded at or before it. Within a stream that is a prefix
 *   of the versions (recorded times never decrease along the log), found by binary search.
 * - `occurredUpTo` ("as it happened"): the events whose business time is at or before it, among the
 *   others; a backdated correction is a later version with an earlier occurred_at, so this set can have
 *   holes, and it is still applied in version order.
 * A snapshot at version v may start a fold only when every event 1..v passes the bounds, which is what
 * its `max_recorded_at` / `max_occurred_at` columns tell.
 */

export interface FoldBounds {
  /** Fold up to and including this version (already clamped to the stream's version). */
  maxVersion: number;
  recordedUpTo?: number;
  occurredUpTo?: number;
}

/** Where a fold stands: the state after `version`, and facts about the events applied so far. */
export interface FoldPoint {
  state: unknown;
  /** The last event applied (0 when none). */
  version: number;
  position: number;
  recordedAt: number | null;
  occurredAt: number | null;
  /**
   * True while every event 1..version was applied (no event skipped by a bound): only such states can be
   * written as snapshots, and only such states may be continued by a fold with other bounds.
   */
  complete: boolean;
  maxRecordedAt: number;
  maxOccurredAt: number;
}

export interface FoldResult extends FoldPoint {
  /** The fold started from a snapshot. */
  fromSnapshot: boolean;
  /** Version of the snapshot (or given start) the fold continued from; 0 = from the beginning. */
  startVersion: number;
  /** Events applied by this fold. */
  eventsFolded: number;
}

export interface FoldContext {
  store: EventStore;
  streamId: string;
  reducer: Reducer;
  snapshots: SnapshotStore | undefined;
  /** Snapshot interval (events); tests and the bench may change it. */
  interval?: number;
}

/** Called for each applied event with the state before and after it. */
export type FoldVisitor = (event: HistoryEvent, before: unknown, after: unknown) => void;

export function initialPoint(reducer: Reducer): FoldPoint {
  return {
    state: reducer.initial(),
    version: 0,
    position: 0,
    recordedAt: null,
    occurredAt: null,
    complete: true,
    maxRecordedAt: Number.NEGATIVE_INFINITY,
    maxOccurredAt: Number.NEGATIVE_INFINITY,
  };
}

function pointFromSnapshot(reducer: Reducer, snapshot: Snapshot): FoldPoint | undefined {
  let state: unknown;
  try {
    state = reducer.parseState(snapshot.state);
  } catch {
    return undefined;
  }
  return {
    state,
    version: snapshot.version,
    position: snapshot.position,
    recordedAt: snapshot.recordedAt,
    occurredAt: snapshot.occurredAt,
    complete: true,
    maxRecordedAt: snapshot.maxRecordedAt,
    maxOccurredAt: snapshot.maxOccurredAt,
  };
}

/** True when a complete point may start a fold with these bounds. */
function usable(point: FoldPoint, bounds: FoldBounds): boolean {
  if (point.version > bounds.maxVersion) return false;
  if (point.version === 0) return true;
  if (!point.complete) return false;
  if (bounds.recordedUpTo !== undefined && point.maxRecordedAt > bounds.recordedUpTo) return false;
  if (bounds.occurredUpTo !== undefined && point.maxOccurredAt > bounds.occurredUpTo) return false;
  return true;
}

/** The newest snapshot usable for `bounds`, checked against the stream's event hash at its version. */
function findSnapshot(ctx: FoldContext, bounds: FoldBounds): FoldPoint | undefined {
  const snapshots = ctx.snapshots;
  if (snapshots === undefined) return undefined;
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      const snapshot = snapshots.find({
        streamId: ctx.streamId,
        reducerKey: ctx.reducer.key,
        maxVersion: bounds.maxVersion,
        recordedUpTo: bounds.recordedUpTo,
        occurredUpTo: bounds.occurredUpTo,
      });
      if (snapshot === undefined) return undefined;
      const point =
        hashAt(ctx.store.db, ctx.streamId, snapshot.version) === snapshot.eventHash
          ? pointFromSnapshot(ctx.reducer, snapshot)
          : undefined;
      if (point !== undefined) return point;
      // The stream no longer has the event this snapshot was taken after (another file with the same store
      // id, or a rewritten history): it and every later snapshot of the stream are stale.
      snapshots.discard(ctx.streamId, snapshot.version);
    }
  } catch {
    // A cache that cannot be read (locked, damaged) is no cache.
  }
  return undefined;
}

/**
 * Brings the stream's occurred-time index (see SnapshotStore) up to the stream's current version, scanning
 * only the events after the last scan. False when there is no usable index (no cache, a damaged stream,
 * a cache that cannot be written): the caller then scans the events itself.
 */
function ensureOccurredIndex(ctx: FoldContext, maxVersion: number): boolean {
  const snapshots = ctx.snapshots;
  if (snapshots === undefined) return false;
  const db = ctx.store.db;
  try {
    let scan = snapshots.getScan(ctx.streamId);
    let reset = false;
    if (scan !== undefined && hashAt(db, ctx.streamId, scan.version) !== scan.eventHash) {
      scan = undefined;
      reset = true;
    }
    if (scan !== undefined && scan.version >= maxVersion) return true;
    let version = scan?.version ?? 0;
    let maxOccurredAt = scan?.maxOccurredAt ?? Number.NEGATIVE_INFINITY;
    let eventHash = scan?.eventHash ?? '';
    const backdated: [number, number][] = [];
    for (const [v, occurredAt, hash] of iterateOccurred(db, ctx.streamId, version)) {
      if (v !== version + 1) return false; // a missing version: a damaged store (verify says where)
      if (occurredAt < maxOccurredAt) backdated.push([v, occurredAt]);
      else maxOccurredAt = occurredAt;
      version = v;
      eventHash = hash;
    }
    if (version < maxVersion) return false;
    snapshots.putScan(ctx.streamId, { version, eventHash, maxOccurredAt }, backdated, reset || scan === undefined);
    return snapshots.getScan(ctx.streamId)?.version === version;
  } catch {
    return false;
  }
}

/**
 * Folds `ctx.streamId` up to `bounds`, starting from `from` (a point the caller holds) or from the newest
 * usable snapshot, whichever is later, else from the beginning. With a `visit`or, the fold starts at
 * `from` (or the beginning) so that every event after it is visited.
 */
export function foldStream(ctx: FoldContext, bounds: FoldBounds, from?: FoldPoint, visit?: FoldVisitor): FoldResult {
  const interval = ctx.interval ?? SNAPSHOT_INTERVAL;
  const db = ctx.store.db;
  let maxVersion = bounds.maxVersion;
  if (bounds.recordedUpTo !== undefined && maxVersion > 0) {
    maxVersion = versionRecordedBy(db, ctx.streamId, maxVersion, bounds.recordedUpTo);
  }
  const effective: FoldBounds = { ...bounds, maxVersion };

  let start = from !== undefined && usable(from, effective) ? from : undefined;
  let fromSnapshot = false;
  // A visitor must see every event after `from`, so it never jumps ahead to a snapshot.
  if (visit === undefined && (start === undefined || maxVersion - start.version > interval)) {
    const snapshot = findSnapshot(ctx, effective);
    if (snapshot !== undefined && (start === undefined || snapshot.version > start.version)) {
      start = snapshot;
      fromSnapshot = true;
    }
  }
  const point: FoldPoint = start !== undefined ? { ...start } : initialPoint(ctx.reducer);
  const startVersion = point.version;
  if (point.version >= maxVersion) return { ...point, fromSnapshot, startVersion, eventsFolded: 0 };

  const pending: Snapshot[] = [];
  let folded = 0;
  const apply = (event: HistoryEvent): void => {
    if (event.version !== point.version + 1) point.complete = false;
    const before = point.state;
    point.state = ctx.reducer.apply(before, event);
    point.version = event.version;
    point.position = event.position;
    point.recordedAt = event.recordedAt;
    point.occurredAt = event.occurredAt;
    folded++;
    if (point.complete) {
      if (event.recordedAt > point.maxRecordedAt) point.maxRecordedAt = event.recordedAt;
      if (event.occurredAt > point.maxOccurredAt) point.maxOccurredAt = event.occurredAt;
      if (ctx.snapshots !== undefined && event.version % interval === 0) {
        const text = JSON.stringify(point.state);
        if (text !== undefined && text.length <= MAX_SNAPSHOT_STATE_CHARS) {
          pending.push({
            streamId: ctx.streamId,
            reducerKey: ctx.reducer.key,
            version: event.version,
            eventHash: event.hash,
            position: event.position,
            recordedAt: event.recordedAt,
            occurredAt: event.occurredAt,
            maxRecordedAt: point.maxRecordedAt,
            maxOccurredAt: point.maxOccurredAt,
            state: text,
          });
        }
      }
    }
    visit?.(event, before, point.state);
  };

  const occurredUpTo = bounds.occurredUpTo;
  if (occurredUpTo !== undefined && visit === undefined && ensureOccurredIndex(ctx, maxVersion)) {
    // "As it happened": every event up to the first one that occurred after T (none of them is skipped)…
    let firstAfter: number | undefined;
    for (const event of iterateEvents(db, ctx.streamId, {
      afterVersion: point.version,
      toVersion: maxVersion,
      recordedUpTo: bounds.recordedUpTo,
    })) {
      if (event.occurredAt > occurredUpTo) {
        firstAfter = event.version;
        break;
      }
      apply(event);
    }
    // …then, after it, only backdated events can have occurred by T: the index lists them.
    if (firstAfter !== undefined) {
      for (const version of ctx.snapshots!.backdated(ctx.streamId, firstAfter, maxVersion, occurredUpTo)) {
        const event = eventAt(db, ctx.streamId, version);
        if (event === undefined || event.occurredAt > occurredUpTo) continue;
        if (bounds.recordedUpTo !== undefined && event.recordedAt > bounds.recordedUpTo) continue;
        apply(event);
      }
    }
  } else {
    for (const event of iterateEvents(db, ctx.streamId, {
      afterVersion: point.version,
      toVersion: maxVersion,
      recordedUpTo: bounds.recordedUpTo,
      occurredUpTo,
    })) {
      apply(event);
    }
  }
  if (pending.length > 0 && ctx.snapshots !== undefined) {
    try {
      ctx.snapshots.put(pending);
    } catch {
      // Snapshots are a cache: a locked or full disk only means the next read folds a little more.
    }
  }
  return { ...point, fromSnapshot, startVersion, eventsFolded: folded };
}

/**
 * How many events a fold up to `bounds` would apply at most (from the newest usable snapshot), without
 * folding: lets a caller decide between answering inline and running a job in a worker.
 */
export function planFold(
  ctx: FoldContext,
  bounds: FoldBounds,
): { startVersion: number; maxVersion: number; eventsToFold: number } {
  let maxVersion = bounds.maxVersion;
  if (bounds.recordedUpTo !== undefined && maxVersion > 0) {
    maxVersion = versionRecordedBy(ctx.store.db, ctx.streamId, maxVersion, bounds.recordedUpTo);
  }
  const snapshot = findSnapshot(ctx, { ...bounds, maxVersion });
  const startVersion = snapshot?.version ?? 0;
  return { startVersion, maxVersion, eventsToFold: Math.max(0, maxVersion - startVersion) };
}
