import { defineRowProjection, type Row } from '../rowTable';

/** `event-types`: every event type of any store with its count and when it was first and last recorded. */

const COLUMNS = ['event_type', 'count', 'first_position', 'last_position', 'first_at', 'last_at'] as const;

export const eventTypesProjection = defineRowProjection({
  name: 'event-types',
  version: 1,
  description: 'Every event type: how many, first and last seen.',
  handles: ['*'],
  tables: {
    ddl: `
CREATE TABLE rm_event_types (
  event_type     TEXT    PRIMARY KEY NOT NULL,
  count          INTEGER NOT NULL,
  first_position INTEGER NOT NULL,
  last_position  INTEGER NOT NULL,
  first_at       INTEGER NOT NULL,
  last_at        INTEGER NOT NULL
);`,
    columns: [
      { name: 'event_type', type: 'text', label: 'Event type' },
      { name: 'count', type: 'integer', label: 'Events' },
      { name: 'first_at', type: 'time', label: 'First seen' },
      { name: 'last_at', type: 'time', label: 'Last seen' },
      { name: 'first_position', type: 'integer', label: 'First position' },
      { name: 'last_position', type: 'integer', label: 'Last position' },
    ],
    primaryKey: ['event_type'],
    defaultSort: { column: 'count', dir: 'desc' },
  },
  rowColumns: COLUMNS,
  reduce(rows, event) {
    const row: Row = rows.get(event.eventType) ?? {
      event_type: event.eventType,
      count: 0,
      first_position: event.globalPosition,
      last_position: event.globalPosition,
      first_at: event.recordedAt,
      last_at: event.recordedAt,
    };
    row.count = (row.count as number) + 1;
    row.last_position = event.globalPosition;
    row.last_at = event.recordedAt;
    rows.put(row);
  },
});
