import { infiniteQueryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api';

export const streamKeys = {
  all: ['streams'] as const,
  list: (prefix: string) => ['streams', 'list', prefix] as const,
  events: (streamId: string) => ['streams', 'events', streamId] as const,
};

export function streamListQuery(prefix: string) {
  return infiniteQueryOptions({
    queryKey: streamKeys.list(prefix),
    queryFn: ({ pageParam }) =>
      call('streams.list', { prefix: prefix || undefined, after: pageParam ?? undefined, limit: 200 }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => (typeof page.next === 'string' ? page.next : null),
  });
}

export function streamEventsQuery(streamId: string) {
  return infiniteQueryOptions({
    queryKey: streamKeys.events(streamId),
    queryFn: ({ pageParam }) => call('streams.events', { streamId, afterVersion: pageParam ?? undefined, limit: 200 }),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => (typeof page.next === 'number' ? page.next : null),
  });
}
