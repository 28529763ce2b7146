// Child process of tests/int/store/crash.test.ts: appends multi-event batches in a tight loop and
// prints "ack <batch> <firstPosition> <lastPosition> <size>" after each append returned (= committed).
// The test SIGKILLs it at random moments.
import { EventStore } from '../../electron/core/store/eventStore';
import { seededRandom } from './storeFixtures';

const [file, seed] = process.argv.slice(2) as [string, string];
const random = seededRandom(Number(seed));
const store = EventStore.open(file, { mode: 'read-write' });
process.stdout.write('ready\n');
for (let n = 0; ; n++) {
  const size = 1 + Math.floor(random() * 4);
  const batch = `${seed}-${n}`;
  const streamId = `crash-${Math.floor(random() * 5)}`;
  const events = Array.from({ length: size }, (_, i) => ({
    type: 'Tick',
    data: { i, pad: 'x'.repeat(Math.floor(random() * 3000)) },
    metadata: { batch, size },
  }));
  const version = store.getStream(streamId)?.version ?? 0;
  const result = store.append(streamId, events, { expectedVersion: version });
  process.stdout.write(`ack ${batch} ${result.firstPosition} ${result.lastPosition} ${size}\n`);
}
