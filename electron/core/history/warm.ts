import { HindsightError } from '../errors';
import type { EventStore } from '../store/eventStore';
import { validateTimeMs } from '../store/limits';
import type { CancelSignal } from '../store/types';
import { type FoldPoint, foldStream, planFold } from './fold';
import { foldContext, type HistoryOptions, requireStream, type StateAtOptions, validateVersion } from './stateAt';

/**
 * Helpers for the app's job runner: the first read of a long stream folds every event once (about 5 µs
 * per event, so ~0.5 s for 100k events), which belongs in a worker, not on the main thread.
 */

/** Events a `stateAt` with these options would fold (0 when a snapshot sits right there). Cheap. */
export function foldCost(store: EventStore, streamId: string, opts: StateAtOptions = {}): number {
  const info = requireStream(store, streamId);
  const maxVersion = opts.version === undefined ? info.version : validateVersion(info, opts.version, 'version');
  const recordedUpTo = opts.recordedAt === undefined ? undefined : validateTimeMs(opts.recordedAt, 'recordedAt');
  const occurredUpTo = opts.occurredAt === undefined ? undefined : validateTimeMs(opts.occurredAt, 'occurredAt');
  return planFold(foldContext(store, streamId, opts), { maxVersion, recordedUpTo, occurredUpTo }).eventsToFold;
}

export interface BuildSnapshotsOptions extends HistoryOptions {
  signal?: CancelSignal;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Folds a stream to its head, writing every snapshot on the way (in steps, so that progress is reported
 * and a cancel is honoured between steps: `cancelled`). Returns the stream's version.
 */
export function buildSnapshots(store: EventStore, streamId: string, opts: BuildSnapshotsOptions = {}): number {
  const info = requireStream(store, streamId);
  const ctx = foldContext(store, streamId, opts);
  const step = Math.max(1000, (ctx.interval ?? 500) * 10);
  let point: FoldPoint | undefined;
  for (let target = Math.min(info.version, step); ; target = Math.min(info.version, target + step)) {
    if (opts.signal?.aborted) {
      throw new HindsightError('cancelled', `Building the snapshots of ${streamId} was cancelled.`, { streamId });
    }
    point = foldStream(ctx, { maxVersion: target }, point);
    opts.onProgress?.(target, info.version);
    if (target >= info.version) break;
  }
  return info.version;
}
