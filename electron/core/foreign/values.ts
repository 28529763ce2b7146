import { isUtf8 } from 'node:buffer';
import { refusal, unreadable } from '../store/storedJson';

/**
 * Turning the values of a foreign row (whatever SQLite holds: text, numbers, BLOBs, NULL) into the parts
 * of an event. Nothing from the file is trusted: text is measured before it is parsed, nesting is
 * counted before it is parsed, and whatever cannot be shown as it is becomes a marked placeholder.
 */

/**
 * An event's data from a column value: JSON text is parsed; other text is kept as a string (some tables
 * store plain text); numbers stay numbers; a BLOB of UTF-8 is read as text; any other BLOB is described.
 */
export function dataFromValue(
  value: unknown,
  kind: 'data' | 'metadata' = 'data',
): { value: unknown; problem?: string } {
  if (value === null || value === undefined) return { value: null };
  if (typeof value === 'number') return { value: Number.isFinite(value) ? value : String(value) };
  if (typeof value === 'bigint') return { value: value.toString() };
  let text: string;
  if (Buffer.isBuffer(value)) {
    if (!isUtf8(value)) {
      const problem = `The stored value is ${value.length.toLocaleString('en-US')} bytes of binary data, not text.`;
      return { value: unreadable(problem), problem };
    }
    text = value.toString('utf8');
  } else {
    text = String(value);
  }
  // Too big or too deeply nested: never parsed (the same caps as for rows of our own format).
  const refused = refusal(text, kind);
  if (refused !== undefined) return { value: unreadable(refused), problem: refused };
  if (!/^\s*([{["\d-]|true\b|false\b|null\b)/.test(text)) return { value: text };
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { value: text }; // text that merely starts like JSON ("2024 report") is shown as the text it is
  }
}

/** Metadata is always an object: a non-object value is kept under `value`. */
export function metadataFromValue(value: unknown): { value: Record<string, unknown>; problem?: string } {
  if (value === null || value === undefined || value === '') return { value: {} };
  const data = dataFromValue(value, 'metadata');
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
  // Date.UTC rolls month 13 into the next year; a time that is not on the calendar is unreadable instead.
  const [month, day, hour, minute, second] = [mo, d, h, mi, s].map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const ms = Math.round(Number(fraction || '0') * 1000);
  let time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return Number.isFinite(time) ? time : null;
}
