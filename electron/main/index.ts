// The Electron shell: app lifecycle, one window with its services, IPC wiring. All real work happens
// in electron/core, which never imports electron.
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain } from 'electron';
import { createServices, type Services } from '../core/services';
import { setSqliteNativeBinding } from '../core/sqliteRuntime';
import { pickStoreToCreate, pickStoreToOpen } from './dialogs';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { electronSqliteBinding } from './nativeBinding';
import { isTrustedSenderUrl } from './senderCheck';
import { createMainWindow, rendererPaths } from './window';

const isDev = !app.isPackaged;
const devServerUrl = isDev ? process.env.ELECTRON_RENDERER_URL : undefined;
const servicesByWebContents = new Map<number, Services>();

setSqliteNativeBinding(
  electronSqliteBinding({
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
    electronVersion: process.versions.electron ?? 'unknown',
    platform: process.platform,
    arch: process.arch,
  }),
);

function openWindow(): BrowserWindow {
  const paths = rendererPaths(__dirname);
  const window = createMainWindow({ ...paths, devServerUrl, isDev });
  const contentsId = window.webContents.id;
  const services = createServices({
    dataDir: app.getPath('userData'),
    appVersion: app.getVersion(),
    runtime: { electron: process.versions.electron ?? null, chrome: process.versions.chrome ?? null },
    pickOpenPath: () => pickStoreToOpen(window),
    pickCreatePath: () => pickStoreToCreate(window),
    emit: (event, payload) => {
      if (!window.isDestroyed()) window.webContents.send(event, payload);
    },
  });
  servicesByWebContents.set(contentsId, services);
  window.on('closed', () => {
    services.dispose();
    servicesByWebContents.delete(contentsId);
  });
  return window;
}

function focusedServices(): { window: BrowserWindow; services: Services } | undefined {
  const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const services = window ? servicesByWebContents.get(window.webContents.id) : undefined;
  return window && services ? { window, services } : undefined;
}

app.whenReady().then(() => {
  const { rendererFile } = rendererPaths(__dirname);
  registerIpc(ipcMain, {
    isTrustedSender: (url) =>
      isTrustedSenderUrl(url, { rendererFileUrl: pathToFileURL(rendererFile).href, devServerUrl }),
    handlersFor: (event) => {
      const contents = (event as unknown as { sender?: { id: number } }).sender;
      return contents ? servicesByWebContents.get(contents.id)?.handlers : undefined;
    },
  });
  installMenu({
    isDev,
    open: () => {
      const target = focusedServices();
      if (!target) return;
      void pickStoreToOpen(target.window).then((path) => (path ? target.services.openPath(path) : null));
    },
    create: () => {
      const target = focusedServices();
      if (target) void target.services.handlers['store.createDialog']({});
    },
  });
  openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
