// biome-ignore-all lint/a11y/useSemanticElements: a virtualized grid positions rows absolutely, which <table> layout cannot do; ARIA grid roles carry the semantics.
// biome-ignore-all lint/a11y/useFocusableInteractive: rows are reached through their links and buttons.
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis } from 'recharts';
import type { EventRow, SearchFiltersDto } from '../../../../shared/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ApiError, call } from '../../lib/api';
import { eventTypeHue } from '../../lib/eventColors';
import { formatCount, formatTime } from '../../lib/format';
import { fromUtcInputValue, toUtcInputValue } from '../../lib/utcInput';
import { describeFilters } from './filters';
import { Highlight } from './Highlight';
import { histogramQuery, searchQuery } from './queries';

const ROW_HEIGHT = 26;

/** The data, then the reason when there is one (text search matches metadata too: show why a row matched). */
function summarize(row: EventRow): string {
  const reason = typeof row.metadata.reason === 'string' ? ` · reason: ${row.metadata.reason}` : '';
  const text = `${JSON.stringify(row.data) ?? ''}${reason}`;
  return text.length > 400 ? `${text.slice(0, 397)}…` : text;
}

/** Search across the whole log: a sentence of filters, a histogram, a dense virtualized result table. */
export function SearchScreen({
  filters,
  onFilters,
  onOpenEvent,
  onOpenChain,
  onReport,
}: {
  filters: SearchFiltersDto;
  onFilters: (filters: SearchFiltersDto) => void;
  onOpenEvent: (event: EventRow) => void;
  onOpenChain: (eventId: string) => void;
  onReport: (filters: SearchFiltersDto) => void;
}) {
  const results = useInfiniteQuery(searchQuery(filters));
  const histogram = useQuery(histogramQuery(filters));
  const rows = results.data?.pages.flatMap((page) => page.items) ?? [];
  const total = results.data?.pages[0]?.total ?? null;
  const terms = results.data?.pages[0]?.terms ?? [];
  const needsIndex = results.error instanceof ApiError && results.error.code === 'unavailable';
  const buildIndex = useMutation({
    mutationFn: () => call('search.buildIndex', {}),
  });
  const exporter = useMutation({ mutationFn: (format: 'jsonl' | 'csv') => call('search.export', { filters, format }) });

  return (
    <div className="search-screen">
      <FilterBar filters={filters} onFilters={onFilters} />
      <div className="search-summary">
        <span>{describeFilters(filters, (ms) => formatTime(ms))}</span>
        <span className="topbar-spacer" />
        <strong className="num" data-testid="search-count">
          {needsIndex ? '—' : total === null ? '…' : `${formatCount(total)} ${total === 1 ? 'event' : 'events'}`}
        </strong>
        <button type="button" className="btn btn-sm" onClick={() => onReport(filters)} disabled={!total}>
          Report…
        </button>
        <button type="button" className="btn btn-sm" onClick={() => exporter.mutate('jsonl')} disabled={!total}>
          Export JSONL…
        </button>
        <button type="button" className="btn btn-sm" onClick={() => exporter.mutate('csv')} disabled={!total}>
          Export CSV…
        </button>
      </div>
      {exporter.data && (
        <p className="notice" role="status">
          Exported {formatCount(exporter.data.written)} events to {exporter.data.path}.
        </p>
      )}
      <ErrorBanner error={exporter.error} />
      {needsIndex ? (
        <div className="notice" role="status">
          The full-text index is not built for this store yet (or is far behind).{' '}
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => buildIndex.mutate()}
            disabled={buildIndex.isPending}
          >
            Build the search index
          </button>
        </div>
      ) : (
        <ErrorBanner error={results.error ?? histogram.error} />
      )}
      {histogram.data && histogram.data.total > 0 && (
        <figure className="search-histogram" aria-label="Matches over time">
          <ResponsiveContainer width="100%" height={64}>
            <BarChart data={histogram.data.buckets} margin={{ top: 4, right: 8, bottom: 0, left: 8 }}>
              <XAxis dataKey="start" hide />
              <Tooltip
                contentStyle={{ background: 'var(--bg-panel)', border: '1px solid var(--border)', fontSize: 12 }}
                labelFormatter={(start) => formatTime(Number(start))}
                formatter={(value) => [formatCount(Number(value)), 'events']}
              />
              <Bar
                dataKey="count"
                fill="var(--accent)"
                isAnimationActive={false}
                onClick={(bar) => {
                  const bucket = bar.payload as { start?: number; end?: number } | undefined;
                  if (typeof bucket?.start === 'number' && typeof bucket.end === 'number') {
                    onFilters({ ...filters, recordedFrom: bucket.start, recordedTo: bucket.end - 1 });
                  }
                }}
              />
            </BarChart>
          </ResponsiveContainer>
        </figure>
      )}
      <ResultTable
        rows={rows}
        terms={terms}
        hasMore={Boolean(results.hasNextPage)}
        loadMore={() => {
          if (results.hasNextPage && !results.isFetchingNextPage) void results.fetchNextPage();
        }}
        onOpenEvent={onOpenEvent}
        onOpenChain={onOpenChain}
        loading={results.isPending}
      />
    </div>
  );
}

function FilterBar({ filters, onFilters }: { filters: SearchFiltersDto; onFilters: (f: SearchFiltersDto) => void }) {
  const [draft, setDraft] = useState(() => toDraft(filters));
  useEffect(() => setDraft(toDraft(filters)), [filters]);
  const field = (key: keyof ReturnType<typeof toDraft>, label: string, placeholder: string, wide = false) => (
    <label className={`search-field${wide ? ' search-field-wide' : ''}`}>
      <span>{label}</span>
      <input
        className="input"
        placeholder={placeholder}
        value={draft[key]}
        onChange={(event) => setDraft({ ...draft, [key]: event.target.value })}
        type={key === 'from' || key === 'to' ? 'datetime-local' : 'text'}
        step={key === 'from' || key === 'to' ? 1 : undefined}
      />
    </label>
  );
  return (
    <form
      className="search-bar"
      aria-label="Search filters"
      onSubmit={(event) => {
        event.preventDefault();
        onFilters(fromDraft(draft));
      }}
    >
      {field('text', 'Text', 'words in payloads, e.g. refund* "double charge"', true)}
      {field('types', 'Types', 'MoneyWithdrawn, OrderPaid')}
      {field('actors', 'Actors', 'payments-worker@2.4.0-rc1')}
      {field('streamPrefix', 'Stream prefix', 'account-')}
      {field('correlationId', 'Correlation id', '')}
      {field('from', 'From (UTC)', '')}
      {field('to', 'To (UTC)', '')}
      <div className="search-actions">
        <button type="submit" className="btn btn-primary">
          Search
        </button>
        <button type="button" className="btn" onClick={() => onFilters({})}>
          Clear
        </button>
      </div>
    </form>
  );
}

function toDraft(filters: SearchFiltersDto) {
  return {
    text: filters.text ?? '',
    types: filters.types?.join(', ') ?? '',
    actors: filters.actors?.join(', ') ?? '',
    streamPrefix: filters.streamPrefix ?? '',
    correlationId: filters.correlationId ?? '',
    from: filters.recordedFrom === undefined ? '' : toUtcInputValue(filters.recordedFrom),
    to: filters.recordedTo === undefined ? '' : toUtcInputValue(filters.recordedTo),
  };
}

function fromDraft(draft: ReturnType<typeof toDraft>): SearchFiltersDto {
  const list = (text: string) =>
    text
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  const filters: SearchFiltersDto = {};
  if (draft.text.trim()) filters.text = draft.text.trim();
  if (list(draft.types).length) filters.types = list(draft.types);
  if (list(draft.actors).length) filters.actors = list(draft.actors);
  if (draft.streamPrefix.trim()) filters.streamPrefix = draft.streamPrefix.trim();
  if (draft.correlationId.trim()) filters.correlationId = draft.correlationId.trim();
  const from = fromUtcInputValue(draft.from);
  const to = fromUtcInputValue(draft.to);
  if (from !== null) filters.recordedFrom = from;
  if (to !== null) filters.recordedTo = to;
  return filters;
}

function ResultTable({
  rows,
  terms,
  hasMore,
  loadMore,
  onOpenEvent,
  onOpenChain,
  loading,
}: {
  rows: EventRow[];
  terms: string[];
  hasMore: boolean;
  loadMore: () => void;
  onOpenEvent: (event: EventRow) => void;
  onOpenChain: (eventId: string) => void;
  loading: boolean;
}) {
  const parentRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const last = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (hasMore && last >= rows.length - 20) loadMore();
  }, [hasMore, last, rows.length, loadMore]);

  return (
    <div className="search-results" ref={parentRef} role="grid" aria-label="Search results" aria-rowcount={rows.length}>
      <div className="search-row search-head" role="row">
        <span role="columnheader">Position</span>
        <span role="columnheader">Recorded</span>
        <span role="columnheader">Stream</span>
        <span role="columnheader">Type</span>
        <span role="columnheader">Actor</span>
        <span role="columnheader">Data</span>
        <span role="columnheader" />
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <div
              key={row.globalPosition}
              role="row"
              className="search-row search-item"
              style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
            >
              <span className="num faint" role="gridcell">
                {formatCount(row.globalPosition)}
              </span>
              <span className="faint" role="gridcell">
                {formatTime(row.recordedAt)}
              </span>
              <span role="gridcell">
                <button
                  type="button"
                  className="link mono"
                  onClick={() => onOpenEvent(row)}
                  title="Open the timeline at this version"
                >
                  {row.streamId} v{row.streamVersion}
                </button>
              </span>
              <span role="gridcell">
                <span className="type-chip" style={{ ['--hue' as string]: eventTypeHue(row.eventType) }}>
                  <Highlight text={row.eventType} terms={terms} />
                </span>
              </span>
              <span role="gridcell">
                <Highlight text={typeof row.metadata.actor === 'string' ? row.metadata.actor : '—'} terms={terms} />
              </span>
              <span className="mono faint" role="gridcell">
                <Highlight text={summarize(row)} terms={terms} />
              </span>
              <span role="gridcell">
                {typeof row.metadata.correlation_id === 'string' && (
                  <button type="button" className="btn btn-sm btn-ghost" onClick={() => onOpenChain(row.eventId)}>
                    Chain
                  </button>
                )}
              </span>
            </div>
          );
        })}
      </div>
      {!loading && rows.length === 0 && (
        <p className="empty">No event matches. Loosen a filter, or check the time range (times are UTC).</p>
      )}
    </div>
  );
}
