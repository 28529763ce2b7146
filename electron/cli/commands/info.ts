import { formatTime } from '../../core/interchange/jsonl';
import type { StoreInfo } from '../../core/store/types';
import { type CliCommand, EXIT, INCLUDE_WAL_OPTION, JSON_OPTION, openForReading, printJson } from '../command';

function summarize(info: StoreInfo): string {
  const time = (ms: number | null): string => (ms === null ? '—' : formatTime(ms));
  const categories =
    info.categories.length === 0
      ? '—'
      : info.categories.map((c) => `${c.category} (${c.streams} streams, ${c.events} events)`).join(', ');
  const rows: [string, string][] = [
    ['Store', info.path],
    ['Format', `${info.format} version ${info.formatVersion}`],
    ['Store id', info.storeId],
    ['Created', `${time(info.createdAt)} by ${info.createdBy || 'unknown'}`],
    ['Events', `${info.events} in ${info.streams} streams`],
    ['Recorded', `${time(info.firstRecordedAt)} … ${time(info.lastRecordedAt)} (UTC)`],
    ['Digest', info.digest],
    ['Categories', categories],
    ['File size', `${info.fileSize} bytes`],
  ];
  if (info.companions.length > 0) rows.push(['Beside it', info.companions.join(', ')]);
  return `${rows.map(([k, v]) => `${k.padEnd(11)} ${v}`).join('\n')}\n`;
}

export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'show what a store holds: ids, counts, time range, digest, categories',
  spec: {
    positionals: [{ name: 'file', description: 'the store file' }],
    options: { ...INCLUDE_WAL_OPTION, ...JSON_OPTION },
  },
  examples: ['hindsight info audit.hindsight --json'],
  async run(args, { io, json }) {
    const file = args.positionals[0]!;
    const store = await openForReading(file, args, io);
    try {
      const info = { ...store.info(), path: file };
      if (json) await printJson(io, info);
      else await io.out(summarize(info));
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};
