import { describe, expect, it } from 'vitest';
import { HindsightError } from '../../../electron/core/errors';
import { canonicalize, canonicalizeMeasured, parseJsonText } from '../../../electron/core/store/canonicalJson';
import { LIMITS } from '../../../electron/core/store/limits';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof HindsightError ? error.code : `not a HindsightError: ${String(error)}`;
  }
  return undefined;
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('canonicalize', () => {
  it('sorts keys by UTF-16 code units at every level and writes no white space', () => {
    expect(canonicalize({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('orders keys as RFC 8785 does (UTF-16 order, not code point order)', () => {
    // RFC 8785 §3.2.3: U+1F600 (surrogates D83D DE00) sorts before U+FB33 in UTF-16 code units.
    const value = { '\u20ac': 1, '\r': 2, '\ufb33': 3, '1': 4, '\ud83d\ude00': 5, '\u0080': 6, '\u00f6': 7 };
    const keys = Object.keys(JSON.parse(canonicalize(value)));
    expect(keys).toEqual(['1', '\r', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
    // (JSON.parse puts the integer-like key "1" first again; compare the text instead.)
    expect(canonicalize(value)).toBe('{"\\r":2,"1":4,"\u0080":6,"ö":7,"€":1,"😀":5,"דּ":3}');
  });

  it('formats numbers as JavaScript does (ECMAScript Number::toString)', () => {
    expect(canonicalize([0, -0, 1.0, 0.1, 1e21, 1e-7, 123456789012345680000, -1.5, 2 ** 53])).toBe(
      '[0,0,1,0.1,1e+21,1e-7,123456789012345680000,-1.5,9007199254740992]',
    );
  });

  it('escapes strings like JSON.stringify and keeps other characters as they are', () => {
    expect(canonicalize({ s: 'a"b\\c\n\t\u0000\u001f/é😀' })).toBe('{"s":"a\\"b\\\\c\\n\\t\\u0000\\u001f/é😀"}');
  });

  it('keeps a "__proto__" key as plain data without touching any prototype', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":true},"a":1}');
    expect(canonicalize(parsed)).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('is idempotent: canonical text parses back to the same canonical text', () => {
    const samples = [{ x: [1, 'two', { three: 3.5 }], y: { '': true, ' ': false } }, [], {}, 'text', 42, null];
    for (const sample of samples) {
      const once = canonicalize(sample);
      expect(canonicalize(JSON.parse(once))).toBe(once);
    }
  });

  it.each([
    ['NaN', { a: Number.NaN }, 'value.a is NaN'],
    ['Infinity', { a: [1, Number.POSITIVE_INFINITY] }, 'value.a[1] is Infinity'],
    ['undefined', { a: { b: undefined } }, 'value.a.b is undefined'],
    ['a function', { f: () => 1 }, 'value.f is a function'],
    ['a symbol', [Symbol('s')], 'value[0] is a symbol'],
    ['a bigint', { n: 10n }, 'value.n is a bigint'],
    ['a Date', { d: new Date(0) }, 'value.d is a Date'],
    ['a Map', { m: new Map() }, 'value.m is a Map'],
    ['a class instance', { c: new (class Money {})() }, 'value.c is a Money'],
    ['an unpaired surrogate', { s: 'a\ud800b' }, 'value.s contains an unpaired UTF-16 surrogate'],
    ['symbol keys', { [Symbol('k')]: 1 }, 'value has symbol keys'],
  ])('refuses %s with invalid_input naming the path', (_label, value, message) => {
    expect(codeOf(() => canonicalize(value))).toBe('invalid_input');
    expect(messageOf(() => canonicalize(value))).toContain(message);
  });

  it('refuses top-level undefined', () => {
    expect(codeOf(() => canonicalize(undefined, { what: 'data' }))).toBe('invalid_input');
    expect(messageOf(() => canonicalize(undefined, { what: 'data' }))).toBe(
      'data is undefined, which JSON cannot hold.',
    );
  });

  it('tells a cycle from deep nesting', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(messageOf(() => canonicalize(cyclic))).toContain('circular reference');
  });

  it('accepts nesting up to the limit and refuses one level more', () => {
    const nest = (levels: number): unknown => {
      let v: unknown = 1;
      for (let i = 0; i < levels; i++) v = [v];
      return v;
    };
    expect(() => canonicalize(nest(LIMITS.maxNestingDepth))).not.toThrow();
    expect(codeOf(() => canonicalize(nest(LIMITS.maxNestingDepth + 1)))).toBe('invalid_input');
    expect(messageOf(() => canonicalize(nest(LIMITS.maxNestingDepth + 1)))).toContain('nested deeper than 64 levels');
  });

  it('measures UTF-8 bytes and refuses output over the cap with payload_too_large', () => {
    expect(canonicalizeMeasured('é')).toEqual({ text: '"é"', bytes: 4 });
    expect(codeOf(() => canonicalize('x'.repeat(100), { maxBytes: 50 }))).toBe('payload_too_large');
    // Multi-byte characters count by bytes: 20 × "é" is 22 characters but 42 bytes.
    expect(codeOf(() => canonicalize('é'.repeat(20), { maxBytes: 30 }))).toBe('payload_too_large');
    expect(codeOf(() => canonicalize({ big: 'x'.repeat(LIMITS.maxEventPayloadBytes) }))).toBe('payload_too_large');
  });
});

describe('parseJsonText', () => {
  it('parses valid JSON', () => {
    expect(parseJsonText('{"a":[1,2]}', '--data')).toEqual({ a: [1, 2] });
  });

  it('refuses invalid JSON with invalid_input naming the field', () => {
    expect(codeOf(() => parseJsonText('{bad', '--data'))).toBe('invalid_input');
    expect(messageOf(() => parseJsonText('{bad', '--data'))).toMatch(/^--data is not valid JSON/);
  });

  it('refuses text over the limit before parsing it', () => {
    expect(codeOf(() => parseJsonText(`"${'x'.repeat(100)}"`, '--data', 50))).toBe('payload_too_large');
  });
});

describe('canonicalize: the fast path (native JSON.stringify) and the careful walk agree', () => {
  /** A reference written from RFC 8785's rules: keys sorted as strings (UTF-16 code units). */
  function reference(v: unknown): string {
    if (typeof v !== 'object' || v === null) return JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map(reference).join(',')}]`;
    const record = v as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${reference(record[k])}`)
      .join(',')}}`;
  }

  const KEYS = [
    'a',
    'b',
    'Z',
    '10',
    '9',
    '0',
    '01',
    '__proto__',
    'é',
    '😀',
    '\ufb33',
    '',
    ' ',
    'constructor',
    'toString',
  ];
  function randomValue(random: () => number, depth: number): unknown {
    const pick = random();
    if (depth > 4 || pick < 0.35) {
      const leaves = [0, -1.5, 1e21, 5e-7, 'text', 'ü😀', '', true, false, null, 123456789];
      return leaves[Math.floor(random() * leaves.length)];
    }
    if (pick < 0.55) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
    const obj: Record<string, unknown> = {};
    for (let i = Math.floor(random() * 5); i > 0; i--) {
      Object.defineProperty(obj, KEYS[Math.floor(random() * KEYS.length)]!, {
        value: randomValue(random, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return obj;
  }

  it('on 5000 random values, including index-like keys, "__proto__" and non-BMP keys', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < 5000; i++) {
      const value = randomValue(random, 0);
      const text = canonicalize(value);
      expect(text).toBe(reference(value));
      expect(canonicalize(JSON.parse(text))).toBe(text);
    }
  });
});
