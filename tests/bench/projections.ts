import * as path from 'node:path';
import { executeCommand } from '../../electron/core/commands/bus';
import { createDemoStore } from '../../electron/core/investigate/demo';
import { readModelAsOf } from '../../electron/core/projections/asOf';
import { queryReadModel } from '../../electron/core/projections/query';
import { rebuildReadModels } from '../../electron/core/projections/rebuild';
import { BUILTIN_PROJECTIONS } from '../../electron/core/projections/registry';
import { attachReadModels, detachReadModels } from '../../electron/core/projections/runtime';
import { buildAsOfInWorker, rebuildInWorker } from '../../electron/core/projections/workers';
import { EventStore } from '../../electron/core/store/eventStore';
import type { Bench, BenchContext } from './run';

/**
 * Read-model benchmarks (docs/read-models.md quotes them), on the demo store at BENCH_EVENTS events:
 * - rebuild of all built-in read models, and of each one alone, against a baseline measured in the same run:
 *   raw better-sqlite3 iterate + JSON.parse (data and metadata) of the same event rows. Ratio = baseline time /
 *   rebuild time (goal ≥ 0.5). Wall time and this process's CPU time (the machine may be shared);
 * - the `rebuild` job in a worker while the main thread answers: event-loop lateness of a 10 ms timer, and the
 *   round trip of a trivial store query (head + one page of a read model) every 20 ms, as an IPC handler
 *   would run it (goal < 50 ms);
 * - a read model "as of" the middle of the log: built from 0, read again from the cache, moved forward, and
 *   built in a worker;
 * - queries: a keyset page of 100 rows (first page, 50th page), with the count;
 * - the cost of inline read models on commands (commands per second with and without them).
 */

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function measure<T>(fn: () => T): { value: T; wall: number; cpu: number } {
  const wall = performance.now();
  const cpu = cpuMs();
  const value = fn();
  return { value, wall: performance.now() - wall, cpu: cpuMs() - cpu };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Raw iterate + JSON.parse of every event row: what any rebuild must at least do. */
function baseline(store: EventStore): number {
  let n = 0;
  const rows = store.db
    .prepare(
      'SELECT global_position, event_id, stream_id, stream_version, event_type, schema_version, data, metadata, recorded_at, occurred_at, hash FROM events ORDER BY global_position',
    )
    .raw(true)
    .iterate() as IterableIterator<unknown[]>;
  for (const row of rows) {
    const data = JSON.parse(row[6] as string) as unknown;
    const metadata = JSON.parse(row[7] as string) as unknown;
    if (data !== undefined && metadata !== undefined) n++;
  }
  return n;
}

function demoStore(ctx: BenchContext): string {
  const file = path.join(ctx.dir, 'demo.hindsight');
  const made = measure(() => createDemoStore(file, { events: ctx.events }));
  ctx.report('demo store created', made.wall / 1000, 's', `${made.value.events.toLocaleString('en-US')} events`);
  return file;
}

const rebuildBench: Bench = {
  name: 'read models: rebuild vs raw iterate + JSON.parse',
  async run(ctx) {
    const file = demoStore(ctx);
    const store = EventStore.open(file, { mode: 'read-write', quickCheck: false });
    try {
      const events = store.head().position;
      // Scratch and "as of" databases go to the bench's own folder (removed afterwards).
      attachReadModels(store, { maxCatchUp: 0, cacheDir: path.join(ctx.dir, 'cache') });
      baseline(store); // warm the page cache
      const base = measure(() => baseline(store));
      ctx.report('baseline: iterate + JSON.parse', base.wall, 'ms', `${Math.round(base.cpu)} ms CPU`);
      const all = measure(() => rebuildReadModels(store));
      ctx.report('rebuild all 6 read models (in-process)', all.wall, 'ms', `${Math.round(all.cpu)} ms CPU`);
      ctx.report('  ratio baseline / rebuild (wall)', base.wall / all.wall, '×', 'goal ≥ 0.5');
      ctx.report('  ratio baseline / rebuild (CPU)', base.cpu / all.cpu, '×');
      ctx.report('  events per second', (events / all.wall) * 1000, 'ev/s');
      for (const projection of BUILTIN_PROJECTIONS) {
        const b = measure(() => baseline(store));
        const one = measure(() => rebuildReadModels(store, { names: [projection.name] }));
        ctx.report(
          `rebuild ${projection.name} alone: ratio (wall / CPU)`,
          b.wall / one.wall,
          '×',
          `${(b.cpu / one.cpu).toFixed(2)}× CPU, ${Math.round(one.wall)} ms`,
        );
      }

      // The rebuild job (the default: one worker here, parallel groups only with 4+ cores) while the main
      // thread keeps answering; then groups forced onto parallel workers, for comparison.
      const lateness: number[] = [];
      const roundTrips: number[] = [];
      let expected = performance.now() + 10;
      const tick = setInterval(() => {
        const now = performance.now();
        lateness.push(Math.max(0, now - expected));
        expected = now + 10;
      }, 10);
      const query = setInterval(() => {
        const start = performance.now();
        store.head();
        queryReadModel(store, 'accounts', { limit: 50, count: false });
        roundTrips.push(performance.now() - start);
      }, 20);
      const job = performance.now();
      await rebuildInWorker(store);
      const jobMs = performance.now() - job;
      clearInterval(tick);
      clearInterval(query);
      ctx.report(
        'rebuild job in a worker (all 6, default)',
        jobMs,
        'ms',
        `ratio ${(base.wall / jobMs).toFixed(2)}× vs baseline`,
      );
      ctx.report('  main thread: timer lateness p50', percentile(lateness, 50), 'ms');
      ctx.report('  main thread: timer lateness p99', percentile(lateness, 99), 'ms');
      ctx.report('  main thread: timer lateness max', Math.max(0, ...lateness), 'ms', 'goal < 50');
      ctx.report(
        '  main thread: store query round trip p50',
        percentile(roundTrips, 50),
        'ms',
        `${roundTrips.length} queries`,
      );
      ctx.report('  main thread: store query round trip p99', percentile(roundTrips, 99), 'ms');
      ctx.report('  main thread: store query round trip max', Math.max(0, ...roundTrips), 'ms', 'goal < 50');
      const parallel = performance.now();
      await rebuildInWorker(store, { parallel: 2 });
      const parallelMs = performance.now() - parallel;
      ctx.report(
        'rebuild job, 2 parallel groups (forced)',
        parallelMs,
        'ms',
        `ratio ${(base.wall / parallelMs).toFixed(2)}× vs baseline`,
      );

      // Queries on the live read models.
      const first = measure(() =>
        queryReadModel(store, 'streams', { sort: { column: 'last_at', dir: 'desc' }, limit: 100 }),
      );
      ctx.report('query streams: first page of 100 + count', first.wall, 'ms', `${first.value.total} rows`);
      let after = first.value.next;
      for (let i = 1; i < 49 && after !== null; i++) {
        after = queryReadModel(store, 'streams', {
          sort: { column: 'last_at', dir: 'desc' },
          limit: 100,
          after,
          count: false,
        }).next;
      }
      const fiftieth = measure(() =>
        queryReadModel(store, 'streams', { sort: { column: 'last_at', dir: 'desc' }, limit: 100, after, count: false }),
      );
      ctx.report('query streams: 50th page of 100 (keyset)', fiftieth.wall, 'ms');
      const filtered = measure(() =>
        queryReadModel(store, 'orders', {
          sort: { column: 'total', dir: 'desc' },
          filters: [{ column: 'status', op: 'eq', value: 'refunded' }],
          limit: 100,
        }),
      );
      ctx.report(
        'query orders: status = refunded by total, + count',
        filtered.wall,
        'ms',
        `${filtered.value.total} rows`,
      );

      // As of the middle of the log.
      const middle = Math.floor(events / 2);
      for (const name of ['accounts', 'streams']) {
        const cold = measure(() => readModelAsOf(store, name, { position: middle }, { limit: 100 }));
        ctx.report(`as of position ${middle}: ${name}, built`, cold.wall, 'ms', `${cold.value.total} rows`);
        const warm = measure(() => readModelAsOf(store, name, { position: middle }, { limit: 100 }));
        ctx.report(`as of position ${middle}: ${name}, cached`, warm.wall, 'ms');
        const forward = measure(() => readModelAsOf(store, name, { position: middle + 1000 }, { limit: 100 }));
        ctx.report(`as of position ${middle + 1000}: ${name}, from the cached one`, forward.wall, 'ms');
      }
      const inWorker = performance.now();
      await buildAsOfInWorker(store, 'orders', { position: middle });
      ctx.report(`as of position ${middle}: orders, built in a worker`, performance.now() - inWorker, 'ms');
      detachReadModels(store);
    } finally {
      store.close();
    }
  },
};

const inlineBench: Bench = {
  name: 'read models: cost of inline folding on commands',
  run(ctx) {
    const count = Number(process.env.BENCH_COMMANDS ?? 2000);
    const rates: Record<string, number> = {};
    for (const inline of [false, true]) {
      const store = EventStore.create(path.join(ctx.dir, `inline-${inline}.hindsight`), { createdBy: 'bench' });
      try {
        if (inline) attachReadModels(store, { cacheDir: path.join(ctx.dir, 'cache') });
        for (let a = 0; a < 50; a++) {
          executeCommand(store, {
            commandType: 'OpenAccount',
            payload: { accountId: `a${a}`, owner: `O ${a}`, currency: 'EUR' },
            actor: 'bench',
          });
        }
        const start = performance.now();
        for (let i = 0; i < count; i++) {
          executeCommand(store, {
            commandType: 'DepositMoney',
            payload: { accountId: `a${i % 50}`, amount: 1 + (i % 100) },
            actor: 'bench',
          });
        }
        rates[String(inline)] = count / ((performance.now() - start) / 1000);
        if (inline) detachReadModels(store);
      } finally {
        store.close();
      }
    }
    ctx.report('commands/s without read models', rates.false!, 'cmd/s');
    ctx.report(
      'commands/s with 6 inline read models',
      rates.true!,
      'cmd/s',
      `${(rates.true! / rates.false!).toFixed(2)}×`,
    );
  },
};

export const projectionBenches: Bench[] = [rebuildBench, inlineBench];
