// Native dialogs: the open and save dialogs are the only way (with drag & drop and the OS) a path
// reaches the app. A dialog is attached to its window when there is one (a sheet on macOS).
import { type BrowserWindow, dialog, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { STORE_EXTENSIONS } from './openRequest';

const STORE_FILTERS = [
  { name: 'Event stores', extensions: [...STORE_EXTENSIONS] },
  { name: 'All files', extensions: ['*'] },
];

/** The open dialog, attached to its window when there is one: the picked file, or null if cancelled. */
async function pickOpen(window: BrowserWindow | undefined, options: OpenDialogOptions): Promise<string | null> {
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

/** The save dialog, attached to its window when there is one: the chosen path, or null if cancelled. */
async function pickSave(window: BrowserWindow | undefined, options: SaveDialogOptions): Promise<string | null> {
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  return result.canceled ? null : (result.filePath ?? null);
}

export async function pickStoreToOpen(window: BrowserWindow | undefined): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: 'Open an event store',
    properties: ['openFile'],
    filters: STORE_FILTERS,
  };
  return pickOpen(window, options);
}

export async function pickFileToImport(window: BrowserWindow | undefined): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: 'Import events (JSONL)',
    properties: ['openFile'],
    filters: [
      { name: 'JSON Lines', extensions: ['jsonl', 'ndjson'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  return pickOpen(window, options);
}

export async function pickStoreToCreate(window: BrowserWindow | undefined): Promise<string | null> {
  const options: SaveDialogOptions = {
    title: 'Create an event store',
    defaultPath: 'events.hindsight',
    filters: [{ name: 'Hindsight event store', extensions: ['hindsight'] }],
  };
  return pickSave(window, options);
}

/** Where to save an export, a report or a copy (the page suggests a file name and the extensions). */
export async function pickSavePath(
  window: BrowserWindow | undefined,
  suggestedName: string,
  extensions: string[],
): Promise<string | null> {
  const options: SaveDialogOptions = {
    title: 'Save',
    defaultPath: suggestedName,
    filters:
      extensions.length > 0
        ? [{ name: extensions.map((extension) => `.${extension}`).join(', '), extensions }]
        : [{ name: 'All files', extensions: ['*'] }],
  };
  return pickSave(window, options);
}

/** Tells the user why a file could not be opened or created. */
export function showOpenError(window: BrowserWindow | undefined, title: string, detail: string): void {
  if (window && !window.isDestroyed()) {
    void dialog.showMessageBox(window, { type: 'error', title, message: title, detail, buttons: ['OK'] });
  } else {
    dialog.showErrorBox(title, detail);
  }
}
