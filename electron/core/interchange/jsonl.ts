import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import { HindsightError } from '../errors';
import { LIMITS } from '../store/limits';
import { errorCodeOf } from '../store/sqliteErrors';
import { isUnreadable } from '../store/storedJson';
import type { StoredEvent } from '../store/types';

/**
 * The JSONL interchange shape (docs/cli.md, "JSONL interchange"): one event per line,
 *   {"eventId","streamId","streamVersion","type","schemaVersion","data","metadata","recordedAt","occurredAt"}
 * with times as ISO-8601 UTC strings. Exports add "globalPosition" (first) and "hash" (last); imports
 * accept and ignore them, so an export can be imported as it is.
 */

export interface InterchangeEvent {
  globalPosition?: number;
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: Record<string, unknown>;
  recordedAt: string;
  occurredAt: string;
  hash?: string;
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString();
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 time with an explicit zone (`Z` or `±hh:mm`), or a whole number of ms since 1970. */
export function parseTime(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && ISO_UTC.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  throw new HindsightError(
    'invalid_input',
    `${field} must be an ISO-8601 time with a zone, such as 2024-05-01T12:00:00.000Z (got ${JSON.stringify(value)}).`,
    { field },
  );
}

/**
 * One event in the interchange shape. An event whose stored data or metadata could not be read (it shows the
 * `$unreadable` placeholder, store/storedJson.ts) is refused with `corrupt`: an export is a copy, and the
 * placeholder is not the event's data.
 */
export function toInterchange(event: StoredEvent, withChain: boolean): InterchangeEvent {
  const unreadable = isUnreadable(event.data) ? event.data : isUnreadable(event.metadata) ? event.metadata : null;
  if (unreadable !== null) {
    throw new HindsightError(
      'corrupt',
      `The event at position ${event.globalPosition} cannot be exported: ${unreadable.$unreadable}`,
      { position: event.globalPosition },
    );
  }
  const line: InterchangeEvent = withChain
    ? ({ globalPosition: event.globalPosition } as InterchangeEvent)
    : ({} as InterchangeEvent);
  line.eventId = event.eventId;
  line.streamId = event.streamId;
  line.streamVersion = event.streamVersion;
  line.type = event.eventType;
  line.schemaVersion = event.schemaVersion;
  line.data = event.data;
  line.metadata = event.metadata;
  line.recordedAt = formatTime(event.recordedAt);
  line.occurredAt = formatTime(event.occurredAt);
  if (withChain) line.hash = event.hash;
  return line;
}

/**
 * Reads a text file line by line, synchronously (imports run inside one SQLite transaction), in 1 MiB
 * chunks. Each line's length is checked before it is handed on, so an oversized line is refused without
 * being parsed. Blank lines are skipped. `onLine` gets the line and its 1-based number.
 */
export function forEachLine(
  file: string,
  onLine: (line: string, lineNo: number) => void,
  onChunk?: (bytesRead: number, totalBytes: number) => void,
): number {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    const code = errorCodeOf(error);
    if (code === 'ENOENT') throw new HindsightError('not_found', `${file} does not exist.`, { path: file });
    if (code === 'EISDIR')
      throw new HindsightError('is_directory', `${file} is a folder, not a JSONL file.`, { path: file });
    if (code === 'EACCES' || code === 'EPERM') {
      throw new HindsightError('permission_denied', `${file} cannot be read: permission denied.`, { path: file });
    }
    throw error;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory())
      throw new HindsightError('is_directory', `${file} is a folder, not a JSONL file.`, { path: file });
    const total = stat.size;
    // Read bytes, cut after the last newline of what was read, and decode only whole lines: a newline
    // byte never occurs inside a multi-byte UTF-8 character, so each decoded piece is complete text.
    let buffer = Buffer.allocUnsafe(1024 * 1024);
    let held = 0; // bytes of an unfinished line kept at the start of `buffer`
    let lineNo = 0;
    let read = 0;
    const tooLong = (n: number): HindsightError =>
      new HindsightError(
        'payload_too_large',
        `Line ${n} of ${file} is longer than ${LIMITS.maxImportLineLength} characters.`,
        {
          path: file,
          line: n,
          limit: LIMITS.maxImportLineLength,
        },
      );
    const emit = (raw: string): void => {
      lineNo++;
      if (raw.length > LIMITS.maxImportLineLength + 1) throw tooLong(lineNo);
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.trim() === '') return;
      onLine(line, lineNo);
    };
    const decode = (bytes: Buffer): string => {
      if (!isUtf8(bytes)) {
        throw new HindsightError('invalid_input', `${file} is not UTF-8 text (after line ${lineNo}).`, {
          path: file,
          line: lineNo + 1,
        });
      }
      return bytes.toString('utf8');
    };
    for (;;) {
      if (held === buffer.length) {
        if (held > LIMITS.maxImportLineLength * 3 + 3) throw tooLong(lineNo + 1);
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, held);
        buffer = bigger;
      }
      const n = fs.readSync(fd, buffer, held, buffer.length - held, null);
      read += n;
      const end = held + n;
      const lastNewline = n === 0 ? end - 1 : buffer.lastIndexOf(0x0a, end - 1);
      if (lastNewline >= 0 && (n === 0 || lastNewline >= held)) {
        const text = decode(buffer.subarray(0, n === 0 ? end : lastNewline + 1));
        let start = 0;
        for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
          emit(text.slice(start, nl));
          start = nl + 1;
        }
        if (start < text.length) emit(text.slice(start)); // the last line, without a newline
        const rest = n === 0 ? 0 : end - (lastNewline + 1);
        buffer.copy(buffer, 0, lastNewline + 1, end);
        held = rest;
      } else {
        held = end;
      }
      onChunk?.(read, total);
      if (n === 0) break;
    }
    return lineNo;
  } finally {
    fs.closeSync(fd);
  }
}
