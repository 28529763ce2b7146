import { defineRowProjection, type Row } from '../rowTable';

/**
 * `activity`: events per minute and event type (the minute of the recorded time, ms since 1970 UTC rounded
 * down to the minute), for any store. A time series: `activitySeries` buckets it for charts.
 */

export const MINUTE_MS = 60_000;

const COLUMNS = ['minute', 'event_type', 'count'] as const;

export const activityProjection = defineRowProjection({
  name: 'activity',
  version: 1,
  description: 'Events per minute by event type (recorded time).',
  handles: ['*'],
  tables: {
    ddl: `
CREATE TABLE rm_activity (
  minute     INTEGER NOT NULL,
  event_type TEXT    NOT NULL,
  count      INTEGER NOT NULL,
  PRIMARY KEY (minute, event_type)
) WITHOUT ROWID;`,
    columns: [
      { name: 'minute', type: 'time', label: 'Minute' },
      { name: 'event_type', type: 'text', label: 'Event type' },
      { name: 'count', type: 'integer', label: 'Events' },
    ],
    primaryKey: ['minute', 'event_type'],
    defaultSort: { column: 'minute', dir: 'desc' },
    timeSeries: { time: 'minute', series: 'event_type', value: 'count' },
  },
  rowColumns: COLUMNS,
  reduce(rows, event) {
    const minute = Math.floor(event.recordedAt / MINUTE_MS) * MINUTE_MS;
    const row: Row = rows.get(minute, event.eventType) ?? { minute, event_type: event.eventType, count: 0 };
    row.count = (row.count as number) + 1;
    rows.put(row);
  },
});
