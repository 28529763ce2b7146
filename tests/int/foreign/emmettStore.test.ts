import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeServices } from '../../helpers/services';
import { useTempDir } from '../../helpers/tempDir';
import { readEmmettBack, writeDemoEmmettStore, writeEmmettStore } from '../../support/emmett';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const snapshot = (dir: string, file: string) => ({
  sha: sha(file),
  mtime: statSync(file).mtimeMs,
  listing: readdirSync(dir).sort(),
});

describe('an Emmett SQLite event store written by the real package', () => {
  const tempDir = useTempDir();

  it('opens without a dialog and shows the same history, stream by stream, as the package reads back', async () => {
    const dir = tempDir();
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    const file = join(shared, 'carts.db');
    await writeDemoEmmettStore(file);
    const before = snapshot(shared, file);
    const expected = await readEmmettBack(file);
    expect(expected.length).toBeGreaterThan(1);

    const { services } = makeServices(dir);
    const h = services.handlers;
    const summary = await services.openPath(file);
    expect(summary).toMatchObject({ path: file, mode: 'read-only', fileSha256: before.sha });
    expect(summary.foreign).toMatchObject({ kind: 'emmett', label: 'Emmett SQLite event store', timeSource: 'column' });
    expect(summary.events).toBe(expected.reduce((n, s) => n + s.events.length, 0));
    expect(summary.streams).toBe(expected.length);
    expect(await h['integrity.status']({})).toMatchObject({ state: 'unprovable' });

    for (const stream of expected) {
      const page = await h['history.timeline']({ streamId: stream.streamName, limit: 500 });
      expect(page.items.map((e) => e.eventType)).toEqual(stream.events.map((e) => e.type));
      for (const [i, event] of stream.events.entries()) {
        const ours = page.items[i]!;
        expect(ours.data).toEqual(event.data);
        expect(ours.eventId).toBe(event.messageId);
        expect(String(ours.streamVersion)).toBe(event.streamPosition);
        expect(String(ours.globalPosition)).toBe(event.globalPosition);
        // The package's metadata keys it fills in from columns on read are ours too, except those two.
        const { streamPosition: _p, globalPosition: _g, ...rest } = event.metadata;
        expect(ours.metadata).toMatchObject({ ...rest, streamPosition: expect.any(String) });
      }
    }
    // The hostile event: its strings are data, kept verbatim, and its own __proto__ key pollutes nothing.
    const all = (await h['log.page']({ limit: 100 })).items;
    const hostile = all.find((e) => JSON.stringify(e.data).includes('<script>'));
    expect(JSON.stringify(hostile?.data)).toContain('<img src=x onerror=');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // Reopening uses the derived store already built: same id, same history.
    await h['store.close']({});
    expect((await h['store.recent']({}))[0]).toMatchObject({ path: file, foreign: 'emmett' });
    const again = await services.openPath(file);
    expect(again.storeId).toBe(summary.storeId);
    services.dispose();
    expect(snapshot(shared, file)).toEqual(before);
  });

  it('interleaved appends of many streams keep the global order and the stream versions', async () => {
    const dir = tempDir();
    const file = join(dir, 'many.db');
    const streams = Array.from({ length: 5 }, (_, s) => ({
      streamName: `order-${s}`,
      events: Array.from({ length: 7 }, (_, v) => ({ type: v === 0 ? 'OrderPlaced' : 'LineAdded', data: { s, v } })),
    }));
    await writeEmmettStore(file, streams);
    const expected = await readEmmettBack(file);
    const { services } = makeServices(dir);
    await services.openPath(file);
    const log = (await services.handlers['log.page']({ limit: 100 })).items;
    const byPosition = expected
      .flatMap((s) => s.events.map((e) => ({ stream: s.streamName, position: Number(e.globalPosition), data: e.data })))
      .sort((a, b) => a.position - b.position);
    expect(log.map((e) => [e.globalPosition, e.streamId, e.data])).toEqual(
      byPosition.map((e) => [e.position, e.stream, e.data]),
    );
    services.dispose();
  });
});
