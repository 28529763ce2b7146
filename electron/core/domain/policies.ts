import { assertNever } from './decider';
import { type CommandPayload, type CommandType, isEventType, parseEvent } from './registry';

/**
 * Process managers of the built-in domains: pure functions from one recorded event to the commands it causes.
 * The command bus runs the returned commands after the triggering command's append, with `correlation_id` = the
 * original command's and `causation_id` = the triggering event's id, and records their outcome (accepted or
 * rejected) in the command log like any other command. A policy never sees state and never fails: whether the
 * caused command is acceptable is decided by its own domain (e.g. a WithdrawMoney for an order paid from an account
 * without enough money is rejected with `insufficient_funds`, and that rejection is the audit evidence).
 */

export const POLICIES = [
  {
    name: 'chargeCustomerOnOrderPaid',
    trigger: 'OrderPaid',
    commandType: 'WithdrawMoney',
    description: "When an order is paid, debit its amount from the customer's account (in the order's currency).",
  },
  {
    name: 'creditCustomerOnOrderRefunded',
    trigger: 'OrderRefunded',
    commandType: 'DepositMoney',
    description: "When an order is refunded, credit the refunded amount to the customer's account.",
  },
] as const;

export type PolicyName = (typeof POLICIES)[number]['name'];

/** The event a policy reacts to, as the store hands it over. */
export interface PolicyTrigger {
  type: string;
  data: unknown;
  streamId: string;
  eventId: string;
  metadata?: Record<string, unknown>;
}

export type PolicyCommand = {
  [K in CommandType]: {
    /** Which policy issued the command (for metadata and the correlation view). */
    policy: PolicyName;
    commandType: K;
    payload: CommandPayload<K>;
    /**
     * Stable per (policy, triggering event): a bus that derives the caused command's id from it makes re-running
     * a policy for the same event idempotent.
     */
    idempotencyKey: string;
  };
}[CommandType];

/**
 * The commands an event causes. Unknown event types (foreign stores) cause nothing. A known type whose data is
 * off-schema throws `invalid_input`: it means the store holds data this version cannot trust.
 */
export function policiesFor(trigger: PolicyTrigger): PolicyCommand[] {
  if (!isEventType(trigger.type)) return [];
  const event = parseEvent(trigger.type, trigger.data);
  switch (event.type) {
    case 'OrderPaid':
      return [
        {
          policy: 'chargeCustomerOnOrderPaid',
          commandType: 'WithdrawMoney',
          payload: {
            accountId: event.data.customerAccountId,
            amount: event.data.amount,
            currency: event.data.currency,
          },
          idempotencyKey: `chargeCustomerOnOrderPaid:${trigger.eventId}`,
        },
      ];
    case 'OrderRefunded':
      return [
        {
          policy: 'creditCustomerOnOrderRefunded',
          commandType: 'DepositMoney',
          payload: {
            accountId: event.data.customerAccountId,
            amount: event.data.amount,
            currency: event.data.currency,
          },
          idempotencyKey: `creditCustomerOnOrderRefunded:${trigger.eventId}`,
        },
      ];
    case 'OrderPlaced':
    case 'OrderShipped':
    case 'OrderCancelled':
    case 'AccountOpened':
    case 'MoneyDeposited':
    case 'MoneyWithdrawn':
    case 'AccountFrozen':
    case 'AccountUnfrozen':
    case 'AccountClosed':
    case 'BalanceAdjusted':
      return [];
    default:
      return assertNever(event, 'event type in policies');
  }
}
