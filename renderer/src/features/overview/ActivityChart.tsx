import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ActivityDto } from '../../../../shared/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { call } from '../../lib/api';
import { eventTypeHue } from '../../lib/eventColors';
import { formatCount, formatTime } from '../../lib/format';

type GroupBy = ActivityDto['groupBy'];

function widthLabel(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  return `${ms / 60_000} min`;
}

/**
 * Events over time, stacked by category, type or actor; unusual spikes are shaded and listed. Clicking a bar
 * opens the search for that bucket of time.
 */
export function ActivityChart({
  onBucket,
  onReplay,
}: {
  onBucket: (from: number, to: number) => void;
  onReplay: (from: number, to: number) => void;
}) {
  const [groupBy, setGroupBy] = useState<GroupBy>('category');
  const activity = useQuery({
    queryKey: ['store', 'activity', groupBy],
    queryFn: () => call('activity.series', { groupBy, maxPoints: 2000 }),
  });
  const data = activity.data;
  const rows =
    data?.buckets.map((start, index) => {
      const row: Record<string, number> = { start };
      data.series.forEach((series, s) => {
        row[`s${s}`] = series.counts[index] ?? 0;
      });
      return row;
    }) ?? [];

  return (
    <section className="panel" aria-labelledby="activity-heading">
      <div className="panel-header">
        <span id="activity-heading">Activity</span>
        {data && <span className="faint activity-width">per {widthLabel(data.bucketMs)}</span>}
        <span className="topbar-spacer" />
        <fieldset className="segmented" aria-label="Stack by">
          {(['category', 'type', 'actor'] as const).map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={groupBy === option}
              className={groupBy === option ? 'segmented-on' : ''}
              onClick={() => setGroupBy(option)}
            >
              {option}
            </button>
          ))}
        </fieldset>
      </div>
      <ErrorBanner error={activity.error} />
      <div className="panel-body">
        {data && data.buckets.length === 0 ? (
          <p className="empty">No events yet.</p>
        ) : (
          <div style={{ height: 200 }}>
            <ResponsiveContainer width="100%" height="100%">
              <BarChart
                data={rows}
                margin={{ top: 4, right: 8, bottom: 0, left: 0 }}
                barCategoryGap={0}
                onClick={(state) => {
                  const index = Number(state?.activeTooltipIndex);
                  const start = Number.isInteger(index) ? data?.buckets[index] : undefined;
                  if (data && start !== undefined) onBucket(start, start + data.bucketMs - 1);
                }}
              >
                <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
                <XAxis
                  dataKey="start"
                  stroke="var(--fg-faint)"
                  fontSize={11}
                  tickFormatter={(value) => formatTime(Number(value)).slice(5, 16)}
                  minTickGap={40}
                />
                <YAxis
                  stroke="var(--fg-faint)"
                  fontSize={11}
                  width={48}
                  tickFormatter={(v) => formatCount(Number(v))}
                />
                <Tooltip
                  contentStyle={{ background: 'var(--bg-panel)', border: '1px solid var(--border)', fontSize: 12 }}
                  labelFormatter={(value) => formatTime(Number(value))}
                  formatter={(value, name) => {
                    const series = data?.series[Number(String(name).slice(1))];
                    return [formatCount(Number(value)), series?.key ?? 'other'];
                  }}
                />
                {data?.spikes.map((spike) => (
                  <ReferenceArea
                    key={spike.from}
                    x1={data.buckets.find((start) => start >= spike.from - data.bucketMs) ?? spike.from}
                    x2={spike.to - data.bucketMs}
                    fill="var(--danger)"
                    fillOpacity={0.12}
                    ifOverflow="extendDomain"
                  />
                ))}
                {data?.series.map((series, s) => (
                  <Bar
                    key={series.key ?? 'other'}
                    dataKey={`s${s}`}
                    stackId="a"
                    fill={series.key === null ? 'var(--fg-faint)' : `hsl(${eventTypeHue(series.key)} 55% 55%)`}
                    isAnimationActive={false}
                  />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
        {data && data.spikes.length > 0 && (
          <ul className="spike-list" aria-label="Unusual spikes">
            {data.spikes.slice(0, 5).map((spike) => (
              <li key={spike.from}>
                <span className="badge badge-danger">spike</span>{' '}
                <button type="button" className="link" onClick={() => onBucket(spike.from, spike.to - 1)}>
                  {formatTime(spike.from)} – {formatTime(spike.to)}
                </button>{' '}
                <span className="faint">
                  {formatCount(spike.count)} events, peak {formatCount(spike.peak)} per {widthLabel(data.bucketMs)}
                  {spike.topKey ? `, mostly ${spike.topKey}` : ''}
                </span>{' '}
                <button type="button" className="btn btn-sm" onClick={() => onReplay(spike.from, spike.to - 1)}>
                  Replay
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

/** The series totals of one grouping, largest first: the "top types" and "top actors" lists. */
export function TopList({ groupBy, title }: { groupBy: GroupBy; title: string }) {
  const activity = useQuery({
    queryKey: ['store', 'activity', groupBy],
    queryFn: () => call('activity.series', { groupBy, maxPoints: 2000 }),
  });
  const series = [...(activity.data?.series ?? [])].sort((a, b) => b.total - a.total).slice(0, 10);
  return (
    <section className="panel" aria-labelledby={`top-${groupBy}`}>
      <div className="panel-header" id={`top-${groupBy}`}>
        {title}
      </div>
      <table className="table" aria-label={title}>
        <tbody>
          {series.map((item) => (
            <tr key={item.key ?? 'other'}>
              <td className={groupBy === 'type' ? '' : 'mono'}>{item.key ?? '(other)'}</td>
              <td className="num">{formatCount(item.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
