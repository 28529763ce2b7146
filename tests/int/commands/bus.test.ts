import { describe, expect, it } from 'vitest';
import { executeCommand } from '../../../electron/core/commands/bus';
import type { CommandInput } from '../../../electron/core/commands/types';
import { EventStore } from '../../../electron/core/store/eventStore';
import { useTempDir } from '../../helpers/tempDir';
import { account, balanceOf, caught, commandRow, counts, newStore, run } from './helpers';

// biome-ignore lint/correctness/useHookAtTopLevel: a vitest helper (it registers an afterEach), not a React hook
const tempDir = useTempDir('hindsight-bus-');

describe('executeCommand: accepted commands', () => {
  it('appends the decided events with the command metadata and records the outcome in the same file', () => {
    const { store } = newStore(tempDir());
    const outcome = run(
      store,
      'OpenAccount',
      { accountId: 'alice', owner: 'Alice Martin', currency: 'EUR' },
      {
        commandId: 'cmd-open-alice',
      },
    );
    expect(outcome).toMatchObject({
      outcome: 'accepted',
      commandId: 'cmd-open-alice',
      commandType: 'OpenAccount',
      streamId: 'account-alice',
      actor: 'ann',
      reason: null,
      correlationId: 'cmd-open-alice',
      causationId: 'cmd-open-alice',
      policy: null,
      replayed: false,
      attempts: 1,
      firstPosition: 1,
      lastPosition: 1,
      triggered: [],
    });
    expect(outcome.events).toHaveLength(1);
    const [event] = outcome.events;
    expect(event).toMatchObject({
      streamId: 'account-alice',
      streamVersion: 1,
      eventType: 'AccountOpened',
      data: { accountId: 'alice', owner: 'Alice Martin', currency: 'EUR' },
      metadata: {
        actor: 'ann',
        command_id: 'cmd-open-alice',
        command_type: 'OpenAccount',
        correlation_id: 'cmd-open-alice',
        causation_id: 'cmd-open-alice',
      },
    });
    expect(event!.metadata).not.toHaveProperty('reason');
    expect(store.readStream('account-alice')).toEqual(outcome.events);
    expect(commandRow(store, 'cmd-open-alice')).toMatchObject({
      command_type: 'OpenAccount',
      stream_id: 'account-alice',
      payload: '{"accountId":"alice","currency":"EUR","owner":"Alice Martin"}',
      actor: 'ann',
      reason: null,
      received_at: outcome.receivedAt,
      outcome: 'accepted',
      error_code: null,
      error_message: null,
      first_position: 1,
      last_position: 1,
    });
    expect(store.verify().ok).toBe(true);
  });

  it('generates a UUIDv7 command id when none is given and keeps given correlation, causation and reason', () => {
    const { store } = newStore(tempDir());
    account(store, 'alice', 500);
    const outcome = run(
      store,
      'AdjustBalance',
      { accountId: 'alice', amount: -150 },
      { reason: 'bank fee booked twice', correlationId: 'case-77', causationId: 'ticket-9' },
    );
    expect(outcome.commandId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(outcome.events[0]!.metadata).toEqual({
      actor: 'ann',
      command_id: outcome.commandId,
      command_type: 'AdjustBalance',
      correlation_id: 'case-77',
      causation_id: 'ticket-9',
      reason: 'bank fee booked twice',
    });
    expect(commandRow(store, outcome.commandId)).toMatchObject({ reason: 'bank fee booked twice' });
    expect(balanceOf(store, 'alice')).toBe(350);
  });

  it('uses the received_at clock it is given', () => {
    const { store } = newStore(tempDir());
    const outcome = run(
      store,
      'OpenAccount',
      { accountId: 'a', owner: 'A', currency: 'EUR' },
      {},
      { now: () => 1_700_000_000_000 },
    );
    expect(outcome.receivedAt).toBe(1_700_000_000_000);
    expect(commandRow(store, outcome.commandId)).toMatchObject({ received_at: 1_700_000_000_000 });
  });
});

describe('executeCommand: rejections by the domain', () => {
  it('records the rejection with the domain code and message, and appends nothing', () => {
    const { store } = newStore(tempDir());
    account(store, 'alice', 1200);
    const before = counts(store);
    const outcome = run(store, 'WithdrawMoney', { accountId: 'alice', amount: 5000 }, { commandId: 'w-1' });
    expect(outcome).toMatchObject({
      outcome: 'rejected',
      commandId: 'w-1',
      streamId: 'account-alice',
      events: [],
      triggered: [],
      error: {
        code: 'rejected',
        domainCode: 'insufficient_funds',
        message: 'Cannot withdraw 5000 from account alice: the balance is 1200 EUR, 3800 short.',
        details: { shortfall: 3800, domainCode: 'insufficient_funds' },
      },
    });
    expect(counts(store)).toEqual({ ...before, commands: before.commands + 1 });
    expect(commandRow(store, 'w-1')).toMatchObject({
      command_type: 'WithdrawMoney',
      stream_id: 'account-alice',
      payload: '{"accountId":"alice","amount":5000}',
      actor: 'ann',
      outcome: 'rejected',
      error_code: 'insufficient_funds',
      error_message: 'Cannot withdraw 5000 from account alice: the balance is 1200 EUR, 3800 short.',
      first_position: null,
      last_position: null,
    });
  });

  it('records a rejection on a stream that does not exist', () => {
    const { store } = newStore(tempDir());
    const outcome = run(store, 'DepositMoney', { accountId: 'ghost', amount: 1 });
    expect(outcome).toMatchObject({ outcome: 'rejected', error: { domainCode: 'account_not_found' } });
    expect(commandRow(store, outcome.commandId)).toMatchObject({ error_code: 'account_not_found' });
    expect(store.getStream('account-ghost')).toBeUndefined();
  });
});

describe('executeCommand: invalid commands', () => {
  it('refuses a payload that fails its schema, naming the fields, records the refusal and appends nothing', () => {
    const { store } = newStore(tempDir());
    account(store, 'alice', 100);
    const before = counts(store);
    const error = caught(() =>
      run(store, 'DepositMoney', { accountId: 'alice', amount: 12.5, ammount: 3 }, { commandId: 'bad-1' }),
    );
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('Invalid DepositMoney payload');
    expect(error.message).toContain('amount');
    expect(error.message).toContain('ammount');
    expect(error.details).toMatchObject({ commandId: 'bad-1', recorded: true, replayed: false });
    expect((error.details!.issues as Array<{ path: string }>).map((i) => i.path)).toEqual(
      expect.arrayContaining(['amount']),
    );
    expect(counts(store)).toEqual({ ...before, commands: before.commands + 1 });
    expect(commandRow(store, 'bad-1')).toMatchObject({
      command_type: 'DepositMoney',
      stream_id: null,
      payload: '{"accountId":"alice","ammount":3,"amount":12.5}',
      outcome: 'rejected',
      error_code: 'invalid_input',
      error_message: error.message,
    });
    // The same command id again gives the same answer and writes nothing.
    const again = caught(() =>
      run(store, 'DepositMoney', { accountId: 'alice', amount: 12.5, ammount: 3 }, { commandId: 'bad-1' }),
    );
    expect(again.code).toBe('invalid_input');
    expect(again.message).toBe(error.message);
    expect(again.details).toMatchObject({ replayed: true });
    expect(counts(store)).toEqual({ ...before, commands: before.commands + 1 });
  });

  it('refuses a corrective command without a reason (blank counts as none) and records the refusal', () => {
    const { store } = newStore(tempDir());
    account(store, 'alice', 500);
    const before = counts(store);
    for (const reason of [undefined, '', '   \n ']) {
      const error = caught(() => run(store, 'AdjustBalance', { accountId: 'alice', amount: -10 }, { reason }));
      expect(error.code).toBe('invalid_input');
      expect(error.message).toBe(
        'AdjustBalance is a corrective command: give a reason (why the consequences of history are being changed).',
      );
      expect(error.details).toMatchObject({ field: 'reason', recorded: true });
    }
    expect(counts(store).events).toBe(before.events);
    expect(counts(store).commands).toBe(before.commands + 3);
    expect(balanceOf(store, 'alice')).toBe(500);
    const ok = run(store, 'AdjustBalance', { accountId: 'alice', amount: -10 }, { reason: 'fee' });
    expect(ok.outcome).toBe('accepted');
  });

  it('refuses a malformed command envelope without recording anything', () => {
    const { store } = newStore(tempDir());
    account(store, 'alice', 100);
    const before = counts(store);
    const base: CommandInput = {
      commandType: 'DepositMoney',
      payload: { accountId: 'alice', amount: 1 },
      actor: 'ann',
    };
    const cases: Array<[Partial<CommandInput> & Record<string, unknown>, string, string]> = [
      [{ actor: '' }, 'invalid_input', 'actor is required'],
      [{ actor: undefined as unknown as string }, 'invalid_input', 'actor is required'],
      [{ actor: ' ann' }, 'invalid_input', 'actor must not start or end with white space'],
      [{ actor: 'a\u0007b' }, 'invalid_input', 'actor must not contain control characters'],
      [{ actor: 'x'.repeat(201) }, 'invalid_input', 'actor must be at most 200 characters'],
      [{ actor: 'policy:chargeCustomerOnOrderPaid' }, 'invalid_input', 'reserved for commands issued by policies'],
      [{ commandId: 'policy:x' }, 'invalid_input', 'commandId must not start with "policy:"'],
      [{ commandId: 'has space' }, 'invalid_input', 'commandId must be printable ASCII without spaces'],
      [{ commandId: '' }, 'invalid_input', 'commandId must not be empty'],
      [{ correlationId: 'é' }, 'invalid_input', 'correlationId must be printable ASCII'],
      [{ reason: 'x'.repeat(2001) }, 'invalid_input', 'reason must be at most 2000 characters'],
      [{ reason: 'a\u0000b' }, 'invalid_input', 'reason must not contain control characters'],
      [{ commandType: 'StealMoney' }, 'invalid_input', 'Unknown command type "StealMoney"'],
      [{ reson: 'typo' }, 'invalid_input', 'Unrecognized key: "reson"'],
      [{ payload: { accountId: 'alice', amount: Number.NaN } }, 'invalid_input', 'payload.amount'],
      [{ payload: undefined }, 'invalid_input', 'payload'],
      [{ payload: { accountId: 'alice', amount: 1, note: 'x'.repeat(1024 * 1024) } }, 'payload_too_large', 'payload'],
    ];
    for (const [change, code, text] of cases) {
      const error = caught(() => executeCommand(store, { ...base, ...change } as CommandInput));
      expect([error.code, error.message]).toEqual([code, expect.stringContaining(text)]);
    }
    expect(caught(() => executeCommand(store, null as unknown as CommandInput)).code).toBe('invalid_input');
    expect(counts(store)).toEqual(before);
  });
});

describe('executeCommand: read-only stores', () => {
  it('refuses to run a command on a store opened read-only, with one clear sentence, and changes nothing', () => {
    const dir = tempDir();
    const { store, file } = newStore(dir);
    account(store, 'alice', 100);
    const before = counts(store);
    store.close();
    const readOnly = EventStore.open(file, { mode: 'read-only' });
    try {
      const error = caught(() => run(readOnly, 'DepositMoney', { accountId: 'alice', amount: 1 }));
      expect(error.code).toBe('read_only');
      expect(error.message).toBe(
        `${file} is open read-only (evidence mode), so commands cannot run on it; open it read-write to run DepositMoney.`,
      );
      // An invalid payload is still reported as such (it could not be recorded on a read-only store).
      expect(caught(() => run(readOnly, 'DepositMoney', { accountId: 'alice', amount: -1 })).code).toBe(
        'invalid_input',
      );
      // A repeat of a recorded command is refused too: nothing runs on a read-only store.
      const first = readOnly.db.prepare('SELECT command_id, payload FROM commands LIMIT 1').get() as {
        command_id: string;
        payload: string;
      };
      const repeat = caught(() =>
        run(readOnly, 'OpenAccount', JSON.parse(first.payload), { commandId: first.command_id }),
      );
      expect(repeat.code).toBe('read_only');
      expect(counts(readOnly)).toEqual(before);
    } finally {
      readOnly.close();
    }
  });
});

describe('executeCommand: idempotency', () => {
  it('returns the first outcome for a repeated command id and writes nothing', () => {
    const { store } = newStore(tempDir());
    account(store, 'alice', 100);
    const first = run(store, 'DepositMoney', { accountId: 'alice', amount: 250 }, { commandId: 'dep-1' });
    const after = counts(store);
    const second = run(store, 'DepositMoney', { accountId: 'alice', amount: 250 }, { commandId: 'dep-1' });
    expect(second).toEqual({ ...first, replayed: true, attempts: 0 });
    expect(counts(store)).toEqual(after);
    expect(balanceOf(store, 'alice')).toBe(350);
    // A different actor or reason does not make it a different command: still the first answer.
    const third = run(store, 'DepositMoney', { accountId: 'alice', amount: 250 }, { commandId: 'dep-1', actor: 'bob' });
    expect(third.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
    expect(third.actor).toBe('ann');
    expect(counts(store)).toEqual(after);
  });

  it('returns the first rejection even when the state has changed since', () => {
    const { store } = newStore(tempDir());
    account(store, 'alice', 100);
    const first = run(store, 'WithdrawMoney', { accountId: 'alice', amount: 300 }, { commandId: 'w-1' });
    expect(first).toMatchObject({ outcome: 'rejected', error: { domainCode: 'insufficient_funds' } });
    run(store, 'DepositMoney', { accountId: 'alice', amount: 1000 });
    const after = counts(store);
    const again = run(store, 'WithdrawMoney', { accountId: 'alice', amount: 300 }, { commandId: 'w-1' });
    expect(again).toMatchObject({
      outcome: 'rejected',
      replayed: true,
      receivedAt: first.receivedAt,
      error: {
        code: 'rejected',
        domainCode: 'insufficient_funds',
        message: first.outcome === 'rejected' ? first.error.message : '',
      },
    });
    expect(counts(store)).toEqual(after);
  });

  it('refuses a command id reused for a different command, and writes nothing', () => {
    const { store } = newStore(tempDir());
    account(store, 'alice', 100);
    run(store, 'DepositMoney', { accountId: 'alice', amount: 1 }, { commandId: 'dup' });
    const after = counts(store);
    for (const [type, payload] of [
      ['DepositMoney', { accountId: 'alice', amount: 2 }],
      ['WithdrawMoney', { accountId: 'alice', amount: 1 }],
    ] as const) {
      const error = caught(() => run(store, type, payload, { commandId: 'dup' }));
      expect(error.code).toBe('invalid_input');
      expect(error.message).toContain('The command id dup was already used for another command (DepositMoney');
    }
    expect(counts(store)).toEqual(after);
  });

  it('is idempotent across connections to the same file', () => {
    const dir = tempDir();
    const { store, file } = newStore(dir);
    account(store, 'alice', 100);
    const other = EventStore.open(file, { mode: 'read-write' });
    try {
      const first = run(store, 'DepositMoney', { accountId: 'alice', amount: 5 }, { commandId: 'x-1' });
      const after = counts(store);
      const second = run(other, 'DepositMoney', { accountId: 'alice', amount: 5 }, { commandId: 'x-1' });
      expect(second.replayed).toBe(true);
      expect(second.events).toEqual(first.events);
      expect(counts(store)).toEqual(after);
    } finally {
      other.close();
    }
  });
});
