import { executeCommand, flattenOutcome } from '../../core/commands/bus';
import type { CommandInput, CommandOutcome } from '../../core/commands/types';
import { formatTime, toInterchange } from '../../core/interchange/jsonl';
import { parseJsonText } from '../../core/store/canonicalJson';
import { EventStore } from '../../core/store/eventStore';
import { requireOption, stringOption } from '../argParser';
import { type CliCommand, EXIT, JSON_OPTION, printJson } from '../command';

/**
 * `hindsight command <file> <CommandType> --data JSON --actor A [--reason R] [--command-id ID]`: runs one domain
 * command through the command bus (validate → decide → append → record → policies). Exit codes: 0 accepted,
 * 1 rejected by the domain (or a version conflict that outlasted the retries), 2 invalid input.
 */

function errorText(outcome: CommandOutcome): string {
  if (outcome.outcome === 'accepted') return '';
  const code = outcome.error.domainCode ?? outcome.error.code;
  return `${code}: ${outcome.error.message}`;
}

function describeOutcome(outcome: CommandOutcome, depth: number): string[] {
  const pad = '  '.repeat(depth);
  const replayed = outcome.replayed ? ' (already recorded: nothing was written)' : '';
  const lines: string[] = [];
  if (depth === 0) {
    const head =
      outcome.outcome === 'accepted'
        ? `Accepted ${outcome.commandType} on ${outcome.streamId}: ${outcome.events.length} event${outcome.events.length === 1 ? '' : 's'}`
        : `Rejected ${outcome.commandType}: ${errorText(outcome)}`;
    lines.push(`${head}${replayed}`, `  command ${outcome.commandId}, correlation ${outcome.correlationId}`);
  } else {
    const what = outcome.outcome === 'accepted' ? 'accepted' : `${outcome.outcome} — ${errorText(outcome)}`;
    lines.push(
      `${pad}↳ ${outcome.commandType} by ${outcome.actor}: ${what}${replayed}`,
      `${pad}  command ${outcome.commandId}`,
    );
  }
  for (const event of outcome.events) {
    lines.push(
      `${pad}  #${event.globalPosition} ${event.streamId} v${event.streamVersion} ${event.eventType} ${JSON.stringify(event.data)}`,
    );
  }
  for (const next of outcome.triggered) lines.push(...describeOutcome(next, depth + 1));
  return lines;
}

/** The outcome with events in the JSONL interchange shape (ISO times, position and hash), for --json. */
function toJson(outcome: CommandOutcome): unknown {
  return {
    ...outcome,
    receivedAt: formatTime(outcome.receivedAt),
    events: outcome.events.map((event) => toInterchange(event, true)),
    triggered: outcome.triggered.map(toJson),
  };
}

export const commandCommand: CliCommand = {
  name: 'command',
  summary: 'run a domain command through the command bus (see "hindsight catalog")',
  spec: {
    positionals: [
      { name: 'file', description: 'the store file (opened read-write)' },
      { name: 'CommandType', description: 'a command type, e.g. DepositMoney' },
    ],
    options: {
      data: { type: 'string', valueName: 'JSON', description: 'the command payload as a JSON object' },
      actor: { type: 'string', valueName: 'ACTOR', description: 'who runs the command (required)' },
      reason: { type: 'string', valueName: 'TEXT', description: 'why (required for corrective commands)' },
      'command-id': {
        type: 'string',
        valueName: 'ID',
        description: 'idempotency key (default: a new UUIDv7); a repeat returns the first outcome',
      },
      'correlation-id': { type: 'string', valueName: 'ID', description: 'correlation id (default: the command id)' },
      ...JSON_OPTION,
    },
  },
  examples: [
    `hindsight command shop.hindsight OpenAccount --data '{"accountId":"alice","owner":"Alice Martin","currency":"EUR"}' --actor ann`,
    `hindsight command shop.hindsight RefundOrder --data '{"orderId":"o-1001"}' --actor ann --reason "damaged in transit"`,
  ],
  async run(args, { io, json }) {
    const file = args.positionals[0]!;
    const commandType = args.positionals[1]!;
    const input: CommandInput = {
      commandType,
      payload: parseJsonText(requireOption(args, 'data', 'the payload as JSON'), '--data'),
      actor: requireOption(args, 'actor', 'who runs the command'),
    };
    const reason = stringOption(args, 'reason');
    if (reason !== undefined) input.reason = reason;
    const commandId = stringOption(args, 'command-id');
    if (commandId !== undefined) input.commandId = commandId;
    const correlationId = stringOption(args, 'correlation-id');
    if (correlationId !== undefined) input.correlationId = correlationId;

    const store = EventStore.open(file, { mode: 'read-write' });
    let outcome: CommandOutcome;
    try {
      outcome = executeCommand(store, input);
    } finally {
      store.close();
    }
    if (json) await printJson(io, toJson(outcome));
    else await io.out(`${describeOutcome(outcome, 0).join('\n')}\n`);
    if (outcome.outcome !== 'accepted') {
      await io.err(`error: ${outcome.commandType} was rejected: ${errorText(outcome)}\n`);
      return EXIT.failed;
    }
    const failed = flattenOutcome(outcome).filter((o) => o.outcome === 'failed');
    if (failed.length > 0) {
      await io.err(
        `warning: ${failed.length} follow-up command${failed.length === 1 ? '' : 's'} could not run (${failed.map(errorText).join('; ')}); run the same command again with --command-id ${outcome.commandId} to run ${failed.length === 1 ? 'it' : 'them'}.\n`,
      );
    }
    return EXIT.ok;
  },
};
