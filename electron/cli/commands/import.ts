import * as fs from 'node:fs';
import { HindsightError } from '../../core/errors';
import { importJsonl } from '../../core/interchange/importJsonl';
import { EventStore } from '../../core/store/eventStore';
import { type CliCommand, cliVersion, EXIT, JSON_OPTION, printJson } from '../command';

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'append the events of a JSONL file, all or nothing (creates the store if missing)',
  spec: {
    positionals: [
      { name: 'file', description: 'the store file (created when it does not exist)' },
      { name: 'events.jsonl', description: 'the JSONL file to import, one event per line' },
    ],
    options: { ...JSON_OPTION },
  },
  examples: ['hindsight import audit.hindsight events.jsonl'],
  async run(args, { io, json }) {
    const [file, source] = args.positionals as [string, string];
    // Checked before the store is created, so a typo in the JSONL path leaves no empty store behind.
    if (!fs.existsSync(source)) throw new HindsightError('not_found', `${source} does not exist.`, { path: source });
    if (fs.statSync(source).isDirectory()) {
      throw new HindsightError('is_directory', `${source} is a folder, not a JSONL file.`, { path: source });
    }
    const created = !fs.existsSync(file);
    const store = created
      ? EventStore.create(file, { createdBy: `hindsight-cli ${cliVersion()}` })
      : EventStore.open(file, { mode: 'read-write' });
    let result: Awaited<ReturnType<typeof importJsonl>>;
    try {
      result = await importJsonl(store, source);
    } catch (error) {
      store.close();
      if (created) for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
      throw error;
    }
    const head = store.head();
    store.close();
    if (json) {
      await printJson(io, { path: file, created, ...result, head });
    } else {
      const skipped = result.skipped > 0 ? ` (${result.skipped} already stored, skipped)` : '';
      await io.out(
        `${created ? 'Created' : 'Updated'} ${file}: imported ${result.imported} events${skipped}; head ${head.position}:${head.hash}.\n`,
      );
    }
    return EXIT.ok;
  },
};
