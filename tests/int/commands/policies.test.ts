import { describe, expect, it } from 'vitest';
import { executeCommand, flattenOutcome } from '../../../electron/core/commands/bus';
import { commandLog } from '../../../electron/core/commands/commandLog';
import type { CommandOutcome } from '../../../electron/core/commands/types';
import { type PolicyCommand, type PolicyTrigger, policiesFor } from '../../../electron/core/domain/policies';
import { EventStore } from '../../../electron/core/store/eventStore';
import { useTempDir } from '../../helpers/tempDir';
import { account, balanceOf, commandRow, counts, newStore, placeOrder, run } from './helpers';

// biome-ignore lint/correctness/useHookAtTopLevel: a vitest helper (it registers an afterEach), not a React hook
const tempDir = useTempDir('hindsight-bus-policies-');

/** The built-in policies plus one that credits the shop's account for every withdrawal from a customer's. */
function withShop(trigger: PolicyTrigger): PolicyCommand[] {
  const caused = policiesFor(trigger);
  const data = trigger.data as { accountId?: string; amount?: number; currency?: string };
  if (trigger.type === 'MoneyWithdrawn' && data.accountId !== 'shop') {
    caused.push({
      policy: 'creditShopOnMoneyWithdrawn' as PolicyCommand['policy'],
      commandType: 'DepositMoney',
      payload: { accountId: 'shop', amount: data.amount!, currency: data.currency! },
      idempotencyKey: `creditShopOnMoneyWithdrawn:${trigger.eventId}`,
    });
  }
  return caused;
}

function summary(outcome: CommandOutcome): unknown[] {
  return flattenOutcome(outcome).map((o) => [o.commandType, o.outcome, o.streamId]);
}

describe('policies (process managers)', () => {
  it('a paid order debits the customer: correlation = the original command, causation = the triggering event', () => {
    const { store } = newStore(tempDir());
    account(store, 'alice', 10_000);
    placeOrder(store, 'o-1001', 'alice', 2800);
    const paid = run(store, 'PayOrder', { orderId: 'o-1001' }, { commandId: 'pay-1', correlationId: 'checkout-1' });
    expect(paid.outcome).toBe('accepted');
    const orderPaid = paid.events[0]!;
    expect(orderPaid.metadata).toMatchObject({
      correlation_id: 'checkout-1',
      causation_id: 'pay-1',
      command_id: 'pay-1',
    });
    expect(paid.triggered).toHaveLength(1);
    const withdraw = paid.triggered[0]!;
    expect(withdraw).toMatchObject({
      outcome: 'accepted',
      commandId: `policy:chargeCustomerOnOrderPaid:${orderPaid.eventId}`,
      commandType: 'WithdrawMoney',
      streamId: 'account-alice',
      actor: 'policy:chargeCustomerOnOrderPaid',
      policy: 'chargeCustomerOnOrderPaid',
      correlationId: 'checkout-1',
      causationId: orderPaid.eventId,
      reason: null,
    });
    expect(withdraw.events[0]).toMatchObject({
      eventType: 'MoneyWithdrawn',
      data: { accountId: 'alice', amount: 2800, currency: 'EUR', balanceAfter: 7200 },
      metadata: {
        actor: 'policy:chargeCustomerOnOrderPaid',
        command_id: withdraw.commandId,
        command_type: 'WithdrawMoney',
        correlation_id: 'checkout-1',
        causation_id: orderPaid.eventId,
      },
    });
    // Each command is its own transaction and its own log row, follow-up after its cause.
    expect(commandRow(store, withdraw.commandId)).toMatchObject({
      actor: 'policy:chargeCustomerOnOrderPaid',
      outcome: 'accepted',
      payload: '{"accountId":"alice","amount":2800,"currency":"EUR"}',
    });
    const log = commandLog(store, { order: 'asc' }).rows.map((r) => r.commandId);
    expect(log.slice(-2)).toEqual(['pay-1', withdraw.commandId]);
    // The whole purchase is one correlation in the event log.
    expect(store.readAll({ correlationId: 'checkout-1' }).map((e) => e.eventType)).toEqual([
      'OrderPaid',
      'MoneyWithdrawn',
    ]);
  });

  it('a chain across three streams keeps the correlation and links each cause (order → customer → shop)', () => {
    const { store } = newStore(tempDir());
    account(store, 'alice', 10_000);
    account(store, 'shop', 0);
    placeOrder(store, 'o-1', 'alice', 2800);
    const paid = executeCommand(
      store,
      { commandType: 'PayOrder', payload: { orderId: 'o-1' }, actor: 'ann', commandId: 'pay-o-1' },
      { policies: withShop },
    );
    expect(summary(paid)).toEqual([
      ['PayOrder', 'accepted', 'order-o-1'],
      ['WithdrawMoney', 'accepted', 'account-alice'],
      ['DepositMoney', 'accepted', 'account-shop'],
    ]);
    const [order, withdraw, deposit] = flattenOutcome(paid).map((o) => o.events[0]!);
    expect(withdraw!.metadata).toMatchObject({ correlation_id: 'pay-o-1', causation_id: order!.eventId });
    expect(deposit!.metadata).toMatchObject({
      correlation_id: 'pay-o-1',
      causation_id: withdraw!.eventId,
      command_id: `policy:creditShopOnMoneyWithdrawn:${withdraw!.eventId}`,
      actor: 'policy:creditShopOnMoneyWithdrawn',
    });
    expect(paid.triggered[0]!.triggered[0]).toMatchObject({ causationId: withdraw!.eventId, correlationId: 'pay-o-1' });
    expect([balanceOf(store, 'alice'), balanceOf(store, 'shop')]).toEqual([7200, 2800]);

    // A refund goes back to the customer (built-in policy), with the refund's own correlation.
    const refund = executeCommand(
      store,
      {
        commandType: 'RefundOrder',
        payload: { orderId: 'o-1', amount: 1250 },
        actor: 'carol',
        reason: 'damaged in transit',
        commandId: 'refund-1',
      },
      { policies: withShop },
    );
    expect(summary(refund)).toEqual([
      ['RefundOrder', 'accepted', 'order-o-1'],
      ['DepositMoney', 'accepted', 'account-alice'],
    ]);
    const credited = refund.triggered[0]!;
    expect(credited).toMatchObject({
      actor: 'policy:creditCustomerOnOrderRefunded',
      correlationId: 'refund-1',
      causationId: refund.events[0]!.eventId,
      reason: null,
    });
    expect(refund.events[0]!.metadata).toMatchObject({ reason: 'damaged in transit', actor: 'carol' });
    expect(credited.events[0]!.metadata).not.toHaveProperty('reason');
    expect(balanceOf(store, 'alice')).toBe(8450);
    expect(store.readAll({ correlationId: 'pay-o-1' }).map((e) => e.streamId)).toEqual([
      'order-o-1',
      'account-alice',
      'account-shop',
    ]);
  });

  it('records a rejected follow-up with its error and reports it; the original command stays accepted', () => {
    const { store } = newStore(tempDir());
    account(store, 'bob', 1000);
    placeOrder(store, 'o-2002', 'bob', 2800);
    const paid = run(store, 'PayOrder', { orderId: 'o-2002' }, { commandId: 'pay-bob' });
    expect(paid.outcome).toBe('accepted');
    const withdraw = paid.triggered[0]!;
    const message = 'Cannot withdraw 2800 from account bob: the balance is 1000 EUR, 1800 short.';
    expect(withdraw).toMatchObject({
      outcome: 'rejected',
      commandType: 'WithdrawMoney',
      causationId: paid.events[0]!.eventId,
      correlationId: 'pay-bob',
      events: [],
      error: { code: 'rejected', domainCode: 'insufficient_funds', message },
    });
    expect(commandRow(store, withdraw.commandId)).toMatchObject({
      actor: 'policy:chargeCustomerOnOrderPaid',
      stream_id: 'account-bob',
      outcome: 'rejected',
      error_code: 'insufficient_funds',
      error_message: message,
    });
    expect(commandLog(store, { outcome: 'rejected' }).rows.map((r) => r.commandId)).toEqual([withdraw.commandId]);
    expect(balanceOf(store, 'bob')).toBe(1000);

    // Running the original command id again answers the same and writes nothing.
    const before = counts(store);
    const again = run(store, 'PayOrder', { orderId: 'o-2002' }, { commandId: 'pay-bob' });
    expect(again.replayed).toBe(true);
    expect(again.triggered[0]).toMatchObject({
      outcome: 'rejected',
      replayed: true,
      error: { domainCode: 'insufficient_funds', message },
    });
    expect(counts(store)).toEqual(before);
  });

  it('a follow-up to a currency that does not match is refused (currency_mismatch), not silently converted', () => {
    const { store } = newStore(tempDir());
    account(store, 'dan', 10_000, 'USD');
    placeOrder(store, 'o-3', 'dan', 100); // an EUR order
    const paid = run(store, 'PayOrder', { orderId: 'o-3' });
    expect(paid.triggered[0]).toMatchObject({ outcome: 'rejected', error: { domainCode: 'currency_mismatch' } });
  });

  it('re-running a command id runs the follow-ups a crash prevented, exactly once', () => {
    const { store } = newStore(tempDir());
    account(store, 'alice', 10_000);
    placeOrder(store, 'o-9', 'alice', 500);
    // "Crash" after the command's transaction: its follow-ups never ran.
    const first = executeCommand(
      store,
      { commandType: 'PayOrder', payload: { orderId: 'o-9' }, actor: 'ann', commandId: 'pay-9' },
      { runPolicies: false },
    );
    expect(first.triggered).toEqual([]);
    expect(balanceOf(store, 'alice')).toBe(10_000);
    const recovered = run(store, 'PayOrder', { orderId: 'o-9' }, { commandId: 'pay-9' });
    expect(recovered).toMatchObject({ replayed: true, outcome: 'accepted' });
    expect(recovered.triggered[0]).toMatchObject({ outcome: 'accepted', replayed: false, correlationId: 'pay-9' });
    expect(balanceOf(store, 'alice')).toBe(9500);
    const after = counts(store);
    const third = run(store, 'PayOrder', { orderId: 'o-9' }, { commandId: 'pay-9' });
    expect(third.triggered[0]).toMatchObject({ outcome: 'accepted', replayed: true });
    expect(third.triggered[0]!.events).toEqual(recovered.triggered[0]!.events);
    expect(counts(store)).toEqual(after);
  });

  it('a follow-up that cannot run for a passing reason is reported as failed, not recorded, and retried by a re-run', () => {
    const { store, file } = newStore(tempDir());
    const other = EventStore.open(file, { mode: 'read-write' });
    try {
      account(store, 'alice', 10_000);
      placeOrder(store, 'o-5', 'alice', 300);
      const paid = executeCommand(
        store,
        { commandType: 'PayOrder', payload: { orderId: 'o-5' }, actor: 'ann', commandId: 'pay-5' },
        {
          maxRetries: 1,
          hooks: {
            afterLoad(info) {
              if (info.commandId.startsWith('policy:')) run(other, 'DepositMoney', { accountId: 'alice', amount: 1 });
            },
          },
        },
      );
      expect(paid.outcome).toBe('accepted');
      const failed = paid.triggered[0]!;
      expect(failed).toMatchObject({
        outcome: 'failed',
        commandType: 'WithdrawMoney',
        actor: 'policy:chargeCustomerOnOrderPaid',
        causationId: paid.events[0]!.eventId,
        error: { code: 'concurrency' },
      });
      expect(commandRow(store, failed.commandId)).toBeUndefined();
      expect(balanceOf(store, 'alice')).toBe(10_002);
      const retried = run(store, 'PayOrder', { orderId: 'o-5' }, { commandId: 'pay-5' });
      expect(retried.triggered[0]).toMatchObject({ commandId: failed.commandId, outcome: 'accepted', replayed: false });
      expect(balanceOf(store, 'alice')).toBe(9702);
    } finally {
      other.close();
    }
  });

  it('bounds chains: a policy loop stops at maxPolicyDepth and the command not run is recorded as rejected', () => {
    const { store } = newStore(tempDir());
    account(store, 'alice', 0);
    // Every deposit causes another deposit of 1: a loop.
    const loop = (trigger: PolicyTrigger): PolicyCommand[] =>
      trigger.type === 'MoneyDeposited'
        ? [
            {
              policy: 'loop' as PolicyCommand['policy'],
              commandType: 'DepositMoney',
              payload: { accountId: 'alice', amount: 1 },
              idempotencyKey: `loop:${trigger.eventId}`,
            },
          ]
        : [];
    const outcome = executeCommand(
      store,
      { commandType: 'DepositMoney', payload: { accountId: 'alice', amount: 100 }, actor: 'ann', commandId: 'dep' },
      { policies: loop, maxPolicyDepth: 3 },
    );
    const chain = flattenOutcome(outcome);
    expect(chain.map((o) => o.outcome)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'rejected']);
    const stopped = chain[4]!;
    expect(stopped).toMatchObject({
      outcome: 'rejected',
      causationId: chain[3]!.events[0]!.eventId,
      error: {
        code: 'internal',
        message:
          'DepositMoney issued by policy loop was not run: the chain of policies is deeper than 3 commands (a policy loop?).',
      },
    });
    expect(commandRow(store, stopped.commandId)).toMatchObject({ outcome: 'rejected', error_code: 'internal' });
    expect(balanceOf(store, 'alice')).toBe(103);
    // Replaying gives the same tree and writes nothing.
    const before = counts(store);
    const again = executeCommand(
      store,
      { commandType: 'DepositMoney', payload: { accountId: 'alice', amount: 100 }, actor: 'ann', commandId: 'dep' },
      { policies: loop, maxPolicyDepth: 3 },
    );
    expect(flattenOutcome(again).map((o) => [o.commandId, o.outcome, o.replayed])).toEqual(
      chain.map((o) => [o.commandId, o.outcome, true]),
    );
    expect(counts(store)).toEqual(before);
  });

  it('bounds chains: at most maxChainCommands commands per top-level command', () => {
    const { store } = newStore(tempDir());
    account(store, 'alice', 0);
    const fanOut = (trigger: PolicyTrigger): PolicyCommand[] =>
      trigger.type === 'MoneyDeposited'
        ? [1, 2].map((n) => ({
            policy: 'fanOut' as PolicyCommand['policy'],
            commandType: 'DepositMoney' as const,
            payload: { accountId: 'alice', amount: n },
            idempotencyKey: `fanOut${n}:${trigger.eventId}`,
          }))
        : [];
    const outcome = executeCommand(
      store,
      { commandType: 'DepositMoney', payload: { accountId: 'alice', amount: 100 }, actor: 'ann' },
      { policies: fanOut, maxChainCommands: 10, maxPolicyDepth: 100 },
    );
    const chain = flattenOutcome(outcome);
    expect(chain.filter((o) => o.outcome === 'accepted')).toHaveLength(10);
    expect(chain.filter((o) => o.outcome === 'rejected')).toHaveLength(11);
    expect(chain.find((o) => o.outcome === 'rejected')).toMatchObject({
      error: { code: 'internal', message: expect.stringContaining('more than 10 commands') },
    });
  });
});
