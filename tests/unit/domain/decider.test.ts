import { describe, expect, it } from 'vitest';
import { accountsDecider } from '../../../electron/core/domain/accounts/decider';
import type { AccountEvent } from '../../../electron/core/domain/accounts/events';
import {
  assertNever,
  type Decider,
  DOMAIN_ERROR_CODES,
  DomainError,
  isDomainError,
} from '../../../electron/core/domain/decider';
import { HindsightError, toErrorPayload } from '../../../electron/core/errors';
import { deciderSpec } from '../../helpers/deciderSpec';

describe('DomainError', () => {
  it('is a HindsightError with code "rejected" and the domain code in details', () => {
    const error = new DomainError('insufficient_funds', 'Cannot withdraw 5 from account a: 5 short.', { balance: 0 });
    expect(error).toBeInstanceOf(HindsightError);
    expect(error).toBeInstanceOf(Error);
    expect(isDomainError(error)).toBe(true);
    expect(isDomainError(new HindsightError('rejected', 'x'))).toBe(false);
    expect(error.name).toBe('DomainError');
    expect(error.domainCode).toBe('insufficient_funds');
    expect(toErrorPayload(error)).toEqual({
      code: 'rejected',
      message: 'Cannot withdraw 5 from account a: 5 short.',
      details: { balance: 0, domainCode: 'insufficient_funds' },
    });
  });

  it('cannot have its domainCode overridden through details', () => {
    const error = new DomainError('account_frozen', 'm', { domainCode: 'something_else' });
    expect(error.details?.['domainCode']).toBe('account_frozen');
  });

  it('has stable, unique snake_case codes', () => {
    expect(new Set(DOMAIN_ERROR_CODES).size).toBe(DOMAIN_ERROR_CODES.length);
    for (const code of DOMAIN_ERROR_CODES) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(DOMAIN_ERROR_CODES).toContain('insufficient_funds');
    expect(DOMAIN_ERROR_CODES).toContain('invalid_transition');
  });
});

describe('assertNever', () => {
  it('throws an internal error naming the unexpected type', () => {
    const value = { type: 'Mystery' } as never;
    expect(() => assertNever(value, 'thing')).toThrow('Unhandled thing: "Mystery".');
    expect(() => assertNever('weird' as never, 'status')).toThrow('Unhandled status: "weird".');
  });
});

describe('deciderSpec helper fails when it should', () => {
  const spec = deciderSpec(accountsDecider);
  const opened: AccountEvent = { type: 'AccountOpened', data: { accountId: 'a', owner: 'A', currency: 'EUR' } };

  it('then() fails on different events', () => {
    expect(() =>
      spec
        .given([opened])
        .when({ type: 'DepositMoney', data: { accountId: 'a', amount: 5 } })
        .then([{ type: 'MoneyDeposited', data: { accountId: 'a', amount: 5, currency: 'EUR', balanceAfter: 6 } }]),
    ).toThrow();
  });

  it('then() fails when the command is rejected, with the domain error', () => {
    expect(() =>
      spec
        .given([])
        .when({ type: 'DepositMoney', data: { accountId: 'a', amount: 5 } })
        .then([]),
    ).toThrow(DomainError);
  });

  it('thenThrows() fails when the command is accepted, or rejected with another code', () => {
    const close = { type: 'CloseAccount', data: { accountId: 'a' } } as const;
    expect(() => spec.given([opened]).when(close).thenThrows('account_closed')).toThrow(
      'expected account_closed, but the command was accepted',
    );
    expect(() => spec.given([]).when(close).thenThrows('already_exists')).toThrow(/to deeply equal/);
    // ...while the right code passes.
    expect(spec.given([]).when(close).thenThrows('account_not_found').domainCode).toBe('account_not_found');
  });

  it('thenThrows() fails on a wrong message pattern', () => {
    expect(() =>
      spec
        .given([])
        .when({ type: 'CloseAccount', data: { accountId: 'a' } })
        .thenThrows('account_not_found', /frozen/),
    ).toThrow();
  });

  it('catches a decider that mutates its state', () => {
    interface Counter {
      n: number;
    }
    const mutating: Decider<{ type: 'Inc' }, { type: 'Incremented' }, Counter> = {
      initialState: () => ({ n: 0 }),
      evolve: (state) => ({ n: state.n + 1 }),
      decide: (_command, state) => {
        state.n += 1;
        return [{ type: 'Incremented' }];
      },
    };
    expect(() =>
      deciderSpec(mutating)
        .given([])
        .when({ type: 'Inc' })
        .then([{ type: 'Incremented' }]),
    ).toThrow(TypeError);
  });

  it('catches a non-deterministic decider', () => {
    let calls = 0;
    const flaky: Decider<{ type: 'Go' }, { type: 'Went'; n: number }, null> = {
      initialState: () => null,
      evolve: (state) => state,
      decide: () => [{ type: 'Went', n: calls++ }],
    };
    expect(() =>
      deciderSpec(flaky)
        .given([])
        .when({ type: 'Go' })
        .then([{ type: 'Went', n: 0 }]),
    ).toThrow();
  });

  it('checks produced events against validateEvent', () => {
    const strict = deciderSpec(accountsDecider, {
      validateEvent: () => {
        throw new Error('off-schema');
      },
    });
    expect(() =>
      strict
        .given([])
        .when({ type: 'OpenAccount', data: { accountId: 'a', owner: 'A', currency: 'EUR' } })
        .then([opened]),
    ).toThrow('off-schema');
  });
});
