import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { executeCommand } from '../../../electron/core/commands/bus';
import type { RecordedOutcome } from '../../../electron/core/commands/types';
import { queryTable } from '../../../electron/core/projections/query';
import type { ProjectionDefinition, ReadModelRow } from '../../../electron/core/projections/types';
import { EventStore } from '../../../electron/core/store/eventStore';
import type { NewEvent, StoredEvent } from '../../../electron/core/store/types';

/** Helpers for the read-model integration tests: real store files in temp folders, real command bus, no mocks. */

export const T0 = Date.UTC(2024, 0, 1);
export const MINUTE = 60_000;

export function newStore(dir: string, name = 'rm.hindsight'): { store: EventStore; file: string } {
  const file = join(dir, name);
  return { store: EventStore.create(file, { createdBy: 'read-model tests' }), file };
}

export function run(
  store: EventStore,
  commandType: string,
  payload: unknown,
  actor = 'ann',
  reason?: string,
): RecordedOutcome {
  return executeCommand(store, { commandType, payload, actor, ...(reason === undefined ? {} : { reason }) });
}

/** Every event of the store, oldest first. */
export function allEvents(store: EventStore): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (;;) {
    const page = store.readAll({ afterPosition: events.length, limit: 10_000 });
    events.push(...page);
    if (page.length < 10_000) return events;
  }
}

/** Every row of a read model's main table, in primary-key order, with its declared columns only. */
export function rowsOf(db: Database.Database, projection: ProjectionDefinition): ReadModelRow[] {
  const rows: ReadModelRow[] = [];
  let after: string | null = null;
  for (;;) {
    const page = queryTable(db, projection, {
      sort: { column: projection.tables.primaryKey[0]!, dir: 'asc' },
      limit: 1000,
      after,
      count: false,
    });
    rows.push(...page.rows);
    if (page.next === null) return rows;
    after = page.next;
  }
}

/** Every row of every table of a projection (helpers included), all columns: for exact comparisons. */
export function dump(db: Database.Database, projection: ProjectionDefinition): Record<string, unknown[]> {
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND (name = ? OR name GLOB ?) ORDER BY name")
    .pluck()
    .all(projection.table, `${projection.table}__*`) as string[];
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    out[table] = db.prepare(`SELECT * FROM "${table}" ORDER BY 1, 2`).raw().all();
  }
  return out;
}

/** A seeded pseudo-random generator (mulberry32). */
export function rng(seed: number): {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(xs: readonly T[]): T;
} {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
  };
}

const ACTORS = ['ann', 'bob', 'carol', 'policy:x', null] as const;

/**
 * Appends a seeded random history: valid account and order events (as the domains write them), foreign event
 * types on other streams, events with and without actor and command ids, recorded over a few hours (so the
 * activity read model has many minutes), in appends of 1–5 events (some several appends per transaction).
 * Returns the number of events.
 */
export function randomHistory(store: EventStore, seed: number, events: number, start = T0): number {
  const random = rng(seed);
  let t = start;
  const accounts = new Map<string, { version: number; balance: number; status: string }>();
  const orders = new Map<string, { version: number; status: string; total: number; paid: number; refunded: number }>();
  let written = 0;
  let command = 0;
  const meta = (): Record<string, unknown> => {
    const actor = random.pick(ACTORS);
    const m: Record<string, unknown> = {};
    if (actor !== null) m.actor = actor;
    if (random.next() < 0.9) m.command_id = `cmd-${command++}`;
    return m;
  };
  const at = (): number => {
    t += random.int(0, 3) * random.int(0, 40_000);
    return t;
  };
  const append = (streamId: string, list: NewEvent[]): void => {
    store.append(streamId, list);
    written += list.length;
  };
  while (written < events) {
    const pick = random.next();
    const metadata = meta();
    if (pick < 0.35) {
      const id = `a${random.int(1, 12)}`;
      const account = accounts.get(id);
      const recordedAt = at();
      if (account === undefined) {
        append(`account-${id}`, [
          {
            type: 'AccountOpened',
            data: { accountId: id, owner: `Owner ${id}`, currency: 'EUR' },
            metadata,
            recordedAt,
          },
        ]);
        accounts.set(id, { version: 1, balance: 0, status: 'open' });
      } else if (account.status === 'closed') {
      } else {
        const r = random.next();
        let event: NewEvent;
        if (r < 0.45) {
          const amount = random.int(1, 5000);
          account.balance += amount;
          event = {
            type: 'MoneyDeposited',
            data: { accountId: id, amount, currency: 'EUR', balanceAfter: account.balance },
            metadata,
            recordedAt,
          };
        } else if (r < 0.7 && account.balance > 0 && account.status === 'open') {
          const amount = random.int(1, account.balance);
          account.balance -= amount;
          event = {
            type: 'MoneyWithdrawn',
            data: { accountId: id, amount, currency: 'EUR', balanceAfter: account.balance },
            metadata,
            recordedAt,
          };
        } else if (r < 0.78) {
          const amount = random.int(-account.balance, 3000) || 1;
          const before = account.balance;
          account.balance += amount;
          event = {
            type: 'BalanceAdjusted',
            data: { accountId: id, amount, currency: 'EUR', balanceBefore: before, balanceAfter: account.balance },
            metadata,
            recordedAt,
          };
        } else if (r < 0.86 && account.status === 'open') {
          account.status = 'frozen';
          event = { type: 'AccountFrozen', data: { accountId: id, balance: account.balance }, metadata, recordedAt };
        } else if (r < 0.94 && account.status === 'frozen') {
          account.status = 'open';
          event = { type: 'AccountUnfrozen', data: { accountId: id, balance: account.balance }, metadata, recordedAt };
        } else if (account.status === 'open' && account.balance === 0) {
          account.status = 'closed';
          event = { type: 'AccountClosed', data: { accountId: id }, metadata, recordedAt };
        } else {
          continue;
        }
        append(`account-${id}`, [event]);
      }
    } else if (pick < 0.7) {
      const id = `o-${random.int(1, 20)}`;
      const order = orders.get(id);
      const recordedAt = at();
      if (order === undefined) {
        const lines = Array.from({ length: random.int(1, 3) }, (_, i) => ({
          sku: `S${i}`,
          quantity: random.int(1, 3),
          unitPrice: random.int(100, 2000),
        }));
        const total = lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0);
        append(`order-${id}`, [
          {
            type: 'OrderPlaced',
            data: { orderId: id, customerAccountId: `a${random.int(1, 12)}`, currency: 'EUR', lines, total },
            metadata,
            recordedAt,
          },
        ]);
        orders.set(id, { version: 1, status: 'placed', total, paid: 0, refunded: 0 });
      } else {
        const list: NewEvent[] = [];
        if (order.status === 'placed' && random.next() < 0.7) {
          order.status = 'paid';
          order.paid = order.total;
          list.push({
            type: 'OrderPaid',
            data: { orderId: id, customerAccountId: 'a1', amount: order.total, currency: 'EUR' },
            metadata,
            recordedAt,
          });
          if (random.next() < 0.5) {
            order.status = 'shipped';
            list.push({ type: 'OrderShipped', data: { orderId: id }, metadata, recordedAt });
          }
        } else if (order.status === 'placed') {
          order.status = 'cancelled';
          list.push({ type: 'OrderCancelled', data: { orderId: id }, metadata, recordedAt });
        } else if ((order.status === 'paid' || order.status === 'shipped') && order.refunded < order.paid) {
          const amount = random.int(1, order.paid - order.refunded);
          order.refunded += amount;
          if (order.refunded >= order.paid) order.status = 'refunded';
          list.push({
            type: 'OrderRefunded',
            data: {
              orderId: id,
              customerAccountId: 'a1',
              amount,
              currency: 'EUR',
              refundedTotal: order.refunded,
              remainingRefundable: order.paid - order.refunded,
            },
            metadata,
            recordedAt,
          });
        } else {
          continue;
        }
        append(`order-${id}`, list);
      }
    } else {
      // Foreign streams and types: only the generic read models see them.
      const stream = `${random.pick(['sensor', 'device', 'ledger'])}-${random.int(1, 15)}`;
      const n = random.int(1, 5);
      const recordedAt = at();
      const list = Array.from({ length: n }, (_, i) => ({
        type: random.pick(['Measured', 'Calibrated', 'Noted', 'Booked']),
        data: { value: random.int(0, 1000), i },
        metadata: i === 0 ? metadata : { ...metadata },
        recordedAt,
      }));
      if (random.next() < 0.3) {
        store.transaction(() => {
          append(stream, list.slice(0, 1));
          if (list.length > 1) append(stream.replace(/-/, '_x-'), list.slice(1));
        });
      } else {
        append(stream, list);
      }
    }
  }
  return written;
}

/** Copies the first `position` events of `from` into a fresh store file (same ids, times, data, metadata). */
export function copyPrefix(from: EventStore, position: number, file: string): EventStore {
  const to = EventStore.create(file, { createdBy: 'prefix copy' });
  const events = allEvents(from).slice(0, position);
  to.transaction(() => {
    for (const e of events) {
      to.append(e.streamId, [
        {
          type: e.eventType,
          data: e.data,
          metadata: e.metadata,
          eventId: e.eventId,
          recordedAt: e.recordedAt,
          occurredAt: e.occurredAt,
          schemaVersion: e.schemaVersion,
        },
      ]);
    }
  });
  return to;
}
