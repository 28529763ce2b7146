import type { CancelSignal, StoredEvent } from '../store/types';

/**
 * The public types of the investigation services (search, activity, correlation chains, the demo). Plain
 * data only (structured-clone safe), so results cross IPC and are printed by the CLI as they are.
 */

// ---------------------------------------------------------------------------------------------------------------
// Search

/** Filters of a search. All are optional and combine with AND; a list matches any of its values. */
export interface SearchFilters {
  /** recorded_at ≥ this (ms since 1970 UTC). */
  recordedFrom?: number;
  /** recorded_at ≤ this (ms since 1970 UTC). */
  recordedTo?: number;
  /** stream_id starts with this. */
  streamPrefix?: string;
  /** The stream's category (the part of its id before the first `-`). */
  category?: string;
  /** event_type is one of these (1–100 values). */
  types?: string[];
  /** metadata.actor is one of these (1–100 values). */
  actors?: string[];
  /** metadata.correlation_id equals. */
  correlationId?: string;
  /** metadata.command_id equals. */
  commandId?: string;
  /**
   * Free text, matched against the full-text index (event type, stream id and every string/number value of
   * data and metadata). Words separated by spaces must all occur (AND); `"two words"` is a phrase; a trailing
   * `*` makes a word a prefix (`refund*`). Case and diacritics are ignored; punctuation separates words, so
   * `o-1001` is the phrase "o 1001".
   */
  text?: string;
}

/** Where the full-text index of a store lives and how to reach it. */
export interface SearchIndexOptions {
  /**
   * Folder of the private search caches, required to search text in a store opened read-only (the index then
   * lives in `<cacheDir>/<storeId>.search.sqlite`, never in the shared file). Ignored for read-write stores,
   * whose index is a derived table in the store file itself.
   */
  cacheDir?: string;
  /**
   * When the index is behind the store's head by at most this many events, a search brings it up to date
   * first (default 10,000: a few hundred ms at most); further behind, a text search fails with
   * `unavailable` and the caller runs `buildSearchIndex` (a job) first. 0 never catches up.
   */
  maxCatchUp?: number;
}

export interface SearchOptions extends SearchIndexOptions {
  /** Keyset cursor: only events after this global position (the `next` of the previous page). */
  after?: number;
  /** Page size, 1–1000 (default 100). */
  limit?: number;
  /** Also count every match (`total`), default true. Later pages of the same search may skip it. */
  count?: boolean;
}

export interface SearchPage {
  items: StoredEvent[];
  /** Pass as `after` for the next page; null on the last page. */
  next: number | null;
  /** Number of matches of the whole search (null when `count: false`). */
  total: number | null;
  /** The words of `text` as the index sees them (lower case, no diacritics), for highlighting; [] without text. */
  terms: string[];
}

export interface HistogramBucket {
  /** Start of the bucket (ms, inclusive). */
  start: number;
  /** End of the bucket (ms, exclusive). */
  end: number;
  count: number;
}

export interface SearchHistogram {
  /** The time range covered (ms); null bounds when the store is empty. */
  from: number | null;
  to: number | null;
  bucketMs: number;
  buckets: HistogramBucket[];
  /** Sum of the bucket counts: every match. */
  total: number;
}

export type ExportFormat = 'jsonl' | 'csv';

export interface ExportSearchOptions extends SearchIndexOptions {
  signal?: CancelSignal;
  /** Called after each page: matches written so far, and the position reached out of the head. */
  onProgress?: (written: number, position: number, head: number) => void;
}

export interface SearchIndexStatus {
  /** `store`: a derived table in the store file (read-write); `cache`: a private cache file; `none`: not built. */
  location: 'store' | 'cache' | 'none';
  /** The cache file, for `cache`. */
  path: string | null;
  /** Last global position indexed (0 when none). */
  indexedPosition: number;
  /** The store's head position. */
  head: number;
  upToDate: boolean;
}

export interface BuildSearchIndexOptions {
  /** Required for a store opened read-only (see `SearchIndexOptions.cacheDir`). */
  cacheDir?: string;
  /** Events per transaction (default 5000). */
  batchSize?: number;
  /** Progress: position indexed so far, and the head. */
  onProgress?: (done: number, total: number) => void;
  signal?: CancelSignal;
  /** Drop the index and build it from position 1. */
  rebuild?: boolean;
}

export interface BuildSearchIndexResult {
  location: 'store' | 'cache';
  path: string | null;
  /** Events indexed by this call. */
  indexed: number;
  indexedPosition: number;
  head: number;
  /** The index was (re)built from position 1 (asked for, a new format, or it no longer matched the store). */
  rebuilt: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Activity

export type ActivityGroupBy = 'type' | 'actor' | 'category';

export interface ActivityOptions {
  /** Start of the range (ms); default: the first event's recorded time. */
  from?: number;
  /** End of the range (ms, inclusive); default: the last event's recorded time. */
  to?: number;
  groupBy: ActivityGroupBy;
  /** At most this many buckets (default 2000); the bucket widens from one minute to a round width. */
  maxPoints?: number;
  /** At most this many series; the smaller ones are summed into one series with key null ("other"). Default 12. */
  maxSeries?: number;
  /** Spike threshold: a bucket is a spike when its total exceeds median + k · 1.4826 · MAD (default 6). */
  spikeK?: number;
  /** Where the search index of a read-only store is: its facet table makes this much cheaper. */
  cacheDir?: string;
  /** See `SearchIndexOptions.maxCatchUp` (an existing index is caught up; none is built here). */
  maxCatchUp?: number;
}

export interface ActivitySeries {
  /** The type, actor or category; null for "other" (the sum of the series beyond `maxSeries`, or no actor). */
  key: string | null;
  /** Events per bucket, aligned with `ActivityResult.buckets`. */
  counts: number[];
  total: number;
}

export interface SpikeMark {
  /** Start of the first bucket of the spike (ms). */
  from: number;
  /** End of the last bucket of the spike (ms, exclusive). */
  to: number;
  /** Events in the spike's buckets. */
  count: number;
  /** The largest bucket. */
  peak: number;
  /** Start of the largest bucket. */
  peakAt: number;
  /** Robust z-score of the peak: (peak − median) / (1.4826 · MAD). */
  score: number;
  /** The series that grew most in the spike compared with its median (a hint at the cause). */
  topKey: string | null;
}

export interface ActivityResult {
  from: number | null;
  to: number | null;
  /** Bucket width (ms): 60,000 or a round multiple. */
  bucketMs: number;
  groupBy: ActivityGroupBy;
  /** Bucket start times (ms). */
  buckets: number[];
  /** Every event per bucket. Its sum is the number of events in the range. */
  totals: number[];
  series: ActivitySeries[];
  /** Median and MAD of `totals`, and the threshold used for spikes. */
  baseline: { median: number; mad: number; threshold: number };
  spikes: SpikeMark[];
}

// ---------------------------------------------------------------------------------------------------------------
// Correlation chains

export interface ChainCommandNode {
  kind: 'command';
  commandId: string;
  commandType: string;
  streamId: string | null;
  actor: string | null;
  reason: string | null;
  receivedAt: number;
  outcome: 'accepted' | 'rejected';
  /** For a rejection: the domain code (`insufficient_funds`, …) or a Hindsight error code. */
  errorCode: string | null;
  errorMessage: string | null;
  payload: unknown;
  /** The policy that issued it (from a `policy:<name>:<event id>` command id), else null. */
  policy: string | null;
  /** The id of the event or command that caused it, when known. */
  causationId: string | null;
  /** Where it sits in the log: its first event's position, or (no events) after the last event recorded by then. */
  position: number;
  children: ChainNode[];
}

export interface ChainEventNode {
  kind: 'event';
  eventId: string;
  position: number;
  streamId: string;
  version: number;
  type: string;
  actor: string | null;
  recordedAt: number;
  commandId: string | null;
  causationId: string | null;
  /** One line: what the event changed in its stream's state, e.g. `balance: 5000 → 2200`. */
  change: string;
  children: ChainNode[];
}

export type ChainNode = ChainCommandNode | ChainEventNode;

export type ChainQuery = { eventId: string } | { correlationId: string };

export interface ChainOptions {
  /** At most this many events (default 5000); beyond, `truncated` is true. */
  maxEvents?: number;
  /** Compute the one-line state change of each event (default true). */
  stateChanges?: boolean;
  /** Where the search index is (it speeds up finding the correlation's events). */
  cacheDir?: string;
}

export interface CorrelationChain {
  correlationId: string;
  /** The event asked for, if the chain was asked by event. */
  focusEventId: string | null;
  /** The originating nodes (usually one command), each with its descendants, ordered by position. */
  roots: ChainNode[];
  commands: number;
  rejected: number;
  events: number;
  /** The streams the chain touches, in order of first appearance. */
  streams: string[];
  truncated: boolean;
}
