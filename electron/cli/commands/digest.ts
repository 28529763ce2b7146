import { formatDigest } from '../../core/store/hashChain';
import { type CliCommand, EXIT, INCLUDE_WAL_OPTION, JSON_OPTION, printJson } from '../command';
import { identify, refuseWithoutChain } from '../foreign';

export const digestCommand: CliCommand = {
  name: 'digest',
  summary: "print the store's digest POS:HASH (after verifying the chain)",
  spec: {
    positionals: [{ name: 'file', description: 'the store file' }],
    options: {
      'no-verify': { type: 'boolean', description: 'print the head as stored, without walking the chain first' },
      ...INCLUDE_WAL_OPTION,
      ...JSON_OPTION,
    },
  },
  examples: ['hindsight digest audit.hindsight'],
  async run(args, { io, json }) {
    const file = args.positionals[0]!;
    const found = await identify(file, args, io);
    if (found.foreign !== null) {
      throw refuseWithoutChain(found.foreign, 'it has no digest (a digest pins a hash chain)');
    }
    const store = found.store;
    try {
      if (args.options['no-verify'] !== true) {
        const result = store.verify();
        if (!result.ok) {
          await io.err(`${file} fails verification, so it has no trustworthy digest: ${result.firstBad?.message}\n`);
          if (json)
            await printJson(io, {
              ok: false,
              firstBad: result.firstBad && { position: result.firstBad.position, reason: result.firstBad.reason },
            });
          return EXIT.failed;
        }
      }
      const head = store.head();
      if (json) await printJson(io, { digest: formatDigest(head), position: head.position, hash: head.hash });
      else await io.out(`${formatDigest(head)}\n`);
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};
