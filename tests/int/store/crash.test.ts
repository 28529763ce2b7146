import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventStore } from '../../../electron/core/store/eventStore';
import { bundleScript } from '../../helpers/storeChildren';
import { seededRandom } from '../../helpers/storeFixtures';
import { useTempDir } from '../../helpers/tempDir';

// biome-ignore lint/correctness/useHookAtTopLevel: useTempDir is a Vitest helper (afterEach cleanup), not a React hook.
const tempDir = useTempDir('hindsight-crash-');
const KILLS = 50;

interface Ack {
  batch: string;
  first: number;
  last: number;
  size: number;
}

/** Starts the appender, lets it run for a random while after its first acknowledged append, SIGKILLs it. */
function runAndKill(script: string, file: string, seed: number, delayMs: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, file, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!armed && out.includes('\nack ')) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`the appender ended without being killed: ${err}`));
        return;
      }
      // Only complete lines were acknowledged; a line cut by the kill is ignored.
      const lines = out.split('\n').slice(0, -1);
      resolve(
        lines
          .filter((l) => l.startsWith('ack '))
          .map((l) => {
            const [, batch, first, last, size] = l.split(' ');
            return { batch: batch!, first: Number(first), last: Number(last), size: Number(size) };
          }),
      );
    });
  });
}

afterAll(() => {
  fs.rmSync(path.dirname(bundleScript('tests/helpers/storeCrashChild.ts')), { recursive: true, force: true });
});

describe('crash safety', () => {
  it(`survives ${KILLS} SIGKILLs mid-append: intact file and chain, every acknowledged append present, no half batches`, async () => {
    const script = bundleScript('tests/helpers/storeCrashChild.ts');
    const file = path.join(tempDir(), 'crash.hindsight');
    EventStore.create(file).close();
    const random = seededRandom(2024);
    const acked = new Map<string, Ack>();
    let killedWithWal = 0;
    for (let round = 0; round < KILLS; round++) {
      const acks = await runAndKill(script, file, round, Math.floor(random() * 40));
      for (const ack of acks) acked.set(ack.batch, ack);
      if (fs.existsSync(`${file}-wal`)) killedWithWal++;

      // Reopen read-write: SQLite recovers the WAL (committed transactions kept, a torn one dropped).
      const store = EventStore.open(file, { mode: 'read-write' });
      expect(store.db.pragma('quick_check', { simple: true })).toBe('ok');
      const verified = store.verify();
      expect(verified.ok, JSON.stringify(verified.firstBad)).toBe(true);
      const count = store.db.prepare('SELECT count(*) AS n, max(global_position) AS max FROM events').get() as {
        n: number;
        max: number;
      };
      expect(count.n).toBe(count.max ?? 0); // gapless
      expect(verified.events).toBe(count.n);

      // Every batch in the store is whole; every acknowledged batch is in the store where it was acknowledged.
      const batches = new Map<string, { size: number; positions: number[] }>();
      for (let after = 0; ; ) {
        const page = store.readAll({ afterPosition: after, limit: 10_000 });
        if (page.length === 0) break;
        for (const event of page) {
          const { batch, size } = event.metadata as { batch: string; size: number };
          const entry = batches.get(batch) ?? { size, positions: [] };
          entry.positions.push(event.globalPosition);
          batches.set(batch, entry);
        }
        after = page[page.length - 1]!.globalPosition;
      }
      for (const [batch, { size, positions }] of batches) {
        expect(positions.length, `batch ${batch} is partly there`).toBe(size);
        expect(positions.at(-1)! - positions[0]!).toBe(size - 1);
      }
      for (const ack of acked.values()) {
        const found = batches.get(ack.batch);
        expect(found, `acknowledged batch ${ack.batch} is missing`).toBeDefined();
        expect([found!.positions[0], found!.positions.at(-1)]).toEqual([ack.first, ack.last]);
      }
      store.close();
    }
    expect(acked.size).toBeGreaterThan(KILLS);
    expect(killedWithWal).toBe(KILLS); // every kill left a -wal to recover: the kills hit a live writer
  });
});
