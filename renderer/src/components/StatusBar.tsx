import type { JobProgress, StoreSummary } from '../../../shared/types';
import { formatCount, formatTime } from '../lib/format';

export function StatusBar({ store, jobs }: { store: StoreSummary | null | undefined; jobs: JobProgress[] }) {
  return (
    <footer className="statusbar">
      {store ? (
        <>
          <span>
            head <strong className="num">{formatCount(store.head.position)}</strong>
          </span>
          <span>
            <strong className="num">{formatCount(store.events)}</strong> events
          </span>
          <span>
            <strong className="num">{formatCount(store.streams)}</strong> streams
          </span>
          <span>
            {formatTime(store.firstRecordedAt)} → {formatTime(store.lastRecordedAt)}
          </span>
        </>
      ) : (
        <span>No store open</span>
      )}
      <span style={{ flex: 1 }} />
      {jobs.length === 0 ? (
        <span>No jobs running</span>
      ) : (
        jobs.map((job) => (
          <span key={job.jobId} data-testid="status-job">
            {job.label} {job.total > 0 ? `${Math.floor((job.done / job.total) * 100)}%` : '…'}
          </span>
        ))
      )}
    </footer>
  );
}
