import { formatTime } from '../../core/interchange/jsonl';
import { formatInt } from '../../core/reports/text';
import type { StoreInfo } from '../../core/store/types';
import { type CliCommand, EXIT, INCLUDE_WAL_OPTION, JSON_OPTION, printJson } from '../command';
import { FOREIGN_OPTIONS, foreignStatement, mapArgument, type OpenedForeign, openStoreOrForeign } from '../foreign';

const time = (ms: number | null): string => (ms === null ? '—' : formatTime(ms));

function categoriesText(info: StoreInfo): string {
  return info.categories.length === 0
    ? '—'
    : info.categories.map((c) => `${c.category} (${c.streams} streams, ${c.events} events)`).join(', ');
}

function table(rows: [string, string][]): string {
  return `${rows.map(([k, v]) => `${k.padEnd(11)} ${v}`).join('\n')}\n`;
}

function summarize(info: StoreInfo): string {
  const rows: [string, string][] = [
    ['Store', info.path],
    ['Format', `${info.format} version ${info.formatVersion}`],
    ['Store id', info.storeId],
    ['Created', `${time(info.createdAt)} by ${info.createdBy || 'unknown'}`],
    ['Events', `${info.events} in ${info.streams} streams`],
    ['Recorded', `${time(info.firstRecordedAt)} … ${time(info.lastRecordedAt)} (UTC)`],
    ['Digest', info.digest],
    ['Categories', categoriesText(info)],
    ['File size', `${info.fileSize} bytes`],
  ];
  if (info.companions.length > 0) rows.push(['Beside it', info.companions.join(', ')]);
  return table(rows);
}

/**
 * What `info` says of a foreign store: the file (SHA-256, size), what it was read as, and what was read. No
 * digest: the derived store's chain is ours and proves nothing about the file.
 */
function foreignInfo(file: string, foreign: OpenedForeign, info: StoreInfo) {
  return {
    path: file,
    foreign: true as const,
    kind: foreign.info.kind,
    label: foreign.info.label,
    mapping: foreign.info.mapping,
    fileSha256: foreign.sha256,
    fileSize: foreign.size,
    integrity: { status: 'unprovable' as const, statement: foreignStatement(foreign.info) },
    rows: foreign.info.rows,
    adjusted: foreign.info.adjusted,
    timeSource: foreign.info.timeSource,
    notes: foreign.info.notes,
    events: info.events,
    streams: info.streams,
    firstRecordedAt: info.firstRecordedAt,
    lastRecordedAt: info.lastRecordedAt,
    categories: info.categories,
    walBeside: foreign.walBeside,
  };
}

function summarizeForeign(summary: ReturnType<typeof foreignInfo>, info: StoreInfo): string {
  const mapping = summary.mapping === null ? null : (mapArgument(summary.mapping) ?? JSON.stringify(summary.mapping));
  const rows: [string, string][] = [
    ['File', summary.path],
    ['Kind', `${summary.label} (a foreign store, read through an adapter)`],
  ];
  if (mapping !== null) rows.push(['Mapping', `--map ${mapping}`]);
  rows.push(
    ['SHA-256', summary.fileSha256],
    ['File size', `${summary.fileSize} bytes`],
    ['Integrity', 'no hash chain: no tamper evidence (only the SHA-256 identifies the file)'],
    [
      'Rows read',
      `${formatInt(summary.rows)}${summary.adjusted > 0 ? ` (${formatInt(summary.adjusted)} adjusted to be shown)` : ''}`,
    ],
    ['Times from', summary.timeSource === 'column' ? 'a column' : "the file's modification time (no time column)"],
    ['Events', `${info.events} in ${info.streams} streams`],
    ['Recorded', `${time(info.firstRecordedAt)} … ${time(info.lastRecordedAt)} (UTC)`],
    ['Categories', categoriesText(info)],
  );
  if (summary.walBeside) rows.push(['Beside it', '-wal (not read)']);
  for (const [i, note] of summary.notes.entries()) rows.push([i === 0 ? 'Notes' : '', note]);
  return `${table(rows)}${summary.integrity.statement}\n`;
}

export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'show what a store holds: ids, counts, time range, digest, categories (or a foreign store and its SHA-256)',
  spec: {
    positionals: [{ name: 'file', description: 'the store file, or a foreign store (Emmett, a mapped SQLite table)' }],
    options: { ...FOREIGN_OPTIONS, ...INCLUDE_WAL_OPTION, ...JSON_OPTION },
  },
  examples: [
    'hindsight info audit.hindsight --json',
    'hindsight info emmett.db',
    'hindsight info legacy.db --map table=audit_log,stream=aggregate_id,type=event_name,data=payload,position=seq',
  ],
  async run(args, { io, json }) {
    const file = args.positionals[0]!;
    const { store, foreign } = await openStoreOrForeign(file, args, io, { quiet: true });
    try {
      const info = { ...store.info(), path: file };
      if (foreign !== null) {
        const summary = foreignInfo(file, foreign, info);
        if (json) await printJson(io, summary);
        else await io.out(summarizeForeign(summary, info));
      } else if (json) await printJson(io, info);
      else await io.out(summarize(info));
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};
