import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeCommand } from '../../../electron/core/commands/bus';
import type { CommandInput, ExecuteOptions } from '../../../electron/core/commands/types';
import { type PolicyCommand, type PolicyTrigger, policiesFor } from '../../../electron/core/domain/policies';
import { correlationChain } from '../../../electron/core/investigate/chain';
import { formatChainText } from '../../../electron/core/investigate/chainText';
import type { ChainCommandNode, ChainEventNode, ChainNode } from '../../../electron/core/investigate/types';
import { EventStore } from '../../../electron/core/store/eventStore';
import { useTempDir } from '../../helpers/tempDir';

// biome-ignore lint/correctness/useHookAtTopLevel: a vitest helper (it registers an afterEach), not a React hook
const tempDir = useTempDir('hindsight-chain-');

/**
 * The built-in policies, plus two of the test's own: every customer withdrawal credits the shop's account, and
 * every credit of the shop triggers a payout ten times too large (refused: insufficient funds).
 */
function shopPolicies(trigger: PolicyTrigger): PolicyCommand[] {
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
  if (trigger.type === 'MoneyDeposited' && data.accountId === 'shop') {
    caused.push({
      policy: 'payoutShop' as PolicyCommand['policy'],
      commandType: 'WithdrawMoney',
      payload: { accountId: 'shop', amount: data.amount! * 10 },
      idempotencyKey: `payoutShop:${trigger.eventId}`,
    });
  }
  return caused;
}

function world() {
  const file = path.join(tempDir(), 'chain.hindsight');
  const store = EventStore.create(file);
  const opts: ExecuteOptions = { policies: shopPolicies };
  const run = (input: Omit<CommandInput, 'actor'> & { actor?: string }) =>
    executeCommand(store, { actor: 'web-shop', ...input }, opts);
  run({ commandType: 'OpenAccount', payload: { accountId: 'alice', owner: 'Alice', currency: 'EUR' } });
  run({ commandType: 'DepositMoney', payload: { accountId: 'alice', amount: 10_000 } });
  run({ commandType: 'OpenAccount', payload: { accountId: 'bob', owner: 'Bob', currency: 'EUR' } });
  run({ commandType: 'DepositMoney', payload: { accountId: 'bob', amount: 1_000 } });
  run({ commandType: 'OpenAccount', payload: { accountId: 'shop', owner: 'The Shop', currency: 'EUR' } });
  const lines = [{ sku: 'BOOK-42', quantity: 1, unitPrice: 2_800 }];
  const placed = run({
    commandType: 'PlaceOrder',
    commandId: 'checkout-1',
    payload: { orderId: 'o-1', customerAccountId: 'alice', currency: 'EUR', lines },
  });
  const paid = run({
    commandType: 'PayOrder',
    commandId: 'pay-1',
    actor: 'payments-worker@2.3.0',
    correlationId: 'checkout-1',
    causationId: placed.events[0]!.eventId,
    payload: { orderId: 'o-1' },
  });
  // Unrelated traffic in between: other correlations must not leak into the chain.
  run({ commandType: 'DepositMoney', payload: { accountId: 'bob', amount: 5 } });
  const placed2 = run({
    commandType: 'PlaceOrder',
    commandId: 'checkout-2',
    payload: { orderId: 'o-2', customerAccountId: 'bob', currency: 'EUR', lines },
  });
  const paid2 = run({
    commandType: 'PayOrder',
    commandId: 'pay-2',
    actor: 'payments-worker@2.3.0',
    correlationId: 'checkout-2',
    causationId: placed2.events[0]!.eventId,
    payload: { orderId: 'o-2' },
  });
  const shipped = run({
    commandType: 'ShipOrder',
    commandId: 'ship-1',
    actor: 'warehouse-service',
    correlationId: 'checkout-1',
    causationId: paid.events[0]!.eventId,
    payload: { orderId: 'o-1' },
  });
  return { store, file, placed, paid, paid2, shipped };
}

/** The tree as `kind type stream outcome` lines, indented by depth. */
function outline(nodes: ChainNode[], depth = 0): string[] {
  return nodes.flatMap((node) => [
    `${'  '.repeat(depth)}${
      node.kind === 'command'
        ? `${node.commandType} ${node.outcome}${node.errorCode ? ` ${node.errorCode}` : ''}`
        : `${node.type} ${node.streamId} v${node.version}`
    }`,
    ...outline(node.children, depth + 1),
  ]);
}

describe('correlationChain', () => {
  it('nests commands and events by causation across three streams, a rejected follow-up included, in log order', () => {
    const { store, paid } = world();
    const withdrawn = paid.triggered[0]!.events[0]!;
    const chain = correlationChain(store, { eventId: withdrawn.eventId });
    expect(chain).toMatchObject({
      correlationId: 'checkout-1',
      focusEventId: withdrawn.eventId,
      commands: 6,
      rejected: 1,
      events: 5,
      streams: ['order-o-1', 'account-alice', 'account-shop'],
      truncated: false,
    });
    expect(outline(chain.roots)).toEqual([
      'PlaceOrder accepted',
      '  OrderPlaced order-o-1 v1',
      '    PayOrder accepted',
      '      OrderPaid order-o-1 v2',
      '        WithdrawMoney accepted',
      '          MoneyWithdrawn account-alice v3',
      '            DepositMoney accepted',
      '              MoneyDeposited account-shop v2',
      '                WithdrawMoney rejected insufficient_funds',
      '        ShipOrder accepted',
      '          OrderShipped order-o-1 v3',
    ]);
    const orderPaid = (chain.roots[0]!.children[0]!.children[0]!.children[0] as ChainEventNode)!;
    const charge = orderPaid.children[0] as ChainCommandNode;
    expect(charge).toMatchObject({
      commandId: `policy:chargeCustomerOnOrderPaid:${orderPaid.eventId}`,
      actor: 'policy:chargeCustomerOnOrderPaid',
      policy: 'chargeCustomerOnOrderPaid',
      causationId: orderPaid.eventId,
      payload: { accountId: 'alice', amount: 2800, currency: 'EUR' },
    });
    const moneyWithdrawn = charge.children[0] as ChainEventNode;
    expect(moneyWithdrawn).toMatchObject({
      eventId: withdrawn.eventId,
      actor: 'policy:chargeCustomerOnOrderPaid',
      change: 'balance: 10000 → 7200',
    });
    const payout = (moneyWithdrawn.children[0]!.children[0]!.children[0] as ChainCommandNode)!;
    expect(payout).toMatchObject({
      outcome: 'rejected',
      policy: 'payoutShop',
      errorCode: 'insufficient_funds',
      errorMessage: expect.stringMatching(/Cannot withdraw 28000 from account shop/),
    });
    expect(orderPaid.change).toBe('status: "placed" → "paid", paidAmount: 0 → 2800');
    // Every node is later in the log than its parent, and siblings are in log order.
    const check = (nodes: ChainNode[], parentPosition: number) => {
      let previous = Number.NEGATIVE_INFINITY;
      for (const node of nodes) {
        expect(node.position).toBeGreaterThanOrEqual(parentPosition);
        expect(node.position).toBeGreaterThanOrEqual(previous);
        previous = node.position;
        check(node.children, node.position);
      }
    };
    check(chain.roots, 0);
    // The same chain by correlation id, and from any of its events.
    const byCorrelation = correlationChain(store, { correlationId: 'checkout-1' });
    expect(outline(byCorrelation.roots)).toEqual(outline(chain.roots));
    expect(byCorrelation.focusEventId).toBeNull();
    store.close();
  });

  it('shows a rejected charge of a built-in policy (the order is paid, no money moved)', () => {
    const { store, paid2 } = world();
    const chain = correlationChain(store, { eventId: paid2.events[0]!.eventId });
    expect(outline(chain.roots)).toEqual([
      'PlaceOrder accepted',
      '  OrderPlaced order-o-2 v1',
      '    PayOrder accepted',
      '      OrderPaid order-o-2 v2',
      '        WithdrawMoney rejected insufficient_funds',
    ]);
    const text = formatChainText(chain);
    expect(text).toContain('Correlation checkout-2: 3 commands (1 rejected), 2 events across 1 stream (order-o-2).');
    expect(text).toMatch(
      /\n {8}WithdrawMoney by policy:chargeCustomerOnOrderPaid — REJECTED insufficient_funds: Cannot withdraw 2800 from account bob/,
    );
    expect(text).toMatch(/#\d+ OrderPaid {2}order-o-2 v2 {2}by payments-worker@2\.3\.0 .* ◀\n/);
    store.close();
  });

  it('works on a store opened read-only, and says when there is nothing to show', () => {
    const { store, file, shipped } = world();
    store.close();
    const readOnly = EventStore.open(file, { mode: 'read-only' });
    const chain = correlationChain(readOnly, { eventId: shipped.events[0]!.eventId.toUpperCase() });
    expect(chain.events).toBe(5);
    expect(() => correlationChain(readOnly, { eventId: '019c6b87-1476-7c14-9988-ec8c1ba437c1' })).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    expect(() => correlationChain(readOnly, { correlationId: 'nope' })).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    expect(() => correlationChain(readOnly, {} as { eventId: string })).toThrow(/either/);
    expect(() => correlationChain(readOnly, { correlationId: 'x'.repeat(257) })).toThrow(
      expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(/at most 256 characters/) }),
    );
    const noChanges = correlationChain(readOnly, { correlationId: 'checkout-1' }, { stateChanges: false });
    expect((noChanges.roots[0]!.children[0] as ChainEventNode).change).toBe('');
    const truncated = correlationChain(readOnly, { correlationId: 'checkout-1' }, { maxEvents: 2 });
    expect(truncated).toMatchObject({ truncated: true, events: 2 });
    readOnly.close();
  });

  it('an event without correlation metadata is a chain of its own', () => {
    const store = EventStore.create(path.join(tempDir(), 'plain.hindsight'));
    const [event] = store.append('sensor-1', [{ type: 'Measured', data: { value: 3 } }]).events;
    const chain = correlationChain(store, { eventId: event!.eventId });
    expect(chain).toMatchObject({ correlationId: event!.eventId, events: 1, commands: 0 });
    expect(outline(chain.roots)).toEqual(['Measured sensor-1 v1']);
    store.close();
  });
});
