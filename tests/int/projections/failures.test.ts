import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { streamsProjection } from '../../../electron/core/projections/builtin/streams';
import { defineProjection } from '../../../electron/core/projections/define';
import { listReadModels, queryReadModel } from '../../../electron/core/projections/query';
import { rebuildReadModels } from '../../../electron/core/projections/rebuild';
import { attachReadModels, catchUp, detachReadModels } from '../../../electron/core/projections/runtime';
import type { ProjectionDefinition, ProjectionEvent } from '../../../electron/core/projections/types';
import { EventStore } from '../../../electron/core/store/eventStore';
import { useTempDir } from '../../helpers/tempDir';
import { newStore } from './helpers';

/** A projection counting events per type, which throws on an event whose data says `boom`. */
function counter(version: number): ProjectionDefinition {
  const failOn = 'boom';
  return defineProjection({
    name: 'counter',
    version,
    description: 'counts events per type; throws on data.flag === failOn',
    handles: ['*'],
    tables: {
      ddl: 'CREATE TABLE rm_counter (event_type TEXT PRIMARY KEY NOT NULL, n INTEGER NOT NULL, variant TEXT)',
      columns: [
        { name: 'event_type', type: 'text', label: 'Type' },
        { name: 'n', type: 'integer', label: 'Count' },
      ],
      primaryKey: ['event_type'],
      defaultSort: { column: 'event_type', dir: 'asc' },
    },
    apply(db, event: ProjectionEvent) {
      const data = event.data as { flag?: string };
      if (data?.flag === failOn) throw new Error(`cannot count a ${failOn}`);
      db.prepare(
        'INSERT INTO rm_counter (event_type, n, variant) VALUES (?, 1, ?) ON CONFLICT (event_type) DO UPDATE SET n = n + 1',
      ).run(event.eventType, `v${version}`);
    },
  });
}

/** The same projection after a bug fix: different code (the fingerprint sees the source text), same version. */
function fixedCounter(version: number): ProjectionDefinition {
  const broken = counter(version);
  return defineProjection({
    ...broken,
    apply(db, event: ProjectionEvent) {
      // Fixed: flagged events are counted like any other.
      db.prepare(
        'INSERT INTO rm_counter (event_type, n, variant) VALUES (?, 1, ?) ON CONFLICT (event_type) DO UPDATE SET n = n + 1',
      ).run(event.eventType, `v${version}`);
    },
  });
}

function counts(store: EventStore): Record<string, number> {
  return Object.fromEntries(queryReadModel(store, 'counter').rows.map((r) => [r.event_type, r.n]));
}

describe('a projection that throws', () => {
  const tempDir = useTempDir('hindsight-rm-failures-');

  it('stops at that event with its position, id, type and message; the append and the other read models go on', () => {
    const { store } = newStore(tempDir());
    const projections = [counter(1), streamsProjection];
    attachReadModels(store, { projections });
    store.append('s-1', [
      { type: 'A', data: {} },
      { type: 'B', data: {} },
    ]);
    // The third event of one append throws: the first two of that append are kept, the rest are not folded.
    const appended = store.append('s-1', [
      { type: 'A', data: {} },
      { type: 'A', data: {} },
      { type: 'C', data: { flag: 'boom' } },
      { type: 'B', data: {} },
    ]);
    expect(appended.lastPosition).toBe(6);
    const failing = appended.events[2]!;
    const [status, streams] = listReadModels(store);
    expect(status).toMatchObject({
      name: 'counter',
      status: 'failed',
      position: 4,
      head: 6,
      lag: 2,
      needsJob: false,
      error: { position: 5, eventId: failing.eventId, eventType: 'C', message: 'cannot count a boom' },
    });
    expect(counts(store)).toEqual({ A: 3, B: 1 });
    expect(streams).toMatchObject({ name: 'streams', status: 'ok', position: 6 });

    // Later appends and catch-ups never move it past the failure, nor skip the event.
    store.append('s-2', [{ type: 'A', data: {} }]);
    catchUp(store);
    attachReadModels(store); // idempotent
    expect(listReadModels(store)[0]).toMatchObject({ status: 'failed', position: 4, error: { position: 5 } });
    expect(counts(store)).toEqual({ A: 3, B: 1 });
    expect(listReadModels(store)[1]).toMatchObject({ status: 'ok', position: 7 });
    detachReadModels(store);
    store.close();
  });

  it('is retried from where it stopped once its code changes, and rebuilt when its version changes', () => {
    const { store, file } = newStore(tempDir());
    attachReadModels(store, { projections: [counter(1)] });
    store.append('s-1', [{ type: 'A', data: {} }]);
    store.append('s-1', [{ type: 'C', data: { flag: 'boom' } }]);
    store.append('s-1', [{ type: 'B', data: {} }]);
    expect(listReadModels(store)[0]).toMatchObject({ status: 'failed', position: 1, error: { position: 2 } });
    detachReadModels(store);
    store.close();

    // Same version, same code: still failed after reopening.
    const again = EventStore.open(file, { mode: 'read-write' });
    attachReadModels(again, { projections: [counter(1)] });
    expect(listReadModels(again)[0]).toMatchObject({ status: 'failed', position: 1 });
    detachReadModels(again);

    // Fixed code, same version: continues from position 1.
    attachReadModels(again, { projections: [fixedCounter(1)] });
    expect(listReadModels(again)[0]).toMatchObject({ status: 'ok', position: 3, error: null });
    expect(counts(again)).toEqual({ A: 1, B: 1, C: 1 });
    detachReadModels(again);

    // A new version drops the read model and rebuilds it from position 0 (its rows carry the new variant).
    attachReadModels(again, { projections: [fixedCounter(2)] });
    expect(listReadModels(again)[0]).toMatchObject({ version: 2, status: 'ok', position: 3 });
    const variants = again.db.prepare('SELECT DISTINCT variant FROM rm_counter').pluck().all();
    expect(variants).toEqual(['v2']);
    detachReadModels(again);
    again.close();
  });

  it('is rebuilt by the user into the same failure, or fixed by a rebuild with the new code', () => {
    const { store } = newStore(tempDir());
    attachReadModels(store, { projections: [counter(1)] });
    store.append('s-1', [
      { type: 'A', data: {} },
      { type: 'C', data: { flag: 'boom' } },
    ]);
    const result = rebuildReadModels(store);
    expect(result.models[0]).toMatchObject({ name: 'counter', status: 'failed', position: 1, error: { position: 2 } });
    expect(listReadModels(store)[0]).toMatchObject({ status: 'failed', position: 1 });
    expect(listReadModels(store)[0]!.lastRebuildAt).not.toBeNull();
    detachReadModels(store);
    attachReadModels(store, { projections: [fixedCounter(1)] });
    expect(rebuildReadModels(store).models[0]).toMatchObject({ status: 'ok', position: 2, applied: 2 });
    expect(counts(store)).toEqual({ A: 1, C: 1 });
    detachReadModels(store);
    store.close();
  });

  it('whose DDL breaks the rules is refused before it changes anything', () => {
    const { store } = newStore(tempDir());
    const bad = defineProjection({
      name: 'sneaky',
      version: 1,
      description: 'creates a table it does not own',
      handles: ['*'],
      tables: {
        ddl: 'CREATE TABLE rm_sneaky (k TEXT PRIMARY KEY NOT NULL); CREATE TABLE other (x)',
        columns: [{ name: 'k', type: 'text', label: 'K' }],
        primaryKey: ['k'],
        defaultSort: { column: 'k', dir: 'asc' },
      },
      apply() {},
    });
    store.append('s-1', [{ type: 'A', data: {} }]);
    attachReadModels(store, { projections: [bad] });
    const [status] = listReadModels(store);
    expect(status).toMatchObject({ status: 'failed', position: 0, error: { position: 0 } });
    expect(status!.error!.message).toMatch(/creates table other/);
    const tables = store.db.prepare("SELECT name FROM sqlite_schema WHERE name IN ('other', 'rm_sneaky')").all();
    expect(tables).toEqual([]);
    detachReadModels(store);
    store.close();
  });

  it('a damaged file with a hole in its positions never stalls a catch-up', () => {
    const dir = tempDir();
    const { store, file } = newStore(dir);
    for (let i = 0; i < 30; i++) store.append('s-1', [{ type: 'A', data: { i } }]);
    store.close();
    const raw = new Database(file);
    raw.exec('DROP TRIGGER events_append_only_delete');
    raw.prepare('DELETE FROM events WHERE global_position BETWEEN 10 AND 20').run();
    raw.close();
    const damaged = EventStore.open(file, { mode: 'read-only' });
    attachReadModels(damaged, { cacheDir: path.join(dir, 'cache'), maxCatchUp: 0 });
    const result = catchUp(damaged, { batchSize: 3 });
    expect(result.models.every((m) => m.position === 30 && m.status === 'ok')).toBe(true);
    expect(queryReadModel(damaged, 'streams').rows[0]).toMatchObject({ stream_id: 's-1', events: 19 });
    detachReadModels(damaged);
    damaged.close();
  });
});
