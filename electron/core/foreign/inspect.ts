import type Database from 'better-sqlite3';
import type { ForeignColumn, ForeignTable } from '../../../shared/types';
import { listTables } from '../store/openStore';
import { quoteIdentifier } from './sql';

/** What the mapping dialog shows of each table: its columns, its row count and a few rows as short text. */

const SAMPLE_ROWS = 3;
const SAMPLE_TEXT = 120;

export function columnsOf(db: Database.Database, table: string): ForeignColumn[] {
  const rows = db.prepare('SELECT name, type FROM pragma_table_info(?) ORDER BY cid').raw().all(table) as [
    string,
    string,
  ][];
  return rows.map(([name, type]) => ({ name, declaredType: type ?? '' }));
}

/** A value as the dialog shows it: text cut to a readable length, BLOBs described, never interpreted. */
export function sampleText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Buffer.isBuffer(value)) return `<blob ${value.length} bytes>`;
  const text = String(value);
  return text.length > SAMPLE_TEXT ? `${text.slice(0, SAMPLE_TEXT)}…` : text;
}

/** Names and columns of the tables, without counting or sampling rows (cheap on any size of table). */
export function tableShapes(db: Database.Database): Pick<ForeignTable, 'name' | 'columns'>[] {
  return listTables(db).map((name) => ({ name, columns: columnsOf(db, name) }));
}

export function inspectTables(db: Database.Database): ForeignTable[] {
  return listTables(db).map((name) => {
    const columns = columnsOf(db, name);
    const table = quoteIdentifier(name);
    const rows = Number(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get());
    const sample = (db.prepare(`SELECT * FROM ${table} LIMIT ${SAMPLE_ROWS}`).all() as Record<string, unknown>[]).map(
      (row) => Object.fromEntries(columns.map((column) => [column.name, sampleText(row[column.name])])),
    );
    return { name, rows, columns, sample };
  });
}

/** Emmett's SQLite event store (`@event-driven-io/emmett-sqlite`): its messages and streams tables. */
export const EMMETT_TABLES = ['emt_messages', 'emt_streams'] as const;
const EMMETT_MESSAGE_COLUMNS = [
  'stream_id',
  'stream_position',
  'partition',
  'message_kind',
  'message_data',
  'message_metadata',
  'message_type',
  'message_id',
  'is_archived',
  'global_position',
  'created',
];

export function isEmmettStore(db: Database.Database): boolean {
  const tables = listTables(db);
  if (!EMMETT_TABLES.every((table) => tables.includes(table))) return false;
  const columns = new Set(columnsOf(db, 'emt_messages').map((column) => column.name));
  return EMMETT_MESSAGE_COLUMNS.every((column) => columns.has(column));
}
