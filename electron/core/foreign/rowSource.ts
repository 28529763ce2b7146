import type Database from 'better-sqlite3';
import type { ColumnMapping } from '../../../shared/types';
import { quoteIdentifier } from './sql';

/**
 * The rows of a foreign store in history order, each as one array in a fixed layout, so that the code
 * turning rows into events does not care where they came from.
 */

export type ForeignSource = { kind: 'emmett' } | { kind: 'table'; mapping: ColumnMapping };

/** [position, stream, version, type, data, metadata, time, eventId, emmettKind, emmettArchived] */
export type SourceRow = [unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown];

export interface SourceRows {
  total: number;
  rows: IterableIterator<SourceRow>;
  hasTime: boolean;
  hasEventId: boolean;
  hasVersion: boolean;
  hasPosition: boolean;
}

// Emmett keeps streams of several partitions in one table; the default partition's names stay as they are.
const EMMETT_SELECT = `SELECT global_position,
  CASE WHEN partition = 'emt:default' THEN stream_id ELSE partition || '/' || stream_id END,
  stream_position, message_type, message_data, message_metadata, created, message_id, message_kind, is_archived
FROM emt_messages ORDER BY global_position`;

function hasRowid(db: Database.Database, table: string): boolean {
  try {
    db.prepare(`SELECT rowid FROM ${quoteIdentifier(table)} LIMIT 0`);
    return true;
  } catch {
    return false; // a WITHOUT ROWID table
  }
}

function tableSelect(db: Database.Database, mapping: ColumnMapping): string {
  const column = (name: string | undefined): string => (name === undefined ? 'NULL' : quoteIdentifier(name));
  const order: string[] = [];
  if (mapping.position !== undefined) order.push(column(mapping.position));
  else {
    if (mapping.time !== undefined) order.push(column(mapping.time));
    if (hasRowid(db, mapping.table)) order.push('rowid');
    else {
      order.push(column(mapping.stream));
      if (mapping.version !== undefined) order.push(column(mapping.version));
    }
  }
  const columns = [
    mapping.position,
    mapping.stream,
    mapping.version,
    mapping.type,
    mapping.data,
    mapping.metadata,
    mapping.time,
    mapping.eventId,
  ].map(column);
  return `SELECT ${columns.join(', ')}, NULL, NULL FROM ${quoteIdentifier(mapping.table)} ORDER BY ${order.join(', ')}`;
}

export function sourceRows(db: Database.Database, source: ForeignSource): SourceRows {
  const table = source.kind === 'emmett' ? 'emt_messages' : source.mapping.table;
  const total = Number(
    db
      .prepare(`SELECT count(*) FROM ${quoteIdentifier(table)}`)
      .pluck()
      .get(),
  );
  const sql = source.kind === 'emmett' ? EMMETT_SELECT : tableSelect(db, source.mapping);
  const rows = db.prepare(sql).raw(true).iterate() as IterableIterator<SourceRow>;
  if (source.kind === 'emmett') {
    return { total, rows, hasTime: true, hasEventId: true, hasVersion: true, hasPosition: true };
  }
  const { mapping } = source;
  return {
    total,
    rows,
    hasTime: mapping.time !== undefined,
    hasEventId: mapping.eventId !== undefined,
    hasVersion: mapping.version !== undefined,
    hasPosition: mapping.position !== undefined,
  };
}
