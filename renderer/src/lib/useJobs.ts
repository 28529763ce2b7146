// Jobs as the page sees them: running ones from progress events, finished ones kept (newest first) so
// the jobs panel can say how they ended.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { JobFinished, JobProgress } from '../../../shared/types';
import { useHindsightEvent } from './api';
import { storeKeys } from './storeQueries';

export interface FinishedJob extends JobFinished {
  finishedAt: number;
  startedAt: number;
}

interface RunningJob extends JobProgress {
  startedAt: number;
}

const KEEP_FINISHED = 20;

export function useJobs(): { running: RunningJob[]; finished: FinishedJob[] } {
  const queryClient = useQueryClient();
  const [running, setRunning] = useState<Record<string, RunningJob>>({});
  const [finished, setFinished] = useState<FinishedJob[]>([]);

  useHindsightEvent(
    'job.progress',
    useCallback(
      (progress: JobProgress) => {
        setRunning((current) => ({
          ...current,
          [progress.jobId]: { ...progress, startedAt: current[progress.jobId]?.startedAt ?? Date.now() },
        }));
        if (progress.kind === 'verify') void queryClient.invalidateQueries({ queryKey: storeKeys.integrity });
      },
      [queryClient],
    ),
  );
  useHindsightEvent(
    'job.finished',
    useCallback(
      (done: JobFinished) => {
        setRunning((current) => {
          const { [done.jobId]: job, ...rest } = current;
          setFinished((list) =>
            [{ ...done, startedAt: job?.startedAt ?? Date.now(), finishedAt: Date.now() }, ...list].slice(
              0,
              KEEP_FINISHED,
            ),
          );
          return rest;
        });
        void queryClient.invalidateQueries({ queryKey: storeKeys.all });
      },
      [queryClient],
    ),
  );
  return { running: Object.values(running), finished };
}
