import * as fs from 'node:fs';
import * as path from 'node:path';
import { activityPerMinute } from '../../electron/core/investigate/activity';
import { correlationChain } from '../../electron/core/investigate/chain';
import { createDemoStore, type DemoResult } from '../../electron/core/investigate/demo';
import { exportSearch, searchEvents, searchHistogram } from '../../electron/core/investigate/search';
import { buildSearchIndex } from '../../electron/core/investigate/searchIndex';
import type { SearchFilters } from '../../electron/core/investigate/types';
import { EventStore } from '../../electron/core/store/eventStore';
import type { Bench, BenchContext } from './run';

/**
 * Investigation benchmarks on the demo store at BENCH_EVENTS events (default 1,000,000):
 * - creating the demo store (events/s), building the full-text index (events/s, bytes added to the file), and
 *   the same index in the private cache of a read-only opening;
 * - search latency, p50/p95 of a first page (100 events) with its total count, for filter shapes an
 *   investigator uses, beside baselines measured in the same run: the same question answered by a plain SQL
 *   scan (json_extract on metadata, LIKE on the JSON text) with no index;
 * - the histogram, a 10k-event export, a correlation chain, activity per minute over the whole store.
 * Figures only, no asserts.
 */

interface Stats {
  p50: number;
  p95: number;
}

function measure(runs: number, fn: (i: number) => void): Stats {
  const times: number[] = [];
  fn(0); // warm the statement cache and the page cache
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    p50: times[Math.floor(times.length / 2)]!,
    p95: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]!,
  };
}

function report(ctx: BenchContext, label: string, stats: Stats, note?: string): void {
  ctx.report(`${label} p50`, stats.p50, 'ms', note);
  ctx.report(`${label} p95`, stats.p95, 'ms');
}

function sizeOf(file: string): number {
  let size = 0;
  for (const suffix of ['', '-wal']) if (fs.existsSync(file + suffix)) size += fs.statSync(file + suffix).size;
  return size;
}

function searches(demo: DemoResult, sample: { correlationId: string; commandId: string }): [string, SearchFilters][] {
  const { incident } = demo;
  return [
    ['no filter (first page + count of all)', {}],
    [
      'actor + time window (the incident question)',
      { actors: [incident.actor], recordedFrom: incident.from, recordedTo: incident.to },
    ],
    ['type + category', { types: ['OrderRefunded'], category: 'order' }],
    ['common actor (web-shop)', { actors: ['web-shop'] }],
    ['rare actor (support:bob)', { actors: ['support:bob'] }],
    ['correlation id', { correlationId: sample.correlationId }],
    ['command id', { commandId: sample.commandId }],
    ['stream prefix', { streamPrefix: 'account-cust-0001' }],
    ['text, rare words ("duplicate charge")', { text: 'duplicate charge' }],
    ['text, common word (EUR)', { text: 'EUR' }],
    ['text, prefix (HEADPHONES*)', { text: 'HEADPHONES*' }],
    [
      'text + type + time window',
      { text: 'damaged', types: ['OrderRefunded'], recordedFrom: demo.from, recordedTo: demo.to },
    ],
  ];
}

const investigateBench: Bench = {
  name: 'investigate: demo store, full-text index, search, chain, activity',
  run(ctx) {
    const file = path.join(ctx.dir, 'demo.hindsight');
    let start = performance.now();
    const demo = createDemoStore(file, { events: ctx.events });
    let seconds = (performance.now() - start) / 1000;
    ctx.report('demo store: events written', demo.events, 'events', `${demo.commands} commands`);
    ctx.report(
      'demo store: create',
      seconds,
      's',
      `${Math.round(demo.events / seconds).toLocaleString('en-US')} events/s`,
    );
    const bareSize = sizeOf(file);
    ctx.report('demo store: file size', bareSize / 1e6, 'MB');

    const store = EventStore.open(file, { mode: 'read-write', quickCheck: false });
    try {
      start = performance.now();
      const built = buildSearchIndex(store);
      seconds = (performance.now() - start) / 1000;
      ctx.report(
        'full-text index: build in the store file',
        seconds,
        's',
        `${Math.round(built.indexed / seconds).toLocaleString('en-US')} events/s`,
      );
      store.db.pragma('wal_checkpoint(TRUNCATE)');
      ctx.report('full-text index: bytes added to the file', (sizeOf(file) - bareSize) / 1e6, 'MB');

      const sampleEvent = searchEvents(
        store,
        { actors: [demo.incident.actor], types: ['MoneyWithdrawn'] },
        { limit: 1 },
      ).items[0]!;
      const sample = {
        correlationId: sampleEvent.metadata.correlation_id as string,
        commandId: sampleEvent.metadata.command_id as string,
      };
      for (const [label, filters] of searches(demo, sample)) {
        let total = 0;
        const stats = measure(15, () => {
          total = searchEvents(store, filters, { limit: 100 }).total ?? 0;
        });
        report(ctx, `search: ${label}`, stats, `${total.toLocaleString('en-US')} matches`);
      }
      report(
        ctx,
        'search: next page of a common actor (no count)',
        measure(15, (i) => {
          searchEvents(store, { actors: ['web-shop'] }, { limit: 100, after: 1 + i * 50_000, count: false });
        }),
      );

      // Baselines: the same questions by a plain scan, no index.
      const db = store.db;
      const baselineActor = db.prepare(
        "SELECT count(*) FROM events WHERE json_extract(metadata, '$.actor') = ? AND recorded_at BETWEEN ? AND ?",
      );
      report(
        ctx,
        'baseline: actor + time window by json_extract scan',
        measure(3, () => baselineActor.pluck().get(demo.incident.actor, demo.incident.from, demo.incident.to)),
      );
      const baselineCorrelation = db.prepare(
        "SELECT count(*) FROM events WHERE json_extract(metadata, '$.correlation_id') = ?",
      );
      report(
        ctx,
        'baseline: correlation id by json_extract scan',
        measure(3, () => baselineCorrelation.pluck().get(sample.correlationId)),
      );
      const baselineText = db.prepare('SELECT count(*) FROM events WHERE data LIKE ? OR metadata LIKE ?');
      report(
        ctx,
        'baseline: "duplicate charge" by LIKE scan',
        measure(3, () => baselineText.pluck().get('%duplicate charge%', '%duplicate charge%')),
      );

      report(
        ctx,
        'histogram (100 buckets) of a text search',
        measure(10, () => searchHistogram(store, { text: 'refund*' }, 100)),
      );
      report(
        ctx,
        'histogram (200 buckets) of everything',
        measure(3, () => searchHistogram(store, {}, 200)),
      );
      let exported = 0;
      report(
        ctx,
        'export JSONL: all refunds and corrections',
        measure(2, () => {
          exported = exportSearch(store, { types: ['OrderRefunded', 'BalanceAdjusted'] }, 'jsonl', () => {}).exported;
        }),
        `${exported.toLocaleString('en-US')} events`,
      );
      let nodes = 0;
      report(
        ctx,
        'correlation chain of a double charge (with state changes)',
        measure(10, () => {
          nodes = correlationChain(store, { eventId: sampleEvent.eventId }).events;
        }),
        `${nodes} events`,
      );
      for (const groupBy of ['type', 'actor', 'category'] as const) {
        let buckets = 0;
        const stats = measure(3, () => {
          buckets = activityPerMinute(store, { groupBy }).buckets.length;
        });
        report(ctx, `activity per minute, whole store, by ${groupBy}`, stats, `${buckets} buckets`);
      }
    } finally {
      store.close();
    }

    // Read-only (evidence): the same index in a private cache.
    const readOnly = EventStore.open(file, { mode: 'read-only', quickCheck: false });
    try {
      const cacheDir = path.join(ctx.dir, 'cache');
      start = performance.now();
      const built = buildSearchIndex(readOnly, { cacheDir });
      seconds = (performance.now() - start) / 1000;
      ctx.report(
        'read-only: full-text index in the private cache',
        seconds,
        's',
        `${Math.round(built.indexed / seconds).toLocaleString('en-US')} events/s`,
      );
      report(
        ctx,
        'read-only: text + actor search (attached cache)',
        measure(10, () =>
          searchEvents(readOnly, { text: 'duplicate charge', actors: ['support:alice'] }, { cacheDir }),
        ),
      );
    } finally {
      readOnly.close();
    }
  },
};

export const investigateBenches: Bench[] = [investigateBench];
