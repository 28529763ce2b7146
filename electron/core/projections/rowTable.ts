import type Database from 'better-sqlite3';
import { HindsightError } from '../errors';
import { isUnreadable } from '../store/storedJson';
import { defineProjection } from './define';
import { ident, stmt } from './sql';
import type { ProjectionBatchWriter, ProjectionDefinition, ProjectionEvent, ProjectionSpec } from './types';

/**
 * Keyed-row projections: most read models are "one row per key, changed by each event" (an account, a
 * stream, an event type). `defineRowProjection` turns a `reduce(rows, event)` over such rows into a full
 * projection whose `apply` reads and writes one row per event, and whose `batch` writer keeps the rows in
 * memory and writes each changed row once per flush. The two paths run the same `reduce`, so they cannot
 * disagree; the batch path is what makes a rebuild cost about as much as reading the events.
 */

export type SqlValue = string | number | null;
export type Row = Record<string, SqlValue>;

/** The rows a reducer reads and writes. */
export interface Rows {
  /** The row with these key values (in primary-key order), or undefined. Mutating it is fine: `put` it after. */
  get(...key: SqlValue[]): Row | undefined;
  /** Inserts or replaces the row (every column of `columns`, key included). */
  put(row: Row): void;
  delete(...key: SqlValue[]): void;
}

/**
 * Rows a batch writer keeps in memory at most: beyond this it writes its changed rows (inside the caller's
 * transaction, as the engine's flush would) and empties its cache.
 */
export const MAX_CACHED_ROWS = 500_000;

/** A Map key for one key value: a string as itself, anything else tagged so that it cannot equal a string. */
function mapKey1(value: SqlValue): string {
  return typeof value === 'string' ? value : `\u0000${String(value)}`;
}

/** A Map key for key values (see mapKey1). */
function mapKey(values: readonly SqlValue[]): string {
  if (values.length === 1) return mapKey1(values[0]!);
  if (values.length === 2) {
    const [a, b] = values;
    return `\u0001${typeof a === 'string' ? 's' : 'n'}${String(a)}\u0000${typeof b === 'string' ? 's' : 'n'}${String(b)}`;
  }
  let key = '\u0001';
  for (const value of values) key += `${typeof value === 'string' ? 's' : 'n'}${String(value)}\u0000`;
  return key;
}

/** The SQL a RowTable runs, built once per table (the same string objects keep statement look-ups cheap). */
export interface RowTableSql {
  columns: readonly string[];
  key: readonly string[];
  select: string;
  upsert: string;
  remove: string;
  probe: string;
}

export function rowTableSql(table: string, columns: readonly string[], key: readonly string[]): RowTableSql {
  const where = key.map((k) => `${ident(k)} = ?`).join(' AND ');
  return {
    columns,
    key,
    select: `SELECT ${columns.map(ident).join(', ')} FROM ${ident(table)} WHERE ${where}`,
    // An upsert, not INSERT OR REPLACE: an existing row is updated in place instead of deleted and inserted again.
    upsert: `INSERT INTO ${ident(table)} (${columns.map(ident).join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (${key.map(ident).join(', ')}) DO ${
      columns.some((c) => !key.includes(c))
        ? `UPDATE SET ${columns
            .filter((c) => !key.includes(c))
            .map((c) => `${ident(c)} = excluded.${ident(c)}`)
            .join(', ')}`
        : 'NOTHING'
    }`,
    remove: `DELETE FROM ${ident(table)} WHERE ${where}`,
    probe: `SELECT count(*) FROM (SELECT 1 FROM ${ident(table)} LIMIT 1)`,
  };
}

/** A write-back cache of one table's rows, keyed by its primary key. */
export class RowTable implements Rows {
  private readonly cache = new Map<string, Row | null>();
  /** Rows changed since the last flush, in the order they were first changed. */
  private readonly dirtyRows = new Set<Row>();
  /** Rows deleted since the last flush: map key → key values. */
  private readonly deletes = new Map<string, SqlValue[]>();
  private readonly sql: RowTableSql;
  private readonly args: SqlValue[];
  /**
   * The cache holds every row of the table (it was empty when the cache started, and the cache was never
   * trimmed): a key that is not cached has no row, so no query is needed. This is what makes a rebuild from 0
   * cheap. When such a cache is trimmed, `present` keeps the keys of all rows for the same purpose.
   */
  private complete: boolean;
  private present: Set<string> | null = null;
  /** The row the last `get` returned (already cached under its key: a `put` of it needs no key). */
  private lastRow: Row | undefined;
  private readonly columns: readonly string[];
  private readonly key: readonly string[];

  constructor(
    private readonly db: Database.Database,
    table: string | RowTableSql,
    columns: readonly string[],
    key: readonly string[],
    /** Look whether the table is empty (worth it for a batch writer; `apply` of one event skips it). */
    probeEmpty = true,
  ) {
    this.sql = typeof table === 'string' ? rowTableSql(table, columns, key) : table;
    this.columns = this.sql.columns;
    this.key = this.sql.key;
    this.args = new Array<SqlValue>(this.columns.length).fill(null);
    this.complete = probeEmpty && stmt(db, this.sql.probe).pluck(true).get() === 0;
  }

  private keyOfRow(row: Row): string {
    return this.key.length === 1 ? mapKey1(row[this.key[0]!] ?? null) : mapKey(this.key.map((c) => row[c] ?? null));
  }

  get(...key: SqlValue[]): Row | undefined {
    const k = key.length === 1 ? mapKey1(key[0]!) : mapKey(key);
    const cached = this.cache.get(k);
    if (cached !== undefined) {
      this.lastRow = cached ?? undefined;
      return cached ?? undefined;
    }
    if (this.complete || (this.present !== null && !this.present.has(k))) return undefined;
    const row = stmt(this.db, this.sql.select).get(...key) as Row | undefined;
    this.cache.set(k, row ?? null);
    if (row !== undefined) this.lastRow = row;
    return row;
  }

  put(row: Row): void {
    // The usual "get, change, put" of the same row needs no second key computation.
    const fresh = row !== this.lastRow;
    if (fresh) {
      const k = this.keyOfRow(row);
      this.cache.set(k, row);
      this.present?.add(k);
      this.deletes.delete(k);
    }
    this.dirtyRows.add(row);
    this.lastRow = undefined;
    if (fresh && this.cache.size > MAX_CACHED_ROWS) this.flush();
  }

  delete(...key: SqlValue[]): void {
    this.lastRow = undefined;
    const k = mapKey(key);
    this.cache.set(k, null);
    this.deletes.set(k, key);
    this.present?.delete(k);
  }

  flush(): void {
    if (this.dirtyRows.size > 0) {
      const upsert = stmt(this.db, this.sql.upsert);
      const { args, columns } = this;
      for (const row of this.dirtyRows) {
        for (let i = 0; i < columns.length; i++) args[i] = row[columns[i]!] ?? null;
        upsert.run(args);
      }
      this.dirtyRows.clear();
    }
    if (this.deletes.size > 0) {
      const remove = stmt(this.db, this.sql.remove);
      for (const key of this.deletes.values()) remove.run(...key);
      this.deletes.clear();
    }
    if (this.cache.size > MAX_CACHED_ROWS) {
      if (this.complete) {
        this.present = new Set();
        for (const [k, row] of this.cache) if (row !== null) this.present.add(k);
        this.complete = false;
      }
      this.cache.clear();
      this.lastRow = undefined;
    }
  }
}

export interface RowProjectionSpec extends Omit<ProjectionSpec, 'apply' | 'batch' | 'init'> {
  /** Every column of the main table, in order (the declared `tables.columns` may show fewer). */
  rowColumns: readonly string[];
  /** Folds one event into the rows. Throw to stop the projection at this event. */
  reduce(rows: Rows, event: ProjectionEvent): void;
}

export function defineRowProjection(spec: RowProjectionSpec): ProjectionDefinition {
  const { rowColumns, reduce, ...rest } = spec;
  const table = `rm_${spec.name.replace(/-/g, '_')}`;
  const key = spec.tables.primaryKey;
  for (const column of [...key, ...spec.tables.columns.map((c) => c.name)]) {
    if (!rowColumns.includes(column)) {
      throw new HindsightError('invalid_input', `Projection ${spec.name}: ${column} is not one of its row columns.`, {
        projection: spec.name,
      });
    }
  }
  const sql = rowTableSql(table, rowColumns, key);
  return defineProjection(
    {
      ...rest,
      apply(db, event) {
        const rows = new RowTable(db, sql, rowColumns, key, false);
        reduce(rows, event);
        rows.flush();
      },
      batch(db): ProjectionBatchWriter {
        const rows = new RowTable(db, sql, rowColumns, key);
        return { apply: (event) => reduce(rows, event), flush: () => rows.flush() };
      },
    },
    { fingerprint: `${reduce.toString()}\n${rowColumns.join(',')}`, keyedReadsOnly: true },
  );
}

// Small checked readers for event fields: a projection that meets data it cannot fold stops with a clear
// message instead of writing a wrong row.

function fieldError(event: ProjectionEvent, field: string, what: string): HindsightError {
  return new HindsightError(
    'invalid_input',
    `${event.eventType} at position ${event.globalPosition} has no valid "${field}" (${what} expected).`,
    { position: event.globalPosition, field },
  );
}

function dataOf(event: ProjectionEvent): Record<string, unknown> {
  const data = event.data;
  if (isUnreadable(data)) {
    throw new HindsightError(
      'invalid_input',
      `${event.eventType} at position ${event.globalPosition} cannot be read: ${data.$unreadable}`,
      { position: event.globalPosition },
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new HindsightError(
      'invalid_input',
      `${event.eventType} at position ${event.globalPosition} has data that is not an object.`,
      { position: event.globalPosition },
    );
  }
  return data as Record<string, unknown>;
}

export function stringField(event: ProjectionEvent, field: string): string {
  const data = dataOf(event);
  const value = Object.hasOwn(data, field) ? data[field] : undefined;
  if (typeof value !== 'string' || value === '') throw fieldError(event, field, 'a non-empty string');
  return value;
}

export function optionalStringField(event: ProjectionEvent, field: string): string | null {
  const data = dataOf(event);
  const value = Object.hasOwn(data, field) ? data[field] : undefined;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw fieldError(event, field, 'a string');
  return value;
}

export function integerField(event: ProjectionEvent, field: string): number {
  const data = dataOf(event);
  const value = Object.hasOwn(data, field) ? data[field] : undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw fieldError(event, field, 'a whole number');
  return value;
}

export function arrayLength(event: ProjectionEvent, field: string): number {
  const data = dataOf(event);
  const value = Object.hasOwn(data, field) ? data[field] : undefined;
  if (!Array.isArray(value)) throw fieldError(event, field, 'a list');
  return value.length;
}

/** A metadata string (actor, command_id, …), or null when absent or not a string. */
export function metadataString(event: ProjectionEvent, key: string): string | null {
  const metadata = event.metadata;
  const value = Object.hasOwn(metadata, key) ? metadata[key] : undefined;
  return typeof value === 'string' ? value : null;
}
