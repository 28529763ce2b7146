import { describe, expect, it } from 'vitest';
import { executeCommand } from '../../../electron/core/commands/bus';
import { HindsightError } from '../../../electron/core/errors';
import { accountsProjection } from '../../../electron/core/projections/builtin/accounts';
import { listReadModels, queryReadModel } from '../../../electron/core/projections/query';
import { attachReadModels, catchUp, detachReadModels } from '../../../electron/core/projections/runtime';
import { bringUpToDate, catchUpInWorker } from '../../../electron/core/projections/workers';
import { EventStore } from '../../../electron/core/store/eventStore';
import { useTempDir } from '../../helpers/tempDir';
import { dump, newStore, run } from './helpers';

function balance(store: EventStore, accountId: string): unknown {
  return queryReadModel(store, 'accounts', { filters: [{ column: 'account_id', op: 'eq', value: accountId }] }).rows[0]
    ?.balance;
}

function checkpoints(store: EventStore): unknown[] {
  return store.db.prepare('SELECT name, position, status FROM projection_checkpoints ORDER BY name').raw().all();
}

describe('inline read models (read-write store)', () => {
  const tempDir = useTempDir('hindsight-rm-inline-');

  it('are folded inside the append transaction: never behind an acknowledged append', () => {
    const { store } = newStore(tempDir());
    attachReadModels(store);
    run(store, 'OpenAccount', { accountId: 'a', owner: 'A', currency: 'EUR' });
    for (let i = 1; i <= 5; i++) {
      run(store, 'DepositMoney', { accountId: 'a', amount: 100 });
      // Right after the command returns (no catch-up call): the read model already has it.
      expect(balance(store, 'a')).toBe(100 * i);
      const raw = store.db.prepare('SELECT position FROM projection_checkpoints').pluck().all();
      expect(new Set(raw)).toEqual(new Set([store.head().position]));
    }
    detachReadModels(store);
    store.close();
  });

  it('roll back with an append that fails in the same transaction (a concurrency error)', () => {
    const { store } = newStore(tempDir());
    attachReadModels(store);
    run(store, 'OpenAccount', { accountId: 'a', owner: 'A', currency: 'EUR' });
    run(store, 'DepositMoney', { accountId: 'a', amount: 500 });
    const before = dump(store.db, accountsProjection);
    const cps = checkpoints(store);
    const error = (() => {
      try {
        store.transaction(() => {
          store.append('account-a', [
            { type: 'MoneyDeposited', data: { accountId: 'a', amount: 7, currency: 'EUR', balanceAfter: 507 } },
          ]);
          // Folded inside this transaction already…
          expect(balance(store, 'a')).toBe(507);
          // …then a second append with a stale expected version fails the whole transaction.
          store.append('account-a', [{ type: 'MoneyDeposited', data: { accountId: 'a', amount: 1 } }], {
            expectedVersion: 2,
          });
        });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(HindsightError);
    expect((error as HindsightError).code).toBe('concurrency');
    expect(store.head().position).toBe(2);
    expect(dump(store.db, accountsProjection)).toEqual(before);
    expect(checkpoints(store)).toEqual(cps);
    expect(balance(store, 'a')).toBe(500);
    detachReadModels(store);
    store.close();
  });

  it('roll back with a command whose transaction fails after its append (the bus, a failing hook)', () => {
    const { store } = newStore(tempDir());
    attachReadModels(store);
    run(store, 'OpenAccount', { accountId: 'a', owner: 'A', currency: 'EUR' });
    const before = dump(store.db, accountsProjection);
    expect(() =>
      executeCommand(
        store,
        { commandType: 'DepositMoney', payload: { accountId: 'a', amount: 10 }, actor: 'ann' },
        {
          hooks: {
            beforeCommit() {
              throw new Error('crash before commit');
            },
          },
        },
      ),
    ).toThrow('crash before commit');
    expect(store.head().position).toBe(1);
    expect(dump(store.db, accountsProjection)).toEqual(before);
    expect(listReadModels(store).every((m) => m.position === 1 && m.status === 'ok')).toBe(true);
    detachReadModels(store);
    store.close();
  });

  it('fold nothing twice: a repeated (duplicate) append writes nothing and changes no read model', () => {
    const { store } = newStore(tempDir());
    attachReadModels(store);
    const event = {
      type: 'AccountOpened',
      data: { accountId: 'a', owner: 'A', currency: 'EUR' },
      eventId: '0190a0a0-0000-7000-8000-000000000001',
    };
    store.append('account-a', [event]);
    const again = store.append('account-a', [event]);
    expect(again.duplicate).toBe(true);
    expect(queryReadModel(store, 'streams').rows[0]).toMatchObject({ stream_id: 'account-a', events: 1 });
    expect(queryReadModel(store, 'event-types').rows[0]).toMatchObject({ event_type: 'AccountOpened', count: 1 });
    detachReadModels(store);
    store.close();
  });

  it('close a small gap left by another writer inside the next append, and leave a large one to a catch-up', () => {
    const dir = tempDir();
    const { store, file } = newStore(dir);
    attachReadModels(store, { maxCatchUp: 50 });
    run(store, 'OpenAccount', { accountId: 'a', owner: 'A', currency: 'EUR' });
    // Another connection (a CLI append, another process) writes without read models.
    const other = EventStore.open(file, { mode: 'read-write' });
    for (let i = 0; i < 10; i++) other.append('sensor-1', [{ type: 'Measured', data: { i } }]);
    other.close();
    expect(listReadModels(store).map((m) => m.position)).toEqual(Array(6).fill(11)); // caught up before reading
    run(store, 'DepositMoney', { accountId: 'a', amount: 5 });
    expect(
      queryReadModel(store, 'streams', { sort: { column: 'stream_id', dir: 'asc' } }).rows.map((r) => [
        r.stream_id,
        r.events,
      ]),
    ).toEqual([
      ['account-a', 2],
      ['sensor-1', 10],
    ]);

    // A large gap: the inline hook does not fold it (it would hold the append), the read models report a lag.
    const bulk = EventStore.open(file, { mode: 'read-write' });
    bulk.transaction(() => {
      for (let i = 0; i < 120; i++) bulk.append('sensor-2', [{ type: 'Measured', data: { i } }]);
    });
    bulk.close();
    run(store, 'DepositMoney', { accountId: 'a', amount: 5 });
    const lagging = listReadModels(store);
    expect(lagging.every((m) => m.position === 12 && m.head === 133 && m.lag === 121 && m.needsJob)).toBe(true);
    expect(balance(store, 'a')).toBe(5);
    // catchUp folds it all, in batches; the next append is inline again.
    const result = catchUp(store, { batchSize: 25 });
    expect(result.models.every((m) => m.position === 133 && m.status === 'ok')).toBe(true);
    expect(balance(store, 'a')).toBe(10);
    run(store, 'DepositMoney', { accountId: 'a', amount: 5 });
    expect(balance(store, 'a')).toBe(15);
    expect(listReadModels(store).every((m) => m.lag === 0)).toBe(true);
    detachReadModels(store);
    store.close();
  });

  it('catch up a large gap in a worker while the main thread keeps its connection', async () => {
    const dir = tempDir();
    const { store, file } = newStore(dir);
    attachReadModels(store, { maxCatchUp: 10 });
    const bulk = EventStore.open(file, { mode: 'read-write' });
    bulk.transaction(() => {
      for (let i = 0; i < 300; i++) bulk.append(`sensor-${i % 7}`, [{ type: 'Measured', data: { i } }]);
    });
    bulk.close();
    expect(listReadModels(store)[2]).toMatchObject({ name: 'streams', position: 0, lag: 300, needsJob: true });
    const progress: number[] = [];
    const result = await catchUpInWorker(store, { onProgress: (done) => progress.push(done) });
    expect(result.head).toBe(300);
    expect(result.models.every((m) => m.position === 300)).toBe(true);
    expect(progress.at(-1)).toBe(300);
    const streams = queryReadModel(store, 'streams', { sort: { column: 'stream_id', dir: 'asc' } }).rows;
    expect(streams.map((r) => r.events)).toEqual([43, 43, 43, 43, 43, 43, 42]);
    // And inline again from there.
    store.append('sensor-0', [{ type: 'Measured', data: {} }]);
    expect(queryReadModel(store, 'streams', { sort: { column: 'stream_id', dir: 'asc' } }).rows[0]!.events).toBe(44);
    detachReadModels(store);
    store.close();
  });

  it('bringUpToDate rebuilds what is missing and catches up what is behind, in workers', async () => {
    const dir = tempDir();
    const { store, file } = newStore(dir);
    for (let i = 0; i < 60; i++) store.append(`sensor-${i % 3}`, [{ type: 'Measured', data: { i } }]);
    attachReadModels(store, { maxCatchUp: 10 });
    expect(listReadModels(store).every((m) => m.status === 'rebuilding' && m.position === 0 && m.needsJob)).toBe(true);
    expect(await bringUpToDate(store)).toEqual({
      rebuilt: ['accounts', 'orders', 'streams', 'event-types', 'actors', 'activity'],
      caughtUp: [],
    });
    expect(listReadModels(store).every((m) => m.status === 'ok' && m.position === 60)).toBe(true);
    const other = EventStore.open(file, { mode: 'read-write' });
    for (let i = 0; i < 30; i++) other.append('sensor-9', [{ type: 'Measured', data: { i } }]);
    other.close();
    expect(await bringUpToDate(store, { names: ['streams'] })).toEqual({ rebuilt: [], caughtUp: ['streams'] });
    expect(listReadModels(store).find((m) => m.name === 'streams')).toMatchObject({ position: 90, lag: 0 });
    expect(listReadModels(store).find((m) => m.name === 'actors')).toMatchObject({
      position: 60,
      lag: 30,
      needsJob: true,
    });
    expect(await bringUpToDate(store)).toEqual({
      rebuilt: [],
      caughtUp: ['accounts', 'orders', 'event-types', 'actors', 'activity'],
    });
    expect(await bringUpToDate(store)).toEqual({ rebuilt: [], caughtUp: [] });
    detachReadModels(store);
    store.close();
  });

  it('are not touched by a store without read models attached, and detach removes the hook', () => {
    const { store } = newStore(tempDir());
    attachReadModels(store);
    run(store, 'OpenAccount', { accountId: 'a', owner: 'A', currency: 'EUR' });
    detachReadModels(store);
    run(store, 'DepositMoney', { accountId: 'a', amount: 5 });
    expect(store.db.prepare('SELECT DISTINCT position FROM projection_checkpoints').pluck().all()).toEqual([1]);
    // Attaching again catches up.
    attachReadModels(store);
    expect(balance(store, 'a')).toBe(5);
    detachReadModels(store);
    store.close();
  });
});
