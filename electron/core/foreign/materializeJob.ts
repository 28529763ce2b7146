import type { ForeignSourceInfo, ForeignTable } from '../../../shared/types';
import type { JobContext } from '../jobs/types';
import { inspectTables } from './inspect';
import { type MaterializeParams, materializeForeign } from './materialize';
import { openForeignDb } from './sourceDb';

/** Worker job: reads a foreign store into its derived store, with progress and cancel. */
export function materializeJob(params: MaterializeParams, context: JobContext): ForeignSourceInfo {
  return materializeForeign(params, { onProgress: context.onProgress, signal: context.signal });
}

/**
 * Worker job: the tables of a foreign SQLite file for the mapping dialog (copying the file and counting
 * the rows of big tables takes a while: not on the main thread).
 */
export function inspectJob(params: { source: string; privateDir?: string }): ForeignTable[] {
  const foreign = openForeignDb(params.source, { privateDir: params.privateDir });
  try {
    return inspectTables(foreign.db);
  } finally {
    foreign.close();
  }
}
