import { formatTime } from '../interchange/jsonl';
import type { StoredEvent } from '../store/types';

/**
 * CSV per RFC 4180: fields separated by commas, records ended by CRLF, a field quoted (with its quotes
 * doubled) when it holds a comma, a quote, CR or LF. One row per event; `data` and `metadata` are their
 * canonical JSON text. Values are written exactly as stored (no formula escaping), so the file is faithful
 * evidence: open it in a spreadsheet with care (cells starting with `=`, `+`, `-`, `@` may be read as formulas).
 */

export const CSV_COLUMNS = [
  'globalPosition',
  'eventId',
  'streamId',
  'streamVersion',
  'type',
  'schemaVersion',
  'recordedAt',
  'occurredAt',
  'actor',
  'commandId',
  'correlationId',
  'causationId',
  'data',
  'metadata',
  'hash',
] as const;

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvRecord(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export const CSV_HEADER = csvRecord(CSV_COLUMNS);

function metaString(metadata: Record<string, unknown>, key: string): string {
  const value = Object.hasOwn(metadata, key) ? metadata[key] : undefined;
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * One event as a CSV record (CSV_COLUMNS order). Pass the stored JSON texts of `data` and `metadata` to write
 * them byte for byte (re-serializing parsed JSON may order integer-like keys differently).
 */
export function eventCsvRecord(event: StoredEvent, rawData?: string, rawMetadata?: string): string {
  return csvRecord([
    String(event.globalPosition),
    event.eventId,
    event.streamId,
    String(event.streamVersion),
    event.eventType,
    String(event.schemaVersion),
    formatTime(event.recordedAt),
    formatTime(event.occurredAt),
    metaString(event.metadata, 'actor'),
    metaString(event.metadata, 'command_id'),
    metaString(event.metadata, 'correlation_id'),
    metaString(event.metadata, 'causation_id'),
    rawData ?? JSON.stringify(event.data),
    rawMetadata ?? JSON.stringify(event.metadata),
    event.hash,
  ]);
}

/**
 * Parses RFC 4180 text back into records (for tests and round trips). Accepts CRLF or LF record ends.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      fieldStarted = false;
      i++;
    } else if (ch === '\r' || ch === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      fieldStarted = false;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      fieldStarted = true;
      i++;
    }
  }
  if (fieldStarted || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
