import type { historyContract } from '../../../shared/ipc/contracts/history';
import type { StateChange, TimelineEntry, ValuePoint } from '../../../shared/types';
import { HindsightError } from '../errors';
import { diffVersions } from '../history/diff';
import { stateAt } from '../history/stateAt';
import { timeline } from '../history/timeline';
import { numericFields, valueSeries } from '../history/valueSeries';
import type { HandlersOf, ServiceContext } from './types';

export function historyHandlers({ session }: ServiceContext): HandlersOf<typeof historyContract> {
  const options = () => ({ snapshotInterval: session.settings.get().snapshotInterval });
  return {
    'streams.get': ({ streamId }) => {
      const stream = session.require().getStream(streamId);
      if (!stream) throw new HindsightError('not_found', `There is no stream named “${streamId}”.`, { streamId });
      return stream;
    },

    'history.timeline': ({ streamId, afterVersion, limit, types, actors }) => {
      const store = session.require();
      const page = timeline(store, streamId, { ...options(), afterVersion, limit, types, actors });
      const items: TimelineEntry[] = page.entries.map((entry) => ({
        globalPosition: entry.position,
        eventId: entry.eventId,
        streamId,
        streamVersion: entry.version,
        eventType: entry.type,
        schemaVersion: entry.schemaVersion,
        data: entry.data,
        metadata: entry.metadata,
        recordedAt: entry.recordedAt,
        occurredAt: entry.occurredAt,
        hash: entry.hash,
        stateAfter: entry.stateAfter,
        changes: entry.changes as StateChange[],
      }));
      return { items, next: page.nextAfterVersion };
    },

    'history.stateAt': ({ streamId, version, knownAt, occurredAt }) => {
      const result = stateAt(session.require(), streamId, { ...options(), version, recordedAt: knownAt, occurredAt });
      return {
        streamId,
        version: result.version,
        position: result.position === 0 ? null : result.position,
        recordedAt: result.recordedAt,
        occurredAt: result.occurredAt,
        state: result.state,
        reducer: result.reducer,
        fromSnapshot: result.fromSnapshot,
      };
    },

    'history.diff': ({ streamId, fromVersion, toVersion }) => {
      const diff = diffVersions(session.require(), streamId, fromVersion, toVersion, options());
      return { fromVersion, toVersion, changes: diff.changes as StateChange[] };
    },

    'history.valueSeries': ({ streamId, field, maxPoints }) => {
      const store = session.require();
      const latest = stateAt(store, streamId, options());
      const fields = numericFields(latest.state).map((entry) => entry.path);
      const chosen = field ?? preferredField(fields);
      if (!chosen) return { field: [], points: [], fields };
      const series = valueSeries(store, streamId, chosen, { ...options(), maxPoints });
      const points: ValuePoint[] = series.points
        .filter((point) => typeof point.value === 'number')
        .map((point) => ({
          version: point.version,
          position: point.position,
          recordedAt: point.recordedAt,
          value: point.value as number,
        }));
      return { field: chosen, points, fields };
    },
  };
}

/** `balance` or `total` when the entity has one (what people chart first), else the first numeric field. */
function preferredField(fields: string[][]): string[] | undefined {
  for (const name of ['balance', 'total', 'amount']) {
    const match = fields.find((path) => path.length === 1 && path[0] === name);
    if (match) return match;
  }
  return fields[0];
}
