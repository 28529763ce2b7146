// electron/main/index.ts, the thin wiring, run under Vitest against a fake `electron` (fakeElectron.ts;
// the real package is never loaded) with the real core services over real store files: the launch
// file opens, a second instance forwards, an open store is focused instead of opened twice, drops and
// menu commands reach the right window, the theme follows, window state is saved.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventStore } from '../../../electron/core/store/eventStore';
import { FILES_DROPPED_CHANNEL } from '../../../electron/main/fileDrop';
import { forwardPayload } from '../../../electron/main/singleInstance';
import { FakeBrowserWindow, fake } from './fakeElectron';

vi.mock('electron', async () => (await import('./fakeElectron')).fake.electron);

type Item = MenuItemConstructorOptions;
const rendererUrl = pathToFileURL(resolve(__dirname, '../../../electron/renderer/index.html')).href;
const settle = () => new Promise((done) => setTimeout(done, 50));

function windows(): FakeBrowserWindow[] {
  return FakeBrowserWindow.getAllWindows();
}

function menuItem(id: string): Item {
  const template = fake.menus.at(-1)?.template as Item[];
  const walk = (items: Item[]): Item[] =>
    items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? walk(item.submenu as Item[]) : [])]);
  const item = walk(template).find((candidate) => candidate.id === id);
  if (!item) throw new Error(`no menu item ${id}`);
  return item;
}

function clickMenu(id: string): void {
  (menuItem(id).click as () => void)();
}

function invoke(window: FakeBrowserWindow, channel: string, input: unknown = {}, url = rendererUrl) {
  const handler = fake.ipcMain.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler({ senderFrame: { url, parent: null }, sender: window.webContents }, input) as Promise<{
    ok: boolean;
    value?: { path?: string } | null;
    error?: { code: string };
  }>;
}

function menuActionsSent(window: FakeBrowserWindow): unknown[] {
  return window.webContents.sent.filter(([channel]) => channel === 'menu.action').map(([, payload]) => payload);
}

describe('the shell wiring (electron/main/index.ts) over a fake electron', () => {
  // One folder for the whole sequence (useTempDir would remove it after each test).
  let dir = '';
  let storeA = '';
  let storeB = '';
  const argv = process.argv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hindsight-shell-'));
    storeA = join(dir, 'a.hindsight');
    storeB = join(dir, 'b.hindsight');
    for (const file of [storeA, storeB]) EventStore.create(file, { createdBy: 'test' }).close();
    mkdirSync(join(dir, 'appData'));
    fake.app.paths.set('appData', join(dir, 'appData'));
    (process as { defaultApp?: boolean }).defaultApp = true;
    process.argv = ['/x/electron', '.', '--inspect=0', storeA];
    await import('../../../electron/main/index');
    fake.app.becomeReady();
    await settle();
    for (const window of windows()) window.emit('ready-to-show');
    await settle();
  });

  afterAll(() => {
    process.argv = argv;
    for (const window of windows()) window.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes the data folder and the single-instance lock before anything else, forwarding its file', () => {
    expect(fake.app.name).toBe('Hindsight');
    expect(fake.app.getPath('userData')).toBe(join(dir, 'appData', 'Hindsight-dev'));
    expect(fake.app.lockPayload).toEqual(forwardPayload({ paths: [storeA] }));
  });

  it('opens the launch file in the first window, which the IPC layer then serves', async () => {
    expect(windows()).toHaveLength(1);
    const [first] = windows();
    expect(first?.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      navigateOnDragDrop: false,
    });
    const current = await invoke(first!, 'store.current');
    expect(current).toMatchObject({ ok: true, value: { path: storeA } });
    // A frame that is not the app's page is refused.
    expect(await invoke(first!, 'store.current', {}, 'https://evil.example/')).toMatchObject({
      ok: false,
      error: { code: 'forbidden_sender' },
    });
  });

  it('builds the menu with the open store and the recent list', () => {
    expect(menuItem('file.export').enabled).toBe(true);
    expect(
      (menuItem('file.recent').submenu as Item[]).some((item) => String(item.label).startsWith('a.hindsight')),
    ).toBe(true);
  });

  it('focuses the window that has a store when a second instance asks for it again', async () => {
    fake.app.emit('second-instance', {}, ['/x/electron', storeA], dir, forwardPayload({ paths: [storeA] }));
    await settle();
    expect(windows()).toHaveLength(1);
  });

  it('opens a second instance’s new file in a new window', async () => {
    fake.app.emit('second-instance', {}, ['/x/electron', '.', 'b.hindsight'], dir, undefined);
    await settle();
    expect(windows()).toHaveLength(2);
    const second = windows()[1]!;
    second.emit('ready-to-show');
    expect(await invoke(second, 'store.current')).toMatchObject({ ok: true, value: { path: storeB } });
    expect(FakeBrowserWindow.focused).toBe(second);
  });

  it('refuses the page’s own open of a store another window shows, and focuses that window', async () => {
    const [first, second] = windows();
    fake.dialogs.openPicks.push(storeB);
    expect(await invoke(first!, 'store.openDialog', {})).toMatchObject({ ok: true, value: null });
    expect(FakeBrowserWindow.focused).toBe(second);
    expect(await invoke(first!, 'store.current')).toMatchObject({ value: { path: storeA } });
  });

  it('handles files dropped on a window (from the preload), refusing foreign frames and bad payloads', async () => {
    const [first, second] = windows();
    const drop = fake.ipcMain.listeners.get(FILES_DROPPED_CHANNEL)!;
    first!.focus();
    drop({ senderFrame: { url: 'https://evil.example/', parent: null }, sender: first!.webContents }, [storeB]);
    drop({ senderFrame: { url: rendererUrl, parent: null }, sender: first!.webContents }, ['relative.hindsight']);
    await settle();
    expect(FakeBrowserWindow.focused).toBe(first);
    drop({ senderFrame: { url: rendererUrl, parent: null }, sender: first!.webContents }, [storeB]);
    await settle();
    expect(FakeBrowserWindow.focused).toBe(second);
  });

  it('sends page commands from the menu to the focused window', async () => {
    const [first, second] = windows();
    first!.focus();
    await settle();
    clickMenu('file.demo');
    clickMenu('help.shortcuts');
    expect(menuActionsSent(first!)).toEqual([{ action: 'open-demo' }, { action: 'show-shortcuts' }]);
    expect(menuActionsSent(second!)).toEqual([]);
  });

  it('switches the theme for every window from the menu and from the settings screen', async () => {
    const [first, second] = windows();
    clickMenu('view.theme.dark');
    await settle();
    expect(JSON.parse(readFileSync(join(fake.app.getPath('userData'), 'settings.json'), 'utf8')).theme).toBe('dark');
    expect(fake.electron.nativeTheme.themeSource).toBe('dark');
    expect(menuItem('view.theme.dark').checked).toBe(true);
    for (const window of [first!, second!])
      expect(menuActionsSent(window)).toContainEqual({ action: 'set-theme', theme: 'dark' });

    expect(await invoke(second!, 'settings.update', { theme: 'light', actor: 'ada' })).toMatchObject({ ok: true });
    await settle();
    expect(fake.electron.nativeTheme.themeSource).toBe('light');
    expect(menuActionsSent(first!)).toContainEqual({ action: 'set-theme', theme: 'light' });
    expect(menuItem('view.theme.light').checked).toBe(true);
    // Settings are app-wide: the other window's session sees the change too.
    expect(await invoke(first!, 'settings.get')).toMatchObject({ value: { theme: 'light', actor: 'ada' } });
  });

  it('opens File → Open… in a new window when the focused one shows a store, and reports failures', async () => {
    const [first] = windows();
    first!.focus();
    const broken = join(dir, 'not-a-store.hindsight');
    fake.dialogs.openPicks.push(broken);
    clickMenu('file.open');
    await settle();
    // The window made for it closed again; the error went to the focused window.
    expect(windows()).toHaveLength(2);
    expect(fake.dialogs.messages.at(-1)).toMatchObject({ title: 'Could not open the store' });
  });

  it('saves the window state when a window closes', () => {
    const second = windows()[1]!;
    second.bounds = { x: 300, y: 200, width: 1000, height: 700 };
    second.close();
    const stateFile = join(fake.app.getPath('userData'), 'window-state.json');
    expect(existsSync(stateFile)).toBe(true);
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({
      bounds: { x: 300, y: 200, width: 1000, height: 700 },
      maximized: false,
    });
    expect(windows()).toHaveLength(1);
  });
});
