import { HindsightError } from '../errors';
import { type ImportResult, importJsonl } from '../interchange/importJsonl';
import { EventStore } from '../store/eventStore';
import type { JobContext } from './types';

export interface ImportJobParams {
  /** The store to append to, opened read-write by the job (its own connection). */
  storePath: string;
  /** The JSONL file. */
  file: string;
}

/** Imports a JSONL file into a store, all or nothing, off the main thread. */
export async function importJob(params: ImportJobParams, context: JobContext): Promise<ImportResult> {
  if (typeof params?.storePath !== 'string' || typeof params.file !== 'string') {
    throw new HindsightError('invalid_input', 'The import job needs a store path and a JSONL file.');
  }
  const store = EventStore.open(params.storePath, { mode: 'read-write' });
  try {
    return await importJsonl(store, params.file, { onProgress: context.onProgress, signal: context.signal });
  } finally {
    store.close();
  }
}
