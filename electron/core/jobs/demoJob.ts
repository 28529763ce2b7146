import { createDemoStore } from '../investigate/demo';
import type { JobContext } from './types';

export interface DemoJobParams {
  path: string;
  seed: number;
  events?: number;
}

/** Writes the demo store in a worker (about 2 s for the default 20,000 events) with progress. */
export function demoJob(params: DemoJobParams, context: JobContext): { storeId: string; events: number } {
  const result = createDemoStore(params.path, {
    seed: params.seed,
    events: params.events,
    signal: context.signal,
    onProgress: (written, target) => context.onProgress(written, target),
  });
  return { storeId: result.storeId, events: result.events };
}
