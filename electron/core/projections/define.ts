import { createHash } from 'node:crypto';
import { HindsightError } from '../errors';
import type { ColumnType, ProjectionDefinition, ProjectionSpec } from './types';

/**
 * `defineProjection`: checks a projection's shape once, where it is written, so that a mistake (a column
 * the table does not declare, a sort on an unknown column, a bad name) fails at start-up with one sentence
 * rather than in the middle of a rebuild. The DDL itself is checked when it first runs (engine.ts): it may
 * only create tables and indexes named after the projection.
 */

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const COLUMN = /^[a-z_][a-z0-9_]*$/;
const COLUMN_TYPES: readonly ColumnType[] = ['text', 'integer', 'real', 'time', 'money', 'boolean'];
export const MAX_PROJECTION_NAME = 40;

/** `event-types` → `rm_event_types`. */
export function tableNameOf(name: string): string {
  return `rm_${name.replace(/-/g, '_')}`;
}

function invalid(name: string, message: string, field?: string): HindsightError {
  return new HindsightError('invalid_input', `Projection ${name}: ${message}`, { projection: name, field });
}

/** Internal: extra text that identifies generated code (a reducer's body) in the fingerprint. */
export interface DefineInternals {
  fingerprint?: string;
  /** Its code reads its tables by primary key only (secondary indexes may be built after a bulk load). */
  keyedReadsOnly?: boolean;
}

export function defineProjection(spec: ProjectionSpec, internals: DefineInternals = {}): ProjectionDefinition {
  const name = spec?.name;
  if (typeof name !== 'string' || name.length > MAX_PROJECTION_NAME || !NAME.test(name)) {
    throw new HindsightError(
      'invalid_input',
      `A projection name must be lower-case words joined by "-" (at most ${MAX_PROJECTION_NAME} characters), not ${JSON.stringify(name)}.`,
      { field: 'name' },
    );
  }
  if (!Number.isSafeInteger(spec.version) || spec.version < 1) {
    throw invalid(name, 'its version must be a positive whole number.', 'version');
  }
  if (typeof spec.description !== 'string') throw invalid(name, 'it needs a description.', 'description');
  if (!Array.isArray(spec.handles) || spec.handles.length === 0 || spec.handles.some((t) => typeof t !== 'string')) {
    throw invalid(name, 'handles must be a non-empty list of event types (or ["*"]).', 'handles');
  }
  if (typeof spec.apply !== 'function') throw invalid(name, 'apply(db, event) is required.', 'apply');
  if (spec.init !== undefined && typeof spec.init !== 'function') throw invalid(name, 'init must be a function.');
  if (spec.batch !== undefined && typeof spec.batch !== 'function') throw invalid(name, 'batch must be a function.');
  const tables = spec.tables;
  if (typeof tables?.ddl !== 'string' || tables.ddl.trim() === '') throw invalid(name, 'tables.ddl is required.');
  if (!Array.isArray(tables.columns) || tables.columns.length === 0) {
    throw invalid(name, 'tables.columns must list the columns a user sees.', 'tables.columns');
  }
  const columns = new Set<string>();
  for (const column of tables.columns) {
    if (typeof column?.name !== 'string' || !COLUMN.test(column.name)) {
      throw invalid(name, `the column name ${JSON.stringify(column?.name)} is not a plain SQL name.`, 'tables.columns');
    }
    if (columns.has(column.name)) throw invalid(name, `the column ${column.name} is listed twice.`, 'tables.columns');
    if (!COLUMN_TYPES.includes(column.type)) {
      throw invalid(name, `the column ${column.name} has an unknown type ${JSON.stringify(column.type)}.`);
    }
    if (typeof column.label !== 'string' || column.label === '') throw invalid(name, `${column.name} needs a label.`);
    columns.add(column.name);
  }
  for (const column of tables.columns) {
    if (column.currencyColumn !== undefined && !columns.has(column.currencyColumn)) {
      throw invalid(name, `the currency column ${column.currencyColumn} of ${column.name} is not a listed column.`);
    }
  }
  if (!Array.isArray(tables.primaryKey) || tables.primaryKey.length === 0) {
    throw invalid(name, 'tables.primaryKey must name the key columns.', 'tables.primaryKey');
  }
  for (const key of tables.primaryKey) {
    if (!columns.has(key)) throw invalid(name, `the primary key column ${key} is not a listed column.`);
  }
  const sort = tables.defaultSort;
  if (!columns.has(sort?.column) || (sort.dir !== 'asc' && sort.dir !== 'desc')) {
    throw invalid(name, 'tables.defaultSort must name a listed column and a direction (asc or desc).');
  }
  if (tables.timeSeries !== undefined) {
    for (const column of [tables.timeSeries.time, tables.timeSeries.series, tables.timeSeries.value]) {
      if (!columns.has(column)) throw invalid(name, `the time-series column ${column} is not a listed column.`);
    }
  }
  const handlesAll = spec.handles.includes('*');
  const codeHash = createHash('sha256')
    .update(
      JSON.stringify([
        spec.version,
        tables.ddl,
        [...spec.handles].sort(),
        spec.apply.toString(),
        spec.batch?.toString() ?? '',
        spec.init?.toString() ?? '',
        internals.fingerprint ?? '',
      ]),
    )
    .digest('hex')
    .slice(0, 16);
  return Object.freeze({
    ...spec,
    handles: Object.freeze([...spec.handles]),
    kind: 'hindsight-projection' as const,
    table: tableNameOf(name),
    codeHash,
    handlesAll,
    handledTypes: new Set(spec.handles),
    keyedReadsOnly: internals.keyedReadsOnly === true,
  });
}

export function isProjectionDefinition(value: unknown): value is ProjectionDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'hindsight-projection' &&
    typeof (value as { name?: unknown }).name === 'string'
  );
}

/** The projection handles events of this type. */
export function handles(projection: ProjectionDefinition, eventType: string): boolean {
  return projection.handlesAll || projection.handledTypes.has(eventType);
}
