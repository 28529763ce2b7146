import { useQuery } from '@tanstack/react-query';
import { ErrorBanner } from '../../components/ErrorBanner';
import { StackedBarChart } from '../../components/StackedBarChart';
import { call } from '../../lib/api';

/** The activity read model drawn as what it is: events per bucket of time, stacked by event type. */
export function ActivitySeriesChart() {
  const series = useQuery({
    queryKey: ['store', 'readmodel-activity'],
    queryFn: () => call('readmodels.activity', { maxPoints: 600 }),
  });
  return (
    <figure className="readmodel-chart" aria-label="Activity read model over time">
      <ErrorBanner error={series.error} />
      <StackedBarChart
        buckets={series.data?.buckets ?? []}
        series={(series.data?.series ?? []).map((item) => ({ key: item.type, counts: item.counts }))}
        height={180}
      />
    </figure>
  );
}
