// Keeps track of the long jobs a window started: gives each an id, forwards throttled progress and
// the final outcome as events, and cancels on request. The work itself runs elsewhere (a worker
// thread, see jobs/); this class only knows about ids, labels and timing.
import { randomUUID } from 'node:crypto';
import type { EventMap, EventName } from '../../../shared/ipc/contract';
import type { JobProgress } from '../../../shared/types';
import { HindsightError, toErrorPayload } from '../errors';

export type Emit = <E extends EventName>(event: E, payload: EventMap[E]) => void;

export interface JobContext {
  signal: AbortSignal;
  onProgress: (done: number, total: number) => void;
}

interface RunningJob {
  progress: JobProgress;
  controller: AbortController;
  lastEmit: number;
}

const PROGRESS_INTERVAL_MS = 100;

export class JobTracker {
  private readonly jobs = new Map<string, RunningJob>();

  constructor(private readonly emit: Emit) {}

  /** Starts `work`; resolves with its result (or rejects) after the finish event has been emitted. */
  start<T>(
    kind: string,
    label: string,
    work: (context: JobContext) => Promise<T>,
  ): { jobId: string; done: Promise<T> } {
    const jobId = randomUUID();
    const job: RunningJob = {
      progress: { jobId, kind, label, done: 0, total: 0 },
      controller: new AbortController(),
      lastEmit: 0,
    };
    this.jobs.set(jobId, job);
    this.emit('job.progress', job.progress);

    const onProgress = (done: number, total: number) => {
      job.progress = { ...job.progress, done, total };
      const now = Date.now();
      if (now - job.lastEmit >= PROGRESS_INTERVAL_MS || done >= total) {
        job.lastEmit = now;
        this.emit('job.progress', job.progress);
      }
    };

    const done = (async () => {
      try {
        const result = await work({ signal: job.controller.signal, onProgress });
        this.finish(job, true, false, 'Finished.');
        return result;
      } catch (error) {
        const payload = toErrorPayload(error);
        this.finish(job, false, payload.code === 'cancelled', payload.message);
        throw error instanceof HindsightError ? error : new HindsightError(payload.code, payload.message);
      }
    })();
    // The caller may not await; an unobserved rejection must not crash the main process.
    done.catch(() => undefined);
    return { jobId, done };
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job) return false;
    job.controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const job of this.jobs.values()) job.controller.abort();
  }

  running(): JobProgress[] {
    return [...this.jobs.values()].map((job) => job.progress);
  }

  private finish(job: RunningJob, ok: boolean, cancelled: boolean, message: string): void {
    this.jobs.delete(job.progress.jobId);
    const { jobId, kind, label } = job.progress;
    this.emit('job.finished', { jobId, kind, label, ok, cancelled, message });
  }
}
