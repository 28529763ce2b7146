import { HindsightError } from '../../core/errors';
import { parseTime, toInterchange } from '../../core/interchange/jsonl';
import type { StoredEvent } from '../../core/store/types';
import { requireOption, stringOption } from '../argParser';
import { type CliCommand, EXIT, INCLUDE_WAL_OPTION, JSON_OPTION, printJson } from '../command';
import { FOREIGN_OPTIONS, openStoreOrForeign } from '../foreign';

export const historyCommand: CliCommand = {
  name: 'history',
  summary: "print a stream's events in the JSONL shape (optionally as known at a time)",
  spec: {
    positionals: [{ name: 'file', description: 'the store file, or a foreign store (Emmett, a mapped SQLite table)' }],
    options: {
      stream: { type: 'string', valueName: 'STREAM', description: 'the stream id' },
      'as-of': { type: 'string', valueName: 'ISO-8601', description: 'only events recorded at or before this time' },
      ...FOREIGN_OPTIONS,
      ...INCLUDE_WAL_OPTION,
      ...JSON_OPTION,
    },
  },
  examples: [
    'hindsight history audit.hindsight --stream account-42',
    'hindsight history audit.hindsight --stream account-42 --json',
  ],
  async run(args, { io, json }) {
    const file = args.positionals[0]!;
    const streamId = requireOption(args, 'stream', 'the stream id');
    const asOf = stringOption(args, 'as-of');
    const recordedUpTo = asOf === undefined ? undefined : parseTime(asOf, '--as-of');
    const { store } = await openStoreOrForeign(file, args, io);
    try {
      if (store.getStream(streamId) === undefined) {
        throw new HindsightError('not_found', `${file} has no stream ${streamId}.`, { streamId });
      }
      const events: StoredEvent[] = [];
      for (let fromVersion = 1; ; ) {
        const page = store.readStream(streamId, { fromVersion, recordedUpTo, limit: 10_000 });
        events.push(...page);
        if (page.length < 10_000) break;
        fromVersion = page[page.length - 1]!.streamVersion + 1;
      }
      const lines = events.map((e) => toInterchange(e, true));
      if (json) await printJson(io, lines);
      else await io.out(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};
