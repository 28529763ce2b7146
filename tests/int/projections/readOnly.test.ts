import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { readModelAsOf } from '../../../electron/core/projections/asOf';
import { readModelCachePath } from '../../../electron/core/projections/cache';
import { listReadModels, queryReadModel } from '../../../electron/core/projections/query';
import { rebuildReadModels } from '../../../electron/core/projections/rebuild';
import { attachReadModels, catchUp, detachReadModels } from '../../../electron/core/projections/runtime';
import { rebuildInWorker } from '../../../electron/core/projections/workers';
import { EventStore } from '../../../electron/core/store/eventStore';
import { useTempDir } from '../../helpers/tempDir';
import { newStore, randomHistory } from './helpers';

function fingerprint(file: string): { sha: string; mtimeMs: number; size: number; siblings: string[] } {
  const stat = fs.statSync(file);
  return {
    sha: createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
    mtimeMs: stat.mtimeMs,
    size: stat.size,
    siblings: fs.readdirSync(path.dirname(file)).sort(),
  };
}

describe('read models of a read-only store', () => {
  const tempDir = useTempDir('hindsight-rm-readonly-');

  it('live in a private cache: the shared file (bytes, mtime, folder) never changes, and the cache is reused', async () => {
    const dir = tempDir();
    const shared = path.join(dir, 'shared');
    fs.mkdirSync(shared);
    const { store, file } = newStore(shared, 'evidence.hindsight');
    const n = randomHistory(store, 31, 400);
    store.close();
    const before = fingerprint(file);
    const cacheDir = path.join(dir, 'app-cache');

    const evidence = EventStore.open(file, { mode: 'read-only' });
    attachReadModels(evidence, { cacheDir });
    const statuses = listReadModels(evidence);
    expect(statuses.every((m) => m.location === 'cache' && m.status === 'ok' && m.position === n)).toBe(true);
    const cacheFile = readModelCachePath(cacheDir, evidence.storeId);
    expect(fs.existsSync(cacheFile)).toBe(true);
    const accounts = queryReadModel(evidence, 'accounts', { limit: 1000 });
    expect(accounts.rows.length).toBeGreaterThan(0);
    // Everything a user can do with read models: query, catch up, rebuild (in-process and in a worker), as of.
    catchUp(evidence);
    rebuildReadModels(evidence, { names: ['streams'] });
    await rebuildInWorker(evidence, { names: ['orders', 'activity'] });
    readModelAsOf(evidence, 'actors', { position: 123 });
    expect(
      evidence.db.prepare("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'rm\\_%' ESCAPE '\\'").pluck().get(),
    ).toBe(0);
    detachReadModels(evidence);
    evidence.close();
    expect(fingerprint(file)).toEqual(before);

    // Reopened: the cache is used as it is (nothing folded again), and it still matches the file.
    const again = EventStore.open(file, { mode: 'read-only' });
    attachReadModels(again, { cacheDir });
    const result = catchUp(again);
    expect(result.models.every((m) => m.applied === 0 && m.from === n && m.position === n)).toBe(true);
    expect(queryReadModel(again, 'accounts', { limit: 1000 }).rows).toEqual(accounts.rows);
    detachReadModels(again);
    again.close();
    expect(fingerprint(file)).toEqual(before);
  });

  it('need a cache folder, and a cache that no longer matches the file is rebuilt', () => {
    const dir = tempDir();
    const { store, file } = newStore(dir);
    const n = randomHistory(store, 32, 100);
    store.close();
    const evidence = EventStore.open(file, { mode: 'read-only' });
    expect(() => attachReadModels(evidence)).toThrow(/cache folder/);
    const cacheDir = path.join(dir, 'cache');
    attachReadModels(evidence, { cacheDir });
    detachReadModels(evidence);
    evidence.close();

    // The owner appends more (a longer prefix of the same store): the cache continues from where it was.
    const owner = EventStore.open(file, { mode: 'read-write' });
    owner.append('late-1', [{ type: 'Late', data: {} }]);
    owner.close();
    const longer = EventStore.open(file, { mode: 'read-only' });
    attachReadModels(longer, { cacheDir });
    expect(catchUp(longer).models.every((m) => m.position === n + 1 && m.applied <= 1)).toBe(true);
    detachReadModels(longer);
    longer.close();

    // A different history under the same store id (a forked or edited copy): the cache is not trusted.
    const fork = path.join(dir, 'fork.hindsight');
    fs.copyFileSync(file, fork);
    const cacheFile = readModelCachePath(cacheDir, EventStore.peekStoreId(file)!);
    // Simulate "a cache built from another history": other rows, and a checkpoint whose event hash differs.
    const raw = new Database(cacheFile);
    raw.prepare('DELETE FROM rm_streams').run();
    raw.prepare("UPDATE projection_checkpoints SET position_hash = 'f00' WHERE name = 'streams'").run();
    raw.close();
    const forked = EventStore.open(fork, { mode: 'read-only' });
    attachReadModels(forked, { cacheDir });
    const streams = listReadModels(forked).find((m) => m.name === 'streams')!;
    expect(streams).toMatchObject({ status: 'ok', position: n + 1 });
    const distinct = forked.db.prepare('SELECT count(DISTINCT stream_id) FROM events').pluck().get();
    expect(streams.rows).toBe(distinct);
    detachReadModels(forked);
    forked.close();
  });
});
