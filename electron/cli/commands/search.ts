import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HindsightError } from '../../core/errors';
import { parseTime, toInterchange } from '../../core/interchange/jsonl';
import { CSV_HEADER, eventCsvRecord } from '../../core/investigate/csv';
import { countEvents, searchEvents } from '../../core/investigate/search';
import { buildSearchIndex } from '../../core/investigate/searchIndex';
import type { SearchFilters } from '../../core/investigate/types';
import type { EventStore } from '../../core/store/eventStore';
import { intOption, type ParsedArgs, stringOption } from '../argParser';
import { type CliCommand, EXIT, INCLUDE_WAL_OPTION, JSON_OPTION, printJson } from '../command';
import { MAP_OPTIONS, openStoreOrForeign } from '../foreign';
import { type CliIO, progressTo } from '../io';

/**
 * `hindsight search <file> [filters]`: the events matching every filter, oldest first, in the JSONL interchange
 * shape (one per line, with globalPosition and hash, as `hindsight export` writes them), or CSV, or with --json
 * one document `{total, events}`. The store is read as evidence (a private read-only copy); a --text search
 * needs the full-text index, which is built in --cache-dir (kept for the next search) or in a temporary folder.
 */

const PAGE = 1000;

/** A list option: comma-separated values (`--type A,B`); also accepts a repeated option if the parser gives a list. */
function listOption(args: ParsedArgs, name: string): string[] | undefined {
  const raw = args.options[name] as unknown;
  if (raw === undefined || raw === false) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw])
    .flatMap((value) => String(value).split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
  if (values.length === 0) {
    throw new HindsightError('invalid_input', `The option --${name} needs at least one value.`, { usage: true });
  }
  return values;
}

function filtersOf(args: ParsedArgs): SearchFilters {
  const filters: SearchFilters = {};
  const types = listOption(args, 'type');
  if (types !== undefined) filters.types = types;
  const actors = listOption(args, 'actor');
  if (actors !== undefined) filters.actors = actors;
  const prefix = stringOption(args, 'stream-prefix');
  if (prefix !== undefined) filters.streamPrefix = prefix;
  const category = stringOption(args, 'category');
  if (category !== undefined) filters.category = category;
  const correlation = stringOption(args, 'correlation');
  if (correlation !== undefined) filters.correlationId = correlation;
  const commandId = stringOption(args, 'command-id');
  if (commandId !== undefined) filters.commandId = commandId;
  const text = stringOption(args, 'text');
  if (text !== undefined) filters.text = text;
  const from = stringOption(args, 'from');
  if (from !== undefined) filters.recordedFrom = parseTime(from, '--from');
  const to = stringOption(args, 'to');
  if (to !== undefined) filters.recordedTo = parseTime(to, '--to');
  return filters;
}

async function prepareIndex(store: EventStore, cacheDir: string, io: CliIO): Promise<void> {
  const progress = progressTo(io, 'building the search index');
  buildSearchIndex(store, { cacheDir, onProgress: progress.onProgress });
  await progress.end();
}

export const searchCommand: CliCommand = {
  name: 'search',
  summary: 'find events by time, stream, type, actor, correlation, command or free text (JSONL, CSV or JSON)',
  spec: {
    positionals: [
      {
        name: 'file',
        description: 'the store file, or a foreign store (Emmett, a mapped SQLite table); never changed',
      },
    ],
    options: {
      type: { type: 'string', valueName: 'TYPE[,TYPE…]', description: 'only events of these types' },
      actor: {
        type: 'string',
        valueName: 'ACTOR[,ACTOR…]',
        description: 'only events whose metadata.actor is one of these',
      },
      'stream-prefix': { type: 'string', valueName: 'PREFIX', description: 'only streams whose id starts with PREFIX' },
      category: {
        type: 'string',
        valueName: 'CATEGORY',
        description: 'only streams of this category (id before the first -)',
      },
      correlation: { type: 'string', valueName: 'ID', description: 'only events with this correlation id' },
      'command-id': { type: 'string', valueName: 'ID', description: 'only events appended by this command' },
      text: {
        type: 'string',
        valueName: 'QUERY',
        description: 'words that must all occur in the event (type, stream, data, metadata); "a phrase", prefix*',
      },
      from: { type: 'string', valueName: 'ISO-8601', description: 'only events recorded at or after this time' },
      to: { type: 'string', valueName: 'ISO-8601', description: 'only events recorded at or before this time' },
      limit: { type: 'string', valueName: 'N', description: 'print at most N events (the total still counts all)' },
      csv: { type: 'boolean', description: 'print CSV (RFC 4180, one row per event) instead of JSONL' },
      'cache-dir': {
        type: 'string',
        valueName: 'DIR',
        description:
          'keep the full-text index of --text, and a foreign store read into our format, in DIR for the next runs (default: a temporary folder for the index)',
      },
      ...MAP_OPTIONS,
      ...INCLUDE_WAL_OPTION,
      ...JSON_OPTION,
    },
  },
  examples: [
    'hindsight search shop.hindsight --actor payments-worker@2.4.0-rc1 --type MoneyWithdrawn',
    'hindsight search shop.hindsight --text "duplicate charge" --from 2026-02-17T00:00:00Z --json',
    'hindsight search shop.hindsight --category order --text BOOK* --csv > books.csv',
  ],
  async run(args, { io, json }) {
    const file = args.positionals[0]!;
    const filters = filtersOf(args);
    const limit = intOption(args, 'limit');
    const csv = args.options.csv === true;
    if (csv && json)
      throw new HindsightError('invalid_input', 'Use either --csv or --json, not both.', { usage: true });
    const given = stringOption(args, 'cache-dir');
    const temp = filters.text !== undefined && given === undefined;
    const cacheDir = given ?? (temp ? fs.mkdtempSync(path.join(os.tmpdir(), 'hindsight-search-')) : undefined);
    try {
      const { store } = await openStoreOrForeign(file, args, io);
      try {
        if (filters.text !== undefined) await prepareIndex(store, cacheDir!, io);
        let remaining = limit ?? Number.POSITIVE_INFINITY;
        let after: number | undefined;
        let total: number | null = null;
        const events: unknown[] = [];
        if (csv) await io.out(CSV_HEADER);
        if (remaining === 0) total = countEvents(store, filters, { cacheDir });
        while (remaining > 0) {
          const page = searchEvents(store, filters, {
            limit: Math.min(PAGE, remaining),
            count: total === null,
            cacheDir,
            ...(after === undefined ? {} : { after }),
          });
          if (total === null) total = page.total;
          if (json) events.push(...page.items.map((e) => toInterchange(e, true)));
          else if (csv) await io.out(page.items.map((e) => eventCsvRecord(e)).join(''));
          else await io.out(page.items.map((e) => `${JSON.stringify(toInterchange(e, true))}\n`).join(''));
          remaining -= page.items.length;
          if (page.next === null) break;
          after = page.next;
        }
        if (json) await printJson(io, { total: total ?? 0, events });
        else if ((total ?? 0) === 0) await io.err('No events match.\n');
        return EXIT.ok;
      } finally {
        store.close();
      }
    } finally {
      if (temp && cacheDir !== undefined) fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  },
};
