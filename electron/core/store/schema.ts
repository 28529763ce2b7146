import type Database from 'better-sqlite3';

/**
 * The schema of the store file and its migrations. `PRAGMA user_version` says which migrations a file
 * has; each migration is one step, run in its own transaction together with the bump of `user_version`
 * and `store_meta.format_version` (docs/file-format.md, "Versions and migrations").
 */

export const FORMAT_NAME = 'hindsight-event-store';
/** The newest format this code reads and writes. */
export const FORMAT_VERSION = 1;
/** `PRAGMA application_id`: the ASCII bytes "HNDS" (0x484E4453), so `file(1)`-style tools can tell our files. */
export const APPLICATION_ID = 0x484e4453;
export const PAGE_SIZE = 4096;

/** Tables a store of the current format must have. */
export const REQUIRED_TABLES = ['store_meta', 'events', 'streams', 'commands'] as const;

export interface StoreIdentity {
  storeId: string;
  createdAt: number;
  createdBy: string;
}

interface Migration {
  version: number;
  description: string;
  up(db: Database.Database, identity: StoreIdentity): void;
}

const V1_DDL = `
CREATE TABLE store_meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);

CREATE TABLE events (
  global_position INTEGER PRIMARY KEY,
  event_id        TEXT    NOT NULL UNIQUE,
  stream_id       TEXT    NOT NULL,
  stream_version  INTEGER NOT NULL CHECK (stream_version >= 1),
  event_type      TEXT    NOT NULL,
  schema_version  INTEGER NOT NULL DEFAULT 1,
  data            TEXT    NOT NULL,
  metadata        TEXT    NOT NULL,
  recorded_at     INTEGER NOT NULL,
  occurred_at     INTEGER NOT NULL,
  prev_hash       TEXT    NOT NULL,
  hash            TEXT    NOT NULL,
  UNIQUE (stream_id, stream_version),
  CHECK (global_position >= 1)
);
CREATE INDEX events_by_type ON events (event_type, global_position);

CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'hindsight: events are append-only (UPDATE refused)'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'hindsight: events are append-only (DELETE refused)'); END;

CREATE TABLE streams (
  stream_id      TEXT    PRIMARY KEY NOT NULL,
  category       TEXT    NOT NULL,
  version        INTEGER NOT NULL,
  first_position INTEGER NOT NULL,
  last_position  INTEGER NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX streams_by_category ON streams (category, stream_id);

CREATE TABLE commands (
  command_id     TEXT    PRIMARY KEY NOT NULL,
  command_type   TEXT    NOT NULL,
  stream_id      TEXT,
  payload        TEXT    NOT NULL,
  actor          TEXT,
  reason         TEXT,
  received_at    INTEGER NOT NULL,
  outcome        TEXT    NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
  error_code     TEXT,
  error_message  TEXT,
  first_position INTEGER,
  last_position  INTEGER
);

CREATE TRIGGER commands_append_only_update BEFORE UPDATE ON commands
BEGIN SELECT RAISE(ABORT, 'hindsight: the command log is append-only (UPDATE refused)'); END;
CREATE TRIGGER commands_append_only_delete BEFORE DELETE ON commands
BEGIN SELECT RAISE(ABORT, 'hindsight: the command log is append-only (DELETE refused)'); END;
`;

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'format v1: store_meta, events (hash chain), streams, commands',
    up(db, identity) {
      db.exec(V1_DDL);
      const put = db.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?)');
      put.run('format', FORMAT_NAME);
      put.run('format_version', '1');
      put.run('store_id', identity.storeId);
      put.run('created_at', String(identity.createdAt));
      put.run('created_by', identity.createdBy);
    },
  },
];

export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the file up to FORMAT_VERSION, one migration per step, each in its own transaction. A crash
 * between steps leaves a file at an earlier, consistent version that the next open continues from.
 */
export function migrate(db: Database.Database, identity: StoreIdentity): void {
  for (const migration of MIGRATIONS) {
    if (userVersion(db) >= migration.version) continue;
    db.transaction(() => {
      migration.up(db, identity);
      if (migration.version > 1) {
        db.prepare("UPDATE store_meta SET value = ? WHERE key = 'format_version'").run(String(migration.version));
      }
      // PRAGMA does not take bound parameters; the value is a trusted integer from the table above.
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
