import { describe, expect, it } from 'vitest';
import { bucketSeries, numericFields, type SeriesPoint } from '../../../electron/core/history/valueSeries';

function series(values: unknown[], versions?: number[]): SeriesPoint[] {
  return values.map((value, i) => {
    const version = versions?.[i] ?? i + 1;
    return { version, position: version * 10, recordedAt: version * 1000, occurredAt: version * 1000, value };
  });
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return s / 4294967296;
  };
}

describe('bucketSeries', () => {
  it('leaves a series that fits alone', () => {
    const points = series([1, 2, 3]);
    expect(bucketSeries(points, 4)).toEqual(points);
  });

  it('keeps at most maxPoints, the first and last points, and every bucket’s extremes', () => {
    const random = lcg(7);
    for (const [length, maxPoints] of [
      [10_000, 2000],
      [5000, 100],
      [1001, 1000],
      [999, 4],
      [50, 7],
    ] as const) {
      const values = Array.from({ length }, () => Math.round(random() * 1e6) - 5e5);
      const versions: number[] = [];
      let v = 0;
      for (let i = 0; i < length; i++) {
        v += 1 + Math.floor(random() * 5);
        versions.push(v);
      }
      const points = series(values, versions);
      const out = bucketSeries(points, maxPoints);
      expect(out.length).toBeLessThanOrEqual(maxPoints);
      expect(out[0]).toBe(points[0]);
      expect(out[out.length - 1]).toBe(points[points.length - 1]);
      // Still a series in version order, made of original points.
      for (let i = 1; i < out.length; i++) expect(out[i]!.version).toBeGreaterThan(out[i - 1]!.version);
      // The global extremes survive.
      const min = Math.min(...values);
      const max = Math.max(...values);
      expect(out.some((p) => p.value === min)).toBe(true);
      expect(out.some((p) => p.value === max)).toBe(true);
      // Each bucket's extremes survive: check against a recomputation of the buckets.
      const buckets = Math.floor(maxPoints / 4);
      const first = points[0]!.version;
      const width = (points[points.length - 1]!.version - first + 1) / buckets;
      const byBucket = new Map<number, SeriesPoint[]>();
      for (const p of points) {
        const b = Math.min(buckets - 1, Math.floor((p.version - first) / width));
        byBucket.set(b, [...(byBucket.get(b) ?? []), p]);
      }
      for (const members of byBucket.values()) {
        const vals = members.map((p) => p.value as number);
        expect(out).toContain(members.find((p) => p.value === Math.min(...vals)));
        expect(out).toContain(members.find((p) => p.value === Math.max(...vals)));
        expect(out).toContain(members[0]);
        expect(out).toContain(members[members.length - 1]);
      }
    }
  });

  it('for non-numeric values keeps the first and last point of each bucket', () => {
    const points = series(Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 'open' : 'frozen')));
    const out = bucketSeries(points, 8);
    expect(out.length).toBeLessThanOrEqual(8);
    expect(out[0]).toBe(points[0]);
    expect(out[out.length - 1]).toBe(points[99]);
  });
});

describe('numericFields', () => {
  it('lists the numeric leaves of objects and arrays', () => {
    const state = {
      balance: 10,
      owner: { name: 'x', age: 40 },
      lines: [{ q: 1, p: 2.5 }, { q: 3 }],
      ok: true,
      none: null,
    };
    expect(numericFields(state)).toEqual([
      { path: ['balance'], value: 10 },
      { path: ['owner', 'age'], value: 40 },
      { path: ['lines', '0', 'q'], value: 1 },
      { path: ['lines', '0', 'p'], value: 2.5 },
      { path: ['lines', '1', 'q'], value: 3 },
    ]);
    expect(numericFields(5)).toEqual([{ path: [], value: 5 }]);
    expect(numericFields({ list: Array.from({ length: 50 }, (_, i) => i) }, 10)).toHaveLength(10);
    expect(numericFields(JSON.parse('{"__proto__":{"n":1}}'))).toEqual([{ path: ['__proto__', 'n'], value: 1 }]);
  });
});
