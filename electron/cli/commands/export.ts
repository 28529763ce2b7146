import * as fs from 'node:fs';
import { exportJsonl } from '../../core/interchange/exportJsonl';
import { intOption, stringOption } from '../argParser';
import { type CliCommand, EXIT, INCLUDE_WAL_OPTION, openForReading } from '../command';

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'write events as JSONL (with globalPosition and hash) to stdout or a file',
  spec: {
    positionals: [{ name: 'file', description: 'the store file' }],
    options: {
      out: { type: 'string', valueName: 'FILE', description: 'write to FILE (replaced atomically) instead of stdout' },
      stream: { type: 'string', valueName: 'STREAM', description: "only this stream's events" },
      'from-position': { type: 'string', valueName: 'N', description: 'only events at global position N or later' },
      ...INCLUDE_WAL_OPTION,
    },
  },
  examples: [
    'hindsight export audit.hindsight --out all.jsonl',
    'hindsight export audit.hindsight --stream account-42',
  ],
  async run(args, { io }) {
    const file = args.positionals[0]!;
    const out = stringOption(args, 'out');
    const streamId = stringOption(args, 'stream');
    const fromPosition = intOption(args, 'from-position');
    const store = await openForReading(file, args, io);
    try {
      const pages = exportJsonl(store, { streamId, fromPosition });
      if (out === undefined) {
        for (const page of pages) await io.out(page);
        return EXIT.ok;
      }
      const temp = `${out}.${process.pid}.tmp`;
      const fd = fs.openSync(temp, 'w');
      try {
        for (const page of pages) fs.writeSync(fd, page);
        fs.fsyncSync(fd);
      } catch (error) {
        fs.closeSync(fd);
        fs.rmSync(temp, { force: true });
        throw error;
      }
      fs.closeSync(fd);
      fs.renameSync(temp, out);
    } finally {
      store.close();
    }
    return EXIT.ok;
  },
};
