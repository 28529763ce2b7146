// The Electron shell: app lifecycle, windows (one store per window, several at once), the menu, the
// single-instance lock, files from the OS and drag & drop, IPC wiring. Every decision is made by a pure
// module next to this file (openCoordinator, openRequest, singleInstance, windowState, menuTemplate,
// fileDrop), unit-tested under Node; this file only connects them to Electron. All real work happens in
// electron/core, which never imports electron.
import { homedir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, nativeTheme, screen, shell } from 'electron';
import type { EventMap, ParsedInputOf } from '../../shared/ipc/contract';
import type { ThemeSetting } from '../../shared/types';
import { RecentFiles } from '../core/app/recentFiles';
import { SettingsFile } from '../core/app/settings';
import { HindsightError, toErrorPayload } from '../core/errors';
import type { Handlers } from '../core/ipc/dispatch';
import { createServices, type Services } from '../core/services';
import { setSqliteNativeBinding } from '../core/sqliteRuntime';
import { APP_ID, APP_NAME, DOCUMENTATION_URL, userDataDir, windowIconPath } from './appPaths';
import { pickFileToImport, pickSavePath, pickStoreToCreate, pickStoreToOpen, showOpenError } from './dialogs';
import { FILES_DROPPED_CHANNEL, validateDroppedPaths } from './fileDrop';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { MENU_ACTION_EVENT, type MenuAction, type MenuActions, type MenuState } from './menuTemplate';
import { electronSqliteBinding } from './nativeBinding';
import { OpenCoordinator, type ShellPorts } from './openCoordinator';
import { parseOpenRequest } from './openRequest';
import { electronPdfPrinter } from './pdfPrinter';
import { isTrustedSenderUrl } from './senderCheck';
import { forwardPayload, requestFromSecondInstance } from './singleInstance';
import { createMainWindow, rendererPaths } from './window';
import {
  cascadeFrom,
  type DisplayArea,
  loadWindowState,
  placeWindow,
  saveWindowState,
  windowStateFile,
} from './windowState';

const isDev = !app.isPackaged;
const devServerUrl = isDev ? process.env.ELECTRON_RENDERER_URL : undefined;
const platform = process.platform;
const parseOptions = { defaultApp: process.defaultApp === true };
/** Time for a freshly loaded page to subscribe to events before a menu command is sent to it. */
const PAGE_SETTLE_MS = 400;

// Identity and data folder first: the single-instance lock lives in the data folder.
app.setName(APP_NAME);
if (!app.commandLine.hasSwitch('user-data-dir')) {
  app.setPath('userData', userDataDir(app.getPath('appData'), app.isPackaged));
}
if (platform === 'win32') app.setAppUserModelId(APP_ID);

const launchRequest = parseOpenRequest(process.argv, process.cwd(), platform, parseOptions);
if (app.requestSingleInstanceLock(forwardPayload(launchRequest))) {
  runShell();
} else {
  // Another Hindsight runs for this user: it has received our files (see `second-instance` below).
  app.quit();
}

type SettingsPatch = ParsedInputOf<'settings.update'>;

interface WindowEntry {
  window: BrowserWindow;
  services: Services;
  handlers: Handlers;
}

function runShell(): void {
  const dataDir = app.getPath('userData');
  const recent = new RecentFiles(dataDir);
  const stateFile = windowStateFile(dataDir);
  const entries = new Map<number, WindowEntry>();
  const windowOfContents = new Map<number, number>();
  /** A path chosen by File → New Store… for the window's next `store.createDialog` (see createIn). */
  const presetCreatePaths = new Map<number, string>();
  const { rendererFile, preloadPath } = rendererPaths(__dirname);
  const rendererFileUrl = pathToFileURL(rendererFile).href;
  const isTrusted = (url: string | undefined) => isTrustedSenderUrl(url, { rendererFileUrl, devServerUrl });

  const nativeBinding = electronSqliteBinding({
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
    electronVersion: process.versions.electron ?? 'unknown',
    platform,
    arch: process.arch,
  });
  setSqliteNativeBinding(nativeBinding);

  const entryOf = (id: number | null | undefined) => (id === null || id === undefined ? undefined : entries.get(id));

  const ports: ShellPorts = {
    focusedId: () => {
      const focused = BrowserWindow.getFocusedWindow();
      return focused && entries.has(focused.id) ? focused.id : null;
    },
    createWindow: () => openWindow().id,
    focus: (id) => {
      const window = entryOf(id)?.window;
      if (!window || window.isDestroyed()) return;
      if (window.isMinimized()) window.restore();
      // A window still loading shows (and focuses) itself on ready-to-show; showing it earlier flashes an empty frame.
      if (!window.isVisible() && window.webContents.isLoading()) return;
      window.show();
      window.focus();
    },
    closeWindow: (id) => entryOf(id)?.window.close(),
    openIn: async (id, path, mode) => {
      const entry = entryOf(id);
      if (!entry) throw new HindsightError('cancelled', 'The window closed before the file could be opened.');
      return (await entry.services.openPath(path, mode)).path;
    },
    createIn: async (id, path) => {
      const entry = entryOf(id);
      if (!entry) throw new HindsightError('cancelled', 'The window closed before the store could be created.');
      presetCreatePaths.set(id, path);
      try {
        const summary = await entry.services.handlers['store.createDialog']({});
        if (!summary) throw new HindsightError('cancelled', 'The store was not created.');
        return summary.path;
      } finally {
        presetCreatePaths.delete(id);
      }
    },
    pickOpenPath: (parentId) => pickStoreToOpen(entryOf(parentId)?.window),
    pickCreatePath: (parentId) => pickStoreToCreate(entryOf(parentId)?.window),
    showError: (id, title, error) => showOpenError(entryOf(id)?.window, title, toErrorPayload(error).message),
  };
  const coordinator = new OpenCoordinator(ports, platform);

  function displays(): DisplayArea[] {
    return screen.getAllDisplays().map((display) => ({ workArea: display.workArea }));
  }

  function saveState(window: BrowserWindow): void {
    if (window.isDestroyed()) return;
    try {
      saveWindowState(stateFile, { bounds: window.getNormalBounds(), maximized: window.isMaximized() });
    } catch {
      // A read-only data folder must not stop a window from moving or closing.
    }
  }

  function openWindow(): BrowserWindow {
    const from = entryOf(ports.focusedId() ?? coordinator.windows.list()[0]?.id)?.window;
    const placement = from
      ? { bounds: cascadeFrom(from.getNormalBounds(), displays()), maximized: false }
      : placeWindow(loadWindowState(stateFile), displays(), { workArea: screen.getPrimaryDisplay().workArea });
    const window = createMainWindow({
      preloadPath,
      rendererFile,
      devServerUrl,
      isDev,
      bounds: placement.bounds,
      maximized: placement.maximized,
      ...(platform === 'linux'
        ? {
            icon: windowIconPath({
              isPackaged: app.isPackaged,
              resourcesPath: process.resourcesPath,
              appPath: app.getAppPath(),
            }),
          }
        : {}),
    });
    const windowId = window.id;
    const contentsId = window.webContents.id;
    const services = createServices({
      dataDir,
      appVersion: app.getVersion(),
      runtime: { electron: process.versions.electron ?? null, chrome: process.versions.chrome ?? null },
      pdfPrinter: electronPdfPrinter(),
      // The page's own Open dialog: a store already open in another window is focused there instead.
      pickOpenPath: async (purpose = 'store') => {
        if (purpose === 'import') return pickFileToImport(window);
        const path = await pickStoreToOpen(window);
        return path !== null && !coordinator.claim(windowId, path) ? null : path;
      },
      pickCreatePath: () => {
        const preset = presetCreatePaths.get(windowId);
        if (preset !== undefined) {
          presetCreatePaths.delete(windowId);
          return Promise.resolve(preset);
        }
        return pickStoreToCreate(window);
      },
      pickSavePath: (suggestedName, extensions) => pickSavePath(window, suggestedName, extensions),
      emit: (event, payload) => {
        if (!window.isDestroyed()) window.webContents.send(event, payload);
        if (event === 'store.changed') {
          const { reason } = payload as EventMap['store.changed'];
          if (reason === 'opened' || reason === 'closed') storeChanged(windowId);
        }
      },
    });
    entries.set(windowId, { window, services, handlers: withSettingsHook(windowId, services.handlers) });
    windowOfContents.set(contentsId, windowId);
    coordinator.windows.add(windowId);

    let saveTimer: NodeJS.Timeout | undefined;
    const saveSoon = () => {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => saveState(window), 500);
    };
    window.on('resize', saveSoon);
    window.on('move', saveSoon);
    window.on('close', () => {
      clearTimeout(saveTimer);
      saveState(window);
    });
    window.on('focus', () => {
      coordinator.windows.touch(windowId);
      refreshMenu();
    });
    window.on('closed', () => {
      services.dispose();
      entries.delete(windowId);
      windowOfContents.delete(contentsId);
      coordinator.windows.remove(windowId);
      refreshMenu();
    });
    refreshMenu();
    return window;
  }

  /** After a store opened or closed in a window (by the page or by us): what the window shows, the menu. */
  function storeChanged(windowId: number): void {
    setImmediate(async () => {
      const entry = entries.get(windowId);
      if (!entry) return;
      try {
        const summary = await entry.services.handlers['store.current']({});
        const path = summary?.path ?? null;
        coordinator.windows.setPath(windowId, path);
        if (platform === 'darwin') entry.window.setRepresentedFilename(path ?? '');
        if (path !== null && (platform === 'darwin' || platform === 'win32')) app.addRecentDocument(path);
      } catch {
        // The store closed again meanwhile; the next event brings the window up to date.
      }
      refreshMenu();
    });
  }

  /** The theme is chosen in the menu or on the page's settings screen; either way every window follows. */
  function themeChanged(theme: ThemeSetting): void {
    nativeTheme.themeSource = theme;
    for (const { window } of entries.values()) sendToWindow(window, { action: 'set-theme', theme });
    refreshMenu();
  }

  /**
   * Settings are app-wide, but each window's session keeps its own copy of them: a change made in one
   * window is applied to every other window's session too (and the theme followed everywhere).
   */
  function withSettingsHook(windowId: number, handlers: Handlers): Handlers {
    return {
      ...handlers,
      'settings.update': async (input) => {
        const before = readSettings().theme;
        const result = await handlers['settings.update'](input);
        await updateSettingsOfWindows(input, windowId);
        if (result.theme !== before) themeChanged(result.theme);
        return result;
      },
    };
  }

  /** The settings on disk (not a session's copy, which may be older). */
  function readSettings() {
    return new SettingsFile(dataDir).get();
  }

  async function updateSettingsOfWindows(patch: SettingsPatch, exceptWindowId?: number): Promise<void> {
    for (const [id, entry] of entries) {
      if (id !== exceptWindowId) await entry.services.handlers['settings.update'](patch);
    }
    if (entries.size === 0) new SettingsFile(dataDir).update(patch);
  }

  /** The one place a menu command reaches a page (the `menu.action` event of the contract). */
  function sendToWindow(window: BrowserWindow, payload: MenuAction): void {
    const contents = window.webContents;
    const deliver = () => {
      if (!window.isDestroyed()) contents.send(MENU_ACTION_EVENT, payload);
    };
    if (contents.isLoading()) contents.once('did-finish-load', () => setTimeout(deliver, PAGE_SETTLE_MS));
    else deliver();
  }

  let menuQueued = false;
  function refreshMenu(): void {
    if (menuQueued || !app.isReady()) return;
    menuQueued = true;
    setImmediate(() => {
      menuQueued = false;
      const state = menuState();
      // Native dialogs, the title bar and `prefers-color-scheme` follow the chosen theme.
      nativeTheme.themeSource = state.theme;
      installMenu(platform, state, menuActions);
    });
  }

  function menuState(): MenuState {
    const current = ports.focusedId() ?? coordinator.windows.list()[0]?.id ?? null;
    return {
      appName: APP_NAME,
      isDev,
      theme: readSettings().theme,
      recent: recent.list(),
      hasStore: current !== null && coordinator.windows.pathOf(current) !== null,
      homeDir: homedir(),
    };
  }

  const menuActions: MenuActions = {
    newWindow: () => {
      openWindow();
    },
    newStore: () => void coordinator.newStore(),
    open: () => void coordinator.openWithDialog(),
    openRecent: (id) => {
      const entry = recent.find(id);
      if (entry) coordinator.request({ paths: [entry.path], mode: entry.mode });
      refreshMenu();
    },
    clearRecent: () => {
      for (const file of recent.list()) recent.forget(file.id);
      refreshMenu();
    },
    send: (action) => {
      const window = entryOf(ports.focusedId() ?? coordinator.windows.list()[0]?.id)?.window ?? openWindow();
      sendToWindow(window, action);
    },
    setTheme: (theme) => {
      const before = readSettings().theme;
      void updateSettingsOfWindows({ theme }).then(() => {
        if (theme !== before) themeChanged(theme);
      });
    },
    openDocumentation: () => void shell.openExternal(DOCUMENTATION_URL),
  };

  // Files from the OS. macOS sends `open-file` (possibly before `ready`, when a double-click on a store
  // starts the app); Windows and Linux start a second instance, which hands its argv over here.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    coordinator.request({ paths: [path] });
  });
  app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
    coordinator.secondInstance(
      requestFromSecondInstance({ argv, workingDirectory, additionalData }, platform, parseOptions),
    );
  });

  app.whenReady().then(() => {
    nativeTheme.themeSource = readSettings().theme;
    app.setAboutPanelOptions({
      applicationName: APP_NAME,
      applicationVersion: app.getVersion(),
      copyright: 'Copyright © 2026 Hindsight team',
      website: DOCUMENTATION_URL,
    });
    registerIpc(ipcMain, {
      isTrustedSender: isTrusted,
      handlersFor: (event) => {
        const contents = (event as unknown as { sender?: { id: number } }).sender;
        return contents ? entryOf(windowOfContents.get(contents.id))?.handlers : undefined;
      },
    });
    // Files dropped on a window, as reported by the preload (see fileDrop.ts): checked like an IPC call.
    ipcMain.on(FILES_DROPPED_CHANNEL, (event, payload: unknown) => {
      const frame = event.senderFrame;
      if (!frame || frame.parent || !isTrusted(frame.url)) return;
      const windowId = windowOfContents.get(event.sender.id);
      const paths = validateDroppedPaths(payload, platform);
      if (windowId === undefined || paths === null) return;
      coordinator.request({ paths }, { kind: 'window', windowId });
    });
    coordinator.start(launchRequest);
    refreshMenu();
    if (app.isPackaged && nativeBinding === undefined) {
      showOpenError(
        undefined,
        'Hindsight is damaged',
        'The SQLite driver built for this app (resources/native/better_sqlite3.node) is missing, so no store can be opened. Please reinstall Hindsight.',
      );
    }
    app.on('activate', () => {
      if (entries.size === 0) openWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (platform !== 'darwin') app.quit();
  });
}
