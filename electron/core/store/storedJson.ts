import { LIMITS } from './limits';

/**
 * JSON read back from a store file, which is never trusted: a file written by someone else can hold rows
 * our own append path would refuse (50 MB of `data`, arrays nested 100,000 deep, text that is not JSON,
 * metadata that is not an object). Every read path parses stored `data`, `metadata` and command payloads
 * through this module, which never throws: a payload it will not hand on comes back as a placeholder,
 *
 *   { "$unreadable": "The stored data is 5,242,880 bytes; Hindsight shows payloads up to 1,048,576 bytes." }
 *
 * (docs/file-format.md, "Reading untrusted rows"). The checks run before `JSON.parse`: the size first
 * (a length comparison; UTF-8 bytes are counted only for text near the limit), then the nesting depth
 * (only for text long enough to exceed it, and a string-aware scan only when it has that many brackets).
 *
 * `__proto__` keys: `JSON.parse` makes them ordinary own properties, which is harmless as long as nobody
 * copies them into a normal object with `=` or `Object.assign`. State reconstruction copies into
 * null-prototype objects (history/json.ts); spreads (`{...x}`) define properties and are safe too.
 */

/** The one key of a placeholder. */
export const UNREADABLE_KEY = '$unreadable';

/** What a read path gets instead of a payload it will not parse. */
export interface UnreadablePayload {
  $unreadable: string;
}

/** Which stored text is being read: named in the placeholder's sentence. */
export type StoredJsonKind = 'data' | 'metadata' | 'payload';

/** True for a placeholder made by this module (an object whose only key is `$unreadable`, with text). */
export function isUnreadable(value: unknown): value is UnreadablePayload {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length === 1 && keys[0] === UNREADABLE_KEY && typeof (value as UnreadablePayload).$unreadable === 'string'
  );
}

export function unreadable(sentence: string): UnreadablePayload {
  return { [UNREADABLE_KEY]: sentence } as UnreadablePayload;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** Why `text` must not be parsed (a sentence for the placeholder), or undefined when it may be. */
export function refusal(text: string, kind: StoredJsonKind): string | undefined {
  const maxBytes = LIMITS.maxEventPayloadBytes;
  // UTF-8 needs at least one byte and at most three per UTF-16 code unit, so most texts are decided by length.
  if (text.length * 3 > maxBytes) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxBytes) {
      return `The stored ${kind} is ${count(bytes)} bytes; Hindsight shows payloads up to ${count(maxBytes)} bytes.`;
    }
  }
  const maxDepth = LIMITS.maxNestingDepth;
  // Valid JSON nested deeper than maxDepth needs maxDepth + 1 opening and as many closing brackets.
  if (text.length >= 2 * (maxDepth + 1) && nestedDeeperThan(text, maxDepth)) {
    return `The stored ${kind} is nested more than ${maxDepth} levels deep; Hindsight shows payloads nested up to ${maxDepth} levels.`;
  }
  return undefined;
}

/**
 * True when objects/arrays in `text` nest deeper than `max` (brackets inside JSON strings do not count).
 * Most texts have fewer than `max` brackets in all, which a few `indexOf` calls establish.
 */
export function nestedDeeperThan(text: string, max: number): boolean {
  let brackets = 0;
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket); i !== -1; i = text.indexOf(bracket, i + 1)) {
      if (++brackets > max) return scanDepth(text, max);
    }
  }
  return false;
}

function scanDepth(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

function parseChecked(text: string, kind: StoredJsonKind): unknown {
  if (typeof text !== 'string') return unreadable(`The stored ${kind} is not text.`);
  const refused = refusal(text, kind);
  if (refused !== undefined) return unreadable(refused);
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return unreadable(
      `The stored ${kind} is not valid JSON (${reason.length > 120 ? `${reason.slice(0, 119)}…` : reason}).`,
    );
  }
}

/** An event's stored `data` (any JSON value), or a placeholder. Never throws. */
export function parseStoredData(text: string): unknown {
  return parseChecked(text, 'data');
}

/** A stored command payload (any JSON value), or a placeholder. Never throws. */
export function parseStoredPayload(text: string): unknown {
  return parseChecked(text, 'payload');
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

/** An event's stored `metadata`: always a plain object (a placeholder when the text is not a JSON object). */
export function parseStoredMetadata(text: string): Record<string, unknown> {
  const value = parseChecked(text, 'metadata');
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  return unreadable(`The stored metadata is ${describeJsonType(value)}, not a JSON object.`) as unknown as Record<
    string,
    unknown
  >;
}

/**
 * SQL for the top-level `key` of a stored metadata column, NULL when SQLite cannot read the text as JSON
 * (not JSON, or nested deeper than SQLite's own limit of 1,000): `json_extract` alone would fail the whole
 * query with "malformed JSON" on one such row. `textOnly`: NULL also when the value is not a string.
 */
export function metadataKeySql(key: string, opts: { column?: string; textOnly?: boolean } = {}): string {
  if (!/^[a-z_]+$/.test(key)) throw new Error(`metadataKeySql: unexpected key ${JSON.stringify(key)}`);
  const column = opts.column ?? 'metadata';
  const path = `'$.${key}'`;
  return opts.textOnly
    ? `CASE WHEN NOT json_valid(${column}) THEN NULL WHEN json_type(${column}, ${path}) = 'text' THEN json_extract(${column}, ${path}) END`
    : `CASE WHEN json_valid(${column}) THEN json_extract(${column}, ${path}) END`;
}
