// Long read-only writes that used to run on the main thread: a search export and a verified copy. Each
// opens its own read-only connection to the file the app reads (`store.verificationPath`).
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { exportSearch } from '../investigate/search';
import type { ExportFormat, SearchFilters } from '../investigate/types';
import { EventStore } from '../store/eventStore';
import { saveVerifiedCopy, type VerifiedCopy } from '../store/verifiedCopy';
import type { JobContext } from './types';

export interface SearchExportJobParams {
  path: string;
  cacheDir?: string;
  filters: SearchFilters;
  format: ExportFormat;
  out: string;
}

/** Every match of a search, written beside `out` and renamed at the end: a failure leaves no half file. */
export function searchExportJob(params: SearchExportJobParams, context: JobContext): { written: number } {
  const store = EventStore.open(params.path, { mode: 'read-only', access: 'live', quickCheck: false });
  const temp = `${params.out}.partial-${process.pid}`;
  const fd = openSync(temp, 'w');
  try {
    const { exported } = exportSearch(store, params.filters, params.format, (chunk: string) => writeSync(fd, chunk), {
      cacheDir: params.cacheDir,
      signal: context.signal,
      onProgress: (_written, position, head) => context.onProgress(position, head),
    });
    closeSync(fd);
    renameSync(temp, params.out);
    return { written: exported };
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  } finally {
    store.close();
  }
}

export interface CopyJobParams {
  path: string;
  out: string;
}

export function copyJob(params: CopyJobParams): VerifiedCopy {
  const store = EventStore.open(params.path, { mode: 'read-only', access: 'live', quickCheck: false });
  try {
    return saveVerifiedCopy(store, params.out);
  } finally {
    store.close();
  }
}
