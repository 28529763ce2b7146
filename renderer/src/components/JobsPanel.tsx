import { useMutation } from '@tanstack/react-query';
import { call } from '../lib/api';
import { formatDuration, formatTime } from '../lib/format';
import type { FinishedJob } from '../lib/useJobs';
import { Dialog } from './Dialog';
import { ErrorBanner } from './ErrorBanner';

interface Running {
  jobId: string;
  label: string;
  done: number;
  total: number;
  startedAt: number;
}

/** Every long job in one place: progress, elapsed time, cancel; and how the recent ones ended. */
export function JobsPanel({
  open,
  onClose,
  running,
  finished,
}: {
  open: boolean;
  onClose: () => void;
  running: Running[];
  finished: FinishedJob[];
}) {
  const cancel = useMutation({ mutationFn: (jobId: string) => call('jobs.cancel', { jobId }) });
  return (
    <Dialog open={open} onClose={onClose} label="Jobs">
      <div className="dialog-body">
        <h2 className="dialog-title">Jobs</h2>
        <ErrorBanner error={cancel.error} />
        <h3 className="subhead" style={{ marginTop: 0 }}>
          Running
        </h3>
        {running.length === 0 && <p className="muted">Nothing is running.</p>}
        {running.map((job) => {
          const percent = job.total > 0 ? Math.floor((job.done / job.total) * 100) : 0;
          return (
            <div className="job-row" key={job.jobId} data-testid="job-running">
              <span>{job.label}</span>
              <div
                className="progress"
                role="progressbar"
                aria-label={`${job.label} progress`}
                aria-valuenow={percent}
                aria-valuemin={0}
                aria-valuemax={100}
              >
                <span style={{ width: `${percent}%` }} />
              </div>
              <span className="faint num">{formatDuration(Date.now() - job.startedAt)}</span>
              <button type="button" className="btn btn-sm" onClick={() => cancel.mutate(job.jobId)}>
                Cancel
              </button>
            </div>
          );
        })}
        <h3 className="subhead">Finished</h3>
        {finished.length === 0 && <p className="muted">No job has finished yet in this window.</p>}
        {finished.map((job) => (
          <div className="job-row" key={job.jobId} data-testid="job-finished">
            <span>{job.label}</span>
            <span className={job.ok ? 'badge badge-ok' : job.cancelled ? 'badge badge-neutral' : 'badge badge-danger'}>
              {job.ok ? 'done' : job.cancelled ? 'cancelled' : 'failed'}
            </span>
            <span className="faint num">{formatDuration(job.finishedAt - job.startedAt)}</span>
            <span className="faint" title={job.message}>
              {formatTime(job.finishedAt)}
            </span>
          </div>
        ))}
        <div style={{ textAlign: 'right', marginTop: 'var(--space-5)' }}>
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </Dialog>
  );
}
