import { assertNever, type Decider, DomainError } from '../decider';
import { safeAdd } from '../primitives';
import type { AccountCommand } from './commands';
import type { AccountEvent } from './events';

/**
 * The `accounts` domain: one stream per account, `account-<accountId>`.
 *
 * Rules (docs/domains.md has the full table):
 * - the balance is never negative, for any command including AdjustBalance;
 * - a frozen account accepts credits (deposits, refunds, corrections) but no withdrawal and cannot be closed;
 * - a closed account accepts nothing; an account closes only at a zero balance;
 * - money commands may assert a currency; a different currency is rejected.
 * Checks run in a fixed order: existence, closed, frozen, currency, amounts.
 */

export type AccountStatus = 'none' | 'open' | 'frozen' | 'closed';

export interface AccountState {
  status: AccountStatus;
  accountId: string | null;
  owner: string | null;
  currency: string | null;
  /** Minor units; never negative. */
  balance: number;
}

export const ACCOUNT_STREAM_CATEGORY = 'account';

export function accountStreamId(accountId: string): string {
  return `${ACCOUNT_STREAM_CATEGORY}-${accountId}`;
}

function initialState(): AccountState {
  return { status: 'none', accountId: null, owner: null, currency: null, balance: 0 };
}

function evolve(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'AccountOpened':
      return {
        status: 'open',
        accountId: event.data.accountId,
        owner: event.data.owner,
        currency: event.data.currency,
        balance: 0,
      };
    case 'MoneyDeposited':
      return { ...state, balance: state.balance + event.data.amount };
    case 'MoneyWithdrawn':
      return { ...state, balance: state.balance - event.data.amount };
    case 'AccountFrozen':
      return { ...state, status: 'frozen' };
    case 'AccountUnfrozen':
      return { ...state, status: 'open' };
    case 'AccountClosed':
      return { ...state, status: 'closed' };
    case 'BalanceAdjusted':
      return { ...state, balance: state.balance + event.data.amount };
    default:
      return assertNever(event, 'account event');
  }
}

/** An account that exists and is not closed, narrowed so `currency` is known. */
interface LiveAccount extends AccountState {
  status: 'open' | 'frozen';
  accountId: string;
  currency: string;
}

function requireLive(state: AccountState, accountId: string, action: string): LiveAccount {
  if (state.status === 'none') {
    throw new DomainError('account_not_found', `Cannot ${action}: account ${accountId} does not exist.`, {
      accountId,
    });
  }
  if (state.status === 'closed') {
    throw new DomainError('account_closed', `Cannot ${action}: account ${accountId} is closed.`, { accountId });
  }
  return state as LiveAccount;
}

function requireNotFrozen(state: LiveAccount, action: string): void {
  if (state.status === 'frozen') {
    throw new DomainError('account_frozen', `Cannot ${action}: account ${state.accountId} is frozen.`, {
      accountId: state.accountId,
    });
  }
}

function requireCurrency(state: LiveAccount, expected: string | undefined, action: string): void {
  if (expected !== undefined && expected !== state.currency) {
    throw new DomainError(
      'currency_mismatch',
      `Cannot ${action}: account ${state.accountId} holds ${state.currency}, not ${expected}.`,
      { accountId: state.accountId, accountCurrency: state.currency, requestedCurrency: expected },
    );
  }
}

function decide(command: AccountCommand, state: AccountState): AccountEvent[] {
  switch (command.type) {
    case 'OpenAccount': {
      const { accountId, owner, currency } = command.data;
      if (state.status !== 'none') {
        throw new DomainError(
          'already_exists',
          `Cannot open account ${accountId}: it already exists (status ${state.status}).`,
          { accountId, status: state.status },
        );
      }
      return [{ type: 'AccountOpened', data: { accountId, owner, currency } }];
    }

    case 'DepositMoney': {
      const { accountId, amount, currency } = command.data;
      const action = `deposit ${amount} into account ${accountId}`;
      const account = requireLive(state, accountId, action);
      requireCurrency(account, currency, action);
      const balanceAfter = safeAdd(account.balance, amount);
      if (balanceAfter === undefined) {
        throw new DomainError('limit_exceeded', `Cannot ${action}: the balance would exceed the largest safe amount.`, {
          accountId,
          balance: account.balance,
          amount,
        });
      }
      return [{ type: 'MoneyDeposited', data: { accountId, amount, currency: account.currency, balanceAfter } }];
    }

    case 'WithdrawMoney': {
      const { accountId, amount, currency } = command.data;
      const action = `withdraw ${amount} from account ${accountId}`;
      const account = requireLive(state, accountId, action);
      requireNotFrozen(account, action);
      requireCurrency(account, currency, action);
      if (amount > account.balance) {
        throw new DomainError(
          'insufficient_funds',
          `Cannot ${action}: the balance is ${account.balance} ${account.currency}, ${amount - account.balance} short.`,
          { accountId, balance: account.balance, amount, shortfall: amount - account.balance },
        );
      }
      return [
        {
          type: 'MoneyWithdrawn',
          data: { accountId, amount, currency: account.currency, balanceAfter: account.balance - amount },
        },
      ];
    }

    case 'FreezeAccount': {
      const { accountId } = command.data;
      const account = requireLive(state, accountId, `freeze account ${accountId}`);
      if (account.status === 'frozen') {
        throw new DomainError('invalid_transition', `Cannot freeze account ${accountId}: it is already frozen.`, {
          accountId,
          status: account.status,
        });
      }
      return [{ type: 'AccountFrozen', data: { accountId, balance: account.balance } }];
    }

    case 'UnfreezeAccount': {
      const { accountId } = command.data;
      const account = requireLive(state, accountId, `unfreeze account ${accountId}`);
      if (account.status !== 'frozen') {
        throw new DomainError('invalid_transition', `Cannot unfreeze account ${accountId}: it is not frozen.`, {
          accountId,
          status: account.status,
        });
      }
      return [{ type: 'AccountUnfrozen', data: { accountId, balance: account.balance } }];
    }

    case 'CloseAccount': {
      const { accountId } = command.data;
      const action = `close account ${accountId}`;
      const account = requireLive(state, accountId, action);
      requireNotFrozen(account, action);
      if (account.balance !== 0) {
        throw new DomainError(
          'balance_not_zero',
          `Cannot ${action}: its balance is ${account.balance} ${account.currency}, not zero.`,
          { accountId, balance: account.balance },
        );
      }
      return [{ type: 'AccountClosed', data: { accountId } }];
    }

    case 'AdjustBalance': {
      const { accountId, amount } = command.data;
      const action = `adjust the balance of account ${accountId} by ${amount}`;
      const account = requireLive(state, accountId, action);
      const balanceAfter = safeAdd(account.balance, amount);
      if (balanceAfter === undefined) {
        throw new DomainError('limit_exceeded', `Cannot ${action}: the balance would exceed the largest safe amount.`, {
          accountId,
          balance: account.balance,
          amount,
        });
      }
      if (balanceAfter < 0) {
        throw new DomainError(
          'negative_balance',
          `Cannot ${action}: the balance is ${account.balance} ${account.currency} and may not go below zero.`,
          { accountId, balance: account.balance, amount },
        );
      }
      return [
        {
          type: 'BalanceAdjusted',
          data: { accountId, amount, currency: account.currency, balanceBefore: account.balance, balanceAfter },
        },
      ];
    }

    default:
      return assertNever(command, 'account command');
  }
}

export const accountsDecider: Decider<AccountCommand, AccountEvent, AccountState> = { initialState, evolve, decide };
