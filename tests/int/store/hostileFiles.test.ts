// The hostile-file matrix: store files written by someone else that hold what our own append path would
// refuse, or a schema that tries to run code. badFiles.test.ts and readOnly.test.ts cover files that are not
// usable stores and companions of honest ones; this file covers well-formed stores with hostile content.
// Every case asserts what is shown (an error code and message, or the placeholder) and that nothing was
// written anywhere: the file's bytes (SHA-256), its mtime and the folder listing stay as they were.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { stateAt } from '../../../electron/core/history/stateAt';
import { timeline } from '../../../electron/core/history/timeline';
import { exportJsonl } from '../../../electron/core/interchange/exportJsonl';
import { dispatch } from '../../../electron/core/ipc/dispatch';
import { EventStore } from '../../../electron/core/store/eventStore';
import { isUnreadable } from '../../../electron/core/store/storedJson';
import type { StoredEvent } from '../../../electron/core/store/types';
import type { JobFinished } from '../../../shared/types';
import { appendRawEvents, type RawEvent } from '../../helpers/rawEvents';
import { makeServices } from '../../helpers/services';
import { makeStore, snapshotFolder } from '../../helpers/storeFixtures';
import { useTempDir } from '../../helpers/tempDir';

// biome-ignore lint/correctness/useHookAtTopLevel: useTempDir is a Vitest helper (afterEach cleanup), not a React hook.
const tempDir = useTempDir('hindsight-hostile-');
const locked: string[] = [];

afterEach(() => {
  for (const dir of locked.splice(0)) {
    fs.chmodSync(dir, 0o755);
    for (const name of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, name), 0o644);
  }
});

/** chmod 0555 on the folder and 0444 on its files. As root (CI) that stops nothing: the snapshots are the proof. */
function lockDown(dir: string): void {
  for (const name of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, name), 0o444);
  fs.chmodSync(dir, 0o555);
  locked.push(dir);
}

/** A closed store with 5 ordinary events, then `events` written by raw SQL; returns its folder and path. */
function hostileStore(events: RawEvent[], prepare?: (db: Database.Database) => void): { dir: string; file: string } {
  const dir = tempDir();
  makeStore(dir, 5).close();
  const file = path.join(dir, 'test.hindsight');
  appendRawEvents(file, events);
  if (prepare) {
    const db = new Database(file);
    try {
      prepare(db);
    } finally {
      db.close();
    }
  }
  expect(fs.readdirSync(dir)).toEqual(['test.hindsight']);
  return { dir, file };
}

/** Runs `fn` on the folder and asserts that nothing in it changed: names, bytes (SHA-256), sizes and mtimes. */
async function expectUntouched<T>(dir: string, fn: () => T | Promise<T>): Promise<T> {
  lockDown(dir);
  const before = snapshotFolder(dir);
  const result = await fn();
  expect(snapshotFolder(dir)).toEqual(before);
  return result;
}

function readOnly(file: string): EventStore {
  return EventStore.open(file, { mode: 'read-only' });
}

function byStream(events: StoredEvent[], streamId: string): StoredEvent[] {
  return events.filter((event) => event.streamId === streamId);
}

function assertUnpolluted(): void {
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted).toBeUndefined();
  expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  expect(typeof Object.prototype.toString).toBe('function');
  expect({}.constructor).toBe(Object);
}

const HUGE = JSON.stringify({ blob: 'x'.repeat(5 * 1024 * 1024) });
const HUGE_NOTE = `The stored data is ${Buffer.byteLength(HUGE).toLocaleString('en-US')} bytes; Hindsight shows payloads up to 1,048,576 bytes.`;
const DEEP = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
const DEEP_OBJECT = `{"actor":"mallory",${'"a":{'.repeat(100_000)}"b":1${'}'.repeat(100_000)}}`;
const DEEP_NOTE = (kind: string) =>
  `The stored ${kind} is nested more than 64 levels deep; Hindsight shows payloads nested up to 64 levels.`;

/** An IPC answer as the renderer gets it (the envelope, after a structured clone). */
interface Answer {
  ok: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: the answers of many channels, inspected by the assertions.
  value?: any;
  error?: { code: string; message: string };
}

/**
 * Opens the file as evidence through the services (as the app does), waits for the opening checks, and calls
 * every read a screen makes; each answer goes through structuredClone as it would through IPC. Returns the
 * answers by name (the envelope: ok + value, or ok: false + error).
 */
async function readThroughServices(file: string, streamId: string) {
  const harness = makeServices(tempDir());
  const h = harness.services.handlers;
  const call = async (channel: string, input: unknown = {}): Promise<Answer> =>
    structuredClone(await dispatch(h, channel, input)) as Answer;
  harness.pickOnOpen(file);
  const opened = await call('store.openDialog', { mode: 'read-only' });
  expect(opened, JSON.stringify(opened.error)).toMatchObject({ ok: true, value: { mode: 'read-only' } });
  for (let i = 0; i < 200; i++) {
    const integrity = await call('integrity.status');
    if (integrity.value?.state !== 'verifying') break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const answers = {
    details: await call('store.details'),
    integrity: await call('integrity.status'),
    streams: await call('streams.list', {}),
    log: await call('log.page', { limit: 1000 }),
    timeline: await call('history.timeline', { streamId, limit: 200 }),
    timelineByActor: await call('history.timeline', { streamId, actors: ['mallory'] }),
    stateAt: await call('history.stateAt', { streamId }),
    diff: await call('history.diff', { streamId, fromVersion: 0, toVersion: 1 }),
    valueSeries: await call('history.valueSeries', { streamId }),
    activityByActor: await call('activity.series', { groupBy: 'actor' }),
    activityByType: await call('activity.series', { groupBy: 'type' }),
    searchByActor: await call('search.events', { filters: { actors: ['mallory'] } }),
    searchByType: await call('search.events', { filters: { category: 'hostile' } }),
    commands: await call('commands.log', {}),
    readModels: await call('readmodels.list'),
    report: await call('reports.preview', { request: { kind: 'entity', streams: [streamId] } }),
  };
  // The full-text index (a worker job, into the private cache), then a text search over it.
  const build = await call('search.buildIndex', {});
  expect(build.ok, JSON.stringify(build.error)).toBe(true);
  const finished = await waitFor(() =>
    harness.events.find((e) => e.event === 'job.finished' && (e.payload as JobFinished).jobId === build.value.jobId),
  );
  const indexJob = finished.payload as JobFinished;
  const textAnswers = {
    indexJob: {
      ok: indexJob.ok,
      value: indexJob,
      error: indexJob.ok ? undefined : { code: 'job', message: indexJob.message },
    },
    searchText: await call('search.events', { filters: { text: 'mallory' } }),
    readModelStreams: await call('readmodels.query', { name: 'streams' }),
    readModelActors: await call('readmodels.query', { name: 'actors' }),
  };
  const firstHostile = answers.timeline.value?.items?.[0];
  const chain = firstHostile ? await call('chain.get', { eventId: firstHostile.eventId }) : undefined;
  await call('store.close');
  harness.services.dispose();
  return chain ? { ...answers, ...textAnswers, chain } : { ...answers, ...textAnswers };
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function expectAllOk(answers: Record<string, Answer>): void {
  const failed = Object.entries(answers)
    .filter(([, answer]) => !answer.ok)
    .map(([name, answer]) => `${name}: ${JSON.stringify(answer.error)}`);
  expect(failed).toEqual([]);
}

describe('hostile store files: a schema that tries to run code', () => {
  const schema = (db: Database.Database) =>
    db.exec(`
      CREATE TABLE tripwire (fired TEXT);
      CREATE VIEW v_load AS SELECT load_extension('/nonexistent/evil.so') AS x;
      CREATE VIEW v_tokenizer AS SELECT fts3_tokenizer('simple', x'0100000000000000') AS x;
      CREATE VIEW v_app AS SELECT hindsight_exec('touch /tmp/pwned') AS x;
      CREATE VIEW v_events AS SELECT *, load_extension('/nonexistent/evil.so') AS x FROM events;
      CREATE TRIGGER t_insert AFTER INSERT ON events BEGIN
        INSERT INTO tripwire VALUES ('insert'); SELECT load_extension('/nonexistent/evil.so');
      END;
      CREATE TRIGGER t_update BEFORE UPDATE ON events BEGIN INSERT INTO tripwire VALUES ('update'); END;
      CREATE TRIGGER t_streams AFTER INSERT ON streams BEGIN
        INSERT INTO tripwire VALUES ('streams'); SELECT hindsight_exec('x');
      END;
      CREATE TRIGGER t_meta AFTER UPDATE ON store_meta BEGIN INSERT INTO tripwire VALUES ('meta'); END;`);

  it('opens read-only and reads everything without running a view or trigger; SQLite refuses them as "unsafe use"', async () => {
    const { dir, file } = hostileStore([{ streamId: 'hostile-1', type: 'Noted', data: '{"n":1}' }], schema);
    await expectUntouched(dir, () => {
      const store = readOnly(file);
      try {
        expect(store.readAll({ limit: 100 })).toHaveLength(6);
        expect(store.readStream('hostile-1')[0]!.data).toEqual({ n: 1 });
        expect(store.listStreams()).toHaveLength(6);
        expect(store.verify()).toMatchObject({ ok: true, events: 6 });
        expect(stateAt(store, 'hostile-1').state).toEqual({ n: 1 });
        expect(timeline(store, 'hostile-1').entries).toHaveLength(1);
        // What SQLite does with trusted_schema=OFF: the schema loads, and a function used from a view or
        // trigger fails when the view is read (built-in unsafe functions), or is unknown (an app-style name).
        const select = (view: string) => () => store.db.prepare(`SELECT * FROM ${view}`).all();
        expect(select('v_load')).toThrow('unsafe use of load_extension()');
        expect(select('v_tokenizer')).toThrow('unsafe use of fts3_tokenizer()');
        expect(select('v_app')).toThrow('no such function: hindsight_exec');
        expect(select('v_events')).toThrow('unsafe use of load_extension()');
        // Nothing was written, so no trigger fired: not in the private copy either.
        expect(store.db.prepare('SELECT count(*) FROM tripwire').pluck().get()).toBe(0);
        expect(store.db.pragma('trusted_schema', { simple: true })).toBe(0);
      } finally {
        store.close();
      }
    });
    const answers = await expectUntouched(dir, () => readThroughServices(file, 'hostile-1'));
    expectAllOk(answers);
    expect(answers.integrity.value).toMatchObject({ state: 'intact' });
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM tripwire').pluck().get()).toBe(0);
    db.close();
  });

  it('read-write: an append that fires a trigger calling an unsafe function is refused as a whole, with a clear message', () => {
    const { file } = hostileStore([], schema);
    const store = EventStore.open(file, { mode: 'read-write' });
    try {
      expect(() => store.append('hostile-2', [{ type: 'Noted', data: { n: 1 } }])).toThrow(
        expect.objectContaining({
          code: 'corrupt',
          message: `${file} has a trigger or view that calls load_extension(), which Hindsight never runs from a file (SQLite: "unsafe use of load_extension()").`,
        }),
      );
      expect(store.head().position).toBe(5);
      expect(store.db.prepare('SELECT count(*) FROM tripwire').pluck().get()).toBe(0);
    } finally {
      store.close();
    }
  });
});

describe('hostile store files: a planted -wal', () => {
  /**
   * A store of 11 events in its own folder, with a `-wal` beside it holding 2 more, taken from a writer of
   * the same store. Not in WAL mode: the same file with its header switched back to rollback-journal mode
   * (bytes 18–19 = 1, which is all `journal_mode=DELETE` changes in a checkpointed file).
   */
  function storeAndForeignWal(walMode: boolean): { dir: string; file: string } {
    const source = tempDir();
    makeStore(source, 10).close();
    const writer = EventStore.open(path.join(source, 'test.hindsight'), { mode: 'read-write' });
    writer.append('account-0', [{ type: 'Mid', data: { n: 0 } }]);
    writer.db.pragma('wal_checkpoint(TRUNCATE)');
    const dir = tempDir();
    const file = path.join(dir, 'test.hindsight');
    const main = fs.readFileSync(path.join(source, 'test.hindsight'));
    if (!walMode) main.set([1, 1], 18);
    fs.writeFileSync(file, main);
    writer.append('account-0', [{ type: 'Late', data: { n: 1 } }]);
    writer.append('account-0', [{ type: 'Late', data: { n: 2 } }]);
    fs.copyFileSync(path.join(source, 'test.hindsight-wal'), `${file}-wal`);
    writer.close();
    expect([...fs.readFileSync(file).subarray(18, 20)]).toEqual(walMode ? [2, 2] : [1, 1]);
    expect(fs.readdirSync(dir)).toEqual(['test.hindsight', 'test.hindsight-wal']);
    return { dir, file };
  }

  for (const walMode of [false, true]) {
    it(`beside a file ${walMode ? 'in' : 'NOT in'} WAL mode: not replayed, and said (companionWal)`, async () => {
      const { dir, file } = storeAndForeignWal(walMode);
      await expectUntouched(dir, () => {
        const store = readOnly(file);
        try {
          expect(store.companionWal).toBe(true);
          expect(store.info()).toMatchObject({ companionWal: true, companions: ['test.hindsight-wal'] });
          expect(store.head().position).toBe(11);
          expect(store.readAll({ limit: 100 }).some((event) => event.eventType === 'Late')).toBe(false);
          expect(store.verify()).toMatchObject({ ok: true, events: 11 });
        } finally {
          store.close();
        }
        // Only when asked, and only into the private copy.
        const withWal = EventStore.open(file, { mode: 'read-only', includeWal: true });
        try {
          expect(withWal.companionWal).toBe(false);
          expect(withWal.head().position).toBe(13);
          expect(withWal.verify()).toMatchObject({ ok: true, events: 13 });
        } finally {
          withWal.close();
        }
      });
    });
  }
});

describe('hostile store files: payloads our append path would refuse', () => {
  it('a 5 MB payload: the store opens, that event shows the placeholder, the others read fine', async () => {
    const { dir, file } = hostileStore([
      { streamId: 'hostile-1', type: 'Noted', data: '{"n":1}' },
      { streamId: 'hostile-1', type: 'Dumped', data: HUGE },
      { streamId: 'hostile-1', type: 'Noted', data: '{"n":3}' },
    ]);
    await expectUntouched(dir, () => {
      const store = readOnly(file);
      try {
        const all = store.readAll({ limit: 100 });
        expect(all).toHaveLength(8);
        expect(byStream(all, 'hostile-1').map((event) => event.data)).toEqual([
          { n: 1 },
          { $unreadable: HUGE_NOTE },
          { n: 3 },
        ]);
        expect(store.readStream('hostile-1', { fromVersion: 2, limit: 1 })[0]!.data).toEqual({
          $unreadable: HUGE_NOTE,
        });
        expect(all.filter((event) => isUnreadable(event.data))).toHaveLength(1);
        expect(store.verify()).toMatchObject({ ok: true, events: 8 }); // the chain covers the stored bytes
        const entries = timeline(store, 'hostile-1').entries;
        expect(entries[1]!.data).toEqual({ $unreadable: HUGE_NOTE });
        expect(JSON.stringify(entries).length).toBeLessThan(100_000);
        // An export is a copy, not a view: it refuses rather than write the placeholder as data.
        expect(() => [...exportJsonl(store)]).toThrow(
          expect.objectContaining({
            code: 'corrupt',
            message: `The event at position 7 cannot be exported: ${HUGE_NOTE}`,
          }),
        );
      } finally {
        store.close();
      }
    });
    const answers = await expectUntouched(dir, () => readThroughServices(file, 'hostile-1'));
    expectAllOk(answers);
    expect(answers.log.value.items[6].data).toEqual({ $unreadable: HUGE_NOTE });
    expect(JSON.stringify(answers.log.value).length).toBeLessThan(1024 * 1024); // an IPC page stays small
    expect(answers.timeline.value.items[1].data).toEqual({ $unreadable: HUGE_NOTE });
    expect(answers.report.value.html).toContain('1,048,576 bytes');
  });

  it('nesting 100,000 deep in data and in metadata: no stack overflow on any read path, the placeholder shown', async () => {
    const { dir, file } = hostileStore([
      { streamId: 'hostile-1', type: 'Noted', data: '{"n":1}' },
      { streamId: 'hostile-1', type: 'Deep', data: DEEP },
      { streamId: 'hostile-1', type: 'DeepObject', data: DEEP_OBJECT },
      { streamId: 'hostile-1', type: 'DeepMeta', data: '{"n":4}', metadata: DEEP_OBJECT },
    ]);
    await expectUntouched(dir, () => {
      const store = readOnly(file);
      try {
        const events = store.readStream('hostile-1');
        expect(events.map((event) => event.data)).toEqual([
          { n: 1 },
          { $unreadable: DEEP_NOTE('data') },
          { $unreadable: DEEP_NOTE('data') },
          { n: 4 },
        ]);
        expect(events[3]!.metadata).toEqual({ $unreadable: DEEP_NOTE('metadata') });
        expect(store.readAll({ limit: 100 })).toHaveLength(9);
        expect(stateAt(store, 'hostile-1').state).toEqual({ n: 4, $unreadable: DEEP_NOTE('data') });
        expect(timeline(store, 'hostile-1').entries.map((entry) => entry.type)).toEqual([
          'Noted',
          'Deep',
          'DeepObject',
          'DeepMeta',
        ]);
        expect(store.verify()).toMatchObject({ ok: true, events: 9 });
      } finally {
        store.close();
      }
    });
    const answers = await expectUntouched(dir, () => readThroughServices(file, 'hostile-1'));
    expectAllOk(answers);
    expect(answers.timeline.value.items[3].metadata).toEqual({ $unreadable: DEEP_NOTE('metadata') });
    expect(answers.timeline.value.items[1].data).toEqual({ $unreadable: DEEP_NOTE('data') });
    // SQLite's JSON functions refuse such metadata ("malformed JSON"): those rows have no actor, nothing fails.
    expect(answers.searchByActor.value.total).toBe(3);
  });

  it('data that is not JSON, and metadata that is an array or a number', async () => {
    const { dir, file } = hostileStore([
      { streamId: 'hostile-1', type: 'Broken', data: '{"n":1,' },
      { streamId: 'hostile-1', type: 'MetaArray', data: '{"n":2}', metadata: '["actor","mallory"]' },
      { streamId: 'hostile-1', type: 'MetaNumber', data: '{"n":3}', metadata: '42' },
      { streamId: 'hostile-1', type: 'MetaBroken', data: '{"n":4}', metadata: '{actor:mallory}' },
    ]);
    await expectUntouched(dir, () => {
      const store = readOnly(file);
      try {
        const events = store.readStream('hostile-1');
        expect(events[0]!.data).toEqual({
          $unreadable: expect.stringMatching(/^The stored data is not valid JSON \(.+\)\.$/),
        });
        expect(events.map((event) => event.metadata)).toEqual([
          { actor: 'mallory' },
          { $unreadable: 'The stored metadata is an array, not a JSON object.' },
          { $unreadable: 'The stored metadata is a number, not a JSON object.' },
          { $unreadable: expect.stringMatching(/^The stored metadata is not valid JSON \(.+\)\.$/) },
        ]);
        expect(timeline(store, 'hostile-1').entries.map((entry) => entry.actor)).toEqual(['mallory', null, null, null]);
      } finally {
        store.close();
      }
    });
    const answers = await expectUntouched(dir, () => readThroughServices(file, 'hostile-1'));
    expectAllOk(answers);
    expect(answers.searchByActor.value.total).toBe(1);
    expect(answers.timeline.value.items[2].metadata).toEqual({
      $unreadable: 'The stored metadata is a number, not a JSON object.',
    });
  });

  it('__proto__ and constructor payloads: read back and folded into state, nothing is polluted', async () => {
    const { dir, file } = hostileStore([
      { streamId: 'hostile-1', type: 'Noted', data: '{"__proto__":{"polluted":true},"n":1}' },
      { streamId: 'hostile-1', type: 'Noted', data: '{"constructor":{"prototype":{"polluted":true}},"n":2}' },
      {
        streamId: 'hostile-1',
        type: 'Noted',
        data: '{"n":3}',
        metadata: '{"__proto__":{"polluted":true},"actor":"mallory","constructor":{"prototype":{"polluted":true}}}',
      },
    ]);
    await expectUntouched(dir, () => {
      const store = readOnly(file);
      try {
        const events = store.readStream('hostile-1');
        assertUnpolluted();
        expect(Object.hasOwn(events[0]!.data as object, '__proto__')).toBe(true);
        expect(Object.hasOwn(events[2]!.metadata, '__proto__')).toBe(true);
        const state = stateAt(store, 'hostile-1').state;
        expect(JSON.stringify(state)).toBe(
          '{"__proto__":{"polluted":true},"n":3,"constructor":{"prototype":{"polluted":true}}}',
        );
        timeline(store, 'hostile-1');
        assertUnpolluted();
      } finally {
        store.close();
      }
    });
    const answers = await expectUntouched(dir, () => readThroughServices(file, 'hostile-1'));
    expectAllOk(answers);
    assertUnpolluted();
    // Through the services and a structured clone (what Electron's IPC does), the key is still plain data.
    expect(Object.keys(answers.stateAt.value.state)).toEqual(['__proto__', 'n', 'constructor']);
    expect(Object.hasOwn(answers.timeline.value.items[0].data, '__proto__')).toBe(true);
    expect(Object.hasOwn(answers.timeline.value.items[2].metadata, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('<script> and <img onerror> strings are stored and read back verbatim, as text', async () => {
    const data = {
      script: '<script>window.__pwned=1</script>',
      img: '<img src=x onerror="window.__pwned=1">',
      link: 'javascript:window.__pwned=1',
    };
    const text = JSON.stringify(data);
    const { dir, file } = hostileStore([
      { streamId: 'hostile-1', type: '<b>Typed</b>', data: text, metadata: '{"actor":"<script>alert(1)</script>"}' },
    ]);
    await expectUntouched(dir, () => {
      const store = readOnly(file);
      try {
        const [event] = store.readStream('hostile-1');
        expect(event!.data).toEqual(data);
        expect(event!.eventType).toBe('<b>Typed</b>');
        expect(event!.metadata.actor).toBe('<script>alert(1)</script>');
        expect(store.db.prepare('SELECT data FROM events WHERE stream_id = ?').pluck().get('hostile-1')).toBe(text);
        expect(timeline(store, 'hostile-1').entries[0]!.data).toEqual(data);
      } finally {
        store.close();
      }
    });
    const answers = await expectUntouched(dir, () => readThroughServices(file, 'hostile-1'));
    expectAllOk(answers);
    expect(answers.timeline.value.items[0].data).toEqual(data);
    // The report escapes it: the text is there, the markup is not.
    expect(answers.report.value.html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(answers.report.value.html).not.toContain('<script>window.__pwned');
  });
});
