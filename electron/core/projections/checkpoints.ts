import type Database from 'better-sqlite3';
import { stmt } from './sql';
import type { ProjectionFailure, ReadModelState } from './types';

/**
 * `projection_checkpoints`: one row per read model, in the same database as its tables (the store file for a
 * read-write store, the private cache for a read-only one), written in the same transaction as the rows it
 * describes. `position_hash` is the hash of the event at `position`: a checkpoint is trusted only while the
 * store still holds that event there.
 */

export const CHECKPOINTS_TABLE = 'projection_checkpoints';

export const CHECKPOINTS_DDL = `
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  name             TEXT    PRIMARY KEY NOT NULL,
  version          INTEGER NOT NULL,
  code_hash        TEXT    NOT NULL,
  position         INTEGER NOT NULL,
  position_hash    TEXT    NOT NULL,
  status           TEXT    NOT NULL CHECK (status IN ('ok', 'failed', 'rebuilding')),
  error_position   INTEGER,
  error_event_id   TEXT,
  error_event_type TEXT,
  error_message    TEXT,
  last_rebuild_at  INTEGER,
  rebuild_ms       INTEGER,
  updated_at       INTEGER NOT NULL
)`;

export interface Checkpoint {
  name: string;
  version: number;
  codeHash: string;
  position: number;
  positionHash: string;
  status: ReadModelState;
  error: ProjectionFailure | null;
  lastRebuildAt: number | null;
  rebuildMs: number | null;
}

const COLUMNS =
  'name, version, code_hash, position, position_hash, status, error_position, error_event_id, error_event_type, error_message, last_rebuild_at, rebuild_ms';

type Row = [
  string,
  number,
  string,
  number,
  string,
  ReadModelState,
  number | null,
  string | null,
  string | null,
  string | null,
  number | null,
  number | null,
];

function fromRow(row: Row): Checkpoint {
  return {
    name: row[0],
    version: row[1],
    codeHash: row[2],
    position: row[3],
    positionHash: row[4],
    status: row[5],
    error:
      row[6] === null
        ? null
        : { position: row[6], eventId: row[7] ?? '', eventType: row[8] ?? '', message: row[9] ?? '' },
    lastRebuildAt: row[10],
    rebuildMs: row[11],
  };
}

export function checkpointTableExists(db: Database.Database, schema = 'main'): boolean {
  return (
    stmt(db, `SELECT count(*) FROM ${schema}.sqlite_schema WHERE type = 'table' AND name = '${CHECKPOINTS_TABLE}'`)
      .pluck(true)
      .get() === 1
  );
}

export function ensureCheckpointTable(db: Database.Database): void {
  if (!checkpointTableExists(db)) db.exec(CHECKPOINTS_DDL);
}

export function readCheckpoint(db: Database.Database, name: string, schema = 'main'): Checkpoint | undefined {
  const row = stmt(db, `SELECT ${COLUMNS} FROM ${schema}.${CHECKPOINTS_TABLE} WHERE name = ?`).raw(true).get(name) as
    | Row
    | undefined;
  return row === undefined ? undefined : fromRow(row);
}

export function readCheckpoints(db: Database.Database): Map<string, Checkpoint> {
  const rows = stmt(db, `SELECT ${COLUMNS} FROM ${CHECKPOINTS_TABLE}`).raw(true).all() as Row[];
  return new Map(rows.map((row) => [row[0], fromRow(row)]));
}

export function writeCheckpoint(db: Database.Database, cp: Checkpoint, schema = 'main'): void {
  stmt(
    db,
    `INSERT INTO ${schema}.${CHECKPOINTS_TABLE} (${COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET version = excluded.version, code_hash = excluded.code_hash,
       position = excluded.position, position_hash = excluded.position_hash, status = excluded.status,
       error_position = excluded.error_position, error_event_id = excluded.error_event_id,
       error_event_type = excluded.error_event_type, error_message = excluded.error_message,
       last_rebuild_at = excluded.last_rebuild_at, rebuild_ms = excluded.rebuild_ms, updated_at = excluded.updated_at`,
  ).run(
    cp.name,
    cp.version,
    cp.codeHash,
    cp.position,
    cp.positionHash,
    cp.status,
    cp.error?.position ?? null,
    cp.error?.eventId ?? null,
    cp.error?.eventType ?? null,
    cp.error?.message ?? null,
    cp.lastRebuildAt,
    cp.rebuildMs,
    Date.now(),
  );
}

/** The hot path of inline projection: only the position moves. */
export function advanceCheckpoint(
  db: Database.Database,
  name: string,
  position: number,
  positionHash: string,
  status: ReadModelState,
): void {
  stmt(
    db,
    `UPDATE ${CHECKPOINTS_TABLE} SET position = ?, position_hash = ?, status = ?, updated_at = ? WHERE name = ?`,
  ).run(position, positionHash, status, Date.now(), name);
}

/** Moves several read models (all at `ok`) to the same position in one statement: the inline hook's hot path. */
export function advanceCheckpoints(
  db: Database.Database,
  names: readonly string[],
  position: number,
  positionHash: string,
): void {
  stmt(
    db,
    `UPDATE ${CHECKPOINTS_TABLE} SET position = ?, position_hash = ?, status = 'ok', updated_at = ? WHERE name IN (SELECT value FROM json_each(?))`,
  ).run(position, positionHash, Date.now(), JSON.stringify(names));
}
