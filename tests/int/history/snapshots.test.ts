import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineEventType } from '../../../electron/core/history/eventTypes';
import {
  attachHistoryCache,
  clearSnapshots,
  HISTORY_CACHE_TABLES,
  openHistoryCache,
  snapshotStoreFor,
} from '../../../electron/core/history/snapshots';
import { stateAt } from '../../../electron/core/history/stateAt';
import { timeline } from '../../../electron/core/history/timeline';
import { buildSnapshots, foldCost } from '../../../electron/core/history/warm';
import { EventStore } from '../../../electron/core/store/eventStore';
import { useTempDir } from '../../helpers/tempDir';
import { accountEvents, appendAll, clock, createStore, MINUTE, rng, T0 } from './helpers';

const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

function tables(store: EventStore): string[] {
  return store.db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[];
}

function counterEvents(n: number, now = clock()): { type: string; data: unknown; recordedAt: number }[] {
  return Array.from({ length: n }, (_, i) => ({ type: 'Counted', data: { by: 1, last: i + 1 }, recordedAt: now() }));
}

describe('snapshots', () => {
  const tempDir = useTempDir('hindsight-snapshots-');

  it('are written lazily by reads, into the file of a read-write store, and used by later reads', () => {
    const store = createStore(tempDir());
    appendAll(store, 'account-a', accountEvents('a', 1200, rng(3), clock()), 400);
    expect(tables(store)).not.toContain('snapshots');
    const first = stateAt(store, 'account-a', { version: 1100 });
    expect(first).toMatchObject({ fromSnapshot: false, eventsFolded: 1100 });
    expect(tables(store)).toEqual(expect.arrayContaining([...HISTORY_CACHE_TABLES]));
    const versions = store.db.prepare('SELECT version FROM snapshots ORDER BY version').pluck().all();
    expect(versions).toEqual([500, 1000]);
    const second = stateAt(store, 'account-a', { version: 1100 });
    expect(second).toMatchObject({ fromSnapshot: true, snapshotVersion: 1000, eventsFolded: 100 });
    expect(second.state).toEqual(first.state);
    // A timeline page far into the stream also starts from a snapshot, and builds the ones it passes.
    clearSnapshots(store);
    expect(snapshotStoreFor(store)!.count()).toBe(0);
    timeline(store, 'account-a', { afterVersion: 1150, limit: 10 });
    expect(store.db.prepare('SELECT version FROM snapshots ORDER BY version').pluck().all()).toEqual([500, 1000]);
    store.close();
  });

  it('foldCost tells how much a read would fold; buildSnapshots builds them all with progress and cancel', () => {
    const store = createStore(tempDir());
    appendAll(store, 'account-a', accountEvents('a', 2600, rng(4), clock()), 1300);
    expect(foldCost(store, 'account-a')).toBe(2600);
    expect(foldCost(store, 'account-a', { version: 10 })).toBe(10);
    const progress: number[] = [];
    expect(() =>
      buildSnapshots(store, 'account-a', {
        snapshotInterval: 100,
        signal: {
          get aborted() {
            return progress.length >= 1;
          },
        },
        onProgress: (done) => progress.push(done),
      }),
    ).toThrow(/cancelled/);
    expect(snapshotStoreFor(store)!.count('account-a')).toBe(10);
    progress.length = 0;
    expect(
      buildSnapshots(store, 'account-a', { snapshotInterval: 100, onProgress: (done) => progress.push(done) }),
    ).toBe(2600);
    expect(progress).toEqual([1000, 2000, 2600]);
    expect(snapshotStoreFor(store)!.count('account-a')).toBe(26);
    expect(foldCost(store, 'account-a')).toBe(0);
    expect(foldCost(store, 'account-a', { version: 2550 })).toBe(50);
    expect(foldCost(store, 'account-a', { snapshots: false })).toBe(2600);
    store.close();
  });

  it('a changed rule set changes the reducer key, so snapshots of the old rules are never served', () => {
    const store = createStore(tempDir());
    appendAll(store, 'counter-1', counterEvents(30), 30);
    const before = stateAt(store, 'counter-1', { snapshotInterval: 10 });
    expect(plain(before.state)).toEqual({ by: 1, last: 30 });
    expect(stateAt(store, 'counter-1', { snapshotInterval: 10 })).toMatchObject({
      fromSnapshot: true,
      snapshotVersion: 30,
    });

    defineEventType(store, { eventType: 'Counted', rules: [{ op: 'increment', path: 'total', from: 'by' }] });
    const after = stateAt(store, 'counter-1', { snapshotInterval: 10 });
    expect(after.reducerKey).not.toBe(before.reducerKey);
    expect(after.fromSnapshot).toBe(false);
    expect(plain(after.state)).toEqual({ total: 30 });
    // The old key's snapshots were dropped when the new ones were written.
    const keys = store.db.prepare('SELECT DISTINCT reducer_key FROM snapshots').pluck().all();
    expect(keys).toEqual([after.reducerKey]);
    // Changing only the rules' text (another rule) changes the key again.
    defineEventType(store, { eventType: 'Counted', rules: [{ op: 'increment', path: 'total', by: 2 }] });
    const again = stateAt(store, 'counter-1', { snapshotInterval: 10 });
    expect(again.reducerKey).not.toBe(after.reducerKey);
    expect(plain(again.state)).toEqual({ total: 60 });
    store.close();
  });

  it('a snapshot written under another reducer key is not used even if it sits at the right version', () => {
    const store = createStore(tempDir());
    appendAll(store, 'counter-1', counterEvents(20), 20);
    const real = stateAt(store, 'counter-1', { snapshotInterval: 10 });
    store.db.prepare("UPDATE snapshots SET reducer_key = 'generic@0:old', state = '{\"stale\":true}'").run();
    const next = stateAt(store, 'counter-1', { snapshotInterval: 1000 });
    expect(next.fromSnapshot).toBe(false);
    expect(plain(next.state)).toEqual(plain(real.state));
    store.close();
  });

  it('a read-only store writes nothing to its file and keeps its snapshots in the private cache', () => {
    const dir = tempDir();
    const file = join(dir, 'evidence.hindsight');
    const writer = EventStore.create(file);
    appendAll(writer, 'account-a', accountEvents('a', 1100, rng(5), clock()), 550);
    writer.close();
    const bytes = readFileSync(file);
    const mtime = statSync(file).mtimeMs;

    const cacheDir = join(dir, 'app-data', 'cache');
    const store = EventStore.open(file, { mode: 'read-only' });
    // Without a cache: states are folded from the events, nothing is written anywhere.
    expect(snapshotStoreFor(store)).toBeUndefined();
    expect(stateAt(store, 'account-a')).toMatchObject({ fromSnapshot: false, eventsFolded: 1100 });
    const cache = openHistoryCache(cacheDir, store.storeId);
    attachHistoryCache(store, cache);
    const first = stateAt(store, 'account-a', { version: 1050 });
    expect(first.fromSnapshot).toBe(false);
    const second = stateAt(store, 'account-a', { version: 1050 });
    expect(second).toMatchObject({ fromSnapshot: true, snapshotVersion: 1000 });
    expect(stateAt(store, 'account-a', { occurredAt: T0 + 600 * MINUTE })).toMatchObject({ version: 601 });
    timeline(store, 'account-a', { afterVersion: 900, limit: 50 });
    expect(cache.snapshots.count('account-a')).toBe(2);
    expect(cache.snapshots.getScan('account-a')).toMatchObject({ version: 1100 });
    expect(cache.path.startsWith(cacheDir)).toBe(true);
    expect(tables(store)).not.toContain('snapshots');
    store.close();
    cache.close();

    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(statSync(file).mtimeMs).toBe(mtime);

    // A new session reuses the cache.
    const again = EventStore.open(file, { mode: 'read-only' });
    const cache2 = openHistoryCache(cacheDir, again.storeId);
    expect(stateAt(again, 'account-a', { version: 1050, cache: cache2 })).toMatchObject({ fromSnapshot: true });
    again.close();
    cache2.close();
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(statSync(file).mtimeMs).toBe(mtime);
  });

  it('a cache shared by two files with the same store id never serves one file’s state for the other', () => {
    const dir = tempDir();
    const original = join(dir, 'a.hindsight');
    const writer = EventStore.create(original);
    writer.append('counter-1', counterEvents(10, clock(T0)));
    writer.close();
    const copy = join(dir, 'b.hindsight');
    copyFileSync(original, copy);
    // The two files diverge after version 10: same store id, different events 11..30.
    for (const [file, by] of [
      [original, 1],
      [copy, 100],
    ] as const) {
      const s = EventStore.open(file, { mode: 'read-write' });
      const now = clock(T0 + 100 * MINUTE);
      s.append(
        'counter-1',
        Array.from({ length: 20 }, () => ({ type: 'Counted', data: { by }, recordedAt: now() })),
      );
      s.close();
    }
    const cacheDir = join(dir, 'cache');
    const a = EventStore.open(original, { mode: 'read-only' });
    const b = EventStore.open(copy, { mode: 'read-only' });
    expect(a.storeId).toBe(b.storeId);
    const cache = openHistoryCache(cacheDir, a.storeId);
    expect(plain(stateAt(a, 'counter-1', { cache, snapshotInterval: 5 }).state)).toMatchObject({ by: 1 });
    expect(cache.snapshots.count()).toBe(6);
    const fromB = stateAt(b, 'counter-1', { cache, snapshotInterval: 5 });
    expect(plain(fromB.state)).toMatchObject({ by: 100 });
    // Only the shared prefix (versions 5 and 10) could be used; the rest was discarded and rebuilt.
    expect(fromB.snapshotVersion).toBeLessThanOrEqual(10);
    expect(plain(stateAt(a, 'counter-1', { cache, snapshotInterval: 5, version: 25 }).state)).toMatchObject({ by: 1 });
    // The occurred-time index is checked the same way.
    expect(stateAt(a, 'counter-1', { cache, occurredAt: T0 + 200 * MINUTE }).version).toBe(30);
    expect(stateAt(b, 'counter-1', { cache, occurredAt: T0 + 200 * MINUTE }).version).toBe(30);
    a.close();
    b.close();
    cache.close();
  });

  it('a damaged or foreign cache file is replaced; a cache for another store is refused', () => {
    const dir = tempDir();
    const store = createStore(dir);
    store.append('counter-1', counterEvents(12));
    const cache = openHistoryCache(join(dir, 'cache'), store.storeId);
    const path = cache.path;
    cache.close();
    writeFileSync(path, 'this is not a database at all, just text that is long enough to be a header');
    const reopened = openHistoryCache(join(dir, 'cache'), store.storeId);
    expect(stateAt(store, 'counter-1', { cache: reopened, snapshotInterval: 4 }).version).toBe(12);
    expect(reopened.snapshots.count()).toBe(3);
    const other = openHistoryCache(join(dir, 'cache'), '00000000-0000-4000-8000-000000000000');
    expect(() => stateAt(store, 'counter-1', { cache: other })).toThrow(/history cache is for store/);
    expect(() => attachHistoryCache(store, other)).toThrow(/history cache is for store/);
    // A cache folder that cannot be made is a clear error.
    writeFileSync(join(dir, 'a-file'), 'x');
    expect(() => openHistoryCache(join(dir, 'a-file', 'cache'), store.storeId)).toThrow(
      /history cache .* cannot be opened/,
    );
    // A store id that is not a plain UUID never leaves the cache folder.
    const odd = openHistoryCache(join(dir, 'cache'), '../../escape');
    expect(odd.path.startsWith(join(dir, 'cache'))).toBe(true);
    odd.close();
    other.close();
    reopened.close();
    store.close();
  });

  it('a snapshot whose event hash no longer matches is discarded; snapshots:false ignores them entirely', () => {
    const store = createStore(tempDir());
    appendAll(store, 'counter-1', counterEvents(20), 20);
    stateAt(store, 'counter-1', { snapshotInterval: 10 });
    // Tamper with a cached state: the snapshot-assisted view is a cache and can be misled, the fold from
    // the events (snapshots: false, what verification-grade answers use) cannot.
    store.db.prepare('UPDATE snapshots SET state = \'{"last":999}\' WHERE version = 20').run();
    expect(plain(stateAt(store, 'counter-1', { snapshots: false }).state)).toEqual({ by: 1, last: 20 });
    // A snapshot tied to another event (wrong hash) is dropped with every later one.
    store.db.prepare("UPDATE snapshots SET event_hash = 'x' WHERE version = 10").run();
    const result = stateAt(store, 'counter-1', { snapshotInterval: 10, version: 15 });
    expect(result.fromSnapshot).toBe(false);
    expect(plain(result.state)).toEqual({ by: 1, last: 15 });
    expect(store.db.prepare('SELECT version FROM snapshots ORDER BY version').pluck().all()).toEqual([10]);
    expect(store.db.prepare('SELECT event_hash FROM snapshots').pluck().get()).not.toBe('x');
    expect(store.verify().ok).toBe(true);
    store.close();
  });

  it('a foreign table called snapshots in the file is left alone', () => {
    const store = createStore(tempDir());
    store.db.exec('CREATE TABLE snapshots (id INTEGER PRIMARY KEY, blob TEXT)');
    appendAll(store, 'counter-1', counterEvents(20), 20);
    expect(plain(stateAt(store, 'counter-1', { snapshotInterval: 5 }).state)).toEqual({ by: 1, last: 20 });
    expect(stateAt(store, 'counter-1', { snapshotInterval: 5, occurredAt: T0 + 5 * MINUTE }).version).toBe(6);
    expect(store.db.prepare('SELECT count(*) FROM snapshots').pluck().get()).toBe(0);
    store.close();
  });
});
