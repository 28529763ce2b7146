import { describe, expect, it } from 'vitest';
import { executeCommand } from '../../../electron/core/commands/bus';
import type { LoadedInfo } from '../../../electron/core/commands/types';
import { EventStore } from '../../../electron/core/store/eventStore';
import { useTempDir } from '../../helpers/tempDir';
import { account, balanceOf, caught, commandRow, counts, newStore, run } from './helpers';

// biome-ignore lint/correctness/useHookAtTopLevel: a vitest helper (it registers an afterEach), not a React hook
const tempDir = useTempDir('hindsight-bus-conflict-');

/**
 * Two connections to one file, interleaved deterministically: the `afterLoad` seam runs between the bus's load of
 * the stream and its write transaction, which is exactly where another writer's append makes the expected version
 * stale.
 */
function twoWriters(): { store: EventStore; other: EventStore; close(): void } {
  const { store, file } = newStore(tempDir());
  const other = EventStore.open(file, { mode: 'read-write' });
  return {
    store,
    other,
    close() {
      other.close();
      store.close();
    },
  };
}

describe('version conflicts', () => {
  it('reloads and decides again when another connection appended between load and append', () => {
    const { store, other, close } = twoWriters();
    try {
      account(store, 'alice', 100);
      const seen: LoadedInfo[] = [];
      const outcome = executeCommand(
        store,
        { commandType: 'WithdrawMoney', payload: { accountId: 'alice', amount: 150 }, actor: 'ann', commandId: 'w-1' },
        {
          hooks: {
            afterLoad(info) {
              seen.push(info);
              if (info.attempt === 1) run(other, 'DepositMoney', { accountId: 'alice', amount: 100 }, { actor: 'bob' });
            },
          },
        },
      );
      // Decided on version 2 (balance 100: a rejection), but the stream moved to 3 before the write: the stale
      // rejection is not recorded; decided again on version 3 (balance 200) it is accepted.
      expect(seen.map((s) => [s.attempt, s.version])).toEqual([
        [1, 2],
        [2, 3],
      ]);
      expect(outcome).toMatchObject({ outcome: 'accepted', attempts: 2, firstPosition: 4 });
      expect(outcome.events[0]).toMatchObject({ streamVersion: 4, data: { balanceAfter: 50 } });
      expect(balanceOf(store, 'alice')).toBe(50);
      expect(commandRow(store, 'w-1')).toMatchObject({ outcome: 'accepted', first_position: 4 });
      expect(store.verify().ok).toBe(true);
    } finally {
      close();
    }
  });

  it('a decision that became a rejection on the new state is recorded as a rejection', () => {
    const { store, other, close } = twoWriters();
    try {
      account(store, 'alice', 100);
      const outcome = executeCommand(
        store,
        { commandType: 'WithdrawMoney', payload: { accountId: 'alice', amount: 100 }, actor: 'ann', commandId: 'w-2' },
        {
          hooks: {
            afterLoad(info) {
              if (info.attempt === 1) run(other, 'WithdrawMoney', { accountId: 'alice', amount: 60 }, { actor: 'bob' });
            },
          },
        },
      );
      expect(outcome).toMatchObject({ outcome: 'rejected', attempts: 2, error: { domainCode: 'insufficient_funds' } });
      expect(balanceOf(store, 'alice')).toBe(40);
      expect(commandRow(store, 'w-2')).toMatchObject({ outcome: 'rejected', error_code: 'insufficient_funds' });
    } finally {
      close();
    }
  });

  it('gives up after the bounded number of retries with a clear concurrency error, recording nothing', () => {
    const { store, other, close } = twoWriters();
    try {
      account(store, 'alice', 100);
      let interleaved = 0;
      const hooks = {
        afterLoad() {
          interleaved++;
          run(other, 'DepositMoney', { accountId: 'alice', amount: 1 }, { actor: 'bob' });
        },
      };
      const error = caught(() =>
        executeCommand(
          store,
          { commandType: 'DepositMoney', payload: { accountId: 'alice', amount: 500 }, actor: 'ann', commandId: 'd-1' },
          { maxRetries: 3, hooks },
        ),
      );
      expect(error.code).toBe('concurrency');
      expect(error.message).toBe(
        'DepositMoney d-1 was not run: other writers changed account-alice during each of its 4 attempts. Nothing was written; run it again with the same command id.',
      );
      expect(error.details).toMatchObject({ commandId: 'd-1', streamId: 'account-alice', attempts: 4 });
      expect(interleaved).toBe(4);
      expect(commandRow(store, 'd-1')).toBeUndefined();
      expect(balanceOf(store, 'alice')).toBe(104);

      // The default bound is 5 retries (6 decisions).
      let calls = 0;
      const defaults = caught(() =>
        executeCommand(
          store,
          { commandType: 'DepositMoney', payload: { accountId: 'alice', amount: 500 }, actor: 'ann', commandId: 'd-1' },
          {
            hooks: {
              afterLoad() {
                calls++;
                hooks.afterLoad();
              },
            },
          },
        ),
      );
      expect([defaults.code, calls, defaults.details?.attempts]).toEqual(['concurrency', 6, 6]);

      // Nothing was recorded, so the same command id runs once the stream is quiet.
      const before = counts(store);
      const outcome = run(store, 'DepositMoney', { accountId: 'alice', amount: 500 }, { commandId: 'd-1' });
      expect(outcome).toMatchObject({ outcome: 'accepted', attempts: 1, replayed: false });
      expect(counts(store).events).toBe(before.events + 1);
      expect(balanceOf(store, 'alice')).toBe(610);
    } finally {
      close();
    }
  });

  it('with maxRetries 0 the first conflict is final', () => {
    const { store, other, close } = twoWriters();
    try {
      account(store, 'alice', 100);
      const error = caught(() =>
        executeCommand(
          store,
          { commandType: 'DepositMoney', payload: { accountId: 'alice', amount: 1 }, actor: 'ann' },
          { maxRetries: 0, hooks: { afterLoad: () => void run(other, 'FreezeAccount', { accountId: 'alice' }) } },
        ),
      );
      expect(error.code).toBe('concurrency');
      expect(error.details).toMatchObject({ attempts: 1 });
    } finally {
      close();
    }
  });

  it('when another connection records the same command id meanwhile, returns that outcome and writes nothing', () => {
    const { store, other, close } = twoWriters();
    try {
      account(store, 'alice', 100);
      const payload = { accountId: 'alice', amount: 7 };
      let theirs: ReturnType<typeof run> | undefined;
      const outcome = executeCommand(
        store,
        { commandType: 'DepositMoney', payload, actor: 'ann', commandId: 'same' },
        {
          hooks: {
            afterLoad() {
              theirs ??= run(other, 'DepositMoney', payload, { commandId: 'same', actor: 'bob' });
            },
          },
        },
      );
      expect(outcome).toMatchObject({ outcome: 'accepted', replayed: true, actor: 'bob' });
      expect(outcome.events).toEqual(theirs!.events);
      expect(balanceOf(store, 'alice')).toBe(107);
    } finally {
      close();
    }
  });
});
