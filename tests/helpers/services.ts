// Real services over a temp data folder, as the main process builds them, with scripted dialogs and
// the emitted events collected for assertions.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createServices, type ServiceDeps, type Services } from '../../electron/core/services';
import type { EventMap, EventName } from '../../shared/ipc/contract';

export interface ServiceHarness {
  services: Services;
  dataDir: string;
  events: { event: EventName; payload: EventMap[EventName] }[];
  pickOnOpen(path: string | null): void;
  pickOnCreate(path: string | null): void;
  /** The next save dialog will "pick" this path. */
  pickOnSave(path: string | null): void;
}

export function makeServices(dir: string, extra: Partial<Pick<ServiceDeps, 'pdfPrinter'>> = {}): ServiceHarness {
  const dataDir = join(dir, 'app-data');
  mkdirSync(dataDir, { recursive: true });
  const openQueue: (string | null)[] = [];
  const createQueue: (string | null)[] = [];
  const saveQueue: (string | null)[] = [];
  const events: ServiceHarness['events'] = [];
  const services = createServices({
    dataDir,
    appVersion: '0.0.0-test',
    pickOpenPath: async () => openQueue.shift() ?? null,
    pickCreatePath: async () => createQueue.shift() ?? null,
    pickSavePath: async () => saveQueue.shift() ?? null,
    emit: (event, payload) => events.push({ event, payload }),
    ...extra,
  });
  return {
    services,
    dataDir,
    events,
    pickOnOpen: (path) => openQueue.push(path),
    pickOnCreate: (path) => createQueue.push(path),
    pickOnSave: (path) => saveQueue.push(path),
  };
}
