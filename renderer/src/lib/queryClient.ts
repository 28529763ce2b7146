import { QueryClient } from '@tanstack/react-query';

// A local database changes only when we change it, so nothing is refetched on a timer or on focus:
// data stays fresh until an explicit invalidation (store opened, appended, verified). Actual Budget's rule.
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: Number.POSITIVE_INFINITY,
      refetchOnWindowFocus: false,
      retry: false,
    },
    mutations: { retry: false },
  },
});
