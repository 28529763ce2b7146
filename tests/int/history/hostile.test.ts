import { describe, expect, it } from 'vitest';
import { diffVersions } from '../../../electron/core/history/diff';
import { defineEventType } from '../../../electron/core/history/eventTypes';
import { stateAt } from '../../../electron/core/history/stateAt';
import { timeline } from '../../../electron/core/history/timeline';
import { numericFields, valueSeries } from '../../../electron/core/history/valueSeries';
import { useTempDir } from '../../helpers/tempDir';
import { createStore } from './helpers';

function assertUnpolluted(): void {
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted).toBeUndefined();
  expect(probe.isAdmin).toBeUndefined();
  expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  expect(Object.hasOwn(Object.prototype, 'isAdmin')).toBe(false);
  expect(typeof Object.prototype.toString).toBe('function');
}

describe('hostile payloads', () => {
  const tempDir = useTempDir('hindsight-hostile-');

  it('__proto__ / constructor / prototype keys in event data are plain data everywhere', () => {
    const store = createStore(tempDir());
    const evil = (text: string) => JSON.parse(text) as unknown;
    store.append('evil-1', [
      { type: 'Created', data: evil('{"__proto__":{"polluted":true,"isAdmin":true},"n":1}') },
      { type: 'Changed', data: evil('{"constructor":{"prototype":{"polluted":true}},"n":2}') },
      { type: 'Changed', data: evil('{"__proto__":{"polluted":false,"toString":null},"prototype":{"x":1},"n":3}') },
      { type: 'Tagged', data: evil('{"__proto__":"isAdmin","key":"__proto__"}') },
      { type: 'Removed', data: evil('{"key":"__proto__"}') },
    ]);
    defineEventType(store, {
      eventType: 'Tagged',
      rules: [
        { op: 'set', path: ['__proto__', 'isAdmin'], value: true },
        { op: 'append', path: ['constructor', 'prototype', 'list'], from: '__proto__' },
        { op: 'increment', path: ['__proto__', 'count'] },
      ],
    });
    defineEventType(store, {
      eventType: 'Removed',
      rules: [
        { op: 'remove', path: [], from: 'key' },
        { op: 'remove', path: 'prototype', from: 'key' },
      ],
    });
    assertUnpolluted();

    const v3 = stateAt(store, 'evil-1', { version: 3, snapshotInterval: 1 }).state;
    assertUnpolluted();
    expect(Object.getPrototypeOf(v3)).toBeNull();
    expect(JSON.stringify(v3)).toBe(
      '{"__proto__":{"isAdmin":true,"polluted":false},"n":3,"constructor":{"prototype":{"polluted":true}},"prototype":{"x":1}}',
    );
    // The same state read back from a snapshot.
    const again = stateAt(store, 'evil-1', { version: 3, snapshotInterval: 1 });
    expect(again.fromSnapshot).toBe(true);
    expect(JSON.stringify(again.state)).toBe(JSON.stringify(v3));
    expect(Object.getPrototypeOf(again.state)).toBeNull();
    assertUnpolluted();

    const v4 = stateAt(store, 'evil-1', { version: 4 }).state as Record<string, unknown>;
    expect(JSON.stringify(v4)).toBe(
      '{"__proto__":{"isAdmin":true,"polluted":false,"count":1},"n":3,"constructor":{"prototype":{"polluted":true,"list":["isAdmin"]}},"prototype":{"x":1}}',
    );
    const v5 = stateAt(store, 'evil-1').state as Record<string, unknown>;
    // `remove` with a map key: the "__proto__" entry goes, nothing else does.
    expect(Object.keys(v5)).toEqual(['n', 'constructor', 'prototype']);
    assertUnpolluted();

    const page = timeline(store, 'evil-1', { snapshotInterval: 2 });
    assertUnpolluted();
    expect(page.entries).toHaveLength(5);
    expect(page.entries[0]!.changes.map((c) => c.path)).toEqual([['__proto__'], ['n']]);
    expect(page.entries[4]!.changes).toEqual([
      { path: ['__proto__'], kind: 'removed', before: { isAdmin: true, polluted: false, count: 1 } },
    ]);
    expect(JSON.stringify(page.entries[0]!.data)).toBe('{"__proto__":{"isAdmin":true,"polluted":true},"n":1}');
    const diff = diffVersions(store, 'evil-1', 0, 5);
    expect(diff.changes.map((c) => c.path.join('.')).sort()).toEqual(['constructor', 'n', 'prototype']);
    expect(numericFields(v4).map((f) => f.path.join('.'))).toEqual(['__proto__.count', 'n', 'prototype.x']);
    const series = valueSeries(store, 'evil-1', ['__proto__', 'count']);
    expect(series.points.map((p) => p.value)).toEqual([null, 1, null]);
    assertUnpolluted();
    store.close();
  });
});
