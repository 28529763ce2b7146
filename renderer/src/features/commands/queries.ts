import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api';

export type OutcomeFilter = 'all' | 'accepted' | 'rejected';

export const commandKeys = {
  catalog: ['commands', 'catalog'] as const,
  log: (outcome: OutcomeFilter) => ['store', 'commands', 'log', outcome] as const,
};

export const catalogQuery = queryOptions({
  queryKey: commandKeys.catalog,
  queryFn: () => call('commands.catalog'),
});

export function commandLogQuery(outcome: OutcomeFilter) {
  return infiniteQueryOptions({
    queryKey: commandKeys.log(outcome),
    queryFn: ({ pageParam }) =>
      call('commands.log', {
        after: pageParam ?? undefined,
        outcome: outcome === 'all' ? undefined : outcome,
        limit: 100,
      }),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => (typeof page.next === 'number' ? page.next : null),
  });
}

export const appInfoQuery = queryOptions({ queryKey: ['app', 'info'], queryFn: () => call('app.info') });
