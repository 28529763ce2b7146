import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EventStore } from '../../electron/core/store/eventStore';
import type { NewEvent } from '../../electron/core/store/types';
import { uuidv7 } from '../../electron/core/store/uuidv7';

/** Test and bench data for the event store: deterministic, realistic-looking events. */

const TYPES = ['AccountOpened', 'MoneyDeposited', 'MoneyWithdrawn', 'OrderPlaced', 'OrderShipped', 'OrderCancelled'];
const CATEGORIES = ['account', 'order', 'customer'];
const ACTORS = ['ann', 'bob', 'carol', 'dave', 'system'];

/** A small deterministic pseudo-random generator (mulberry32), so data sets repeat exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function streamName(i: number): string {
  return `${CATEGORIES[i % CATEGORIES.length]}-${i}`;
}

/** The i-th sample event's type, data and metadata (~200 bytes of canonical JSON). */
export function sampleEvent(i: number, random: () => number = seededRandom(i)): NewEvent {
  const type = TYPES[i % TYPES.length]!;
  return {
    type,
    data: {
      amount: Math.round(random() * 100_000) / 100,
      currency: 'EUR',
      note: `sample event ${i} of type ${type}`,
      lines: [{ sku: `SKU-${i % 97}`, qty: 1 + (i % 5) }],
    },
    metadata: {
      actor: ACTORS[i % ACTORS.length]!,
      correlation_id: `corr-${Math.floor(i / 7)}`,
    },
  };
}

export interface JsonlOptions {
  /** Number of streams the events are spread over (default events / 10). */
  streams?: number;
  /** recordedAt of the first event (ms); each next one is `stepMs` later. */
  startMs?: number;
  stepMs?: number;
  seed?: number;
}

/** Writes `count` events in the JSONL interchange shape (with eventId and times, no streamVersion). */
export function writeSampleJsonl(file: string, count: number, opts: JsonlOptions = {}): void {
  const streams = Math.max(1, opts.streams ?? Math.floor(count / 10));
  const start = opts.startMs ?? Date.UTC(2024, 0, 1);
  const step = opts.stepMs ?? 10;
  const random = seededRandom(opts.seed ?? 42);
  const fd = fs.openSync(file, 'w');
  try {
    let buffer = '';
    for (let i = 0; i < count; i++) {
      const event = sampleEvent(i, random);
      const recordedAt = start + i * step;
      const line = {
        eventId: uuidv7(recordedAt),
        streamId: streamName(Math.floor(random() * streams)),
        type: event.type,
        data: event.data,
        metadata: event.metadata,
        recordedAt: new Date(recordedAt).toISOString(),
        occurredAt: new Date(recordedAt - 1000).toISOString(),
      };
      buffer += `${JSON.stringify(line)}\n`;
      if (buffer.length > 1 << 20) {
        fs.writeSync(fd, buffer);
        buffer = '';
      }
    }
    fs.writeSync(fd, buffer);
  } finally {
    fs.closeSync(fd);
  }
}

/** A new store with `count` sample events appended one by one over `streams` streams. */
export function makeStore(dir: string, count: number, streams = 5, name = 'test.hindsight'): EventStore {
  const store = EventStore.create(path.join(dir, name), { createdBy: 'test' });
  store.transaction(() => {
    for (let i = 0; i < count; i++) store.append(streamName(i % streams), [sampleEvent(i)]);
  });
  return store;
}

/** Paths of a store and its companions, with their bytes and times, to prove nothing changed. */
export function snapshotFolder(dir: string): Record<string, { size: number; mtimeMs: number; sha: string }> {
  const out: Record<string, { size: number; mtimeMs: number; sha: string }> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    const stat = fs.statSync(file);
    if (!stat.isFile()) {
      out[name] = { size: -1, mtimeMs: stat.mtimeMs, sha: 'dir' };
      continue;
    }
    const sha = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    out[name] = { size: stat.size, mtimeMs: stat.mtimeMs, sha };
  }
  return out;
}
