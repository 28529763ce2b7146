import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { importJsonl } from '../../electron/core/interchange/importJsonl';
import { runJob } from '../../electron/core/jobs/runner';
import { EventStore } from '../../electron/core/store/eventStore';
import { encodeForHash } from '../../electron/core/store/hashChain';
import { EVENT_COLUMNS, type EventRow } from '../../electron/core/store/rows';
import { seededRandom, streamName, writeSampleJsonl } from '../helpers/storeFixtures';
import type { Bench, BenchContext } from './run';

/**
 * Event-store benchmarks, each against a baseline measured in the same run:
 * - JSONL import vs raw better-sqlite3 inserts of the same rows into a table with the same indexes;
 * - single-event appends per second (one durable transaction each);
 * - verify rate vs raw SHA-256 over the same bytes;
 * - stream reads "as of a time" on the big store (p50/p95).
 * The big store is built once (by the import bench, or on first use) and shared by the later benches.
 */

const shared = { dir: '', store: '', jsonl: '', events: 0 };

function sharedDir(): string {
  if (shared.dir === '') {
    shared.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hindsight-bench-shared-'));
    process.on('exit', () => fs.rmSync(shared.dir, { recursive: true, force: true }));
  }
  return shared.dir;
}

function jsonlFor(events: number): string {
  if (shared.jsonl === '' || shared.events !== events) {
    shared.jsonl = path.join(sharedDir(), 'events.jsonl');
    shared.events = events;
    writeSampleJsonl(shared.jsonl, events, { streams: Math.max(10, Math.floor(events / 20)) });
  }
  return shared.jsonl;
}

function seconds(start: number): number {
  return (performance.now() - start) / 1000;
}

async function importBig(events: number): Promise<{ seconds: number; file: string }> {
  const jsonl = jsonlFor(events);
  const file = path.join(sharedDir(), `big-${Date.now()}.hindsight`);
  const store = EventStore.create(file, { createdBy: 'bench' });
  const start = performance.now();
  await importJsonl(store, jsonl);
  const took = seconds(start);
  store.close();
  shared.store = file;
  return { seconds: took, file };
}

async function bigStore(events: number): Promise<string> {
  if (shared.store === '') await importBig(events);
  return shared.store;
}

/** Reads the big store's rows in pages, untimed, and hands each page to `fn` (which times itself). */
function forEachPage(file: string, fn: (rows: EventRow[]) => void): void {
  const db = new Database(file, { readonly: true });
  const page = db
    .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE global_position > ? ORDER BY global_position LIMIT 20000`)
    .raw(true);
  try {
    for (let after = 0; ; ) {
      const rows = page.all(after) as EventRow[];
      if (rows.length === 0) break;
      fn(rows);
      after = rows[rows.length - 1]![0];
    }
  } finally {
    db.close();
  }
}

const V1_EVENTS_DDL = `
CREATE TABLE events (
  global_position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL,
  stream_version INTEGER NOT NULL CHECK (stream_version >= 1), event_type TEXT NOT NULL,
  schema_version INTEGER NOT NULL DEFAULT 1, data TEXT NOT NULL, metadata TEXT NOT NULL,
  recorded_at INTEGER NOT NULL, occurred_at INTEGER NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
  UNIQUE (stream_id, stream_version), CHECK (global_position >= 1));
CREATE INDEX events_by_type ON events (event_type, global_position);`;

const importBench: Bench = {
  name: 'import (JSONL) vs raw better-sqlite3 insert',
  async run({ events, report }: BenchContext) {
    const jsonl = jsonlFor(events);
    report('JSONL file', fs.statSync(jsonl).size / 2 ** 20, 'MiB');
    const ours = await importBig(events);
    report(
      'hindsight import (parse, validate, canonicalize, hash, insert)',
      events / ours.seconds,
      'events/s',
      `${ours.seconds.toFixed(1)} s`,
    );

    // Baseline: the very same rows, already in memory, inserted into a table with the same columns,
    // constraints and indexes, with the same pragmas, in one transaction. Only the inserts are timed.
    const rawFile = path.join(sharedDir(), 'raw.sqlite');
    const raw = new Database(rawFile);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.exec(V1_EVENTS_DDL);
    const insert = raw.prepare(`INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    let timed = 0;
    raw.exec('BEGIN IMMEDIATE');
    forEachPage(ours.file, (rows) => {
      const start = performance.now();
      for (const row of rows) insert.run(row);
      timed += performance.now() - start;
    });
    const commitStart = performance.now();
    raw.exec('COMMIT');
    raw.pragma('wal_checkpoint(TRUNCATE)');
    timed += performance.now() - commitStart;
    raw.close();
    const rawRate = events / (timed / 1000);
    report('raw better-sqlite3 insert of the same rows', rawRate, 'events/s', `${(timed / 1000).toFixed(1)} s`);
    report('ratio import / raw insert (target ≥ 0.5)', events / ours.seconds / rawRate, '×');
    report('store file size', fs.statSync(ours.file).size / 2 ** 20, 'MiB');
  },
};

const appendBench: Bench = {
  name: 'single-event appends (one durable transaction each)',
  run({ dir, report }: BenchContext) {
    const store = EventStore.create(path.join(dir, 'appends.hindsight'));
    const random = seededRandom(7);
    const count = 2000;
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const streamId = streamName(Math.floor(random() * 50));
      store.append(streamId, [{ type: 'Tick', data: { i, at: 'somewhere', value: random() } }], {
        expectedVersion: 'any',
      });
    }
    const took = seconds(start);
    report('append() with synchronous=FULL, WAL', count / took, 'appends/s', `${count} appends`);
    const latency: number[] = [];
    for (let i = 0; i < 500; i++) {
      const t = performance.now();
      const streamId = streamName(i % 50);
      const version = store.getStream(streamId)?.version ?? 0;
      store.append(streamId, [{ type: 'Tick', data: { i } }], { expectedVersion: version });
      latency.push(performance.now() - t);
    }
    latency.sort((a, b) => a - b);
    report('getStream + append(expectedVersion) p50', latency[Math.floor(latency.length * 0.5)]!, 'ms');
    report('getStream + append(expectedVersion) p95', latency[Math.floor(latency.length * 0.95)]!, 'ms');
    store.close();
  },
};

const verifyBench: Bench = {
  name: 'verify vs raw SHA-256 over the same bytes',
  async run({ events, report }: BenchContext) {
    const file = await bigStore(events);
    const store = EventStore.open(file, { mode: 'read-only', access: 'live', quickCheck: false });
    store.verify(); // warm the page cache so both sides read from memory
    const start = performance.now();
    const result = store.verify();
    const took = seconds(start);
    store.close();
    if (!result.ok) throw new Error(`bench store does not verify: ${JSON.stringify(result.firstBad)}`);
    // The app's way: the verify job, which splits a big store into ranges checked by parallel workers.
    const jobStart = performance.now();
    const jobResult = await runJob('verify', { path: file });
    const jobSeconds = seconds(jobStart);
    if (!jobResult.ok) throw new Error('bench store does not verify in the job');

    // Baseline: the exact byte strings verify hashes (prev hash ‖ fields), prepared in memory untimed,
    // then one SHA-256 per event, as verify does.
    let bytes = 0;
    let rawMs = 0;
    let streamMs = 0;
    forEachPage(file, (rows) => {
      const messages = rows.map((row) =>
        encodeForHash(row[10], {
          globalPosition: row[0],
          eventId: row[1],
          streamId: row[2],
          streamVersion: row[3],
          eventType: row[4],
          schemaVersion: row[5],
          data: row[6],
          metadata: row[7],
          recordedAt: row[8],
          occurredAt: row[9],
        }),
      );
      let t = performance.now();
      for (const message of messages) crypto.hash('sha256', message, 'hex');
      rawMs += performance.now() - t;
      t = performance.now();
      const streaming = crypto.createHash('sha256');
      for (const message of messages) streaming.update(message);
      streaming.digest('hex');
      streamMs += performance.now() - t;
      for (const message of messages) bytes += message.length;
    });
    // Second baseline: only reading the same rows from SQLite, the floor under any verifier of this file.
    const reader = new Database(file, { readonly: true });
    const page = reader
      .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE global_position > ? ORDER BY global_position LIMIT 2048`)
      .raw(true);
    const readStart = performance.now();
    for (let after = 0; ; ) {
      const rows = page.all(after) as EventRow[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1]![0];
    }
    const readSeconds = seconds(readStart);
    reader.close();
    const rawRate = events / (rawMs / 1000);
    report(
      'verify (read rows, encode, SHA-256, compare)',
      events / took,
      'events/s',
      `${took.toFixed(2)} s, ${(bytes / 2 ** 20 / took).toFixed(0)} MiB/s`,
    );
    report(
      'raw SHA-256, one hash per event over the same bytes',
      rawRate,
      'events/s',
      `${(bytes / 2 ** 20 / (rawMs / 1000)).toFixed(0)} MiB/s`,
    );
    report('ratio verify / raw SHA-256 (target ≥ 0.7)', events / took / rawRate, '×');
    report(
      'verify job (parallel ranges, workers; incl. worker start-up)',
      events / jobSeconds,
      'events/s',
      `${jobSeconds.toFixed(2)} s, ratio to raw SHA-256 ${(events / jobSeconds / rawRate).toFixed(3)} ×`,
    );
    report('(info) reading the same rows only, no hashing', events / readSeconds, 'events/s');
    report('(info) ratio verify / reading the rows only', events / took / (events / readSeconds), '×');
    report('(info) raw SHA-256 as one stream over all bytes', bytes / 2 ** 20 / (streamMs / 1000), 'MiB/s');
  },
};

const readAsOfBench: Bench = {
  name: 'stream read "as of a time" on the big store',
  async run({ events, report }: BenchContext) {
    const file = await bigStore(events);
    const store = EventStore.open(file, { mode: 'read-only', access: 'live', quickCheck: false });
    const info = store.info();
    const streams = store.listStreams({ limit: 10_000 });
    const random = seededRandom(11);
    const first = info.firstRecordedAt ?? 0;
    const span = (info.lastRecordedAt ?? 0) - first;
    const samples: number[] = [];
    let returned = 0;
    for (let i = 0; i < 2000; i++) {
      const stream = streams[Math.floor(random() * streams.length)]!;
      const asOf = first + Math.floor(random() * span);
      const t = performance.now();
      returned += store.readStream(stream.streamId, { recordedUpTo: asOf }).length;
      samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    report('readStream(recordedUpTo) p50', samples[Math.floor(samples.length * 0.5)]!, 'ms', `${info.streams} streams`);
    report('readStream(recordedUpTo) p95', samples[Math.floor(samples.length * 0.95)]!, 'ms');
    report('events returned per read (mean)', returned / samples.length, 'events');
    const t = performance.now();
    for (let i = 0; i < 1000; i++) store.positionAt(first + Math.floor(random() * span));
    report('positionAt(T) (whole-store as-of prefix)', (performance.now() - t) / 1000, 'ms');
    store.close();
  },
};

export const storeBenches: readonly Bench[] = [importBench, appendBench, verifyBench, readAsOfBench];
