import type { Screen } from '../lib/router';

export const SIDEBAR_ITEMS: { screen: Screen; label: string; icon: string }[] = [
  { screen: 'overview', label: 'Overview', icon: '◎' },
  { screen: 'streams', label: 'Streams', icon: '≡' },
  { screen: 'search', label: 'Search', icon: '⌕' },
  { screen: 'readmodels', label: 'Read models', icon: '▦' },
  { screen: 'replay', label: 'Replay', icon: '▷' },
  { screen: 'reports', label: 'Reports', icon: '▤' },
  { screen: 'commands', label: 'Commands', icon: '›_' },
  { screen: 'integrity', label: 'Integrity', icon: '✓' },
  { screen: 'notes', label: 'Notes', icon: '✎' },
];

export function Sidebar({
  current,
  enabled,
  onNavigate,
}: {
  current: Screen | null;
  enabled: boolean;
  onNavigate: (screen: Screen) => void;
}) {
  return (
    <nav className="sidebar" aria-label="Screens">
      {SIDEBAR_ITEMS.map((item, index) => (
        <button
          key={item.screen}
          type="button"
          className="nav-item"
          disabled={!enabled}
          aria-current={enabled && current === item.screen ? 'page' : undefined}
          title={enabled ? `${item.label} (Alt+${index + 1})` : 'Open a store first'}
          onClick={() => onNavigate(item.screen)}
        >
          <span className="nav-icon" aria-hidden="true">
            {item.icon}
          </span>
          {item.label}
        </button>
      ))}
      {!enabled && <p className="sidebar-hint">Open or create a store to use these screens.</p>}
      <button
        type="button"
        className="nav-item sidebar-settings"
        aria-current={current === 'settings' ? 'page' : undefined}
        onClick={() => onNavigate('settings')}
      >
        <span className="nav-icon" aria-hidden="true">
          ⚙
        </span>
        Settings
      </button>
    </nav>
  );
}
