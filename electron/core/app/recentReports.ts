// Reports saved from this installation, with the digest and verification they were made with, so the
// Reports screen can list them. Kept in the app's data folder.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportRecord } from '../../../shared/types';
import { readJsonFile, writeJsonFileAtomic } from './atomicFile';

const MAX_RECENT = 30;
const isList = (value: unknown): value is ReportRecord[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && 'path' in item);

export class RecentReports {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'recent-reports.json');
  }

  list(): ReportRecord[] {
    return readJsonFile(this.file, [], isList).filter((record) => existsSync(record.path));
  }

  add(record: ReportRecord): void {
    const rest = readJsonFile(this.file, [], isList).filter((item) => item.path !== record.path);
    writeJsonFileAtomic(this.file, [record, ...rest].slice(0, MAX_RECENT));
  }
}
