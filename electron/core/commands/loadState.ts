import {
  DOMAINS,
  type DomainEvent,
  type DomainName,
  type DomainState,
  domainOfEvent,
  domainOfStream,
  parseEvent,
} from '../domain/registry';
import { HindsightError } from '../errors';
import { stateAt } from '../history/stateAt';
import type { EventStore } from '../store/eventStore';
import { LIMITS } from '../store/limits';

/**
 * Loading a stream's current state for a decision. This is the bus's one seam for snapshots: it starts from the
 * latest snapshot (a cache, never trusted for verification) and folds only the events after it; a stream the
 * domain's reducer cannot fold is folded from version 1 here, to say why. Whatever it does, it must return the
 * state *and* the version that state reflects, because the append's expected version is that version.
 */

export interface LoadedState {
  streamId: string;
  domain: DomainName;
  state: DomainState;
  /** The last stream version folded into `state` (0 = the stream has no events). */
  version: number;
}

export function loadState(store: EventStore, streamId: string): LoadedState {
  const domain = domainOfStream(streamId);
  if (domain === undefined) {
    throw new HindsightError('invalid_input', `No built-in domain handles the stream ${streamId}.`, { streamId });
  }
  if (store.getStream(streamId) === undefined) {
    return { streamId, domain: domain.name, state: DOMAINS[domain.name].decider.initialState(), version: 0 };
  }
  // From the latest snapshot (history/snapshots.ts), folding only the events after it. The snapshot is keyed
  // by the reducer's code and checked against the chain hash at its version; if the stream does not fold with
  // this domain's reducer (foreign events), the full fold below reports exactly why.
  const fromSnapshot = stateAt(store, streamId, {});
  if (fromSnapshot.reducer === `domain:${domain.name}`) {
    return { streamId, domain: domain.name, state: fromSnapshot.state as DomainState, version: fromSnapshot.version };
  }
  let state = DOMAINS[domain.name].decider.initialState();
  let version = 0;
  const page = LIMITS.maxPageSize;
  for (;;) {
    // Each page is its own read; a concurrent append may land between pages, but versions are contiguous
    // and append-only, so what is folded is always a consistent prefix and `version` says which.
    const events = store.readStream(streamId, { fromVersion: version + 1, limit: page });
    for (const stored of events) {
      let event: DomainEvent;
      try {
        event = parseEvent(stored.eventType, stored.data);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new HindsightError(
          'internal',
          `Stream ${streamId} holds an event this version of Hindsight cannot fold (position ${stored.globalPosition}, ${stored.eventType}): ${why}`,
          { streamId, position: stored.globalPosition, eventType: stored.eventType },
        );
      }
      if (domainOfEvent(event).name !== domain.name) {
        throw new HindsightError(
          'internal',
          `Stream ${streamId} holds a ${stored.eventType} event (position ${stored.globalPosition}), which does not belong to the ${domain.name} domain.`,
          { streamId, position: stored.globalPosition, eventType: stored.eventType },
        );
      }
      state = DOMAINS[domain.name].decider.evolve(state, event);
      version = stored.streamVersion;
    }
    if (events.length < page) break;
  }
  return { streamId, domain: domain.name, state, version };
}
