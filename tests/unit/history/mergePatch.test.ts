import { describe, expect, it } from 'vitest';
import { parseSafeJson } from '../../../electron/core/history/json';
import { applyMergePatch } from '../../../electron/core/history/mergePatch';

const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

describe('applyMergePatch (RFC 7386)', () => {
  // RFC 7386, Appendix A.
  const vectors: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];

  it.each(vectors)('%j + %j = %j', (target, patch, expected) => {
    expect(plain(applyMergePatch(target, patch))).toEqual(expected);
  });

  it('null deletes, arrays are replaced whole, nested objects merge', () => {
    const state = { name: 'a', tags: ['x', 'y'], address: { city: 'Paris', zip: '75001', geo: { lat: 1, lon: 2 } } };
    const next = applyMergePatch(state, { name: null, tags: ['z'], address: { zip: null, geo: { lat: 3 } } });
    expect(plain(next)).toEqual({ tags: ['z'], address: { city: 'Paris', geo: { lat: 3, lon: 2 } } });
  });

  it('never mutates the target or the patch', () => {
    const target = { a: { b: 1 }, list: [1] };
    const patch = { a: { c: 2 }, list: [2] };
    const before = JSON.stringify([target, patch]);
    applyMergePatch(target, patch);
    expect(JSON.stringify([target, patch])).toBe(before);
  });

  it('builds null-prototype objects, so __proto__ / constructor / prototype stay plain data', () => {
    const patch = JSON.parse(
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"prototype":1}',
    );
    const result = applyMergePatch({}, patch) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBeNull();
    expect(Object.keys(result).sort()).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(result)).toBe(
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"prototype":1}',
    );
    // Deleting through a hostile key deletes the data key only.
    const deleted = applyMergePatch(result, JSON.parse('{"__proto__":null}')) as Record<string, unknown>;
    expect(Object.keys(deleted).sort()).toEqual(['constructor', 'prototype']);
  });

  it('parseSafeJson gives null-prototype objects all the way down', () => {
    const value = parseSafeJson('{"a":[{"__proto__":{"x":1}}]}') as { a: Record<string, unknown>[] };
    expect(Object.getPrototypeOf(value)).toBeNull();
    expect(Object.getPrototypeOf(value.a[0])).toBeNull();
    expect(Object.keys(value.a[0]!)).toEqual(['__proto__']);
  });
});
