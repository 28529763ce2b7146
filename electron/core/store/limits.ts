import { HindsightError } from '../errors';

/**
 * The documented limits of format v1 (docs/file-format.md, "Limits"). They are checked before anything
 * is written, so a caller that breaks one gets a typed error and the store is unchanged.
 */
export const LIMITS = {
  /** Canonical `data` + `metadata` of one event, in UTF-8 bytes. */
  maxEventPayloadBytes: 1024 * 1024,
  /** Objects/arrays nested deeper than this are refused (the top-level value is depth 1). */
  maxNestingDepth: 64,
  /** Stream ids, in UTF-16 code units (what JavaScript's `length` counts). */
  maxStreamIdLength: 256,
  /** Event types, in UTF-16 code units. */
  maxEventTypeLength: 256,
  /** Largest accepted `schemaVersion`. */
  maxSchemaVersion: 2_147_483_647,
  /** One JSONL line of an import file, in UTF-16 code units: checked before the line is parsed. */
  maxImportLineLength: 2 * 1024 * 1024 + 64 * 1024,
  /** A page of `readAll`, `readStream` or `listStreams`. */
  maxPageSize: 10_000,
  /** How far in the future an explicit `recordedAt` may lie (clock skew between machines). */
  maxRecordedAtSkewMs: 60_000,
} as const;

/** Earliest and latest instants a JavaScript Date can hold; times outside are refused. */
const MAX_TIME_MS = 8.64e15;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `s` holds a UTF-16 surrogate without its partner (not valid Unicode, not valid I-JSON). */
export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s);
}

// C0 and C1 control characters, DEL, and the Unicode line/paragraph separators.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function validateName(value: unknown, what: string, max: number): string {
  if (typeof value !== 'string') {
    throw new HindsightError('invalid_input', `The ${what} must be a string.`, { field: what });
  }
  if (value.length === 0) {
    throw new HindsightError('invalid_input', `The ${what} must not be empty.`, { field: what });
  }
  if (value.length > max) {
    throw new HindsightError('invalid_input', `The ${what} is ${value.length} characters long; the limit is ${max}.`, {
      field: what,
      length: value.length,
      limit: max,
    });
  }
  if (CONTROL_CHARS.test(value)) {
    throw new HindsightError('invalid_input', `The ${what} must not contain control characters.`, { field: what });
  }
  if (value.trim() !== value) {
    throw new HindsightError('invalid_input', `The ${what} must not start or end with white space.`, { field: what });
  }
  if (hasLoneSurrogate(value)) {
    throw new HindsightError('invalid_input', `The ${what} contains an unpaired UTF-16 surrogate.`, { field: what });
  }
  return value;
}

/** A stream id: non-empty, at most 256 characters, no control characters, no surrounding white space. */
export function validateStreamId(value: unknown): string {
  return validateName(value, 'stream id', LIMITS.maxStreamIdLength);
}

/** An event type: the same rules as a stream id. */
export function validateEventType(value: unknown): string {
  return validateName(value, 'event type', LIMITS.maxEventTypeLength);
}

/** The category of a stream: the part of its id before the first `-` (the whole id when it has none). */
export function categoryOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
}

/** A time in milliseconds since the Unix epoch (UTC): an integer a JavaScript Date can hold. */
export function validateTimeMs(value: unknown, field: string, opts: { min?: number } = {}): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || Math.abs(value) > MAX_TIME_MS) {
    throw new HindsightError('invalid_input', `The ${field} must be a whole number of milliseconds since 1970 (UTC).`, {
      field,
    });
  }
  if (opts.min !== undefined && value < opts.min) {
    throw new HindsightError('invalid_input', `The ${field} must not be before ${new Date(opts.min).toISOString()}.`, {
      field,
    });
  }
  return value;
}

export function validateSchemaVersion(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > LIMITS.maxSchemaVersion) {
    throw new HindsightError(
      'invalid_input',
      `The schema version must be a whole number from 1 to ${LIMITS.maxSchemaVersion}.`,
      {
        field: 'schemaVersion',
      },
    );
  }
  return value;
}

/** A page size: a whole number from 1 to `LIMITS.maxPageSize`; `fallback` when absent. */
export function validateLimit(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > LIMITS.maxPageSize) {
    throw new HindsightError('invalid_input', `The limit must be a whole number from 1 to ${LIMITS.maxPageSize}.`, {
      field: 'limit',
    });
  }
  return value;
}

/** A position or version bound: a whole number ≥ 0. */
export function validateNonNegativeInt(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new HindsightError('invalid_input', `The ${field} must be a whole number of 0 or more.`, { field });
  }
  return value;
}
