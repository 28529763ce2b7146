// The application menu as plain data: `menuTemplate(platform, state, actions)` returns the template that
// menu.ts hands to `Menu.buildFromTemplate`. Pure (electron is imported for its types only), so every
// platform's menu is unit-tested on any machine.
//
// Conventions: on macOS the first menu is the app menu (About, Settings…, Services, Hide, Quit) and
// File ends with Close Window; on Windows and Linux File ends with Exit / Quit, About is in Help, and
// Settings… sits in File. Accelerators use CmdOrCtrl. Keys the page uses itself are left alone:
// Ctrl/⌘+K (command palette), Alt+1…9 (screens), ?, arrows, Esc.
import type { MenuItemConstructorOptions } from 'electron';
/** Menu commands the page carries out itself; sent to the focused window as the `menu.action` event. */
import type { MenuAction, RecentFile, ThemeSetting } from '../../shared/types';
import { pathApi } from './openRequest';

export type { MenuAction };

export const MENU_ACTION_EVENT = 'menu.action';

export interface MenuState {
  appName: string;
  isDev: boolean;
  theme: ThemeSetting;
  /** The recent list, newest first. */
  recent: readonly RecentFile[];
  /** The focused window shows a store (Save Verified Copy and Export need one). */
  hasStore: boolean;
  /** The user's home folder, shortened to ~ in the recent list (not on Windows). */
  homeDir?: string;
}

export interface MenuActions {
  newWindow(): void;
  newStore(): void;
  open(): void;
  openRecent(id: string): void;
  clearRecent(): void;
  /** Sends a page command to the focused window (opening a window first if there is none). */
  send(action: MenuAction): void;
  setTheme(theme: ThemeSetting): void;
  openDocumentation(): void;
}

export const MAX_RECENT_IN_MENU = 10;

export const THEMES: readonly { theme: ThemeSetting; label: string }[] = [
  { theme: 'system', label: 'System' },
  { theme: 'light', label: 'Light' },
  { theme: 'dark', label: 'Dark' },
];

type Item = MenuItemConstructorOptions;
const separator: Item = { type: 'separator' };

/** Windows and Linux read `&` in a label as a mnemonic marker; `&&` shows one `&`. */
export function menuText(text: string, platform: string): string {
  return platform === 'darwin' ? text : text.replaceAll('&', '&&');
}

/** "ledger.hindsight — ~/audits" : the file, then its folder (home shortened on macOS and Linux). */
export function recentLabel(file: RecentFile, platform: string, homeDir?: string): string {
  let folder = pathApi(platform).dirname(file.path);
  if (platform !== 'win32' && homeDir && (folder === homeDir || folder.startsWith(`${homeDir}/`))) {
    folder = `~${folder.slice(homeDir.length)}`;
  }
  const label = `${file.fileName} — ${folder}${file.exists ? '' : ' (missing)'}`;
  return menuText(label, platform);
}

function recentSubmenu(platform: string, state: MenuState, actions: MenuActions): Item[] {
  const entries = state.recent.slice(0, MAX_RECENT_IN_MENU);
  if (entries.length === 0) return [{ id: 'file.recent.none', label: 'No Recent Stores', enabled: false }];
  return [
    ...entries.map(
      (file): Item => ({
        id: `file.recent.${file.id}`,
        label: recentLabel(file, platform, state.homeDir),
        enabled: file.exists,
        click: () => actions.openRecent(file.id),
      }),
    ),
    separator,
    { id: 'file.recent.clear', label: 'Clear Recently Opened', click: () => actions.clearRecent() },
  ];
}

function appMenu(state: MenuState, actions: MenuActions): Item {
  return {
    label: state.appName,
    submenu: [
      { role: 'about', label: `About ${state.appName}` },
      separator,
      {
        id: 'app.settings',
        label: 'Settings…',
        accelerator: 'CmdOrCtrl+,',
        click: () => actions.send({ action: 'open-settings' }),
      },
      separator,
      { role: 'services' },
      separator,
      { role: 'hide', label: `Hide ${state.appName}` },
      { role: 'hideOthers' },
      { role: 'unhide' },
      separator,
      { role: 'quit', label: `Quit ${state.appName}` },
    ],
  };
}

function fileMenu(platform: string, state: MenuState, actions: MenuActions): Item {
  const isMac = platform === 'darwin';
  const tail: Item[] = isMac
    ? [{ role: 'close', label: 'Close Window', accelerator: 'CmdOrCtrl+W' }]
    : [
        { role: 'close', label: 'Close Window', accelerator: 'CmdOrCtrl+W' },
        separator,
        {
          id: 'app.settings',
          label: 'Settings…',
          accelerator: 'CmdOrCtrl+,',
          click: () => actions.send({ action: 'open-settings' }),
        },
        separator,
        platform === 'win32'
          ? { role: 'quit', label: 'Exit' }
          : { role: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' },
      ];
  return {
    label: isMac ? 'File' : '&File',
    submenu: [
      { id: 'file.newWindow', label: 'New Window', accelerator: 'CmdOrCtrl+Shift+N', click: () => actions.newWindow() },
      { id: 'file.newStore', label: 'New Store…', accelerator: 'CmdOrCtrl+N', click: () => actions.newStore() },
      { id: 'file.open', label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.open() },
      { id: 'file.recent', label: 'Open Recent', submenu: recentSubmenu(platform, state, actions) },
      { id: 'file.demo', label: 'Open the Demo', click: () => actions.send({ action: 'open-demo' }) },
      separator,
      {
        id: 'file.saveVerifiedCopy',
        label: 'Save Verified Copy…',
        accelerator: 'CmdOrCtrl+Shift+S',
        enabled: state.hasStore,
        click: () => actions.send({ action: 'save-verified-copy' }),
      },
      {
        id: 'file.export',
        label: 'Export…',
        accelerator: 'CmdOrCtrl+E',
        enabled: state.hasStore,
        click: () => actions.send({ action: 'export' }),
      },
      separator,
      ...tail,
    ],
  };
}

function editMenu(platform: string): Item {
  const isMac = platform === 'darwin';
  return {
    label: isMac ? 'Edit' : '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(isMac ? [{ role: 'pasteAndMatchStyle' } as Item] : []),
      { role: 'delete' },
      separator,
      { role: 'selectAll' },
    ],
  };
}

function viewMenu(platform: string, state: MenuState, actions: MenuActions): Item {
  const development: Item[] = state.isDev
    ? [separator, { role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }]
    : [];
  return {
    label: platform === 'darwin' ? 'View' : '&View',
    submenu: [
      {
        id: 'view.theme',
        label: 'Theme',
        submenu: THEMES.map(
          ({ theme, label }): Item => ({
            id: `view.theme.${theme}`,
            label,
            type: 'radio',
            checked: state.theme === theme,
            click: () => actions.setTheme(theme),
          }),
        ),
      },
      separator,
      { role: 'resetZoom', label: 'Actual Size' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
      ...development,
    ],
  };
}

function windowMenu(platform: string): Item {
  const isMac = platform === 'darwin';
  return {
    label: isMac ? 'Window' : '&Window',
    role: 'window',
    submenu: isMac ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }] : [{ role: 'minimize' }],
  };
}

function helpMenu(platform: string, state: MenuState, actions: MenuActions): Item {
  const isMac = platform === 'darwin';
  return {
    label: isMac ? 'Help' : '&Help',
    role: 'help',
    submenu: [
      { id: 'help.docs', label: `${state.appName} Documentation`, click: () => actions.openDocumentation() },
      {
        id: 'help.shortcuts',
        label: 'Keyboard Shortcuts',
        accelerator: 'CmdOrCtrl+/',
        click: () => actions.send({ action: 'show-shortcuts' }),
      },
      ...(isMac ? [] : [separator, { role: 'about', label: `About ${state.appName}` } as Item]),
    ],
  };
}

export function menuTemplate(platform: string, state: MenuState, actions: MenuActions): Item[] {
  return [
    ...(platform === 'darwin' ? [appMenu(state, actions)] : []),
    fileMenu(platform, state, actions),
    editMenu(platform),
    viewMenu(platform, state, actions),
    windowMenu(platform),
    helpMenu(platform, state, actions),
  ];
}
