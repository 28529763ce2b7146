import * as path from 'node:path';
import { DemoRandom } from '../../../electron/core/investigate/demoRandom';
import { searchEvents } from '../../../electron/core/investigate/search';
import { documentMatches, parseSearchText, searchDocument } from '../../../electron/core/investigate/searchText';
import type { SearchFilters, SearchOptions } from '../../../electron/core/investigate/types';
import { EventStore } from '../../../electron/core/store/eventStore';
import { categoryOf } from '../../../electron/core/store/limits';
import type { NewEvent, StoredEvent } from '../../../electron/core/store/types';

/** Helpers of the investigation tests: seeded random stores and a brute-force reference search. */

export const STREAMS = [
  'account-1',
  'account-2',
  'account-10',
  'accountx-1',
  'order-o-1',
  'order-o-12',
  'order-o-123',
  'cust',
  'cust-a',
  'x-y-z',
];
export const TYPES = ['Opened', 'Deposited', 'Withdrawn', 'Placed', 'Paid', 'Noted'];
export const ACTORS = ['ann', 'bob', 'web-shop', 'payments-worker@2.4.0-rc1', 'support:alice', 'policy:charge'];
export const WORDS = [
  'alpha',
  'beta',
  'gamma',
  'Delta',
  'zebra',
  'crossing',
  'Müller',
  'école',
  'refund',
  'refunded',
  'o-1001',
  'INC-2041',
  '4990',
  'needle',
  'hay',
];
export const CORRELATIONS = ['c-1', 'c-2', 'c-3', 'corr-19c6b87'];
export const COMMAND_IDS = ['cmd-1', 'cmd-2', 'cmd-3', 'cmd-4', 'cmd-5'];

function phrase(r: DemoRandom): string {
  const n = r.int(1, 3);
  return Array.from({ length: n }, () => r.pick(WORDS)).join(' ');
}

function randomValue(r: DemoRandom, depth: number): unknown {
  const roll = r.next();
  if (depth > 2 || roll < 0.4) return phrase(r);
  if (roll < 0.55) return r.int(0, 10_000);
  if (roll < 0.6) return r.chance(0.5);
  if (roll < 0.8) return Array.from({ length: r.int(0, 3) }, () => randomValue(r, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = r.int(0, 3); i > 0; i--) obj[`k${r.int(0, 9)}`] = randomValue(r, depth + 1);
  return obj;
}

/** A random event: nested data, metadata with (mostly) an actor, a correlation and a command id. */
export function randomEvent(r: DemoRandom, recordedAt: number): NewEvent {
  const metadata: Record<string, unknown> = {};
  if (r.chance(0.9)) metadata.actor = r.pick(ACTORS);
  if (r.chance(0.8)) metadata.correlation_id = r.pick(CORRELATIONS);
  if (r.chance(0.7)) metadata.command_id = r.pick(COMMAND_IDS);
  if (r.chance(0.3)) metadata.reason = phrase(r);
  if (r.chance(0.2)) metadata.extra = { nested: [phrase(r), r.int(0, 99)] };
  return { type: r.pick(TYPES), data: { body: randomValue(r, 0), n: r.int(0, 5000) }, metadata, recordedAt };
}

/** A store of `count` random events with non-decreasing recorded times starting at `start`. */
export function randomStore(dir: string, seed: number, count: number, start = Date.UTC(2026, 0, 5)): EventStore {
  const store = EventStore.create(path.join(dir, `random-${seed}.hindsight`), { createdBy: 'test' });
  appendRandom(store, new DemoRandom(seed), count, start);
  return store;
}

export function appendRandom(store: EventStore, r: DemoRandom, count: number, start?: number): void {
  let t = Math.max(start ?? 0, store.head().position === 0 ? (start ?? 0) : lastRecordedAt(store));
  store.transaction(() => {
    for (let i = 0; i < count; i++) {
      t += r.chance(0.2) ? 0 : r.int(1, 120_000);
      store.append(r.pick(STREAMS), [randomEvent(r, t)]);
    }
  });
}

function lastRecordedAt(store: EventStore): number {
  return store.db.prepare('SELECT max(recorded_at) FROM events').pluck().get() as number;
}

export function allEvents(store: EventStore): StoredEvent[] {
  const out: StoredEvent[] = [];
  for (let after = 0; ; ) {
    const page = store.readAll({ afterPosition: after, limit: 10_000 });
    out.push(...page);
    if (page.length < 10_000) return out;
    after = page[page.length - 1]!.globalPosition;
  }
}

/** The reference: filters applied to every event in JavaScript. */
export function bruteForce(events: readonly StoredEvent[], f: SearchFilters): StoredEvent[] {
  const terms = f.text === undefined ? [] : parseSearchText(f.text).terms;
  const meta = (e: StoredEvent, key: string): unknown => (Object.hasOwn(e.metadata, key) ? e.metadata[key] : undefined);
  return events.filter(
    (e) =>
      (f.recordedFrom === undefined || e.recordedAt >= f.recordedFrom) &&
      (f.recordedTo === undefined || e.recordedAt <= f.recordedTo) &&
      (f.streamPrefix === undefined || e.streamId.startsWith(f.streamPrefix)) &&
      (f.category === undefined || categoryOf(e.streamId) === f.category) &&
      (f.types === undefined || f.types.includes(e.eventType)) &&
      (f.actors === undefined || f.actors.includes(meta(e, 'actor') as string)) &&
      (f.correlationId === undefined || meta(e, 'correlation_id') === f.correlationId) &&
      (f.commandId === undefined || meta(e, 'command_id') === f.commandId) &&
      (terms.length === 0 || documentMatches(searchDocument(e), terms)),
  );
}

/** A random combination of filters (each present with some probability). */
export function randomFilters(r: DemoRandom, events: readonly StoredEvent[], withText: boolean): SearchFilters {
  const f: SearchFilters = {};
  const times = events.map((e) => e.recordedAt);
  const someTime = () => (times.length === 0 ? 0 : r.pick(times) + r.int(-1, 1));
  if (r.chance(0.3)) f.recordedFrom = someTime();
  if (r.chance(0.3)) f.recordedTo = someTime();
  if (r.chance(0.2)) f.streamPrefix = r.pick(['account-1', 'order-o-12', 'cust', 'x-', 'a', 'order-']);
  if (r.chance(0.2)) f.category = r.pick(['account', 'accountx', 'order', 'cust', 'x', 'nope']);
  if (r.chance(0.3)) f.types = Array.from({ length: r.int(1, 3) }, () => r.pick(TYPES));
  if (r.chance(0.3)) f.actors = Array.from({ length: r.int(1, 2) }, () => r.pick(ACTORS));
  if (r.chance(0.2)) f.correlationId = r.pick(CORRELATIONS);
  if (r.chance(0.2)) f.commandId = r.pick(COMMAND_IDS);
  if (withText && r.chance(0.6)) {
    const roll = r.next();
    const word = r.pick(WORDS);
    f.text =
      roll < 0.4
        ? word
        : roll < 0.6
          ? `${word} ${r.pick(WORDS)}`
          : roll < 0.75
            ? `"${word} ${r.pick(WORDS)}"`
            : roll < 0.9
              ? `${word.slice(0, 3)}*`
              : r.pick(['Opened', 'account 10', 'order-o-12', 'rc1', 'policy charge', 'MULLER', 'ecole']);
  }
  return f;
}

/** Every match, page by page (keyset), with the page size given. */
export function allPages(
  store: EventStore,
  filters: SearchFilters,
  limit: number,
  opts: SearchOptions = {},
): { positions: number[]; totals: (number | null)[] } {
  const positions: number[] = [];
  const totals: (number | null)[] = [];
  let after: number | undefined;
  for (let guard = 0; guard < 100_000; guard++) {
    const page = searchEvents(store, filters, { ...opts, limit, ...(after === undefined ? {} : { after }) });
    positions.push(...page.items.map((e) => e.globalPosition));
    totals.push(page.total);
    if (page.next === null) break;
    after = page.next;
  }
  return { positions, totals };
}
