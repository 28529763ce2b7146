// Child process of tests/int/store/permissions.test.ts, started as an unprivileged user: tries each
// operation given as JSON on argv and prints the outcomes ("ok" or the error code) as one JSON object.
import { HindsightError } from '../../electron/core/errors';
import { EventStore } from '../../electron/core/store/eventStore';

const ops = JSON.parse(process.argv[2]!) as {
  name: string;
  op: 'open-rw' | 'open-ro' | 'create';
  file: string;
  privateDir?: string;
}[];
const out: Record<string, string> = {};
for (const { name, op, file, privateDir } of ops) {
  try {
    const store =
      op === 'create'
        ? EventStore.create(file)
        : EventStore.open(file, { mode: op === 'open-rw' ? 'read-write' : 'read-only', privateDir });
    out[name] = `ok ${store.head().position}`;
    store.close();
  } catch (error) {
    out[name] = error instanceof HindsightError ? `${error.code}: ${error.message}` : `other: ${String(error)}`;
  }
}
process.stdout.write(JSON.stringify(out));
