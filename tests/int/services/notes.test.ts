import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeCommand } from '../../../electron/core/commands/bus';
import { EventStore } from '../../../electron/core/store/eventStore';
import { makeServices } from '../../helpers/services';
import { useTempDir } from '../../helpers/tempDir';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('investigation notes', () => {
  const tempDir = useTempDir();

  it('are kept per store id in the app data, edited and deleted, and never touch the store file', async () => {
    const dir = tempDir();
    const file = join(dir, 'evidence.hindsight');
    const store = EventStore.create(file);
    executeCommand(store, {
      commandType: 'OpenAccount',
      payload: { accountId: 'n1', owner: 'N', currency: 'EUR' },
      actor: 't',
    });
    const event = store.readAll({ limit: 1 })[0];
    store.close();
    const before = { sha: sha(file), mtime: statSync(file).mtimeMs };

    const { services } = makeServices(dir);
    await services.openPath(file, 'read-only');
    const h = services.handlers;
    const note = await h['notes.add']({
      target: { kind: 'event', eventId: event!.eventId, streamId: 'account-n1', version: 1, position: 1 },
      text: '  First bad event?  ',
    });
    expect(note.text).toBe('First bad event?');
    await h['notes.add']({ target: { kind: 'moment', time: 1_700_000_000_000 }, text: '' });
    expect((await h['notes.list']({})).map((n) => n.target.kind)).toEqual(['event', 'moment']);
    expect((await h['notes.update']({ id: note.id, text: 'Confirmed.' })).text).toBe('Confirmed.');
    expect(await h['notes.delete']({ id: note.id })).toEqual({ deleted: true });
    expect(await h['notes.delete']({ id: note.id })).toEqual({ deleted: false });
    await expect(async () => h['notes.update']({ id: note.id, text: 'x' })).rejects.toMatchObject({
      code: 'not_found',
    });

    // A restart (new services over the same data folder) sees the remaining note.
    services.dispose();
    const again = makeServices(dir).services;
    await again.openPath(file, 'read-only');
    expect((await again.handlers['notes.list']({})).map((n) => n.target.kind)).toEqual(['moment']);
    again.dispose();

    expect(sha(file)).toBe(before.sha);
    expect(statSync(file).mtimeMs).toBe(before.mtime);
  });

  it('refuses a note without an open store', async () => {
    const { services } = makeServices(tempDir());
    await expect(async () => services.handlers['notes.list']({})).rejects.toMatchObject({ code: 'no_store_open' });
  });
});
