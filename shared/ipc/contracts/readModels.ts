// Read models: projections with their status, their tables (sorted, filtered, keyset-paged), as of any
// time or position, and rebuilds as jobs.
import { z } from 'zod';
import type { ReadModelPageDto, ReadModelStatusDto } from '../../types';
import { call, none } from './define';

const columnName = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a column name');

export const readModelsContract = {
  'readmodels.list': call<ReadModelStatusDto[]>()(none, 'Every read model with its status (version, checkpoint, lag).'),
  'readmodels.query': call<ReadModelPageDto>()(
    z
      .object({
        name: z.string().min(1).max(64),
        sort: z
          .object({ column: columnName, dir: z.enum(['asc', 'desc']) })
          .strict()
          .optional(),
        filters: z
          .array(
            z
              .object({
                column: columnName,
                op: z.enum(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'contains', 'startsWith', 'isNull', 'notNull']),
                value: z.union([z.string().max(500), z.number(), z.boolean(), z.null()]).optional(),
              })
              .strict(),
          )
          .max(20)
          .optional(),
        after: z.string().max(2000).optional(),
        limit: z.number().int().min(1).max(1000).default(200),
        asOf: z
          .union([
            z.object({ time: z.number().int().min(0) }).strict(),
            z.object({ position: z.number().int().min(0) }).strict(),
          ])
          .optional(),
      })
      .strict(),
    'A page of a read model (now, or as of a time or position).',
  ),
  'readmodels.activity': call<{
    buckets: number[];
    bucketMs: number;
    series: { type: string | null; counts: number[]; total: number }[];
    position: number;
  }>()(
    z.object({ maxPoints: z.number().int().min(10).max(2000).default(600) }).strict(),
    'The activity read model as a time series (events per bucket, stacked by type), bucketed in SQL.',
  ),
  'readmodels.rebuild': call<{ jobId: string }>()(
    z.object({ names: z.array(z.string().min(1).max(64)).max(50).optional() }).strict(),
    'Rebuild read models from position 0, as a cancellable job (the old tables serve until it finishes).',
  ),
} as const;
