import { HindsightError } from '../../core/errors';
import { formatTime } from '../../core/interchange/jsonl';
import { createDemoStore, DEMO_DEFAULT_EVENTS, DEMO_DEFAULT_SEED } from '../../core/investigate/demo';
import { intOption } from '../argParser';
import { type CliCommand, EXIT, JSON_OPTION, printJson } from '../command';

/**
 * `hindsight demo <file>`: writes the deterministic demo store (docs/demo.md). Same --seed and --events give
 * the same events, ids, times and digest.
 */
export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'create the demo store: four weeks of a web shop, with one incident to find (docs/demo.md)',
  spec: {
    positionals: [{ name: 'file', description: 'the store file to create (must not exist)' }],
    options: {
      seed: {
        type: 'string',
        valueName: 'N',
        description: `random seed (default ${DEMO_DEFAULT_SEED}): same seed, same store`,
      },
      events: {
        type: 'string',
        valueName: 'N',
        description: `about how many events to write (default ${DEMO_DEFAULT_EVENTS}; up to 20000000)`,
      },
      ...JSON_OPTION,
    },
  },
  examples: ['hindsight demo demo.hindsight', 'hindsight demo big.hindsight --events 1000000 --seed 7'],
  async run(args, { io, json }) {
    const file = args.positionals[0]!;
    const seed = intOption(args, 'seed');
    const events = intOption(args, 'events');
    let lastShown = 0;
    const result = createDemoStore(file, {
      ...(seed === undefined ? {} : { seed }),
      ...(events === undefined ? {} : { events }),
      onProgress: (written, target) => {
        if (!io.errIsTTY || written - lastShown < 50_000) return;
        lastShown = written;
        void io.err(`\r${Math.min(99, Math.floor((100 * written) / target))}% (${written} events)`);
      },
    });
    if (lastShown > 0) await io.err('\r\u001b[K');
    if (result.events === 0) throw new HindsightError('internal', 'The demo store came out empty.');
    if (json) {
      await printJson(io, { ...result, from: formatTime(result.from), to: formatTime(result.to) });
      return EXIT.ok;
    }
    await io.out(
      [
        `Created the demo store ${file}: ${result.events} events, ${result.commands} commands (${result.rejectedCommands} rejected), ${result.accounts} accounts, ${result.orders} orders.`,
        `It covers ${formatTime(result.from)} to ${formatTime(result.to)}; digest ${result.digest} (seed ${result.seed}).`,
        'Something went wrong with the payments one afternoon: find out what, who fixed it and how (docs/demo.md).',
        '',
      ].join('\n'),
    );
    return EXIT.ok;
  },
};
