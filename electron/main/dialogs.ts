// Native file dialogs: the only way (with drag & drop and the OS) a path reaches the app.
import { type BrowserWindow, dialog } from 'electron';

const STORE_FILTERS = [
  { name: 'Event stores', extensions: ['hindsight', 'db', 'sqlite', 'sqlite3'] },
  { name: 'All files', extensions: ['*'] },
];

export async function pickStoreToOpen(window: BrowserWindow): Promise<string | null> {
  const result = await dialog.showOpenDialog(window, {
    title: 'Open an event store',
    properties: ['openFile'],
    filters: STORE_FILTERS,
  });
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

export async function pickStoreToCreate(window: BrowserWindow): Promise<string | null> {
  const result = await dialog.showSaveDialog(window, {
    title: 'Create an event store',
    defaultPath: 'events.hindsight',
    filters: [{ name: 'Hindsight event store', extensions: ['hindsight'] }],
  });
  return result.canceled ? null : (result.filePath ?? null);
}
