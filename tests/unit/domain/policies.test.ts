import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../../electron/core/domain/accounts/decider';
import type { OrderState } from '../../../electron/core/domain/orders/decider';
import { POLICIES, policiesFor } from '../../../electron/core/domain/policies';
import { COMMANDS, type DomainEvent, EVENT_TYPES, parseCommand } from '../../../electron/core/domain/registry';
import { HindsightError } from '../../../electron/core/errors';
import { World } from './world';

const trigger = (event: DomainEvent, eventId = 'evt-42') => ({
  type: event.type,
  data: event.data,
  streamId: 'order-o-1',
  eventId,
  metadata: { correlation_id: 'c-1' },
});

const orderPaid: DomainEvent = {
  type: 'OrderPaid',
  data: { orderId: 'o-1', customerAccountId: 'alice', amount: 2_800, currency: 'EUR' },
};
const orderRefunded: DomainEvent = {
  type: 'OrderRefunded',
  data: {
    orderId: 'o-1',
    customerAccountId: 'alice',
    amount: 800,
    currency: 'EUR',
    refundedTotal: 800,
    remainingRefundable: 2_000,
  },
};

/** One valid event of every type. */
const SAMPLES: Record<DomainEvent['type'], DomainEvent> = {
  AccountOpened: { type: 'AccountOpened', data: { accountId: 'a', owner: 'A', currency: 'EUR' } },
  MoneyDeposited: { type: 'MoneyDeposited', data: { accountId: 'a', amount: 1, currency: 'EUR', balanceAfter: 1 } },
  MoneyWithdrawn: { type: 'MoneyWithdrawn', data: { accountId: 'a', amount: 1, currency: 'EUR', balanceAfter: 0 } },
  AccountFrozen: { type: 'AccountFrozen', data: { accountId: 'a', balance: 0 } },
  AccountUnfrozen: { type: 'AccountUnfrozen', data: { accountId: 'a', balance: 0 } },
  AccountClosed: { type: 'AccountClosed', data: { accountId: 'a' } },
  BalanceAdjusted: {
    type: 'BalanceAdjusted',
    data: { accountId: 'a', amount: -1, currency: 'EUR', balanceBefore: 1, balanceAfter: 0 },
  },
  OrderPlaced: {
    type: 'OrderPlaced',
    data: {
      orderId: 'o-1',
      customerAccountId: 'a',
      currency: 'EUR',
      lines: [{ sku: 's', quantity: 1, unitPrice: 5 }],
      total: 5,
    },
  },
  OrderPaid: orderPaid,
  OrderShipped: { type: 'OrderShipped', data: { orderId: 'o-1' } },
  OrderCancelled: { type: 'OrderCancelled', data: { orderId: 'o-1' } },
  OrderRefunded: orderRefunded,
};

describe('policiesFor', () => {
  it("OrderPaid → WithdrawMoney of the amount, in the order's currency, on the customer's account", () => {
    expect(policiesFor(trigger(orderPaid))).toEqual([
      {
        policy: 'chargeCustomerOnOrderPaid',
        commandType: 'WithdrawMoney',
        payload: { accountId: 'alice', amount: 2_800, currency: 'EUR' },
        idempotencyKey: 'chargeCustomerOnOrderPaid:evt-42',
      },
    ]);
  });

  it("OrderRefunded → DepositMoney of the refunded amount on the customer's account", () => {
    expect(policiesFor(trigger(orderRefunded, 'evt-7'))).toEqual([
      {
        policy: 'creditCustomerOnOrderRefunded',
        commandType: 'DepositMoney',
        payload: { accountId: 'alice', amount: 800, currency: 'EUR' },
        idempotencyKey: 'creditCustomerOnOrderRefunded:evt-7',
      },
    ]);
  });

  it('every other event type causes nothing', () => {
    const causing = EVENT_TYPES.filter((type) => policiesFor(trigger(SAMPLES[type])).length > 0);
    expect(causing).toEqual(['OrderPaid', 'OrderRefunded']);
    expect(POLICIES.map((policy) => policy.trigger)).toEqual(causing);
  });

  it('unknown (foreign) event types cause nothing', () => {
    expect(policiesFor({ type: 'InvoiceIssued', data: { anything: 1 }, streamId: 'invoice-1', eventId: 'e' })).toEqual(
      [],
    );
  });

  it('refuses a known event type with off-schema data (invalid_input) instead of guessing', () => {
    try {
      policiesFor({ type: 'OrderPaid', data: { orderId: 'o-1', amount: 5 }, streamId: 'order-o-1', eventId: 'e' });
      expect.fail('accepted malformed data');
    } catch (error) {
      expect(error).toBeInstanceOf(HindsightError);
      expect((error as HindsightError).code).toBe('invalid_input');
    }
  });

  it('emits payloads that pass the command schemas and target the right stream', () => {
    for (const event of [orderPaid, orderRefunded]) {
      for (const caused of policiesFor(trigger(event))) {
        const command = parseCommand(caused.commandType, caused.payload);
        expect(COMMANDS[command.type].streamId(caused.payload as never)).toBe('account-alice');
      }
    }
  });

  it('catalogs each policy with its trigger, command and a description', () => {
    expect(POLICIES.map(({ name, trigger: t, commandType }) => [name, t, commandType])).toEqual([
      ['chargeCustomerOnOrderPaid', 'OrderPaid', 'WithdrawMoney'],
      ['creditCustomerOnOrderRefunded', 'OrderRefunded', 'DepositMoney'],
    ]);
  });
});

describe('policies in a small world (domain + policies through an in-memory bus)', () => {
  const order = (orderId: string, currency = 'EUR', customerAccountId = 'alice') => ({
    orderId,
    customerAccountId,
    currency,
    lines: [{ sku: 'BOOK-42', quantity: 2, unitPrice: 1_400 }],
  });

  function worldWithAlice(balance: number, currency = 'EUR'): World {
    const world = new World();
    world.run('OpenAccount', { accountId: 'alice', owner: 'Alice', currency });
    if (balance > 0) world.run('DepositMoney', { accountId: 'alice', amount: balance });
    return world;
  }

  it('paying an order debits the customer, with correlation and causation', () => {
    const world = worldWithAlice(5_000);
    world.run('PlaceOrder', order('o-1'));
    const records = world.run('PayOrder', { orderId: 'o-1' });
    expect(records.map((r) => [r.commandType, r.outcome, r.code])).toEqual([
      ['PayOrder', 'accepted', null],
      ['WithdrawMoney', 'accepted', null],
    ]);
    const [pay, withdraw] = records as [(typeof records)[0], (typeof records)[0]];
    expect(withdraw.correlationId).toBe(pay.correlationId);
    expect(withdraw.causationId).toBe(pay.events[0]?.eventId);
    expect(withdraw.policy).toBe('chargeCustomerOnOrderPaid');
    expect(withdraw.events[0]?.data).toEqual({
      accountId: 'alice',
      amount: 2_800,
      currency: 'EUR',
      balanceAfter: 2_200,
    });
    expect((world.state('account-alice') as AccountState).balance).toBe(2_200);
  });

  it('an order paid from an account without enough money: the withdrawal is rejected and recorded', () => {
    const world = worldWithAlice(1_000);
    world.run('PlaceOrder', order('o-1'));
    const records = world.run('PayOrder', { orderId: 'o-1' });
    expect(records.map((r) => [r.commandType, r.outcome, r.code])).toEqual([
      ['PayOrder', 'accepted', null],
      ['WithdrawMoney', 'rejected', 'insufficient_funds'],
    ]);
    expect((world.state('order-o-1') as OrderState).status).toBe('paid');
    expect((world.state('account-alice') as AccountState).balance).toBe(1_000);
    expect(world.commands.filter((c) => c.outcome === 'rejected')).toHaveLength(1);
  });

  it("an order in another currency than the customer's account: currency_mismatch", () => {
    const world = worldWithAlice(10_000, 'USD');
    world.run('PlaceOrder', order('o-1', 'EUR'));
    expect(world.run('PayOrder', { orderId: 'o-1' }).map((r) => r.code)).toEqual([null, 'currency_mismatch']);
    expect((world.state('account-alice') as AccountState).balance).toBe(10_000);
  });

  it('an order for a customer without an account: account_not_found', () => {
    const world = new World();
    world.run('PlaceOrder', order('o-1', 'EUR', 'ghost'));
    expect(world.run('PayOrder', { orderId: 'o-1' }).map((r) => r.code)).toEqual([null, 'account_not_found']);
  });

  it('refunds credit the customer, also while the account is frozen, but not once it is closed', () => {
    const world = worldWithAlice(2_800);
    world.run('PlaceOrder', order('o-1'));
    world.run('PayOrder', { orderId: 'o-1' });
    expect((world.state('account-alice') as AccountState).balance).toBe(0);

    world.run('FreezeAccount', { accountId: 'alice' });
    expect(world.run('RefundOrder', { orderId: 'o-1', amount: 800 }).map((r) => [r.commandType, r.code])).toEqual([
      ['RefundOrder', null],
      ['DepositMoney', null],
    ]);
    expect((world.state('account-alice') as AccountState).balance).toBe(800);

    world.run('UnfreezeAccount', { accountId: 'alice' });
    world.run('WithdrawMoney', { accountId: 'alice', amount: 800 });
    world.run('CloseAccount', { accountId: 'alice' });
    expect(world.run('RefundOrder', { orderId: 'o-1' }).map((r) => [r.commandType, r.code])).toEqual([
      ['RefundOrder', null],
      ['DepositMoney', 'account_closed'],
    ]);
    expect(world.state('order-o-1')).toMatchObject({ status: 'refunded', refundedAmount: 2_800 });
  });
});
