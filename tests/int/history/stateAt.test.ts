import { describe, expect, it } from 'vitest';
import { DOMAINS, foldEvents, parseEvent } from '../../../electron/core/domain/registry';
import type { HindsightError } from '../../../electron/core/errors';
import { defineEventType } from '../../../electron/core/history/eventTypes';
import { applyMergePatch } from '../../../electron/core/history/mergePatch';
import { applyRules, compileRules } from '../../../electron/core/history/rules';
import { snapshotStoreFor } from '../../../electron/core/history/snapshots';
import { stateAt } from '../../../electron/core/history/stateAt';
import type { EventStore } from '../../../electron/core/store/eventStore';
import type { NewEvent } from '../../../electron/core/store/types';
import { useTempDir } from '../../helpers/tempDir';
import { accountEvents, appendAll, clock, createStore, DAY, MINUTE, type Rng, rng, T0 } from './helpers';

const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

interface Written {
  version: number;
  type: string;
  data: unknown;
  recordedAt: number;
  occurredAt: number;
}

function written(store: EventStore, streamId: string): Written[] {
  return store.readStream(streamId).map((e) => ({
    version: e.streamVersion,
    type: e.eventType,
    data: e.data,
    recordedAt: e.recordedAt,
    occurredAt: e.occurredAt,
  }));
}

/** An independent reference: filter the event list, fold it with the domain or the generic rules. */
function reference(
  events: Written[],
  kind: 'accounts' | 'generic',
  q: { version?: number; recordedAt?: number; occurredAt?: number },
  rules: Record<string, unknown> = {},
): { state: unknown; version: number } {
  const kept = events.filter(
    (e) =>
      (q.version === undefined || e.version <= q.version) &&
      (q.recordedAt === undefined || e.recordedAt <= q.recordedAt) &&
      (q.occurredAt === undefined || e.occurredAt <= q.occurredAt),
  );
  const version = kept.length === 0 ? 0 : kept[kept.length - 1]!.version;
  if (kept.length === 0 && kind === 'accounts') return { state: DOMAINS.accounts.decider.initialState(), version };
  if (kind === 'accounts')
    return {
      state: foldEvents(
        'accounts',
        kept.map((e) => parseEvent(e.type, e.data)),
      ),
      version,
    };
  let state: unknown = {};
  for (const e of kept) {
    state = Object.hasOwn(rules, e.type)
      ? applyRules(state, e.data, compileRules(e.type, rules[e.type]))
      : applyMergePatch(state, e.data);
  }
  return { state, version };
}

/** Random generic events: merge patches (nested, nulls, arrays) plus rule-driven types. */
function genericEvents(count: number, random: Rng, now: () => number): NewEvent[] {
  const events: NewEvent[] = [];
  for (let i = 0; i < count; i++) {
    const kind = random.int(0, 5);
    let event: NewEvent;
    if (kind === 0) event = { type: 'Counted', data: { by: random.int(1, 9) } };
    else if (kind === 1) event = { type: 'Tagged', data: { tag: random.pick(['a', 'b', 'c']) } };
    else if (kind === 2) event = { type: 'Untagged', data: { tag: random.pick(['a', 'b', 'c']) } };
    else if (kind === 3)
      event = { type: 'Moved', data: { place: { room: random.pick(['r1', 'r2', null]), floor: random.int(0, 3) } } };
    else if (kind === 4)
      event = { type: 'Noted', data: { note: random.pick(['x', 'y', null]), list: [random.int(0, 9)] } };
    else event = { type: 'Renamed', data: { name: `n${random.int(0, 99)}` } };
    const recordedAt = now();
    const backdated = random.next() < 0.15;
    events.push({ ...event, recordedAt, occurredAt: backdated ? recordedAt - random.int(1, 40) * MINUTE : recordedAt });
  }
  return events;
}

const GENERIC_RULES: Record<string, unknown> = {
  Counted: [{ op: 'increment', path: 'stats.count', from: 'by' }],
  Tagged: [{ op: 'append', path: 'tags', from: 'tag' }],
  Untagged: [{ op: 'remove', path: 'tags', from: 'tag' }],
};

describe('stateAt', () => {
  const tempDir = useTempDir('hindsight-history-');

  it('from snapshots equals a full fold and an independent reference, at random points of random streams', () => {
    const store = createStore(tempDir());
    for (const [type, rules] of Object.entries(GENERIC_RULES)) defineEventType(store, { eventType: type, rules });
    const random = rng(20240601);
    const now = clock(T0, MINUTE);
    const streams: { id: string; kind: 'accounts' | 'generic' }[] = [];
    for (let s = 0; s < 6; s++) {
      const accountId = `acc${s}`;
      const events = accountEvents(accountId, random.int(20, 140), random, now).map((e) => {
        const backdated = random.next() < 0.15;
        return { ...e, occurredAt: backdated ? e.recordedAt! - random.int(1, 40) * MINUTE : e.recordedAt };
      });
      appendAll(store, `account-${accountId}`, events, random.int(3, 30));
      streams.push({ id: `account-${accountId}`, kind: 'accounts' });
      const thing = `thing-${s}`;
      appendAll(store, thing, genericEvents(random.int(20, 140), random, now), random.int(3, 30));
      streams.push({ id: thing, kind: 'generic' });
    }
    let fromSnapshot = 0;
    for (let round = 0; round < 400; round++) {
      const stream = random.pick(streams);
      const events = written(store, stream.id);
      const n = events.length;
      const first = events[0]!.recordedAt - 30 * MINUTE;
      const last = events[n - 1]!.recordedAt + MINUTE;
      const q: { version?: number; recordedAt?: number; occurredAt?: number } = {};
      const shape = random.int(0, 4);
      if (shape === 0 || shape === 4) q.version = random.int(0, n);
      if (shape === 1 || shape === 3) q.recordedAt = random.int(first, last);
      if (shape === 2 || shape === 3 || shape === 4) q.occurredAt = random.int(first, last);
      const interval = random.pick([3, 7, 16]);
      const withSnapshots = stateAt(store, stream.id, { ...q, snapshotInterval: interval });
      const full = stateAt(store, stream.id, { ...q, snapshots: false });
      const expected = reference(events, stream.kind, q, GENERIC_RULES);
      const context = `${stream.id} ${JSON.stringify(q)} interval ${interval}`;
      expect(plain(withSnapshots.state), context).toEqual(plain(full.state));
      expect(plain(full.state), context).toEqual(plain(expected.state));
      expect(withSnapshots.version, context).toBe(expected.version);
      expect(full.version, context).toBe(expected.version);
      expect(full.fromSnapshot).toBe(false);
      if (withSnapshots.fromSnapshot) fromSnapshot++;
    }
    expect(fromSnapshot).toBeGreaterThan(100);
    expect(snapshotStoreFor(store)!.count()).toBeGreaterThan(0);
    store.close();
  });

  it('a backdated correction changes "as it happened" but not "as known" before it was recorded', () => {
    const store = createStore(tempDir());
    const day = (n: number, h = 0) => T0 + n * DAY + h * 3_600_000;
    store.append('account-acme', [
      { type: 'AccountOpened', data: { accountId: 'acme', owner: 'Acme', currency: 'EUR' }, recordedAt: day(1) },
      {
        type: 'MoneyDeposited',
        data: { accountId: 'acme', amount: 1000, currency: 'EUR', balanceAfter: 1000 },
        recordedAt: day(2),
      },
      {
        type: 'MoneyDeposited',
        data: { accountId: 'acme', amount: 500, currency: 'EUR', balanceAfter: 1500 },
        recordedAt: day(4),
      },
    ]);
    // Recorded on day 6, it corrects what happened on day 3: a fee of 200 that was missed.
    store.append('account-acme', [
      {
        type: 'BalanceAdjusted',
        data: { accountId: 'acme', amount: -200, currency: 'EUR', balanceBefore: 1500, balanceAfter: 1300 },
        metadata: { reason: 'missed fee of day 3' },
        recordedAt: day(6),
        occurredAt: day(3),
      },
    ]);
    const balance = (opts: Parameters<typeof stateAt>[2]) =>
      (stateAt(store, 'account-acme', opts).state as { balance: number }).balance;

    // As known on day 5 (before the correction was recorded): no fee anywhere.
    expect(balance({ recordedAt: day(5) })).toBe(1500);
    expect(balance({ recordedAt: day(5), occurredAt: day(3, 12) })).toBe(1000);
    // As known now: the fee happened on day 3.
    expect(balance({ occurredAt: day(3, 12) })).toBe(800);
    expect(balance({ occurredAt: day(4, 12) })).toBe(1300);
    expect(balance({ occurredAt: day(2, 12) })).toBe(1000);
    // Bitemporal: as known on day 7, as it happened on day 3 → the fee is there.
    expect(balance({ recordedAt: day(7), occurredAt: day(3, 12) })).toBe(800);
    expect(balance({})).toBe(1300);
    expect(balance({ recordedAt: day(6) })).toBe(1300);

    const asOccurred = stateAt(store, 'account-acme', { occurredAt: day(3, 12) });
    expect(asOccurred.version).toBe(4); // the last event applied is the correction (version 3 left out)
    expect(asOccurred.occurredAt).toBe(day(3));
    const asKnown = stateAt(store, 'account-acme', { recordedAt: day(5) });
    expect(asKnown).toMatchObject({
      version: 3,
      recordedAt: day(4),
      position: 3,
      reducer: 'domain:accounts',
      streamVersion: 4,
    });
    // Before the stream existed.
    expect(stateAt(store, 'account-acme', { recordedAt: day(0) })).toMatchObject({
      version: 0,
      position: 0,
      recordedAt: null,
      occurredAt: null,
      state: { status: 'none', balance: 0 },
    });
    // The same answers from snapshots taken on every event.
    for (let i = 0; i < 2; i++) {
      expect(
        (stateAt(store, 'account-acme', { occurredAt: day(3, 12), snapshotInterval: 1 }).state as { balance: number })
          .balance,
      ).toBe(800);
      expect(
        (stateAt(store, 'account-acme', { recordedAt: day(5), snapshotInterval: 1 }).state as { balance: number })
          .balance,
      ).toBe(1500);
    }
    store.close();
  });

  it('uses the domain reducer for domain streams and the generic one otherwise', () => {
    const store = createStore(tempDir());
    store.append('account-a', accountEvents('a', 3, rng(1), clock()));
    store.append('sensor-1', [
      { type: 'Reading', data: { t: 20 } },
      { type: 'Reading', data: { t: 21, unit: 'C' } },
    ]);
    // A stream in the accounts category written by another tool: its first event is not an accounts event.
    store.append('account-foreign', [{ type: 'Imported', data: { balance: 5 } }]);
    expect(stateAt(store, 'account-a')).toMatchObject({ reducer: 'domain:accounts', state: { status: 'open' } });
    expect(stateAt(store, 'sensor-1')).toMatchObject({ reducer: 'generic', version: 2 });
    expect(plain(stateAt(store, 'sensor-1').state)).toEqual({ t: 21, unit: 'C' });
    expect(plain(stateAt(store, 'sensor-1', { version: 0 }).state)).toEqual({});
    expect(stateAt(store, 'account-foreign')).toMatchObject({ reducer: 'generic' });
    expect(plain(stateAt(store, 'account-a', { reducer: 'generic' }).state)).toMatchObject({
      accountId: 'a',
      currency: 'EUR',
    });
    store.close();
  });

  it('orders streams fold with the orders decider, from snapshots too', () => {
    const store = createStore(tempDir());
    const base = { orderId: 'o1', customerAccountId: 'alice', currency: 'EUR' };
    store.append('order-o1', [
      { type: 'OrderPlaced', data: { ...base, lines: [{ sku: 'BOOK', quantity: 2, unitPrice: 1250 }], total: 2500 } },
      { type: 'OrderPaid', data: { ...base, amount: 2500 } },
      { type: 'OrderShipped', data: { orderId: 'o1' } },
      { type: 'OrderRefunded', data: { ...base, amount: 500, refundedTotal: 500, remainingRefundable: 2000 } },
    ]);
    const full = stateAt(store, 'order-o1', { snapshots: false });
    expect(full).toMatchObject({
      reducer: 'domain:orders',
      state: { status: 'shipped', paidAmount: 2500, refundedAmount: 500, shipped: true },
    });
    for (let version = 0; version <= 4; version++) {
      stateAt(store, 'order-o1', { version, snapshotInterval: 1 });
      const again = stateAt(store, 'order-o1', { version, snapshotInterval: 1 });
      expect(again.fromSnapshot).toBe(version > 0);
      expect(again.state).toEqual(stateAt(store, 'order-o1', { version, snapshots: false }).state);
    }
    store.close();
  });

  it('refuses a domain event it cannot fold, naming the position and pointing to the generic reducer', () => {
    const store = createStore(tempDir());
    store.append('account-b', [
      { type: 'AccountOpened', data: { accountId: 'b', owner: 'B', currency: 'EUR' } },
      { type: 'MoneyDeposited', data: { accountId: 'b', amount: -5 } },
    ]);
    expect(() => stateAt(store, 'account-b')).toThrow(/position 2 \(version 2, MoneyDeposited\).*generic reducer/);
    expect(stateAt(store, 'account-b', { version: 1 }).state).toMatchObject({ status: 'open' });
    expect(plain(stateAt(store, 'account-b', { reducer: 'generic' }).state)).toMatchObject({ amount: -5 });
    store.close();
  });

  it('validates its arguments', () => {
    const store = createStore(tempDir());
    store.append('thing-1', [{ type: 'A', data: { a: 1 } }]);
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as HindsightError).code;
      }
      return 'no error';
    };
    expect(code(() => stateAt(store, 'thing-2'))).toBe('not_found');
    expect(code(() => stateAt(store, 'thing-1', { version: 2 }))).toBe('invalid_input');
    expect(code(() => stateAt(store, 'thing-1', { version: -1 }))).toBe('invalid_input');
    expect(code(() => stateAt(store, 'thing-1', { recordedAt: Number.NaN }))).toBe('invalid_input');
    expect(code(() => stateAt(store, 'thing-1', { occurredAt: 1.5 }))).toBe('invalid_input');
    expect(code(() => stateAt(store, 'thing-1', { reducer: 'magic' as 'generic' }))).toBe('invalid_input');
    expect(code(() => stateAt(store, 'thing-1', { snapshotInterval: 0 }))).toBe('invalid_input');
    expect(code(() => stateAt(store, '  '))).toBe('invalid_input');
    store.close();
  });
});
