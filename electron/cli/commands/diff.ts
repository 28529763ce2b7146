import { type Change, diffVersions } from '../../core/history/diff';
import { intOption, requireOption } from '../argParser';
import { type CliCommand, EXIT, INCLUDE_WAL_OPTION, JSON_OPTION, openForReading, printJson } from '../command';

function requireVersion(args: Parameters<CliCommand['run']>[0], name: string): number {
  requireOption(args, name, 'a stream version');
  return intOption(args, name)!;
}

function pathText(path: string[]): string {
  return path.length === 0
    ? '(whole state)'
    : path.map((key) => (/^[A-Za-z0-9_$-]+$/.test(key) ? key : JSON.stringify(key))).join('.');
}

function describeChange(change: Change): string {
  const value = (v: unknown) => JSON.stringify(v);
  switch (change.kind) {
    case 'added':
      return `+ ${pathText(change.path)}: ${value(change.after)}`;
    case 'removed':
      return `- ${pathText(change.path)}: ${value(change.before)}`;
    case 'changed':
      return `~ ${pathText(change.path)}: ${value(change.before)} → ${value(change.after)}`;
  }
}

/** `hindsight diff`: what changed in a stream's state between two versions, folded from the events. */
export const diffCommand: CliCommand = {
  name: 'diff',
  summary: "show what changed in a stream's state between two versions",
  spec: {
    positionals: [{ name: 'file', description: 'the store file' }],
    options: {
      stream: { type: 'string', valueName: 'STREAM', description: 'the stream id' },
      from: { type: 'string', valueName: 'V1', description: 'the earlier version (0 = before the first event)' },
      to: { type: 'string', valueName: 'V2', description: 'the later version' },
      generic: { type: 'boolean', description: "fold with the generic data-only reducer, even for a domain's stream" },
      ...INCLUDE_WAL_OPTION,
      ...JSON_OPTION,
    },
  },
  examples: [
    'hindsight diff audit.hindsight --stream account-42 --from 3 --to 9',
    'hindsight diff audit.hindsight --stream order-7 --from 0 --to 4 --json',
  ],
  async run(args, { io, json }) {
    const file = args.positionals[0]!;
    const streamId = requireOption(args, 'stream', 'the stream id');
    const from = requireVersion(args, 'from');
    const to = requireVersion(args, 'to');
    const store = await openForReading(file, args, io);
    try {
      const diff = diffVersions(store, streamId, from, to, {
        snapshots: false,
        reducer: args.options.generic === true ? 'generic' : 'auto',
      });
      if (json) {
        await printJson(io, { streamId, from, to, changes: diff.changes, delta: diff.delta });
        return EXIT.ok;
      }
      const lines = diff.changes.map(describeChange);
      await io.out(
        `${streamId}: version ${from} → ${to}, ${lines.length === 0 ? 'no change' : `${lines.length} change(s)`}\n` +
          lines.map((line) => `  ${line}\n`).join(''),
      );
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};
