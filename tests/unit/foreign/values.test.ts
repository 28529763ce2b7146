import { describe, expect, it } from 'vitest';
import { suggestMapping, validateMapping } from '../../../electron/core/foreign/mapping';
import { dataFromValue, metadataFromValue, nameFromValue, timeFromValue } from '../../../electron/core/foreign/values';
import { isUuid, uuidFromHex } from '../../../electron/core/store/uuidv7';
import type { ForeignTable } from '../../../shared/types';

describe('times from foreign columns', () => {
  const noon = Date.UTC(2024, 2, 1, 12, 0, 0);
  it.each([
    ['SQLite text, UTC', '2024-03-01 12:00:00', noon],
    ['ISO with Z and ms', '2024-03-01T12:00:00.250Z', noon + 250],
    ['ISO with an offset', '2024-03-01T13:30:00+01:30', noon],
    ['a date alone', '2024-03-01', Date.UTC(2024, 2, 1)],
    ['Unix seconds', noon / 1000, noon],
    ['Unix seconds as text', String(noon / 1000), noon],
    ['Unix ms', noon, noon],
    ['Unix µs', noon * 1000, noon],
    ['a bigint of ms', BigInt(noon), noon],
    ['a Julian day (julianday())', 2460371.0000001, Math.round((2460371.0000001 - 2440587.5) * 86_400_000)],
  ])('%s', (_name, value, expected) => {
    expect(timeFromValue(value)).toBe(expected);
  });
  it.each([['yesterday'], [''], [null], [Number.NaN], [{}], ['2024-13-45 99:99']])('unreadable: %j', (value) => {
    expect(timeFromValue(value)).toBeNull();
  });
});

describe('data, metadata and names from foreign columns', () => {
  it('parses JSON text, keeps other text, reads UTF-8 BLOBs, describes binary ones', () => {
    expect(dataFromValue('{"a":1}')).toEqual({ value: { a: 1 } });
    expect(dataFromValue('2024 report, final')).toEqual({ value: '2024 report, final' });
    expect(dataFromValue(Buffer.from('{"b":[1,2]}'))).toEqual({ value: { b: [1, 2] } });
    expect(dataFromValue(null)).toEqual({ value: null });
    const binary = dataFromValue(Buffer.from([0xff, 0xfe, 0x00, 0x81]));
    expect(binary.problem).toMatch(/4 bytes of binary data/);
    expect(binary.value).toEqual({ $unreadable: expect.stringMatching(/binary/) });
  });
  it('never parses what is too big or too deeply nested', () => {
    const deep = dataFromValue(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(deep.value).toEqual({ $unreadable: expect.stringMatching(/nested more than 64 levels/) });
    const big = dataFromValue(`"${'x'.repeat(2 * 1024 * 1024)}"`);
    expect(big.value).toEqual({
      $unreadable: expect.stringMatching(/bytes; Hindsight shows payloads up to 1,048,576/),
    });
  });
  it('keeps __proto__ an own key of the data, without touching any prototype', () => {
    const { value } = dataFromValue('{"__proto__":{"polluted":true}}');
    expect(Object.keys(value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('names what was too big: the data or the metadata', () => {
    const big = `"${'x'.repeat(2 * 1024 * 1024)}"`;
    expect(metadataFromValue(big).value).toEqual({ $unreadable: expect.stringMatching(/^The stored metadata is/) });
    expect(dataFromValue(big).value).toEqual({ $unreadable: expect.stringMatching(/^The stored data is/) });
  });
  it('always gives metadata as an object', () => {
    expect(metadataFromValue('{"actor":"ada"}').value).toEqual({ actor: 'ada' });
    expect(metadataFromValue('[1,2]').value).toEqual({ value: [1, 2] });
    expect(metadataFromValue(null).value).toEqual({});
  });
  it('cleans names the format cannot hold, and says so', () => {
    expect(nameFromValue('cart-1', 256, '(no stream)')).toEqual({ name: 'cart-1', changed: false });
    expect(nameFromValue(' a\u0000b ', 256, '(no stream)')).toEqual({ name: 'a\uFFFDb', changed: true });
    expect(nameFromValue('', 256, '(no stream)')).toEqual({ name: '(no stream)', changed: true });
    expect(nameFromValue(42, 256, '(no stream)')).toEqual({ name: '42', changed: false });
    expect(nameFromValue('x'.repeat(300), 256, '(no type)').name).toHaveLength(256);
  });
});

describe('column mappings', () => {
  const table = (name: string, columns: string[], rows = 10): ForeignTable => ({
    name,
    rows,
    columns: columns.map((column) => ({ name: column, declaredType: 'TEXT' })),
    sample: [],
  });
  it('suggests the table that looks most like events, with columns by their names', () => {
    const tables = [
      table('users', ['id', 'name', 'email']),
      table('Events', ['Id', 'Stream_Id', 'Type', 'Payload', 'Created_At']),
    ];
    expect(suggestMapping(tables)).toEqual({
      table: 'Events',
      position: 'Id',
      stream: 'Stream_Id',
      type: 'Type',
      data: 'Payload',
      time: 'Created_At',
    });
    expect(suggestMapping([table('users', ['id', 'name', 'email'])])).toBeNull();
  });
  it('refuses a missing table, a missing required role or an unknown column, naming it', () => {
    const tables = [table('log', ['s', 't', 'd', 'ts'])];
    expect(() => validateMapping({ table: 'nope', stream: 's', type: 't', data: 'd' }, tables)).toThrow(
      'The file has no table named "nope".',
    );
    expect(() => validateMapping({ table: 'log', stream: 's', type: '', data: 'd' }, tables)).toThrow(
      'Choose the column that holds the event type.',
    );
    expect(() => validateMapping({ table: 'log', stream: 's', type: 't', data: 'd', time: 'when' }, tables)).toThrow(
      'The table "log" has no column "when" (chosen for the time).',
    );
    expect(
      validateMapping({ table: 'log', stream: 's', type: 't', data: 'd', time: 'ts', version: '' }, tables),
    ).toEqual({ table: 'log', stream: 's', type: 't', data: 'd', time: 'ts' });
  });
});

describe('ids derived from a hash', () => {
  it('are valid version 8 UUIDs, the same for the same hash, different for another', () => {
    const a = uuidFromHex('0123456789abcdef0123456789abcdef0123');
    expect(isUuid(a)).toBe(true);
    expect(a[14]).toBe('8');
    expect('89ab').toContain(a[19]);
    expect(uuidFromHex('0123456789abcdef0123456789abcdef0123')).toBe(a);
    expect(uuidFromHex('f123456789abcdef0123456789abcdef0123')).not.toBe(a);
  });
});
