import { z } from 'zod';
import type { Message } from '../decider';
import { AmountSchema, CurrencySchema, IdSchema, OwnerSchema, SignedAmountSchema } from '../primitives';

/**
 * Command payloads of the `accounts` domain. Field names are a public contract (CLI, files, IPC): never rename.
 * Objects are strict, so a misspelt field is an `invalid_input` error instead of being silently dropped.
 */

/** Optional assertion made by callers that know the currency (the order policies): rejected if it differs. */
const ExpectedCurrency = CurrencySchema.optional().describe(
  "Optional: the currency the caller expects; the command is rejected if the account's currency differs",
);

export const OpenAccountSchema = z
  .strictObject({ accountId: IdSchema, owner: OwnerSchema, currency: CurrencySchema })
  .describe('Open a new account with a zero balance');

export const DepositMoneySchema = z
  .strictObject({ accountId: IdSchema, amount: AmountSchema, currency: ExpectedCurrency })
  .describe('Credit money to an open or frozen account');

export const WithdrawMoneySchema = z
  .strictObject({ accountId: IdSchema, amount: AmountSchema, currency: ExpectedCurrency })
  .describe('Debit money from an open account that holds enough');

export const FreezeAccountSchema = z.strictObject({ accountId: IdSchema }).describe('Block withdrawals and closing');

export const UnfreezeAccountSchema = z.strictObject({ accountId: IdSchema }).describe('Lift a freeze');

export const CloseAccountSchema = z.strictObject({ accountId: IdSchema }).describe('Close an open account at zero');

export const AdjustBalanceSchema = z
  .strictObject({ accountId: IdSchema, amount: SignedAmountSchema })
  .describe('Corrective: credit (positive) or debit (negative) the balance; a reason is required');

export const accountCommandSchemas = {
  OpenAccount: OpenAccountSchema,
  DepositMoney: DepositMoneySchema,
  WithdrawMoney: WithdrawMoneySchema,
  FreezeAccount: FreezeAccountSchema,
  UnfreezeAccount: UnfreezeAccountSchema,
  CloseAccount: CloseAccountSchema,
  AdjustBalance: AdjustBalanceSchema,
} as const;

export type AccountCommandType = keyof typeof accountCommandSchemas;

export type AccountCommandPayload<K extends AccountCommandType> = z.output<(typeof accountCommandSchemas)[K]>;

export type AccountCommand = {
  [K in AccountCommandType]: Message<K, AccountCommandPayload<K>>;
}[AccountCommandType];
