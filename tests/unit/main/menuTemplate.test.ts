import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import {
  type MenuAction,
  type MenuActions,
  type MenuState,
  menuTemplate,
  menuText,
  recentLabel,
} from '../../../electron/main/menuTemplate';
import type { RecentFile, ThemeSetting } from '../../../shared/types';

type Item = MenuItemConstructorOptions;

function recentFile(id: string, path: string, exists = true): RecentFile {
  const fileName = path.split(/[\\/]/).at(-1) ?? path;
  return { id, path, fileName, lastOpenedAt: 0, mode: 'read-only', exists };
}

function baseState(overrides: Partial<MenuState> = {}): MenuState {
  return {
    appName: 'Hindsight',
    isDev: false,
    theme: 'system',
    recent: [recentFile('r1', '/home/ada/audits/ledger.hindsight'), recentFile('r2', '/tmp/gone.db', false)],
    hasStore: true,
    homeDir: '/home/ada',
    ...overrides,
  };
}

function recordingActions() {
  const calls: string[] = [];
  const sent: MenuAction[] = [];
  const actions: MenuActions = {
    newWindow: () => calls.push('newWindow'),
    newStore: () => calls.push('newStore'),
    open: () => calls.push('open'),
    openRecent: (id) => calls.push(`openRecent:${id}`),
    clearRecent: () => calls.push('clearRecent'),
    send: (action) => sent.push(action),
    setTheme: (theme: ThemeSetting) => calls.push(`setTheme:${theme}`),
    openDocumentation: () => calls.push('openDocumentation'),
  };
  return { actions, calls, sent };
}

function submenu(item: Item | undefined): Item[] {
  if (!item || !Array.isArray(item.submenu)) throw new Error(`no submenu on ${item?.label ?? item?.role}`);
  return item.submenu as Item[];
}

function walk(items: Item[]): Item[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? walk(item.submenu as Item[]) : [])]);
}

function byId(template: Item[], id: string): Item {
  const found = walk(template).find((item) => item.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
}

function topLabels(template: Item[]): string[] {
  return template.map((item) => String(item.label ?? item.role));
}

function click(item: Item): void {
  (item.click as () => void)();
}

const PLATFORMS = ['darwin', 'win32', 'linux'] as const;

describe('menuTemplate per platform', () => {
  it('macOS: the app menu first, with About, Settings…, Services, Hide and Quit', () => {
    const template = menuTemplate('darwin', baseState(), recordingActions().actions);
    expect(topLabels(template)).toEqual(['Hindsight', 'File', 'Edit', 'View', 'Window', 'Help']);
    const app = submenu(template[0]);
    expect(app.filter((i) => i.role).map((i) => i.role)).toEqual([
      'about',
      'services',
      'hide',
      'hideOthers',
      'unhide',
      'quit',
    ]);
    expect(app.find((i) => i.id === 'app.settings')?.accelerator).toBe('CmdOrCtrl+,');
    // File ends with Close Window and has no Quit; Help has no About.
    const file = submenu(template[1]);
    expect(file.at(-1)).toMatchObject({ role: 'close', label: 'Close Window' });
    expect(file.some((i) => i.role === 'quit')).toBe(false);
    expect(submenu(template[5]).some((i) => i.role === 'about')).toBe(false);
    expect(submenu(template[2]).some((i) => i.role === 'pasteAndMatchStyle')).toBe(true);
    expect(submenu(template[4]).map((i) => i.role ?? i.type)).toEqual(['minimize', 'zoom', 'separator', 'front']);
  });

  it('Windows: no app menu; Settings… and Exit in File, About in Help, mnemonics on the top menus', () => {
    const template = menuTemplate('win32', baseState(), recordingActions().actions);
    expect(topLabels(template)).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
    const file = submenu(template[0]);
    expect(file.at(-1)).toEqual({ role: 'quit', label: 'Exit' });
    expect(file.some((i) => i.id === 'app.settings')).toBe(true);
    expect(submenu(template[4]).at(-1)).toMatchObject({ role: 'about', label: 'About Hindsight' });
    expect(walk(template).some((i) => i.role === 'services' || i.role === 'hide')).toBe(false);
  });

  it('Linux: like Windows, but Quit with Ctrl+Q', () => {
    const template = menuTemplate('linux', baseState(), recordingActions().actions);
    expect(topLabels(template)).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
    expect(submenu(template[0]).at(-1)).toEqual({ role: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' });
  });

  it.each(PLATFORMS)('%s: File has the store commands in order', (platform) => {
    const template = menuTemplate(platform, baseState(), recordingActions().actions);
    const file = submenu(template[platform === 'darwin' ? 1 : 0]);
    expect(file.slice(0, 9).map((i) => i.label ?? i.type)).toEqual([
      'New Window',
      'New Store…',
      'Open…',
      'Open Recent',
      'Open the Demo',
      'separator',
      'Save Verified Copy…',
      'Export…',
      'separator',
    ]);
  });

  it.each(PLATFORMS)('%s: accelerators are CmdOrCtrl, unique, and leave the page’s own keys alone', (platform) => {
    const template = menuTemplate(platform, baseState({ isDev: true }), recordingActions().actions);
    const accelerators = walk(template)
      .map((i) => i.accelerator)
      .filter((a): a is string => typeof a === 'string');
    expect(new Set(accelerators).size).toBe(accelerators.length);
    for (const accelerator of accelerators) {
      expect(accelerator).not.toMatch(/^(Cmd|Ctrl|Command|Control)\+/);
      expect(accelerator).not.toBe('CmdOrCtrl+K');
      expect(accelerator).not.toMatch(/^Alt\+\d$/);
    }
    expect(byId(template, 'file.open').accelerator).toBe('CmdOrCtrl+O');
    expect(byId(template, 'file.newStore').accelerator).toBe('CmdOrCtrl+N');
    expect(byId(template, 'file.newWindow').accelerator).toBe('CmdOrCtrl+Shift+N');
    expect(byId(template, 'file.saveVerifiedCopy').accelerator).toBe('CmdOrCtrl+Shift+S');
    expect(byId(template, 'file.export').accelerator).toBe('CmdOrCtrl+E');
    expect(byId(template, 'help.shortcuts').accelerator).toBe('CmdOrCtrl+/');
  });

  it.each(PLATFORMS)(
    '%s: View has theme, zoom and full screen; reload and devtools only in development',
    (platform) => {
      const production = menuTemplate(platform, baseState(), recordingActions().actions);
      const view = submenu(production[platform === 'darwin' ? 3 : 2]);
      expect(view.map((i) => i.role ?? i.label ?? i.type)).toEqual([
        'Theme',
        'separator',
        'resetZoom',
        'zoomIn',
        'zoomOut',
        'separator',
        'togglefullscreen',
      ]);
      expect(walk(production).some((i) => i.role === 'toggleDevTools' || i.role === 'reload')).toBe(false);
      const development = menuTemplate(platform, baseState({ isDev: true }), recordingActions().actions);
      const roles = walk(development).map((i) => i.role);
      expect(roles).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
    },
  );
});

describe('menu items and their actions', () => {
  it('calls the shell for window and file commands', () => {
    const { actions, calls } = recordingActions();
    const template = menuTemplate('linux', baseState(), actions);
    for (const id of ['file.newWindow', 'file.newStore', 'file.open', 'help.docs']) click(byId(template, id));
    expect(calls).toEqual(['newWindow', 'newStore', 'open', 'openDocumentation']);
  });

  it('sends the page commands to the focused window as menu actions', () => {
    const { actions, sent } = recordingActions();
    const template = menuTemplate('darwin', baseState(), actions);
    for (const id of ['file.demo', 'file.saveVerifiedCopy', 'file.export', 'help.shortcuts', 'app.settings']) {
      click(byId(template, id));
    }
    expect(sent).toEqual([
      { action: 'open-demo' },
      { action: 'save-verified-copy' },
      { action: 'export' },
      { action: 'show-shortcuts' },
      { action: 'open-settings' },
    ]);
  });

  it('disables Save Verified Copy and Export when the focused window has no store', () => {
    const template = menuTemplate('win32', baseState({ hasStore: false }), recordingActions().actions);
    expect(byId(template, 'file.saveVerifiedCopy').enabled).toBe(false);
    expect(byId(template, 'file.export').enabled).toBe(false);
    expect(byId(template, 'file.demo').enabled).toBeUndefined();
  });

  it('shows the theme as radio items checked from the settings, and changes it on click', () => {
    const { actions, calls } = recordingActions();
    const template = menuTemplate('linux', baseState({ theme: 'dark' }), actions);
    const themes = submenu(byId(template, 'view.theme'));
    expect(themes.map((i) => [i.label, i.type, i.checked])).toEqual([
      ['System', 'radio', false],
      ['Light', 'radio', false],
      ['Dark', 'radio', true],
    ]);
    click(byId(template, 'view.theme.light'));
    expect(calls).toEqual(['setTheme:light']);
  });

  it('lists recent stores (missing ones disabled) and can clear the list', () => {
    const { actions, calls } = recordingActions();
    const template = menuTemplate('linux', baseState(), actions);
    const recent = submenu(byId(template, 'file.recent'));
    expect(recent.map((i) => [i.label ?? i.type, i.enabled])).toEqual([
      ['ledger.hindsight — ~/audits', true],
      ['gone.db — /tmp (missing)', false],
      ['separator', undefined],
      ['Clear Recently Opened', undefined],
    ]);
    click(byId(template, 'file.recent.r1'));
    click(byId(template, 'file.recent.clear'));
    expect(calls).toEqual(['openRecent:r1', 'clearRecent']);
  });

  it('says so when the recent list is empty, and shows at most ten', () => {
    const empty = menuTemplate('darwin', baseState({ recent: [] }), recordingActions().actions);
    expect(submenu(byId(empty, 'file.recent'))).toEqual([
      { id: 'file.recent.none', label: 'No Recent Stores', enabled: false },
    ]);
    const many = Array.from({ length: 12 }, (_, i) => recentFile(`id${i}`, `/s/${i}.hindsight`));
    const full = menuTemplate('darwin', baseState({ recent: many }), recordingActions().actions);
    expect(submenu(byId(full, 'file.recent')).filter((i) => i.id?.startsWith('file.recent.id'))).toHaveLength(10);
  });
});

describe('labels', () => {
  it('escapes & on Windows and Linux, where it marks a mnemonic', () => {
    expect(menuText('R&D.hindsight', 'win32')).toBe('R&&D.hindsight');
    expect(menuText('R&D.hindsight', 'linux')).toBe('R&&D.hindsight');
    expect(menuText('R&D.hindsight', 'darwin')).toBe('R&D.hindsight');
  });

  it('names a recent file and its folder, home shortened except on Windows', () => {
    expect(recentLabel(recentFile('a', '/Users/ada/x/a.hindsight'), 'darwin', '/Users/ada')).toBe('a.hindsight — ~/x');
    expect(recentLabel(recentFile('a', '/Users/adam/a.hindsight'), 'darwin', '/Users/ada')).toBe(
      'a.hindsight — /Users/adam',
    );
    expect(recentLabel(recentFile('a', 'C:\\Users\\ada\\R&D\\a.hindsight'), 'win32', 'C:\\Users\\ada')).toBe(
      'a.hindsight — C:\\Users\\ada\\R&&D',
    );
  });
});
