// Which compiled better-sqlite3 addon to load. Under Node (tests, CLI) the package's own build is
// right. Under Electron the addon must be built for Electron's ABI; that build lives outside
// node_modules (see scripts/ensure-electron-native.mjs) so it can never replace the Node build the
// tests use. The main process calls `setSqliteNativeBinding` once at start-up, before any store opens.
import type { Options } from 'better-sqlite3';

let nativeBinding: string | undefined;

export function setSqliteNativeBinding(path: string | undefined): void {
  nativeBinding = path;
}

/** Options to spread into every `new Database(...)` call. */
export function sqliteDriverOptions(): Pick<Options, 'nativeBinding'> {
  return nativeBinding ? { nativeBinding } : {};
}
