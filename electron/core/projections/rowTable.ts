import type Database from 'better-sqlite3';
import { HindsightError } from '../errors';
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

/** Rows kept in memory by a batch writer at most (the cache is emptied after a flush beyond this). */
const MAX_CACHED_ROWS = 200_000;

/** A Map key for key values: a string key as itself, anything else tagged so it cannot equal a string. */
function mapKey(values: readonly SqlValue[]): string {
  if (values.length === 1) {
    const value = values[0];
    return typeof value === 'string' ? value : `\u0000${String(value)}`;
  }
  let key = '\u0001';
  for (const value of values) key += `${typeof value === 'string' ? 's' : 'n'}${String(value)}\u0000`;
  return key;
}

/** A write-back cache of one table's rows, keyed by its primary key. */
export class RowTable implements Rows {
  private readonly cache = new Map<string, Row | null>();
  /** Changed rows since the last flush: map key → key values. */
  private readonly dirty = new Map<string, SqlValue[]>();
  private readonly selectSql: string;
  private readonly upsertSql: string;
  private readonly deleteSql: string;
  /**
   * Every row of the table is in the cache (it was empty when this cache started and was never trimmed), so a
   * key that is not cached has no row: no query needed. This is what makes a rebuild from 0 cheap.
   */
  private complete: boolean;

  constructor(
    private readonly db: Database.Database,
    private readonly table: string,
    private readonly columns: readonly string[],
    private readonly key: readonly string[],
  ) {
    const where = key.map((k) => `${ident(k)} = ?`).join(' AND ');
    this.selectSql = `SELECT ${columns.map(ident).join(', ')} FROM ${ident(table)} WHERE ${where}`;
    this.upsertSql = `INSERT OR REPLACE INTO ${ident(table)} (${columns.map(ident).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    this.deleteSql = `DELETE FROM ${ident(table)} WHERE ${where}`;
    this.complete = stmt(db, `SELECT count(*) FROM (SELECT 1 FROM ${ident(table)} LIMIT 1)`).pluck(true).get() === 0;
  }

  get(...key: SqlValue[]): Row | undefined {
    const k = mapKey(key);
    const cached = this.cache.get(k);
    if (cached !== undefined) return cached ?? undefined;
    if (this.complete) return undefined;
    const row = stmt(this.db, this.selectSql).get(...key) as Row | undefined;
    this.cache.set(k, row ?? null);
    return row;
  }

  put(row: Row): void {
    const key = this.key.map((c) => row[c] ?? null);
    const k = mapKey(key);
    this.cache.set(k, row);
    this.dirty.set(k, key);
  }

  delete(...key: SqlValue[]): void {
    const k = mapKey(key);
    this.cache.set(k, null);
    this.dirty.set(k, key);
  }

  flush(): void {
    if (this.dirty.size > 0) {
      const upsert = stmt(this.db, this.upsertSql);
      const remove = stmt(this.db, this.deleteSql);
      for (const [k, key] of this.dirty) {
        const row = this.cache.get(k);
        if (row === null || row === undefined) {
          remove.run(...key);
        } else {
          upsert.run(...this.columns.map((c) => row[c] ?? null));
        }
      }
      this.dirty.clear();
    }
    if (this.cache.size > MAX_CACHED_ROWS) {
      this.cache.clear();
      this.complete = false;
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
  return defineProjection(
    {
      ...rest,
      apply(db, event) {
        const rows = new RowTable(db, table, rowColumns, key);
        reduce(rows, event);
        rows.flush();
      },
      batch(db): ProjectionBatchWriter {
        const rows = new RowTable(db, table, rowColumns, key);
        return { apply: (event) => reduce(rows, event), flush: () => rows.flush() };
      },
    },
    { fingerprint: `${reduce.toString()}\n${rowColumns.join(',')}` },
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
