import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ErrorBanner } from '../../components/ErrorBanner';
import { call } from '../../lib/api';
import { eventTypeHue } from '../../lib/eventColors';
import { formatCount, formatTime } from '../../lib/format';

/** The activity read model drawn as what it is: events per bucket of time, stacked by event type. */
export function ActivitySeriesChart() {
  const series = useQuery({
    queryKey: ['store', 'readmodel-activity'],
    queryFn: () => call('readmodels.activity', { maxPoints: 600 }),
  });
  const data = series.data;
  const rows =
    data?.buckets.map((start, index) => {
      const row: Record<string, number> = { start };
      data.series.forEach((item, s) => {
        row[`s${s}`] = item.counts[index] ?? 0;
      });
      return row;
    }) ?? [];
  return (
    <figure className="readmodel-chart" aria-label="Activity read model over time">
      <ErrorBanner error={series.error} />
      <ResponsiveContainer width="100%" height={180}>
        <BarChart data={rows} barCategoryGap={0} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="start"
            stroke="var(--fg-faint)"
            fontSize={11}
            minTickGap={40}
            tickFormatter={(value) => formatTime(Number(value)).slice(5, 16)}
          />
          <YAxis stroke="var(--fg-faint)" fontSize={11} width={48} tickFormatter={(v) => formatCount(Number(v))} />
          <Tooltip
            contentStyle={{ background: 'var(--bg-panel)', border: '1px solid var(--border)', fontSize: 12 }}
            labelFormatter={(value) => formatTime(Number(value))}
            formatter={(value, name) => [
              formatCount(Number(value)),
              data?.series[Number(String(name).slice(1))]?.type ?? 'other',
            ]}
          />
          {data?.series.map((item, s) => (
            <Bar
              key={item.type ?? 'other'}
              dataKey={`s${s}`}
              stackId="a"
              fill={item.type === null ? 'var(--fg-faint)' : `hsl(${eventTypeHue(item.type)} 55% 55%)`}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
