import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { activityPerMinute } from '../../../electron/core/investigate/activity';
import { DemoRandom } from '../../../electron/core/investigate/demoRandom';
import { buildSearchIndex } from '../../../electron/core/investigate/searchIndex';
import { EventStore } from '../../../electron/core/store/eventStore';
import type { NewEvent } from '../../../electron/core/store/types';
import { useTempDir } from '../../helpers/tempDir';
import { allEvents, randomStore } from './helpers';

// biome-ignore lint/correctness/useHookAtTopLevel: a vitest helper (it registers an afterEach), not a React hook
const tempDir = useTempDir('hindsight-activity-');

const MINUTE = 60_000;
const START = Date.UTC(2026, 1, 2);

/** A day of steady traffic (a few events a minute) with a burst of `burst` events in minute 600. */
function steadyDayWithBurst(dir: string, burst: number): EventStore {
  const store = EventStore.create(path.join(dir, 'steady.hindsight'));
  const r = new DemoRandom(5);
  store.transaction(() => {
    for (let minute = 0; minute < 24 * 60; minute++) {
      const n = minute === 600 ? burst : r.int(2, 5);
      const events: NewEvent[] = [];
      for (let i = 0; i < n; i++) {
        events.push({
          type: minute === 600 ? 'MoneyWithdrawn' : r.pick(['OrderPlaced', 'OrderPaid']),
          data: { i },
          metadata: {
            actor: minute === 600 ? 'payments-worker@2.4.0-rc1' : r.pick(['web-shop', 'payments-worker@2.3.0']),
          },
          recordedAt: START + minute * MINUTE + Math.floor((i * MINUTE) / (n + 1)),
        });
      }
      store.append(r.pick(['order-1', 'order-2', 'account-1']), events);
    }
  });
  return store;
}

describe('activityPerMinute', () => {
  it('buckets sum to the number of events in the range, for every grouping', () => {
    const store = randomStore(tempDir(), 21, 800);
    const events = allEvents(store);
    for (const groupBy of ['type', 'actor', 'category'] as const) {
      const all = activityPerMinute(store, { groupBy });
      expect(all.totals.reduce((a, b) => a + b, 0)).toBe(events.length);
      for (const series of all.series) expect(series.counts.length).toBe(all.buckets.length);
      const seriesSum = all.series.reduce((sum, s) => sum + s.total, 0);
      expect(seriesSum).toBe(events.length);
      for (let i = 0; i < all.buckets.length; i++) {
        expect(all.series.reduce((sum, s) => sum + s.counts[i]!, 0)).toBe(all.totals[i]);
      }
      // A window: exactly the events recorded in it.
      const from = events[100]!.recordedAt;
      const to = events[600]!.recordedAt;
      const window = activityPerMinute(store, { groupBy, from, to });
      const inWindow = events.filter((e) => e.recordedAt >= from && e.recordedAt <= to).length;
      expect(window.totals.reduce((a, b) => a + b, 0)).toBe(inWindow);
    }
    // With an up-to-date search index, the same figures come from its narrow facet table.
    const before = (['type', 'actor', 'category'] as const).map((groupBy) => activityPerMinute(store, { groupBy }));
    buildSearchIndex(store);
    const after = (['type', 'actor', 'category'] as const).map((groupBy) => activityPerMinute(store, { groupBy }));
    expect(after).toEqual(before);
    store.close();
  });

  it('uses one-minute buckets when they fit and widens them to stay under maxPoints', () => {
    const store = steadyDayWithBurst(tempDir(), 10);
    const day = activityPerMinute(store, { groupBy: 'type' });
    expect(day.bucketMs).toBe(MINUTE);
    expect(day.buckets.length).toBe(24 * 60);
    expect(day.buckets[0]).toBe(START);
    const coarse = activityPerMinute(store, { groupBy: 'type', maxPoints: 100 });
    expect(coarse.bucketMs).toBe(15 * MINUTE);
    expect(coarse.buckets.length).toBeLessThanOrEqual(100);
    expect(coarse.totals.reduce((a, b) => a + b, 0)).toBe(day.totals.reduce((a, b) => a + b, 0));
    store.close();
  });

  it('marks a planted spike, and names the series that caused it', () => {
    const store = steadyDayWithBurst(tempDir(), 120);
    const activity = activityPerMinute(store, { groupBy: 'actor' });
    expect(activity.spikes).toHaveLength(1);
    expect(activity.spikes[0]).toMatchObject({
      from: START + 600 * MINUTE,
      to: START + 601 * MINUTE,
      count: 120,
      peak: 120,
      peakAt: START + 600 * MINUTE,
      topKey: 'payments-worker@2.4.0-rc1',
    });
    expect(activity.baseline.threshold).toBeLessThan(120);
    const quiet = steadyDayWithBurst(tempDir(), 4);
    expect(activityPerMinute(quiet, { groupBy: 'type' }).spikes).toEqual([]);
    quiet.close();
    store.close();
  });

  it('keeps the largest series and sums the rest as "other" (key null)', () => {
    const store = randomStore(tempDir(), 22, 300);
    const activity = activityPerMinute(store, { groupBy: 'type', maxSeries: 3 });
    expect(activity.series).toHaveLength(3);
    expect(activity.series[2]!.key).toBeNull();
    expect(activity.series[0]!.total).toBeGreaterThanOrEqual(activity.series[1]!.total);
    expect(activity.series.reduce((sum, s) => sum + s.total, 0)).toBe(300);
    store.close();
  });

  it('handles an empty store and checks its options', () => {
    const store = EventStore.create(path.join(tempDir(), 'empty.hindsight'));
    expect(activityPerMinute(store, { groupBy: 'type' })).toMatchObject({ buckets: [], totals: [], spikes: [] });
    expect(() => activityPerMinute(store, { groupBy: 'nope' as 'type' })).toThrow(/groupBy/);
    expect(() => activityPerMinute(store, { groupBy: 'type', maxPoints: 0 })).toThrow(/maxPoints/);
    store.close();
  });
});
