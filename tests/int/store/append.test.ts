import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HindsightError } from '../../../electron/core/errors';
import { EventStore } from '../../../electron/core/store/eventStore';
import { LIMITS } from '../../../electron/core/store/limits';
import type { ExpectedVersion, NewEvent } from '../../../electron/core/store/types';
import { useTempDir } from '../../helpers/tempDir';

// biome-ignore lint/correctness/useHookAtTopLevel: useTempDir is a Vitest helper (afterEach cleanup), not a React hook.
const tempDir = useTempDir('hindsight-append-');
const ID_A = '0190a5c4-7b2e-7c1d-9f00-1a2b3c4d5e6f';
const ID_B = '0190a5c4-7b2e-7c1d-9f00-1a2b3c4d5e70';

function newStore(): EventStore {
  return EventStore.create(path.join(tempDir(), 's.hindsight'));
}

function errorOf(fn: () => unknown): HindsightError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HindsightError) return error;
    throw error;
  }
  throw new Error('no error thrown');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('append', () => {
  it('assigns gapless positions, stream versions, hashes linked to the previous event, and updates streams', () => {
    const store = newStore();
    const first = store.append('account-1', [
      { type: 'AccountOpened', data: { owner: 'Ann' }, metadata: { actor: 'ann' } },
      { type: 'MoneyDeposited', data: { amount: 10 } },
    ]);
    expect(first).toMatchObject({
      streamId: 'account-1',
      firstPosition: 1,
      lastPosition: 2,
      streamVersion: 2,
      duplicate: false,
    });
    expect(first.events.map((e) => [e.globalPosition, e.streamVersion, e.eventType])).toEqual([
      [1, 1, 'AccountOpened'],
      [2, 2, 'MoneyDeposited'],
    ]);
    expect(first.events[0]!.prevHash).toBe('0'.repeat(64));
    expect(first.events[1]!.prevHash).toBe(first.events[0]!.hash);
    const second = store.append('order-7', [{ type: 'OrderPlaced', data: { total: 5 } }]);
    expect(second).toMatchObject({ firstPosition: 3, lastPosition: 3, streamVersion: 1 });
    expect(store.head()).toEqual({ position: 3, hash: second.events[0]!.hash });
    expect(store.getStream('account-1')).toMatchObject({
      category: 'account',
      version: 2,
      firstPosition: 1,
      lastPosition: 2,
      lastEventType: 'MoneyDeposited',
    });
    expect(store.readStream('account-1')).toEqual(first.events);
    expect(store.verify().ok).toBe(true);
    store.close();
  });

  it('stores data and metadata as canonical JSON and reads them back as values', () => {
    const store = newStore();
    store.append('a-1', [{ type: 'T', data: { b: [1, { d: 2, c: 3 }], a: 'é' }, metadata: { z: 1, actor: 'x' } }]);
    const raw = store.db.prepare('SELECT data, metadata FROM events').get();
    expect(raw).toEqual({ data: '{"a":"é","b":[1,{"c":3,"d":2}]}', metadata: '{"actor":"x","z":1}' });
    expect(store.readAll()[0]!.data).toEqual({ a: 'é', b: [1, { c: 3, d: 2 }] });
    store.close();
  });

  describe('expected versions', () => {
    const cases: [string, ExpectedVersion, number, boolean][] = [
      ['a matching number', 2, 2, true],
      ['a stale number', 1, 2, false],
      ['0 on a new stream', 0, 0, true],
      ['0 on an existing stream', 0, 2, false],
      ['no_stream on a new stream', 'no_stream', 0, true],
      ['no_stream on an existing stream', 'no_stream', 2, false],
      ['exists on an existing stream', 'exists', 2, true],
      ['exists on a new stream', 'exists', 0, false],
      ['any on a new stream', 'any', 0, true],
      ['any on an existing stream', 'any', 2, true],
    ];
    it.each(cases)('%s', (_label, expected, actual, ok) => {
      const store = newStore();
      if (actual > 0)
        store.append(
          'account-1',
          Array.from({ length: actual }, () => ({ type: 'T', data: {} })),
        );
      const head = store.head();
      const run = () => store.append('account-1', [{ type: 'T', data: {} }], { expectedVersion: expected });
      if (ok) {
        expect(run().streamVersion).toBe(actual + 1);
      } else {
        const error = errorOf(run);
        expect(error.code).toBe('concurrency');
        expect(error.details).toEqual({ streamId: 'account-1', expected, actual });
        expect(error.message).toMatch(/^Stream account-1 is at version \d+, but the append expected .+\.$/);
        expect(store.head()).toEqual(head); // nothing written
      }
      store.close();
    });

    it.each([-1, 1.5, 'latest', null, Number.NaN, '3'])('refuses the unknown form %j with invalid_input', (form) => {
      const store = newStore();
      const error = errorOf(() =>
        store.append('a-1', [{ type: 'T', data: 1 }], { expectedVersion: form as ExpectedVersion }),
      );
      expect(error.code).toBe('invalid_input');
      expect(store.head().position).toBe(0);
      store.close();
    });
  });

  describe('idempotency by event id', () => {
    it('a repeated append with the same ids and content is a no-op returning the original positions', () => {
      const store = newStore();
      const events: NewEvent[] = [
        { type: 'T', data: { n: 1 }, eventId: ID_A },
        { type: 'U', data: { n: 2 }, eventId: ID_B, metadata: { actor: 'a' } },
      ];
      const original = store.append('a-1', events, { expectedVersion: 'no_stream' });
      store.append('b-1', [{ type: 'X', data: null }]);
      const repeat = store.append('a-1', events, { expectedVersion: 'no_stream' }); // stale expectation: still a repeat
      expect(repeat).toMatchObject({ duplicate: true, firstPosition: 1, lastPosition: 2, streamVersion: 2 });
      expect(repeat.events).toEqual(original.events);
      expect(store.head().position).toBe(3);
      // Upper-case ids are the same ids.
      expect(store.append('a-1', [{ type: 'T', data: { n: 1 }, eventId: ID_A.toUpperCase() }]).duplicate).toBe(true);
      store.close();
    });

    it.each([
      ['different data', { type: 'T', data: { n: 2 }, eventId: ID_A }, 'a-1'],
      ['a different type', { type: 'V', data: { n: 1 }, eventId: ID_A }, 'a-1'],
      ['different metadata', { type: 'T', data: { n: 1 }, eventId: ID_A, metadata: { actor: 'z' } }, 'a-1'],
      ['another stream', { type: 'T', data: { n: 1 }, eventId: ID_A }, 'a-2'],
    ])('the same id with %s → duplicate_event, nothing written', (_label, event, stream) => {
      const store = newStore();
      store.append('a-1', [{ type: 'T', data: { n: 1 }, eventId: ID_A }]);
      const error = errorOf(() => store.append(stream, [event as NewEvent]));
      expect(error.code).toBe('duplicate_event');
      expect(error.message).toContain(ID_A);
      expect(store.head().position).toBe(1);
      store.close();
    });

    it('a batch that repeats only some stored events → duplicate_event, nothing written', () => {
      const store = newStore();
      store.append('a-1', [{ type: 'T', data: 1, eventId: ID_A }]);
      for (const batch of [
        [
          { type: 'T', data: 1, eventId: ID_A },
          { type: 'T', data: 2 },
        ],
        [
          { type: 'T', data: 2 },
          { type: 'T', data: 1, eventId: ID_A },
        ],
      ]) {
        expect(errorOf(() => store.append('a-1', batch)).code).toBe('duplicate_event');
        expect(store.head().position).toBe(1);
      }
      store.close();
    });

    it('the same id twice in one append → invalid_input', () => {
      const store = newStore();
      const error = errorOf(() =>
        store.append('a-1', [
          { type: 'T', data: 1, eventId: ID_A },
          { type: 'T', data: 1, eventId: ID_A },
        ]),
      );
      expect(error.code).toBe('invalid_input');
      store.close();
    });
  });

  describe('times', () => {
    it('recorded_at never decreases even when the clock goes back; occurred_at defaults to it', () => {
      const store = newStore();
      const now = vi.spyOn(Date, 'now').mockReturnValue(2_000_000_000_000);
      const a = store.append('a-1', [{ type: 'T', data: 1 }]).events[0]!;
      now.mockReturnValue(1_999_999_000_000); // one thousand seconds back
      const b = store.append('a-1', [{ type: 'T', data: 2, occurredAt: 5 }]).events[0]!;
      expect(a.recordedAt).toBe(2_000_000_000_000);
      expect(a.occurredAt).toBe(a.recordedAt);
      expect(b.recordedAt).toBe(2_000_000_000_000);
      expect(b.occurredAt).toBe(5);
      store.close();
    });

    it('an explicit recordedAt is kept, and may not be lower than the head nor lie in the future', () => {
      const store = newStore();
      const t = Date.now() - 60_000;
      expect(store.append('a-1', [{ type: 'T', data: 1, recordedAt: t }]).events[0]!.recordedAt).toBe(t);
      const lower = errorOf(() => store.append('a-1', [{ type: 'T', data: 1, recordedAt: t - 1 }]));
      expect(lower.code).toBe('invalid_input');
      expect(lower.message).toMatch(/never decrease/);
      const future = errorOf(() => store.append('a-1', [{ type: 'T', data: 1, recordedAt: Date.now() + 3_600_000 }]));
      expect(future.code).toBe('invalid_input');
      // Within one batch too, checked before anything is written.
      const batch = errorOf(() =>
        store.append('a-1', [
          { type: 'T', data: 1, recordedAt: t + 10 },
          { type: 'T', data: 1, recordedAt: t + 5 },
        ]),
      );
      expect(batch.code).toBe('invalid_input');
      expect(store.head().position).toBe(1);
      store.close();
    });

    it.each([1.5, Number.NaN, '2024-01-01', 9e15])('refuses occurredAt %j with invalid_input', (value) => {
      const store = newStore();
      expect(errorOf(() => store.append('a-1', [{ type: 'T', data: 1, occurredAt: value as number }])).code).toBe(
        'invalid_input',
      );
      store.close();
    });
  });

  describe('bad input is refused before anything is written', () => {
    const big = 'x'.repeat(LIMITS.maxEventPayloadBytes);
    it.each([
      ['an empty stream id', '', [{ type: 'T', data: 1 }], 'invalid_input'],
      ['an over-long stream id', 'x'.repeat(257), [{ type: 'T', data: 1 }], 'invalid_input'],
      ['a control character in the stream id', 'a\tb', [{ type: 'T', data: 1 }], 'invalid_input'],
      ['no events', 'a-1', [], 'invalid_input'],
      ['an empty event type', 'a-1', [{ type: '', data: 1 }], 'invalid_input'],
      ['missing data', 'a-1', [{ type: 'T' }], 'invalid_input'],
      ['NaN in data', 'a-1', [{ type: 'T', data: { x: Number.NaN } }], 'invalid_input'],
      ['metadata that is an array', 'a-1', [{ type: 'T', data: 1, metadata: [1] }], 'invalid_input'],
      ['a non-string actor', 'a-1', [{ type: 'T', data: 1, metadata: { actor: 7 } }], 'invalid_input'],
      ['an unknown event field', 'a-1', [{ type: 'T', data: 1, payload: 2 }], 'invalid_input'],
      ['an event id that is not a UUID', 'a-1', [{ type: 'T', data: 1, eventId: 'evt-1' }], 'invalid_input'],
      ['a schema version of 0', 'a-1', [{ type: 'T', data: 1, schemaVersion: 0 }], 'invalid_input'],
      ['data over 1 MiB', 'a-1', [{ type: 'T', data: big }], 'payload_too_large'],
      [
        'data + metadata over 1 MiB',
        'a-1',
        [{ type: 'T', data: big.slice(0, 600_000), metadata: { n: big.slice(0, 600_000) } }],
        'payload_too_large',
      ],
      [
        'nesting deeper than 64',
        'a-1',
        [{ type: 'T', data: JSON.parse(`${'['.repeat(65)}${']'.repeat(65)}`) }],
        'invalid_input',
      ],
      [
        'a bad second event of a batch',
        'a-1',
        [
          { type: 'T', data: 1 },
          { type: 'T', data: undefined },
        ],
        'invalid_input',
      ],
    ])('%s → %s', (_label, streamId, events, code) => {
      const store = newStore();
      expect(errorOf(() => store.append(streamId as string, events as NewEvent[])).code).toBe(code);
      expect(store.head().position).toBe(0);
      expect(store.listStreams()).toEqual([]);
      store.close();
    });

    it('accepts data + metadata just under the cap', () => {
      const store = newStore();
      const data = 'x'.repeat(LIMITS.maxEventPayloadBytes - 2 - 2); // two quotes, and "{}" for metadata
      expect(store.append('a-1', [{ type: 'T', data }]).lastPosition).toBe(1);
      store.close();
    });
  });

  describe('transactions', () => {
    it('commits several appends together, and rolls all of them back on an error', () => {
      const store = newStore();
      store.transaction(() => {
        store.append('a-1', [{ type: 'T', data: 1 }]);
        store.append('a-2', [{ type: 'T', data: 2 }]);
      });
      expect(store.head().position).toBe(2);
      expect(() =>
        store.transaction(() => {
          store.append('a-3', [{ type: 'T', data: 3 }]);
          store.db
            .prepare(
              "INSERT INTO commands (command_id, command_type, payload, received_at, outcome) VALUES ('c1', 'X', '{}', 1, 'accepted')",
            )
            .run();
          throw new Error('the command handler failed');
        }),
      ).toThrow('the command handler failed');
      expect(store.head().position).toBe(2);
      expect(store.getStream('a-3')).toBeUndefined();
      expect(store.db.prepare('SELECT count(*) AS n FROM commands').get()).toEqual({ n: 0 });
      expect(store.verify().ok).toBe(true);
      store.close();
    });

    it('lets a caller catch a conflict inside a transaction and go on (the failed append is a savepoint)', () => {
      const store = newStore();
      store.append('a-1', [{ type: 'T', data: 1 }]);
      store.transaction(() => {
        expect(() => store.append('a-1', [{ type: 'T', data: 2 }], { expectedVersion: 0 })).toThrow(
          expect.objectContaining({ code: 'concurrency' }),
        );
        store.append('a-1', [{ type: 'T', data: 3 }], { expectedVersion: 1 });
      });
      expect(store.readStream('a-1').map((e) => e.data)).toEqual([1, 3]);
      expect(store.verify().ok).toBe(true);
      store.close();
    });
  });

  it('refuses UPDATE and DELETE on events and commands (append-only triggers)', () => {
    const store = newStore();
    store.append('a-1', [{ type: 'T', data: 1 }]);
    store.db
      .prepare(
        "INSERT INTO commands (command_id, command_type, payload, received_at, outcome) VALUES ('c1', 'X', '{}', 1, 'rejected')",
      )
      .run();
    for (const sql of [
      "UPDATE events SET data = '2'",
      'DELETE FROM events',
      "UPDATE commands SET outcome = 'accepted'",
      'DELETE FROM commands',
    ]) {
      expect(() => store.db.exec(sql), sql).toThrow(/append-only/);
    }
    expect(store.verify().ok).toBe(true);
    store.close();
  });
});
