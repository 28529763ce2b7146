import { parentPort, workerData } from 'node:worker_threads';
import { HindsightError, toErrorPayload } from '../errors';
import { setSqliteNativeBinding } from '../sqliteRuntime';
import { isJobKind, jobHandlers } from './registry';
import type { JobContext, JobHandler, WorkerMessage, WorkerStart } from './types';

/**
 * The one worker entry for every job kind (built by electron-vite as out/main/jobWorker.js; run from
 * source through tsx in tests and the CLI). It runs the job named in `workerData`, posts throttled
 * progress, and ends with exactly one `result` or `error` message.
 */

const PROGRESS_INTERVAL_MS = 50;

function post(message: WorkerMessage): void {
  parentPort?.postMessage(message);
}

async function main(start: WorkerStart): Promise<void> {
  if (start.nativeBinding !== undefined) setSqliteNativeBinding(start.nativeBinding);
  const flag = new Int32Array(start.cancel);
  const signal = {
    get aborted(): boolean {
      return Atomics.load(flag, 0) === 1;
    },
  };
  let lastPost = 0;
  const context: JobContext = {
    signal,
    onProgress(done, total) {
      const now = Date.now();
      if (now - lastPost >= PROGRESS_INTERVAL_MS || done >= total) {
        lastPost = now;
        post({ type: 'progress', done, total });
      }
    },
    throwIfCancelled() {
      if (signal.aborted) throw new HindsightError('cancelled', 'The job was cancelled.');
    },
    emit(value) {
      post({ type: 'data', value });
    },
  };
  try {
    if (!isJobKind(start.kind)) {
      throw new HindsightError('invalid_input', `There is no job kind "${String(start.kind)}".`, { kind: start.kind });
    }
    const handler = jobHandlers[start.kind] as JobHandler<unknown, unknown>;
    context.throwIfCancelled();
    const value = await handler(start.params, context);
    post({ type: 'result', value });
  } catch (error) {
    post({ type: 'error', error: toErrorPayload(error) });
  }
}

if (parentPort !== null) void main(workerData as WorkerStart);
