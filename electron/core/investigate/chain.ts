import { findCommandRecord, policyRecordsAfter, type StoredCommandRecord } from '../commands/commandLog';
import { POLICIES } from '../domain/policies';
import { HindsightError } from '../errors';
import type { EventStore } from '../store/eventStore';
import { EVENT_COLUMNS, type EventRow, eventFromRow } from '../store/rows';
import { translateError } from '../store/sqliteErrors';
import { parseStoredPayload } from '../store/storedJson';
import type { StoredEvent } from '../store/types';
import { searchEvents } from './search';
import { prepared } from './sql';
import { describeStateChange } from './stateChange';
import type { ChainCommandNode, ChainEventNode, ChainNode, ChainOptions, ChainQuery, CorrelationChain } from './types';

/**
 * The correlation / causation chain of a piece of history: every event that carries the correlation id, the
 * commands that produced them (from the `commands` table, rejected ones included), and the follow-up commands
 * policies issued for them, as a tree nested by causation:
 *
 * - an event hangs under the command that appended it (`metadata.command_id`), else under its cause
 *   (`metadata.causation_id`: an event or a command);
 * - a command hangs under its cause: for a policy's command the triggering event named in its id
 *   (`policy:<policy>:<event id>`, so a *rejected* follow-up is found too), else the `causation_id` its events
 *   carry;
 * - what has no known cause is a root (usually the one originating command).
 *
 * Siblings are ordered by their position in the log. Format v1 keeps correlation ids only in event metadata,
 * so a rejected command that is neither a policy's follow-up nor the correlation's own originating command (its
 * id equal to the correlation id) cannot be tied to the chain and is not shown.
 */

export const DEFAULT_MAX_CHAIN_EVENTS = 5000;
/** How many commands after a command of the chain are looked at for its policies' follow-ups. */
const FOLLOW_UP_WINDOW = 64;
/** State changes are computed for at most this many events of a chain (each one folds its stream). */
const MAX_STATE_CHANGES = 500;

function metaString(event: StoredEvent, key: string): string | null {
  const value = Object.hasOwn(event.metadata, key) ? event.metadata[key] : undefined;
  return typeof value === 'string' && value !== '' ? value : null;
}

function checkQuery(query: ChainQuery): { eventId?: string; correlationId?: string } {
  if (typeof query !== 'object' || query === null) {
    throw new HindsightError('invalid_input', 'A chain needs an event id or a correlation id.', { field: 'query' });
  }
  const eventId = (query as { eventId?: unknown }).eventId;
  const correlationId = (query as { correlationId?: unknown }).correlationId;
  if ((eventId === undefined) === (correlationId === undefined)) {
    throw new HindsightError('invalid_input', 'A chain needs either an event id or a correlation id (not both).', {
      field: 'query',
    });
  }
  const value = eventId ?? correlationId;
  if (typeof value !== 'string' || value === '' || value.length > 256) {
    throw new HindsightError(
      'invalid_input',
      'The id of a chain must be a non-empty string of at most 256 characters.',
      {
        field: eventId !== undefined ? 'eventId' : 'correlationId',
      },
    );
  }
  return eventId !== undefined ? { eventId: value.toLowerCase() } : { correlationId: value };
}

/** `policy:<name>:<event id>` → name and event id (the bus's ids of follow-ups). */
function policyOf(commandId: string): { policy: string; eventId: string } | null {
  if (!commandId.startsWith('policy:')) return null;
  const rest = commandId.slice('policy:'.length);
  const colon = rest.indexOf(':');
  if (colon <= 0) return null;
  return { policy: rest.slice(0, colon), eventId: rest.slice(colon + 1) };
}

/** The chain of the event's correlation (or of a correlation id). See the module comment. */
export function correlationChain(store: EventStore, query: ChainQuery, opts: ChainOptions = {}): CorrelationChain {
  const q = checkQuery(query);
  const maxEvents = opts.maxEvents ?? DEFAULT_MAX_CHAIN_EVENTS;
  if (!Number.isInteger(maxEvents) || maxEvents < 1 || maxEvents > 100_000) {
    throw new HindsightError('invalid_input', 'maxEvents must be a whole number from 1 to 100000.', {
      field: 'maxEvents',
    });
  }
  try {
    return buildChain(store, q, maxEvents, opts);
  } catch (error) {
    throw translateError(error, store.path);
  }
}

function buildChain(
  store: EventStore,
  q: { eventId?: string; correlationId?: string },
  maxEvents: number,
  opts: ChainOptions,
): CorrelationChain {
  const db = store.db;
  let focus: StoredEvent | undefined;
  let correlationId: string;
  if (q.eventId !== undefined) {
    const row = prepared(db, `SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ?`).raw(true).get(q.eventId) as
      | EventRow
      | undefined;
    if (row === undefined) {
      throw new HindsightError('not_found', `The store has no event with id ${q.eventId}.`, { eventId: q.eventId });
    }
    focus = eventFromRow(row);
    correlationId = metaString(focus, 'correlation_id') ?? metaString(focus, 'command_id') ?? focus.eventId;
  } else {
    correlationId = q.correlationId!;
  }

  // The correlation's events, oldest first.
  const events: StoredEvent[] = [];
  let truncated = false;
  let after = 0;
  for (;;) {
    const page = searchEvents(
      store,
      { correlationId },
      { after, limit: Math.min(1000, maxEvents - events.length + 1), count: false, cacheDir: opts.cacheDir },
    );
    events.push(...page.items);
    if (events.length > maxEvents) {
      events.length = maxEvents;
      truncated = true;
      break;
    }
    if (page.next === null) break;
    after = page.next;
  }
  if (focus !== undefined && !events.some((e) => e.eventId === focus.eventId)) events.unshift(focus);
  if (events.length === 0 && focus === undefined) {
    if (findCommandRecord(db, correlationId) === undefined) {
      throw new HindsightError('not_found', `The store has no event or command with correlation id ${correlationId}.`, {
        correlationId,
      });
    }
  }

  // The commands: those that appended the events, the correlation's originating command, policy follow-ups.
  const commandRows = new Map<string, StoredCommandRecord>();
  const lookUp = (id: string | null): void => {
    if (id === null || commandRows.has(id)) return;
    const record = findCommandRecord(db, id);
    if (record !== undefined) commandRows.set(id, record);
  };
  lookUp(correlationId);
  const eventIds = new Set(events.map((e) => e.eventId));
  for (const event of events) {
    lookUp(metaString(event, 'command_id'));
    for (const policy of POLICIES) {
      if (policy.trigger === event.eventType) lookUp(`policy:${policy.name}:${event.eventId}`);
    }
  }
  // Follow-ups of other policies (a rejected one has no event to find it by): the bus records a command's
  // follow-ups right after it, so look at the few policy commands recorded just after each command of the chain.
  const scanned = new Set<number>();
  for (let pending = [...commandRows.values()]; pending.length > 0; ) {
    const found: StoredCommandRecord[] = [];
    for (const record of pending) {
      if (scanned.has(record.seq)) continue;
      scanned.add(record.seq);
      for (const next of policyRecordsAfter(db, record.seq, FOLLOW_UP_WINDOW)) {
        const trigger = policyOf(next.commandId);
        if (trigger !== null && eventIds.has(trigger.eventId) && !commandRows.has(next.commandId)) {
          commandRows.set(next.commandId, next);
          found.push(next);
        }
      }
    }
    pending = found;
  }

  // Nodes.
  const eventNodes = new Map<string, ChainEventNode>();
  let changes = 0;
  const computeChanges = opts.stateChanges !== false;
  for (const event of events) {
    eventNodes.set(event.eventId, {
      kind: 'event',
      eventId: event.eventId,
      position: event.globalPosition,
      streamId: event.streamId,
      version: event.streamVersion,
      type: event.eventType,
      actor: metaString(event, 'actor'),
      recordedAt: event.recordedAt,
      commandId: metaString(event, 'command_id'),
      causationId: metaString(event, 'causation_id'),
      change:
        computeChanges && changes++ < MAX_STATE_CHANGES
          ? describeStateChange(store, event.streamId, event.streamVersion)
          : '',
      children: [],
    });
  }
  const firstEventOf = new Map<string, ChainEventNode>();
  for (const node of eventNodes.values()) {
    if (node.commandId !== null && !firstEventOf.has(node.commandId)) firstEventOf.set(node.commandId, node);
  }
  const commandNodes = new Map<string, ChainCommandNode>();
  for (const row of commandRows.values()) {
    const policy = policyOf(row.commandId);
    const first = firstEventOf.get(row.commandId);
    let causationId: string | null = policy?.eventId ?? null;
    if (causationId === null && first !== undefined && first.causationId !== row.commandId) {
      causationId = first.causationId;
    }
    commandNodes.set(row.commandId, {
      kind: 'command',
      commandId: row.commandId,
      commandType: row.commandType,
      streamId: row.streamId,
      actor: row.actor,
      reason: row.reason,
      receivedAt: row.receivedAt,
      outcome: row.outcome,
      errorCode: row.errorCode,
      errorMessage: row.errorMessage,
      payload: parseStoredPayload(row.payload),
      policy: policy === null ? null : policy.policy,
      causationId,
      position: row.firstPosition ?? store.positionAt(row.receivedAt),
      children: [],
    });
  }

  // Parents, refusing cycles (a damaged or hand-made store could claim any causation).
  const parent = new Map<ChainNode, ChainNode>();
  const byId = (id: string | null): ChainNode | undefined =>
    id === null ? undefined : (eventNodes.get(id) ?? commandNodes.get(id));
  const wouldCycle = (child: ChainNode, candidate: ChainNode): boolean => {
    for (let n: ChainNode | undefined = candidate, depth = 0; n !== undefined && depth < 100_000; depth++) {
      if (n === child) return true;
      n = parent.get(n);
    }
    return false;
  };
  const link = (child: ChainNode, candidate: ChainNode | undefined): void => {
    if (candidate === undefined || candidate === child || wouldCycle(child, candidate)) return;
    parent.set(child, candidate);
  };
  for (const node of eventNodes.values()) {
    const command = node.commandId === null ? undefined : commandNodes.get(node.commandId);
    link(node, command ?? (node.causationId !== node.commandId ? byId(node.causationId) : undefined));
  }
  for (const node of commandNodes.values()) link(node, byId(node.causationId));

  const roots: ChainNode[] = [];
  for (const node of [...commandNodes.values(), ...eventNodes.values()]) {
    const p = parent.get(node);
    if (p === undefined) roots.push(node);
    else p.children.push(node);
  }
  sortTree(roots);

  const streams: string[] = [];
  for (const event of events) if (!streams.includes(event.streamId)) streams.push(event.streamId);
  const commands = [...commandNodes.values()];
  return {
    correlationId,
    focusEventId: focus?.eventId ?? null,
    roots,
    commands: commands.length,
    rejected: commands.filter((c) => c.outcome === 'rejected').length,
    events: eventNodes.size,
    streams,
    truncated,
  };
}

/** A sibling's place in the log: an event's position; a command's first event (just before it), or, without
 * events, just after the last event recorded by the time it was received. */
function sortKey(node: ChainNode): number {
  if (node.kind === 'event') return node.position;
  return node.outcome === 'accepted' && node.children.some((c) => c.kind === 'event')
    ? node.position - 0.5
    : node.position + 0.5;
}

function sortTree(nodes: ChainNode[]): void {
  nodes.sort((a, b) => sortKey(a) - sortKey(b) || (a.kind === 'command' ? -1 : 1) - (b.kind === 'command' ? -1 : 1));
  for (const node of nodes) sortTree(node.children);
}
