// Entity timelines and time travel: the state of a stream at any version or time, diffs, value series.
import { z } from 'zod';
import type { Page, StateAtResult, StateChange, StreamRow, TimelineEntry, ValueSeries } from '../../types';
import { call, pageLimit, streamIdSchema } from './define';

const time = z.number().int().min(0).max(8.64e15);
const fieldPath = z.array(z.string().min(1).max(256)).min(1).max(32);

export const historyContract = {
  'streams.get': call<StreamRow>()(z.object({ streamId: streamIdSchema }).strict(), 'One stream, by id.'),
  'history.timeline': call<Page<TimelineEntry>>()(
    z
      .object({
        streamId: streamIdSchema,
        afterVersion: z.number().int().min(0).optional(),
        limit: pageLimit,
        types: z.array(z.string().min(1).max(256)).max(100).optional(),
        actors: z.array(z.string().min(1).max(256)).max(100).optional(),
      })
      .strict(),
    "A stream's events with the state after each and its changes, keyset-paged by version.",
  ),
  'history.stateAt': call<StateAtResult>()(
    z
      .object({
        streamId: streamIdSchema,
        version: z.number().int().min(0).optional(),
        knownAt: time.optional(),
        occurredAt: time.optional(),
      })
      .strict(),
    'The state at a version, as known at a recorded time, or as it happened at a business time.',
  ),
  'history.diff': call<{ fromVersion: number; toVersion: number; changes: StateChange[] }>()(
    z
      .object({
        streamId: streamIdSchema,
        fromVersion: z.number().int().min(0),
        toVersion: z.number().int().min(0),
      })
      .strict(),
    'What changed in the state between two versions.',
  ),
  'history.valueSeries': call<ValueSeries>()(
    z
      .object({
        streamId: streamIdSchema,
        field: fieldPath.optional(),
        maxPoints: z.number().int().min(10).max(2000).default(2000),
      })
      .strict(),
    'A numeric field of the state over the stream history, bucketed to at most maxPoints.',
  ),
} as const;
