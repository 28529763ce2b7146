// Which frames may call the IPC surface: only the app's own top-level page, loaded either from the
// packaged renderer file or (in development) from the electron-vite dev server. Pure so it can be
// unit-tested without Electron.

export interface TrustedOrigins {
  /** file:// URL of the packaged renderer's index.html. */
  rendererFileUrl: string;
  /** http://localhost:PORT of the dev server, only in development. */
  devServerUrl?: string | undefined;
}

export function isTrustedSenderUrl(frameUrl: string | undefined | null, origins: TrustedOrigins): boolean {
  if (!frameUrl) return false;
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  if (url.protocol === 'file:') {
    const expected = new URL(origins.rendererFileUrl);
    return url.pathname === expected.pathname;
  }
  if (origins.devServerUrl) {
    const dev = new URL(origins.devServerUrl);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === dev.origin;
  }
  return false;
}
