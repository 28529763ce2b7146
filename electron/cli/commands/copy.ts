import { saveVerifiedCopy } from '../../core/store/verifiedCopy';
import { type CliCommand, EXIT, INCLUDE_WAL_OPTION, JSON_OPTION, openForReading, printJson } from '../command';

export const copyCommand: CliCommand = {
  name: 'copy',
  summary: 'write a verified single-file copy of a store (never overwrites)',
  spec: {
    positionals: [
      { name: 'file', description: 'the store file (read as evidence, never changed)' },
      { name: 'out', description: 'the copy to write (must not exist yet)' },
    ],
    options: { ...INCLUDE_WAL_OPTION, ...JSON_OPTION },
  },
  examples: ['hindsight copy shared.hindsight evidence-copy.hindsight'],
  async run(args, { io, json }) {
    const [file, out] = [args.positionals[0]!, args.positionals[1]!];
    const store = await openForReading(file, args, io);
    try {
      const copy = saveVerifiedCopy(store, out);
      if (json) await printJson(io, { ok: true, path: copy.path, digest: copy.digest });
      else await io.out(`Wrote ${copy.path}: verified, digest ${copy.digest}\n`);
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};
