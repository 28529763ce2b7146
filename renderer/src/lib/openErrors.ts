import { ApiError } from './api';

/**
 * True when an open failed because the file is a SQLite database that is no event store Hindsight
 * knows, but has tables: the column-mapping dialog takes over, so the error is not shown as a banner.
 */
export function needsMapping(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'not_a_store' && error.details?.mappable === true;
}

/** True when an open failed because the file's history is all in the -wal beside it (see store.includeWal). */
export function walHoldsHistory(error: unknown): boolean {
  return error instanceof ApiError && error.details?.companionWal === true;
}
