import * as fs from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreSession } from '../../../electron/core/session/storeSession';
import type { IntegrityState } from '../../../shared/types';
import { makeServices } from '../../helpers/services';
import { makeStore, snapshotFolder } from '../../helpers/storeFixtures';
import { useTempDir } from '../../helpers/tempDir';

/** Writes junk over part of a page of the `events_by_type` index, as the bad-files matrix does. */
function damageIndexPage(file: string): void {
  const db = new Database(file, { readonly: true });
  const pages = db.prepare("SELECT pageno FROM dbstat WHERE name = 'events_by_type' ORDER BY pageno").pluck().all();
  db.close();
  const fd = fs.openSync(file, 'r+');
  const junk = Buffer.alloc(200, 0).map((_, i) => (i * 37 + 11) & 0xff);
  fs.writeSync(fd, junk, 0, 200, ((pages[1] as number) - 1) * 4096 + 2000);
  fs.closeSync(fd);
}

async function settled(read: () => Promise<IntegrityState>): Promise<IntegrityState> {
  for (let i = 0; i < 200; i++) {
    const state = await read();
    if (state.state !== 'verifying' && state.state !== 'unknown') return state;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the opening checks did not finish');
}

describe('opening checks of a big file run in the background', () => {
  const tempDir = useTempDir();
  const inline = StoreSession.inlineQuickCheckBytes;
  afterEach(() => {
    StoreSession.inlineQuickCheckBytes = inline;
  });

  it('a damaged big file opens at once; the background check then reports it damaged, and nothing is written', async () => {
    const dir = tempDir();
    const shared = join(dir, 'shared');
    fs.mkdirSync(shared);
    makeStore(shared, 2000).close();
    const file = join(shared, 'test.hindsight');
    damageIndexPage(file);
    const before = snapshotFolder(shared);

    // A small file is refused while opening, as before.
    const { services } = makeServices(dir);
    await expect(services.openPath(file, 'read-only')).rejects.toMatchObject({ code: 'corrupt' });

    // Treated as big: it opens, and the verify job's quick_check finds the damage.
    StoreSession.inlineQuickCheckBytes = 0;
    const summary = await services.openPath(file, 'read-only');
    expect(summary.events).toBe(2000);
    const state = await settled(() => Promise.resolve(services.handlers['integrity.status']({})));
    expect(state).toMatchObject({
      state: 'error',
      damaged: true,
      message: expect.stringMatching(/test\.hindsight is damaged: SQLite's integrity check found/),
    });
    services.dispose();
    expect(snapshotFolder(shared)).toEqual(before);
  });

  it('an intact big file is copied as a job with progress, opens, then verifies intact', async () => {
    const dir = tempDir();
    makeStore(dir, 300).close();
    const file = join(dir, 'test.hindsight');
    StoreSession.inlineQuickCheckBytes = 0;
    const { services, events } = makeServices(dir);
    await services.openPath(file, 'read-only');
    const copyJob = events.filter((e) => e.event === 'job.progress' && (e.payload as { kind: string }).kind === 'open');
    expect(copyJob.length).toBeGreaterThan(0);
    const last = copyJob.at(-1)?.payload as { done: number; total: number; label: string };
    expect(last.label).toBe('Copying test.hindsight for read-only opening');
    expect(last.total === 0 || last.done === last.total).toBe(true); // a clone reports nothing; a copy reaches the end
    expect(
      events.some((e) => e.event === 'job.finished' && (e.payload as { kind: string; ok: boolean }).kind === 'open'),
    ).toBe(true);
    const state = await settled(() => Promise.resolve(services.handlers['integrity.status']({})));
    expect(state).toMatchObject({ state: 'intact' });
    services.dispose();
  });

  it('of two opens in flight, the one asked for last wins; the other is dropped, not shown', async () => {
    const dir = tempDir();
    makeStore(dir, 50, 5, 'first.hindsight').close();
    makeStore(dir, 70, 5, 'second.hindsight').close();
    StoreSession.inlineQuickCheckBytes = 0; // both copied by jobs, so both are still in flight together
    const { services } = makeServices(dir);
    const first = services.openPath(join(dir, 'first.hindsight'), 'read-only');
    const second = services.openPath(join(dir, 'second.hindsight'), 'read-only');
    await expect(first).rejects.toMatchObject({ code: 'cancelled' });
    expect(await second).toMatchObject({ fileName: 'second.hindsight', events: 70 });
    expect(await services.handlers['store.current']({})).toMatchObject({ fileName: 'second.hindsight' });
    services.dispose();
  });
});
