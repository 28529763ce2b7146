// Where the user is, as a URL-like hash ("#/streams?stream=account-7&v=12"), so Back and Forward work
// and a place can be bookmarked in notes. A tiny router: the app has a handful of screens.
import { useCallback, useSyncExternalStore } from 'react';

export const SCREENS = [
  'overview',
  'streams',
  'search',
  'readmodels',
  'replay',
  'reports',
  'commands',
  'integrity',
  'notes',
  'settings',
  'chain',
] as const;
export type Screen = (typeof SCREENS)[number];

export interface Route {
  screen: Screen;
  params: Record<string, string>;
}

export function parseRoute(hash: string): Route {
  const cleaned = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = cleaned.split('?');
  const screen = (SCREENS as readonly string[]).includes(path) ? (path as Screen) : 'overview';
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(query)) params[key] = value;
  return { screen, params };
}

export function formatRoute(route: Route): string {
  const query = new URLSearchParams(route.params).toString();
  return `#/${route.screen}${query ? `?${query}` : ''}`;
}

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): [Route, (route: Route, replace?: boolean) => void] {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const navigate = useCallback((route: Route, replace = false) => {
    const next = formatRoute(route);
    if (replace) window.history.replaceState(null, '', next);
    else window.history.pushState(null, '', next);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  }, []);
  return [parseRoute(hash), navigate];
}
