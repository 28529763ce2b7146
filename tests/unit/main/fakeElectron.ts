// A small stand-in for the parts of `electron` the shell uses, so electron/main/index.ts (the wiring)
// can run under Vitest. Tests install it with `vi.mock('electron', …)`: the real package is never
// loaded (under plain Node it would try to download the Electron binary).

type Listener = (...args: never[]) => unknown;

class Emitter {
  private readonly listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  once(event: string, listener: Listener): this {
    const wrapped = ((...args: never[]) => {
      this.off(event, wrapped);
      return listener(...args);
    }) as Listener;
    return this.on(event, wrapped);
  }

  off(event: string, listener: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((other) => other !== listener),
    );
    return this;
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) (listener as (...a: unknown[]) => unknown)(...args);
  }
}

let nextContentsId = 100;

export class FakeWebContents extends Emitter {
  readonly id = nextContentsId++;
  readonly sent: [string, unknown][] = [];
  loading = false;
  readonly session = { setPermissionRequestHandler() {}, setPermissionCheckHandler() {} };
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  isLoading(): boolean {
    return this.loading;
  }
  setWindowOpenHandler(): void {}
}

interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class FakeBrowserWindow extends Emitter {
  static all: FakeBrowserWindow[] = [];
  static focused: FakeBrowserWindow | null = null;
  private static nextId = 1;

  static getFocusedWindow(): FakeBrowserWindow | null {
    return FakeBrowserWindow.focused;
  }
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.all.filter((window) => !window.destroyed);
  }

  readonly id = FakeBrowserWindow.nextId++;
  readonly webContents = new FakeWebContents();
  bounds: Bounds;
  destroyed = false;
  visible = false;
  minimized = false;
  maximized = false;
  represented = '';
  loaded = '';

  constructor(readonly options: Record<string, unknown> & Partial<Bounds>) {
    super();
    this.bounds = {
      x: options.x ?? 50,
      y: options.y ?? 50,
      width: options.width ?? 800,
      height: options.height ?? 600,
    };
    FakeBrowserWindow.all.push(this);
  }
  loadFile(file: string): Promise<void> {
    this.loaded = file;
    return Promise.resolve();
  }
  loadURL(url: string): Promise<void> {
    this.loaded = url;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
    this.focus();
  }
  focus(): void {
    FakeBrowserWindow.focused = this;
    this.emit('focus');
  }
  restore(): void {
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isVisible(): boolean {
    return this.visible;
  }
  maximize(): void {
    this.maximized = true;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  getNormalBounds(): Bounds {
    return { ...this.bounds };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setRepresentedFilename(path: string): void {
    this.represented = path;
  }
  close(): void {
    this.emit('close');
    this.destroyed = true;
    if (FakeBrowserWindow.focused === this) FakeBrowserWindow.focused = null;
    this.emit('closed');
  }
}

class FakeApp extends Emitter {
  isPackaged = false;
  readonly paths = new Map<string, string>();
  readonly switches = new Set<string>();
  readonly commandLine = { hasSwitch: (name: string) => this.switches.has(name) };
  lockPayload: unknown;
  lockGranted = true;
  quitCalled = false;
  name = 'hindsight';
  readonly recentDocuments: string[] = [];
  private ready = false;
  private resolveReady!: () => void;
  private readonly readyPromise = new Promise<void>((resolve) => {
    this.resolveReady = resolve;
  });

  setName(name: string): void {
    this.name = name;
  }
  getName(): string {
    return this.name;
  }
  getPath(name: string): string {
    const path = this.paths.get(name);
    if (!path) throw new Error(`no path ${name}`);
    return path;
  }
  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }
  getAppPath(): string {
    return process.cwd();
  }
  getVersion(): string {
    return '0.1.0';
  }
  setAppUserModelId(): void {}
  setAboutPanelOptions(): void {}
  addRecentDocument(path: string): void {
    this.recentDocuments.push(path);
  }
  requestSingleInstanceLock(payload: unknown): boolean {
    this.lockPayload = payload;
    return this.lockGranted;
  }
  quit(): void {
    this.quitCalled = true;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  isReady(): boolean {
    return this.ready;
  }
  /** Test helper: Electron is ready. */
  becomeReady(): void {
    this.ready = true;
    this.resolveReady();
  }
}

type IpcHandler = (event: unknown, ...args: unknown[]) => unknown;

class FakeIpcMain {
  readonly handlers = new Map<string, IpcHandler>();
  readonly listeners = new Map<string, IpcHandler>();
  handle(channel: string, handler: IpcHandler): void {
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  on(channel: string, listener: IpcHandler): void {
    this.listeners.set(channel, listener);
  }
}

export interface DialogLog {
  messages: { title?: string; detail?: string }[];
  errors: [string, string][];
  openPicks: (string | null)[];
  savePicks: (string | null)[];
}

export function createFakeElectron() {
  const app = new FakeApp();
  const ipcMain = new FakeIpcMain();
  const dialogs: DialogLog = { messages: [], errors: [], openPicks: [], savePicks: [] };
  const menus: { template: unknown[] }[] = [];
  const external: string[] = [];
  const workArea = { x: 0, y: 0, width: 1920, height: 1080 };
  const electron = {
    app,
    ipcMain,
    BrowserWindow: FakeBrowserWindow,
    Menu: {
      buildFromTemplate: (template: unknown[]) => ({ template }),
      setApplicationMenu: (menu: { template: unknown[] }) => menus.push(menu),
    },
    dialog: {
      showOpenDialog: async (..._args: unknown[]) => {
        const pick = dialogs.openPicks.shift() ?? null;
        return { canceled: pick === null, filePaths: pick === null ? [] : [pick] };
      },
      showSaveDialog: async (..._args: unknown[]) => {
        const pick = dialogs.savePicks.shift() ?? null;
        return { canceled: pick === null, filePath: pick ?? undefined };
      },
      showMessageBox: async (...args: unknown[]) => {
        dialogs.messages.push(args.at(-1) as { title?: string; detail?: string });
        return { response: 0 };
      },
      showErrorBox: (title: string, detail: string) => dialogs.errors.push([title, detail]),
    },
    screen: {
      getAllDisplays: () => [{ workArea }],
      getPrimaryDisplay: () => ({ workArea }),
    },
    nativeTheme: { themeSource: 'system' as string },
    shell: { openExternal: async (url: string) => void external.push(url) },
  };
  return { electron, app, ipcMain, dialogs, menus, external };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

/** The one fake per test file: `vi.mock('electron', async () => (await import('./fakeElectron')).fake.electron)`. */
export const fake = createFakeElectron();
