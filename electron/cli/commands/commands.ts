import { commandLog } from '../../core/commands/commandLog';
import type { CommandLogOptions, CommandLogRow } from '../../core/commands/types';
import { HindsightError } from '../../core/errors';
import { formatTime } from '../../core/interchange/jsonl';
import { intOption, stringOption } from '../argParser';
import { type CliCommand, EXIT, INCLUDE_WAL_OPTION, JSON_OPTION, openForReading } from '../command';

/**
 * `hindsight commands <file>`: the command log (the `commands` table), oldest first, read from a private
 * read-only copy. One line per command in text mode; one JSON array with --json. Streams page by page.
 */

function line(row: CommandLogRow): string {
  const error = row.outcome === 'rejected' ? `  ${row.errorCode ?? '?'}: ${row.errorMessage ?? ''}` : '';
  const positions =
    row.firstPosition === null
      ? ''
      : `  #${row.firstPosition}${row.lastPosition !== row.firstPosition ? `–${row.lastPosition}` : ''}`;
  return `${String(row.seq).padStart(6)}  ${formatTime(row.receivedAt)}  ${row.outcome.padEnd(8)}  ${row.commandType}  ${row.streamId ?? '—'}  by ${row.actor ?? '—'}  ${row.commandId}${positions}${error}`;
}

function toJson(row: CommandLogRow): unknown {
  return { ...row, receivedAt: formatTime(row.receivedAt) };
}

export const commandsCommand: CliCommand = {
  name: 'commands',
  summary: 'list the command log: who ran which command, accepted or rejected and why',
  spec: {
    positionals: [{ name: 'file', description: 'the store file (read as evidence: never changed)' }],
    options: {
      outcome: { type: 'string', valueName: 'accepted|rejected', description: 'only commands with this outcome' },
      actor: { type: 'string', valueName: 'ACTOR', description: 'only commands run by this actor' },
      type: { type: 'string', valueName: 'TYPE', description: 'only commands of this type' },
      stream: { type: 'string', valueName: 'STREAM', description: 'only commands decided on this stream' },
      after: { type: 'string', valueName: 'SEQ', description: 'start after this log sequence number (first column)' },
      limit: { type: 'string', valueName: 'N', description: 'print at most N commands' },
      'newest-first': { type: 'boolean', description: 'newest first (default: oldest first)' },
      ...INCLUDE_WAL_OPTION,
      ...JSON_OPTION,
    },
  },
  examples: ['hindsight commands shop.hindsight --outcome rejected', 'hindsight commands shop.hindsight --json'],
  async run(args, { io, json }) {
    const file = args.positionals[0]!;
    const outcome = stringOption(args, 'outcome');
    if (outcome !== undefined && outcome !== 'accepted' && outcome !== 'rejected') {
      throw new HindsightError('invalid_input', `--outcome must be accepted or rejected, not "${outcome}".`, {
        usage: true,
      });
    }
    const filters: CommandLogOptions = { order: args.options['newest-first'] === true ? 'desc' : 'asc' };
    if (outcome !== undefined) filters.outcome = outcome;
    const actor = stringOption(args, 'actor');
    if (actor !== undefined) filters.actor = actor;
    const type = stringOption(args, 'type');
    if (type !== undefined) filters.commandType = type;
    const stream = stringOption(args, 'stream');
    if (stream !== undefined) filters.streamId = stream;
    let after = intOption(args, 'after');
    let remaining = intOption(args, 'limit') ?? Number.POSITIVE_INFINITY;

    const store = await openForReading(file, args, io);
    try {
      let first = true;
      if (json) await io.out('[');
      while (remaining > 0) {
        const page = commandLog(store, {
          ...filters,
          limit: Math.min(1000, remaining),
          ...(after === undefined ? {} : { after }),
        });
        if (page.rows.length > 0) {
          if (json) {
            const text = page.rows.map((row) => `\n  ${JSON.stringify(toJson(row))}`).join(',');
            await io.out(first ? text : `,${text}`);
          } else {
            await io.out(`${page.rows.map(line).join('\n')}\n`);
          }
          first = false;
        }
        remaining -= page.rows.length;
        if (page.nextCursor === null) break;
        after = page.nextCursor;
      }
      if (json) await io.out(first ? ']\n' : '\n]\n');
      else if (first) await io.err('No commands recorded.\n');
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};
