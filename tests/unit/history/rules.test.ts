import { describe, expect, it } from 'vitest';
import { HindsightError } from '../../../electron/core/errors';
import { applyRules, compileRules, compileRulesText } from '../../../electron/core/history/rules';

const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
const run = (state: unknown, data: unknown, rules: unknown) => plain(applyRules(state, data, compileRules('T', rules)));

describe('generic reducer rules', () => {
  it('merge: the whole data (default path) or a part of it into a part of the state', () => {
    expect(run({ a: 1, b: { c: 1 } }, { b: { d: 2 }, a: null }, [{ op: 'merge' }])).toEqual({ b: { c: 1, d: 2 } });
    expect(
      run({ profile: { name: 'x' } }, { changes: { email: 'e' } }, [{ op: 'merge', path: 'profile', from: 'changes' }]),
    ).toEqual({
      profile: { name: 'x', email: 'e' },
    });
    expect(run({ a: 1 }, { other: 1 }, [{ op: 'merge', from: 'missing' }])).toEqual({ a: 1 });
  });

  it('set: from a data path or a constant; nested paths are created; a missing source does nothing', () => {
    expect(run({}, { s: 'paid' }, [{ op: 'set', path: 'order.status', from: 's' }])).toEqual({
      order: { status: 'paid' },
    });
    expect(run({ a: 1 }, {}, [{ op: 'set', path: ['x', 'y.z'], value: [1, { k: null }] }])).toEqual({
      a: 1,
      x: { 'y.z': [1, { k: null }] },
    });
    expect(run({ a: 1 }, {}, [{ op: 'set', path: 'a', from: 'nope' }])).toEqual({ a: 1 });
    expect(run({ a: 1 }, { v: null }, [{ op: 'set', path: 'a', from: 'v' }])).toEqual({ a: null });
    expect(run({ list: [1, 2, 3] }, { v: 9 }, [{ op: 'set', path: 'list.1', from: 'v' }])).toEqual({ list: [1, 9, 3] });
    expect(run({ a: 1 }, { whole: { b: 2 } }, [{ op: 'set', path: [], from: 'whole' }])).toEqual({ b: 2 });
  });

  it('set through a scalar or past the end of an array leaves the state unchanged', () => {
    expect(run({ a: 'text' }, { v: 1 }, [{ op: 'set', path: 'a.b', from: 'v' }])).toEqual({ a: 'text' });
    expect(run({ list: [1] }, { v: 1 }, [{ op: 'set', path: 'list.5', from: 'v' }])).toEqual({ list: [1] });
    expect(run({ list: [1] }, { v: 1 }, [{ op: 'set', path: 'list.x', from: 'v' }])).toEqual({ list: [1] });
  });

  it('increment: by a data value, a constant, or 1; missing/null start at 0; non-numbers are left alone', () => {
    expect(run({ n: 5 }, { amount: 3 }, [{ op: 'increment', path: 'n', from: 'amount' }])).toEqual({ n: 8 });
    expect(run({ n: 5 }, {}, [{ op: 'increment', path: 'n', by: -2.5 }])).toEqual({ n: 2.5 });
    expect(run({}, {}, [{ op: 'increment', path: 'stats.count' }])).toEqual({ stats: { count: 1 } });
    expect(run({ n: null }, {}, [{ op: 'increment', path: 'n' }])).toEqual({ n: 1 });
    expect(run({ n: 'x' }, { amount: 1 }, [{ op: 'increment', path: 'n', from: 'amount' }])).toEqual({ n: 'x' });
    expect(run({ n: 1 }, { amount: '5' }, [{ op: 'increment', path: 'n', from: 'amount' }])).toEqual({ n: 1 });
    expect(
      run({ n: Number.MAX_VALUE }, { amount: Number.MAX_VALUE }, [{ op: 'increment', path: 'n', from: 'amount' }]),
    ).toEqual({
      n: Number.MAX_VALUE,
    });
  });

  it('append: a value, or each element; creates the array; refuses a non-array target', () => {
    expect(run({ items: [1] }, { item: { id: 2 } }, [{ op: 'append', path: 'items', from: 'item' }])).toEqual({
      items: [1, { id: 2 }],
    });
    expect(run({}, { more: [1, 2] }, [{ op: 'append', path: 'items', from: 'more', each: true }])).toEqual({
      items: [1, 2],
    });
    expect(run({}, { more: [1, 2] }, [{ op: 'append', path: 'items', from: 'more' }])).toEqual({ items: [[1, 2]] });
    expect(run({ items: 'x' }, {}, [{ op: 'append', path: 'items', value: 1 }])).toEqual({ items: 'x' });
  });

  it('remove: a key, array elements equal to a value, elements matched by a key, a map entry', () => {
    expect(run({ a: 1, b: 2 }, {}, [{ op: 'remove', path: 'a' }])).toEqual({ b: 2 });
    expect(run({ a: { b: 1, c: 2 } }, {}, [{ op: 'remove', path: 'a.b' }])).toEqual({ a: { c: 2 } });
    expect(run({ list: [1, 2, 3] }, {}, [{ op: 'remove', path: 'list.1' }])).toEqual({ list: [1, 3] });
    expect(run({ tags: ['a', 'b', 'a'] }, { tag: 'a' }, [{ op: 'remove', path: 'tags', from: 'tag' }])).toEqual({
      tags: ['b'],
    });
    expect(
      run(
        {
          lines: [
            { sku: 'A', q: 1 },
            { sku: 'B', q: 2 },
          ],
        },
        { sku: 'B' },
        [{ op: 'remove', path: 'lines', from: 'sku', match: 'sku' }],
      ),
    ).toEqual({ lines: [{ sku: 'A', q: 1 }] });
    expect(
      run({ members: { u1: { n: 1 }, u2: { n: 2 } } }, { user: 'u1' }, [
        { op: 'remove', path: 'members', from: 'user' },
      ]),
    ).toEqual({
      members: { u2: { n: 2 } },
    });
    expect(run({ a: 1 }, {}, [{ op: 'remove', path: 'missing' }])).toEqual({ a: 1 });
  });

  it('delete-entity makes the state null; a later merge recreates it', () => {
    const rules = compileRules('Deleted', [{ op: 'delete-entity' }]);
    expect(applyRules({ a: 1 }, {}, rules)).toBeNull();
    expect(run(null, { a: 2 }, [{ op: 'merge' }])).toEqual({ a: 2 });
    expect(run(null, { v: 2 }, [{ op: 'set', path: 'a', from: 'v' }])).toEqual({ a: 2 });
  });

  it('applies rules in order, and an empty list changes nothing', () => {
    expect(
      run({ n: 1 }, { v: 10 }, [
        { op: 'set', path: 'n', from: 'v' },
        { op: 'increment', path: 'n' },
        { op: 'append', path: 'log', from: 'v' },
      ]),
    ).toEqual({ n: 11, log: [10] });
    expect(run({ n: 1 }, { n: 2 }, [])).toEqual({ n: 1 });
  });

  it('never mutates the state or the data', () => {
    const state = { a: { b: [1, 2] }, n: 1 };
    const data = { x: { y: 1 } };
    const before = JSON.stringify([state, data]);
    run(state, data, [
      { op: 'set', path: 'a.b.0', value: 9 },
      { op: 'increment', path: 'n' },
      { op: 'append', path: 'a.b', value: 3 },
      { op: 'remove', path: 'a.b', value: 2 },
      { op: 'merge', path: 'x', from: 'x' },
    ]);
    expect(JSON.stringify([state, data])).toBe(before);
  });

  it('hostile keys in data and paths are harmless', () => {
    const data = JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    const out = applyRules(
      {},
      data,
      compileRules('Evil', [
        { op: 'merge' },
        { op: 'set', path: ['__proto__', 'polluted'], value: true },
        { op: 'set', path: 'constructor.prototype.polluted', value: true },
        { op: 'set', path: 'copy', from: '__proto__' },
        { op: 'set', path: 'ctor', from: 'prototype' },
        { op: 'increment', path: '__proto__.count' },
        { op: 'append', path: 'prototype', value: 1 },
      ]),
    ) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as unknown as Record<string, unknown>).count).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(JSON.stringify(out)).toBe(
      '{"__proto__":{"polluted":true,"count":1},"constructor":{"prototype":{"polluted":true}},"copy":{"polluted":true},"prototype":[1]}',
    );
    // Reading an inherited name from plain data finds nothing (own properties only).
    expect(plain(applyRules({}, { a: 1 }, compileRules('T', [{ op: 'set', path: 'x', from: 'constructor' }])))).toEqual(
      {},
    );
  });
});

describe('rule validation', () => {
  const reject = (rules: unknown) => {
    try {
      compileRules('OrderNoteAdded', rules);
    } catch (error) {
      expect(error).toBeInstanceOf(HindsightError);
      expect((error as HindsightError).code).toBe('invalid_input');
      return (error as HindsightError).message;
    }
    throw new Error('expected the rules to be refused');
  };

  it('names the event type, the rule and the problem', () => {
    expect(reject([{ op: 'merge' }, { op: 'explode', path: 'a' }])).toMatch(
      /event type "OrderNoteAdded".*rule 2 \(explode\)/,
    );
    expect(reject([{ op: 'set', path: 'a' }])).toMatch(/rule 1 \(set\).*exactly one of "from".*"value"/);
    expect(reject([{ op: 'set', path: 'a', from: 'b', value: 1 }])).toMatch(/rule 1 \(set\)/);
    expect(reject([{ op: 'increment', path: '' }])).toMatch(/rule 1 \(increment\).*must name a field/);
    expect(reject([{ op: 'increment', path: 'n', by: 1, from: 'x' }])).toMatch(/not both/);
    expect(reject([{ op: 'remove', path: 'a', match: 'id' }])).toMatch(/"match" needs/);
    expect(reject([{ op: 'delete-entity', path: 'x' }])).toMatch(/rule 1 \(delete-entity\).*Unrecognized key/);
    expect(reject([{ op: 'set', path: 42, value: 1 }])).toMatch(/rule 1 \(set\) "path"/);
    expect(reject({ op: 'merge' })).toMatch(/OrderNoteAdded/);
    expect(reject(Array.from({ length: 101 }, () => ({ op: 'merge' })))).toMatch(/OrderNoteAdded/);
    expect(reject([{ op: 'set', path: Array.from({ length: 40 }, () => 'k'), value: 1 }])).toMatch(/rule 1 \(set\)/);
  });

  it('refuses text that is not JSON, or too long, naming the event type', () => {
    expect(() => compileRulesText('Weird', '[{')).toThrow(/event type "Weird" are not valid JSON/);
    expect(() => compileRulesText('Weird', `[${' '.repeat(70_000)}]`)).toThrow(/event type "Weird".*limit/);
  });

  it('accepts every documented rule shape', () => {
    const rules = compileRules('All', [
      { op: 'merge' },
      { op: 'merge', path: 'a', from: 'b' },
      { op: 'set', path: 'a', from: 'b' },
      { op: 'set', path: ['a', 'b'], value: { any: ['json'] } },
      { op: 'increment', path: 'n' },
      { op: 'increment', path: 'n', by: 2 },
      { op: 'increment', path: 'n', from: 'amount' },
      { op: 'append', path: 'l', from: 'x', each: true },
      { op: 'append', path: 'l', value: 1 },
      { op: 'remove', path: 'k' },
      { op: 'remove', path: 'l', value: 1 },
      { op: 'remove', path: 'l', from: 'id', match: 'id' },
      { op: 'delete-entity' },
    ]);
    expect(rules).toHaveLength(13);
  });
});
