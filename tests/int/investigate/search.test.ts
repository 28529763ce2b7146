import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../electron/core/investigate/csv';
import { DemoRandom } from '../../../electron/core/investigate/demoRandom';
import { countEvents, exportSearch, searchEvents, searchHistogram } from '../../../electron/core/investigate/search';
import {
  buildSearchIndex,
  dropSearchIndex,
  searchCachePath,
  searchIndexStatus,
} from '../../../electron/core/investigate/searchIndex';
import { searchIndexJob } from '../../../electron/core/investigate/searchIndexJob';
import type { SearchFilters } from '../../../electron/core/investigate/types';
import { EventStore } from '../../../electron/core/store/eventStore';
import { snapshotFolder } from '../../helpers/storeFixtures';
import { useTempDir } from '../../helpers/tempDir';
import { allEvents, allPages, appendRandom, bruteForce, randomFilters, randomStore } from './helpers';

// biome-ignore lint/correctness/useHookAtTopLevel: a vitest helper (it registers an afterEach), not a React hook
const tempDir = useTempDir('hindsight-search-');

const positions = (events: { globalPosition: number }[]) => events.map((e) => e.globalPosition);

function describeFilters(f: SearchFilters): string {
  return JSON.stringify(f);
}

function noopContext() {
  return { signal: { aborted: false }, onProgress: () => {}, throwIfCancelled: () => {} };
}

describe('search equals a brute-force scan', () => {
  it('for random filter combinations on random stores, without and with the index, every page size', () => {
    let textHits = 0;
    let textMisses = 0;
    for (const seed of [1, 2, 3, 4]) {
      const dir = tempDir();
      const store = randomStore(dir, seed, 700);
      const events = allEvents(store);
      const r = new DemoRandom(1000 + seed);
      const metadataOnly = Array.from({ length: 25 }, () => randomFilters(r, events, false));
      // Without an index: plain SQL on the stored columns (nothing is built as a side effect).
      for (const f of metadataOnly) {
        const expected = positions(bruteForce(events, f));
        const pages = allPages(store, f, r.int(1, 60));
        expect(pages.positions, describeFilters(f)).toEqual(expected);
        expect(
          pages.totals.every((t) => t === expected.length),
          describeFilters(f),
        ).toBe(true);
      }
      expect(searchIndexStatus(store).location).toBe('none');
      // With text: the index is built on first use (the store is small), and then also narrows metadata filters.
      const withText = [...metadataOnly, ...Array.from({ length: 60 }, () => randomFilters(r, events, true))];
      for (const f of withText) {
        const expected = positions(bruteForce(events, f));
        if (f.text !== undefined && expected.length > 0) textHits++;
        if (f.text !== undefined && expected.length === 0) textMisses++;
        const limit = r.int(1, 80);
        const pages = allPages(store, f, limit);
        expect(pages.positions, describeFilters(f)).toEqual(expected);
        expect(pages.totals[0], describeFilters(f)).toBe(expected.length);
        expect(countEvents(store, f)).toBe(expected.length);
      }
      expect(searchIndexStatus(store)).toMatchObject({ location: 'store', upToDate: true, indexedPosition: 700 });
      store.close();
    }
    // The random queries are not all empty (nor all hits): the comparison means something.
    expect(textHits).toBeGreaterThan(40);
    expect(textMisses).toBeGreaterThan(5);
  });

  it('the histogram counts every match, and the export writes exactly the matches', () => {
    const store = randomStore(tempDir(), 9, 500);
    const events = allEvents(store);
    const r = new DemoRandom(99);
    for (let i = 0; i < 30; i++) {
      const f = randomFilters(r, events, true);
      const expected = bruteForce(events, f);
      const histogram = searchHistogram(store, f, r.int(1, 200));
      expect(histogram.total, describeFilters(f)).toBe(expected.length);
      expect(histogram.buckets.reduce((sum, b) => sum + b.count, 0)).toBe(expected.length);
      expect(histogram.buckets.length).toBeLessThanOrEqual(200);
      for (const event of expected) {
        const bucket = histogram.buckets.find((b) => b.start <= event.recordedAt && event.recordedAt < b.end);
        expect(bucket).toBeDefined();
      }
      let jsonl = '';
      expect(exportSearch(store, f, 'jsonl', (chunk) => (jsonl += chunk))).toEqual({ exported: expected.length });
      const lines =
        jsonl === ''
          ? []
          : jsonl
              .trimEnd()
              .split('\n')
              .map((line) => JSON.parse(line));
      expect(lines.map((l) => l.globalPosition)).toEqual(positions(expected));
      if (expected.length > 0) {
        expect(lines[0]).toMatchObject({
          eventId: expected[0]!.eventId,
          type: expected[0]!.eventType,
          data: expected[0]!.data,
          recordedAt: new Date(expected[0]!.recordedAt).toISOString(),
          hash: expected[0]!.hash,
        });
      }
      let csv = '';
      exportSearch(store, f, 'csv', (chunk) => (csv += chunk));
      const rows = parseCsv(csv);
      expect(rows.length).toBe(expected.length + 1);
      expect(rows.slice(1).map((row) => Number(row[0]))).toEqual(positions(expected));
    }
    store.close();
  });
});

describe('full-text index', () => {
  it('finds words deep inside nested data and in metadata, ignoring case and diacritics', () => {
    const store = EventStore.create(path.join(tempDir(), 'nested.hindsight'));
    store.append('order-o-1', [
      {
        type: 'OrderPlaced',
        data: {
          customer: { address: { lines: ['12 Rue de l’École', { note: 'Ring twice, DOG inside' }] } },
          total: 4990,
        },
        metadata: { actor: 'web-shop', extra: { deeply: [{ nested: 'Kiwi-Banana' }] } },
      },
    ]);
    store.append('order-o-2', [{ type: 'OrderPlaced', data: { customer: { note: 'nothing' } }, metadata: {} }]);
    const find = (text: string) => positions(searchEvents(store, { text }).items);
    expect(find('dog')).toEqual([1]);
    expect(find('ecole')).toEqual([1]);
    expect(find('ÉCOLE ring')).toEqual([1]);
    expect(find('"ring twice"')).toEqual([1]);
    expect(find('"twice ring"')).toEqual([]);
    expect(find('kiwi banana')).toEqual([1]);
    expect(find('4990')).toEqual([1]);
    expect(find('orderplaced')).toEqual([1, 2]);
    expect(find('o-2')).toEqual([2]);
    expect(find('nest*')).toEqual([]); // keys are not indexed, values are
    expect(find('noth*')).toEqual([2]);
    expect(searchEvents(store, { text: 'DOG' }).terms).toEqual(['dog']);
    store.close();
  });

  it('grows incrementally after more appends, catching up small lags by itself', () => {
    const store = randomStore(tempDir(), 5, 300);
    const r = new DemoRandom(55);
    expect(buildSearchIndex(store, { batchSize: 64 })).toMatchObject({
      location: 'store',
      indexed: 300,
      indexedPosition: 300,
      rebuilt: true,
    });
    appendRandom(store, r, 120);
    expect(searchIndexStatus(store)).toMatchObject({ indexedPosition: 300, head: 420, upToDate: false });
    const progress: number[] = [];
    const result = buildSearchIndex(store, { batchSize: 50, onProgress: (done) => progress.push(done) });
    expect(result).toMatchObject({ indexed: 120, indexedPosition: 420, rebuilt: false });
    expect(progress).toEqual([300, 350, 400, 420]);
    // A later append is caught up by the search itself (within maxCatchUp)…
    appendRandom(store, r, 30);
    const events = allEvents(store);
    const f = { text: 'zebra' };
    expect(positions(searchEvents(store, f, { limit: 1000 }).items)).toEqual(positions(bruteForce(events, f)));
    expect(searchIndexStatus(store).upToDate).toBe(true);
    // …but not beyond it: the caller must build (as a job) first.
    appendRandom(store, r, 40);
    expect(() => searchEvents(store, f, { maxCatchUp: 10 })).toThrow(
      expect.objectContaining({
        code: 'unavailable',
        details: expect.objectContaining({ indexedPosition: 450, head: 490 }),
      }),
    );
    // Metadata filters still work without the index (exact SQL), and stay correct.
    const g = { actors: ['ann'] };
    expect(positions(searchEvents(store, g, { maxCatchUp: 10, limit: 1000 }).items)).toEqual(
      positions(bruteForce(allEvents(store), g)),
    );
    store.close();
  });

  it('is cancellable between batches and continues from where it stopped', () => {
    const store = randomStore(tempDir(), 6, 250);
    const signal = { aborted: false };
    expect(() =>
      buildSearchIndex(store, {
        batchSize: 40,
        signal,
        onProgress: (done) => {
          if (done >= 80) signal.aborted = true;
        },
      }),
    ).toThrow(
      expect.objectContaining({ code: 'cancelled', details: expect.objectContaining({ indexedPosition: 80 }) }),
    );
    expect(searchIndexStatus(store)).toMatchObject({ indexedPosition: 80, upToDate: false });
    expect(buildSearchIndex(store)).toMatchObject({ indexed: 170, indexedPosition: 250, rebuilt: false });
    store.close();
  });

  it('is rebuilt when it no longer matches the store, and can be dropped', () => {
    const store = randomStore(tempDir(), 7, 100);
    buildSearchIndex(store);
    // A damaged checkpoint (another hash at its position) is not trusted.
    store.db.prepare("UPDATE fts_events_state SET hash = 'x'").run();
    expect(searchIndexStatus(store).location).toBe('none');
    expect(buildSearchIndex(store)).toMatchObject({ rebuilt: true, indexed: 100 });
    expect(buildSearchIndex(store, { rebuild: true })).toMatchObject({ rebuilt: true, indexed: 100 });
    dropSearchIndex(store);
    expect(searchIndexStatus(store).location).toBe('none');
    const tables = store.db.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'fts_events%'").pluck().all();
    expect(tables).toEqual([]);
    expect(store.verify().ok).toBe(true);
    store.close();
  });

  it('never drops a table of its names that is not its own', () => {
    const store = randomStore(tempDir(), 16, 40);
    store.db.exec("CREATE TABLE fts_events (note TEXT); INSERT INTO fts_events VALUES ('mine')");
    const foreign = expect.objectContaining({
      code: 'unavailable',
      details: expect.objectContaining({ reason: 'foreign_tables' }),
    });
    expect(() => buildSearchIndex(store)).toThrow(foreign);
    expect(() => searchEvents(store, { text: 'alpha' })).toThrow(foreign);
    expect(() => dropSearchIndex(store)).toThrow(foreign);
    expect(searchIndexStatus(store).location).toBe('none');
    // Everything but text still works, and the table is as it was.
    const f = { actors: ['ann'] };
    expect(searchEvents(store, f, { limit: 1000 }).total).toBe(bruteForce(allEvents(store), f).length);
    expect(store.db.prepare('SELECT note FROM fts_events').pluck().all()).toEqual(['mine']);
    store.close();
  });

  it('runs as a worker job handler, with progress, on the store file itself', () => {
    const dir = tempDir();
    const store = randomStore(dir, 8, 120);
    const file = store.path;
    const progress: number[] = [];
    const result = searchIndexJob(
      { path: file, mode: 'read-write', batchSize: 50 },
      { ...noopContext(), onProgress: (done) => progress.push(done) },
    );
    expect(result).toMatchObject({ location: 'store', indexed: 120, indexedPosition: 120 });
    expect(progress.at(-1)).toBe(120);
    // The app's own connection sees the index the job wrote.
    expect(searchIndexStatus(store)).toMatchObject({ location: 'store', upToDate: true });
    expect(() => searchIndexJob({ path: '', mode: 'read-write' }, noopContext())).toThrow(/path/);
    store.close();
  });
});

describe('a store opened read-only (evidence)', () => {
  it('keeps its index in a private cache; the file, its folder and its bytes stay exactly as they were', () => {
    const dir = tempDir();
    const cacheDir = path.join(tempDir(), 'cache');
    const writer = randomStore(dir, 11, 400);
    const events = allEvents(writer);
    writer.close();
    const before = snapshotFolder(dir);
    const store = EventStore.open(path.join(dir, 'random-11.hindsight'), { mode: 'read-only' });
    expect(() => searchEvents(store, { text: 'zebra' })).toThrow(
      expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(/cache folder/) }),
    );
    // Without text, no cache is needed.
    expect(searchEvents(store, { actors: ['bob'] }, { limit: 1000 }).total).toBe(
      bruteForce(events, { actors: ['bob'] }).length,
    );
    expect(buildSearchIndex(store, { cacheDir })).toMatchObject({ location: 'cache', indexed: 400 });
    const cacheFile = searchCachePath(cacheDir, store.storeId);
    expect(path.basename(cacheFile)).toBe(`${store.storeId}.search.sqlite`);
    expect(fs.existsSync(cacheFile)).toBe(true);
    expect(searchIndexStatus(store, { cacheDir })).toMatchObject({
      location: 'cache',
      path: cacheFile,
      upToDate: true,
    });
    const r = new DemoRandom(111);
    for (let i = 0; i < 40; i++) {
      const f = randomFilters(r, events, true);
      expect(positions(searchEvents(store, f, { cacheDir, limit: 1000 }).items), describeFilters(f)).toEqual(
        positions(bruteForce(events, f)),
      );
    }
    store.close();
    expect(snapshotFolder(dir)).toEqual(before);
    const raw = new Database(path.join(dir, 'random-11.hindsight'), { readonly: true });
    expect(raw.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'fts%'").pluck().all()).toEqual([]);
    raw.close();
    expect(snapshotFolder(dir)).toEqual(before);
  });

  it('reuses the cache across openings, continues it for an extended copy, rebuilds it for a diverged one', () => {
    const dir = tempDir();
    const cacheDir = path.join(tempDir(), 'cache');
    randomStore(dir, 12, 150).close();
    const fileA = path.join(dir, 'random-12.hindsight');
    const fileB = path.join(dir, 'diverged.hindsight');
    const fileC = path.join(dir, 'extended.hindsight');
    fs.copyFileSync(fileA, fileB);
    const extend = (file: string, seed: number, count: number) => {
      const s = EventStore.open(file, { mode: 'read-write' });
      appendRandom(s, new DemoRandom(seed), count);
      s.close();
    };
    extend(fileA, 1, 50); // A: 200 events
    extend(fileB, 2, 100); // B: the same first 150, then other events (same store id)
    fs.copyFileSync(fileA, fileC);
    extend(fileC, 3, 30); // C: A's 200, then 30 more
    const f = { text: 'needle' };
    const check = (file: string, expected: object) => {
      const s = EventStore.open(file, { mode: 'read-only' });
      try {
        expect(buildSearchIndex(s, { cacheDir })).toMatchObject(expected);
        expect(positions(searchEvents(s, f, { cacheDir, limit: 1000, maxCatchUp: 0 }).items)).toEqual(
          positions(bruteForce(allEvents(s), f)),
        );
      } finally {
        s.close();
      }
    };
    check(fileA, { indexed: 200, rebuilt: true });
    check(fileA, { indexed: 0, rebuilt: false });
    check(fileC, { indexed: 30, rebuilt: false, indexedPosition: 230 });
    check(fileB, { indexed: 250, rebuilt: true });
    check(fileA, { indexed: 200, rebuilt: true });
  });

  it('runs as a job on the private copy a read-only store reads', () => {
    const dir = tempDir();
    const cacheDir = path.join(tempDir(), 'cache');
    randomStore(dir, 13, 90).close();
    const store = EventStore.open(path.join(dir, 'random-13.hindsight'), { mode: 'read-only' });
    const result = searchIndexJob({ path: store.verificationPath, mode: 'read-only', cacheDir }, noopContext());
    expect(result).toMatchObject({ location: 'cache', indexed: 90 });
    expect(searchIndexStatus(store, { cacheDir })).toMatchObject({ location: 'cache', upToDate: true });
    expect(searchEvents(store, { text: 'alpha' }, { cacheDir, maxCatchUp: 0 }).total).toBe(
      bruteForce(allEvents(store), { text: 'alpha' }).length,
    );
    store.close();
  });
});

describe('filters and options are checked', () => {
  it('refuses unknown filters, bad values and bad page sizes', () => {
    const store = randomStore(tempDir(), 14, 10);
    const bad =
      (filters: unknown, opts: object = {}) =>
      () =>
        searchEvents(store, filters as SearchFilters, opts);
    expect(bad({ actor: 'ann' })).toThrow(/Unknown search filter "actor"/);
    expect(bad({ types: [] })).toThrow(/list of 1 to 100/);
    expect(bad({ types: 'Opened' })).toThrow(/list of 1 to 100/);
    expect(bad({ recordedFrom: 'yesterday' })).toThrow(/recordedFrom/);
    expect(bad({ text: '!!!' })).toThrow(/no word/);
    expect(bad({}, { limit: 0 })).toThrow(/limit/);
    expect(bad({}, { limit: 1001 })).toThrow(/limit/);
    expect(bad({}, { after: -1 })).toThrow(/after/);
    expect(() => searchHistogram(store, {}, 201)).toThrow(/buckets/);
    expect(() => exportSearch(store, {}, 'xml' as 'csv', () => {})).toThrow(/format/);
    store.close();
  });

  it('an empty time window matches nothing, cheaply; count can be skipped', () => {
    const store = randomStore(tempDir(), 15, 50);
    const events = allEvents(store);
    const last = events.at(-1)!.recordedAt;
    expect(searchEvents(store, { recordedFrom: last + 1 })).toMatchObject({ items: [], next: null, total: 0 });
    expect(searchEvents(store, { recordedFrom: 10, recordedTo: 5 }).total).toBe(0);
    expect(searchEvents(store, {}, { count: false, limit: 10 })).toMatchObject({ total: null, next: 10 });
    expect(searchHistogram(store, { recordedFrom: last + 1 })).toMatchObject({ total: 0, buckets: [] });
    store.close();
  });
});
