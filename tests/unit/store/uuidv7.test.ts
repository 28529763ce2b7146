import { describe, expect, it } from 'vitest';
import { isUuid, normalizeEventId, uuidv7, uuidv7Time } from '../../../electron/core/store/uuidv7';

describe('uuidv7', () => {
  it('has the UUIDv7 layout: version 7, RFC 9562 variant, the time in the first 48 bits', () => {
    const now = Date.UTC(2024, 4, 1, 12, 0, 0, 123);
    const id = uuidv7(now + 1e7); // later than anything generated before in this process
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidv7Time(id)).toBe(now + 1e7);
  });

  it('is strictly increasing within one millisecond and across a clock that goes back', () => {
    const ids: string[] = [];
    const t = Date.now() + 10 ** 9;
    for (let i = 0; i < 10_000; i++) ids.push(uuidv7(t));
    ids.push(uuidv7(t - 5000)); // clock stepped back
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('validates and lower-cases given ids', () => {
    expect(isUuid('0190A5C4-7B2E-7C1D-9F00-1A2B3C4D5E6F')).toBe(true);
    expect(normalizeEventId('0190A5C4-7B2E-7C1D-9F00-1A2B3C4D5E6F')).toBe('0190a5c4-7b2e-7c1d-9f00-1a2b3c4d5e6f');
    for (const bad of [
      '',
      'not-a-uuid',
      '0190a5c47b2e7c1d9f001a2b3c4d5e6f',
      '{0190a5c4-7b2e-7c1d-9f00-1a2b3c4d5e6f}',
      42,
    ]) {
      expect(() => normalizeEventId(bad)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    }
  });
});
