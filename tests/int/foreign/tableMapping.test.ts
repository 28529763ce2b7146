import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { makeServices } from '../../helpers/services';
import { useTempDir } from '../../helpers/tempDir';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function snapshot(dir: string, file: string) {
  return { sha: sha(file), mtime: statSync(file).mtimeMs, listing: readdirSync(dir).sort() };
}

/** An audit table as some other application keeps it: no hash chain, its own column names. */
function writeAuditTable(file: string): void {
  const db = new Database(file);
  db.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
    CREATE TABLE audit_log (
      seq INTEGER PRIMARY KEY, aggregate_id TEXT NOT NULL, revision INTEGER, event_name TEXT,
      payload TEXT, headers TEXT, created_at TEXT, uuid TEXT);`);
  const insert = db.prepare(
    'INSERT INTO audit_log (aggregate_id, revision, event_name, payload, headers, created_at, uuid) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  insert.run(
    'cart-1',
    1,
    'CartOpened',
    '{"owner":"ada"}',
    '{"actor":"ada"}',
    '2024-03-01 09:00:00',
    '0190a5c4-7b2e-7c1d-9f00-1a2b3c4d5e60',
  );
  insert.run('cart-2', 1, 'CartOpened', '{"owner":"bob"}', null, '2024-03-01 09:05:00', 'not-a-uuid');
  insert.run('cart-1', 2, 'ItemAdded', '{"sku":"A-1","qty":2}', '{"actor":42}', '2024-03-01T09:10:00Z', null);
  // Out of order in time: shown at the preceding time, its own time kept as the occurred time.
  insert.run('cart-1', 3, 'ItemAdded', 'plain text, not JSON', '[1,2]', '2024-03-01 08:00:00', null);
  insert.run('cart-2', 5, 'CartClosed', '{}', '{}', 1709284500, null);
  db.close();
}

describe('a SQLite table of events, read through a column mapping', () => {
  const tempDir = useTempDir();

  it('is refused as not a store, mapped in the dialog, shown read-only with what it cannot prove, and remembered', async () => {
    const dir = tempDir();
    const shared = join(dir, 'shared');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(shared);
    const file = join(shared, 'audit.db');
    writeAuditTable(file);
    const before = snapshot(shared, file);
    const { services, events, pickOnOpen } = makeServices(dir);
    const h = services.handlers;

    pickOnOpen(file);
    await expect(h['store.openDialog']({})).rejects.toMatchObject({
      code: 'not_a_store',
      message: expect.stringContaining('its tables: audit_log, customers'),
      details: expect.objectContaining({ mappable: true }),
    });
    expect(
      events.some((e) => e.event === 'store.changed' && (e.payload as { reason: string }).reason === 'mapping'),
    ).toBe(true);

    expect(await h['store.pendingMapping']({})).toEqual({ fileName: 'audit.db' });
    const candidates = await h['store.mappingCandidates']({});
    expect(candidates.fileName).toBe('audit.db');
    expect(candidates.tables.map((t) => [t.name, t.rows])).toEqual([
      ['audit_log', 5],
      ['customers', 0],
    ]);
    expect(candidates.suggested).toEqual({
      table: 'audit_log',
      stream: 'aggregate_id',
      type: 'event_name',
      data: 'payload',
      position: 'seq',
      version: 'revision',
      metadata: 'headers',
      time: 'created_at',
      eventId: 'uuid',
    });
    expect(candidates.tables[0]?.sample[0]?.payload).toBe('{"owner":"ada"}');

    await expect(
      h['store.openMapped']({ mapping: { ...candidates.suggested!, data: 'nope' }, remember: true }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'The table "audit_log" has no column "nope" (chosen for the data).',
    });

    const summary = await h['store.openMapped']({ mapping: candidates.suggested!, remember: true });
    expect(summary).toMatchObject({ fileName: 'audit.db', path: file, mode: 'read-only', events: 5, streams: 2 });
    expect(summary.fileSha256).toBe(before.sha);
    expect(summary.foreign).toMatchObject({ kind: 'table', rows: 5, timeSource: 'column' });
    expect(summary.foreign?.notes.join(' ')).toContain('1 event is earlier than the event before it');
    expect(await h['integrity.status']({})).toMatchObject({ state: 'unprovable' });
    await expect(async () => h['integrity.verify']({})).rejects.toMatchObject({ code: 'unavailable' });

    const cart1 = await h['history.timeline']({ streamId: 'cart-1', limit: 10 });
    expect(cart1.items.map((e) => e.eventType)).toEqual(['CartOpened', 'ItemAdded', 'ItemAdded']);
    const all = (await h['log.page']({ limit: 10 })).items;
    expect(all.map((e) => e.streamId)).toEqual(['cart-1', 'cart-2', 'cart-1', 'cart-1', 'cart-2']);
    expect(all[0]).toMatchObject({
      eventId: '0190a5c4-7b2e-7c1d-9f00-1a2b3c4d5e60',
      metadata: { actor: 'ada' },
      data: { owner: 'ada' },
    });
    expect(all[1]?.metadata).toMatchObject({ source_event_id: 'not-a-uuid' });
    expect(all[2]?.metadata).toMatchObject({ actor: '42' });
    expect(all[3]).toMatchObject({ data: 'plain text, not JSON', metadata: { value: [1, 2] } });
    expect(all[3]?.recordedAt).toBe(all[2]?.recordedAt);
    expect(all[3]?.occurredAt).toBe(Date.UTC(2024, 2, 1, 8, 0, 0));
    expect(all[4]).toMatchObject({ streamVersion: 2, metadata: { source_version: 5 }, recordedAt: 1709284500_000 });

    expect(await h['store.pendingMapping']({})).toBeNull(); // opened: nothing waits any more

    // Reopened from the recent list: the remembered mapping is used, no dialog.
    await h['store.close']({});
    const recent = await h['store.recent']({});
    expect(recent[0]).toMatchObject({ path: file, mode: 'read-only', foreign: 'table' });
    const reopened = await h['store.openRecent']({ id: recent[0]!.id });
    expect(reopened.foreign?.mapping?.table).toBe('audit_log');
    expect(reopened.storeId).toBe(summary.storeId);
    services.dispose();

    expect(snapshot(shared, file)).toEqual(before);
  });

  it('says clearly when nothing can be mapped, and never writes', async () => {
    const dir = tempDir();
    const file = join(dir, 'empty.db');
    const db = new Database(file);
    db.pragma('user_version = 7'); // a SQLite file with a header and no tables
    db.close();
    const { services } = makeServices(dir);
    const before = readFileSync(file);
    await expect(services.openPath(file)).rejects.toMatchObject({
      code: 'not_a_store',
      details: expect.objectContaining({ mappable: false }),
    });
    expect(await services.handlers['store.pendingMapping']({})).toBeNull();
    await expect(async () => services.handlers['store.mappingCandidates']({})).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(readFileSync(file).equals(before)).toBe(true);
    services.dispose();
  });

  it('a dismissed dialog leaves nothing waiting', async () => {
    const dir = tempDir();
    const file = join(dir, 'audit.db');
    writeAuditTable(file);
    const { services } = makeServices(dir);
    const h = services.handlers;
    await expect(services.openPath(file)).rejects.toMatchObject({ code: 'not_a_store' });
    expect(await h['store.pendingMapping']({})).toEqual({ fileName: 'audit.db' });
    expect(await h['store.dismissMapping']({})).toBeNull();
    expect(await h['store.pendingMapping']({})).toBeNull();
    await expect(async () =>
      h['store.openMapped']({
        mapping: { table: 'audit_log', stream: 'aggregate_id', type: 'event_name', data: 'payload' },
        remember: false,
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    services.dispose();
  });
});
