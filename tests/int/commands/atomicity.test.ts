import { describe, expect, it } from 'vitest';
import { executeCommand } from '../../../electron/core/commands/bus';
import { EventStore } from '../../../electron/core/store/eventStore';
import { useTempDir } from '../../helpers/tempDir';
import { account, balanceOf, caught, commandRow, counts, newStore, placeOrder, run } from './helpers';

// biome-ignore lint/correctness/useHookAtTopLevel: a vitest helper (it registers an afterEach), not a React hook
const tempDir = useTempDir('hindsight-bus-atomic-');

/** One transaction per command: a failure anywhere inside leaves neither its events nor its log row. */
describe('atomicity', () => {
  it('a failure after the append and the log row, before commit, leaves neither', () => {
    const { store, file } = newStore(tempDir());
    account(store, 'alice', 100);
    const before = counts(store);
    expect(() =>
      executeCommand(
        store,
        { commandType: 'DepositMoney', payload: { accountId: 'alice', amount: 50 }, actor: 'ann', commandId: 'd-1' },
        {
          hooks: {
            beforeCommit(info) {
              // Both writes are visible inside the transaction...
              expect(commandRow(store, 'd-1')).toMatchObject({ outcome: 'accepted' });
              expect(store.getStream('account-alice')?.version).toBe(info.version + 1);
              throw new Error('power cut');
            },
          },
        },
      ),
    ).toThrow('power cut');
    // ...and neither survives, in this connection or in a fresh one.
    expect(counts(store)).toEqual(before);
    expect(commandRow(store, 'd-1')).toBeUndefined();
    expect(store.db.inTransaction).toBe(false);
    const fresh = EventStore.open(file, { mode: 'read-write' });
    try {
      expect(counts(fresh)).toEqual(before);
      expect(fresh.getStream('account-alice')?.version).toBe(2);
    } finally {
      fresh.close();
    }
    // The command id is free: the command runs normally afterwards.
    expect(run(store, 'DepositMoney', { accountId: 'alice', amount: 50 }, { commandId: 'd-1' }).outcome).toBe(
      'accepted',
    );
    expect(balanceOf(store, 'alice')).toBe(150);
    expect(store.verify().ok).toBe(true);
  });

  it('a rejection is not recorded when the transaction fails', () => {
    const { store } = newStore(tempDir());
    account(store, 'alice', 100);
    const before = counts(store);
    expect(() =>
      run(
        store,
        'WithdrawMoney',
        { accountId: 'alice', amount: 500 },
        { commandId: 'w-1' },
        {
          hooks: {
            beforeCommit: () => {
              throw new Error('boom');
            },
          },
        },
      ),
    ).toThrow('boom');
    expect(counts(store)).toEqual(before);
  });

  it('SQLite refusing the log row after the events were inserted rolls the events back too', () => {
    const { store } = newStore(tempDir());
    account(store, 'alice', 100);
    const before = counts(store);
    // A real SQLite failure at the second write of the transaction (a connection-local trigger on the log).
    store.db.exec(
      "CREATE TEMP TRIGGER refuse_log BEFORE INSERT ON main.commands BEGIN SELECT RAISE(ABORT, 'log refused'); END",
    );
    expect(() => run(store, 'DepositMoney', { accountId: 'alice', amount: 5 })).toThrow('log refused');
    store.db.exec('DROP TRIGGER temp.refuse_log');
    expect(counts(store)).toEqual(before);
    expect(store.getStream('account-alice')?.version).toBe(2);
    expect(store.verify().ok).toBe(true);
  });

  it('a full disk in the middle of the append leaves neither events nor a log row', () => {
    const { store } = newStore(tempDir());
    account(store, 'alice', 100);
    const before = counts(store);
    store.db.pragma(`max_page_count = ${store.db.pragma('page_count', { simple: true }) as number}`);
    const lines = Array.from({ length: 100 }, (_, i) => ({ sku: `${'S'.repeat(60)}-${i}`, quantity: 1, unitPrice: 1 }));
    const payload = { orderId: 'big', customerAccountId: 'alice', currency: 'EUR', lines };
    const error = caught(() => run(store, 'PlaceOrder', payload, { commandId: 'big-1' }));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('is full');
    expect(counts(store)).toEqual(before);
    store.db.pragma('max_page_count = 1073741823');
    expect(run(store, 'PlaceOrder', payload, { commandId: 'big-1' }).outcome).toBe('accepted');
  });

  it('a payload over the size cap is refused before anything is written', () => {
    const { store } = newStore(tempDir());
    account(store, 'alice', 100);
    const before = counts(store);
    const error = caught(() =>
      run(store, 'DepositMoney', { accountId: 'alice', amount: 1, memo: 'x'.repeat(1_100_000) }, { commandId: 'huge' }),
    );
    expect(error.code).toBe('payload_too_large');
    expect(counts(store)).toEqual(before);
    expect(commandRow(store, 'huge')).toBeUndefined();
  });

  it('a follow-up that fails inside its transaction is rolled back alone: its cause stays recorded', () => {
    const { store } = newStore(tempDir());
    account(store, 'alice', 10_000);
    placeOrder(store, 'o-1', 'alice', 700);
    const before = counts(store);
    const paid = run(
      store,
      'PayOrder',
      { orderId: 'o-1' },
      { commandId: 'pay-1' },
      {
        hooks: {
          beforeCommit(info) {
            if (info.commandId.startsWith('policy:')) throw new Error('crash in the follow-up');
          },
        },
      },
    );
    expect(paid.outcome).toBe('accepted');
    expect(paid.triggered[0]).toMatchObject({
      outcome: 'failed',
      error: { code: 'internal', message: 'Unexpected error: crash in the follow-up' },
    });
    expect(counts(store)).toMatchObject({ events: before.events + 1, commands: before.commands + 1 });
    expect(commandRow(store, paid.triggered[0]!.commandId)).toBeUndefined();
    expect(balanceOf(store, 'alice')).toBe(10_000);
  });
});
