import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { computeEventHash, ZERO_HASH } from '../../electron/core/store/hashChain';
import { categoryOf } from '../../electron/core/store/limits';

/** One row for `appendRawEvents`: `data` and `metadata` are stored as given, valid JSON or not. */
export interface RawEvent {
  streamId: string;
  type: string;
  data: string;
  /** Default `{"actor":"mallory"}`. */
  metadata?: string;
}

/**
 * Appends rows to a closed store file with raw SQL, past every check of the append path (what another
 * program could write), chained with correct hashes (so the file verifies intact: the content is what is
 * hostile, not the chain) and with their `streams` rows. Each event is recorded one second after the head.
 */
export function appendRawEvents(file: string, events: RawEvent[]): void {
  const db = new Database(file);
  try {
    db.transaction(() => {
      const head = db
        .prepare('SELECT global_position, hash, recorded_at FROM events ORDER BY global_position DESC LIMIT 1')
        .raw()
        .get() as [number, string, number] | undefined;
      let [position, prevHash, recordedAt] = head ?? [0, ZERO_HASH, Date.UTC(2024, 0, 1)];
      for (const event of events) {
        position += 1;
        recordedAt += 1000;
        const version =
          (db
            .prepare('SELECT coalesce(max(stream_version), 0) FROM events WHERE stream_id = ?')
            .pluck()
            .get(event.streamId) as number) + 1;
        const fields = {
          globalPosition: position,
          eventId: randomUUID(),
          streamId: event.streamId,
          streamVersion: version,
          eventType: event.type,
          schemaVersion: 1,
          data: event.data,
          metadata: event.metadata ?? '{"actor":"mallory"}',
          recordedAt,
          occurredAt: recordedAt,
        };
        const hash = computeEventHash(prevHash, fields);
        db.prepare(
          `INSERT INTO events (global_position, event_id, stream_id, stream_version, event_type, schema_version, data,
             metadata, recorded_at, occurred_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(...Object.values(fields), prevHash, hash);
        db.prepare(
          `INSERT INTO streams (stream_id, category, version, first_position, last_position, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version,
           last_position = excluded.last_position, updated_at = excluded.updated_at`,
        ).run(event.streamId, categoryOf(event.streamId), version, position, position, recordedAt, recordedAt);
        prevHash = hash;
      }
    })();
  } finally {
    db.close();
  }
}
