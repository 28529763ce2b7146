import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventStore } from '../../../electron/core/store/eventStore';
import { bundleScript } from '../../helpers/storeChildren';
import { collect } from '../../helpers/storeProcess';
import { useTempDir } from '../../helpers/tempDir';

// biome-ignore lint/correctness/useHookAtTopLevel: useTempDir is a Vitest helper (afterEach cleanup), not a React hook.
const tempDir = useTempDir('hindsight-race-');
const ATTEMPTS = 1500; // per process

afterAll(() => {
  fs.rmSync(path.dirname(bundleScript('tests/helpers/storeRaceChild.ts')), { recursive: true, force: true });
});

describe('two processes appending to the same streams', () => {
  it('get exactly one winner per stream version, conflicts for the losers, and no duplicates', async () => {
    const script = bundleScript('tests/helpers/storeRaceChild.ts');
    const file = path.join(tempDir(), 'race.hindsight');
    EventStore.create(file).close();
    const writers = ['alpha', 'beta'].map((name) =>
      spawn(process.execPath, [script, file, name, String(ATTEMPTS)], { stdio: ['pipe', 'pipe', 'pipe'] }),
    );
    // Start both at once, after both are ready.
    await Promise.all(writers.map((w) => new Promise<void>((resolve) => w.stdout.once('data', () => resolve()))));
    const results = writers.map((w) => collect(w));
    for (const w of writers) w.stdin.end('go\n');
    const outputs = await Promise.all(results);

    const wins = new Map<string, string>(); // "stream@version" → eventId
    let conflicts = 0;
    for (const output of outputs) {
      expect(output.code, output.stderr).toBe(0);
      const lines = output.stdout.trim().split('\n');
      expect(lines.at(-1)).toBe('done');
      expect(lines.filter((l) => l.startsWith('win ') || l.startsWith('conflict '))).toHaveLength(ATTEMPTS);
      for (const line of lines) {
        const [kind, stream, a, b] = line.split(' ');
        if (kind === 'win') {
          const key = `${stream}@${a}`;
          expect(wins.has(key), `two winners for ${key}`).toBe(false);
          wins.set(key, b!);
        } else if (kind === 'conflict') {
          conflicts++;
          expect(Number(b)).toBeGreaterThan(Number(a)); // the loser was behind
        }
      }
    }
    expect(conflicts).toBeGreaterThan(0);
    expect(wins.size + conflicts).toBe(2 * ATTEMPTS);

    const store = EventStore.open(file, { mode: 'read-only' });
    expect(store.verify()).toMatchObject({ ok: true, events: wins.size });
    const stored = store.readAll({ limit: 10_000 });
    expect(stored).toHaveLength(wins.size);
    expect(new Set(stored.map((e) => e.eventId)).size).toBe(stored.length);
    for (const event of stored) {
      expect(wins.get(`${event.streamId}@${event.streamVersion}`)).toBe(event.eventId);
    }
    for (const stream of store.listStreams()) {
      expect(store.readStream(stream.streamId).map((e) => e.streamVersion)).toEqual(
        Array.from({ length: stream.version }, (_, i) => i + 1),
      );
    }
    store.close();
  });
});
