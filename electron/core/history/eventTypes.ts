import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { HindsightError } from '../errors';
import { canonicalize } from '../store/canonicalJson';
import type { EventStore } from '../store/eventStore';
import { validateEventType } from '../store/limits';
import { type CompiledRule, compileRules, compileRulesText } from './rules';

/**
 * The `event_types` table: declarative reducer rules per event type, part of the file's data when present
 * (docs/reconstruction.md). A store without the table reconstructs every unknown event type with the
 * default rule (the event's data as an RFC 7386 merge patch). The table is created on the first
 * `defineEventType`, only in a store open read-write.
 */

export const EVENT_TYPES_DDL = `
CREATE TABLE IF NOT EXISTS event_types (
  event_type  TEXT    PRIMARY KEY NOT NULL,
  rules       TEXT    NOT NULL,
  description TEXT    NOT NULL DEFAULT '',
  updated_at  INTEGER NOT NULL
)`;

export interface EventTypeDefinition {
  eventType: string;
  /** The rules as stored (a JSON array); `[]` means "events of this type do not change the state". */
  rules: unknown;
  description: string;
  updatedAt: number;
  /** Why the stored rules cannot be used, when they cannot (they are then refused when needed). */
  error?: string;
}

/** The rules of a store, validated: what the generic reducer needs. */
export interface RuleBook {
  /** Compiled rules per event type; types absent here use the default merge patch. */
  readonly rules: ReadonlyMap<string, readonly CompiledRule[]>;
  /** Event types whose stored rules are invalid: reconstructing an event of such a type throws this error. */
  readonly errors: ReadonlyMap<string, HindsightError>;
  /** A short hash of every stored rule (valid or not): part of the generic reducer's snapshot key. */
  readonly hash: string;
}

const EMPTY_HASH = 'none';

export const EMPTY_RULE_BOOK: RuleBook = Object.freeze({ rules: new Map(), errors: new Map(), hash: EMPTY_HASH });

function hasTable(db: Database.Database): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'event_types'").pluck().get() !== undefined
  );
}

interface EventTypeRow {
  event_type: unknown;
  rules: unknown;
  description: unknown;
  updated_at: unknown;
}

function readRows(db: Database.Database): EventTypeRow[] {
  if (!hasTable(db)) return [];
  try {
    return db
      .prepare('SELECT event_type, rules, description, updated_at FROM event_types ORDER BY event_type')
      .all() as EventTypeRow[];
  } catch (error) {
    throw new HindsightError(
      'invalid_input',
      `The store's event_types table does not have the expected columns (event_type, rules, description, updated_at): ${(error as Error).message}.`,
    );
  }
}

const ruleBookCache = new WeakMap<Database.Database, { signature: string; book: RuleBook }>();

/**
 * The validated rules of a store, cached per connection until the table's content changes. Invalid rules do
 * not fail here: they fail when an event of that type has to be reconstructed.
 */
export function loadRuleBook(store: EventStore): RuleBook {
  const db = store.db;
  const rows = readRows(db);
  if (rows.length === 0) return EMPTY_RULE_BOOK;
  const signature = JSON.stringify(rows.map((r) => [String(r.event_type), String(r.rules)]));
  const cached = ruleBookCache.get(db);
  if (cached?.signature === signature) return cached.book;
  const rules = new Map<string, readonly CompiledRule[]>();
  const errors = new Map<string, HindsightError>();
  for (const row of rows) {
    const eventType = String(row.event_type);
    try {
      if (typeof row.rules !== 'string') {
        throw new HindsightError(
          'invalid_input',
          `The reducer rules of event type ${JSON.stringify(eventType)} are not text.`,
          {
            eventType,
          },
        );
      }
      rules.set(eventType, compileRulesText(eventType, row.rules));
    } catch (error) {
      errors.set(
        eventType,
        error instanceof HindsightError
          ? error
          : new HindsightError(
              'invalid_input',
              `The reducer rules of event type ${JSON.stringify(eventType)} cannot be read.`,
              {
                eventType,
              },
            ),
      );
    }
  }
  const hash = createHash('sha256').update(signature).digest('hex').slice(0, 16);
  const book: RuleBook = { rules, errors, hash };
  ruleBookCache.set(db, { signature, book });
  return book;
}

/** Every row of the `event_types` table, with the reason its rules cannot be used, if any. */
export function listEventTypes(store: EventStore): EventTypeDefinition[] {
  return readRows(store.db).map((row) => {
    const eventType = String(row.event_type);
    const text = String(row.rules);
    let rules: unknown = text;
    let error: string | undefined;
    try {
      compileRulesText(eventType, text);
    } catch (e) {
      error = (e as Error).message;
    }
    try {
      rules = JSON.parse(text);
    } catch {
      // Shown as the stored text.
    }
    const definition: EventTypeDefinition = {
      eventType,
      rules,
      description: row.description === null || row.description === undefined ? '' : String(row.description),
      updatedAt: Number(row.updated_at) || 0,
    };
    if (error !== undefined) definition.error = error;
    return definition;
  });
}

function assertWritable(store: EventStore): void {
  if (store.mode !== 'read-write') {
    throw new HindsightError(
      'read_only',
      `The store ${store.path} is open read-only; its event types cannot be changed.`,
      {
        path: store.path,
      },
    );
  }
}

/**
 * Stores (or replaces) the reducer rules of an event type. The rules are validated first (`invalid_input`
 * naming the event type and the rule); the store must be open read-write. Returns the stored definition.
 */
export function defineEventType(
  store: EventStore,
  input: { eventType: string; rules: unknown; description?: string },
  now: number = Date.now(),
): EventTypeDefinition {
  assertWritable(store);
  const eventType = validateEventType(input.eventType);
  compileRules(eventType, input.rules);
  const description = input.description ?? '';
  if (typeof description !== 'string' || description.length > 4096) {
    throw new HindsightError(
      'invalid_input',
      'The description of an event type must be text of at most 4096 characters.',
      {
        field: 'description',
      },
    );
  }
  const text = canonicalize(input.rules, { what: `rules of ${eventType}` });
  store.transaction(() => {
    store.db.exec(EVENT_TYPES_DDL);
    store.db
      .prepare(
        `INSERT INTO event_types (event_type, rules, description, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (event_type) DO UPDATE SET rules = excluded.rules, description = excluded.description, updated_at = excluded.updated_at`,
      )
      .run(eventType, text, description, now);
  });
  return { eventType, rules: JSON.parse(text), description, updatedAt: now };
}

/** Removes the rules of an event type (it falls back to the default merge patch). True when a row was removed. */
export function removeEventType(store: EventStore, eventType: string): boolean {
  assertWritable(store);
  if (!hasTable(store.db)) return false;
  return store.transaction(
    () => store.db.prepare('DELETE FROM event_types WHERE event_type = ?').run(eventType).changes > 0,
  );
}
