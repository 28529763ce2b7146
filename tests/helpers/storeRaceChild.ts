// Child process of tests/int/store/concurrency.test.ts: waits for "go" on stdin, then makes `attempts`
// appends to a few shared streams with the expected version it just read, and reports every outcome:
// "win <stream> <version> <eventId>" or "conflict <stream> <expected> <actual>", then "done".
import { HindsightError } from '../../electron/core/errors';
import { EventStore } from '../../electron/core/store/eventStore';
import { seededRandom } from './storeFixtures';

const [file, name, attemptsText] = process.argv.slice(2) as [string, string, string];
const attempts = Number(attemptsText);
const random = seededRandom(name.length * 7919 + attempts);
const pause = new Int32Array(new SharedArrayBuffer(4));

function run(): void {
  const store = EventStore.open(file, { mode: 'read-write', busyTimeoutMs: 20_000 });
  const out: string[] = [];
  for (let i = 0; i < attempts; i++) {
    const streamId = `race-${Math.floor(random() * 3)}`;
    const version = store.getStream(streamId)?.version ?? 0;
    // Widen the window between reading the version and appending, so the writers really collide.
    if (random() < 0.5) Atomics.wait(pause, 0, 0, random() * 0.5);
    try {
      const result = store.append(streamId, [{ type: 'Raced', data: { writer: name, attempt: i } }], {
        expectedVersion: version,
      });
      out.push(`win ${streamId} ${result.streamVersion} ${result.events[0]!.eventId}`);
    } catch (error) {
      if (!(error instanceof HindsightError) || error.code !== 'concurrency') throw error;
      const details = error.details as { expected: number; actual: number };
      out.push(`conflict ${streamId} ${details.expected} ${details.actual}`);
    }
  }
  store.close();
  process.stdout.write(`${out.join('\n')}\ndone\n`);
}

process.stdin.setEncoding('utf8').once('data', () => {
  run();
  process.exit(0);
});
process.stdout.write('ready\n');
