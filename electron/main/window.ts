// A BrowserWindow with the security defaults of DESIGN §6: isolated, sandboxed, no Node in the page,
// navigation and new windows denied, permission requests refused, no navigation on drag & drop (dropped
// files reach the main process through the preload; see fileDrop.ts).
import { join } from 'node:path';
import { BrowserWindow, shell } from 'electron';
import type { PlacedBounds } from './windowState';
import { WINDOW_SIZES } from './windowState';

export interface WindowOptions {
  preloadPath: string;
  rendererFile: string;
  devServerUrl: string | undefined;
  isDev: boolean;
  /** Size and position (see windowState.ts); without x/y the OS centres the window. */
  bounds?: PlacedBounds;
  maximized?: boolean;
  /** The window icon (used on Linux; Windows and macOS take it from the executable / bundle). */
  icon?: string;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const bounds = options.bounds ?? { width: WINDOW_SIZES.width, height: WINDOW_SIZES.height };
  const window = new BrowserWindow({
    ...bounds,
    minWidth: WINDOW_SIZES.minWidth,
    minHeight: WINDOW_SIZES.minHeight,
    show: false,
    title: 'Hindsight',
    backgroundColor: '#1b1d21',
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      navigateOnDragDrop: false,
      devTools: options.isDev,
      spellcheck: false,
    },
  });

  window.once('ready-to-show', () => {
    if (options.maximized) window.maximize();
    window.show();
  });

  const contents = window.webContents;
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser; nothing ever opens inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);

  if (options.devServerUrl) void window.loadURL(options.devServerUrl);
  else void window.loadFile(options.rendererFile);
  return window;
}

export function rendererPaths(mainDir: string) {
  return {
    preloadPath: join(mainDir, '../preload/index.js'),
    rendererFile: join(mainDir, '../renderer/index.html'),
  };
}
