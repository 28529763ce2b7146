import { HindsightError } from '../errors';
import type { JobContext } from '../jobs/types';
import { EventStore } from '../store/eventStore';
import { buildSearchIndex } from './searchIndex';
import type { BuildSearchIndexResult } from './types';

/**
 * Building the full-text index as a worker job (electron/core/jobs): the worker opens its own connection,
 * indexes in batches with progress, and stops between batches when cancelled (what was indexed stays).
 * To register it: `searchIndex: searchIndexJob` in jobs/registry.ts.
 */
export interface SearchIndexJobParams {
  /**
   * The file to index: for a store the app has open read-write, its path (the worker opens it read-write too,
   * the index is written into it); for one open read-only, `store.verificationPath` (its private copy, read in
   * place) together with `cacheDir`.
   */
  path: string;
  mode: 'read-write' | 'read-only';
  /** Required for `read-only`: the folder of the private search caches. */
  cacheDir?: string;
  rebuild?: boolean;
  batchSize?: number;
}

export function searchIndexJob(params: SearchIndexJobParams, context: JobContext): BuildSearchIndexResult {
  if (typeof params?.path !== 'string' || params.path === '') {
    throw new HindsightError('invalid_input', 'The search index job needs the path of a store file.', {
      field: 'path',
    });
  }
  if (params.mode !== 'read-write' && params.mode !== 'read-only') {
    throw new HindsightError('invalid_input', 'The search index job mode must be "read-write" or "read-only".', {
      field: 'mode',
    });
  }
  const store =
    params.mode === 'read-write'
      ? EventStore.open(params.path, { mode: 'read-write', quickCheck: false })
      : EventStore.open(params.path, { mode: 'read-only', access: 'live', quickCheck: false });
  try {
    return buildSearchIndex(store, {
      cacheDir: params.cacheDir,
      rebuild: params.rebuild,
      batchSize: params.batchSize,
      onProgress: context.onProgress,
      signal: context.signal,
    });
  } finally {
    store.close();
  }
}
