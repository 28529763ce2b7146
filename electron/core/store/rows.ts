import { parseStoredData, parseStoredMetadata } from './storedJson';
import type { StoredEvent, StreamInfo } from './types';

/** Column lists and row → object conversions shared by the read and write paths. */

export const EVENT_COLUMNS =
  'global_position, event_id, stream_id, stream_version, event_type, schema_version, data, metadata, recorded_at, occurred_at, prev_hash, hash';

/** A raw `events` row in EVENT_COLUMNS order. */
export type EventRow = [number, string, string, number, string, number, string, string, number, number, string, string];

export function eventFromRow(row: EventRow): StoredEvent {
  return {
    globalPosition: row[0],
    eventId: row[1],
    streamId: row[2],
    streamVersion: row[3],
    eventType: row[4],
    schemaVersion: row[5],
    data: parseStoredData(row[6]),
    metadata: parseStoredMetadata(row[7]),
    recordedAt: row[8],
    occurredAt: row[9],
    prevHash: row[10],
    hash: row[11],
  };
}

export const STREAM_COLUMNS =
  's.stream_id, s.category, s.version, s.first_position, s.last_position, s.created_at, s.updated_at, e.event_type';

/** Streams joined with their last event, for `lastEventType`. */
export const STREAM_FROM = 'streams s LEFT JOIN events e ON e.global_position = s.last_position';

export type StreamRow = [string, string, number, number, number, number, number, string | null];

export function streamFromRow(row: StreamRow): StreamInfo {
  return {
    streamId: row[0],
    category: row[1],
    version: row[2],
    firstPosition: row[3],
    lastPosition: row[4],
    createdAt: row[5],
    updatedAt: row[6],
    lastEventType: row[7] ?? '',
  };
}
