// biome-ignore-all lint/a11y/useSemanticElements: a virtualized grid positions rows absolutely, which <table> layout cannot do; ARIA grid roles carry the semantics.
// biome-ignore-all lint/a11y/useFocusableInteractive: the grid is navigated with the arrow keys on the timeline, not by tabbing through thousands of rows.
import { useInfiniteQuery, useQueries } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { TimelineEntry } from '../../../../../shared/types';
import { eventTypeHue } from '../../../lib/eventColors';
import { formatTime } from '../../../lib/format';
import { filteredTimelineQuery, TIMELINE_PAGE, timelinePageQuery } from '../queries';

const ROW_HEIGHT = 26;

function summarize(data: unknown): string {
  if (data === null || typeof data !== 'object') return JSON.stringify(data) ?? '';
  return Object.entries(data as Record<string, unknown>)
    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join('  ');
}

/**
 * The stream's events, virtualized (only the visible rows are mounted). Without filters, versions are
 * dense, so rows are fetched by page for whatever is on screen — a jump to version 90,000 loads one page.
 * With filters, matching rows are paged in order as the list scrolls.
 */
export function EventList({
  streamId,
  count,
  selectedVersion,
  types,
  actors,
  onSelect,
}: {
  streamId: string;
  count: number;
  selectedVersion: number;
  types: string[];
  actors: string[];
  onSelect: (version: number) => void;
}) {
  const filtered = types.length > 0 || actors.length > 0;
  const parentRef = useRef<HTMLDivElement>(null);
  const infinite = useInfiniteQuery({ ...filteredTimelineQuery(streamId, types, actors), enabled: filtered });
  const filteredRows = infinite.data?.pages.flatMap((page) => page.items) ?? [];
  const rowCount = filtered ? filteredRows.length : count;

  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  const pages: number[] = [];
  if (!filtered && rowCount > 0) {
    for (let page = Math.floor(first / TIMELINE_PAGE); page <= Math.floor(last / TIMELINE_PAGE); page++)
      pages.push(page);
  }
  const pageResults = useQueries({ queries: pages.map((page) => timelinePageQuery(streamId, page)) });
  const rowAt = (index: number): TimelineEntry | undefined => {
    if (filtered) return filteredRows[index];
    const page = Math.floor(index / TIMELINE_PAGE);
    const result = pageResults[pages.indexOf(page)];
    return result?.data?.[index - page * TIMELINE_PAGE];
  };

  // Keep the selected version in view when it changes from outside the list (slider, keys, chart).
  useEffect(() => {
    if (filtered || selectedVersion < 1 || selectedVersion > count) return;
    virtualizer.scrollToIndex(selectedVersion - 1, { align: 'auto' });
  }, [selectedVersion, filtered, virtualizer, count]);

  useEffect(() => {
    if (filtered && last >= filteredRows.length - 10 && infinite.hasNextPage && !infinite.isFetchingNextPage) {
      void infinite.fetchNextPage();
    }
  }, [filtered, last, filteredRows.length, infinite]);

  return (
    <div
      className="event-list"
      ref={parentRef}
      role="grid"
      aria-label={`Events of ${streamId}`}
      aria-rowcount={rowCount}
    >
      <div className="event-list-head" role="row">
        <span role="columnheader">Ver.</span>
        <span role="columnheader">Recorded (UTC)</span>
        <span role="columnheader">Type</span>
        <span role="columnheader">Actor</span>
        <span role="columnheader">Data</span>
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = rowAt(item.index);
          const version = filtered ? (row?.streamVersion ?? 0) : item.index + 1;
          const future = version > selectedVersion;
          return (
            <div
              key={item.key}
              role="row"
              aria-selected={version === selectedVersion}
              aria-rowindex={item.index + 1}
              className={`event-row${future ? ' event-row-future' : ''}`}
              style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              onClick={() => onSelect(version)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') onSelect(version);
              }}
              tabIndex={-1}
            >
              <span className="num" role="gridcell">
                {version}
              </span>
              {row ? (
                <>
                  <span className="faint" role="gridcell">
                    {formatTime(row.recordedAt).replace(' UTC', '')}
                  </span>
                  <span role="gridcell">
                    <span className="type-chip" style={{ ['--hue' as string]: eventTypeHue(row.eventType) }}>
                      {row.eventType}
                    </span>
                  </span>
                  <span role="gridcell">{typeof row.metadata.actor === 'string' ? row.metadata.actor : '—'}</span>
                  <span className="mono faint" role="gridcell">
                    {summarize(row.data)}
                  </span>
                </>
              ) : (
                <span className="faint" role="gridcell">
                  loading…
                </span>
              )}
            </div>
          );
        })}
      </div>
      {rowCount === 0 && !infinite.isFetching && (
        <p className="empty">{filtered ? 'No event matches these filters.' : 'This stream has no events.'}</p>
      )}
    </div>
  );
}
