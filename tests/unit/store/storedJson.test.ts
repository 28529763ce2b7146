import { describe, expect, it } from 'vitest';
import { applyMergePatch } from '../../../electron/core/history/mergePatch';
import { genericReducer } from '../../../electron/core/history/reducers';
import { LIMITS } from '../../../electron/core/store/limits';
import {
  isUnreadable,
  nestedDeeperThan,
  parseStoredData,
  parseStoredMetadata,
  parseStoredPayload,
} from '../../../electron/core/store/storedJson';

const deep = (levels: number, open = '[', close = ']') => `${open.repeat(levels)}${close.repeat(levels)}`;
const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe('parseStoredData / parseStoredMetadata: stored JSON is never trusted', () => {
  it('parses ordinary payloads as JSON.parse does', () => {
    expect(parseStoredData('{"amount":12.5,"lines":[{"sku":"A"}]}')).toEqual({ amount: 12.5, lines: [{ sku: 'A' }] });
    expect(parseStoredData('"text"')).toBe('text');
    expect(parseStoredData('null')).toBeNull();
    expect(parseStoredMetadata('{"actor":"ann"}')).toEqual({ actor: 'ann' });
    expect(parseStoredPayload('[1,2]')).toEqual([1, 2]);
  });

  it('refuses payloads over the size limit before parsing, naming both sizes in bytes', () => {
    const big = JSON.stringify({ pad: 'x'.repeat(5 * 1024 * 1024) });
    expect(parseStoredData(big)).toEqual({
      $unreadable: `The stored data is ${Buffer.byteLength(big).toLocaleString('en-US')} bytes; Hindsight shows payloads up to 1,048,576 bytes.`,
    });
    // Counted in UTF-8 bytes, not characters: 400,000 × "€" is 1.2 MB.
    const euros = JSON.stringify('€'.repeat(400_000));
    expect(euros.length).toBeLessThan(LIMITS.maxEventPayloadBytes);
    expect(isUnreadable(parseStoredData(euros))).toBe(true);
    // Exactly at the limit is fine.
    const atLimit = JSON.stringify('y'.repeat(LIMITS.maxEventPayloadBytes - 2));
    expect(parseStoredData(atLimit)).toHaveLength(LIMITS.maxEventPayloadBytes - 2);
  });

  it('refuses nesting deeper than the limit before parsing (arrays, objects, metadata), and nothing overflows', () => {
    expect(parseStoredData(deep(100_000))).toEqual({
      $unreadable:
        'The stored data is nested more than 64 levels deep; Hindsight shows payloads nested up to 64 levels.',
    });
    expect(isUnreadable(parseStoredData(deepObject(100_000)))).toBe(true);
    expect(parseStoredMetadata(deepObject(65)).$unreadable).toMatch(/^The stored metadata is nested more than 64/);
    expect(parseStoredData(deep(64))).toBeInstanceOf(Array);
    expect(isUnreadable(parseStoredData(deep(65)))).toBe(true);
  });

  it('counts brackets inside strings as text, not as nesting', () => {
    const inString = JSON.stringify({ note: '[[[[{{{{'.repeat(50), escaped: '\\"[[[[' });
    expect(nestedDeeperThan(inString, 64)).toBe(false);
    expect(parseStoredData(inString)).toMatchObject({ escaped: '\\"[[[[' });
    // A quote inside a string (escaped) does not end the string.
    const tricky = `{"a":"\\"${'['.repeat(100)}"}`;
    expect(nestedDeeperThan(tricky, 64)).toBe(false);
    expect(nestedDeeperThan(`{"a":"[x]","c":${deep(70)}}`, 64)).toBe(true);
  });

  it('gives a placeholder for text that is not JSON, and never throws', () => {
    const value = parseStoredData('{not json');
    expect(isUnreadable(value)).toBe(true);
    expect((value as { $unreadable: string }).$unreadable).toMatch(/^The stored data is not valid JSON \(.+\)\.$/);
    expect(isUnreadable(parseStoredPayload(''))).toBe(true);
    expect(isUnreadable(parseStoredData(Buffer.from('{}') as unknown as string))).toBe(true);
  });

  it('metadata always comes back as a plain object', () => {
    expect(parseStoredMetadata('[1,2]')).toEqual({
      $unreadable: 'The stored metadata is an array, not a JSON object.',
    });
    expect(parseStoredMetadata('42')).toEqual({ $unreadable: 'The stored metadata is a number, not a JSON object.' });
    expect(parseStoredMetadata('null')).toEqual({ $unreadable: 'The stored metadata is null, not a JSON object.' });
    expect(parseStoredMetadata('"x"')).toEqual({ $unreadable: 'The stored metadata is a string, not a JSON object.' });
    expect(parseStoredMetadata('nope').$unreadable).toMatch(/^The stored metadata is not valid JSON/);
  });

  it('isUnreadable recognises only the marker shape', () => {
    expect(isUnreadable({ $unreadable: 'x' })).toBe(true);
    expect(isUnreadable({ $unreadable: 'x', other: 1 })).toBe(false);
    expect(isUnreadable({ $unreadable: 1 })).toBe(false);
    expect(isUnreadable([{ $unreadable: 'x' }])).toBe(false);
    expect(isUnreadable(null)).toBe(false);
  });

  it('__proto__ and constructor keys read back and folded into state pollute nothing', () => {
    const data = parseStoredData('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    expect(Object.hasOwn(data as object, '__proto__')).toBe(true);
    const metadata = parseStoredMetadata('{"__proto__":{"polluted":true},"actor":"x"}');
    const spread = { ...metadata };
    const reducer = genericReducer();
    let state = reducer.initial();
    for (let version = 1; version <= 3; version++) {
      state = reducer.apply(state, {
        position: version,
        version,
        type: 'Changed',
        data,
        recordedAt: 0,
        occurredAt: 0,
        hash: '',
      });
    }
    const merged = applyMergePatch({}, data) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
    expect(Object.hasOwn(state as object, '__proto__')).toBe(true);
    expect(Object.hasOwn(merged, '__proto__')).toBe(true);
    expect(Object.hasOwn(spread, '__proto__')).toBe(true);
    expect(JSON.stringify(merged)).toBe(
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    );
  });
});
