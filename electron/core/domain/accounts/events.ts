import { z } from 'zod';
import type { Message } from '../decider';
import { AmountSchema, BalanceSchema, CurrencySchema, IdSchema, OwnerSchema, SignedAmountSchema } from '../primitives';

/**
 * Event data of the `accounts` domain (schema version 1). Every event carries what an auditor needs to read it on
 * its own: the account id, and for money movements the amount, the currency and the balance after it.
 */

export const AccountOpenedSchema = z
  .strictObject({ accountId: IdSchema, owner: OwnerSchema, currency: CurrencySchema })
  .describe('An account was opened with a zero balance');

export const MoneyDepositedSchema = z
  .strictObject({ accountId: IdSchema, amount: AmountSchema, currency: CurrencySchema, balanceAfter: BalanceSchema })
  .describe('Money was credited to an account');

export const MoneyWithdrawnSchema = z
  .strictObject({ accountId: IdSchema, amount: AmountSchema, currency: CurrencySchema, balanceAfter: BalanceSchema })
  .describe('Money was debited from an account');

export const AccountFrozenSchema = z
  .strictObject({ accountId: IdSchema, balance: BalanceSchema })
  .describe('Withdrawals and closing were blocked; `balance` is the balance at the moment of the freeze');

export const AccountUnfrozenSchema = z
  .strictObject({ accountId: IdSchema, balance: BalanceSchema })
  .describe('A freeze was lifted; `balance` is the balance at that moment');

export const AccountClosedSchema = z.strictObject({ accountId: IdSchema }).describe('An account at zero was closed');

export const BalanceAdjustedSchema = z
  .strictObject({
    accountId: IdSchema,
    amount: SignedAmountSchema,
    currency: CurrencySchema,
    balanceBefore: BalanceSchema,
    balanceAfter: BalanceSchema,
  })
  .describe('A correction credited (positive) or debited (negative) the balance; the reason is in the metadata');

export const accountEventSchemas = {
  AccountOpened: AccountOpenedSchema,
  MoneyDeposited: MoneyDepositedSchema,
  MoneyWithdrawn: MoneyWithdrawnSchema,
  AccountFrozen: AccountFrozenSchema,
  AccountUnfrozen: AccountUnfrozenSchema,
  AccountClosed: AccountClosedSchema,
  BalanceAdjusted: BalanceAdjustedSchema,
} as const;

export type AccountEventType = keyof typeof accountEventSchemas;

export type AccountEventData<K extends AccountEventType> = z.output<(typeof accountEventSchemas)[K]>;

export type AccountEvent = {
  [K in AccountEventType]: Message<K, AccountEventData<K>>;
}[AccountEventType];
