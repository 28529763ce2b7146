import { HindsightError } from '../errors';

/**
 * A domain's command-side logic as three pure functions (Chassaing's / Emmett's Decider).
 *
 * - `initialState()` is the state of a stream that has no events yet.
 * - `evolve(state, event)` folds one recorded fact into the state. It never rejects: events already happened.
 * - `decide(command, state)` returns the new facts a command produces, or throws a {@link DomainError}.
 *   An empty array means "accepted, nothing to record".
 *
 * All three are pure: no clock, no randomness, no I/O, and they never mutate their arguments. Time, ids, actor and
 * reason are the command bus's business and travel in event metadata, not in the decider.
 */
export interface Decider<C, E, S> {
  initialState(): S;
  evolve(state: S, event: E): S;
  decide(command: C, state: S): E[];
}

/** The message shape shared by commands and events inside the domain layer: a type tag and its validated data. */
export interface Message<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
}

/**
 * Stable, machine-readable reasons a domain refuses a command. They reach the CLI, the UI and the `commands` table
 * (`error_code` is `rejected`, `details.domainCode` is one of these), so never rename one: add a new one instead.
 */
export const DOMAIN_ERROR_CODES = [
  'already_exists', // the stream already holds the aggregate (open an open account, place a placed order)
  'account_not_found', // the account stream has no AccountOpened
  'account_closed', // any money movement or status change on a closed account
  'account_frozen', // a withdrawal (or close) on a frozen account
  'insufficient_funds', // a withdrawal larger than the balance
  'negative_balance', // an adjustment that would take the balance below zero
  'balance_not_zero', // closing an account that still holds money
  'currency_mismatch', // a money command whose asserted currency differs from the account's
  'limit_exceeded', // a balance or order total that would exceed the largest safe amount
  'order_not_found', // the order stream has no OrderPlaced
  'invalid_transition', // the aggregate's status does not allow the command (pay a cancelled order, ...)
  'nothing_to_refund', // a refund on an order whose payment is already fully refunded
  'refund_exceeds_paid', // a refund larger than what is still refundable
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/**
 * A command refused by its domain's rules. It *is* a HindsightError with code `rejected`, so it crosses IPC and the
 * CLI like every other core error; the domain's own reason is `domainCode` (also in `details.domainCode`).
 */
export class DomainError extends HindsightError {
  readonly domainCode: DomainErrorCode;

  constructor(domainCode: DomainErrorCode, message: string, details?: Record<string, unknown>) {
    super('rejected', message, { ...details, domainCode });
    this.name = 'DomainError';
    this.domainCode = domainCode;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/**
 * The end of every `switch` over a union: a compile error when a case is missing, and a loud `internal` error if
 * a value the types exclude still arrives at run time (a bug, or an event type from a foreign store).
 */
export function assertNever(value: never, what: string): never {
  const type =
    typeof value === 'object' && value !== null && 'type' in value ? String((value as { type: unknown }).type) : value;
  throw new HindsightError('internal', `Unhandled ${what}: ${JSON.stringify(type)}.`);
}
