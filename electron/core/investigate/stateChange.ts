import type { Change } from '../history/diff';
import { timeline } from '../history/timeline';
import type { EventStore } from '../store/eventStore';

/**
 * The one-line "what did this event change" of the chain view. Kept behind this one function so that the way
 * states are reconstructed can change without touching the chain: today it asks the history layer for the
 * stream's timeline entry at the event's version (the stream's state before and after it, from the nearest
 * snapshot, with the domain's evolve or the generic reducer) and formats its list of changes.
 */

export const MAX_CHANGE_LENGTH = 160;

/** The changes an event made to its stream's state, or undefined when they cannot be computed. */
export function eventChanges(store: EventStore, streamId: string, version: number): Change[] | undefined {
  try {
    const page = timeline(store, streamId, { afterVersion: version - 1, limit: 1 });
    const entry = page.entries[0];
    return entry?.version === version ? entry.changes : undefined;
  } catch {
    // A stream the reducers cannot fold (foreign data, damage): the chain still shows the event.
    return undefined;
  }
}

function short(value: unknown): string {
  if (value === undefined) return '∅';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);
  if (typeof value !== 'object' || value === null) return String(value);
  const text = JSON.stringify(value);
  return text.length > 40 ? (Array.isArray(value) ? `[… ${value.length} items]` : '{…}') : text;
}

/** Formats changes as one line: `balance: 5000 → 2200, status: "open" → "frozen"`, shortened to ~160 characters. */
export function formatChanges(changes: readonly Change[] | undefined): string {
  if (changes === undefined) return '(state change unavailable)';
  if (changes.length === 0) return 'no change';
  const parts = changes.map((change) => {
    const path = change.path.length === 0 ? '(state)' : change.path.join('.');
    switch (change.kind) {
      case 'added':
        return `+${path}: ${short(change.after)}`;
      case 'removed':
        return `-${path} (was ${short(change.before)})`;
      default:
        return `${path}: ${short(change.before)} → ${short(change.after)}`;
    }
  });
  let line = '';
  for (let i = 0; i < parts.length; i++) {
    const next = line === '' ? parts[i]! : `${line}, ${parts[i]}`;
    if (next.length > MAX_CHANGE_LENGTH) {
      if (line === '') return `${parts[i]!.slice(0, MAX_CHANGE_LENGTH)}…`;
      return `${line}, … (+${parts.length - i} more)`;
    }
    line = next;
  }
  return line;
}

/** The one-line state change of the event at `version` of `streamId`. */
export function describeStateChange(store: EventStore, streamId: string, version: number): string {
  return formatChanges(eventChanges(store, streamId, version));
}
