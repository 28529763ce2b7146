import { HindsightError } from '../errors';
import { EventStore } from '../store/eventStore';
import type { ReadOnlyAccess, VerifyResult } from '../store/types';
import type { JobContext } from './types';

export interface VerifyJobParams {
  /** The file to verify: `store.verificationPath` of an open store, or any store file with `access: 'copy'`. */
  path: string;
  /** `POSITION:HASH` to check as well. */
  digest?: string;
  /**
   * `live` (default) reads the file in place through a read-only connection: right for the path an open
   * store gives as `verificationPath` (its own file, or its private copy). Use `copy` for anyone else's file.
   */
  access?: ReadOnlyAccess;
}

export function verifyJob(params: VerifyJobParams, context: JobContext): VerifyResult {
  if (typeof params?.path !== 'string' || params.path === '') {
    throw new HindsightError('invalid_input', 'The verify job needs the path of a store file.', { field: 'path' });
  }
  const access = params.access ?? 'live';
  if (access !== 'live' && access !== 'copy') {
    throw new HindsightError('invalid_input', 'The verify job access must be "live" or "copy".', { field: 'access' });
  }
  // Its own connection, read-only; no quick_check: the chain walk reads every event row anyway.
  const store = EventStore.open(params.path, { mode: 'read-only', access, quickCheck: false });
  try {
    return store.verify({ digest: params.digest, onProgress: context.onProgress, signal: context.signal });
  } finally {
    store.close();
  }
}
