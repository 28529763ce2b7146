import { describe, expect, it } from 'vitest';
import type { AccountCommand } from '../../../electron/core/domain/accounts/commands';
import { type AccountState, accountsDecider } from '../../../electron/core/domain/accounts/decider';
import type { AccountEvent } from '../../../electron/core/domain/accounts/events';
import { MAX_AMOUNT } from '../../../electron/core/domain/primitives';
import { parseEvent } from '../../../electron/core/domain/registry';
import { HindsightError } from '../../../electron/core/errors';
import { deciderSpec } from '../../helpers/deciderSpec';

const spec = deciderSpec(accountsDecider, { validateEvent: (event) => void parseEvent(event.type, event.data) });

const id = 'acc-1';

const ev = {
  opened: (currency = 'EUR'): AccountEvent => ({
    type: 'AccountOpened',
    data: { accountId: id, owner: 'Alice Martin', currency },
  }),
  deposited: (amount: number, balanceAfter: number): AccountEvent => ({
    type: 'MoneyDeposited',
    data: { accountId: id, amount, currency: 'EUR', balanceAfter },
  }),
  withdrawn: (amount: number, balanceAfter: number): AccountEvent => ({
    type: 'MoneyWithdrawn',
    data: { accountId: id, amount, currency: 'EUR', balanceAfter },
  }),
  frozen: (balance: number): AccountEvent => ({ type: 'AccountFrozen', data: { accountId: id, balance } }),
  unfrozen: (balance: number): AccountEvent => ({ type: 'AccountUnfrozen', data: { accountId: id, balance } }),
  closed: (): AccountEvent => ({ type: 'AccountClosed', data: { accountId: id } }),
  adjusted: (amount: number, balanceBefore: number, balanceAfter: number): AccountEvent => ({
    type: 'BalanceAdjusted',
    data: { accountId: id, amount, currency: 'EUR', balanceBefore, balanceAfter },
  }),
};

const cmd = {
  open: (currency = 'EUR'): AccountCommand => ({
    type: 'OpenAccount',
    data: { accountId: id, owner: 'Alice Martin', currency },
  }),
  deposit: (amount: number, currency?: string): AccountCommand => ({
    type: 'DepositMoney',
    data: currency === undefined ? { accountId: id, amount } : { accountId: id, amount, currency },
  }),
  withdraw: (amount: number, currency?: string): AccountCommand => ({
    type: 'WithdrawMoney',
    data: currency === undefined ? { accountId: id, amount } : { accountId: id, amount, currency },
  }),
  freeze: (): AccountCommand => ({ type: 'FreezeAccount', data: { accountId: id } }),
  unfreeze: (): AccountCommand => ({ type: 'UnfreezeAccount', data: { accountId: id } }),
  close: (): AccountCommand => ({ type: 'CloseAccount', data: { accountId: id } }),
  adjust: (amount: number): AccountCommand => ({ type: 'AdjustBalance', data: { accountId: id, amount } }),
};

/** An open EUR account holding 1,000. */
const funded = [ev.opened(), ev.deposited(1_000, 1_000)];
const closedAccount = [ev.opened(), ev.closed()];

describe('accounts decider', () => {
  describe('OpenAccount', () => {
    it('opens a new account with a zero balance', () => {
      const state = spec.given([]).when(cmd.open()).then([ev.opened()]);
      expect(state).toEqual<AccountState>({
        status: 'open',
        accountId: id,
        owner: 'Alice Martin',
        currency: 'EUR',
        balance: 0,
      });
    });

    it('rejects opening an account that is already open (already_exists)', () => {
      const error = spec
        .given([ev.opened()])
        .when(cmd.open('USD'))
        .thenThrows('already_exists', /already exists/);
      expect(error.details).toEqual({ accountId: id, status: 'open', domainCode: 'already_exists' });
    });

    it('rejects re-opening a frozen or closed account (already_exists)', () => {
      spec
        .given([ev.opened(), ev.frozen(0)])
        .when(cmd.open())
        .thenThrows('already_exists', /status frozen/);
      spec
        .given(closedAccount)
        .when(cmd.open())
        .thenThrows('already_exists', /status closed/);
    });
  });

  describe('DepositMoney', () => {
    it('credits the amount and records currency and balance after', () => {
      const state = spec
        .given(funded)
        .when(cmd.deposit(250))
        .then([ev.deposited(250, 1_250)]);
      expect(state.balance).toBe(1_250);
    });

    it('accepts a matching asserted currency', () => {
      spec
        .given(funded)
        .when(cmd.deposit(5, 'EUR'))
        .then([ev.deposited(5, 1_005)]);
    });

    it('accepts deposits into a frozen account (a freeze blocks debits only)', () => {
      const state = spec
        .given([...funded, ev.frozen(1_000)])
        .when(cmd.deposit(1))
        .then([ev.deposited(1, 1_001)]);
      expect(state).toMatchObject({ status: 'frozen', balance: 1_001 });
    });

    it('accepts a deposit that brings the balance exactly to MAX_AMOUNT', () => {
      spec
        .given([ev.opened(), ev.deposited(MAX_AMOUNT - 10, MAX_AMOUNT - 10)])
        .when(cmd.deposit(10))
        .then([ev.deposited(10, MAX_AMOUNT)]);
    });

    it('rejects a deposit into an account that does not exist (account_not_found)', () => {
      spec.given([]).when(cmd.deposit(100)).thenThrows('account_not_found', 'Cannot deposit 100 into account acc-1');
    });

    it('rejects a deposit into a closed account (account_closed)', () => {
      spec
        .given(closedAccount)
        .when(cmd.deposit(100))
        .thenThrows('account_closed', /is closed/);
    });

    it('rejects a deposit in another currency (currency_mismatch)', () => {
      const error = spec
        .given(funded)
        .when(cmd.deposit(100, 'USD'))
        .thenThrows('currency_mismatch', /holds EUR, not USD/);
      expect(error.details).toMatchObject({ accountCurrency: 'EUR', requestedCurrency: 'USD' });
    });

    it('rejects a deposit that would exceed MAX_AMOUNT (limit_exceeded)', () => {
      spec
        .given([ev.opened(), ev.deposited(MAX_AMOUNT - 10, MAX_AMOUNT - 10)])
        .when(cmd.deposit(11))
        .thenThrows('limit_exceeded');
    });
  });

  describe('WithdrawMoney', () => {
    it('debits the amount and records the balance after', () => {
      const state = spec
        .given(funded)
        .when(cmd.withdraw(400))
        .then([ev.withdrawn(400, 600)]);
      expect(state.balance).toBe(600);
    });

    it('allows withdrawing the whole balance', () => {
      expect(
        spec
          .given(funded)
          .when(cmd.withdraw(1_000, 'EUR'))
          .then([ev.withdrawn(1_000, 0)]).balance,
      ).toBe(0);
    });

    it('rejects a withdrawal larger than the balance (insufficient_funds) and says how much is missing', () => {
      const error = spec
        .given(funded)
        .when(cmd.withdraw(1_001))
        .thenThrows('insufficient_funds', /1 short/);
      expect(error.details).toEqual({
        accountId: id,
        balance: 1_000,
        amount: 1_001,
        shortfall: 1,
        domainCode: 'insufficient_funds',
      });
    });

    it('rejects any withdrawal from a frozen account (account_frozen), even when funds suffice', () => {
      spec
        .given([...funded, ev.frozen(1_000)])
        .when(cmd.withdraw(1))
        .thenThrows('account_frozen', /is frozen/);
    });

    it('checks the freeze before the funds', () => {
      spec
        .given([ev.opened(), ev.frozen(0)])
        .when(cmd.withdraw(5))
        .thenThrows('account_frozen');
    });

    it('rejects a withdrawal from an account that does not exist (account_not_found)', () => {
      spec.given([]).when(cmd.withdraw(1)).thenThrows('account_not_found');
    });

    it('rejects a withdrawal from a closed account (account_closed)', () => {
      spec.given(closedAccount).when(cmd.withdraw(1)).thenThrows('account_closed');
    });

    it('rejects a withdrawal in another currency (currency_mismatch)', () => {
      spec.given(funded).when(cmd.withdraw(1, 'GBP')).thenThrows('currency_mismatch');
    });
  });

  describe('FreezeAccount', () => {
    it('freezes an open account and records the balance at that moment', () => {
      const state = spec
        .given(funded)
        .when(cmd.freeze())
        .then([ev.frozen(1_000)]);
      expect(state).toMatchObject({ status: 'frozen', balance: 1_000 });
    });

    it('rejects freezing a frozen account (invalid_transition)', () => {
      spec
        .given([ev.opened(), ev.frozen(0)])
        .when(cmd.freeze())
        .thenThrows('invalid_transition', /already frozen/);
    });

    it('rejects freezing an account that does not exist (account_not_found)', () => {
      spec.given([]).when(cmd.freeze()).thenThrows('account_not_found');
    });

    it('rejects freezing a closed account (account_closed)', () => {
      spec.given(closedAccount).when(cmd.freeze()).thenThrows('account_closed');
    });
  });

  describe('UnfreezeAccount', () => {
    it('unfreezes a frozen account', () => {
      const state = spec
        .given([...funded, ev.frozen(1_000)])
        .when(cmd.unfreeze())
        .then([ev.unfrozen(1_000)]);
      expect(state.status).toBe('open');
    });

    it('rejects unfreezing an account that is not frozen (invalid_transition)', () => {
      spec
        .given(funded)
        .when(cmd.unfreeze())
        .thenThrows('invalid_transition', /not frozen/);
    });

    it('rejects unfreezing an account that does not exist (account_not_found)', () => {
      spec.given([]).when(cmd.unfreeze()).thenThrows('account_not_found');
    });

    it('rejects unfreezing a closed account (account_closed)', () => {
      spec.given(closedAccount).when(cmd.unfreeze()).thenThrows('account_closed');
    });
  });

  describe('CloseAccount', () => {
    it('closes an account at zero balance', () => {
      const state = spec
        .given([...funded, ev.withdrawn(1_000, 0)])
        .when(cmd.close())
        .then([ev.closed()]);
      expect(state).toMatchObject({ status: 'closed', balance: 0 });
    });

    it('closes a never-funded account', () => {
      spec.given([ev.opened()]).when(cmd.close()).then([ev.closed()]);
    });

    it('rejects closing an account that holds money (balance_not_zero)', () => {
      const error = spec
        .given(funded)
        .when(cmd.close())
        .thenThrows('balance_not_zero', /1000 EUR, not zero/);
      expect(error.details?.['balance']).toBe(1_000);
    });

    it('rejects closing a frozen account, even at zero (account_frozen)', () => {
      spec
        .given([ev.opened(), ev.frozen(0)])
        .when(cmd.close())
        .thenThrows('account_frozen');
    });

    it('rejects closing an account that does not exist (account_not_found)', () => {
      spec.given([]).when(cmd.close()).thenThrows('account_not_found');
    });

    it('rejects closing a closed account (account_closed)', () => {
      spec.given(closedAccount).when(cmd.close()).thenThrows('account_closed');
    });
  });

  describe('AdjustBalance (corrective)', () => {
    it('credits a positive correction with balance before and after', () => {
      const state = spec
        .given(funded)
        .when(cmd.adjust(75))
        .then([ev.adjusted(75, 1_000, 1_075)]);
      expect(state.balance).toBe(1_075);
    });

    it('debits a negative correction down to exactly zero', () => {
      expect(
        spec
          .given(funded)
          .when(cmd.adjust(-1_000))
          .then([ev.adjusted(-1_000, 1_000, 0)]).balance,
      ).toBe(0);
    });

    it('corrects a frozen account (corrections are not blocked by a freeze)', () => {
      spec
        .given([...funded, ev.frozen(1_000)])
        .when(cmd.adjust(-1))
        .then([ev.adjusted(-1, 1_000, 999)]);
    });

    it('rejects a correction that would make the balance negative (negative_balance)', () => {
      const error = spec
        .given(funded)
        .when(cmd.adjust(-1_001))
        .thenThrows('negative_balance', /below zero/);
      expect(error.details).toMatchObject({ balance: 1_000, amount: -1_001 });
    });

    it('rejects a correction that would exceed MAX_AMOUNT (limit_exceeded)', () => {
      spec
        .given([ev.opened(), ev.deposited(MAX_AMOUNT, MAX_AMOUNT)])
        .when(cmd.adjust(1))
        .thenThrows('limit_exceeded');
    });

    it('rejects a correction on an account that does not exist (account_not_found)', () => {
      spec.given([]).when(cmd.adjust(10)).thenThrows('account_not_found');
    });

    it('rejects a correction on a closed account (account_closed)', () => {
      spec.given(closedAccount).when(cmd.adjust(10)).thenThrows('account_closed');
    });
  });
});

describe('accounts evolve', () => {
  it('starts from an empty, non-existent account', () => {
    expect(accountsDecider.initialState()).toEqual({
      status: 'none',
      accountId: null,
      owner: null,
      currency: null,
      balance: 0,
    });
  });

  it('folds a full life cycle to the expected state after every event', () => {
    const events: AccountEvent[] = [
      ev.opened(),
      ev.deposited(500, 500),
      ev.withdrawn(120, 380),
      ev.frozen(380),
      ev.deposited(20, 400),
      ev.adjusted(-400, 400, 0),
      ev.unfrozen(0),
      ev.closed(),
    ];
    const trail: Array<[string, number]> = [];
    let state = accountsDecider.initialState();
    for (const event of events) {
      state = accountsDecider.evolve(state, event);
      trail.push([state.status, state.balance]);
    }
    expect(trail).toEqual([
      ['open', 0],
      ['open', 500],
      ['open', 380],
      ['frozen', 380],
      ['frozen', 400],
      ['frozen', 0],
      ['open', 0],
      ['closed', 0],
    ]);
    expect(state).toEqual({ status: 'closed', accountId: id, owner: 'Alice Martin', currency: 'EUR', balance: 0 });
  });

  it('returns a new state object and leaves the previous one untouched', () => {
    const before = accountsDecider.evolve(accountsDecider.initialState(), ev.opened());
    const snapshot = structuredClone(before);
    const after = accountsDecider.evolve(before, ev.deposited(7, 7));
    expect(after).not.toBe(before);
    expect(before).toEqual(snapshot);
    expect(after.balance).toBe(7);
  });

  it('fails loudly (internal) on an event type it does not know', () => {
    const unknown = { type: 'AccountRenamed', data: { accountId: id } } as unknown as AccountEvent;
    expect(() => accountsDecider.evolve(accountsDecider.initialState(), unknown)).toThrow(HindsightError);
    try {
      accountsDecider.evolve(accountsDecider.initialState(), unknown);
    } catch (error) {
      expect((error as HindsightError).code).toBe('internal');
      expect((error as HindsightError).message).toBe('Unhandled account event: "AccountRenamed".');
    }
  });

  it('fails loudly (internal) on a command type it does not know', () => {
    const unknown = { type: 'RenameAccount', data: { accountId: id } } as unknown as AccountCommand;
    expect(() => accountsDecider.decide(unknown, accountsDecider.initialState())).toThrow(
      'Unhandled account command: "RenameAccount".',
    );
  });
});
