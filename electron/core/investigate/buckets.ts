/**
 * Time buckets and robust statistics, as pure functions: the round bucket widths charts use, and the
 * median / MAD spike rule of the activity chart.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Round widths, smallest first. Beyond the last, multiples of 30 days. */
export const NICE_WIDTHS_MS: readonly number[] = [
  1,
  2,
  5,
  10,
  20,
  50,
  100,
  200,
  500,
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
];

/** Number of buckets of `width` (aligned to multiples of `width` since 1970) that cover [from, to]. */
export function bucketCount(from: number, to: number, width: number): number {
  return Math.floor(to / width) - Math.floor(from / width) + 1;
}

/**
 * The smallest round width ≥ `minWidth` whose aligned buckets cover [from, to] in at most `maxBuckets`
 * buckets. Buckets start at multiples of the width (UTC), so minutes start on the minute, days at midnight UTC.
 */
export function niceBucketWidth(from: number, to: number, maxBuckets: number, minWidth = 1): number {
  for (const width of NICE_WIDTHS_MS) {
    if (width < minWidth) continue;
    if (bucketCount(from, to, width) <= maxBuckets) return width;
  }
  let width = 60 * DAY;
  while (bucketCount(from, to, width) > maxBuckets) width += 30 * DAY;
  return width;
}

/** Start of the aligned bucket holding `t`. */
export function bucketStart(t: number, width: number): number {
  return Math.floor(t / width) * width;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute deviation from the median. */
export function mad(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

/** 1.4826 · MAD estimates the standard deviation of normally distributed data. */
export const MAD_SCALE = 1.4826;

export interface SpikeRun {
  /** Index of the first and last bucket of the run (inclusive). */
  first: number;
  last: number;
  /** Index of the largest bucket. */
  peakIndex: number;
  peak: number;
  sum: number;
  score: number;
}

export interface SpikeDetection {
  median: number;
  mad: number;
  threshold: number;
  runs: SpikeRun[];
}

/**
 * Buckets whose count exceeds `median + k · 1.4826 · MAD` are spikes; neighbouring spike buckets form one run.
 * When MAD is 0 (most buckets equal, e.g. empty nights), the scale falls back to 1 event so that a flat series
 * with a single extra event is not a spike. Runs are returned largest peak first.
 */
export function detectSpikes(counts: readonly number[], k = 6): SpikeDetection {
  const m = median(counts);
  const d = mad(counts, m);
  const scale = Math.max(MAD_SCALE * d, 1);
  const threshold = m + k * scale;
  const runs: SpikeRun[] = [];
  let current: SpikeRun | undefined;
  counts.forEach((count, i) => {
    if (count > threshold) {
      if (current === undefined || current.last !== i - 1) {
        current = { first: i, last: i, peakIndex: i, peak: count, sum: 0, score: 0 };
        runs.push(current);
      }
      current.last = i;
      current.sum += count;
      if (count > current.peak) {
        current.peak = count;
        current.peakIndex = i;
      }
    }
  });
  for (const run of runs) run.score = (run.peak - m) / scale;
  runs.sort((a, b) => b.peak - a.peak || a.first - b.first);
  return { median: m, mad: d, threshold, runs };
}
