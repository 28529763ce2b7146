import { expect } from 'vitest';
import { type Decider, DomainError, type DomainErrorCode } from '../../electron/core/domain/decider';
import { HindsightError } from '../../electron/core/errors';

/**
 * Given / when / then for deciders (the idea of Emmett's DeciderSpecification, our own code):
 *
 *   const spec = deciderSpec(accountsDecider);
 *   spec.given([opened]).when(deposit).then([deposited]);
 *   spec.given([]).when(deposit).thenThrows('account_not_found');
 *
 * Besides comparing results, every run checks purity: the given events, the folded state and the command are
 * deep-frozen before `evolve` / `decide` see them, so a decider that mutates its input fails with a TypeError;
 * and `decide` is run twice and must return equal results. `then` also folds the produced events (they must
 * evolve cleanly) and, when `validateEvent` is given, checks each against its schema.
 */

export interface DeciderSpecOptions<E> {
  /** Throws if an event produced by `decide` is off-schema (e.g. the registry's `parseEvent`). */
  validateEvent?: (event: E) => void;
}

export interface WhenResult<E, S> {
  /** Asserts the produced events (exactly, in order) and returns the state after evolving them. */
  then(expected: E[]): S;
  /** Asserts that the command is accepted without producing events. */
  thenNothingHappens(): S;
  /** Asserts a DomainError with this code (and message pattern, if given); returns it for further checks. */
  thenThrows(code: DomainErrorCode, message?: RegExp | string): DomainError;
}

export interface GivenResult<C, E, S> {
  /** The state the given events fold into. */
  readonly state: S;
  when(command: C): WhenResult<E, S>;
}

export interface DeciderSpec<C, E, S> {
  given(events?: E[]): GivenResult<C, E, S>;
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

export function deciderSpec<C, E, S>(
  decider: Decider<C, E, S>,
  options: DeciderSpecOptions<E> = {},
): DeciderSpec<C, E, S> {
  const fold = (state: S, events: readonly E[]): S =>
    events.reduce((current, event) => deepFreeze(decider.evolve(current, deepFreeze(structuredClone(event)))), state);

  return {
    given(events: E[] = []) {
      const state = fold(deepFreeze(decider.initialState()), events);
      return {
        state,
        when(command: C) {
          const decide = (): E[] => decider.decide(deepFreeze(structuredClone(command)), state);

          return {
            // biome-ignore lint/suspicious/noThenProperty: the handbook's given/when/then API; never awaited.
            then(expected: E[]): S {
              const produced = decide();
              expect(produced).toStrictEqual(expected);
              expect(decide()).toStrictEqual(produced);
              for (const event of produced) options.validateEvent?.(event);
              return fold(state, produced);
            },
            thenNothingHappens(): S {
              return this.then([]);
            },
            thenThrows(code: DomainErrorCode, message?: RegExp | string): DomainError {
              let thrown: unknown;
              let produced: E[] | undefined;
              try {
                produced = decide();
              } catch (error) {
                thrown = error;
              }
              if (produced !== undefined) {
                expect.fail(`expected ${code}, but the command was accepted with ${JSON.stringify(produced)}`);
              }
              if (!(thrown instanceof DomainError)) throw thrown;
              expect(thrown).toBeInstanceOf(HindsightError);
              expect({ domainCode: thrown.domainCode, code: thrown.code }).toEqual({
                domainCode: code,
                code: 'rejected',
              });
              expect(thrown.details?.['domainCode']).toBe(code);
              expect(thrown.message.length).toBeGreaterThan(0);
              if (message !== undefined) expect(thrown.message).toMatch(message);
              return thrown;
            },
          };
        },
      };
    },
  };
}
