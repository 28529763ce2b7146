import type { ColumnMapping, ForeignTable } from '../../../shared/types';
import { HindsightError } from '../errors';

/** Checking a column mapping against the file's tables, and guessing one from column names. */

export const MAPPING_ROLES = ['stream', 'type', 'data', 'position', 'version', 'metadata', 'time', 'eventId'] as const;
export type MappingRole = (typeof MAPPING_ROLES)[number];
const REQUIRED_ROLES: readonly MappingRole[] = ['stream', 'type', 'data'];

const ROLE_NAMES: Record<MappingRole, string> = {
  stream: 'stream',
  type: 'event type',
  data: 'data',
  position: 'position',
  version: 'stream version',
  metadata: 'metadata',
  time: 'time',
  eventId: 'event id',
};

/** The roles that name a column, in one fixed order (so equal mappings serialize, and cache, alike). */
export function normalizeMapping(mapping: ColumnMapping): ColumnMapping {
  const result: ColumnMapping = {
    table: mapping.table,
    stream: mapping.stream,
    type: mapping.type,
    data: mapping.data,
  };
  for (const role of MAPPING_ROLES) {
    const column = mapping[role];
    if (column !== undefined && column !== '') result[role] = column;
  }
  return result;
}

/** A table's name and columns: all that checking a mapping needs (see `tableShapes`). */
export type TableShape = Pick<ForeignTable, 'name' | 'columns'>;

/** The mapping with only the roles that name a column, after checking that each column exists. */
export function validateMapping(mapping: ColumnMapping, tables: readonly TableShape[]): ColumnMapping {
  const table = tables.find((candidate) => candidate.name === mapping.table);
  if (!table) {
    throw new HindsightError('invalid_input', `The file has no table named "${mapping.table}".`, { field: 'table' });
  }
  const columns = new Set(table.columns.map((column) => column.name));
  for (const role of MAPPING_ROLES) {
    const column = mapping[role];
    if (column === undefined || column === '') {
      if (REQUIRED_ROLES.includes(role)) {
        throw new HindsightError('invalid_input', `Choose the column that holds the ${ROLE_NAMES[role]}.`, {
          field: role,
        });
      }
      continue;
    }
    if (!columns.has(column)) {
      throw new HindsightError(
        'invalid_input',
        `The table "${mapping.table}" has no column "${column}" (chosen for the ${ROLE_NAMES[role]}).`,
        { field: role },
      );
    }
  }
  return normalizeMapping(mapping);
}

// Common column names per role, most specific first.
const NAME_HINTS: Record<MappingRole, readonly string[]> = {
  stream: ['stream_id', 'stream_name', 'streamid', 'stream', 'aggregate_id', 'aggregateid', 'entity_id', 'subject'],
  type: ['event_type', 'message_type', 'eventtype', 'type', 'event_name', 'name', 'kind'],
  data: ['data', 'payload', 'event_data', 'message_data', 'body', 'json', 'content'],
  position: ['global_position', 'position', 'sequence', 'seq', 'sequence_number', 'offset', 'id'],
  version: ['stream_version', 'stream_position', 'version', 'revision', 'aggregate_version'],
  metadata: ['metadata', 'meta', 'message_metadata', 'headers', 'event_metadata'],
  time: ['recorded_at', 'created_at', 'created', 'timestamp', 'occurred_at', 'time', 'inserted_at', 'ts'],
  eventId: ['event_id', 'message_id', 'eventid', 'uuid', 'guid'],
};

function pick(names: readonly string[], hints: readonly string[], taken: Set<string>): string | undefined {
  const lower = new Map(names.map((name) => [name.toLowerCase(), name]));
  for (const hint of hints) {
    const name = lower.get(hint);
    if (name !== undefined && !taken.has(name)) return name;
  }
  return undefined;
}

/** The table that looks most like a log of events, with its columns guessed from their names; or null. */
export function suggestMapping(tables: readonly ForeignTable[]): ColumnMapping | null {
  let best: { mapping: ColumnMapping; score: number } | null = null;
  for (const table of tables) {
    const names = table.columns.map((column) => column.name);
    const taken = new Set<string>();
    const found: Partial<Record<MappingRole, string>> = {};
    for (const role of MAPPING_ROLES) {
      const name = pick(names, NAME_HINTS[role], taken);
      if (name !== undefined) {
        found[role] = name;
        taken.add(name);
      }
    }
    if (!found.stream || !found.type || !found.data) continue;
    const score = Object.keys(found).length * 1_000_000 + Math.min(table.rows, 999_999);
    if (best === null || score > best.score) {
      best = { mapping: { table: table.name, ...found } as ColumnMapping, score };
    }
  }
  return best?.mapping ?? null;
}
