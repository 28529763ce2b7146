// The e2e harness: the built renderer in real Chromium, its `window.hindsight` bridge built by the same
// function the preload uses, and every call answered by the real services (real SQLite files in a
// fresh temp folder per test). File dialogs are the one thing a test scripts: it queues the paths the
// "user" will pick.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, type Page } from '@playwright/test';
import { dispatch } from '../../electron/core/ipc/dispatch';
import { createServices, type Services } from '../../electron/core/services';
import { buildBridgeApi, type HindsightBridge } from '../../shared/ipc/bridge';
import { CHANNELS, EVENTS } from '../../shared/ipc/contract';
import { fail } from '../../shared/ipc/result';
import { type StaticServer, serveStatic } from '../helpers/staticServer';

export interface AppHarness {
  page: Page;
  services: Services;
  /** A temp folder for this test's files. */
  dir: string;
  dataDir: string;
  /** The next open dialog will "pick" this path (null = the user cancels). */
  pickOnOpen(path: string | null): void;
  pickOnCreate(path: string | null): void;
  /** The next save dialog will "pick" this path. */
  pickOnSave(path: string | null): void;
  /** Saves a full-page screenshot under test-results/screens/. */
  screenshot(name: string): Promise<void>;
  /** Reloads the page (same services), as a renderer reload would. */
  reload(): Promise<void>;
  /** Disposes the services and starts new ones over the same data folder (an app restart), then reloads. */
  restart(): Promise<void>;
}

export const test = base.extend<{ app: AppHarness }, { server: StaticServer }>({
  server: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature needs the object pattern.
    async ({}, use) => {
      const server = await serveStatic('out/renderer');
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],

  app: async ({ page, server }, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'hindsight-e2e-'));
    const dataDir = join(dir, 'app-data');
    mkdirSync(dataDir);
    const openQueue: (string | null)[] = [];
    const createQueue: (string | null)[] = [];
    const saveQueue: (string | null)[] = [];

    const startServices = () =>
      createServices({
        dataDir,
        appVersion: '0.0.0-e2e',
        pickOpenPath: async () => openQueue.shift() ?? null,
        pickCreatePath: async () => createQueue.shift() ?? null,
        pickSavePath: async () => saveQueue.shift() ?? null,
        emit: (event, payload) => {
          page
            .evaluate(([name, body]) => window.__hindsightEmit?.(name, body), [event, payload] as const)
            .catch(() => undefined); // the page may be navigating; events are hints, queries are the truth
        },
      });
    let services = startServices();

    // The binding plays ipcMain: only the app's own top frame may call, like the main process's sender check.
    await page.exposeBinding('__hindsightInvoke', async (source, channel: unknown, input: unknown) => {
      if (source.frame !== page.mainFrame() || !source.frame.url().startsWith(server.url)) {
        return fail('forbidden_sender', 'This call came from a page that is not part of Hindsight and was refused.');
      }
      return dispatch(services.handlers, channel, input);
    });
    await page.addInitScript(
      `(() => {
        const listeners = new Map();
        window.__hindsightEmit = (event, payload) => { for (const l of listeners.get(event) ?? []) l(payload); };
        const build = ${buildBridgeApi.toString()};
        window.hindsight = build(${JSON.stringify(CHANNELS)}, ${JSON.stringify(EVENTS)},
          (channel, input) => window.__hindsightInvoke(channel, input),
          (event, listener) => {
            const set = listeners.get(event) ?? new Set();
            set.add(listener);
            listeners.set(event, set);
            return () => set.delete(listener);
          });
      })();`,
    );
    await page.goto(server.url);

    await use({
      page,
      get services() {
        return services;
      },
      dir,
      dataDir,
      pickOnOpen: (path) => openQueue.push(path),
      pickOnCreate: (path) => createQueue.push(path),
      pickOnSave: (path) => saveQueue.push(path),
      screenshot: async (name) => {
        await page.screenshot({ path: join('test-results', 'screens', `${name}.png`), fullPage: false });
      },
      reload: async () => {
        await page.reload();
      },
      restart: async () => {
        services.dispose();
        services = startServices();
        await page.reload();
      },
    });

    services.dispose();
    rmSync(dir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';

declare global {
  interface Window {
    hindsight: HindsightBridge;
    __hindsightEmit?: (event: string, payload: unknown) => void;
    __hindsightInvoke: (channel: string, input: unknown) => Promise<unknown>;
  }
}
