import { describe, expect, it } from 'vitest';
import { categoryOf, LIMITS, validateEventType, validateStreamId } from '../../../electron/core/store/limits';

describe('stream ids and event types', () => {
  it('accepts ordinary ids and the longest allowed one', () => {
    expect(validateStreamId('account-42')).toBe('account-42');
    expect(validateStreamId('x'.repeat(LIMITS.maxStreamIdLength))).toHaveLength(256);
    expect(validateEventType('AccountOpened')).toBe('AccountOpened');
  });

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(257)],
    ['a newline', 'a\nb'],
    ['a NUL', 'a\u0000b'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['a line separator', 'a\u2028b'],
    ['leading space', ' a'],
    ['an unpaired surrogate', 'a\ud800'],
    ['not a string', 42],
  ])('refuses a stream id with %s (invalid_input)', (_label, value) => {
    expect(() => validateStreamId(value)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => validateEventType(value)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });

  it('takes the category from the text before the first dash', () => {
    expect(categoryOf('account-42')).toBe('account');
    expect(categoryOf('order-2024-001')).toBe('order');
    expect(categoryOf('singleton')).toBe('singleton');
    expect(categoryOf('-x')).toBe('');
  });
});
