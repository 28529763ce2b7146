import { describe, expect, it } from 'vitest';
import {
  documentMatches,
  flattenForSearch,
  highlightWords,
  metadataExpression,
  parseSearchText,
  searchDocument,
  tokenize,
} from '../../../electron/core/investigate/searchText';

describe('flattenForSearch', () => {
  it('lists every string and number leaf of nested objects and arrays, in order, without keys', () => {
    const value = {
      a: 'top',
      n: 12.5,
      nested: { deep: ['Zebra crossing', 42, { deeper: 'needle' }] },
      flag: true,
      none: null,
    };
    expect(flattenForSearch(value)).toBe('top 12.5 Zebra crossing 42 needle');
  });

  it('handles scalars, empty values and very deep nesting without throwing', () => {
    expect(flattenForSearch('x')).toBe('x');
    expect(flattenForSearch(7)).toBe('7');
    expect(flattenForSearch(null)).toBe('');
    expect(flattenForSearch({})).toBe('');
    let deep: unknown = 'bottom';
    for (let i = 0; i < 500; i++) deep = [deep];
    expect(() => flattenForSearch(deep)).not.toThrow();
  });

  it('builds the four columns of a search document', () => {
    const doc = searchDocument({
      eventType: 'OrderPlaced',
      streamId: 'order-o-1',
      data: { lines: [{ sku: 'BOOK-42' }] },
      metadata: { actor: 'web-shop' },
    });
    expect(doc).toEqual({ type: 'OrderPlaced', stream: 'order-o-1', data: 'BOOK-42', meta: 'web-shop' });
  });
});

describe('tokenize (mirrors FTS5 unicode61 remove_diacritics 2)', () => {
  it('lower-cases, removes diacritics and splits on punctuation', () => {
    expect(tokenize('Müller-García, ÉCOLE!')).toEqual(['muller', 'garcia', 'ecole']);
    expect(tokenize('payments-worker@2.4.0-rc1')).toEqual(['payments', 'worker', '2', '4', '0', 'rc1']);
    expect(tokenize('  ')).toEqual([]);
  });
});

describe('parseSearchText', () => {
  it('turns words into required quoted phrases', () => {
    expect(parseSearchText('Duplicate charge').match).toBe('"duplicate" AND "charge"');
    expect(parseSearchText('o-1001').match).toBe('"o 1001"');
    expect(parseSearchText('"two words" refund*').match).toBe('"two words" AND "refund" *');
    expect(parseSearchText('"exact phrase"*').match).toBe('"exact phrase" *');
  });

  it('never lets FTS5 syntax through: operators and quotes become words or separators', () => {
    const parsed = parseSearchText('NEAR(a b) OR x:"y" -z ^w AND');
    expect(parsed.match).toBe('"near a" AND "b" AND "or" AND "x y" AND "z" AND "w" AND "and"');
    expect(parseSearchText('a"b').match).toBe('"a b"');
    expect(() => parseSearchText('*')).toThrow(/no word/);
  });

  it('blank text is no filter; punctuation only is an error; limits are enforced', () => {
    expect(parseSearchText('   ')).toEqual({ terms: [], match: null });
    expect(() => parseSearchText('!!! ---')).toThrow(/no word/);
    expect(() => parseSearchText('x'.repeat(1001))).toThrow(/limit is 1000/);
    expect(() => parseSearchText(Array.from({ length: 33 }, (_, i) => `w${i}`).join(' '))).toThrow(/limit is 32/);
  });

  it('gives the words to highlight', () => {
    expect(highlightWords(parseSearchText('Refund refund* "o-1"').terms)).toEqual(['refund', 'o', '1']);
  });
});

describe('metadataExpression', () => {
  it('narrows exact metadata filters to phrases of the meta column', () => {
    expect(metadataExpression(['web-shop'])).toBe('meta : "web shop"');
    expect(metadataExpression(['a', 'b c'])).toBe('meta : ("a" OR "b c")');
    expect(metadataExpression(['!!!'])).toBeNull();
  });
});

describe('documentMatches (the reference the index is tested against)', () => {
  const doc = {
    type: 'MoneyWithdrawn',
    stream: 'account-cust-1',
    data: '4990 EUR',
    meta: 'payments-worker@2.4.0-rc1 o-102443',
  };
  it('requires every term, phrases in one column, prefixes on the last word', () => {
    const match = (text: string) => documentMatches(doc, parseSearchText(text).terms);
    expect(match('eur 4990')).toBe(true);
    expect(match('worker 2.4')).toBe(true);
    expect(match('"worker 2 4 0 rc1"')).toBe(true);
    expect(match('o-1024*')).toBe(true);
    expect(match('o-1024')).toBe(false);
    expect(match('eur refund')).toBe(false);
    expect(match('"withdrawn account"')).toBe(false);
    expect(match('moneywithdrawn')).toBe(true);
  });
});
