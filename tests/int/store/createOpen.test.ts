import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EventStore } from '../../../electron/core/store/eventStore';
import { ZERO_HASH } from '../../../electron/core/store/hashChain';
import { APPLICATION_ID, FORMAT_VERSION } from '../../../electron/core/store/schema';
import { makeStore, snapshotFolder } from '../../helpers/storeFixtures';
import { useTempDir } from '../../helpers/tempDir';

// biome-ignore lint/correctness/useHookAtTopLevel: useTempDir is a Vitest helper (afterEach cleanup), not a React hook.
const tempDir = useTempDir('hindsight-store-');

/** Byte 18 and 19 of the SQLite header: 1 = rollback journal, 2 = WAL. */
function journalBytes(file: string): [number, number] {
  const header = fs.readFileSync(file).subarray(0, 100);
  return [header[18]!, header[19]!];
}

describe('EventStore.create', () => {
  it('creates a v1 store with its identity, tables, triggers, application_id and user_version', () => {
    const file = path.join(tempDir(), 'new.hindsight');
    const store = EventStore.create(file, { createdBy: 'hindsight test 1.2.3' });
    expect(store.mode).toBe('read-write');
    expect(store.formatVersion).toBe(FORMAT_VERSION);
    expect(store.storeId).toMatch(/^[0-9a-f-]{36}$/);
    const info = store.info();
    expect(info).toMatchObject({
      format: 'hindsight-event-store',
      formatVersion: 1,
      createdBy: 'hindsight test 1.2.3',
      events: 0,
      streams: 0,
      head: { position: 0, hash: ZERO_HASH },
      digest: `0:${ZERO_HASH}`,
      firstRecordedAt: null,
      categories: [],
      companions: [],
      companionWal: false,
    });
    expect(Math.abs(info.createdAt - Date.now())).toBeLessThan(10_000);
    store.close();

    const db = new Database(file, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const names = db
      .prepare("SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
      .all();
    expect(names).toEqual([
      { type: 'index', name: 'events_by_type' },
      { type: 'index', name: 'streams_by_category' },
      { type: 'table', name: 'commands' },
      { type: 'table', name: 'events' },
      { type: 'table', name: 'store_meta' },
      { type: 'table', name: 'streams' },
      { type: 'trigger', name: 'commands_append_only_delete' },
      { type: 'trigger', name: 'commands_append_only_update' },
      { type: 'trigger', name: 'events_append_only_delete' },
      { type: 'trigger', name: 'events_append_only_update' },
    ]);
    const meta = Object.fromEntries(db.prepare('SELECT key, value FROM store_meta').raw().all() as [string, string][]);
    expect(meta).toMatchObject({ format: 'hindsight-event-store', format_version: '1', store_id: info.storeId });
    db.close();
  });

  it.each([
    ['an existing store', (file: string) => EventStore.create(file).close()],
    ['an existing empty file', (file: string) => fs.writeFileSync(file, '')],
    ['an existing folder', (file: string) => fs.mkdirSync(file)],
    ['a stale -wal beside the name', (file: string) => fs.writeFileSync(`${file}-wal`, 'x')],
  ])('refuses to overwrite %s (already_exists) and changes nothing', (_label, prepare) => {
    const dir = tempDir();
    const file = path.join(dir, 'taken.hindsight');
    prepare(file);
    const before = snapshotFolder(dir);
    expect(() => EventStore.create(file)).toThrow(expect.objectContaining({ code: 'already_exists' }));
    expect(snapshotFolder(dir)).toEqual(before);
  });

  it('refuses a folder that does not exist (not_found)', () => {
    const file = path.join(tempDir(), 'missing', 'x.hindsight');
    expect(() => EventStore.create(file)).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});

describe('connections', () => {
  it('sets the documented pragmas on a writer', () => {
    const store = EventStore.create(path.join(tempDir(), 'p.hindsight'), { busyTimeoutMs: 1234 });
    const pragma = (name: string) => store.db.pragma(name, { simple: true });
    expect(pragma('journal_mode')).toBe('wal');
    expect(pragma('synchronous')).toBe(2); // FULL
    expect(pragma('foreign_keys')).toBe(1);
    expect(pragma('trusted_schema')).toBe(0);
    expect(pragma('cell_size_check')).toBe(1);
    expect(pragma('mmap_size')).toBe(0);
    expect(pragma('busy_timeout')).toBe(1234);
    store.close();
  });

  it('sets the hardening pragmas on a read-only connection and makes it query-only', () => {
    const dir = tempDir();
    makeStore(dir, 3).close();
    const store = EventStore.open(path.join(dir, 'test.hindsight'), { mode: 'read-only' });
    expect(store.db.pragma('trusted_schema', { simple: true })).toBe(0);
    expect(store.db.pragma('cell_size_check', { simple: true })).toBe(1);
    expect(store.db.pragma('mmap_size', { simple: true })).toBe(0);
    expect(store.db.pragma('query_only', { simple: true })).toBe(1);
    expect(() => store.db.exec("INSERT INTO store_meta VALUES ('x', 'y')")).toThrow();
    store.close();
  });

  it('leaves a closed store as one self-contained file in rollback-journal mode', () => {
    const dir = tempDir();
    const store = makeStore(dir, 20);
    const file = path.join(dir, 'test.hindsight');
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
    expect(journalBytes(file)).toEqual([2, 2]);
    store.close();
    expect(fs.readdirSync(dir)).toEqual(['test.hindsight']);
    expect(journalBytes(file)).toEqual([1, 1]);
    const reopened = EventStore.open(file, { mode: 'read-write' });
    expect(reopened.head().position).toBe(20);
    expect(reopened.verify().ok).toBe(true);
    reopened.close();
  });

  it('keeps WAL mode while another writer still has the file open, and the last one switches back', () => {
    const dir = tempDir();
    const file = path.join(dir, 'test.hindsight');
    const a = makeStore(dir, 2);
    const b = EventStore.open(file, { mode: 'read-write' });
    const started = Date.now();
    a.close();
    expect(Date.now() - started).toBeLessThan(1000); // no wait for the busy timeout
    expect(journalBytes(file)).toEqual([2, 2]);
    b.append('account-9', [{ type: 'T', data: {} }]);
    b.close();
    expect(journalBytes(file)).toEqual([1, 1]);
    expect(fs.readdirSync(dir)).toEqual(['test.hindsight']);
  });

  it('refuses use after close with no_store_open, and close is idempotent', () => {
    const store = makeStore(tempDir(), 1);
    store.close();
    store.close();
    expect(() => store.head()).toThrow(expect.objectContaining({ code: 'no_store_open' }));
    expect(() => store.append('a-1', [{ type: 'T', data: 1 }])).toThrow(
      expect.objectContaining({ code: 'no_store_open' }),
    );
  });

  it('refuses writes to a read-only store with read_only', () => {
    const dir = tempDir();
    makeStore(dir, 1).close();
    const store = EventStore.open(path.join(dir, 'test.hindsight'), { mode: 'read-only' });
    expect(() => store.append('a-1', [{ type: 'T', data: 1 }])).toThrow(expect.objectContaining({ code: 'read_only' }));
    expect(() => store.transaction(() => 1)).toThrow(expect.objectContaining({ code: 'read_only' }));
    store.close();
  });

  it('refuses an unknown open mode with invalid_input', () => {
    const dir = tempDir();
    makeStore(dir, 1).close();
    expect(() => EventStore.open(path.join(dir, 'test.hindsight'), { mode: 'write' as 'read-write' })).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
  });

  it('tells its SQLite version and peeks a store id without opening the store', () => {
    const dir = tempDir();
    const store = makeStore(dir, 1);
    const id = store.storeId;
    store.close();
    expect(EventStore.sqliteVersion()).toMatch(/^3\.\d+\.\d+$/);
    const before = snapshotFolder(dir);
    expect(EventStore.peekStoreId(path.join(dir, 'test.hindsight'))).toBe(id);
    expect(EventStore.peekStoreId(path.join(dir, 'nope.hindsight'))).toBeNull();
    expect(snapshotFolder(dir)).toEqual(before);
  });
});
