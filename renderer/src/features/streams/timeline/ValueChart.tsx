import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { formatCount, formatTime } from '../../../lib/format';
import { valueSeriesQuery } from '../queries';

/** A numeric field of the state over the stream's history, as a step line; a click moves the cursor. */
export function ValueChart({
  streamId,
  cursor,
  onSelect,
}: {
  streamId: string;
  cursor: number;
  onSelect: (version: number) => void;
}) {
  const [field, setField] = useState<string[] | undefined>(undefined);
  const series = useQuery(valueSeriesQuery(streamId, field));
  const fields = series.data?.fields ?? [];
  const current = series.data?.field ?? field;
  if (series.isSuccess && fields.length === 0) {
    return <p className="empty">No numeric field in this entity's state to chart.</p>;
  }
  return (
    <div className="value-chart">
      <div className="value-chart-bar">
        <label htmlFor="value-field">Value over time</label>
        <select
          id="value-field"
          className="input"
          value={current?.join('.') ?? ''}
          onChange={(event) => setField(event.target.value.split('.'))}
        >
          {fields.map((path) => (
            <option key={path.join('.')} value={path.join('.')}>
              {path.join('.')}
            </option>
          ))}
        </select>
        <span className="faint">click a point to move the cursor there</span>
      </div>
      <ErrorBanner error={series.error} />
      <div style={{ height: 150 }}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart
            data={series.data?.points ?? []}
            margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
            onClick={(state) => {
              const index = Number(state?.activeTooltipIndex);
              const point = Number.isInteger(index) ? series.data?.points[index] : undefined;
              if (point) onSelect(point.version);
            }}
          >
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis
              dataKey="version"
              type="number"
              domain={['dataMin', 'dataMax']}
              allowDecimals={false}
              stroke="var(--fg-faint)"
              fontSize={11}
              tickFormatter={(v) => `v${v}`}
            />
            <YAxis stroke="var(--fg-faint)" fontSize={11} width={72} tickFormatter={(v) => formatCount(Number(v))} />
            <Tooltip
              contentStyle={{ background: 'var(--bg-panel)', border: '1px solid var(--border)', fontSize: 12 }}
              labelFormatter={(label, payload) => {
                const point = payload?.[0]?.payload as { recordedAt?: number } | undefined;
                return `v${label} · ${formatTime(point?.recordedAt ?? null)}`;
              }}
              formatter={(value) => [formatCount(Number(value)), current?.join('.') ?? 'value']}
            />
            <ReferenceLine x={cursor} stroke="var(--accent)" strokeDasharray="4 2" />
            <Line type="stepAfter" dataKey="value" stroke="var(--accent)" dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
