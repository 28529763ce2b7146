import { isErrorCode } from '../../../shared/ipc/result';
import { HindsightError } from '../errors';
import type { JobContext } from './types';

export interface SelftestJobParams {
  /** Steps to run (default 10, at most 100000). */
  steps?: number;
  /** Busy milliseconds per step (default 10, at most 1000). */
  stepMs?: number;
  /** Fail with this error code after `failAfter` steps. */
  failWith?: string;
  failAfter?: number;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function boundedInt(value: unknown, fallback: number, max: number, field: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new HindsightError('invalid_input', `The selftest job's ${field} must be a whole number from 0 to ${max}.`, {
      field,
    });
  }
  return value;
}

/**
 * A job that only works synchronously in steps, reports progress, and can be told to fail: for checking
 * the job machinery (progress, cancel, errors) in tests and from a diagnostics screen, without a store.
 */
export function selftestJob(params: SelftestJobParams, context: JobContext): { steps: number } {
  const steps = boundedInt(params?.steps, 10, 100_000, 'steps');
  const stepMs = boundedInt(params?.stepMs, 10, 1000, 'stepMs');
  const failAfter = boundedInt(params?.failAfter, 0, 100_000, 'failAfter');
  for (let i = 0; i < steps; i++) {
    context.throwIfCancelled();
    if (params?.failWith !== undefined && i === failAfter) {
      const code = isErrorCode(params.failWith) ? params.failWith : 'internal';
      throw new HindsightError(code, `The selftest job failed on purpose with ${code} at step ${i}.`, { step: i });
    }
    sleepSync(stepMs);
    context.onProgress(i + 1, steps);
  }
  return { steps };
}
