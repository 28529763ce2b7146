import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecentFiles, recentFileId } from '../../../electron/core/app/recentFiles';
import { useTempDir } from '../../helpers/tempDir';

describe('RecentFiles', () => {
  const tempDir = useTempDir();

  it('lists newest first, marks missing files, and forgets by id', () => {
    const dir = tempDir();
    const a = join(dir, 'a.hindsight');
    const b = join(dir, 'b.hindsight');
    writeFileSync(a, '');
    writeFileSync(b, '');
    const recent = new RecentFiles(dir);
    recent.record(a, 'read-write', 1000);
    recent.record(b, 'read-only', 2000);
    recent.record(a, 'read-write', 3000);
    expect(recent.list().map((f) => [f.fileName, f.lastOpenedAt, f.mode])).toEqual([
      ['a.hindsight', 3000, 'read-write'],
      ['b.hindsight', 2000, 'read-only'],
    ]);
    rmSync(b);
    expect(recent.list().find((f) => f.fileName === 'b.hindsight')?.exists).toBe(false);
    expect(recent.forget(recentFileId(b)).map((f) => f.fileName)).toEqual(['a.hindsight']);
    // Persisted: a new instance sees the same list.
    expect(new RecentFiles(dir).list().map((f) => f.fileName)).toEqual(['a.hindsight']);
  });

  it('starts empty from a damaged file instead of failing', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'recent-files.json'), '{not json');
    expect(new RecentFiles(dir).list()).toEqual([]);
    writeFileSync(join(dir, 'recent-files.json'), JSON.stringify([{ id: 1, path: {} }]));
    expect(new RecentFiles(dir).list()).toEqual([]);
  });

  it('keeps at most 12 entries and writes no temp files behind', () => {
    const dir = tempDir();
    const recent = new RecentFiles(dir);
    for (let i = 0; i < 20; i++) recent.record(join(dir, `f${i}.hindsight`), 'read-only', i);
    expect(recent.list()).toHaveLength(12);
    expect(recent.list()[0]?.fileName).toBe('f19.hindsight');
    expect(JSON.parse(readFileSync(join(dir, 'recent-files.json'), 'utf8'))).toHaveLength(12);
  });
});
