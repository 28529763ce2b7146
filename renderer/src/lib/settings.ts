import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Settings } from '../../../shared/types';
import { call } from './api';
import { setDisplayZone } from './format';

export const settingsKey = ['settings'] as const;

export const settingsQuery = queryOptions({ queryKey: settingsKey, queryFn: () => call('settings.get') });

/** The user's settings; applies the time zone to all formatting as a side effect of reading them. */
export function useSettings(): Settings | undefined {
  const settings = useQuery(settingsQuery).data;
  if (settings) setDisplayZone(settings.timeZone);
  return settings;
}
