import { join } from 'node:path';
import { executeCommand } from '../../../electron/core/commands/bus';
import { loadState } from '../../../electron/core/commands/loadState';
import type { CommandInput, ExecuteOptions, RecordedOutcome } from '../../../electron/core/commands/types';
import type { AccountState } from '../../../electron/core/domain/accounts/decider';
import { HindsightError } from '../../../electron/core/errors';
import { EventStore } from '../../../electron/core/store/eventStore';

/** Helpers for the command-bus integration tests: real store files in temp folders, no mocks. */

export function newStore(dir: string, name = 'bus.hindsight'): { store: EventStore; file: string } {
  const file = join(dir, name);
  return { store: EventStore.create(file, { createdBy: 'test' }), file };
}

export function run(
  store: EventStore,
  commandType: string,
  payload: unknown,
  extra: Partial<CommandInput> = {},
  opts: ExecuteOptions = {},
): RecordedOutcome {
  return executeCommand(store, { commandType, payload, actor: 'ann', ...extra }, opts);
}

/** Opens an account with a balance (two commands). */
export function account(store: EventStore, accountId: string, balance: number, currency = 'EUR'): void {
  run(store, 'OpenAccount', { accountId, owner: `Owner of ${accountId}`, currency });
  if (balance > 0) run(store, 'DepositMoney', { accountId, amount: balance });
}

export function placeOrder(store: EventStore, orderId: string, customerAccountId: string, total: number): void {
  run(store, 'PlaceOrder', {
    orderId,
    customerAccountId,
    currency: 'EUR',
    lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: total }],
  });
}

export interface Counts {
  events: number;
  commands: number;
  head: string;
}

/** What is in the file: numbers of events and command rows, and the head hash. */
export function counts(store: EventStore): Counts {
  const events = store.db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  const commands = store.db.prepare('SELECT count(*) FROM commands').pluck().get() as number;
  return { events, commands, head: store.head().hash };
}

export function commandRow(store: EventStore, commandId: string): Record<string, unknown> | undefined {
  return store.db.prepare('SELECT * FROM commands WHERE command_id = ?').get(commandId) as
    | Record<string, unknown>
    | undefined;
}

export function balanceOf(store: EventStore, accountId: string): number {
  return (loadState(store, `account-${accountId}`).state as AccountState).balance;
}

/** The HindsightError `fn` throws (fails the test when it throws nothing or something else). */
export function caught(fn: () => unknown): HindsightError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HindsightError) return error;
    throw error;
  }
  throw new Error('expected a HindsightError, nothing was thrown');
}
