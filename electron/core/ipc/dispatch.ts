// Electron-free request handling: look up the channel, validate the input against the contract's
// schema, run the handler, and wrap the outcome in the result envelope. The main process and the
// e2e harness both call this, so what the tests exercise is what the app runs.
import type { z } from 'zod';
import { type Channel, contract, isChannel, type OutputOf, type ParsedInputOf } from '../../../shared/ipc/contract';
import { fail, ok, type Result } from '../../../shared/ipc/result';
import { toErrorPayload } from '../errors';

export type Handlers = {
  [K in Channel]: (input: ParsedInputOf<K>) => Promise<OutputOf<K>> | OutputOf<K>;
};

export async function dispatch(handlers: Handlers, channel: unknown, rawInput: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return fail('unknown_channel', `There is no IPC call named ${JSON.stringify(String(channel)).slice(0, 80)}.`);
  }
  const schema: z.ZodType = contract[channel].input;
  const parsed = schema.safeParse(rawInput === undefined ? {} : rawInput);
  if (!parsed.success) {
    return fail('invalid_input', describeIssues(channel, parsed.error.issues), {
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
    });
  }
  try {
    const handler = handlers[channel] as (input: unknown) => unknown;
    return ok(await handler(parsed.data));
  } catch (error) {
    return { ok: false, error: toErrorPayload(error) };
  }
}

/** One sentence naming every bad field, e.g. "Invalid input for streams.list: limit: Too big: expected number to be <=1000". */
function describeIssues(channel: string, issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, 5).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)';
    return `${where}: ${issue.message}`;
  });
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return `Invalid input for ${channel}: ${parts.join('; ')}${more}.`;
}
