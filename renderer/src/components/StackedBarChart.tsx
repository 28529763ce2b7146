import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { eventTypeHue } from '../lib/eventColors';
import { formatCount, formatTime } from '../lib/format';

export interface StackedSeries {
  /** The type, actor or category; null for "other". */
  key: string | null;
  counts: number[];
}

/**
 * Events per bucket of time, stacked by series (one hue per key, as everywhere else). Used by the
 * Overview's activity and the activity read model. `children` adds overlays such as spike areas.
 */
export function StackedBarChart({
  buckets,
  series,
  height,
  onBucket,
  children,
}: {
  buckets: number[];
  series: StackedSeries[];
  height: number;
  onBucket?: (index: number) => void;
  children?: ReactNode;
}) {
  const rows = buckets.map((start, index) => {
    const row: Record<string, number> = { start };
    series.forEach((item, s) => {
      row[`s${s}`] = item.counts[index] ?? 0;
    });
    return row;
  });
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart
        data={rows}
        margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
        barCategoryGap={0}
        onClick={(state) => {
          const index = Number(state?.activeTooltipIndex);
          if (onBucket && Number.isInteger(index) && index >= 0 && index < buckets.length) onBucket(index);
        }}
      >
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
            series[Number(String(name).slice(1))]?.key ?? 'other',
          ]}
        />
        {children}
        {series.map((item, s) => (
          <Bar
            key={item.key ?? 'other'}
            dataKey={`s${s}`}
            stackId="a"
            fill={item.key === null ? 'var(--fg-faint)' : `hsl(${eventTypeHue(item.key)} 55% 55%)`}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
