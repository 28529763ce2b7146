import { describe, expect, it } from 'vitest';
import {
  bucketCount,
  bucketStart,
  detectSpikes,
  mad,
  median,
  NICE_WIDTHS_MS,
  niceBucketWidth,
} from '../../../electron/core/investigate/buckets';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe('niceBucketWidth', () => {
  it('keeps one-minute buckets when they fit, and widens to a round width when they do not', () => {
    const from = Date.UTC(2026, 1, 2);
    expect(niceBucketWidth(from, from + 100 * MINUTE, 2000, MINUTE)).toBe(MINUTE);
    const fourWeeks = niceBucketWidth(from, from + 28 * DAY, 2000, MINUTE);
    expect(fourWeeks).toBe(30 * MINUTE);
    expect(bucketCount(from, from + 28 * DAY, fourWeeks)).toBeLessThanOrEqual(2000);
    expect(NICE_WIDTHS_MS).toContain(fourWeeks);
  });

  it('never exceeds the bucket budget, whatever the range and alignment', () => {
    for (const [span, max] of [
      [1, 1],
      [999, 7],
      [3 * DAY + 17, 200],
      [400 * DAY, 50],
      [40 * 365 * DAY, 3],
    ] as const) {
      const from = 1_700_000_000_123;
      const width = niceBucketWidth(from, from + span, max);
      expect(bucketCount(from, from + span, width)).toBeLessThanOrEqual(max);
    }
  });

  it('aligns buckets to multiples of the width (minutes on the minute, days at midnight UTC)', () => {
    expect(bucketStart(Date.UTC(2026, 1, 2, 14, 7, 31), MINUTE)).toBe(Date.UTC(2026, 1, 2, 14, 7));
    expect(bucketStart(Date.UTC(2026, 1, 2, 14, 7, 31), DAY)).toBe(Date.UTC(2026, 1, 2));
  });
});

describe('median, MAD and spikes', () => {
  it('computes the median and the median absolute deviation', () => {
    expect(median([])).toBe(0);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
  });

  it('marks a planted spike and nothing in normal noise', () => {
    const counts = Array.from({ length: 500 }, (_, i) => 10 + ((i * 7) % 5));
    expect(detectSpikes(counts).runs).toEqual([]);
    counts[200] = 80;
    counts[201] = 95;
    const { runs, threshold } = detectSpikes(counts);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ first: 200, last: 201, peakIndex: 201, peak: 95, sum: 175 });
    expect(threshold).toBeLessThan(80);
    expect(runs[0]!.score).toBeGreaterThan(6);
  });

  it('does not call one extra event a spike when most buckets are equal (MAD 0)', () => {
    const counts = new Array(100).fill(0);
    counts[10] = 1;
    expect(detectSpikes(counts).runs).toEqual([]);
    counts[50] = 40;
    expect(detectSpikes(counts).runs.map((r) => r.first)).toEqual([50]);
  });

  it('orders runs by their peak', () => {
    const counts = new Array(100).fill(5);
    counts[10] = 60;
    counts[70] = 90;
    expect(detectSpikes(counts).runs.map((r) => r.first)).toEqual([70, 10]);
  });
});
