// The recent-files list, kept in the app's data folder. The renderer refers to entries by id, never by
// path, so a page can only reopen what the user opened before through a dialog or the OS.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ForeignKind, OpenMode, RecentFile } from '../../../shared/types';
import { readJsonFile, writeJsonFileAtomic } from './atomicFile';

interface RecentEntry {
  id: string;
  path: string;
  lastOpenedAt: number;
  mode: OpenMode;
  /** Set for a foreign store (read through an adapter); absent for a Hindsight store. */
  foreign?: ForeignKind;
}

const MAX_RECENT = 12;

function isEntryList(value: unknown): value is RecentEntry[] {
  return (
    Array.isArray(value) &&
    value.every(
      (entry) =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof (entry as RecentEntry).id === 'string' &&
        typeof (entry as RecentEntry).path === 'string' &&
        typeof (entry as RecentEntry).lastOpenedAt === 'number' &&
        ((entry as RecentEntry).mode === 'read-only' || (entry as RecentEntry).mode === 'read-write'),
    )
  );
}

export function recentFileId(path: string): string {
  return createHash('sha256').update(path).digest('hex').slice(0, 16);
}

export class RecentFiles {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'recent-files.json');
  }

  private read(): RecentEntry[] {
    return readJsonFile(this.file, [], isEntryList);
  }

  list(): RecentFile[] {
    return this.read().map((entry) => ({
      ...entry,
      fileName: basename(entry.path),
      exists: existsSync(entry.path),
    }));
  }

  find(id: string): RecentEntry | undefined {
    return this.read().find((entry) => entry.id === id);
  }

  record(path: string, mode: OpenMode, now = Date.now(), foreign?: ForeignKind): void {
    const id = recentFileId(path);
    const rest = this.read().filter((entry) => entry.id !== id);
    const entry: RecentEntry =
      foreign === undefined ? { id, path, lastOpenedAt: now, mode } : { id, path, lastOpenedAt: now, mode, foreign };
    writeJsonFileAtomic(this.file, [entry, ...rest].slice(0, MAX_RECENT));
  }

  forget(id: string): RecentFile[] {
    writeJsonFileAtomic(
      this.file,
      this.read().filter((entry) => entry.id !== id),
    );
    return this.list();
  }
}
