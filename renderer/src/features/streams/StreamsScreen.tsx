import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useEffect, useRef, useState } from 'react';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount, formatTime } from '../../lib/format';
import { streamListQuery } from './queries';
import { Timeline, type TimelineCursor } from './timeline/Timeline';

/** Master/detail: the stream list on the left, the selected stream's events on the right. */
export function StreamsScreen({
  selected,
  onSelect,
  cursor,
  onCursor,
  onOpenChain,
  onReport,
}: {
  selected: string | undefined;
  onSelect: (streamId: string) => void;
  cursor: TimelineCursor;
  onCursor: (cursor: TimelineCursor, push: boolean) => void;
  onOpenChain: (eventId: string) => void;
  onReport: (streamId: string) => void;
}) {
  const [filter, setFilter] = useState('');
  const prefix = useDeferredValue(filter.trim());
  const streams = useInfiniteQuery(streamListQuery(prefix));
  const rows = streams.data?.pages.flatMap((page) => page.items) ?? [];
  // Virtualized: a million streams mount as a screenful of rows; pages (keyset by stream id) load on scroll.
  const scrollRef = useRef<HTMLElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 27,
    overscan: 20,
  });
  const visible = virtualizer.getVirtualItems();
  const lastVisible = visible.at(-1)?.index ?? 0;
  const padTop = visible[0]?.start ?? 0;
  const padBottom = Math.max(0, virtualizer.getTotalSize() - (visible.at(-1)?.end ?? 0));
  useEffect(() => {
    if (streams.hasNextPage && !streams.isFetchingNextPage && lastVisible >= rows.length - 30) {
      void streams.fetchNextPage();
    }
  }, [lastVisible, rows.length, streams]);

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
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable list must be reachable by keyboard to scroll it. */}
        <section ref={scrollRef} style={{ overflow: 'auto', flex: 1 }} tabIndex={0} aria-label="Stream list">
          <table className="table" aria-label="Streams">
            <thead>
              <tr>
                <th>Stream</th>
                <th className="num">Events</th>
                <th>Last activity</th>
              </tr>
            </thead>
            <tbody>
              {padTop > 0 && <tr className="virtual-spacer" style={{ height: padTop }} />}
              {visible
                .map((item) => rows[item.index])
                .map(
                  (stream) =>
                    stream && (
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
                    ),
                )}
              {padBottom > 0 && <tr className="virtual-spacer" style={{ height: padBottom }} />}
            </tbody>
          </table>
          {rows.length === 0 && !streams.isPending && (
            <p className="empty">
              {prefix ? `No stream id starts with “${prefix}”.` : 'This store has no streams yet.'}
            </p>
          )}
        </section>
      </div>
      <div className="split-right">
        {selected ? (
          <Timeline
            key={selected}
            streamId={selected}
            cursor={cursor}
            onCursor={onCursor}
            onOpenChain={onOpenChain}
            onReport={onReport}
          />
        ) : (
          <p className="empty">
            Select a stream to see its history: every event, the state after each, and what changed.
          </p>
        )}
      </div>
    </div>
  );
}
