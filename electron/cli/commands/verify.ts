import { runJob } from '../../core/jobs/runner';
import { stringOption } from '../argParser';
import { type CliCommand, EXIT, INCLUDE_WAL_OPTION, JSON_OPTION, openForReading, printJson } from '../command';

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'check the hash chain (and optionally a digest); exit 1 when the store was tampered with',
  spec: {
    positionals: [{ name: 'file', description: 'the store file' }],
    options: {
      digest: {
        type: 'string',
        valueName: 'POS:HASH',
        description: 'also prove the store still holds exactly the prefix this digest was taken of',
      },
      ...INCLUDE_WAL_OPTION,
      ...JSON_OPTION,
    },
  },
  examples: [
    'hindsight verify audit.hindsight',
    'hindsight verify audit.hindsight --digest 1200:9f86d081…',
    'hindsight verify audit.hindsight --json',
  ],
  async run(args, { io, json }) {
    const file = args.positionals[0]!;
    const digest = stringOption(args, 'digest');
    // Opened here (read-only, private copy) so that bad files fail fast with their own error; the chain
    // walk itself runs in a worker thread on that copy, as in the app.
    const store = await openForReading(file, args, io);
    let drawn = false;
    try {
      const result = await runJob(
        'verify',
        { path: store.verificationPath, digest, access: 'live' },
        {
          onProgress: (done, total) => {
            if (!io.errIsTTY || total === 0) return;
            drawn = true;
            void io.err(`\rverifying… ${Math.floor((100 * done) / total)}% (${done}/${total})`);
          },
        },
      );
      if (drawn) await io.err('\r\u001b[K');
      if (json) {
        await printJson(io, {
          ok: result.ok,
          events: result.events,
          head: result.head,
          firstBad: result.firstBad && { position: result.firstBad.position, reason: result.firstBad.reason },
        });
      } else if (result.ok) {
        const proved = digest === undefined ? '' : ` It still holds the prefix of digest ${result.digest}.`;
        await io.out(
          `OK: all ${result.events} events verified; digest ${result.head.position}:${result.head.hash}.${proved}\n`,
        );
      } else {
        await io.out(`TAMPERED: ${result.firstBad?.message} (${result.events} events before it are intact.)\n`);
      }
      return result.ok ? EXIT.ok : EXIT.failed;
    } finally {
      store.close();
    }
  },
};
