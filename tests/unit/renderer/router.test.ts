import { describe, expect, it } from 'vitest';
import { formatTime } from '../../../renderer/src/lib/format';
import { formatRoute, parseRoute } from '../../../renderer/src/lib/router';

describe('router', () => {
  it('round-trips a screen with parameters', () => {
    const route = { screen: 'streams' as const, params: { stream: 'account-7', v: '12' } };
    expect(formatRoute(route)).toBe('#/streams?stream=account-7&v=12');
    expect(parseRoute(formatRoute(route))).toEqual(route);
  });

  it('falls back to the overview for an empty or unknown hash', () => {
    expect(parseRoute('')).toEqual({ screen: 'overview', params: {} });
    expect(parseRoute('#/nonsense?x=1')).toEqual({ screen: 'overview', params: { x: '1' } });
  });
});

describe('formatTime', () => {
  it('always shows UTC with its label', () => {
    expect(formatTime(Date.UTC(2026, 2, 14, 3, 41, 7))).toBe('2026-03-14 03:41:07 UTC');
    expect(formatTime(Date.UTC(2026, 2, 14, 3, 41, 7, 25), true)).toBe('2026-03-14 03:41:07.025 UTC');
    expect(formatTime(null)).toBe('—');
  });
});
