import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HindsightError } from '../../../electron/core/errors';
import { defineEventType, listEventTypes, removeEventType } from '../../../electron/core/history/eventTypes';
import { stateAt } from '../../../electron/core/history/stateAt';
import { timeline } from '../../../electron/core/history/timeline';
import { EventStore } from '../../../electron/core/store/eventStore';
import { useTempDir } from '../../helpers/tempDir';
import { createStore } from './helpers';

const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

describe('event_types rules in the store file', () => {
  const tempDir = useTempDir('hindsight-event-types-');

  it('define, list, use and remove rules; the table is created on first use', () => {
    const store = createStore(tempDir());
    const hasTable = () =>
      store.db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'event_types'").get() !== undefined;
    expect(hasTable()).toBe(false);
    expect(listEventTypes(store)).toEqual([]);
    store.append('cart-1', [
      { type: 'CartOpened', data: { owner: 'a', items: [] } },
      { type: 'ItemAdded', data: { item: { sku: 'A', q: 1 } } },
      { type: 'ItemAdded', data: { item: { sku: 'B', q: 2 } } },
      { type: 'ItemRemoved', data: { sku: 'A' } },
      { type: 'Viewed', data: { by: 'someone' } },
      { type: 'CartDeleted', data: {} },
    ]);
    // Default: every event's data is a merge patch.
    expect(plain(stateAt(store, 'cart-1', { version: 5 }).state)).toEqual({
      owner: 'a',
      items: [],
      item: { sku: 'B', q: 2 },
      sku: 'A',
      by: 'someone',
    });

    defineEventType(store, {
      eventType: 'ItemAdded',
      rules: [
        { op: 'append', path: 'items', from: 'item' },
        { op: 'increment', path: 'count' },
      ],
      description: 'an item goes into the cart',
    });
    defineEventType(store, {
      eventType: 'ItemRemoved',
      rules: [{ op: 'remove', path: 'items', from: 'sku', match: 'sku' }],
    });
    defineEventType(store, { eventType: 'Viewed', rules: [] });
    defineEventType(store, { eventType: 'CartDeleted', rules: [{ op: 'delete-entity' }] });
    expect(hasTable()).toBe(true);
    expect(plain(stateAt(store, 'cart-1', { version: 5 }).state)).toEqual({
      owner: 'a',
      items: [{ sku: 'B', q: 2 }],
      count: 2,
    });
    expect(stateAt(store, 'cart-1').state).toBeNull();
    const last = timeline(store, 'cart-1', { afterVersion: 5 }).entries[0]!;
    expect(last.stateAfter).toBeNull();
    expect(last.changes).toEqual([
      { path: [], kind: 'changed', before: { owner: 'a', items: [{ sku: 'B', q: 2 }], count: 2 }, after: null },
    ]);

    const listed = listEventTypes(store);
    expect(listed.map((d) => d.eventType)).toEqual(['CartDeleted', 'ItemAdded', 'ItemRemoved', 'Viewed']);
    expect(listed[1]).toMatchObject({
      description: 'an item goes into the cart',
      rules: [
        { op: 'append', path: 'items', from: 'item' },
        { op: 'increment', path: 'count' },
      ],
    });
    expect(listed.every((d) => d.error === undefined)).toBe(true);
    // Stored as canonical JSON text.
    expect(store.db.prepare("SELECT rules FROM event_types WHERE event_type = 'CartDeleted'").pluck().get()).toBe(
      '[{"op":"delete-entity"}]',
    );

    expect(removeEventType(store, 'CartDeleted')).toBe(true);
    expect(removeEventType(store, 'CartDeleted')).toBe(false);
    expect(plain(stateAt(store, 'cart-1').state)).toEqual({ owner: 'a', items: [{ sku: 'B', q: 2 }], count: 2 });
    store.close();
  });

  it('refuses bad rules before writing, naming the event type', () => {
    const store = createStore(tempDir());
    expect(() => defineEventType(store, { eventType: 'ItemAdded', rules: [{ op: 'append', path: 'items' }] })).toThrow(
      /event type "ItemAdded".*rule 1 \(append\)/,
    );
    expect(() => defineEventType(store, { eventType: ' bad ', rules: [] })).toThrow(/event type/);
    expect(() => defineEventType(store, { eventType: 'X', rules: [], description: 5 as unknown as string })).toThrow(
      /description/,
    );
    expect(listEventTypes(store)).toEqual([]);
    store.close();
  });

  it('a bad rule found in a file fails only the streams that need it, with a clear error', () => {
    const store = createStore(tempDir());
    store.append('a-1', [{ type: 'Good', data: { x: 1 } }]);
    store.append('b-1', [
      { type: 'Good', data: { x: 1 } },
      { type: 'Broken', data: { y: 1 } },
    ]);
    defineEventType(store, { eventType: 'Good', rules: [{ op: 'merge' }] });
    // Written by another tool, bypassing validation.
    store.db.exec(
      `CREATE TABLE IF NOT EXISTS event_types (event_type TEXT PRIMARY KEY, rules TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', updated_at INTEGER NOT NULL)`,
    );
    store.db.prepare('INSERT INTO event_types VALUES (\'Broken\', \'[{"op":"set","path":"y"}]\', \'\', 0)').run();
    store.db.prepare("INSERT INTO event_types VALUES ('NotJson', '[{', '', 0)").run();
    expect(plain(stateAt(store, 'a-1').state)).toEqual({ x: 1 });
    expect(stateAt(store, 'b-1', { version: 1 }).version).toBe(1);
    let error: unknown;
    try {
      stateAt(store, 'b-1');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HindsightError);
    expect((error as HindsightError).code).toBe('invalid_input');
    expect((error as HindsightError).message).toMatch(
      /reducer rules of event type "Broken" are not valid: rule 1 \(set\)/,
    );
    const listed = listEventTypes(store);
    expect(listed.find((d) => d.eventType === 'Broken')!.error).toMatch(/rule 1 \(set\)/);
    expect(listed.find((d) => d.eventType === 'NotJson')!.error).toMatch(/not valid JSON/);
    store.close();
  });

  it('rules are read from a read-only store but cannot be changed there', () => {
    const dir = tempDir();
    const file = join(dir, 'shared.hindsight');
    const writer = EventStore.create(file);
    writer.append('counter-1', [
      { type: 'Counted', data: { by: 2 } },
      { type: 'Counted', data: { by: 3 } },
    ]);
    defineEventType(writer, { eventType: 'Counted', rules: [{ op: 'increment', path: 'total', from: 'by' }] });
    writer.close();
    const reader = EventStore.open(file, { mode: 'read-only' });
    expect(plain(stateAt(reader, 'counter-1').state)).toEqual({ total: 5 });
    expect(listEventTypes(reader)).toHaveLength(1);
    expect(() => defineEventType(reader, { eventType: 'Counted', rules: [] })).toThrow(/read-only/);
    expect(() => removeEventType(reader, 'Counted')).toThrow(/read-only/);
    reader.close();
  });

  it('an event_types table with other columns is reported, not misread', () => {
    const store = createStore(tempDir());
    store.db.exec('CREATE TABLE event_types (name TEXT PRIMARY KEY, body TEXT)');
    store.append('x-1', [{ type: 'A', data: { a: 1 } }]);
    expect(() => stateAt(store, 'x-1')).toThrow(/event_types table does not have the expected columns/);
    store.close();
  });
});
