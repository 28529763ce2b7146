import { describe, expect, it } from 'vitest';
import { JobTracker } from '../../../electron/core/app/jobTracker';
import { HindsightError } from '../../../electron/core/errors';

function collect() {
  const events: { event: string; payload: Record<string, unknown> }[] = [];
  const tracker = new JobTracker((event, payload) => events.push({ event, payload: { ...payload } }));
  return { tracker, events };
}

describe('JobTracker', () => {
  it('emits progress and a finished event, and resolves with the result', async () => {
    const { tracker, events } = collect();
    const { jobId, done } = tracker.start('verify', 'Verifying x', async ({ onProgress }) => {
      onProgress(5, 10);
      onProgress(10, 10);
      return 42;
    });
    expect(tracker.running().map((job) => job.jobId)).toEqual([jobId]);
    await expect(done).resolves.toBe(42);
    expect(events.at(-1)).toEqual({
      event: 'job.finished',
      payload: { jobId, kind: 'verify', label: 'Verifying x', ok: true, cancelled: false, message: 'Finished.' },
    });
    expect(events.filter((e) => e.event === 'job.progress').at(-1)?.payload).toMatchObject({ done: 10, total: 10 });
    expect(tracker.running()).toEqual([]);
  });

  it('cancels through the abort signal and reports cancelled', async () => {
    const { tracker, events } = collect();
    const { jobId, done } = tracker.start('verify', 'Slow', ({ signal }) => {
      return new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(new HindsightError('cancelled', 'The job was cancelled.')));
      });
    });
    expect(tracker.cancel(jobId)).toBe(true);
    await expect(done).rejects.toMatchObject({ code: 'cancelled' });
    expect(events.at(-1)?.payload).toMatchObject({ ok: false, cancelled: true });
    expect(tracker.cancel(jobId)).toBe(false);
  });

  it('reports a failure with its message', async () => {
    const { tracker, events } = collect();
    const { done } = tracker.start('verify', 'Broken', async () => {
      throw new HindsightError('corrupt', 'The file is damaged.');
    });
    await expect(done).rejects.toMatchObject({ code: 'corrupt', message: 'The file is damaged.' });
    expect(events.at(-1)?.payload).toMatchObject({ ok: false, cancelled: false, message: 'The file is damaged.' });
  });
});
