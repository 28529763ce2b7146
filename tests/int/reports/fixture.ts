import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { insertCommandRecord, type NewCommandRecord } from '../../../electron/core/commands/commandLog';
import type { ReportNoteInput, ReportParams } from '../../../electron/core/reports/params';
import type { ReportKind } from '../../../electron/core/reports/schema';
import { canonicalize } from '../../../electron/core/store/canonicalJson';
import { EventStore } from '../../../electron/core/store/eventStore';
import type { NewEvent } from '../../../electron/core/store/types';

/**
 * The report fixture: a small store built byte-for-byte the same way every time — fixed store id, creation
 * time, event ids, recorded/occurred times, data, metadata and command log — so that reports of it can be
 * compared with golden files. It tells a short story: two accounts, two orders paid by a worker, the payment
 * policy charging one customer and being refused for the other (insufficient funds), a support ticket, a refused
 * close, a goodwill correction with a reason, and a backdated ticket event. Payloads carry markup, quotes,
 * commas, CR/LF and a `__proto__` key, which every format must carry safely.
 */

export const FIXTURE_STORE_ID = '5f1d3c2a-8b7e-4d6f-9a1b-2c3d4e5f6a7b';
export const FIXTURE_CREATED_AT = Date.UTC(2024, 4, 1, 8, 0, 0);
export const T0 = Date.UTC(2024, 4, 1, 9, 0, 0);
/** The generation time of golden reports. */
export const GOLDEN_NOW = Date.UTC(2024, 4, 3, 10, 30, 0);
export const GOLDEN_GENERATOR = { name: 'Hindsight', version: '0.0.0-test' };

export function eventId(n: number): string {
  return `018f3a2c-0000-7000-8000-${String(n).padStart(12, '0')}`;
}

const MIN = 60_000;

interface Spec {
  stream: string;
  type: string;
  data: unknown;
  meta: Record<string, unknown>;
  at: number;
  occurredAt?: number;
}

/** The events, in position order (position = index + 1). */
export function fixtureEvents(): Spec[] {
  return [
    {
      stream: 'account-acme',
      type: 'AccountOpened',
      data: { accountId: 'acme', owner: 'Acme <script>alert("owner")</script> & Co', currency: 'EUR' },
      meta: {
        actor: 'support:alice',
        command_id: 'cmd-open-acme',
        correlation_id: 'cmd-open-acme',
        causation_id: 'cmd-open-acme',
      },
      at: T0,
    },
    {
      stream: 'account-acme',
      type: 'MoneyDeposited',
      data: { accountId: 'acme', amount: 50000, currency: 'EUR', balanceAfter: 50000 },
      meta: { actor: 'support:alice', command_id: 'cmd-dep-1', correlation_id: 'cmd-dep-1', causation_id: 'cmd-dep-1' },
      at: T0 + MIN,
    },
    {
      stream: 'account-bob',
      type: 'AccountOpened',
      data: { accountId: 'bob', owner: 'Bob "Bobby" Tables, Jr.', currency: 'EUR' },
      meta: {
        actor: 'support:bob',
        command_id: 'cmd-open-bob',
        correlation_id: 'cmd-open-bob',
        causation_id: 'cmd-open-bob',
      },
      at: T0 + 2 * MIN,
    },
    {
      stream: 'order-1001',
      type: 'OrderPlaced',
      data: {
        orderId: '1001',
        customerAccountId: 'acme',
        currency: 'EUR',
        lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 6000 }],
        total: 12000,
      },
      meta: {
        actor: 'web-shop',
        command_id: 'c-order-1001',
        correlation_id: 'c-order-1001',
        causation_id: 'c-order-1001',
      },
      at: T0 + 3 * MIN,
    },
    {
      stream: 'order-1001',
      type: 'OrderPaid',
      data: { orderId: '1001', customerAccountId: 'acme', amount: 12000, currency: 'EUR' },
      meta: {
        actor: 'payments-worker@2.4.0',
        command_id: 'cmd-pay-1001',
        correlation_id: 'c-order-1001',
        causation_id: 'cmd-pay-1001',
      },
      at: T0 + 4 * MIN,
    },
    {
      stream: 'account-acme',
      type: 'MoneyWithdrawn',
      data: { accountId: 'acme', amount: 12000, currency: 'EUR', balanceAfter: 38000 },
      meta: {
        actor: 'policy:chargeCustomerOnOrderPaid',
        command_id: `policy:chargeCustomerOnOrderPaid:${eventId(5)}`,
        correlation_id: 'c-order-1001',
        causation_id: eventId(5),
      },
      at: T0 + 4 * MIN + 5,
    },
    {
      stream: 'ticket-7',
      type: 'TicketOpened',
      data: {
        title: 'Double charge on order 1001 <img src=x onerror=alert(1)>',
        body: 'Customer says: "charged twice",\r\nsee attached',
        priority: 2,
      },
      meta: { actor: 'support:alice', correlation_id: 'ticket-7', reason: 'Customer call, 09:05' },
      at: T0 + 5 * MIN,
    },
    {
      stream: 'order-1002',
      type: 'OrderPlaced',
      data: {
        orderId: '1002',
        customerAccountId: 'bob',
        currency: 'EUR',
        lines: [{ sku: 'SKU-9', quantity: 1, unitPrice: 99900 }],
        total: 99900,
      },
      meta: {
        actor: 'web-shop',
        command_id: 'c-order-1002',
        correlation_id: 'c-order-1002',
        causation_id: 'c-order-1002',
      },
      at: T0 + 6 * MIN,
    },
    {
      stream: 'order-1002',
      type: 'OrderPaid',
      data: { orderId: '1002', customerAccountId: 'bob', amount: 99900, currency: 'EUR' },
      meta: {
        actor: 'payments-worker@2.4.0',
        command_id: 'cmd-pay-1002',
        correlation_id: 'c-order-1002',
        causation_id: 'cmd-pay-1002',
      },
      at: T0 + 7 * MIN,
    },
    {
      stream: 'account-acme',
      type: 'BalanceAdjusted',
      data: { accountId: 'acme', amount: 500, currency: 'EUR', balanceBefore: 38000, balanceAfter: 38500 },
      meta: {
        actor: 'support:alice',
        command_id: 'cmd-adj-1',
        correlation_id: 'ticket-7',
        causation_id: 'cmd-adj-1',
        reason: 'Goodwill credit for the double charge, ticket #7 — "approved", see <b>notes</b>',
      },
      at: T0 + 8 * MIN,
    },
    {
      stream: 'ticket-7',
      type: 'TicketCommented',
      data: { comment: 'Refunded 5.00 €; customer informed.\nClosing.', by: 'alice' },
      meta: { actor: 'support:alice', correlation_id: 'ticket-7' },
      at: T0 + 9 * MIN,
    },
    {
      stream: 'ticket-7',
      type: 'TicketClosed',
      data: { status: 'closed', resolution: null, ['__proto__']: { polluted: true } },
      meta: { actor: 'support:bob', correlation_id: 'ticket-7', reason: 'Duplicate of #6' },
      at: T0 + 10 * MIN,
      occurredAt: T0 + 30_000,
    },
  ];
}

function command(
  seqAt: number,
  c: Partial<NewCommandRecord> & Pick<NewCommandRecord, 'commandId' | 'commandType' | 'actor'>,
): NewCommandRecord {
  return {
    streamId: null,
    payload: '{}',
    reason: null,
    receivedAt: seqAt,
    outcome: 'accepted',
    errorCode: null,
    errorMessage: null,
    firstPosition: null,
    lastPosition: null,
    ...c,
  };
}

/** The command log, in seq order. */
export function fixtureCommands(): NewCommandRecord[] {
  const p = (value: unknown) => canonicalize(value);
  return [
    command(T0 - 1, {
      commandId: 'cmd-open-acme',
      commandType: 'OpenAccount',
      actor: 'support:alice',
      streamId: 'account-acme',
      payload: p({ accountId: 'acme', owner: 'Acme <script>alert("owner")</script> & Co', currency: 'EUR' }),
      firstPosition: 1,
      lastPosition: 1,
    }),
    command(T0 + MIN - 1, {
      commandId: 'cmd-dep-1',
      commandType: 'DepositMoney',
      actor: 'support:alice',
      streamId: 'account-acme',
      payload: p({ accountId: 'acme', amount: 50000 }),
      firstPosition: 2,
      lastPosition: 2,
    }),
    command(T0 + 2 * MIN - 1, {
      commandId: 'cmd-open-bob',
      commandType: 'OpenAccount',
      actor: 'support:bob',
      streamId: 'account-bob',
      payload: p({ accountId: 'bob', owner: 'Bob "Bobby" Tables, Jr.', currency: 'EUR' }),
      firstPosition: 3,
      lastPosition: 3,
    }),
    command(T0 + 3 * MIN - 1, {
      commandId: 'c-order-1001',
      commandType: 'PlaceOrder',
      actor: 'web-shop',
      streamId: 'order-1001',
      payload: p({
        orderId: '1001',
        customerAccountId: 'acme',
        currency: 'EUR',
        lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 6000 }],
      }),
      firstPosition: 4,
      lastPosition: 4,
    }),
    command(T0 + 4 * MIN - 1, {
      commandId: 'cmd-pay-1001',
      commandType: 'PayOrder',
      actor: 'payments-worker@2.4.0',
      streamId: 'order-1001',
      payload: p({ orderId: '1001', amount: 12000 }),
      firstPosition: 5,
      lastPosition: 5,
    }),
    command(T0 + 4 * MIN + 1, {
      commandId: `policy:chargeCustomerOnOrderPaid:${eventId(5)}`,
      commandType: 'WithdrawMoney',
      actor: 'policy:chargeCustomerOnOrderPaid',
      streamId: 'account-acme',
      payload: p({ accountId: 'acme', amount: 12000, currency: 'EUR' }),
      firstPosition: 6,
      lastPosition: 6,
    }),
    command(T0 + 6 * MIN - 1, {
      commandId: 'c-order-1002',
      commandType: 'PlaceOrder',
      actor: 'web-shop',
      streamId: 'order-1002',
      payload: p({
        orderId: '1002',
        customerAccountId: 'bob',
        currency: 'EUR',
        lines: [{ sku: 'SKU-9', quantity: 1, unitPrice: 99900 }],
      }),
      firstPosition: 8,
      lastPosition: 8,
    }),
    command(T0 + 7 * MIN - 1, {
      commandId: 'cmd-pay-1002',
      commandType: 'PayOrder',
      actor: 'payments-worker@2.4.0',
      streamId: 'order-1002',
      payload: p({ orderId: '1002', amount: 99900 }),
      firstPosition: 9,
      lastPosition: 9,
    }),
    command(T0 + 7 * MIN + 1, {
      commandId: `policy:chargeCustomerOnOrderPaid:${eventId(9)}`,
      commandType: 'WithdrawMoney',
      actor: 'policy:chargeCustomerOnOrderPaid',
      streamId: 'account-bob',
      payload: p({ accountId: 'bob', amount: 99900, currency: 'EUR' }),
      outcome: 'rejected',
      errorCode: 'insufficient_funds',
      errorMessage: 'Cannot withdraw 99900 from account bob: the balance is 0 EUR.',
    }),
    command(T0 + 7 * MIN + 30_000, {
      commandId: 'cmd-close-acme',
      commandType: 'CloseAccount',
      actor: 'support:alice',
      streamId: 'account-acme',
      payload: p({ accountId: 'acme' }),
      reason: 'Customer asked to close, "today"',
      outcome: 'rejected',
      errorCode: 'balance_not_zero',
      errorMessage: 'Cannot close account acme: its balance is 38000 EUR, not zero.',
    }),
    command(T0 + 8 * MIN - 1, {
      commandId: 'cmd-adj-1',
      commandType: 'AdjustBalance',
      actor: 'support:alice',
      streamId: 'account-acme',
      payload: p({ accountId: 'acme', amount: 500, currency: 'EUR' }),
      reason: 'Goodwill credit for the double charge, ticket #7 — "approved", see <b>notes</b>',
      firstPosition: 10,
      lastPosition: 10,
    }),
  ];
}

export const FIXTURE_NOTES: ReportNoteInput[] = [
  {
    target: `event:${eventId(5)}`,
    text: 'Paid by the 2.4.0 worker <b>before</b> the rollback; see INC-2041.',
    createdAt: '2024-05-02T08:15:00Z',
    author: 'auditor:carol',
  },
  {
    target: 'stream:account-acme',
    text: 'Balance checked against the bank statement of 2024-05-01: matches.',
    createdAt: '2024-05-02T08:00:00Z',
    author: 'auditor:carol',
  },
];

/** Builds the fixture store at `dir/name` and returns its path (the store is closed). */
export function buildFixtureStore(dir: string, name = 'fixture.hindsight', extra: Spec[] = []): string {
  const file = path.join(dir, name);
  const store = EventStore.create(file, { createdBy: 'hindsight test fixture' });
  try {
    store.transaction(() => {
      const specs = [...fixtureEvents(), ...extra];
      for (const [i, spec] of specs.entries()) {
        const event: NewEvent = {
          type: spec.type,
          data: spec.data,
          metadata: spec.meta,
          eventId: eventId(i + 1),
          recordedAt: spec.at,
          occurredAt: spec.occurredAt ?? spec.at,
        };
        store.append(spec.stream, [event]);
      }
      for (const c of fixtureCommands()) insertCommandRecord(store.db, c);
    });
  } finally {
    store.close();
  }
  // Fix what EventStore.create chose at random or from the clock.
  const db = new Database(file);
  try {
    db.prepare("UPDATE store_meta SET value = ? WHERE key = 'store_id'").run(FIXTURE_STORE_ID);
    db.prepare("UPDATE store_meta SET value = ? WHERE key = 'created_at'").run(String(FIXTURE_CREATED_AT));
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
  return file;
}

/** Opens the fixture read-only (a private copy, as the CLI does). */
export function openFixture(file: string): EventStore {
  return EventStore.open(file, { mode: 'read-only' });
}

/** The golden reports: one per kind. */
export const GOLDEN_PARAMS: Record<ReportKind, ReportParams> = {
  entity: {
    kind: 'entity',
    streams: ['ticket-7', 'account-acme'],
    includeState: true,
    includeDiffs: true,
    notes: FIXTURE_NOTES,
  },
  actor: { kind: 'actor', actor: 'support:alice', includeDiffs: true },
  window: {
    kind: 'window',
    from: '2024-05-01T09:02:30Z',
    to: '2024-05-01T09:08:00Z',
    includeState: true,
  },
  correlation: { kind: 'correlation', correlationId: 'c-order-1002', includeState: true, notes: FIXTURE_NOTES },
  summary: { kind: 'summary' },
};

/** Removes a file and its companions (for tests that damage a store). */
export function removeStore(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
}
