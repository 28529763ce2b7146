import type { JobProgress, StoreSummary } from '../../../shared/types';
import { formatCount, formatTime } from '../lib/format';

export function StatusBar({
  store,
  jobs,
  onJobs,
}: {
  store: StoreSummary | null | undefined;
  jobs: JobProgress[];
  onJobs: () => void;
}) {
  return (
    <footer className="statusbar">
      {store ? (
        <>
          <span>
            head <strong className="num">{formatCount(store.head.position)}</strong>
          </span>
          <span>
            <strong className="num">{formatCount(store.events)}</strong> {store.events === 1 ? 'event' : 'events'}
          </span>
          <span>
            <strong className="num">{formatCount(store.streams)}</strong> {store.streams === 1 ? 'stream' : 'streams'}
          </span>
          <span>
            {formatTime(store.firstRecordedAt)} → {formatTime(store.lastRecordedAt)}
          </span>
        </>
      ) : (
        <span>No store open</span>
      )}
      <span style={{ flex: 1 }} />
      <button type="button" className="jobs-button" onClick={onJobs} title="Show the jobs panel">
        {jobs.length === 0
          ? 'No jobs running'
          : jobs.map((job) => (
              <span key={job.jobId} data-testid="status-job" style={{ marginLeft: 8 }}>
                <span className="spinner" aria-hidden="true" /> {job.label}{' '}
                {job.total > 0 ? `${Math.floor((job.done / job.total) * 100)}%` : '…'}
              </span>
            ))}
      </button>
    </footer>
  );
}
