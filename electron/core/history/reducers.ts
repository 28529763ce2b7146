import { createHash } from 'node:crypto';
import type { DomainDefinition, DomainName } from '../domain/registry';
import { DOMAINS, domainOfStream, EVENTS, isEventType, parseEvent } from '../domain/registry';
import { HindsightError } from '../errors';
import type { EventStore } from '../store/eventStore';
import { EMPTY_RULE_BOOK, loadRuleBook, type RuleBook } from './eventTypes';
import { emptyObject, parseSafeJson } from './json';
import { applyMergePatch } from './mergePatch';
import { applyRules } from './rules';
import { prepared } from './sql';

/**
 * How a stream's events fold into a state. Streams of a built-in domain (by category, and only when their
 * first event is one of that domain's) use the domain's Decider `evolve`; every other stream uses the
 * generic, data-only reducer driven by the `event_types` rules. Each reducer has a `key` that changes
 * whenever its behaviour may change, so snapshots written by another reducer are never used.
 */

/** One event as the reducers see it. */
export interface HistoryEvent {
  position: number;
  version: number;
  type: string;
  data: unknown;
  recordedAt: number;
  occurredAt: number;
  hash: string;
}

export type ReducerKind = `domain:${DomainName}` | 'generic';

export interface Reducer {
  readonly kind: ReducerKind;
  /** Snapshot key: kind, reducer version and a fingerprint of the behaviour (domain code or rules). */
  readonly key: string;
  initial(): unknown;
  /** The state after `event`; never mutates `state`. Throws `invalid_input` for an event it cannot fold. */
  apply(state: unknown, event: HistoryEvent): unknown;
  /** Reads a snapshot's state text back. */
  parseState(text: string): unknown;
}

/**
 * Bump when the history layer changes how a domain stream is folded (e.g. event validation). A domain's
 * own code changes are caught by the fingerprint of its `evolve` and `initialState` as well.
 */
export const DOMAIN_REDUCER_VERSION = 1;
/** Bump when the generic reducer's interpretation (merge patch, rules) changes. */
export const GENERIC_REDUCER_VERSION = 1;

function fingerprint(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

const domainReducers = new Map<DomainName, Reducer>();

export function domainReducer(name: DomainName): Reducer {
  const existing = domainReducers.get(name);
  if (existing !== undefined) return existing;
  const domain: DomainDefinition = DOMAINS[name];
  const decider = domain.decider;
  const code = fingerprint(`${decider.initialState.toString()}\n${decider.evolve.toString()}`);
  const reducer: Reducer = {
    kind: `domain:${name}`,
    key: `domain:${name}@${DOMAIN_REDUCER_VERSION}:${code}`,
    initial: () => decider.initialState(),
    apply(state, event) {
      let parsed: ReturnType<typeof parseEvent>;
      try {
        parsed = parseEvent(event.type, event.data);
      } catch (error) {
        throw unfoldable(name, event, error instanceof Error ? error.message : String(error));
      }
      if (EVENTS[parsed.type].domain !== name) {
        throw unfoldable(name, event, `${event.type} is an event of the ${EVENTS[parsed.type].domain} domain.`);
      }
      return decider.evolve(state as never, parsed);
    },
    parseState: (text) => JSON.parse(text),
  };
  domainReducers.set(name, reducer);
  return reducer;
}

function unfoldable(domain: DomainName, event: HistoryEvent, why: string): HindsightError {
  return new HindsightError(
    'invalid_input',
    `The event at position ${event.position} (version ${event.version}, ${event.type}) cannot be folded by the ${domain} domain: ${why} Use the generic reducer to see this stream's data.`,
    { position: event.position, version: event.version, eventType: event.type, domain },
  );
}

/** The generic reducer for a set of rules: each event's data as a merge patch, unless its type has rules. */
export function genericReducer(book: RuleBook = EMPTY_RULE_BOOK): Reducer {
  return {
    kind: 'generic',
    key: `generic@${GENERIC_REDUCER_VERSION}:${book.hash}`,
    initial: () => emptyObject(),
    apply(state, event) {
      const rules = book.rules.get(event.type);
      if (rules !== undefined) return applyRules(state, event.data, rules);
      const error = book.errors.get(event.type);
      if (error !== undefined) throw error;
      return applyMergePatch(state, event.data);
    },
    parseState: (text) => parseSafeJson(text),
  };
}

export type ReducerChoice = 'auto' | 'generic';

/**
 * The reducer for a stream: its domain's when the stream's category is a built-in domain's and its first
 * event is one of that domain's events, else the generic reducer with the store's rules.
 */
export function reducerFor(store: EventStore, streamId: string, choice: ReducerChoice = 'auto'): Reducer {
  if (choice === 'auto') {
    const domain = domainOfStream(streamId);
    if (domain !== undefined) {
      const firstType = prepared(store.db, 'SELECT event_type FROM events WHERE stream_id = ? AND stream_version = 1')
        .pluck()
        .get(streamId) as string | undefined;
      if (firstType === undefined || (isEventType(firstType) && EVENTS[firstType].domain === domain.name)) {
        return domainReducer(domain.name);
      }
    }
  } else if (choice !== 'generic') {
    throw new HindsightError(
      'invalid_input',
      `The reducer must be "auto" or "generic", not ${JSON.stringify(choice)}.`,
      {
        field: 'reducer',
      },
    );
  }
  return genericReducer(loadRuleBook(store));
}
