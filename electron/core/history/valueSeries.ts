import { HindsightError } from '../errors';
import type { EventStore } from '../store/eventStore';
import { foldStream } from './fold';
import { getPath, isJsonObject, jsonEqual, toPath } from './json';
import type { ReducerKind } from './reducers';
import { foldContext, type HistoryOptions, requireStream, validateVersion } from './stateAt';

export const SERIES_DEFAULT_MAX_POINTS = 2000;
export const SERIES_MAX_POINTS = 100_000;

export interface SeriesPoint {
  version: number;
  position: number;
  recordedAt: number;
  occurredAt: number;
  /** The field's value after this event (null when the field is absent). */
  value: unknown;
}

export interface ValueSeriesOptions extends HistoryOptions {
  /** At most this many points (4..100000, default 2000). */
  maxPoints?: number;
  /** First version of the range (default 1). */
  fromVersion?: number;
  /** Last version of the range (default: the latest). */
  toVersion?: number;
}

export interface ValueSeries {
  streamId: string;
  path: string[];
  reducer: ReducerKind;
  /**
   * A step series: the value holds from a point's version until the next point. Before bucketing it has
   * the range's first event, every event that changed the value, and the range's last event.
   */
  points: SeriesPoint[];
  /** Points before bucketing. */
  totalPoints: number;
  /** True when the series was reduced to fit `maxPoints`. */
  bucketed: boolean;
}

function maxPointsOf(value: unknown): number {
  if (value === undefined) return SERIES_DEFAULT_MAX_POINTS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 4 || value > SERIES_MAX_POINTS) {
    throw new HindsightError('invalid_input', `maxPoints must be a whole number from 4 to ${SERIES_MAX_POINTS}.`, {
      field: 'maxPoints',
    });
  }
  return value;
}

/**
 * Reduces a step series to at most `maxPoints` points: the version range is cut into ⌊maxPoints / 4⌋
 * buckets of equal width, and each bucket keeps its first and last point and, for numbers, the points
 * with its smallest and largest value (M4 aggregation). The series' first and last points and its global
 * extremes are therefore always kept.
 */
export function bucketSeries(points: readonly SeriesPoint[], maxPoints: number): SeriesPoint[] {
  if (points.length <= maxPoints) return [...points];
  const buckets = Math.max(1, Math.floor(maxPoints / 4));
  const first = points[0]!.version;
  const last = points[points.length - 1]!.version;
  const width = (last - first + 1) / buckets;
  const out: SeriesPoint[] = [];
  let i = 0;
  for (let b = 0; b < buckets && i < points.length; b++) {
    const end = b === buckets - 1 ? Number.POSITIVE_INFINITY : first + (b + 1) * width;
    const start = i;
    let min = -1;
    let max = -1;
    while (i < points.length && points[i]!.version < end) {
      const v = points[i]!.value;
      if (typeof v === 'number') {
        if (min === -1 || v < (points[min]!.value as number)) min = i;
        if (max === -1 || v > (points[max]!.value as number)) max = i;
      }
      i++;
    }
    if (i === start) continue;
    const keep = new Set([start, i - 1]);
    if (min !== -1) keep.add(min);
    if (max !== -1) keep.add(max);
    for (const index of [...keep].sort((x, y) => x - y)) out.push(points[index]!);
  }
  return out;
}

/**
 * The values a field of a stream's state took, event by event, as a step series of at most `maxPoints`
 * points. It folds every event of the range once (building snapshots on the way): O(events), so the app
 * runs it off the main thread for long streams.
 */
export function valueSeries(
  store: EventStore,
  streamId: string,
  fieldPath: string | readonly string[],
  opts: ValueSeriesOptions = {},
): ValueSeries {
  const info = requireStream(store, streamId);
  const path = toPath(fieldPath);
  const maxPoints = maxPointsOf(opts.maxPoints);
  const fromVersion =
    opts.fromVersion === undefined ? 1 : Math.max(1, validateVersion(info, opts.fromVersion, 'fromVersion'));
  const toVersion = opts.toVersion === undefined ? info.version : validateVersion(info, opts.toVersion, 'toVersion');
  const ctx = foldContext(store, streamId, opts);
  const points: SeriesPoint[] = [];
  if (toVersion >= fromVersion) {
    const start = foldStream(ctx, { maxVersion: fromVersion - 1 });
    let previous: unknown;
    let lastEvent: SeriesPoint | undefined;
    foldStream(ctx, { maxVersion: toVersion }, start, (event, _before, after) => {
      const raw = getPath(after, path);
      const value = raw === undefined ? null : raw;
      const point: SeriesPoint = {
        version: event.version,
        position: event.position,
        recordedAt: event.recordedAt,
        occurredAt: event.occurredAt,
        value,
      };
      if (points.length === 0 || !jsonEqual(previous, value)) points.push(point);
      previous = value;
      lastEvent = point;
    });
    if (lastEvent !== undefined && points[points.length - 1] !== lastEvent) points.push(lastEvent);
  }
  const reduced = bucketSeries(points, maxPoints);
  return {
    streamId,
    path,
    reducer: ctx.reducer.kind,
    points: reduced,
    totalPoints: points.length,
    bucketed: reduced.length < points.length,
  };
}

export interface NumericField {
  path: string[];
  value: number;
}

/** The paths of the numeric leaves of a state (objects and arrays walked, at most `limit` fields). */
export function numericFields(state: unknown, limit = 1000): NumericField[] {
  const out: NumericField[] = [];
  const walk = (value: unknown, path: string[], depth: number): void => {
    if (out.length >= limit || depth > 64) return;
    if (typeof value === 'number') {
      if (Number.isFinite(value)) out.push({ path, value });
      return;
    }
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) walk(value[index], [...path, String(index)], depth + 1);
      return;
    }
    if (isJsonObject(value)) {
      for (const key of Object.keys(value)) walk(value[key], [...path, key], depth + 1);
    }
  };
  walk(state, [], 0);
  return out;
}
