import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../../electron/core/domain/accounts/decider';
import type { OrderState } from '../../../electron/core/domain/orders/decider';
import {
  COMMAND_TYPES,
  COMMANDS,
  DOMAIN_NAMES,
  DOMAINS,
  type DomainEvent,
  decideCommand,
  domainOfStream,
  EVENT_TYPES,
  EVENTS,
  foldEvents,
  getCommandDefinition,
  isCommandType,
  isEventType,
  parseCommand,
  parseEvent,
  streamIdOf,
} from '../../../electron/core/domain/registry';
import { HindsightError } from '../../../electron/core/errors';

function thrown(fn: () => unknown): HindsightError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HindsightError);
    return error as HindsightError;
  }
  return expect.fail('expected a HindsightError');
}

describe('domain registry', () => {
  it('catalogs exactly the twelve commands and twelve events of the two domains', () => {
    expect(DOMAIN_NAMES).toEqual(['accounts', 'orders']);
    expect(DOMAINS.accounts.commandTypes).toEqual([
      'OpenAccount',
      'DepositMoney',
      'WithdrawMoney',
      'FreezeAccount',
      'UnfreezeAccount',
      'CloseAccount',
      'AdjustBalance',
    ]);
    expect(DOMAINS.orders.commandTypes).toEqual(['PlaceOrder', 'PayOrder', 'ShipOrder', 'CancelOrder', 'RefundOrder']);
    expect(DOMAINS.accounts.eventTypes).toEqual([
      'AccountOpened',
      'MoneyDeposited',
      'MoneyWithdrawn',
      'AccountFrozen',
      'AccountUnfrozen',
      'AccountClosed',
      'BalanceAdjusted',
    ]);
    expect(DOMAINS.orders.eventTypes).toEqual([
      'OrderPlaced',
      'OrderPaid',
      'OrderShipped',
      'OrderCancelled',
      'OrderRefunded',
    ]);
    expect(COMMAND_TYPES).toHaveLength(12);
    expect(EVENT_TYPES).toHaveLength(12);
  });

  it('keys match each definition and every definition has a one-line description', () => {
    for (const type of COMMAND_TYPES) {
      expect(COMMANDS[type].type).toBe(type);
      expect(COMMANDS[type].description).toMatch(/^[A-Z][^\n]{10,140}\.$/);
    }
    for (const type of EVENT_TYPES) {
      expect(EVENTS[type].type).toBe(type);
      expect(EVENTS[type].schemaVersion).toBe(1);
      expect(EVENTS[type].description).not.toBe(type);
      expect(EVENTS[type].description).not.toContain('\n');
    }
  });

  it('marks exactly AdjustBalance and RefundOrder as corrective (reason required)', () => {
    expect(COMMAND_TYPES.filter((type) => COMMANDS[type].corrective)).toEqual(['AdjustBalance', 'RefundOrder']);
  });

  it('derives stream ids from payloads', () => {
    expect(COMMANDS.DepositMoney.streamId({ accountId: 'alice', amount: 1 })).toBe('account-alice');
    expect(COMMANDS.RefundOrder.streamId({ orderId: 'o-1001' })).toBe('order-o-1001');
    expect(streamIdOf(parseCommand('PlaceOrder', COMMANDS.PlaceOrder.example))).toBe('order-o-1001');
    expect(streamIdOf(parseCommand('OpenAccount', COMMANDS.OpenAccount.example))).toBe('account-alice');
    for (const type of COMMAND_TYPES) {
      const streamId = streamIdOf(parseCommand(type, COMMANDS[type].example));
      expect(domainOfStream(streamId)?.name).toBe(COMMANDS[type].domain);
    }
  });

  it('finds the domain of a stream by its category (the part before the first dash)', () => {
    expect(domainOfStream('account-alice')?.name).toBe('accounts');
    expect(domainOfStream('account-a-b-c')?.name).toBe('accounts');
    expect(domainOfStream('order-o-1')?.name).toBe('orders');
    expect(domainOfStream('orders-1')).toBeUndefined();
    expect(domainOfStream('account')).toBeUndefined();
    expect(domainOfStream('-account')).toBeUndefined();
    expect(domainOfStream('invoice-1')).toBeUndefined();
  });

  it('type guards do not trust the prototype chain', () => {
    expect(isCommandType('OpenAccount')).toBe(true);
    expect(isCommandType('constructor')).toBe(false);
    expect(isEventType('__proto__')).toBe(false);
    expect(isEventType('OrderPaid')).toBe(true);
  });

  it('getCommandDefinition refuses unknown types with invalid_input', () => {
    expect(getCommandDefinition('ShipOrder').domain).toBe('orders');
    expect(thrown(() => getCommandDefinition('shiporder')).code).toBe('invalid_input');
  });

  it('parseEvent validates stored events and refuses unknown types or off-schema data', () => {
    const data = { accountId: 'a', amount: 5, currency: 'EUR', balanceAfter: 5 };
    expect(parseEvent('MoneyDeposited', data)).toEqual({ type: 'MoneyDeposited', data });
    const unknown = thrown(() => parseEvent('MoneyTeleported', data));
    expect([unknown.code, unknown.message]).toEqual(['invalid_input', 'Unknown event type "MoneyTeleported".']);
    const off = thrown(() => parseEvent('MoneyDeposited', { ...data, balanceAfter: -1 }));
    expect(off.code).toBe('invalid_input');
    expect(off.details?.['issues']).toEqual([{ path: 'balanceAfter', message: expect.any(String) }]);
  });

  it('each event definition evolves with its own domain', () => {
    const opened = EVENTS.AccountOpened.evolve(DOMAINS.accounts.decider.initialState(), {
      type: 'AccountOpened',
      data: { accountId: 'a', owner: 'A', currency: 'EUR' },
    }) as AccountState;
    expect(opened).toEqual({ status: 'open', accountId: 'a', owner: 'A', currency: 'EUR', balance: 0 });
    const deposited = EVENTS.MoneyDeposited.evolve(opened, {
      type: 'MoneyDeposited',
      data: { accountId: 'a', amount: 9, currency: 'EUR', balanceAfter: 9 },
    }) as AccountState;
    expect(deposited.balance).toBe(9);
    const placed = EVENTS.OrderPlaced.evolve(DOMAINS.orders.decider.initialState(), {
      type: 'OrderPlaced',
      data: {
        orderId: 'o',
        customerAccountId: 'a',
        currency: 'EUR',
        lines: [{ sku: 's', quantity: 3, unitPrice: 2 }],
        total: 6,
      },
    }) as OrderState;
    expect(placed).toMatchObject({ status: 'placed', total: 6, customerAccountId: 'a' });
  });

  it('foldEvents folds a stream and refuses an event of another domain', () => {
    const events: DomainEvent[] = [
      { type: 'AccountOpened', data: { accountId: 'a', owner: 'A', currency: 'EUR' } },
      { type: 'MoneyDeposited', data: { accountId: 'a', amount: 10, currency: 'EUR', balanceAfter: 10 } },
      { type: 'MoneyWithdrawn', data: { accountId: 'a', amount: 4, currency: 'EUR', balanceAfter: 6 } },
    ];
    expect(foldEvents('accounts', events)).toMatchObject({ status: 'open', balance: 6 });
    // From a snapshot: continue after the first two events.
    const snapshot = foldEvents('accounts', events.slice(0, 2));
    expect(foldEvents('accounts', events.slice(2), snapshot)).toEqual(foldEvents('accounts', events));
    const error = thrown(() => foldEvents('orders', events));
    expect([error.code, error.message]).toEqual(['internal', 'Event AccountOpened belongs to accounts, not orders.']);
  });

  it('decideCommand dispatches a parsed command to its domain', () => {
    const state = DOMAINS.accounts.decider.initialState();
    expect(decideCommand(parseCommand('OpenAccount', COMMANDS.OpenAccount.example), state)).toEqual([
      { type: 'AccountOpened', data: { accountId: 'alice', owner: 'Alice Martin', currency: 'EUR' } },
    ]);
    const rejected = thrown(() =>
      decideCommand(parseCommand('PayOrder', { orderId: 'o-9' }), DOMAINS.orders.decider.initialState()),
    );
    expect(rejected.toPayload()).toEqual({
      code: 'rejected',
      message: 'Cannot pay order o-9: it does not exist.',
      details: { orderId: 'o-9', domainCode: 'order_not_found' },
    });
  });

  it('is frozen: consumers cannot patch the catalog at run time', () => {
    expect(Object.isFrozen(COMMANDS.OpenAccount)).toBe(true);
    expect(Object.isFrozen(EVENTS.OrderPaid)).toBe(true);
    expect(Object.isFrozen(DOMAINS.orders)).toBe(true);
  });
});
