import type Database from 'better-sqlite3';
import { HindsightError } from '../errors';
import { createStatementCache } from '../sqlStatements';
import type { EventStore } from '../store/eventStore';
import { translateError } from '../store/sqliteErrors';
import { parseStoredPayload } from '../store/storedJson';
import type { CommandLogOptions, CommandLogPage, CommandLogRow } from './types';

/**
 * The `commands` table (format v1): the command log. The bus writes one row per command in the transaction of
 * the command's append; this module is the only code that reads or writes the table. Rows are never updated or
 * deleted (triggers refuse it), so the rowid only grows: it is the log's order and its keyset cursor.
 */

const COLUMNS =
  'rowid, command_id, command_type, stream_id, payload, actor, reason, received_at, outcome, error_code, error_message, first_position, last_position';

type Row = [
  number,
  string,
  string,
  string | null,
  string,
  string | null,
  string | null,
  number,
  'accepted' | 'rejected',
  string | null,
  string | null,
  number | null,
  number | null,
];

/** A row as the bus writes it. `payload` is canonical JSON text. */
export interface NewCommandRecord {
  commandId: string;
  commandType: string;
  streamId: string | null;
  payload: string;
  actor: string;
  reason: string | null;
  receivedAt: number;
  outcome: 'accepted' | 'rejected';
  errorCode: string | null;
  errorMessage: string | null;
  firstPosition: number | null;
  lastPosition: number | null;
}

/** A row as stored, with the payload still as text (the bus compares it with a repeat's). */
export interface StoredCommandRecord extends Omit<NewCommandRecord, 'actor'> {
  seq: number;
  actor: string | null;
}

const statements = createStatementCache();

/** A cached statement; a reader returns its rows as arrays (`Row`). */
function prepared(db: Database.Database, sql: string): Database.Statement {
  const stmt = statements.get(db, sql);
  return stmt.reader ? stmt.raw(true) : stmt;
}

function recordFromRow(row: Row): StoredCommandRecord {
  return {
    seq: row[0],
    commandId: row[1],
    commandType: row[2],
    streamId: row[3],
    payload: row[4],
    actor: row[5],
    reason: row[6],
    receivedAt: row[7],
    outcome: row[8],
    errorCode: row[9],
    errorMessage: row[10],
    firstPosition: row[11],
    lastPosition: row[12],
  };
}

function toLogRow(record: StoredCommandRecord): CommandLogRow {
  // A foreign, damaged or oversized row shows its placeholder rather than failing the whole page.
  return { ...record, payload: parseStoredPayload(record.payload) };
}

function withStoreErrors<T>(store: EventStore, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw translateError(error, store.path);
  }
}

/** The recorded command with this id, if any (payload as text). */
export function findCommandRecord(db: Database.Database, commandId: string): StoredCommandRecord | undefined {
  const row = prepared(db, `SELECT ${COLUMNS} FROM commands WHERE command_id = ?`).get(commandId) as Row | undefined;
  return row === undefined ? undefined : recordFromRow(row);
}

/**
 * The policy follow-ups (`policy:` command ids) recorded in the `window` rows just after row `seq`, oldest first.
 * The bus records a command's follow-ups right after it, so this finds them without an event to go by.
 */
export function policyRecordsAfter(db: Database.Database, seq: number, window: number): StoredCommandRecord[] {
  const rows = prepared(
    db,
    `SELECT ${COLUMNS} FROM commands WHERE rowid > ? AND rowid <= ? AND command_id >= 'policy:' AND command_id < 'policy;'`,
  ).all(seq, seq + window) as Row[];
  return rows.map(recordFromRow);
}

/** Writes one row; the caller is inside the command's write transaction. */
export function insertCommandRecord(db: Database.Database, record: NewCommandRecord): void {
  prepared(
    db,
    `INSERT INTO commands (command_id, command_type, stream_id, payload, actor, reason, received_at, outcome,
      error_code, error_message, first_position, last_position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    record.commandId,
    record.commandType,
    record.streamId,
    record.payload,
    record.actor,
    record.reason,
    record.receivedAt,
    record.outcome,
    record.errorCode,
    record.errorMessage,
    record.firstPosition,
    record.lastPosition,
  );
}

/** One recorded command, or undefined. Works on read-only stores. */
export function getCommand(store: EventStore, commandId: string): CommandLogRow | undefined {
  if (typeof commandId !== 'string') {
    throw new HindsightError('invalid_input', 'The command id must be a string.', { field: 'commandId' });
  }
  return withStoreErrors(store, () => {
    const record = findCommandRecord(store.db, commandId);
    return record === undefined ? undefined : toLogRow(record);
  });
}

const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;

const FILTERS = [
  ['outcome', 'outcome'],
  ['actor', 'actor'],
  ['commandType', 'command_type'],
  ['streamId', 'stream_id'],
  ['errorCode', 'error_code'],
] as const;

const OPTION_KEYS = new Set<string>(['after', 'limit', 'order', ...FILTERS.map(([key]) => key)]);

function invalid(message: string, field: string): HindsightError {
  return new HindsightError('invalid_input', message, { field });
}

/**
 * A page of the command log, paged by keyset on the rowid (never OFFSET: page N costs what page 1 costs).
 * Filters are equality on a column. Works on read-only stores.
 */
export function commandLog(store: EventStore, opts: CommandLogOptions = {}): CommandLogPage {
  if (typeof opts !== 'object' || opts === null) throw invalid('The command log options must be an object.', 'options');
  for (const key of Object.keys(opts)) {
    if (!OPTION_KEYS.has(key)) throw invalid(`Unknown command log option "${key}".`, key);
  }
  const limit = opts.limit ?? DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw invalid(`The limit must be a whole number from 1 to ${MAX_PAGE}.`, 'limit');
  }
  const order = opts.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw invalid('The order must be "asc" or "desc".', 'order');
  const where: string[] = [];
  const params: unknown[] = [];
  if (opts.after !== undefined) {
    if (!Number.isSafeInteger(opts.after) || opts.after < 0) {
      throw invalid('The cursor (after) must be a whole number of 0 or more.', 'after');
    }
    where.push(order === 'asc' ? 'rowid > ?' : 'rowid < ?');
    params.push(opts.after);
  }
  for (const [key, column] of FILTERS) {
    const value = opts[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw invalid(`The ${key} filter must be a string.`, key);
    if (key === 'outcome' && value !== 'accepted' && value !== 'rejected') {
      throw invalid('The outcome filter must be "accepted" or "rejected".', key);
    }
    where.push(`${column} = ?`);
    params.push(value);
  }
  const sql = `SELECT ${COLUMNS} FROM commands${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}
    ORDER BY rowid ${order === 'asc' ? 'ASC' : 'DESC'} LIMIT ?`;
  params.push(limit + 1);
  return withStoreErrors(store, () => {
    const rows = prepared(store.db, sql).all(...params) as Row[];
    const more = rows.length > limit;
    const page = (more ? rows.slice(0, limit) : rows).map((row) => toLogRow(recordFromRow(row)));
    return { rows: page, nextCursor: more ? page[page.length - 1]!.seq : null };
  });
}
