// Queries about the open store that the frame and several screens share. Invalidated by the
// `store.changed` event (App.tsx) and by verify progress and `job.finished` (lib/useJobs.ts).
import { queryOptions } from '@tanstack/react-query';
import { call } from './api';

export const storeKeys = {
  all: ['store'] as const,
  current: ['store', 'current'] as const,
  details: ['store', 'details'] as const,
  integrity: ['store', 'integrity'] as const,
  recent: ['recent'] as const,
};

export const currentStoreQuery = queryOptions({
  queryKey: storeKeys.current,
  queryFn: () => call('store.current'),
});

export const storeDetailsQuery = queryOptions({
  queryKey: storeKeys.details,
  queryFn: () => call('store.details'),
});

export const integrityQuery = queryOptions({
  queryKey: storeKeys.integrity,
  queryFn: () => call('integrity.status'),
});

export const recentFilesQuery = queryOptions({
  queryKey: storeKeys.recent,
  queryFn: () => call('store.recent'),
});
