import { Worker } from 'node:worker_threads';
import { isErrorCode } from '../../../shared/ipc/result';
import { HindsightError } from '../errors';
import { sqliteDriverOptions } from '../sqliteRuntime';
import type { CancelSignal } from '../store/types';
import type { JobKind, JobParams, JobResult } from './registry';
import type { WorkerMessage, WorkerStart } from './types';
import { resolveWorkerEntry, workerBootstrap } from './workerEntry';

export interface RunJobOptions {
  onProgress?: (done: number, total: number) => void;
  /**
   * Receives what the job streams with `context.emit`, in order, before the result. If it throws, the
   * job is stopped and `runJob` rejects with that error.
   */
  onData?: (value: unknown) => void;
  /** An AbortSignal, or any `{ aborted }` flag (polled), e.g. a job's own cancel signal inside a worker. */
  signal?: AbortSignal | CancelSignal;
  /** After a cancel, how long the job may take to stop by itself before its worker is terminated. */
  cancelGraceMs?: number;
}

const DEFAULT_CANCEL_GRACE_MS = 3000;

function cancelledError(kind: string): HindsightError {
  return new HindsightError('cancelled', `The ${kind} job was cancelled.`, { kind });
}

/**
 * Runs a job in a new worker thread with its own store connection and resolves with its result. Progress
 * arrives through `onProgress`. Aborting `signal` cancels: the job sees the flag at its next check and
 * stops, or its worker is terminated after `cancelGraceMs`; either way the promise rejects with
 * HindsightError('cancelled'). A job's own failure rejects with its HindsightError (code, message, details).
 */
export function runJob<K extends JobKind>(
  kind: K,
  params: JobParams<K>,
  options?: RunJobOptions,
): Promise<JobResult<K>>;
export function runJob<R>(kind: JobKind, params: unknown, options?: RunJobOptions): Promise<R>;
export function runJob(kind: JobKind, params: unknown, options: RunJobOptions = {}): Promise<unknown> {
  const { onProgress, signal } = options;
  if (signal?.aborted) return Promise.reject(cancelledError(kind));
  return new Promise((resolve, reject) => {
    const cancel = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancel);
    const nativeBinding = sqliteDriverOptions().nativeBinding;
    const start: WorkerStart = { kind, params, cancel };
    if (typeof nativeBinding === 'string') start.nativeBinding = nativeBinding;

    let worker: Worker;
    try {
      const entry = resolveWorkerEntry();
      worker =
        entry.kind === 'built'
          ? new Worker(entry.url, { workerData: start })
          : new Worker(workerBootstrap(entry.url), { eval: true, workerData: start, execArgv: [] });
    } catch (error) {
      reject(
        error instanceof HindsightError
          ? error
          : new HindsightError('unavailable', `The ${kind} job could not start a worker thread: ${String(error)}.`),
      );
      return;
    }

    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      if (graceTimer !== undefined) clearTimeout(graceTimer);
      if (poll !== undefined) clearInterval(poll);
      if (signal !== undefined && 'removeEventListener' in signal) signal.removeEventListener('abort', onAbort);
      outcome();
      // The job has answered; anything still running in the worker is of no use.
      void worker.terminate();
    };
    function onAbort(): void {
      Atomics.store(flag, 0, 1);
      graceTimer = setTimeout(
        () => settle(() => reject(cancelledError(kind))),
        options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS,
      );
    }
    let poll: NodeJS.Timeout | undefined;
    if (signal !== undefined && 'addEventListener' in signal) {
      signal.addEventListener('abort', onAbort, { once: true });
    } else if (signal !== undefined) {
      poll = setInterval(() => {
        if (signal.aborted && graceTimer === undefined) onAbort();
      }, 50);
    }

    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') {
        if (!settled) onProgress?.(message.done, message.total);
      } else if (message.type === 'data') {
        if (settled) return;
        try {
          options.onData?.(message.value);
        } catch (error) {
          Atomics.store(flag, 0, 1);
          settle(() => reject(error));
        }
      } else if (message.type === 'result') {
        settle(() => resolve(message.value));
      } else if (message.type === 'error') {
        const { code, message: text, details } = message.error;
        settle(() => reject(new HindsightError(isErrorCode(code) ? code : 'internal', text, details)));
      }
    });
    worker.on('error', (error) => {
      settle(() => reject(new HindsightError('internal', `The ${kind} job crashed: ${error.message}`, { kind })));
    });
    worker.on('exit', (code) => {
      settle(() =>
        reject(
          signal?.aborted
            ? cancelledError(kind)
            : new HindsightError(
                'internal',
                `The ${kind} job's worker stopped without an answer (exit code ${code}).`,
                {
                  kind,
                },
              ),
        ),
      );
    });
  });
}
