import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HindsightError } from '../../core/errors';
import { formatTime, parseTime } from '../../core/interchange/jsonl';
import { readModelAsOf } from '../../core/projections/asOf';
import { recordedAtOf } from '../../core/projections/events';
import { listReadModels, queryReadModel } from '../../core/projections/query';
import { attachReadModels, catchUp, detachReadModels } from '../../core/projections/runtime';
import type {
  AsOf,
  FilterOp,
  ProjectionColumn,
  ReadModelFilter,
  ReadModelPage,
  ReadModelQuery,
  ReadModelRow,
  ReadModelStatus,
} from '../../core/projections/types';
import type { EventStore } from '../../core/store/eventStore';
import { intOption, type ParsedArgs, stringOption } from '../argParser';
import { type CliCommand, EXIT, INCLUDE_WAL_OPTION, JSON_OPTION, openForReading, printJson } from '../command';
import { type CliIO, progressTo } from '../io';

/**
 * `hindsight readmodel <file> [<name>]`: the read models of a store (docs/read-models.md), built from its events
 * in a private cache: the store is read as evidence (a private read-only copy) and never changed. Without a
 * name: every read model with its status. With a name: its rows (all of them, or --limit), now or as of a time
 * (--at) or a position (--position). The cache is --cache-dir (kept, so the next call only folds new events) or
 * a temporary folder removed afterwards.
 */

const CACHE_DIR_OPTION = {
  'cache-dir': {
    type: 'string' as const,
    valueName: 'DIR',
    description: 'keep the read models in DIR for the next call (default: a temporary folder, removed afterwards)',
  },
};

const OPS: readonly FilterOp[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'contains', 'startsWith', 'isNull', 'notNull'];

function usage(message: string): HindsightError {
  return new HindsightError('invalid_input', message, { usage: true });
}

/** Runs `fn` with a cache folder: --cache-dir (created if needed, kept) or a temporary one (removed). */
export async function withCacheDir<T>(args: ParsedArgs, fn: (cacheDir: string) => Promise<T>): Promise<T> {
  const given = stringOption(args, 'cache-dir');
  if (given !== undefined) {
    fs.mkdirSync(given, { recursive: true });
    return fn(given);
  }
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'hindsight-readmodels-'));
  try {
    return await fn(temp);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/** `--sort COLUMN` or `COLUMN:desc`. */
function sortOf(args: ParsedArgs): ReadModelQuery['sort'] {
  const text = stringOption(args, 'sort');
  if (text === undefined) return undefined;
  const [column, dir = 'asc', extra] = text.split(':');
  if (column === undefined || column === '' || extra !== undefined || (dir !== 'asc' && dir !== 'desc')) {
    throw usage(`--sort must be COLUMN or COLUMN:asc or COLUMN:desc, not "${text}".`);
  }
  return { column, dir };
}

/** `--where COLUMN:OP[:VALUE]`, comma-free; numbers are numbers for non-text columns. */
function filterOf(text: string, columns: readonly ProjectionColumn[]): ReadModelFilter {
  const first = text.indexOf(':');
  const second = first === -1 ? -1 : text.indexOf(':', first + 1);
  const column = first === -1 ? text : text.slice(0, first);
  const op = (second === -1 ? text.slice(first + 1) : text.slice(first + 1, second)) as FilterOp;
  if (first === -1 || !OPS.includes(op)) {
    throw usage(`--where must be COLUMN:OP:VALUE with OP one of ${OPS.join(', ')} (got "${text}").`);
  }
  if (op === 'isNull' || op === 'notNull') return { column, op };
  if (second === -1) throw usage(`--where ${text} needs a value: COLUMN:${op}:VALUE.`);
  const raw = text.slice(second + 1);
  const type = columns.find((c) => c.name === column)?.type;
  if (type === undefined || type === 'text') return { column, op, value: raw };
  if (type === 'time' && !/^-?\d+$/.test(raw)) return { column, op, value: parseTime(raw, `--where ${column}`) };
  const value = Number(raw);
  if (!Number.isFinite(value)) throw usage(`--where ${text}: ${column} is a ${type} column and needs a number.`);
  return { column, op, value };
}

function cell(value: string | number | null, column: ProjectionColumn): string {
  if (value === null) return '';
  if (column.type === 'time' && typeof value === 'number') return formatTime(value);
  return String(value).replace(/[\t\n\r]/g, ' ');
}

function rowsText(n: number): string {
  return n === 1 ? '1 row' : `${n} rows`;
}

function statusLine(m: ReadModelStatus): string {
  const state = m.status === 'failed' && m.error !== null ? `failed at position ${m.error.position}` : m.status;
  return [
    m.name.padEnd(12),
    `v${m.version}`.padEnd(4),
    `${m.position}/${m.head}`.padEnd(20),
    state.padEnd(24),
    rowsText(m.rows),
  ].join(' ');
}

async function list(store: EventStore, io: CliIO, json: boolean): Promise<number> {
  const models = listReadModels(store);
  const head = store.head().position;
  if (json) {
    await printJson(io, {
      head,
      readModels: models.map(
        ({ columns: _c, primaryKey: _k, defaultSort: _s, timeSeries: _t, location: _l, needsJob: _n, ...m }) => m,
      ),
    });
  } else {
    await io.out(`${'name'.padEnd(12)} ${'ver'.padEnd(4)} ${'position/head'.padEnd(20)} ${'status'.padEnd(24)} rows\n`);
    await io.out(models.map((m) => `${statusLine(m)}\n`).join(''));
    for (const m of models) {
      if (m.error !== null) {
        await io.err(
          `${m.name} stopped at position ${m.error.position} (event ${m.error.eventId}, ${m.error.eventType}): ${m.error.message}\n`,
        );
      }
    }
  }
  return models.some((m) => m.status === 'failed') ? EXIT.failed : EXIT.ok;
}

export const readmodelCommand: CliCommand = {
  name: 'readmodel',
  summary: 'list the read models of a store with their status, or print one (now, or as of a time or position)',
  spec: {
    positionals: [
      { name: 'file', description: 'the store file (read as evidence: never changed)' },
      {
        name: 'name',
        description: 'a read model (accounts, orders, streams, event-types, actors, activity)',
        optional: true,
      },
    ],
    options: {
      at: {
        type: 'string',
        valueName: 'ISO-8601',
        description: 'as of this time: the events recorded at or before it',
      },
      position: { type: 'string', valueName: 'N', description: 'as of this position: events 1 … N' },
      sort: {
        type: 'string',
        valueName: 'COLUMN[:desc]',
        description: "sort by this column (default: the read model's)",
      },
      where: {
        type: 'string',
        valueName: 'COLUMN:OP:VALUE',
        description: `only rows matching (OP: ${OPS.join(', ')})`,
      },
      limit: { type: 'string', valueName: 'N', description: 'print at most N rows (default: all)' },
      ...CACHE_DIR_OPTION,
      ...INCLUDE_WAL_OPTION,
      ...JSON_OPTION,
    },
  },
  examples: [
    'hindsight readmodel shop.hindsight',
    'hindsight readmodel shop.hindsight accounts --sort balance:desc --limit 10',
    'hindsight readmodel shop.hindsight orders --at 2026-02-17T00:00:00Z --where status:eq:paid --json',
    'hindsight readmodel shop.hindsight streams --position 1000 --cache-dir ~/.cache/hindsight',
  ],
  async run(args, { io, json }) {
    const file = args.positionals[0]!;
    const name = args.positionals[1];
    const at = stringOption(args, 'at');
    const position = intOption(args, 'position');
    if (at !== undefined && position !== undefined) throw usage('Give --at or --position, not both.');
    const time = at === undefined ? undefined : parseTime(at, '--at');
    const limit = intOption(args, 'limit');
    if (name === undefined && (time !== undefined || position !== undefined || args.options.where !== undefined)) {
      throw usage('--at, --position and --where need the name of a read model.');
    }
    return withCacheDir(args, async (cacheDir) => {
      const store = await openForReading(file, args, io);
      try {
        attachReadModels(store, { cacheDir, maxCatchUp: 0 });
        const progress = progressTo(io, 'building read models');
        catchUp(store, { names: name === undefined ? undefined : [name], onProgress: progress.onProgress });
        await progress.end();
        if (name === undefined) return await list(store, io, json);

        const first = queryReadModel(store, name, { limit: 1 });
        const where = stringOption(args, 'where');
        const query: ReadModelQuery = { sort: sortOf(args), limit: Math.min(1000, limit ?? 1000), count: false };
        if (where !== undefined) query.filters = [filterOf(where, first.columns)];
        const asOfTarget = time !== undefined ? { time } : position !== undefined ? { position } : undefined;
        const rows: ReadModelRow[] = [];
        let asOf: AsOf = { position: first.position, time: recordedAtOf(store.db, first.position) };
        let page: ReadModelPage;
        let after: string | null = null;
        for (;;) {
          if (asOfTarget === undefined) {
            page = queryReadModel(store, name, { ...query, after });
          } else {
            const dated = readModelAsOf(store, name, asOfTarget, { ...query, after });
            asOf = dated.asOf;
            page = dated;
          }
          rows.push(...page.rows);
          if (page.next === null || (limit !== undefined && rows.length >= limit)) break;
          after = page.next;
        }
        if (limit !== undefined) rows.length = Math.min(rows.length, limit);
        if (page.status === 'failed' && page.error !== null) {
          await io.err(
            `note: ${name} stopped at position ${page.error.position} (event ${page.error.eventId}, ${page.error.eventType}): ${page.error.message}; the rows show positions 1 … ${page.position}.\n`,
          );
        }
        if (json) {
          await printJson(io, { name, asOf, rows });
        } else {
          const columns = page.columns;
          const when = asOf.time === null ? '' : `, recorded up to ${formatTime(asOf.time)}`;
          await io.err(`${name} as of position ${asOf.position}${when}: ${rowsText(rows.length)}\n`);
          await io.out(`${columns.map((c) => c.name).join('\t')}\n`);
          await io.out(rows.map((r) => `${columns.map((c) => cell(r[c.name] ?? null, c)).join('\t')}\n`).join(''));
        }
        return page.status === 'failed' ? EXIT.failed : EXIT.ok;
      } finally {
        detachReadModels(store);
        store.close();
      }
    });
  },
};
