import { useInfiniteQuery } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { CopyButton } from '../../components/CopyButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount, formatTime } from '../../lib/format';
import { streamEventsQuery, streamListQuery } from './queries';

/** Master/detail: the stream list on the left, the selected stream's events on the right. */
export function StreamsScreen({
  selected,
  onSelect,
}: {
  selected: string | undefined;
  onSelect: (streamId: string) => void;
}) {
  const [filter, setFilter] = useState('');
  const prefix = useDeferredValue(filter.trim());
  const streams = useInfiniteQuery(streamListQuery(prefix));
  const rows = streams.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="split">
      <div className="split-left">
        <div style={{ padding: 'var(--space-4)', borderBottom: '1px solid var(--border)' }}>
          <input
            className="input"
            style={{ width: '100%' }}
            placeholder="Filter by stream id prefix, e.g. account-"
            aria-label="Filter streams by id prefix"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
          />
        </div>
        <ErrorBanner error={streams.error} />
        <div style={{ overflow: 'auto', flex: 1 }}>
          <table className="table" aria-label="Streams">
            <thead>
              <tr>
                <th>Stream</th>
                <th className="num">Events</th>
                <th>Last activity</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((stream) => (
                <tr
                  key={stream.streamId}
                  aria-selected={stream.streamId === selected}
                  onClick={() => onSelect(stream.streamId)}
                  style={{ cursor: 'pointer' }}
                >
                  <td className="mono" title={stream.streamId}>
                    {stream.streamId}
                  </td>
                  <td className="num">{formatCount(stream.version)}</td>
                  <td className="faint">{formatTime(stream.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 && !streams.isPending && (
            <p className="empty">
              {prefix ? `No stream id starts with “${prefix}”.` : 'This store has no streams yet.'}
            </p>
          )}
          {streams.hasNextPage && (
            <div style={{ padding: 'var(--space-4)' }}>
              <button type="button" className="btn btn-sm" onClick={() => void streams.fetchNextPage()}>
                Load more streams
              </button>
            </div>
          )}
        </div>
      </div>
      <div>
        {selected ? <StreamEvents streamId={selected} /> : <p className="empty">Select a stream to see its history.</p>}
      </div>
    </div>
  );
}

function StreamEvents({ streamId }: { streamId: string }) {
  const events = useInfiniteQuery(streamEventsQuery(streamId));
  const rows = events.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="page" style={{ gap: 'var(--space-5)' }}>
      <div className="page-header">
        <h1 className="page-title mono" style={{ fontSize: 'var(--text-lg)' }}>
          {streamId}
        </h1>
        <CopyButton value={streamId} label="Copy stream id" />
      </div>
      <ErrorBanner error={events.error} />
      <div className="panel" style={{ overflow: 'auto' }}>
        <table className="table" aria-label={`Events of ${streamId}`}>
          <thead>
            <tr>
              <th className="num">Ver.</th>
              <th className="num">Position</th>
              <th>Recorded</th>
              <th>Type</th>
              <th>Actor</th>
              <th>Data</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((event) => (
              <tr key={event.globalPosition}>
                <td className="num">{event.streamVersion}</td>
                <td className="num faint">{formatCount(event.globalPosition)}</td>
                <td>{formatTime(event.recordedAt)}</td>
                <td>{event.eventType}</td>
                <td>{typeof event.metadata.actor === 'string' ? event.metadata.actor : '—'}</td>
                <td className="mono faint" title={JSON.stringify(event.data)}>
                  {JSON.stringify(event.data)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {events.hasNextPage && (
          <div style={{ padding: 'var(--space-4)' }}>
            <button type="button" className="btn btn-sm" onClick={() => void events.fetchNextPage()}>
              Load more events
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
