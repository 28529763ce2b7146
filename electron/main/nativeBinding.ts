// Finds the better-sqlite3 addon compiled for this Electron. Packaged apps carry it in resources/
// (outside the asar); in development scripts/ensure-electron-native.mjs builds it into .electron-native/.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function electronSqliteBinding(opts: {
  isPackaged: boolean;
  resourcesPath: string;
  appPath: string;
  electronVersion: string;
  platform: string;
  arch: string;
}): string | undefined {
  const candidates = opts.isPackaged
    ? [join(opts.resourcesPath, 'native', 'better_sqlite3.node')]
    : [
        join(
          opts.appPath,
          '.electron-native',
          `electron-${opts.electronVersion}-${opts.platform}-${opts.arch}`,
          'better_sqlite3.node',
        ),
      ];
  return candidates.find((candidate) => existsSync(candidate));
}
