// The search filters live in the route (so a search can be bookmarked, shared in a note, and Back
// works): one query parameter per filter, lists comma-separated, times in ms.
import type { SearchFiltersDto } from '../../../../shared/types';

const LISTS = ['types', 'actors'] as const;
const TEXTS = ['streamPrefix', 'category', 'correlationId', 'commandId', 'text'] as const;
const TIMES = ['recordedFrom', 'recordedTo'] as const;

export function filtersFromParams(params: Record<string, string>): SearchFiltersDto {
  const filters: SearchFiltersDto = {};
  for (const key of TEXTS) if (params[key]) filters[key] = params[key];
  for (const key of LISTS) {
    const values = (params[key] ?? '')
      .split(',')
      .map((value) => value.trim())
      .filter(Boolean);
    if (values.length > 0) filters[key] = values;
  }
  for (const key of TIMES) {
    const value = Number(params[key]);
    if (params[key] && Number.isFinite(value)) filters[key] = value;
  }
  return filters;
}

export function filtersToParams(filters: SearchFiltersDto): Record<string, string> {
  const params: Record<string, string> = {};
  for (const key of TEXTS) if (filters[key]) params[key] = filters[key] as string;
  for (const key of LISTS) if (filters[key]?.length) params[key] = (filters[key] as string[]).join(',');
  for (const key of TIMES) if (filters[key] !== undefined) params[key] = String(filters[key]);
  return params;
}

/** The filters as a sentence: "MoneyWithdrawn events by payments-worker@2.4.0-rc1 between … and …". */
export function describeFilters(filters: SearchFiltersDto, formatTime: (ms: number) => string): string {
  const parts: string[] = [];
  parts.push(filters.types?.length ? `${filters.types.join(' or ')} events` : 'All events');
  if (filters.text) parts.push(`containing “${filters.text}”`);
  if (filters.streamPrefix) parts.push(`in streams starting with “${filters.streamPrefix}”`);
  if (filters.category) parts.push(`in category ${filters.category}`);
  if (filters.actors?.length) parts.push(`by ${filters.actors.join(' or ')}`);
  if (filters.correlationId) parts.push(`in correlation ${filters.correlationId}`);
  if (filters.commandId) parts.push(`from command ${filters.commandId}`);
  if (filters.recordedFrom !== undefined && filters.recordedTo !== undefined) {
    parts.push(`recorded between ${formatTime(filters.recordedFrom)} and ${formatTime(filters.recordedTo)}`);
  } else if (filters.recordedFrom !== undefined) parts.push(`recorded after ${formatTime(filters.recordedFrom)}`);
  else if (filters.recordedTo !== undefined) parts.push(`recorded before ${formatTime(filters.recordedTo)}`);
  return parts.join(' ');
}
