import type Database from 'better-sqlite3';
import { parseStoredData, parseStoredMetadata } from '../store/storedJson';
import { stmt } from './sql';
import type { ProjectionEvent } from './types';

/**
 * Events as projections read them: straight from the `events` table, raw, with `data` and `metadata` parsed
 * only when a projection reads them (most generic projections never look at `data`).
 */

/** global_position, event_id, stream_id, stream_version, event_type, schema_version, data, metadata, recorded_at, occurred_at, hash */
export type RawEventRow = [number, string, string, number, string, number, string, string, number, number, string];

const BATCH_SQL =
  'SELECT global_position, event_id, stream_id, stream_version, event_type, schema_version, data, metadata, recorded_at, occurred_at, hash FROM events WHERE global_position > ? AND global_position <= ? ORDER BY global_position LIMIT ?';

export class LazyEvent implements ProjectionEvent {
  readonly globalPosition: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventType: string;
  readonly schemaVersion: number;
  readonly recordedAt: number;
  readonly occurredAt: number;
  readonly hash: string;
  private dataText: string | undefined;
  private metadataText: string | undefined;
  private parsedData: unknown;
  private parsedMetadata: Record<string, unknown> | undefined;

  constructor(row: RawEventRow) {
    this.globalPosition = row[0];
    this.eventId = row[1];
    this.streamId = row[2];
    this.streamVersion = row[3];
    this.eventType = row[4];
    this.schemaVersion = row[5];
    this.dataText = row[6];
    this.metadataText = row[7];
    this.recordedAt = row[8];
    this.occurredAt = row[9];
    this.hash = row[10];
  }

  /** Parsed on first use; a damaged row gives the `$unreadable` placeholder (store/storedJson.ts). */
  get data(): unknown {
    if (this.dataText !== undefined) {
      this.parsedData = parseStoredData(this.dataText);
      this.dataText = undefined;
    }
    return this.parsedData;
  }

  get metadata(): Record<string, unknown> {
    if (this.metadataText !== undefined) {
      this.parsedMetadata = parseStoredMetadata(this.metadataText);
      this.metadataText = undefined;
    }
    return this.parsedMetadata ?? {};
  }
}

/** Events after `after` up to `upTo` (inclusive), at most `limit`, oldest first. */
export function readEventBatch(source: Database.Database, after: number, upTo: number, limit: number): LazyEvent[] {
  const rows = stmt(source, BATCH_SQL).raw(true).all(after, upTo, limit) as RawEventRow[];
  return rows.map((row) => new LazyEvent(row));
}

export function headOf(source: Database.Database): number {
  return (
    (stmt(source, 'SELECT global_position FROM events ORDER BY global_position DESC LIMIT 1').pluck(true).get() as
      | number
      | undefined) ?? 0
  );
}

export function hashAt(source: Database.Database, position: number): string | undefined {
  if (position === 0) return '';
  return stmt(source, 'SELECT hash FROM events WHERE global_position = ?').pluck(true).get(position) as
    | string
    | undefined;
}

export function recordedAtOf(source: Database.Database, position: number): number | null {
  if (position === 0) return null;
  return (
    (stmt(source, 'SELECT recorded_at FROM events WHERE global_position = ?').pluck(true).get(position) as
      | number
      | undefined) ?? null
  );
}
