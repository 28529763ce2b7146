import { describe, expect, it } from 'vitest';
import { DemoRandom } from '../../../electron/core/investigate/demoRandom';
import { isUuid, uuidv7Time } from '../../../electron/core/store/uuidv7';

describe('DemoRandom', () => {
  it('repeats exactly for a seed and differs between seeds', () => {
    const a = new DemoRandom(7);
    const b = new DemoRandom(7);
    const c = new DemoRandom(8);
    const seq = (r: DemoRandom) => Array.from({ length: 20 }, () => r.uint32());
    const first = seq(a);
    expect(seq(b)).toEqual(first);
    expect(seq(c)).not.toEqual(first);
  });

  it('draws in range', () => {
    const r = new DemoRandom(1);
    for (let i = 0; i < 10_000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      const n = r.int(3, 5);
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
    }
  });

  it('makes valid, unique UUIDv7s carrying the given time', () => {
    const r = new DemoRandom(42);
    const ms = Date.UTC(2026, 1, 17, 14, 5, 30, 332);
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const id = r.uuidv7(ms);
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]!);
      expect(uuidv7Time(id)).toBe(ms);
      ids.add(id);
    }
    expect(ids.size).toBe(10_000);
  });
});
