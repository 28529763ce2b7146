import type { ErrorPayload } from '../../../shared/ipc/result';
import type { CancelSignal } from '../store/types';

/** What a job's code gets from the worker it runs in. */
export interface JobContext {
  /** Becomes aborted when the job is cancelled; readable even while the job runs synchronously. */
  signal: CancelSignal;
  /** Reports progress (throttled before it is posted to the main thread). */
  onProgress: (done: number, total: number) => void;
  /** Throws HindsightError('cancelled') once the job has been cancelled. */
  throwIfCancelled: () => void;
  /**
   * Streams a piece of the result to the main thread (`runJob`'s `onData`), in order, before the final
   * result. For jobs that produce more than fits in one message; pace with shared memory if needed.
   * Always present in a worker; optional so that tests can call a job function with a plain context.
   */
  emit?: (value: unknown) => void;
}

/** A job kind's code: runs in a worker thread; params and result must be structured-cloneable. */
export type JobHandler<P, R> = (params: P, context: JobContext) => R | Promise<R>;

/** The start message, passed as `workerData`. */
export interface WorkerStart {
  kind: string;
  params: unknown;
  /** One Int32: 0 running, 1 cancelled. Shared memory, so a synchronous job sees it without an event loop. */
  cancel: SharedArrayBuffer;
  /** better-sqlite3 addon path the main thread uses (Electron ABI build), if any. */
  nativeBinding?: string;
}

/** Messages from the worker to the main thread. */
export type WorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'data'; value: unknown }
  | { type: 'result'; value: unknown }
  | { type: 'error'; error: ErrorPayload };
