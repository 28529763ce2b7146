// The only bridge between the page and the main process: one function per contract entry, generated
// from the contract's channel names, plus a typed event subscription. No raw ipcRenderer reaches the page.
import { contextBridge, type IpcRendererEvent, ipcRenderer, webUtils } from 'electron';
import { buildBridgeApi } from '../../shared/ipc/bridge';
import { CHANNELS, EVENTS } from '../../shared/ipc/contract';

const api = buildBridgeApi(
  CHANNELS,
  EVENTS,
  (channel, input) => ipcRenderer.invoke(channel, input),
  (event, listener) => {
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => ipcRenderer.removeListener(event, wrapped);
  },
);

contextBridge.exposeInMainWorld('hindsight', api);

// Drag & drop of store files: the page never learns or names a path. The preload turns dropped File
// objects into paths (webUtils) and hands them to the main process, which checks the sender and the
// files and opens them in this window (electron/main/fileDrop.ts). Private channel, not in the contract.
const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') === true;
window.addEventListener('dragover', (event) => {
  if (hasFiles(event)) event.preventDefault();
});
window.addEventListener('drop', (event) => {
  if (event.defaultPrevented || !hasFiles(event)) return;
  event.preventDefault();
  const paths = Array.from(event.dataTransfer?.files ?? [], (file) => webUtils.getPathForFile(file)).filter(Boolean);
  if (paths.length > 0) ipcRenderer.send('shell.filesDropped', paths);
});
