import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ColumnMapping, ForeignSourceInfo, ForeignTable } from '../../shared/types';
import { fileSha256 } from '../core/app/fileFingerprint';
import { HindsightError } from '../core/errors';
import {
  type ForeignPlan,
  materializeParams,
  notAStoreTables,
  type OpenedDerived,
  openDerived,
  openExistingDerived,
  planFor,
} from '../core/foreign/derivedStore';
import { inspectTables } from '../core/foreign/inspect';
import { MAPPING_ROLES, suggestMapping } from '../core/foreign/mapping';
import { labelOf, materializeForeign } from '../core/foreign/materialize';
import { openForeignDb } from '../core/foreign/sourceDb';
import { shellQuote } from '../core/reports/text';
import type { EventStore } from '../core/store/eventStore';
import { type OptionSpec, type ParsedArgs, stringOption } from './argParser';
import { openForReading } from './command';
import type { CliIO } from './io';

/**
 * Foreign stores in the CLI: someone else's event store (Emmett's SQLite store, detected by its tables) or
 * any SQLite table of events read through a column mapping (`--map`, `--mapping`). The file is read once,
 * through a private copy, into a derived store of our format in a cache folder (reused by later runs while
 * the file's bytes and the mapping stay the same), and the reading commands work on that. The derived
 * store's hash chain is ours and proves nothing about the file: a foreign store has no tamper evidence, and
 * only the SHA-256 of the file identifies it.
 */

/** The keys of `--map` / `--mapping`, in the order a mapping is written. */
const MAPPING_KEYS = ['table', ...MAPPING_ROLES] as const;
type MappingKey = (typeof MAPPING_KEYS)[number];
const REQUIRED_KEYS: readonly MappingKey[] = ['table', 'stream', 'type', 'data'];

export const MAP_OPTIONS: Record<string, OptionSpec> = {
  map: {
    type: 'string',
    valueName: 'table=T,stream=C,type=C,data=C[,…]',
    description: `read a SQLite table of events through this column mapping (keys: ${MAPPING_KEYS.join(', ')})`,
  },
  mapping: {
    type: 'string',
    valueName: 'FILE',
    description: 'the column mapping as a JSON object with those keys (--map entries override it)',
  },
};

export const CACHE_DIR_OPTION: Record<string, OptionSpec> = {
  'cache-dir': {
    type: 'string',
    valueName: 'DIR',
    description:
      'where a foreign store read into our format is kept for later runs (default: $XDG_CACHE_HOME/hindsight, else a folder in the temp folder)',
  },
};

/** The options of every command that reads foreign stores. */
export const FOREIGN_OPTIONS: Record<string, OptionSpec> = { ...MAP_OPTIONS, ...CACHE_DIR_OPTION };

function usage(message: string, details: Record<string, unknown> = {}): HindsightError {
  return new HindsightError('invalid_input', message, { ...details, usage: true });
}

function mappingKey(key: string, where: string): MappingKey {
  const found = MAPPING_KEYS.find((candidate) => candidate.toLowerCase() === key.trim().toLowerCase());
  if (found === undefined) {
    throw usage(`Unknown ${where} key "${key.trim()}": the keys are ${MAPPING_KEYS.join(', ')}.`, {
      field: key.trim(),
    });
  }
  return found;
}

/** `--map table=audit_log,stream=aggregate_id,…` as key/column pairs (usage errors name the key). */
function parseMapOption(text: string): Partial<Record<MappingKey, string>> {
  const result: Partial<Record<MappingKey, string>> = {};
  for (const entry of text.split(',')) {
    if (entry.trim() === '')
      throw usage(`--map has an empty entry in "${text}": give key=COLUMN pairs separated by commas.`);
    const eq = entry.indexOf('=');
    if (eq === -1) throw usage(`--map entry "${entry.trim()}" needs the form key=COLUMN (e.g. stream=aggregate_id).`);
    const key = mappingKey(entry.slice(0, eq), '--map');
    const column = entry.slice(eq + 1).trim();
    if (column === '') throw usage(`--map ${key}= needs a column name.`, { field: key });
    if (result[key] !== undefined) throw usage(`--map gives ${key} twice.`, { field: key });
    result[key] = column;
  }
  return result;
}

/** The JSON of `--mapping FILE`: an object of key → column name. */
function parseMappingFile(file: string): Partial<Record<MappingKey, string>> {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw usage(`The mapping file ${file} could not be read as JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usage(`The mapping file ${file} must hold a JSON object such as {"table": "…", "stream": "…", …}.`);
  }
  const result: Partial<Record<MappingKey, string>> = {};
  for (const [rawKey, column] of Object.entries(value)) {
    const key = mappingKey(rawKey, `--mapping (${file})`);
    if (typeof column !== 'string' || column.trim() === '') {
      throw usage(`In the mapping file ${file}, "${rawKey}" must name a column (a non-empty string).`, { field: key });
    }
    result[key] = column.trim();
  }
  return result;
}

/** The column mapping given by `--mapping` and/or `--map` (null when neither), keys in their fixed order. */
function mappingOf(args: ParsedArgs): ColumnMapping | null {
  const file = stringOption(args, 'mapping');
  const map = stringOption(args, 'map');
  if (file === undefined && map === undefined) return null;
  const merged = {
    ...(file === undefined ? {} : parseMappingFile(file)),
    ...(map === undefined ? {} : parseMapOption(map)),
  };
  const missing = REQUIRED_KEYS.filter((key) => merged[key] === undefined);
  if (missing.length > 0) {
    throw usage(
      `The column mapping needs ${REQUIRED_KEYS.join(', ')}; missing: ${missing.join(', ')} (e.g. --map ${missing
        .map((key) => `${key}=COLUMN`)
        .join(',')}).`,
      { field: missing[0] },
    );
  }
  const mapping: Partial<Record<MappingKey, string>> = {};
  for (const key of MAPPING_KEYS) if (merged[key] !== undefined) mapping[key] = merged[key];
  return mapping as ColumnMapping;
}

/** A mapping as the `--map` value that gives it (null when a name cannot be written that way). */
export function mapArgument(mapping: ColumnMapping): string | null {
  const entries = MAPPING_KEYS.flatMap((key) => (mapping[key] === undefined ? [] : [[key, mapping[key]!] as const]));
  if (entries.some(([, column]) => /[,=]/.test(column) || column.trim() !== column)) return null;
  return entries.map(([key, column]) => `${key}=${column}`).join(',');
}

/** Where derived stores are kept: `--cache-dir`, else `$XDG_CACHE_HOME/hindsight`, else a folder in the temp folder. */
function cliCacheDir(args: ParsedArgs): string {
  const given = stringOption(args, 'cache-dir');
  if (given !== undefined) return path.resolve(given);
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg !== undefined && path.isAbsolute(xdg)) return path.join(xdg, 'hindsight');
  return path.join(os.tmpdir(), `hindsight-cli-cache-${process.getuid?.() ?? 'user'}`);
}

/** What a foreign file is, before (or without) reading it: enough for `verify`, `copy` and `digest`. */
export interface ForeignFile {
  /** The file as given on the command line. */
  file: string;
  sha256: string;
  /** Size and modification time before the SHA-256 was taken: reading it later checks they did not change. */
  size: number;
  mtimeMs: number;
  /** e.g. `Emmett SQLite event store`, `mapped table "audit_log"`, or a plain SQLite database. */
  label: string;
  /** How to read it as events; null for a SQLite file that is no event store we know (and no mapping given). */
  plan: ForeignPlan | null;
  tables: string[];
  /** A `-wal` lies beside it: the adapter reads the main file only, and the SHA-256 covers the main file only. */
  walBeside: boolean;
  /** Why it did not open as a Hindsight store (`not_a_store`, with the existing message). */
  notAStore: HindsightError;
}

/** An open foreign store: the derived store to read, what the file is, and what was read. */
export interface OpenedForeign extends ForeignFile {
  plan: ForeignPlan;
  store: EventStore;
  info: ForeignSourceInfo;
}

type OpenedSource = { store: EventStore; foreign: null } | { store: EventStore; foreign: OpenedForeign };

/** Opens a store, or tells what foreign file it is (without reading its rows); other errors are thrown. */
export async function identify(
  file: string,
  args: ParsedArgs,
  io: CliIO,
): Promise<{ store: EventStore; foreign: null } | { store: null; foreign: ForeignFile }> {
  const mapping = mappingOf(args); // a bad --map is a usage error before the file is read
  let store: EventStore;
  try {
    store = await openForReading(file, args, io);
  } catch (error) {
    const tables = notAStoreTables(error);
    if (tables === null) throw error;
    return { store: null, foreign: await describeForeign(file, error as HindsightError, tables, mapping, args) };
  }
  if (mapping !== null) {
    store.close();
    throw usage(`${file} is a Hindsight store: --map and --mapping are only for SQLite files that are not.`);
  }
  return { store, foreign: null };
}

async function describeForeign(
  file: string,
  notAStore: HindsightError,
  tables: string[],
  mapping: ColumnMapping | null,
  args: ParsedArgs,
): Promise<ForeignFile> {
  if (args.options['include-wal'] === true) {
    throw usage(
      `${file} is not a Hindsight store; --include-wal only applies to Hindsight stores (a foreign file is read from its main file only).`,
    );
  }
  if (mapping !== null && !tables.includes(mapping.table)) {
    throw usage(
      `--map table=${mapping.table}: ${file} has no table named "${mapping.table}" (its tables: ${tables.join(', ') || 'none'}).`,
      {
        field: 'table',
        tables,
      },
    );
  }
  const plan: ForeignPlan | null = mapping !== null ? { kind: 'table', mapping } : planFor(tables, null);
  const { size, mtimeMs } = fs.statSync(file);
  return {
    file,
    sha256: await fileSha256(file),
    size,
    mtimeMs,
    label:
      plan === null ? 'a SQLite database that is not an event store Hindsight knows' : labelOf(plan.kind, plan.mapping),
    plan,
    tables,
    walBeside: fs.existsSync(`${file}-wal`),
    notAStore,
  };
}

/** The sentence every foreign answer carries. */
export function foreignStatement(foreign: Pick<ForeignFile, 'label'>): string {
  return `No tamper evidence: ${foreign.label} has no hash chain; only the file's SHA-256 identifies it.`;
}

function walNote(foreign: ForeignFile): string {
  return foreign.walBeside
    ? `note: ${foreign.file}-wal exists beside the file; it is not read (the adapter reads the main file only), so changes in it that were not yet written into the file are not included, and the SHA-256 covers the main file only.\n`
    : '';
}

/**
 * Opens a store for reading, or reads a foreign file into its derived store (reused from the cache when the
 * file and mapping are unchanged). A SQLite file that is neither fails with the tables and a `--map` hint.
 * Unless `quiet`, a foreign store is announced on stderr (no hash chain, no tamper evidence).
 */
export async function openStoreOrForeign(
  file: string,
  args: ParsedArgs,
  io: CliIO,
  opts: { quiet?: boolean } = {},
): Promise<OpenedSource> {
  const found = await identify(file, args, io);
  if (found.foreign === null) return { store: found.store, foreign: null };
  const foreign = found.foreign;
  if (foreign.plan === null) throw await notMappedError(foreign.notAStore, foreign.tables, cliCacheDir(args));
  await io.err(walNote(foreign));
  const derived = await readForeign(foreign, foreign.plan, cliCacheDir(args), io);
  const opened: OpenedForeign = { ...foreign, plan: foreign.plan, store: derived.store, info: derived.info };
  if (!opts.quiet) {
    await io.err(
      `note: ${file} is a foreign store, read through an adapter (${derived.info.label}). ${foreignStatement(derived.info)}\n`,
    );
  }
  return { store: derived.store, foreign: opened };
}

async function readForeign(
  foreign: ForeignFile,
  plan: ForeignPlan,
  cacheDir: string,
  io: CliIO,
): Promise<OpenedDerived> {
  const source = path.resolve(foreign.file);
  const params = materializeParams(source, foreign.sha256, plan, cacheDir);
  const cached = openExistingDerived(params.target);
  if (cached !== null) return cached;
  let drawn = false;
  try {
    materializeForeign(params, {
      onProgress: (done, total) => {
        if (!io.errIsTTY || total === 0) return;
        drawn = true;
        void io.err(
          `\rreading ${foreign.file} (${foreign.label})… ${Math.floor((100 * done) / total)}% (${done}/${total})`,
        );
      },
    });
  } catch (error) {
    throw mappingError(error, foreign, plan, cacheDir);
  } finally {
    if (drawn) await io.err('\r\u001b[K');
  }
  // The derived store is keyed by the SHA-256 taken before reading: the file must not have changed since.
  const after = fs.statSync(source);
  if (after.size !== foreign.size || after.mtimeMs !== foreign.mtimeMs) {
    fs.rmSync(params.target, { force: true });
    throw new HindsightError(
      'locked',
      `${foreign.file} changed while it was being read; another program is writing to it. Try again when it is finished.`,
      { path: foreign.file },
    );
  }
  return openDerived(params.target);
}

/** A mapping that does not fit the file, said in `--map` words with the table's columns. */
function mappingError(error: unknown, foreign: ForeignFile, plan: ForeignPlan, cacheDir: string): unknown {
  const field = error instanceof HindsightError ? error.details?.field : undefined;
  if (
    !(error instanceof HindsightError) ||
    error.code !== 'invalid_input' ||
    plan.kind !== 'table' ||
    typeof field !== 'string'
  ) {
    return error;
  }
  let columns = '';
  try {
    const db = openForeignDb(foreign.file, { privateDir: path.join(cacheDir, 'copies') });
    try {
      const table = inspectTables(db.db).find((t) => t.name === plan.mapping?.table);
      if (table !== undefined)
        columns = ` The columns of "${table.name}": ${table.columns.map((c) => c.name).join(', ')}.`;
    } finally {
      db.close();
    }
  } catch {
    // the columns are a courtesy; the error stands without them
  }
  return usage(`${error.message.replace(/\.$/, '')} (--map ${field}=…).${columns}`, { ...error.details, field });
}

function describeTable(table: ForeignTable): string {
  return `${table.name}: ${table.rows} ${table.rows === 1 ? 'row' : 'rows'}`;
}

/** `not_a_store` with what to do: its tables, and a `--map` line to copy when the columns suggest one. */
async function notMappedError(
  notAStore: HindsightError,
  tableNames: string[],
  cacheDir: string,
): Promise<HindsightError> {
  const file = String(notAStore.details?.path ?? '');
  if (tableNames.length === 0) return notAStore;
  let tables: ForeignTable[] = [];
  try {
    const db = openForeignDb(file, { privateDir: path.join(cacheDir, 'copies') });
    try {
      tables = inspectTables(db.db);
    } finally {
      db.close();
    }
  } catch {
    // listed by name only
  }
  const suggested = suggestMapping(tables);
  const listed = tables.length > 0 ? tables.map(describeTable).join(', ') : tableNames.join(', ');
  const argument = suggested === null ? null : mapArgument(suggested);
  const suggestion =
    suggested === null
      ? ' No table looks like a log of events by its column names.'
      : argument === null
        ? ` Suggested from its column names (as a --mapping file): ${JSON.stringify(suggested)}`
        : ` Suggested from its column names: --map ${shellQuote(argument)}`;
  return new HindsightError(
    'not_a_store',
    `${notAStore.message.replace(/\.$/, '')}. To read one of its tables (${listed}) as events, give a column mapping: --map table=TABLE,stream=COLUMN,type=COLUMN,data=COLUMN[,position=…,version=…,metadata=…,time=…,eventId=…] or --mapping FILE.json.${suggestion}`,
    { ...notAStore.details, tables: tableNames, mappable: true, suggested, suggestedMap: argument },
  );
}

/**
 * `copy` and `digest` of a file without a hash chain: refused, with the file's SHA-256, which is all that
 * identifies it. `details.unprovable` makes the CLI exit 3. `what` completes "… so <what>".
 */
export function refuseWithoutChain(foreign: ForeignFile, what: string): HindsightError {
  const kind = foreign.plan === null ? foreign.label : `a foreign store (${foreign.label})`;
  return new HindsightError(
    'not_a_store',
    `${foreign.file} is ${kind}: it has no hash chain (no tamper evidence), so ${what}. Its SHA-256 is ${foreign.sha256}.`,
    { path: foreign.file, unprovable: true, label: foreign.label, fileSha256: foreign.sha256 },
  );
}
