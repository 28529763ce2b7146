import { create, type Delta } from 'jsondiffpatch';
import type { EventStore } from '../store/eventStore';
import { emptyObject, isJsonObject } from './json';
import { type HistoryOptions, requireStream, stateAt, validateVersion } from './stateAt';

/**
 * Differences between two states, in two shapes:
 * - `delta`: jsondiffpatch's structured delta (for a tree view; its format is jsondiffpatch's
 *   docs/deltas.md). Arrays are matched by an element's `id`, `_id` or `key` member when it has one, else by
 *   content; moves are shown as a removal plus an addition. A key named `__proto__` cannot be held by a
 *   delta safely, so in the delta (only) it is written `\u0000__proto__`, and a key that starts with U+0000
 *   gets one more U+0000 in front.
 * - `changes`: a flat list for lists and tables, one entry per leaf that was added, removed or changed,
 *   with the real keys. Array paths use the index in the old array for removals and the index in the new
 *   array for additions and changes.
 */

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface Change {
  path: string[];
  kind: ChangeKind;
  before?: unknown;
  after?: unknown;
}

export interface StateDiff {
  /** jsondiffpatch delta, or null when the states are equal. */
  delta: Delta | null;
  changes: Change[];
}

const ESC = '\u0000';

function needsEscape(key: string): boolean {
  return key === '__proto__' || key.startsWith(ESC);
}

function hasUnsafeKeys(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null || depth > 200) return false;
  if (Array.isArray(value)) return value.some((v) => hasUnsafeKeys(v, depth + 1));
  for (const key of Object.keys(value)) {
    if (needsEscape(key) || hasUnsafeKeys((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/** Renames keys so that a delta (a plain object built by jsondiffpatch) can hold them. Bijective. */
function mapKeys(value: unknown, rename: (key: string) => string): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => mapKeys(v, rename));
  const out = emptyObject();
  for (const key of Object.keys(value)) out[rename(key)] = mapKeys((value as Record<string, unknown>)[key], rename);
  return out;
}

const escapeKey = (key: string): string => (needsEscape(key) ? ESC + key : key);
const unescapeKey = (key: string): string => (key.startsWith(ESC) ? key.slice(1) : key);

function objectHash(item: object, index?: number): string {
  for (const name of ['id', '_id', 'key']) {
    if (Object.hasOwn(item, name)) {
      const id = (item as Record<string, unknown>)[name];
      if (typeof id === 'string' || typeof id === 'number') return `${name}:${JSON.stringify(id)}`;
    }
  }
  try {
    return `json:${JSON.stringify(item)}`;
  } catch {
    return `index:${index ?? 0}`;
  }
}

const differ = create({
  objectHash,
  arrays: { detectMove: false, includeValueOnMove: false },
  cloneDiffValues: false,
});

function isTuple(delta: unknown): delta is unknown[] {
  return Array.isArray(delta);
}

function collect(delta: unknown, path: string[], escaped: boolean, out: Change[]): void {
  const value = (v: unknown) => (escaped ? mapKeys(v, unescapeKey) : v);
  if (isTuple(delta)) {
    if (delta.length === 1) out.push({ path, kind: 'added', after: value(delta[0]) });
    else if (delta.length === 2) out.push({ path, kind: 'changed', before: value(delta[0]), after: value(delta[1]) });
    else if (delta.length === 3 && delta[2] === 0) out.push({ path, kind: 'removed', before: value(delta[0]) });
    return;
  }
  if (!isJsonObject(delta)) return;
  if (delta._t === 'a') {
    const removed: number[] = [];
    const current: number[] = [];
    for (const key of Object.keys(delta)) {
      if (key === '_t') continue;
      if (key.startsWith('_')) removed.push(Number(key.slice(1)));
      else current.push(Number(key));
    }
    removed.sort((a, b) => a - b);
    current.sort((a, b) => a - b);
    for (const index of removed) collect(delta[`_${index}`], [...path, String(index)], escaped, out);
    for (const index of current) collect(delta[String(index)], [...path, String(index)], escaped, out);
    return;
  }
  for (const key of Object.keys(delta)) {
    collect(delta[key], [...path, escaped ? unescapeKey(key) : key], escaped, out);
  }
}

/** The differences from state `a` to state `b`. */
export function diffStates(a: unknown, b: unknown): StateDiff {
  const escaped = hasUnsafeKeys(a) || hasUnsafeKeys(b);
  const left = escaped ? mapKeys(a, escapeKey) : a;
  const right = escaped ? mapKeys(b, escapeKey) : b;
  const delta = differ.diff(left, right);
  if (delta === undefined) return { delta: null, changes: [] };
  const changes: Change[] = [];
  collect(delta, [], escaped, changes);
  return { delta, changes };
}

export interface VersionDiff extends StateDiff {
  streamId: string;
  from: { version: number; state: unknown };
  to: { version: number; state: unknown };
}

/** The differences between a stream's states at two versions (either order; 0 = before the first event). */
export function diffVersions(
  store: EventStore,
  streamId: string,
  fromVersion: number,
  toVersion: number,
  opts: HistoryOptions = {},
): VersionDiff {
  const info = requireStream(store, streamId);
  const v1 = validateVersion(info, fromVersion, 'fromVersion');
  const v2 = validateVersion(info, toVersion, 'toVersion');
  const a = stateAt(store, streamId, { ...opts, version: v1 });
  const b = stateAt(store, streamId, { ...opts, version: v2 });
  return {
    streamId,
    from: { version: v1, state: a.state },
    to: { version: v2, state: b.state },
    ...diffStates(a.state, b.state),
  };
}
