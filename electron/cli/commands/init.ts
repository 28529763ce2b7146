import { EventStore } from '../../core/store/eventStore';
import { type CliCommand, cliVersion, EXIT, JSON_OPTION, printJson } from '../command';

export const initCommand: CliCommand = {
  name: 'init',
  summary: 'create a new, empty store file (never overwrites)',
  spec: {
    positionals: [{ name: 'file', description: 'the store file to create, e.g. audit.hindsight' }],
    options: { ...JSON_OPTION },
  },
  examples: ['hindsight init audit.hindsight'],
  async run(args, { io, json }) {
    const file = args.positionals[0]!;
    const store = EventStore.create(file, { createdBy: `hindsight-cli ${cliVersion()}` });
    try {
      const info = store.info();
      if (json) {
        await printJson(io, {
          path: file,
          storeId: info.storeId,
          formatVersion: info.formatVersion,
          digest: info.digest,
        });
      } else {
        await io.out(`Created store ${file} (store id ${info.storeId}, format version ${info.formatVersion}).\n`);
      }
    } finally {
      store.close();
    }
    return EXIT.ok;
  },
};
