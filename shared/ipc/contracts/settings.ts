import { z } from 'zod';
import type { Settings } from '../../types';
import { call, none } from './define';

export const settingsContract = {
  'settings.get': call<Settings>()(none, 'The user settings.'),
  'settings.update': call<Settings>()(
    z
      .object({
        actor: z.string().max(200).optional(),
        timeZone: z.enum(['utc', 'local']).optional(),
        theme: z.enum(['system', 'light', 'dark']).optional(),
        snapshotInterval: z.number().int().min(10).max(100_000).optional(),
        foreignOpenMode: z.enum(['read-only', 'read-write']).optional(),
      })
      .strict(),
    'Change some settings; returns them all.',
  ),
} as const;
