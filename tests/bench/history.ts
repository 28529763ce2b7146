import * as path from 'node:path';
import {
  clearSnapshots,
  type HistoryCache,
  openHistoryCache,
  snapshotStoreFor,
} from '../../electron/core/history/snapshots';
import { stateAt } from '../../electron/core/history/stateAt';
import { timeline } from '../../electron/core/history/timeline';
import { valueSeries } from '../../electron/core/history/valueSeries';
import { EventStore } from '../../electron/core/store/eventStore';
import type { NewEvent } from '../../electron/core/store/types';
import type { Bench, BenchContext } from './run';

/**
 * History benchmarks (docs/reconstruction.md quotes them):
 * - state of a 100k-event stream at a random time ("as known at", "as it happened") and version, p50/p95,
 *   without snapshots (a full fold) and with them, on a store of BENCH_EVENTS events;
 * - the snapshot interval sweep that chose SNAPSHOT_INTERVAL: build cost, size, p50/p95 per interval;
 * - timeline first-page latency; a value series over the whole stream; a read-only store with its private cache.
 * Figures only, no asserts.
 */

const DOMAIN_STREAM = 'account-big';
const GENERIC_STREAM = 'sensor-big';

interface BigStore {
  file: string;
  streamEvents: number;
  firstRecordedAt: number;
  lastRecordedAt: number;
}

function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A store of `total` events: two big streams (a domain one and a generic one) of min(100k, total/4) events
 * each, interleaved with filler streams of 50 events. 1% of the big streams' events are backdated (occurred
 * up to a day before they were recorded).
 */
function buildStore(ctx: BenchContext): BigStore {
  const total = ctx.events;
  const streamEvents = Math.min(100_000, Math.floor(total / 4));
  const file = path.join(ctx.dir, 'history.hindsight');
  const store = EventStore.create(file, { createdBy: 'bench' });
  const random = mulberry(42);
  const step = 1000;
  const base = Date.now() - (total + 100) * step;
  let t = base;
  let balance = 0;
  let domainCount = 0;
  let genericCount = 0;
  let filler = 0;
  const started = performance.now();
  const bigShare = (2 * streamEvents) / total;
  const backdate = (at: number) => (random() < 0.01 ? at - Math.floor(random() * 86_400_000) : at);
  let written = 0;
  while (written < total) {
    store.transaction(() => {
      for (let batch = 0; batch < 200 && written < total; batch++) {
        const pickBig = random() < bigShare || filler >= total - 2 * streamEvents;
        if (pickBig && (domainCount < streamEvents || genericCount < streamEvents)) {
          if (domainCount < streamEvents && (genericCount >= streamEvents || random() < 0.5)) {
            const events: NewEvent[] = [];
            for (let i = 0; i < 5 && domainCount < streamEvents; i++) {
              t += step;
              let event: NewEvent;
              if (domainCount === 0) {
                event = { type: 'AccountOpened', data: { accountId: 'big', owner: 'Big Account', currency: 'EUR' } };
              } else if (balance > 0 && random() < 0.4) {
                const amount = 1 + Math.floor(random() * balance);
                balance -= amount;
                event = {
                  type: 'MoneyWithdrawn',
                  data: { accountId: 'big', amount, currency: 'EUR', balanceAfter: balance },
                  metadata: { actor: random() < 0.5 ? 'alice' : 'bob' },
                };
              } else {
                const amount = 1 + Math.floor(random() * 10_000);
                balance += amount;
                event = {
                  type: 'MoneyDeposited',
                  data: { accountId: 'big', amount, currency: 'EUR', balanceAfter: balance },
                  metadata: { actor: random() < 0.5 ? 'alice' : 'carol' },
                };
              }
              events.push({ ...event, recordedAt: t, occurredAt: backdate(t) });
              domainCount++;
            }
            store.append(DOMAIN_STREAM, events);
            written += events.length;
          } else {
            const events: NewEvent[] = [];
            for (let i = 0; i < 5 && genericCount < streamEvents; i++) {
              t += step;
              genericCount++;
              events.push({
                type: genericCount === 1 ? 'SensorInstalled' : 'ReadingTaken',
                data:
                  genericCount === 1
                    ? { name: 'big', location: { room: 'lab', floor: 2 }, readings: 0 }
                    : { temperature: Math.round(150 + random() * 100) / 10, readings: genericCount, last: { at: t } },
                recordedAt: t,
                occurredAt: backdate(t),
              });
            }
            store.append(GENERIC_STREAM, events);
            written += events.length;
          }
        } else {
          const events: NewEvent[] = [];
          const stream = `item-${Math.floor(filler / 50)}`;
          for (let i = 0; i < 10 && written + events.length < total; i++) {
            t += step;
            events.push({ type: 'ItemTouched', data: { n: filler, flag: random() < 0.5 }, recordedAt: t });
            filler++;
          }
          store.append(stream, events);
          written += events.length;
        }
      }
    });
  }
  const info = store.info();
  ctx.report(
    'store built',
    info.events,
    'events',
    `${((performance.now() - started) / 1000).toFixed(1)} s, ${info.streams} streams`,
  );
  store.close();
  return { file, streamEvents: Math.min(domainCount, genericCount), firstRecordedAt: base + step, lastRecordedAt: t };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function measure(samples: number, fn: (i: number) => void): { p50: number; p95: number; mean: number } {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    fn(i);
    times.push(performance.now() - start);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    mean: times.reduce((a, b) => a + b, 0) / times.length,
  };
}

function reportLatency(ctx: BenchContext, label: string, m: { p50: number; p95: number }, note?: string): void {
  ctx.report(`${label} p50`, m.p50, 'ms', note);
  ctx.report(`${label} p95`, m.p95, 'ms', note);
}

function snapshotBytes(store: EventStore): number {
  const row = store.db.prepare('SELECT coalesce(sum(length(state)), 0) FROM snapshots').pluck().get() as number;
  return row;
}

export const historyBenches: Bench[] = [
  {
    name: 'history: state at a time, timeline, value series',
    run(ctx) {
      const big = buildStore(ctx);
      const store = EventStore.open(big.file, { mode: 'read-write' });
      const streamStart = store.readStream(DOMAIN_STREAM, { limit: 1 })[0]!.recordedAt;
      const streamEnd = store.getStream(DOMAIN_STREAM)!.updatedAt;
      const random = mulberry(7);
      const randomTime = () => Math.floor(streamStart + random() * (streamEnd - streamStart));
      const randomVersion = () => 1 + Math.floor(random() * big.streamEvents);
      ctx.report('events in each big stream', big.streamEvents, 'events');

      // Without snapshots: a full fold per call.
      for (const streamId of [DOMAIN_STREAM, GENERIC_STREAM]) {
        const cold = measure(15, () => stateAt(store, streamId, { recordedAt: randomTime(), snapshots: false }));
        reportLatency(ctx, `${streamId} known-at, no snapshots`, cold, '15 samples');
      }

      // The interval sweep (domain stream, "as known at").
      for (const interval of [100, 250, 500, 1000, 2000, 5000]) {
        clearSnapshots(store);
        const buildStart = performance.now();
        stateAt(store, DOMAIN_STREAM, { snapshotInterval: interval });
        const build = performance.now() - buildStart;
        const m = measure(300, () =>
          stateAt(store, DOMAIN_STREAM, { recordedAt: randomTime(), snapshotInterval: interval }),
        );
        const count = snapshotStoreFor(store)!.count(DOMAIN_STREAM);
        ctx.report(
          `interval ${interval}: known-at p50 / p95`,
          m.p50,
          'ms',
          `p95 ${m.p95.toFixed(2)} ms; build ${build.toFixed(0)} ms; ${count} snapshots, ${(snapshotBytes(store) / 1024).toFixed(0)} KiB`,
        );
      }

      // The chosen interval: every kind of question, both reducers.
      clearSnapshots(store);
      for (const streamId of [DOMAIN_STREAM, GENERIC_STREAM]) {
        const buildStart = performance.now();
        stateAt(store, streamId);
        ctx.report(`${streamId} first read (builds snapshots)`, performance.now() - buildStart, 'ms');
        reportLatency(
          ctx,
          `${streamId} known-at (snapshots)`,
          measure(300, () => stateAt(store, streamId, { recordedAt: randomTime() })),
        );
        reportLatency(
          ctx,
          `${streamId} version (snapshots)`,
          measure(300, () => stateAt(store, streamId, { version: randomVersion() })),
        );
        const indexStart = performance.now();
        stateAt(store, streamId, { occurredAt: randomTime() });
        ctx.report(`${streamId} first as-occurred read (builds occurred index)`, performance.now() - indexStart, 'ms');
        reportLatency(
          ctx,
          `${streamId} as-occurred (snapshots)`,
          measure(100, () => stateAt(store, streamId, { occurredAt: randomTime() })),
        );
        reportLatency(
          ctx,
          `${streamId} bitemporal (snapshots)`,
          measure(100, () => {
            const a = randomTime();
            const b = randomTime();
            stateAt(store, streamId, { recordedAt: Math.max(a, b), occurredAt: Math.min(a, b) });
          }),
        );
      }

      // Timeline pages.
      for (const streamId of [DOMAIN_STREAM, GENERIC_STREAM]) {
        reportLatency(
          ctx,
          `${streamId} timeline page 1 (100 entries)`,
          measure(20, () => timeline(store, streamId, { limit: 100 })),
        );
        reportLatency(
          ctx,
          `${streamId} timeline page at random version (100)`,
          measure(50, () => timeline(store, streamId, { afterVersion: randomVersion(), limit: 100 })),
        );
      }
      reportLatency(
        ctx,
        `${DOMAIN_STREAM} timeline, types filter, random start`,
        measure(20, () =>
          timeline(store, DOMAIN_STREAM, { afterVersion: randomVersion(), limit: 100, types: ['MoneyWithdrawn'] }),
        ),
      );

      // A value series over the whole stream.
      const seriesStart = performance.now();
      const series = valueSeries(store, DOMAIN_STREAM, 'balance');
      ctx.report(
        `${DOMAIN_STREAM} value series (balance)`,
        performance.now() - seriesStart,
        'ms',
        `${series.totalPoints} → ${series.points.length} points`,
      );
      store.close();

      // Read-only with the private cache.
      const readOnly = EventStore.open(big.file, { mode: 'read-only' });
      const cache: HistoryCache = openHistoryCache(path.join(ctx.dir, 'cache'), readOnly.storeId);
      try {
        const buildStart = performance.now();
        stateAt(readOnly, DOMAIN_STREAM, { cache });
        ctx.report('read-only: first read (builds private cache)', performance.now() - buildStart, 'ms');
        reportLatency(
          ctx,
          'read-only known-at (private cache)',
          measure(300, () => stateAt(readOnly, DOMAIN_STREAM, { recordedAt: randomTime(), cache })),
        );
      } finally {
        cache.close();
        readOnly.close();
      }
    },
  },
];
