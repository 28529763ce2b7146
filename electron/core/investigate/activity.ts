import { HindsightError } from '../errors';
import type { EventStore } from '../store/eventStore';
import { validateTimeMs } from '../store/limits';
import { translateError } from '../store/sqliteErrors';
import { metadataKeySql } from '../store/storedJson';
import { bucketCount, bucketStart, detectSpikes, median, niceBucketWidth } from './buckets';
import { activeIndex, FACETS_TABLE } from './searchIndex';
import { prepared } from './sql';
import type { ActivityGroupBy, ActivityOptions, ActivityResult, ActivitySeries, SpikeMark } from './types';

/**
 * Events per time bucket, grouped by event type, actor or stream category, counted in SQL (one GROUP BY over a
 * range of the primary key: a time window is a position range because recorded times never decrease). The
 * bucket is one minute, widened to a round width (2, 5, 10, 15, 30 minutes, hours, days) when the range would
 * need more than `maxPoints` buckets. Spikes are buckets far above the usual level: median + k · 1.4826 · MAD of
 * the bucket totals (a robust rule: a few large buckets do not raise the bar for themselves).
 */

export const DEFAULT_MAX_POINTS = 2000;
export const DEFAULT_MAX_SERIES = 12;
export const DEFAULT_SPIKE_K = 6;
const MINUTE = 60_000;

const GROUP_KEY: Record<ActivityGroupBy, string> = {
  type: 'event_type',
  actor: metadataKeySql('actor'),
  category:
    "CASE WHEN instr(stream_id, '-') > 0 THEN substr(stream_id, 1, instr(stream_id, '-') - 1) ELSE stream_id END",
};

const FACET_KEY: Record<ActivityGroupBy, string> = { type: 'type', actor: 'actor', category: 'category' };

function wholeInRange(value: unknown, fallback: number, min: number, max: number, field: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HindsightError('invalid_input', `${field} must be a whole number from ${min} to ${max}.`, { field });
  }
  return value;
}

function edges(store: EventStore): { first: number; last: number } | undefined {
  const first = prepared(store.db, 'SELECT recorded_at FROM events ORDER BY global_position LIMIT 1')
    .pluck(true)
    .get() as number | undefined;
  if (first === undefined) return undefined;
  const last = prepared(store.db, 'SELECT recorded_at FROM events ORDER BY global_position DESC LIMIT 1')
    .pluck(true)
    .get() as number;
  return { first, last };
}

/** Activity over time (see the module comment). */
export function activityPerMinute(store: EventStore, opts: ActivityOptions): ActivityResult {
  if (typeof opts !== 'object' || opts === null) {
    throw new HindsightError('invalid_input', 'The activity options must be an object.', { field: 'options' });
  }
  const groupBy = opts.groupBy;
  if (groupBy !== 'type' && groupBy !== 'actor' && groupBy !== 'category') {
    throw new HindsightError('invalid_input', 'groupBy must be "type", "actor" or "category".', { field: 'groupBy' });
  }
  const maxPoints = wholeInRange(opts.maxPoints, DEFAULT_MAX_POINTS, 1, 100_000, 'maxPoints');
  const maxSeries = wholeInRange(opts.maxSeries, DEFAULT_MAX_SERIES, 1, 1000, 'maxSeries');
  const k = opts.spikeK ?? DEFAULT_SPIKE_K;
  if (typeof k !== 'number' || !Number.isFinite(k) || k <= 0) {
    throw new HindsightError('invalid_input', 'spikeK must be a positive number.', { field: 'spikeK' });
  }
  const givenFrom = opts.from === undefined ? undefined : validateTimeMs(opts.from, 'from');
  const givenTo = opts.to === undefined ? undefined : validateTimeMs(opts.to, 'to');
  try {
    const range = edges(store);
    const from = givenFrom ?? range?.first;
    const to = givenTo ?? range?.last;
    if (from === undefined || to === undefined || to < from) {
      return {
        from: from ?? null,
        to: to ?? null,
        bucketMs: MINUTE,
        groupBy,
        buckets: [],
        totals: [],
        series: [],
        baseline: { median: 0, mad: 0, threshold: 0 },
        spikes: [],
      };
    }
    const width = niceBucketWidth(from, to, maxPoints, MINUTE);
    const base = bucketStart(from, width);
    const n = bucketCount(from, to, width);
    const low = from <= -8.64e15 ? 0 : store.positionAt(from - 1);
    const high = store.positionAt(to);
    // The narrow facet table of an up-to-date search index is much cheaper to scan than the events themselves.
    const index = activeIndex(store, { cacheDir: opts.cacheDir, maxCatchUp: opts.maxCatchUp }, false);
    const source =
      index === undefined
        ? `${GROUP_KEY[groupBy]} AS k, count(*) FROM events WHERE global_position > ? AND global_position <= ?`
        : `${FACET_KEY[groupBy]} AS k, count(*) FROM ${index.schema}.${FACETS_TABLE} WHERE position > ? AND position <= ?`;
    const rows = prepared(
      store.db,
      `SELECT (recorded_at - CAST(? AS INTEGER)) / CAST(? AS INTEGER) AS b, ${source}
       AND recorded_at >= ? AND recorded_at <= ? GROUP BY b, k`,
    )
      .raw(true)
      .all(base, width, low, high, from, to) as [number, unknown, number][];

    const totals = new Array<number>(n).fill(0);
    const byKey = new Map<string | null, number[]>();
    for (const [b, rawKey, count] of rows) {
      if (b < 0 || b >= n) continue;
      const key = typeof rawKey === 'string' ? rawKey : rawKey === null || rawKey === undefined ? null : String(rawKey);
      let counts = byKey.get(key);
      if (counts === undefined) {
        counts = new Array<number>(n).fill(0);
        byKey.set(key, counts);
      }
      counts[b] = (counts[b] ?? 0) + count;
      totals[b] = (totals[b] ?? 0) + count;
    }
    const series = topSeries(byKey, maxSeries);
    const detection = detectSpikes(totals, k);
    const spikes: SpikeMark[] = detection.runs.map((run) => ({
      from: base + run.first * width,
      to: base + (run.last + 1) * width,
      count: run.sum,
      peak: run.peak,
      peakAt: base + run.peakIndex * width,
      score: run.score,
      topKey: topContributor(series, run.first, run.last),
    }));
    return {
      from,
      to,
      bucketMs: width,
      groupBy,
      buckets: totals.map((_, i) => base + i * width),
      totals,
      series,
      baseline: { median: detection.median, mad: detection.mad, threshold: detection.threshold },
      spikes,
    };
  } catch (error) {
    throw translateError(error, store.path);
  }
}

/** The largest series, the rest summed into one series with key null. */
function topSeries(byKey: Map<string | null, number[]>, maxSeries: number): ActivitySeries[] {
  const all = [...byKey.entries()].map(([key, counts]) => ({ key, counts, total: counts.reduce((a, b) => a + b, 0) }));
  all.sort((a, b) => b.total - a.total || String(a.key).localeCompare(String(b.key)));
  const named = all.filter((s) => s.key !== null);
  const keep =
    named.length + (byKey.has(null) ? 1 : 0) <= maxSeries ? named : named.slice(0, Math.max(0, maxSeries - 1));
  const rest = all.filter((s) => !keep.includes(s));
  if (rest.length === 0) return keep;
  const n = rest[0]!.counts.length;
  const counts = new Array<number>(n).fill(0);
  for (const s of rest) for (let i = 0; i < n; i++) counts[i]! += s.counts[i]!;
  return [...keep, { key: null, counts, total: counts.reduce((a, b) => a + b, 0) }];
}

/** The series whose count in buckets first..last exceeds its usual level (median per bucket) the most. */
function topContributor(series: ActivitySeries[], first: number, last: number): string | null {
  let best: string | null = null;
  let bestExcess = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    const usual = median(s.counts);
    let excess = 0;
    for (let i = first; i <= last; i++) excess += s.counts[i]! - usual;
    if (excess > bestExcess) {
      bestExcess = excess;
      best = s.key;
    }
  }
  return best;
}
