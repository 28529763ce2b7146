// A BrowserWindow with the security defaults of DESIGN §6: isolated, sandboxed, no Node in the page,
// navigation and new windows denied, permission requests refused.
import { join } from 'node:path';
import { BrowserWindow, shell } from 'electron';

export interface WindowOptions {
  preloadPath: string;
  rendererFile: string;
  devServerUrl: string | undefined;
  isDev: boolean;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'Hindsight',
    backgroundColor: '#1b1d21',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools: options.isDev,
      spellcheck: false,
    },
  });

  window.once('ready-to-show', () => window.show());

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
