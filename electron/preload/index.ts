// The only bridge between the page and the main process: one function per contract entry, generated
// from the contract's channel names, plus a typed event subscription. No raw ipcRenderer reaches the page.
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
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
