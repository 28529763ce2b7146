import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api';

export const streamKeys = {
  list: (prefix: string) => ['store', 'streams', 'list', prefix] as const,
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

/** Timeline rows come in pages of this many versions; version v lives in page floor((v - 1) / PAGE). */
export const TIMELINE_PAGE = 200;

export const historyKeys = {
  stream: (streamId: string) => ['store', 'stream', streamId] as const,
  page: (streamId: string, page: number) => ['store', 'timeline', streamId, page] as const,
  filtered: (streamId: string, types: string[], actors: string[]) =>
    ['store', 'timeline', streamId, 'filtered', types, actors] as const,
  stateAt: (streamId: string, point: unknown) => ['store', 'stateAt', streamId, point] as const,
  diff: (streamId: string, from: number, to: number) => ['store', 'diff', streamId, from, to] as const,
  series: (streamId: string, field: string[] | undefined) => ['store', 'series', streamId, field] as const,
};

export function streamQuery(streamId: string) {
  return queryOptions({ queryKey: historyKeys.stream(streamId), queryFn: () => call('streams.get', { streamId }) });
}

/** Random access by version: versions are dense (1..n), so any page can be fetched directly. */
export function timelinePageQuery(streamId: string, page: number) {
  return queryOptions({
    queryKey: historyKeys.page(streamId, page),
    queryFn: () =>
      call('history.timeline', { streamId, afterVersion: page * TIMELINE_PAGE, limit: TIMELINE_PAGE }).then(
        (result) => result.items,
      ),
  });
}

export function filteredTimelineQuery(streamId: string, types: string[], actors: string[]) {
  return infiniteQueryOptions({
    queryKey: historyKeys.filtered(streamId, types, actors),
    queryFn: ({ pageParam }) =>
      call('history.timeline', {
        streamId,
        afterVersion: pageParam ?? undefined,
        limit: TIMELINE_PAGE,
        types: types.length > 0 ? types : undefined,
        actors: actors.length > 0 ? actors : undefined,
      }),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => (typeof page.next === 'number' ? page.next : null),
  });
}

export type TimePoint =
  | { kind: 'version'; version: number }
  | { kind: 'knownAt'; time: number }
  | { kind: 'occurredAt'; time: number };

export function stateAtQuery(streamId: string, point: TimePoint) {
  return queryOptions({
    queryKey: historyKeys.stateAt(streamId, point),
    queryFn: () =>
      call('history.stateAt', {
        streamId,
        version: point.kind === 'version' ? point.version : undefined,
        knownAt: point.kind === 'knownAt' ? point.time : undefined,
        occurredAt: point.kind === 'occurredAt' ? point.time : undefined,
      }),
    placeholderData: (previous) => previous,
  });
}

export function diffQuery(streamId: string, fromVersion: number, toVersion: number) {
  return queryOptions({
    queryKey: historyKeys.diff(streamId, fromVersion, toVersion),
    queryFn: () => call('history.diff', { streamId, fromVersion, toVersion }),
  });
}

export function valueSeriesQuery(streamId: string, field: string[] | undefined) {
  return queryOptions({
    queryKey: historyKeys.series(streamId, field),
    queryFn: () => call('history.valueSeries', { streamId, field }),
  });
}
