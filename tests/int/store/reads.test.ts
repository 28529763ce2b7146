import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventStore } from '../../../electron/core/store/eventStore';
import type { StoredEvent } from '../../../electron/core/store/types';
import { useTempDir } from '../../helpers/tempDir';

// biome-ignore lint/correctness/useHookAtTopLevel: useTempDir is a Vitest helper (afterEach cleanup), not a React hook.
const tempDir = useTempDir('hindsight-reads-');
const T0 = Date.UTC(2024, 0, 1);

/** 60 events over 6 streams, recorded 1 s apart starting at T0 (explicit recordedAt), occurred 1 h earlier. */
function populated(): EventStore {
  const store = EventStore.create(path.join(tempDir(), 'r.hindsight'));
  const streams = ['account-1', 'account-2', 'account-10', 'order-1', 'order-2', 'cust%_1'];
  store.transaction(() => {
    for (let i = 0; i < 60; i++) {
      store.append(streams[i % 6]!, [
        {
          type: i % 3 === 0 ? 'Opened' : i % 3 === 1 ? 'Changed' : 'Closed',
          data: { i },
          metadata: { actor: i % 2 ? 'ann' : 'bob', correlation_id: `c-${Math.floor(i / 10)}` },
          recordedAt: T0 + i * 1000,
          occurredAt: T0 + i * 1000 - 3_600_000,
        },
      ]);
    }
  });
  return store;
}

const positions = (events: StoredEvent[]) => events.map((e) => e.globalPosition);

describe('readStream', () => {
  it('reads a stream in version order with version bounds and a limit', () => {
    const store = populated();
    expect(store.readStream('account-1').map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(store.readStream('account-1', { fromVersion: 3, toVersion: 5 }).map((e) => e.streamVersion)).toEqual([
      3, 4, 5,
    ]);
    expect(store.readStream('account-1', { fromVersion: 9, limit: 5 }).map((e) => e.streamVersion)).toEqual([9, 10]);
    expect(store.readStream('account-1', { limit: 2 })).toHaveLength(2);
    expect(store.readStream('nobody-1')).toEqual([]);
    store.close();
  });

  it('reads "as of T" by recorded time and "as occurred" by business time', () => {
    const store = populated();
    // account-1 holds positions 1, 7, 13, … recorded at T0 + (p-1) s.
    expect(positions(store.readStream('account-1', { recordedUpTo: T0 + 12_000 }))).toEqual([1, 7, 13]);
    expect(positions(store.readStream('account-1', { recordedUpTo: T0 - 1 }))).toEqual([]);
    expect(positions(store.readStream('account-1', { occurredUpTo: T0 + 12_000 - 3_600_000 }))).toEqual([1, 7, 13]);
    store.close();
  });

  it('refuses bad options with invalid_input', () => {
    const store = populated();
    for (const opts of [{ limit: 0 }, { limit: 10_001 }, { fromVersion: -1 }, { recordedUpTo: 1.5 }]) {
      expect(() => store.readStream('account-1', opts)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    }
    expect(() => store.readStream('')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    store.close();
  });
});

describe('readAll', () => {
  it('pages through the whole log by keyset', () => {
    const store = populated();
    const seen: number[] = [];
    for (let after = 0; ; ) {
      const page = store.readAll({ afterPosition: after, limit: 7 });
      if (page.length === 0) break;
      seen.push(...positions(page));
      after = page[page.length - 1]!.globalPosition;
    }
    expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    store.close();
  });

  it('filters by types, actor, correlation id, recorded time range and stream prefix', () => {
    const store = populated();
    expect(store.readAll({ types: ['Closed'] }).every((e) => e.eventType === 'Closed')).toBe(true);
    expect(store.readAll({ types: ['Closed'] })).toHaveLength(20);
    expect(store.readAll({ types: ['Opened', 'Closed'] })).toHaveLength(40);
    expect(store.readAll({ actor: 'ann' })).toHaveLength(30);
    expect(positions(store.readAll({ correlationId: 'c-2' }))).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
    expect(positions(store.readAll({ recordedFrom: T0 + 5000, recordedTo: T0 + 8000 }))).toEqual([6, 7, 8, 9]);
    expect(positions(store.readAll({ recordedFrom: T0 + 5500, afterPosition: 8 }))).toEqual(
      Array.from({ length: 52 }, (_, i) => i + 9),
    );
    // Prefixes are literal: "account-1" matches account-1 and account-10, "%" and "_" are not wildcards.
    expect(new Set(store.readAll({ streamPrefix: 'account-1' }).map((e) => e.streamId))).toEqual(
      new Set(['account-1', 'account-10']),
    );
    expect(new Set(store.readAll({ streamPrefix: 'cust%_' }).map((e) => e.streamId))).toEqual(new Set(['cust%_1']));
    expect(store.readAll({ streamPrefix: 'c%' })).toEqual([]);
    expect(
      store
        .readAll({ actor: 'ann', types: ['Changed'], streamPrefix: 'order' })
        .every((e) => e.streamId.startsWith('order')),
    ).toBe(true);
    store.close();
  });

  it('refuses bad filters with invalid_input', () => {
    const store = populated();
    for (const opts of [{ types: [] }, { afterPosition: -1 }, { limit: 0 }, { actor: 5 }, { recordedFrom: 'x' }]) {
      expect(() => store.readAll(opts as never)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    }
    store.close();
  });
});

describe('streams', () => {
  it('lists streams by keyset on stream id, with prefix and category filters', () => {
    const store = populated();
    expect(store.listStreams().map((s) => s.streamId)).toEqual([
      'account-1',
      'account-10',
      'account-2',
      'cust%_1',
      'order-1',
      'order-2',
    ]);
    expect(store.listStreams({ after: 'account-2', limit: 2 }).map((s) => s.streamId)).toEqual(['cust%_1', 'order-1']);
    expect(store.listStreams({ prefix: 'account-1' }).map((s) => s.streamId)).toEqual(['account-1', 'account-10']);
    expect(store.listStreams({ category: 'order' }).map((s) => s.streamId)).toEqual(['order-1', 'order-2']);
    expect(store.listStreams({ category: 'order', after: 'order-1' }).map((s) => s.streamId)).toEqual(['order-2']);
    expect(store.getStream('order-2')).toEqual({
      streamId: 'order-2',
      category: 'order',
      version: 10,
      firstPosition: 5,
      lastPosition: 59,
      createdAt: T0 + 4000,
      updatedAt: T0 + 58_000,
      lastEventType: 'Changed',
    });
    expect(store.getStream('order-3')).toBeUndefined();
    store.close();
  });
});

describe('head, positionAt and info', () => {
  it('finds the as-of-T prefix of the whole log', () => {
    const store = populated();
    expect(store.positionAt(T0 - 1)).toBe(0);
    expect(store.positionAt(T0)).toBe(1);
    expect(store.positionAt(T0 + 12_500)).toBe(13);
    expect(store.positionAt(T0 + 10 ** 9)).toBe(60);
    store.close();
  });

  it('summarises the store', () => {
    const store = populated();
    const info = store.info();
    expect(info).toMatchObject({
      events: 60,
      streams: 6,
      firstRecordedAt: T0,
      lastRecordedAt: T0 + 59_000,
      head: store.head(),
      digest: `60:${store.head().hash}`,
    });
    expect(info.categories).toEqual([
      { category: 'account', streams: 3, events: 30 },
      { category: 'cust%_1', streams: 1, events: 10 },
      { category: 'order', streams: 2, events: 20 },
    ]);
    store.close();
  });
});
