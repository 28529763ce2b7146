import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeServices } from '../../helpers/services';
import { makeStore, sampleEvent, snapshotFolder, streamName } from '../../helpers/storeFixtures';
import { useTempDir } from '../../helpers/tempDir';

/** Copies a store and its companions while its writer still has it open: what a colleague's crashed app leaves. */
function copyWhileOpen(source: string, target: string): void {
  for (const name of fs.readdirSync(source)) fs.copyFileSync(join(source, name), join(target, name));
}

describe('a -wal beside a shared file: never applied unasked, read into the private copy when asked', () => {
  const tempDir = useTempDir();

  it('a store with changes in its -wal: opens without them, says so, and shows them on request', async () => {
    const source = tempDir();
    const writer = makeStore(source, 10);
    writer.db.pragma('wal_checkpoint(TRUNCATE)'); // the first 10 are in the main file
    for (let i = 10; i < 15; i++) writer.append(streamName(i % 5), [sampleEvent(i)]); // 5 more only in the -wal
    const dir = tempDir();
    const shared = join(dir, 'shared');
    fs.mkdirSync(shared);
    copyWhileOpen(source, shared);
    writer.close();
    const before = snapshotFolder(shared);
    expect(Object.keys(before).some((name) => name.endsWith('-wal'))).toBe(true);

    const { services } = makeServices(dir);
    const h = services.handlers;
    const plain = await services.openPath(join(shared, 'test.hindsight'), 'read-only');
    expect(plain).toMatchObject({ events: 10, companionWal: true, walIncluded: false });

    const withWal = await h['store.includeWal']({});
    expect(withWal).toMatchObject({ events: 15, companionWal: false, walIncluded: true, mode: 'read-only' });
    // Asked again with nothing left unread: a clear refusal.
    await expect(h['store.includeWal']({})).rejects.toMatchObject({ code: 'not_found' });
    services.dispose();
    expect(snapshotFolder(shared)).toEqual(before);
  });

  it('a store whose whole history is still in its -wal: the refusal says so, and the -wal can be read', async () => {
    const source = tempDir();
    const writer = makeStore(source, 20);
    const dir = tempDir();
    const shared = join(dir, 'shared');
    fs.mkdirSync(shared);
    copyWhileOpen(source, shared);
    writer.close();
    const before = snapshotFolder(shared);

    const { services } = makeServices(dir);
    await expect(services.openPath(join(shared, 'test.hindsight'))).rejects.toMatchObject({
      code: 'not_a_store',
      message: expect.stringContaining('test.hindsight-wal beside it holds changes'),
      details: expect.objectContaining({ companionWal: true }),
    });
    expect(await services.handlers['store.pendingMapping']({})).toBeNull(); // not a table to map
    const summary = await services.handlers['store.includeWal']({});
    expect(summary).toMatchObject({ events: 20, walIncluded: true });
    services.dispose();
    expect(snapshotFolder(shared)).toEqual(before);
  });
});
