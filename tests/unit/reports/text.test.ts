import { describe, expect, it } from 'vitest';
import { niceMax } from '../../../electron/core/reports/chart';
import {
  cssString,
  displayTime,
  escapeHtml,
  formatDuration,
  formatInt,
  isoTime,
  prettyJson,
  shellQuote,
  stableJson,
} from '../../../electron/core/reports/text';
import { CsvError, parseCsvStrict } from './rfc4180';

describe('deterministic text helpers', () => {
  it('formats integers with commas, without the locale', () => {
    expect([0, 7, 999, 1000, 12345, 1234567, -9876543].map(formatInt)).toEqual([
      '0',
      '7',
      '999',
      '1,000',
      '12,345',
      '1,234,567',
      '-9,876,543',
    ]);
  });

  it('writes times in UTC whatever the time zone', () => {
    expect(isoTime(Date.UTC(2024, 4, 1, 9, 5, 7, 12))).toBe('2024-05-01T09:05:07.012Z');
    expect(displayTime('2024-05-01T09:05:07.012Z')).toBe('2024-05-01 09:05:07.012');
    expect(formatDuration(60_000)).toBe('1 minute');
    expect(formatDuration(900_000)).toBe('15 minutes');
    expect(formatDuration(86_400_000 * 2)).toBe('2 days');
    expect(formatDuration(250)).toBe('250 ms');
  });

  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')"> & co`)).toBe(
      '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; co',
    );
  });

  it('writes CSS strings that cannot close the string, the rule or the style element', () => {
    const css = cssString('a "b" \\ </style><script>} · ü 😀');
    expect(css.startsWith('"') && css.endsWith('"')).toBe(true);
    expect(css.slice(1, -1)).not.toMatch(/["\\]\s*$|[<>"{}]/);
    expect(css).toContain('\\000022 b\\000022 '); // the space after an escape keeps the real space
    expect(css).toContain('\\01f600 ');
  });

  it('stableJson sorts keys by code units at every level and drops undefined members', () => {
    const value = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined }, B: 'x', '10': true, '9': false };
    expect(stableJson(value)).toBe('{"10":true,"9":false,"B":"x","a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(stableJson(value, 2)).toContain('\n  "9": false,\n');
    expect(JSON.parse(stableJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('prettyJson keeps small values on one line and breaks large ones', () => {
    expect(prettyJson({ amount: 500, currency: 'EUR' })).toBe('{"amount": 500, "currency": "EUR"}');
    const big = { items: Array.from({ length: 12 }, (_, i) => ({ sku: `SKU-${i}`, qty: i })) };
    const text = prettyJson(big);
    expect(text.split('\n').length).toBeGreaterThan(10);
    expect(JSON.parse(text)).toEqual(big);
  });

  it('quotes file names for the re-check sentence only when needed', () => {
    expect(shellQuote('audit.hindsight')).toBe('audit.hindsight');
    expect(shellQuote("my file's.hindsight")).toBe(`'my file'\\''s.hindsight'`);
  });

  it('chart axes end on round numbers', () => {
    expect([0, 1, 3, 7, 12, 25, 99, 101, 4900].map(niceMax)).toEqual([1, 1, 5, 10, 20, 25, 100, 200, 5000]);
  });
});

describe('the strict RFC 4180 parser of the tests', () => {
  it('parses quoted fields with commas, quotes and line breaks', () => {
    expect(parseCsvStrict('a,b,c\r\n"x,1","say ""hi""","l1\r\nl2"\r\n,,\r\n')).toEqual([
      ['a', 'b', 'c'],
      ['x,1', 'say "hi"', 'l1\r\nl2'],
      ['', '', ''],
    ]);
  });

  it('refuses what RFC 4180 does not allow', () => {
    for (const bad of ['a,b\n1,2\n', 'a,b\r\n1,2', 'a,b\r\n1\r\n', 'a\r\nx"y\r\n', 'a\r\n"x"y\r\n', 'a\r\n"open\r\n']) {
      expect(() => parseCsvStrict(bad), JSON.stringify(bad)).toThrow(CsvError);
    }
  });
});
