import { runJob } from '../../core/jobs/runner';
import { stringOption } from '../argParser';
import { type CliCommand, EXIT, INCLUDE_WAL_OPTION, JSON_OPTION, printJson } from '../command';
import { FOREIGN_OPTIONS, type ForeignFile, foreignStatement, identify } from '../foreign';
import type { CliIO } from '../io';

/**
 * A foreign store (or any SQLite file that is not a Hindsight store) has no hash chain: nothing can be verified.
 * Said plainly, with the file's SHA-256 (the one thing that identifies it), and exit 3, so that a script that
 * checks the exit code never takes such a file for verified.
 */
async function unprovable(foreign: ForeignFile, io: CliIO, json: boolean): Promise<number> {
  const statement = foreignStatement(foreign);
  if (foreign.walBeside) {
    await io.err(`note: ${foreign.file}-wal exists beside the file; the SHA-256 covers the main file only.\n`);
  }
  if (json) {
    await printJson(io, {
      ok: false,
      status: 'unprovable',
      events: 0,
      head: null,
      firstBad: null,
      fileSha256: foreign.sha256,
      label: foreign.label,
      message: statement,
    });
  } else {
    const what = foreign.plan === null ? foreign.label : `a foreign store (${foreign.label})`;
    await io.out(
      `NOT VERIFIED: ${foreign.file} is ${what}: it has no hash chain, so nothing can be verified: no tamper evidence.\n` +
        `SHA-256 ${foreign.sha256} (identifies the file; compare it with a later sha256sum to tell whether it changed)\n`,
    );
  }
  return EXIT.unprovable;
}

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'check the hash chain (and optionally a digest); exit 1 when tampered, 3 for a file without one',
  spec: {
    positionals: [{ name: 'file', description: 'the store file' }],
    options: {
      digest: {
        type: 'string',
        valueName: 'POS:HASH',
        description: 'also prove the store still holds exactly the prefix this digest was taken of',
      },
      ...FOREIGN_OPTIONS,
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
    const found = await identify(file, args, io);
    if (found.foreign !== null) return unprovable(found.foreign, io, json);
    const store = found.store;
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
