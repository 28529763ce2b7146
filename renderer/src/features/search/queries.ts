import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { SearchFiltersDto } from '../../../../shared/types';
import { call } from '../../lib/api';

export function searchQuery(filters: SearchFiltersDto) {
  return infiniteQueryOptions({
    queryKey: ['store', 'search', filters],
    queryFn: ({ pageParam }) => call('search.events', { filters, after: pageParam ?? undefined, limit: 200 }),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.next,
  });
}

export function histogramQuery(filters: SearchFiltersDto) {
  return queryOptions({
    queryKey: ['store', 'search-histogram', filters],
    queryFn: () => call('search.histogram', { filters, buckets: 80 }),
  });
}
