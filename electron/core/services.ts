// The handlers behind every IPC call, one Services instance per window (one open store). Each feature
// contributes the handlers for its slice of the contract (handlers/<feature>Handlers.ts); the compiler
// checks the merged map against the whole contract (`satisfies Handlers`). Nothing here imports
// electron: what the OS provides (file dialogs, the event channel to the page) comes in through
// `ServiceDeps`, so tests, the CLI and the e2e harness run exactly this code.
import type { EventMap, EventName } from '../../shared/ipc/contract';
import type { OpenMode, StoreSummary } from '../../shared/types';
import { appHandlers } from './handlers/appHandlers';
import { commandsHandlers } from './handlers/commandsHandlers';
import { historyHandlers } from './handlers/historyHandlers';
import { investigateHandlers } from './handlers/investigateHandlers';
import { notesHandlers } from './handlers/notesHandlers';
import { readModelsHandlers } from './handlers/readModelsHandlers';
import { reportsHandlers } from './handlers/reportsHandlers';
import { settingsHandlers } from './handlers/settingsHandlers';
import { storeHandlers } from './handlers/storeHandlers';
import type { ServiceContext } from './handlers/types';
import type { Handlers } from './ipc/dispatch';
import type { PdfPrinter } from './reports/pdf';
import { StoreSession } from './session/storeSession';

export interface ServiceDeps {
  dataDir: string;
  appVersion: string;
  runtime?: { electron: string | null; chrome: string | null };
  /** Asks the user for an existing store file; null when cancelled. */
  /** `store`: an event store to open (the default); `import`: a JSONL file to import into the open store. */
  pickOpenPath: (purpose?: 'store' | 'import') => Promise<string | null>;
  /** Asks the user where to create a new store; null when cancelled. */
  pickCreatePath: () => Promise<string | null>;
  /** Prints HTML to PDF with the app's own engine (Electron's printToPDF); absent: Chromium via playwright-core. */
  pdfPrinter?: PdfPrinter;
  /** Asks the user where to save an export or report; null when cancelled. */
  pickSavePath: (suggestedName: string, extensions: string[]) => Promise<string | null>;
  emit: <E extends EventName>(event: E, payload: EventMap[E]) => void;
}

export interface Services {
  handlers: Handlers;
  /** Opens a file the OS, the menu or the command line handed to the app (not reachable from the page). */
  openPath(path: string, mode?: OpenMode): Promise<StoreSummary>;
  dispose(): void;
}

export function createServices(deps: ServiceDeps): Services {
  const session = new StoreSession(deps.dataDir, deps.appVersion, deps.emit);
  const context: ServiceContext = { deps, session };
  const handlers = {
    ...appHandlers(context),
    ...storeHandlers(context),
    ...commandsHandlers(context),
    ...historyHandlers(context),
    ...settingsHandlers(context),
    ...investigateHandlers(context),
    ...notesHandlers(context),
    ...reportsHandlers(context),
    ...readModelsHandlers(context),
  } satisfies Handlers;

  return {
    handlers,
    openPath: (path, mode) => session.open(path, mode),
    dispose: () => session.close(),
  };
}
