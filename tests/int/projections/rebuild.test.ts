import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HindsightError } from '../../../electron/core/errors';
import { listReadModels } from '../../../electron/core/projections/query';
import { rebuildReadModels } from '../../../electron/core/projections/rebuild';
import { BUILTIN_PROJECTIONS } from '../../../electron/core/projections/registry';
import { attachedRuntime, attachReadModels, detachReadModels } from '../../../electron/core/projections/runtime';
import { rebuildInWorker } from '../../../electron/core/projections/workers';
import { EventStore } from '../../../electron/core/store/eventStore';
import { useTempDir } from '../../helpers/tempDir';
import { dump, newStore, randomHistory } from './helpers';

function dumpAll(store: EventStore): Record<string, unknown> {
  const db = attachedRuntime(store)!.target;
  return Object.fromEntries(BUILTIN_PROJECTIONS.map((p) => [p.name, dump(db, p)]));
}

function checkpointRows(store: EventStore): unknown[] {
  return attachedRuntime(store)!
    .target.prepare('SELECT name, version, position, position_hash, status FROM projection_checkpoints ORDER BY name')
    .raw()
    .all();
}

describe('rebuilding read models', () => {
  const tempDir = useTempDir('hindsight-rm-rebuild-');

  for (const seed of [1, 2, 3]) {
    it(`gives exactly what incremental (inline) folding gave, on a random store (seed ${seed})`, async () => {
      const dir = tempDir();
      const { store, file } = newStore(dir);
      attachReadModels(store);
      const n = randomHistory(store, seed, 600 + seed * 150);
      expect(store.head().position).toBe(n);
      const incremental = dumpAll(store);
      expect(Object.values(incremental).every((tables) => Object.keys(tables as object).length > 0)).toBe(true);

      const result = rebuildReadModels(store);
      expect(result.models.every((m) => m.status === 'ok' && m.position === n && m.from === 0)).toBe(true);
      expect(dumpAll(store)).toEqual(incremental);

      const worker = await rebuildInWorker(store);
      expect(worker.models.every((m) => m.status === 'ok' && m.position === n)).toBe(true);
      expect(dumpAll(store)).toEqual(incremental);

      // Groups of read models built by parallel workers, swapped in together.
      const parallel = await rebuildInWorker(store, { parallel: 1 + seed });
      expect(parallel.models.map((m) => m.name)).toEqual(BUILTIN_PROJECTIONS.map((p) => p.name));
      expect(parallel.models.every((m) => m.status === 'ok' && m.position === n && m.applied > 0)).toBe(true);
      expect(dumpAll(store)).toEqual(incremental);
      expect(
        fs
          .readdirSync(path.join(os.tmpdir(), 'hindsight-rebuild'))
          .filter((f) => f.startsWith(`rebuild-${process.pid}-`)),
      ).toEqual([]);
      detachReadModels(store);
      store.close();

      // A read-only open builds the same read models from position 0 into its private cache.
      const evidence = EventStore.open(file, { mode: 'read-only' });
      attachReadModels(evidence, { cacheDir: path.join(dir, 'cache'), maxCatchUp: 100_000 });
      expect(dumpAll(evidence)).toEqual(incremental);
      detachReadModels(evidence);
      evidence.close();
    });
  }

  it('a cancelled rebuild leaves the previous read models exactly as they were (in-process and in a worker)', async () => {
    const dir = tempDir();
    const { store } = newStore(dir);
    attachReadModels(store);
    randomHistory(store, 7, 3000);
    const before = dumpAll(store);
    const cps = checkpointRows(store);
    const scratchDir = path.join(dir, 'scratch');

    const signal = { aborted: false };
    let error: unknown;
    try {
      rebuildReadModels(store, {
        scratchDir,
        signal,
        onProgress: (done) => {
          if (done > 0) signal.aborted = true;
        },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HindsightError);
    expect((error as HindsightError).code).toBe('cancelled');
    expect(dumpAll(store)).toEqual(before);
    expect(checkpointRows(store)).toEqual(cps);
    expect(fs.readdirSync(scratchDir)).toEqual([]);

    for (const parallel of [false, 2]) {
      const controller = new AbortController();
      await expect(
        rebuildInWorker(store, {
          parallel,
          signal: controller.signal,
          onProgress: () => controller.abort(),
        }),
      ).rejects.toMatchObject({ code: 'cancelled' });
      expect(dumpAll(store)).toEqual(before);
      expect(checkpointRows(store)).toEqual(cps);
    }
    // The store still works, inline.
    store.append('late-1', [{ type: 'Late', data: {} }]);
    expect(listReadModels(store).every((m) => m.lag === 0 && m.status === 'ok')).toBe(true);
    detachReadModels(store);
    store.close();
  });

  it('in a worker: the main thread keeps answering and appending, and the swap folds what was appended meanwhile', async () => {
    const dir = tempDir();
    const { store, file } = newStore(dir);
    attachReadModels(store);
    randomHistory(store, 11, 6000);
    let appended = 0;
    const result = await rebuildInWorker(store, {
      onProgress: () => {
        // Appends on the main thread while the worker builds: folded inline into the old tables now, and by
        // the swap into the new ones.
        if (appended < 3) {
          store.append(`during-${appended}`, [{ type: 'During', data: { appended }, metadata: { actor: 'main' } }]);
          appended++;
        }
        // And the main thread answers queries.
        expect(listReadModels(store)[0]!.status).toBe('ok');
      },
    });
    expect(appended).toBeGreaterThan(0);
    const head = store.head().position;
    // The result is the worker's view at its swap; a progress message handled after the swap may still have
    // appended (folded inline into the new tables), so the live read models are what must be at the head.
    expect(result.models.every((m) => m.position <= head && m.status === 'ok')).toBe(true);
    expect(listReadModels(store).map((m) => [m.name, m.position, m.status])).toEqual(
      listReadModels(store).map((m) => [m.name, head, 'ok']),
    );
    // (How long the main thread waits during a rebuild is measured by the benchmark, not asserted here.)
    const afterWorker = dumpAll(store);
    detachReadModels(store);
    store.close();
    // Exactly what a fresh build of the whole log gives.
    const fresh = EventStore.open(file, { mode: 'read-only' });
    attachReadModels(fresh, { cacheDir: path.join(dir, 'cache'), maxCatchUp: 100_000 });
    expect(dumpAll(fresh)).toEqual(afterWorker);
    detachReadModels(fresh);
    fresh.close();
  });

  it('records when it ran and how long it took, for one read model or all', () => {
    const { store } = newStore(tempDir());
    attachReadModels(store);
    randomHistory(store, 5, 200);
    expect(listReadModels(store).every((m) => m.lastRebuildAt === null && m.rebuildMs === null)).toBe(true);
    const result = rebuildReadModels(store, { names: ['streams'] });
    expect(result.models.map((m) => m.name)).toEqual(['streams']);
    const statuses = listReadModels(store);
    expect(statuses.find((m) => m.name === 'streams')!.lastRebuildAt).toEqual(expect.any(Number));
    expect(statuses.find((m) => m.name === 'streams')!.rebuildMs).toEqual(expect.any(Number));
    expect(statuses.find((m) => m.name === 'accounts')!.lastRebuildAt).toBeNull();
    expect(() => rebuildReadModels(store, { names: ['nope'] })).toThrow(/no read model "nope"/);
    detachReadModels(store);
    store.close();
  });
});
