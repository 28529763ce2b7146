import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, CSV_HEADER, csvField, eventCsvRecord, parseCsv } from '../../../electron/core/investigate/csv';
import type { StoredEvent } from '../../../electron/core/store/types';

describe('CSV (RFC 4180)', () => {
  it('quotes only fields that need it, doubling quotes; records end with CRLF', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(CSV_HEADER.endsWith('\r\n')).toBe(true);
    expect(parseCsv(CSV_HEADER)).toEqual([[...CSV_COLUMNS]]);
  });

  it('round-trips an event with commas, quotes, line breaks and non-ASCII text', () => {
    const event: StoredEvent = {
      globalPosition: 7,
      eventId: '019c6b87-1476-7c14-9988-ec8c1ba437c1',
      streamId: 'order-o-1,2',
      streamVersion: 3,
      eventType: 'Noted',
      schemaVersion: 1,
      data: { note: 'He said "refund",\r\nthen left — Zoë' },
      metadata: { actor: 'support:alice', correlation_id: 'c-1', reason: '=1+1' },
      recordedAt: Date.UTC(2026, 1, 17, 14, 5),
      occurredAt: Date.UTC(2026, 1, 17, 14, 4),
      prevHash: '0'.repeat(64),
      hash: 'a'.repeat(64),
    };
    const rows = parseCsv(CSV_HEADER + eventCsvRecord(event));
    expect(rows).toHaveLength(2);
    const record = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    expect(record).toMatchObject({
      globalPosition: '7',
      streamId: 'order-o-1,2',
      recordedAt: '2026-02-17T14:05:00.000Z',
      occurredAt: '2026-02-17T14:04:00.000Z',
      actor: 'support:alice',
      commandId: '',
      correlationId: 'c-1',
      causationId: '',
      hash: 'a'.repeat(64),
    });
    expect(JSON.parse(record.data!)).toEqual(event.data);
    expect(JSON.parse(record.metadata!)).toEqual(event.metadata);
  });

  it('writes the stored JSON text as given', () => {
    const event = {
      globalPosition: 1,
      eventId: 'e',
      streamId: 's',
      streamVersion: 1,
      eventType: 't',
      schemaVersion: 1,
      data: { '10': 1, '2': 2 },
      metadata: {},
      recordedAt: 0,
      occurredAt: 0,
      prevHash: '',
      hash: '',
    } satisfies StoredEvent;
    const row = parseCsv(eventCsvRecord(event, '{"10":1,"2":2}', '{}'))[0]!;
    expect(row[12]).toBe('{"10":1,"2":2}');
  });
});
