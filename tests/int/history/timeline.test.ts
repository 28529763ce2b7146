import { describe, expect, it } from 'vitest';
import { diffVersions } from '../../../electron/core/history/diff';
import { stateAt } from '../../../electron/core/history/stateAt';
import { timeline } from '../../../electron/core/history/timeline';
import { valueSeries } from '../../../electron/core/history/valueSeries';
import { useTempDir } from '../../helpers/tempDir';
import { accountEvents, appendAll, clock, createStore, rng } from './helpers';

const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

describe('timeline', () => {
  const tempDir = useTempDir('hindsight-timeline-');

  it('pages by version; each entry has the state after it and the diff from the state before', () => {
    const store = createStore(tempDir());
    appendAll(store, 'account-a', accountEvents('a', 1234, rng(11), clock()), 300);
    const seen: number[] = [];
    let after = 0;
    let pages = 0;
    let previousState: unknown = stateAt(store, 'account-a', { version: 0, snapshots: false }).state;
    for (;;) {
      const page = timeline(store, 'account-a', { afterVersion: after, limit: 200, snapshotInterval: 100 });
      pages++;
      expect(page).toMatchObject({ streamId: 'account-a', reducer: 'domain:accounts', streamVersion: 1234 });
      for (const entry of page.entries) {
        seen.push(entry.version);
        if (entry.version % 50 === 0) {
          expect(entry.stateAfter).toEqual(
            stateAt(store, 'account-a', { version: entry.version, snapshots: false }).state,
          );
        }
        if (entry.type !== 'AccountOpened') {
          expect((entry.stateAfter as { balance: number }).balance).toBe(
            (entry.data as { balanceAfter: number }).balanceAfter,
          );
        }
        const balanceBefore = (previousState as { balance: number }).balance;
        const balanceAfter = (entry.stateAfter as { balance: number }).balance;
        if (entry.type === 'AccountOpened') {
          expect(entry.changes.map((c) => c.path.join('.')).sort()).toEqual([
            'accountId',
            'currency',
            'owner',
            'status',
          ]);
        } else {
          expect(entry.changes).toEqual([
            { path: ['balance'], kind: 'changed', before: balanceBefore, after: balanceAfter },
          ]);
          expect(entry.delta).toEqual({ balance: [balanceBefore, balanceAfter] });
        }
        previousState = entry.stateAfter;
      }
      if (page.nextAfterVersion === null) break;
      after = page.nextAfterVersion;
    }
    expect(pages).toBe(7);
    expect(seen).toEqual(Array.from({ length: 1234 }, (_, i) => i + 1));
    store.close();
  });

  it('filters by type and actor while the state still folds every event', () => {
    const store = createStore(tempDir());
    appendAll(store, 'account-a', accountEvents('a', 600, rng(12), clock()), 600);
    const all = store.readStream('account-a');
    const withdrawals = all.filter((e) => e.eventType === 'MoneyWithdrawn');
    const page = timeline(store, 'account-a', { types: ['MoneyWithdrawn'], limit: 1000, snapshotInterval: 50 });
    expect(page.entries.map((e) => e.version)).toEqual(withdrawals.map((e) => e.streamVersion));
    for (const entry of page.entries) {
      const balanceAfter = (entry.stateAfter as { balance: number }).balance;
      expect(balanceAfter).toBe((entry.data as { balanceAfter: number }).balanceAfter);
      expect(entry.changes[0]).toMatchObject({ path: ['balance'], kind: 'changed' });
      expect(entry.changes[0]!.before).toBe(balanceAfter + (entry.data as { amount: number }).amount);
    }
    expect(page.entries.map((e) => e.hash)).toEqual(withdrawals.map((e) => e.hash));
    const bob = timeline(store, 'account-a', { actors: ['bob'], limit: 5 });
    expect(bob.entries).toHaveLength(5);
    expect(bob.entries.every((e) => e.actor === 'bob' && e.metadata.actor === 'bob')).toBe(true);
    expect(bob.nextAfterVersion).toBe(bob.entries[4]!.version);
    const none = timeline(store, 'account-a', { types: ['Nothing'] });
    expect(none).toMatchObject({ entries: [], nextAfterVersion: null });
    expect(() => timeline(store, 'account-a', { limit: 0 })).toThrow(/limit/);
    expect(() => timeline(store, 'account-a', { types: [] })).toThrow(/types/);
    expect(() => timeline(store, 'account-a', { actors: [1 as unknown as string] })).toThrow(/actors/);
    store.close();
  });

  it('generic streams: nested data and arrays produce flat change lists', () => {
    const store = createStore(tempDir());
    store.append('profile-1', [
      { type: 'Created', data: { name: 'A', address: { city: 'Paris' }, tags: ['x'] } },
      { type: 'Moved', data: { address: { city: 'Lyon', zip: '69001' } } },
      { type: 'Retagged', data: { tags: ['x', 'y'] } },
      { type: 'Cleared', data: { address: null, name: null } },
    ]);
    const { entries } = timeline(store, 'profile-1');
    expect(entries.map((e) => e.changes)).toEqual([
      // Stored data is canonical JSON (sorted keys), so states list their keys in that order.
      [
        { path: ['address'], kind: 'added', after: { city: 'Paris' } },
        { path: ['name'], kind: 'added', after: 'A' },
        { path: ['tags'], kind: 'added', after: ['x'] },
      ],
      [
        { path: ['address', 'city'], kind: 'changed', before: 'Paris', after: 'Lyon' },
        { path: ['address', 'zip'], kind: 'added', after: '69001' },
      ],
      [{ path: ['tags', '1'], kind: 'added', after: 'y' }],
      [
        { path: ['address'], kind: 'removed', before: { city: 'Lyon', zip: '69001' } },
        { path: ['name'], kind: 'removed', before: 'A' },
      ],
    ]);
    expect(plain(entries[3]!.stateAfter)).toEqual({ tags: ['x', 'y'] });
    store.close();
  });
});

describe('diffVersions and valueSeries', () => {
  const tempDir = useTempDir('hindsight-series-');

  it('diffVersions compares two versions in either order', () => {
    const store = createStore(tempDir());
    store.append('profile-1', [
      { type: 'Created', data: { name: 'A', n: 1 } },
      { type: 'Changed', data: { n: 2 } },
      { type: 'Changed', data: { n: 3, extra: true } },
    ]);
    const forward = diffVersions(store, 'profile-1', 1, 3);
    expect(forward).toMatchObject({ from: { version: 1 }, to: { version: 3 } });
    expect(forward.changes).toEqual([
      { path: ['n'], kind: 'changed', before: 1, after: 3 },
      { path: ['extra'], kind: 'added', after: true },
    ]);
    expect(diffVersions(store, 'profile-1', 3, 1).changes).toEqual([
      { path: ['n'], kind: 'changed', before: 3, after: 1 },
      { path: ['extra'], kind: 'removed', before: true },
    ]);
    expect(diffVersions(store, 'profile-1', 2, 2)).toMatchObject({ delta: null, changes: [] });
    expect(diffVersions(store, 'profile-1', 0, 1).changes).toHaveLength(2);
    expect(() => diffVersions(store, 'profile-1', 1, 4)).toThrow(/no version 4/);
    store.close();
  });

  it('valueSeries: a step series of the field, bucketed to maxPoints, first/last/extremes kept', () => {
    const store = createStore(tempDir());
    appendAll(store, 'account-a', accountEvents('a', 3000, rng(13), clock()), 1000);
    const events = store.readStream('account-a');
    const balances = events.map((e) =>
      e.eventType === 'AccountOpened' ? 0 : (e.data as { balanceAfter: number }).balanceAfter,
    );
    const full = valueSeries(store, 'account-a', 'balance', { maxPoints: 100_000 });
    expect(full.bucketed).toBe(false);
    expect(full.points[0]).toMatchObject({ version: 1, value: 0 });
    expect(full.points[full.points.length - 1]!.version).toBe(3000);
    // Every point is a change (or the first/last event), and the value is the balance after that event.
    for (const p of full.points) expect(p.value).toBe(balances[p.version - 1]);
    const changes = balances.filter((b, i) => i === 0 || b !== balances[i - 1]).length;
    expect(full.totalPoints).toBe(changes + (balances[2999] === balances[2998] ? 1 : 0));

    const small = valueSeries(store, 'account-a', ['balance'], { maxPoints: 40 });
    expect(small.bucketed).toBe(true);
    expect(small.points.length).toBeLessThanOrEqual(40);
    expect(small.points[0]).toEqual(full.points[0]);
    expect(small.points[small.points.length - 1]).toEqual(full.points[full.points.length - 1]);
    expect(small.points.map((p) => p.value)).toContain(Math.max(...balances));
    expect(small.reducer).toBe('domain:accounts');

    const range = valueSeries(store, 'account-a', 'balance', {
      fromVersion: 1001,
      toVersion: 1500,
      maxPoints: 100_000,
    });
    expect(range.points[0]!.version).toBe(1001);
    expect(range.points[range.points.length - 1]!.version).toBe(1500);
    const status = valueSeries(store, 'account-a', 'status');
    expect(status.points.map((p) => p.value)).toEqual(['open', 'open']);
    const missing = valueSeries(store, 'account-a', 'nope.deeper');
    expect(missing.points.every((p) => p.value === null)).toBe(true);
    expect(() => valueSeries(store, 'account-a', 'balance', { maxPoints: 3 })).toThrow(/maxPoints/);
    store.close();
  });
});
