import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pruneDerivedStores } from '../../../electron/core/foreign/derivedStore';
import { useTempDir } from '../../helpers/tempDir';

describe('the cache of derived stores stays bounded', () => {
  const tempDir = useTempDir();

  it('keeps the most recently used (and the one in use), and removes partial files of dead processes', () => {
    const cacheDir = tempDir();
    const dir = join(cacheDir, 'foreign');
    fs.mkdirSync(dir);
    const file = (name: string, ageMinutes: number) => {
      const path = join(dir, name);
      fs.writeFileSync(path, 'x');
      const time = new Date(Date.now() - ageMinutes * 60_000);
      fs.utimesSync(path, time, time);
      return path;
    };
    for (let i = 0; i < 6; i++) file(`s${i}.hindsight`, i * 10); // s0 newest … s5 oldest
    const inUse = file('old-but-open.hindsight', 999);
    file('x.hindsight.partial-999999999', 0); // no such process
    file(`y.hindsight.partial-${process.pid}`, 0); // ours: still being written

    const removed = pruneDerivedStores(cacheDir, inUse, 3);
    expect(removed.sort()).toEqual([
      's2.hindsight',
      's3.hindsight',
      's4.hindsight',
      's5.hindsight',
      'x.hindsight.partial-999999999',
    ]);
    expect(fs.readdirSync(dir).sort()).toEqual([
      'old-but-open.hindsight',
      's0.hindsight',
      's1.hindsight',
      `y.hindsight.partial-${process.pid}`,
    ]);
  });

  it('does nothing when there is no cache yet', () => {
    expect(pruneDerivedStores(tempDir(), '/nowhere', 3)).toEqual([]);
  });
});
