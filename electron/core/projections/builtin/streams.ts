import { categoryOf } from '../../store/limits';
import { defineRowProjection, type Row } from '../rowTable';

/**
 * `streams`: an overview of every stream of any store: its category (the id before the first `-`), event
 * count, first and last activity (recorded times and positions) and the type of its last event.
 */

const COLUMNS = [
  'stream_id',
  'category',
  'events',
  'first_position',
  'last_position',
  'first_at',
  'last_at',
  'last_type',
] as const;

export const streamsProjection = defineRowProjection({
  name: 'streams',
  version: 1,
  description: 'Every stream: category, events, first and last activity, last event type.',
  handles: ['*'],
  tables: {
    ddl: `
CREATE TABLE rm_streams (
  stream_id      TEXT    PRIMARY KEY NOT NULL,
  category       TEXT    NOT NULL,
  events         INTEGER NOT NULL,
  first_position INTEGER NOT NULL,
  last_position  INTEGER NOT NULL,
  first_at       INTEGER NOT NULL,
  last_at        INTEGER NOT NULL,
  last_type      TEXT    NOT NULL
);
CREATE INDEX rm_streams_by_category ON rm_streams (category, stream_id);
CREATE INDEX rm_streams_by_last_at ON rm_streams (last_at, stream_id);`,
    columns: [
      { name: 'stream_id', type: 'text', label: 'Stream' },
      { name: 'category', type: 'text', label: 'Category' },
      { name: 'events', type: 'integer', label: 'Events' },
      { name: 'first_at', type: 'time', label: 'First activity' },
      { name: 'last_at', type: 'time', label: 'Last activity' },
      { name: 'last_type', type: 'text', label: 'Last type' },
      { name: 'first_position', type: 'integer', label: 'First position' },
      { name: 'last_position', type: 'integer', label: 'Last position' },
    ],
    primaryKey: ['stream_id'],
    defaultSort: { column: 'last_at', dir: 'desc' },
  },
  rowColumns: COLUMNS,
  reduce(rows, event) {
    const existing = rows.get(event.streamId);
    const row: Row = existing ?? {
      stream_id: event.streamId,
      category: categoryOf(event.streamId),
      events: 0,
      first_position: event.globalPosition,
      last_position: event.globalPosition,
      first_at: event.recordedAt,
      last_at: event.recordedAt,
      last_type: event.eventType,
    };
    row.events = (row.events as number) + 1;
    row.last_position = event.globalPosition;
    row.last_at = event.recordedAt;
    row.last_type = event.eventType;
    rows.put(row);
  },
});
