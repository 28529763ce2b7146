import { HindsightError } from '../errors';
import { toInterchange } from '../interchange/jsonl';
import type { EventStore } from '../store/eventStore';
import { validateNonNegativeInt } from '../store/limits';
import { type EventRow, eventFromRow } from '../store/rows';
import { translateError } from '../store/sqliteErrors';
import { bucketCount, bucketStart, niceBucketWidth } from './buckets';
import { CSV_HEADER, eventCsvRecord } from './csv';
import {
  type CompiledSearch,
  checkFilters,
  compileSearch,
  countSql,
  EVENT_COLUMNS_E,
  fromWhere,
  isEmpty,
  timesFromWhere,
} from './searchQuery';
import { highlightWords } from './searchText';
import { prepared } from './sql';
import type {
  ExportFormat,
  ExportSearchOptions,
  HistogramBucket,
  SearchFilters,
  SearchHistogram,
  SearchIndexOptions,
  SearchOptions,
  SearchPage,
} from './types';

/**
 * Search over a store's events: filters (time range, stream prefix, category, types, actors, correlation id,
 * command id, free text) combined with AND, keyset-paged by global position (never OFFSET), with a total count
 * from the same WHERE; a histogram of the matches over time; a streaming export of every match (JSONL in the
 * interchange shape, or CSV). Free text needs the full-text index (searchIndex.ts).
 */

export const DEFAULT_SEARCH_LIMIT = 100;
export const MAX_SEARCH_LIMIT = 1000;
export const MAX_HISTOGRAM_BUCKETS = 200;
const EXPORT_PAGE = 1000;

function withStoreErrors<T>(store: EventStore, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw translateError(error, store.path);
  }
}

function pageLimit(value: unknown): number {
  if (value === undefined) return DEFAULT_SEARCH_LIMIT;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_SEARCH_LIMIT) {
    throw new HindsightError('invalid_input', `The limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}.`, {
      field: 'limit',
    });
  }
  return value;
}

function rowsAfter(store: EventStore, c: CompiledSearch, after: number, limit: number): EventRow[] {
  const q = fromWhere(c, after);
  return prepared(store.db, `SELECT ${EVENT_COLUMNS_E} ${q.sql} ORDER BY ${q.order} LIMIT ?`)
    .raw(true)
    .all(...q.params, limit) as EventRow[];
}

function countMatches(store: EventStore, c: CompiledSearch): number {
  if (isEmpty(c)) return 0;
  const q = countSql(c);
  return prepared(store.db, q.sql)
    .pluck(true)
    .get(...q.params) as number;
}

/** One page of the events matching `filters`, oldest first, after position `opts.after`. */
export function searchEvents(store: EventStore, filters: SearchFilters, opts: SearchOptions = {}): SearchPage {
  const checked = checkFilters(filters);
  const limit = pageLimit(opts.limit);
  const after = opts.after === undefined || opts.after === null ? 0 : validateNonNegativeInt(opts.after, 'after');
  return withStoreErrors(store, () => {
    const c = compileSearch(store, checked, opts);
    const terms = highlightWords(c.terms);
    if (isEmpty(c)) return { items: [], next: null, total: opts.count === false ? null : 0, terms };
    const rows = rowsAfter(store, c, after, limit + 1);
    const more = rows.length > limit;
    const items = (more ? rows.slice(0, limit) : rows).map(eventFromRow);
    return {
      items,
      next: more ? items[items.length - 1]!.globalPosition : null,
      total: opts.count === false ? null : countMatches(store, c),
      terms,
    };
  });
}

/** The number of events matching `filters`. */
export function countEvents(store: EventStore, filters: SearchFilters, opts: SearchIndexOptions = {}): number {
  const checked = checkFilters(filters);
  return withStoreErrors(store, () => countMatches(store, compileSearch(store, checked, opts)));
}

/** recorded_at of the first (or last) match, via the keyset order: no scan beyond the first hit. */
function edgeTime(store: EventStore, c: CompiledSearch, last: boolean): number | undefined {
  const q = fromWhere(c, 0);
  return prepared(store.db, `SELECT e.recorded_at ${q.sql} ORDER BY ${q.order} ${last ? 'DESC' : 'ASC'} LIMIT 1`)
    .pluck(true)
    .get(...q.params) as number | undefined;
}

/**
 * Matches per time bucket, for the small chart above search results: at most `buckets` (≤ 200) buckets of a
 * round width covering the filters' time range, or (without one) the time from the first to the last match.
 * Counted in SQL (GROUP BY over the same WHERE as the search).
 */
export function searchHistogram(
  store: EventStore,
  filters: SearchFilters,
  buckets = 100,
  opts: SearchIndexOptions = {},
): SearchHistogram {
  const checked = checkFilters(filters);
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > MAX_HISTOGRAM_BUCKETS) {
    throw new HindsightError(
      'invalid_input',
      `The number of histogram buckets must be a whole number from 1 to ${MAX_HISTOGRAM_BUCKETS}.`,
      { field: 'buckets' },
    );
  }
  return withStoreErrors(store, () => {
    const c = compileSearch(store, checked, opts);
    const first = isEmpty(c) ? undefined : edgeTime(store, c, false);
    if (first === undefined) {
      const from = checked.recordedFrom ?? null;
      const to = checked.recordedTo ?? null;
      return { from, to, bucketMs: 0, buckets: [], total: 0 };
    }
    const last = edgeTime(store, c, true) ?? first;
    const from = checked.recordedFrom ?? first;
    const to = Math.max(from, checked.recordedTo ?? last);
    const width = niceBucketWidth(from, to, buckets);
    const base = bucketStart(from, width);
    const n = bucketCount(from, to, width);
    const counts = new Array<number>(n).fill(0);
    const q = timesFromWhere(c);
    const rows = prepared(
      store.db,
      `SELECT (${q.time} - CAST(? AS INTEGER)) / CAST(? AS INTEGER) AS b, count(*) ${q.sql} GROUP BY b`,
    )
      .raw(true)
      .all(base, width, ...q.params) as [number, number][];
    let total = 0;
    for (const [b, count] of rows) {
      total += count;
      if (b >= 0 && b < n) counts[b] = count;
    }
    const result: HistogramBucket[] = counts.map((count, i) => ({
      start: base + i * width,
      end: base + (i + 1) * width,
      count,
    }));
    return { from, to, bucketMs: width, buckets: result, total };
  });
}

/**
 * Writes every match of `filters`, oldest first, through `write` (called once per chunk of up to 1000 events):
 * `jsonl` = one event per line in the interchange export shape (with globalPosition and hash, as
 * `hindsight export` writes it); `csv` = RFC 4180 with a header row (csv.ts). Pages by keyset, so memory stays
 * constant on any size. Cancellable between chunks (`cancelled`).
 */
export function exportSearch(
  store: EventStore,
  filters: SearchFilters,
  format: ExportFormat,
  write: (chunk: string) => void,
  opts: ExportSearchOptions = {},
): { exported: number } {
  if (format !== 'jsonl' && format !== 'csv') {
    throw new HindsightError('invalid_input', `The export format must be "jsonl" or "csv", not "${String(format)}".`, {
      field: 'format',
    });
  }
  const checked = checkFilters(filters);
  let exported = 0;
  withStoreErrors(store, () => {
    const c = compileSearch(store, checked, opts);
    const head = store.head().position;
    if (format === 'csv') write(CSV_HEADER);
    if (isEmpty(c)) return;
    let after = 0;
    for (;;) {
      if (opts.signal?.aborted) {
        throw new HindsightError('cancelled', `The export was cancelled after ${exported} events.`, { exported });
      }
      const rows = rowsAfter(store, c, after, EXPORT_PAGE);
      if (rows.length === 0) break;
      let chunk = '';
      for (const row of rows) {
        const event = eventFromRow(row);
        chunk +=
          format === 'jsonl'
            ? `${JSON.stringify(toInterchange(event, true))}\n`
            : eventCsvRecord(event, row[6], row[7]);
      }
      write(chunk);
      exported += rows.length;
      after = rows[rows.length - 1]![0];
      opts.onProgress?.(exported, after, head);
      if (rows.length < EXPORT_PAGE) break;
    }
  });
  return { exported };
}
