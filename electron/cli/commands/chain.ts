import { HindsightError } from '../../core/errors';
import { correlationChain } from '../../core/investigate/chain';
import { formatChainText } from '../../core/investigate/chainText';
import { stringOption } from '../argParser';
import { type CliCommand, EXIT, INCLUDE_WAL_OPTION, JSON_OPTION, openForReading, printJson } from '../command';

/**
 * `hindsight chain <file> --event ID`: the correlation / causation tree around an event (commands, rejected ones
 * included, and events across streams, each event with the state change it made), indented by causation.
 */
export const chainCommand: CliCommand = {
  name: 'chain',
  summary: 'show the correlation/causation tree of an event: commands, rejections and state changes',
  spec: {
    positionals: [{ name: 'file', description: 'the store file (read as evidence: never changed)' }],
    options: {
      event: { type: 'string', valueName: 'EVENT-ID', description: 'the event whose chain to show' },
      correlation: { type: 'string', valueName: 'ID', description: 'or: the correlation id whose chain to show' },
      ...INCLUDE_WAL_OPTION,
      ...JSON_OPTION,
    },
  },
  examples: [
    'hindsight chain shop.hindsight --event 019c6b2e-7b2e-7c1d-9f00-1a2b3c4d5e6f',
    'hindsight chain shop.hindsight --correlation 019c6b2e-0000-7000-8000-000000000000 --json',
  ],
  async run(args, { io, json }) {
    const file = args.positionals[0]!;
    const eventId = stringOption(args, 'event');
    const correlationId = stringOption(args, 'correlation');
    if ((eventId === undefined) === (correlationId === undefined)) {
      throw new HindsightError('invalid_input', 'Give either --event ID or --correlation ID.', { usage: true });
    }
    const store = await openForReading(file, args, io);
    try {
      const chain = correlationChain(store, eventId !== undefined ? { eventId } : { correlationId: correlationId! });
      if (json) await printJson(io, chain);
      else await io.out(formatChainText(chain));
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};
