import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventStore } from '../../../electron/core/store/eventStore';
import { runCliProcess } from '../../helpers/storeProcess';
import { useTempDir } from '../../helpers/tempDir';

describe('hindsight copy', () => {
  const tempDir = useTempDir();

  it('writes a verified copy with the same digest, and refuses to overwrite', async () => {
    const dir = tempDir();
    const source = join(dir, 'src.hindsight');
    const store = EventStore.create(source);
    store.append('ledger-1', [
      { type: 'Opened', data: { a: 1 } },
      { type: 'Noted', data: { b: [1, 2] } },
    ]);
    const head = store.head();
    store.close();

    const out = join(dir, 'copy.hindsight');
    const first = await runCliProcess(['copy', source, out, '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ ok: true, path: out, digest: `${head.position}:${head.hash}` });
    const copy = EventStore.open(out, { mode: 'read-only' });
    expect(copy.verify().ok).toBe(true);
    expect(copy.head()).toEqual(head);
    copy.close();

    const again = await runCliProcess(['copy', source, out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(existsSync(`${out}.partial-${process.pid}`)).toBe(false);
  });
});
