import type Database from 'better-sqlite3';
import { HindsightError } from '../errors';
import { bucketCount, bucketStart, niceBucketWidth } from '../investigate/buckets';
import type { EventStore } from '../store/eventStore';
import { validateTimeMs } from '../store/limits';
import { translateError } from '../store/sqliteErrors';
import { type Checkpoint, readCheckpoint } from './checkpoints';
import { mainTableExists, nullableColumns } from './engine';
import { headOf } from './events';
import { findProjection } from './registry';
import { catchUpRuntime, type Runtime, runtimeFor } from './runtime';
import { ident, stmt } from './sql';
import type {
  ActivitySeriesOptions,
  ActivitySeriesResult,
  FilterOp,
  ProjectionColumn,
  ProjectionDefinition,
  ReadModelFilter,
  ReadModelPage,
  ReadModelQuery,
  ReadModelRow,
  ReadModelStatus,
  ReadModelsOptions,
  SortDirection,
} from './types';

/**
 * Reading read models: their status, a page of rows (sorted, filtered, keyset-paged on (sort column, primary
 * key), never OFFSET), and the activity time series bucketed in SQL. Column names are checked against the
 * projection's declared columns and values are bound as parameters: no string from a caller is ever part of
 * the SQL text.
 */

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
export const MAX_FILTERS = 20;
const MINUTE = 60_000;

function invalid(message: string, field: string): HindsightError {
  return new HindsightError('invalid_input', message, { field });
}

/** Catches up a small gap before reading (a read-only store's models are built on attach; this is cheap). */
function fresh(runtime: Runtime): void {
  // Inside the store's own write transaction (an import holding it open) nothing is written from here: the
  // read models show what they have, and the lag says the rest.
  if (runtime.location === 'store' && runtime.store.db.inTransaction) return;
  const head = headOf(runtime.store.db);
  let behind = false;
  for (const p of runtime.projections) {
    const cp = readCheckpoint(runtime.target, p.name);
    // Only what can be caught up here: a large gap is a job's work (and must not cost every query a write).
    const lag = head - (cp?.position ?? 0);
    if (
      cp === undefined ||
      cp.version !== p.version ||
      (cp.status !== 'failed' && lag > 0 && lag <= runtime.maxCatchUp)
    ) {
      behind = true;
    }
  }
  if (behind) catchUpRuntime(runtime, { maxLag: runtime.maxCatchUp });
}

function countRows(db: Database.Database, projection: ProjectionDefinition): number {
  if (!mainTableExists(db, projection)) return 0;
  return stmt(db, `SELECT count(*) FROM ${ident(projection.table)}`)
    .pluck(true)
    .get() as number;
}

export function statusOf(
  projection: ProjectionDefinition,
  cp: Checkpoint | undefined,
  head: number,
  rows: number,
  location: 'store' | 'cache',
  maxCatchUp: number,
): ReadModelStatus {
  const position = cp?.position ?? 0;
  const status = cp?.status ?? 'rebuilding';
  const lag = Math.max(0, head - position);
  return {
    name: projection.name,
    description: projection.description,
    version: projection.version,
    position,
    head,
    lag,
    status,
    error: cp?.error ?? null,
    lastRebuildAt: cp?.lastRebuildAt ?? null,
    rebuildMs: cp?.rebuildMs ?? null,
    rows,
    location,
    needsJob: status !== 'failed' && lag > maxCatchUp,
    columns: projection.tables.columns.map((c) => ({ ...c })),
    primaryKey: [...projection.tables.primaryKey],
    defaultSort: { ...projection.tables.defaultSort },
    timeSeries: projection.tables.timeSeries === undefined ? null : { ...projection.tables.timeSeries },
  };
}

/** The status of every read model of `store` (attaching them on first use). */
export function listReadModels(store: EventStore, opts: ReadModelsOptions = {}): ReadModelStatus[] {
  const runtime = runtimeFor(store, opts);
  try {
    fresh(runtime);
    const head = headOf(store.db);
    return runtime.projections.map((p) =>
      statusOf(
        p,
        readCheckpoint(runtime.target, p.name),
        head,
        countRows(runtime.target, p),
        runtime.location,
        runtime.maxCatchUp,
      ),
    );
  } catch (error) {
    throw translateError(error, runtime.cachePath ?? store.path);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Pages

const NUMERIC_TYPES = new Set(['integer', 'real', 'time', 'money', 'boolean']);
const OPS: Record<FilterOp, string> = {
  eq: '=',
  ne: '!=',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
  contains: 'LIKE',
  startsWith: 'LIKE',
  isNull: 'IS NULL',
  notNull: 'IS NOT NULL',
};

function columnOf(projection: ProjectionDefinition, name: unknown, field: string): ProjectionColumn {
  const column = typeof name === 'string' ? projection.tables.columns.find((c) => c.name === name) : undefined;
  if (column === undefined) {
    throw invalid(
      `The read model ${projection.name} has no column ${JSON.stringify(name)}; its columns are ${projection.tables.columns.map((c) => c.name).join(', ')}.`,
      field,
    );
  }
  return column;
}

function likePattern(text: string, op: 'contains' | 'startsWith'): string {
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return op === 'contains' ? `%${escaped}%` : `${escaped}%`;
}

function filterValue(column: ProjectionColumn, filter: ReadModelFilter, index: number): string | number {
  const value = filter.value;
  const field = `filters.${index}.value`;
  if (NUMERIC_TYPES.has(column.type)) {
    if (column.type === 'boolean' && typeof value === 'boolean') return value ? 1 : 0;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw invalid(`The filter on ${column.name} needs a number.`, field);
    }
    return value;
  }
  if (typeof value !== 'string') throw invalid(`The filter on ${column.name} needs a text value.`, field);
  if (value.length > 1000) throw invalid(`The filter on ${column.name} is longer than 1000 characters.`, field);
  return value;
}

function whereOf(projection: ProjectionDefinition, filters: unknown): { sql: string[]; params: (string | number)[] } {
  const sql: string[] = [];
  const params: (string | number)[] = [];
  if (filters === undefined) return { sql, params };
  if (!Array.isArray(filters) || filters.length > MAX_FILTERS) {
    throw invalid(`filters must be a list of at most ${MAX_FILTERS} filters.`, 'filters');
  }
  filters.forEach((filter: ReadModelFilter, i) => {
    if (typeof filter !== 'object' || filter === null) throw invalid('A filter must be an object.', `filters.${i}`);
    const column = columnOf(projection, filter.column, `filters.${i}.column`);
    const op = filter.op;
    if (typeof op !== 'string' || !Object.hasOwn(OPS, op)) {
      throw invalid(
        `Unknown filter operator ${JSON.stringify(op)}; use one of ${Object.keys(OPS).join(', ')}.`,
        `filters.${i}.op`,
      );
    }
    const col = ident(column.name);
    if (op === 'isNull' || op === 'notNull') {
      sql.push(`${col} ${OPS[op]}`);
      return;
    }
    if (op === 'contains' || op === 'startsWith') {
      if (NUMERIC_TYPES.has(column.type)) {
        throw invalid(`${op} applies to text columns; ${column.name} is ${column.type}.`, `filters.${i}.op`);
      }
      sql.push(`${col} LIKE ? ESCAPE '\\'`);
      params.push(likePattern(filterValue(column, filter, i) as string, op));
      return;
    }
    sql.push(`${col} ${OPS[op]} ?`);
    params.push(filterValue(column, filter, i));
  });
  return { sql, params };
}

type CursorValue = string | number | null;

/** A cursor names its sort (column and direction) and holds the sort-key values of the last row shown. */
function encodeCursor(sort: string, values: CursorValue[]): string {
  return Buffer.from(JSON.stringify([sort, ...values]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: unknown, sort: string, length: number): CursorValue[] {
  if (typeof cursor !== 'string' || cursor.length > 8192) throw invalid('The page cursor is not valid.', 'after');
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('The page cursor is not valid.', 'after');
  }
  if (
    !Array.isArray(values) ||
    values.length !== length + 1 ||
    values[0] !== sort ||
    values.some((v) => v !== null && typeof v !== 'string' && typeof v !== 'number')
  ) {
    throw invalid('The page cursor does not belong to this sort order.', 'after');
  }
  return values.slice(1) as CursorValue[];
}

interface SortKey {
  /** SQL expression (from validated identifiers only). */
  expr: string;
  dir: SortDirection;
  /** Its value in a result row. */
  value(row: ReadModelRow): CursorValue;
}

/** Keyset condition "strictly after the cursor" over mixed-direction keys, NULL-safe (IS for equality). */
function afterCondition(keys: SortKey[], cursor: CursorValue[]): { sql: string; params: CursorValue[] } {
  const alternatives: string[] = [];
  const params: CursorValue[] = [];
  keys.forEach((key, i) => {
    const parts: string[] = [];
    for (let j = 0; j < i; j++) {
      parts.push(`${keys[j]!.expr} IS ?`);
      params.push(cursor[j]!);
    }
    parts.push(`${key.expr} ${key.dir === 'asc' ? '>' : '<'} ?`);
    params.push(cursor[i]!);
    alternatives.push(`(${parts.join(' AND ')})`);
  });
  return { sql: `(${alternatives.join(' OR ')})`, params };
}

/** A page of a read model's table on `db` (the live database or an "as of" one). */
export function queryTable(
  db: Database.Database,
  projection: ProjectionDefinition,
  query: ReadModelQuery = {},
): { columns: ProjectionColumn[]; rows: ReadModelRow[]; next: string | null; total: number | null } {
  if (typeof query !== 'object' || query === null) throw invalid('The query must be an object.', 'query');
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw invalid(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`, 'limit');
  }
  const sortColumn = columnOf(projection, query.sort?.column ?? projection.tables.defaultSort.column, 'sort.column');
  const dir = query.sort?.dir ?? (query.sort === undefined ? projection.tables.defaultSort.dir : 'asc');
  if (dir !== 'asc' && dir !== 'desc') throw invalid('sort.dir must be "asc" or "desc".', 'sort.dir');
  const columns = projection.tables.columns;
  if (!mainTableExists(db, projection)) {
    return { columns: columns.map((c) => ({ ...c })), rows: [], next: null, total: query.count === false ? null : 0 };
  }
  const nullable = nullableColumns(db, projection.table);
  const keys: SortKey[] = [];
  const sortName = sortColumn.name;
  if (nullable.has(sortName)) {
    // NULLs sort last in either direction: (col IS NULL) ascending comes first.
    keys.push({ expr: `(${ident(sortName)} IS NULL)`, dir: 'asc', value: (row) => (row[sortName] === null ? 1 : 0) });
  }
  keys.push({ expr: ident(sortName), dir, value: (row) => row[sortName] ?? null });
  for (const key of projection.tables.primaryKey) {
    if (key !== sortName) keys.push({ expr: ident(key), dir, value: (row) => row[key] ?? null });
  }
  const sortTag = `${sortName} ${dir}`;
  const where = whereOf(projection, query.filters);
  const conditions = [...where.sql];
  const params: CursorValue[] = [...where.params];
  if (query.after !== undefined && query.after !== null) {
    const after = afterCondition(keys, decodeCursor(query.after, sortTag, keys.length));
    conditions.push(after.sql);
    params.push(...after.params);
  }
  const table = ident(projection.table);
  const whereSql = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const orderSql = keys.map((k) => `${k.expr} ${k.dir.toUpperCase()}`).join(', ');
  const select = columns.map((c) => ident(c.name)).join(', ');
  const rows = stmt(db, `SELECT ${select} FROM ${table} ${whereSql} ORDER BY ${orderSql} LIMIT ?`).all(
    ...params,
    limit + 1,
  ) as ReadModelRow[];
  let next: string | null = null;
  if (rows.length > limit) {
    rows.length = limit;
    const last = rows[rows.length - 1]!;
    next = encodeCursor(
      sortTag,
      keys.map((k) => k.value(last)),
    );
  }
  let total: number | null = null;
  if (query.count !== false) {
    const countWhere = where.sql.length > 0 ? `WHERE ${where.sql.join(' AND ')}` : '';
    total = stmt(db, `SELECT count(*) FROM ${table} ${countWhere}`)
      .pluck(true)
      .get(...where.params) as number;
  }
  return { columns: columns.map((c) => ({ ...c })), rows, next, total };
}

/**
 * A page of the read model `name`: `{columns, rows, next, total}` plus its checkpoint (`position`, `status`,
 * `error`). Sorted by `sort` (default: the projection's), filtered by every filter, starting after `after`
 * (the previous page's `next`).
 */
export function queryReadModel(
  store: EventStore,
  name: string,
  query: ReadModelQuery = {},
  opts: ReadModelsOptions = {},
): ReadModelPage {
  const runtime = runtimeFor(store, opts);
  const projection = findProjection(runtime.projections, name);
  try {
    fresh(runtime);
    const page = queryTable(runtime.target, projection, query);
    const cp = readCheckpoint(runtime.target, projection.name);
    return {
      name: projection.name,
      ...page,
      position: cp?.position ?? 0,
      status: cp?.status ?? 'rebuilding',
      error: cp?.error ?? null,
    };
  } catch (error) {
    throw translateError(error, runtime.cachePath ?? store.path);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The activity chart

/**
 * Events per bucket stacked by event type, from the `activity` read model: the bucket is one minute,
 * widened to a round width (2, 5, 10, 15, 30 minutes, hours, days) so that [from, to] needs at most
 * `maxPoints` buckets. Summed in SQL (one GROUP BY), so the answer is small whatever the range.
 */
export function activitySeries(
  store: EventStore,
  options: ActivitySeriesOptions = {},
  opts: ReadModelsOptions = {},
): ActivitySeriesResult {
  const runtime = runtimeFor(store, opts);
  const projection = findProjection(runtime.projections, 'activity');
  const maxPoints = options.maxPoints ?? 2000;
  if (!Number.isSafeInteger(maxPoints) || maxPoints < 1 || maxPoints > 10_000) {
    throw invalid('maxPoints must be a whole number from 1 to 10000.', 'maxPoints');
  }
  const maxSeries = options.maxSeries ?? 20;
  if (!Number.isSafeInteger(maxSeries) || maxSeries < 1 || maxSeries > 1000) {
    throw invalid('maxSeries must be a whole number from 1 to 1000.', 'maxSeries');
  }
  const givenFrom = options.from === undefined ? undefined : validateTimeMs(options.from, 'from');
  const givenTo = options.to === undefined ? undefined : validateTimeMs(options.to, 'to');
  try {
    fresh(runtime);
    const db = runtime.target;
    const position = readCheckpoint(db, projection.name)?.position ?? 0;
    const empty = (from: number | null, to: number | null): ActivitySeriesResult => ({
      from,
      to,
      bucketMs: MINUTE,
      buckets: [],
      totals: [],
      series: [],
      position,
    });
    const ts = projection.tables.timeSeries;
    if (ts === undefined) throw invalid(`The read model ${projection.name} is not a time series.`, 'name');
    if (!mainTableExists(db, projection)) return empty(givenFrom ?? null, givenTo ?? null);
    const [time, key, value, table] = [ident(ts.time), ident(ts.series), ident(ts.value), ident(projection.table)];
    const range = stmt(db, `SELECT min(${time}), max(${time}) FROM ${table}`).raw(true).get() as [
      number | null,
      number | null,
    ];
    const from = givenFrom ?? range[0];
    const to = givenTo ?? (range[1] === null ? null : range[1] + MINUTE - 1);
    if (from === null || to === null || to < from) return empty(from, to);
    const width = niceBucketWidth(from, to, maxPoints, MINUTE);
    const base = bucketStart(from, width);
    const n = bucketCount(from, to, width);
    const rows = stmt(
      db,
      `SELECT (${time} - CAST(? AS INTEGER)) / CAST(? AS INTEGER) AS b, ${key}, sum(${value})
       FROM ${table} WHERE ${time} >= ? AND ${time} <= ? GROUP BY b, ${key}`,
    )
      .raw(true)
      .all(base, width, bucketStart(from, MINUTE), to) as [number, string, number][];
    const totals = new Array<number>(n).fill(0);
    const byType = new Map<string, number[]>();
    for (const [b, type, count] of rows) {
      if (b < 0 || b >= n) continue;
      let counts = byType.get(type);
      if (counts === undefined) {
        counts = new Array<number>(n).fill(0);
        byType.set(type, counts);
      }
      counts[b]! += count;
      totals[b]! += count;
    }
    const all = [...byType.entries()].map(([type, counts]) => ({
      type: type as string | null,
      counts,
      total: counts.reduce((a, c) => a + c, 0),
    }));
    all.sort((a, b) => b.total - a.total || String(a.type).localeCompare(String(b.type)));
    let series = all;
    if (all.length > maxSeries) {
      series = all.slice(0, maxSeries - 1);
      const counts = new Array<number>(n).fill(0);
      for (const s of all.slice(maxSeries - 1)) for (let i = 0; i < n; i++) counts[i]! += s.counts[i]!;
      series.push({ type: null, counts, total: counts.reduce((a, c) => a + c, 0) });
    }
    return {
      from,
      to,
      bucketMs: width,
      buckets: Array.from({ length: n }, (_, i) => base + i * width),
      totals,
      series,
      position,
    };
  } catch (error) {
    throw translateError(error, runtime.cachePath ?? store.path);
  }
}
