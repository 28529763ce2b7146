// Which stores this installation created. A file we created opens read-write by default; any other
// file is someone else's evidence and opens read-only unless the user asks otherwise (DESIGN §6).
import { join } from 'node:path';
import { readJsonFile, writeJsonFileAtomic } from './atomicFile';

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

export class OwnedStores {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'owned-stores.json');
  }

  has(storeId: string): boolean {
    return readJsonFile(this.file, [], isStringList).includes(storeId);
  }

  add(storeId: string): void {
    const ids = readJsonFile(this.file, [], isStringList);
    if (!ids.includes(storeId)) writeJsonFileAtomic(this.file, [...ids, storeId]);
  }
}
