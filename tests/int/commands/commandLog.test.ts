import { describe, expect, it } from 'vitest';
import { catalog } from '../../../electron/core/commands/catalog';
import { commandLog, getCommand } from '../../../electron/core/commands/commandLog';
import { COMMAND_TYPES, COMMANDS, parseCommand } from '../../../electron/core/domain/registry';
import { EventStore } from '../../../electron/core/store/eventStore';
import { useTempDir } from '../../helpers/tempDir';
import { account, caught, newStore, run } from './helpers';

// biome-ignore lint/correctness/useHookAtTopLevel: a vitest helper (it registers an afterEach), not a React hook
const tempDir = useTempDir('hindsight-bus-log-');

describe('commandLog', () => {
  function populated() {
    const made = newStore(tempDir());
    const { store } = made;
    account(store, 'alice', 100); // 2 accepted (ann)
    run(store, 'WithdrawMoney', { accountId: 'alice', amount: 1000 }, { actor: 'bob', commandId: 'w-big' }); // rejected
    for (let i = 0; i < 7; i++) run(store, 'DepositMoney', { accountId: 'alice', amount: i + 1 }, { actor: 'bob' });
    try {
      run(store, 'DepositMoney', { accountId: 'alice', amount: 0 }, { commandId: 'bad' }); // invalid: recorded
    } catch {}
    return made;
  }

  it('pages by keyset, newest first by default, oldest first on request, and covers every row once', () => {
    const { store } = populated();
    const all = store.db.prepare('SELECT rowid AS seq, command_id FROM commands ORDER BY rowid').all() as Array<{
      seq: number;
      command_id: string;
    }>;
    expect(all).toHaveLength(11);
    for (const order of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      let after: number | undefined;
      let pages = 0;
      for (;;) {
        const page = commandLog(store, { order, limit: 4, ...(after === undefined ? {} : { after }) });
        pages++;
        seen.push(...page.rows.map((r) => r.commandId));
        if (page.nextCursor === null) break;
        after = page.nextCursor;
      }
      const expected = all.map((r) => r.command_id);
      expect(seen).toEqual(order === 'asc' ? expected : expected.reverse());
      expect(pages).toBe(3);
    }
    expect(commandLog(store).rows[0]!.commandId).toBe('bad');
    // An exact fit: the last full page says there is no more.
    expect(commandLog(store, { limit: 11 }).nextCursor).toBeNull();
    expect(commandLog(store, { limit: 10 }).nextCursor).not.toBeNull();
  });

  it('returns rows with the parsed payload and the recorded outcome', () => {
    const { store } = populated();
    const rejected = commandLog(store, { outcome: 'rejected' }).rows;
    expect(rejected.map((r) => [r.commandId, r.errorCode])).toEqual([
      ['bad', 'invalid_input'],
      ['w-big', 'insufficient_funds'],
    ]);
    expect(rejected[1]).toEqual({
      seq: 3,
      commandId: 'w-big',
      commandType: 'WithdrawMoney',
      streamId: 'account-alice',
      payload: { accountId: 'alice', amount: 1000 },
      actor: 'bob',
      reason: null,
      receivedAt: expect.any(Number),
      outcome: 'rejected',
      errorCode: 'insufficient_funds',
      errorMessage: 'Cannot withdraw 1000 from account alice: the balance is 100 EUR, 900 short.',
      firstPosition: null,
      lastPosition: null,
    });
    expect(getCommand(store, 'w-big')).toEqual(rejected[1]);
    expect(getCommand(store, 'nope')).toBeUndefined();
  });

  it('filters by outcome, actor, command type, stream and error code, and pages within a filter', () => {
    const { store } = populated();
    expect(commandLog(store, { actor: 'bob' }).rows).toHaveLength(8);
    expect(commandLog(store, { actor: 'bob', outcome: 'accepted' }).rows).toHaveLength(7);
    expect(commandLog(store, { commandType: 'OpenAccount' }).rows.map((r) => r.actor)).toEqual(['ann']);
    expect(commandLog(store, { streamId: 'account-alice' }).rows).toHaveLength(10);
    expect(commandLog(store, { errorCode: 'insufficient_funds' }).rows.map((r) => r.commandId)).toEqual(['w-big']);
    const first = commandLog(store, { actor: 'bob', outcome: 'accepted', limit: 5, order: 'asc' });
    const second = commandLog(store, {
      actor: 'bob',
      outcome: 'accepted',
      limit: 5,
      order: 'asc',
      after: first.nextCursor!,
    });
    expect(first.rows.map((r) => (r.payload as { amount: number }).amount)).toEqual([1, 2, 3, 4, 5]);
    expect(second.rows.map((r) => (r.payload as { amount: number }).amount)).toEqual([6, 7]);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses bad options with invalid_input', () => {
    const { store } = newStore(tempDir());
    for (const opts of [
      { limit: 0 },
      { limit: 1001 },
      { limit: 1.5 },
      { after: -1 },
      { order: 'up' },
      { outcome: 'maybe' },
      { actor: 5 },
      { offset: 10 },
    ]) {
      expect(caught(() => commandLog(store, opts as never)).code).toBe('invalid_input');
    }
  });

  it('reads the log of a store opened read-only', () => {
    const { store, file } = populated();
    store.close();
    const readOnly = EventStore.open(file, { mode: 'read-only' });
    try {
      expect(commandLog(readOnly, { limit: 1000 }).rows).toHaveLength(11);
    } finally {
      readOnly.close();
    }
  });
});

describe('catalog', () => {
  it('lists every command type with domain, description, corrective flag, JSON Schema and a valid example', () => {
    const entries = catalog();
    expect(entries.map((e) => e.type)).toEqual(COMMAND_TYPES);
    for (const entry of entries) {
      const definition = COMMANDS[entry.type as keyof typeof COMMANDS];
      expect(entry).toMatchObject({
        domain: definition.domain,
        description: definition.description,
        corrective: definition.corrective,
        streamCategory: definition.domain === 'accounts' ? 'account' : 'order',
      });
      expect(entry.jsonSchema).toMatchObject({ title: entry.type, type: 'object' });
      expect(entry.jsonSchema.$schema).toContain('2020-12');
      expect(() => parseCommand(entry.type, entry.example)).not.toThrow();
    }
    expect(entries.filter((e) => e.corrective).map((e) => e.type)).toEqual(['AdjustBalance', 'RefundOrder']);
  });

  it('hands out copies: changing one does not change the registry', () => {
    const first = catalog();
    (first[0]!.jsonSchema as Record<string, unknown>).title = 'changed';
    (first[0]!.example as Record<string, unknown>).accountId = 'changed';
    const second = catalog();
    expect(second[0]!.jsonSchema.title).toBe(second[0]!.type);
    expect(second[0]!.example).toEqual(COMMANDS[second[0]!.type as keyof typeof COMMANDS].example);
    expect(JSON.parse(JSON.stringify(second))).toEqual(second);
  });
});
