import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HindsightError } from '../../../electron/core/errors';
import { exportJsonl } from '../../../electron/core/interchange/exportJsonl';
import { importJsonl } from '../../../electron/core/interchange/importJsonl';
import { EventStore } from '../../../electron/core/store/eventStore';
import { LIMITS } from '../../../electron/core/store/limits';
import { makeStore, writeSampleJsonl } from '../../helpers/storeFixtures';
import { useTempDir } from '../../helpers/tempDir';

// biome-ignore lint/correctness/useHookAtTopLevel: useTempDir is a Vitest helper (afterEach cleanup), not a React hook.
const tempDir = useTempDir('hindsight-jsonl-');

function exportAll(store: EventStore, opts: Parameters<typeof exportJsonl>[1] = {}): string {
  return [...exportJsonl(store, opts)].join('');
}

async function importError(store: EventStore, file: string): Promise<HindsightError> {
  try {
    await importJsonl(store, file);
  } catch (error) {
    if (error instanceof HindsightError) return error;
    throw error;
  }
  throw new Error('the import did not fail');
}

function line(fields: Record<string, unknown>): string {
  return JSON.stringify({ streamId: 'account-1', type: 'T', data: {}, ...fields });
}

describe('JSONL export and import', () => {
  it('round-trips a store: same events, same times, same chain, same digest', async () => {
    const dir = tempDir();
    const source = makeStore(dir, 250, 9);
    source.append('ström-é', [
      { type: 'Ünïcode', data: { t: '😀' }, metadata: { actor: 'ann' }, occurredAt: -5, schemaVersion: 3 },
    ]);
    const text = exportAll(source);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(251);
    const first = JSON.parse(lines[0]!);
    expect(Object.keys(first)).toEqual([
      'globalPosition',
      'eventId',
      'streamId',
      'streamVersion',
      'type',
      'schemaVersion',
      'data',
      'metadata',
      'recordedAt',
      'occurredAt',
      'hash',
    ]);
    expect(first.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const file = path.join(dir, 'all.jsonl');
    fs.writeFileSync(file, text);

    const target = EventStore.create(path.join(dir, 'copy.hindsight'));
    expect(await importJsonl(target, file)).toEqual({
      imported: 251,
      skipped: 0,
      lines: 251,
      firstPosition: 1,
      lastPosition: 251,
    });
    expect(target.info().digest).toBe(source.info().digest);
    expect(exportAll(target)).toBe(text);
    expect(target.getStream('ström-é')).toMatchObject({ version: 1, category: 'ström' });

    // Importing the same file again writes nothing: every line is already stored.
    expect(await importJsonl(target, file)).toMatchObject({ imported: 0, skipped: 251 });
    expect(target.head().position).toBe(251);
    source.close();
    target.close();
  });

  it('exports one stream, and from a position on', () => {
    const store = makeStore(tempDir(), 30, 3);
    const stream = exportAll(store, { streamId: 'order-1' })
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(stream.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(stream.every((e) => e.streamId === 'order-1')).toBe(true);
    const tail = exportAll(store, { fromPosition: 25 })
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(tail.map((e) => e.globalPosition)).toEqual([25, 26, 27, 28, 29, 30]);
    const streamTail = exportAll(store, { streamId: 'order-1', fromPosition: 25 })
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(streamTail.map((e) => e.globalPosition)).toEqual([26, 29]);
    expect(exportAll(store, { fromPosition: 31 })).toBe('');
    store.close();
  });

  it('imports lines without versions to the end of their streams, and keeps ids and times', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'in.jsonl');
    fs.writeFileSync(
      file,
      [
        line({
          eventId: '0190A5C4-7B2E-7C1D-9F00-1A2B3C4D5E6F',
          recordedAt: '2024-05-01T12:00:00.000Z',
          occurredAt: '2024-04-30T08:00:00+02:00',
        }),
        '',
        line({ streamVersion: 2, recordedAt: '2024-05-01T12:00:01Z' }),
        `${line({ streamId: 'order-9', metadata: { actor: 'ann' }, recordedAt: 1714564802000 })}\r`,
      ].join('\n'),
    );
    const store = EventStore.create(path.join(dir, 's.hindsight'));
    expect(await importJsonl(store, file)).toMatchObject({ imported: 3, lines: 3 });
    const [a, b, c] = store.readAll();
    expect(a).toMatchObject({
      eventId: '0190a5c4-7b2e-7c1d-9f00-1a2b3c4d5e6f',
      recordedAt: Date.UTC(2024, 4, 1, 12),
      occurredAt: Date.UTC(2024, 3, 30, 6),
    });
    expect(b).toMatchObject({ streamVersion: 2, recordedAt: Date.UTC(2024, 4, 1, 12, 0, 1) });
    expect(c).toMatchObject({ streamId: 'order-9', metadata: { actor: 'ann' }, recordedAt: 1714564802000 });
    store.close();
  });

  const failures: [string, string[], number, string, RegExp][] = [
    [
      'a streamVersion that does not follow',
      [line({}), line({}), line({ streamVersion: 5 })],
      3,
      'concurrency',
      /^Line 3: streamVersion 5 does not follow on stream account-1, which is at version 2/,
    ],
    ['invalid JSON', [line({}), '{"streamId":'], 2, 'invalid_input', /^Line 2: the line is not valid JSON/],
    ['a line that is not an object', ['[1,2]'], 1, 'invalid_input', /not a JSON object/],
    ['an unknown field', [line({ stream: 'x' })], 1, 'invalid_input', /unknown field "stream"/],
    ['a missing stream id', [JSON.stringify({ type: 'T', data: 1 })], 1, 'invalid_input', /stream id must be a string/],
    [
      'a time without zone',
      [line({ recordedAt: '2024-05-01T12:00:00' })],
      1,
      'invalid_input',
      /recordedAt must be an ISO-8601 time with a zone/,
    ],
    [
      'recorded times going back',
      [line({}), line({ recordedAt: '2024-05-01T11:00:00Z' })],
      2,
      'invalid_input',
      /never decrease/,
    ],
    [
      'the same event id with other data',
      [
        line({ eventId: '0190a5c4-7b2e-7c1d-9f00-1a2b3c4d5e6f' }),
        line({ eventId: '0190a5c4-7b2e-7c1d-9f00-1a2b3c4d5e6f', data: 2 }),
      ],
      2,
      'duplicate_event',
      /already stored/,
    ],
    ['a bad streamVersion', [line({ streamVersion: 0 })], 1, 'invalid_input', /streamVersion must be a whole number/],
    ['data over the cap', [line({ data: 'x'.repeat(LIMITS.maxEventPayloadBytes) })], 1, 'payload_too_large', /limit/],
  ];

  it.each(failures)(
    'fails the whole import on %s, naming the line, and writes nothing',
    async (_label, lines, lineNo, code, message) => {
      const dir = tempDir();
      const store = makeStore(dir, 3, 1);
      const before = store.info();
      const file = path.join(dir, 'in.jsonl');
      fs.writeFileSync(file, `${lines.join('\n')}\n`);
      const error = await importError(store, file);
      expect(error.code).toBe(code);
      expect(error.details).toMatchObject({ line: lineNo });
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/nothing was imported\.$/);
      expect(store.info()).toEqual(before);
      expect(store.verify().ok).toBe(true);
      store.close();
    },
  );

  it('refuses an over-long line before parsing it', async () => {
    const dir = tempDir();
    const store = EventStore.create(path.join(dir, 's.hindsight'));
    const file = path.join(dir, 'in.jsonl');
    fs.writeFileSync(file, `${line({})}\n${' '.repeat(LIMITS.maxImportLineLength + 10)}\n`);
    const error = await importError(store, file);
    expect(error).toMatchObject({ code: 'payload_too_large', details: { line: 2 } });
    expect(store.head().position).toBe(0);
    store.close();
  });

  it('refuses a file that is not UTF-8, a missing file and a folder', async () => {
    const dir = tempDir();
    const store = EventStore.create(path.join(dir, 's.hindsight'));
    fs.writeFileSync(path.join(dir, 'latin1.jsonl'), Buffer.from([0x7b, 0xe9, 0xff, 0x7d, 0x0a]));
    expect((await importError(store, path.join(dir, 'latin1.jsonl'))).code).toBe('invalid_input');
    expect((await importError(store, path.join(dir, 'none.jsonl'))).code).toBe('not_found');
    expect((await importError(store, dir)).code).toBe('is_directory');
    store.close();
  });

  it('imports a bigger generated file in one go and verifies', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'gen.jsonl');
    writeSampleJsonl(file, 20_000, { streams: 500 });
    const store = EventStore.create(path.join(dir, 's.hindsight'));
    expect(await importJsonl(store, file)).toMatchObject({ imported: 20_000, lastPosition: 20_000 });
    expect(store.info()).toMatchObject({ events: 20_000, streams: 500 });
    expect(store.verify()).toMatchObject({ ok: true, events: 20_000 });
    store.close();
  });
});
