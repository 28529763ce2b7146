import { useQuery } from '@tanstack/react-query';
import { CopyButton, FileSha256 } from '../../components/CopyButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount, formatTime } from '../../lib/format';
import { storeDetailsQuery } from '../../lib/storeQueries';
import { ActivityChart, TopList } from './ActivityChart';

/** A one-page health card of the open store. */
export function Overview({
  onSearch,
  onReplay,
}: {
  onSearch: (from: number, to: number) => void;
  onReplay: (from: number, to: number) => void;
}) {
  const details = useQuery(storeDetailsQuery);
  if (details.error) return <ErrorBanner error={details.error} />;
  const store = details.data;
  if (!store) return <p className="empty">Loading…</p>;
  return (
    <div className="page">
      <div className="page-header">
        <h1 className="page-title">Overview</h1>
        <span className="page-subtitle">{store.fileName}</span>
      </div>
      <div className="stat-grid">
        <Stat
          label="Events"
          value={formatCount(store.events)}
          note={`head position ${formatCount(store.head.position)}`}
        />
        <Stat
          label="Streams"
          value={formatCount(store.streams)}
          note={`${store.categories.length} ${store.categories.length === 1 ? 'category' : 'categories'}`}
        />
        <Stat
          label="First event"
          value={formatTime(store.firstRecordedAt).slice(0, 10)}
          note={formatTime(store.firstRecordedAt)}
        />
        <Stat
          label="Last event"
          value={formatTime(store.lastRecordedAt).slice(0, 10)}
          note={formatTime(store.lastRecordedAt)}
        />
      </div>
      <ActivityChart onBucket={onSearch} onReplay={onReplay} />
      <div className="overview-grid">
        <TopList groupBy="type" title="Top event types" />
        <TopList groupBy="actor" title="Top actors" />
        <section className="panel" aria-labelledby="categories-heading">
          <div className="panel-header" id="categories-heading">
            Categories
          </div>
          {store.categories.length === 0 ? (
            <p className="empty">This store has no events yet.</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th>Category</th>
                  <th className="num">Streams</th>
                  <th className="num">Events</th>
                </tr>
              </thead>
              <tbody>
                {store.categories.map((category) => (
                  <tr key={category.category}>
                    <td className="mono">{category.category}</td>
                    <td className="num">{formatCount(category.streams)}</td>
                    <td className="num">{formatCount(category.events)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="panel" aria-labelledby="file-heading">
          <div className="panel-header" id="file-heading">
            File
          </div>
          <div className="panel-body">
            <dl className="kv">
              <dt>Path</dt>
              <dd className="mono">{store.path}</dd>
              <dt>Mode</dt>
              <dd>{store.mode === 'read-only' ? 'read-only evidence (never modified)' : 'read-write'}</dd>
              {store.foreign ? (
                // Read through an adapter: the derived store's own id, creation and chain head belong to
                // Hindsight's private cache, not to the file, so only the file's own facts are shown.
                <>
                  <dt>Format</dt>
                  <dd>{store.foreign.label} (read through an adapter)</dd>
                  <dt>SHA-256</dt>
                  <dd className="mono">
                    <FileSha256 sha256={store.fileSha256} />
                  </dd>
                  <dt>Evidence</dt>
                  <dd>no hash chain: no tamper evidence</dd>
                </>
              ) : (
                <>
                  <dt>Store id</dt>
                  <dd className="mono">
                    {store.storeId} <CopyButton value={store.storeId} label="Copy store id" />
                  </dd>
                  <dt>Format</dt>
                  <dd>hindsight-event-store v{store.formatVersion}</dd>
                  <dt>Created</dt>
                  <dd>
                    {formatTime(store.createdAt)} {store.createdBy ? `by ${store.createdBy}` : ''}
                  </dd>
                  <dt>Head</dt>
                  <dd className="mono">
                    {store.head.position}:{store.head.hash.slice(0, 16)}…{' '}
                    <CopyButton value={`${store.head.position}:${store.head.hash}`} label="Copy digest" />
                  </dd>
                </>
              )}
            </dl>
            {store.companionWal && (
              <p className="notice" style={{ marginTop: 'var(--space-5)' }}>
                A write-ahead log (-wal) was found beside this file. It was not applied: you are seeing the main file as
                it is on disk.
              </p>
            )}
          </div>
        </section>
      </div>
    </div>
  );
}

function Stat({ label, value, note }: { label: string; value: string; note: string }) {
  return (
    <div className="panel stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      <div className="stat-note">{note}</div>
    </div>
  );
}
