// The bus loads a stream from its latest snapshot and folds only the events after it; the state it decides
// on must equal a full fold of the stream.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeCommand } from '../../../electron/core/commands/bus';
import { loadState } from '../../../electron/core/commands/loadState';
import { DOMAINS, parseEvent } from '../../../electron/core/domain/registry';
import { EventStore } from '../../../electron/core/store/eventStore';
import { useTempDir } from '../../helpers/tempDir';

describe('loadState with snapshots', () => {
  const tempDir = useTempDir();

  it('decides on the same state a full fold gives, on a stream longer than the snapshot interval', () => {
    const store = EventStore.create(join(tempDir(), 'long.hindsight'));
    executeCommand(store, {
      commandType: 'OpenAccount',
      payload: { accountId: 'big', owner: 'B', currency: 'EUR' },
      actor: 't',
    });
    for (let i = 1; i <= 1100; i++) {
      executeCommand(store, { commandType: 'DepositMoney', payload: { accountId: 'big', amount: i }, actor: 't' });
    }
    // Reading the state builds snapshots; a later load starts from the latest one.
    const first = loadState(store, 'account-big');
    const snapshots = store.db.prepare('SELECT count(*) FROM snapshots').pluck().get() as number;
    expect(snapshots).toBeGreaterThan(0);
    const second = loadState(store, 'account-big');

    const decider = DOMAINS.accounts.decider;
    let full = decider.initialState();
    for (const event of store.readStream('account-big', { limit: 5000 })) {
      full = decider.evolve(full, parseEvent(event.eventType, event.data) as never);
    }
    expect(first.version).toBe(1101);
    expect(second).toEqual(first);
    expect(second.state).toEqual(full);
    expect((second.state as { balance: number }).balance).toBe((1100 * 1101) / 2);

    // And a withdrawal is decided against that state.
    const outcome = executeCommand(store, {
      commandType: 'WithdrawMoney',
      payload: { accountId: 'big', amount: (1100 * 1101) / 2 + 1 },
      actor: 't',
    });
    expect(outcome.outcome).toBe('rejected');
    store.close();
  });
});
