import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { ReadModelColumnDto, ReadModelStatusDto } from '../../../../shared/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { call } from '../../lib/api';
import { formatCount, formatDuration, formatTime } from '../../lib/format';
import { fromUtcInputValue, toUtcInputValue } from '../../lib/utcInput';
import { ActivitySeriesChart } from './ActivitySeriesChart';

type Filter = { column: string; op: 'contains' | 'eq'; value: string };

/** Projections with their status; the selected read model as a sortable, filterable table, now or as of T. */
export function ReadModelsScreen({
  selected,
  asOf,
  onSelect,
  onAsOf,
}: {
  selected: string | undefined;
  asOf: number | undefined;
  onSelect: (name: string) => void;
  onAsOf: (time: number | undefined) => void;
}) {
  const list = useQuery({ queryKey: ['store', 'readmodels'], queryFn: () => call('readmodels.list') });
  const current = list.data?.find((model) => model.name === (selected ?? list.data?.[0]?.name));
  const rebuild = useMutation({ mutationFn: (names?: string[]) => call('readmodels.rebuild', { names }) });

  return (
    <div className="page">
      <div className="page-header">
        <h1 className="page-title">Read models</h1>
        <span className="page-subtitle">Derived from the log; rebuildable, never evidence.</span>
        <span className="topbar-spacer" />
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => rebuild.mutate(undefined)}
          disabled={rebuild.isPending}
        >
          Rebuild all
        </button>
      </div>
      <ErrorBanner error={list.error ?? rebuild.error} />
      <table className="table panel" aria-label="Read models">
        <thead>
          <tr>
            <th>Read model</th>
            <th className="num">Version</th>
            <th className="num">Checkpoint</th>
            <th className="num">Lag</th>
            <th className="num">Rows</th>
            <th>Status</th>
            <th>Last rebuild</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.data?.map((model) => (
            <tr
              key={model.name}
              aria-selected={model.name === current?.name}
              onClick={() => onSelect(model.name)}
              style={{ cursor: 'pointer' }}
            >
              <td>
                <strong className="mono">{model.name}</strong> <span className="faint">{model.description}</span>
              </td>
              <td className="num">{model.version}</td>
              <td className="num">
                {formatCount(model.position)} / {formatCount(model.head)}
              </td>
              <td className="num">{formatCount(model.lag)}</td>
              <td className="num">{formatCount(model.rows)}</td>
              <td>
                <StatusBadge model={model} />
              </td>
              <td className="faint">
                {model.lastRebuildAt
                  ? `${formatTime(model.lastRebuildAt)} (${formatDuration(model.rebuildMs ?? 0)})`
                  : '—'}
              </td>
              <td>
                <button
                  type="button"
                  className="btn btn-sm"
                  onClick={(event) => {
                    event.stopPropagation();
                    rebuild.mutate([model.name]);
                  }}
                >
                  Rebuild
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {current?.error && (
        <div className="error-banner" role="alert">
          {current.name} stopped at position {formatCount(current.error.position)} ({current.error.eventType}):{' '}
          {current.error.message}. It will not skip the event: fix the cause and rebuild.
        </div>
      )}
      {current?.name === 'activity' && asOf === undefined && <ActivitySeriesChart />}
      {current && (
        <ReadModelTable key={`${current.name}:${asOf ?? 'now'}`} model={current} asOf={asOf} onAsOf={onAsOf} />
      )}
    </div>
  );
}

function StatusBadge({ model }: { model: ReadModelStatusDto }) {
  if (model.status === 'failed') return <span className="badge badge-danger">failed</span>;
  if (model.status === 'rebuilding') return <span className="badge badge-accent">rebuilding</span>;
  if (model.lag > 0) return <span className="badge badge-warn">{formatCount(model.lag)} behind</span>;
  return <span className="badge badge-ok">up to date</span>;
}

function formatCell(column: ReadModelColumnDto, row: Record<string, string | number | null>): string {
  const value = row[column.name];
  if (value === null || value === undefined) return '—';
  switch (column.type) {
    case 'time':
      return formatTime(Number(value));
    case 'money': {
      const currency = column.currencyColumn ? row[column.currencyColumn] : null;
      return `${(Number(value) / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}${currency ? ` ${currency}` : ''}`;
    }
    case 'integer':
    case 'real':
      return formatCount(Number(value));
    case 'boolean':
      return value ? 'yes' : 'no';
    default:
      return String(value);
  }
}

function ReadModelTable({
  model,
  asOf,
  onAsOf,
}: {
  model: ReadModelStatusDto;
  asOf: number | undefined;
  onAsOf: (time: number | undefined) => void;
}) {
  const [sort, setSort] = useState(model.defaultSort);
  const [filter, setFilter] = useState<Filter | null>(null);
  const [draftColumn, setDraftColumn] = useState(model.columns[0]?.name ?? '');
  const [draftValue, setDraftValue] = useState('');
  const [asOfText, setAsOfText] = useState(asOf === undefined ? '' : toUtcInputValue(asOf));
  const filters = useMemo(
    () => (filter ? [{ column: filter.column, op: filter.op, value: filter.value }] : undefined),
    [filter],
  );
  const page = useInfiniteQuery({
    queryKey: ['store', 'readmodel', model.name, sort, filters, asOf],
    queryFn: ({ pageParam }) =>
      call('readmodels.query', {
        name: model.name,
        sort,
        filters,
        after: pageParam ?? undefined,
        limit: 200,
        asOf: asOf === undefined ? undefined : { time: asOf },
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });
  const rows = page.data?.pages.flatMap((p) => p.rows) ?? [];
  const first = page.data?.pages[0];
  const columnType = model.columns.find((column) => column.name === draftColumn)?.type;

  return (
    <section className="panel" aria-label={`Read model ${model.name}`}>
      <div className="panel-header readmodel-toolbar">
        <span>{model.name}</span>
        <span className="faint readmodel-count" data-testid="readmodel-count">
          {first?.total === null || first?.total === undefined ? '' : `${formatCount(first.total)} rows`}
        </span>
        <span className="topbar-spacer" />
        <form
          className="readmodel-filter"
          onSubmit={(event) => {
            event.preventDefault();
            setFilter(
              draftValue.trim()
                ? { column: draftColumn, op: columnType === 'text' ? 'contains' : 'eq', value: draftValue.trim() }
                : null,
            );
          }}
        >
          <select
            className="input"
            aria-label="Filter column"
            value={draftColumn}
            onChange={(e) => setDraftColumn(e.target.value)}
          >
            {model.columns.map((column) => (
              <option key={column.name} value={column.name}>
                {column.label}
              </option>
            ))}
          </select>
          <input
            className="input"
            aria-label="Filter value"
            placeholder={columnType === 'text' ? 'contains…' : 'equals…'}
            value={draftValue}
            onChange={(e) => setDraftValue(e.target.value)}
          />
          <button type="submit" className="btn btn-sm">
            Filter
          </button>
        </form>
        <form
          className="readmodel-filter"
          onSubmit={(event) => {
            event.preventDefault();
            onAsOf(fromUtcInputValue(asOfText) ?? undefined);
          }}
        >
          <input
            className="input"
            type="datetime-local"
            step={1}
            aria-label="As of (UTC)"
            value={asOfText}
            onChange={(e) => setAsOfText(e.target.value)}
          />
          <button type="submit" className="btn btn-sm">
            As of
          </button>
          {asOf !== undefined && (
            <button type="button" className="btn btn-sm" onClick={() => onAsOf(undefined)}>
              Now
            </button>
          )}
        </form>
      </div>
      {first?.asOf && (
        <div className="asof-banner" role="status" data-testid="asof-banner">
          As of {formatTime(first.asOf.time ?? asOf ?? null)} — position {formatCount(first.asOf.position)}: the read
          model replayed from the log up to that moment.
        </div>
      )}
      <ErrorBanner error={page.error} />
      <div style={{ overflow: 'auto', maxHeight: '60vh' }}>
        <table className="table" aria-label={`Rows of ${model.name}`}>
          <thead>
            <tr>
              {model.columns.map((column) => (
                <th key={column.name} className={column.type === 'text' ? '' : 'num'}>
                  <button
                    type="button"
                    className="sort-button"
                    aria-label={`Sort by ${column.label}`}
                    onClick={() =>
                      setSort({
                        column: column.name,
                        dir: sort.column === column.name && sort.dir === 'asc' ? 'desc' : 'asc',
                      })
                    }
                  >
                    {column.label}
                    {sort.column === column.name ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows of a page in their sorted order; the key columns vary per model.
              <tr key={index}>
                {model.columns.map((column) => (
                  <td key={column.name} className={column.type === 'text' ? 'mono' : 'num'}>
                    {formatCell(column, row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {page.hasNextPage && (
          <div style={{ padding: 'var(--space-4)' }}>
            <button type="button" className="btn btn-sm" onClick={() => void page.fetchNextPage()}>
              Load more rows
            </button>
          </div>
        )}
        {rows.length === 0 && !page.isPending && <p className="empty">No rows.</p>}
      </div>
    </section>
  );
}
