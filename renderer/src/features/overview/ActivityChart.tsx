import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ReferenceArea } from 'recharts';
import type { ActivityDto } from '../../../../shared/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { StackedBarChart } from '../../components/StackedBarChart';
import { call } from '../../lib/api';
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
            <StackedBarChart
              buckets={data?.buckets ?? []}
              series={data?.series ?? []}
              height={200}
              onBucket={(index) => {
                const start = data?.buckets[index];
                if (data && start !== undefined) onBucket(start, start + data.bucketMs - 1);
              }}
            >
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
            </StackedBarChart>
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
