// Incident investigation: search across the log, activity over time, correlation chains, the demo store.
import { z } from 'zod';
import type { ActivityDto, ChainDto, HistogramDto, SearchResultPage, StoreSummary } from '../../types';
import { call } from './define';

const time = z.number().int().min(0).max(8.64e15);
const names = z.array(z.string().min(1).max(256)).min(1).max(100);

export const searchFiltersSchema = z
  .object({
    recordedFrom: time.optional(),
    recordedTo: time.optional(),
    streamPrefix: z.string().min(1).max(256).optional(),
    category: z.string().min(1).max(256).optional(),
    types: names.optional(),
    actors: names.optional(),
    correlationId: z.string().min(1).max(256).optional(),
    commandId: z.string().min(1).max(256).optional(),
    text: z.string().min(1).max(500).optional(),
  })
  .strict();

export const investigateContract = {
  'search.events': call<SearchResultPage>()(
    z
      .object({
        filters: searchFiltersSchema,
        after: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    'Events matching the filters (AND), oldest first, keyset-paged, with a total count.',
  ),
  'search.histogram': call<HistogramDto>()(
    z.object({ filters: searchFiltersSchema, buckets: z.number().int().min(1).max(200).default(80) }).strict(),
    'Matches per time bucket, for the chart above the results.',
  ),
  'search.export': call<{ path: string; written: number } | null>()(
    z.object({ filters: searchFiltersSchema, format: z.enum(['jsonl', 'csv']) }).strict(),
    'Ask where to save, then write every match as JSONL or CSV (null when the dialog is cancelled).',
  ),
  'search.buildIndex': call<{ jobId: string }>()(
    z.object({}).strict(),
    'Build or bring up to date the full-text index, as a job.',
  ),
  'activity.series': call<ActivityDto>()(
    z
      .object({
        from: time.optional(),
        to: time.optional(),
        groupBy: z.enum(['type', 'actor', 'category']).default('category'),
        maxPoints: z.number().int().min(10).max(2000).default(400),
      })
      .strict(),
    'Events per bucket of time (a minute or wider), stacked by type, actor or category, with spikes marked.',
  ),
  'chain.get': call<ChainDto>()(
    z.union([
      z.object({ eventId: z.string().min(1).max(128) }).strict(),
      z.object({ correlationId: z.string().min(1).max(256) }).strict(),
    ]),
    'The tree of commands and events sharing a correlation id, by causation, across streams.',
  ),
  'demo.open': call<StoreSummary>()(
    z
      .object({
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31)
          .default(1),
      })
      .strict(),
    'Create (once) and open the demo store: weeks of accounts and orders with one incident to find.',
  ),
} as const;
