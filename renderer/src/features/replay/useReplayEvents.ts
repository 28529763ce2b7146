import { useQuery } from '@tanstack/react-query';
import type { EventRow, SearchFiltersDto } from '../../../../shared/types';
import { call } from '../../lib/api';

export const REPLAY_MAX_EVENTS = 5000;

/** Every event of the replay window (or correlation), oldest first, up to REPLAY_MAX_EVENTS. */
export function useReplayEvents(filters: SearchFiltersDto | null) {
  return useQuery({
    queryKey: ['store', 'replay', filters],
    enabled: filters !== null,
    queryFn: async () => {
      const events: EventRow[] = [];
      let after: number | undefined;
      let total = 0;
      for (;;) {
        const page = await call('search.events', { filters: filters ?? {}, after, limit: 1000 });
        if (after === undefined) total = page.total ?? 0;
        events.push(...page.items);
        if (page.next === null || events.length >= REPLAY_MAX_EVENTS) break;
        after = page.next;
      }
      return { events: events.slice(0, REPLAY_MAX_EVENTS), total };
    },
  });
}
