import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { executeCommand } from '../../../electron/core/commands/bus';
import { EventStore } from '../../../electron/core/store/eventStore';
import { saveVerifiedCopy } from '../../../electron/core/store/verifiedCopy';
import { makeServices } from '../../helpers/services';
import { useTempDir } from '../../helpers/tempDir';

function seeded(path: string): EventStore {
  const store = EventStore.create(path);
  executeCommand(store, {
    commandType: 'OpenAccount',
    payload: { accountId: 'c1', owner: 'C', currency: 'EUR' },
    actor: 't',
  });
  executeCommand(store, { commandType: 'DepositMoney', payload: { accountId: 'c1', amount: 70 }, actor: 't' });
  return store;
}

describe('saveVerifiedCopy', () => {
  const tempDir = useTempDir();

  it('writes one self-contained file with the same digest, and verifies it', () => {
    const dir = tempDir();
    const store = seeded(join(dir, 'src.hindsight'));
    const copy = saveVerifiedCopy(store, join(dir, 'copy.hindsight'));
    const head = store.head();
    expect(copy.digest).toBe(`${head.position}:${head.hash}`);
    expect(copy.verify.ok).toBe(true);
    store.close();
    expect(readdirSync(dir).sort()).toEqual(['copy.hindsight', 'src.hindsight']);
    const reopened = EventStore.open(join(dir, 'copy.hindsight'), { mode: 'read-only' });
    expect(reopened.head()).toEqual(head);
    reopened.close();
  });

  it('refuses to overwrite and leaves nothing behind when the source is tampered', () => {
    const dir = tempDir();
    const path = join(dir, 'src.hindsight');
    seeded(path).close();
    const db = new Database(path);
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
      name: string;
    }[]) {
      db.exec(`DROP TRIGGER "${name}"`);
    }
    db.prepare("UPDATE events SET data = replace(data, '70', '7000') WHERE global_position = 2").run();
    db.close();
    const store = EventStore.open(path, { mode: 'read-only' });
    expect(() => saveVerifiedCopy(store, join(dir, 'copy.hindsight'))).toThrow(/did not verify/);
    expect(existsSync(join(dir, 'copy.hindsight'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['src.hindsight']);
    expect(() => saveVerifiedCopy(store, path)).toThrow(expect.objectContaining({ code: 'already_exists' }));
    store.close();
  });

  it('is reachable through the services with a save dialog', async () => {
    const dir = tempDir();
    const harness = makeServices(dir);
    harness.pickOnCreate(join(dir, 'mine.hindsight'));
    await harness.services.handlers['store.createDialog']({});
    harness.pickOnSave(join(dir, 'saved.hindsight'));
    const result = await harness.services.handlers['store.saveVerifiedCopy']({});
    expect(result?.path).toBe(join(dir, 'saved.hindsight'));
    expect(existsSync(join(dir, 'saved.hindsight'))).toBe(true);
    harness.pickOnSave(null);
    expect(await harness.services.handlers['store.saveVerifiedCopy']({})).toBeNull();
    harness.services.dispose();
  });
});
