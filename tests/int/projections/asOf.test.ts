import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { asOfDir, readModelAsOf } from '../../../electron/core/projections/asOf';
import { queryReadModel } from '../../../electron/core/projections/query';
import { BUILTIN_PROJECTIONS } from '../../../electron/core/projections/registry';
import { attachedRuntime, attachReadModels, detachReadModels } from '../../../electron/core/projections/runtime';
import type { ReadModelRow } from '../../../electron/core/projections/types';
import { buildAsOfInWorker } from '../../../electron/core/projections/workers';
import type { EventStore } from '../../../electron/core/store/eventStore';
import { useTempDir } from '../../helpers/tempDir';
import { allEvents, copyPrefix, newStore, randomHistory, rng, rowsOf } from './helpers';

function asOfRows(
  store: EventStore,
  name: string,
  at: { time?: number; position?: number },
  opts: { cacheDir?: string; onProgress?: (d: number, t: number) => void } = {},
): { rows: ReadModelRow[]; position: number; time: number | null } {
  const projection = BUILTIN_PROJECTIONS.find((p) => p.name === name)!;
  const rows: ReadModelRow[] = [];
  let after: string | null = null;
  let asOf = { position: -1, time: null as number | null };
  for (;;) {
    const page = readModelAsOf(
      store,
      name,
      at,
      { sort: { column: projection.tables.primaryKey[0]!, dir: 'asc' }, limit: 7, after },
      opts,
    );
    asOf = page.asOf;
    rows.push(...page.rows);
    if (page.next === null) return { rows, ...asOf };
    after = page.next;
  }
}

describe('read models as of T', () => {
  const tempDir = useTempDir('hindsight-rm-asof-');

  it('equal the read models of a fresh store built from the prefix (by position and by time)', () => {
    const dir = tempDir();
    const cacheDir = path.join(dir, 'cache');
    const { store } = newStore(dir);
    attachReadModels(store, { cacheDir });
    const n = randomHistory(store, 21, 500);
    const events = allEvents(store);
    const random = rng(99);
    const positions = [0, 1, 2, n - 1, n, ...Array.from({ length: 4 }, () => random.int(3, n - 2))];
    const first = events[0]!.recordedAt;
    const last = events[n - 1]!.recordedAt;
    const times = [
      first - 1,
      first,
      events[100]!.recordedAt,
      last,
      last + 60_000,
      random.int(first, last),
      random.int(first, last),
    ];
    const cases: { at: { time?: number; position?: number }; prefix: number }[] = [
      ...positions.map((position) => ({ at: { position }, prefix: position })),
      ...times.map((time) => ({ at: { time }, prefix: events.filter((e) => e.recordedAt <= time).length })),
    ];
    for (const [i, { at, prefix }] of cases.entries()) {
      const fresh = copyPrefix(store, prefix, path.join(dir, `prefix-${i}.hindsight`));
      attachReadModels(fresh);
      for (const projection of BUILTIN_PROJECTIONS) {
        const got = asOfRows(store, projection.name, at);
        expect(got.position).toBe(prefix);
        if (at.time !== undefined) expect(got.time).toBe(at.time);
        else expect(got.time).toBe(prefix === 0 ? null : events[prefix - 1]!.recordedAt);
        expect(got.rows, `${projection.name} as of ${JSON.stringify(at)}`).toEqual(rowsOf(fresh.db, projection));
      }
      detachReadModels(fresh);
      fresh.close();
    }
    detachReadModels(store);
    store.close();
  });

  it('are cached by (projection, version, position), start from the nearest cached prefix, and at the head are the live read model', async () => {
    const dir = tempDir();
    const cacheDir = path.join(dir, 'cache');
    const { store } = newStore(dir);
    attachReadModels(store, { cacheDir });
    const n = randomHistory(store, 22, 400);
    const folder = asOfDir(path.resolve(cacheDir), store.storeId);

    const totals: number[] = [];
    const onProgress = (_done: number, total: number) => totals.push(total);
    const a = asOfRows(store, 'accounts', { position: 150 }, { onProgress });
    expect(totals.at(-1)).toBe(150);
    const files = fs.readdirSync(folder);
    expect(files).toEqual([expect.stringMatching(/^accounts-v1-[0-9a-f]{16}-150\.sqlite$/)]);
    const inode = fs.statSync(path.join(folder, files[0]!)).ino;

    totals.length = 0;
    expect(asOfRows(store, 'accounts', { position: 150 }, { onProgress }).rows).toEqual(a.rows);
    expect(totals).toEqual([]); // cached: nothing folded
    expect(fs.statSync(path.join(folder, files[0]!)).ino).toBe(inode);

    // A later prefix starts from the cached one: only the difference is folded.
    asOfRows(store, 'accounts', { position: 300 }, { onProgress });
    expect(totals.at(-1)).toBe(150);

    // At the head: the live read model answers, nothing is built.
    totals.length = 0;
    const atHead = readModelAsOf(store, 'accounts', { position: n }, { limit: 1000 }, { onProgress });
    expect(totals).toEqual([]);
    expect(atHead.rows).toEqual(queryReadModel(store, 'accounts', { limit: 1000 }).rows);
    expect(atHead.asOf.position).toBe(n);

    // Built in a worker: the main thread then only reads it.
    const built = await buildAsOfInWorker(store, 'streams', { position: 200 });
    expect(built.position).toBe(200);
    expect(fs.existsSync(built.file)).toBe(true);
    totals.length = 0;
    const page = readModelAsOf(store, 'streams', { position: 200 }, {}, { onProgress });
    expect(totals).toEqual([]);
    expect(page.asOf).toEqual({ position: 200, time: built.time });
    detachReadModels(store);
    store.close();
  });

  it('check their input: one of time or position, not both', () => {
    const { store } = newStore(tempDir());
    attachReadModels(store);
    randomHistory(store, 1, 20);
    expect(() => readModelAsOf(store, 'accounts', {})).toThrow(/either a time or a position/);
    expect(() => readModelAsOf(store, 'accounts', { time: 1, position: 1 })).toThrow(/either a time or a position/);
    expect(() => readModelAsOf(store, 'nope', { position: 1 })).toThrow(/no read model/);
    // A position beyond the head is the head.
    expect(readModelAsOf(store, 'accounts', { position: 10_000 }).asOf.position).toBe(store.head().position);
    expect(attachedRuntime(store)).toBeDefined();
    detachReadModels(store);
    store.close();
  });
});
