// Drag & drop of store files onto a window.
//
// The page cannot name paths (DESIGN §6), and since Electron 32 it cannot even see them. The preload,
// in its isolated world, listens for `drop`, asks `webUtils.getPathForFile` for each dropped file (a
// path exists only for real files the user dragged in from the OS; a File made by page script has
// none) and sends the paths on this private channel. The channel is not part of the page's contract:
// page script has no ipcRenderer, so only the preload can send on it. The main process still checks
// the sending frame and the payload before opening anything.
//
// The other approach, letting Chromium navigate to the dropped `file://` URL and catching that in the
// main process, was rejected: modern Chromium opens dropped files as a new-tab navigation, which reaches
// Electron's window-open handler looking exactly like `window.open('file:///…')` from page script, so a
// compromised page could name any path. Windows keep `navigateOnDragDrop: false` (Electron's default).
import { isPlausiblePath, MAX_FILES } from './openRequest';

export const FILES_DROPPED_CHANNEL = 'shell.filesDropped';

/** The dropped paths when the payload is an array of 1…MAX_FILES absolute paths, else null. */
export function validateDroppedPaths(payload: unknown, platform: string): string[] | null {
  if (!Array.isArray(payload) || payload.length === 0 || payload.length > MAX_FILES) return null;
  if (!payload.every((path) => isPlausiblePath(path, platform))) return null;
  return [...(payload as string[])];
}
