import { saveVerifiedCopy } from '../../core/store/verifiedCopy';
import { type CliCommand, EXIT, INCLUDE_WAL_OPTION, JSON_OPTION, printJson } from '../command';
import { identify, refuseWithoutChain } from '../foreign';

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
    const found = await identify(file, args, io);
    if (found.foreign !== null) {
      throw refuseWithoutChain(
        found.foreign,
        'no verified copy can be made (a verified copy proves a hash chain); copy the file as it is and keep its SHA-256',
      );
    }
    const store = found.store;
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
