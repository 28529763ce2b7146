import { type Change, diffStates } from '../history/diff';
import { type Reducer, reducerFor } from '../history/reducers';
import { stateAt } from '../history/stateAt';
import type { EventStore } from '../store/eventStore';
import type { StoredEvent } from '../store/types';

/**
 * The state of an event's stream after it, and what it changed, for events read in log order across many
 * streams (actor, window and correlation reports) or in version order within one (entity reports).
 *
 * Each stream's last state is kept (up to `capacity` streams, least recently used dropped), so consecutive
 * events of a stream fold in O(1) each with the stream's reducer; a stream seen for the first time (or again
 * after a gap) starts from `stateAt(version − 1)`, which the history layer serves from its nearest snapshot.
 * A stream the reducers cannot fold (foreign or damaged data) yields an error text instead of failing the report.
 */

export interface FoldedEvent {
  stateAfter: unknown;
  changes: Change[];
}

interface StreamPoint {
  reducer: Reducer;
  version: number;
  state: unknown;
}

export class StateFolder {
  private readonly points = new Map<string, StreamPoint>();
  private readonly broken = new Map<string, string>();

  constructor(
    private readonly store: EventStore,
    private readonly capacity = 16_384,
  ) {}

  /** The state after `event` and its changes, or an error text when the stream cannot be folded. */
  fold(event: StoredEvent): FoldedEvent | { error: string } {
    const known = this.broken.get(event.streamId);
    if (known !== undefined) return { error: known };
    try {
      let point = this.points.get(event.streamId);
      if (point !== undefined) this.points.delete(event.streamId); // re-inserted below: most recently used
      if (point === undefined || point.version !== event.streamVersion - 1) {
        const reducer = point?.reducer ?? reducerFor(this.store, event.streamId);
        const start = stateAt(this.store, event.streamId, { version: event.streamVersion - 1 });
        point = { reducer, version: start.version, state: start.state };
      }
      const before = point.state;
      const after = point.reducer.apply(before, {
        position: event.globalPosition,
        version: event.streamVersion,
        type: event.eventType,
        data: event.data,
        recordedAt: event.recordedAt,
        occurredAt: event.occurredAt,
        hash: event.hash,
      });
      this.points.set(event.streamId, { reducer: point.reducer, version: event.streamVersion, state: after });
      if (this.points.size > this.capacity) {
        const oldest = this.points.keys().next().value;
        if (oldest !== undefined) this.points.delete(oldest);
      }
      return { stateAfter: after, changes: diffStates(before, after).changes };
    } catch (error) {
      const message = `The state of ${event.streamId} could not be reconstructed: ${
        error instanceof Error ? error.message : String(error)
      }`;
      this.broken.set(event.streamId, message);
      this.points.delete(event.streamId);
      return { error: message };
    }
  }
}
