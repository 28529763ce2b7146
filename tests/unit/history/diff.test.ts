import { describe, expect, it } from 'vitest';
import { type Change, diffStates } from '../../../electron/core/history/diff';
import { parseSafeJson } from '../../../electron/core/history/json';

const sorted = (changes: Change[]) =>
  [...changes].sort((a, b) => a.path.join('/').localeCompare(b.path.join('/')) || a.kind.localeCompare(b.kind));

describe('diffStates', () => {
  it('equal states: no delta, no changes', () => {
    expect(diffStates({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual({ delta: null, changes: [] });
    expect(diffStates(null, null)).toEqual({ delta: null, changes: [] });
  });

  it('nested objects: added, removed and changed leaves with their paths', () => {
    const a = { status: 'open', owner: { name: 'A', address: { city: 'Paris', zip: '75001' } }, flags: { vip: true } };
    const b = { status: 'frozen', owner: { name: 'A', address: { city: 'Lyon' }, email: 'a@x' }, flags: {} };
    const { delta, changes } = diffStates(a, b);
    expect(delta).toEqual({
      status: ['open', 'frozen'],
      owner: { address: { city: ['Paris', 'Lyon'], zip: ['75001', 0, 0] }, email: ['a@x'] },
      flags: { vip: [true, 0, 0] },
    });
    expect(sorted(changes)).toEqual(
      sorted([
        { path: ['status'], kind: 'changed', before: 'open', after: 'frozen' },
        { path: ['owner', 'address', 'city'], kind: 'changed', before: 'Paris', after: 'Lyon' },
        { path: ['owner', 'address', 'zip'], kind: 'removed', before: '75001' },
        { path: ['owner', 'email'], kind: 'added', after: 'a@x' },
        { path: ['flags', 'vip'], kind: 'removed', before: true },
      ]),
    );
  });

  it('a whole subtree added or removed is one change carrying the subtree', () => {
    expect(diffStates({}, { a: { b: [1] } }).changes).toEqual([{ path: ['a'], kind: 'added', after: { b: [1] } }]);
    expect(diffStates({ a: { b: 1 } }, {}).changes).toEqual([{ path: ['a'], kind: 'removed', before: { b: 1 } }]);
    expect(diffStates({ a: 1 }, { a: { b: 1 } }).changes).toEqual([
      { path: ['a'], kind: 'changed', before: 1, after: { b: 1 } },
    ]);
    expect(diffStates({ a: 1 }, null).changes).toEqual([{ path: [], kind: 'changed', before: { a: 1 }, after: null }]);
  });

  it('arrays of primitives: insertions and removals by position (old index for removals, new for additions)', () => {
    expect(diffStates({ tags: ['a', 'b', 'c'] }, { tags: ['x', 'a', 'c'] }).changes).toEqual([
      { path: ['tags', '1'], kind: 'removed', before: 'b' },
      { path: ['tags', '0'], kind: 'added', after: 'x' },
    ]);
    expect(diffStates([1, 2], [1, 2, 3]).changes).toEqual([{ path: ['2'], kind: 'added', after: 3 }]);
  });

  it('arrays of objects with ids: matched by id, so an edit is a nested change', () => {
    const a = {
      lines: [
        { id: 'L1', qty: 1 },
        { id: 'L2', qty: 2 },
      ],
    };
    const b = {
      lines: [
        { id: 'L0', qty: 9 },
        { id: 'L1', qty: 1 },
        { id: 'L2', qty: 5 },
      ],
    };
    expect(diffStates(a, b).changes).toEqual([
      { path: ['lines', '0'], kind: 'added', after: { id: 'L0', qty: 9 } },
      { path: ['lines', '2', 'qty'], kind: 'changed', before: 2, after: 5 },
    ]);
  });

  it('arrays of objects without ids: matched by content, so an edited element is removed + added', () => {
    const a = {
      lines: [
        { sku: 'A', q: 1 },
        { sku: 'B', q: 1 },
      ],
    };
    const b = {
      lines: [
        { sku: 'A', q: 1 },
        { sku: 'B', q: 2 },
      ],
    };
    expect(diffStates(a, b).changes).toEqual([
      { path: ['lines', '1'], kind: 'removed', before: { sku: 'B', q: 1 } },
      { path: ['lines', '1'], kind: 'added', after: { sku: 'B', q: 2 } },
    ]);
  });

  it('__proto__ keys are diffed as data and never touch a prototype', () => {
    const a = parseSafeJson('{"__proto__":{"x":1},"n":{"\\u0000k":1}}');
    const b = parseSafeJson('{"__proto__":{"x":2,"polluted":true},"n":{"\\u0000k":2}}');
    const { delta, changes } = diffStates(a, b);
    expect(sorted(changes)).toEqual(
      sorted([
        { path: ['__proto__', 'x'], kind: 'changed', before: 1, after: 2 },
        { path: ['__proto__', 'polluted'], kind: 'added', after: true },
        { path: ['n', '\u0000k'], kind: 'changed', before: 1, after: 2 },
      ]),
    );
    // In the delta the key is escaped (a delta object cannot hold "__proto__").
    expect(Object.getPrototypeOf(delta)).toBe(Object.prototype);
    expect(Object.keys(delta as object).sort()).toEqual(['\u0000__proto__', 'n']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Also from plain JSON.parse objects (own "__proto__" properties).
    const c = diffStates(
      JSON.parse('{"__proto__":{"a":1}}'),
      JSON.parse('{"__proto__":{"a":1},"constructor":{"prototype":{"polluted":1}}}'),
    );
    expect(c.changes).toEqual([{ path: ['constructor'], kind: 'added', after: { prototype: { polluted: 1 } } }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('added values with hostile keys come back with their real keys', () => {
    const { changes } = diffStates({}, parseSafeJson('{"obj":{"__proto__":{"deep":1}}}'));
    expect(changes).toHaveLength(1);
    expect(JSON.stringify(changes[0]!.after)).toBe('{"__proto__":{"deep":1}}');
  });
});
