import { HindsightError } from '../../core/errors';
import { stateAt } from '../../core/history/stateAt';
import { formatTime, parseTime } from '../../core/interchange/jsonl';
import { intOption, requireOption, stringOption } from '../argParser';
import { type CliCommand, EXIT, INCLUDE_WAL_OPTION, JSON_OPTION, printJson } from '../command';
import { FOREIGN_OPTIONS, openStoreOrForeign } from '../foreign';

/**
 * `hindsight state`: a stream's state at a version or a time, folded from the events themselves (the
 * file is read through a private copy, and no snapshot is read or written: the answer depends on
 * nothing but the events).
 */
export const stateCommand: CliCommand = {
  name: 'state',
  summary: "print a stream's state at a version, as it happened at a time, or as known at a time",
  spec: {
    positionals: [{ name: 'file', description: 'the store file, or a foreign store (Emmett, a mapped SQLite table)' }],
    options: {
      stream: { type: 'string', valueName: 'STREAM', description: 'the stream id' },
      at: {
        type: 'string',
        valueName: 'ISO-8601',
        description: 'as it happened at this business time (events that occurred at or before it)',
      },
      version: {
        type: 'string',
        valueName: 'N',
        description: 'the state after this stream version (0 = before the first event)',
      },
      'known-at': {
        type: 'string',
        valueName: 'ISO-8601',
        description: 'as known at this time (events recorded at or before it); combines with --at or --version',
      },
      generic: { type: 'boolean', description: "fold with the generic data-only reducer, even for a domain's stream" },
      ...FOREIGN_OPTIONS,
      ...INCLUDE_WAL_OPTION,
      ...JSON_OPTION,
    },
  },
  examples: [
    'hindsight state audit.hindsight --stream account-42',
    'hindsight state audit.hindsight --stream account-42 --version 17 --json',
    'hindsight state audit.hindsight --stream account-42 --at 2024-05-01T00:00:00Z --known-at 2024-05-03T00:00:00Z',
  ],
  async run(args, { io, json }) {
    const file = args.positionals[0]!;
    const streamId = requireOption(args, 'stream', 'the stream id');
    const at = stringOption(args, 'at');
    const knownAt = stringOption(args, 'known-at');
    const version = intOption(args, 'version');
    if (at !== undefined && version !== undefined) {
      throw new HindsightError('invalid_input', 'Give --at or --version, not both.', { usage: true });
    }
    const occurredAt = at === undefined ? undefined : parseTime(at, '--at');
    const recordedAt = knownAt === undefined ? undefined : parseTime(knownAt, '--known-at');
    const { store } = await openStoreOrForeign(file, args, io);
    try {
      const result = stateAt(store, streamId, {
        version,
        occurredAt,
        recordedAt,
        snapshots: false,
        reducer: args.options.generic === true ? 'generic' : 'auto',
      });
      if (json) {
        await printJson(io, { streamId: result.streamId, version: result.version, state: result.state });
        return EXIT.ok;
      }
      const views: string[] = [];
      if (occurredAt !== undefined) views.push(`as it happened at ${formatTime(occurredAt)}`);
      if (recordedAt !== undefined) views.push(`as known at ${formatTime(recordedAt)}`);
      const last =
        result.version === 0
          ? 'no event yet'
          : `last event: version ${result.version}, position ${result.position}, recorded ${formatTime(result.recordedAt!)}, occurred ${formatTime(result.occurredAt!)}`;
      await io.out(
        `${streamId} at version ${result.version} of ${result.streamVersion}${views.length > 0 ? ` (${views.join(', ')})` : ''}\n` +
          `${last}; reducer ${result.reducer}\n` +
          `${JSON.stringify(result.state, null, 2)}\n`,
      );
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};
