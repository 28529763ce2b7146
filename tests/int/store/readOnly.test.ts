import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventStore } from '../../../electron/core/store/eventStore';
import { makeStore, snapshotFolder } from '../../helpers/storeFixtures';
import { useTempDir } from '../../helpers/tempDir';

// biome-ignore lint/correctness/useHookAtTopLevel: useTempDir is a Vitest helper (afterEach cleanup), not a React hook.
const tempDir = useTempDir('hindsight-ro-');
const locked: string[] = [];

/** Makes a folder read-only (chmod 555). Tests run as root in CI, where that alone stops nothing. */
function lockFolder(dir: string): void {
  fs.chmodSync(dir, 0o555);
  locked.push(dir);
}

afterEach(() => {
  for (const dir of locked.splice(0)) fs.chmodSync(dir, 0o755);
});

/** Opens read-only, reads everything a UI would, verifies, closes; returns what it saw. */
function readEverything(file: string, opts: { includeWal?: boolean; privateDir?: string } = {}) {
  const store = EventStore.open(file, { mode: 'read-only', ...opts });
  const seen = {
    companionWal: store.companionWal,
    info: store.info(),
    events: store.readAll({ limit: 10_000 }).length,
    streams: store.listStreams().length,
    verify: store.verify(),
    peek: EventStore.peekStoreId(file),
  };
  store.close();
  return seen;
}

describe('read-only opening never changes the file, its folder or its companions', () => {
  it('a closed store (rollback-journal mode) in a read-only folder', () => {
    const dir = tempDir();
    const store = makeStore(dir, 50);
    const id = store.storeId;
    store.close();
    lockFolder(dir);
    const before = snapshotFolder(dir);
    const seen = readEverything(path.join(dir, 'test.hindsight'));
    expect(seen).toMatchObject({ companionWal: false, events: 50, streams: 5, peek: id });
    expect(seen.verify.ok).toBe(true);
    expect(snapshotFolder(dir)).toEqual(before);
  });

  it('a WAL-mode store with a live -wal and -shm beside it (its writer still has it open)', () => {
    const dir = tempDir();
    const writer = makeStore(dir, 30); // open: 30 events committed in the -wal, not yet in the main file
    writer.db.pragma('wal_checkpoint(TRUNCATE)');
    writer.append('account-0', [{ type: 'Late', data: { n: 1 } }]);
    writer.append('account-0', [{ type: 'Late', data: { n: 2 } }]);
    lockFolder(dir);
    const before = snapshotFolder(dir);
    expect(Object.keys(before).sort()).toEqual(['test.hindsight', 'test.hindsight-shm', 'test.hindsight-wal']);

    const file = path.join(dir, 'test.hindsight');
    const plain = readEverything(file);
    expect(plain.companionWal).toBe(true);
    expect(plain.info.companions).toEqual(['test.hindsight-wal', 'test.hindsight-shm']);
    expect(plain.events).toBe(30); // the main file only: the two late appends are in the -wal
    expect(plain.verify.ok).toBe(true);
    expect(snapshotFolder(dir)).toEqual(before);

    const withWal = readEverything(file, { includeWal: true });
    expect(withWal.companionWal).toBe(false);
    expect(withWal.events).toBe(32);
    expect(withWal.verify).toMatchObject({ ok: true, events: 32 });
    expect(snapshotFolder(dir)).toEqual(before);
    writer.close();
  });

  it("a stranger's crashed store: -wal and -shm left beside a WAL-mode file", () => {
    const source = tempDir();
    const writer = makeStore(source, 20);
    const dir = tempDir();
    for (const name of fs.readdirSync(source)) fs.copyFileSync(path.join(source, name), path.join(dir, name));
    writer.close();
    lockFolder(dir);
    const before = snapshotFolder(dir);
    const file = path.join(dir, 'test.hindsight');
    // Nothing was ever checkpointed into the main file: the store is only in the -wal. Said so, and nothing replayed.
    expect(() => EventStore.open(file, { mode: 'read-only' })).toThrow(
      expect.objectContaining({
        code: 'not_a_store',
        message: expect.stringContaining('test.hindsight-wal beside it holds changes'),
      }),
    );
    expect(snapshotFolder(dir)).toEqual(before);
    const withWal = readEverything(file, { includeWal: true });
    expect(withWal).toMatchObject({ events: 20, verify: { ok: true } });
    expect(snapshotFolder(dir)).toEqual(before);
  });

  it('a hot -journal beside a rollback-mode file is not rolled back', () => {
    const dir = tempDir();
    makeStore(dir, 10).close();
    fs.writeFileSync(path.join(dir, 'test.hindsight-journal'), Buffer.alloc(4096, 7));
    lockFolder(dir);
    const before = snapshotFolder(dir);
    const seen = readEverything(path.join(dir, 'test.hindsight'));
    expect(seen.events).toBe(10);
    expect(seen.info.companions).toEqual(['test.hindsight-journal']);
    expect(snapshotFolder(dir)).toEqual(before);
  });

  it('keeps its private copy in the given folder and deletes it on close; stale copies of dead processes are swept', () => {
    const dir = tempDir();
    makeStore(dir, 5).close();
    const privateDir = path.join(tempDir(), 'cache');
    fs.mkdirSync(privateDir);
    fs.mkdirSync(path.join(privateDir, '999999999-stale')); // no such process
    fs.writeFileSync(path.join(privateDir, '999999999-stale', 'store.hindsight'), 'old');
    const store = EventStore.open(path.join(dir, 'test.hindsight'), { mode: 'read-only', privateDir });
    const copies = fs.readdirSync(privateDir);
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatch(new RegExp(`^${process.pid}-`));
    expect(store.verificationPath.startsWith(path.join(privateDir, copies[0]!))).toBe(true);
    store.close();
    expect(fs.readdirSync(privateDir)).toEqual([]);
  });

  it('an older copy stays what it was: appends made after opening are not seen until reopened', () => {
    const dir = tempDir();
    const writer = makeStore(dir, 3);
    writer.db.pragma('wal_checkpoint(TRUNCATE)');
    const reader = EventStore.open(path.join(dir, 'test.hindsight'), { mode: 'read-only' });
    writer.append('account-1', [{ type: 'T', data: 1 }]);
    expect(reader.head().position).toBe(3);
    reader.close();
    writer.close();
  });
});
