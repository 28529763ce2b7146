import { defineProjection } from '../define';
import { stmt } from '../sql';
import type { ProjectionBatchWriter, ProjectionEvent } from '../types';

/**
 * `activity`: events per minute and event type (the minute of the recorded time, ms since 1970 UTC rounded
 * down to the minute), for any store. A time series: `activitySeries` buckets it for charts.
 *
 * Its rows are pure counts, so it never reads them: each event adds 1 with an upsert. The batch writer counts
 * the current minute in memory (recorded times never decrease along the log, so a minute is finished when the
 * next one starts) and writes each minute's counts once; the upsert keeps it right in any order.
 */

export const MINUTE_MS = 60_000;

const UPSERT =
  'INSERT INTO rm_activity (minute, event_type, count) VALUES (?, ?, ?) ON CONFLICT (minute, event_type) DO UPDATE SET count = count + excluded.count';

function minuteOf(event: ProjectionEvent): number {
  return Math.floor(event.recordedAt / MINUTE_MS) * MINUTE_MS;
}

export const activityProjection = defineProjection(
  {
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
    apply(db, event) {
      stmt(db, UPSERT).run(minuteOf(event), event.eventType, 1);
    },
    batch(db): ProjectionBatchWriter {
      let minute = Number.NaN;
      let counts = new Map<string, number>();
      const done: [number, string, number][] = [];
      const close = (): void => {
        for (const [type, n] of counts) done.push([minute, type, n]);
        counts = new Map();
      };
      return {
        apply(event) {
          const m = minuteOf(event);
          if (m !== minute) {
            close();
            minute = m;
          }
          counts.set(event.eventType, (counts.get(event.eventType) ?? 0) + 1);
        },
        flush() {
          close();
          const upsert = stmt(db, UPSERT);
          for (const row of done) upsert.run(row);
          done.length = 0;
        },
      };
    },
  },
  { keyedReadsOnly: true },
);
