// Where the app keeps its files. Pure, so the rules are tested without Electron.
import { join } from 'node:path';

export const APP_NAME = 'Hindsight';
export const APP_ID = 'app.hindsight.desktop';
export const DOCUMENTATION_URL = 'https://github.com/hindsight-app/hindsight/blob/main/docs/desktop.md';

/**
 * The data folder (recent files, settings, window state, caches of read-only stores): the OS's app-data
 * folder + "Hindsight", or "Hindsight-dev" when running from source so a development build never shares
 * (or single-instance-locks) the data of an installed app. `--user-data-dir=…` overrides both.
 */
export function userDataDir(appDataDir: string, isPackaged: boolean): string {
  return join(appDataDir, isPackaged ? APP_NAME : `${APP_NAME}-dev`);
}

/** The PNG used as the window icon on Linux: shipped beside the asar, or the source file in development. */
export function windowIconPath(opts: { isPackaged: boolean; resourcesPath: string; appPath: string }): string {
  return opts.isPackaged ? join(opts.resourcesPath, 'icon.png') : join(opts.appPath, 'resources', 'icon.png');
}
