import type { ForeignSourceInfo } from '../../../shared/types';
import type { JobContext } from '../jobs/types';
import { type MaterializeParams, materializeForeign } from './materialize';

/** Worker job: reads a foreign store into its derived store, with progress and cancel. */
export function materializeJob(params: MaterializeParams, context: JobContext): ForeignSourceInfo {
  return materializeForeign(params, { onProgress: context.onProgress, signal: context.signal });
}
