// Wires every contract entry to ipcMain. The work is done by the Electron-free `dispatch`; this file
// adds what only the main process knows: which frame is asking. Typed against a minimal surface of
// ipcMain (not imported from electron at run time) so tests can drive it with a small fake.
import { CHANNELS } from '../../shared/ipc/contract';
import { fail, type Result } from '../../shared/ipc/result';
import { dispatch, type Handlers } from '../core/ipc/dispatch';

export interface InvokeEventLike {
  senderFrame: { url: string; parent?: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface RegisterOptions {
  /** True when the frame belongs to this app's renderer (see senderCheck.ts). */
  isTrustedSender(frameUrl: string | undefined): boolean;
  /** The handlers for the window that sent the call (one store per window). */
  handlersFor(event: InvokeEventLike): Handlers | undefined;
}

/** Registers one handler per contract channel; returns a function that removes them all. */
export function registerIpc(ipcMain: IpcMainLike, options: RegisterOptions): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, input) => handleInvoke(options, channel, event, input));
  }
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}

export async function handleInvoke(
  options: RegisterOptions,
  channel: string,
  event: InvokeEventLike,
  input: unknown,
): Promise<Result<unknown>> {
  const frame = event.senderFrame;
  // Subframes never get the API: the app has none, so a call from one is foreign by definition.
  if (!frame || frame.parent || !options.isTrustedSender(frame.url)) {
    return fail('forbidden_sender', 'This call came from a page that is not part of Hindsight and was refused.');
  }
  const handlers = options.handlersFor(event);
  if (!handlers) return fail('internal', 'No services are attached to the window that sent this call.');
  return dispatch(handlers, channel, input);
}
