import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportJsonl } from '../../../electron/core/interchange/exportJsonl';
import { makeServices } from '../../helpers/services';
import { makeStore, snapshotFolder } from '../../helpers/storeFixtures';
import { useTempDir } from '../../helpers/tempDir';

describe('importing a JSONL file into the open store (store.importDialog)', () => {
  const tempDir = useTempDir();

  it('appends every event as a job, brings read models up to date, and refuses read-only stores and bad files whole', async () => {
    const dir = tempDir();
    const source = makeStore(dir, 120, 4, 'source.hindsight');
    const jsonl = join(dir, 'events.jsonl');
    fs.writeFileSync(jsonl, [...exportJsonl(source, {})].join(''));
    source.close();

    const { services, events, pickOnCreate, pickOnOpen } = makeServices(dir);
    const h = services.handlers;
    pickOnCreate(join(dir, 'target.hindsight'));
    await h['store.createDialog']({});

    pickOnOpen(null);
    expect(await h['store.importDialog']({})).toBeNull(); // a cancelled dialog imports nothing

    pickOnOpen(jsonl);
    expect(await h['store.importDialog']({})).toEqual({
      imported: 120,
      skipped: 0,
      lines: 120,
      firstPosition: 1,
      lastPosition: 120,
    });
    expect((await h['store.current']({}))?.events).toBe(120);
    expect(
      events.some((e) => e.event === 'store.changed' && (e.payload as { reason: string }).reason === 'appended'),
    ).toBe(true);
    const models = await h['readmodels.list']({});
    // Every read model has seen all 120 events: folded, or (the domain ones, on these sample events) failed
    // at a named event rather than silently behind.
    expect(models.length).toBeGreaterThan(2);
    for (const model of models) {
      expect(model.head).toBe(120);
      if (model.status === 'ok') expect(model.lag, model.name).toBe(0);
      else expect(model.error?.message, model.name).toMatch(/at position \d+/);
    }
    expect(models.find((model) => model.name === 'streams')).toMatchObject({ status: 'ok', position: 120 });

    // The same file again: every line is a repeat, nothing is written.
    pickOnOpen(jsonl);
    expect(await h['store.importDialog']({})).toMatchObject({ imported: 0, skipped: 120 });

    // A bad line anywhere: nothing of the file is imported, and the error names the line.
    const bad = join(dir, 'bad.jsonl');
    fs.writeFileSync(
      bad,
      `${JSON.stringify({ streamId: 'x-1', type: 'T', data: {} })}\n{"streamId": "x-1", "type": ""}\n`,
    );
    pickOnOpen(bad);
    await expect(h['store.importDialog']({})).rejects.toMatchObject({
      message: 'Line 2: The event type must not be empty; nothing was imported.',
    });
    expect((await h['store.current']({}))?.events).toBe(120);

    // A read-only store: refused before any dialog.
    await h['store.close']({});
    const shared = join(dir, 'shared');
    fs.mkdirSync(shared);
    fs.copyFileSync(join(dir, 'target.hindsight'), join(shared, 'target.hindsight'));
    const before = snapshotFolder(shared);
    await services.openPath(join(shared, 'target.hindsight'), 'read-only');
    await expect(async () => h['store.importDialog']({})).rejects.toMatchObject({ code: 'read_only' });
    services.dispose();
    expect(snapshotFolder(shared)).toEqual(before);
  });
});
