import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { type BuildOptions, buildSync } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { HindsightError } from '../../../electron/core/errors';
import { runJob } from '../../../electron/core/jobs/runner';
import { configureJobWorker, resolveWorkerEntry } from '../../../electron/core/jobs/workerEntry';
import { EventStore } from '../../../electron/core/store/eventStore';
import type { VerifyResult } from '../../../electron/core/store/types';
import { makeStore, writeSampleJsonl } from '../../helpers/storeFixtures';
import { REPO_ROOT } from '../../helpers/storeProcess';
import { useTempDir } from '../../helpers/tempDir';

// biome-ignore lint/correctness/useHookAtTopLevel: useTempDir is a Vitest helper (afterEach cleanup), not a React hook.
const tempDir = useTempDir('hindsight-jobs-');

async function rejection(promise: Promise<unknown>): Promise<HindsightError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HindsightError) return error;
    throw error;
  }
  throw new Error('the job did not fail');
}

afterEach(() => configureJobWorker(undefined));

describe('runJob in a real worker thread', () => {
  it('runs from TypeScript source under Vitest (the worker registers tsx itself)', () => {
    expect(resolveWorkerEntry()).toMatchObject({ kind: 'source' });
    expect(resolveWorkerEntry().url.pathname.endsWith('/electron/core/jobs/worker.ts')).toBe(true);
  });

  it('verifies a store on its own connection, with progress events, and resolves with the result', async () => {
    const dir = tempDir();
    const store = makeStore(dir, 6000, 10);
    const progress: [number, number][] = [];
    const result = await runJob(
      'verify',
      { path: store.verificationPath },
      { onProgress: (done, total) => progress.push([done, total]) },
    );
    expect(result).toEqual({ ok: true, events: 6000, head: store.head(), firstBad: null });
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)).toEqual([6000, 6000]);
    store.close();
  });

  it('verifies a store in parallel ranges, with the same results as one walk, intact or not', async () => {
    const dir = tempDir();
    const store = makeStore(dir, 3000, 7);
    const digest = store.info().digest;
    const progress: [number, number][] = [];
    const intact = await runJob(
      'verify',
      { path: store.verificationPath, digest, parallel: 3 },
      {
        onProgress: (done, total) => progress.push([done, total]),
      },
    );
    expect(intact).toEqual({ ok: true, events: 3000, head: store.head(), firstBad: null, digest });
    expect(progress.at(-1)).toEqual([3000, 3000]);
    expect(
      await runJob('verify', { path: store.verificationPath, digest: `3001:${'0'.repeat(63)}1`, parallel: 3 }),
    ).toMatchObject({
      ok: false,
      firstBad: { position: 3001, reason: 'truncated' },
    });
    store.close();
    const sql = new Database(path.join(dir, 'test.hindsight'));
    sql.exec('DROP TRIGGER events_append_only_delete; DROP TRIGGER events_append_only_update;');
    sql.exec('DELETE FROM events WHERE global_position = 2500'); // in the last range
    sql.exec(`UPDATE events SET recorded_at = 0 WHERE global_position = 1001`); // a range's first row
    sql.close();
    const broken = await runJob('verify', { path: path.join(dir, 'test.hindsight'), access: 'copy', parallel: 3 });
    expect(broken).toMatchObject({ ok: false, events: 1000, firstBad: { position: 1001, reason: 'modified' } });
  });

  it('verifies the private copy of a read-only store (what the app passes as verificationPath)', async () => {
    const dir = tempDir();
    makeStore(dir, 100).close();
    const sql = new Database(path.join(dir, 'test.hindsight'));
    sql.exec("DROP TRIGGER events_append_only_update; UPDATE events SET data = '{}' WHERE global_position = 42");
    sql.close();
    const store = EventStore.open(path.join(dir, 'test.hindsight'), { mode: 'read-only' });
    const result = await runJob<VerifyResult>('verify', { path: store.verificationPath });
    expect(result).toMatchObject({ ok: false, events: 41, firstBad: { position: 42, reason: 'modified' } });
    store.close();
  });

  it('splits a small store into fewer ranges when the forced count does not divide it, and refuses a bad count', async () => {
    const store = makeStore(tempDir(), 5);
    // 5 events in 4 parts: ranges of 2 make 3 ranges (a fourth would start past the head).
    expect(await runJob('verify', { path: store.verificationPath, parallel: 4 })).toMatchObject({
      ok: true,
      events: 5,
    });
    const notANumber = await rejection(runJob('verify', { path: store.verificationPath, parallel: Number.NaN }));
    expect(notANumber).toMatchObject({ code: 'invalid_input', details: { field: 'parallel' } });
    store.close();
  });

  it('surfaces a job error as a HindsightError with its code, message and details', async () => {
    const missing = await rejection(runJob('verify', { path: path.join(tempDir(), 'nope.hindsight'), access: 'copy' }));
    expect(missing.code).toBe('not_found');
    expect(missing.message).toMatch(/nope\.hindsight does not exist\.$/);
    const failed = await rejection(runJob('selftest', { steps: 10, stepMs: 1, failWith: 'corrupt', failAfter: 3 }));
    expect(failed).toMatchObject({ code: 'corrupt', details: { step: 3 } });
    const unknown = await rejection(runJob('no-such-job' as 'selftest', {}));
    expect(unknown.code).toBe('invalid_input');
    const badParams = await rejection(runJob('verify', {} as { path: string }));
    expect(badParams.code).toBe('invalid_input');
  });

  it('cancels a running job: the job sees the flag and stops', async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const started = Date.now();
    const error = await rejection(
      runJob(
        'selftest',
        { steps: 10_000, stepMs: 5 },
        {
          signal: controller.signal,
          onProgress: (done) => {
            progress.push(done);
            if (done >= 3) controller.abort();
          },
        },
      ),
    );
    expect(error.code).toBe('cancelled');
    expect(progress.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('cancels a verify right after it started (the cancel flag is shared memory, seen mid-walk)', async () => {
    const store = makeStore(tempDir(), 3000, 3);
    const controller = new AbortController();
    const job = runJob('verify', { path: store.verificationPath }, { signal: controller.signal });
    controller.abort();
    expect((await rejection(job)).code).toBe('cancelled');
    store.close();
  });

  it('terminates a job that does not stop by itself within the grace period', async () => {
    const controller = new AbortController();
    const job = runJob('selftest', { steps: 5, stepMs: 1000 }, { signal: controller.signal, cancelGraceMs: 100 });
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    expect((await rejection(job)).code).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await rejection(runJob('selftest', {}, { signal: controller.signal }))).code).toBe('cancelled');
  });

  it('imports a JSONL file off the main thread (the import job starts its own parse worker)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'in.jsonl');
    writeSampleJsonl(file, 3000, { streams: 30 });
    EventStore.create(path.join(dir, 'target.hindsight')).close();
    const progress: number[] = [];
    const result = await runJob(
      'import',
      { storePath: path.join(dir, 'target.hindsight'), file },
      { onProgress: (done) => progress.push(done) },
    );
    expect(result).toMatchObject({ imported: 3000, lastPosition: 3000 });
    expect(progress.at(-1)).toBe(fs.statSync(file).size);
    const store = EventStore.open(path.join(dir, 'target.hindsight'), { mode: 'read-only' });
    expect(store.verify()).toMatchObject({ ok: true, events: 3000 });
    store.close();
  });

  it("stops a job whose streamed data the caller refuses, with the caller's error", async () => {
    const dir = tempDir();
    const file = path.join(dir, 'in.jsonl');
    writeSampleJsonl(file, 5000, { streams: 30 });
    const error = await rejection(
      runJob(
        'interchange.parse',
        { file, window: new SharedArrayBuffer(4), batchSize: 100 },
        {
          onData: () => {
            throw new HindsightError('concurrency', 'no thanks');
          },
        },
      ),
    );
    expect(error).toMatchObject({ code: 'concurrency', message: 'no thanks' });
  });

  it('runs from a build laid out as electron-vite emits it: out/main/jobWorker.js beside a chunks/ folder, no tsx', async () => {
    // Built inside the repo so that `require('better-sqlite3')` resolves from node_modules.
    const outDir = path.join(REPO_ROOT, 'node_modules', '.cache', 'hindsight-test', `build-${process.pid}`);
    const common: BuildOptions = {
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['better-sqlite3'],
      logLevel: 'silent',
    };
    buildSync({
      ...common,
      entryPoints: [path.join(REPO_ROOT, 'electron/core/jobs/worker.ts')],
      outfile: path.join(outDir, 'jobWorker.js'),
    });
    // The runner lands in a shared chunk one folder below the entries, as in out/main/chunks/.
    buildSync({
      ...common,
      entryPoints: [path.join(REPO_ROOT, 'electron/core/jobs/runner.ts')],
      outfile: path.join(outDir, 'chunks', 'runner.js'),
    });
    try {
      const built = createRequire(import.meta.url)(path.join(outDir, 'chunks', 'runner.js')) as {
        runJob: typeof runJob;
      };
      const store = makeStore(tempDir(), 50);
      const progress: number[] = [];
      const result = await built.runJob(
        'verify',
        { path: store.verificationPath },
        { onProgress: (done) => progress.push(done) },
      );
      expect(result).toMatchObject({ ok: true, events: 50 });
      expect(progress.at(-1)).toBe(50);
      store.close();
      // And the explicit override, for packaged layouts that differ.
      configureJobWorker(path.join(outDir, 'jobWorker.js'));
      expect(resolveWorkerEntry()).toMatchObject({ kind: 'built' });
      expect(await runJob('selftest', { steps: 2, stepMs: 1 })).toEqual({ steps: 2 });
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });
});
