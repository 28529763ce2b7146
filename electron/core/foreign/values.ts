import { isUtf8 } from 'node:buffer';
import { LIMITS } from '../store/limits';

/**
 * Turning the values of a foreign row (whatever SQLite holds: text, numbers, BLOBs, NULL) into the parts
 * of an event. Nothing from the file is trusted: text is measured before it is parsed, nesting is
 * counted before it is parsed, and whatever cannot be shown as it is becomes a marked placeholder.
 */

/** The placeholder for a payload Hindsight will not parse: an object with this one key and a sentence. */
export const UNREADABLE_KEY = '$unreadable';

export type Parsed = { ok: true; value: unknown } | { ok: false; reason: string };

/** Deepest `{`/`[` nesting of a JSON text, stopping early past `limit`; string contents are skipped. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/** Parses JSON text from a file within the format's limits. */
export function parseForeignJson(text: string): Parsed {
  // UTF-16 length ≤ UTF-8 bytes, so a text longer than the cap in code units is over it in bytes too.
  if (text.length > LIMITS.maxEventPayloadBytes) {
    return {
      ok: false,
      reason: `the stored value is ${text.length.toLocaleString('en-US')} characters long; Hindsight shows values up to ${LIMITS.maxEventPayloadBytes.toLocaleString('en-US')} bytes`,
    };
  }
  if (text.length > 2 * LIMITS.maxNestingDepth && jsonDepthExceeds(text, LIMITS.maxNestingDepth)) {
    return { ok: false, reason: `the stored JSON is nested deeper than ${LIMITS.maxNestingDepth} levels` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: 'the stored value is not valid JSON' };
  }
}

export function unreadable(reason: string): Record<string, unknown> {
  return { [UNREADABLE_KEY]: `${reason[0]?.toUpperCase() ?? ''}${reason.slice(1)}.` };
}

/**
 * An event's data from a column value: JSON text is parsed; other text is kept as a string (some tables
 * store plain text); numbers stay numbers; a BLOB of UTF-8 is read as text; any other BLOB is described.
 */
export function dataFromValue(value: unknown): { value: unknown; problem?: string } {
  if (value === null || value === undefined) return { value: null };
  if (typeof value === 'number') return { value: Number.isFinite(value) ? value : String(value) };
  if (typeof value === 'bigint') return { value: value.toString() };
  let text: string;
  if (Buffer.isBuffer(value)) {
    if (!isUtf8(value)) {
      const problem = `a binary value of ${value.length} bytes is not text`;
      return { value: unreadable(problem), problem };
    }
    text = value.toString('utf8');
  } else {
    text = String(value);
  }
  const trimmed = text.trimStart();
  const looksLikeJson = /^[{["\d-]|^(true|false|null)\b/.test(trimmed);
  if (!looksLikeJson) {
    if (text.length > LIMITS.maxEventPayloadBytes) {
      const problem = `the stored text is ${text.length.toLocaleString('en-US')} characters long`;
      return { value: unreadable(problem), problem };
    }
    return { value: text };
  }
  const parsed = parseForeignJson(text);
  if (parsed.ok) return { value: parsed.value };
  // Text that merely starts like JSON ("2024 report") is shown as text; a cap that was hit is reported.
  if (parsed.reason === 'the stored value is not valid JSON') return { value: text };
  return { value: unreadable(parsed.reason), problem: parsed.reason };
}

/** Metadata is always an object: a non-object value is kept under `value`. */
export function metadataFromValue(value: unknown): { value: Record<string, unknown>; problem?: string } {
  if (value === null || value === undefined || value === '') return { value: {} };
  const data = dataFromValue(value);
  const parsed = data.value;
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    return { value: parsed as Record<string, unknown>, problem: data.problem };
  }
  return { value: { value: parsed }, problem: data.problem };
}

const CONTROL_OR_LONE_SURROGATE =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A stream id or event type the format can hold: text, without control characters, trimmed, at most
 * `max` characters; an empty one is named as such. `changed` says whether anything was altered.
 */
export function nameFromValue(value: unknown, max: number, emptyName: string): { name: string; changed: boolean } {
  const raw =
    value === null || value === undefined ? '' : Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  let name = raw.replace(CONTROL_OR_LONE_SURROGATE, '\uFFFD').trim();
  if (name.length > max) name = `${name.slice(0, max - 1)}…`;
  if (name === '') name = emptyName;
  return { name, changed: name !== raw };
}

const SQLITE_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const JULIAN_DAY_UNIX_EPOCH = 2440587.5;

/**
 * A time from a column value, as ms since 1970 UTC, or null when it cannot be read. Understands ISO-8601
 * and SQLite's `YYYY-MM-DD HH:MM:SS[.fff]` text (UTC unless a zone is given), Unix seconds, milliseconds
 * and microseconds (told apart by magnitude), and fractional Julian day numbers (SQLite's `julianday()`).
 */
export function timeFromValue(value: unknown): number | null {
  if (typeof value === 'bigint') return timeFromValue(Number(value));
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    if (!Number.isInteger(value) && value > 1_000_000 && value < 10_000_000) {
      return Math.round((value - JULIAN_DAY_UNIX_EPOCH) * 86_400_000);
    }
    const magnitude = Math.abs(value);
    const ms = magnitude >= 1e14 ? value / 1000 : magnitude >= 1e11 ? value : value * 1000;
    return Math.abs(ms) <= 8.64e15 ? Math.round(ms) : null;
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return timeFromValue(Number(text));
  const match = SQLITE_DATETIME.exec(text);
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  const ms = Math.round(Number(fraction || '0') * 1000);
  let time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return Number.isFinite(time) ? time : null;
}
