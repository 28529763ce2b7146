// Column mappings the user chose for foreign SQLite files, remembered per file (by absolute path) in the
// app's data folder, so reopening the file (from the recent list, say) needs no dialog.
import { join, resolve } from 'node:path';
import type { ColumnMapping } from '../../../shared/types';
import { readJsonFile, writeJsonFileAtomic } from './atomicFile';

type MappingsByPath = Record<string, ColumnMapping>;

const MAX_REMEMBERED = 200;

function isMapping(value: unknown): value is ColumnMapping {
  if (typeof value !== 'object' || value === null) return false;
  const entries = Object.entries(value as Record<string, unknown>);
  const record = value as Record<string, unknown>;
  return (
    ['table', 'stream', 'type', 'data'].every((key) => typeof record[key] === 'string') &&
    entries.every(([, v]) => typeof v === 'string')
  );
}

function isMappingFile(value: unknown): value is MappingsByPath {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(isMapping);
}

export class ForeignMappings {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'foreign-mappings.json');
  }

  get(path: string): ColumnMapping | null {
    const all = readJsonFile<MappingsByPath>(this.file, {}, isMappingFile);
    const key = resolve(path);
    return Object.hasOwn(all, key) ? (all[key] ?? null) : null;
  }

  remember(path: string, mapping: ColumnMapping): void {
    const all = readJsonFile<MappingsByPath>(this.file, {}, isMappingFile);
    const key = resolve(path);
    delete all[key]; // re-inserted last: the newest stays when the oldest are dropped
    all[key] = mapping;
    const keys = Object.keys(all);
    const kept = Object.fromEntries(keys.slice(Math.max(0, keys.length - MAX_REMEMBERED)).map((k) => [k, all[k]]));
    writeJsonFileAtomic(this.file, kept);
  }

  forget(path: string): void {
    const all = readJsonFile<MappingsByPath>(this.file, {}, isMappingFile);
    const key = resolve(path);
    if (!Object.hasOwn(all, key)) return;
    delete all[key];
    writeJsonFileAtomic(this.file, all);
  }
}
