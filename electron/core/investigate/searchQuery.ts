import { HindsightError } from '../errors';
import type { EventStore } from '../store/eventStore';
import { validateTimeMs } from '../store/limits';
import { EVENT_COLUMNS } from '../store/rows';
import { metadataKeySql } from '../store/storedJson';
import { activeIndex, FACETS_TABLE, FTS_TABLE } from './searchIndex';
import { metadataExpression, parseSearchText, type SearchTerm } from './searchText';
import type { SearchFilters, SearchIndexOptions } from './types';

/**
 * Filters → one SQL query over `events e`, shared by the page, the count, the histogram and the export, so that
 * they always agree. Every filter is exact SQL on the stored columns or on the search index's exact facets; the
 * full-text index narrows text (and correlation/command ids, which are then checked exactly). Time bounds become
 * position bounds first (recorded times never decrease along positions), so a time window is a range of the
 * primary key.
 */

export const MAX_FILTER_VALUES = 100;

const FILTER_KEYS = new Set([
  'recordedFrom',
  'recordedTo',
  'streamPrefix',
  'category',
  'types',
  'actors',
  'correlationId',
  'commandId',
  'text',
]);

/** Filters as checked values. */
export interface CheckedFilters {
  recordedFrom?: number;
  recordedTo?: number;
  streamPrefix?: string;
  category?: string;
  types?: string[];
  actors?: string[];
  correlationId?: string;
  commandId?: string;
  terms: SearchTerm[];
  /** The FTS5 expression of `text`, or null. */
  textMatch: string | null;
}

function invalid(message: string, field: string): HindsightError {
  return new HindsightError('invalid_input', message, { field });
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`The ${field} filter must be a string.`, field);
  return value;
}

function stringList(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.length > MAX_FILTER_VALUES ||
    value.some((v) => typeof v !== 'string')
  ) {
    throw invalid(`The ${field} filter must be a list of 1 to ${MAX_FILTER_VALUES} strings.`, field);
  }
  return [...new Set(value as string[])];
}

/** Validates filters (unknown keys are refused, so a misspelt filter never silently matches everything). */
export function checkFilters(filters: SearchFilters | undefined): CheckedFilters {
  if (filters === undefined) return { terms: [], textMatch: null };
  if (typeof filters !== 'object' || filters === null || Array.isArray(filters)) {
    throw invalid('The search filters must be an object.', 'filters');
  }
  for (const key of Object.keys(filters)) {
    if (!FILTER_KEYS.has(key)) throw invalid(`Unknown search filter "${key}".`, key);
  }
  const checked: CheckedFilters = { terms: [], textMatch: null };
  if (filters.recordedFrom !== undefined) checked.recordedFrom = validateTimeMs(filters.recordedFrom, 'recordedFrom');
  if (filters.recordedTo !== undefined) checked.recordedTo = validateTimeMs(filters.recordedTo, 'recordedTo');
  const prefix = optionalString(filters.streamPrefix, 'streamPrefix');
  if (prefix !== undefined && prefix !== '') checked.streamPrefix = prefix;
  const category = optionalString(filters.category, 'category');
  if (category !== undefined && category !== '') checked.category = category;
  checked.types = stringList(filters.types, 'types');
  checked.actors = stringList(filters.actors, 'actors');
  checked.correlationId = optionalString(filters.correlationId, 'correlationId');
  checked.commandId = optionalString(filters.commandId, 'commandId');
  const text = optionalString(filters.text, 'text');
  if (text !== undefined) {
    const parsed = parseSearchText(text);
    checked.terms = parsed.terms;
    checked.textMatch = parsed.match;
  }
  for (const key of ['types', 'actors'] as const) if (checked[key] === undefined) delete checked[key];
  for (const key of ['correlationId', 'commandId'] as const) if (checked[key] === undefined) delete checked[key];
  return checked;
}

/**
 * The smallest string greater than every string that starts with `prefix` (SQLite's BINARY order is code
 * point order), or undefined when there is no simple one.
 */
function prefixUpperBound(prefix: string): string | undefined {
  const last = prefix.charCodeAt(prefix.length - 1);
  if (prefix.length === 0 || (last >= 0xd800 && last <= 0xdfff) || last === 0xffff) return undefined;
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

/** `column` starts with `prefix`, in a form that can use an index on `column`. */
function prefixCondition(column: string, prefix: string, where: string[], params: unknown[]): void {
  where.push(`${column} >= ?`);
  params.push(prefix);
  const upper = prefixUpperBound(prefix);
  if (upper !== undefined) {
    where.push(`${column} < ?`);
    params.push(upper);
  }
  where.push(`substr(${column}, 1, ?) = ?`);
  params.push(prefix.length, prefix);
}

/** Which table drives a search's scan (and so its order and where a page can stop early). */
export type Driver =
  | { kind: 'events' }
  | { kind: 'fts'; schema: string; match: string }
  | { kind: 'actors'; schema: string; actors: string[] };

/**
 * A compiled search: `e.global_position` in (low, high], conditions on `e`, and the table that drives the scan:
 * the full-text index (text, or a correlation/command id it can narrow down), the actor facet (exact actor
 * filters, an index range), or the events table itself.
 */
export interface CompiledSearch {
  /** Exclusive lower position bound implied by the filters (0 = none). */
  low: number;
  /** Inclusive upper position bound implied by the filters (the head when none). */
  high: number;
  /** Conditions on `e` other than the position bounds and the driver's own. */
  where: string[];
  params: unknown[];
  driver: Driver;
  /** The schema of an up-to-date index (facets included), or null. */
  indexSchema: string | null;
  terms: SearchTerm[];
}

const marks = (values: readonly unknown[]): string => values.map(() => '?').join(', ');

/**
 * Compiles checked filters for `store`. With `text`, the index must be available (see `activeIndex`); for the
 * metadata filters it is used when it is up to date (or nearly: see `maxCatchUp`).
 */
export function compileSearch(store: EventStore, f: CheckedFilters, opts: SearchIndexOptions): CompiledSearch {
  const head = store.head().position;
  let low = 0;
  let high = head;
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.recordedFrom !== undefined) {
    // The last position recorded before `recordedFrom` (the earliest valid time has nothing before it).
    low = f.recordedFrom <= -8.64e15 ? 0 : store.positionAt(f.recordedFrom - 1);
    where.push('e.recorded_at >= ?');
    params.push(f.recordedFrom);
  }
  if (f.recordedTo !== undefined) {
    high = Math.min(high, store.positionAt(f.recordedTo));
    where.push('e.recorded_at <= ?');
    params.push(f.recordedTo);
  }
  if (f.streamPrefix !== undefined) prefixCondition('e.stream_id', f.streamPrefix, where, params);
  if (f.category !== undefined) {
    // Category c = the stream id is c, or starts with "c-" (the part before the first dash).
    where.push('(e.stream_id = ? OR (e.stream_id >= ? AND e.stream_id < ?))');
    params.push(f.category, `${f.category}-`, `${f.category}.`);
  }
  if (f.types !== undefined) {
    where.push(`e.event_type IN (${marks(f.types)})`);
    params.push(...f.types);
  }
  const idValues: string[] = [];
  if (f.correlationId !== undefined) {
    where.push(`${metadataKeySql('correlation_id', { column: 'e.metadata' })} = ?`);
    params.push(f.correlationId);
    idValues.push(f.correlationId);
  }
  if (f.commandId !== undefined) {
    where.push(`${metadataKeySql('command_id', { column: 'e.metadata' })} = ?`);
    params.push(f.commandId);
    idValues.push(f.commandId);
  }

  const needsIndex = f.textMatch !== null;
  // Consulted even without text: its facet table also serves actor filters, counts and histograms.
  const index = activeIndex(store, opts, needsIndex);
  const schema = index?.schema ?? null;

  // The full-text index drives when there is text, or an id it can narrow down to a handful of events.
  const parts: string[] = [];
  if (schema !== null) {
    if (f.textMatch !== null) parts.push(f.textMatch);
    for (const value of idValues) {
      const expression = metadataExpression([value]);
      if (expression !== null) parts.push(expression);
    }
  }
  let driver: Driver = { kind: 'events' };
  if (schema !== null && parts.length > 0) {
    driver = { kind: 'fts', schema, match: parts.map((p) => `(${p})`).join(' AND ') };
  } else if (schema !== null && f.actors !== undefined) {
    driver = { kind: 'actors', schema, actors: f.actors };
  }
  if (f.actors !== undefined && driver.kind !== 'actors') {
    if (schema !== null) {
      // Exact, through the facet's primary key: cheaper than parsing each candidate's metadata.
      where.push(
        `EXISTS (SELECT 1 FROM ${schema}.${FACETS_TABLE} a WHERE a.position = e.global_position AND a.actor IN (${marks(f.actors)}))`,
      );
    } else {
      where.push(`${metadataKeySql('actor', { column: 'e.metadata' })} IN (${marks(f.actors)})`);
    }
    params.push(...f.actors);
  }
  return { low, high, where, params, driver, indexSchema: schema, terms: f.terms };
}

/** True when no event can match (an empty time window). */
export function isEmpty(c: CompiledSearch): boolean {
  return c.high <= c.low;
}

/** EVENT_COLUMNS (the `EventRow` order) qualified with the alias `e`. */
export const EVENT_COLUMNS_E = EVENT_COLUMNS.split(', ')
  .map((column) => `e.${column}`)
  .join(', ');

/**
 * `FROM … WHERE …` of a search from position `after` (exclusive), with its parameters and the ORDER BY term that
 * follows the driver's own order (so a page stops as soon as it is full). CROSS JOIN keeps the driver outside.
 */
export function fromWhere(c: CompiledSearch, after: number): { sql: string; params: unknown[]; order: string } {
  const low = Math.max(c.low, after);
  const d = c.driver;
  if (d.kind === 'fts') {
    const where = ['f.rowid > ?', 'f.rowid <= ?', `f.${FTS_TABLE} MATCH ?`, ...c.where];
    return {
      sql: `FROM ${d.schema}.${FTS_TABLE} f CROSS JOIN events e ON e.global_position = f.rowid WHERE ${where.join(' AND ')}`,
      params: [low, c.high, d.match, ...c.params],
      order: 'f.rowid',
    };
  }
  if (d.kind === 'actors') {
    const where = [`a.actor IN (${marks(d.actors)})`, 'a.position > ?', 'a.position <= ?', ...c.where];
    return {
      sql: `FROM ${d.schema}.${FACETS_TABLE} a CROSS JOIN events e ON e.global_position = a.position WHERE ${where.join(' AND ')}`,
      params: [...d.actors, low, c.high, ...c.params],
      order: 'a.position',
    };
  }
  const where = ['e.global_position > ?', 'e.global_position <= ?', ...c.where];
  return {
    sql: `FROM events e WHERE ${where.join(' AND ')}`,
    params: [low, c.high, ...c.params],
    order: 'e.global_position',
  };
}

/**
 * Counts the matches, on the driver alone when nothing else needs the events table: every position in range
 * (positions are gapless: the format's invariant, which verification checks), the actor facet's index, or the
 * full-text index.
 */
export function countSql(c: CompiledSearch): { sql: string; params: unknown[] } {
  const d = c.driver;
  if (c.where.length === 0) {
    if (d.kind === 'events')
      return { sql: 'SELECT max(0, CAST(? AS INTEGER) - CAST(? AS INTEGER))', params: [c.high, c.low] };
    if (d.kind === 'fts') {
      return {
        sql: `SELECT count(*) FROM ${d.schema}.${FTS_TABLE} WHERE rowid > ? AND rowid <= ? AND ${FTS_TABLE} MATCH ?`,
        params: [c.low, c.high, d.match],
      };
    }
    return {
      sql: `SELECT count(*) FROM ${d.schema}.${FACETS_TABLE} WHERE actor IN (${marks(d.actors)}) AND position > ? AND position <= ?`,
      params: [...d.actors, c.low, c.high],
    };
  }
  const { sql, params } = fromWhere(c, 0);
  return { sql: `SELECT count(*) ${sql}`, params };
}

/**
 * `FROM … WHERE …` giving `recorded_at` of every match as `t`, for histograms: from the narrow facet table when
 * no condition needs the events table, else through the driver.
 */
export function timesFromWhere(c: CompiledSearch): { sql: string; params: unknown[]; time: string } {
  const d = c.driver;
  if (c.where.length === 0 && c.indexSchema !== null && d.kind !== 'fts') {
    const actors = d.kind === 'actors' ? d.actors : [];
    const where = ['position > ?', 'position <= ?'];
    if (actors.length > 0) where.unshift(`actor IN (${marks(actors)})`);
    return {
      sql: `FROM ${c.indexSchema}.${FACETS_TABLE} WHERE ${where.join(' AND ')}`,
      params: [...actors, c.low, c.high],
      time: 'recorded_at',
    };
  }
  const q = fromWhere(c, 0);
  return { sql: q.sql, params: q.params, time: 'e.recorded_at' };
}
