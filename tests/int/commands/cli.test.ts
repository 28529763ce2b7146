import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES } from '../../../electron/core/domain/registry';
import { EventStore } from '../../../electron/core/store/eventStore';
import { runCliProcess } from '../../helpers/storeProcess';
import { useTempDir } from '../../helpers/tempDir';
import { account, counts, placeOrder } from './helpers';

// biome-ignore lint/correctness/useHookAtTopLevel: a vitest helper (it registers an afterEach), not a React hook
const tempDir = useTempDir('hindsight-bus-cli-');

/** A store file with alice (1000 EUR) and a placed order o-1 of 2800, closed so that the CLI can open it. */
function shop(): string {
  const file = join(tempDir(), 'shop.hindsight');
  const store = EventStore.create(file, { createdBy: 'test' });
  account(store, 'alice', 1000);
  placeOrder(store, 'o-1', 'alice', 2800);
  store.close();
  return file;
}

function countsOf(file: string): ReturnType<typeof counts> {
  const store = EventStore.open(file, { mode: 'read-write' });
  try {
    return counts(store);
  } finally {
    store.close();
  }
}

describe('hindsight command', () => {
  it('exit 0 when accepted, printing the events written and the follow-ups; a repeated id writes nothing', async () => {
    const file = shop();
    const args = [
      'command',
      file,
      'PayOrder',
      '--data',
      '{"orderId":"o-1"}',
      '--actor',
      'ann',
      '--command-id',
      'pay-1',
    ];
    const first = await runCliProcess(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Accepted PayOrder on order-o-1: 1 event');
    expect(first.stdout).toContain('command pay-1, correlation pay-1');
    expect(first.stdout).toMatch(/#4 order-o-1 v2 OrderPaid \{"amount":2800,/);
    expect(first.stdout).toContain(
      '↳ WithdrawMoney by policy:chargeCustomerOnOrderPaid: rejected — insufficient_funds: Cannot withdraw 2800 from account alice: the balance is 1000 EUR, 1800 short.',
    );
    const after = countsOf(file);

    const again = await runCliProcess([...args, '--json']);
    expect(again.code, again.stderr).toBe(0);
    const outcome = JSON.parse(again.stdout);
    expect(outcome).toMatchObject({
      outcome: 'accepted',
      commandId: 'pay-1',
      replayed: true,
      events: [{ globalPosition: 4, streamId: 'order-o-1', type: 'OrderPaid', metadata: { command_id: 'pay-1' } }],
      triggered: [{ outcome: 'rejected', error: { code: 'rejected', domainCode: 'insufficient_funds' } }],
    });
    expect(outcome.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(countsOf(file)).toEqual(after);
  });

  it('exit 1 when the domain rejects, with the code and the message', async () => {
    const file = shop();
    const result = await runCliProcess([
      'command',
      file,
      'WithdrawMoney',
      '--data',
      '{"accountId":"alice","amount":5000}',
      '--actor',
      'ann',
      '--json',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: WithdrawMoney was rejected: insufficient_funds: Cannot withdraw 5000 from account alice: the balance is 1000 EUR, 4000 short.\n',
    );
    expect(JSON.parse(result.stdout)).toMatchObject({
      outcome: 'rejected',
      error: { code: 'rejected', domainCode: 'insufficient_funds' },
    });
  });

  it('exit 2 for invalid input: bad payload, corrective without reason, missing actor, bad JSON, unknown type', async () => {
    const file = shop();
    const before = countsOf(file);
    const cases: Array<[string[], string]> = [
      [
        ['DepositMoney', '--data', '{"accountId":"alice","amount":1.5}', '--actor', 'ann'],
        'Invalid DepositMoney payload: amount',
      ],
      [
        ['RefundOrder', '--data', '{"orderId":"o-1"}', '--actor', 'ann'],
        'RefundOrder is a corrective command: give a reason',
      ],
      [['DepositMoney', '--data', '{"accountId":"alice","amount":1}'], 'The option --actor is required'],
      [['DepositMoney', '--data', '{"accountId":', '--actor', 'ann'], '--data'],
      [['Teleport', '--data', '{}', '--actor', 'ann'], 'Unknown command type "Teleport"'],
    ];
    const results = await Promise.all(cases.map(([args]) => runCliProcess(['command', file, ...args])));
    results.forEach((result, i) => {
      expect([result.code, result.stderr]).toEqual([2, expect.stringContaining(cases[i]![1])]);
    });
    // The two refusals of well-formed commands are recorded; nothing was appended.
    expect(countsOf(file)).toEqual({ ...before, commands: before.commands + 2 });
  });
});

describe('hindsight commands and hindsight catalog', () => {
  it('lists the command log, as text and as JSON, with filters', async () => {
    const file = shop();
    await runCliProcess(['command', file, 'PayOrder', '--data', '{"orderId":"o-1"}', '--actor', 'bob']);
    const [text, json, rejected] = await Promise.all([
      runCliProcess(['commands', file]),
      runCliProcess(['commands', file, '--json']),
      runCliProcess(['commands', file, '--outcome', 'rejected', '--json']),
    ]);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^\s*1 {2}\d{4}-.*Z {2}accepted {2}OpenAccount {2}account-alice {2}by ann {2}\S+ {2}#1$/);
    expect(lines[4]).toContain('rejected  WithdrawMoney  account-alice  by policy:chargeCustomerOnOrderPaid');
    expect(lines[4]).toContain('insufficient_funds: Cannot withdraw 2800');
    const rows = JSON.parse(json.stdout);
    expect(rows.map((r: { commandType: string }) => r.commandType)).toEqual([
      'OpenAccount',
      'DepositMoney',
      'PlaceOrder',
      'PayOrder',
      'WithdrawMoney',
    ]);
    expect(rows[3]).toMatchObject({ seq: 4, actor: 'bob', outcome: 'accepted', payload: { orderId: 'o-1' } });
    expect(JSON.parse(rejected.stdout)).toEqual([rows[4]]);
  });

  it('lists every command with its JSON Schema', async () => {
    const [text, json, one] = await Promise.all([
      runCliProcess(['catalog']),
      runCliProcess(['catalog', '--json']),
      runCliProcess(['catalog', 'AdjustBalance']),
    ]);
    expect(text.code, text.stderr).toBe(0);
    for (const type of COMMAND_TYPES)
      expect(text.stdout).toContain(`\n${type}  (`.slice(type === 'OpenAccount' ? 1 : 0));
    expect(text.stdout).toContain('RefundOrder  (orders, stream order-…, corrective: --reason required)');
    const entries = JSON.parse(json.stdout);
    expect(entries.map((e: { type: string }) => e.type)).toEqual(COMMAND_TYPES);
    expect(entries[0].jsonSchema).toMatchObject({ title: 'OpenAccount', type: 'object', required: expect.any(Array) });
    expect(one.stdout).toContain('"title": "AdjustBalance"');
  });
});
