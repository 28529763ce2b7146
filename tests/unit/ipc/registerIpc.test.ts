// registerIpc against a small fake of ipcMain, with the real services behind it.
import { describe, expect, it } from 'vitest';
import { type InvokeEventLike, type IpcMainLike, registerIpc } from '../../../electron/main/ipc';
import { CHANNELS } from '../../../shared/ipc/contract';
import { makeServices } from '../../helpers/services';
import { useTempDir } from '../../helpers/tempDir';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  invoke(channel: string, url: string, input: unknown, parent?: unknown) {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener({ senderFrame: { url, parent } }, input);
  }
}

const APP_URL = 'file:///app/out/renderer/index.html';

describe('registerIpc', () => {
  const tempDir = useTempDir();

  function setup() {
    const ipc = new FakeIpcMain();
    const { services } = makeServices(tempDir());
    const unregister = registerIpc(ipc, {
      isTrustedSender: (url) => url === APP_URL,
      handlersFor: () => services.handlers,
    });
    return { ipc, services, unregister };
  }

  it('registers exactly one handler per contract entry and removes them all', () => {
    const { ipc, unregister } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('answers a valid call with the ok envelope', async () => {
    const { ipc } = setup();
    const result = await ipc.invoke('app.info', APP_URL, {});
    expect(result).toMatchObject({ ok: true, value: { name: 'Hindsight', version: '0.0.0-test' } });
  });

  it('refuses a foreign sender and a subframe, without running the handler', async () => {
    const { ipc } = setup();
    expect(await ipc.invoke('app.info', 'https://evil.example/', {})).toEqual({
      ok: false,
      error: { code: 'forbidden_sender', message: expect.stringContaining('refused') },
    });
    expect(await ipc.invoke('app.info', APP_URL, {}, { url: APP_URL })).toMatchObject({
      ok: false,
      error: { code: 'forbidden_sender' },
    });
  });

  it('answers wrong input with invalid_input naming the bad field', async () => {
    const { ipc } = setup();
    const result = (await ipc.invoke('streams.list', APP_URL, { limit: 5000, prefix: 7 })) as {
      ok: false;
      error: { code: string; message: string; details: { issues: { path: string[] }[] } };
    };
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.message).toMatch(/^Invalid input for streams\.list: /);
    expect(result.error.message).toContain('limit');
    expect(result.error.message).toContain('prefix');
    expect(result.error.details.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['limit', 'prefix']);
  });

  it('refuses unknown keys (schemas are strict) and non-object input', async () => {
    const { ipc } = setup();
    expect(await ipc.invoke('app.info', APP_URL, { extra: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await ipc.invoke('store.openRecent', APP_URL, 'garbage')).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it('turns a handler failure into an error envelope with its code', async () => {
    const { ipc } = setup();
    expect(await ipc.invoke('store.details', APP_URL, {})).toMatchObject({
      ok: false,
      error: { code: 'no_store_open' },
    });
  });
});
