import { describe, expect, it } from 'vitest';
import { activitySeries, listReadModels, queryReadModel } from '../../../electron/core/projections/query';
import { attachReadModels, detachReadModels } from '../../../electron/core/projections/runtime';
import type { EventStore } from '../../../electron/core/store/eventStore';
import { useTempDir } from '../../helpers/tempDir';
import { allEvents, newStore, run } from './helpers';

/**
 * Every built-in projection against expectations computed by hand from docs/domains.md, with data written
 * by the real command bus (policies included) into a store whose read models are folded inline.
 */

function all(store: EventStore, name: string): Record<string, unknown>[] {
  return queryReadModel(store, name, {
    limit: 1000,
    sort: { column: queryReadModel(store, name).columns[0]!.name, dir: 'asc' },
  }).rows;
}

/** The worked examples of docs/domains.md §7, plus a frozen account and a cancelled order. */
function world(store: EventStore): void {
  run(store, 'OpenAccount', { accountId: 'alice', owner: 'Alice Martin', currency: 'EUR' }); // 1
  run(store, 'DepositMoney', { accountId: 'alice', amount: 10000 }); // 2
  run(store, 'PlaceOrder', {
    orderId: 'o-1001',
    customerAccountId: 'alice',
    currency: 'EUR',
    lines: [
      { sku: 'BOOK-42', quantity: 2, unitPrice: 1250 },
      { sku: 'PEN-7', quantity: 1, unitPrice: 300 },
    ],
  }); // 3
  run(store, 'PayOrder', { orderId: 'o-1001' }, 'web-shop'); // 4, policy → 5 MoneyWithdrawn 2800
  run(store, 'ShipOrder', { orderId: 'o-1001' }, 'warehouse'); // 6
  run(store, 'RefundOrder', { orderId: 'o-1001', amount: 1250 }, 'support:bob', 'damaged in transit'); // 7, policy → 8 deposit
  expect(() => run(store, 'RefundOrder', { orderId: 'o-1001', amount: 2000 }, 'support:bob', 'again')).not.toThrow(); // rejected
  run(store, 'RefundOrder', { orderId: 'o-1001' }, 'support:bob', 'the rest'); // 9, policy → 10 deposit 1550
  run(store, 'OpenAccount', { accountId: 'bob', owner: 'Bob Stone', currency: 'EUR' }); // 11
  run(store, 'DepositMoney', { accountId: 'bob', amount: 1000 }); // 12
  run(store, 'PlaceOrder', {
    orderId: 'o-2002',
    customerAccountId: 'bob',
    currency: 'EUR',
    lines: [{ sku: 'LAMP', quantity: 1, unitPrice: 2800 }],
  }); // 13
  run(store, 'PayOrder', { orderId: 'o-2002' }, 'web-shop'); // 14, policy WithdrawMoney rejected: insufficient funds
  run(store, 'FreezeAccount', { accountId: 'bob' }, 'support:alice'); // 15
  run(store, 'AdjustBalance', { accountId: 'bob', amount: -250 }, 'support:alice', 'fee'); // 16
  run(store, 'PlaceOrder', {
    orderId: 'o-3003',
    customerAccountId: 'alice',
    currency: 'EUR',
    lines: [{ sku: 'CUP', quantity: 3, unitPrice: 400 }],
  }); // 17
  run(store, 'CancelOrder', { orderId: 'o-3003' }); // 18
}

describe('built-in read models', () => {
  const tempDir = useTempDir('hindsight-rm-builtins-');

  it('fold the worked examples of the domains inline, exactly as computed by hand', () => {
    const { store } = newStore(tempDir());
    attachReadModels(store);
    world(store);
    const events = allEvents(store);
    expect(events).toHaveLength(18);
    const at = (position: number) => events[position - 1]!.recordedAt;

    expect(all(store, 'accounts')).toEqual([
      {
        account_id: 'alice',
        owner: 'Alice Martin',
        status: 'open',
        // 10000 − 2800 + 1250 + 1550
        balance: 10000,
        currency: 'EUR',
        opened_at: at(1),
        last_activity_at: at(10),
        last_event_type: 'MoneyDeposited',
        events: 5,
        stream_id: 'account-alice',
      },
      {
        account_id: 'bob',
        owner: 'Bob Stone',
        status: 'frozen',
        balance: 750,
        currency: 'EUR',
        opened_at: at(11),
        last_activity_at: at(16),
        last_event_type: 'BalanceAdjusted',
        events: 4,
        stream_id: 'account-bob',
      },
    ]);

    expect(all(store, 'orders')).toEqual([
      {
        order_id: 'o-1001',
        status: 'refunded',
        total: 2800,
        currency: 'EUR',
        customer_account_id: 'alice',
        placed_at: at(3),
        paid_at: at(4),
        shipped_at: at(6),
        cancelled_at: null,
        refunded_amount: 2800,
        refunded_at: at(9),
        lines: 2,
        last_activity_at: at(9),
        stream_id: 'order-o-1001',
      },
      {
        // Paid, although no money moved: the withdrawal was refused (an audit finding, not a projection's job).
        order_id: 'o-2002',
        status: 'paid',
        total: 2800,
        currency: 'EUR',
        customer_account_id: 'bob',
        placed_at: at(13),
        paid_at: at(14),
        shipped_at: null,
        cancelled_at: null,
        refunded_amount: 0,
        refunded_at: null,
        lines: 1,
        last_activity_at: at(14),
        stream_id: 'order-o-2002',
      },
      {
        order_id: 'o-3003',
        status: 'cancelled',
        total: 1200,
        currency: 'EUR',
        customer_account_id: 'alice',
        placed_at: at(17),
        paid_at: null,
        shipped_at: null,
        cancelled_at: at(18),
        refunded_amount: 0,
        refunded_at: null,
        lines: 1,
        last_activity_at: at(18),
        stream_id: 'order-o-3003',
      },
    ]);

    expect(all(store, 'streams')).toEqual([
      {
        stream_id: 'account-alice',
        category: 'account',
        events: 5,
        first_at: at(1),
        last_at: at(10),
        last_type: 'MoneyDeposited',
        first_position: 1,
        last_position: 10,
      },
      {
        stream_id: 'account-bob',
        category: 'account',
        events: 4,
        first_at: at(11),
        last_at: at(16),
        last_type: 'BalanceAdjusted',
        first_position: 11,
        last_position: 16,
      },
      {
        stream_id: 'order-o-1001',
        category: 'order',
        events: 5,
        first_at: at(3),
        last_at: at(9),
        last_type: 'OrderRefunded',
        first_position: 3,
        last_position: 9,
      },
      {
        stream_id: 'order-o-2002',
        category: 'order',
        events: 2,
        first_at: at(13),
        last_at: at(14),
        last_type: 'OrderPaid',
        first_position: 13,
        last_position: 14,
      },
      {
        stream_id: 'order-o-3003',
        category: 'order',
        events: 2,
        first_at: at(17),
        last_at: at(18),
        last_type: 'OrderCancelled',
        first_position: 17,
        last_position: 18,
      },
    ]);

    const types: Record<string, [number, number, number]> = {
      AccountFrozen: [1, 15, 15],
      AccountOpened: [2, 1, 11],
      BalanceAdjusted: [1, 16, 16],
      MoneyDeposited: [4, 2, 12],
      MoneyWithdrawn: [1, 5, 5],
      OrderCancelled: [1, 18, 18],
      OrderPaid: [2, 4, 14],
      OrderPlaced: [3, 3, 17],
      OrderRefunded: [2, 7, 9],
      OrderShipped: [1, 6, 6],
    };
    expect(all(store, 'event-types')).toEqual(
      Object.entries(types).map(([type, [count, first, last]]) => ({
        event_type: type,
        count,
        first_at: at(first),
        last_at: at(last),
        first_position: first,
        last_position: last,
      })),
    );

    // Actors: ann ran 1 2 3 11 12 13 17 18; the policies' follow-ups carry their own actor and command id.
    expect(all(store, 'actors')).toEqual([
      { actor: 'ann', events: 8, commands: 8, first_at: at(1), last_at: at(18), last_position: 18 },
      {
        actor: 'policy:chargeCustomerOnOrderPaid',
        events: 1,
        commands: 1,
        first_at: at(5),
        last_at: at(5),
        last_position: 5,
      },
      {
        actor: 'policy:creditCustomerOnOrderRefunded',
        events: 2,
        commands: 2,
        first_at: at(8),
        last_at: at(10),
        last_position: 10,
      },
      { actor: 'support:alice', events: 2, commands: 2, first_at: at(15), last_at: at(16), last_position: 16 },
      { actor: 'support:bob', events: 2, commands: 2, first_at: at(7), last_at: at(9), last_position: 9 },
      { actor: 'warehouse', events: 1, commands: 1, first_at: at(6), last_at: at(6), last_position: 6 },
      { actor: 'web-shop', events: 2, commands: 2, first_at: at(4), last_at: at(14), last_position: 14 },
    ]);

    // Activity: per minute and type, computed from the recorded times.
    const expected = new Map<string, number>();
    for (const e of events) {
      const key = `${Math.floor(e.recordedAt / 60_000) * 60_000}|${e.eventType}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const activity = all(store, 'activity');
    expect(activity.map((r) => [`${r.minute}|${r.event_type}`, r.count]).sort()).toEqual(
      [...expected.entries()].sort(),
    );

    const statuses = listReadModels(store);
    expect(statuses.map((s) => [s.name, s.status, s.position, s.head, s.lag, s.location, s.error])).toEqual(
      ['accounts', 'orders', 'streams', 'event-types', 'actors', 'activity'].map((n) => [
        n,
        'ok',
        18,
        18,
        0,
        'store',
        null,
      ]),
    );
    expect(statuses.map((s) => s.rows)).toEqual([2, 3, 5, 10, 7, activity.length]);
    detachReadModels(store);
    store.close();
  });

  it('are the same when built afterwards from the log (attach after the fact)', () => {
    const { store: inline } = newStore(tempDir(), 'inline.hindsight');
    attachReadModels(inline);
    world(inline);
    const { store: later } = newStore(tempDir(), 'later.hindsight');
    world(later);
    attachReadModels(later);
    for (const name of ['accounts', 'orders', 'streams', 'event-types', 'actors']) {
      const strip = (rows: Record<string, unknown>[]) =>
        rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.endsWith('_at'))));
      expect(strip(all(later, name))).toEqual(strip(all(inline, name)));
    }
    for (const store of [inline, later]) {
      detachReadModels(store);
      store.close();
    }
  });

  it('generic read models see any store: foreign types, no actor, no command id', () => {
    const { store } = newStore(tempDir());
    attachReadModels(store);
    const t = Date.UTC(2024, 5, 1, 10, 0, 30);
    store.append('sensor-1', [
      { type: 'Measured', data: { v: 1 }, recordedAt: t },
      { type: 'Measured', data: { v: 2 }, metadata: { actor: 'probe', command_id: 'c1' }, recordedAt: t + 10_000 },
    ]);
    store.append('sensor-1', [
      { type: 'Calibrated', data: {}, metadata: { actor: 'probe', command_id: 'c1' }, recordedAt: t + 40_000 },
    ]);
    store.append('nodash', [
      { type: 'Measured', data: {}, metadata: { actor: 'probe', command_id: 'c2' }, recordedAt: t + 61_000 },
    ]);
    store.append('sensor-2', [
      { type: 'Measured', data: {}, metadata: { actor: 'probe', command_id: 'c1' }, recordedAt: t + 62_000 },
    ]);
    expect(all(store, 'streams').map((r) => [r.stream_id, r.category, r.events, r.last_type])).toEqual([
      ['nodash', 'nodash', 1, 'Measured'],
      ['sensor-1', 'sensor', 3, 'Calibrated'],
      ['sensor-2', 'sensor', 1, 'Measured'],
    ]);
    // c1 → c1 (same command) → c2 → c1 again: a new command each time the id changes along the actor's events.
    expect(all(store, 'actors').map((r) => [r.actor, r.events, r.commands])).toEqual([
      ['', 1, 0],
      ['probe', 4, 3],
    ]);
    const minute = Date.UTC(2024, 5, 1, 10, 0);
    expect(all(store, 'activity')).toEqual([
      { minute, event_type: 'Measured', count: 2 },
      { minute: minute + 60_000, event_type: 'Calibrated', count: 1 },
      { minute: minute + 60_000, event_type: 'Measured', count: 2 },
    ]);
    expect(all(store, 'accounts')).toEqual([]);
    detachReadModels(store);
    store.close();
  });

  it('activitySeries buckets the activity in SQL, stacked by type, within maxPoints', () => {
    const { store } = newStore(tempDir());
    attachReadModels(store);
    const start = Date.UTC(2024, 0, 1);
    // 3 hours of events: one A per minute, one B every 10 minutes.
    store.transaction(() => {
      for (let m = 0; m < 180; m++) {
        store.append('s-a', [{ type: 'A', data: {}, recordedAt: start + m * 60_000 + 5 }]);
        if (m % 10 === 0) store.append('s-b', [{ type: 'B', data: {}, recordedAt: start + m * 60_000 + 6 }]);
      }
    });
    const fine = activitySeries(store);
    expect(fine.bucketMs).toBe(60_000);
    expect(fine.buckets).toHaveLength(180);
    expect(fine.series.map((s) => [s.type, s.total])).toEqual([
      ['A', 180],
      ['B', 18],
    ]);
    expect(fine.totals.reduce((a, b) => a + b, 0)).toBe(198);

    const coarse = activitySeries(store, { maxPoints: 10 });
    expect(coarse.bucketMs).toBe(30 * 60_000);
    expect(coarse.buckets).toEqual(Array.from({ length: 6 }, (_, i) => start + i * 30 * 60_000));
    expect(coarse.series.find((s) => s.type === 'A')!.counts).toEqual([30, 30, 30, 30, 30, 30]);
    expect(coarse.series.find((s) => s.type === 'B')!.counts).toEqual([3, 3, 3, 3, 3, 3]);

    const window = activitySeries(store, { from: start + 60 * 60_000, to: start + 90 * 60_000 - 1, maxPoints: 3 });
    expect(window.bucketMs).toBe(10 * 60_000);
    expect(window.totals).toEqual([11, 11, 11]);

    const other = activitySeries(store, { maxPoints: 10, maxSeries: 1 });
    expect(other.series.map((s) => [s.type, s.total])).toEqual([[null, 198]]);
    detachReadModels(store);
    store.close();
  });
});
