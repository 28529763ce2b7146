import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../helpers/tempDir';
import { type EmmettStreamPlan, readEmmettBack, writeDemoEmmettStore, writeEmmettStore } from '../../support/emmett';

// The fixture helper is what every Emmett-format test stands on: these tests check that it
// really writes the package's tables, leaves one self-contained file, and reads without writing.

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const CART = 'shopping_cart-a1';
const ORDER = 'order-b2';
const LONE = 'lonely';

const PLAN: EmmettStreamPlan[] = [
  {
    streamName: CART,
    events: [
      { type: 'ProductItemAdded', data: { productId: 'p-1', quantity: 2, unitPrice: 9.5 } },
      {
        type: 'ProductItemAdded',
        data: { productId: 'p-2', quantity: 1, unitPrice: 120 },
        metadata: { userId: 'u-1' },
      },
      { type: 'ProductItemRemoved', data: { productId: 'p-1', quantity: 1, unitPrice: 9.5 } },
      { type: 'ProductItemAdded', data: { productId: 'p-3', quantity: 4, unitPrice: 0.99 } },
      { type: 'ShoppingCartConfirmed', data: { confirmedAt: '2025-01-02T03:04:05.678Z' } },
    ],
  },
  {
    streamName: ORDER,
    events: [{ type: 'OrderPlaced', data: { note: 'naïve café ✓', lines: [{ sku: 'x', qty: 3 }] } }],
  },
  {
    streamName: LONE,
    events: [
      { type: 'Started', data: {} },
      { type: 'Ticked', data: { n: 1 } },
      { type: 'Ticked', data: { n: 2 }, metadata: { correlationId: 'c-9' } },
      { type: 'Stopped', data: { reason: null } },
    ],
  },
];

/** Opens a copy read-only, so checking a fixture can't change it either. */
function inspectCopy<T>(file: string, dir: string, read: (db: Database.Database) => T): T {
  const copy = join(dir, 'inspect-copy.sqlite');
  copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

describe('Emmett SQLite fixture', () => {
  const tempDir = useTempDir('hindsight-emmett-');

  it('writes the package tables with every planned row, interleaved across streams', async () => {
    const dir = tempDir();
    const file = join(dir, 'emmett.sqlite');
    await writeEmmettStore(file, PLAN);

    const facts = inspectCopy(file, dir, (db) => ({
      tables: db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .all()
        .map((row) => (row as { name: string }).name),
      streams: db.prepare('SELECT stream_id, stream_position, stream_type FROM emt_streams ORDER BY rowid').all(),
      subscriptions: db.prepare('SELECT count(*) AS n FROM emt_subscriptions').get(),
      messages: db
        .prepare(
          'SELECT global_position, stream_id, stream_position, message_type, message_data, message_kind, partition, created FROM emt_messages ORDER BY global_position',
        )
        .all() as Array<Record<string, unknown>>,
    }));

    expect(facts.tables).toEqual(['emt_messages', 'emt_streams', 'emt_subscriptions']);
    expect(facts.streams).toEqual([
      { stream_id: CART, stream_position: 5, stream_type: 'shopping_cart' },
      { stream_id: ORDER, stream_position: 1, stream_type: 'order' },
      { stream_id: LONE, stream_position: 4, stream_type: 'emt:unknown' },
    ]);
    expect(facts.subscriptions).toEqual({ n: 0 });
    expect(facts.messages).toHaveLength(10);
    // Round-robin appends of 1, then 2 events per stream.
    expect(facts.messages.map((m) => [m.global_position, m.stream_id, m.stream_position])).toEqual([
      [1, CART, 1],
      [2, ORDER, 1],
      [3, LONE, 1],
      [4, CART, 2],
      [5, CART, 3],
      [6, LONE, 2],
      [7, LONE, 3],
      [8, CART, 4],
      [9, CART, 5],
      [10, LONE, 4],
    ]);
    for (const message of facts.messages) {
      const planned = PLAN.find((s) => s.streamName === message.stream_id)!.events[
        Number(message.stream_position) - 1
      ]!;
      expect(message.message_type).toBe(planned.type);
      expect(JSON.parse(String(message.message_data))).toEqual(planned.data);
      expect(message).toMatchObject({ message_kind: 'E', partition: 'emt:default' });
      expect(String(message.created)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    }
  });

  it('leaves one self-contained file in rollback-journal mode', async () => {
    const dir = tempDir();
    const file = join(dir, 'emmett.sqlite');
    await writeEmmettStore(file, PLAN);

    expect(readdirSync(dir)).toEqual(['emmett.sqlite']);
    // Header bytes 18 and 19 are 1 in rollback mode, 2 in WAL mode.
    const header = readFileSync(file).subarray(18, 20);
    expect([...header]).toEqual([1, 1]);
  });

  it('reads every stream back through the package, in order, without changing the file', async () => {
    const dir = tempDir();
    const file = join(dir, 'emmett.sqlite');
    await writeEmmettStore(file, PLAN);
    const before = sha(file);

    const streams = await readEmmettBack(file);

    expect(sha(file)).toBe(before);
    expect(readdirSync(dir)).toEqual(['emmett.sqlite']);
    expect(streams.map((s) => s.streamName)).toEqual([CART, ORDER, LONE]);
    const ids = inspectCopy(file, dir, (db) =>
      db.prepare('SELECT global_position AS g, message_id AS id FROM emt_messages').all(),
    ) as Array<{ g: number; id: string }>;
    for (const [i, stream] of streams.entries()) {
      const planned = PLAN[i]!.events;
      expect(stream.events.map((e) => ({ type: e.type, data: e.data }))).toEqual(
        planned.map((e) => ({ type: e.type, data: e.data })),
      );
      expect(stream.events.map((e) => e.streamPosition)).toEqual(planned.map((_, n) => String(n + 1)));
      for (const [n, event] of stream.events.entries()) {
        expect(event.messageId).toBe(ids.find((row) => String(row.g) === event.globalPosition)?.id);
        expect(event.metadata).toMatchObject({
          ...planned[n]!.metadata,
          streamName: stream.streamName,
          messageId: event.messageId,
          streamPosition: event.streamPosition,
          globalPosition: event.globalPosition,
        });
      }
    }
    expect(streams.flatMap((s) => s.events.map((e) => Number(e.globalPosition))).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });

  it('writes the demo carts with the hostile event intact', async () => {
    const dir = tempDir();
    const file = join(dir, 'demo.sqlite');
    await writeDemoEmmettStore(file);

    const streams = await readEmmettBack(file);

    expect(streams).toHaveLength(3);
    expect(streams.every((s) => s.streamName.startsWith('shopping_cart-'))).toBe(true);
    const events = streams.flatMap((s) => s.events);
    expect(events).toHaveLength(15);
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set(['ProductItemAdded', 'ProductItemRemoved', 'ShoppingCartConfirmed']),
    );
    const hostile = events.find((e) => JSON.stringify(e.data).includes('<script>'));
    const data = hostile?.data as Record<string, unknown>;
    expect(Object.hasOwn(data, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(data, '__proto__')?.value).toEqual({ polluted: true });
    expect(JSON.stringify(data)).toContain('<img src=x onerror=\\"window.__pwned=1\\">');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
